// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

namespace judge::stats {

/// What a learnt rule does to the judge's own score `base` (nullopt = N/A) of an item it matches.
enum class ActionKind {
  keep,            ///< nothing: the base verdict stands
  set,             ///< the score becomes `score` (also when base is N/A)
  at_most,         ///< min(base, score); an N/A base stays N/A
  at_least,        ///< max(base, score); an N/A base stays N/A
  not_applicable,  ///< N/A
};

struct RuleAction {
  ActionKind kind = ActionKind::keep;
  double score = 0;  ///< for set, at_most, at_least
};

/// The verdict `action` makes of `base` (nullopt = N/A).
std::optional<double> apply_action(const RuleAction& action, std::optional<double> base);

/// The loss of predicting `predicted` for a human label `label` (nullopt = N/A on either side): the absolute
/// difference when both are scores, 0 when both are N/A, `na_cost` when exactly one is N/A.
double item_loss(std::optional<double> predicted, std::optional<double> label, double na_cost);

/// One test on a feature: x[feature] >= threshold (at_least) or x[feature] < threshold.
struct Condition {
  std::size_t feature = 0;
  bool at_least = true;
  double threshold = 1;
  bool holds(const std::vector<double>& x) const;
};

/// A leaf of a fitted tree: the conditions on the path to it, the action, and the training rows it holds.
struct Leaf {
  std::vector<Condition> when;
  RuleAction action;
  std::vector<std::size_t> rows;   ///< training rows that reach the leaf
  std::vector<std::size_t> agree;  ///< those rows whose label the action's verdict matches exactly
};

struct RuleTreeOptions {
  std::vector<double> scale = {1, 2, 3};   ///< the scores an action may name, ascending
  bool allow_na = true;                    ///< whether `not_applicable` is an action
  double na_cost = 1;                      ///< item_loss of an N/A disagreement
  std::vector<int> depths = {0, 1, 2, 3};  ///< depths tried besides "no rule" (any order; negatives ignored)
  std::size_t min_leaf = 3;                ///< rows a split must leave on each side
  /// Share of a leaf's rows whose label an editing action (anything but keep) must match exactly, or the
  /// leaf keeps the base verdict: a learnt rule cites the labels it agrees with ("8 of 9 labels"), and a rule
  /// right on fewer than half of the labels it covers is a compromise between them (the median of a mixed
  /// group), not a standard a reviewer would recognise; on 30-notebook folds such leaves did not hold up on
  /// the held-out quarter. Minimum confidence, as in rule induction (Liu, Hsu & Ma 1998, CBA). 0: no floor.
  double min_agreement = 0.5;
  /// Training verdicts the rules together must change (their verdict differs from the base's), or they are
  /// no rule: in the inner cross-validation a part's tree that changes fewer of its own rows' verdicts
  /// predicts the base verdicts, and the final tree (of the chosen depth only) that changes fewer of all the
  /// rows' verdicts gives "no rule". So one changed label never teaches a rule; with leave-one-out a rule
  /// usually needs 3 (a part that holds out one of only two changed rows has one left and, unless another
  /// tree of that part changes two of its rows, learns no rule, so the held-out row keeps the base verdict
  /// and the rule ties "no rule"). Why: an edit such as "at most 2" over all 30 rows rests only on the rows
  /// it changes (two the base scored 3), and such rules did not hold up on the held-out quarter
  /// (docs/validate.md). Counted over the whole tree, not per leaf: a floor per leaf also removed the small
  /// edits of a useful tree ("not trains_model -> N/A" where the base already says N/A on most), and a
  /// coarser rule ("always -> at most 1") took its place. The minimum support of rule induction (Agrawal,
  /// Imielinski & Swami 1993; CBA, Liu, Hsu & Ma 1998), counted over the rows the rules act on. 0: no floor.
  std::size_t min_changed = 2;
  std::size_t inner_folds = 0;  ///< K of the inner cross-validation; 0 or >= rows: leave-one-out
  /// Keep "no rule" when its cross-validated loss is within one standard error of the lowest depth's (CART's
  /// 1-SE rule, as a test of a rule against none): a rule must beat "no rule" by more than the noise of its
  /// own estimate. Between depths the lowest loss wins either way.
  bool one_standard_error = true;
};

/// A fitted rule tree. depth -1: "no rule" won (every leaf keeps the base verdict; `leaves` is empty).
struct RuleTree {
  int depth = -1;
  std::vector<Leaf> leaves;  ///< disjoint; rows that reach a `keep` leaf are listed there too
  double cv_loss_none = 0;   ///< inner cross-validated mean loss of "no rule"
  double cv_loss = 0;        ///< inner cross-validated mean loss of the chosen depth
  std::size_t rows = 0;

