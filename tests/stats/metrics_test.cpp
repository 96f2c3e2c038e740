// SPDX-License-Identifier: MIT
#include "judge/stats/metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "hanna.hpp"
#include "judge/stats/rng.hpp"
#include "python.hpp"

using namespace judge::stats;

TEST(Metrics, HandComputedSmallCase) {
  // judge 3,2,1,3 vs human 2,2,3,3: errors +1,0,-2,0.
  const std::vector<double> j{3, 2, 1, 3}, h{2, 2, 3, 3};
  const Agreement a = agreement(j, h, {1, 3});
  EXPECT_EQ(a.n, 4u);
  EXPECT_DOUBLE_EQ(a.mae, 3.0 / 4);
  EXPECT_DOUBLE_EQ(a.bias, -1.0 / 4);
  EXPECT_DOUBLE_EQ(a.rmse, std::sqrt(5.0 / 4));
  EXPECT_DOUBLE_EQ(a.exact, 2.0 / 4);
  EXPECT_DOUBLE_EQ(a.within1, 3.0 / 4);
  // confusion[human][judge]
  EXPECT_EQ(a.confusion[1][2], 1u);  // human 2, judge 3
  EXPECT_EQ(a.confusion[1][1], 1u);
  EXPECT_EQ(a.confusion[2][0], 1u);  // human 3, judge 1
  EXPECT_EQ(a.confusion[2][2], 1u);
  // QWK by hand on 1..3 (weights (i-j)^2/4, the 1/4 cancels): observed sum of w = 1 + 4 = 5.
  // Marginals: judge {1:1, 2:1, 3:2}, human {2:2, 3:2}; expected = sum_ij w_ij r_i c_j / n
  // = (1*2*1 + 1*2*4 [j=1] + 1*2*0 + 1*2*1 [j=2] + 2*2*1 + 2*2*0 [j=3]) / 4 = (2+8+0+2+4+0)/4 = 4.
  EXPECT_DOUBLE_EQ(a.qwk, 1.0 - 5.0 / 4.0);
  // Spearman by hand: ranks judge (3.5, 2, 1, 3.5), human (1.5, 1.5, 3.5, 3.5);
  // deviations from 2.5: (1,-.5,-1.5,1) and (-1,-1,1,1): sxy = -1+.5-1.5+1 = -1, sxx = 4.5, syy = 4.
  EXPECT_NEAR(a.spearman, -1.0 / std::sqrt(4.5 * 4), 1e-12);
}

