// SPDX-License-Identifier: MIT
#include "judge/util/reorder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace judge::util {
namespace {

TEST(ReorderBuffer, EmitsInIndexOrderAsSoonAsEveryEarlierIndexIsIn) {
  std::vector<std::string> out;
  ReorderBuffer<std::string> buffer(
      [&](std::size_t i, std::string&& v) { out.push_back(std::to_string(i) + v); });
  buffer.put(2, "c");
  buffer.put(1, "b");
  EXPECT_TRUE(out.empty());  // 0 missing: 1 and 2 held
  EXPECT_EQ(buffer.held(), 2u);
  buffer.put(0, "a");
  EXPECT_EQ(out, (std::vector<std::string>{"0a", "1b", "2c"}));
  EXPECT_EQ(buffer.held(), 0u);
  buffer.put(3, "d");  // next in order: out at once
  EXPECT_EQ(out.back(), "3d");
  buffer.put(5, "f");
  EXPECT_EQ(out.size(), 4u);
  EXPECT_EQ(buffer.next(), 4u);
  EXPECT_EQ(buffer.held(), 1u);
}

TEST(ReorderBuffer, ManyThreadsPuttingInAnyOrderGiveOneOrderedRun) {
  constexpr std::size_t k_n = 2000;
  std::vector<std::size_t> out;
  ReorderBuffer<std::size_t> buffer([&](std::size_t i, std::size_t&& v) {
    EXPECT_EQ(i, v);
    out.push_back(v);
  });
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&buffer, t] {
      for (std::size_t i = k_n - 1 - t; i < k_n; i -= 4) buffer.put(i, i);  // from the end: most are held
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(out.size(), k_n);
  for (std::size_t i = 0; i < k_n; ++i) ASSERT_EQ(out[i], i);
}

TEST(ReorderBuffer, AnEmitThatThrowsStopsTheEmitting) {
  std::vector<int> out;
  ReorderBuffer<int> buffer([&](std::size_t, int&& v) {
    if (v == 1) throw std::runtime_error("write failed");
    out.push_back(v);
  });
  buffer.put(0, 0);
  EXPECT_THROW(buffer.put(1, 1), std::runtime_error);
  buffer.put(2, 2);
  EXPECT_EQ(out, (std::vector<int>{0}));
}

}  // namespace
}  // namespace judge::util
