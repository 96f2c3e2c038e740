// SPDX-License-Identifier: MIT
// judge label run as a program: --next (the queue without serving) and its errors. The page itself is tested
// in headless Chromium (tests/browser/), the HTTP API in tests/label/.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support.hpp"

using judge::test::run_judge;
using json = nlohmann::json;

namespace {
std::vector<json> lines_of(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) v.push_back(json::parse(line));
  return v;
}
}  // namespace

TEST(LabelCli, NextWithNothingLabelledIsNotebookThenRubricOrder) {
  judge::test::TempDir dir("judge_label_cli");
  const auto r = run_judge("label --notebooks examples/notebooks --labels '" + (dir / "new.csv").string() +
                           "' --next 3 --format jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto items = lines_of(r.out);
  ASSERT_EQ(items.size(), 3u);
  // No labels, no memory, no scores: every item is worth 0 + 1 + 1, so the tie order decides: the first
  // notebook by name, its dimensions in rubric order.
  const char* dims[] = {"library_installation", "exploratory_data_analysis", "data_imputation"};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(items[i]["rank"], i + 1);
    EXPECT_EQ(items[i]["notebook"], "churn_good.ipynb");
    EXPECT_EQ(items[i]["dimension"], dims[i]);
    EXPECT_DOUBLE_EQ(items[i]["value"].get<double>(), 2.0);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "new.csv"));  // --next writes nothing
}

TEST(LabelCli, NextLeavesLabelledPairsOutAndIsDeterministic) {
  judge::test::TempDir dir("judge_label_cli");
  // The churn_good rows of examples/labels.csv (header + 9 rows).
  std::ifstream in(judge::test::source_dir() / "examples" / "labels.csv");
  std::ofstream out(dir / "labels.csv");
  std::string line;
  for (int i = 0; i < 10 && std::getline(in, line); ++i) out << line << "\n";
  out.close();
  const std::string cmd = "label --notebooks examples/notebooks --labels '" + (dir / "labels.csv").string() +
                          "' --next 0 --format jsonl";
  const auto r = run_judge(cmd);
  ASSERT_EQ(r.exit_code, 0);
  const auto items = lines_of(r.out);
  EXPECT_EQ(items.size(), 4u * 9u);
  double last = 3;
  for (const auto& q : items) {
    EXPECT_NE(q["notebook"], "churn_good.ipynb");
    EXPECT_LE(q["value"].get<double>(), last);
    last = q["value"];
    // Every dimension has one label now: its reason says the MAE over 1 label.
    EXPECT_NE(q["reason"].get<std::string>().find("over 1 label ("), std::string::npos) << q;
  }
  EXPECT_EQ(run_judge(cmd).out, r.out);
}

TEST(LabelCli, BadInputIsAClearError) {
  judge::test::TempDir dir("judge_label_cli");
  auto r =
      run_judge("label --notebooks no/such/folder --labels '" + (dir / "l.csv").string() + "' --next 1 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: notebooks folder no/such/folder does not exist"), std::string::npos)
      << r.out;
  std::ofstream(dir / "bad.csv") << "notebook,dimension,score\niris_bad.ipynb,model_use,9\n";
  r = run_judge("label --notebooks examples/notebooks --labels '" + (dir / "bad.csv").string() +
                "' --next 1 2>&1");
  EXPECT_EQ(r.exit_code, 0);  // the queue still prints; the problem is said with its line
  EXPECT_NE(
      r.out.find("judge: warning: labels: " + (dir / "bad.csv").string() + ":2: score 9 is off the scale"),
      std::string::npos)
      << r.out;
  r = run_judge("label --notebooks examples/notebooks --labels x.csv --format jsonl 2>&1");
  EXPECT_EQ(r.exit_code, 2);  // --format needs --next
}

TEST(LabelCli, WithMemoryTheQueueUsesTheClosestLabelledNotebooks) {
  judge::test::TempDir dir("judge_label_cli");
  // Memory from the labels of three example notebooks; the queue then covers the other two.
  std::ifstream in(judge::test::source_dir() / "examples" / "labels.csv");
  std::ofstream out(dir / "labels.csv");
  std::string line;
  for (int i = 0; i < 28 && std::getline(in, line); ++i) out << line << "\n";
  out.close();
  ASSERT_EQ(
      run_judge("align --labels '" + (dir / "labels.csv").string() +
                "' --notebooks examples/notebooks --memory '" + (dir / "mem").string() + "' >/dev/null 2>&1")
          .exit_code,
      0);
  const auto r = run_judge("label --notebooks examples/notebooks --labels '" + (dir / "labels.csv").string() +
                           "' --memory '" + (dir / "mem").string() + "' --next 0 --format jsonl");
  ASSERT_EQ(r.exit_code, 0);
  const auto items = lines_of(r.out);
  ASSERT_EQ(items.size(), 2u * 9u);
  int from_people = 0;
  for (const auto& q : items) {
    EXPECT_TRUE(q["notebook"] == "sales_eda_no_model.ipynb" || q["notebook"] == "taxi_tips_databricks.py")
        << q;
    EXPECT_NEAR(q["value"].get<double>(),
                q["uncertainty"].get<double>() + q["novelty"].get<double>() + q["difficulty"].get<double>(),
                1e-12);
    const std::string reason = q["reason"];
    if (reason.find("from people on the 3 closest labelled notebooks") != std::string::npos) ++from_people;
    EXPECT_NE(reason.find("closest labelled example: similarity"), std::string::npos) << reason;
  }
  EXPECT_EQ(from_people, 18);  // every item has 3 labelled notebooks to compare the judge with
}
