// SPDX-License-Identifier: MIT
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

void flag_injection(const std::vector<prompt::InjectionFinding>& findings, std::vector<Verdict>& verdicts) {
  if (findings.empty()) return;
  std::vector<int> cells;
  for (const auto& f : findings) cells.push_back(f.cell);
  for (auto& v : verdicts) verdict::flag_injection(v, cells);
}

}  // namespace judge::scoring
