// SPDX-License-Identifier: MIT
// Sharding: one run split into N parts over machines, each notebook in exactly one part, decided by its path.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace judge::util {

/// Part `index` of `count` parts of a run; `index` is 1-based: 1 <= index <= count.
struct Shard {
  std::uint64_t index = 1;
  std::uint64_t count = 1;
  /// "K/N", as parse_shard reads it and judge eval records it.
  std::string text() const;
  bool operator==(const Shard&) const = default;
};

/// Parses "K/N" (decimal whole numbers, 1 <= K <= N <= 1000000; spaces around either number allowed).
/// Throws judge::Error (usage) naming the setting "shard", the text and what is expected.
Shard parse_shard(std::string_view text);

/// The part (1 .. count) that the notebook at `path` belongs to when a run is split into `count` parts:
/// 1 + (the first 8 bytes of SHA-256(path), read as a big-endian unsigned 64-bit number) mod count.
/// `path` is the notebook's name as judge eval gives it (the path as given, "ARCHIVE.dbc!/inner" for a
/// notebook in an archive), so the part depends neither on the order of the notebooks nor on the machine.
/// Why SHA-256: it is fixed and well known (python3 hashlib computes the same part), its bytes are uniform,
/// so the parts have about equal sizes. `count` must be at least 1.
std::uint64_t shard_of(std::string_view path, std::uint64_t count);

}  // namespace judge::util
