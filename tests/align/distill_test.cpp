// SPDX-License-Identifier: MIT
#include "judge/align/distill.hpp"

#include <gtest/gtest.h>

using namespace judge;
using align::Record;

// "n<i>#<dimension>#r", built by appending (GCC 12 -O3 -Werror=restrict rejects "n" + std::string&& here).
static std::string label_id(int i, const char* dimension) {
  std::string id = "n";
  id += std::to_string(i);
  id += '#';
  id += dimension;
  id += "#r";
  return id;
}

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

// Two rules sharing 14 of their 16 distinct words (Jaccard 0.875) say different things: both stay; the same
// rule twice is one.
TEST(Distill, RulesMergeOnlyWhenTheSame) {
  const std::set<std::string> valid{"a", "b"};
  const auto out = align::merge_guidelines(
      {{"d",
        "when trains_model, not builtin_data_only -> score at most 2 (21 of 28 labels)",
        {"a"},
        "manual"},
       {"d",
        "when trains_model, not builtin_data_only -> score at most 1 (21 of 28 labels)",
        {"b"},
        "manual"},
       {"d",
        "when trains_model, not builtin_data_only -> score at most 2 (21 of 28 labels)",
        {"b"},
        "manual"}},
      valid);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].cites, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(out[1].text, "when trains_model, not builtin_data_only -> score at most 1 (21 of 28 labels)");
}

// A person's guideline near a distilled one (Jaccard 10/12, as above) is kept, text and all; a distilled one
// after a manual one merges into it.
TEST(Distill, AManualGuidelineIsNeverMergedAway) {
  const std::set<std::string> valid{"a", "b"};
  const std::string distilled = "Impute missing values with statistics fitted on the training split only.";
  const std::string person = "Impute missing values with statistics fitted on the train split only.";
  auto out =
      align::merge_guidelines({{"d", distilled, {"a"}, "reflection"}, {"d", person, {}, "manual"}}, valid);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].text, person);
  out = align::merge_guidelines({{"d", person, {}, "manual"}, {"d", distilled, {"b"}, "reflection"}}, valid);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, person);
  EXPECT_EQ(out[0].cites, std::vector<std::string>{"b"});
}

