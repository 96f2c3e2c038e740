// SPDX-License-Identifier: MIT
// Expected values by hand: the spellings and record shapes documented in verdict.hpp and record.hpp (the same
// ones tests/golden/eval_examples.* hold for whole runs).
#include "judge/verdict/verdict.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "judge/util/error.hpp"
#include "judge/verdict/record.hpp"

using namespace judge::verdict;

TEST(Status, SpellingsRoundTrip) {
  EXPECT_STREQ(to_string(Status::scored), "scored");
  EXPECT_STREQ(to_string(Status::not_applicable), "not_applicable");
  EXPECT_STREQ(to_string(Status::unscored), "unscored");
  EXPECT_STREQ(to_string(Status::unreadable), "unreadable");
  for (const auto s : {Status::scored, Status::not_applicable, Status::unscored, Status::unreadable})
    EXPECT_EQ(parse_status(to_string(s)), s) << to_string(s);
  EXPECT_EQ(status_list(), "scored, not_applicable, unscored, unreadable");
}

TEST(Status, ParseTakesOnlyTheExactSpellings) {
  for (const char* text : {"", "Scored", "n/a", "N/A", "NA", "not applicable", " scored", "unscored "})
    EXPECT_EQ(parse_status(text), std::nullopt) << '"' << text << '"';
}

TEST(Status, FailedAndMeasured) {
  EXPECT_FALSE(failed(Status::scored));
  EXPECT_FALSE(failed(Status::not_applicable));
  EXPECT_TRUE(failed(Status::unscored));
  EXPECT_TRUE(failed(Status::unreadable));
  EXPECT_EQ(measured(Status::unreadable), Status::unscored);
  EXPECT_EQ(measured(Status::not_applicable), Status::not_applicable);
  EXPECT_EQ(measured(Status::scored), Status::scored);
}

TEST(Verdict, InjectionFlagsAreReadBack) {
  Verdict v;
  EXPECT_TRUE(injection_cells(v).empty());
  v.extra["spread"] = 0.5;
  flag_injection(v, {2, 7});
  EXPECT_EQ(v.extra.dump(), R"({"spread":0.5,"flags":["prompt_injection"],"injection_cells":[2,7]})");
  EXPECT_EQ(injection_cells(v), (std::vector<int>{2, 7}));
}

namespace {

EvalRecord record(const std::string& nb, const std::string& dim, Status status, std::optional<double> score,
                  const std::string& rationale, const std::string& error = "") {
  return {nb, "heuristic", Verdict{dim, status, score, rationale, error, nlohmann::ordered_json::object()}};
}

std::string written(const std::vector<EvalRecord>& records, const std::string& format) {
  std::ostringstream out;
  write_records(out, records, {"model_use", "data_imputation"}, format);
  return out.str();
}

}  // namespace

