// SPDX-License-Identifier: MIT
// Private to the scoring module: one scanner of Python code that knows where strings, comments and brackets
// are, and what is built on it (logical lines, an assignment's target), shared by the facts gathered per cell
// (heuristic_facts.cpp) and the rules' vocabulary (rule_vocabulary.hpp).
#pragma once
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace judge::scoring::detail {

/// Walks Python code `text` once, left to right, and calls `visit(i, depth)` for each byte `text[i]` outside
/// string literals and comments, with the bracket depth after it (`(`, `[`, `{` open one; `)`, `]`, `}` close
/// one; never below 0). Stops early, and returns that `i`, when `visit` returns true; returns text.size()
/// when it never does.
///
/// A string runs from a quote (`'` or `"`) to the next same quote, a backslash escaping the byte after it,
/// and may go on over newlines (an unclosed quote hides the rest of the text); a triple-quoted string (`'''`
/// or three `"`) runs to the next same triple quote, so a docstring may hold single quotes ("the frame's
/// shape"). An f-string's replacement fields are code (`f"missing: {df.isnull().sum()}"` visits
/// `df.isnull().sum()`, at the string's bracket depth plus the field's own): a field runs from a `{` (not
/// `{{`) to its `}`, strings inside it are strings, and its format spec (from a `:` or a `!` conversion at
/// the field's top level to the `}`) is not code. A comment runs from `#` to the end of its line; its newline
/// is visited. The quotes and the comment are not visited; each comment is handed to `comment(begin, end)`
/// ([begin, end): from its `#` to its newline or the text's end). Linear in text.size().
template <typename Visit, typename Comment = void (*)(std::size_t, std::size_t)>
std::size_t scan_code(
    std::string_view text, Visit visit, Comment comment = [](std::size_t, std::size_t) {}) {
  int depth = 0;
  char quote = 0;
  bool triple = false;
  bool fstring = false;  // the string is an f-string
  int field = -1;        // in one of its replacement fields: the field's bracket depth; -1 outside any
  char inner = 0;        // the quote of a string inside the field, 0 outside one
  bool spec = false;     // in the field's format spec
  const auto triple_at = [&](std::size_t i, char q) {
    return i + 2 < text.size() && text[i] == q && text[i + 1] == q && text[i + 2] == q;
  };
  // Whether the quote at `i` opens an f-string: a prefix of letters among f, r, b, u before it holding an f
  // (`f"`, `rf'`, `Fr"`), not the end of a longer name.
  const auto f_prefix = [&](std::size_t i) {
    std::size_t b = i;
    bool f = false;
    while (b > 0 && i - b < 2 && std::string_view("fFrRbBuU").find(text[b - 1]) != std::string_view::npos) {
      f = f || text[b - 1] == 'f' || text[b - 1] == 'F';
      --b;
    }
    const bool starts =
        b == 0 || !(std::isalnum(static_cast<unsigned char>(text[b - 1])) || text[b - 1] == '_');
    return f && starts;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quote && field >= 0) {
      if (inner) {
        if (ch == '\\')
          ++i;
        else if (ch == inner)
          inner = 0;
        continue;
      }
      if (spec) {
        if (ch == '}') field = -1, spec = false;
        continue;
      }
      if (ch == quote && (!triple || triple_at(i, quote))) {  // the string's own end cuts the field off
        if (triple) i += 2;
        quote = 0;
        field = -1;
        continue;
      }
      if (ch == '"' ||
          ch == '\'') {  // a string inside the field (a single quote of a triple-quoted f-string too)
        inner = ch;
        continue;
      }
      if (field == 0 &&
          (ch == '}' || ch == ':' || (ch == '!' && (i + 1 >= text.size() || text[i + 1] != '=')))) {
        if (ch == '}')
          field = -1;
        else
          spec = true;
        continue;
      }
      if (ch == '(' || ch == '[' || ch == '{')
        ++field;
      else if ((ch == ')' || ch == ']' || ch == '}') && field > 0)
        --field;
      if (visit(i, depth + field)) return i;
      continue;
    }
    if (quote) {
      if (ch == '\\') {
        ++i;
      } else if (fstring && ch == '{') {
        if (i + 1 < text.size() && text[i + 1] == '{')
          ++i;  // `{{` is a brace of the text
        else
          field = 0;
      } else if (ch == quote && (!triple || triple_at(i, quote))) {
        if (triple) i += 2;
        quote = 0;
      }
      continue;
    }
    if (ch == '#') {
      const std::size_t end = std::min(text.find('\n', i), text.size());
      comment(i, end);
      i = end - 1;
      continue;
    }
    if (ch == '"' || ch == '\'') {
      quote = ch;
      fstring = f_prefix(i);
      triple = triple_at(i, ch);
      if (triple) i += 2;
      continue;
    }
    if (ch == '(' || ch == '[' || ch == '{')
      ++depth;
    else if (ch == ')' || ch == ']' || ch == '}')
      depth = std::max(depth - 1, 0);
    if (visit(i, depth)) return i;
  }
  return text.size();
}

