// SPDX-License-Identifier: MIT
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace judge::util {

/// Removes ANSI escape sequences (CSI "ESC [ ... final byte", OSC "ESC ] ... BEL/ST", and 2-byte ESC forms).
std::string strip_ansi(std::string_view text);

/// Cuts `text` to at most `max_bytes` bytes on a UTF-8 character boundary and appends
/// "\n... [truncated N chars]" (N = bytes removed) when anything was cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

/// The offset of the first byte of `text` that does not begin or continue a well-formed UTF-8 character
/// (RFC 3629, section 4: no overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF), or
/// std::string_view::npos when the whole text is UTF-8. A character cut off by the end of the text is ill
/// formed at its first byte.
std::size_t invalid_utf8_at(std::string_view text);

/// What stops a file of records (labels, scores) being read as text, found before it is parsed, with the
/// 1-based line to name: text that is not UTF-8 (an encoding such as Latin-1, Windows-1252 or UTF-16), "not
/// UTF-8: byte 0xE9 at column 14; save the file as UTF-8 (...iconv -f windows-1252 -t utf-8)" at the line
/// of the first bad byte (invalid_utf8_at; column 1-based within its line; a UTF-16 byte order mark is
/// said so), or a NUL byte (UTF-16 without a byte order mark, or a binary file; at its line), or lines that
/// end in a carriage return alone (classic Mac OS; a CR and no line feed anywhere,
/// so a line reader sees one line), at line 1. nullopt when neither.
struct TextFileProblem {
  int line = 1;
  std::string what;
};
std::optional<TextFileProblem> text_file_problem(std::string_view text);

/// Leading and trailing ASCII white space removed.
std::string_view trim(std::string_view text);

/// Splits on '\n'; a trailing '\r' on each line is removed. "" gives one empty line.
std::vector<std::string_view> split_lines(std::string_view text);

/// ASCII lower case.
std::string to_lower(std::string_view text);

/// Levenshtein distance (insertions, deletions, substitutions, each costing 1) between two byte strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// edit_distance(a, b) when it is at most `max`, else max + 1: the same answer for a near pair, worked out in
/// the band of the table a distance of at most `max` can use (O(length * max), and at once for lengths more
/// than `max` apart).
std::size_t edit_distance_at_most(std::string_view a, std::string_view b, std::size_t max);

/// The candidates nearest `word` by edit_distance, all of those at the least distance, when that distance is
/// at most 3 and at most a quarter of `word`'s length (a typo is a few edits of a long name; a short word is
/// near many names by chance); empty when none is that near. In the candidates' order.
std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& candidates);

/// The distance of a slip of the fingers: edit_distance, with a swap of two adjacent bytes also costing 1
/// (the optimal string alignment distance, Damerau's transposition added to Levenshtein's edits): "scroe" is
/// 1 from "score" (2 by edit_distance), "alling" 2 from "align" (3).
std::size_t typo_distance(std::string_view a, std::string_view b);

/// closest_names measured by typo_distance (the same limits): "scroe" finds "score", which closest_names does
/// not (2 edits, more than a quarter of 5 letters).
std::vector<std::string> closest_typos(std::string_view word, const std::vector<std::string>& candidates);

/// "N noun", with the noun's regular English plural (an added "s") unless N is 1: count_text(1, "episode")
/// is "1 episode", count_text(0, "episode") is "0 episodes".
std::string count_text(std::size_t n, std::string_view noun);

bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);

}  // namespace judge::util
