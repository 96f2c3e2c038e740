// SPDX-License-Identifier: MIT
// Reader for Jupytext percent scripts (format "percent",
// https://jupytext.readthedocs.io/en/latest/formats-scripts.html). A cell starts at a marker line "# %%" (or
// "# %%%", "# %%%%" sub-cells), optionally followed by a title, a cell type "[markdown]", "[md]" or "[raw]",
// and metadata ("key=value" words or a JSON object):
//   # %% Optional title [markdown] {"tags": ["x"]}
// Markdown and raw cells are comments: "# " (or a lone "#") is removed from each line. "# %%magic" is not a
// marker. Before the first marker may come a YAML header between "# ---" lines: with a "jupyter:" key it is
// notebook metadata (kernelspec language read from it), otherwise a raw cell, as Jupytext reads it. Other
// text before the first marker is one cell: markdown when every line is a comment, else code.
// Jupyter magics in code cells are commented in the format ("# %pip install x", and for Python "# !pip ..."
// and "# ?name"; Jupytext's comment_magics, on by default since 0.8.6) and are uncommented once on reading,
// as Jupytext's uncomment_magic does (jupytext/magics.py): "# %pip" -> "%pip", "# # %pip" -> "# %pip" (a
// magic the author commented out). Jupytext's bare shell words ("# ls", "# cat x") are left as comments.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"
#include "readers.hpp"

