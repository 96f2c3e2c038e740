// SPDX-License-Identifier: MIT
#include "judge/util/yaml_place.hpp"

#include <gtest/gtest.h>

using namespace judge::util;

// The marks passed in are where yaml-cpp 0.7 stops on each text (0-based line and column); the lines expected
// are the ones a person has to fix, read off the text by hand. tests/memory and tests/rubric check the same
// files end to end, through yaml-cpp.

TEST(YamlPlace, AnErrorOnTheLineOfTheMistakeKeepsItsLine) {
  // A key indented one space less than its siblings: yaml-cpp stops on that line (0-based 5), line 6.
  const std::string text =
      "schema_version: 1\nguidelines:\n  model_training:\n    - text: a\n      source: learnt\n"
      "     cites: []\n";
  std::string note;
  EXPECT_EQ(yaml_error_line(text, 5, 5, note), 6);
  EXPECT_EQ(note, "");
}

TEST(YamlPlace, AnIndentationSlipSaysHowThisLineAndTheOneAboveAreIndented) {
  // A list item indented 3 spaces among items indented 4: yaml-cpp 0.7 stops on it (0-based line 4, column
  // 3) with "end of map not found"; it has 3 + 2 spaces before its key (`- ` counts), line 4 above it 6.
  const std::string items =
      "guidelines:\n  data_imputation:\n    - text: a\n      source: manual\n"
      "   - text: b\n      source: manual\n";
  std::string note;
  EXPECT_EQ(yaml_error_line(items, 4, 3, note, "end of map not found"), 5);
  EXPECT_EQ(note,
            "check that this line is indented like its neighbours: it has 5 spaces before its key (a list "
            "item's `- ` "
            "counts as two), line 4 above it 6");
  // A key indented one space more than its sibling's `text:`: "illegal map value" at its `:` (line 3,
  // column 13); it has 7 spaces, line 3 above it 4 + 2 (its `- `).
  const std::string deeper = "guidelines:\n  data_imputation:\n    - text: a\n       source: manual\n";
  EXPECT_EQ(yaml_error_line(deeper, 3, 13, note, "illegal map value"), 4);
  EXPECT_EQ(note,
            "check that this line is indented like its neighbours: it has 7 spaces before its key (a list "
            "item's `- ` "
            "counts as two), line 3 above it 6");
  // The same with a blank line and a comment between (yaml-cpp then says "end of map not found" at line 5,
  // column 7): the line above is the rule's text, line 3, not the blank line or the comment.
  const std::string spaced =
      "guidelines:\n  data_imputation:\n    - text: a\n\n    # why\n       source: manual\n";
  EXPECT_EQ(yaml_error_line(spaced, 5, 7, note, "end of map not found"), 6);
  EXPECT_EQ(note,
            "check that this line is indented like its neighbours: it has 7 spaces before its key (a list "
            "item's `- ` "
            "counts as two), line 3 above it 6");
  // A tab where spaces should be (yaml-cpp: "illegal map value" on the tab's line).
  EXPECT_EQ(yaml_error_line("a:\n\tb: 1\n", 1, 2, note, "illegal map value"), 2);
  EXPECT_EQ(note, "a tab indents this line; YAML indents with spaces only");
  // A second `: ` in a plain value (column 14, after "text: "): the value wants quotes, not other spaces.
  EXPECT_EQ(yaml_error_line("g:\n  - text: note: this\n", 1, 14, note, "illegal map value"), 2);
  EXPECT_EQ(note, "a `: ` inside a value that is not quoted starts another key: put the value in quotes");
  // Another error, or none named: no note.
  EXPECT_EQ(yaml_error_line(items, 4, 3, note, "unknown escape character"), 5);
  EXPECT_EQ(note, "");
}

TEST(YamlPlace, AQuoteLeftOpenPointsAtItsOpeningLine) {
  // The quote opened on line 4 runs on to the first quote of line 6, where yaml-cpp stops (0-based 5).
  const std::string text =
      "schema_version: 1\nguidelines:\n  model_training:\n    - text: \"when trains_model -> score 1\n"
      "      source: learnt\n    - text: \"b\"\n";
  std::string note;
  EXPECT_EQ(yaml_error_line(text, 5, 13, note), 4);
  EXPECT_EQ(note,
            "a quoted text opened on this line runs on to line 6, where the parser stopped: is its closing "
            "quote missing?");
}

