// SPDX-License-Identifier: MIT
#pragma once
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// The offline judge: scores the nine ml-notebook dimensions from static evidence in the notebook (imports
/// and installs, the pandas / scikit-learn / MLflow calls a step needs, where the split happens relative to
/// imputation and scaling, error outputs, markdown structure). Returns N/A by the rubric's rules and a
/// rationale citing cell numbers. A dimension it has no rules for is `unscored` with the reason.
/// With memory in the context it blends its rule score with the similarity-weighted human scores of the
/// nearest episodes (see docs/memory.md). A notebook with prompt-injection text gets the flags of
/// flag_injection on every verdict; its scores stay those of the rules.
class HeuristicJudge : public Judge {
 public:
  std::string spec() const override { return "heuristic"; }
  bool learns_fact_rules() const override { return true; }
  /// The rubric's dimensions without a heuristic rule, and a scale the rules cannot map to.
  std::vector<std::string> cannot_score(const rubric::Rubric& rubric) const override;
  std::vector<Verdict> score(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                             const MemoryUse& context) override;
};

}  // namespace judge::scoring
