// SPDX-License-Identifier: MIT
#include "judge/util/shard.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "judge/util/error.hpp"

using namespace judge::util;

// Expected parts computed outside judge, with Python's hashlib:
//   v = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big"); part = 1 + v % n
// for n = 2, 3, 4, 7 (the first 8 bytes are in the comments).
TEST(Shard, PartOfFixedPathsMatchesPythonHashlib) {
  struct Case {
    std::string path;
    std::vector<std::uint64_t> parts;  // n = 2, 3, 4, 7
  };
  const std::vector<Case> cases = {
      {"examples/notebooks/iris_bad.ipynb", {1, 3, 3, 1}},    // 0xccbe95c3103f2212
      {"examples/notebooks/churn_good.ipynb", {2, 3, 2, 4}},  // 0xd09ee92a5cee7725
      {"a.dbc!/Users/x/train", {2, 3, 4, 4}},                 // 0x4fb02c637a7c64cb
      {"nb.ipynb", {1, 2, 1, 6}},                             // 0xd56ab9e827d45f8c
      {"", {1, 2, 1, 2}},                                     // 0xe3b0c44298fc1c14
  };
  const std::vector<std::uint64_t> counts = {2, 3, 4, 7};
  for (const auto& c : cases)
    for (std::size_t i = 0; i < counts.size(); ++i)
      EXPECT_EQ(shard_of(c.path, counts[i]), c.parts[i]) << c.path << " in " << counts[i] << " parts";
}

TEST(Shard, OnePartHoldsEverything) {
  for (const std::string p : {"a", "b/c.ipynb", "x.dbc!/y"}) EXPECT_EQ(shard_of(p, 1), 1u);
}

// Every path is in exactly one part (so the parts are disjoint and their union is the whole), and no part
// is far from count/n: 3000 paths in 4 parts, each part within 3000/4 +- 150 (about 6.5 standard deviations
// of a binomial(3000, 1/4), so a uniform hash never fails it).
TEST(Shard, PartsAreDisjointCoverEveryPathAndAreBalanced) {
  constexpr int k_paths = 3000;
  std::vector<std::set<std::string>> parts(4);
  for (int i = 0; i < k_paths; ++i) {
    const std::string path = "runs/release-7/nb_" + std::to_string(i) + ".ipynb";
    const auto k = shard_of(path, 4);
    ASSERT_GE(k, 1u);
    ASSERT_LE(k, 4u);
    parts[k - 1].insert(path);
  }
  std::set<std::string> all;
  std::size_t total = 0;
  for (const auto& p : parts) {
    EXPECT_NEAR(static_cast<double>(p.size()), k_paths / 4.0, 150.0);
    total += p.size();
    all.insert(p.begin(), p.end());
  }
  EXPECT_EQ(total, static_cast<std::size_t>(k_paths));  // disjoint: no path counted twice
  EXPECT_EQ(all.size(), static_cast<std::size_t>(k_paths));
}

TEST(Shard, ParsesKOfN) {
  EXPECT_EQ(parse_shard("1/4"), (Shard{1, 4}));
  EXPECT_EQ(parse_shard("4/4"), (Shard{4, 4}));
  EXPECT_EQ(parse_shard(" 2 / 3 "), (Shard{2, 3}));
  EXPECT_EQ(parse_shard("1/1"), (Shard{1, 1}));
  EXPECT_EQ((Shard{3, 8}).text(), "3/8");
}

TEST(Shard, RejectsBadKOfNWithAUsageError) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"0/4", "K must be between 1 and N (parts are numbered from 1: 1/4 .. 4/4)"},
      {"5/4", "K must be between 1 and N"},
      {"1/0", "N must be between 1 and 1000000"},
      {"1/2000000", "N must be between 1 and 1000000"},
      {"4", "expected K/N"},
      {"a/4", "expected K/N"},
      {"1/4/2", "expected K/N"},
      {"-1/4", "expected K/N"},
      {"", "expected K/N"},
  };
  for (const auto& [text, what] : bad) {
    try {
      parse_shard(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const judge::Error& e) {
      EXPECT_EQ(e.code(), judge::ExitCode::usage) << text;
      EXPECT_NE(std::string(e.what()).find("shard \"" + text + "\": " + what), std::string::npos) << e.what();
    }
  }
}
