// SPDX-License-Identifier: MIT
#include "judge/llm/registry.hpp"

#include <cstdlib>

#include "judge/llm/anthropic.hpp"
#include "judge/llm/command.hpp"
#include "judge/llm/embeddings.hpp"
#include "judge/llm/endpoints.hpp"
#include "judge/llm/openai.hpp"
#include "judge/llm/retry.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::llm {

const std::vector<ProviderEntry>& providers() {
  // Adding a provider: a row here and its own file with its factory (docs/providers.md lists it too).
  // clang-format off
  static const std::vector<ProviderEntry> k_providers = {
  // scheme       name kind       key variable            endpoint variable
  //   default base URL, bare host is https, chat factory, embeddings factory
    {"heuristic",  "",             "",                     "",
       "", false, nullptr, nullptr},  // the offline judge: no model (scoring::make_judge makes it)
    {"anthropic",  "MODEL",        "ANTHROPIC_API_KEY",    "ANTHROPIC_BASE_URL",
       "https://api.anthropic.com", false, make_anthropic_chat, nullptr},
    {"azure",      "DEPLOYMENT",   "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT",
       "", false, make_azure_chat, nullptr},
    {"command",    "PROGRAM ARGS", "",                     "",
       "", false, make_command_chat, nullptr},
    {"databricks", "ENDPOINT",     "DATABRICKS_TOKEN",     "DATABRICKS_HOST",
       "", true, make_databricks_chat, nullptr},
    {"openai",     "MODEL",        "OPENAI_API_KEY",       "OPENAI_BASE_URL",
       "https://api.openai.com/v1", false, make_openai_chat, make_openai_embeddings},
  };
  // clang-format on
  return k_providers;
}

std::string spec_form(const ProviderEntry& entry) {
  return std::string(entry.scheme) + (*entry.name_kind ? std::string(":") + entry.name_kind : "");
}

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

std::vector<std::string> chat_provider_names() {
  std::vector<std::string> names;
  for (const auto& p : providers())
    if (p.chat) names.emplace_back(p.scheme);
  return names;
}

namespace {

// Whether a spec of `entry` is what `kind` takes: every row is a judge spec; a model spec needs a model.
bool takes(SpecKind kind, const ProviderEntry& entry) { return kind == SpecKind::judge || entry.chat; }

// "heuristic, anthropic, azure, ..." for a judge spec, "anthropic, azure, ..." for a model spec.
std::string known_providers(SpecKind kind) {
  std::string text;
  for (const auto& p : providers())
    if (takes(kind, p)) text += (text.empty() ? "" : ", ") + std::string(p.scheme);
  return text;
}

const ProviderEntry* find_entry(std::string_view scheme) {
  for (const auto& p : providers())
    if (scheme == p.scheme) return &p;
  return nullptr;
}

// The schemes of the providers `kind` takes, in table order.
std::vector<std::string> schemes_of(SpecKind kind) {
  std::vector<std::string> schemes;
  for (const auto& p : providers())
    if (takes(kind, p)) schemes.emplace_back(p.scheme);
  return schemes;
}

// "; did you mean openai:gpt-4o?" for a spec whose scheme is a few edits from one of `schemes` (the schemes
// of the providers the spec may name: "opena:gpt-4o", "heurstic", "OpenAI:gpt-4o"; util::closest_names, case
// ignored), keeping the name given or, without one, the provider's spec form ("openai:MODEL"); "" when no
// scheme is that close. `name` is what followed ':'.
std::string did_you_mean(const std::string& scheme, const std::string& name,
                         const std::vector<std::string>& schemes) {
  const auto closest = util::closest_names(util::to_lower(scheme), schemes);
  std::string text;
  for (const auto& c : closest) {
    const ProviderEntry& entry = *find_entry(c);
    text += text.empty() ? "; did you mean " : " or ";
    if (!*entry.name_kind || name.empty()) {
      text += spec_form(entry);
    } else {
      text += c;
      text += ':';
      text += name;
    }
  }
  return text.empty() ? text : text + "?";
}

}  // namespace

