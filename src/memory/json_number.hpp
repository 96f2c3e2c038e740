// SPDX-License-Identifier: MIT
// Numbers read from the JSON files of a memory folder, which people may edit. nlohmann's get<int>(),
// get<std::size_t>() and get<float>() cast whatever number the file holds, and casting a double outside the
// target's range (1e300 as an int) is undefined behaviour (found by fuzz/memory_fuzz.cpp): these check first
// and throw judge::Error naming what was read.
#pragma once
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>

#include "judge/util/error.hpp"

namespace judge::memory::detail {

/// `j` as a T: an integer, or a number with no fraction, in T's range. Throws judge::Error("WHAT must be a
/// whole number from MIN to MAX, not J") otherwise.
template <class T>
T json_whole(const nlohmann::json& j, const std::string& what) {
  static_assert(std::is_integral_v<T>);
  if (j.is_number_unsigned()) {
    if (const auto u = j.get<std::uint64_t>(); std::in_range<T>(u)) return static_cast<T>(u);
  } else if (j.is_number_integer()) {
    if (const auto i = j.get<std::int64_t>(); std::in_range<T>(i)) return static_cast<T>(i);
  } else if (j.is_number_float()) {
    // T's range as doubles: [min, 2^digits) holds exactly the doubles that convert without overflow.
    const double d = j.get<double>();
    const double below = std::ldexp(1.0, std::numeric_limits<T>::digits);
    const double lowest = static_cast<double>(std::numeric_limits<T>::min());
    if (d == std::trunc(d) && d >= lowest && d < below) return static_cast<T>(d);
  }
  throw Error(what + " must be a whole number from " + std::to_string(std::numeric_limits<T>::min()) +
              " to " + std::to_string(std::numeric_limits<T>::max()) + ", not " + j.dump());
}

/// `j` as a float: a finite number within float's range. Throws judge::Error("WHAT must be a number ...")
/// otherwise.
inline float json_float(const nlohmann::json& j, const std::string& what) {
  if (j.is_number()) {
    const double d = j.get<double>();
    if (std::isfinite(d) && std::fabs(d) <= FLT_MAX) return static_cast<float>(d);
  }
  throw Error(what + " must be a finite number within a float's range, not " + j.dump());
}

}  // namespace judge::memory::detail
