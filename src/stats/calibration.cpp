// SPDX-License-Identifier: MIT
#include "judge/stats/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace judge::stats {

IsotonicMap::IsotonicMap(std::vector<double> x, std::vector<double> y)
    : m_x(std::move(x)), m_y(std::move(y)) {
  if (m_x.size() != m_y.size()) throw std::invalid_argument("IsotonicMap: knots x and y differ in length");
  for (std::size_t i = 1; i < m_x.size(); ++i)
    if (!(m_x[i] > m_x[i - 1]) || m_y[i] < m_y[i - 1])
      throw std::invalid_argument("IsotonicMap: knots must have ascending x and non-decreasing y");
}

IsotonicMap IsotonicMap::fit(std::span<const double> x, std::span<const double> y, IsotonicLoss loss) {
  if (x.size() != y.size()) throw std::invalid_argument("IsotonicMap::fit: x and y differ in length");
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  // First pool equal x values (one block per unique x), then merge decreasing neighbours on a stack. A block
  // keeps its y values (the median needs them all) and its value under the chosen loss.
  // Why counts rather than the values: a block's mean needs only its sum and count, and its median only how
  // often each value occurs. Labels take few distinct values (whole scores, thirds), so merging the smaller
  // count table into the larger keeps a fit of n pairs near O(n log n) even when every block is merged
  // (n decreasing pairs); re-reading all values at each merge would be quadratic.
  struct Block {
    double sum = 0, count = 0;
    std::map<double, double> counts;  // absolute loss only: value -> occurrences
    double value = 0;
    std::size_t first = 0, last = 0;  // range of unique-x indices it covers
    void add(double y) {
      sum += y;
      count += 1;
    }
  };
  const auto value_of = [loss](Block& b) {
    if (loss == IsotonicLoss::squared) {
      b.value = b.sum / b.count;
      return;
    }
    // The midpoint of the values at ranks floor((n-1)/2) and floor(n/2) (0-based): the median.
    const double lo_rank = std::floor((b.count - 1) / 2), hi_rank = std::floor(b.count / 2);
    double seen = 0, lo = 0;
    for (const auto& [v, c] : b.counts) {
      if (seen <= lo_rank && lo_rank < seen + c) lo = v;
      if (seen <= hi_rank && hi_rank < seen + c) {
        b.value = (lo + v) / 2;
        return;
      }
      seen += c;
    }
  };
  std::vector<double> ux;
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const double xi = x[order[i]], yi = y[order[i]];
    if (ux.empty() || xi != ux.back()) {
      ux.push_back(xi);
      blocks.push_back({});
      blocks.back().first = blocks.back().last = ux.size() - 1;
    }
    blocks.back().add(yi);
    if (loss == IsotonicLoss::absolute) blocks.back().counts[yi] += 1;
  }
  std::vector<Block> stack;
  for (auto& b : blocks) {
    value_of(b);
    stack.push_back(std::move(b));
    while (stack.size() > 1 && stack[stack.size() - 2].value > stack.back().value) {
      Block top = std::move(stack.back());
      stack.pop_back();
      Block& under = stack.back();
      under.sum += top.sum;
      under.count += top.count;
      if (under.counts.size() < top.counts.size()) std::swap(under.counts, top.counts);
      for (const auto& [v, c] : top.counts) under.counts[v] += c;
      under.last = top.last;
      value_of(under);
    }
  }
  std::vector<double> fy(ux.size());
  for (const auto& b : stack)
    for (std::size_t i = b.first; i <= b.last; ++i) fy[i] = b.value;
  IsotonicMap map;
  map.m_x = std::move(ux);
  map.m_y = std::move(fy);
  return map;
}

double IsotonicMap::operator()(double x) const {
  if (m_x.empty() || std::isnan(x)) return x;
  if (x <= m_x.front()) return m_y.front();
  if (x >= m_x.back()) return m_y.back();
  const auto it = std::upper_bound(m_x.begin(), m_x.end(), x);
  const std::size_t hi = static_cast<std::size_t>(it - m_x.begin()), lo = hi - 1;
  const double t = (x - m_x[lo]) / (m_x[hi] - m_x[lo]);
  return m_y[lo] + t * (m_y[hi] - m_y[lo]);
}

std::vector<double> cross_fit_isotonic(std::span<const double> judge, std::span<const double> human,
                                       std::span<const int> fold, int k, IsotonicLoss loss) {
  if (judge.size() != human.size() || judge.size() != fold.size())
    throw std::invalid_argument("cross_fit_isotonic: judge, human and fold differ in length");
  std::vector<double> out(judge.begin(), judge.end());
  std::vector<double> tx, ty;
  for (int f = 0; f < k; ++f) {
    tx.clear();
    ty.clear();
    for (std::size_t i = 0; i < judge.size(); ++i)
      if (fold[i] != f) {
        tx.push_back(judge[i]);
        ty.push_back(human[i]);
      }
    const IsotonicMap map = IsotonicMap::fit(tx, ty, loss);
    for (std::size_t i = 0; i < judge.size(); ++i)
      if (fold[i] == f) out[i] = map(judge[i]);
  }
  return out;
}

const char* isotonic_method_name(IsotonicLoss loss) {
  return loss == IsotonicLoss::absolute ? "isotonic-median" : "isotonic";
}

IsotonicLoss parse_isotonic_loss(const std::string& method) {
  if (method == "isotonic") return IsotonicLoss::squared;
  if (method == "isotonic-median") return IsotonicLoss::absolute;
  throw std::invalid_argument("unknown calibration method \"" + method +
                              "\" (use isotonic or isotonic-median)");
}

}  // namespace judge::stats
