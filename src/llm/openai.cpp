// SPDX-License-Identifier: MIT
#include "judge/llm/openai.hpp"

#include <cctype>
#include <utility>

#include "judge/net/http.hpp"
#include "judge/util/text.hpp"

namespace judge::llm {

bool is_openai_reasoning_model(const std::string& name) {
  std::string model = util::to_lower(name.substr(name.rfind('/') + 1));
  auto followed_by = [&](std::size_t n, const char* separators) {
    return model.size() == n || std::string(separators).find(model[n]) != std::string::npos;
  };
  if (model.size() >= 2 && model[0] == 'o' && std::isdigit(static_cast<unsigned char>(model[1])))
    return followed_by(2, "-");
  return model.rfind("gpt-5", 0) == 0 && followed_by(5, "-.");
}

OpenAIChatProvider::OpenAIChatProvider(std::string spec, HttpEndpoint endpoint, std::string model,
                                       bool reasoning)
    : m_spec(std::move(spec)),
      m_endpoint(std::move(endpoint)),
      m_model(std::move(model)),
      m_reasoning(reasoning) {}

nlohmann::json openai_chat_body(const ChatRequest& request, const std::string& model, bool reasoning) {
  nlohmann::json body = nlohmann::json::object();
  if (!model.empty()) body["model"] = model;
  body["messages"] = nlohmann::json::array();
  for (const auto& message : request.messages)
    body["messages"].push_back({{"role", message.role}, {"content", message.content}});
  if (reasoning) {
    body["max_completion_tokens"] = request.max_tokens;
  } else {
    body["temperature"] = request.temperature;
    body["max_tokens"] = request.max_tokens;
  }
  if (request.seed >= 0) body["seed"] = request.seed;
  if (request.response_schema)
    body["response_format"] = {
        {"type", "json_schema"},
        {"json_schema",
         {{"name", request.schema_name}, {"schema", *request.response_schema}, {"strict", true}}}};
  return body;
}

ChatResult OpenAIChatProvider::chat(const ChatRequest& request) {
  JsonReply reply = post_json(m_endpoint, openai_chat_body(request, m_model, m_reasoning));
  if (reply.error) return ChatResult{std::nullopt, std::move(reply.error)};
  const nlohmann::json& body = *reply.body;

  const auto bad = [&](const std::string& why) {
    return chat_error(ErrorKind::bad_response, m_spec + ": " + why + " in the Chat Completions reply");
  };
  if (!body.contains("choices") || !body["choices"].is_array() || body["choices"].empty())
    return bad("no choices");
  const auto& choice = body["choices"][0];
  if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object())
    return bad("no choices[0].message");
  const auto& message = choice["message"];
  if (message.contains("refusal") && message["refusal"].is_string() &&
      !message["refusal"].get_ref<const std::string&>().empty())
    return chat_error(ErrorKind::refused,
                      m_spec + ": the model refused: " + message["refusal"].get<std::string>());
  if (!message.contains("content") || !message["content"].is_string()) return bad("no message.content text");

  ChatResponse response;
  response.content = message["content"].get<std::string>();
  response.latency_seconds = reply.latency_seconds;
  if (body.contains("model") && body["model"].is_string()) response.model = body["model"].get<std::string>();
  if (body.contains("usage") && body["usage"].is_object()) {
    const auto& usage = body["usage"];
    if (usage.contains("prompt_tokens") && usage["prompt_tokens"].is_number_integer())
      response.usage.input_tokens = usage["prompt_tokens"].get<long>();
    if (usage.contains("completion_tokens") && usage["completion_tokens"].is_number_integer())
      response.usage.output_tokens = usage["completion_tokens"].get<long>();
  }
  return ChatResult{std::move(response), std::nullopt};
}

namespace {

/// Whether the Chat Completions model `name` gets the reasoning-model body (settings first, else its name).
bool reasoning(const ProviderSettings& settings, const std::string& name) {
  return settings.reasoning_model.value_or(is_openai_reasoning_model(name));
}

}  // namespace

std::unique_ptr<ChatProvider> make_openai_chat(const ProviderTarget& target,
                                               const ProviderSettings& settings) {
  HttpEndpoint e = provider_endpoint(target.base_url + "/chat/completions", settings);
  add_key_header(e, target.key, "Authorization", "Bearer ");
  return std::make_unique<OpenAIChatProvider>(target.spec, std::move(e), target.name,
                                              reasoning(settings, target.name));
}

std::unique_ptr<ChatProvider> make_azure_chat(const ProviderTarget& target,
                                              const ProviderSettings& settings) {
  std::string version = settings.api_version;
  if (version.empty()) version = settings.env("OPENAI_API_VERSION").value_or(k_default_azure_api_version);
  HttpEndpoint e = provider_endpoint(target.base_url + "/openai/deployments/" + net::url_encode(target.name) +
                                         "/chat/completions?api-version=" + net::url_encode(version),
                                     settings);
  add_key_header(e, target.key, "api-key");
  return std::make_unique<OpenAIChatProvider>(target.spec, std::move(e), "",
                                              reasoning(settings, target.name));
}

std::unique_ptr<ChatProvider> make_databricks_chat(const ProviderTarget& target,
                                                   const ProviderSettings& settings) {
  HttpEndpoint e = provider_endpoint(
      target.base_url + "/serving-endpoints/" + net::url_encode(target.name) + "/invocations", settings);
  add_key_header(e, target.key, "Authorization", "Bearer ");
  return std::make_unique<OpenAIChatProvider>(target.spec, std::move(e), "",
                                              reasoning(settings, target.name));
}

}  // namespace judge::llm
