// SPDX-License-Identifier: MIT
#include "judge/scoring/heuristic.hpp"

#include "judge/scoring/heuristic_rules.hpp"

namespace judge::scoring {

std::vector<Verdict> HeuristicJudge::score(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                           const Context& context) {
  std::vector<Verdict> verdicts = rule_verdicts(nb, rubric);
  apply_memory(nb, context, verdicts);
  return verdicts;
}

}  // namespace judge::scoring
