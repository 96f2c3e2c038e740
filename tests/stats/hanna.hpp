// SPDX-License-Identifier: MIT
// The HANNA human judgments (../shared/data/judgments/hanna/hanna_labels.csv) read without the labels module:
// stats tests link judge_stats only, and stats knows nothing of label files (ARCHITECTURE.md).
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace judge::test {

struct HannaLabel {
  std::string item, dimension, rater;
  double score = 0;
};

/// Reads the file's four columns `item,dimension,rater,score` (header line first; CRLF line ends; no quoting,
/// no NA in it).
inline std::vector<HannaLabel> read_hanna_labels(const std::filesystem::path& path) {
  std::vector<HannaLabel> labels;
  std::ifstream in(path);
  std::string line;
  const auto next_line = [&] {
    if (!std::getline(in, line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  };
  next_line();
  EXPECT_EQ(line, "item,dimension,rater,score") << path;
  while (next_line()) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    HannaLabel l;
    std::string score;
    std::getline(fields, l.item, ',');
    std::getline(fields, l.dimension, ',');
    std::getline(fields, l.rater, ',');
    std::getline(fields, score);
    l.score = std::stod(score);
    labels.push_back(std::move(l));
  }
  EXPECT_FALSE(labels.empty()) << path;
  return labels;
}

}  // namespace judge::test
