// SPDX-License-Identifier: MIT
#pragma once
#include <memory>
#include <mutex>

#include "judge/llm/provider.hpp"

namespace judge::llm {

/// Running totals of a run's calls. Tokens and latency count calls that reached the provider; replies served
/// from the cache are counted in `cached` only.
struct UsageTotals {
  long calls = 0;     ///< calls that reached the provider (successful or not)
  long answered = 0;  ///< of which returned a reply (the calls latency_seconds is summed over)
  long cached = 0;    ///< replies served from the response cache
  long errors = 0;    ///< calls that ended in an error (after the provider's retries) or were rejected
  long input_tokens = 0;
  long output_tokens = 0;
  double latency_seconds = 0;  ///< summed over the answered calls (a failed call has no reply to time)
};

/// Thread-safe accumulator of UsageTotals.
class UsageMeter {
 public:
  void record(const ChatResult& result);
  /// A reply recorded before turned out unusable (ChatProvider::reject): counted in `errors` too.
  void reject();
  UsageTotals totals() const;

 private:
  mutable std::mutex m_mutex;
  UsageTotals m_totals;
};

/// A ChatProvider decorator that records every result in a UsageMeter.
class MeteredProvider : public ChatProvider {
 public:
  MeteredProvider(std::shared_ptr<ChatProvider> inner, std::shared_ptr<UsageMeter> meter)
      : m_inner(std::move(inner)), m_meter(std::move(meter)) {}
  std::string spec() const override { return m_inner->spec(); }
  std::string cache_identity() const override { return m_inner->cache_identity(); }
  ChatResult chat(const ChatRequest& request) override {
    auto result = m_inner->chat(request);
    m_meter->record(result);
    return result;
  }
  void reject(const ChatRequest& request) override {
    m_meter->reject();
    m_inner->reject(request);
  }

 private:
  std::shared_ptr<ChatProvider> m_inner;
  std::shared_ptr<UsageMeter> m_meter;
};

}  // namespace judge::llm
