// SPDX-License-Identifier: MIT
#include "judge/stats/rule_tree.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace judge::stats;

TEST(RuleTree, ActionsAndLossByHand) {
  EXPECT_EQ(apply_action({ActionKind::keep, 0}, 2.0), 2.0);
  EXPECT_EQ(apply_action({ActionKind::at_most, 1}, 3.0), 1.0);
  EXPECT_EQ(apply_action({ActionKind::at_most, 2}, 1.0), 1.0);
  EXPECT_EQ(apply_action({ActionKind::at_least, 2}, 1.0), 2.0);
  EXPECT_EQ(apply_action({ActionKind::at_most, 1}, std::nullopt), std::nullopt);  // N/A stays N/A
  EXPECT_EQ(apply_action({ActionKind::set, 2}, std::nullopt), 2.0);
  EXPECT_EQ(apply_action({ActionKind::not_applicable, 0}, 3.0), std::nullopt);
  EXPECT_DOUBLE_EQ(item_loss(3.0, 1.0, 1.5), 2.0);
  EXPECT_DOUBLE_EQ(item_loss(std::nullopt, std::nullopt, 1.5), 0.0);
  EXPECT_DOUBLE_EQ(item_loss(std::nullopt, 2.0, 1.5), 1.5);
  EXPECT_DOUBLE_EQ(item_loss(2.0, std::nullopt, 1.5), 1.5);
}

// A standard one fact away from the base: where feature 0 holds, people say 1 although the judge said 3.
// 12 rows, feature 0 holds on rows 0-5; feature 1 is unrelated (row parity). Leave-one-out: every held-out
// row still has 5 rows of its group in training, so the depth-1 tree predicts it exactly: CV loss 0; "no
// rule" errs by 2 on 6 of 12 rows: 1.0.
TEST(RuleTree, LearnsAPlantedRuleExactly) {
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, labels;
  for (int i = 0; i < 12; ++i) {
    x.push_back({i < 6 ? 1.0 : 0.0, static_cast<double>(i % 2)});
    base.push_back(3.0);
    labels.push_back(i < 6 ? 1.0 : 3.0);
  }
  const RuleTree t = fit_rule_tree(x, base, labels, {});
  EXPECT_EQ(t.depth, 1);
  EXPECT_DOUBLE_EQ(t.cv_loss_none, 1.0);
  EXPECT_DOUBLE_EQ(t.cv_loss, 0.0);
  ASSERT_EQ(t.leaves.size(), 2u);
  // Children in order: the side where the test fails (x0 < 1), then where it holds (x0 >= 1).
  EXPECT_EQ(t.leaves[0].action.kind, ActionKind::keep);
  EXPECT_EQ(t.leaves[1].action.kind, ActionKind::at_most);  // at most 1: ties with "score 1", listed first
  EXPECT_DOUBLE_EQ(t.leaves[1].action.score, 1.0);
  ASSERT_EQ(t.leaves[1].when.size(), 1u);
  EXPECT_EQ(t.leaves[1].when[0].feature, 0u);
  EXPECT_TRUE(t.leaves[1].when[0].at_least);
  EXPECT_DOUBLE_EQ(t.leaves[1].when[0].threshold, 1.0);  // whole numbers: the upper value
  EXPECT_EQ(t.leaves[1].rows.size(), 6u);
  EXPECT_EQ(t.leaves[1].agree.size(), 6u);
  EXPECT_EQ(t.predict({1, 0}, 2.0), 1.0);
  EXPECT_EQ(t.predict({0, 0}, 2.0), 2.0);
}

