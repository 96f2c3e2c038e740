// SPDX-License-Identifier: MIT
#pragma once
#include <span>
#include <string>
#include <vector>

namespace judge::stats {

/// What an isotonic fit minimises. squared: the sum of squared errors; each fitted value is the mean of
/// its block (sklearn.isotonic.IsotonicRegression). absolute: the sum of absolute errors, so the map is the
/// MAE-optimal monotone one; each fitted value is the median of its block, which keeps the labels'
/// values (an integer judge calibrated on integer labels stays integer, up to an even block's midpoint).
enum class IsotonicLoss { squared, absolute };

/// A monotone (non-decreasing) map from judge score to human score, fitted by isotonic regression.
/// Stored as knots (x ascending, y non-decreasing); between knots it interpolates linearly and outside
/// them it clamps to the end values, like sklearn.isotonic.IsotonicRegression(out_of_bounds="clip").
class IsotonicMap {
 public:
  IsotonicMap() = default;
  /// From saved knots (same length, x strictly ascending, y non-decreasing; else std::invalid_argument).
  IsotonicMap(std::vector<double> x, std::vector<double> y);

  /// Fit of a non-decreasing step function to (x[i], y[i]) by pool-adjacent-violators (Barlow et al.
  /// 1972): equal x values are first pooled into one block, then adjacent blocks whose values decrease are
  /// merged until the values are non-decreasing. A block's value is the mean of its y (loss squared) or
  /// their median, the midpoint of the two middle values for an even count (loss absolute; PAVA with a
  /// median solver, de Leeuw, Hornik & Mair 2009, "Isotone optimization in R", J. Stat. Softw. 32(5)).
  /// x and y have the same length (else std::invalid_argument); empty input gives an empty map.
  static IsotonicMap fit(std::span<const double> x, std::span<const double> y,
                         IsotonicLoss loss = IsotonicLoss::squared);

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
/// order. loss as in IsotonicMap::fit.
std::vector<double> cross_fit_isotonic(std::span<const double> judge, std::span<const double> human,
                                       std::span<const int> fold, int k,
                                       IsotonicLoss loss = IsotonicLoss::squared);

/// "isotonic" (squared) or "isotonic-median" (absolute): the method names used in files and on the
/// command line. parse_isotonic_loss throws std::invalid_argument naming the accepted values.
const char* isotonic_method_name(IsotonicLoss loss);
IsotonicLoss parse_isotonic_loss(const std::string& method);

}  // namespace judge::stats
