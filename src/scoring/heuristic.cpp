// SPDX-License-Identifier: MIT
#include "judge/scoring/heuristic.hpp"

#include "judge/scoring/facts.hpp"
#include "judge/scoring/heuristic_rules.hpp"
#include "judge/scoring/memory_blend.hpp"

namespace judge::scoring {

std::vector<std::string> HeuristicJudge::cannot_score(const rubric::Rubric& rubric) const {
  return rule_gaps(rubric);
}

std::vector<Verdict> HeuristicJudge::score(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                           const MemoryUse& context) {
  const NotebookFacts evidence = gather_facts(nb);  // read once for the rules and the named facts
  std::vector<Verdict> verdicts = rule_verdicts(evidence, rubric);
  if (context.memory && context.use_guidelines)  // semantic memory of the offline judge: learnt rules
    apply_fact_rules(*context.memory, notebook_facts(nb, evidence), verdicts);
  apply_memory(nb, context, verdicts);
  flag_injection(prompt::detect_injection(nb), verdicts);
  return verdicts;
}

}  // namespace judge::scoring