namespace {

// The tree of depth 1 (no other depth; "no rule" may still win) fitted on the rows.
RuleTree fit_depth_one(const std::vector<std::vector<double>>& x,
                       const std::vector<std::optional<double>>& base,
                       const std::vector<std::optional<double>>& labels) {
  RuleTreeOptions o;
  o.depths = {1};
  return fit_rule_tree(x, base, labels, o);
}

// `t` is one test on `feature`, and the side where it holds (`rows` rows) gets "at most".
void expect_one_cap(const RuleTree& t, std::size_t feature, std::size_t rows) {
  ASSERT_EQ(t.depth, 1);
  ASSERT_EQ(t.leaves.size(), 2u);
  EXPECT_EQ(t.leaves[1].action.kind, ActionKind::at_most);
  ASSERT_EQ(t.leaves[1].when.size(), 1u);
  EXPECT_EQ(t.leaves[1].when[0].feature, feature);
  EXPECT_EQ(t.leaves[1].rows.size(), rows);
}

// Rows 0 to n - 1 the judge scored 2, with features(i) and label(i).
struct Rows {
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, labels;
};
template <class Features, class Label>
Rows judged_two(int n, Features features, Label label) {
  Rows rows;
  for (int i = 0; i < n; ++i) {
    rows.x.push_back(features(i));
    rows.base.push_back(2.0);
    rows.labels.push_back(label(i));
  }
  return rows;
}

}  // namespace

// Two tests the labels cannot tell apart: feature 0 holds on rows 0-7, feature 1 (a narrower test) on rows
// 0-5 only. People say 1 on rows 0-5 and on rows 6-7 too, where the judge already says 1; elsewhere they
// agree with the judge's 3. Split on feature 0: "at most 1" on 8 rows (loss 0), keep on the other 6 (0).
// Split on feature 1: "at most 1" on 6 rows (0), keep on 8 (rows 6-7 keep their 1: 0). Both lose 0; the one
// whose edit covers fewer rows is taken, although feature 0 comes first: "x1 >= 1 -> at most 1" edits no
// verdict the labels say nothing about (a notebook like rows 6-7 but judged 3 keeps its 3).
TEST(RuleTree, OfSplitsTheLabelsCannotTellApartTheNarrowerEditWins) {
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, labels;
  for (int i = 0; i < 14; ++i) {
    x.push_back({i < 8 ? 1.0 : 0.0, i < 6 ? 1.0 : 0.0});
    base.push_back(i < 6 ? 3.0 : i < 8 ? 1.0 : 3.0);
    labels.push_back(i < 8 ? 1.0 : 3.0);
  }
  const RuleTree t = fit_depth_one(x, base, labels);
  ASSERT_NO_FATAL_FAILURE(expect_one_cap(t, 1, 6));
  EXPECT_EQ(t.predict({1, 0}, 3.0), 3.0);  // feature 0 alone: the judge's 3 stands
}