namespace judge::notebook {
namespace {

// Length of the "# %%" marker at the start of `line` ("# %%%" sub-cells included), or 0 if it is not one.
std::size_t marker_length(std::string_view line) {
  if (!util::starts_with(line, "# %%")) return 0;
  std::size_t n = 4;
  while (n < line.size() && line[n] == '%') ++n;
  return (n == line.size() || line[n] == ' ' || line[n] == '\t') ? n : 0;
}

bool is_comment(std::string_view line) { return util::starts_with(util::trim(line), "#"); }

// "# text" -> "text"; "#" -> ""; other lines are kept (Jupytext keeps them too).
std::string_view uncomment(std::string_view line) {
  if (util::starts_with(line, "# ")) return line.substr(2);
  if (line == "#") return {};
  return line;
}

// Whether `line` is a Jupyter magic, commented any number of times: "(# |#)*" then "%", "%%" or "%%%" and a
// letter; for Python also "!" or "?", optional spaces, and a letter (Jupytext's _MAGIC_RE and
// _PYTHON_HELP_OR_BASH_CMD).
bool is_magic(std::string_view line, bool python) {
  while (util::starts_with(line, "#")) line.remove_prefix(util::starts_with(line, "# ") ? 2 : 1);
  const auto letter = [&](std::size_t at) {
    return at < line.size() && std::isalpha(static_cast<unsigned char>(line[at])) != 0;
  };
  if (util::starts_with(line, "%")) {
    std::size_t n = 1;
    while (n < 3 && n < line.size() && line[n] == '%') ++n;
    return letter(n);
  }
  if (python && (util::starts_with(line, "!") || util::starts_with(line, "?"))) {
    std::size_t n = 1;
    while (n < line.size() && line[n] == ' ') ++n;
    return letter(n);
  }
  return false;
}

// A code cell's lines with their magics uncommented once (Jupytext's uncomment_magic): a line that is a magic
// outside a triple-quoted string loses one leading "# " or "#", and so does the line after one that ends in a
// backslash (a continued magic, Python only).
void uncomment_magics(std::vector<std::string_view>& lines, bool python) {
  std::string_view open_quote;  // the triple quote a multi-line string is open with, or empty
  bool continued = false;
  for (auto& line : lines) {
    if (open_quote.empty() && (continued || is_magic(line, python))) {
      const std::string_view before = util::trim(line);
      line.remove_prefix(util::starts_with(line, "# ") ? 2 : util::starts_with(line, "#") ? 1 : 0);
      continued = python && !before.empty() && before.back() == '\\';
      continue;
    }
    continued = false;
    for (std::size_t at = 0; at + 3 <= line.size(); ++at) {
      const std::string_view three = line.substr(at, 3);
      if (three != R"(""")" && three != "'''") continue;
      if (open_quote.empty())
        open_quote = three;
      else if (three == open_quote)
        open_quote = {};
      else
        continue;
      at += 2;
    }
  }
}

std::string join(const std::vector<std::string_view>& lines, bool uncommented) {
  std::size_t b = 0, e = lines.size();
  while (b < e && util::trim(lines[b]).empty()) ++b;
  while (e > b && util::trim(lines[e - 1]).empty()) --e;
  std::string out;
  for (std::size_t i = b; i < e; ++i) {
    out.append(uncommented ? uncomment(lines[i]) : lines[i]);
    if (i + 1 < e) out.push_back('\n');
  }
  return out;
}

// Parses the text after "# %%": title, then an optional [type], then metadata (ignored).
void parse_marker(std::string_view options, Cell& cell) {
  options = util::trim(options);
  std::string_view title = options;
  for (const auto& [token, type] : {std::pair<std::string_view, CellType>{"[markdown]", CellType::markdown},
                                    {"[md]", CellType::markdown},
                                    {"[raw]", CellType::raw}}) {
    const std::size_t at = options.find(token);
    if (at != std::string_view::npos) {
      cell.type = type;
      title = options.substr(0, at);
      break;
    }
  }
  if (cell.type == CellType::code) {  // no [type]: the title ends where metadata starts
    std::size_t pos = 0, end = title.size();
    while (pos < title.size()) {
      const std::size_t word_end = std::min(title.find(' ', pos), title.size());
      const std::string_view word = title.substr(pos, word_end - pos);
      if (!word.empty() && (word.front() == '{' || word.find('=') != std::string_view::npos)) {
        end = pos;
        break;
      }
      pos = word_end + 1;
    }
    title = title.substr(0, end);
  }
  cell.title = std::string(util::trim(title));
}

}  // namespace

Sniff detail::sniff_jupytext_percent(std::string_view text) {
  for (auto line : util::split_lines(text))
    if (line == "# %%" || util::starts_with(line, "# %% ")) return Sniff::yes;
  return Sniff::no;
}

Notebook parse_jupytext_percent(const std::string& text, const std::string& name, const ReadOptions&) {
  const std::vector<std::string_view> lines = util::split_lines(text);
  Notebook nb;
  nb.path = name;
  nb.format = Format::jupytext;
  nb.language = "python";
  auto add = [&nb](Cell cell) {
    cell.number = static_cast<int>(nb.cells.size()) + 1;
    nb.cells.push_back(std::move(cell));
  };

  std::size_t i = 0;
  // YAML header: "# ---" ... "# ---" at the very top (blank lines before it allowed).
  while (i < lines.size() && util::trim(lines[i]).empty()) ++i;
  if (i < lines.size() && util::trim(lines[i]) == "# ---") {
    std::size_t close = i + 1;
    while (close < lines.size() && util::trim(lines[close]) != "# ---" && marker_length(lines[close]) == 0)
      ++close;
    if (close < lines.size() && util::trim(lines[close]) == "# ---") {
      const std::vector<std::string_view> header(lines.begin() + static_cast<std::ptrdiff_t>(i),
                                                 lines.begin() + static_cast<std::ptrdiff_t>(close) + 1);
      bool jupyter = false;
      for (const auto line : header) {
        const std::string_view body = util::trim(uncomment(line));
        if (body == "jupyter:") jupyter = true;
        if (util::starts_with(body, "language:")) nb.language = util::to_lower(util::trim(body.substr(9)));
      }
      if (!jupyter) {
        Cell raw;
        raw.type = CellType::raw;
        raw.source = join(header, true);
        add(std::move(raw));
      }
      i = close + 1;
    }
  }

  std::vector<std::string_view> body;
  Cell cell;
  bool in_cell = false;
  auto flush = [&] {
    if (in_cell) {
      if (cell.type == CellType::code) uncomment_magics(body, nb.language == "python");
      cell.source = join(body, cell.type != CellType::code);
      add(std::move(cell));
    } else if (!util::trim(join(body, false)).empty()) {  // text before the first marker
      Cell lead;
      bool all_comments = true;
      for (const auto line : body)
        if (!util::trim(line).empty() && !is_comment(line)) all_comments = false;
      lead.type = all_comments ? CellType::markdown : CellType::code;
      if (lead.type == CellType::code) uncomment_magics(body, nb.language == "python");
      lead.source = join(body, all_comments);
      add(std::move(lead));
    }
    body.clear();
    cell = Cell();
  };
  for (; i < lines.size(); ++i) {
    const std::size_t marker = marker_length(lines[i]);
    if (marker == 0) {
      body.push_back(lines[i]);
      continue;
    }
    flush();
    in_cell = true;
    parse_marker(lines[i].substr(marker), cell);
  }
  if (!in_cell) throw Error(name + ": not a Jupytext percent script (no \"# %%\" cell marker line)");
  flush();
  return nb;
}

}  // namespace judge::notebook
