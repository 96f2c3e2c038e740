// SPDX-License-Identifier: MIT
// Text tables within a terminal's width; every expected table is written out by hand.
#include "judge/util/table.hpp"

#include <gtest/gtest.h>

#include "judge/util/text.hpp"

using namespace judge::util;

namespace {

// The widest line of `text`, in display columns.
std::size_t widest(const std::string& text) {
  std::size_t most = 0;
  for (const auto& line : split_lines(text)) most = std::max(most, display_width(line));
  return most;
}

}  // namespace

TEST(Table, DisplayWidthCountsCharactersNotBytes) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("d\xc3\xa9j\xc3\xa0"), 4u);  // déjà: 6 bytes
  EXPECT_EQ(display_width("\xe2\x82\xac"
                          "1"),
            2u);  // €1
}

TEST(Table, ElideMiddleKeepsAThirdOfTheStartAndTheEnd) {
  EXPECT_EQ(elide_middle("short", 10), "short");
  EXPECT_EQ(elide_middle("abcdefghij", 10), "abcdefghij");
  // 12 columns: 9 kept, 3 from the start, 6 from the end.
  EXPECT_EQ(elide_middle("notebooks/databricks/model.py", 12), "not...del.py");
  // Characters, not bytes: é is one column, and is never cut in two.
  EXPECT_EQ(elide_middle("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 7),
            "\xc3\xa9...\xc3\xa9\xc3\xa9\xc3\xa9");
  EXPECT_EQ(elide_middle("abcdefgh", 4), "abcd");
}

TEST(Table, WrapTextBreaksAtSpacesAndCutsWordsLongerThanALine) {
  EXPECT_EQ(wrap_text("", 10), "\n");
  EXPECT_EQ(wrap_text("one two three", 20), "one two three\n");
  EXPECT_EQ(wrap_text("one two three", 7), "one two\nthree\n");
  EXPECT_EQ(wrap_text("one two three", 9, "  "), "one two\n  three\n");
  EXPECT_EQ(wrap_text("abcdefghijkl xy", 5), "abcde\nfghij\nkl xy\n");
  EXPECT_EQ(wrap_text("a, b, c", 4, "  "), "a,\n  b,\n  c\n");
}

TEST(Table, ATableThatFitsIsAlignedAsBefore) {
  EXPECT_EQ(format_table({{"dimension", "n", "MAE"}, {"model_use", "12", "0.250"}, {"eda", "3", ""}}),
            "dimension   n    MAE\n"
            "model_use  12  0.250\n"
            "eda         3\n");
}

// Seven columns of 10 beside a first of 9: 9 + 7 * 12 = 93 columns; at 50 the other columns go three to a
// block (9 + 3 * 12 = 45; a fourth makes 57), each block with the first column and the header again.
TEST(Table, AWideTableIsSplitIntoBlocksRepeatingTheFirstColumn) {
  std::vector<std::vector<std::string>> rows{{"dimension"}, {"a"}};
  for (int i = 1; i <= 7; ++i) {
    rows[0].push_back("column " + std::to_string(i) + "..");
    rows[1].push_back(std::to_string(i));
  }
  TableLayout narrow;
  narrow.width = 50;
  const std::string text = format_table(rows, narrow);
  EXPECT_EQ(text,
            "dimension  column 1..  column 2..  column 3..\n"
            "a                   1           2           3\n"
            "\n"
            "dimension  column 4..  column 5..  column 6..\n"
            "a                   4           5           6\n"
            "\n"
            "dimension  column 7..\n"
            "a                   7\n");
  EXPECT_LE(widest(text), 50u);
}

// A row with no value in a later block (a mean row beside per-dimension columns) is left out of that block;
// a row with some value there stays (by hand: "mean" has cells only in the first block's columns).
TEST(Table, ARowEmptyInALaterBlockIsLeftOutThere) {
  const std::vector<std::vector<std::string>> rows{
      {"dimension", "column 1..", "column 2..", "column 3..", "column 4.."},
      {"a", "1", "2", "3", "4"},
      {"mean", "5", "6"},
      {"b", "", "", "", "7"}};
  TableLayout narrow;
  narrow.width = 40;
  EXPECT_EQ(format_table(rows, narrow),
            "dimension  column 1..  column 2..\n"
            "a                   1           2\n"
            "mean                5           6\n"
            "b\n"
            "\n"
            "dimension  column 3..  column 4..\n"
            "a                   3           4\n"
            "b                               7\n");
}

// Four such columns need two blocks at 50 (a fourth makes 57); they go two and two (33 columns each), not
// three and one.
TEST(Table, BlocksAreAsEvenAsTheyCanBe) {
  std::vector<std::vector<std::string>> rows{{"dimension"}, {"a"}};
  for (int i = 1; i <= 4; ++i) {
    rows[0].push_back("column " + std::to_string(i) + "..");
    rows[1].push_back(std::to_string(i));
  }
  TableLayout narrow;
  narrow.width = 50;
  EXPECT_EQ(format_table(rows, narrow),
            "dimension  column 1..  column 2..\n"
            "a                   1           2\n"
            "\n"
            "dimension  column 3..  column 4..\n"
            "a                   3           4\n");
}

// A column glued to the one before it goes into the same block. Five columns of 10 at 50 go three and two;
// with column 4 glued to column 3 they go two (1, 2) and three (3 with 4, then 5).
TEST(Table, AGluedColumnStaysBesideTheOneBeforeIt) {
  std::vector<std::vector<std::string>> rows{{"dimension"}, {"a"}};
  for (int i = 1; i <= 5; ++i) {
    rows[0].push_back("column " + std::to_string(i) + "..");
    rows[1].push_back(std::to_string(i));
  }
  TableLayout narrow;
  narrow.width = 50;
  EXPECT_EQ(format_table(rows, narrow),
            "dimension  column 1..  column 2..  column 3..\n"
            "a                   1           2           3\n"
            "\n"
            "dimension  column 4..  column 5..\n"
            "a                   4           5\n");
  narrow.glued = {false, false, false, false, true, false};
  EXPECT_EQ(format_table(rows, narrow),
            "dimension  column 1..  column 2..\n"
            "a                   1           2\n"
            "\n"
            "dimension  column 3..  column 4..  column 5..\n"
            "a                   3           4           5\n");
}

// A path too long to sit beside the widest other column: elided in its middle to the room left (30 - 2 - 5 =
// 23 columns: 6 from the start, "...", 14 from the end), the header and a short path as they were.
TEST(Table, ALongFirstColumnIsElidedToTheRoomLeft) {
  TableLayout layout;
  layout.width = 30;
  layout.min_first = 10;
  const std::string text = format_table(
      {{"notebook", "score"}, {"notebooks/databricks/nyc_taxi_feature_store.py", "2"}, {"a.ipynb", "N/A"}},
      layout);
  EXPECT_EQ(text,
            "notebook                 score\n"
            "notebo...ature_store.py      2\n"
            "a.ipynb                    N/A\n");
  EXPECT_LE(widest(text), 30u);
}

// With shrink_first, a table too wide narrows its first column before it splits: a row stays on one line.
// 46 + 2 + 2 + 2 + 3 = 55 columns at 40: the path is elided to 40 - 9 = 31 columns (9 from the start, "...",
// 19 from the end).
TEST(Table, ShrinkFirstKeepsARowOnOneLine) {
  TableLayout layout;
  layout.width = 40;
  layout.min_first = 10;
  layout.shrink_first = true;
  const std::vector<std::vector<std::string>> rows{
      {"notebook", "li", "eda"}, {"notebooks/databricks/nyc_taxi_feature_store.py", "2", "N/A"}};
  EXPECT_EQ(format_table(rows, layout),
            "notebook                         li  eda\n"
            "notebooks...xi_feature_store.py   2  N/A\n");
  // At 20: 11 columns (2, "...", 6).
  layout.width = 20;
  EXPECT_EQ(format_table(rows, layout),
            "notebook     li  eda\n"
            "no...ore.py   2  N/A\n");
  // Never below min_first: at 16 the path keeps 10 columns (2, "...", 5), and the scores go in blocks.
  layout.width = 16;
  EXPECT_EQ(format_table(rows, layout),
            "notebook    li\n"
            "no...re.py   2\n"
            "\n"
            "notebook    eda\n"
            "no...re.py  N/A\n");
}

// A list in the first column wraps at its spaces instead, every name kept; the row's other cells stay on its
// first line.
TEST(Table, AListInTheFirstColumnWrapsKeepingEveryName) {
  TableLayout layout;
  layout.width = 24;
  layout.min_first = 10;
  layout.first = TableLayout::Overflow::wrap;
  const std::string text =
      format_table({{"notebooks", "alike"}, {"a/one.ipynb, b/two.ipynb, c/three.ipynb", "95%"}}, layout);
  EXPECT_EQ(text,
            "notebooks          alike\n"
            "a/one.ipynb,         95%\n"
            "  b/two.ipynb,\n"
            "  c/three.ipynb\n");
}

TEST(Table, TheTextBelowARowIsIndentedAndWrapped) {
  TableLayout layout;
  layout.width = 20;
  EXPECT_EQ(format_table({{"dimension", "folds"}, {"model_use", "4 of 4"}}, layout,
                         {"rule", "when trains_model -> score at most 1"}),
            "dimension   folds\n"
            "  rule\n"
            "model_use  4 of 4\n"
            "  when trains_model\n"
            "    -> score at most\n"
            "    1\n");
}
