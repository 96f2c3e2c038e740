// SPDX-License-Identifier: MIT
#include "judge/util/table.hpp"

#include <algorithm>

namespace judge::util {

namespace {

bool continues(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The byte offset of the first `columns` characters of `text` (its size when it has no more).
std::size_t prefix_bytes(std::string_view text, std::size_t columns) {
  std::size_t at = 0;
  for (std::size_t n = 0; at < text.size(); ++n) {
    if (n == columns) return at;
    ++at;
    while (at < text.size() && continues(text[at])) ++at;
  }
  return at;
}

std::string pad(std::size_t n) { return std::string(n, ' '); }

}  // namespace

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !continues(c); }));
}

std::string elide_middle(std::string_view text, std::size_t width) {
  const std::size_t n = display_width(text);
  if (n <= width) return std::string(text);
  if (width < 5) return std::string(text.substr(0, prefix_bytes(text, width)));
  const std::size_t keep = width - 3, head = keep / 3, tail = keep - head;
  std::string out(text.substr(0, prefix_bytes(text, head)));
  out += "...";
  out += text.substr(prefix_bytes(text, n - tail));
  return out;
}

std::string wrap_text(std::string_view text, std::size_t width, std::string_view indent) {
  const std::size_t room_after = width > display_width(indent) ? width - display_width(indent) : 1;
  std::string out, line;
  std::size_t line_width = 0;
  bool first = true;
  const auto room = [&] { return first ? std::max<std::size_t>(width, 1) : room_after; };
  const auto finish = [&] {
    out += first ? "" : std::string(indent);
    out += line;
    out += '\n';
    line.clear();
    line_width = 0;
    first = false;
  };
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto space = std::min(text.find(' ', at), text.size());
    std::string_view word = text.substr(at, space - at);
    at = space + 1;
    if (word.empty() && at <= text.size()) continue;  // spaces run together
    std::size_t w = display_width(word);
    if (line_width > 0 && line_width + 1 + w > room()) finish();
    while (w > room()) {  // a word longer than a line: cut into lines that fit
      if (line_width > 0) finish();
      const std::size_t cut = prefix_bytes(word, room());
      line = std::string(word.substr(0, cut));
      line_width = room();
      word = word.substr(cut);
      w = display_width(word);
      finish();
    }
    if (word.empty()) continue;
    if (line_width > 0) {
      line += ' ';
      ++line_width;
    }
    line += word;
    line_width += w;
  }
  if (line_width > 0 || out.empty()) finish();
  return out;
}

