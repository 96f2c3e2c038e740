// SPDX-License-Identifier: MIT
// Anthropic Messages API. Wire format: https://docs.anthropic.com/en/api/messages
#pragma once
#include <string>

#include "judge/llm/http_call.hpp"
#include "judge/llm/provider.hpp"
#include "judge/llm/registry.hpp"

namespace judge::llm {

inline constexpr const char* k_anthropic_version = "2023-06-01";

/// A Messages API client. `endpoint.url` is the full ".../v1/messages" URL and `endpoint.headers` carry
/// x-api-key (when there is a key) and anthropic-version. Thread-safe.
class AnthropicChatProvider : public ChatProvider {
 public:
  AnthropicChatProvider(std::string spec, HttpEndpoint endpoint, std::string model);
  std::string spec() const override { return m_spec; }
  /// One call. Body: model, max_tokens, temperature, system (the system messages joined by a blank line),
  /// messages (user and assistant turns); with a schema, tools [{name, description, input_schema}] and
  /// tool_choice {type: tool, name} force a tool call whose `input` becomes the content (as JSON text).
  /// Reply: the tool_use block's input, else the text blocks joined; stop_reason "refusal" -> refused; usage
  /// from usage.input_tokens / usage.output_tokens; other failures as in post_json().
  ChatResult chat(const ChatRequest& request) override;

 private:
  std::string m_spec;
  HttpEndpoint m_endpoint;
  std::string m_model;
};

/// The Messages request body for `request` (see AnthropicChatProvider::chat).
nlohmann::json anthropic_messages_body(const ChatRequest& request, const std::string& model);

/// The provider table's anthropic row (registry.hpp): POST {base}/v1/messages, x-api-key and
/// anthropic-version headers.
std::unique_ptr<ChatProvider> make_anthropic_chat(const ProviderTarget& target,
                                                  const ProviderSettings& settings);

}  // namespace judge::llm