// A test of none against any and a count threshold that the labels cannot tell apart. The judge says 2 on
// all 13 rows. Feature 0 is a count (7 on rows 0-4, 2 on rows 5-6, 1 on rows 7-12), feature 1 yes/no (rows
// 0-8). People say 1 on rows 0-4 and 7-8, 2 elsewhere. By hand, each side's best action:
//   x1 >= 1: rows 0-8 "at most 1" (wrong on rows 5-6: 2), rows 9-12 keep (0): loss 2, 9 rows edited;
//   x0 >= 7: rows 0-4 "at most 1" (0), rows 5-12 keep (wrong on rows 7-8: 2): loss 2, 5 rows edited;
//   x0 >= 2: rows 0-6 "at most 1" (2), rows 7-12 keep (2): loss 4.
// The two of loss 2 tie; the none-or-any test wins although it edits more rows and feature 0 comes first,
// so a row like 7-8 (any of feature 1, little of feature 0) gets "at most 1".
TEST(RuleTree, OfSplitsTheLabelsCannotTellApartNoneAgainstAnyWinsOverHowMuch) {
  auto [x, base, labels] = judged_two(
      13,
      [](int i) {
        return std::vector<double>{i < 5 ? 7.0 : i < 7 ? 2.0 : 1.0, i < 9 ? 1.0 : 0.0};
      },
      [](int i) { return i < 5 || i == 7 || i == 8 ? 1.0 : 2.0; });
  const RuleTree t = fit_depth_one(x, base, labels);
  ASSERT_NO_FATAL_FAILURE(expect_one_cap(t, 1, 9));
  EXPECT_DOUBLE_EQ(t.leaves[1].action.score, 1.0);
  EXPECT_DOUBLE_EQ(t.leaves[1].when[0].threshold, 1.0);
  EXPECT_EQ(t.predict({1, 1}, 2.0), 1.0);  // little of feature 0, any of feature 1
  EXPECT_EQ(t.predict({7, 0}, 2.0), 2.0);  // much of feature 0, none of feature 1: the judge's 2 stands

  // The same rows, where feature 1's test is not "x >= 1" with only 0 below it: the tie goes to the
  // narrower edit, feature 0's "x >= 7", as before. Feature 1 is 2 where it held ("x1 >= 2" between 0 and 2
  // is a test of how much: a notebook with 1 falls below it), then 1 where it held and -1 on row 12 (its
  // lower side holds a -1 as well as the 0s; the split between -1 and 0 leaves one row, under min_leaf).
  for (double held : {2.0, 1.0}) {
    SCOPED_TRACE(held);
    auto y = x;
    for (int i = 0; i < 13; ++i)
      y[static_cast<std::size_t>(i)][1] = i < 9 ? held : i == 12 && held == 1.0 ? -1.0 : 0.0;
    const RuleTree narrower = fit_depth_one(y, base, labels);
    ASSERT_NO_FATAL_FAILURE(expect_one_cap(narrower, 0, 5));
    EXPECT_DOUBLE_EQ(narrower.leaves[1].when[0].threshold, 7.0);
  }
}

// Two tests of none against any that split the rows alike and edit as many: feature 0 counts 2, 2, 1, 1 on
// rows 0-3, feature 1 (a narrower count, as uninstalled_packages is of packages_beyond_core) 1, 1, 1, 1;
// both are 0 on rows 4-7. The judge says 2 everywhere, people 1 on rows 0-3 and 2 on rows 4-7. "x >= 1 ->
// at most 1" on either: loss 0, 4 rows edited ("x0 >= 2" keeps 2 rows a side, under min_leaf). The test on
// the feature that is never larger and smaller on rows 0-1 wins, although feature 0 comes first: a
// notebook with feature 0 but none of feature 1 keeps the judge's 2. Where the two features are equal on
// every row, nothing tells them apart and the first found stands.
TEST(RuleTree, OfTwoTestsOfNoneAgainstAnyThatTieTheNarrowerCountWins) {
  auto [x, base, labels] = judged_two(
      8,
      [](int i) {
        return std::vector<double>{i < 2 ? 2.0 : i < 4 ? 1.0 : 0.0, i < 4 ? 1.0 : 0.0};
      },
      [](int i) { return i < 4 ? 1.0 : 2.0; });
  const RuleTree t = fit_depth_one(x, base, labels);
  ASSERT_NO_FATAL_FAILURE(expect_one_cap(t, 1, 4));
  EXPECT_EQ(t.predict({2, 0}, 2.0), 2.0);
  EXPECT_EQ(t.predict({0, 1}, 2.0), 1.0);

  for (auto& row : x) row[1] = row[0];
  const RuleTree equal = fit_depth_one(x, base, labels);
  ASSERT_NO_FATAL_FAILURE(expect_one_cap(equal, 0, 4));
}