TEST(Distill, ExtractiveKeepsPhrasesOfTwoOrMoreNotebooks) {
  const auto& rubric = rubric::default_rubric();
  const std::vector<Record> records{
      {"n1#data_imputation#r", "data_imputation", 1,
       "Applies a blanket fillna to every column. Nothing else."},
      {"n2#data_imputation#r", "data_imputation", 1, "A blanket fillna(0) turns gaps into zeros."},
      {"n2#data_imputation#r2", "data_imputation", 2, "A median fill, but on train only."},
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

// A phrase under a negation keeps it: "No model is trained" is not "model trained".
TEST(Distill, ExtractiveKeepsNegationInThePhrase) {
  const auto& rubric = rubric::default_rubric();
  const std::vector<Record> records{
      {"n1#model_training#r", "model_training", std::nullopt, "No model is trained."},
      {"n2#model_training#r", "model_training", std::nullopt, "Only plots; no model is trained."},
      {"n3#model_training#r", "model_training", 2, "The model is trained and evaluated."},
      {"n4#model_training#r", "model_training", 2, "Model trained on all rows."},
      {"n5#model_training#r", "model_training", 1, "The model isn't trained."},
      {"n6#model_training#r", "model_training", 1, "Model not trained."},
      {"n7#model_training#r", "model_training", 1, "Model never trained, only defined."}};
  const auto g = align::distill_extractive(rubric, "model_training", records);
  // By hand. N/A: n1 and n2 both say "no model" and "no model trained" (the negation and the next two content
  // words; "plots" ends at ';'); at equal support the longer phrase wins and covers the shorter. Both
  // sentences have mean support 2; the shorter one is the example. Score 2: "model trained" in n3 and n4;
  // "trained evaluated" and "trained rows" once each, so both sentences have mean (2 + 1) / 2; the shorter is
  // n4's. Score 1: "isn't trained", "not trained", "never trained" are one notebook each, and no sentence
  // gives "model trained" (the old pairs of adjacent content words made "model trained" of n6 and n7).
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(
      g[0].text,
      "Score 2 (average): feedback often says \"model trained\" (2 labels), e.g. \"Model trained on all "
      "rows.\"");
  EXPECT_EQ(g[1].text,
            "N/A: feedback often says \"no model trained\" (2 labels), e.g. \"No model is trained.\"");
  EXPECT_EQ(g[1].cites, (std::vector<std::string>{"n1#model_training#r", "n2#model_training#r"}));
}

// A phrase is kept under a score only when it is characteristic of it: its share of that score's labels is at
// least twice its share (with the phrases it begins with or that begin with it) of each other score's labels.
TEST(Distill, ExtractiveKeepsAPhraseOnlyUnderTheScoreItIsCharacteristicOf) {
  const auto& rubric = rubric::default_rubric();
  std::vector<Record> records;
  auto add = [&](int first, int last, std::optional<double> score, const std::string& feedback) {
    for (int i = first; i <= last; ++i)
      records.push_back({label_id(i, "cell_organization"), "cell_organization", score, feedback});
  };
  add(1, 4, 1, "Code cells.");  // score 1: 6 labels
  add(5, 6, 1, "Long functions.");
  add(7, 8, 2, "Code cells.");  // score 2: 8 labels
  add(9, 10, 2, "Long functions.");
  add(11, 12, 2, "No error.");
  add(13, 14, 2, "Headings present.");
  add(15, 16, 3, "No error outputs.");  // score 3: 2 labels
  const auto g = align::distill_extractive(rubric, "cell_organization", records);
  // By hand, a phrase's share of each score's labels:
  // "code cells": score 1 4/6 = 0.67 >= 2 * 2/8 = 0.5, kept; score 2 2/8 = 0.25 < 2 * 4/6, dropped.
  // "long functions": score 1 2/6 = 0.33 < 2 * 2/8 = 0.5; score 2 2/8 = 0.25 < 2 * 2/6: dropped under both.
  // "no error": score 2 2/8 = 0.25 < 2 * 2/2 (score 3 says it, within "no error outputs"): dropped, although
  // both scores have 2 labels with it. Score 3: "no error outputs" 2/2 = 1 >= 2 * 2/8 (score 2's "no error",
  // which it begins with), kept; "no error" (same share) is kept too but its labels are covered by the longer
  // phrase taken first. "headings present" is said under score 2 only: 2/8 > 0, kept.
  // Without the criterion: "code cells" and "long functions" under 1; all four phrases of score 2.
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].text, "Score 1 (bad): feedback often says \"code cells\" (4 labels), e.g. \"Code cells.\"");
  EXPECT_EQ(g[0].cites.size(), 4u);
  EXPECT_EQ(
      g[1].text,
      "Score 2 (average): feedback often says \"headings present\" (2 labels), e.g. \"Headings present.\"");
  EXPECT_EQ(g[1].cites, (std::vector<std::string>{"n13#cell_organization#r", "n14#cell_organization#r"}));
  EXPECT_EQ(
      g[2].text,
      "Score 3 (good): feedback often says \"no error outputs\" (2 labels), e.g. \"No error outputs.\"");
}

// The criterion compares shares, not counts, and N/A is a score like the others: a phrase said by many labels
// of a large score can still be characteristic of a small one.
TEST(Distill, ExtractiveComparesSharesOfEachScoreIncludingNA) {
  const auto& rubric = rubric::default_rubric();
  std::vector<Record> records;
  auto add = [&](int first, int last, std::optional<double> score, const std::string& feedback) {
    for (int i = first; i <= last; ++i)
      records.push_back({label_id(i, "model_training"), "model_training", score, feedback});
  };
  add(1, 3, 2, "No model here.");  // score 2: 10 labels
  add(4, 10, 2, "Seeded split.");
  add(11, 12, std::nullopt, "No model here.");  // N/A: 2 labels
  add(13, 14, 3, "Seeded split.");              // score 3: 3 labels
  add(15, 15, 3, "Tuned forest.");
  const auto g = align::distill_extractive(rubric, "model_training", records);
  // By hand. "no model": score 2 3/10 = 0.3 < 2 * 2/2; N/A 2/2 = 1 >= 2 * 3/10 = 0.6: kept under N/A only,
  // with fewer labels than under score 2. "seeded split": score 2 7/10 = 0.7 < 2 * 2/3 = 1.33; score 3
  // 2/3 = 0.67 < 2 * 7/10 = 1.4: dropped under both. "tuned forest" has one notebook.
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].text, "N/A: feedback often says \"no model\" (2 labels), e.g. \"No model here.\"");
}

