// SPDX-License-Identifier: MIT
#include "judge/llm/usage.hpp"

namespace judge::llm {

void UsageMeter::record(const ChatResult& result) {
  std::lock_guard lock(m_mutex);
  if (result.response && result.response->from_cache) {
    ++m_totals.cached;
    return;
  }
  if (result.error && result.error->kind == ErrorKind::not_in_cache) {
    ++m_totals.errors;
    return;
  }
  ++m_totals.calls;
  if (!result.response) {
    ++m_totals.errors;
    return;
  }
  ++m_totals.answered;
  m_totals.input_tokens += result.response->usage.input_tokens;
  m_totals.output_tokens += result.response->usage.output_tokens;
  m_totals.latency_seconds += result.response->latency_seconds;
}

void UsageMeter::reject() {
  std::lock_guard lock(m_mutex);
  ++m_totals.errors;
}

UsageTotals UsageMeter::totals() const {
  std::lock_guard lock(m_mutex);
  return m_totals;
}

}  // namespace judge::llm
