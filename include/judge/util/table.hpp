// SPDX-License-Identifier: MIT
// Text tables for a terminal: judge's human tables (eval's, report's, validate's) kept within its width.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace judge::util {

/// The columns `text` takes on a terminal, one per UTF-8 character (a byte that does not continue one);
/// wide East Asian characters count one.
std::size_t display_width(std::string_view text);

/// `text` within `width` columns: unchanged when it fits, else its middle replaced by "..." keeping a third
/// of what fits from the start and the rest from the end (a path's file name is at its end), cut on UTF-8
/// character boundaries. `width` below 5 keeps the start only.
std::string elide_middle(std::string_view text, std::size_t width);

/// `text` broken into lines of at most `width` columns at spaces (the spaces at a break dropped), each line
/// but the first starting with `indent` (which counts toward the width); a word that does not fit a line
/// of its own is cut into pieces that do. Every line ends with '\n'; an empty text is one empty line.
std::string wrap_text(std::string_view text, std::size_t width, std::string_view indent = "");

/// How format_table fits a table within a terminal.
struct TableLayout {
  std::size_t width = 120;  ///< the most columns a line takes
  /// What becomes of the first column's cells when the first column and the widest other one do not fit
  /// side by side: `elide` their middles (paths), or `wrap` them at spaces onto lines of their own below
  /// (lists), so that nothing of them is lost.
  enum class Overflow { elide, wrap } first = Overflow::elide;
  std::size_t min_first = 20;  ///< the first column is never made narrower than this (or its header)
  /// A table too wide narrows its first column (down to min_first) before it splits its other columns
  /// into blocks: a row stays on one line (judge eval's notebook paths beside their scores).
  bool shrink_first = false;
  /// glued[i]: column i stays in the block of column i - 1 (an interval beside its value); none when empty.
  std::vector<bool> glued;
};

/// `rows` (the first is the header; a short row is padded with empty cells) as lines of text: the first
/// column left-aligned, the others right-aligned, two spaces apart, no trailing spaces. A table wider than
/// layout.width is laid out in blocks: its other columns, in order, split among as few blocks as fit, each
/// block with the first column and the header again, blocks a blank line apart; a row whose cells in a later
/// block are all empty is left out of that block (a mean row has no value beside the per-dimension columns).
/// When the first column and the widest other column do not fit side by side (or, with
/// TableLayout::shrink_first, when the table does not fit), the first column is narrowed (its cells elided or
/// wrapped, TableLayout::first), and another cell still too wide is elided. `below[i]`, when there is one and
/// it is not empty, is printed under row i (the header is row 0) in the first block, two spaces in and
/// wrapped within the width (continuation lines four in).
std::string format_table(const std::vector<std::vector<std::string>>& rows, const TableLayout& layout = {},
                         const std::vector<std::string>& below = {});

}  // namespace judge::util
