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

// The loss of each candidate action on each row, and whether it is exact (loss 0): the split search sums
// these instead of applying every action to every row again for every threshold.
struct RowLosses {
  std::vector<RuleAction> actions;        // candidate_actions, in their tie-break order
  std::vector<std::vector<double>> loss;  // [row][action]
};

RowLosses row_losses(const Data& d) {
  RowLosses out{candidate_actions(d.options), {}};
  out.loss.resize(d.x.size());
  for (std::size_t r = 0; r < d.x.size(); ++r) {
    out.loss[r].reserve(out.actions.size());
    for (const auto& a : out.actions)
      out.loss[r].push_back(item_loss(apply_action(a, d.base[r]), d.labels[r], d.options.na_cost));
  }
  return out;
}

// Summed losses and exact matches of each action over a group of rows: best_action's arithmetic, kept as
// running sums so that a sweep over sorted values moves one row at a time.
struct ActionSums {
  std::vector<double> loss;
  std::vector<std::size_t> agree;
  std::size_t rows = 0;
  explicit ActionSums(std::size_t actions) : loss(actions, 0.0), agree(actions, 0) {}
  void add(const std::vector<double>& row) {
    for (std::size_t a = 0; a < row.size(); ++a) {
      loss[a] += row[a];
      agree[a] += row[a] == 0;
    }
    ++rows;
  }
  // best_action's choice from the sums: the lowest loss among keep and the edits right on at least
  // min_agreement of the rows, ties to the earlier action.
  Best best(const RowLosses& rl, double min_agreement) const {
    Best b{{}, std::numeric_limits<double>::infinity()};
    for (std::size_t a = 0; a < rl.actions.size(); ++a) {
      if (rl.actions[a].kind != ActionKind::keep &&
          static_cast<double>(agree[a]) < min_agreement * static_cast<double>(rows) - 1e-9)
        continue;
      if (loss[a] < b.loss - 1e-9) b = {rl.actions[a], loss[a]};
    }
    return b;
  }
};

struct Split {
  Condition c;
  double loss = std::numeric_limits<double>::infinity();  // infinity: no split keeps min_leaf rows a side
  std::size_t edited = 0;    // rows of the children whose best action edits the verdict
  bool none_or_any = false;  // the test is "x >= 1" and its lower side the rows where the feature is 0
};

// Whether feature a is at most feature b on every row and less on some: a counts a narrower thing there.
bool below_everywhere(const Data& d, const std::vector<std::size_t>& rows, std::size_t a, std::size_t b) {
  bool less = false;
  for (std::size_t r : rows) {
    if (d.x[r][a] > d.x[r][b]) return false;
    less = less || d.x[r][a] < d.x[r][b];
  }
  return less;
}

