// SPDX-License-Identifier: MIT
#include "judge/stats/folds.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

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

TEST(Folds, GroupsShareAFold) {
  // Every item its own group: assign_folds' folds, draw for draw.
  std::vector<double> strata;
  std::vector<std::size_t> own;
  for (int i = 0; i < 23; ++i) {
    strata.push_back(1 + i % 3);
    own.push_back(static_cast<std::size_t>(100 - i));
  }
  Rng a(3), b(3);
  EXPECT_EQ(assign_folds(strata, own, 4, a), assign_folds(strata, 4, b));
  // Two groups of two, two folds: one block of two units dealt to both folds, so each group gets its own.
  const std::vector<double> four = {1, 3, 3, 1};
  const std::vector<std::size_t> pairs = {7, 9, 7, 9};
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    Rng rng(seed);
    const auto fold = assign_folds(four, pairs, 2, rng);
    EXPECT_EQ(fold[0], fold[2]);
    EXPECT_EQ(fold[1], fold[3]);
    EXPECT_NE(fold[0], fold[1]);
  }
  // A group of three among singletons, four folds: the three share a fold, and every fold is used.
  std::vector<std::size_t> some(strata.size());
  for (std::size_t i = 0; i < some.size(); ++i) some[i] = i;
  some[4] = some[11] = some[20] = 4;
  Rng c(8);
  const auto fold = assign_folds(strata, some, 4, c);
  EXPECT_EQ(fold[4], fold[11]);
  EXPECT_EQ(fold[4], fold[20]);
  EXPECT_EQ(std::set<int>(fold.begin(), fold.end()).size(), 4u);
  EXPECT_THROW(assign_folds(strata, pairs, 4, c), std::invalid_argument);
}