// Where feature 0 holds (rows 0-5) the judge said 3 and people said 1, 1, 2, 2, 3, 3; elsewhere 3 and 3.
// The lowest-loss edit of that group is "at most 2" (loss 1+1+0+0+1+1 = 4 against keep's 2+2+1+1+0+0 = 6),
// but it matches only 2 of its 6 labels, as does every other edit ("at most 1": the two 1s; "score 3" is
// keep's): under min_agreement 0.5 no edit may stand there. Leave-one-out without the floor: a held-out 1
// or 3 gets "at most 2" from the other five (1+2+2+3+3: loss 3 against keep's 4; 1+1+2+2+3: 3 against 6),
// error 1; a held-out 2 (1+1+2+3+3: "at most 2" 4 against 5) error 0: 4 in all against "no rule"'s 6, so
// depth 1 wins. With the floor every edit of a five-row group matches at most 2 of 5 labels: all keep,
// depth 1 ties "no rule", and the simpler wins.
TEST(RuleTree, AnEditRightOnFewerThanHalfOfItsLabelsIsNotLearnt) {
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, labels;
  const double group[6] = {1, 1, 2, 2, 3, 3};
  for (int i = 0; i < 12; ++i) {
    x.push_back({i < 6 ? 1.0 : 0.0});
    base.push_back(3.0);
    labels.push_back(i < 6 ? group[i] : 3.0);
  }
  RuleTreeOptions options;
  options.depths = {1};
  options.one_standard_error = false;
  options.min_agreement = 0;
  const RuleTree without = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(without.depth, 1);
  EXPECT_DOUBLE_EQ(without.cv_loss_none, 6.0 / 12);
  EXPECT_DOUBLE_EQ(without.cv_loss, 4.0 / 12);
  ASSERT_EQ(without.leaves.size(), 2u);
  EXPECT_EQ(without.leaves[1].action.kind, ActionKind::at_most);
  EXPECT_DOUBLE_EQ(without.leaves[1].action.score, 2.0);
  EXPECT_EQ(without.leaves[1].agree.size(), 2u);

  options.min_agreement = 0.5;
  const RuleTree with = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(with.depth, -1);
  EXPECT_TRUE(with.leaves.empty());
  EXPECT_DOUBLE_EQ(with.cv_loss, 6.0 / 12);
}

// Thirty notebooks people score 2; the judge said 3 on the first `changed` of them and 2 elsewhere. "At most
// 2" is right on all 30 labels, but it changes only the verdicts the judge scored 3. With two such rows and
// min_changed 0, leave-one-out learns it in every part (a held-out 3 gets 2 from the other 29: loss 0; "no
// rule" 2 of 30). Under the default min_changed 2, the part that holds out one of the two has one verdict
// to change, no rule, and its held-out 3 stays 3: 2 of 30, as "no rule", and the simpler wins. With three
// such rows every part keeps at least two, and the rule is learnt: it rests on the labels it changes, not
// on the 30 it covers.
TEST(RuleTree, AnEditMustChangeAtLeastMinChangedVerdicts) {
  const auto fit = [](int changed, std::size_t min_changed) {
    std::vector<std::vector<double>> x;
    std::vector<std::optional<double>> base, labels;
    for (int i = 0; i < 30; ++i) {
      x.push_back({0.0});
      base.push_back(i < changed ? 3.0 : 2.0);
      labels.push_back(2.0);
    }
    RuleTreeOptions options;
    options.depths = {0};
    options.min_changed = min_changed;
    return fit_rule_tree(x, base, labels, options);
  };
  // A learnt "at most 2" on every row, right on all 30 labels, that beat "no rule" (changed of 30).
  const auto expect_learnt = [](const RuleTree& t, int changed) {
    EXPECT_EQ(t.depth, 0);
    EXPECT_DOUBLE_EQ(t.cv_loss_none, changed / 30.0);
    EXPECT_DOUBLE_EQ(t.cv_loss, 0.0);
    ASSERT_EQ(t.leaves.size(), 1u);
    EXPECT_EQ(t.leaves[0].action.kind, ActionKind::at_most);
    EXPECT_DOUBLE_EQ(t.leaves[0].action.score, 2.0);
    EXPECT_EQ(t.leaves[0].agree.size(), 30u);
  };
  EXPECT_EQ(RuleTreeOptions{}.min_changed, 2u);
  expect_learnt(fit(2, 0), 2);

  const RuleTree two = fit(2, 2);
  EXPECT_EQ(two.depth, -1);
  EXPECT_TRUE(two.leaves.empty());
  EXPECT_DOUBLE_EQ(two.cv_loss, 2.0 / 30);

  expect_learnt(fit(3, 2), 3);
}

