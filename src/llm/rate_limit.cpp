// SPDX-License-Identifier: MIT
#include "judge/llm/rate_limit.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace judge::llm {

double steady_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

RateLimiter::RateLimiter(RateLimits limits, SleepFunction sleep, NowFunction now)
    : m_sleep(std::move(sleep)), m_now(std::move(now)) {
  const double burst = std::max(limits.burst_seconds, 1.0);
  const auto make = [&](double per_minute, double minimum_capacity) {
    Bucket b;
    if (per_minute <= 0) return b;
    b.rate = per_minute / 60.0;
    b.capacity = std::max(b.rate * burst, minimum_capacity);
    b.level = b.capacity;
    return b;
  };
  m_requests = make(limits.requests_per_minute, 1.0);
  m_tokens = make(limits.tokens_per_minute, 0.0);
  m_last = m_now();
}

void RateLimiter::refill(double now) {
  const double elapsed = std::max(0.0, now - m_last);
  m_last = std::max(m_last, now);
  for (Bucket* b : {&m_requests, &m_tokens})
    if (b->rate > 0) b->level = std::min(b->capacity, b->level + elapsed * b->rate);
}

double RateLimiter::reserve(long tokens) {
  const std::lock_guard lock(m_mutex);
  refill(m_now());
  double wait = 0;
  const auto take = [&](Bucket& b, double amount) {
    if (b.rate <= 0) return;
    b.level -= amount;
    if (b.level < 0) wait = std::max(wait, -b.level / b.rate);
  };
  take(m_requests, 1.0);
  take(m_tokens, static_cast<double>(std::max(0L, tokens)));
  return wait;
}

void RateLimiter::acquire(long tokens) { m_sleep(reserve(tokens)); }

void RateLimiter::adjust_tokens(long delta) {
  const std::lock_guard lock(m_mutex);
  if (m_tokens.rate > 0)
    m_tokens.level = std::min(m_tokens.capacity, m_tokens.level - static_cast<double>(delta));
}

long estimate_tokens(const ChatRequest& request) {
  std::size_t bytes = 0;
  for (const auto& message : request.messages) bytes += message.content.size();
  return static_cast<long>(bytes / 4) + request.max_tokens;
}

RateLimitedProvider::RateLimitedProvider(std::shared_ptr<ChatProvider> inner,
                                         std::shared_ptr<RateLimiter> limiter)
    : m_inner(std::move(inner)), m_limiter(std::move(limiter)) {}

ChatResult RateLimitedProvider::chat(const ChatRequest& request) {
  const long estimate = estimate_tokens(request);
  m_limiter->acquire(estimate);
  ChatResult result = m_inner->chat(request);
  if (result.ok()) {
    const Usage& usage = result.response->usage;
    if (usage.input_tokens + usage.output_tokens > 0)
      m_limiter->adjust_tokens(usage.input_tokens + usage.output_tokens - estimate);
  }
  return result;
}

}  // namespace judge::llm
