// SPDX-License-Identifier: MIT
#include "judge/stats/folds.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace judge::stats;

TEST(Folds, BalancedSizesAndStrata) {
  // 103 items: strata 1, 2, 3 repeated; 4 folds.
  std::vector<double> strata;
  for (int i = 0; i < 103; ++i) strata.push_back(1 + i % 3);
  Rng rng(5);
  const auto fold = assign_folds(strata, 4, rng);
  ASSERT_EQ(fold.size(), strata.size());
  std::map<int, int> size;
  std::map<std::pair<int, double>, int> per_stratum;
  for (std::size_t i = 0; i < fold.size(); ++i) {
    ASSERT_GE(fold[i], 0);
    ASSERT_LT(fold[i], 4);
    ++size[fold[i]];
    ++per_stratum[{fold[i], strata[i]}];
  }
  for (const auto& [f, n] : size) EXPECT_TRUE(n == 25 || n == 26) << f << ": " << n;
  // Each stratum (34 or 35 items) spreads over the folds within a block's width: 8 or 9 (or 10) each.
  for (const auto& [key, n] : per_stratum) EXPECT_NEAR(n, 8.6, 1.5);
}

TEST(Folds, SameSeedSameFolds) {
  const std::vector<double> strata(40, 2.0);
  Rng a(9), b(9), c(10);
  EXPECT_EQ(assign_folds(strata, 5, a), assign_folds(strata, 5, b));
  EXPECT_NE(assign_folds(strata, 5, a), assign_folds(strata, 5, c));
  EXPECT_THROW(assign_folds(strata, 1, a), std::invalid_argument);
}
