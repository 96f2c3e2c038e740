// SPDX-License-Identifier: MIT
#include "judge/stats/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace judge::stats {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

void check_same_size(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) throw std::invalid_argument("stats: paired spans differ in length");
}

}  // namespace

int round_to_scale(double x, Scale scale) {
  const long r = std::lround(x);
  return static_cast<int>(std::clamp<long>(r, scale.min, scale.max));
}

double mean_absolute_error(std::span<const double> judge, std::span<const double> human) {
  check_same_size(judge, human);
  if (judge.empty()) return k_nan;
  double sum = 0;
  for (std::size_t i = 0; i < judge.size(); ++i) sum += std::fabs(judge[i] - human[i]);
  return sum / static_cast<double>(judge.size());
}

double mean_signed_error(std::span<const double> judge, std::span<const double> human) {
  check_same_size(judge, human);
  if (judge.empty()) return k_nan;
  double sum = 0;
  for (std::size_t i = 0; i < judge.size(); ++i) sum += judge[i] - human[i];
  return sum / static_cast<double>(judge.size());
}

double root_mean_squared_error(std::span<const double> judge, std::span<const double> human) {
  check_same_size(judge, human);
  if (judge.empty()) return k_nan;
  double sum = 0;
  for (std::size_t i = 0; i < judge.size(); ++i) sum += (judge[i] - human[i]) * (judge[i] - human[i]);
  return std::sqrt(sum / static_cast<double>(judge.size()));
}

double quadratic_weighted_kappa(std::span<const int> a, std::span<const int> b, Scale scale) {
  if (a.size() != b.size()) throw std::invalid_argument("stats: paired spans differ in length");
  const std::size_t n = a.size();
  const int k = scale.points();
  if (n == 0 || k < 2) return k_nan;
  std::vector<double> observed(static_cast<std::size_t>(k * k), 0.0), row(k, 0.0), col(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const int x = std::clamp(a[i], scale.min, scale.max) - scale.min;
    const int y = std::clamp(b[i], scale.min, scale.max) - scale.min;
    observed[static_cast<std::size_t>(x * k + y)] += 1;
    row[x] += 1;
    col[y] += 1;
  }
  double num = 0, den = 0;
  for (int x = 0; x < k; ++x)
    for (int y = 0; y < k; ++y) {
      const double w = static_cast<double>((x - y) * (x - y));
      num += w * observed[static_cast<std::size_t>(x * k + y)];
      den += w * row[x] * col[y] / static_cast<double>(n);
    }
  return den == 0 ? k_nan : 1.0 - num / den;
}

std::vector<double> average_ranks(std::span<const double> x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return x[i] < x[j]; });
  std::vector<double> ranks(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double rank = (static_cast<double>(i + j) / 2.0) + 1.0;  // average of ranks i+1 .. j+1
    for (std::size_t t = i; t <= j; ++t) ranks[order[t]] = rank;
    i = j + 1;
  }
  return ranks;
}

double spearman(std::span<const double> x, std::span<const double> y) {
  check_same_size(x, y);
  const std::size_t n = x.size();
  if (n < 2) return k_nan;
  const auto rx = average_ranks(x), ry = average_ranks(y);
  const double mean = (static_cast<double>(n) + 1.0) / 2.0;  // mean rank, ties included
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (sxx == 0 || syy == 0) return k_nan;
  return sxy / std::sqrt(sxx * syy);
}

Agreement agreement(std::span<const double> judge, std::span<const double> human, Scale scale) {
  check_same_size(judge, human);
  Agreement a;
  a.n = judge.size();
  const auto k = static_cast<std::size_t>(std::max(scale.points(), 1));
  a.confusion.assign(k, std::vector<std::size_t>(k, 0));
  a.mae = mean_absolute_error(judge, human);
  a.bias = mean_signed_error(judge, human);
  a.rmse = root_mean_squared_error(judge, human);
  a.spearman = spearman(judge, human);
  std::vector<int> rj(a.n), rh(a.n);
  std::size_t exact = 0, within1 = 0;
  for (std::size_t i = 0; i < a.n; ++i) {
    rj[i] = round_to_scale(judge[i], scale);
    rh[i] = round_to_scale(human[i], scale);
    exact += rj[i] == rh[i];
    within1 += std::abs(rj[i] - rh[i]) <= 1;
    ++a.confusion[static_cast<std::size_t>(rh[i] - scale.min)][static_cast<std::size_t>(rj[i] - scale.min)];
  }
  const double n = static_cast<double>(a.n);
  a.exact = a.n ? static_cast<double>(exact) / n : k_nan;
  a.within1 = a.n ? static_cast<double>(within1) / n : k_nan;
  a.qwk = quadratic_weighted_kappa(rj, rh, scale);
  return a;
}

void count_na(NaCounts& counts, const std::optional<double>& judge, const std::optional<double>& human) {
  if (judge && human)
    ++counts.both_apply;
  else if (!judge && !human)
    ++counts.both_na;
  else if (!judge)
    ++counts.judge_na_only;
  else
    ++counts.human_na_only;
}

double percentile(std::span<double> values, double q) {
  if (values.empty()) return k_nan;
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double vlo = values[lo];
  if (hi == lo) return vlo;
  // The next order statistic is the smallest value above position lo.
  const double vhi = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(hi), values.end());
  return vlo + (pos - static_cast<double>(lo)) * (vhi - vlo);
}

}  // namespace judge::stats
