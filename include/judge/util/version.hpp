// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>

namespace judge::util {
/// The tool's version, "MAJOR.MINOR.PATCH", from the CMake project version.
std::string_view version();
}  // namespace judge::util