// The floor counts the verdicts the whole tree changes, not each leaf's. Where feature 0 is 0 (12 rows)
// people say N/A and the judge said N/A on ten and 2 on two; where it is 1 (12 rows) people say 1 and the
// judge said 3. Depth 1 splits on the feature: "N/A" on the first group (loss 0; it changes two verdicts) and
// "at most 1" on the second (loss 0; twelve). Leave-one-out: every part's tree is the same and changes at
// least 13 verdicts, so each held-out row gets its label: loss 0, against depth 0's "at most 1" (the two 2s
// become 1s: 2 of 24 at N/A cost 1) and "no rule" (2 + 12 x 2 = 26 of 24). A guard against a floor per
// leaf: a part that holds out one of the two 2s has one change left on the N/A leaf, which such a floor
// refuses; depth 1 then ties depth 0 at 2 of 24, and the shallower wins.
TEST(RuleTree, TheChangedVerdictsFloorCountsTheWholeTree) {
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, labels;
  for (int i = 0; i < 24; ++i) {
    const bool first = i < 12;
    x.push_back({first ? 0.0 : 1.0});
    base.push_back(first ? (i < 2 ? std::optional<double>(2.0) : std::nullopt) : std::optional<double>(3.0));
    labels.push_back(first ? std::nullopt : std::optional<double>(1.0));
  }
  RuleTreeOptions options;
  options.depths = {0, 1};
  const RuleTree t = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(t.depth, 1);
  EXPECT_DOUBLE_EQ(t.cv_loss_none, 26.0 / 24);
  EXPECT_DOUBLE_EQ(t.cv_loss, 0.0);
  ASSERT_EQ(t.leaves.size(), 2u);
  EXPECT_EQ(t.leaves[0].action.kind, ActionKind::not_applicable);
  EXPECT_EQ(t.leaves[1].action.kind, ActionKind::at_most);
  EXPECT_DOUBLE_EQ(t.leaves[1].action.score, 1.0);
  EXPECT_EQ(t.predict({0.0}, 2.0), std::nullopt);
}

// The final tree is held to the floor too. Five rows, one feature (all 0), depth 0 only, N/A cost 1.5: the
// judge said 2, 3, 1, N/A, 3 and people 2, 1, N/A, 2, 1. "No rule" loses 0 + 2 + 1.5 + 1.5 + 2 = 7 (1.4 a
// row). Leave-one-out, some parts of four find an edit right on half their labels, and depth 0 scores 1.2.
// On all five rows no edit is right on half of them ("at most 1" and "score 1" on two of five, every other
// on one or two), so the final tree keeps every verdict: it changes none, fewer than min_changed, and the
// result is "no rule" (depth -1, the loss of "no rule" reported), not a depth-0 tree that edits nothing.
TEST(RuleTree, AFinalTreeThatChangesTooFewVerdictsIsNoRule) {
  const std::vector<std::vector<double>> x(5, std::vector<double>{0.0});
  const std::vector<std::optional<double>> base = {2.0, 3.0, 1.0, std::nullopt, 3.0};
  const std::vector<std::optional<double>> labels = {2.0, 1.0, std::nullopt, 2.0, 1.0};
  RuleTreeOptions options;
  options.depths = {0};
  options.na_cost = 1.5;
  const RuleTree t = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(t.depth, -1);
  EXPECT_TRUE(t.leaves.empty());
  EXPECT_DOUBLE_EQ(t.cv_loss_none, 1.4);
  EXPECT_DOUBLE_EQ(t.cv_loss, 1.4);
}