std::string format_table(const std::vector<std::vector<std::string>>& given, const TableLayout& layout,
                         const std::vector<std::string>& below) {
  if (given.empty()) return "";
  std::size_t columns = 0;
  for (const auto& row : given) columns = std::max(columns, row.size());
  std::vector<std::vector<std::string>> rows = given;
  for (auto& row : rows) row.resize(columns);
  std::vector<std::size_t> width(columns, 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < columns; ++i) width[i] = std::max(width[i], display_width(row[i]));
  std::size_t total = 0;
  for (std::size_t i = 0; i < columns; ++i) total += width[i] + (i ? 2 : 0);
  // The first column's lines per row: one, or its wrapped lines; narrowed when it and the widest other
  // column do not fit side by side.
  std::vector<std::vector<std::string>> first(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) first[r] = {rows[r][0]};
  std::size_t widest_other = 0;
  for (std::size_t i = 1; i < columns; ++i) widest_other = std::max(widest_other, width[i]);
  const std::size_t others = total - width[0];  // the other columns with their gaps
  if (total > layout.width && columns > 1 &&
      (layout.shrink_first || width[0] + 2 + widest_other > layout.width)) {
    const std::size_t floor = std::max(layout.min_first, display_width(rows[0][0]));
    const std::size_t beside = layout.shrink_first ? others : widest_other + 2;  // what the first must fit by
    const std::size_t room = layout.width > beside ? layout.width - beside : 0;
    const std::size_t cap = std::min(width[0], std::max(floor, room));
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (display_width(rows[r][0]) <= cap) continue;
      if (layout.first == TableLayout::Overflow::elide) {
        first[r] = {elide_middle(rows[r][0], cap)};
        continue;
      }
      first[r].clear();
      const std::string lines = wrap_text(rows[r][0], cap, "  ");
      for (std::size_t at = 0; at < lines.size();) {
        const auto end = lines.find('\n', at);
        first[r].push_back(lines.substr(at, end - at));
        at = end + 1;
      }
    }
    width[0] = cap;
  }
  // The other columns split into blocks that fit beside the first; a cell too wide for any block is elided.
  const std::size_t beside = layout.width > width[0] + 2 ? layout.width - width[0] - 2 : 1;
  for (std::size_t i = 1; i < columns; ++i)
    if (width[i] > beside) {
      for (auto& row : rows) row[i] = elide_middle(row[i], beside);
      width[i] = beside;
    }
  // As few blocks as fit, as even as they can be: the narrowest line width whose greedy split needs no more
  // blocks than the split at the full width (so 14 columns that overflow by one go 7 and 7, not 13 and 1).
  // A column and those glued to it go into a block together.
  std::vector<std::vector<std::size_t>> units;
  for (std::size_t i = 1; i < columns; ++i)
    if (units.empty() || i >= layout.glued.size() || !layout.glued[i])
      units.push_back({i});
    else
      units.back().push_back(i);
  const auto unit_width = [&](const std::vector<std::size_t>& unit) {
    std::size_t w = 0;
    for (const std::size_t i : unit) w += 2 + width[i];
    return w;
  };
  const auto split = [&](std::size_t limit) {
    std::vector<std::vector<std::size_t>> blocks;
    std::size_t used = width[0];
    for (const auto& unit : units) {
      if (blocks.empty() || used + unit_width(unit) > limit) {
        blocks.emplace_back();
        used = width[0];
      }
      blocks.back().insert(blocks.back().end(), unit.begin(), unit.end());
      used += unit_width(unit);
    }
    if (blocks.empty()) blocks.emplace_back();
    return blocks;
  };
  auto blocks = split(layout.width);
  if (blocks.size() > 1) {
    std::size_t low = width[0], high = layout.width;  // split(high) needs no more blocks; find the least
    for (const auto& unit : units) low = std::max(low, width[0] + unit_width(unit));
    while (low < high) {
      const std::size_t mid = (low + high) / 2;
      if (split(mid).size() <= blocks.size())
        high = mid;
      else
        low = mid + 1;
    }
    blocks = split(high);
  }
  std::string out;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (b > 0) out += '\n';
    for (std::size_t r = 0; r < rows.size(); ++r) {
      // a row with nothing in a later block (a mean row beside columns it has no value in) is left out there
      if (b > 0 && r > 0 &&
          std::all_of(blocks[b].begin(), blocks[b].end(), [&](std::size_t i) { return rows[r][i].empty(); }))
        continue;
      for (std::size_t l = 0; l < first[r].size(); ++l) {
        std::string line = first[r][l];
        if (l == 0) {
          line += pad(width[0] - display_width(line));
          for (const std::size_t i : blocks[b])
            line += "  " + pad(width[i] - display_width(rows[r][i])) + rows[r][i];
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line;
        out += '\n';
      }
      if (b == 0 && r < below.size() && !below[r].empty()) {
        const std::string lines = wrap_text(below[r], layout.width > 2 ? layout.width - 2 : 1, "  ");
        for (std::size_t at = 0; at < lines.size();) {
          const auto end = lines.find('\n', at);
          out += "  ";
          out += lines.substr(at, end - at + 1);
          at = end + 1;
        }
      }
    }
  }
  return out;
}

}  // namespace judge::util
