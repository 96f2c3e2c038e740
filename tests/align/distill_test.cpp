// SPDX-License-Identifier: MIT
#include "judge/align/distill.hpp"

#include <gtest/gtest.h>

using namespace judge;
using align::Record;

TEST(Distill, BatchesBoundedByRecordsAndTokens) {
  std::vector<Record> records;
  for (int i = 0; i < 120; ++i) records.push_back({"nb#d#r" + std::to_string(i), "d", 2, "short"});
  const auto b = align::make_batches(records, {});
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].size(), 50u);
  EXPECT_EQ(b[1].size(), 50u);
  EXPECT_EQ(b[2].size(), 20u);
  EXPECT_EQ(b[2].back().label_id, "nb#d#r119");
  // 2000-byte feedback: (6 + 2000 + 24) / 4 + 1 = 508 estimated tokens, so 3 fit in 1600.
  std::vector<Record> big(7, Record{"nb#d#r", "d", 1, std::string(2000, 'x')});
  const auto t = align::make_batches(big, {50, 1600});
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].size(), 3u);
  EXPECT_EQ(t[2].size(), 1u);
}

TEST(Distill, ParsesRepliesAndDropsUnknownCitations) {
  const std::vector<Record> batch{{"a#d#r", "d", 1, "x"}, {"b#d#r", "d", 2, "y"}};
  std::string error;
  auto g = align::parse_reflection(
      "```json\n[{\"text\": \" Check missing values. \", \"cites\": [\"b#d#r\", \"zz#d#r\", \"a#d#r\", "
      "\"b#d#r\"]},"
      " {\"text\": \"Invented.\", \"cites\": [\"nope\"]}]\n```",
      "d", batch, error);
  ASSERT_TRUE(g.has_value()) << error;
  ASSERT_EQ(g->size(), 1u);  // the second cites no record of the batch
  EXPECT_EQ((*g)[0].text, "Check missing values.");
  EXPECT_EQ((*g)[0].cites, (std::vector<std::string>{"a#d#r", "b#d#r"}));
  EXPECT_EQ((*g)[0].source, "reflection");
  g = align::parse_reflection(R"({"guidelines": [{"text": "T", "cites": ["a#d#r"]}]})", "d", batch, error);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->size(), 1u);
  EXPECT_FALSE(align::parse_reflection("I think the notebook is fine", "d", batch, error).has_value());
  EXPECT_NE(error.find("not JSON"), std::string::npos);
  EXPECT_FALSE(align::parse_reflection(R"({"score": 2})", "d", batch, error).has_value());
}

TEST(Distill, MergesExactAndNearDuplicates) {
  using memory::Guideline;
  const std::set<std::string> valid{"a", "b", "c"};
  const auto out = align::merge_guidelines(
      {{"d", "Impute missing values with statistics fitted on the training split only.", {"a"}, "reflection"},
       {"d", "Impute missing values with statistics fitted on the training split only", {"b"}, "reflection"},
       // 10 of 12 distinct words shared (Jaccard 10/12 = 0.83 >= 0.8): near duplicate.
       {"d",
        "Impute missing values with statistics fitted on the train split only.",
        {"c", "gone"},
        "reflection"},
       {"e", "Impute missing values with statistics fitted on the training split only.", {"a"}, "reflection"},
       {"d", "Plot the target distribution.", {"gone"}, "reflection"},
       {"d", "Hand rule.", {}, "manual"}},
      valid);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].cites, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(out[1].dimension, "e");      // other dimension: not merged
  EXPECT_EQ(out[2].text, "Hand rule.");  // the one citing only an invalid label was dropped
}

TEST(Distill, ExtractiveKeepsPhrasesOfTwoOrMoreNotebooks) {
  const auto& rubric = rubric::default_rubric();
  const std::vector<Record> records{
      {"n1#data_imputation#r", "data_imputation", 1,
       "Applies a blanket fillna to every column. Nothing else."},
      {"n2#data_imputation#r", "data_imputation", 1, "A blanket fillna(0) turns gaps into zeros."},
      {"n2#data_imputation#r2", "data_imputation", 2, "A blanket fillna but on train only."},
      {"n3#data_imputation#r", "data_imputation", 1, "Unique remark about scaling."},
      {"n4#model_training#r", "model_training", 1, "Applies a blanket fillna to every column."}};
  const auto g = align::distill_extractive(rubric, "data_imputation", records);
  // By hand: in score 1, "blanket fillna" is in n1 and n2 (2 notebooks); "applies blanket" and "fillna
  // column" only in n1. Score 2 has one notebook. The representative sentence has the highest mean phrase
  // support: n1's "Applies a blanket fillna to every column." (applies blanket=1, blanket fillna=2, fillna
  // column=1: mean 4/3) beats n2's "A blanket fillna(0) turns gaps into zeros." (blanket fillna=2, fillna
  // turns=1, turns gaps=1, gaps zeros=1: mean 5/4).
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].text,
            "Score 1 (bad): feedback often says \"blanket fillna\" (2 labels), e.g. \"Applies a blanket "
            "fillna to every column.\"");
  EXPECT_EQ(g[0].cites, (std::vector<std::string>{"n1#data_imputation#r", "n2#data_imputation#r"}));
  EXPECT_EQ(g[0].source, "extractive");
}
