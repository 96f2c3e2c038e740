// SPDX-License-Identifier: MIT
// Client-side request and token rate limits (token buckets), shared by every thread of a run.
#pragma once
#include <functional>
#include <memory>
#include <mutex>

#include "judge/llm/provider.hpp"
#include "judge/llm/retry.hpp"

namespace judge::llm {

struct RateLimits {
  double requests_per_minute = 0;  ///< 0: no limit
  double tokens_per_minute = 0;    ///< 0: no limit; counts input + output tokens
  /// Each bucket holds at most this many seconds of allowance, so an idle limiter lets a burst of that size
  /// through at once (and never more).
  double burst_seconds = 10;
};

/// Monotonic time in seconds (std::chrono::steady_clock); tests inject a fake clock.
using NowFunction = std::function<double()>;
double steady_now();

/// Token buckets for requests and tokens. Thread-safe; first come, first served.
///
/// Why reservation: acquire() takes its share at once, even into debt, and then sleeps until the debt is
/// repaid at the bucket's rate. A later caller sees the deeper debt and waits behind it, so callers are
/// served in order and a request bigger than the bucket (a long prompt) still goes through, only later.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimits limits, SleepFunction sleep = sleep_seconds, NowFunction now = steady_now);
  /// Reserves one request of about `tokens` tokens and returns the seconds the caller must wait first.
  double reserve(long tokens);
  /// reserve(), then sleeps that long.
  void acquire(long tokens);
  /// Corrects the token bucket once a call's real usage is known: `delta` = actual - estimated tokens
  /// (negative gives tokens back).
  void adjust_tokens(long delta);

 private:
  struct Bucket {
    double rate = 0;  ///< units per second; 0: unlimited
    double capacity = 0;
    double level = 0;
  };
  void refill(double now);

  Bucket m_requests, m_tokens;
  double m_last;
  SleepFunction m_sleep;
  NowFunction m_now;
  std::mutex m_mutex;
};

/// About how many tokens `request` uses: prompt bytes / 4 (the usual rule of thumb for English text with
/// BPE tokenizers) plus max_tokens for the reply.
long estimate_tokens(const ChatRequest& request);

/// A ChatProvider decorator that waits for `limiter` before each call (estimate_tokens) and corrects the
/// token bucket with the reply's usage. Put it inside RetryingProvider so retries are limited too.
class RateLimitedProvider : public ChatProvider {
 public:
  RateLimitedProvider(std::shared_ptr<ChatProvider> inner, std::shared_ptr<RateLimiter> limiter);
  std::string spec() const override { return m_inner->spec(); }
  std::string cache_identity() const override { return m_inner->cache_identity(); }
  ChatResult chat(const ChatRequest& request) override;
  void reject(const ChatRequest& request) override { m_inner->reject(request); }

 private:
  std::shared_ptr<ChatProvider> m_inner;
  std::shared_ptr<RateLimiter> m_limiter;
};

}  // namespace judge::llm