TEST(YamlPlace, AnUnclosedBracketPointsAtItsLineNotPastTheFile) {
  // `[a` on the last line: yaml-cpp stops at the end of the file, 0-based line 4 of a file of 4 lines.
  std::string note;
  EXPECT_EQ(
      yaml_error_line("schema_version: 1\nguidelines:\n  model_training:\n    - text: [a\n", 4, 0, note), 4);
  EXPECT_EQ(note, "the `[` opened on this line is not closed; the parser stopped at the end of the file");
  // `{a: 1` then more lines: yaml-cpp stops on the next line (0-based 4).
  const std::string brace =
      "schema_version: 1\nguidelines:\n  model_training:\n    - text: {a: 1\n      source: learnt\n";
  EXPECT_EQ(yaml_error_line(brace, 4, 12, note), 4);
  EXPECT_EQ(note, "the `{` opened on this line is not closed; the parser stopped on line 5");
}

TEST(YamlPlace, AKeyWithoutItsColonIsTheLineToFix) {
  // "source learnt" continues the text of line 4; yaml-cpp stops at the `:` of "cites" (0-based 5, column
  // 11).
  const std::string text =
      "schema_version: 1\nguidelines:\n  model_training:\n    - text: when trains_model -> score 1\n"
      "      source learnt\n      cites: []\n";
  std::string note;
  EXPECT_EQ(yaml_error_line(text, 5, 11, note), 5);
  EXPECT_EQ(
      note,
      "is a `:` missing after the key on this line? Without one it continues the text of line 4, and the "
      "parser stopped on line 6");
  // A key indented too far ("cites" under "source: learnt"): the line above it has its `:`, so the error
  // keeps its own line.
  const std::string deeper =
      "schema_version: 1\nguidelines:\n  model_training:\n    - text: a\n      source: learnt\n"
      "        cites: x\n";
  EXPECT_EQ(yaml_error_line(deeper, 5, 13, note), 6);
  EXPECT_EQ(note, "");
}

TEST(YamlPlace, AnErrorPastTheEndOfTheFileIsOnItsLastLine) {
  std::string note;
  EXPECT_EQ(yaml_error_line("a: 1\nb: 2\n", 2, 0, note), 2);
  EXPECT_EQ(yaml_error_line("a: 1\nb: 2", 7, 0, note), 2);  // no final line break
  EXPECT_EQ(yaml_error_line("", 0, 0, note), 1);
  EXPECT_EQ(yaml_error_line("a: 1\n", -1, -1, note), 1);  // yaml-cpp's null mark
}

TEST(YamlPlace, QuotesAndBracketsInsidePlainTextCommentsAndBlocksAreText) {
  // "don't", "f(x) [1" and a quote after a word are plain text; `# "` is a comment; the lines of a block
  // scalar (|) are text whatever they hold. Nothing is open, so the error keeps its line.
  const std::string text =
      "a: don't stop [1\n"
      "b: it's \"ok\n"
      "c: 1 # \"comment\n"
      "d: |\n"
      "  \"quoted [\n"
      "  'x\n"
      "e: [1, 2]\n"
      "f: bad: here\n";
  std::string note;
  EXPECT_EQ(yaml_error_line(text, 7, 6, note), 8);
  EXPECT_EQ(note, "");
  EXPECT_EQ(yaml_unclosed_quote_line(text), 0);
}

TEST(YamlPlace, EscapedAndDoubledQuotesDoNotCloseAQuote) {
  EXPECT_EQ(yaml_unclosed_quote_line("a: \"say \\\"x\\\"\"\nb: 'it''s'\n"), 0);
  EXPECT_EQ(yaml_unclosed_quote_line("a: 1\nb: 'it''s\nc: 2\n"), 2);
}

TEST(YamlPlace, AQuoteNeverClosedIsFound) {
  // yaml-cpp accepts this file: the text of line 4 swallows lines 5 and 6.
  EXPECT_EQ(
      yaml_unclosed_quote_line("schema_version: 1\nguidelines:\n  model_training:\n    - text: \"when x\n"
                               "      source: learnt\n  other: 1\n"),
      4);
  EXPECT_EQ(yaml_unclosed_quote_line("a: \"closed\"\nb: [\"x\", 'y']\n"), 0);
}