TEST(RuleTree, NoRuleWhenTheBaseAgrees) {
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, labels;
  for (int i = 0; i < 10; ++i) {
    x.push_back({static_cast<double>(i % 3)});
    base.push_back(1.0 + i % 3);
    labels.push_back(1.0 + i % 3);
  }
  const RuleTree t = fit_rule_tree(x, base, labels, {});
  EXPECT_EQ(t.depth, -1);
  EXPECT_TRUE(t.leaves.empty());
  EXPECT_DOUBLE_EQ(t.cv_loss_none, 0.0);
  EXPECT_EQ(t.predict({2}, 3.0), 3.0);
}

// Shares split at the midpoint of the neighbouring values, rounded to two decimals: between 0.2 and 0.6
// the threshold is 0.4. N/A is an outcome: people say N/A below it, the judge scored everything 2.
TEST(RuleTree, MidpointThresholdAndNotApplicable) {
  const std::vector<double> share = {0.0, 0.1, 0.1, 0.2, 0.6, 0.7, 0.8, 0.9};
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, labels;
  for (double s : share) {
    x.push_back({s});
    base.push_back(2.0);
    labels.push_back(s < 0.5 ? std::nullopt : std::optional<double>(2.0));
  }
  RuleTreeOptions o;
  o.min_leaf = 2;
  const RuleTree t = fit_rule_tree(x, base, labels, o);
  ASSERT_EQ(t.depth, 1);
  ASSERT_EQ(t.leaves.size(), 2u);
  EXPECT_DOUBLE_EQ(t.leaves[0].when[0].threshold, 0.4);
  EXPECT_FALSE(t.leaves[0].when[0].at_least);
  EXPECT_EQ(t.leaves[0].action.kind, ActionKind::not_applicable);
  EXPECT_EQ(t.leaves[1].action.kind, ActionKind::keep);
  o.allow_na = false;  // a rubric without N/A: the learner may not name it
  for (const auto& leaf : fit_rule_tree(x, base, labels, o).leaves)
    EXPECT_NE(leaf.action.kind, ActionKind::not_applicable);
}

TEST(RuleTree, RejectsRaggedInput) {
  EXPECT_THROW(fit_rule_tree({{1.0}, {0.0}}, {1.0}, {1.0, 2.0}, {}), std::invalid_argument);
  EXPECT_THROW(fit_rule_tree({{1.0}, {0.0, 1.0}}, {1.0, 1.0}, {1.0, 2.0}, {}), std::invalid_argument);
  EXPECT_EQ(fit_rule_tree({}, {}, {}, {}).depth, -1);
}

