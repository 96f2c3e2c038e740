// SPDX-License-Identifier: MIT
// The heuristic judge's memory blend (src/scoring/memory_blend.cpp), with values worked out by hand.
#include <gtest/gtest.h>

#include "judge/memory/memory.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/heuristic_rules.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/scoring/memory_section.hpp"

using namespace judge;

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

// Episodes whose excerpt is exactly the query notebook's excerpt: similarity 1 each.
memory::Memory memory_of(
    const notebook::Notebook& nb,
    const std::vector<std::pair<std::optional<double>, std::optional<double>>>& human_judge) {
  memory::Memory m;
  m.set_vocabulary({{"data_imputation", {"fillna"}}});
  const std::string text = m.excerpt(nb, "data_imputation");
  m.embedder().fit({text, "other words"});
  std::vector<memory::Episode> eps;
  for (std::size_t i = 0; i < human_judge.size(); ++i) {
    memory::Episode e;
    e.id = "e" + std::to_string(i) + "#data_imputation";
    e.notebook = "e" + std::to_string(i);
    e.dimension = "data_imputation";
    e.human_score = human_judge[i].first;
    e.judge_status = human_judge[i].second ? verdict::Status::scored : verdict::Status::not_applicable;
    e.judge_score = human_judge[i].second;
    e.excerpt = text;
    e.vector = m.embedder().embed({text}).front();
    eps.push_back(e);
  }
  m.set_episodes(eps);
  m.set_blend_weights({{"data_imputation", {1, 1}}});  // follow memory fully, as a learnt weight of 1 would
  return m;
}

verdict::Verdict rule(std::optional<double> score) {
  verdict::Verdict v;
  v.dimension = "data_imputation";
  v.status = score ? verdict::Status::scored : verdict::Status::not_applicable;
  v.score = score;
  return v;
}

}  // namespace

TEST(MemoryBlend, CorrectsTheRuleByTheNeighboursErrors) {
  const auto nb = notebook_with("df = df.fillna(0)");
  // Neighbours: human 2 / judge 1 (error +1), human 3 / judge 3 (error 0): mean error +0.5.
  const auto m = memory_of(nb, {{2, 1}, {3, 3}});
  std::vector<verdict::Verdict> v{rule(2)};
  scoring::apply_memory(nb, {&m, 5}, v);
  EXPECT_EQ(v[0].status, verdict::Status::scored);
  EXPECT_DOUBLE_EQ(*v[0].score, 2.5);
  EXPECT_EQ(v[0].extra["episodes"], nlohmann::ordered_json({"e0#data_imputation", "e1#data_imputation"}));
  EXPECT_EQ(v[0].extra["rule_score"], 2);
  EXPECT_NE(v[0].rationale.find("memory: rule score 2 corrected"), std::string::npos) << v[0].rationale;

  // Blend weight 0.5: 2 + 0.5 * (2.5 - 2) = 2.25; the record says the weight it applied.
  auto half = memory_of(nb, {{2, 1}, {3, 3}});
  half.set_blend_weights({{"data_imputation", {0.5, 1}}});
  v = {rule(2)};
  scoring::apply_memory(nb, {&half, 5}, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 2.25);
  EXPECT_EQ(v[0].extra["blend_weight"], nlohmann::ordered_json({{"score", 0.5}, {"na", 1.0}}));
  // Weight 0: the episodes are listed, the score stays the rule's, and the record says why.
  auto none = memory_of(nb, {{2, 1}, {3, 3}});
  none.set_blend_weights({{"data_imputation", {0, 0}}});
  v = {rule(2)};
  scoring::apply_memory(nb, {&none, 5}, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 2);
  EXPECT_EQ(v[0].extra["blend_weight"], nlohmann::ordered_json({{"score", 0.0}, {"na", 0.0}}));

  // k = 1 uses the first neighbour only (ties go to the lower id): 2 + 1 = 3, but the blend stays within
  // the rule's and the neighbours' human scores (2 and 2): 2.
  v = {rule(2)};
  scoring::apply_memory(nb, {&m, 1}, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 2);
  EXPECT_EQ(v[0].extra["episodes"], nlohmann::ordered_json({"e0#data_imputation"}));
  EXPECT_EQ(v[0].rationale.find("memory"), std::string::npos);  // unchanged: no note
}

