// SPDX-License-Identifier: MIT
#pragma once
#include <vector>

#include "judge/scoring/heuristic_facts.hpp"
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// The heuristic judge's rule scores (no memory): one verdict per rubric dimension, rubric order. The rules
/// score on 1-3 and map linearly onto the rubric's scale (lowest, middle, highest point: 1..5 gives 1, 3, 5).
/// Unscored, with the reason in `error`: a dimension the rules do not know, and every dimension when the
/// scale has no middle point for the rules' 2 (points {1, 5}, or 1..4): never a score off the scale.
std::vector<Verdict> rule_verdicts(const notebook::Notebook& nb, const rubric::Rubric& rubric);

/// The same, from evidence already gathered from the notebook (gather_facts), so that a caller that also
/// needs its named facts (notebook_facts) reads the notebook once.
std::vector<Verdict> rule_verdicts(const NotebookFacts& evidence, const rubric::Rubric& rubric);

/// Why the rules cannot score some of `rubric`'s dimensions, in one line: the scale has no middle point the
/// rules' 2 can map to, or the dimensions without a rule (listed, or "any of its N" when none has one); empty
/// when they can score every one.
std::vector<std::string> rule_gaps(const rubric::Rubric& rubric);

/// Blends rule verdicts with aligned memory (the similarity-weighted human scores of the nearest episodes);
/// records the episodes used in Verdict::extra. No-op when context.memory is null or context.use_episodes is
/// false (the blend has no use for guidelines).
void apply_memory(const notebook::Notebook& nb, const MemoryUse& context, std::vector<Verdict>& verdicts);

}  // namespace judge::scoring
