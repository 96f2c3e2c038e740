// SPDX-License-Identifier: MIT
#include "judge/measure/scores.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../support.hpp"
#include "judge/util/error.hpp"

using namespace judge::measure;
namespace fs = std::filesystem;

namespace {
fs::path write_temp(const std::string& name, const std::string& text) {
  static const judge::test::TempDir dir("judge_scores_test");  // removed when the test program ends
  return dir.write(name, text);
}
}  // namespace

TEST(Scores, EvalCsvOutputWithStatus) {
  // The shape `judge eval --format csv` writes: N/A is "NA", unscored has an empty score and its error.
  const auto set = read_scores(write_temp("eval.csv",
                                          "notebook,dimension,status,score,rationale,judge\n"
                                          "a.ipynb,model_use,scored,3,\"uses it, well\",heuristic\n"
                                          "a.ipynb,mlflow_logging,not_applicable,NA,no tracking,heuristic\n"
                                          "a.ipynb,model_training,unscored,,timeout,heuristic\n"
                                          "b.ipynb,model_use,unreadable,,not valid JSON,heuristic\n"));
  ASSERT_EQ(set.records.size(), 4u);
  EXPECT_EQ(set.records[0].status, judge::verdict::Status::scored);
  EXPECT_EQ(set.records[0].score, 3.0);
  EXPECT_EQ(set.records[0].rationale, "uses it, well");
  EXPECT_EQ(set.records[1].status, judge::verdict::Status::not_applicable);
  EXPECT_EQ(set.records[2].status, judge::verdict::Status::unscored);
  EXPECT_FALSE(set.records[2].score);
  EXPECT_EQ(set.records[3].status,
            judge::verdict::Status::unscored);  // a notebook eval could not read: left out, counted
  EXPECT_FALSE(set.records[3].score);
}

TEST(Scores, ACsvThatIsNotUtf8IsRefusedAtItsLine) {
  // A rationale in Windows-1252 (0x93 is its opening curly quote): refused at line 2, column 24.
  const auto p = write_temp("cp1252.csv",
                            "notebook,dimension,score,rationale\n"
                            "a.ipynb,model_use,3,ok \x93"
                            "fine\x94\n");
  try {
    read_scores(p);
    FAIL() << "read";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string() + ":2: not UTF-8: byte 0x93 at column 24"),
              std::string::npos)
        << e.what();
  }
}

TEST(Scores, PlainCsvWithoutStatusAndFractionalScores) {
  const auto set = read_scores(write_temp("plain.txt",
                                          "item,dimension,judge,score\nhuman/000,relevance,j1,4.6667\n"
                                          "human/001,relevance,j1,\nhuman/002,relevance,j1,N/A\n"));
  ASSERT_EQ(set.records.size(), 3u);
  EXPECT_DOUBLE_EQ(*set.records[0].score, 4.6667);
  EXPECT_EQ(set.records[1].status,
            judge::verdict::Status::not_applicable);  // empty cell = N/A without a status column
  EXPECT_EQ(set.records[2].status, judge::verdict::Status::not_applicable);
}

TEST(Scores, JsonArrayAndJsonLinesByContent) {
  const auto arr = read_scores(write_temp(
      "eval.json", R"([{"notebook": "a", "dimension": "d", "status": "scored", "score": 2, "judge": "j"},
                      {"notebook": "b", "dimension": "d", "status": "not_applicable", "score": null, "judge": "j"}])"));
  ASSERT_EQ(arr.records.size(), 2u);
  EXPECT_EQ(arr.records[1].line, 2);
  EXPECT_EQ(arr.records[1].status, judge::verdict::Status::not_applicable);
  const auto lines =
      read_scores(write_temp("eval.out", "{\"item\": \"a\", \"dimension\": \"d\", \"score\": 1.5}\n"));
  ASSERT_EQ(lines.records.size(), 1u);
  EXPECT_EQ(lines.records[0].judge, "");
  EXPECT_DOUBLE_EQ(*lines.records[0].score, 1.5);
}

TEST(Scores, EveryProblemWithItsLine) {
  try {
    read_scores(write_temp("bad.jsonl",
                           "{\"item\": \"a\", \"dimension\": \"d\", \"score\": \"x\"}\n"
                           "{\"dimension\": \"d\", \"score\": 1}\n"
                           "{\"item\": \"c\", \"dimension\": \"d\", \"status\": \"maybe\", \"score\": 1}\n"
                           "{not json\n"));
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("4 problems"), std::string::npos) << m;
    EXPECT_NE(m.find("bad.jsonl:1: score \"x\" is not a number"), std::string::npos) << m;
    EXPECT_NE(m.find("bad.jsonl:2: missing key \"item\""), std::string::npos) << m;
    EXPECT_NE(m.find("bad.jsonl:3: unknown status \"maybe\""), std::string::npos) << m;
    EXPECT_NE(m.find("bad.jsonl:4: not valid JSON"), std::string::npos) << m;
  }
  try {
    read_scores(write_temp("bad.csv", "notebook,score\na,1\n"));
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:1: missing column \"dimension\""), std::string::npos)
        << e.what();
  }
}

TEST(Scores, DuplicateRecordIsAnErrorNamingBothLines) {
  // The same (item, dimension, judge) twice, with different scores: which to measure would be a guess.
  try {
    read_scores(
        write_temp("dup.csv", "item,dimension,score,judge\na,d,1,j\nb,d,2,j\na,d,3,j\na,d,3,other\n"));
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("1 problem in scores"), std::string::npos) << m;  // judge "other" is a different record
    EXPECT_NE(m.find("dup.csv:4: duplicate record: a / d / judge j is already scored on line 2"),
              std::string::npos)
        << m;
  }
}

