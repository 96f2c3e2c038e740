// SPDX-License-Identifier: MIT
#include "judge/verdict/merge.hpp"

#include <gtest/gtest.h>

#include <string>

#include "../support.hpp"
#include "judge/util/error.hpp"

using judge::test::TempDir;
using judge::verdict::merge_parts;

namespace {

// A judge eval JSON Lines record, written by hand; `extra` is appended inside the object.
std::string rec(const std::string& nb, const std::string& dim, const std::string& extra = "") {
  return R"({"notebook": ")" + nb + R"(", "dimension": ")" + dim +
         R"(", "status": "scored", "score": 2, "rationale": "r", "judge": "openai:m")" + extra + "}\n";
}

std::string prov(const std::string& rubric_hash, const std::string& template_hash = "t1") {
  return R"(, "provenance": {"tool_version": "1.0", "judge": "openai:m", "model_params": {"temperature": 0}, )"
         R"("rubric_hash": ")" +
         rubric_hash + R"(", "prompt_template_hash": ")" + template_hash + R"("})";
}

// The message of the judge::Error merge_parts throws, or "" when it does not throw.
std::string merge_error(const std::vector<std::filesystem::path>& parts,
                        const std::vector<judge::verdict::ExpectedNotebook>& expected = {}) {
  try {
    merge_parts(parts, expected);
  } catch (const judge::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// Notebooks sorted by path component by component ("a/x" before "a-b/x", though '-' < '/' as bytes), each
// notebook's lines as written, whatever order the parts come in; the expected text is written by hand.
TEST(Merge, JoinsShardsInPathOrderKeepingEachLine) {
  TempDir dir("merge");
  const std::string s1 = R"(, "shard": "1/2")", s2 = R"(, "shard": "2/2")";
  const auto p1 = dir.write("p1.jsonl", rec("b.ipynb", "x", s1) + rec("b.ipynb", "y", s1));
  const auto p2 = dir.write("p2.jsonl", rec("a-b/x.ipynb", "y", s2) + rec("a-b/x.ipynb", "x", s2) + "\n" +
                                            rec("a/x.ipynb", "x", s2) + rec("a/x.ipynb", "y", s2));
  const std::string expected = rec("a/x.ipynb", "x", s2) + rec("a/x.ipynb", "y", s2) +
                               rec("a-b/x.ipynb", "y", s2) + rec("a-b/x.ipynb", "x", s2) +
                               rec("b.ipynb", "x", s1) + rec("b.ipynb", "y", s1);
  for (const auto& order : {std::vector{p1, p2}, std::vector{p2, p1}}) {
    const auto m = merge_parts(order);
    EXPECT_EQ(m.text, expected);
    EXPECT_EQ(m.format, "jsonl");
    EXPECT_EQ(m.records, 6u);
    EXPECT_EQ(m.notebooks, 3u);
    EXPECT_EQ(m.parts, 2u);
    ASSERT_TRUE(m.shard_count.has_value());
    EXPECT_EQ(*m.shard_count, 2u);
  }
}

TEST(Merge, DuplicateItemsNameBothPlaces) {
  TempDir dir("merge");
  const auto p1 = dir.write("p1.jsonl", rec("a.ipynb", "x") + rec("a.ipynb", "y"));
  const auto p2 = dir.write("p2.jsonl", rec("a.ipynb", "y") + rec("a.ipynb", "x"));
  const std::string what = merge_error({p1, p2});
  EXPECT_NE(what.find(p2.string() + ":1: duplicate item a.ipynb / y: already in " + p1.string() + ":2"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find(p2.string() + ":2: duplicate item a.ipynb / x: already in " + p1.string() + ":1"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("cannot be merged as one run"), std::string::npos) << what;
}

// The same file named twice (once through "sub/.."): one problem naming it, not one duplicate per record.
TEST(Merge, APartGivenTwiceIsOneProblem) {
  TempDir dir("merge");
  const auto p1 = dir.write("p1.jsonl", rec("a.ipynb", "x") + rec("a.ipynb", "y"));
  const auto p2 = dir.write("p2.jsonl", rec("b.ipynb", "x") + rec("b.ipynb", "y"));
  std::filesystem::create_directories(dir.path() / "sub");
  const auto again = dir.path() / "sub" / ".." / "p1.jsonl";
  const std::string what = merge_error({p1, p2, again});
  EXPECT_NE(
      what.find(again.string() + ": the same file as " + p1.string() + ", given before: give each part once"),
      std::string::npos)
      << what;
  EXPECT_EQ(what.find("duplicate item"), std::string::npos) << what;
}

// A part judged without memory next to parts judged with it (their records list episodes) is another run.
TEST(Merge, PartsJudgedWithAndWithoutMemoryAreTwoRuns) {
  TempDir dir("merge");
  const std::string episodes = R"(, "episodes_left_out": 0, "episodes": ["e#x"])";
  const auto with = dir.write("with.jsonl", rec("a.ipynb", "x", episodes) + rec("a.ipynb", "y", episodes));
  const auto without = dir.write("without.jsonl", rec("b.ipynb", "x") + rec("b.ipynb", "y"));
  const std::string what = merge_error({with, without});
  EXPECT_NE(what.find(without.string() + ": no record was judged with memory, but " + with.string() +
                      ":1 was (judge eval --memory)"),
            std::string::npos)
      << what;
  const auto with2 = dir.write("with2.jsonl", rec("b.ipynb", "x", episodes) + rec("b.ipynb", "y"));
  EXPECT_EQ(merge_parts({with, with2}).parts, 2u);  // a record without episodes in a memory run is fine
}

// 25 duplicates: 20 listed, then how many more.
TEST(Merge, ManyProblemsOfOneKindAreCapped) {
  TempDir dir("merge");
  std::string text;
  for (int i = 0; i < 25; ++i) text += rec("nb" + std::to_string(i) + ".ipynb", "x");
  const auto p1 = dir.write("p1.jsonl", text), p2 = dir.write("p2.jsonl", text);
  const std::string what = merge_error({p1, p2});
  EXPECT_NE(what.find("nb19.ipynb / x"), std::string::npos) << what;
  EXPECT_EQ(what.find("nb20.ipynb / x"), std::string::npos) << what;
  EXPECT_NE(what.find("...: and 5 more duplicate items"), std::string::npos) << what;
}

TEST(Merge, MissingShardIsAnErrorUnlessAnEmptyPartStandsForIt) {
  TempDir dir("merge");
  const auto p1 = dir.write("p1.jsonl", rec("a.ipynb", "x", R"(, "shard": "1/3")"));
  const auto p3 = dir.write("p3.jsonl", rec("c.ipynb", "x", R"(, "shard": "3/3")"));
  const std::string what = merge_error({p1, p3});
  EXPECT_NE(what.find("missing shards: 2/3: no part given holds their records (0 empty part(s) given"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("run judge eval with shard K/3 for each and give its output"), std::string::npos)
      << what;
  const auto empty = dir.write("p2.jsonl", "");
  // An empty part is an error by default: a failed eval leaves one too.
  const std::string refused = merge_error({p1, empty, p3});
  EXPECT_NE(refused.find(empty.string() + ": empty: a judge eval that failed leaves an empty file too"),
            std::string::npos)
      << refused;
  const auto m = merge_parts({p1, empty, p3}, {}, true);
  EXPECT_EQ(m.empty_parts, 1u);
  EXPECT_EQ(m.text, rec("a.ipynb", "x", R"(, "shard": "1/3")") + rec("c.ipynb", "x", R"(, "shard": "3/3")"));
}

// Many missing shards (one part of 15 given): the first 10 named, then how many more.
TEST(Merge, ManyMissingShardsAreCapped) {
  TempDir dir("merge");
  const auto p1 = dir.write("p1.jsonl", rec("a.ipynb", "x", R"(, "shard": "1/15")"));
  const std::string what = merge_error({p1});
  EXPECT_NE(
      what.find("missing shards: 2/15, 3/15, 4/15, 5/15, 6/15, 7/15, 8/15, 9/15, 10/15, 11/15 and 4 more: "
                "no part given holds their records"),
      std::string::npos)
      << what;
  EXPECT_EQ(what.find("12/15"), std::string::npos) << what;
}

TEST(Merge, ShardsMustComeFromOneSplitOnePartEach) {
  TempDir dir("merge");
  const auto a = dir.write("a.jsonl", rec("a.ipynb", "x", R"(, "shard": "1/2")"));
  const auto b = dir.write("b.jsonl", rec("b.ipynb", "x", R"(, "shard": "1/2")"));
  const auto c = dir.write("c.jsonl", rec("c.ipynb", "x", R"(, "shard": "2/3")"));
  const auto d = dir.write("d.jsonl", rec("d.ipynb", "x"));
  const auto e = dir.write(
      "e.jsonl", rec("e.ipynb", "x", R"(, "shard": "2/2")") + rec("e.ipynb", "y", R"(, "shard": "1/2")"));
  std::string what = merge_error({a, b, c, d});
  EXPECT_NE(what.find(b.string() + ": shard 1/2 again: " + a.string() + " is that shard too"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find(c.string() + ": shard 2/3, but " + a.string() + " is a shard of 2"), std::string::npos)
      << what;
  EXPECT_NE(what.find(d.string() + ": records no shard (not a judge eval --shard part), but " + a.string() +
                      " is a shard of 2"),
            std::string::npos)
      << what;
  what = merge_error({a, e});
  EXPECT_NE(what.find(e.string() + ":2: shard 1/2, but line 1 says 2/2 (one file is one part)"),
            std::string::npos)
      << what;
}

// The record's judge and its provenance (but not the prompt template hash, which a notebook flagged for
// prompt injection changes) must be the same in every part; one problem per part and key.
TEST(Merge, DifferingProvenanceIsAnError) {
  TempDir dir("merge");
  const auto p1 =
      dir.write("p1.jsonl", rec("a.ipynb", "x", prov("R1")) + rec("b.ipynb", "x", prov("R1", "t2")));
  const auto p2 = dir.write("p2.jsonl", rec("c.ipynb", "x", prov("R2")) + rec("d.ipynb", "x", prov("R2")));
  EXPECT_EQ(merge_error({p1}), "");  // t1 and t2: not compared
  const std::string what = merge_error({p1, p2});
  EXPECT_NE(what.find(p2.string() + ":1: provenance.rubric_hash is R2, but R1 in " + p1.string() + ":1"),
            std::string::npos)
      << what;
  EXPECT_EQ(what.find(p2.string() + ":2:"), std::string::npos) << what;  // once per part and key
  std::string other = rec("e.ipynb", "x", prov("R1"));
  other.replace(other.find("\"judge\": \"openai:m\""), 19, "\"judge\": \"openai:n\"");
  const auto p3 = dir.write("p3.jsonl", other);
  EXPECT_NE(merge_error({p1, p3}).find(p3.string() + ":1: judge is openai:n, but openai:m in " + p1.string() +
                                       ":1"),
            std::string::npos);
  const auto p4 = dir.write("p4.jsonl", rec("f.ipynb", "x"));  // no provenance at all
  EXPECT_NE(merge_error({p1, p4}).find(p4.string() + ":1: provenance.rubric_hash is (none), but R1"),
            std::string::npos);
  // An unreadable notebook's record was never sent to the judge and has no provenance: not compared, in
  // merge as in report, even when it comes first.
  const std::string unreadable =
      R"({"notebook": "g.ipynb", "dimension": "x", "status": "unreadable", "score": null, "error": "bad JSON"})"
      "\n";
  const auto p5 = dir.write("p5.jsonl", unreadable);
  EXPECT_EQ(merge_error({p5, p1}), "");
  EXPECT_NO_THROW(judge::verdict::check_run_provenance({p5, p1}));
}

TEST(Merge, MissingItemsAndExpectedNotebooks) {
  TempDir dir("merge");
  const auto p1 = dir.write("p1.jsonl", rec("a.ipynb", "x") + rec("a.ipynb", "y") + rec("b.ipynb", "y"));
  std::string what = merge_error({p1});
  EXPECT_NE(what.find(p1.string() + ":3: b.ipynb has no record of dimension(s) x that other notebooks have"),
            std::string::npos)
      << what;
  const auto p2 = dir.write("p2.jsonl", rec("a.ipynb", "x") + rec("c.ipynb", "x"));
  what = merge_error({p2}, {{"a.ipynb", "list:1"}, {"b.ipynb", "list:2"}});
  EXPECT_NE(what.find("list:2: b.ipynb has no records in the parts"), std::string::npos) << what;
  EXPECT_NE(what.find(p2.string() + ":2: c.ipynb is not among the expected notebooks"), std::string::npos)
      << what;
  EXPECT_EQ(merge_error({p2}, {{"a.ipynb", "list:1"}, {"c.ipynb", "list:2"}}), "");
}

// CSV parts as judge eval writes them: header once, rows re-quoted exactly as eval quotes (only fields with
// a comma, quote or line break), so a row spanning two lines stays one row.
TEST(Merge, JoinsCsvParts) {
  TempDir dir("merge");
  const std::string header = "notebook,dimension,status,score,rationale,judge\n";
  const std::string b_row = "b.ipynb,x,scored,1,\"says \"\"no\"\",\nthen stops\",heuristic\n";
  const std::string a_row = "\"a,1.ipynb\",x,not_applicable,NA,plain,heuristic\n";
  const auto p1 = dir.write("p1.csv", header + b_row);
  const auto p2 = dir.write("p2.csv", header + a_row);
  const auto m = merge_parts({p1, p2});
  EXPECT_EQ(m.format, "csv");
  EXPECT_EQ(m.text, header + a_row + b_row);
  EXPECT_EQ(m.records, 2u);
}

TEST(Merge, FormatsItCannotMergeAreNamed) {
  TempDir dir("merge");
  const auto arr = dir.write("a.json", std::string("[") + rec("a.ipynb", "x") + "]");
  EXPECT_NE(merge_error({arr}).find(arr.string() +
                                    ": a JSON array (judge eval format json); merge takes judge eval's JSON "
                                    "Lines or CSV: re-run with format jsonl"),
            std::string::npos)
      << merge_error({arr});
  const auto table = dir.write("t.txt", "notebook  mt  mu\na.ipynb    3   2\n");
  EXPECT_NE(merge_error({table}).find(table.string() + ": this is judge eval's table or Markdown output"),
            std::string::npos);
  const auto csv =
      dir.write("p.csv", "notebook,dimension,status,score,rationale,judge\nb.ipynb,y,scored,1,r,j\n");
  const auto jsonl = dir.write("p.jsonl", rec("a.ipynb", "y") + "{\"notebook\": 3}\nnot json\n");
  const std::string what = merge_error({jsonl, csv});
  EXPECT_NE(
      what.find(csv.string() + ": csv, but " + jsonl.string() + " is jsonl (give every part in one format)"),
      std::string::npos)
      << what;
  EXPECT_NE(what.find(jsonl.string() + ":2: not a judge eval record"), std::string::npos) << what;
  EXPECT_NE(what.find(jsonl.string() + ":3: not valid JSON"), std::string::npos) << what;
}

// judge report's check of score files read together: one judge's records in two files are one run, so a file
// judged without memory next to one judged with it is refused; another judge's records are another run.
TEST(Merge, ReportPartsOfOneJudgeShareTheirMemory) {
  TempDir dir("merge");
  const std::string episodes = R"(, "episodes_left_out": 0)";
  const auto with = dir.write("with.jsonl", rec("a.ipynb", "x", episodes));
  const auto without = dir.write("without.jsonl", rec("b.ipynb", "x"));
  try {
    judge::verdict::check_run_provenance({with, without});
    ADD_FAILURE() << "no error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find(without.string() +
                                         ": judge openai:m: no record was judged with memory, but " +
                                         with.string() + ":1 was"),
              std::string::npos)
        << e.what();
  }
  const auto other = dir.write("other.jsonl", R"({"notebook": "b.ipynb", "dimension": "x", "judge": "plain"})"
                                              "\n");
  EXPECT_NO_THROW(judge::verdict::check_run_provenance({with, other}));
}
