// SPDX-License-Identifier: MIT
// judge validate through the built binary, and judge align --calibrate with judge eval --memory.
#include <gtest/gtest.h>

#include <cmath>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "../support.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"

namespace fs = std::filesystem;
using judge::test::run_judge;

namespace {

std::string ipynb(const std::string& code) {
  nlohmann::json cell{{"cell_type", "code"},
                      {"metadata", nlohmann::json::object()},
                      {"source", code},
                      {"outputs", nlohmann::json::array()},
                      {"execution_count", nullptr}};
  return nlohmann::json{
      {"nbformat", 4}, {"nbformat_minor", 5}, {"metadata", nlohmann::json::object()}, {"cells", {cell}}}
      .dump();
}

// Eight small notebooks of our own, labelled on two dimensions.
struct CliData {
  fs::path dir = fs::temp_directory_path() / ("judge_validate_cli_" + std::to_string(::getpid()));
  std::string d;
  CliData() {
    fs::remove_all(dir);
    std::string csv = "notebook,dimension,score,feedback\n";
    for (int i = 0; i < 8; ++i) {
      const std::string name = "n" + std::to_string(i) + ".ipynb";
      const std::string code =
          i % 2 ? "from sklearn.linear_model import LogisticRegression\nm = LogisticRegression().fit(X, y)"
                : "import pandas as pd\ndf = pd.read_csv('d" + std::to_string(i) + ".csv')\ndf.describe()";
      judge::util::write_file_atomic(dir / "nb" / name, ipynb(code));
      csv += name + ",model_training," + (i % 2 ? std::to_string(1 + i % 3) : std::string("NA")) +
             ",Fit once.\n";
      csv += name + ",exploratory_data_analysis," + std::to_string(1 + (i / 2) % 3) + ",Describe only.\n";
    }
    judge::util::write_file_atomic(dir / "labels.csv", csv);
    d = "'" + dir.string() + "'";
  }
  ~CliData() { fs::remove_all(dir); }
  std::string validate(const std::string& more) const {
    return "validate --labels " + d + "/labels.csv --notebooks " + d + "/nb --folds 2 --bootstrap 200 " +
           more + " 2>/dev/null";
  }
};

}  // namespace

TEST(ValidateCli, JsonHasEveryConditionFoldsAndIsDeterministic) {
  CliData data;
  const auto a = run_judge(data.validate("--seed 5 --format json"));
  ASSERT_EQ(a.exit_code, 0) << a.out;
  const auto j = nlohmann::json::parse(a.out);
  std::vector<std::string> judges;
  for (const auto& jr : j["judges"]) judges.push_back(jr["judge"]);
  EXPECT_EQ(judges, (std::vector<std::string>{"baseline", "semantic", "episodic", "both", "calibrated"}));
  EXPECT_FALSE(j["judges"][0].contains("compare"));
  EXPECT_EQ(j["judges"][3]["compare"]["judge"], "baseline");
  EXPECT_EQ(j["validate"]["folds"], 2);
  ASSERT_EQ(j["validate"]["items"].size(), 8u);
  int in_fold0 = 0;
  for (const auto& it : j["validate"]["items"]) in_fold0 += it["fold"] == 0;
  EXPECT_EQ(in_fold0, 4);  // two folds of 8 notebooks: 4 each
  EXPECT_EQ(run_judge(data.validate("--seed 5 --format json")).out, a.out);
}

TEST(ValidateCli, TableGatesAndLearningCurve) {
  CliData data;
  auto r = run_judge(data.validate("--conditions baseline,both --learning-curve"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("cross-validated MAE per condition (2 folds by notebook"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("learning curve"), std::string::npos) << r.out;
  for (const char* share : {"25%", "50%", "75%", "100%"})
    EXPECT_TRUE(std::regex_search(r.out, std::regex(std::string("\n") + share + " +both "))) << share;
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --fail-if 'mae>-1'")).exit_code, 3);
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --fail-if 'mae<-1'")).exit_code, 0);
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,nonsense")).exit_code, 2);
  r = run_judge(data.validate("--conditions baseline,episodic --learning-curve --format html"));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("<svg class=\"learning-curve\""), std::string::npos);
  EXPECT_NE(r.out.find("<section class=\"validate\">"), std::string::npos);
}

TEST(ValidateCli, AlignCalibrateThenEvalSaysCalibrated) {
  CliData data;
  auto r = run_judge("align --calibrate --labels " + data.d + "/labels.csv --notebooks " + data.d +
                     "/nb --memory " + data.d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto file = nlohmann::json::parse(judge::util::read_file(data.dir / "mem/calibration.json"));
  EXPECT_EQ(file["schema_version"], 1);
  EXPECT_EQ(file["map"], "isotonic");
  EXPECT_TRUE(file["dimensions"].contains("exploratory_data_analysis"));
  r = run_judge("eval --format jsonl --memory " + data.d + "/mem --dimensions exploratory_data_analysis " +
                data.d + "/nb/n0.ipynb");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto record = nlohmann::json::parse(r.out);
  ASSERT_TRUE(record.contains("calibrated")) << r.out;
  EXPECT_EQ(record["calibrated"]["map"], "isotonic");
}

// --calibration isotonic-median: calibration.json names the median map, and its knots are medians of integer
// labels (whole numbers, or the midpoint of two for an even block); eval says which map it applied. The
// median values themselves are checked by hand in validate_test.cpp and against an LP in the stats tests.
TEST(ValidateCli, AlignCalibrationMedianWritesTheMedianMap) {
  CliData data;
  auto r = run_judge("align --calibration isotonic-median --labels " + data.d + "/labels.csv --notebooks " +
                     data.d + "/nb --memory " + data.d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("isotonic-median map"), std::string::npos) << r.out;
  const auto file = nlohmann::json::parse(judge::util::read_file(data.dir / "mem/calibration.json"));
  EXPECT_EQ(file["map"], "isotonic-median");
  for (const auto& [d, v] : file["dimensions"].items())
    for (double y : v["y"]) EXPECT_EQ(y * 2, std::round(y * 2)) << d;  // medians of integers: whole or halves
  r = run_judge("eval --format jsonl --memory " + data.d + "/mem --dimensions exploratory_data_analysis " +
                data.d + "/nb/n0.ipynb");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["calibrated"]["map"], "isotonic-median");
  EXPECT_EQ(run_judge("align --calibration platt --labels " + data.d + "/labels.csv --notebooks " + data.d +
                      "/nb --memory " + data.d + "/mem2")
                .exit_code,
            2);
}

