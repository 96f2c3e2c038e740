// SPDX-License-Identifier: MIT
// The offline judge's fact detectors on 16 realistic notebooks (tests/data/fresh_notebooks/): 8 .ipynb
// (nb1-nb8), 3 Databricks source .py (01-03), 2 Jupytext percent .py (04, 05) and 3 more .ipynb (06-08).
// Language-model helpers wrote them for this project (none is copied from elsewhere), and before any of them
// was run through judge, each author predicted its facts by hand. Those predictions are the expected values
// below. Where a prediction disagreed with judge and the docs/facts.md definition sides with judge, judge's
// value is used and a comment says why the prediction was wrong. code_cells_after_code_share is counted by
// hand from the cells. Two values were first left out because the detector was wrong there, and are in since
// it was fixed: nb4_torch_fashion_mlp predicts (the model is called on the test set as PyTorch predicts,
// `model(xb)` under `torch.set_grad_enabled(train)` with train=False) and 08_energy_forecast cross_validation
// (TimeSeriesSplit's five folds fitted and scored in a loop, then averaged: rolling-origin cross-validation).
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "../support.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/scoring/facts.hpp"

using namespace judge;

namespace {

struct Expected {
  const char* file;  ///< in tests/data/fresh_notebooks/
  std::vector<std::pair<const char*, double>> facts;
};

// The facts checked, in the same order for every notebook; shares are counted cells (code cells that follow
// code / code cells).
// clang-format off
const std::vector<Expected> k_expected = {
    {"nb1_churn_pipeline.ipynb",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 6}, {"eda_findings", 1},
      {"missing_value_checks", 1}, {"shows_no_missing", 0}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 0}, {"metric_kinds", 4},
      {"model_families", 2}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 1}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 6.0 / 11}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"nb2_house_prices_quick.ipynb",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1},
      // predicted 0: df.shape is shape/types
      {"eda_kinds", 1}, {"eda_findings", 0}, {"missing_value_checks", 0}, {"shows_no_missing", 0},
      {"imputation_before_split", 1}, {"fill_before_split", 1}, {"transform_before_split", 1},
      {"native_nan_model", 0}, {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 0},
      {"metric_kinds", 1}, {"model_families", 1}, {"predicts", 1}, {"seed_set", 0}, {"scaling", 0},
      {"mlflow_model", 0}, {"persists_model", 0}, {"code_cells_after_code_share", 5.0 / 6},
      {"error_cells", 0}, {"empty_code_cells", 0}}},
    {"nb3_xgb_fraud.ipynb",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 3},
      // predicted 1: its percentages sit in text that plans ("we use", "split"), no finding (by design)
      {"eda_findings", 0}, {"missing_value_checks", 1}, {"shows_no_missing", 0},
      {"imputation_before_split", 0}, {"fill_before_split", 0}, {"transform_before_split", 0},
      {"native_nan_model", 1}, {"uninstalled_packages", 0}, {"install_pinned", 1}, {"install_unpinned", 1},
      {"metric_kinds", 3}, {"model_families", 1}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 0},
      {"mlflow_model", 0}, {"persists_model", 1}, {"code_cells_after_code_share", 5.0 / 10},
      {"error_cells", 0}, {"empty_code_cells", 0}}},
    {"nb4_torch_fashion_mlp.ipynb",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 0}, {"eda_findings", 0},
      {"missing_value_checks", 0}, {"shows_no_missing", 0}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 2}, {"install_pinned", 0}, {"install_unpinned", 0},
      // predicted 1: accuracy counted by hand (argmax == y) calls no metric function
      {"metric_kinds", 0}, {"model_families", 1},
      // predicts: run_epoch(loaders["test"], train=False) calls model(xb) with gradients off (see the top)
      {"predicts", 1}, {"seed_set", 1}, {"scaling", 1}, {"mlflow_model", 0}, {"persists_model", 1},
      {"code_cells_after_code_share", 5.0 / 8}, {"error_cells", 0}, {"empty_code_cells", 0}}},
    {"nb5_statsmodels_insurance.ipynb",
     {{"holdout_split", 0}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 6}, {"eda_findings", 1},
      {"missing_value_checks", 1}, {"shows_no_missing", 1}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 1}, {"install_pinned", 0}, {"install_unpinned", 0},
      // predicted 0: res.resid plotted is a residual check
      {"metric_kinds", 1}, {"model_families", 1}, {"predicts", 0}, {"seed_set", 0}, {"scaling", 1},
      {"mlflow_model", 0}, {"persists_model", 0}, {"code_cells_after_code_share", 0.0 / 8},
      {"error_cells", 0}, {"empty_code_cells", 0}}},
    {"nb6_titanic_messy.ipynb",
     {{"holdout_split", 1}, {"cross_validation", 1}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 1}, {"eda_findings", 0},
      {"missing_value_checks", 1}, {"shows_no_missing", 0}, {"imputation_before_split", 1},
      {"fill_before_split", 1}, {"transform_before_split", 1}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 0}, {"metric_kinds", 1},
      {"model_families", 1}, {"predicts", 0}, {"seed_set", 1}, {"scaling", 0}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 9.0 / 9}, {"error_cells", 1},
      {"empty_code_cells", 3}}},
    {"nb7_mlflow_wine.ipynb",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 3}, {"eda_findings", 1},
      {"missing_value_checks", 1}, {"shows_no_missing", 1}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 1},
      {"uninstalled_packages", 0}, {"install_pinned", 1}, {"install_unpinned", 0}, {"metric_kinds", 3},
      {"model_families", 1}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 0}, {"mlflow_model", 1},
      {"persists_model", 1}, {"code_cells_after_code_share", 3.0 / 7}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"nb8_eda_bike_rentals.ipynb",
     {{"holdout_split", 0}, {"cross_validation", 0}, {"trains_model", 0}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 6}, {"eda_findings", 1},
      {"missing_value_checks", 2}, {"shows_no_missing", 1}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 1}, {"install_pinned", 0}, {"install_unpinned", 0}, {"metric_kinds", 0},
      {"model_families", 0}, {"predicts", 0}, {"seed_set", 0}, {"scaling", 0}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 5.0 / 10}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"01_spark_rf_loans.py",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 3}, {"eda_findings", 1},
      {"missing_value_checks", 1}, {"shows_no_missing", 0}, {"imputation_before_split", 1},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 1}, {"metric_kinds", 1},
      {"model_families", 1}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 1}, {"mlflow_model", 1},
      {"persists_model", 1}, {"code_cells_after_code_share", 7.0 / 10}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"02_orchestrate_nightly.py",
     {{"holdout_split", 0}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 1},
      {"packaged_training", 1}, {"loads_data", 0}, {"eda_kinds", 0}, {"eda_findings", 0},
      {"missing_value_checks", 0}, {"shows_no_missing", 0}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 0}, {"metric_kinds", 0},
      {"model_families", 0}, {"predicts", 0}, {"seed_set", 0}, {"scaling", 0}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 4.0 / 6}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"03_batch_score_churn.py",
     {{"holdout_split", 0}, {"cross_validation", 0}, {"trains_model", 0}, {"orchestrated", 1},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 0}, {"eda_findings", 0},
      {"missing_value_checks", 0}, {"shows_no_missing", 0}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 0}, {"metric_kinds", 0},
      {"model_families", 0}, {"predicts", 1}, {"seed_set", 0}, {"scaling", 0}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 3.0 / 5}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"04_svc_gridsearch.py",
     {{"holdout_split", 1}, {"cross_validation", 1}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 3}, {"eda_findings", 1},
      {"missing_value_checks", 0}, {"shows_no_missing", 0}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 0}, {"metric_kinds", 3},
      {"model_families", 1}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 1}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 5.0 / 7}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"05_catboost_shap.py",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 2},
      // predicted 1: "have gaps" is no finding word, no percentage; conservative by design
      {"eda_findings", 0}, {"missing_value_checks", 1}, {"shows_no_missing", 0},
      {"imputation_before_split", 0}, {"fill_before_split", 0}, {"transform_before_split", 0},
      {"native_nan_model", 1}, {"uninstalled_packages", 2}, {"install_pinned", 0}, {"install_unpinned", 0},
      {"metric_kinds", 2}, {"model_families", 1}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 0},
      {"mlflow_model", 0}, {"persists_model", 0}, {"code_cells_after_code_share", 6.0 / 8},
      {"error_cells", 0}, {"empty_code_cells", 0}}},
    {"06_house_features.ipynb",
     {{"holdout_split", 1}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 1}, {"eda_findings", 0},
      {"missing_value_checks", 0}, {"shows_no_missing", 0}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 0}, {"install_unpinned", 0}, {"metric_kinds", 2},
      {"model_families", 1}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 1}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 5.0 / 7}, {"error_cells", 0},
      {"empty_code_cells", 0}}},
    {"07_customer_segments.ipynb",
     {{"holdout_split", 0}, {"cross_validation", 0}, {"trains_model", 1}, {"orchestrated", 0},
      {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 1}, {"eda_findings", 0},
      {"missing_value_checks", 0}, {"shows_no_missing", 0}, {"imputation_before_split", 0},
      {"fill_before_split", 0}, {"transform_before_split", 0}, {"native_nan_model", 0},
      {"uninstalled_packages", 0}, {"install_pinned", 1}, {"install_unpinned", 0}, {"metric_kinds", 1},
      {"model_families", 1}, {"predicts", 1}, {"seed_set", 1}, {"scaling", 1}, {"mlflow_model", 0},
      {"persists_model", 0}, {"code_cells_after_code_share", 6.0 / 8}, {"error_cells", 1},
      {"empty_code_cells", 0}}},
    {"08_energy_forecast.ipynb",
     {{"holdout_split", 1},
      // cross_validation: ARIMA fitted on each of tscv.split(y)'s five folds in a loop (see the top)
      {"cross_validation", 1},
      {"trains_model", 1}, {"orchestrated", 0}, {"packaged_training", 0}, {"loads_data", 1}, {"eda_kinds", 2},
      {"eda_findings", 0}, {"missing_value_checks", 0}, {"shows_no_missing", 0},
      {"imputation_before_split", 1}, {"fill_before_split", 0}, {"transform_before_split", 0},
      {"native_nan_model", 0}, {"uninstalled_packages", 1}, {"install_pinned", 0}, {"install_unpinned", 0},
      {"metric_kinds", 2}, {"model_families", 1}, {"predicts", 1}, {"seed_set", 0}, {"scaling", 0},
      {"mlflow_model", 0}, {"persists_model", 0}, {"code_cells_after_code_share", 6.0 / 8},
      {"error_cells", 0}, {"empty_code_cells", 0}}},
};
// clang-format on

