// SPDX-License-Identifier: MIT
#pragma once
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

}  // namespace judge::stats