TEST(Metrics, FractionalScoresRoundForExactAndConfusionOnly) {
  const std::vector<double> j{2.4, 2.6}, h{2, 3};
  const Agreement a = agreement(j, h, {1, 3});
  EXPECT_NEAR(a.mae, 0.4, 1e-12);
  EXPECT_NEAR(a.bias, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(a.exact, 1.0);  // 2.4 -> 2, 2.6 -> 3
  EXPECT_EQ(round_to_scale(2.5, {1, 3}), 3);
  EXPECT_EQ(round_to_scale(7.0, {1, 3}), 3);
  EXPECT_EQ(round_to_scale(-1.0, {1, 3}), 1);
}

TEST(Metrics, UndefinedValuesAreNaN) {
  const Agreement none = agreement({}, {}, {1, 5});
  EXPECT_TRUE(std::isnan(none.mae));
  EXPECT_TRUE(std::isnan(none.qwk));
  const std::vector<double> c{2, 2, 2}, h{1, 2, 3};
  EXPECT_TRUE(std::isnan(spearman(c, h)));
}

TEST(Metrics, AverageRanksAndPercentile) {
  const std::vector<double> x{10, 20, 10, 30};
  EXPECT_EQ(average_ranks(x), (std::vector<double>{1.5, 3, 1.5, 4}));
  std::vector<double> v{4, 1, 3, 2, 5};
  EXPECT_DOUBLE_EQ(percentile(v, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(percentile(v, 0.1), 1.4);  // numpy.percentile([1..5], 10) = 1.4
  EXPECT_DOUBLE_EQ(percentile(v, 1.0), 5.0);
}

TEST(Metrics, PercentileTailsMatchTheSortedDefinition) {
  // numpy's "linear" percentile from a sorted copy: v[floor(p)] + frac(p) * (v[floor(p) + 1] - v[floor(p)]),
  // p = q (n - 1). Checked at both ends (bounded-heap path) and in the middle (nth_element path), with ties.
  judge::stats::Rng rng(17);
  std::vector<double> values(1000);
  for (auto& v : values) v = static_cast<double>(rng.below(50)) / 7;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (double q : {0.0, 0.001, 0.025, 0.04, 0.3, 0.5, 0.96, 0.975, 0.999, 1.0}) {
    const double p = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(p));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double expected = sorted[lo] + (p - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
    std::vector<double> copy = values;
    EXPECT_DOUBLE_EQ(percentile(copy, q), expected) << q;
  }
}

TEST(Metrics, NaCounts) {
  NaCounts c;
  count_na(c, 1.0, 2.0);
  count_na(c, std::nullopt, std::nullopt);
  count_na(c, std::nullopt, 2.0);
  count_na(c, 3.0, std::nullopt);
  count_na(c, 3.0, std::nullopt);
  EXPECT_EQ(c.both_apply, 1u);
  EXPECT_EQ(c.both_na, 1u);
  EXPECT_EQ(c.judge_na_only, 1u);
  EXPECT_EQ(c.human_na_only, 2u);
  EXPECT_EQ(c.disagreements(), 3u);
}

namespace {
/// HANNA labels as rater -> criterion -> story -> score.
using Hanna = std::map<std::string, std::map<std::string, std::map<std::string, double>>>;
Hanna read_hanna() {
  const auto labels =
      judge::test::read_hanna_labels(judge::test::shared_data() / "judgments/hanna/hanna_labels.csv");
  Hanna h;
  for (const auto& l : labels) h[l.rater][l.dimension][l.item] = l.score;
  return h;
}
}  // namespace

TEST(Metrics, HannaRaterVsRaterMatchesSklearnAndScipy) {
  JUDGE_REQUIRE_SHARED_DATA();
  JUDGE_REQUIRE_PYTHON("sklearn, scipy");
  const Hanna h = read_hanna();
  const std::vector<std::string> criteria{"relevance", "coherence",  "empathy",
                                          "surprise",  "engagement", "complexity"};
  const auto expected = judge::test::python_numbers(
      R"(
import csv, collections
from sklearn.metrics import cohen_kappa_score, mean_absolute_error
from scipy.stats import spearmanr
d = collections.defaultdict(dict)
for r in csv.DictReader(open(')" +
      (judge::test::shared_data() / "judgments/hanna/hanna_labels.csv").string() + R"(')):
    d[(r['rater'], r['dimension'])][r['item']] = float(r['score'])
for c in ['relevance', 'coherence', 'empathy', 'surprise', 'engagement', 'complexity']:
    items = sorted(d[('human1', c)])
    a = [int(d[('human1', c)][i]) for i in items]
    b = [int(d[('human2', c)][i]) for i in items]
    m = [(d[('human2', c)][i] + d[('human3', c)][i]) / 2 for i in items]
    print(cohen_kappa_score(a, b, weights='quadratic', labels=[1, 2, 3, 4, 5]),
          mean_absolute_error(a, b), spearmanr(a, b)[0], mean_absolute_error(a, m), spearmanr(a, m)[0])
)");
  ASSERT_EQ(expected.size(), criteria.size() * 5);
  for (std::size_t c = 0; c < criteria.size(); ++c) {
    std::vector<double> a, b, m;
    std::vector<int> ai, bi;
    for (const auto& [item, score] : h.at("human1").at(criteria[c])) {
      a.push_back(score);
      b.push_back(h.at("human2").at(criteria[c]).at(item));
      m.push_back((h.at("human2").at(criteria[c]).at(item) + h.at("human3").at(criteria[c]).at(item)) / 2);
      ai.push_back(static_cast<int>(a.back()));
      bi.push_back(static_cast<int>(b.back()));
    }
    SCOPED_TRACE(criteria[c]);
    EXPECT_NEAR(quadratic_weighted_kappa(ai, bi, {1, 5}), expected[c * 5 + 0], 1e-9);
    EXPECT_NEAR(mean_absolute_error(a, b), expected[c * 5 + 1], 1e-12);
    EXPECT_NEAR(spearman(a, b), expected[c * 5 + 2], 1e-9);
    EXPECT_NEAR(mean_absolute_error(a, m), expected[c * 5 + 3], 1e-12);
    EXPECT_NEAR(spearman(a, m), expected[c * 5 + 4], 1e-9);
    EXPECT_NEAR(agreement(a, b, {1, 5}).qwk, expected[c * 5 + 0], 1e-9);
  }
}
