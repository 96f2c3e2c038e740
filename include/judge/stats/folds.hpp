// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "judge/stats/rng.hpp"

namespace judge::stats {

/// Assigns each item to one of `k` folds (0 .. k-1), stratified by `strata` (one value per item, e.g. the
/// item's mean human label). Returns fold[item]. Fold sizes differ by at most one.
/// Why: items are shuffled (so ties in the stratum are ordered at random), stably sorted by stratum, and cut
/// into consecutive blocks of k; each block deals its k items to a random permutation of the k folds, so
/// every fold gets about the same number of low, middle and high items. Throws std::invalid_argument for k
/// < 2. With fewer items than k some folds stay empty.
std::vector<int> assign_folds(std::span<const double> strata, int k, Rng& rng);

/// assign_folds with items kept together: items with the same `group` id (one per item, any numbering) get
/// one fold. Why (as scikit-learn's GroupKFold): near-duplicate items in different folds let what was learnt
/// from one be tested on its twin, and the held-out estimate looks better than it is. Each group is one unit
/// of assign_folds, in order of its first item, with the mean of its items' strata; so when every group has
/// one item the result is assign_folds' own, draw for draw. Fold sizes then differ by up to the largest
/// group's size. Throws std::invalid_argument for k < 2 or when the lengths differ.
std::vector<int> assign_folds(std::span<const double> strata, std::span<const std::size_t> group, int k,
                              Rng& rng);

}  // namespace judge::stats
