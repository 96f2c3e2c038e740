// SPDX-License-Identifier: MIT
#include "judge/verdict/verdict.hpp"

#include <array>

namespace judge::verdict {

namespace {

constexpr std::array k_statuses{Status::scored, Status::not_applicable, Status::unscored, Status::unreadable};

}  // namespace

const char* to_string(Status status) {
  switch (status) {
    case Status::scored:
      return "scored";
    case Status::not_applicable:
      return "not_applicable";
    case Status::unscored:
      return "unscored";
    case Status::unreadable:
      return "unreadable";
  }
  return "unscored";
}

std::optional<Status> parse_status(std::string_view text) {
  for (const Status s : k_statuses)
    if (text == to_string(s)) return s;
  return std::nullopt;
}

std::string status_list() {
  std::string out;
  for (const Status s : k_statuses) out += (out.empty() ? "" : ", ") + std::string(to_string(s));
  return out;
}

void flag_injection(Verdict& verdict, const std::vector<int>& cells) {
  verdict.extra["flags"] = {"prompt_injection"};
  verdict.extra["injection_cells"] = cells;
}

std::vector<int> injection_cells(const Verdict& verdict) {
  const auto it = verdict.extra.find("injection_cells");
  if (it == verdict.extra.end() || !it->is_array()) return {};
  std::vector<int> out;
  for (const auto& c : *it)
    if (c.is_number_integer()) out.push_back(c.get<int>());
  return out;
}

}  // namespace judge::verdict
