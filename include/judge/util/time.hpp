// SPDX-License-Identifier: MIT
#pragma once
#include <string>

namespace judge::util {

/// The current time in UTC as ISO 8601 to the second, "2026-12-01T02:35:29Z" (what memory files record).
std::string utc_now();

}  // namespace judge::util
