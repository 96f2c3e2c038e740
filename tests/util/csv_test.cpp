// SPDX-License-Identifier: MIT
#include "judge/util/csv.hpp"

#include <gtest/gtest.h>

#include "judge/util/error.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/problems.hpp"

using namespace judge::util;

TEST(Csv, Rfc4180EdgeCases) {
  // BOM, CRLF, a blank line, an empty last field, a quoted field with a comma, quotes and a line break.
  const auto r = parse_csv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n\r\n1,\"x, \"\"y\"\"\r\nz\",\n",
      "t.csv");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r[1].line, 3);
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"1", "x, \"y\"\r\nz", ""}));
  EXPECT_EQ(parse_csv("a,b", "t.csv").size(), 1u);  // no final line break
  // Spaces after a closing quote, before the separator or the line's end, are passed over.
  EXPECT_EQ(parse_csv("\"a\" ,\"b\"\t\n", "t.csv")[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_THROW(parse_csv("\"a\" x,b\n", "t.csv"), judge::Error);
  EXPECT_EQ(csv_quote("plain"), "plain");
  EXPECT_EQ(csv_quote("a,\"b\""), "\"a,\"\"b\"\"\"");
}

// A quote inside an unquoted field is text, as Python's csv module, pandas and spreadsheets read it:
// hand-written feedback quotes words (`uses "fit" on the test rows`), which is no missing closing quote. A
// quoted field may follow spaces after the separator (hand-written `"a", "b"`), as it may precede them.
TEST(Csv, AQuoteInsideAnUnquotedFieldIsText) {
  EXPECT_EQ(parse_csv("a.ipynb,2,uses \"fit\" on the test rows\n", "t.csv")[0].fields,
            (std::vector<std::string>{"a.ipynb", "2", "uses \"fit\" on the test rows"}));
  const auto r = parse_csv("a,a 5\" screen\nb,\"c\"\n", "t.csv");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "a 5\" screen"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(parse_csv("\"a\", \"b, c\"\t,d\n", "t.csv")[0].fields,
            (std::vector<std::string>{"a", "b, c", "d"}));
  // A missing closing quote is still found where its field opens.
  try {
    parse_csv("a,\"no closing quote\nb,\"c\"\n", "t.csv");
    FAIL();
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:1: text follows the closing quote"), std::string::npos)
        << e.what();
  }
}

TEST(Tabular, HeaderFindsColumnsByNameIgnoringCaseAndSpace) {
  const CsvHeader h(CsvRecord{{" Notebook", "DIMENSION ", "score"}, 1});
  EXPECT_EQ(h.find({"item", "notebook"}), 0u);
  EXPECT_EQ(h.find({"dimension"}), 1u);
  EXPECT_FALSE(h.find({"rater"}));
  const CsvRecord short_row{{"a"}, 2};
  EXPECT_EQ(field(short_row, 0), "a");
  EXPECT_EQ(field(short_row, 2), "");
  EXPECT_EQ(field(short_row, std::nullopt), "");
}

TEST(Tabular, JsonTextAndProblems) {
  const auto j = nlohmann::json::parse(R"({"s": "x", "n": 3, "z": null})");
  EXPECT_EQ(json_text(j, "s"), "x");
  EXPECT_EQ(json_text(j, "n"), "3");
  EXPECT_FALSE(json_text(j, "z"));
  EXPECT_FALSE(json_text(j, "missing"));
  Problems none("f.csv");
  EXPECT_NO_THROW(none.throw_if_any("labels"));
  Problems p("f.jsonl");
  int objects = 0;
  for_each_json_object("{\"a\": 1}\n\n[1]\n{bad\n", p, [&](const nlohmann::json&, int line) {
    EXPECT_EQ(line, 1);
    ++objects;
  });
  EXPECT_EQ(objects, 1);
  try {
    p.throw_if_any("labels");
    FAIL();
  } catch (const judge::Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(
        m.rfind(
            "2 problems in labels f.jsonl:\n  f.jsonl:3: expected a JSON object\n  f.jsonl:4: not valid JSON",
            0),
        0u)
        << m;
  }
}

// Problems found by two passes over a file (say, a parse pass finds line 9, a check pass lines 7 and 12) are
// listed in line order, each right after those of its line or an earlier one; a problem placed without a line
// (here the file's own) stays after those added before it.
TEST(Tabular, ProblemsAreListedInLineOrder) {
  Problems p("s.csv");
  p.add(9, "score \"two\" is not a number");
  p.add("s.csv", "no row scores dimension x");
  p.add(12, "off the scale");
  p.add(7, "score 2.5 is not a point of the scale");
  p.add(9, "second problem of line 9");
  EXPECT_EQ(p.list(), (std::vector<std::string>{
                          "s.csv:7: score 2.5 is not a point of the scale",
                          "s.csv:9: score \"two\" is not a number", "s.csv:9: second problem of line 9",
                          "s.csv:12: off the scale", "s.csv: no row scores dimension x"}));
}
