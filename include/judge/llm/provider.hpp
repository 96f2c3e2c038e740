// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/net/http.hpp"

namespace judge::llm {

/// One chat message. role: "system", "user" or "assistant".
struct Message {
  std::string role;
  std::string content;
};

/// A provider-neutral chat request. Providers convert it to their wire format (OpenAI Chat Completions,
/// Anthropic Messages, the command protocol in docs/command-protocol.md).
struct ChatRequest {
  std::vector<Message> messages;
  double temperature = 0.0;
  int max_tokens = 1024;
  /// JSON Schema the reply must follow; when set, providers use their structured-output mode
  /// (OpenAI response_format json_schema, Anthropic tool use) where the server has one.
  std::optional<nlohmann::json> response_schema;
  std::string schema_name = "verdict";
  int seed = -1;  ///< -1: none
};

/// Token usage from the reply's `usage` object (0 when the server does not report it).
struct Usage {
  long input_tokens = 0;
  long output_tokens = 0;
};

struct ChatResponse {
  std::string content;  ///< the assistant text (or the tool-call arguments as JSON text)
  Usage usage;
  double latency_seconds = 0;
  std::string model;  ///< model name the server reports
  bool from_cache = false;
};

/// Why a call failed; decides what happens next: retry (rate_limited, timeout, server, network),
/// mark the item unscored (bad_response, context_length, refused), or stop the run (auth, config).
enum class ErrorKind {
  auth,
  rate_limited,
  timeout,
  server,
  network,
  context_length,
  bad_response,
  refused,
  config,
  not_in_cache
};

const char* to_string(ErrorKind kind);
/// The kind whose to_string is `name` ("rate_limited", ...); nullopt when none is.
std::optional<ErrorKind> error_kind_named(std::string_view name);

/// Defaults of every provider's time limits, in seconds (settings `timeout` and `connect_timeout`): a whole
/// call, HTTP exchange or command run; and connecting to a server. Defined once, in net.
using net::k_default_connect_timeout_seconds;
using net::k_default_timeout_seconds;

/// What a failure of a kind means, decided here once for every caller (the judge, align's reflection calls,
/// the retry decorator): `retry` the call (rate_limited, timeout, server, network: a later attempt may
/// succeed); `stop` the run (auth, config: every call would fail the same way); else mark the item
/// `unscored` and go on (context_length, bad_response, refused, not_in_cache: this item's call cannot
/// succeed, others may). A retryable failure that is still failing after the retries marks the item unscored.
enum class FailurePolicy { retry, unscored, stop };
FailurePolicy policy_of(ErrorKind kind);
/// policy_of(kind) == FailurePolicy::retry.
bool is_retryable(ErrorKind kind);
/// policy_of(kind) == FailurePolicy::stop.
bool stops_the_run(ErrorKind kind);

/// A failed call: kind, a message without secrets, the HTTP status (0 if none) and the server's Retry-After
/// in seconds when it sent one.
struct ProviderError {
  ErrorKind kind = ErrorKind::server;
  std::string message;
  int http_status = 0;
  std::optional<double> retry_after_seconds;
  double latency_seconds = 0;  ///< seconds spent before giving up, all attempts (set by RetryingProvider)
  /// Nothing answered at the URL (connection refused, unknown host): kind config with one endpoint (the run
  /// stops: is the server running?); with several, that endpoint rests and another takes the call.
  bool unreachable = false;
};

/// Result of one call: a response or an error (never both).
struct ChatResult {
  std::optional<ChatResponse> response;
  std::optional<ProviderError> error;
  bool ok() const { return response.has_value(); }
};

/// Stops the run when `result` failed with a kind whose policy is FailurePolicy::stop: throws judge::Error
/// "SPEC: KIND error: MESSAGE" (`spec` names the provider). Any other result is left to the caller (an
/// unscored item, or a retry already done). The one place the judge, align's reflection and the CLI apply
/// the stop policy.
void stop_if_fatal(const std::string& spec, const ChatResult& result);

/// A chat-completion backend. Thread-safe: chat() may be called from several threads at once.
class ChatProvider {
 public:
  virtual ~ChatProvider() = default;
  /// The spec, e.g. "openai:gpt-4.1-mini" (never contains a key).
  virtual std::string spec() const = 0;
  /// What the response cache keys this provider's replies by, besides the request (llm::cache_key): the
  /// spec, and for a provider whose replies also depend on files of the user's, their content (the command
  /// provider's program and script files). Decorators forward it inward. Never contains a key.
  virtual std::string cache_identity() const { return spec(); }
  /// One call, no retries (RetryingProvider adds those). Expected failures are values, not exceptions.
  virtual ChatResult chat(const ChatRequest& request) = 0;
  /// Takes back the reply chat(request) just gave because the caller cannot use it (e.g. it does not
  /// parse): a response cache drops its entry, so the next identical request asks the model anew, and a
  /// usage meter counts the call as failed. Decorators forward it inward; a backend ignores it (default).
  virtual void reject(const ChatRequest& request) { (void)request; }
};

/// An embeddings backend: texts in, one vector per text out (same order).
class EmbeddingProvider {
 public:
  virtual ~EmbeddingProvider() = default;
  virtual std::string spec() const = 0;
  /// Throws judge::Error when the provider fails for good.
  virtual std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) = 0;
};

}  // namespace judge::llm