/// Which bytes of Python code `text` are code, outside string literals and comments (scan_code): one flag a
/// byte, so that a token found in the text can be told from the same words in a string or a comment
/// (`print("train_test_split next")`, `# before train_test_split`) by where it starts. Linear in text.size().
inline std::vector<bool> code_bytes(std::string_view text) {
  std::vector<bool> code(text.size(), false);
  scan_code(text, [&](std::size_t i, int) {
    code[i] = true;
    return false;
  });
  return code;
}

/// Which offsets of `body` are code (code_bytes), worked out at the first question, so that a token search
/// finding nothing costs no scan: `CodeMask code(body); ... if (code.at(i)) ...`. `body` must outlive it.
class CodeMask {
 public:
  explicit CodeMask(std::string_view body) : m_body(body) {}
  bool at(std::size_t i) {
    if (m_code.empty()) m_code = code_bytes(m_body);
    return m_code[i];
  }

 private:
  std::string_view m_body;
  std::vector<bool> m_code;
};

/// `text` with its comments blanked: every byte of a comment (as scan_code reads one: from a `#` outside
/// string literals to the end of its line) made a space, so that offsets and lines stay those of `text`;
/// string literals are kept (`spark.sql("... IS NULL")`, `df["age"]`). Linear in text.size().
inline std::string blank_comments(std::string_view text) {
  std::string out(text);
  scan_code(
      text, [](std::size_t, int) { return false; },
      [&](std::size_t begin, std::size_t end) {
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(begin),
                  out.begin() + static_cast<std::ptrdiff_t>(end), ' ');
      });
  return out;
}

/// `text` with its string literals and comments blanked (code_bytes): every byte that is no code made a
/// space, newlines kept, so that offsets and lines stay those of `text`. Linear in text.size().
inline std::string code_text(std::string_view text) {
  const std::vector<bool> code = code_bytes(text);
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!code[i] && out[i] != '\n') out[i] = ' ';
  return out;
}

/// The logical lines of `body`: physical lines joined while a bracket is open or a line ends with a
/// backslash (brackets in strings and comments left out, scan_code). Returns where each ends (its newline, or
/// body.size() for the last), in order: line k is [k ? ends[k - 1] + 1 : 0, ends[k]). One pass, so that a
/// long cell's many tokens each find their line by a binary search (logical_line_number).
inline std::vector<std::size_t> logical_line_ends(std::string_view body) {
  std::vector<std::size_t> ends;
  scan_code(body, [&](std::size_t i, int depth) {
    if (body[i] == '\n' && depth == 0 && (i == 0 || body[i - 1] != '\\')) ends.push_back(i);
    return false;
  });
  ends.push_back(body.size());
  return ends;
}

/// The number of the logical line that holds byte `at` (an index into `ends`, which logical_line_ends gave
/// for its body): a binary search.
inline std::size_t logical_line_number(const std::vector<std::size_t>& ends, std::size_t at) {
  return static_cast<std::size_t>(std::upper_bound(ends.begin(), ends.end() - 1, at) - ends.begin());
}

/// Logical line `k` of the body `ends` was given for, as [begin, end).
inline std::pair<std::size_t, std::size_t> logical_line_range(const std::vector<std::size_t>& ends,
                                                              std::size_t k) {
  return {k == 0 ? 0 : ends[k - 1] + 1, ends[k]};
}

/// The assignment target of `line` (a logical line, or a physical one): the text before its first `=` outside
/// brackets, strings and comments that is no comparison (`df["x"] = ...` -> `df["x"] `, `a += 1` -> `a +`);
/// empty when the line assigns nothing (`a == b`, `f(x=1)`, `g()  # x = 1`). Reads up to that `=`.
inline std::string_view assignment_target(std::string_view line) {
  std::string_view target;
  scan_code(line, [&](std::size_t i, int depth) {
    if (line[i] != '=' || depth != 0) return false;
    const char before = i > 0 ? line[i - 1] : ' ';
    const bool comparison = (i + 1 < line.size() && line[i + 1] == '=') || before == '=' || before == '!' ||
                            before == '<' || before == '>';
    if (!comparison) target = line.substr(0, i);
    return true;
  });
  return target;
}

}  // namespace judge::scoring::detail
