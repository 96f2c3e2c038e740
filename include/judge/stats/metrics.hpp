// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace judge::stats {

/// An integer scale [min, max] (e.g. 1..3 or 1..5).
struct Scale {
  int min = 1;
  int max = 5;
  int points() const { return max - min + 1; }
};

/// `x` rounded to the nearest scale point (halves away from zero), clamped into [min, max].
int round_to_scale(double x, Scale scale);

/// Agreement of a judge with humans on one dimension, from paired scores (judge[i] and human[i] for the same
/// item). Fractional scores: mae, bias, rmse and spearman use them as they are; exact, within1, confusion
/// and qwk use them rounded to the nearest scale point (round_to_scale). Undefined values are NaN (every
/// metric when n = 0; spearman when either side is constant; qwk when the expected disagreement is 0).
struct Agreement {
  std::size_t n = 0;
  double mae = 0;       ///< mean |judge - human|
  double bias = 0;      ///< mean (judge - human): positive = the judge is more generous
  double rmse = 0;      ///< sqrt(mean (judge - human)^2)
  double exact = 0;     ///< share of pairs with equal rounded scores, in [0, 1]
  double within1 = 0;   ///< share of pairs whose rounded scores differ by at most one point
  double qwk = 0;       ///< quadratic weighted kappa on the rounded scores
  double spearman = 0;  ///< Spearman rank correlation (average ranks for ties)
  /// confusion[h][j]: pairs with rounded human score min+h and rounded judge score min+j.
  std::vector<std::vector<std::size_t>> confusion;
};

/// All metrics above. `judge` and `human` have the same length (else std::invalid_argument).
Agreement agreement(std::span<const double> judge, std::span<const double> human, Scale scale);

double mean_absolute_error(std::span<const double> judge, std::span<const double> human);
double mean_signed_error(std::span<const double> judge, std::span<const double> human);
double root_mean_squared_error(std::span<const double> judge, std::span<const double> human);

/// Cohen's kappa with quadratic weights w_ij = (i - j)^2 / (K - 1)^2 over the K points of `scale`
/// (Cohen 1968): 1 - sum(w * observed) / sum(w * expected), expected = outer product of the marginals / n.
/// Equals sklearn.metrics.cohen_kappa_score(a, b, weights="quadratic", labels=range(min, max + 1)).
/// Values off the scale are clamped onto it. NaN when n = 0 or the expected weighted disagreement is 0.
double quadratic_weighted_kappa(std::span<const int> a, std::span<const int> b, Scale scale);

/// Ranks 1..n of `x`, ties sharing the average of their ranks (scipy.stats.rankdata(method="average")).
std::vector<double> average_ranks(std::span<const double> x);

/// Pearson correlation of the average ranks (= scipy.stats.spearmanr). NaN when n < 2 or a side is constant.
double spearman(std::span<const double> x, std::span<const double> y);

/// How a judge and humans agree about whether a dimension applies (nullopt = N/A) over the same items.
struct NaCounts {
  std::size_t both_apply = 0;
  std::size_t both_na = 0;
  std::size_t judge_na_only = 0;  ///< the judge says N/A, the humans score it
  std::size_t human_na_only = 0;  ///< the humans say N/A, the judge scores it
  std::size_t disagreements() const { return judge_na_only + human_na_only; }
};

/// Counts one (judge, human) observation into `counts`.
void count_na(NaCounts& counts, const std::optional<double>& judge, const std::optional<double>& human);

/// Percentile of sorted-or-not `values` by linear interpolation between closest ranks (numpy.percentile's
/// default "linear" method): q in [0, 1]. Reorders `values`. NaN when empty.
double percentile(std::span<double> values, double q);

}  // namespace judge::stats