std::filesystem::path data_dir() { return test::source_dir() / "tests/data/fresh_notebooks"; }

class FreshNotebooks : public ::testing::TestWithParam<Expected> {};

}  // namespace

TEST_P(FreshNotebooks, FactsAsPredicted) {
  const Expected& e = GetParam();
  const auto read = notebook::read_file(data_dir() / e.file);
  ASSERT_TRUE(read.errors.empty()) << read.errors.front().message();
  ASSERT_EQ(read.notebooks.size(), 1u);
  const auto facts = scoring::notebook_facts(read.notebooks.front());
  for (const auto& [name, value] : e.facts) {
    const auto it = facts.find(name);
    if (it == facts.end()) {
      ADD_FAILURE() << name << " is no fact";
      continue;
    }
    EXPECT_NEAR(it->second, value, 1e-9) << e.file << ": " << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Notebooks, FreshNotebooks, ::testing::ValuesIn(k_expected),
                         [](const ::testing::TestParamInfo<Expected>& info) {
                           std::string name = std::filesystem::path(info.param.file).stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// Every notebook of the folder is checked, once.
TEST(FreshNotebooksFolder, EveryNotebookHasExpectedFacts) {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir()))
    files.insert(entry.path().filename());
  std::set<std::string> listed;
  for (const auto& e : k_expected) EXPECT_TRUE(listed.insert(e.file).second) << e.file << " listed twice";
  EXPECT_EQ(files, listed);
  EXPECT_EQ(files.size(), 16u);
}
