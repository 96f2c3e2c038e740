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
// Jupyter magics in code cells are commented in the format ("# %pip install x", and for Python "# !pip ...",
// "# ?name" and "# files = !ls"; Jupytext's comment_magics, on by default since 0.8.6) and are uncommented
// once on reading, as Jupytext's uncomment_magic does (jupytext/magics.py): "# %pip" -> "%pip", "# # %pip"
// -> "# %pip" (a magic the author commented out), "    # !pip" -> "    !pip" (in a block). Jupytext's bare
// shell words ("# ls", "# cat x") are left as comments. A shebang on the first line is no cell's.
#include <cctype>
#include <deque>
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

// The indent of `line`: its leading spaces and tabs.
std::size_t indent_of(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

// `line` without its leading comment marks, "(# |#)*".
std::string_view strip_comments(std::string_view line) {
  while (util::starts_with(line, "#")) line.remove_prefix(util::starts_with(line, "# ") ? 2 : 1);
  return line;
}

// Whether `line` is a Jupyter magic, indented or not and commented any number of times, as Jupytext's
// patterns read it (jupytext/magics.py): "(# |#)*" then "%", "%%" or "%%%" and a letter (_MAGIC_RE); for
// Python also "!" or "?" with optional spaces around it and a letter or one of `.~$\/{}` ("#
// !{sys.executable} -m pip ...", "# !./run.sh": _PYTHON_HELP_OR_BASH_CMD), or a name assigned one ("# files =
// !ls", _PYTHON_MAGIC_ASSIGN, not indented).
bool is_magic(std::string_view line, bool python) {
  const auto letter = [](std::string_view text, std::size_t at) {
    return at < text.size() && std::isalpha(static_cast<unsigned char>(text[at])) != 0;
  };
  const auto percent = [&](std::string_view text) {
    std::size_t n = 0;
    while (n < 3 && n < text.size() && text[n] == '%') ++n;
    return n > 0 && letter(text, n);
  };
  const std::string_view rest = strip_comments(line.substr(indent_of(line)));
  if (percent(rest)) return true;
  if (!python) return false;
  const std::string_view bang = rest.substr(indent_of(rest));
  if (util::starts_with(bang, "!") || util::starts_with(bang, "?")) {
    std::size_t n = 1;
    while (n < bang.size() && (bang[n] == ' ' || bang[n] == '\t')) ++n;
    return letter(bang, n) ||
           (n < bang.size() && std::string_view(".~$\\/{}").find(bang[n]) != std::string_view::npos);
  }
  // name = %magic / name = !command
  std::string_view assign = strip_comments(line);
  assign.remove_prefix(indent_of(assign));
  std::size_t n = 0;
  while (n < assign.size() &&
         (std::isalnum(static_cast<unsigned char>(assign[n])) || assign[n] == '_' || assign[n] == '$'))
    ++n;
  if (n == 0 || std::isdigit(static_cast<unsigned char>(assign[0]))) return false;
  assign.remove_prefix(n);
  assign.remove_prefix(indent_of(assign));
  if (!util::starts_with(assign, "=")) return false;
  assign.remove_prefix(1);
  assign.remove_prefix(indent_of(assign));
  return percent(assign) || (util::starts_with(assign, "!") && letter(assign, 1));
}

// Whether a triple-quoted Python string is open, line after line, as Jupytext's StringParser reads it: a
// commented line, and what follows a `#` outside strings, is passed over; a one-quote string ends with its
// line.
class TripleQuotes {
 public:
  bool open() const { return m_quote != 0; }
  void read(std::string_view line) {
    if (!open() && util::starts_with(util::trim(line), "#")) return;
    char single = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char ch = line[i];
      if (!open() && single == 0 && ch == '#') return;
      if ((ch != '"' && ch != '\'') || (i > 0 && line[i - 1] == '\\')) continue;
      if (single != 0) {
        if (ch == single) single = 0;
        continue;
      }
      if (i + 2 < line.size() && line[i + 1] == ch && line[i + 2] == ch) {
        if (!open())
          m_quote = ch;
        else if (ch == m_quote)
          m_quote = 0;
        i += 2;
        continue;
      }
      if (!open()) single = ch;
    }
  }

 private:
  char m_quote = 0;  ///< the quote a triple-quoted string is open with, or 0
};

// A code cell's source (join) with its magics uncommented once, as Jupytext's uncomment_magic does: a line
// that is a magic (is_magic) outside a triple-quoted string loses one "# " or "#" after its indent, and so
// does the line after one that ends in a backslash (a continued magic, Python only).
std::string code_source(std::vector<std::string_view> lines, bool python) {
  std::deque<std::string> edited;  // indented lines uncommented: the views below point into these
  TripleQuotes quotes;
  bool continued = false;
  for (auto& line : lines) {
    const std::string_view read = line;
    if (!quotes.open() && (continued || is_magic(line, python))) {
      const std::size_t indent = indent_of(line);
      std::string_view rest = line.substr(indent);
      rest.remove_prefix(util::starts_with(rest, "# ") ? 2 : util::starts_with(rest, "#") ? 1 : 0);
      if (indent == 0) {
        line = rest;
      } else {
        std::string& out = edited.emplace_back(line.substr(0, indent));
        out.append(rest);
        line = out;
      }
      const std::string_view trimmed = util::trim(read);
      continued = python && !trimmed.empty() && trimmed.back() == '\\';
    } else {
      continued = false;
    }
    if (python) quotes.read(read);
  }
  return join(lines, false);
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

  // A shebang on the first line is the script's, no cell's (Jupytext keeps it as metadata).
  std::size_t i = !lines.empty() && util::starts_with(lines[0], "#!") ? 1 : 0;
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
      cell.source =
          cell.type == CellType::code ? code_source(body, nb.language == "python") : join(body, true);
      add(std::move(cell));
    } else if (!util::trim(join(body, false)).empty()) {  // text before the first marker
      Cell lead;
      bool all_comments = true;
      for (const auto line : body)
        if (!util::trim(line).empty() && !is_comment(line)) all_comments = false;
      lead.type = all_comments ? CellType::markdown : CellType::code;
      lead.source = all_comments ? join(body, true) : code_source(body, nb.language == "python");
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
