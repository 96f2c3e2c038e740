// SPDX-License-Identifier: MIT
#include "judge/llm/rate_limit.hpp"

#include <gtest/gtest.h>

#include "provider_env.hpp"

namespace judge::llm {
namespace {

/// A limiter on a fake clock that advances only when the test says so.
struct FakeTime {
  double now = 100.0;
  std::vector<double> sleeps;
  std::unique_ptr<RateLimiter> limiter(RateLimits limits) {
    return std::make_unique<RateLimiter>(
        limits, [this](double s) { sleeps.push_back(s); }, [this] { return now; });
  }
};

TEST(RateLimit, UnlimitedNeverWaits) {
  FakeTime t;
  auto limiter = t.limiter({});
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter->reserve(100000), 0.0);
}

TEST(RateLimit, RequestsPerMinuteAfterABurst) {
  // 60/min = 1/s; burst 10 s = 10 requests at once, then one per second (by hand).
  FakeTime t;
  auto limiter = t.limiter({60, 0, 10});
  for (int i = 0; i < 10; ++i) EXPECT_DOUBLE_EQ(limiter->reserve(0), 0.0) << i;
  EXPECT_DOUBLE_EQ(limiter->reserve(0), 1.0);
  EXPECT_DOUBLE_EQ(limiter->reserve(0), 2.0);  // queued behind the previous caller
  t.now += 2.0;                                // both waits are over; the bucket is empty again
  EXPECT_DOUBLE_EQ(limiter->reserve(0), 1.0);
  t.now += 100.0;  // refills to capacity, not beyond
  for (int i = 0; i < 10; ++i) EXPECT_DOUBLE_EQ(limiter->reserve(0), 0.0) << i;
  EXPECT_DOUBLE_EQ(limiter->reserve(0), 1.0);
}

TEST(RateLimit, TokensPerMinuteAllowsOversizedRequestsLater) {
  // 6000 tokens/min = 100/s; burst 10 s = 1000 tokens.
  FakeTime t;
  auto limiter = t.limiter({0, 6000, 10});
  EXPECT_DOUBLE_EQ(limiter->reserve(600), 0.0);
  EXPECT_DOUBLE_EQ(limiter->reserve(600), 2.0);    // 200 short -> 2 s at 100/s
  EXPECT_DOUBLE_EQ(limiter->reserve(5000), 52.0);  // 5200 short
  limiter->adjust_tokens(-5000);                   // the big one used nothing after all
  EXPECT_DOUBLE_EQ(limiter->reserve(0), 2.0);      // back to 200 short
}

TEST(RateLimit, BothLimitsTheLongerWaitWins) {
  FakeTime t;
  auto limiter = t.limiter({60, 600, 1});  // 1 request and 10 tokens of burst
  EXPECT_DOUBLE_EQ(limiter->reserve(10), 0.0);
  EXPECT_DOUBLE_EQ(limiter->reserve(50), 5.0);  // requests: 1 s; tokens: 50 short at 10/s = 5 s
}

TEST(RateLimit, AcquireSleepsTheReservedTime) {
  FakeTime t;
  auto limiter = t.limiter({60, 0, 1});
  limiter->acquire(0);
  limiter->acquire(0);
  EXPECT_EQ(t.sleeps, (std::vector<double>{0.0, 1.0}));
}

TEST(RateLimit, EstimateIsBytesOverFourPlusMaxTokens) {
  ChatRequest request = judge::test::user_request("12345678");  // "You are a judge." is 16 bytes
  request.max_tokens = 100;
  EXPECT_EQ(estimate_tokens(request), (16 + 8) / 4 + 100);
}

}  // namespace
}  // namespace judge::llm
