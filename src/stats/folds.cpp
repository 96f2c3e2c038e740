// SPDX-License-Identifier: MIT
#include "judge/stats/folds.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace judge::stats {

namespace {
template <class T>
void shuffle(std::vector<T>& v,
             Rng& rng) {  // Fisher-Yates with our generator (std::shuffle's draws vary by library)
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}
}  // namespace

std::vector<int> assign_folds(std::span<const double> strata, int k, Rng& rng) {
  if (k < 2) throw std::invalid_argument("assign_folds: k must be at least 2");
  std::vector<std::size_t> order(strata.size());
  std::iota(order.begin(), order.end(), 0);
  shuffle(order, rng);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return strata[a] < strata[b]; });
  std::vector<int> fold(strata.size(), 0);
  std::vector<int> deal(static_cast<std::size_t>(k));
  for (std::size_t start = 0; start < order.size(); start += deal.size()) {
    std::iota(deal.begin(), deal.end(), 0);
    shuffle(deal, rng);
    for (std::size_t j = 0; j < deal.size() && start + j < order.size(); ++j)
      fold[order[start + j]] = deal[j];
  }
  return fold;
}

std::vector<int> assign_folds(std::span<const double> strata, std::span<const std::size_t> group, int k,
                              Rng& rng) {
  if (strata.size() != group.size())
    throw std::invalid_argument("assign_folds: strata and group need one entry per item");
  std::map<std::size_t, std::size_t> unit_of;  // group id -> unit, numbered by first item
  std::vector<double> sum;
  std::vector<std::size_t> count;
  std::vector<std::size_t> unit(strata.size());
  for (std::size_t i = 0; i < strata.size(); ++i) {
    const auto [it, fresh] = unit_of.emplace(group[i], sum.size());
    if (fresh) {
      sum.push_back(0);
      count.push_back(0);
    }
    unit[i] = it->second;
    sum[unit[i]] += strata[i];
    ++count[unit[i]];
  }
  std::vector<double> unit_strata(sum.size());
  for (std::size_t u = 0; u < sum.size(); ++u) unit_strata[u] = sum[u] / static_cast<double>(count[u]);
  const std::vector<int> unit_fold = assign_folds(unit_strata, k, rng);
  std::vector<int> fold(strata.size());
  for (std::size_t i = 0; i < strata.size(); ++i) fold[i] = unit_fold[unit[i]];
  return fold;
}

}  // namespace judge::stats
