// SPDX-License-Identifier: MIT
// Reader for Databricks source notebooks (File > Export > Source file). Format, as Databricks writes it:
//   <c> Databricks notebook source          first line; <c> is "#" (Python, R), "--" (SQL) or "//" (Scala)
//   <cell text>
//   <blank line> <c> COMMAND ---------- <blank line>   between cells
// A cell in another language than the notebook's, or a markdown cell, has every line prefixed "<c> MAGIC "
// and starts with its magic ("%md", "%sql", "%pip", ...). "<c> DBTITLE 1,Title" on a cell's first line is the
// cell's title. The code itself is never parsed, so a file that is not valid Python (a template) still reads.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"
#include "magic.hpp"
#include "readers.hpp"

namespace judge::notebook {
namespace {

struct Dialect {
  std::string_view comment;  // "#", "--" or "//"
  std::string_view language;
};

bool is_blank(std::string_view line) { return util::trim(line).empty(); }

// "<c> MAGIC rest" -> "rest"; "<c> MAGIC" -> "". Returns false when the line is not a MAGIC line.
bool strip_magic_prefix(std::string_view line, std::string_view comment, std::string_view& rest) {
  if (!util::starts_with(line, comment)) return false;
  std::string_view tail = line.substr(comment.size());
  if (!util::starts_with(tail, " MAGIC")) return false;
  tail.remove_prefix(6);
  if (tail.empty()) {
    rest = tail;
    return true;
  }
  if (tail.front() != ' ' && tail.front() != '\t') return false;  // "# MAGICAL" is a plain comment
  rest = tail.substr(1);
  return true;
}

std::string join_lines(const std::vector<std::string_view>& lines, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    out.append(lines[i]);
    if (i + 1 < end) out.push_back('\n');
  }
  return out;
}

// Builds one cell from the lines between two separators (blank lines around the separator already removed).
Cell make_cell(std::vector<std::string_view> lines, const Dialect& dialect) {
  Cell cell;
  if (!lines.empty()) {
    const std::string title_marker = std::string(dialect.comment) + " DBTITLE ";
    const std::string_view first = lines.front();
    if (util::starts_with(first, title_marker)) {  // "# DBTITLE 1,Title": the digit is a version, then ','
      const std::size_t comma = first.find(',');
      cell.title = std::string(util::trim(comma == std::string_view::npos ? "" : first.substr(comma + 1)));
      lines.erase(lines.begin());
    }
  }
  std::string_view rest;
  const bool magic_cell = !lines.empty() && strip_magic_prefix(lines.front(), dialect.comment, rest);
  if (magic_cell)
    for (auto& line : lines)
      if (strip_magic_prefix(line, dialect.comment, rest)) line = rest;
  const std::string text = join_lines(lines, 0, lines.size());
  if (magic_cell) {
    detail::set_cell_text(cell, text);
  } else {
    cell.source = text;
  }
  return cell;
}

}  // namespace

Sniff detail::sniff_databricks_source(std::string_view text) {
  const auto first = util::trim(util::split_lines(text.substr(0, 200)).front());
  return first == "# Databricks notebook source" || first == "-- Databricks notebook source" ||
                 first == "// Databricks notebook source"
             ? Sniff::yes
             : Sniff::no;
}

Notebook parse_databricks_source(const std::string& text, const std::string& name, const ReadOptions&) {
  std::vector<std::string_view> lines = util::split_lines(text);
  const std::string_view header = util::trim(lines.front());
  Dialect dialect;
  if (header == "# Databricks notebook source") {
    const bool r = util::to_lower(std::filesystem::path(name).extension().string()) == ".r";
    dialect = {"#", r ? "r" : "python"};
  } else if (header == "-- Databricks notebook source") {
    dialect = {"--", "sql"};
  } else if (header == "// Databricks notebook source") {
    dialect = {"//", "scala"};
  } else {
    throw Error(name +
                ":1: not a Databricks source notebook (first line is not \"# Databricks notebook source\")");
  }
  const std::string separator = std::string(dialect.comment) + " COMMAND ----------";

  Notebook nb;
  nb.path = name;
  nb.format = Format::databricks;
  nb.language = std::string(dialect.language);
  std::vector<std::string_view> chunk;
  auto flush = [&] {
    std::size_t b = 0, e = chunk.size();
    while (b < e && is_blank(chunk[b])) ++b;
    while (e > b && is_blank(chunk[e - 1])) --e;
    Cell cell = make_cell(
        {chunk.begin() + static_cast<std::ptrdiff_t>(b), chunk.begin() + static_cast<std::ptrdiff_t>(e)},
        dialect);
    cell.number = static_cast<int>(nb.cells.size()) + 1;
    nb.cells.push_back(std::move(cell));
    chunk.clear();
  };
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (util::trim(lines[i]) == separator) {
      flush();
    } else {
      chunk.push_back(lines[i]);
    }
  }
  flush();
  return nb;
}

}  // namespace judge::notebook
