// SPDX-License-Identifier: MIT
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

const char* to_string(Status status) {
  switch (status) {
    case Status::scored: return "scored";
    case Status::not_applicable: return "not_applicable";
    case Status::unscored: return "unscored";
    case Status::unreadable: return "unreadable";
  }
  return "unscored";
}

void flag_injection(const std::vector<prompt::InjectionFinding>& findings, std::vector<Verdict>& verdicts) {
  if (findings.empty()) return;
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  for (const auto& f : findings) cells.push_back(f.cell);
  for (auto& v : verdicts) {
    v.extra["flags"] = {"prompt_injection"};
    v.extra["injection_cells"] = cells;
  }
}

}  // namespace judge::scoring
