// SPDX-License-Identifier: MIT
#include "judge/llm/usage_limit.hpp"

#include <algorithm>
#include <thread>

namespace judge::llm {

RateLimitedProvider::RateLimitedProvider(std::shared_ptr<ChatProvider> inner, double requests_per_minute,
                                         double tokens_per_minute, double burst_seconds)
    : m_inner(std::move(inner)), m_rpm(requests_per_minute), m_tpm(tokens_per_minute), m_burst(burst_seconds),
      m_tat_requests(Clock::now()), m_tat_tokens(Clock::now()) {}

double RateLimitedProvider::estimated_tokens(const ChatRequest& request) {
  std::size_t bytes = 0;
  for (const auto& m : request.messages) bytes += m.content.size();
  return static_cast<double>((bytes + 3) / 4) + request.max_tokens;
}

// Why this shape: a token bucket is the generic cell rate algorithm (GCRA, ITU-T I.371): each call occupies
// `cost` seconds of a virtual schedule (60/limit per request, tokens*60/limit for tokens); the theoretical
// arrival time (TAT) advances by the cost, and a call may start once TAT + cost - burst has passed. A cost
// larger than the burst is capped so one big request never waits beyond the schedule. Reserving under the
// lock and sleeping outside it keeps callers in order without holding the lock while waiting.
ChatResult RateLimitedProvider::chat(const ChatRequest& request) {
  Clock::time_point start;
  {
    std::lock_guard lock(m_mutex);
    const auto now = Clock::now();
    start = now;
    auto seconds = [](double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); };
    auto reserve = [&](Clock::time_point& tat, double cost) {
      tat = std::max(tat, now);
      start = std::max(start, tat + seconds(std::min(cost, m_burst) - m_burst));
      tat += seconds(cost);
    };
    if (m_rpm > 0) reserve(m_tat_requests, 60.0 / m_rpm);
    if (m_tpm > 0) reserve(m_tat_tokens, estimated_tokens(request) * 60.0 / m_tpm);
  }
  std::this_thread::sleep_until(start);
  return m_inner->chat(request);
}

}  // namespace judge::llm