// The one-standard-error rule. 20 rows, no usable feature, the judge says 2 everywhere; people say 1 on 11
// rows and 2 on 9. "No rule" loses 11/20 = 0.55. A depth-0 tree ("score at most 1" everywhere), by
// leave-one-out: holding out a 1 leaves 10 ones and 9 twos, so the rule is learnt and the held-out row costs
// 0; holding out a 2 leaves 11 and 8, the rule is learnt and the row costs 1: mean 9/20 = 0.45. Its per-row
// losses (eleven 0s, nine 1s) have variance (11 * 0.45^2 + 9 * 0.55^2) / 20 = 0.2475 (CART's s^2, over N), so
// the standard error is sqrt(0.2475 / 20) = 0.111243, and 0.45 + 0.111 >= 0.55: "no rule" is within one
// standard error and wins. Without the rule the lower loss, depth 0, wins.
TEST(RuleTree, OneStandardErrorRuleKeepsNoRuleWhenTheGainIsNoise) {
  std::vector<std::vector<double>> x(20, std::vector<double>{0.0});
  std::vector<std::optional<double>> base(20, 2.0), labels;
  for (int i = 0; i < 20; ++i) labels.push_back(i < 11 ? 1.0 : 2.0);
  RuleTreeOptions options;
  options.depths = {0};
  options.allow_na = false;
  const RuleTree chosen = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(chosen.depth, -1);
  EXPECT_TRUE(chosen.leaves.empty());
  EXPECT_DOUBLE_EQ(chosen.cv_loss_none, 0.55);
  EXPECT_DOUBLE_EQ(chosen.cv_loss, 0.55);

  options.one_standard_error = false;
  const RuleTree lowest = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(lowest.depth, 0);
  EXPECT_DOUBLE_EQ(lowest.cv_loss, 0.45);
  ASSERT_EQ(lowest.leaves.size(), 1u);
  EXPECT_EQ(lowest.leaves[0].action.kind, ActionKind::at_most);
  EXPECT_EQ(lowest.leaves[0].action.score, 1.0);

  // With 13 ones and 7 twos the gain (0.65 -> 0.35) is larger than the standard error
  // (sqrt(((13 * 0.35^2 + 7 * 0.65^2) / 20) / 20) = 0.107), so the rule is kept.
  for (int i = 11; i < 13; ++i) labels[i] = 1.0;
  options.one_standard_error = true;
  const RuleTree kept = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(kept.depth, 0);
  EXPECT_DOUBLE_EQ(kept.cv_loss_none, 0.65);
  EXPECT_DOUBLE_EQ(kept.cv_loss, 0.35);
}

// The one-standard-error rule tests a rule against "no rule"; between depths the lowest loss wins. 20 rows,
// the judge says 2 everywhere; 6 rows with f = 1 all labelled 1, 14 with f = 0 of which 6 are labelled 1 and
// 8 are labelled 2. By leave-one-out:
// - "no rule" loses 12/20 = 0.6 (every 1);
// - depth 0 is "at most 1" on every training set (11 or 12 ones against 8 or 7 twos): each 2 costs 1, 8/20 =
//   0.4;
// - depth 1 splits on f in every training set (f = 1: "at most 1", right on all 5 or 6; f = 0: keep, 6 or 5
//   ones against 8 or 7 twos, a loss lower than the 7 or 8 twos "at most 1" everywhere costs), so only the 6
//   ones with f = 0 cost 1: 6/20 = 0.3. Its standard error is sqrt(0.3 * 0.7 / 20) = 0.10247.
// "No rule" (0.6) is not within 0.3 + 0.102 of it, so depth 1 wins, though depth 0 (0.4) is within one
// standard error: CART's rule as a choice among all depths would take the blanket depth 0 instead.
TEST(RuleTree, OneStandardErrorRuleTestsARuleAgainstNoRuleNotDepthsAgainstEachOther) {
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base(20, 2.0), labels;
  for (int i = 0; i < 20; ++i) {
    x.push_back({i < 6 ? 1.0 : 0.0});
    labels.push_back(i < 12 ? 1.0 : 2.0);
  }
  RuleTreeOptions options;
  options.depths = {0, 1};
  options.allow_na = false;
  const RuleTree t = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(t.depth, 1);
  EXPECT_DOUBLE_EQ(t.cv_loss_none, 0.6);
  EXPECT_DOUBLE_EQ(t.cv_loss, 0.3);
  ASSERT_EQ(t.leaves.size(), 2u);
  for (const auto& leaf : t.leaves) {
    ASSERT_EQ(leaf.when.size(), 1u);
    EXPECT_EQ(leaf.action.kind, leaf.when[0].at_least ? ActionKind::at_most : ActionKind::keep);
    EXPECT_EQ(leaf.rows.size(), leaf.when[0].at_least ? 6u : 14u);
  }
  // Depth 0 alone: kept too, 0.4 against no rule's 0.6 (standard error sqrt(0.4 * 0.6 / 20) = 0.110).
  options.depths = {0};
  const RuleTree blanket = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(blanket.depth, 0);
  EXPECT_DOUBLE_EQ(blanket.cv_loss, 0.4);
}