ParsedSpec parse_spec(const std::string& spec, SpecKind kind) {
  const auto colon = spec.find(':');
  const std::string scheme = spec.substr(0, colon);
  const ProviderEntry* entry = find_entry(scheme);
  if (entry && !*entry->name_kind) {              // a spec that is the scheme alone
    if (kind == SpecKind::model && !entry->chat)  // "heuristic:x" as a model: not "takes no name"
      throw Error("provider spec \"" + spec + "\" is not PROVIDER:MODEL: " + scheme +
                      " is a judge that calls no model (providers: " + known_providers(kind) + ")",
                  ExitCode::usage);
    if (colon != std::string::npos)
      throw Error("judge spec \"" + spec + "\": " + scheme + " takes no name after ':'", ExitCode::usage);
    return {entry, ""};
  }
  ParsedSpec parsed{entry, colon == std::string::npos ? "" : std::string(util::trim(spec.substr(colon + 1)))};
  if (colon == std::string::npos || scheme.empty())
    throw Error("provider spec \"" + spec + "\" is not PROVIDER:MODEL (providers: " + known_providers(kind) +
                    ")" + did_you_mean(scheme, "", schemes_of(kind)),
                ExitCode::usage);
  if (parsed.name.empty())
    throw Error("provider spec \"" + spec + "\" names no model, deployment, endpoint or program",
                ExitCode::usage);
  if (!entry)
    throw Error("unknown provider \"" + scheme + "\" in \"" + spec + "\" (providers: " +
                    known_providers(kind) + ")" + did_you_mean(scheme, parsed.name, schemes_of(kind)),
                ExitCode::usage);
  return parsed;
}

bool same_provider(const std::string& a, const std::string& b) {
  auto entry = [](const std::string& spec) {
    return find_entry(std::string_view(spec).substr(0, spec.find(':')));
  };
  const ProviderEntry* e = entry(a);
  return e && e == entry(b);
}

HttpEndpoint provider_endpoint(std::string url, const ProviderSettings& settings) {
  HttpEndpoint e;
  e.url = std::move(url);
  e.connect_timeout_seconds = settings.connect_timeout_seconds;
  e.timeout_seconds = settings.timeout_seconds;
  return e;
}

void add_key_header(HttpEndpoint& endpoint, const std::optional<std::string>& key, const std::string& header,
                    const std::string& prefix) {
  if (!key) return;
  endpoint.headers.emplace_back(header, prefix + *key);
  endpoint.secrets.push_back(*key);
}

namespace {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

/// What an entry's key and endpoint variables resolve to for `spec`, from the table and the settings: the
/// base URL (settings.base_url, else the endpoint variable, else the default; an offline provider without
/// one gets k_unset_endpoint) and the key. Throws judge::Error naming a required variable that is not set:
/// the endpoint variable when there is no default; the key when there is no default base URL or the base URL
/// is the default (the provider's own server), with the base URL that needs it and where that came from.
ProviderTarget resolve(const ProviderEntry& entry, const std::string& spec, std::string name,
                       const ProviderSettings& settings) {
  ProviderTarget target{spec, std::move(name), "", std::nullopt};
  std::string where;  // where the base URL came from, for messages
  if (*entry.endpoint_variable || *entry.default_base_url) {
    const std::string variable = entry.endpoint_variable;
    if (!settings.base_url.empty()) {
      target.base_url = without_trailing_slash(settings.base_url), where = "the base URL given";
    } else if (const auto value = *entry.endpoint_variable ? settings.env(variable) : std::nullopt) {
      target.base_url = without_trailing_slash(*value), where = "from " + variable;
    } else if (*entry.default_base_url) {
      target.base_url = entry.default_base_url,
      where = "the default: no base URL given and " + variable + " not set";
    } else if (settings.offline) {
      target.base_url = k_unset_endpoint, where = "none needed offline";
    } else {
      throw Error(spec + " needs the environment variable " + variable + " (it is not set)");
    }
    if (entry.bare_host_is_https && target.base_url.find("://") == std::string::npos)
      target.base_url = "https://" + target.base_url;
  }
  if (*entry.key_variable) {
    target.key = settings.env(entry.key_variable);
    const bool required = !*entry.default_base_url || target.base_url == entry.default_base_url;
    if (!target.key && required && !settings.offline)
      throw Error(spec + " needs the environment variable " + entry.key_variable +
                  " (it is not set) to call " + target.base_url + " (" + where + ")");
  }
  return target;
}

/// The entry of `spec` for a model provider (one with a chat factory), and what it resolves to.
std::pair<const ProviderEntry*, ProviderTarget> model_target(const std::string& spec,
                                                             const ProviderSettings& settings) {
  ParsedSpec parsed = parse_spec(spec, SpecKind::model);
  if (!parsed.entry->chat)
    throw Error("provider spec \"" + spec + "\" is not PROVIDER:MODEL: " + parsed.entry->scheme +
                    " is a judge that calls no model (providers: " + known_providers(SpecKind::model) + ")",
                ExitCode::usage);
  return {parsed.entry, resolve(*parsed.entry, spec, std::move(parsed.name), settings)};
}

}  // namespace

