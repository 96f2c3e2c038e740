// SPDX-License-Identifier: MIT
// Provider settings for tests: an injected environment instead of the process's.
#pragma once
#include <map>
#include <string>

#include "judge/llm/registry.hpp"

namespace judge::test {

/// ProviderSettings whose environment is exactly `vars`, with short timeouts and no retries (so each chat()
/// is one request; tests of retries set settings.retry and settings.sleep).
inline llm::ProviderSettings settings_with_env(std::map<std::string, std::string> vars,
                                               std::string base_url = "") {
  llm::ProviderSettings settings;
  settings.base_url = std::move(base_url);
  settings.connect_timeout_seconds = 2;
  settings.timeout_seconds = 5;
  settings.retry.max_attempts = 1;
  settings.env = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return settings;
}

/// A one-message user request.
inline llm::ChatRequest user_request(const std::string& text) {
  llm::ChatRequest request;
  request.messages = {{"system", "You are a judge."}, {"user", text}};
  return request;
}

}  // namespace judge::test