// Feedback that gives a low score often grants something first; that sentence is no example of the low
// score. By hand, score 1 (the low end of 1-3): "feature store" is said in n1, n2 and n3 (3 notebooks, the
// only candidate of 2+; "right mechanism" is in n1 and n2, covered by it). The praise "A feature store is the
// right mechanism." has the largest mean support (feature store 3, store right 2, right mechanism 2: 7/3)
// and was the example; n3's criticism is the only sentence with the phrase that is not praise only. Under
// score 3 praise is what the score is for: "clear headings" keeps its praising example. A sentence with both
// approval and a fault ("the right idea but it leaks") is not praise only.
TEST(Distill, ExtractiveQuotesNoPraiseUnderALowScore) {
  const auto& rubric = rubric::default_rubric();
  const std::vector<Record> records{
      {"n1#feature_engineering#r", "feature_engineering", 1,
       "A feature store is the right mechanism. But the window leaks the label."},
      {"n2#feature_engineering#r", "feature_engineering", 1, "A feature store is the right mechanism."},
      {"n3#feature_engineering#r", "feature_engineering", 1,
       "Feature store tables are computed over all rows before the split."},
      {"n4#feature_engineering#r", "feature_engineering", 3, "Clear headings, which is good."},
      {"n5#feature_engineering#r", "feature_engineering", 3, "Clear headings, which is good."}};
  const auto g = align::distill_extractive(rubric, "feature_engineering", records);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(
      g[0].text,
      "Score 1 (bad): feedback often says \"feature store\" (3 labels), e.g. \"Feature store tables are "
      "computed over all rows before the split.\"");
  EXPECT_EQ(g[0].cites.size(), 3u);
  EXPECT_EQ(
      g[1].text,
      "Score 3 (good): feedback often says \"clear headings\" (2 labels), e.g. \"Clear headings, which is "
      "good.\"");
  // A phrase said under a low score only in praise is no reason for it: no guideline.
  const std::vector<Record> praise_only{
      {"n1#feature_engineering#r", "feature_engineering", 1, "A feature store is the right mechanism."},
      {"n2#feature_engineering#r", "feature_engineering", 1, "A feature store is the right mechanism."}};
  EXPECT_TRUE(align::distill_extractive(rubric, "feature_engineering", praise_only).empty());
  // Approval and a fault together, or approval negated, is an example still.
  const std::vector<Record> mixed{
      {"n1#feature_engineering#r", "feature_engineering", 1,
       "A feature store is the right idea but it leaks."},
      {"n2#feature_engineering#r", "feature_engineering", 1, "A feature store is not the right mechanism."}};
  const auto m = align::distill_extractive(rubric, "feature_engineering", mixed);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].text.find("\"feature store\" (2 labels)"), std::string::npos) << m[0].text;
  // Saying what should have been done names a fault ("approach", "would"): an example still. Without the
  // fault words both sentences would read as praise only, and no guideline would be left.
  const std::vector<Record> should{{"n1#data_imputation#r", "data_imputation", 1,
                                    "The proper approach is to fit the imputer on the training split."},
                                   {"n2#data_imputation#r", "data_imputation", 1,
                                    "The imputer would be fitted properly on the training split."}};
  const auto d = align::distill_extractive(rubric, "data_imputation", should);
  ASSERT_EQ(d.size(), 1u);
  // "training split" is the one phrase both share; n2's sentence has the larger mean support (1.25 to 1.2).
  EXPECT_EQ(d[0].text,
            "Score 1 (bad): feedback often says \"training split\" (2 labels), e.g. \"The imputer would be "
            "fitted properly on the training split.\"");
}
