// SPDX-License-Identifier: MIT
// One JSON POST to an HTTP provider, with HTTP failures turned into ProviderError kinds.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "judge/llm/provider.hpp"
#include "judge/net/http.hpp"

namespace judge::llm {

/// Where a provider sends its requests.
struct HttpEndpoint {
  std::string url;
  net::Headers headers;
  std::vector<std::string> secrets;  ///< API keys and tokens sent in `headers`; removed from every message
  double connect_timeout_seconds = k_default_connect_timeout_seconds;
  double timeout_seconds = k_default_timeout_seconds;
};

struct JsonReply {
  std::optional<nlohmann::json> body;  ///< parsed body of a 2xx reply
  std::optional<ProviderError> error;
  double latency_seconds = 0;
};

/// POSTs `body` as JSON. Error kinds: curl timeout -> timeout; no reply, dropped connection -> network;
/// any error status keeps its Retry-After (or retry-after-ms) in retry_after_seconds;
/// 401/403 -> auth; 429 -> rate_limited; 408 -> timeout; 404 -> config;
/// 413, or 400/422 whose message speaks of the context length -> context_length; 5xx -> server; other 4xx,
/// or a 2xx body that is not JSON -> bad_response. Messages quote the server's error message (cut to 300
/// bytes) and never contain header values.
JsonReply post_json(const HttpEndpoint& endpoint, const nlohmann::json& body);

/// `text` with every occurrence of each of `secrets` (those of 4 bytes or more) replaced by "***".
std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets);

/// Copies `reply`'s "model" and its usage.input_tokens / usage.output_tokens (the Anthropic Messages names,
/// which the command protocol shares) into `response`; missing or mistyped fields are left as they are.
void read_model_and_usage(const nlohmann::json& reply, ChatResponse& response);

/// A ChatResult holding an error of `kind`.
ChatResult chat_error(ErrorKind kind, std::string message);

}  // namespace judge::llm
