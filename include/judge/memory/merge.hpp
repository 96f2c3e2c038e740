// SPDX-License-Identifier: MIT
#pragma once
#include <set>
#include <string>
#include <vector>

#include "judge/memory/memory.hpp"

namespace judge::memory {

/// Merges exact and near-duplicate guidelines of the same dimension (word-set Jaccard >= 0.8 of the
/// lower-cased words): the earlier one stays, citations are united (sorted). A rule (is_fact_rule) is merged
/// only with the same text (rules that share most words still say different things), and a manual guideline
/// is merged into an earlier one only when their texts are the same (a person's text is never dropped for a
/// near one). Citations not in
/// `valid_labels` are removed; a non-manual guideline left without citations is dropped. Order kept.
std::vector<Guideline> merge_guidelines(std::vector<Guideline> guidelines,
                                        const std::set<std::string>& valid_labels);

}  // namespace judge::memory
