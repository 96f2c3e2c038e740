// SPDX-License-Identifier: MIT
#include "judge/util/yaml_place.hpp"

#include <algorithm>
#include <vector>

namespace judge::util {

namespace {

// What a scan of YAML text up to some point found still open, and the last quoted text it closed.
struct Scan {
  int open_quote = -1;                      // 0-based line of a quote still open at the end, -1 when none
  int quote_opened = -1;                    // the last quoted text closed: its opening line ...
  int quote_closed = -1;                    // ... and its closing line (0-based; -1 when none)
  std::vector<std::pair<char, int>> flows;  // `[` and `{` still open, innermost last, with their lines
};

bool blank(char c) { return c == ' ' || c == '\t'; }

// Whether a token may start at t[i]: at a line's start (after its indentation), after `[`, `{` or `,`, or
// after the indicator `:`, `-` or `?` and a blank (in a flow collection `:` needs no blank: {a:"x"}). A quote
// or a bracket anywhere else is part of a plain text ("don't", "f(x) [1]").
bool token_start(std::string_view t, std::size_t i, bool in_flow) {
  std::size_t j = i;
  while (j > 0 && blank(t[j - 1])) --j;
  if (j == 0 || t[j - 1] == '\n' || t[j - 1] == '\r') return true;
  const char before = t[j - 1];
  if (before == '[' || before == '{' || before == ',') return true;
  const bool spaced = j < i;
  if (before == ':') return spaced || in_flow;
  return (before == '-' || before == '?') && spaced;
}

std::size_t indentation(std::string_view t, std::size_t line_start) {
  std::size_t k = line_start;
  while (k < t.size() && t[k] == ' ') ++k;
  return k - line_start;
}

// Reads t[0, end) as YAML's scanner does as far as quotes, flow brackets, comments and block scalars go.
Scan scan(std::string_view t, std::size_t end) {
  Scan s;
  int line = 0;
  std::size_t line_start = 0;
  char quote = 0;
  int quote_line = 0;
  std::size_t i = 0;
  auto newline = [&](std::size_t at) {
    ++line;
    line_start = at + 1;
  };
  while (i < end) {
    const char c = t[i];
    if (quote) {
      if (quote == '"' && c == '\\' && i + 1 < end) {  // an escape: the next character is text
        if (t[i + 1] == '\n') newline(i + 1);
        i += 2;
        continue;
      }
      if (c == '\n') newline(i);
      if (c == quote) {
        if (quote == '\'' && i + 1 < end && t[i + 1] == '\'') {  // '' is a quote inside single quotes
          i += 2;
          continue;
        }
        quote = 0;
        s.quote_opened = quote_line;
        s.quote_closed = line;
      }
      ++i;
      continue;
    }
    if (c == '\n') {
      newline(i++);
      continue;
    }
    if (c == '#' && (i == 0 || blank(t[i - 1]) || t[i - 1] == '\n')) {  // a comment, to the end of the line
      while (i < end && t[i] != '\n') ++i;
      continue;
    }
    const bool in_flow = !s.flows.empty();
    if ((c == '"' || c == '\'') && token_start(t, i, in_flow)) {
      quote = c;
      quote_line = line;
    } else if ((c == '[' || c == '{') && token_start(t, i, in_flow)) {
      s.flows.emplace_back(c, line);
    } else if ((c == ']' || c == '}') && in_flow) {
      s.flows.pop_back();
    } else if ((c == '|' || c == '>') && !in_flow && token_start(t, i, false)) {
      // A block scalar: the lines after it that are blank or more indented than its own line are its text,
      // quotes and brackets included.
      const std::size_t own = indentation(t, line_start);
      while (i < end && t[i] != '\n') ++i;
      while (i < end) {
        const std::size_t next = i + 1;
        const std::size_t k = next + indentation(t, next);
        const bool empty = k >= t.size() || t[k] == '\n' || t[k] == '\r';
        if (!empty && k - next <= own) break;
        newline(i);
        i = std::min(t.find('\n', next), t.size());
      }
      continue;
    }
    ++i;
  }
  if (quote) s.open_quote = quote_line;
  return s;
}

// The 0-based line `n` of `text`, without its line break ("" past the end).
std::string_view line_text(std::string_view text, int n) {
  std::size_t start = 0;
  for (int l = 0; l < n; ++l) {
    const auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  const auto nl = text.find('\n', start);
  std::string_view s = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

}  // namespace

int yaml_error_line(std::string_view text, int line, int column, std::string& note,
                    std::string_view message) {
  note.clear();
  // Lines of the file, 1-based: the last is the one after the last line break when text follows it.
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
                    (!text.empty() && text.back() != '\n' ? 1 : 0);
  if (line < 0) return 1;  // no place given
  std::size_t start = 0;
  for (int l = 0; l < line && start <= text.size(); ++l) {
    const auto nl = text.find('\n', start);
    start = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
  }
  const bool past_end = start > text.size() || line >= lines;
  std::size_t end = text.size();
  if (!past_end) {
    const auto nl = text.find('\n', start);
    const std::size_t line_end = nl == std::string_view::npos ? text.size() : nl;
    end = std::min(start + static_cast<std::size_t>(std::max(column, 0)), line_end);
  }
  std::string stopped = past_end ? "at the end of the file" : "on line ";
  if (!past_end) stopped += std::to_string(line + 1);
  const Scan s = scan(text, end);
  if (s.open_quote >= 0 && s.open_quote < line) {
    note = "a quoted text opened on this line is not closed; the parser stopped ";
    note += stopped;
    return s.open_quote + 1;
  }
  if (s.quote_closed == line && s.quote_opened >= 0 && s.quote_opened < line) {
    note = "a quoted text opened on this line runs on to line ";
    note += std::to_string(line + 1);
    note += ", where the parser stopped: is its closing quote missing?";
    return s.quote_opened + 1;
  }
  if (!s.flows.empty() && s.flows.back().second < line) {
    note = "the `";
    note += s.flows.back().first;
    note += "` opened on this line is not closed; the parser stopped ";
    note += stopped;
    return s.flows.back().second + 1;
  }
  if (!past_end && end < text.size() && text[end] == ':') {
    // A key whose `:` is missing ("source learnt") reads as more of the plain text on the lines above it, and
    // yaml-cpp stops at the `:` of the next key ("illegal map value"): the first such line is the mistake.
    int first = -1, l = line - 1;
    for (; l >= 0; --l) {
      const std::string_view s = line_text(text, l);
      const auto k = s.find_first_not_of(" \t");
      if (k == std::string_view::npos || s[k] == '#') continue;  // blank lines and comments hold nothing
      if (s.find(": ") != std::string_view::npos || s.back() == ':' || s.substr(k).starts_with("- ")) break;
      first = l;
    }
    if (first >= 0 && l >= 0) {
      note = "is a `:` missing after the key on this line? Without one it continues the text of line ";
      note += std::to_string(l + 1);
      note += ", and the parser stopped on line ";
      note += std::to_string(line + 1);
      return first + 1;
    }
  }
  if (!past_end && (message == "end of map not found" || message == "end of sequence not found" ||
                    message == "illegal map value" || message == "illegal block entry" ||
                    message == "illegal tab when looking for indentation")) {
    // yaml-cpp stops on the line whose indentation ends a map or a list it did not expect to end (or
    // starts one where a value was): the slip is this line's indentation, or the one of the line above.
    const std::string_view here = line_text(text, line);
    // Spaces before a line's key, a list item's `- ` counted as two: "    - text:" and "      source:" align.
    const auto spaces = [](std::string_view s) {
      std::size_t at = s.find_first_not_of(' ');
      while (at != std::string_view::npos && s.substr(at).starts_with("- "))
        at = s.find_first_not_of(' ', at + 2);
      return at;
    };
    int above = line - 1;
    for (; above >= 0; --above) {
      const std::string_view s = line_text(text, above);
      const auto k = s.find_first_not_of(" \t");
      if (k != std::string_view::npos && s[k] != '#') break;
    }
    if (here.find('\t') < here.find_first_not_of(" \t")) {
      note = "a tab indents this line; YAML indents with spaces only";
    } else if (message == "illegal map value" &&
               here.substr(0, static_cast<std::size_t>(std::max(column, 0))).find(": ") !=
                   std::string_view::npos) {
      // "text: note: this": the second `: ` would start a map inside the value, not an indentation slip.
      note = "a `: ` inside a value that is not quoted starts another key: put the value in quotes";
    } else if (above >= 0) {
      note = "check that this line is indented like its neighbours: it has ";
      note += std::to_string(std::min(spaces(here), here.size()));
      note += " spaces before its key (a list item's `- ` counts as two), line ";
      note += std::to_string(above + 1);
      note += " above it ";
      const std::string_view a = line_text(text, above);
      note += std::to_string(std::min(spaces(a), a.size()));
    }
  }
  return past_end ? std::max(lines, 1) : line + 1;
}

int yaml_unclosed_quote_line(std::string_view text) {
  const Scan s = scan(text, text.size());
  return s.open_quote >= 0 ? s.open_quote + 1 : 0;
}

}  // namespace judge::util