TEST(Scores, EmptyFileSaysSo) {
  for (const char* name : {"empty.jsonl", "empty.csv"}) try {
      read_scores(write_temp(name, "\n  \n"));
      FAIL() << "expected an error";
    } catch (const judge::Error& e) {
      EXPECT_NE(std::string(e.what()).find(std::string(name) + ":1: the file is empty"), std::string::npos)
          << e.what();
    }
}

TEST(Scores, EvalTableOrMarkdownOutputGetsAHint) {
  // The two grid shapes judge eval prints for people (verdict/record.cpp).
  const std::string table =
      "notebook          mt  mu\nchurn_good.ipynb   3   3\n\ncolumns: mt=model_training\n";
  const std::string markdown = "| notebook | model_training |\n|---|---:|\n| churn_good.ipynb | 3 |\n";
  for (const auto& [name, text] : {std::pair{"t.txt", table}, std::pair{"m.md", markdown}}) try {
      read_scores(write_temp(name, text));
      FAIL() << "expected an error";
    } catch (const judge::Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("use judge eval format jsonl (or csv)"), std::string::npos) << m;
      EXPECT_EQ(m.find("missing column"), std::string::npos) << m;
    }
}

// Flags of judge eval's records (prompt injection): JSON arrays, or ';'-separated CSV columns; absent is
// empty.
TEST(Scores, FlagsAndInjectionCellsFromJsonAndCsv) {
  const auto json = read_scores(write_temp(
      "flags.jsonl",
      "{\"notebook\": \"a\", \"dimension\": \"d\", \"score\": 2, \"flags\": [\"prompt_injection\"], "
      "\"injection_cells\": [3, 7]}\n"
      "{\"notebook\": \"b\", \"dimension\": \"d\", \"score\": 1}\n"));
  ASSERT_EQ(json.records.size(), 2u);
  EXPECT_EQ(json.records[0].flags, std::vector<std::string>{"prompt_injection"});
  EXPECT_EQ(json.records[0].injection_cells, (std::vector<int>{3, 7}));
  EXPECT_TRUE(json.records[1].flags.empty());
  EXPECT_TRUE(json.records[1].injection_cells.empty());
  const auto csv = read_scores(write_temp("flags.csv",
                                          "notebook,dimension,score,flags,injection_cells\n"
                                          "a,d,2,prompt_injection,3; 7\n"
                                          "b,d,1,,\n"));
  EXPECT_EQ(csv.records[0].flags, std::vector<std::string>{"prompt_injection"});
  EXPECT_EQ(csv.records[0].injection_cells, (std::vector<int>{3, 7}));
  EXPECT_TRUE(csv.records[1].flags.empty());
  try {
    read_scores(write_temp(
        "badflags.jsonl",
        "{\"notebook\": \"a\", \"dimension\": \"d\", \"score\": 2, \"flags\": \"prompt_injection\"}\n"
        "{\"notebook\": \"b\", \"dimension\": \"d\", \"score\": 2, \"injection_cells\": [0, \"x\"]}\n"));
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("3 problems"), std::string::npos) << m;
    EXPECT_NE(m.find("badflags.jsonl:1: flags must be an array of strings"), std::string::npos) << m;
    EXPECT_NE(m.find("badflags.jsonl:2: injection_cells: \"0\" is not a cell number"), std::string::npos)
        << m;
    EXPECT_NE(m.find("badflags.jsonl:2: injection_cells: \"\"x\"\" is not a cell number"), std::string::npos)
        << m;
  }
}

// labelled_in_memory (judge eval --memory on a notebook the memory holds labels of): true, false or absent;
// anything else is a problem with its line.
TEST(Scores, LabelledInMemoryIsABoolean) {
  const auto set = read_scores(
      write_temp("in_memory.jsonl",
                 "{\"notebook\": \"a\", \"dimension\": \"d\", \"score\": 2, \"labelled_in_memory\": true}\n"
                 "{\"notebook\": \"b\", \"dimension\": \"d\", \"score\": 2, \"labelled_in_memory\": false}\n"
                 "{\"notebook\": \"c\", \"dimension\": \"d\", \"score\": 2}\n"));
  ASSERT_EQ(set.records.size(), 3u);
  EXPECT_TRUE(set.records[0].labelled_in_memory);
  EXPECT_FALSE(set.records[1].labelled_in_memory);
  EXPECT_FALSE(set.records[2].labelled_in_memory);
  // The column judge eval --memory --format csv writes.
  const auto csv =
      read_scores(write_temp("in_memory.csv",
                             "notebook,dimension,status,score,rationale,judge,labelled_in_memory\n"
                             "a,d,scored,2,r,h,true\nb,d,scored,2,r,h,false\n"));
  ASSERT_EQ(csv.records.size(), 2u);
  EXPECT_TRUE(csv.records[0].labelled_in_memory);
  EXPECT_FALSE(csv.records[1].labelled_in_memory);
  try {
    read_scores(
        write_temp("bad_in_memory.csv", "notebook,dimension,score,judge,labelled_in_memory\na,d,2,h,yes\n"));
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "bad_in_memory.csv:2: labelled_in_memory must be true or false, not \"yes\""),
              std::string::npos)
        << e.what();
  }
  try {
    read_scores(write_temp("bad_in_memory.jsonl",
                           "{\"notebook\": \"a\", \"dimension\": \"d\", \"score\": 2, "
                           "\"labelled_in_memory\": \"yes\"}\n"));
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad_in_memory.jsonl:1: labelled_in_memory must be true or false"),
              std::string::npos)
        << e.what();
  }
}
