// SPDX-License-Identifier: MIT
#include "judge/llm/http_call.hpp"

#include <array>
#include <chrono>
#include <ctime>

#include "judge/util/text.hpp"

namespace judge::llm {
namespace {

constexpr std::size_t k_max_quoted_bytes = 300;

/// The server's own explanation: `error.message` (OpenAI, Anthropic, vLLM), `error` as a string, `message`,
/// `detail` (FastAPI servers); else the start of the raw body.
std::string server_message(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object()) {
    if (const auto error = json.find("error"); error != json.end()) {
      if (error->is_string()) return error->get<std::string>();
      if (error->is_object() && error->contains("message") && (*error)["message"].is_string())
        return (*error)["message"].get<std::string>();
    }
    for (const char* key : {"message", "detail"})
      if (json.contains(key) && json[key].is_string()) return json[key].get<std::string>();
  }
  return std::string(util::trim(body));
}

/// The error code OpenAI puts in `error.code` (e.g. "context_length_exceeded"), or "".
std::string server_code(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.contains("error") && json["error"].is_object()) {
    const auto& error = json["error"];
    if (error.contains("code") && error["code"].is_string()) return error["code"].get<std::string>();
  }
  return "";
}

bool speaks_of_context_length(const std::string& text) {
  static constexpr std::array k_markers = {"context_length",  "context length",     "context window",
                                           "maximum context", "prompt is too long", "input is too long",
                                           "too many tokens", "reduce the length"};
  const std::string lower = util::to_lower(text);
  for (const char* marker : k_markers)
    if (lower.find(marker) != std::string::npos) return true;
  return false;
}

std::optional<double> retry_after(const net::HttpResponse& response) {
  if (const auto ms = response.header("retry-after-ms"))  // OpenAI sends this beside Retry-After
    if (const auto value = net::parse_retry_after(*ms, 0)) return *value / 1000.0;
  if (const auto value = response.header("retry-after"))
    return net::parse_retry_after(*value, std::time(nullptr));
  return std::nullopt;
}

ErrorKind kind_of_status(int status, const std::string& message, const std::string& code) {
  if (status == 401 || status == 403) return ErrorKind::auth;
  if (status == 429) return ErrorKind::rate_limited;
  if (status == 408) return ErrorKind::timeout;
  if (status == 404) return ErrorKind::config;
  if (status == 413) return ErrorKind::context_length;
  if ((status == 400 || status == 422) &&
      (speaks_of_context_length(code) || speaks_of_context_length(message)))
    return ErrorKind::context_length;
  if (status >= 500) return ErrorKind::server;
  return ErrorKind::bad_response;
}

}  // namespace

std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.size() < 4) continue;  // too short to be a key; scrubbing would garble the message
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
      text.replace(at, secret.size(), "***");
  }
  // Credentials in a URL ("scheme://user:password@host") are masked wherever a URL is quoted.
  for (auto scheme = text.find("://"); scheme != std::string::npos; scheme = text.find("://", scheme + 3)) {
    const std::size_t host = scheme + 3;
    const std::size_t end = text.find_first_of("/ \n\"'", host);
    const std::size_t at = text.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at >= host && (end == std::string::npos || at < end))
      text.replace(host, at - host, "***");
  }
  return text;
}

void read_model_and_usage(const nlohmann::json& reply, ChatResponse& response) {
  if (reply.contains("model") && reply["model"].is_string())
    response.model = reply["model"].get<std::string>();
  if (reply.contains("usage") && reply["usage"].is_object()) {
    const auto& usage = reply["usage"];
    if (usage.contains("input_tokens") && usage["input_tokens"].is_number_integer())
      response.usage.input_tokens = usage["input_tokens"].get<long>();
    if (usage.contains("output_tokens") && usage["output_tokens"].is_number_integer())
      response.usage.output_tokens = usage["output_tokens"].get<long>();
  }
}

ChatResult chat_error(ErrorKind kind, std::string message) {
  ChatResult result;
  result.error = ProviderError{kind, std::move(message), 0, std::nullopt};
  return result;
}

JsonReply post_json(const HttpEndpoint& endpoint, const nlohmann::json& body) {
  net::HttpRequest request;
  request.url = endpoint.url;
  request.headers = endpoint.headers;
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  request.connect_timeout_seconds = endpoint.connect_timeout_seconds;
  request.timeout_seconds = endpoint.timeout_seconds;

  const auto start = std::chrono::steady_clock::now();
  const net::HttpResult http = net::perform(request);
  JsonReply reply;
  reply.latency_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!http.ok()) {
    // Nothing listening at the base URL is a configuration problem: retrying every item for minutes would
    // only hide it, so it stops the run (exit 1) with a hint.
    if (http.failure->kind == net::FailureKind::unreachable) {
      reply.error = ProviderError{ErrorKind::config,
                                  scrub_secrets(http.failure->message, endpoint.secrets) +
                                      " (is the server running, and is the base URL right?)",
                                  0, std::nullopt};
      reply.error->unreachable = true;
      return reply;
    }
    const auto kind =
        http.failure->kind == net::FailureKind::timeout ? ErrorKind::timeout : ErrorKind::network;
    reply.error =
        ProviderError{kind, scrub_secrets(http.failure->message, endpoint.secrets), 0, std::nullopt};
    return reply;
  }
  const net::HttpResponse& response = *http.response;
  const std::string where = "POST " + endpoint.url.substr(0, endpoint.url.find('?'));
  if (response.status < 200 || response.status >= 300) {
    const std::string message = server_message(response.body);
    ProviderError error;
    error.kind = kind_of_status(response.status, message, server_code(response.body));
    error.http_status = response.status;
    // Scrub before cutting: a key cut in half would no longer match and half of it would leak.
    error.message = "HTTP " + std::to_string(response.status) + " from " +
                    scrub_secrets(where, endpoint.secrets) + ": " +
                    util::truncate_utf8(scrub_secrets(message, endpoint.secrets), k_max_quoted_bytes);
    error.retry_after_seconds = retry_after(response);  // 429 and 503 send it
    reply.error = std::move(error);
    return reply;
  }
  auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    reply.error = ProviderError{
        ErrorKind::bad_response,
        "reply from " + scrub_secrets(where, endpoint.secrets) + " is not a JSON object: " +
            util::truncate_utf8(scrub_secrets(response.body, endpoint.secrets), k_max_quoted_bytes),
        response.status, std::nullopt};
    return reply;
  }
  reply.body = std::move(json);
  return reply;
}

}  // namespace judge::llm