  /// The verdict for features `x` and base verdict `base`: the action of the leaf x reaches.
  std::optional<double> predict(const std::vector<double>& x, std::optional<double> base) const;
};

/// Fits a shallow decision tree whose leaves are actions on the base verdict, choosing its depth by inner
/// cross-validation against "no rule".
///
/// Why this shape: the base verdict already follows a generic rubric, and a team's standard differs from it
/// in a few readable ways ("no missing-value check while training means at most 1"). Leaves that edit the
/// base (at most / at least / set / N/A) say that directly and leave everything else alone, and a leaf's path
/// is a rule a person can read. Growth is greedy (CART): a node splits on the feature and threshold
/// (x >= t; t between neighbouring observed values: the upper one for whole numbers, else the midpoint) that
/// most lowers the summed item_loss of the two children's best actions, if it lowers it at all and each side
/// keeps min_leaf rows. Of splits of equal loss: first a test of none against any ("x >= 1" with only 0
/// below it: "uninstalled_packages >= 1", or a yes/no fact) over a test of how much
/// ("third_party_packages >= 6"; "x >= 2" where no row has 1; a share's threshold); then the one whose
/// editing children (best action not keep) hold fewer rows; then, of two tests of none against any, the one
/// whose feature is at most the other's on every row of the node and less on some; then the first found
/// (features in order, thresholds ascending; each split is compared with the best so far, so among three or
/// more tied tests that do not all compare the outcome can depend on that order). The first is a choice, not
/// a finding: where the labels cannot tell "any" from "six or more", it takes "any" (measured: the variants
/// table of docs/validate.md). The other two follow one reason: of rules the labels support equally, the one
/// that acts on fewer notebooks changes less on notebooks unlike the labelled ones. Fewer edited rows says so
/// where the rows tell; where two tests select the same rows ("packages_beyond_core >= 1" and
/// "uninstalled_packages >= 1" when every notebook that imports beyond the core stack leaves something
/// uninstalled), a count never larger than another on these rows, and smaller on one (uninstalled_packages
/// counts some of the packages that packages_beyond_core counts), holds on no more notebooks anywhere when
/// one fact counts part of what the other counts; otherwise (a yes/no fact against a count that selects the
/// same rows) only these rows vouch for it. Model selection: rows are dealt to K folds in order (row i to
/// fold i mod K; leave-one-out by default, which is deterministic and, on a few dozen labels, varies least);
/// each candidate depth, and "no rule", is scored by its mean out-of-fold loss. The depth of lowest mean
/// wins, ties going to the shallower; with one_standard_error (the default) "no rule" wins instead when its
/// mean is within one standard error of that depth's (the one-standard-error rule of Breiman, Friedman,
/// Olshen & Stone 1984, "Classification and Regression Trees", section 3.4.3, applied to rule against no
/// rule; the standard error is s / sqrt(rows), s^2 being the mean squared deviation of that depth's per-row
/// losses from their mean, over rows, not rows minus 1: their section 11.5, and rpart's xstd); without it,
/// the lowest wins, ties going to the simpler. A node's action is the one of lowest summed loss among keep
/// and the edits that match at least min_agreement of its rows' labels exactly. Action ties go to keep, then
/// at most, at least, set, N/A. A tree that changes fewer than min_changed of its training rows' verdicts
/// counts as "no rule", in the inner parts and at the end.
///
/// x: rows x features (every row as long); base and labels: one per row. Throws std::invalid_argument
/// when the lengths differ.
RuleTree fit_rule_tree(const std::vector<std::vector<double>>& x,
                       const std::vector<std::optional<double>>& base,
                       const std::vector<std::optional<double>>& labels, const RuleTreeOptions& options);

}  // namespace judge::stats
