// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace judge::stats {

/// A small, fast, seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018) seeded through
/// splitmix64. Every random function in stats takes one, so results depend only on the seed.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  /// Next 64 random bits.
  std::uint64_t next();
  /// Uniform integer in [0, n); n > 0. Lemire's multiply-shift with rejection (no modulo bias).
  std::size_t below(std::size_t n);
  /// Uniform integer in [0, n) for 0 < n < 2^32, from 32 random bits (two per next(); Lemire's method with
  /// rejection, no bias). The fast path for bootstrap draws.
  std::uint32_t below32(std::uint32_t n);
  /// Uniform double in [0, 1) (53 random bits).
  double uniform();
  /// An independent generator for sub-task `index` (e.g. bootstrap resample number): it depends only on
  /// the seed this generator was made with and `index`, never on how far this one has advanced, so work
  /// split across any number of threads draws the same numbers.
  Rng substream(std::uint64_t index) const;

 private:
  std::uint64_t m_seed;
  std::array<std::uint64_t, 4> m_state;
  std::uint64_t m_spare = 0;  ///< the unused upper 32 bits of the last next() below32 took
  bool m_has_spare = false;
};

}  // namespace judge::stats
