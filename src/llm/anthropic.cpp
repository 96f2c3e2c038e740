// SPDX-License-Identifier: MIT
#include "judge/llm/anthropic.hpp"

#include <utility>

namespace judge::llm {

AnthropicChatProvider::AnthropicChatProvider(std::string spec, HttpEndpoint endpoint, std::string model)
    : m_spec(std::move(spec)), m_endpoint(std::move(endpoint)), m_model(std::move(model)) {}

nlohmann::json anthropic_messages_body(const ChatRequest& request, const std::string& model) {
  nlohmann::json body = {
      {"model", model}, {"max_tokens", request.max_tokens}, {"temperature", request.temperature}};
  std::string system;
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& message : request.messages) {
    if (message.role == "system")
      system += (system.empty() ? "" : "\n\n") + message.content;
    else
      messages.push_back({{"role", message.role}, {"content", message.content}});
  }
  if (!system.empty()) body["system"] = system;
  body["messages"] = std::move(messages);
  if (request.response_schema) {
    body["tools"] = nlohmann::json::array(
        {{{"name", request.schema_name},
          {"description", "Record the answer. Call this tool with the answer as its input."},
          {"input_schema", *request.response_schema}}});
    body["tool_choice"] = {{"type", "tool"}, {"name", request.schema_name}};
  }
  return body;
}

ChatResult AnthropicChatProvider::chat(const ChatRequest& request) {
  JsonReply reply = post_json(m_endpoint, anthropic_messages_body(request, m_model));
  if (reply.error) return ChatResult{std::nullopt, std::move(reply.error)};
  const nlohmann::json& body = *reply.body;

  const auto bad = [&](const std::string& why) {
    return chat_error(ErrorKind::bad_response, m_spec + ": " + why + " in the Messages reply");
  };
  if (body.contains("stop_reason") && body["stop_reason"] == "refusal")
    return chat_error(ErrorKind::refused, m_spec + ": the model refused (stop_reason: refusal)");
  if (!body.contains("content") || !body["content"].is_array()) return bad("no content array");

  ChatResponse response;
  bool have_tool_input = false;
  for (const auto& block : body["content"]) {
    if (!block.is_object()) return bad("a content block that is not an object");
    const std::string type =
        block.contains("type") && block["type"].is_string() ? block["type"].get<std::string>() : "";
    if (type == "tool_use" && block.contains("input") && !have_tool_input) {
      response.content = block["input"].dump();
      have_tool_input = true;
    } else if (type == "text" && !have_tool_input && block.contains("text") && block["text"].is_string()) {
      response.content += block["text"].get<std::string>();
    }
  }
  if (!have_tool_input && response.content.empty()) return bad("no text or tool_use block");
  response.latency_seconds = reply.latency_seconds;
  read_model_and_usage(body, response);
  return ChatResult{std::move(response), std::nullopt};
}

std::unique_ptr<ChatProvider> make_anthropic_chat(const ProviderTarget& target,
                                                  const ProviderSettings& settings) {
  HttpEndpoint e = provider_endpoint(target.base_url + "/v1/messages", settings);
  add_key_header(e, target.key, "x-api-key");
  e.headers.emplace_back("anthropic-version", k_anthropic_version);
  return std::make_unique<AnthropicChatProvider>(target.spec, std::move(e), target.name);
}

}  // namespace judge::llm
