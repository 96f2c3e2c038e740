// SPDX-License-Identifier: MIT
#include "judge/llm/registry.hpp"

#include <array>
#include <cstdlib>

#include "judge/llm/anthropic.hpp"
#include "judge/llm/command.hpp"
#include "judge/llm/embeddings.hpp"
#include "judge/llm/openai.hpp"
#include "judge/llm/retry.hpp"
#include "judge/net/http.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::llm {
namespace {

constexpr const char* k_openai_default_base = "https://api.openai.com/v1";
constexpr const char* k_anthropic_default_base = "https://api.anthropic.com";
/// Variables holding keys; their values are scrubbed from what a command provider's program prints.
constexpr std::array k_key_variables = {"OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                                        "DATABRICKS_TOKEN"};

struct Spec {
  std::string provider;
  std::string rest;  ///< model, deployment, endpoint or command line
};

std::string known_providers() {
  std::string text;
  for (const auto& name : chat_provider_names()) text += (text.empty() ? "" : ", ") + name;
  return text;
}

Spec parse_spec(const std::string& spec) {
  const auto colon = spec.find(':');
  Spec parsed{spec.substr(0, colon), colon == std::string::npos ? "" : spec.substr(colon + 1)};
  parsed.rest = std::string(util::trim(parsed.rest));
  if (colon == std::string::npos || parsed.provider.empty())
    throw Error("provider spec \"" + spec + "\" is not PROVIDER:MODEL (providers: " + known_providers() + ")",
                ExitCode::usage);
  if (parsed.rest.empty())
    throw Error("provider spec \"" + spec + "\" names no model, deployment, endpoint or program",
                ExitCode::usage);
  return parsed;
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

/// The first of `explicit_value` and the environment variable `name` that is set, else `fallback`.
std::string setting(const std::string& explicit_value, const ProviderSettings& settings,
                    const std::string& name, const std::string& fallback) {
  if (!explicit_value.empty()) return explicit_value;
  if (const auto value = settings.env(name)) return *value;
  return fallback;
}

/// A base URL (without a trailing '/') and where it came from, for messages.
struct BaseUrl {
  std::string url;
  std::string where;  ///< e.g. "from OPENAI_BASE_URL"
};

/// settings.base_url when set, else the environment variable `variable`, else `fallback`.
BaseUrl base_url(const ProviderSettings& settings, const std::string& variable, const std::string& fallback) {
  if (!settings.base_url.empty()) return {without_trailing_slash(settings.base_url), "the base URL given"};
  if (const auto value = settings.env(variable)) return {without_trailing_slash(*value), "from " + variable};
  return {fallback, "the default: no base URL given and " + variable + " not set"};
}

/// The endpoint in the variable `name` (settings.base_url wins when set); an offline provider without one
/// gets k_unset_endpoint. Throws judge::Error naming the variable when it is needed and not set.
BaseUrl endpoint_base(const ProviderSettings& settings, const std::string& name, const std::string& spec) {
  if (!settings.base_url.empty() || settings.env(name)) return base_url(settings, name, "");
  if (settings.offline) return {k_unset_endpoint, "none needed offline"};
  throw Error(spec + " needs the environment variable " + name + " (it is not set)");
}

/// The API key in the variable `name`: required when `required` (the provider's own server, or any for
/// Azure and Databricks) unless settings.offline; nullopt when unset and not required. The error names the
/// variable and the base URL that needs it, with where that came from.
std::optional<std::string> api_key(const ProviderSettings& settings, const std::string& name,
                                   const std::string& spec, bool required, const BaseUrl& base) {
  if (const auto value = settings.env(name)) return value;
  if (required && !settings.offline)
    throw Error(spec + " needs the environment variable " + name + " (it is not set) to call " + base.url +
                " (" + base.where + ")");
  return std::nullopt;
}

/// Whether the Chat Completions model `name` gets the reasoning-model body (settings first, else its name).
bool reasoning(const ProviderSettings& settings, const std::string& name) {
  return settings.reasoning_model.value_or(is_openai_reasoning_model(name));
}

HttpEndpoint endpoint(std::string url, const ProviderSettings& settings) {
  HttpEndpoint e;
  e.url = std::move(url);
  e.connect_timeout_seconds = settings.connect_timeout_seconds;
  e.timeout_seconds = settings.timeout_seconds;
  return e;
}

void add_bearer(HttpEndpoint& e, const std::string& token) {
  e.headers.emplace_back("Authorization", "Bearer " + token);
  e.secrets.push_back(token);
}

/// OpenAI: base URL (with /v1) and optional key; the key is required only by api.openai.com itself.
HttpEndpoint openai_endpoint(const std::string& path, const ProviderSettings& settings,
                             const std::string& spec) {
  const BaseUrl base = base_url(settings, "OPENAI_BASE_URL", k_openai_default_base);
  HttpEndpoint e = endpoint(base.url + path, settings);
  if (const auto key = api_key(settings, "OPENAI_API_KEY", spec, base.url == k_openai_default_base, base))
    add_bearer(e, *key);
  return e;
}

std::unique_ptr<ChatProvider> make_azure(const std::string& spec, const std::string& deployment,
                                         const ProviderSettings& settings) {
  const BaseUrl base = endpoint_base(settings, "AZURE_OPENAI_ENDPOINT", spec);
  const auto key = api_key(settings, "AZURE_OPENAI_API_KEY", spec, true, base);
  const std::string version =
      setting(settings.api_version, settings, "OPENAI_API_VERSION", k_default_azure_api_version);
  HttpEndpoint e = endpoint(base.url + "/openai/deployments/" + net::url_encode(deployment) +
                                "/chat/completions?api-version=" + net::url_encode(version),
                            settings);
  if (key) {
    e.headers.emplace_back("api-key", *key);
    e.secrets.push_back(*key);
  }
  return std::make_unique<OpenAIChatProvider>(spec, std::move(e), "", reasoning(settings, deployment));
}

std::unique_ptr<ChatProvider> make_databricks(const std::string& spec, const std::string& serving_endpoint,
                                              const ProviderSettings& settings) {
  BaseUrl host = endpoint_base(settings, "DATABRICKS_HOST", spec);
  if (host.url.find("://") == std::string::npos)
    host.url = "https://" + host.url;  // the Databricks CLI accepts a bare host
  HttpEndpoint e = endpoint(
      host.url + "/serving-endpoints/" + net::url_encode(serving_endpoint) + "/invocations", settings);
  if (const auto token = api_key(settings, "DATABRICKS_TOKEN", spec, true, host)) add_bearer(e, *token);
  return std::make_unique<OpenAIChatProvider>(spec, std::move(e), "", reasoning(settings, serving_endpoint));
}

/// Anthropic: base URL (without /v1) and a key, required only by api.anthropic.com itself.
std::unique_ptr<ChatProvider> make_anthropic(const std::string& spec, const std::string& model,
                                             const ProviderSettings& settings) {
  const BaseUrl base = base_url(settings, "ANTHROPIC_BASE_URL", k_anthropic_default_base);
  HttpEndpoint e = endpoint(base.url + "/v1/messages", settings);
  const auto key = api_key(settings, "ANTHROPIC_API_KEY", spec, base.url == k_anthropic_default_base, base);
  if (key) {
    e.headers.emplace_back("x-api-key", *key);
    e.secrets.push_back(*key);
  }
  e.headers.emplace_back("anthropic-version", k_anthropic_version);
  return std::make_unique<AnthropicChatProvider>(spec, std::move(e), model);
}

std::unique_ptr<ChatProvider> make_command(const std::string& spec, const std::string& command_line,
                                           const ProviderSettings& settings) {
  std::vector<std::string> secrets;
  for (const char* name : k_key_variables)
    if (const auto value = settings.env(name)) secrets.push_back(*value);
  return std::make_unique<CommandChatProvider>(spec, split_command_line(command_line),
                                               settings.timeout_seconds, std::move(secrets));
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

std::vector<std::string> chat_provider_names() {
  return {"anthropic", "azure", "command", "databricks", "openai"};
}

namespace {

/// The provider for `spec`, making one call per chat().
std::unique_ptr<ChatProvider> make_single_call_provider(const std::string& spec,
                                                        const ProviderSettings& settings) {
  const Spec parsed = parse_spec(spec);
  if (parsed.provider == "openai")
    return std::make_unique<OpenAIChatProvider>(spec, openai_endpoint("/chat/completions", settings, spec),
                                                parsed.rest, reasoning(settings, parsed.rest));
  if (parsed.provider == "azure") return make_azure(spec, parsed.rest, settings);
  if (parsed.provider == "databricks") return make_databricks(spec, parsed.rest, settings);
  if (parsed.provider == "anthropic") return make_anthropic(spec, parsed.rest, settings);
  if (parsed.provider == "command") return make_command(spec, parsed.rest, settings);
  throw Error("unknown provider \"" + parsed.provider + "\" in \"" + spec +
                  "\" (providers: " + known_providers() + ")",
              ExitCode::usage);
}

}  // namespace

std::unique_ptr<ChatProvider> make_chat_provider(const std::string& spec, const ProviderSettings& settings) {
  return std::make_unique<RetryingProvider>(make_single_call_provider(spec, settings), settings.retry,
                                            settings.sleep);
}

std::unique_ptr<EmbeddingProvider> make_embedding_provider(const std::string& spec,
                                                           const ProviderSettings& settings) {
  const Spec parsed = parse_spec(spec);
  if (parsed.provider == "openai") {
    auto provider = std::make_unique<OpenAIEmbeddingProvider>(
        spec, openai_endpoint("/embeddings", settings, spec), parsed.rest, settings.retry, settings.sleep);
    provider->set_dimensions(settings.embedding_dimensions);
    return provider;
  }
  throw Error(
      "unknown embeddings provider \"" + parsed.provider + "\" in \"" + spec + "\" (providers: openai)",
      ExitCode::usage);
}

}  // namespace judge::llm
