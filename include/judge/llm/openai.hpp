// SPDX-License-Identifier: MIT
// OpenAI Chat Completions and the servers that speak it (Azure OpenAI, Databricks serving endpoints, vLLM,
// Ollama, llama.cpp server, LM Studio). Wire format: https://platform.openai.com/docs/api-reference/chat
#pragma once
#include <string>

#include "judge/llm/http_call.hpp"
#include "judge/llm/provider.hpp"
#include "judge/llm/registry.hpp"

namespace judge::llm {

/// True when `name` (a model, or an Azure deployment / Databricks endpoint named after one) is one of
/// OpenAI's reasoning models: o1, o3, o4-mini, ... ("o" + digit, alone or followed by '-') and the gpt-5
/// family ("gpt-5" alone or followed by '-' or '.'), case-insensitive, after any "vendor/" prefix
/// ("openai/o3-mini"). Other names, e.g. "gpt-4.1-mini", "omni-x", are not.
bool is_openai_reasoning_model(const std::string& name);

/// A Chat Completions client. `endpoint.url` is the full URL to POST to (".../chat/completions" or a
/// Databricks ".../invocations"); `model` goes in the body's "model" field unless empty (Azure and Databricks
/// name the model in the URL). `reasoning`: use the reasoning-model body (see openai_chat_body). Thread-safe.
class OpenAIChatProvider : public ChatProvider {
 public:
  OpenAIChatProvider(std::string spec, HttpEndpoint endpoint, std::string model, bool reasoning = false);
  std::string spec() const override { return m_spec; }
  /// One call. Body: openai_chat_body(request, model, reasoning). Reply: choices[0].message.content; a
  /// non-null message.refusal -> refused; usage from usage.prompt_tokens / usage.completion_tokens; other
  /// failures as in post_json().
  ChatResult chat(const ChatRequest& request) override;

 private:
  std::string m_spec;
  HttpEndpoint m_endpoint;
  std::string m_model;
  bool m_reasoning;
};

/// The Chat Completions request body for `request`: model (unless empty), messages, temperature,
/// max_tokens, seed (when >= 0), and response_format {type: json_schema, json_schema: {name, schema,
/// strict: true}} when the request has a schema.
/// With `reasoning` (OpenAI's o-series and gpt-5 models), the reply limit is sent as
/// "max_completion_tokens" instead of "max_tokens" and "temperature" is left out: the API reference
/// (https://platform.openai.com/docs/api-reference/chat/create) marks max_tokens deprecated "in favor of
/// max_completion_tokens" and "not compatible with o-series models", max_completion_tokens being "an upper
/// bound for the number of tokens that can be generated for a completion, including visible output tokens
/// and reasoning tokens"; these models answer any temperature but the default with HTTP 400 "Unsupported
/// value: 'temperature' ... Only the default (1) value is supported" (code unsupported_value).
nlohmann::json openai_chat_body(const ChatRequest& request, const std::string& model, bool reasoning = false);

/// The factories of the provider table's Chat Completions rows (registry.hpp):
/// openai: POST {base}/chat/completions, Bearer key, the model in the body;
std::unique_ptr<ChatProvider> make_openai_chat(const ProviderTarget& target,
                                               const ProviderSettings& settings);
/// azure: POST {endpoint}/openai/deployments/{name}/chat/completions?api-version=V (V: settings.api_version,
/// else OPENAI_API_VERSION, else k_default_azure_api_version), header api-key;
std::unique_ptr<ChatProvider> make_azure_chat(const ProviderTarget& target, const ProviderSettings& settings);
/// databricks: POST {host}/serving-endpoints/{name}/invocations, Bearer token.
std::unique_ptr<ChatProvider> make_databricks_chat(const ProviderTarget& target,
                                                   const ProviderSettings& settings);

}  // namespace judge::llm
