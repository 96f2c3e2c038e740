// SPDX-License-Identifier: MIT
#include "judge/llm/retry.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

namespace judge::llm {

void sleep_seconds(double seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

Backoff::Backoff(RetryPolicy policy, std::uint64_t seed) : m_policy(policy), m_random(seed) {}

std::optional<double> Backoff::wait_after(int attempt, const ProviderError& error) {
  if (!is_retryable(error.kind) || attempt >= m_policy.max_attempts) return std::nullopt;
  if (error.retry_after_seconds) {
    if (*error.retry_after_seconds > m_policy.max_retry_after_seconds) return std::nullopt;
    return std::max(0.0, *error.retry_after_seconds);
  }
  const double ceiling =
      std::min(m_policy.max_backoff_seconds,
               m_policy.initial_backoff_seconds * std::pow(m_policy.multiplier, attempt - 1));
  std::uniform_real_distribution<double> half(ceiling / 2, ceiling);
  const std::lock_guard lock(m_mutex);
  return half(m_random);
}

RetryingProvider::RetryingProvider(std::shared_ptr<ChatProvider> inner, RetryPolicy policy,
                                   SleepFunction sleep, std::uint64_t seed)
    : m_inner(std::move(inner)), m_backoff(policy, seed), m_sleep(std::move(sleep)) {}

ChatResult RetryingProvider::chat(const ChatRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  int attempts = 0;
  ChatResult result = call_with_retries(
      m_backoff, m_sleep,
      [&] {
        ++attempts;
        return m_inner->chat(request);
      },
      [](const ChatResult& r) { return r.error ? &*r.error : nullptr; });
  if (result.error && attempts > 1)
    result.error->message += " (after " + std::to_string(attempts) + " attempts)";
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.response) result.response->latency_seconds = seconds;
  if (result.error) result.error->latency_seconds = seconds;
  return result;
}

}  // namespace judge::llm
