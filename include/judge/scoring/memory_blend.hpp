// SPDX-License-Identifier: MIT
#pragma once
#include <map>
#include <string>

#include "judge/memory/memory.hpp"
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// Measures, per dimension, how much the heuristic judge's memory blend (apply_memory) should be trusted:
/// each episode is scored by leave-one-out (its k nearest other episodes correct the judge verdict it
/// recorded) and compared with its human label. The score weight is the one of {0, 0.25, 0.5, 0.75, 1} with
/// the lowest mean absolute error (ties: the smaller); the N/A weight is 1 when memory's N/A decisions agree
/// with people more often than the judge's own, else 0. Needs episodes with their vectors.
std::map<std::string, memory::BlendWeight> calibrate_memory(const memory::Memory& memory, int k);

/// Applies the memory's learnt rules (Memory::fact_rules) to the heuristic verdicts of a notebook whose named
/// facts are `facts` (notebook_facts): for each verdict, the first rule of its dimension that matches (with
/// `rule_score` = the verdict's score, 0 for N/A) edits it by its action, notes the rule in the rationale and
/// keeps the score before in extra["rule_score"]; extra["learnt_rule"] names the rule that matched. Unscored
/// verdicts are left alone.
void apply_fact_rules(const memory::Memory& memory, const std::map<std::string, double>& facts,
                      std::vector<Verdict>& verdicts);

}  // namespace judge::scoring
