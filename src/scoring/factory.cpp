// SPDX-License-Identifier: MIT
#include "judge/scoring/factory.hpp"

#include "judge/llm/rate_limit.hpp"
#include "judge/llm/registry.hpp"
#include "judge/scoring/heuristic.hpp"
#include "judge/util/error.hpp"

namespace judge::scoring {

std::shared_ptr<llm::ChatProvider> wrap_provider(std::shared_ptr<llm::ChatProvider> provider,
                                                 const JudgeSettings& settings) {
  // The registry's provider already retries (llm::make_chat_provider wraps it in RetryingProvider); the rate
  // limit goes outside it (one reservation per item call), the cache answers before any of that, and the
  // meter outside counts cached replies too.
  if (settings.requests_per_minute > 0 || settings.tokens_per_minute > 0)
    provider = std::make_shared<llm::RateLimitedProvider>(
        provider, std::make_shared<llm::RateLimiter>(
                      llm::RateLimits{settings.requests_per_minute, settings.tokens_per_minute, 10}));
  if (settings.cache_mode != llm::CacheMode::off) {
    auto cache = std::make_shared<llm::ResponseCache>(
        settings.cache_path.empty() ? llm::default_cache_path() : std::filesystem::path(settings.cache_path),
        settings.cache_max_bytes);
    provider = std::make_shared<llm::CachingProvider>(provider, cache, settings.cache_mode);
  }
  if (settings.usage) provider = std::make_shared<llm::MeteredProvider>(provider, settings.usage);
  return provider;
}

std::unique_ptr<LlmJudge> make_llm_judge(std::shared_ptr<llm::ChatProvider> provider,
                                         const JudgeSettings& settings) {
  provider = wrap_provider(std::move(provider), settings);
  // Without settings.llm.memory the judge uses memory_section with settings.llm.memory_options.
  return std::make_unique<LlmJudge>(provider, settings.llm);
}

std::unique_ptr<Judge> make_judge(const std::string& spec, const JudgeSettings& settings) {
  // The provider table (llm::providers) knows every judge spec; its row without a model is the offline judge.
  const llm::ParsedSpec parsed = llm::parse_spec(spec.empty() ? k_default_judge : spec, llm::SpecKind::judge);
  if (!parsed.entry->chat) return std::make_unique<HeuristicJudge>();
  llm::ProviderSettings provider_settings;
  provider_settings.base_url = settings.base_url;
  provider_settings.api_version = settings.api_version;
  provider_settings.connect_timeout_seconds = settings.connect_timeout_seconds;
  provider_settings.timeout_seconds = settings.timeout_seconds;
  provider_settings.offline = settings.offline;
  provider_settings.reasoning_model = settings.reasoning_model;
  std::shared_ptr<llm::ChatProvider> provider = llm::make_chat_provider(spec, provider_settings);
  return make_llm_judge(std::move(provider), settings);
}

}  // namespace judge::scoring
