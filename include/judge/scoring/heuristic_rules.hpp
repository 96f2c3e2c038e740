// SPDX-License-Identifier: MIT
#pragma once
#include <vector>

#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// The heuristic judge's rule scores (no memory): one verdict per rubric dimension, rubric order.
std::vector<Verdict> rule_verdicts(const notebook::Notebook& nb, const rubric::Rubric& rubric);

/// Blends rule verdicts with aligned memory (the similarity-weighted human scores of the nearest episodes);
/// records the episodes used in Verdict::extra. No-op when context.memory is null or context.use_episodes is
/// false (the blend has no use for guidelines).
void apply_memory(const notebook::Notebook& nb, const Context& context, std::vector<Verdict>& verdicts);

}  // namespace judge::scoring
