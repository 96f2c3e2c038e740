// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "judge/llm/cache.hpp"
#include "judge/llm/usage.hpp"
#include "judge/scoring/judge.hpp"
#include "judge/scoring/llm_judge.hpp"

namespace judge::scoring {

/// Settings that LLM judges take besides the spec (filled from flags, environment and judge.yaml).
struct JudgeSettings {
  std::string base_url;  ///< overrides the provider's default / environment base URL when non-empty
  std::string api_version;
  double connect_timeout_seconds = 10;
  double timeout_seconds = 120;
  std::string cache_path;  ///< empty: llm::default_cache_path()
  llm::CacheMode cache_mode = llm::CacheMode::read_write;
  std::int64_t cache_max_bytes = 0;     ///< 0: no size limit
  double requests_per_minute = 0;       ///< 0: no limit
  double tokens_per_minute = 0;         ///< 0: no limit
  std::optional<bool> reasoning_model;  ///< llm::ProviderSettings::reasoning_model (nullopt: by model name)
  LlmJudgeOptions llm;
  std::shared_ptr<llm::UsageMeter> usage;  ///< when set, every call's tokens and latency are recorded here
  /// true for a dry run or a replay-only cache: the provider is never called, so it needs no API key and no
  /// endpoint variable (llm::ProviderSettings::offline)
  bool offline = false;
};

/// The judge spec used when none is given: the offline heuristic judge.
inline constexpr const char* k_default_judge = "heuristic";

/// Makes a judge from a spec, read against the provider table (llm::parse_spec): a row that calls no model
/// ("heuristic"; an empty spec is k_default_judge) -> HeuristicJudge; "PROVIDER:MODEL" -> an LlmJudge over
/// the provider from llm::make_chat_provider (which retries retryable failures; docs/providers.md),
/// wrapped as make_llm_judge does.
/// Throws judge::Error (usage) for an unknown provider, naming the known ones; judge::Error (runtime) for a
/// missing key or a cache file that cannot be opened.
std::unique_ptr<Judge> make_judge(const std::string& spec, const JudgeSettings& settings = {});

/// `provider` wrapped, from the outside in, as meter(cache(rate limit(provider))) per `settings` (rate
/// limits, cache file / mode / size, usage meter; a layer whose setting is off is left out): the meter (when
/// settings.usage is set) sees cached and uncached replies; a cache hit is never charged to the rate limit.
/// `provider` is expected to retry retryable errors itself. Throws judge::Error when the cache cannot be
/// opened. Used for judges and for alignment's reflection model.
std::shared_ptr<llm::ChatProvider> wrap_provider(std::shared_ptr<llm::ChatProvider> provider,
                                                 const JudgeSettings& settings);

/// An LlmJudge over wrap_provider(provider, settings).
std::unique_ptr<LlmJudge> make_llm_judge(std::shared_ptr<llm::ChatProvider> provider,
                                         const JudgeSettings& settings);

}  // namespace judge::scoring