// A neighbour whose verdict another judge gave measures no error of this judge: human 1 / judge 3 (error -2)
// marked so, human 3 / judge 2 (error +1). The rule's 2 is corrected by +1 alone: 3 (both errors would make
// it 2 - 0.5 = 1.5); the marked neighbour's human 1 still bounds the range [1, 3].
TEST(MemoryBlend, AnotherJudgesVerdictMeasuresNoError) {
  const auto nb = notebook_with("df = df.fillna(0)");
  auto m = memory_of(nb, {{1, 3}, {3, 2}});
  auto eps = m.episodes();
  eps[0].verdict_judge = "command:./other-judge";
  m.set_episodes(eps);
  std::vector<verdict::Verdict> v{rule(2)};
  scoring::apply_memory(nb, {&m, 5}, v);
  EXPECT_EQ(v[0].status, verdict::Status::scored);
  EXPECT_DOUBLE_EQ(*v[0].score, 3);
}

TEST(MemoryBlend, NotApplicableFollowsTheNeighboursCorrections) {
  const auto nb = notebook_with("df = df.fillna(0)");
  // Both neighbours: judge scored, human said N/A: the judge's "applicable" was wrong there, so N/A here.
  const auto m = memory_of(nb, {{std::nullopt, 2}, {std::nullopt, 1}});
  std::vector<verdict::Verdict> v{rule(2)};
  scoring::apply_memory(nb, {&m, 5}, v);
  EXPECT_EQ(v[0].status, verdict::Status::not_applicable);
  EXPECT_FALSE(v[0].score.has_value());
  // The rule says N/A; the neighbours show the judge said N/A where people scored 3: applicable, score 3.
  const auto m2 = memory_of(nb, {{3, std::nullopt}, {3, std::nullopt}});
  v = {rule(std::nullopt)};
  scoring::apply_memory(nb, {&m2, 5}, v);
  EXPECT_EQ(v[0].status, verdict::Status::scored);
  EXPECT_DOUBLE_EQ(*v[0].score, 3);
  EXPECT_TRUE(v[0].extra["rule_score"].is_null());  // the rule said N/A: no score before the blend
  // One vote each way is a tie: applicable (the rule's score stands, no residual available from N/A).
  const auto m3 = memory_of(nb, {{std::nullopt, 2}, {2, 2}});
  v = {rule(3)};
  scoring::apply_memory(nb, {&m3, 5}, v);
  EXPECT_EQ(v[0].status, verdict::Status::scored);
  EXPECT_DOUBLE_EQ(*v[0].score, 3);  // 3 + (2 - 2) = 3
  // No memory: nothing changes.
  v = {rule(2)};
  scoring::apply_memory(nb, {}, v);
  EXPECT_EQ(*v[0].score, 2);
  EXPECT_TRUE(v[0].extra.empty());
}