std::unique_ptr<ChatProvider> make_chat_provider(const std::string& spec, const ProviderSettings& settings) {
  const std::vector<EndpointSpec> endpoints = parse_endpoints(settings.base_url);
  const bool balanced = endpoints.size() > 1 || (endpoints.size() == 1 && endpoints.front().jobs > 0);
  if (!balanced) {
    ProviderSettings one = settings;
    if (!endpoints.empty()) one.base_url = endpoints.front().url;
    const auto [entry, target] = model_target(spec, one);
    return std::make_unique<RetryingProvider>(entry->chat(target, one), settings.retry, settings.sleep);
  }
  // Several endpoints (or one with its own jobs): one provider per URL, the balancer in front, the retries
  // (RetryingProvider) outside it, so a call that every endpoint failed is retried later as a whole.
  std::vector<std::unique_ptr<ChatProvider>> providers;
  std::vector<std::size_t> caps;
  for (const auto& e : endpoints) {
    ProviderSettings one = settings;
    one.base_url = e.url;
    const auto [entry, target] = model_target(spec, one);
    providers.push_back(entry->chat(target, one));
    caps.push_back(e.jobs);
  }
  return std::make_unique<RetryingProvider>(
      std::make_unique<BalancedProvider>(spec, std::move(providers), std::move(caps)), settings.retry,
      settings.sleep);
}

std::unique_ptr<EmbeddingProvider> make_embedding_provider(const std::string& spec,
                                                           const ProviderSettings& settings) {
  const std::string scheme = spec.substr(0, spec.find(':'));
  const ProviderEntry* entry = find_entry(scheme);
  if (!entry || !entry->embeddings) {
    std::vector<std::string> with;
    for (const auto& p : providers())
      if (p.embeddings) with.emplace_back(p.scheme);
    std::string message = "unknown embeddings provider \"";
    message += scheme;
    message += "\" in \"";
    message += spec;
    message += "\" (providers: ";
    for (std::size_t i = 0; i < with.size(); ++i) {
      if (i) message += ", ";
      message += with[i];
    }
    message += ')';
    // A scheme a few edits from an embeddings provider's gets the did-you-mean a judge spec gets
    // ("opena:x" -> openai:x); a known provider without embeddings ("anthropic:x") is no misspelling.
    const auto colon = spec.find(':');
    const std::string name =
        colon == std::string::npos ? "" : std::string(util::trim(spec.substr(colon + 1)));
    if (!entry) message += did_you_mean(scheme, name, with);
    throw Error(message, ExitCode::usage);
  }
  const ParsedSpec parsed = parse_spec(spec, SpecKind::model);
  return entry->embeddings(resolve(*entry, spec, parsed.name, settings), settings);
}

}  // namespace judge::llm
