// SPDX-License-Identifier: MIT
// Makes providers from specs such as "openai:gpt-4.1-mini" (see docs/providers.md for every provider, its
// environment variables and defaults).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "judge/llm/provider.hpp"
#include "judge/llm/retry.hpp"

namespace judge::llm {

/// Looks up an environment variable: its value, or nullopt when unset or empty.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (std::getenv), empty values counting as unset.
std::optional<std::string> process_env(const std::string& name);

/// Settings a provider takes besides its spec (from flags and judge.yaml; the environment is read here).
struct ProviderSettings {
  std::string base_url;     ///< overrides the provider's environment variable and default when non-empty
  std::string api_version;  ///< Azure api-version; else OPENAI_API_VERSION; else k_default_azure_api_version
  double connect_timeout_seconds = k_default_connect_timeout_seconds;
  double timeout_seconds = k_default_timeout_seconds;         ///< whole call (HTTP exchange, or the command's run time)
  EnvLookup env = process_env;          ///< tests inject their own environment here
  RetryPolicy retry;                    ///< retries of retryable failures (max_attempts = 1: none)
  SleepFunction sleep = sleep_seconds;  ///< how retries wait; tests inject a recorder
  int embedding_dimensions = 0;         ///< > 0: sent as "dimensions"
  /// true: the provider will never be called (a dry run; a replay-only cache, which answers a miss itself),
  /// so neither an API key nor an endpoint variable (AZURE_OPENAI_ENDPOINT, DATABRICKS_HOST) is required: a
  /// missing key is left out, a missing endpoint is k_unset_endpoint.
  bool offline = false;
  /// Chat Completions providers (openai, azure, databricks): whether the model takes the reasoning-model body
  /// (openai_chat_body: max_completion_tokens, no temperature). nullopt: decided by the model, deployment or
  /// endpoint name (is_openai_reasoning_model); true / false: for a name that does not tell.
  std::optional<bool> reasoning_model;
};

inline constexpr const char* k_default_azure_api_version = "2024-10-21";
/// The base URL of an offline provider whose endpoint variable is not set (the .invalid domain never
/// resolves, so a call that was not expected to be made fails at once).
inline constexpr const char* k_unset_endpoint = "https://endpoint-not-set.invalid";

/// A chat provider for `spec`:
///   openai:MODEL         POST {base}/chat/completions; base from settings.base_url, OPENAI_BASE_URL, or
///                        https://api.openai.com/v1; Bearer OPENAI_API_KEY (optional unless the base is
///                        api.openai.com, so local vLLM / Ollama / llama.cpp servers work without one)
///   azure:DEPLOYMENT     POST {AZURE_OPENAI_ENDPOINT}/openai/deployments/{d}/chat/completions?api-version=V,
///                        header api-key: AZURE_OPENAI_API_KEY
///   databricks:ENDPOINT  POST {DATABRICKS_HOST}/serving-endpoints/{e}/invocations, Bearer DATABRICKS_TOKEN
///   anthropic:MODEL      POST {base}/v1/messages; base from settings.base_url, ANTHROPIC_BASE_URL, or
///                        https://api.anthropic.com; x-api-key ANTHROPIC_API_KEY (optional for another base)
///   command:PROGRAM ARGS runs a program per call (docs/command-protocol.md)
/// The Chat Completions ones use the reasoning-model body when settings.reasoning_model says so, or, unset,
/// when the model / deployment / endpoint name is an OpenAI reasoning model's (is_openai_reasoning_model).
/// The provider is wrapped in RetryingProvider(settings.retry, settings.sleep), so a caller sees a
/// retryable failure only once the retries are spent.
/// Throws judge::Error (usage) for an unknown provider or an empty model, naming the known providers, and
/// judge::Error (runtime) when a required environment variable is missing, naming it (never its value) and,
/// for a key, the base URL that needs it; none when settings.offline.
std::unique_ptr<ChatProvider> make_chat_provider(const std::string& spec,
                                                 const ProviderSettings& settings = {});

/// An embeddings provider for `spec`: openai:MODEL (an OpenAI-compatible POST {base}/embeddings, same base
/// URL and key rules as the chat provider), each request retried per settings.retry. Errors as
/// make_chat_provider.
std::unique_ptr<EmbeddingProvider> make_embedding_provider(const std::string& spec,
                                                           const ProviderSettings& settings = {});

/// The provider names make_chat_provider knows, for help texts: {"anthropic", "azure", ...}.
std::vector<std::string> chat_provider_names();

}  // namespace judge::llm
