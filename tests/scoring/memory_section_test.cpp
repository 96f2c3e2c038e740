// SPDX-License-Identifier: MIT
// The LLM judge's memory section (src/scoring/memory_section.cpp): the budget, learnt rules left out,
// contrastive episodes. Sizes are worked out by hand from the prompt's wording (docs/prompt.md).
#include "judge/scoring/memory_section.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "../support.hpp"
#include "judge/memory/memory.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/rubric/rubric.hpp"

using namespace judge;

namespace {

// Four guidelines of model_training in file order. Rendered, each takes its length + 3 bytes ("- ", "\n"):
// 51, 69, 53 and 68 bytes; the heading "Guidelines distilled from human reviewers of earlier notebooks
// (apply them):\n" takes 77 and the empty line after them 1: 319 bytes in all, 80 tokens.
const std::string k_g1 = "Score 2: a model is fit but nothing is held out.";                    // 1 label
const std::string k_g2 = "Score 1: the model is fit on all rows and scored on the same rows.";  // 1 label
const std::string k_g3 = "Mark N/A when the notebook trains no model at all.";                  // 1 label
const std::string k_g4 = "Score 3: the split, the fit and the held-out score are all shown.";   // 2 labels
// A near-duplicate of g2 (the same words without the full stop) citing two more labels: merged into g2,
// which then cites 3 labels.
const std::string k_g2_again = "Score 1: the model is fit on all rows and scored on the same rows";

std::vector<memory::Guideline> guidelines() {
  return {{"model_training", k_g1, {"n1#model_training#r"}, "reflection"},
          {"model_training", k_g2, {"n2#model_training#r"}, "reflection"},
          {"model_training", k_g3, {"n3#model_training#r"}, "reflection"},
          {"model_training", k_g4, {"n4#model_training#r", "n5#model_training#r"}, "reflection"},
          {"model_training", k_g2_again, {"n6#model_training#r", "n7#model_training#r"}, "extractive"}};
}

// Two examples, most similar first. Rendered without excerpts (by hand): the heading "Examples of earlier
// human judgements. They are examples only: ... not the one under review.\n" 120 bytes, example 1 90 bytes
// ("<example n=\"1\" notebook=\"a.ipynb\" human_score=\"2\">\n" 51 + "Feedback: Fits on all rows.\n" 28 +
// "</example>\n" 11), example 2 82 bytes, the empty line 1: 293 bytes. An excerpt adds
// "Excerpt:\n" + its bytes + "\n": 1010 bytes for e1's 1000, 110 for e2's 100.
std::vector<prompt::Episode> episodes() {
  return {{"a.ipynb", 2.0, "Fits on all rows.", std::string(1000, 'a'), std::nullopt},
          {"b.ipynb", 1.0, "No split.", std::string(100, 'b'), std::nullopt}};
}

std::size_t tokens(const prompt::MemorySection& s) { return prompt::estimate_tokens(prompt::memory_text(s)); }

}  // namespace

TEST(MemoryBudget, WithinTheBudgetNothingIsRankedMergedOrCut) {
  // 319 + 69 bytes (the near-duplicate's line) = 388 bytes = 97 tokens.
  for (std::size_t budget : {std::size_t{0}, std::size_t{97}, scoring::MemoryOptions::k_default_budget}) {
    const auto s = scoring::fit_memory_budget(guidelines(), {}, budget);
    EXPECT_EQ(s.guidelines, (std::vector<std::string>{k_g1, k_g2, k_g3, k_g4, k_g2_again})) << budget;
  }
  EXPECT_EQ(tokens(scoring::fit_memory_budget(guidelines(), {}, 0)), 97u);
}

