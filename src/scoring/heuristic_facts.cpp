// SPDX-License-Identifier: MIT
#include "judge/scoring/heuristic_facts.hpp"

#include <algorithm>
#include <set>

#include "judge/util/text.hpp"

namespace judge::scoring {
namespace {

/// Cell magics of another language than Python: their imports are no Python packages.
const std::set<std::string, std::less<>> k_other_language_magics = {
    "scala", "r",          "R",  "sql",  "sh",    "bash", "script",
    "java",  "javascript", "js", "html", "latex", "perl", "ruby"};

bool contains(std::string_view text, std::string_view token) {
  return text.find(token) != std::string_view::npos;
}

bool is_install_line(std::string_view line) {
  const std::string lower = util::to_lower(line);
  return contains(lower, "pip install") || contains(lower, "conda install") ||
         contains(lower, "pip3 install") || contains(lower, "mamba install") ||
         contains(lower, "install_pypi_package");
}

/// Top-level module names of one import statement ("import a.b as c, d" -> a, d; "from x.y import z" -> x).
std::vector<std::string> imported_modules(std::string_view line) {
  std::vector<std::string> out;
  auto name_at = [](std::string_view s) {
    s = util::trim(s);
    const std::size_t end = s.find_first_of(" .,;()");
    return std::string(s.substr(0, end));
  };
  if (util::starts_with(line, "from ")) {
    const std::string m = name_at(line.substr(5));
    if (!m.empty()) out.push_back(m);
    return out;
  }
  std::string_view rest = line.substr(7);  // after "import "
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string m = name_at(rest.substr(0, comma));
    if (!m.empty()) out.push_back(m);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

/// A comment's text that reads as a line of code: a call or an assignment, not prose.
bool looks_like_code(std::string_view text) {
  text = util::trim(text);
  if (text.empty() || text.front() == '#' || text.front() == '$' || text.front() == '%') return false;
  if (contains(text, "  ") || text.find(". ") != std::string_view::npos) return false;  // sentences
  const bool call =
      text.back() == ')' && text.find('(') != std::string_view::npos && text.find(' ') > text.find('(');
  const std::size_t eq = text.find(" = ");
  const bool assign = eq != std::string_view::npos && text.substr(0, eq).find(' ') == std::string_view::npos;
  return call || assign || util::starts_with(text, "import ") || util::starts_with(text, "print(");
}

bool is_python_warning(std::string_view text) {
  for (std::string_view w :
       {"Warning:", "UserWarning", "FutureWarning", "DeprecationWarning", "SettingWithCopy"})
    if (contains(text, w)) return true;
  return false;
}

CodeFacts code_facts(const notebook::Cell& c) {
  CodeFacts f;
  f.number = c.number;
  if (c.magic == "pip") f.install = true;
  f.other_language = k_other_language_magics.count(c.magic) > 0;
  f.sql = c.magic == "sql" || util::starts_with(util::trim(c.source), "%sql") ||
          util::starts_with(util::trim(c.source), "%%sql") || contains(c.source, "spark.sql(");
  bool first_line = true;
  for (std::string_view raw : util::split_lines(c.source)) {
    const std::string_view line = util::trim(raw);
    if (line.empty()) continue;
    ++f.lines;
    if (first_line && line.front() == '#') f.comment_header = true;
    first_line = false;
    if (contains(line, "____") || contains(line, "INSERT-") || contains(line, "RM_IF(") ||
        util::starts_with(util::to_lower(line), "# your code"))
      f.placeholder = true;
    if (line.front() == '#' && looks_like_code(line.substr(1))) ++f.commented_code;
    if (is_install_line(line) && (line.front() == '%' || line.front() == '!' || c.magic == "pip" ||
                                  c.magic == "sh" || util::starts_with(line, "pip"))) {
      f.install = true;
      if (contains(line, "==") || contains(line, "-r ") || contains(line, "requirements")) f.pinned = true;
      continue;
    }
    if (line.front() == '#' || line.front() == '%' || line.front() == '!') continue;
    if (util::starts_with(line, "import ") ||
        (util::starts_with(line, "from ") && contains(line, " import "))) {
      // A trailing comment is not part of the statement ("import pandas as pd # CSV file I/O").
      const std::string_view statement = util::trim(line.substr(0, line.find('#')));
      for (auto& m : imported_modules(statement)) f.modules.push_back(std::move(m));
      f.imports.append(statement);
      f.imports.push_back('\n');
      if (contains(line, "import *")) f.wildcard_import = true;
      if (raw.size() > 0 && (raw.front() == ' ' || raw.front() == '\t')) f.nested_import = true;
      continue;
    }
    f.body.append(raw);
    f.body.push_back('\n');
  }
  f.dead = f.lines > 0 && f.body.empty() && f.modules.empty() && !f.install && f.commented_code > 0;
  for (const auto& o : c.outputs) {
    if (o.kind == "error" && f.error.empty()) f.error = o.ename.empty() ? "error" : o.ename + ": " + o.evalue;
    if (o.kind == "stream" && is_python_warning(o.text)) f.warning = true;
    f.output += o.text;
    f.output.push_back('\n');
  }
  return f;
}

MarkdownFacts markdown_facts(const notebook::Cell& c) {
  MarkdownFacts f;
  f.number = c.number;
  f.lower = util::to_lower(c.source);
  bool in_word = false;
  for (char ch : c.source) {
    const bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
    if (!space && !in_word) ++f.words;
    in_word = !space;
  }
  for (std::string_view line : util::split_lines(c.source)) {
    line = util::trim(line);
    if (util::starts_with(line, "#") || (util::starts_with(line, "**") && util::ends_with(line, "**")) ||
        util::starts_with(line, "<h"))
      f.heading = true;
  }
  return f;
}

}  // namespace

std::vector<int> NotebookFacts::cells_with(const std::vector<std::string_view>& tokens) const {
  std::vector<int> out;
  for (const auto& c : code)
    if (std::any_of(tokens.begin(), tokens.end(), [&](std::string_view t) { return contains(c.body, t); }))
      out.push_back(c.number);
  return out;
}

std::optional<int> NotebookFacts::first_with(const std::vector<std::string_view>& tokens) const {
  for (const auto& c : code)
    if (std::any_of(tokens.begin(), tokens.end(), [&](std::string_view t) { return contains(c.body, t); }))
      return c.number;
  return std::nullopt;
}

const CodeFacts* NotebookFacts::cell(int number) const {
  for (const auto& c : code)
    if (c.number == number) return &c;
  return nullptr;
}

NotebookFacts gather_facts(const notebook::Notebook& nb) {
  NotebookFacts f;
  f.cells = nb.cells.size();
  f.databricks = nb.format == notebook::Format::databricks || nb.format == notebook::Format::dbc;
  f.python = nb.language.empty() || nb.language == "python";
  for (const auto& c : nb.cells) {
    if (c.type == notebook::CellType::markdown) {
      if (!util::trim(c.source).empty()) f.markdown.push_back(markdown_facts(c));
      continue;
    }
    if (c.type != notebook::CellType::code) continue;
    if (util::trim(c.source).empty()) {
      ++f.empty_code_cells;
      continue;
    }
    f.code.push_back(code_facts(c));
    const auto& body = f.code.back().body;
    if (contains(body, "dbutils.")) f.databricks = true;
  }
  return f;
}

}  // namespace judge::scoring
