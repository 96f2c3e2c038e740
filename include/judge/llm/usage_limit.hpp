// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <memory>
#include <mutex>

#include "judge/llm/provider.hpp"

namespace judge::llm {

/// A ChatProvider decorator that keeps calls under a request rate and an (estimated) token rate.
/// Two token buckets refilled continuously, each holding `burst_seconds` worth of its limit: requests per
/// minute, and tokens per minute charged with the request's estimated tokens (see estimated_tokens()).
/// A limit of 0 is no limit. A call waits (sleeps) until both buckets hold enough; thread-safe, and callers
/// are served in the order they reserve.
class RateLimitedProvider : public ChatProvider {
 public:
  RateLimitedProvider(std::shared_ptr<ChatProvider> inner, double requests_per_minute, double tokens_per_minute,
                      double burst_seconds = 1.0);
  std::string spec() const override { return m_inner->spec(); }
  ChatResult chat(const ChatRequest& request) override;

  /// The tokens a request is charged: sum of message bytes / 4 (rounded up) + max_tokens.
  static double estimated_tokens(const ChatRequest& request);

 private:
  using Clock = std::chrono::steady_clock;
  std::shared_ptr<ChatProvider> m_inner;
  double m_rpm, m_tpm, m_burst;
  std::mutex m_mutex;
  Clock::time_point m_tat_requests;  ///< theoretical arrival time of the next request (GCRA)
  Clock::time_point m_tat_tokens;
};

}  // namespace judge::llm
