// SPDX-License-Identifier: MIT
#include "judge/util/shard.hpp"

#include <charconv>

#include "judge/util/error.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/text.hpp"

namespace judge::util {

namespace {

constexpr std::uint64_t k_max_parts = 1'000'000;

// `text` (trimmed) as a decimal whole number; false when it is not one or is out of range.
bool whole_number(std::string_view text, std::uint64_t& out) {
  text = trim(text);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string Shard::text() const { return std::to_string(index) + "/" + std::to_string(count); }

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  Shard s;
  const bool parsed = slash != std::string_view::npos && whole_number(text.substr(0, slash), s.index) &&
                      whole_number(text.substr(slash + 1), s.count);
  const std::string head = setting("shard") + " \"" + std::string(text) + "\": ";
  if (!parsed)
    throw Error(head + "expected K/N, part K (1-based) of N parts, e.g. 1/4 .. 4/4", ExitCode::usage);
  if (s.count < 1 || s.count > k_max_parts)
    throw Error(head + "N must be between 1 and " + std::to_string(k_max_parts), ExitCode::usage);
  if (s.index < 1 || s.index > s.count)
    throw Error(head + "K must be between 1 and N (parts are numbered from 1: 1/" + std::to_string(s.count) +
                    " .. " + std::to_string(s.count) + "/" + std::to_string(s.count) + ")",
                ExitCode::usage);
  return s;
}

std::uint64_t shard_of(std::string_view path, std::uint64_t count) {
  const std::string hex = sha256_hex(path);
  std::uint64_t value = 0;
  std::from_chars(hex.data(), hex.data() + 16, value, 16);  // first 8 bytes, big-endian
  return 1 + value % count;
}

}  // namespace judge::util
