// SPDX-License-Identifier: MIT
// An in-process ChatProvider for tests: replies from a script, records every request.
#pragma once
#include <deque>
#include <functional>
#include <mutex>

#include "judge/llm/provider.hpp"

namespace judge::test {

class FakeProvider : public llm::ChatProvider {
 public:
  /// Replies in order; when the script runs out, `fallback` answers (default: a bad_response error).
  std::deque<llm::ChatResult> script;
  std::function<llm::ChatResult(const llm::ChatRequest&)> fallback;

  static llm::ChatResult reply(std::string content, long in = 100, long out = 10) {
    llm::ChatResult r;
    r.response = llm::ChatResponse{std::move(content), {in, out}, 0.2, "fake-model", false};
    return r;
  }
  static llm::ChatResult failure(llm::ErrorKind kind, std::string message = "failed") {
    llm::ChatResult r;
    r.error = llm::ProviderError{kind, std::move(message), 0, std::nullopt};
    return r;
  }

  std::string spec() const override { return "fake:model"; }
  llm::ChatResult chat(const llm::ChatRequest& request) override {
    std::lock_guard lock(m_mutex);
    requests.push_back(request);
    if (!script.empty()) {
      auto r = script.front();
      script.pop_front();
      return r;
    }
    return fallback ? fallback(request) : failure(llm::ErrorKind::bad_response, "script exhausted");
  }
  std::size_t calls() {
    std::lock_guard lock(m_mutex);
    return requests.size();
  }
  std::vector<llm::ChatRequest> requests;

 private:
  std::mutex m_mutex;
};

}  // namespace judge::test
