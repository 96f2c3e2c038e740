// SPDX-License-Identifier: MIT
// Placeholder rules; the real rule set replaces this file.
#include "judge/scoring/heuristic_rules.hpp"

namespace judge::scoring {

std::vector<Verdict> rule_verdicts(const notebook::Notebook& nb, const rubric::Rubric& rubric) {
  std::vector<Verdict> out;
  for (const auto& d : rubric.dimensions) {
    Verdict v;
    v.dimension = d.id;
    v.status = Status::scored;
    v.score = 2;
    v.rationale = "placeholder: " + std::to_string(nb.cells.size()) + " cells";
    out.push_back(v);
  }
  return out;
}

}  // namespace judge::scoring
