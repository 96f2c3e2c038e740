// SPDX-License-Identifier: MIT
#include "magic.hpp"

#include "judge/util/text.hpp"

namespace judge::notebook::detail {

void set_cell_text(Cell& cell, std::string_view text) {
  while (!text.empty()) {  // drop leading blank lines
    const std::size_t nl = text.find('\n');
    if (!util::trim(text.substr(0, nl)).empty()) break;
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  const std::size_t nl = text.find('\n');
  const std::string_view first = util::trim(text.substr(0, nl));
  const std::string_view rest = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  if (first.empty() || first.front() != '%') {
    cell.type = CellType::code;
    cell.source = std::string(text);
    return;
  }
  const std::size_t word_end = first.find_first_of(" \t");
  cell.magic = std::string(
      first.substr(1, word_end == std::string_view::npos ? std::string_view::npos : word_end - 1));
  if (cell.magic == "md" || cell.magic == "md-sandbox") {
    cell.type = CellType::markdown;
    const std::string_view after =
        word_end == std::string_view::npos ? "" : util::trim(first.substr(word_end));
    cell.source = std::string(after);
    if (!after.empty() && nl != std::string_view::npos) cell.source.push_back('\n');
    cell.source.append(rest);
  } else {
    cell.type = CellType::code;
    cell.source = std::string(first);  // leading spaces before the magic dropped
    if (nl != std::string_view::npos) cell.source.append("\n").append(rest);
  }
}

}  // namespace judge::notebook::detail
