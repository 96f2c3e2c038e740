// SPDX-License-Identifier: MIT
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "judge/memory/calibration.hpp"
#include "judge/memory/memory.hpp"
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// Measures, per dimension, how much the heuristic judge's memory blend (apply_memory) should be trusted:
/// each episode is scored by leave-one-out (its k nearest other episodes correct the judge verdict it
/// recorded) and compared with its human label. The score weight is the smallest of {0, 0.25, 0.5, 0.75, 1}
/// whose mean absolute error is within one standard error of the lowest (CART's one-standard-error rule,
/// which stats::fit_rule_tree uses to test a rule against none; the standard error is s / sqrt(n) over the n
/// scored episodes, s^2 the mean squared deviation of the lowest weight's errors), so a gain within the noise
/// of its own estimate leaves the rule verdict alone; the N/A weight is 1 when memory's N/A decisions agree
/// with people more often than the judge's own, else 0. Leave-one-out leaves out every episode of the same
/// notebook (path or Episode::notebook_hash), as eval does. A weight measured on fewer than 2 episodes is not
/// learnt and is 0 (memory leaves the rule verdict alone), so one label cannot move unrelated notebooks; a
/// dimension of the memory gets an entry either way; one whose score weight was not learnt says why in its
/// BlendWeight::unlearnt ("1 episode, at least 2 needed"). `unlearnt` (when not null) gets one line per such
/// dimension ("cell_organization: 1 episode, at least 2 needed").
/// Needs episodes with their vectors.
std::map<std::string, memory::BlendWeight> calibrate_memory(const memory::Memory& memory, int k,
                                                            std::vector<std::string>* unlearnt = nullptr);

/// The context.top_k episodes of `dimension` most similar to nb's excerpt (Memory::excerpt), most similar
/// first, from context.memory (empty without one). Unless context.own_episodes, nb's own episodes are passed
/// over (retrieval then returns k others, not k minus its own): those labelled under the same path, and
/// those aligned on the same file (Episode::notebook_hash equal to a non-empty context.notebook_hash; for a
/// notebook inside a .dbc archive, whose hash is the archive's, the same "!/member" of it as well).
std::vector<memory::Retrieved> retrieve_episodes(const notebook::Notebook& nb, const std::string& dimension,
                                                 const MemoryUse& context);

/// How many episodes of `dimension` in context.memory are nb's own in the sense of retrieve_episodes: the
/// number it leaves out (0 when context.own_episodes or without memory). Eval records write it as
/// "episodes_left_out".
std::size_t own_episode_count(const notebook::Notebook& nb, const std::string& dimension,
                              const MemoryUse& context);

/// Whether context.memory holds a label of nb: an episode that is nb's own in the sense of retrieve_episodes,
/// whatever context.own_episodes says. Its guidelines and learnt rules may come from that label, so agreement
/// measured on nb with this memory is in-sample. false without memory.
bool labelled_in_memory(const notebook::Notebook& nb, const MemoryUse& context);

/// Applies the memory's learnt rules (Memory::fact_rules) to the heuristic verdicts of a notebook whose named
/// facts are `facts` (notebook_facts): for each verdict, the first rule of its dimension that matches (with
/// `rule_score` = the verdict's score, 0 for N/A) edits it by its action, notes the rule in the rationale
/// ("learnt rule: ..." for source learnt, else "rule (SOURCE): ...") and
/// keeps the score before in extra["rule_score"] and the rule in extra["learnt_rule"] (both only when the
/// verdict changed). Unscored verdicts are left alone.
void apply_fact_rules(const memory::Memory& memory, const std::map<std::string, double>& facts,
                      std::vector<Verdict>& verdicts);

/// What is wrong with the memory's rules (Memory::fact_rules) for judging on `rubric`, one problem per line
/// naming the dimension and the rule, with the rule's line in guidelines.yaml. `errors`: an action the rubric
/// cannot give (a score not on its scale, N/A on a rubric without N/A), which would put a verdict off the
/// scale. `warnings`: a test on a name that is neither a fact of fact_vocabulary() nor `rule_score` (a typo,
/// "always" among other tests), which never holds, so the rule never applies; when a fact is within a few
/// edits of the name (closest_fact), the warning ends "; did you mean `FACT`?". Rules of dimensions the
/// rubric lacks are not looked at. judge eval (warnings printed, errors refused), judge align and judge
/// memory show (both printed) report them as "DIR/guidelines.yaml:LINE: WHAT".
struct FactRuleProblem {
  int line = 0;      ///< the rule's line in guidelines.yaml (FactRule::line; 0 when unknown)
  std::string what;  ///< "model_training: `when trains_modle -> score 1` tests `trains_modle`, which ..."
  bool operator==(const FactRuleProblem&) const = default;
};
struct FactRuleCheck {
  std::vector<FactRuleProblem> errors, warnings;
};
FactRuleCheck check_fact_rules(const memory::Memory& memory, const rubric::Rubric& rubric);

/// What is wrong with one rule of the offline judge against `rubric`, each problem worded to follow the rule
/// ("gives a score off the rubric's scale (1 to 3)", "tests `x`, which is not a fact (docs/facts.md), so the
/// rule never applies"): `errors` and `warnings` as check_fact_rules sorts them, which prefixes each with the
/// dimension and the rule.
struct RuleProblems {
  std::vector<std::string> errors, warnings;
};
RuleProblems rule_problems(const memory::FactRule& rule, const rubric::Rubric& rubric);

/// The fact of fact_vocabulary() (or `rule_score`) a misspelt name probably meant: the one closest by edit
/// distance (util::edit_distance), at most 3 edits and a quarter of the name's length
/// ("missing_value_check" -> "missing_value_checks"); "" when none is that close, or several tie.
std::string closest_fact(std::string_view name);

/// One line per dimension the memory's guidelines are filed under that `rubric` (the whole rubric, not a
/// --dimensions cut of it) lacks: a typo in guidelines.yaml's key (`data_imputaton:`) leaves those guidelines
/// unused by every judge. Names the rubric's dimensions and counts the guidelines, and ends with "; did you
/// mean `data_imputation`?" when rubric dimensions are near the key (util::closest_names).
std::vector<std::string> unknown_guideline_dimensions(const memory::Memory& memory,
                                                      const rubric::Rubric& rubric);

/// Maps each scored verdict's score through its dimension's map (verdicts of other dimensions, N/A and
/// unscored ones are left alone) and records {"raw": SCORE, "map": METHOD} in extra["calibrated"]. A score
/// memory set is left alone too: one a learnt rule gave or the blend moved (extra["rule_score"], the score
/// before them, differs from it or is null), since it is fitted to the labels already.
void apply_calibration(const memory::Calibration& calibration, std::vector<Verdict>& verdicts);

}  // namespace judge::scoring