TEST(MemoryBudget, CutGuidelinesAreMergedRankedNaFirstThenByLabelsAndCutToAPrefix) {
  // Over 97 tokens: merged (g2 cites 3 labels), ranked g3 (N/A), g2 (3), g4 (2), g1 (1).
  // 96 tokens = 384 bytes: 77 + 53 + 69 + 68 + 51 + 1 = 319 fit, in rank order.
  EXPECT_EQ(scoring::fit_memory_budget(guidelines(), {}, 96).guidelines,
            (std::vector<std::string>{k_g3, k_g2, k_g4, k_g1}));
  // 70 tokens = 280 bytes: g3, g2, g4 take 268; g1 would make 319.
  EXPECT_EQ(scoring::fit_memory_budget(guidelines(), {}, 70).guidelines,
            (std::vector<std::string>{k_g3, k_g2, k_g4}));
  // 60 tokens = 240 bytes: g3, g2 take 200; g4 would make 268 (the prefix stops there: g1 is not tried).
  EXPECT_EQ(scoring::fit_memory_budget(guidelines(), {}, 60).guidelines,
            (std::vector<std::string>{k_g3, k_g2}));
  // 20 tokens: not even the heading and the first guideline (131 bytes).
  EXPECT_TRUE(scoring::fit_memory_budget(guidelines(), {}, 20).empty());
}

TEST(MemoryBudget, ExcerptsShareWhatIsLeftTheShortestFirst) {
  // 200 tokens = 800 bytes; without excerpts 293, left 507. e2 (110) is within its half (253) and stays
  // whole; e1 gets the 397 left: less "Excerpt:\n", "\n" (10) and the marker "\n... [truncated 640 chars]"
  // (27 with 4 digits reserved: 37), 360 bytes of it stay. Total 293 + 110 + 9 + 360 + 26 + 1 = 799.
  const auto s = scoring::fit_memory_budget({}, episodes(), 200);
  ASSERT_EQ(s.episodes.size(), 2u);
  EXPECT_EQ(s.episodes[0].excerpt, std::string(360, 'a') + "\n... [truncated 640 chars]");
  EXPECT_EQ(s.episodes[1].excerpt, std::string(100, 'b'));
  EXPECT_EQ(s.episodes[0].feedback, "Fits on all rows.");
  EXPECT_EQ(prompt::memory_text(s).size(), 799u);

  // 150 tokens = 600 bytes: left 307; e2 stays whole (110 <= 153); e1's 197 is under 37 + 200: left out.
  const auto small = scoring::fit_memory_budget({}, episodes(), 150);
  ASSERT_EQ(small.episodes.size(), 2u);
  EXPECT_EQ(small.episodes[0].excerpt, "");
  EXPECT_EQ(small.episodes[1].excerpt, std::string(100, 'b'));

  // 70 tokens = 280 bytes: even both without excerpts (293) do not fit; the least similar (e2) goes, e1
  // without its excerpt takes 120 + 90 + 1 = 211.
  const auto tiny = scoring::fit_memory_budget({}, episodes(), 70);
  ASSERT_EQ(tiny.episodes.size(), 1u);
  EXPECT_EQ(tiny.episodes[0].notebook, "a.ipynb");
  EXPECT_EQ(tiny.episodes[0].excerpt, "");
  EXPECT_TRUE(scoring::fit_memory_budget({}, episodes(), 20).empty());
}

TEST(MemoryBudget, GuidelinesTakeAtLeastAQuarterAndExamplesTheRest) {
  // 300 tokens = 1200 bytes; the examples need 293 + 110 + 1010 = 1413, so the guidelines get a quarter,
  // 300 bytes: g3, g2, g4 (268). The examples get 932: left 639 after 293; e2 whole (110 <= 319); e1 gets
  // 529, 529 - 37 = 492 bytes of its excerpt stay. Total 268 + 293 + 110 + 9 + 492 + 26 + 1 = 1199.
  const auto s = scoring::fit_memory_budget(guidelines(), episodes(), 300);
  EXPECT_EQ(s.guidelines, (std::vector<std::string>{k_g3, k_g2, k_g4}));
  ASSERT_EQ(s.episodes.size(), 2u);
  EXPECT_EQ(s.episodes[0].excerpt, std::string(492, 'a') + "\n... [truncated 508 chars]");
  EXPECT_EQ(s.episodes[1].excerpt, std::string(100, 'b'));
  EXPECT_EQ(prompt::memory_text(s).size(), 1199u);
}