// The split of `rows` of lowest summed loss of the two sides' best actions (grow's search).
Split best_split(const Data& d, const RowLosses& rl, const std::vector<std::size_t>& rows) {
  Split split;
  if (rows.empty()) return split;  // min_leaf 0 allows an empty side
  // Every threshold of every feature, in order (features in order, thresholds ascending). Why a sweep: the
  // rows sorted by the feature, each threshold's lower side is a prefix and its upper side the rest, so the
  // sides' action sums come from prefix sums (O(rows x actions) a feature) instead of being summed afresh for
  // every threshold (O(rows^2 x actions)). Prefix and suffix are each summed in one direction only, so a
  // side's sum is the same whichever threshold asks for it.
  if (rows.size() >= 2 * d.options.min_leaf) {
    const std::size_t features = d.x.empty() ? 0 : d.x[rows.front()].size();
    const std::size_t n = rows.size(), na = rl.actions.size();
    std::vector<std::size_t> sorted = rows;
    std::vector<ActionSums> below(n + 1, ActionSums(na)), above(n + 1, ActionSums(na));
    for (std::size_t j = 0; j < features; ++j) {
      std::stable_sort(sorted.begin(), sorted.end(),
                       [&](std::size_t a, std::size_t b) { return d.x[a][j] < d.x[b][j]; });
      // below[i]: the first i sorted rows; above[i]: the rows from i on.
      below[0] = ActionSums(na);
      for (std::size_t i = 0; i < n; ++i) {
        below[i + 1] = below[i];
        below[i + 1].add(rl.loss[sorted[i]]);
      }
      above[n] = ActionSums(na);
      for (std::size_t i = n; i-- > 0;) {
        above[i] = above[i + 1];
        above[i].add(rl.loss[sorted[i]]);
      }
      for (std::size_t i = 1; i < n; ++i) {
        const double lo_value = d.x[sorted[i - 1]][j], hi_value = d.x[sorted[i]][j];
        if (!(lo_value < hi_value)) continue;  // not between two observed values
        const double t = threshold_between(lo_value, hi_value);
        // Neighbouring doubles (0.7 and 0.1 * 7) have no threshold between them: "x >= t" would put the lower
        // value's rows above too, a split found already at the previous value (or one with an empty side).
        if (!(t > lo_value)) continue;
        if (i < d.options.min_leaf || n - i < d.options.min_leaf) continue;
        const Best lo_best = below[i].best(rl, d.options.min_agreement);
        const Best hi_best = above[i].best(rl, d.options.min_agreement);
        const double loss = lo_best.loss + hi_best.loss;
        const std::size_t edited = (lo_best.action.kind == ActionKind::keep ? 0 : i) +
                                   (hi_best.action.kind == ActionKind::keep ? 0 : n - i);
        // Of splits the labels cannot tell apart (equal loss): a test of none against any, "x >= 1" with
        // only 0 below it (a yes/no fact, or a count of at least one), over a test of how much, then the
        // one whose edits cover fewer rows, then, of two tests of none against any, the one on a feature
        // never larger than the other's on these rows (uninstalled_packages, which counts some of the
        // packages packages_beyond_core counts): it holds on no more notebooks. "x >= 2" between 0 and 2, or
        // a share's "x >= 0.15", is a test of how much: a notebook with x = 1 or 0.1 falls below it.
        const bool none_or_any = t == 1.0 && lo_value == 0.0 && d.x[sorted.front()][j] == 0.0;
        const auto tie_won = [&] {
          if (none_or_any != split.none_or_any) return none_or_any;
          if (edited != split.edited) return edited < split.edited;
          return none_or_any && below_everywhere(d, rows, j, split.c.feature);
        };
        if (loss < split.loss - 1e-9 || (loss <= split.loss + 1e-9 && tie_won()))
          split = {{j, true, t}, loss, edited, none_or_any};
      }
    }
  }
  return split;
}

void grow(const Data& d, const RowLosses& rl, const std::vector<std::size_t>& rows,
          std::vector<Condition> path, int depth_left, std::vector<Leaf>& leaves) {
  const Best here = best_action(d, rows);
  const Split split = depth_left > 0 ? best_split(d, rl, rows) : Split{};
  if (split.loss < here.loss - 1e-9) {
    std::vector<std::size_t> lo, hi;
    for (std::size_t r : rows) (split.c.holds(d.x[r]) ? hi : lo).push_back(r);
    auto left = path;
    left.push_back({split.c.feature, false, split.c.threshold});
    grow(d, rl, lo, std::move(left), depth_left - 1, leaves);
    path.push_back(split.c);
    grow(d, rl, hi, std::move(path), depth_left - 1, leaves);
    return;
  }
  Leaf leaf{std::move(path), here.action, rows, {}};
  for (std::size_t r : rows)
    if (item_loss(apply_action(here.action, d.base[r]), d.labels[r], d.options.na_cost) == 0)
      leaf.agree.push_back(r);
  leaves.push_back(std::move(leaf));
}

// A tree grown to the deepest candidate depth, every node keeping its own best action. Why: growth is
// greedy and a node's split does not depend on the depth left (only on whether any is), so the tree of a
// smaller depth is this one cut at that depth, each cut node a leaf with its own best action (as grow makes
// it). One growth per inner fold then scores every candidate depth.
struct Node {
  RuleAction here;
  bool split = false;
  Condition c;
  std::size_t lo = 0, hi = 0;  // children (when split)
};

std::size_t grow_nodes(const Data& d, const RowLosses& rl, const std::vector<std::size_t>& rows,
                       int depth_left, std::vector<Node>& nodes) {
  const std::size_t at = nodes.size();
  const Best here = best_action(d, rows);
  nodes.push_back({here.action, false, {}, 0, 0});
  if (depth_left <= 0) return at;
  const Split split = best_split(d, rl, rows);
  if (!(split.loss < here.loss - 1e-9)) return at;
  std::vector<std::size_t> lo, hi;
  for (std::size_t r : rows) (split.c.holds(d.x[r]) ? hi : lo).push_back(r);
  const std::size_t lo_node = grow_nodes(d, rl, lo, depth_left - 1, nodes);
  const std::size_t hi_node = grow_nodes(d, rl, hi, depth_left - 1, nodes);
  nodes[at].split = true;
  nodes[at].c = split.c;
  nodes[at].lo = lo_node;
  nodes[at].hi = hi_node;
  return at;
}

