// SPDX-License-Identifier: MIT
#include "judge/stats/rule_tree.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace judge::stats {

std::optional<double> apply_action(const RuleAction& action, std::optional<double> base) {
  switch (action.kind) {
    case ActionKind::keep:
      return base;
    case ActionKind::set:
      return action.score;
    case ActionKind::at_most:
      return base ? std::optional<double>(std::min(*base, action.score)) : std::nullopt;
    case ActionKind::at_least:
      return base ? std::optional<double>(std::max(*base, action.score)) : std::nullopt;
    case ActionKind::not_applicable:
      return std::nullopt;
  }
  return base;
}

double item_loss(std::optional<double> predicted, std::optional<double> label, double na_cost) {
  if (predicted && label) return std::fabs(*predicted - *label);
  return predicted.has_value() == label.has_value() ? 0.0 : na_cost;
}

bool Condition::holds(const std::vector<double>& x) const {
  return at_least ? x[feature] >= threshold : x[feature] < threshold;
}

namespace {

struct Data {
  const std::vector<std::vector<double>>& x;
  const std::vector<std::optional<double>>& base;
  const std::vector<std::optional<double>>& labels;
  const RuleTreeOptions& options;
};

std::vector<RuleAction> candidate_actions(const RuleTreeOptions& o) {
  std::vector<RuleAction> out = {{ActionKind::keep, 0}};
  for (std::size_t i = 0; i + 1 < o.scale.size(); ++i) out.push_back({ActionKind::at_most, o.scale[i]});
  for (std::size_t i = 1; i < o.scale.size(); ++i) out.push_back({ActionKind::at_least, o.scale[i]});
  for (double s : o.scale) out.push_back({ActionKind::set, s});
  if (o.allow_na) out.push_back({ActionKind::not_applicable, 0});
  return out;
}

struct Best {
  RuleAction action;
  double loss = 0;
};

// The threshold between two neighbouring observed values a < b: b when both are whole numbers (counts and
// yes/no read "x >= 2"), else the midpoint (CART's choice, which does not side with either group), rounded to
// two decimals when that still separates them, so the rule reads "share >= 0.33".
double threshold_between(double a, double b) {
  if (std::floor(a) == a && std::floor(b) == b) return b;
  const double mid = (a + b) / 2;
  const double rounded = std::round(mid * 100) / 100;
  return rounded > a && rounded <= b ? rounded : mid;
}

Best best_action(const Data& d, const std::vector<std::size_t>& rows) {
  Best best{{}, std::numeric_limits<double>::infinity()};
  for (const auto& a : candidate_actions(d.options)) {
    double loss = 0;
    std::size_t agree = 0;
    for (std::size_t r : rows) {
      const double l = item_loss(apply_action(a, d.base[r]), d.labels[r], d.options.na_cost);
      loss += l;
      agree += l == 0;
    }
    // An edit must be right on at least min_agreement of the labels it covers (keep is always allowed).
    if (a.kind != ActionKind::keep &&
        static_cast<double>(agree) < d.options.min_agreement * static_cast<double>(rows.size()) - 1e-9)
      continue;
    if (loss < best.loss - 1e-9) best = {a, loss};
  }
  return best;
}

void grow(const Data& d, const std::vector<std::size_t>& rows, std::vector<Condition> path, int depth_left,
          std::vector<Leaf>& leaves) {
  const Best here = best_action(d, rows);
  struct Split {
    Condition c;
    double loss = std::numeric_limits<double>::infinity();
    std::size_t edited = 0;  // rows of the children whose best action edits the verdict
  } split;
  if (depth_left > 0 && rows.size() >= 2 * d.options.min_leaf) {
    const std::size_t features = d.x.empty() ? 0 : d.x[rows.front()].size();
    for (std::size_t j = 0; j < features; ++j) {
      std::set<double> values;
      for (std::size_t r : rows) values.insert(d.x[r][j]);
      for (auto hi_value = std::next(values.begin()); hi_value != values.end(); ++hi_value) {
        const double t = threshold_between(*std::prev(hi_value), *hi_value);
        std::vector<std::size_t> lo, hi;
        for (std::size_t r : rows) (d.x[r][j] >= t ? hi : lo).push_back(r);
        if (lo.size() < d.options.min_leaf || hi.size() < d.options.min_leaf) continue;
        const Best lo_best = best_action(d, lo), hi_best = best_action(d, hi);
        const double loss = lo_best.loss + hi_best.loss;
        const std::size_t edited = (lo_best.action.kind == ActionKind::keep ? 0 : lo.size()) +
                                   (hi_best.action.kind == ActionKind::keep ? 0 : hi.size());
        // Of splits the labels cannot tell apart (equal loss), the one whose edits cover fewer rows.
        if (loss < split.loss - 1e-9 || (loss <= split.loss + 1e-9 && edited < split.edited))
          split = {{j, true, t}, loss, edited};
      }
    }
  }
  if (split.loss < here.loss - 1e-9) {
    std::vector<std::size_t> lo, hi;
    for (std::size_t r : rows) (split.c.holds(d.x[r]) ? hi : lo).push_back(r);
    auto left = path;
    left.push_back({split.c.feature, false, split.c.threshold});
    grow(d, lo, std::move(left), depth_left - 1, leaves);
    path.push_back(split.c);
    grow(d, hi, std::move(path), depth_left - 1, leaves);
    return;
  }
  Leaf leaf{std::move(path), here.action, rows, {}};
  for (std::size_t r : rows)
    if (item_loss(apply_action(here.action, d.base[r]), d.labels[r], d.options.na_cost) == 0)
      leaf.agree.push_back(r);
  leaves.push_back(std::move(leaf));
}

RuleTree fit_depth(const Data& d, const std::vector<std::size_t>& rows, int depth) {
  RuleTree t;
  t.depth = depth;
  t.rows = rows.size();
  if (!rows.empty()) grow(d, rows, {}, depth, t.leaves);
  return t;
}

}  // namespace