TEST(MemoryBudget, NaGuidanceIsTextThatSpeaksOfNa) {
  EXPECT_TRUE(scoring::speaks_of_na("N/A: feedback often says \"no model\" (3 labels)"));
  EXPECT_TRUE(scoring::speaks_of_na("Say n/a when nothing is trained."));
  EXPECT_TRUE(scoring::speaks_of_na("The dimension is Not Applicable without a model."));
  EXPECT_FALSE(scoring::speaks_of_na("Score 1 (poor): no held-out split."));
  EXPECT_FALSE(scoring::speaks_of_na("Count NaN values first."));
}

namespace {

notebook::Notebook notebook_with(const std::string& code) {
  notebook::Notebook nb;
  nb.path = "q.ipynb";
  notebook::Cell c;
  c.number = 1;
  c.source = code;
  nb.cells.push_back(c);
  return nb;
}

struct Verdicts {
  std::optional<double> human;
  std::string judge_status;
  std::optional<double> judge;
};

// Episodes of data_imputation whose excerpt is the query notebook's own (similarity 1 each: retrieved in id
// order), with the given human and judge verdicts.
memory::Memory memory_of(const notebook::Notebook& nb, const std::vector<Verdicts>& verdicts) {
  memory::Memory m;
  m.set_vocabulary({{"data_imputation", {"fillna"}}});
  const std::string text = m.excerpt(nb, "data_imputation");
  m.embedder().fit({text, "other words"});
  std::vector<memory::Episode> eps;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    memory::Episode e;
    e.id = "e" + std::to_string(i) + "#data_imputation";
    e.notebook = "e" + std::to_string(i);
    e.dimension = "data_imputation";
    e.human_score = verdicts[i].human;
    e.feedback = "feedback " + std::to_string(i);
    e.judge_status = judge::verdict::parse_status(verdicts[i].judge_status).value();
    e.judge_score = verdicts[i].judge;
    e.judge_rationale = "rationale " + std::to_string(i);
    e.excerpt = text;
    e.vector = m.embedder().embed({text}).front();
    eps.push_back(e);
  }
  m.set_episodes(eps);
  return m;
}

rubric::Dimension imputation() {
  rubric::Dimension d;
  d.id = "data_imputation";
  return d;
}

}  // namespace

TEST(MemorySection, LearntRulesAreNeverPutInAPrompt) {
  const auto nb = notebook_with("df = df.fillna(0)");
  auto m = memory_of(nb, {});
  m.set_guidelines(
      {{"data_imputation", "when: has_fillna, not has_split -> score at most 2", {"x"}, "learnt"},
       {"data_imputation", "Fit the imputer on the training split.", {}, "manual"}});
  const auto s = scoring::memory_section(nb, imputation(), {&m, 5});
  EXPECT_EQ(s.guidelines, (std::vector<std::string>{"Fit the imputer on the training split."}));
}

TEST(MemorySection, ProseThatStartsWithWhenIsAGuidelineNotARule) {
  const auto nb = notebook_with("df = df.fillna(0)");
  auto m = memory_of(nb, {});
  const std::string prose = "When the data has gaps, fit the imputer on the training split only.";
  m.set_guidelines({{"data_imputation", prose, {"x"}, "reflection"},
                    {"data_imputation", "when imputation_before_split -> score 1", {}, "manual"}});
  const auto s = scoring::memory_section(nb, imputation(), {&m, 5});
  EXPECT_EQ(s.guidelines, (std::vector<std::string>{prose}));
}

TEST(MemorySection, ContrastiveEpisodesSayWhatTheJudgeAnsweredWhenItDiffered) {
  const auto nb = notebook_with("df = df.fillna(0)");
  const auto m = memory_of(nb, {{1.0, "scored", 3.0},
                                {2.0, "scored", 2.0},
                                {std::nullopt, "scored", 2.0},
                                {2.0, "not_applicable", std::nullopt},
                                {std::nullopt, "not_applicable", std::nullopt},
                                {1.0, "unscored", std::nullopt},
                                {1.5, "scored", 2.0}});
  scoring::MemoryOptions contrastive;
  contrastive.contrastive_episodes = true;
  const auto s = scoring::memory_section(nb, imputation(), {&m, 10}, contrastive);
  ASSERT_EQ(s.episodes.size(), 7u);
  auto judge_said = [&](std::size_t i) {
    const auto& j = s.episodes[i].judge;
    return !j ? std::string("-") : (j->score ? std::to_string(*j->score) : "N/A") + " " + j->rationale;
  };
  EXPECT_EQ(judge_said(0), "3.000000 rationale 0");
  EXPECT_EQ(judge_said(1), "-");  // agreed
  EXPECT_EQ(judge_said(2), "2.000000 rationale 2");
  EXPECT_EQ(judge_said(3), "N/A rationale 3");
  EXPECT_EQ(judge_said(4), "-");                     // both N/A
  EXPECT_EQ(judge_said(5), "-");                     // no verdict to show
  EXPECT_EQ(judge_said(6), "2.000000 rationale 6");  // 2 against the raters' mean 1.5
  // Off by default: no episode carries the judge's answer.
  for (const auto& e : scoring::memory_section(nb, imputation(), {&m, 10}).episodes) EXPECT_FALSE(e.judge);
}