TEST(Record, JsonKeysInOrderErrorOnlyWhenFailedExtraLast) {
  auto scored = record("a.ipynb", "model_use", Status::scored, 2.0, "cell 3: saved");
  scored.verdict.extra["episodes"] = nlohmann::ordered_json::array({"b.ipynb#model_use"});
  EXPECT_EQ(to_json(scored).dump(),
            R"({"notebook":"a.ipynb","dimension":"model_use","status":"scored","score":2.0,)"
            R"("rationale":"cell 3: saved","judge":"heuristic","episodes":["b.ipynb#model_use"]})");
  EXPECT_EQ(to_json(record("a.ipynb", "model_use", Status::not_applicable, std::nullopt, "no model")).dump(),
            R"({"notebook":"a.ipynb","dimension":"model_use","status":"not_applicable","score":null,)"
            R"("rationale":"no model","judge":"heuristic"})");
  EXPECT_EQ(to_json(record("x.ipynb", "model_use", Status::unreadable, std::nullopt, "", "not JSON")).dump(),
            R"({"notebook":"x.ipynb","dimension":"model_use","status":"unreadable","score":null,)"
            R"("rationale":"","judge":"heuristic","error":"not JSON"})");
}

TEST(Record, CsvWritesNaAndTheErrorOfAFailedItem) {
  const std::vector<EvalRecord> records{
      record("a.ipynb", "model_use", Status::scored, 2.5, "cell 3, saved"),
      record("a.ipynb", "data_imputation", Status::not_applicable, std::nullopt, "no missing values"),
      record("b.ipynb", "model_use", Status::unscored, std::nullopt, "", "timeout")};
  EXPECT_EQ(written(records, "csv"),
            "notebook,dimension,status,score,rationale,judge\n"
            "a.ipynb,model_use,scored,2.50,\"cell 3, saved\",heuristic\n"
            "a.ipynb,data_imputation,not_applicable,NA,no missing values,heuristic\n"
            "b.ipynb,model_use,unscored,,timeout,heuristic\n");
}

TEST(Record, GridsShowScoresAndFlaggedNotebooks) {
  auto flagged = record("b.ipynb", "model_use", Status::scored, 3.0, "");
  flag_injection(flagged.verdict, {1, 4});
  const std::vector<EvalRecord> records{
      record("a.ipynb", "model_use", Status::scored, 2.0, ""),
      record("a.ipynb", "data_imputation", Status::not_applicable, std::nullopt, ""), flagged,
      record("b.ipynb", "data_imputation", Status::unscored, std::nullopt, "", "timeout")};
  EXPECT_EQ(written(records, "markdown"),
            "| notebook | model_use | data_imputation |\n"
            "|---|---:|---:|\n"
            "| a.ipynb | 2 | N/A |\n"
            "| b.ipynb | 3 | ? |\n"
            "\nflagged for prompt injection (check their scores): b.ipynb (cells 1, 4)\n");
  EXPECT_EQ(written(records, "table"),
            "notebook  mu   di\n"
            "a.ipynb    2  N/A\n"
            "b.ipynb    3    ?\n"
            "\ncolumns: mu=model_use, di=data_imputation\n"
            "\nflagged for prompt injection (check their scores): b.ipynb (cells 1, 4)\n");
  std::size_t count = 0;
  EXPECT_EQ(flagged_notebooks(records, &count), "b.ipynb (cells 1, 4)");
  EXPECT_EQ(count, 1u);
}

TEST(Record, FormatsAreOneListAndAnUnknownOneNamesThem) {
  EXPECT_EQ(record_formats(), (std::vector<std::string>{"table", "jsonl", "json", "csv", "markdown"}));
  try {
    written({}, "html");
    FAIL() << "no error";
  } catch (const judge::Error& e) {
    EXPECT_EQ(e.code(), judge::ExitCode::usage);
    EXPECT_STREQ(e.what(), "unknown format \"html\" (table, jsonl, json, csv, markdown)");
  }
}

// JSON Lines and CSV are written a record at a time (judge eval streams them): header, then one line each.
TEST(Record, StreamingFormatsWriteOneLinePerRecord) {
  EXPECT_TRUE(streams("jsonl"));
  EXPECT_TRUE(streams("csv"));
  EXPECT_FALSE(streams("table"));
  EXPECT_FALSE(streams("json"));
  EXPECT_FALSE(streams("markdown"));
  EXPECT_FALSE(streams("html"));
  const auto scored = record("a.ipynb", "model_use", Status::scored, 2.5, "cell 3, saved");
  EXPECT_EQ(stream_header("csv"), "notebook,dimension,status,score,rationale,judge\n");
  EXPECT_EQ(stream_line(scored, "csv"), "a.ipynb,model_use,scored,2.50,\"cell 3, saved\",heuristic\n");
  EXPECT_EQ(stream_header("jsonl"), "");
  EXPECT_EQ(stream_line(scored, "jsonl"),
            R"({"notebook":"a.ipynb","dimension":"model_use","status":"scored","score":2.5,)"
            R"("rationale":"cell 3, saved","judge":"heuristic"})"
            "\n");
  EXPECT_THROW(stream_line(scored, "table"), judge::Error);
}