std::optional<double> RuleTree::predict(const std::vector<double>& x, std::optional<double> base) const {
  for (const auto& leaf : leaves)
    if (std::all_of(leaf.when.begin(), leaf.when.end(), [&](const Condition& c) { return c.holds(x); }))
      return apply_action(leaf.action, base);
  return base;
}

RuleTree fit_rule_tree(const std::vector<std::vector<double>>& x,
                       const std::vector<std::optional<double>>& base,
                       const std::vector<std::optional<double>>& labels, const RuleTreeOptions& options) {
  if (x.size() != base.size() || x.size() != labels.size())
    throw std::invalid_argument("fit_rule_tree: x, base and labels must have one entry per row");
  for (const auto& row : x)
    if (!x.empty() && row.size() != x.front().size())
      throw std::invalid_argument("fit_rule_tree: every row needs the same number of features");
  const Data d{x, base, labels, options};
  const std::size_t n = x.size();
  RuleTree none;
  none.rows = n;
  if (n == 0) return none;
  // Inner cross-validation: mean out-of-fold loss of each candidate ("no rule" = keep everywhere).
  const std::size_t k =
      options.inner_folds == 0 ? n : std::max<std::size_t>(2, std::min(options.inner_folds, n));
  // Per-item out-of-fold losses of each candidate, simplest first: "no rule", then the depths ascending.
  std::vector<int> candidates = {-1};
  if (n >= 2) {
    std::vector<int> depths = options.depths;
    depths.erase(std::remove_if(depths.begin(), depths.end(), [](int depth) { return depth < 0; }),
                 depths.end());
    std::sort(depths.begin(), depths.end());
    depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
    candidates.insert(candidates.end(), depths.begin(), depths.end());
  }
  std::vector<std::vector<double>> losses(candidates.size(), std::vector<double>(n, 0.0));
  for (std::size_t r = 0; r < n; ++r) losses[0][r] = item_loss(base[r], labels[r], options.na_cost);
  for (std::size_t c = 1; c < candidates.size(); ++c)
    for (std::size_t fold = 0; fold < k; ++fold) {
      std::vector<std::size_t> train;
      for (std::size_t r = 0; r < n; ++r)
        if (r % k != fold) train.push_back(r);
      const RuleTree t = fit_depth(d, train, candidates[c]);
      for (std::size_t r = fold; r < n; r += k)
        losses[c][r] = item_loss(t.predict(x[r], base[r]), labels[r], options.na_cost);
    }
  const auto mean = [&](const std::vector<double>& v) {
    double sum = 0;
    for (double l : v) sum += l;
    return sum / static_cast<double>(n);
  };
  std::size_t best = 0;
  for (std::size_t c = 1; c < candidates.size(); ++c)
    if (mean(losses[c]) < mean(losses[best]) - 1e-9) best = c;
  // The one-standard-error rule (Breiman et al. 1984, section 3.4.3): the simplest candidate whose loss is
  // within one standard error of the lowest, the standard error being that of the lowest candidate's mean
  // per-item loss: s / sqrt(n) with s^2 = (1/n) sum (loss_i - mean)^2 (their section 11.5, and rpart's
  // xstd; for 0-1 losses it is their sqrt(R (1 - R) / n)).
  std::size_t chosen = best;
  if (options.one_standard_error && n >= 2) {
    const double m = mean(losses[best]);
    double ss = 0;
    for (double l : losses[best]) ss += (l - m) * (l - m);
    const double se = std::sqrt(ss / static_cast<double>(n)) / std::sqrt(static_cast<double>(n));
    for (std::size_t c = 0; c < best; ++c)
      if (mean(losses[c]) <= m + se + 1e-9) {
        chosen = c;
        break;
      }
  }
  const int best_depth = candidates[chosen];
  const double loss_none = mean(losses[0]);
  const double best_loss = mean(losses[chosen]);
  std::vector<std::size_t> all(n);
  for (std::size_t r = 0; r < n; ++r) all[r] = r;
  RuleTree out = best_depth < 0 ? none : fit_depth(d, all, best_depth);
  out.depth = best_depth;
  out.cv_loss_none = loss_none;
  out.cv_loss = best_loss;
  return out;
}

}  // namespace judge::stats