// An episode whose verdict another judge gave (kept while its notebook could not be judged again) is shown
// with its feedback but no Contrast: "the judge said 3" would be another judge's word. e0 as in the test
// above (3 against 1), marked.
TEST(MemorySection, AnotherJudgesVerdictIsNoContrast) {
  const auto nb = notebook_with("df = df.fillna(0)");
  auto m = memory_of(nb, {{1.0, "scored", 3.0}});
  auto eps = m.episodes();
  eps[0].verdict_judge = "command:./other-judge";
  m.set_episodes(eps);
  scoring::MemoryOptions contrastive;
  contrastive.contrastive_episodes = true;
  const auto s = scoring::memory_section(nb, imputation(), {&m, 10}, contrastive);
  ASSERT_EQ(s.episodes.size(), 1u);
  EXPECT_EQ(s.episodes[0].feedback, "feedback 0");
  EXPECT_FALSE(s.episodes[0].judge);
}

// The default budget must leave the memory section of a memory aligned on the 40 labelled notebooks as it
// was before there was a budget, for every notebook and dimension: the prompts it was measured with.
TEST(MemorySection, DefaultBudgetCutsNothingOfFortyLabelledNotebooksMemory) {
  JUDGE_REQUIRE_SHARED_DATA();
  const auto dir = std::filesystem::temp_directory_path() / ("judge_house_mem_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto r = test::run_command(
      "cd '" + dir.parent_path().string() + "' && '" + JUDGE_BINARY + "' align --labels '" +
      (test::shared_data() / "labels/ml-notebooks-house.csv").string() + "' --notebooks '" +
      (test::shared_data() / "notebooks").string() + "' --memory '" + dir.string() + "' > /dev/null");
  ASSERT_EQ(r.exit_code, 0);
  const auto m = memory::Memory::load(dir);
  std::filesystem::remove_all(dir);
  std::set<std::string> labelled;
  for (const auto& e : m.episodes()) labelled.insert(e.notebook);
  ASSERT_EQ(labelled.size(), 40u);

  const auto read = notebook::read_path(test::shared_data() / "notebooks");
  const scoring::MemoryUse context{&m, m.provenance().k};
  scoring::MemoryOptions unlimited;
  unlimited.budget = 0;
  std::size_t sections = 0, guidelines = 0, episodes = 0, largest = 0;
  for (const auto& nb : read.notebooks)
    for (const auto& d : rubric::default_rubric().dimensions) {
      const auto whole = prompt::memory_text(scoring::memory_section(nb, d, context, unlimited));
      const auto budgeted = scoring::memory_section(nb, d, context);
      ASSERT_EQ(prompt::memory_text(budgeted), whole) << nb.path << " " << d.id;
      ++sections;
      guidelines += budgeted.guidelines.size();
      episodes += budgeted.episodes.size();
      largest = std::max(largest, prompt::estimate_tokens(whole));
    }
  EXPECT_GE(sections, 40u * 9u);
  EXPECT_GT(guidelines, 0u);  // the sections are not empty: the test compares something
  EXPECT_GT(episodes, 0u);
  EXPECT_LT(largest, scoring::MemoryOptions::k_default_budget);
  std::cout << "largest memory section: " << largest << " tokens (default budget "
            << scoring::MemoryOptions::k_default_budget << ")\n";
}