TEST(MemoryBlend, CalibrationPrefersTheRuleWhenMemoryDoesNotHelp) {
  const auto nb = notebook_with("df = df.fillna(0)");
  // The judge was right on every episode: leave-one-out corrections are 0, all weights tie -> 0.
  const auto right = memory_of(nb, {{2, 2}, {3, 3}, {1, 1}});
  EXPECT_EQ(scoring::calibrate_memory(right, 5).at("data_imputation").score, 0);
  // The judge is always 1 too low. Held out, each episode's rule score moves by its neighbours' residual
  // (+1), clamped to the range of the rule's and the neighbours' human scores: the two (human 2, judge 1)
  // go 1 -> 2 (exact; range [1, 3]), the (3, 2) goes 2 -> 3 but is clamped to [2, 2] (error 1).
  // Summed errors per weight 0, 0.25, 0.5, 0.75, 1: 3, 2.5, 2, 1.5, 1. Weight 1 has the lowest mean, 1/3,
  // with per-episode errors (0, 0, 1): s^2 = 1/3 - 1/9 = 2/9, standard error sqrt(2/9) / sqrt(3) = 0.272.
  // The smallest weight within 1/3 + 0.272 = 0.605 is 0.75 (mean 0.5; 0.5's is 0.667).
  const auto low = memory_of(nb, {{2, 1}, {3, 2}, {2, 1}});
  EXPECT_EQ(scoring::calibrate_memory(low, 5).at("data_imputation").score, 0.75);
  // The same pairs twice: a held-out (3, 2) now has the other (3, 2) among its neighbours, so the range is
  // [2, 3] and its correction to 3 is exact too. Every error at weight 1 is 0 (standard error 0), and every
  // smaller weight's mean is above 0: weight 1.
  const auto six = memory_of(nb, {{2, 1}, {3, 2}, {2, 1}, {2, 1}, {3, 2}, {2, 1}});
  EXPECT_EQ(scoring::calibrate_memory(six, 5).at("data_imputation").score, 1);
}

// A verdict a person's rule set is final: the blend that moves the same verdict set by a learnt rule (as
// above: 2 -> 2.5 with neighbours' errors +1 and 0) leaves it as the manual rule gave it.
TEST(MemoryBlend, LeavesAVerdictAPersonsRuleSetAlone) {
  const auto nb = notebook_with("df = df.fillna(0)");
  const auto m = memory_of(nb, {{2, 1}, {3, 3}});
  for (const std::string source : {"learnt", "manual"}) {
    std::vector<verdict::Verdict> v{rule(2)};
    v[0].extra["learnt_rule"] = "when always -> score 2";
    v[0].extra["rule_source"] = source;
    v[0].extra["rule_score"] = 1;
    scoring::apply_memory(nb, {&m, 5}, v);
    EXPECT_DOUBLE_EQ(*v[0].score, source == "learnt" ? 2.5 : 2) << source;
    EXPECT_EQ(v[0].rationale.find("memory"), source == "learnt" ? 0u : std::string::npos) << v[0].rationale;
  }
}

// A person's rule that holds but leaves the verdict as it is decides it too: apply_fact_rules says so
// (rule_source), and the blend that would move 2 to 2.5 (as above) leaves it; a learnt rule that changes
// nothing is not said.
TEST(MemoryBlend, APersonsRuleThatHoldsIsFinalEvenWhenItChangesNothing) {
  const auto nb = notebook_with("df = df.fillna(0)");
  for (const std::string source : {"manual", "learnt"}) {
    auto m = memory_of(nb, {{2, 1}, {3, 3}});
    m.set_guidelines({{"data_imputation", "when always -> score at most 3", {}, source}});
    std::vector<verdict::Verdict> v{rule(2)};
    scoring::apply_fact_rules(m, {}, v);
    EXPECT_EQ(v[0].extra.contains("rule_source"), source == "manual") << source;
    scoring::apply_memory(nb, {&m, 5}, v);
    EXPECT_DOUBLE_EQ(*v[0].score, source == "manual" ? 2 : 2.5) << source;
  }
}

