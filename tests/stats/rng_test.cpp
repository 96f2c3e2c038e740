// SPDX-License-Identifier: MIT
#include "judge/stats/rng.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace judge::stats;

TEST(Rng, SameSeedSameStream) {
  Rng a(123), b(123), c(124);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(), b.next());
  EXPECT_NE(Rng(123).next(), c.next());
}

TEST(Rng, SubstreamDependsOnlyOnSeedAndIndex) {
  Rng a(5);
  const std::uint64_t first = a.substream(7).next();
  for (int i = 0; i < 100; ++i) a.next();  // advancing the parent changes nothing
  EXPECT_EQ(a.substream(7).next(), first);
  EXPECT_NE(a.substream(8).next(), first);
}

TEST(Rng, BoundedDrawsInRangeAndRoughlyUniform) {
  Rng rng(99);
  constexpr int k_n = 7, k_draws = 70000;
  std::vector<int> wide(k_n), narrow(k_n);
  for (int i = 0; i < k_draws; ++i) {
    const auto x = rng.below(k_n);
    const auto y = rng.below32(k_n);
    ASSERT_LT(x, static_cast<std::size_t>(k_n));
    ASSERT_LT(y, static_cast<std::uint32_t>(k_n));
    ++wide[x];
    ++narrow[y];
  }
  // Each count is Binomial(70000, 1/7): mean 10000, sd ~93; 6 sd is a loose, never-flaky bound.
  for (int v = 0; v < k_n; ++v) {
    EXPECT_NEAR(wide[v], 10000, 560);
    EXPECT_NEAR(narrow[v], 10000, 560);
  }
  const double u = rng.uniform();
  EXPECT_GE(u, 0.0);
  EXPECT_LT(u, 1.0);
}
