// SPDX-License-Identifier: MIT
// Retries with exponential backoff and jitter, honouring Retry-After.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "judge/llm/provider.hpp"

namespace judge::llm {

struct RetryPolicy {
  int max_attempts = 4;  ///< calls in all, the first included (1 = no retries)
  double initial_backoff_seconds = 1.0;
  double multiplier = 2.0;
  double max_backoff_seconds = 30.0;
  /// A Retry-After longer than this is not waited for: the error is returned (e.g. a daily quota is spent).
  double max_retry_after_seconds = 120.0;
};

/// Waits `seconds` (the real sleep; tests inject a recorder instead).
using SleepFunction = std::function<void(double seconds)>;
void sleep_seconds(double seconds);

/// Decides whether and how long to wait before the next attempt. Thread-safe.
///
/// Why this shape: without Retry-After the wait is "equal jitter" (AWS Architecture Blog, "Exponential
/// Backoff And Jitter", 2015): d = min(max_backoff, initial * multiplier^(attempt-1)), wait uniform in
/// [d/2, d], so many clients that failed together do not retry together, yet none retries at once. A server's
/// Retry-After is taken as given: it knows when capacity returns.
class Backoff {
 public:
  explicit Backoff(RetryPolicy policy = {}, std::uint64_t seed = std::random_device{}());
  /// Seconds to wait after `error` ended attempt number `attempt` (1-based), or nullopt when the kind is not
  /// retryable (is_retryable), attempts are used up, or Retry-After exceeds max_retry_after_seconds.
  std::optional<double> wait_after(int attempt, const ProviderError& error);
  const RetryPolicy& policy() const { return m_policy; }

 private:
  RetryPolicy m_policy;
  std::mutex m_mutex;
  std::mt19937_64 m_random;
};

/// Calls `call` until `error_of(result)` (a const ProviderError*, null on success) is null or `backoff`
/// says stop, sleeping in between; returns the last result.
template <typename Call, typename ErrorOf>
auto call_with_retries(Backoff& backoff, const SleepFunction& sleep, Call&& call, ErrorOf&& error_of) {
  for (int attempt = 1;; ++attempt) {
    auto result = call();
    const ProviderError* error = error_of(result);
    if (!error) return result;
    const std::optional<double> wait = backoff.wait_after(attempt, *error);
    if (!wait) return result;
    sleep(*wait);
  }
}

/// A ChatProvider decorator that retries retryable failures (rate_limited, timeout, server, network).
/// A final error's message ends with "(after N attempts)" when N > 1. The result's latency_seconds (the
/// response's, or the error's) is the wall time of all attempts and the waits between them. Thread-safe when
/// the inner one is.
class RetryingProvider : public ChatProvider {
 public:
  RetryingProvider(std::shared_ptr<ChatProvider> inner, RetryPolicy policy = {},
                   SleepFunction sleep = sleep_seconds, std::uint64_t seed = std::random_device{}());
  std::string spec() const override { return m_inner->spec(); }
  std::string cache_identity() const override { return m_inner->cache_identity(); }
  ChatResult chat(const ChatRequest& request) override;
  void reject(const ChatRequest& request) override { m_inner->reject(request); }

 private:
  std::shared_ptr<ChatProvider> m_inner;
  Backoff m_backoff;
  SleepFunction m_sleep;
};

}  // namespace judge::llm