// A person's rule moves no notebook it does not cover: a neighbour's residual is measured without it. The
// first test's neighbours (2, 1) and (3, 3), the first with fact trains_model, under `when trains_model ->
// score 3`. Learnt, that neighbour's residual is 2 - 3 = -1: 2 + (-1 + 0) / 2 = 1.5, kept within [2, 3]: 2.
// A person's: its residual is the judge's own, 2 - 1 = +1: 2.5, as without the rule.
TEST(MemoryBlend, APersonsRuleDoesNotMoveTheNotebooksItDoesNotCover) {
  const auto nb = notebook_with("df = df.fillna(0)");
  for (const std::string source : {"learnt", "manual"}) {
    auto m = memory_of(nb, {{2, 1}, {3, 3}});
    auto eps = m.episodes();
    eps[0].facts = {{"trains_model", 1}};
    eps[1].facts = {{"trains_model", 0}};
    m.set_episodes(eps);
    m.set_guidelines({{"data_imputation", "when trains_model -> score 3", {}, source}});
    std::vector<verdict::Verdict> v{rule(2)};  // not covered: no rule was applied to it
    scoring::apply_memory(nb, {&m, 5}, v);
    EXPECT_DOUBLE_EQ(*v[0].score, source == "learnt" ? 2 : 2.5) << source;
  }
}

// A learnt rule edited by hand (its text not among those align wrote) is a person's: indexed as manual.
TEST(MemoryBlend, ALearntRuleEditedByHandIsAPersons) {
  memory::Memory m;
  m.set_guidelines({{"data_imputation", "when trains_model -> score 3", {}, "learnt"},
                    {"data_imputation", "when always -> score 2", {}, "learnt"}});
  m.set_learnt_record({{"data_imputation", {{"when always -> score 2"}, {}, {}}}});
  ASSERT_EQ(m.fact_rules("data_imputation").size(), 2u);
  EXPECT_EQ(m.fact_rules("data_imputation")[0].source, "manual");  // edited: align wrote another text
  EXPECT_EQ(m.fact_rules("data_imputation")[1].source, "learnt");
}

// Nor is a blend weight learnt from episodes a person's rule sets. Six episodes (human, judge): four (2, 1),
// two (3, 2), each with fact trains_model, under the rule `when trains_model -> score 3`. Learnt: every
// episode's rule verdict is 3, the residuals human - 3 are -1 (four) and 0 (two). Held out, a human-2
// episode's five neighbours average -0.6 (range [2, 3]): error |2 - (3 - 0.6 w)| = 1 - 0.6 w; a human-3
// episode's average -0.8: error 0.8 w. Summed: 4 - 0.8 w, lowest at w = 1 (mean 0.533; per-episode errors
// 0.4 x4, 0.8 x2: standard error sqrt(0.0356 / 6) = 0.077); the smallest weight within 0.610 is 0.5 (mean
// 0.6; 0.75's is 0.567, 0.25's 0.633). Manual: no episode is usable, so the weight is not learnt: 0.
TEST(MemoryBlend, WeightsAreNotLearntFromEpisodesAPersonsRuleSets) {
  const auto nb = notebook_with("df = df.fillna(0)");
  for (const std::string source : {"learnt", "manual"}) {
    auto m = memory_of(nb, {{2, 1}, {3, 2}, {2, 1}, {2, 1}, {3, 2}, {2, 1}});
    auto eps = m.episodes();
    for (auto& e : eps) e.facts = {{"trains_model", 1}};
    m.set_episodes(eps);
    m.set_guidelines({{"data_imputation", "when trains_model -> score 3", {}, source}});
    std::vector<std::string> unlearnt;
    const auto w = scoring::calibrate_memory(m, 5, &unlearnt).at("data_imputation");
    EXPECT_EQ(w.score, source == "learnt" ? 0.5 : 0) << source;
    EXPECT_EQ(unlearnt.size(), source == "learnt" ? 0u : 1u) << source;
  }
}

TEST(MemorySection, GuidelinesAndNearestEpisodesForTheLlmJudge) {
  const auto nb = notebook_with("df = df.fillna(0)");
  auto m = memory_of(nb, {{2, 1}, {std::nullopt, 3}});
  m.set_guidelines({{"data_imputation", "Check missing values first.", {}, "manual"},
                    {"model_training", "Other dimension.", {}, "manual"}});
  rubric::Dimension d;
  d.id = "data_imputation";
  const auto s = scoring::memory_section(nb, d, {&m, 1});
  EXPECT_EQ(s.guidelines, (std::vector<std::string>{"Check missing values first."}));
  ASSERT_EQ(s.episodes.size(), 1u);  // k = 1
  EXPECT_EQ(s.episodes[0].notebook, "e0");
  EXPECT_EQ(s.episodes[0].human_score, 2);
  EXPECT_EQ(s.episodes[0].excerpt, m.excerpt(nb, "data_imputation"));
  EXPECT_TRUE(scoring::memory_section(nb, d, {}).empty());
}

