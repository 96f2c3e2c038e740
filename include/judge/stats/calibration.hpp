// SPDX-License-Identifier: MIT
#pragma once
#include <span>
#include <vector>

namespace judge::stats {

/// A monotone (non-decreasing) map from judge score to human score, fitted by isotonic regression.
/// Stored as knots (x ascending, y non-decreasing); between knots it interpolates linearly and outside
/// them it clamps to the end values, like sklearn.isotonic.IsotonicRegression(out_of_bounds="clip").
class IsotonicMap {
 public:
  IsotonicMap() = default;
  /// From saved knots (same length, x strictly ascending, y non-decreasing; else std::invalid_argument).
  IsotonicMap(std::vector<double> x, std::vector<double> y);

  /// Least-squares fit of a non-decreasing step function to (x[i], y[i]) by pool-adjacent-violators
  /// (Barlow et al. 1972): equal x values are first pooled to their mean y, then adjacent blocks whose means
  /// decrease are merged (weighted by size) until the means are non-decreasing. x and y have the same length
  /// (else std::invalid_argument); empty input gives an empty map.
  static IsotonicMap fit(std::span<const double> x, std::span<const double> y);

  /// The calibrated value of x; x itself when the map is empty.
  double operator()(double x) const;
  bool empty() const { return m_x.empty(); }
  const std::vector<double>& knots_x() const { return m_x; }
  const std::vector<double>& knots_y() const { return m_y; }

 private:
  std::vector<double> m_x, m_y;
};

/// Cross-fitted calibration: for each fold f in 0 .. k-1, fits an IsotonicMap on the pairs whose fold is not
/// f and applies it to the pairs in fold f, so no pair is calibrated by a map that saw it. judge, human and
/// fold have the same length (else std::invalid_argument). Returns the calibrated judge scores, in input
/// order.
std::vector<double> cross_fit_isotonic(std::span<const double> judge, std::span<const double> human,
                                       std::span<const int> fold, int k);

}  // namespace judge::stats
