// SPDX-License-Identifier: MIT
// The provider table and the providers made from specs such as "openai:gpt-4.1-mini" (see docs/providers.md
// for every provider, its environment variables and defaults). Adding a provider: a row in providers()
// (registry.cpp) and its own file with its factory.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "judge/llm/http_call.hpp"
#include "judge/llm/provider.hpp"
#include "judge/llm/retry.hpp"

namespace judge::llm {

/// Looks up an environment variable: its value, or nullopt when unset or empty.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (std::getenv), empty values counting as unset.
std::optional<std::string> process_env(const std::string& name);

/// Settings a provider takes besides its spec (from flags and judge.yaml; the environment is read here).
struct ProviderSettings {
  /// Overrides the provider's environment variable and default when non-empty. For a chat provider, a list
  /// (parse_endpoints: "URL[#jobs=N], URL[#jobs=N], ..."): several endpoints serving the same model, called
  /// through a BalancedProvider (endpoints.hpp).
  std::string base_url;
  std::string api_version;  ///< Azure api-version; else OPENAI_API_VERSION; else k_default_azure_api_version
  double connect_timeout_seconds = k_default_connect_timeout_seconds;
  double timeout_seconds =
      k_default_timeout_seconds;        ///< whole call (HTTP exchange, or the command's run time)
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

/// What the registry resolved for one spec from its table entry and the settings: what a factory needs.
struct ProviderTarget {
  std::string spec;  ///< the whole spec, e.g. "openai:gpt-4.1-mini"
  std::string name;  ///< after the first ':' (trimmed): model, deployment, serving endpoint or command line
  /// Base URL or endpoint without a trailing '/': settings.base_url, else the entry's endpoint variable, else
  /// its default (k_unset_endpoint for an offline provider without one); empty for an entry with neither.
  std::string base_url;
  std::optional<std::string> key;  ///< the value of the entry's key variable, when it is set
};

using ChatFactory = std::unique_ptr<ChatProvider> (*)(const ProviderTarget& target,
                                                      const ProviderSettings& settings);
using EmbeddingFactory = std::unique_ptr<EmbeddingProvider> (*)(const ProviderTarget& target,
                                                                const ProviderSettings& settings);

/// One row of the provider table: a spec scheme and everything judge knows of it. The judge spec parser
/// (scoring::make_judge), make_chat_provider (judges, the reflection model), make_embedding_provider, the
/// help texts, the key and endpoint checks and the command provider's secret scrubbing all read the table.
struct ProviderEntry {
  const char* scheme;  ///< before the ':' of a spec: "openai"
  /// What follows "SCHEME:" ("MODEL", "DEPLOYMENT", "ENDPOINT", "PROGRAM ARGS"); "" for a spec that is the
  /// scheme alone (the heuristic judge).
  const char* name_kind;
  /// The environment variable holding its API key or token ("" for none). Sent in a header, removed from
  /// every message; required when the entry has no default base URL, or its base URL is that default
  /// (a local OpenAI-compatible server needs none), unless the provider is offline.
  const char* key_variable;
  /// The environment variable naming its base URL or endpoint ("" for none); settings.base_url wins.
  const char* endpoint_variable;
  /// The base URL when neither settings.base_url nor the endpoint variable is set; "": the endpoint variable
  /// is required (unless offline).
  const char* default_base_url;
  /// true: a base URL without a scheme ("adb-1.azuredatabricks.net") gets "https://", as the Databricks CLI
  /// takes a bare host.
  bool bare_host_is_https;
  /// Makes the provider; nullptr for a judge that calls no model (the offline heuristic judge, which
  /// scoring::make_judge makes).
  ChatFactory chat;
  EmbeddingFactory embeddings;  ///< nullptr: no embeddings from this provider
};

/// The provider table: the default judge (heuristic), then the model providers in alphabetical order of
/// scheme (the order help texts and messages list them in).
const std::vector<ProviderEntry>& providers();

/// "openai:MODEL", or "heuristic" for an entry whose spec is the scheme alone.
std::string spec_form(const ProviderEntry& entry);

/// The table entry of `spec` ("PROVIDER:NAME", or a scheme alone such as "heuristic"), and its name.
struct ParsedSpec {
  const ProviderEntry* entry = nullptr;
  std::string name;  ///< after the first ':', trimmed; empty for a spec that is the scheme alone
};

/// What a spec is read as: a judge spec (--judge: "heuristic" or a model provider's) or a model spec (the
/// reflection model, embeddings: a provider that calls a model). Decides only which providers an error names.
enum class SpecKind { judge, model };

/// Parses `spec` against the table. Throws judge::Error (usage) for an unknown scheme (naming the known
/// ones of `kind`), a spec that is not PROVIDER:NAME where the provider takes a name (or an empty name), and
/// a name given to a scheme that takes none ("heuristic:x"). A scheme a few edits from the scheme of a
/// provider of `kind` gets a "did you mean" ("heurstic" -> heuristic for a judge spec, "opena:gpt-4o" ->
/// openai:gpt-4o).
ParsedSpec parse_spec(const std::string& spec, SpecKind kind = SpecKind::judge);

/// True when `a` and `b` are specs of the same table entry ("openai:x" and "openai:y"); false when either
/// is not a known spec.
bool same_provider(const std::string& a, const std::string& b);

/// A chat provider for `spec` (docs/providers.md has every provider, its variables and defaults):
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
/// retryable failure only once the retries are spent. When settings.base_url is a list of several endpoints
/// (or one with "#jobs=N"), each gets a provider of its own and a BalancedProvider picks one per call
/// (endpoints.hpp), inside the retries; the spec, hence the cache key, is the same for all of them.
/// Throws judge::Error (usage) as parse_spec does, as parse_endpoints does for a malformed base_url list, and
/// for a spec of a judge that calls no model
/// ("heuristic"), naming the known providers; judge::Error (runtime) when a required environment variable
/// is missing, naming it (never its value) and, for a key, the base URL that needs it; none when
/// settings.offline.
std::unique_ptr<ChatProvider> make_chat_provider(const std::string& spec,
                                                 const ProviderSettings& settings = {});

/// An embeddings provider for `spec`: openai:MODEL (an OpenAI-compatible POST {base}/embeddings, same base
/// URL and key rules as the chat provider), each request retried per settings.retry. Errors as
/// make_chat_provider; a provider without embeddings is a usage error naming those with them.
std::unique_ptr<EmbeddingProvider> make_embedding_provider(const std::string& spec,
                                                           const ProviderSettings& settings = {});

/// The schemes of the providers make_chat_provider makes, for help texts: {"anthropic", "azure", ...}.
std::vector<std::string> chat_provider_names();

/// For the factories: an endpoint POSTing to `url` with settings' timeouts.
HttpEndpoint provider_endpoint(std::string url, const ProviderSettings& settings);

/// For the factories: sends `key` (when set) in header `header` as `prefix` + key, and keeps it secret.
void add_key_header(HttpEndpoint& endpoint, const std::optional<std::string>& key, const std::string& header,
                    const std::string& prefix = "");

}  // namespace judge::llm