// A notebook's own episodes (same file hash, or same path) are never retrieved when it is judged, unless
// MemoryUse::own_episodes; retrieval then brings k others. Values by hand: neighbours' errors (human - judge)
// e0 +2, e1 +1, e2 0, every similarity 1, rule score 2.
TEST(MemoryBlend, OwnEpisodesAreLeftOutAndKOthersRetrieved) {
  const auto nb = notebook_with("df = df.fillna(0)");
  auto m = memory_of(nb, {{3, 1}, {2, 1}, {3, 3}});
  auto eps = m.episodes();
  eps[0].notebook_hash = "H";  // e0 was aligned on the file being judged
  m.set_episodes(eps);
  m.set_blend_weights({{"data_imputation", {1, 1}}});
  scoring::MemoryUse own_left_out{&m, 2};
  own_left_out.notebook_hash = "H";
  // k = 2 others: e1 and e2, mean error 0.5: 2.5 (with e0 it would be e0 and e1: 2 + 1.5 = 3.5, capped at 3).
  std::vector<verdict::Verdict> v{rule(2)};
  scoring::apply_memory(nb, own_left_out, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 2.5);
  EXPECT_EQ(v[0].extra["episodes"], nlohmann::ordered_json({"e1#data_imputation", "e2#data_imputation"}));
  EXPECT_EQ(v[0].extra["episodes_left_out"], 1);
  // Production use on labelled notebooks: own episodes allowed, e0 comes back.
  scoring::MemoryUse own_allowed = own_left_out;
  own_allowed.own_episodes = true;
  v = {rule(2)};
  scoring::apply_memory(nb, own_allowed, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 3);
  EXPECT_EQ(v[0].extra["episodes"], nlohmann::ordered_json({"e0#data_imputation", "e1#data_imputation"}));
  EXPECT_FALSE(v[0].extra.contains("episodes_left_out"));
  // Another file (hash G): nothing is its own, nothing left out; an empty hash never matches an empty one.
  for (const std::string hash : {"G", ""}) {
    scoring::MemoryUse other{&m, 2};
    other.notebook_hash = hash;
    v = {rule(2)};
    scoring::apply_memory(nb, other, v);
    EXPECT_EQ(v[0].extra["episodes_left_out"], 0) << hash;
    EXPECT_EQ(v[0].extra["episodes"], nlohmann::ordered_json({"e0#data_imputation", "e1#data_imputation"}))
        << hash;
  }
  // The same path as an episode's notebook marks it as its own too (here e1, whose notebook is "e1").
  auto same_path = nb;
  same_path.path = "e1";
  v = {rule(2)};
  scoring::apply_memory(same_path, own_left_out, v);
  EXPECT_EQ(v[0].extra["episodes"], nlohmann::ordered_json({"e2#data_imputation"}));
  EXPECT_EQ(v[0].extra["episodes_left_out"], 2);

  // Inside a .dbc archive the hash is the archive's: only the same member is its own, not its neighbours.
  eps = m.episodes();
  eps[0].notebook = "x/arch.dbc!/team/a.python";
  eps[1].notebook = "x/arch.dbc!/team/b.python";
  eps[1].notebook_hash = "H";
  m.set_episodes(eps);
  auto member = nb;
  member.path = "nb/arch.dbc!/team/a.python";
  v = {rule(2)};
  scoring::apply_memory(member, own_left_out, v);
  EXPECT_EQ(v[0].extra["episodes"], nlohmann::ordered_json({"e1#data_imputation", "e2#data_imputation"}));
  EXPECT_EQ(v[0].extra["episodes_left_out"], 1);
  eps[0].notebook = "e0";
  eps[1].notebook = "e1";
  eps[1].notebook_hash = "";
  m.set_episodes(eps);

  // The LLM judge's memory section leaves out the same episodes.
  rubric::Dimension d;
  d.id = "data_imputation";
  const auto s = scoring::memory_section(nb, d, own_left_out);
  ASSERT_EQ(s.episodes.size(), 2u);
  EXPECT_EQ(s.episodes[0].notebook, "e1");
  EXPECT_EQ(s.episodes[1].notebook, "e2");
  EXPECT_EQ(scoring::memory_section(nb, d, own_allowed).episodes[0].notebook, "e0");
  EXPECT_EQ(scoring::own_episode_count(nb, "data_imputation", own_left_out), 1u);
  EXPECT_EQ(scoring::own_episode_count(nb, "data_imputation", own_allowed), 0u);
}

