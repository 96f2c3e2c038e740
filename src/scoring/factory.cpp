// SPDX-License-Identifier: MIT
#include "judge/scoring/factory.hpp"

#include "judge/scoring/heuristic.hpp"
#include "judge/util/error.hpp"

namespace judge::scoring {

std::unique_ptr<Judge> make_judge(const std::string& spec, const JudgeSettings&) {
  if (spec.empty() || spec == "heuristic") return std::make_unique<HeuristicJudge>();
  throw Error("unknown judge spec \"" + spec + "\" (known: heuristic)", ExitCode::usage);
}

}  // namespace judge::scoring
