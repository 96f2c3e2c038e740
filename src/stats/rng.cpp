// SPDX-License-Identifier: MIT
#include "judge/stats/rng.hpp"

namespace judge::stats {

namespace {

/// splitmix64 (Steele, Lea & Flood 2014): turns any 64-bit value into a well-mixed one.
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

__extension__ typedef unsigned __int128 U128;  // GCC/Clang 128-bit integer

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) : m_seed(seed) {
  std::uint64_t x = seed;
  for (auto& s : m_state) s = splitmix64(x);
}

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
  const std::uint64_t t = m_state[1] << 17;
  m_state[2] ^= m_state[0];
  m_state[3] ^= m_state[1];
  m_state[1] ^= m_state[2];
  m_state[0] ^= m_state[3];
  m_state[2] ^= t;
  m_state[3] = rotl(m_state[3], 45);
  return result;
}

std::size_t Rng::below(std::size_t n) {
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  const std::uint64_t range = n;
  U128 m = static_cast<U128>(next()) * range;
  auto low = static_cast<std::uint64_t>(m);
  if (low < range) {
    const std::uint64_t threshold = -range % range;
    while (low < threshold) {
      m = static_cast<U128>(next()) * range;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::size_t>(m >> 64);
}

std::uint32_t Rng::below32(std::uint32_t n) {
  auto bits32 = [this]() -> std::uint32_t {
    if (m_has_spare) {
      m_has_spare = false;
      return static_cast<std::uint32_t>(m_spare);
    }
    const std::uint64_t x = next();
    m_spare = x >> 32;
    m_has_spare = true;
    return static_cast<std::uint32_t>(x);
  };
  std::uint64_t m = static_cast<std::uint64_t>(bits32()) * n;
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) {
    const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
    while (low < threshold) {
      m = static_cast<std::uint64_t>(bits32()) * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

Rng Rng::substream(std::uint64_t index) const {
  std::uint64_t x = m_seed;
  const std::uint64_t a = splitmix64(x);
  std::uint64_t y = index ^ a;
  return Rng(splitmix64(y) ^ rotl(a, 17));
}

}  // namespace judge::stats