// A weight measured on fewer than 2 episodes is not learnt: 0, with the reason.
TEST(MemoryBlend, WeightsNeedAtLeastTwoEpisodes) {
  const auto nb = notebook_with("df = df.fillna(0)");
  // One episode, judge 1 below the human: alone, it would move every similar notebook by +1.
  const auto one = memory_of(nb, {{2, 1}});
  std::vector<std::string> why;
  const auto w = scoring::calibrate_memory(one, 5, &why);
  EXPECT_EQ(w.at("data_imputation").score, 0);
  EXPECT_EQ(w.at("data_imputation").na, 0);
  EXPECT_EQ(why, (std::vector<std::string>{"data_imputation: 1 episode, at least 2 needed"}));
  EXPECT_EQ(w.at("data_imputation").unlearnt, "1 episode, at least 2 needed");  // kept in memory.json
  // Two episodes, judge always 1 below. Held out, (2, 1) is corrected to 2 (exact), (3, 2) to 3 but
  // clamped to its neighbour's human 2 (error 1): summed errors 2, 1.75, 1.5, 1.25, 1 for weights 0 to 1.
  // Weight 1's mean 0.5 has standard error sqrt(0.5 - 0.25) / sqrt(2) = 0.354; the smallest weight within
  // 0.854 is 0.5 (mean 0.75). The judge's and memory's N/A calls agree with people on both (2 = 2): N/A
  // weight 0. Nothing to report.
  why.clear();
  const auto two = scoring::calibrate_memory(memory_of(nb, {{2, 1}, {3, 2}}), 5, &why);
  EXPECT_EQ(two.at("data_imputation").score, 0.5);
  EXPECT_EQ(two.at("data_imputation").na, 0);
  EXPECT_TRUE(why.empty());
  EXPECT_EQ(two.at("data_imputation").unlearnt, "");
  // Three episodes, but people scored only one of them (two N/A): the N/A weight is measured on all three,
  // the score weight on none (the scored episode's neighbours vote N/A, so memory offers no score).
  why.clear();
  const auto na =
      scoring::calibrate_memory(memory_of(nb, {{std::nullopt, 2}, {std::nullopt, 1}, {3, 2}}), 5, &why);
  EXPECT_EQ(na.at("data_imputation").score, 0);
  ASSERT_EQ(why.size(), 1u);
  EXPECT_EQ(
      why[0],
      "data_imputation: score weight: 0 episodes of 3 scored by both people and the judge, with a similar "
      "scored episode, at least 2 needed (the N/A weight was learnt)");
  // Not learnt means not applied: the blend leaves the rule score alone with the weights of `one`.
  auto m = memory_of(nb, {{2, 1}});
  m.set_blend_weights(w);
  std::vector<verdict::Verdict> v{rule(2)};
  scoring::apply_memory(nb, {&m, 5}, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 2);
}

