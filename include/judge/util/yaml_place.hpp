// SPDX-License-Identifier: MIT
// Where a YAML syntax error is, for a person: the line to fix, not the line the parser gave up on.
#pragma once
#include <string>
#include <string_view>

namespace judge::util {

/// The line a person should fix for a YAML syntax error that the parser (yaml-cpp) reports at 0-based `line`
/// and `column` of `text`, and a note for the message ("" when none).
///
/// Why: yaml-cpp reports an error where it gives up, which is past the mistake when a quote or a flow
/// collection is left open. A quoted text whose closing quote is missing runs on to the next quote in the
/// file, lines later ("end of map not found" on the line of that quote); an unclosed `[` or `{` is reported
/// at the token after it, or at the end of the file, a line past the last one. So, scanning `text` up to the
/// error as YAML reads it (comments, quotes with their escapes, flow brackets, block scalars):
///  - a quoted text that opened on an earlier line and closed on the error's line: its opening line, with
///    the note "a quoted text opened on line N runs to line M: is its closing quote missing?";
///  - a `[` or `{` still open at the error and opened on an earlier line: its line, with the note "the `[`
///    opened on line N is not closed";
///  - otherwise the error's line + 1, or the last line of the file when the error is past it (at the end of
///    the file). When yaml-cpp's `message` is one an indentation slip gives ("end of map not found", "end of
///    sequence not found", "illegal map value", ...), the note is "check that this line is indented like its
///    neighbours: it has N spaces, line L above it M" (L: the nearest line above that is neither blank nor a
///    comment), or "a tab indents this line; YAML indents with spaces only", or, for an "illegal map value"
///    after a `: ` earlier on the line (`text: note: this`), a note to quote the value.
/// Always a line of `text` (1 for an empty one).
int yaml_error_line(std::string_view text, int line, int column, std::string& note,
                    std::string_view message = {});

/// The 1-based line of a quote opened in `text` and never closed, or 0 when every quote is closed. yaml-cpp
/// accepts such a file: the quoted text runs to the end of the file and swallows every later line (keys
/// included), so loaders report it as an error of their own.
int yaml_unclosed_quote_line(std::string_view text);

}  // namespace judge::util
