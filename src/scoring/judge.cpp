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

}  // namespace judge::scoring
