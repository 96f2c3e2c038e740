// SPDX-License-Identifier: MIT
#include "judge/stats/bootstrap.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "hanna.hpp"
#include "python.hpp"

using namespace judge::stats;

namespace {
/// 50 items x 3 dimensions of made-up observations (deterministic).
std::vector<Observation> sample_observations() {
  std::vector<Observation> obs;
  for (std::size_t i = 0; i < 50; ++i)
    for (std::size_t d = 0; d < 3; ++d)
      obs.push_back(
          {i, d, static_cast<double>((i * 7 + d * 3) % 5 + 1), static_cast<double>((i * 3 + d) % 5 + 1)});
  return obs;
}
}  // namespace

TEST(Bootstrap, SameSeedSameIntervalsWhateverTheThreadCount) {
  const auto obs = sample_observations();
  BootstrapOptions one{2000, 0.95, 1}, four{2000, 0.95, 4};
  const auto a = bootstrap_mae(obs, 50, 3, one, Rng(42));
  const auto b = bootstrap_mae(obs, 50, 3, four, Rng(42));
  ASSERT_EQ(a.dims.size(), 3u);
  for (std::size_t d = 0; d < 3; ++d) {
    EXPECT_EQ(a.dims[d].low, b.dims[d].low);
    EXPECT_EQ(a.dims[d].high, b.dims[d].high);
  }
  EXPECT_EQ(a.mean.low, b.mean.low);
  const auto c = bootstrap_mae(obs, 50, 3, one, Rng(43));
  auto all = [](const BootstrapIntervals& r) {
    std::vector<double> v{r.mean.low, r.mean.high};
    for (const auto& d : r.dims) v.insert(v.end(), {d.low, d.high});
    return v;
  };
  EXPECT_NE(all(a), all(c));
}

TEST(Bootstrap, IntervalContainsTheEstimate) {
  const auto obs = sample_observations();
  const ItemTable t = abs_error_table(obs, 50, 3);
  const auto iv = bootstrap_ratio(t, {}, Rng(1));
  for (std::size_t d = 0; d < 3; ++d) {
    EXPECT_LE(iv.dims[d].low, t.ratio(d));
    EXPECT_GE(iv.dims[d].high, t.ratio(d));
    EXPECT_LT(iv.dims[d].low, iv.dims[d].high);
  }
  EXPECT_LE(iv.mean.low, t.mean_ratio());
  EXPECT_GE(iv.mean.high, t.mean_ratio());
}

TEST(Bootstrap, ConstantErrorsGiveADegenerateInterval) {
  std::vector<Observation> obs;
  for (std::size_t i = 0; i < 20; ++i) obs.push_back({i, 0, 3, 2});
  const auto iv = bootstrap_mae(obs, 20, 1, {500, 0.9, 1}, Rng(7));
  EXPECT_DOUBLE_EQ(iv.dims[0].low, 1.0);
  EXPECT_DOUBLE_EQ(iv.dims[0].high, 1.0);
}

TEST(Bootstrap, PairedDifference) {
  const auto obs = sample_observations();
  // Identical judges: every resampled difference is 0, not significant.
  const auto same = paired_bootstrap_mae(obs, obs, 50, 3, {1000, 0.95, 1}, Rng(3));
  EXPECT_DOUBLE_EQ(same.dims[0].low, 0.0);
  EXPECT_DOUBLE_EQ(same.dims[0].high, 0.0);
  EXPECT_FALSE(same.dims[0].excludes_zero());
  // A judge that is always one point further off on every item: difference exactly +1, significant.
  auto worse = obs;
  for (auto& o : worse) o.judge = o.human + (std::fabs(o.judge - o.human) + 1);
  const auto diff = paired_bootstrap_mae(worse, obs, 50, 3, {1000, 0.95, 1}, Rng(3));
  EXPECT_NEAR(diff.dims[1].low, 1.0, 1e-12);
  EXPECT_NEAR(diff.dims[1].high, 1.0, 1e-12);
  EXPECT_TRUE(diff.dims[1].excludes_zero());
  EXPECT_THROW(paired_bootstrap(ItemTable(2, 1), ItemTable(3, 1), {}, Rng(1)), std::invalid_argument);
  EXPECT_THROW(bootstrap_ratio(ItemTable(2, 1), {0, 0.95, 1}, Rng(1)), std::invalid_argument);
}

TEST(Bootstrap, HannaIntervalAgreesWithScipyWithinMonteCarloError) {
  JUDGE_REQUIRE_SHARED_DATA();
  JUDGE_REQUIRE_PYTHON("scipy, numpy");
  // MAE of rater human1 against human2 on "coherence", one pair per story; story = resampling unit.
  const auto labels =
      judge::test::read_hanna_labels(judge::test::shared_data() / "judgments/hanna/hanna_labels.csv");
  std::map<std::string, std::map<std::string, double>> by_rater;
  for (const auto& l : labels)
    if (l.dimension == "coherence") by_rater[l.rater][l.item] = l.score;
  std::vector<Observation> obs;
  for (const auto& [item, s1] : by_rater["human1"])
    obs.push_back({obs.size(), 0, s1, by_rater["human2"][item]});
  const auto ours = bootstrap_mae(obs, obs.size(), 1, {10000, 0.95, 0}, Rng(2026));
  const auto scipy = judge::test::python_numbers(
      R"(
import csv, numpy as np
from scipy.stats import bootstrap
d = {}
for r in csv.DictReader(open(')" +
      (judge::test::shared_data() / "judgments/hanna/hanna_labels.csv").string() + R"(')):
    if r['dimension'] == 'coherence': d.setdefault(r['rater'], {})[r['item']] = float(r['score'])
err = np.array([abs(d['human1'][i] - d['human2'][i]) for i in sorted(d['human1'])])
res = bootstrap((err,), np.mean, n_resamples=10000, confidence_level=0.95, method='percentile',
                vectorized=True, random_state=np.random.default_rng(1))
print(res.confidence_interval.low, res.confidence_interval.high, res.standard_error)
)");
  ASSERT_EQ(scipy.size(), 3u);
  // Monte-Carlo error of a 2.5% percentile from B = 10,000 resamples is about 0.06 standard errors per tool;
  // allow 0.15 standard errors of the statistic (about 0.005 here).
  const double tolerance = 0.15 * scipy[2];
  EXPECT_NEAR(ours.dims[0].low, scipy[0], tolerance);
  EXPECT_NEAR(ours.dims[0].high, scipy[1], tolerance);
}
