// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <string>

#include "judge/rubric/rubric.hpp"
#include "judge/scoring/reply.hpp"

using namespace judge;
using scoring::parse_reply;

namespace {
const rubric::Rubric& rub() { return rubric::default_rubric(); }
const rubric::Dimension& dim() { return *rub().find("data_imputation"); }
}  // namespace

TEST(LlmReply, BareJson) {
  const auto v = parse_reply(R"({"rationale": "cell 3 imputes after the split", "score": 3})", rub(), dim());
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.score, 3);
  EXPECT_EQ(v.rationale, "cell 3 imputes after the split");
}

TEST(LlmReply, JsonInACodeFenceWithProseAround) {
  const auto v = parse_reply(
      "Here is my verdict:\n```json\n{\"score\": 2, \"rationale\": \"ok\"}\n```\nThanks!", rub(), dim());
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.score, 2);
}

TEST(LlmReply, JsonInsideProseWithBracesInStrings) {
  const auto v = parse_reply(
      "I think {this} is fine. {\"rationale\": \"uses {median}\", \"score\": \"1\"} done", rub(), dim());
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.score, 1);
  EXPECT_EQ(v.rationale, "uses {median}");
}

TEST(LlmReply, ScoreAsStringOrWholeFloat) {
  EXPECT_EQ(parse_reply(R"({"score": " 3 "})", rub(), dim()).score, 3);
  EXPECT_EQ(parse_reply(R"({"Score": 2.0})", rub(), dim()).score, 2);
}

TEST(LlmReply, NotApplicableForms) {
  for (const char* reply : {R"({"score": "N/A"})", R"({"score": "n/a"})", R"({"score": null})",
                            R"({"score": "not applicable"})"}) {
    const auto v = parse_reply(reply, rub(), dim());
    EXPECT_TRUE(v.ok && v.not_applicable && !v.score) << reply;
  }
}

TEST(LlmReply, NaRejectedWhenTheRubricHasNoNa) {
  rubric::Rubric r = rub();
  r.allows_na = false;
  const auto v = parse_reply(R"({"score": "N/A"})", r, *r.find("data_imputation"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.error, "N/A is not allowed for data_imputation; give a score 1-3");
}

TEST(LlmReply, OffScaleFractionalAndMissingAreErrorsNeverScores) {
  auto v = parse_reply(R"({"score": 7})", rub(), dim());
  EXPECT_FALSE(v.ok);
  EXPECT_FALSE(v.score);
  EXPECT_EQ(v.error, "score 7 is off the scale 1-3 (whole numbers only)");
  EXPECT_FALSE(parse_reply(R"({"score": 2.5})", rub(), dim()).ok);
  EXPECT_EQ(parse_reply(R"({"score": "good"})", rub(), dim()).error,
            "\"score\" is \"good\", not a number on the scale 1-3 or \"N/A\"");
  EXPECT_EQ(parse_reply(R"({"rationale": "x"})", rub(), dim()).error, "the JSON object has no \"score\"");
  EXPECT_EQ(parse_reply("I cannot help with that.", rub(), dim()).error, "the reply holds no JSON object");
  EXPECT_EQ(parse_reply("", rub(), dim()).error, "the reply is empty");
}

TEST(LlmReply, BatchReadsEachDimensionAndNamesTheMissingOne) {
  const std::vector<const rubric::Dimension*> dims{rub().find("model_training"),
                                                   rub().find("mlflow_logging")};
  const auto v = scoring::parse_batch_reply(
      R"({"scores": {"model_training": {"score": 2, "rationale": "r"}}})", rub(), dims);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_TRUE(v[0].ok);
  EXPECT_EQ(v[0].score, 2);
  EXPECT_FALSE(v[1].ok);
  EXPECT_EQ(v[1].error, "no entry for dimension mlflow_logging in \"scores\"");
}

TEST(LlmReply, HugeScoresDoNotWrapOntoTheScale) {
  // 4294967298 = 2^32 + 2: an int cast would wrap it to 2; it is off the 1..3 scale and must be refused.
  for (const char* reply : {R"({"score": 4294967298})", R"({"score": 1e300})", R"({"score": "nan"})",
                            R"({"score": -4294967295})"}) {
    const auto v = parse_reply(reply, rub(), dim());
    EXPECT_FALSE(v.ok) << reply;
    EXPECT_FALSE(v.score) << reply;
  }
}

TEST(LlmReply, ScaleWithGapsNamesItsPoints) {
  // Points {1, 5}: "off the scale 1-5" would read as a range that 2 is in.
  rubric::Rubric r = rub();
  r.scale = {{1, "low", ""}, {5, "high", ""}};
  auto v = parse_reply(R"({"score": 2})", r, *r.find("data_imputation"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.error, "score 2 is not a scale point (1, 5)");
  EXPECT_EQ(parse_reply(R"({"score": 7})", r, *r.find("data_imputation")).error,
            "score 7 is not a scale point (1, 5)");
  v = parse_reply(R"({"score": 5})", r, *r.find("data_imputation"));
  EXPECT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.score, 5);
}

// A scale from INT_MIN to INT_MAX: its width (max - min + 1) overflowed an int, undefined behaviour that
// UBSan reports. Input: tests/regressions/rubric_extreme_scale.yaml.
TEST(LlmReplyRegressions, AScaleSpanningEveryIntIsReadWithoutOverflow) {
  const auto extreme =
      rubric::load_rubric(std::string(JUDGE_SOURCE_DIR) + "/tests/regressions/rubric_extreme_scale.yaml");
  const auto& d = extreme.dimensions.front();
  const auto top = parse_reply(R"({"score": 2147483647, "rationale": "r"})", extreme, d);
  ASSERT_TRUE(top.ok) << top.error;
  EXPECT_EQ(top.score, 2147483647);
  const auto off = parse_reply(R"({"score": 5})", extreme, d);
  EXPECT_FALSE(off.ok);
  EXPECT_EQ(off.error, "score 5 is not a scale point (-2147483648, 2147483647)");
}
