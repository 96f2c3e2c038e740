// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "judge/stats/rng.hpp"

namespace judge::stats {

/// Per-item sums of one quantity for each dimension. The bootstrap resamples items (notebooks) with all their
/// dimensions, so the table keeps, for each item and dimension, the sum of the quantity over that item's
/// pairs (e.g. |judge - human|) and how many pairs there are (0 where the item has none on that dimension).
/// A statistic is then a ratio per dimension: sum over items / count over items (a mean over pairs).
struct ItemTable {
  std::size_t items = 0;
  std::size_t dims = 0;
  std::vector<double> sum;    ///< [item * dims + dim]
  std::vector<double> count;  ///< [item * dims + dim]

  ItemTable() = default;
  ItemTable(std::size_t items, std::size_t dims);
  /// Adds one pair's value. item < items and dim < dims (else std::out_of_range).
  void add(std::size_t item, std::size_t dim, double value);
  /// sum / count over all items for `dim`; NaN when it has no pairs.
  double ratio(std::size_t dim) const;
  /// Mean over dimensions with pairs of ratio(dim); NaN when none has pairs.
  double mean_ratio() const;
};

/// One paired observation: item index in [0, items), dimension index in [0, dims), both scores.
struct Observation {
  std::size_t item = 0;
  std::size_t dim = 0;
  double judge = 0;
  double human = 0;
};

/// Table of |judge - human| per item and dimension: its ratios are per-dimension MAEs.
ItemTable abs_error_table(std::span<const Observation> observations, std::size_t items, std::size_t dims);

struct Interval {
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  /// True when the interval lies wholly above or below 0 (a paired difference is "significant").
  bool excludes_zero() const { return low > 0 || high < 0; }
};

struct BootstrapOptions {
  std::size_t resamples = 10000;  ///< B
  double confidence = 0.95;       ///< in (0, 1)
  unsigned threads = 0;           ///< 0 = one per hardware thread; results do not depend on it
};

/// Intervals per dimension (same order as the table) and for the mean over dimensions.
struct BootstrapIntervals {
  std::vector<Interval> dims;
  Interval mean;
};

/// Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) of each dimension's ratio and of their mean.
/// Why this shape: scores of one notebook are correlated across dimensions, so a resample draws `items`
/// items with replacement and keeps all of each item's dimensions; the mean over dimensions is then
/// computed within each resample. Resample b draws from rng.substream(b), so the intervals depend only on
/// the seed, never on the thread count. Interval = the (1-c)/2 and (1+c)/2 percentiles (linear
/// interpolation, like numpy) of the B resampled statistics; resamples in which a dimension has no pair
/// are left out for that dimension. Throws std::invalid_argument for resamples = 0 or confidence outside (0,
/// 1).
BootstrapIntervals bootstrap_ratio(const ItemTable& table, const BootstrapOptions& options, const Rng& rng);

/// Paired bootstrap of the difference a - b of two tables over the same items and dimensions (two judges,
/// or before/after alignment): each resample draws the same items for both. The difference is significant
/// where its interval excludes 0. Throws std::invalid_argument when the shapes differ.
BootstrapIntervals paired_bootstrap(const ItemTable& a, const ItemTable& b, const BootstrapOptions& options,
                                    const Rng& rng);

/// bootstrap_ratio of abs_error_table: intervals of each dimension's MAE and of the mean of the MAEs.
BootstrapIntervals bootstrap_mae(std::span<const Observation> observations, std::size_t items,
                                 std::size_t dims, const BootstrapOptions& options, const Rng& rng);

/// paired_bootstrap of the two abs_error_tables: intervals of MAE(a) - MAE(b).
BootstrapIntervals paired_bootstrap_mae(std::span<const Observation> a, std::span<const Observation> b,
                                        std::size_t items, std::size_t dims, const BootstrapOptions& options,
                                        const Rng& rng);

}  // namespace judge::stats
