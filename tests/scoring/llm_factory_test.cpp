// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <unistd.h>

#include "../support.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/util/error.hpp"
#include "llm_fake_provider.hpp"

using namespace judge;

TEST(LlmFactory, HeuristicAndUnknownSpecs) {
  EXPECT_EQ(scoring::make_judge("heuristic")->spec(), "heuristic");
  EXPECT_EQ(scoring::make_judge("")->spec(), "heuristic");
  try {
    scoring::make_judge("nosuch:model");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
  }
}

// The spec is read against the provider table; what the judge is, callers learn through its interface.
TEST(LlmFactory, AJudgeSaysWhatItIsThroughItsInterface) {
  const auto heuristic = scoring::make_judge("heuristic");
  EXPECT_FALSE(heuristic->calls_model());
  EXPECT_TRUE(heuristic->learns_fact_rules());
  scoring::JudgeSettings settings;
  settings.offline = true;  // no key needed: the provider is never called here
  settings.cache_mode = llm::CacheMode::off;
  const auto llm = scoring::make_judge("openai:gpt-4.1-mini", settings);
  EXPECT_EQ(llm->spec(), "openai:gpt-4.1-mini");
  EXPECT_TRUE(llm->calls_model());
  EXPECT_FALSE(llm->learns_fact_rules());
  for (const std::string spec : {"heuristic:x", "heuristic2", "openai"}) {
    try {
      scoring::make_judge(spec, settings);
      ADD_FAILURE() << spec;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::usage) << spec;
    }
  }
}

TEST(LlmFactory, LlmJudgeIsMeteredAndCached) {
  auto fake = std::make_shared<test::FakeProvider>();
  fake->fallback = [](const llm::ChatRequest&) {
    return test::FakeProvider::reply(R"({"score": 2})", 10, 1);
  };
  scoring::JudgeSettings settings;
  const test::TempDir dir("judge_factory");
  settings.cache_path = (dir / "cache.sqlite").string();
  settings.usage = std::make_shared<llm::UsageMeter>();
  notebook::Notebook nb;
  nb.path = "n.ipynb";
  nb.cells.push_back({1, notebook::CellType::code, "x", "", "", std::nullopt, {}});
  const auto rubric = rubric::select_dimensions(rubric::default_rubric(), "model_training");
  for (int run = 0; run < 2; ++run) {
    auto judge = scoring::make_llm_judge(fake, settings);
    EXPECT_EQ(judge->score(nb, rubric, {})[0].score, 2.0);
  }
  EXPECT_EQ(fake->calls(), 1u);
  const auto t = settings.usage->totals();
  EXPECT_EQ(t.calls, 1);
  EXPECT_EQ(t.cached, 1);
  EXPECT_EQ(t.input_tokens, 10);
}
