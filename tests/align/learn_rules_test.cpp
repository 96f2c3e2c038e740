// SPDX-License-Identifier: MIT
// The offline judge learns a team's standard from labels: learnt rules on the shared notebooks.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "judge/align/align.hpp"
#include "judge/labels/labels.hpp"
#include "judge/memory/fact_rule.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/facts.hpp"
#include "judge/scoring/heuristic.hpp"
#include "judge/scoring/heuristic_rules.hpp"

namespace fs = std::filesystem;
using namespace judge;

namespace {

const fs::path k_notebooks = fs::path(JUDGE_SHARED_DATA) / "notebooks";

// A planted standard on real notebooks: library_installation is the judge's own score, except that a
// notebook importing a package beyond the core stack that it never installs gets 1. Everything else about
// the labels agrees with the judge, so the one rule to learn is known in advance.
labels::LabelSet planted_labels(std::size_t& planted) {
  labels::LabelSet set;
  set.source = "planted.csv";
  planted = 0;
  const rubric::Rubric& rubric = rubric::default_rubric();
  for (const auto& entry : fs::recursive_directory_iterator(k_notebooks)) {
    if (!entry.is_regular_file()) continue;
    const std::string item = fs::relative(entry.path(), k_notebooks).string();
    std::string hash, error;
    const auto nb = align::read_item(k_notebooks, item, hash, error);
    if (!nb) continue;
    const auto facts = scoring::notebook_facts(*nb);
    for (const auto& v : scoring::rule_verdicts(*nb, rubric)) {
      if (v.dimension != "library_installation" || v.status == verdict::Status::unscored) continue;
      labels::Label l;
      l.item = item;
      l.dimension = v.dimension;
      l.rater = "team";
      l.score = v.score;
      if (facts.at("uninstalled_packages") >= 1 && v.score) {
        l.score = 1;
        ++planted;
      }
      l.feedback = "planted";
      set.labels.push_back(l);
    }
  }
  return set;
}

}  // namespace

TEST(LearnRules, APlantedStandardIsLearntAsOneReadableRule) {
  ASSERT_TRUE(fs::is_directory(k_notebooks))
      << k_notebooks << " is missing: ../shared/data must be beside the project";
  std::size_t planted = 0;
  const auto labels = planted_labels(planted);
  ASSERT_GE(planted, 5u);  // the shared notebooks have enough of them for the rule to be learnt
  memory::Memory m;
  scoring::HeuristicJudge judge;
  align::AlignOptions o;
  o.rubric = &rubric::default_rubric();
  o.notebooks_dir = k_notebooks;
  o.judge = &judge;
  const auto summary = align::align(m, labels, o);
  EXPECT_EQ(summary.rules_learnt.at("library_installation"), 1u);
  // The labels are on library_installation only: the other eight dimensions had nothing to learn from and
  // are not reported as "no rule beat the judge's own verdicts".
  EXPECT_EQ(summary.rules_learnt.size(), 1u);
  std::vector<memory::Guideline> learnt;
  for (const auto& g : m.guidelines("library_installation"))
    if (g.source == "learnt") learnt.push_back(g);
  ASSERT_EQ(learnt.size(), 1u);
  EXPECT_EQ(learnt[0].text, "when uninstalled_packages >= 1 -> score at most 1 (" + std::to_string(planted) +
                                " of " + std::to_string(planted) + " labels)");
  EXPECT_EQ(learnt[0].cites.size(), planted);
  // Every episode carries its notebook's facts, so the rule can be re-applied to them.
  for (const auto& e : m.episodes()) EXPECT_FALSE(e.facts.empty()) << e.id;
}

TEST(LearnRules, NoRuleWhereTheLabelsAgreeWithTheJudge) {
  std::size_t planted = 0;
  auto labels = planted_labels(planted);
  // Undo the plant: labels equal to the judge's own scores leave nothing to learn.
  const rubric::Rubric& rubric = rubric::default_rubric();
  for (auto& l : labels.labels) {
    std::string hash, error;
    const auto nb = align::read_item(k_notebooks, l.item, hash, error);
    for (const auto& v : scoring::rule_verdicts(*nb, rubric))
      if (v.dimension == l.dimension) l.score = v.score;
  }
  memory::Memory m;
  scoring::HeuristicJudge judge;
  align::AlignOptions o;
  o.rubric = &rubric;
  o.notebooks_dir = k_notebooks;
  o.judge = &judge;
  const auto summary = align::align(m, labels, o);
  EXPECT_EQ(summary.rules_learnt.at("library_installation"), 0u);
  EXPECT_TRUE(m.fact_rules("library_installation").empty());
}