// The verdict the tree cut at `depth` gives `x`: the action of the node x reaches at that depth or at a leaf.
std::optional<double> predict_nodes(const std::vector<Node>& nodes, int depth, const std::vector<double>& x,
                                    std::optional<double> base) {
  std::size_t at = 0;
  for (int level = 0; nodes[at].split && level < depth; ++level)
    at = nodes[at].c.holds(x) ? nodes[at].hi : nodes[at].lo;
  return apply_action(nodes[at].here, base);
}

RuleTree fit_depth(const Data& d, const RowLosses& rl, const std::vector<std::size_t>& rows, int depth) {
  RuleTree t;
  t.depth = depth;
  t.rows = rows.size();
  if (!rows.empty()) grow(d, rl, rows, {}, depth, t.leaves);
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
  const RowLosses rl = row_losses(d);
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
  if (candidates.size() > 1)
    for (std::size_t fold = 0; fold < k; ++fold) {
      std::vector<std::size_t> train;
      for (std::size_t r = 0; r < n; ++r)
        if (r % k != fold) train.push_back(r);
      std::vector<Node> nodes;
      grow_nodes(d, rl, train, candidates.back(), nodes);
      for (std::size_t c = 1; c < candidates.size(); ++c) {
        // Rules that change fewer than min_changed of the part's verdicts are no rule.
        std::size_t changed = 0;
        for (std::size_t r : train) changed += predict_nodes(nodes, candidates[c], x[r], base[r]) != base[r];
        const bool acts = changed >= options.min_changed;
        for (std::size_t r = fold; r < n; r += k)
          losses[c][r] = item_loss(acts ? predict_nodes(nodes, candidates[c], x[r], base[r]) : base[r],
                                   labels[r], options.na_cost);
      }
    }
  const auto mean = [&](const std::vector<double>& v) {
    double sum = 0;
    for (double l : v) sum += l;
    return sum / static_cast<double>(n);
  };
  std::size_t best = 0;
  for (std::size_t c = 1; c < candidates.size(); ++c)
    if (mean(losses[c]) < mean(losses[best]) - 1e-9) best = c;
  // The one-standard-error rule (Breiman et al. 1984, section 3.4.3), as a test of "a rule" against "no
  // rule": the depth of lowest loss is kept unless "no rule" is within one standard error of it, the standard
  // error being that of that depth's mean per-item loss: s / sqrt(n) with s^2 = (1/n) sum (loss_i - mean)^2
  // (their section 11.5, and rpart's xstd; for 0-1 losses it is their sqrt(R (1 - R) / n)). Between depths
  // the lowest loss wins, ties going to the shallower: a depth-0 rule ("at most 1" on every notebook) is no
  // simpler a standard than a one-test rule, and preferring it within the noise gave blanket edits in folds
  // where the labels held a clear split (docs/validate.md).
  std::size_t chosen = best;
  if (options.one_standard_error && n >= 2 && best > 0) {
    const double m = mean(losses[best]);
    double ss = 0;
    for (double l : losses[best]) ss += (l - m) * (l - m);
    const double se = std::sqrt(ss / static_cast<double>(n)) / std::sqrt(static_cast<double>(n));
    if (mean(losses[0]) <= m + se + 1e-9) chosen = 0;
  }
  const int best_depth = candidates[chosen];
  const double loss_none = mean(losses[0]);
  const double best_loss = mean(losses[chosen]);
  std::vector<std::size_t> all(n);
  for (std::size_t r = 0; r < n; ++r) all[r] = r;
  RuleTree out = best_depth < 0 ? none : fit_depth(d, rl, all, best_depth);
  if (best_depth >= 0) {
    std::size_t changed = 0;
    for (std::size_t r = 0; r < n; ++r) changed += out.predict(x[r], base[r]) != base[r];
    if (changed < options.min_changed) {  // as in the inner parts: too few changed verdicts are no rule
      out = none;
      out.cv_loss_none = loss_none;
      out.cv_loss = loss_none;
      return out;
    }
  }
  out.depth = best_depth;
  out.cv_loss_none = loss_none;
  out.cv_loss = best_loss;
  return out;
}

}  // namespace judge::stats
