// SPDX-License-Identifier: MIT
// OpenAI Chat Completions and the servers that speak it (Azure OpenAI, Databricks serving endpoints, vLLM,
// Ollama, llama.cpp server, LM Studio). Wire format: https://platform.openai.com/docs/api-reference/chat
#pragma once
#include <string>

#include "judge/llm/http_call.hpp"
#include "judge/llm/provider.hpp"

namespace judge::llm {

/// A Chat Completions client. `endpoint.url` is the full URL to POST to (".../chat/completions" or a
/// Databricks ".../invocations"); `model` goes in the body's "model" field unless empty (Azure and Databricks
/// name the model in the URL). Thread-safe.
class OpenAIChatProvider : public ChatProvider {
 public:
  OpenAIChatProvider(std::string spec, HttpEndpoint endpoint, std::string model);
  std::string spec() const override { return m_spec; }
  /// One call. Body: model, messages, temperature, max_tokens, seed (when >= 0), and
  /// response_format {type: json_schema, json_schema: {name, schema, strict: true}} when the request has a
  /// schema. Reply: choices[0].message.content; a non-null message.refusal -> refused; usage from
  /// usage.prompt_tokens / usage.completion_tokens; other failures as in post_json().
  ChatResult chat(const ChatRequest& request) override;

 private:
  std::string m_spec;
  HttpEndpoint m_endpoint;
  std::string m_model;
};

/// The Chat Completions request body for `request` (see OpenAIChatProvider::chat).
nlohmann::json openai_chat_body(const ChatRequest& request, const std::string& model);

}  // namespace judge::llm