TEST(FactRuleCheck, ActionsOffTheScaleAreErrorsUnknownFactsWarnings) {
  memory::Memory m;
  m.set_guidelines({
      {"model_training", "when trains_model -> score 3", {}, "manual"},               // fine
      {"model_training", "when always -> score 7", {}, "manual"},                     // off the 1-3 scale
      {"model_training", "when always -> score at least 0", {}, "manual"},            // off the scale
      {"model_training", "when rule_score >= 2 -> score at most 2.5", {}, "manual"},  // not a scale point
      {"model_training", "when trains_modle -> score 1", {}, "manual"},               // typo: never holds
      {"model_training", "when always, trains_model -> N/A", {}, "manual"},           // "always" is no fact
      {"no_such_dimension", "when nothing -> score 9", {}, "manual"},                 // no such dimension
      {"no_such_dimension", "Check the seeds.", {}, "manual"},
  });
  const auto check = scoring::check_fact_rules(m, rubric::default_rubric());
  // Lines in the guidelines.yaml save would write: two comment lines, schema_version, guidelines, the
  // dimension key, then four lines per guideline (text, source, and `cites:` with `[]` on the next line), the
  // first at line 6.
  using P = scoring::FactRuleProblem;
  EXPECT_EQ(
      check.errors,
      (std::vector<P>{
          {10, "model_training: `when always -> score 7` gives a score off the rubric's scale (1 to 3)"},
          {14,
           "model_training: `when always -> score at least 0` gives a score off the rubric's scale "
           "(1 to 3)"},
          {18,
           "model_training: `when rule_score >= 2 -> score at most 2.5` gives a score off the "
           "rubric's scale (1 to 3)"}}));
  const auto known = [] {
    std::string out;
    for (const auto& d : rubric::default_rubric().dimensions) out += (out.empty() ? "" : ", ") + d.id;
    return out;
  }();
  std::string unused = "`no_such_dimension` is not a dimension of rubric ";
  unused += rubric::default_rubric().id;
  unused += " (it has: " + known + "), so its 2 guidelines are not used";
  EXPECT_EQ(scoring::unknown_guideline_dimensions(m, rubric::default_rubric()),
            std::vector<std::string>{unused});
  // A misspelt dimension key (one letter short of library_installation) gets a did-you-mean, as a fact does.
  m.set_guidelines({{"library_instalation", "Pin versions.", {}, "manual"},
                    {"model_trainng", "when trains_model -> score 3", {}, "manual"}});
  const auto misspelt = scoring::unknown_guideline_dimensions(m, rubric::default_rubric());
  ASSERT_EQ(misspelt.size(), 2u);
  std::string one = "`library_instalation` is not a dimension of rubric ";
  one += rubric::default_rubric().id;
  one += " (it has: " + known + "), so its 1 guideline is not used; did you mean `library_installation`?";
  EXPECT_EQ(misspelt[0], one);
  EXPECT_TRUE(misspelt[1].ends_with("guideline is not used; did you mean `model_training`?")) << misspelt[1];
  // a cut of the rubric is not what the check is against: eval --dimensions passes the whole rubric
  EXPECT_EQ(check.warnings,
            (std::vector<P>{{22,
                             "model_training: `when trains_modle -> score 1` tests `trains_modle`, which is "
                             "not a fact (docs/facts.md), so the rule never applies; did you mean "
                             "`trains_model`?"},
                            {26,
                             "model_training: `when always, trains_model -> N/A` tests `always`, which is "
                             "not a fact (docs/facts.md), so the rule never applies"}}));
  // N/A on a rubric without N/A.
  rubric::Rubric no_na = rubric::select_dimensions(rubric::default_rubric(), "model_training");
  no_na.allows_na = false;
  m.set_guidelines({{"model_training", "when not trains_model -> N/A", {}, "manual"}});
  EXPECT_EQ(scoring::check_fact_rules(m, no_na).errors,
            (std::vector<P>{{6, "model_training: `when not trains_model -> N/A` says N/A, but rubric " +
                                    no_na.id + " has no N/A"}}));
}
