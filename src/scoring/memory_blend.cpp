// SPDX-License-Identifier: MIT
// Placeholder: the memory blend arrives with judge align.
#include "judge/scoring/heuristic_rules.hpp"

namespace judge::scoring {

void apply_memory(const notebook::Notebook&, const Context&, std::vector<Verdict>&) {}

}  // namespace judge::scoring