// The standard error is CART's: s / sqrt(N) with s^2 = (1/N) sum (L_i - R)^2 (Breiman et al. 1984, section
// 11.5; for 0-1 losses sqrt(R (1 - R) / N), section 3.4.3; rpart's xstd is the same), not the sample
// standard deviation over N - 1. 16 rows, the judge says 2, people say 1 on 9 and 2 on 7: "no rule" loses
// 9/16 = 0.5625; depth 0 ("at most 1"), by leave-one-out, 7/16 = 0.4375 (seven 1s, nine 0s). CART's standard
// error is sqrt(0.4375 * 0.5625 / 16) = 0.12402, so 0.4375 + 0.12402 = 0.56152 < 0.5625 and the rule is
// kept; over N - 1 it would be 0.12809 and "no rule" would win.
TEST(RuleTree, OneStandardErrorIsCartsStandardErrorOverN) {
  std::vector<std::vector<double>> x(16, std::vector<double>{0.0});
  std::vector<std::optional<double>> base(16, 2.0), labels;
  for (int i = 0; i < 16; ++i) labels.push_back(i < 9 ? 1.0 : 2.0);
  RuleTreeOptions options;
  options.depths = {0};
  options.allow_na = false;
  const RuleTree t = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(t.depth, 0);
  EXPECT_DOUBLE_EQ(t.cv_loss_none, 0.5625);
  EXPECT_DOUBLE_EQ(t.cv_loss, 0.4375);
}

// Depths are a set of non-negative depths in any order: duplicates and negative entries change nothing (a
// negative depth is not "no rule", which is always a candidate), and an empty list leaves only "no rule".
TEST(RuleTree, DepthListIsASetOfNonNegativeDepths) {
  std::vector<std::vector<double>> x(16, std::vector<double>{0.0});
  std::vector<std::optional<double>> base(16, 2.0), labels(16, 1.0);
  RuleTreeOptions options;
  options.allow_na = false;
  options.depths = {-1};
  const RuleTree negative = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(negative.depth, -1);
  EXPECT_DOUBLE_EQ(negative.cv_loss, 1.0);  // "no rule": the judge's 2 against people's 1 everywhere
  options.depths = {};
  EXPECT_EQ(fit_rule_tree(x, base, labels, options).depth, -1);
  options.depths = {3, 0, 0, -2};
  const RuleTree t = fit_rule_tree(x, base, labels, options);
  EXPECT_EQ(t.depth, 0);
  EXPECT_DOUBLE_EQ(t.cv_loss, 0.0);
}

// 0.7 and 0.1 * 7 are neighbouring doubles: no threshold lies between them ("x >= t" with t the midpoint,
// which rounds to 0.7, sends all four rows one way), so no split separates the 1s from the 3s. Every single
// action then costs 4 (keep: 1 + 1 + 1 + 1; score 1 or 3: 2 + 2), a tie that goes to "no rule". With
// min_leaf 0 an empty side is allowed, and must not be read.
TEST(RuleTree, NeighbouringDoublesHaveNoThresholdBetweenThem) {
  const double a = 0.7, b = 0.1 * 7;
  ASSERT_LT(a, b);
  const std::vector<std::vector<double>> x = {{a}, {a}, {b}, {b}};
  const std::vector<std::optional<double>> base(4, 2.0);
  const std::vector<std::optional<double>> labels = {1.0, 1.0, 3.0, 3.0};
  RuleTreeOptions o;
  o.depths = {2};
  o.min_leaf = 0;
  const auto t = fit_rule_tree(x, base, labels, o);
  EXPECT_EQ(t.depth, -1);
  EXPECT_TRUE(t.leaves.empty());
  o.min_leaf = 1;
  EXPECT_EQ(fit_rule_tree(x, base, labels, o).depth, -1);
}
