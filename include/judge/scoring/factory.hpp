// SPDX-License-Identifier: MIT
#pragma once
#include <memory>
#include <string>

#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// Settings that LLM judges take besides the spec (filled from flags, environment and judge.yaml).
struct JudgeSettings {
  std::string base_url;  ///< overrides the provider's default / environment base URL when non-empty
};

/// Makes a judge from a spec: "heuristic", or "PROVIDER:MODEL" (see docs/providers.md).
/// Throws judge::Error (usage) for an unknown provider, naming the known ones.
std::unique_ptr<Judge> make_judge(const std::string& spec, const JudgeSettings& settings = {});

}  // namespace judge::scoring
