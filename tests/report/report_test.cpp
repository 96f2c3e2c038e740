// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../measure/small_case.hpp"
#include "../stats/python.hpp"
#include "../support.hpp"
#include "judge/measure/measure.hpp"
#include "judge/report/writers.hpp"
#include "judge/util/error.hpp"

using namespace judge::measure;
using namespace judge::report;
namespace fs = std::filesystem;

namespace {

const judge::test::TempDir& temp() {
  static const judge::test::TempDir dir("judge_report_test");  // removed when the test program ends
  return dir;
}
fs::path temp_dir() { return temp().path(); }
fs::path write_temp(const std::string& name, const std::string& text) { return temp().write(name, text); }

using judge::test::k_labels;
using judge::test::k_scores;

}  // namespace

// Intervals and signed numbers as the table prints them: every item is off by +1, so the MAE, both ends of
// its bootstrap interval and the bias are 1 (the bias signed).
TEST(Report, TablePrintsIntervalsAndSignedNumbers) {
  const auto labels =
      judge::labels::read_labels(write_temp("off_labels.csv", "notebook,dimension,score\na,d,2\nb,d,3\n"));
  const auto scores =
      read_scores(write_temp("off_scores.csv", "item,dimension,score,judge\na,d,3,h\nb,d,4,h\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  std::ostringstream out;
  write_report(out, measure(labels, scores, options), {}, "table");
  EXPECT_NE(out.str().find("\nd             2  1.000  [1.000, 1.000]  +1.000  1.000  "), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("\nmean of MAEs     1.000  [1.000, 1.000]\n"), std::string::npos) << out.str();
  // One rater: the human-against-human columns are empty on every row, so the text table leaves them out
  // (Markdown keeps every column).
  EXPECT_NE(out.str().find("\ndimension     n    MAE          95% CI    bias   RMSE  exact  within1    QWK  "
                           "Spearman  N/A disagree  unscored\n"),
            std::string::npos)
      << out.str();
}

// A number that rounds to zero prints without a minus sign, whatever metric it is: a QWK of -1e-17 (what
// rounding leaves of a kappa that is 0) is "0.000", a bias of -0.0004 is "+0.000" as a bias of 0 is, and
// -0.0 is "0.00"; a value that rounds to a negative number keeps its sign.
TEST(Report, ANumberThatRoundsToZeroHasNoMinusSign) {
  EXPECT_EQ(format_number(-1e-17), "0.000");
  EXPECT_EQ(format_number(-0.0004), "0.000");
  EXPECT_EQ(format_number(-0.0, 2), "0.00");
  EXPECT_EQ(format_number(-0.4, 0), "0");
  EXPECT_EQ(format_number(-0.0005001), "-0.001");
  EXPECT_EQ(format_number(-12.5, 1), "-12.5");
  const auto labels =
      judge::labels::read_labels(write_temp("zero_labels.csv", "notebook,dimension,score\na,d,2\nb,d,3\n"));
  const auto scores =
      read_scores(write_temp("zero_scores.csv", "item,dimension,score,judge\na,d,3,h\nb,d,4,h\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  auto m = measure(labels, scores, options);
  ASSERT_EQ(m.judges.size(), 1u);
  auto& d = m.judges[0].dimensions.at(0).metrics;
  d.bias = -0.0004;
  d.qwk = -1e-17;
  d.spearman = -0.0;
  std::ostringstream out;
  write_report(out, m, {}, "table");
  // dimension, n, MAE, interval, bias, RMSE, exact, within1, QWK, Spearman
  EXPECT_NE(out.str().find(
                "\nd             2  1.000  [1.000, 1.000]  +0.000  1.000  0.000    1.000  0.000     0.000  "),
            std::string::npos)
      << out.str();
  EXPECT_EQ(out.str().find("-0.0"), std::string::npos) << out.str();
  // CSV has six decimals: the bias keeps its sign there, the QWK and Spearman are zero.
  std::ostringstream csv;
  write_report(csv, m, {}, "csv");
  EXPECT_NE(csv.str().find(
                "\nh,d,2,1.000000,1.000000,1.000000,-0.000400,1.000000,0.000000,1.000000,0.000000,0.000000,"),
            std::string::npos)
      << csv.str();
}

// The comparison with another judge shows each judge's QWK and N/A disagreements beside the MAEs: the
// aligned judge here says 1 to everything (MAE 1, QWK 0) and disagrees about d's N/A; plain's QWK is 2/3 and
// it agrees on the N/A (worked by hand in measure_test's
// NaDisagreeChangeAndTheQwkOfBothJudgesShowWhatMaeLeavesOut).
TEST(Report, TheComparisonShowsBothJudgesQwkAndNaDisagreements) {
  const auto labels = judge::labels::read_labels(
      write_temp("cmp_labels.csv", "notebook,dimension,score\na,d,1\nb,d,2\nc,d,3\nx,d,NA\n"));
  const auto scores = read_scores(write_temp("cmp_scores.csv",
                                             "item,dimension,score,judge\na,d,1,aligned\nb,d,1,aligned\n"
                                             "c,d,1,aligned\nx,d,1,aligned\na,d,1,plain\nb,d,2,plain\n"
                                             "c,d,2,plain\nx,d,NA,plain\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  options.judge = "aligned";
  options.compare = "plain";
  std::ostringstream out;
  write_report(out, measure(labels, scores, options), {}, "markdown");
  EXPECT_NE(out.str().find(
                "| dimension | n | MAE | other MAE | difference | 95% CI | significant | QWK | other QWK | "
                "N/A disagree | other N/A disagree |"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("| 0.000 | 0.667 | 1 | 0 |"), std::string::npos) << out.str();
}

// judge validate's learnt rules in the folds: a row per rule with "N of K" folds and which, in the order
// given; and the same in the JSON's validate object.
TEST(Report, ValidateListsEachLearntRuleWithTheFoldsThatLearntIt) {
  Measurement m;
  m.cross_validation.emplace();
  m.cross_validation->folds = 4;
  m.cross_validation->fold_rules = {
      {"library_installation", "when uninstalled_packages >= 1 -> score at most 1", {0, 1, 3}},
      {"data_imputation", "when not trains_model -> N/A", {0, 1, 2, 3}}};
  std::ostringstream md;
  write_report(md, m, {}, "markdown");
  EXPECT_NE(md.str().find("| dimension | folds | which | rule |"), std::string::npos) << md.str();
  EXPECT_NE(
      md.str().find(
          "| library_installation | 3 of 4 | 0, 1, 3 | when uninstalled_packages >= 1 -> score at most 1 |\n"
          "| data_imputation | 4 of 4 | 0, 1, 2, 3 | when not trains_model -> N/A |"),
      std::string::npos)
      << md.str();
  // As text, each rule goes on a line of its own under its row, so a long rule does not widen the table.
  std::ostringstream text;
  write_report(text, m, {}, "table");
  EXPECT_NE(text.str().find("dimension              folds       which\n"
                            "  rule\n"
                            "library_installation  3 of 4     0, 1, 3\n"
                            "  when uninstalled_packages >= 1 -> score at most 1\n"
                            "data_imputation       4 of 4  0, 1, 2, 3\n"
                            "  when not trains_model -> N/A\n"),
            std::string::npos)
      << text.str();
  std::ostringstream js;
  write_report(js, m, {}, "json");
  const auto j = nlohmann::json::parse(js.str());
  ASSERT_EQ(j["validate"]["fold_rules"].size(), 2u) << js.str();
  EXPECT_EQ(j["validate"]["fold_rules"][0]["rule"], "when uninstalled_packages >= 1 -> score at most 1");
  EXPECT_EQ(j["validate"]["fold_rules"][0]["folds"], nlohmann::json({0, 1, 3}));
}

// judge validate's summary where memory changed N/A calls: a condition's MAE is over its own pairs (27) and
// its change over the pairs both scored (21), not the baseline's 22 of the n column, so each count is said
// where it differs; where all agree (model_use: 29 each) the cells carry no count.
TEST(Report, ValidateSummarySaysEachConditionsPairsWhereTheyDiffer) {
  Measurement m;
  m.cross_validation.emplace();
  m.cross_validation->folds = 4;
  m.bootstrap.confidence = 0.95;
  JudgeMeasurement base, both;
  base.judge = "baseline";
  both.judge = "both";
  both.compare_judge = "baseline";
  DimensionStats di, mu;
  di.dimension = "data_imputation";
  mu.dimension = "model_use";
  di.metrics.n = 22;
  di.metrics.mae = 14.0 / 22;
  di.mae_ci = {0.37, 0.91};
  mu.metrics.n = 29;
  mu.metrics.mae = 4.0 / 29;
  mu.mae_ci = {0.03, 0.28};
  base.dimensions = {di, mu};
  di.metrics.n = 27;
  di.metrics.mae = 9.0 / 27;
  di.mae_ci = {0.11, 0.62};
  di.comparison = Comparison{};
  di.comparison->n = 21;
  di.comparison->mae = 4.0 / 21;
  di.comparison->other_mae = 13.0 / 21;
  di.comparison->diff_ci = {-0.76, -0.05};
  di.comparison->changed = 9;         // at least 13 - 4 pairs
  di.comparison->significant = true;  // as measure::is_significant says of it (9 changed pairs >= 6)
  mu.comparison = Comparison{};
  mu.comparison->n = 29;
  mu.comparison->mae = mu.comparison->other_mae = 4.0 / 29;
  mu.comparison->diff_ci = {0, 0};
  // N/A agreement, pooled: baseline 11 both N/A, 3 labels' N/A it scores, 2 N/As the labels score; both
  // memories 13, 1 and 4.
  base.dimensions[0].na = {.both_apply = 22, .both_na = 9, .judge_na_only = 2, .human_na_only = 3};
  base.dimensions[1].na = {.both_apply = 29, .both_na = 2, .judge_na_only = 0, .human_na_only = 0};
  di.na = {.both_apply = 27, .both_na = 11, .judge_na_only = 4, .human_na_only = 1};
  mu.na = base.dimensions[1].na;
  both.dimensions = {di, mu};
  // the means of the two dimensions' MAEs: (14/22 + 4/29) / 2 = 0.387 and (9/27 + 4/29) / 2 = 0.236; the
  // mean change (-9/21 + 0) / 2 = -0.214
  base.mean_mae = (14.0 / 22 + 4.0 / 29) / 2;
  both.mean_mae = (9.0 / 27 + 4.0 / 29) / 2;
  both.mean_diff = (-9.0 / 21) / 2;
  both.mean_diff_ci = {-0.38, -0.03};
  both.mean_diff_significant = true;
  // An episodic memory that moved nothing: baseline's verdicts, so no pair changed and the N/A counts agree.
  JudgeMeasurement episodic = base;
  episodic.judge = "episodic";
  episodic.compare_judge = "baseline";
  for (auto& d : episodic.dimensions) {
    d.comparison = Comparison{};
    d.comparison->n = d.metrics.n;
    d.comparison->mae = d.comparison->other_mae = d.metrics.mae;
    d.comparison->na = d.comparison->other_na = d.na;
  }
  episodic.mean_diff_ci = {0, 0};
  m.judges = {base, both};
  std::ostringstream md;
  write_report(md, m, {}, "markdown");
  // It ends with both memories against baseline in a line: data_imputation's change is significant and
  // lower, model_use's is 0.
  EXPECT_NE(md.str().find("## in short (each condition against baseline, cross-validated)\n\n"
                          "- both: mean of MAEs 0.387 -> 0.236, change -0.214 [-0.38, -0.03], significant; "
                          "significantly better on data_imputation; significantly worse on none\n"),
            std::string::npos)
      << md.str();
  // With an episodic memory that moved nothing, its line says so; both's says nothing of it (it moved
  // data_imputation's errors and N/A calls).
  {
    Measurement with_episodic = m;
    with_episodic.judges = {base, episodic, both};
    std::ostringstream out;
    write_report(out, with_episodic, {}, "markdown");
    EXPECT_NE(
        out.str().find("- episodic: mean of MAEs 0.387 -> 0.387, change 0.000 [0.00, 0.00], not "
                       "significant; significantly better on none; significantly worse on none; no paired "
                       "error and no N/A count differs from baseline's\n"
                       "- both: mean of MAEs 0.387 -> 0.236, change -0.214 [-0.38, -0.03], significant; "
                       "significantly better on data_imputation; significantly worse on none\n"),
        std::string::npos)
        << out.str();
  }
  // recall 11/14 = 0.786 and 13/14 = 0.929; precision 11/13 = 0.846 and 13/17 = 0.765
  EXPECT_NE(md.str().find("| condition | N/A recall | N/A precision |\n|---|---:|---:|\n"
                          "| baseline | 0.786 (11 of 14) | 0.846 (11 of 13) |\n"
                          "| both | 0.929 (13 of 14) | 0.765 (13 of 17) |\n"),
            std::string::npos)
      << md.str();
  const auto json = nlohmann::json::parse([&] {
    std::ostringstream out;
    write_report(out, m, {}, "json");
    return out.str();
  }());
  EXPECT_NEAR(json["judges"][0]["na_recall"].get<double>(), 11.0 / 14, 1e-12);
  EXPECT_NEAR(json["judges"][1]["na_precision"].get<double>(), 13.0 / 17, 1e-12);
  // A row per condition, each with its own n: 14/22 = 0.636, 9/27 = 0.333, 4/21 - 13/21 = -0.429 over 21.
  EXPECT_NE(md.str().find("| data_imputation | baseline | 22 | 0.636 [0.37, 0.91] |  |\n"
                          "|  | both | 27 | 0.333 [0.11, 0.62] | -0.429 [-0.76, -0.05] * (n 21) |\n"),
            std::string::npos)
      << md.str();
  EXPECT_NE(md.str().find("| model_use | baseline | 29 | 0.138 [0.03, 0.28] |  |\n"
                          "|  | both | 29 | 0.138 [0.03, 0.28] | 0.000 [0.00, 0.00] |\n"),
            std::string::npos)
      << md.str();
}

// judge validate's near-duplicate groups: the threshold and a row per group (its notebooks, and how alike
// its pairs are, in whole percents rounded down as validate's stderr says them: 95% for one pair at 0.9548,
// 82-91% for a group of three at 0.82 to 0.917), in markdown and in the JSON.
TEST(Report, ValidateNamesTheNearDuplicatesKeptInOneFold) {
  Measurement m;
  m.cross_validation.emplace();
  m.cross_validation->folds = 4;
  m.cross_validation->near_duplicate = 0.8;
  m.cross_validation->near_duplicates = {{{"a.ipynb", "b.ipynb"}, 0.9548, 0.9548},
                                         {{"c.ipynb", "d.ipynb", "e.ipynb"}, 0.82, 0.917}};
  std::ostringstream md;
  write_report(md, m, {}, "markdown");
  EXPECT_NE(md.str().find("near-duplicate notebooks kept in one fold (code lines at least 80% alike, "
                          "--near-duplicate 0.8)"),
            std::string::npos)
      << md.str();
  EXPECT_NE(md.str().find("| notebooks | alike |"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("| a.ipynb, b.ipynb | 95% |\n| c.ipynb, d.ipynb, e.ipynb | 82-91% |"),
            std::string::npos)
      << md.str();
  std::ostringstream js;
  write_report(js, m, {}, "json");
  const auto j = nlohmann::json::parse(js.str());
  EXPECT_EQ(j["validate"]["near_duplicate"], 0.8);
  ASSERT_EQ(j["validate"]["near_duplicates"].size(), 2u) << js.str();
  EXPECT_EQ(j["validate"]["near_duplicates"][1]["notebooks"],
            nlohmann::json({"c.ipynb", "d.ipynb", "e.ipynb"}));
  EXPECT_EQ(j["validate"]["near_duplicates"][1]["least"], 0.82);
  EXPECT_EQ(j["validate"]["near_duplicates"][1]["most"], 0.917);
  // No groups: no section.
  m.cross_validation->near_duplicates.clear();
  std::ostringstream none;
  write_report(none, m, {}, "markdown");
  EXPECT_EQ(none.str().find("near-duplicate notebooks"), std::string::npos) << none.str();
}

// --labels and --scores swapped: each file is refused as what it is not, naming its first record's line and
// saying which flag it belongs to (a labels file has a rater and no judge; judge eval's records have a judge
// and a status, and no rater). Read as given, the swap measured an unnamed judge with the bias flipped.
TEST(ReportCli, LabelsAndScoresSwappedAreRefusedSayingWhichIsWhich) {
  const auto labels = write_temp("swap_labels.csv", k_labels),
             scores = write_temp("swap_scores.jsonl", k_scores);
  auto r = judge::test::run_judge("report --labels '" + scores.string() + "' --scores '" + labels.string() +
                                  "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: 1 problem in labels " + scores.string() + ":\n  " + scores.string() +
                       ":1: a judge and a status, and no rater: these are judge eval's scores (give them as "
                       "--scores); labels name no judge\n")
      << r.out;
  r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + labels.string() +
                             "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: 1 problem in scores " + labels.string() + ":\n  " + labels.string() +
                       ":1: a rater and no judge: this is a labels file (give it as --labels); score records "
                       "name the judge that gave them in a judge column (judge eval writes one)\n")
      << r.out;
  // The same labels as JSON Lines: said once, at the first record.
  const auto jsonl =
      write_temp("swap_labels.jsonl",
                 "{\"notebook\": \"a.ipynb\", \"dimension\": \"model_use\", \"rater\": \"r1\", "
                 "\"score\": 2}\n{\"notebook\": \"b.ipynb\", \"dimension\": \"model_use\", "
                 "\"rater\": \"r1\", \"score\": 3}\n");
  r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + jsonl.string() +
                             "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("1 problem in scores " + jsonl.string() + ":\n  " + jsonl.string() +
                       ":1: a rater and no judge"),
            std::string::npos)
      << r.out;
}

// report --compare on one changed pair (h says 3 where the label and g say 1, on model_use of a.ipynb): its
// interval is the point +2, which excludes 0, but one changed pair is no evidence. The table said
// "significant: yes" beside the warning that it is no evidence; now every output says it is not significant:
// the table ("no (too few)", the rule in its title), JSON, and the warning, which no longer says "marked
// significant". No cell says yes.
TEST(ReportCli, AChangeOnTooFewPairsIsNotSignificantInTheTableNorInJson) {
  const auto labels = write_temp("thin_cli_labels.csv",
                                 "notebook,dimension,score\na.ipynb,model_use,1\na.ipynb,model_training,2\n"
                                 "b.ipynb,model_training,2\n");
  const auto scores = write_temp("thin_cli_scores.csv",
                                 "item,dimension,score,judge\na.ipynb,model_use,3,h\na.ipynb,model_use,1,g\n"
                                 "a.ipynb,model_training,2,h\na.ipynb,model_training,2,g\n"
                                 "b.ipynb,model_training,2,h\nb.ipynb,model_training,2,g\n");
  const std::string args = "report --labels '" + labels.string() + "' --scores '" + scores.string() +
                           "' --judge h --compare g --bootstrap 200";
  const auto table = judge::test::run_judge(args + " 2>/dev/null");
  ASSERT_EQ(table.exit_code, 0) << table.out;
  const std::string compared = table.out.substr(table.out.find("compared with g"));
  EXPECT_NE(compared.find("significant: the interval excludes 0 and\nat least 6 pairs changed (the fewest an "
                          "exact sign test needs at 95%; too few: it excludes 0 on\nfewer))\n"),
            std::string::npos)
      << compared;
  EXPECT_NE(
      compared.find("\nmodel_use       1  2.000      0.000      +2.000  [2.000, 2.000]  no (too few)\n"),
      std::string::npos)
      << compared;
  EXPECT_EQ(compared.find("yes"), std::string::npos) << compared;
  const auto json = nlohmann::json::parse(judge::test::run_judge(args + " --format json 2>/dev/null").out);
  const auto& use = json["judges"][0]["dimensions"][0];
  ASSERT_EQ(use["dimension"], "model_use");
  EXPECT_EQ(use["compare"]["changed"], 1);
  EXPECT_EQ(use["compare"]["significant"], false);
  EXPECT_EQ(json["judges"][0]["compare"]["significant"], false);
  const auto warned = judge::test::run_judge(args + " 2>&1 >/dev/null");
  EXPECT_EQ(
      warned.out,
      "judge: warning: h: model_use's change from g has an interval that excludes 0, but only 1 of its 1 "
      "pair changed; an exact sign test needs at least 6 changed pairs to find a change significant at "
      "95% (n changes all one way have p = 2^(1-n)), so it is not marked significant: read the interval "
      "as no evidence, and label more notebooks\n");
}

// The report's tables fit a terminal of 120 columns on realistic input (they were 124 wide, 142 with
// --compare): the shared notebooks judged twice (runs a and b), measured against the two raters' labels (so
// with the human columns), b compared with a and calibrated. A table too wide goes in blocks of its columns,
// each with the dimensions again: every column is still there (its header), every dimension in every block,
// and an interval stays beside its value. The heading line ("judge b: ...") is text, not a table.
TEST(ReportCli, TablesFitATerminalOnTheSharedLabels) {
  JUDGE_REQUIRE_SHARED_DATA();
  const auto data = judge::test::shared_data();
  const std::string notebooks = (data / "notebooks").string();
  for (const std::string name : {"a", "b"})
    ASSERT_EQ(judge::test::run_judge("eval '" + notebooks + "' --name " + name + " --format jsonl -o '" +
                                     (temp_dir() / (name + ".jsonl")).string() + "' 2>/dev/null")
                  .exit_code,
              0);
  const auto r = judge::test::run_judge("report --labels '" + (data / "labels/ml-notebooks.csv").string() +
                                        "' --scores '" + (temp_dir() / "a.jsonl").string() + "' --scores '" +
                                        (temp_dir() / "b.jsonl").string() +
                                        "' --judge b --compare a --calibrate --bootstrap 200 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::istringstream in(r.out);
  std::size_t blocks = 0, li = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("judge b: ", 0) == 0) continue;
    EXPECT_LE(line.size(), 120u) << line;
    blocks += line.rfind("dimension ", 0) == 0;
    li += line.rfind("library_installation ", 0) == 0;
  }
  // The agreement table (with the human columns) and the comparison are wider than 120 (about 145 and 142):
  // two blocks each at least; the calibration table one at least.
  EXPECT_GE(blocks, 5u) << r.out;
  EXPECT_EQ(li, blocks) << r.out;
  for (const char* header : {" MAE ", " 95% CI ", " bias ", " Spearman ", " N/A disagree ", " unscored ",
                             " human MAE ", " human QWK", " other MAE ", " other QWK ", " other N/A disagree",
                             " significant", " raw MAE ", " calibrated MAE ", " change "})
    EXPECT_NE(r.out.find(header), std::string::npos) << header << "\n" << r.out;
  // "calibrated MAE" and its interval on one line (glued), not split across blocks.
  const auto calibrated = r.out.find(" calibrated MAE ");
  ASSERT_NE(calibrated, std::string::npos);
  EXPECT_LT(r.out.find("95% CI", calibrated), r.out.find('\n', calibrated)) << r.out;
}

// A flagged notebook's path too long for its table is elided in its middle there (JSON keeps it whole), so
// that its row stays on one line within 120 columns.
TEST(Report, AFlaggedNotebooksLongPathIsElidedInTheTableOnly) {
  Measurement m;
  JudgeMeasurement jr;
  jr.judge = "h";
  FlaggedItem item;
  item.item = "/data/" + std::string(70, 'x') + "/" + std::string(70, 'y') + ".ipynb";
  item.flags = {"prompt_injection"};
  item.cells = {2};
  item.scores = {{"model_use", judge::verdict::Status::scored, 3.0, true, 1.0}};
  jr.flagged = {item};
  m.judges = {jr};
  std::ostringstream text;
  write_report(text, m, {}, "table");
  std::istringstream in(text.str());
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("judge h: ", 0) == 0) continue;
    EXPECT_LE(line.size(), 120u) << line;
  }
  // The other columns take 50 (cells 5, flags 16, dimension 9, judge 5, human 5, and five gaps of 2): the
  // 153-character path gets 70, 67 kept: 22 from its start ("/data/" and 16 x's), "...", 45 from its end
  // (39 y's and ".ipynb"); the row stays on one line.
  EXPECT_NE(text.str().find("\n/data/" + std::string(16, 'x') + "..." + std::string(39, 'y') +
                            ".ipynb      2  prompt_injection  model_use      3      1\n"),
            std::string::npos)
      << text.str();
  std::ostringstream json;
  write_report(json, m, {}, "json");
  EXPECT_EQ(nlohmann::json::parse(json.str())["judges"][0]["flagged"][0]["item"], item.item);
}

// report and validate take no memory folder (report compares scores, validate aligns afresh in each fold): a
// --memory given to either is refused, a usage error saying how a memory is measured, not CLI11's "arguments
// were not expected: mem/ --memory".
TEST(ReportCli, MemoryIsRefusedByReportAndValidateSayingHowToMeasureIt) {
  const auto labels = write_temp("mem_labels.csv", k_labels),
             scores = write_temp("mem_scores.jsonl", k_scores);
  auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + scores.string() +
                                  "' --memory mem/ 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out.rfind("judge: error: report takes no --memory: it compares scores with labels; judge eval "
                        "NOTEBOOKS --memory mem/ > aligned.jsonl writes the aligned judge's scores",
                        0),
            0u)
      << r.out;
  r = judge::test::run_judge("validate --labels '" + labels.string() + "' --notebooks . --memory mem/ 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out.rfind("judge: error: validate takes no --memory: it measures the alignment procedure", 0),
            0u)
      << r.out;
  // Neither lists it in its help.
  EXPECT_EQ(judge::test::run_judge("report --help").out.find("  --memory "), std::string::npos);
  EXPECT_EQ(judge::test::run_judge("validate --help").out.find("  --memory "), std::string::npos);
}

// A score with a status other than scored contradicts itself (judge eval writes none): a problem on its line.
TEST(ReportCli, AScoreWithAnotherStatusIsRefused) {
  const auto labels = write_temp("status_labels.csv", k_labels);
  const auto scores = write_temp("status_scores.csv",
                                 "item,dimension,status,score,judge\na.ipynb,model_use,not_applicable,5,h\n"
                                 "a.ipynb,model_training,unscored,2,h\nsub/b.ipynb,model_use,scored,2,h\n");
  const auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" +
                                        scores.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "judge: error: 2 problems in scores " + scores.string() + ":\n  " + scores.string() +
                ":2: status not_applicable but score 5: give status scored, or no score (NA, null)\n  " +
                scores.string() +
                ":3: status unscored but score 2: give status scored, or no score (NA, null)\n")
      << r.out;
}

TEST(ReportCli, JsonCsvJunitAndGateExitCode) {
  const auto labels = write_temp("labels.csv", k_labels), scores = write_temp("scores.jsonl", k_scores);
  const std::string args =
      "report --labels '" + labels.string() + "' --scores '" + scores.string() + "' --bootstrap 100";
  auto r = judge::test::run_judge(args + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  const auto& d = j["judges"][0]["dimensions"][0];
  for (const char* key : {"dimension", "n", "mae", "mae_ci", "bias", "qwk", "spearman", "exact", "within1"})
    EXPECT_TRUE(d.contains(key)) << key;
  EXPECT_EQ(d["mae_ci"].size(), 2u);
  EXPECT_TRUE(j["judges"][0]["dimensions"][1]["mae"].is_null());

  // Same seed, same intervals.
  const auto seeded = [&](int seed) {
    return nlohmann::json::parse(
        judge::test::run_judge(args + " --format json --seed " + std::to_string(seed))
            .out)["judges"][0]["dimensions"][0]["mae_ci"];
  };
  EXPECT_EQ(seeded(5), seeded(5));
  r = judge::test::run_judge(args + " --format junit --fail-if 'mae:model_training>1' 2>/dev/null");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("<testcase classname=\"judge.heuristic\" name=\"model_training\">"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("<testcase classname=\"judge.heuristic\" name=\"model_use\">"), std::string::npos);
  EXPECT_NE(r.out.find("<failure message=\"mae:model_training 1.25 &gt; 1"), std::string::npos) << r.out;
  // failures counts testcases: two failed gates on model_training are one failed testcase.
  r = judge::test::run_judge(
      args + " --format junit --fail-if 'mae:model_training>1' --fail-if 'mae:*>0.5' 2>/dev/null");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("<testsuites name=\"judge report\" tests=\"3\" failures=\"2\">"), std::string::npos)
      << r.out;  // model_training, and model_use (no pairs: undefined)
  // A control character in a gate's text does not make the XML ill-formed.
  r = judge::test::run_judge(args +
                             " --format junit --fail-if \"$(printf 'mae:model_training\\f>2')\" 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.find('\f'), std::string::npos);
  // A gate that passes is listed in its testcase's output with its value, so the CI log shows the margin.
  r = judge::test::run_judge(args + " --format junit --fail-if 'mae:model_training>2' 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(
      r.out.find(
          "passed --fail-if &apos;mae:model_training&gt;2&apos;: mae:model_training 1.25 (fails if &gt; 2)"),
      std::string::npos)
      << r.out;

  // Labels from a pipe: read once (the default rubric's check does not read the file again).
  r = judge::test::run_judge("report --labels /dev/stdin --scores '" + scores.string() +
                             "' --bootstrap 100 --format csv < '" + labels.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("heuristic,model_training,2,1.250000,"), std::string::npos) << r.out;

  r = judge::test::run_judge(args + " --format csv");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("heuristic,model_training,2,1.250000,"), std::string::npos) << r.out;

  r = judge::test::run_judge(args + " --fail-if 'mae<0.5' --format markdown");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("| model_training | 2 | 1.250 |"), std::string::npos) << r.out;
  EXPECT_EQ(judge::test::run_judge(args + " --fail-if 'rmse>1' 2>/dev/null").exit_code, 2);
  // The new gates from the command line: 1 unscored record fails 'unscored>0' (exit 3) and says its value;
  // mae_change without --compare is a usage error (exit 2).
  r = judge::test::run_judge(args + " --fail-if 'unscored>0' --fail-if 'na_disagree:model_training>0' 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("gate failed: --fail-if 'unscored>0': unscored 1 > 0"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("gate failed: --fail-if 'na_disagree"), std::string::npos) << r.out;
  r = judge::test::run_judge(args + " --fail-if 'mae_change>0' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("give --compare"), std::string::npos) << r.out;
}

// A gate given twice is one gate, checked once: the report's gates list and stderr each say it once, as
// given once, not "each of its 2 checks" (model_training's MAE is 1.25, worked by hand above). The same gate
// written another way ('mae:model_training > 2.0') is the same gate too, named as first given.
TEST(ReportCli, AGateGivenTwiceIsCheckedOnce) {
  const auto labels = write_temp("labels.csv", k_labels), scores = write_temp("scores.jsonl", k_scores);
  const std::string args =
      "report --labels '" + labels.string() + "' --scores '" + scores.string() + "' --bootstrap 100";
  const std::string line =
      "--fail-if 'mae:model_training>2': mae:model_training 1.25 (fails if > 2) (judge heuristic)";
  for (const std::string second : {"'mae:model_training>2'", "'mae:model_training > 2.0'"}) {
    SCOPED_TRACE(second);
    auto r = judge::test::run_judge(args + " --fail-if 'mae:model_training>2' --fail-if " + second + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("gates\n  passed " + line + "\n\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("judge: gate passed: " + line + "\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("checks"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("> 2.0'"), std::string::npos) << r.out;
    r = judge::test::run_judge(args + " --format json --fail-if 'mae:model_training>2' --fail-if " + second);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["gates"].size(), 1u) << r.out;
  }
  // Failing, it is one failure: one stderr line, one JUnit failure.
  auto r = judge::test::run_judge(args +
                                  " --format junit --fail-if 'mae:model_training>1' --fail-if "
                                  "'mae:model_training>1' 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  const std::string failed = "judge: gate failed: --fail-if 'mae:model_training>1'";
  ASSERT_NE(r.out.find(failed), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(failed, r.out.find(failed) + 1), std::string::npos) << r.out;
  const std::string failure = "<failure message=";
  ASSERT_NE(r.out.find(failure), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(failure, r.out.find(failure) + 1), std::string::npos) << r.out;
}

// --fail-if 'labels_without_score>0' fails on labels the scores have no record for, which 'unscored>0' does
// not count: of four labels, c's has no record (c was not judged) and b's model_use none (b was judged on
// model_training only); no record is unscored. The JSON report says the same 2.
TEST(ReportCli, LabelsWithoutScoreGate) {
  const auto labels = write_temp("lws_labels.csv",
                                 "notebook,dimension,score\n"
                                 "a.ipynb,model_training,2\nb.ipynb,model_training,1\n"
                                 "b.ipynb,model_use,2\nc.ipynb,model_training,3\n");
  const auto scores = write_temp("lws_scores.csv",
                                 "item,dimension,score,judge\na.ipynb,model_training,2,h\n"
                                 "b.ipynb,model_training,2,h\n");
  const std::string args =
      "report --labels '" + labels.string() + "' --scores '" + scores.string() + "' --bootstrap 20";
  auto r = judge::test::run_judge(args + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["judges"][0]["labels_without_score"], 2);
  r = judge::test::run_judge(args + " --fail-if 'unscored>0' --fail-if 'labels_without_score>0' 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(
      r.out.find("gate failed: --fail-if 'labels_without_score>0': labels_without_score 2 > 0 (judge h)"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("gate failed: --fail-if 'unscored>0'"), std::string::npos) << r.out;
  r = judge::test::run_judge(args + " --fail-if 'labels_without_score:model_training>=1' 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("labels_without_score:model_training 1 >= 1 (judge h)"), std::string::npos) << r.out;
  EXPECT_EQ(judge::test::run_judge(args + " --fail-if 'labels_without_score>2' >/dev/null 2>&1").exit_code,
            0);
}

// The scores have no record of model_use at all (the report's dimensions_without_scores), so a gate on it
// still sees its one label (b's): labels_without_score:model_use is 1, not a usage error; '*' counts it
// beside model_training's 1 (c's); mae there is undefined and fails; a misspelt dimension stays exit 2.
TEST(ReportCli, LabelsWithoutScoreGateOnADimensionNeverScored) {
  const auto labels = write_temp("lws_unscored_dim_labels.csv",
                                 "notebook,dimension,score\n"
                                 "a.ipynb,model_training,2\nb.ipynb,model_training,1\n"
                                 "b.ipynb,model_use,2\nc.ipynb,model_training,3\n");
  const auto scores = write_temp("lws_unscored_dim_scores.csv",
                                 "item,dimension,score,judge\na.ipynb,model_training,2,h\n"
                                 "b.ipynb,model_training,2,h\n");
  const std::string args =
      "report --labels '" + labels.string() + "' --scores '" + scores.string() + "' --bootstrap 20";
  auto r = judge::test::run_judge(args + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["judges"][0]["dimensions_without_scores"],
            nlohmann::json::array({"model_use"}));
  r = judge::test::run_judge(args + " --fail-if 'labels_without_score:model_use>0' 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("gate failed: --fail-if 'labels_without_score:model_use>0': "
                       "labels_without_score:model_use 1 > 0 (judge h)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(judge::test::run_judge(args + " --fail-if 'labels_without_score:model_use>1' >/dev/null 2>&1")
                .exit_code,
            0);
  EXPECT_EQ(judge::test::run_judge(args + " --fail-if 'unscored:model_use>0' >/dev/null 2>&1").exit_code, 0);
  r = judge::test::run_judge(args + " --fail-if 'labels_without_score:*>0' 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("labels_without_score:model_training 1 > 0 (judge h)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("labels_without_score:model_use 1 > 0 (judge h)"), std::string::npos) << r.out;
  r = judge::test::run_judge(args + " --fail-if 'mae:model_use>1' 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("mae:model_use undefined"), std::string::npos) << r.out;
  r = judge::test::run_judge(args + " --fail-if 'labels_without_score:model_usr>0' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("(did you mean \"model_use\"? it has: model_training, model_use)"), std::string::npos)
      << r.out;
  // JUnit: the failed gate is a failure of a model_use testcase of its own (2 dimensions + the mean).
  r = judge::test::run_judge(args +
                             " --format junit --fail-if 'labels_without_score:model_use>0' 2>/dev/null");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("tests=\"3\" failures=\"1\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("name=\"model_use\">\n      <failure"), std::string::npos) << r.out;
}

TEST(ReportCli, HtmlRendersInHeadlessChromium) {
  const auto labels = write_temp("labels.csv", k_labels), scores = write_temp("scores.jsonl", k_scores);
  const fs::path html = temp_dir() / "report.html";
  auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + scores.string() +
                                  "' --bootstrap 100 --calibrate --folds 2 --format html --output '" +
                                  html.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(html);
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(page.find("http://"), page.find("http://www.w3.org/2000/svg"));  // no network resource
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_NE(page.find("says &lt;b&gt;"), std::string::npos);  // the rationale, escaped, beside the feedback
  if (!fs::exists("/usr/bin/chromium"))
    JUDGE_SKIP_MISSING("chromium not installed (scripts/deps --test installs it)");
  const fs::path profile = temp_dir() / "chromium-profile";
  r = judge::test::run_command(
      "/usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --user-data-dir='" +
      profile.string() + "' --dump-dom 'file://" + html.string() + "' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0);
  // The DOM after rendering holds the chart: the svg, its bars (raw and calibrated) and whiskers.
  EXPECT_NE(r.out.find("<svg class=\"mae-chart\" id=\"mae-chart-0\""), std::string::npos)
      << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("<rect class=\"bar raw\""), std::string::npos);
  EXPECT_NE(r.out.find("<rect class=\"bar calibrated\""), std::string::npos);
  EXPECT_NE(r.out.find("<line class=\"whisker\""), std::string::npos);
  EXPECT_NE(r.out.find("<table class=\"cm\">"), std::string::npos);
}

TEST(ReportCli, HannaMatchesNumpySklearnScipy) {
  JUDGE_REQUIRE_SHARED_DATA();
  JUDGE_REQUIRE_PYTHON("sklearn, scipy, numpy");
  const fs::path hanna = judge::test::shared_data() / "judgments/hanna";
  auto r = judge::test::run_judge("report --labels '" + (hanna / "hanna_labels.csv").string() +
                                  "' --scores '" + (hanna / "hanna_judge_scores.csv").string() +
                                  "' --judge chatgpt-prompt1 --bootstrap 200 --format json");
  ASSERT_EQ(r.exit_code, 0);
  const auto j = nlohmann::json::parse(r.out);
  // Independent computation: human score = mean of the three raters; exact/QWK on scores rounded half up,
  // on the scale from the floor of the lowest to the ceiling of the highest score of the labels and the judge
  // (its empathy scores go down to 0.3333, so 0..5: rounded to 0, not clamped to 1).
  const auto expected = judge::test::python_numbers(R"(
import csv, collections, numpy as np
from sklearn.metrics import cohen_kappa_score
from scipy.stats import spearmanr
h = collections.defaultdict(list); s = {}
for r in csv.DictReader(open(')" + (hanna / "hanna_labels.csv").string() +
                                                    R"(')):
    h[(r['item'], r['dimension'])].append(float(r['score']))
for r in csv.DictReader(open(')" + (hanna / "hanna_judge_scores.csv").string() +
                                                    R"(')):
    if r['judge'] == 'chatgpt-prompt1': s[(r['item'], r['dimension'])] = float(r['score'])
every = [v for l in h.values() for v in l] + list(s.values())
lo, hi = int(np.floor(min(every))), int(np.ceil(max(every)))
rnd = lambda x: np.floor(np.asarray(x) + 0.5).astype(int)
for c in ['relevance', 'coherence', 'empathy', 'surprise', 'engagement', 'complexity']:
    keys = sorted(k for k in s if k[1] == c)
    j = np.array([s[k] for k in keys]); m = np.array([np.mean(h[k]) for k in keys])
    print(len(keys), np.mean(np.abs(j - m)), np.mean(j - m), spearmanr(j, m)[0],
          cohen_kappa_score(rnd(j), rnd(m), weights='quadratic', labels=list(range(lo, hi + 1))),
          np.mean(rnd(j) == rnd(m)))
)");
  const auto& dims = j["judges"][0]["dimensions"];
  ASSERT_EQ(expected.size(), dims.size() * 6);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    SCOPED_TRACE(dims[i]["dimension"].get<std::string>());
    EXPECT_EQ(dims[i]["n"].get<double>(), expected[i * 6]);
    EXPECT_NEAR(dims[i]["mae"].get<double>(), expected[i * 6 + 1], 1e-9);
    EXPECT_NEAR(dims[i]["bias"].get<double>(), expected[i * 6 + 2], 1e-9);
    EXPECT_NEAR(dims[i]["spearman"].get<double>(), expected[i * 6 + 3], 1e-9);
    EXPECT_NEAR(dims[i]["qwk"].get<double>(), expected[i * 6 + 4], 1e-9);
    EXPECT_NEAR(dims[i]["exact"].get<double>(), expected[i * 6 + 5], 1e-12);
  }
}

TEST(ReportCli, SecondRaterAsAJudgeReproducesTheLabelsReadme) {
  JUDGE_REQUIRE_SHARED_DATA();
  // ../shared/data/labels/README.md gives rater1 vs rater2 agreement (computed by the data's authors):
  // model_training 28 pairs, MAE 0.14, exact 86%, 1 N/A disagreement of 40; cell_organization 40 pairs, MAE
  // 0.07; mean over dimensions MAE 0.05. Here rater2's rows become a judge's scores, rater1 the labels.
  const auto set = judge::labels::read_labels(judge::test::shared_data() / "labels/ml-notebooks.csv");
  std::string scores = "item,dimension,score,judge\n";
  for (const auto& l : set.labels)
    if (l.rater == "rater2")
      scores += l.item + "," + l.dimension + "," + (l.score ? std::to_string(*l.score) : "NA") + ",rater2\n";
  const auto scores_file = write_temp("rater2.csv", scores);
  auto r = judge::test::run_judge(
      "report --labels '" + (judge::test::shared_data() / "labels/ml-notebooks.csv").string() +
      "' --scores '" + scores_file.string() + "' --raters rater1 --bootstrap 100 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> dims;
  for (const auto& d : j["judges"][0]["dimensions"]) dims[d["dimension"]] = d;
  EXPECT_EQ(dims["model_training"]["n"], 28);
  EXPECT_NEAR(dims["model_training"]["mae"].get<double>(), 0.14, 0.005);
  EXPECT_NEAR(dims["model_training"]["exact"].get<double>(), 0.86, 0.005);
  const auto& na = dims["model_training"]["not_applicable"];
  EXPECT_EQ(na["judge_na_only"].get<int>() + na["human_na_only"].get<int>(), 1);
  EXPECT_EQ(dims["cell_organization"]["n"], 40);
  EXPECT_NEAR(dims["cell_organization"]["mae"].get<double>(), 0.07, 0.005);
  EXPECT_NEAR(j["judges"][0]["mean_mae"].get<double>(), 0.05, 0.005);
}

TEST(ReportCli, ItemMatchingSeveralBySuffixIsRefused) {
  // Label a.ipynb ends both scored paths: taking either would be a guess.
  const fs::path labels =
      write_temp("ambiguous_labels.csv", "notebook,dimension,score\na.ipynb,model_use,2\n");
  const fs::path scores = write_temp(
      "ambiguous_scores.jsonl",
      R"({"notebook": "/x/a.ipynb", "dimension": "model_use", "status": "scored", "score": 2, "judge": "h"}
{"notebook": "/y/a.ipynb", "dimension": "model_use", "status": "scored", "score": 3, "judge": "h"}
)");
  auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + scores.string() +
                                  "' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("label item 'a.ipynb' matches several scored items by path suffix: /x/a.ipynb, "
                       "/y/a.ipynb; pass paths relative to the same root"),
            std::string::npos)
      << r.out;
  // Two label items ending with the same scored path: the score would be compared with both.
  const fs::path labels2 = write_temp(
      "ambiguous_labels2.csv", "notebook,dimension,score\np/a.ipynb,model_use,2\nq/a.ipynb,model_use,1\n");
  const fs::path scores2 = write_temp(
      "ambiguous_scores2.jsonl",
      R"({"notebook": "a.ipynb", "dimension": "model_use", "status": "scored", "score": 2, "judge": "h"}
)");
  r = judge::test::run_judge("report --labels '" + labels2.string() + "' --scores '" + scores2.string() +
                             "' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("scored item 'a.ipynb' matches several label items by path suffix: p/a.ipynb, "
                       "q/a.ipynb"),
            std::string::npos)
      << r.out;
}

// Two runs in two files (--scores repeated): each judge measured on its own; model_training by hand with the
// labels' mean (a: (3+2)/2 = 2.5, b: 1): heuristic |3-2.5| + |3-1| -> 1.25, "other" |2-2.5| + |1-1| -> 0.25.
// The same judge scoring the same item in both files is refused (two runs of one judge must be named apart
// with judge eval --name); the parts of one run, on different notebooks, are taken (tests/cli/shard_test).
TEST(ReportCli, ScoresFromSeveralFilesAndEvalName) {
  const auto labels = write_temp("labels.csv", k_labels), first = write_temp("scores.jsonl", k_scores);
  const auto second = write_temp(
      "other.jsonl",
      R"({"notebook": "/data/nbs/a.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "other"}
{"notebook": "/data/nbs/sub/b.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "other"}
)");
  const std::string args = "report --labels '" + labels.string() +
                           "' --bootstrap 100 --format json --scores '" + first.string() + "' --scores '" +
                           second.string() + "'";
  auto r = judge::test::run_judge(args);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::map<std::string, double> mae;
  const auto parsed = nlohmann::json::parse(r.out);
  for (const auto& j : parsed["judges"])
    for (const auto& d : j["dimensions"])
      if (d["dimension"] == "model_training") mae[j["judge"].get<std::string>()] = d["mae"].get<double>();
  ASSERT_EQ(mae.size(), 2u) << r.out;
  EXPECT_DOUBLE_EQ(mae.at("heuristic"), 1.25);
  EXPECT_DOUBLE_EQ(mae.at("other"), 0.25);
  // Two runs of one judge (a copy of the file stands for the second run): an item scored in both.
  const auto copy = first.parent_path() / "second-run.jsonl";
  std::filesystem::copy_file(first, copy, std::filesystem::copy_options::overwrite_existing);
  r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + first.string() +
                             "' --scores '" + copy.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("judge 'heuristic' scores /data/nbs/a.ipynb / model_training in both " +
                       first.string() + ":1 and " + copy.string() + ":1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("judge eval --name"), std::string::npos) << r.out;

  r = judge::test::run_judge(
      "eval examples/notebooks/churn_good.ipynb --dimensions model_use --format jsonl --name "
      "heuristic+memory");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["judge"], "heuristic+memory");
}

TEST(ReportCli, ScaleWithoutRubricSpansLabelsAndJudgeScores) {
  JUDGE_REQUIRE_PYTHON("sklearn");
  // Labels 2 and 3; the judge gives iris_bad a 1. The scale must reach 1, or the 1 is clamped to 2 and
  // exact agreement and QWK come out as 1.0. Dimension clarity is no dimension of the built-in rubric, so the
  // scale is inferred.
  const fs::path labels =
      write_temp("scale_labels.csv", "notebook,dimension,score\niris_bad,clarity,2\nchurn_good,clarity,3\n");
  const fs::path scores = write_temp(
      "scale_scores.csv", "item,dimension,score,judge\niris_bad,clarity,1,h\nchurn_good,clarity,3,h\n");
  const std::string args =
      "report --labels '" + labels.string() + "' --scores '" + scores.string() + "' --bootstrap 50";
  // The same files on model_use, a dimension of the built-in rubric: its scale, 1..3 too.
  const fs::path rubric_labels = write_temp(
      "scale_rubric_labels.csv", "notebook,dimension,score\niris_bad,model_use,2\nchurn_good,model_use,3\n");
  const fs::path rubric_scores =
      write_temp("scale_rubric_scores.csv",
                 "item,dimension,score,judge\niris_bad,model_use,1,h\nchurn_good,model_use,3,h\n");
  const std::string rubric_args = "report --labels '" + rubric_labels.string() + "' --scores '" +
                                  rubric_scores.string() + "' --bootstrap 50";
  auto r = judge::test::run_judge(args + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["scale"]["min"], 1);
  EXPECT_EQ(j["scale"]["max"], 3);
  const auto& d = j["judges"][0]["dimensions"][0];
  EXPECT_DOUBLE_EQ(d["mae"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(d["exact"].get<double>(), 0.5);
  const auto qwk = judge::test::python_numbers(
      "from sklearn.metrics import cohen_kappa_score as k\n"
      "print(k([2, 3], [1, 3], weights='quadratic', labels=range(1, 4)))\n");  // 0.667
  ASSERT_EQ(qwk.size(), 1u);
  EXPECT_NEAR(d["qwk"].get<double>(), qwk[0], 1e-12);
  // The header says where the scale came from.
  r = judge::test::run_judge(args);
  EXPECT_NE(r.out.find("scale 1..3 (inferred from the labels and judge scores)"), std::string::npos) << r.out;
  // With the rubric's scale, by default or by --rubric, the same scale: same figures.
  for (const std::string rubric : {"", " --rubric rubrics/ml-notebook.yaml"}) {
    r = judge::test::run_judge(rubric_args + rubric + " --format json");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NEAR(nlohmann::json::parse(r.out)["judges"][0]["dimensions"][0]["qwk"].get<double>(), qwk[0],
                1e-12);
  }
  // A judge score off the rubric's scale is an error naming its line, never clamped.
  const fs::path off = write_temp("scale_off.csv", "item,dimension,score,judge\niris_bad,model_use,5,h\n");
  r = judge::test::run_judge("report --labels '" + rubric_labels.string() + "' --scores '" + off.string() +
                             "' --rubric rubrics/ml-notebook.yaml 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("scale_off.csv:2: score 5 of iris_bad (model_use) is off the scale 1..3 of rubric "
                       "ml-notebook"),
            std::string::npos)
      << r.out;
}

// Without --rubric, labels and scores that name only dimensions of the built-in ml-notebook rubric (scale
// 1..3 or NA) are checked against it as judge align checks them: a label 4 is an error naming its line and
// what to do, not a scale widened to 1..4 with the 4 in the MAE; a judge score 4 is an error naming its line.
// --rubric ml-notebook (the name the header prints) is that rubric too.
TEST(ReportCli, FilesOfTheDefaultRubricsDimensionsAreCheckedAgainstItsScale) {
  const fs::path labels = write_temp("default_labels.csv",
                                     "notebook,dimension,score\na,model_use,2\nb,model_use,4\n"
                                     "b,model_training,NA\n");
  const fs::path scores = write_temp("default_scores.csv",
                                     "item,dimension,score,judge\na,model_use,2,h\nb,model_use,3,h\n"
                                     "b,model_training,1,h\n");
  const std::string args =
      "report --labels '" + labels.string() + "' --scores '" + scores.string() + "' --bootstrap 10";
  auto r = judge::test::run_judge(args + " 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "judge: error: 1 problem in labels " + labels.string() + ":\n  " + labels.string() +
                ":3: score 4 is off the scale (1..3 or NA)\n(the labels and scores name only dimensions "
                "of rubric ml-notebook, so they are checked against it: fix the labels, or give --rubric "
                "FILE with the rubric they were scored on)\n");
  r = judge::test::run_judge(args + " --rubric ml-notebook 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: 1 problem in labels " + labels.string() + ":\n  " + labels.string() +
                       ":3: score 4 is off the scale (1..3 or NA)\n");
  // The label fixed: the rubric's scale, by default and by name alike; MAE (0 + 1) / 2 on model_use.
  const fs::path fixed = write_temp(
      "default_fixed.csv", "notebook,dimension,score\na,model_use,2\nb,model_use,2\nb,model_training,NA\n");
  const std::string fixed_args =
      "report --labels '" + fixed.string() + "' --scores '" + scores.string() + "' --bootstrap 10";
  for (const std::string rubric : {"", " --rubric ml-notebook"}) {
    r = judge::test::run_judge(fixed_args + rubric + " --format json");
    ASSERT_EQ(r.exit_code, 0) << rubric << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["scale"]["min"], 1);
    EXPECT_EQ(j["scale"]["max"], 3);
    EXPECT_EQ(j["judges"][0]["dimensions"][0]["dimension"], "model_use");
    EXPECT_DOUBLE_EQ(j["judges"][0]["dimensions"][0]["mae"].get<double>(), 0.5);
    r = judge::test::run_judge(fixed_args + rubric);
    EXPECT_NE(r.out.find("scale 1..3 (rubric ml-notebook)"), std::string::npos) << r.out;
  }
  // A judge score off the rubric's scale: an error naming its line.
  const fs::path off =
      write_temp("default_off.csv", "item,dimension,score,judge\na,model_use,2,h\nb,model_use,4,h\n");
  r = judge::test::run_judge("report --labels '" + fixed.string() + "' --scores '" + off.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "judge: error: 1 problem in scores " + off.string() + ":\n  " + off.string() +
                ":3: score 4 of b (model_use) is off the scale 1..3 of rubric ml-notebook (fix the score, "
                "or give --rubric the rubric it was scored on)\n");
  // Scores read from two files (two judges): each problem names the file its record is in, not the first.
  const fs::path other =
      write_temp("default_other.csv", "item,dimension,score,judge\na,model_use,5,g\nb,model_use,2,g\n");
  r = judge::test::run_judge("report --labels '" + fixed.string() + "' --scores '" + other.string() +
                             "' --scores '" + off.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: 2 problems in scores " + other.string() + ", " + off.string() + ":\n  " +
                       other.string() +
                       ":2: score 5 of a (model_use) is off the scale 1..3 of rubric ml-notebook (fix the "
                       "score, or give --rubric the rubric it was scored on)\n  " +
                       off.string() +
                       ":3: score 4 of b (model_use) is off the scale 1..3 of rubric ml-notebook (fix the "
                       "score, or give --rubric the rubric it was scored on)\n");
}

// Files that name a dimension the default rubric lacks (a custom rubric's) keep the inferred scale, said in
// the header: 1..4 from the labels 2, 4 and the scores 1, 4. When they name some of its dimensions too and
// the others are each a few typos from one of its own (model_uze), they are its files misspelt: its scale
// stands, a label of the misspelt dimension no score names is an error, and one the scores name too (or a
// score of it alone) a warning. When a
// dimension is no near miss (clarity beside model_use), stderr says the scores are not checked; the scale
// 2..4 spans labels 2, 3, 4 and scores 2, 3.
TEST(ReportCli, FilesOfAnotherRubricInferTheScale) {
  const fs::path labels =
      write_temp("custom_labels.csv", "notebook,dimension,score\na,clarity,2\nb,clarity,4\n");
  const fs::path scores =
      write_temp("custom_scores.csv", "item,dimension,score,judge\na,clarity,1,h\nb,clarity,4,h\n");
  auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + scores.string() +
                                  "' --bootstrap 10 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("scale 1..4 (inferred from the labels and judge scores)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("warning"), std::string::npos) << r.out;
  const fs::path misspelt = write_temp(
      "misspelt_labels.csv", "notebook,dimension,score\na,model_use,2\nb,model_use,7\na,model_uze,2\n");
  const fs::path mixed_scores =
      write_temp("mixed_scores.csv", "item,dimension,score,judge\na,model_use,2,h\nb,model_use,3,h\n");
  // A label of a misspelt dimension measures nothing, and a gate on the rest would pass: an error naming its
  // line and the dimension meant, with the other problems of the labels (b's 7) in the same run.
  r = judge::test::run_judge("report --labels '" + misspelt.string() + "' --scores '" +
                             mixed_scores.string() + "' --bootstrap 10 --fail-if 'mae>1' 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out.find("judge: warning"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("judge: error: 2 problems in labels " + misspelt.string() + ":\n  " + misspelt.string() +
                 ":3: score 7 is off the scale (1..3 or NA)\n  " + misspelt.string() +
                 ":4: unknown dimension \"model_uze\" (did you mean \"model_use\"?"),
      std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("(the labels and scores name dimensions of rubric ml-notebook, so they are checked "
                 "against it: fix the labels, or give --rubric FILE with the rubric they were scored on)"),
      std::string::npos)
      << r.out;
  // The same misspelling in the scores alone (the judge's), or in both files (one run of an older rubric,
  // whose pairs are measured): a warning, and the labels measured on 1..3; a label of the misspelt dimension
  // must be a point of the scale (2.5 is not), said with a problem of a known dimension (b's 7) in one run.
  const fs::path misspelt_scores =
      write_temp("misspelt_scores.csv",
                 "item,dimension,score,judge\na,model_use,2,h\nb,model_use,3,h\na,model_uze,2,h\n");
  const std::string warned =
      "judge: warning: model_uze (did you mean \"model_use\"?) is not a dimension of rubric ml-notebook "
      "(misspelt? fix it, or give --rubric FILE with the rubric the files follow); the other labels are "
      "checked against it, and every label and score against its scale\n";
  const fs::path good =
      write_temp("good_labels.csv", "notebook,dimension,score\na,model_use,2\nb,model_use,3\n");
  const fs::path both = write_temp("both_labels.csv",
                                   "notebook,dimension,score\na,model_use,2\nb,model_use,3\na,model_uze,2\n");
  for (const auto& l : {good, both}) {
    r = judge::test::run_judge("report --labels '" + l.string() + "' --scores '" + misspelt_scores.string() +
                               "' --bootstrap 10 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out.find(warned), 0u) << r.out;
    EXPECT_NE(r.out.find("scale 1..3 (rubric ml-notebook)"), std::string::npos) << r.out;
  }
  // Both files name model_uze and the labels also misspell another no score names: the error names that
  // one alone (line 5), not model_uze's label (renamed, it would match no score). Scores of model_uze that
  // are all unscored measure nothing: its label is then an error too.
  const fs::path mixed_typos = write_temp("mixed_typos.csv",
                                          "notebook,dimension,score\na,model_use,2\n"
                                          "b,model_use,3\na,model_uze,2\n"
                                          "a,library_instalation,1\n");
  r = judge::test::run_judge("report --labels '" + mixed_typos.string() + "' --scores '" +
                             misspelt_scores.string() + "' --bootstrap 10 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("judge: error: 1 problem in labels " + mixed_typos.string() + ":\n  " +
                       mixed_typos.string() + ":5: unknown dimension \"library_instalation\""),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("model_uze\" ("), std::string::npos) << r.out;
  const fs::path unscored_typos = write_temp(
      "unscored_typos.jsonl",
      "{\"item\": \"a\", \"dimension\": \"model_use\", \"judge\": \"h\", \"status\": \"scored\", \"score\": "
      "2}\n"
      "{\"item\": \"a\", \"dimension\": \"model_uze\", \"judge\": \"h\", \"status\": \"unscored\"}\n");
  r = judge::test::run_judge("report --labels '" + both.string() + "' --scores '" + unscored_typos.string() +
                             "' --bootstrap 10 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(both.string() + ":4: unknown dimension \"model_uze\""), std::string::npos) << r.out;
  const fs::path half = write_temp(
      "misspelt_half.csv", "notebook,dimension,score\na,model_use,2\nb,model_use,7\na,model_uze,2.5\n");
  r = judge::test::run_judge("report --labels '" + half.string() + "' --scores '" + misspelt_scores.string() +
                             "' --bootstrap 10 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(
      r.out.find(half.string() +
                 ":3: score 7 is off the scale (1..3 or NA)\nand 1 problem of misspelt "
                 "dimensions:\n  " +
                 half.string() +
                 ":4: score 2.5 is not a point of the scale (1..3 of rubric ml-notebook; or give --rubric "
                 "FILE with the rubric the labels follow)\n"),
      std::string::npos)
      << r.out;
  // A custom rubric's dimension three edits from a built-in one (model_tuning, model_training) is its own,
  // not a misspelling: the scale is inferred (4..5).
  const fs::path tuning =
      write_temp("tuning_labels.csv", "notebook,dimension,score\na,model_training,5\nb,model_tuning,4\n");
  const fs::path tuning_scores = write_temp(
      "tuning_scores.csv", "item,dimension,score,judge\na,model_training,4,h\nb,model_tuning,5,h\n");
  r = judge::test::run_judge("report --labels '" + tuning.string() + "' --scores '" + tuning_scores.string() +
                             "' --bootstrap 10 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("scale 4..5 (inferred from the labels and judge scores)"), std::string::npos) << r.out;
  const fs::path mixed =
      write_temp("mixed_labels.csv", "notebook,dimension,score\na,model_use,2\nb,model_use,3\na,clarity,4\n");
  r = judge::test::run_judge("report --labels '" + mixed.string() + "' --scores '" + mixed_scores.string() +
                             "' --bootstrap 10 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: the scale is inferred: clarity is not a dimension of rubric "
                 "ml-notebook, so the scores are not checked against its scale (misspelt? --rubric FILE "
                 "checks them against a rubric)\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("scale 2..4 (inferred from the labels and judge scores)"), std::string::npos) << r.out;
}

// The default rubric is the configured one (setting rubric, here of --config's judge.yaml): a 1..5 rubric of
// dimension model_use takes the label 4 and measures on 1..5; a label 6 is off its scale, the error naming
// where the setting came from.
TEST(ReportCli, TheConfiguredRubricIsTheDefault) {
  const judge::test::TempDir dir("report_configured_rubric");
  dir.write("five.yaml", R"(id: five
scale: [{score: 1, name: a}, {score: 2, name: b}, {score: 3, name: c}, {score: 4, name: d}, {score: 5, name: e}]
dimensions:
  - id: model_use
    description: Uses the model.
    levels: {1: a, 2: b, 3: c, 4: d, 5: e}
)");
  const fs::path config = dir.write("judge.yaml", "rubric: five.yaml\n");
  const fs::path labels = dir.write("labels.csv", "notebook,dimension,score\na,model_use,4\nb,model_use,2\n");
  const fs::path scores =
      dir.write("scores.csv", "item,dimension,score,judge\na,model_use,5,h\nb,model_use,2,h\n");
  auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + scores.string() +
                                  "' --bootstrap 10 --config '" + config.string() + "' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("scale 1..5 (rubric five)"), std::string::npos) << r.out;
  const fs::path six = dir.write("six.csv", "notebook,dimension,score\na,model_use,6\n");
  r = judge::test::run_judge("report --labels '" + six.string() + "' --scores '" + scores.string() +
                             "' --config '" + config.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: 1 problem in labels " + six.string() + ":\n  " + six.string() +
                       ":2: score 6 is off the scale (1..5)\n(the labels and scores name only dimensions of "
                       "rubric five (setting rubric, " +
                       config.string() +
                       ":1), so they are checked against it: fix the labels, or give --rubric FILE with the "
                       "rubric they were scored on)\n");
  // A rubric file that is not there: the error says which setting named it, and where (the command line
  // does not show it).
  const fs::path missing = dir.write("missing.yaml", "rubric: nope.yaml\n");
  r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + scores.string() +
                             "' --config '" + missing.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: setting rubric (from " + missing.string() + ":1): " +
                       (dir.path() / "nope.yaml").string() + ": cannot open: No such file or directory\n");
  r = judge::test::run_command("cd '" + dir.path().string() + "' && JUDGE_RUBRIC=nope.yaml '" +
                               std::string(JUDGE_BINARY) + "' report --labels '" + labels.string() +
                               "' --scores '" + scores.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "judge: error: setting rubric (from env JUDGE_RUBRIC): nope.yaml: cannot open: No such file or "
            "directory\n");
}

// A misspelt --compare names the judge it probably meant.
TEST(ReportCli, MisspeltCompareSaysDidYouMean) {
  const auto labels = write_temp("labels.csv", k_labels), scores = write_temp("scores.jsonl", k_scores);
  const auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" +
                                        scores.string() + "' --compare heuristc 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "judge: error: --compare \"heuristc\" names no judge in " + scores.string() +
                       " (judges: heuristic); did you mean \"heuristic\"?\n");
}

// A gate on a misspelt dimension is a usage error naming the dimension it probably meant.
TEST(ReportCli, GateOnAMisspeltDimensionSaysDidYouMean) {
  const auto labels = write_temp("labels.csv", k_labels), scores = write_temp("scores.jsonl", k_scores);
  const auto r =
      judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" + scores.string() +
                             "' --bootstrap 10 --fail-if 'mae:model_uze>1' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: --fail-if 'mae:model_uze>1': the report has no dimension \"model_uze\" "
                       "(did you mean \"model_use\"? it has: model_training, model_use)"),
            std::string::npos)
      << r.out;
}

TEST(ReportCli, NamesLabelledDimensionsWithoutAnyScoreAndReadsPassedGatesRight) {
  // model_training is labelled and no score of the judge names it (not judged, or a misspelling in the
  // scores).
  const fs::path labels = write_temp("typo_labels.csv",
                                     "notebook,dimension,score\na,model_use,2\nb,model_use,3\n"
                                     "a,model_training,2\n");
  const fs::path scores =
      write_temp("typo_scores.csv", "item,dimension,score,judge\na,model_use,2,h\nb,model_use,3,h\n");
  const std::string args = "report --labels '" + labels.string() + "' --scores '" + scores.string() +
                           "' --bootstrap 50 --fail-if 'mae>0.35' --fail-if 'exact<0.5'";
  auto r = judge::test::run_judge(args + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 labels without a score (no score at all on labelled dimension model_training"),
            std::string::npos)
      << r.out;
  // MAE 0 and exact 1 pass: the line must not read as if the condition held.
  EXPECT_NE(r.out.find("passed --fail-if 'mae>0.35': mae 0 (fails if > 0.35)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("passed --fail-if 'exact<0.5': exact 1 (fails if < 0.5)"), std::string::npos) << r.out;
  r = judge::test::run_judge(args + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["judges"][0]["dimensions_without_scores"],
            nlohmann::json::array({"model_training"}));
}

// Labels without a score are listed on stderr, each with the score item it probably meant: "nb/./c.ipynb" is
// nb/c.ipynb once "." parts are dropped (a leading "./" alone matches: ./f.ipynb is nb/f.ipynb), d.ipynbb is
// one typo from nb/d.ipynb, e.ipynb has no look-alike, and a.ipynb matched but has no score on
// model_training.
TEST(ReportCli, ListsLabelsWithoutAScoreWithDidYouMean) {
  const fs::path labels =
      write_temp("unmatched_labels.csv",
                 "notebook,dimension,score\na.ipynb,model_use,2\nb.ipynb,model_use,3\n"
                 "nb/./c.ipynb,model_use,1\nnb/d.ipynbb,model_use,1\ne.ipynb,model_use,1\n"
                 "a.ipynb,model_training,2\n./f.ipynb,model_use,3\n");
  const fs::path scores =
      write_temp("unmatched_scores.csv",
                 "item,dimension,score,judge\nnb/a.ipynb,model_use,2,h\nnb/b.ipynb,model_use,3,h\n"
                 "nb/c.ipynb,model_use,1,h\nnb/d.ipynb,model_use,1,h\nnb/f.ipynb,model_use,3,h\n");
  const auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" +
                                        scores.string() + "' --bootstrap 50 2>&1 >/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            "judge: judge h: 4 labels without a score (no score at all on labelled dimension model_training: "
            "misspelt, or not judged?):\n"
            "  nb/./c.ipynb#model_use (did you mean nb/c.ipynb?)\n"
            "  nb/d.ipynbb#model_use (did you mean nb/d.ipynb?)\n"
            "  e.ipynb#model_use\n"
            "  a.ipynb#model_training\n");
}

// More labels without a score than the 20 listed: the 20 first, then "... and N more" for the rest, N = 1
// (21 labels) and 2 (22 labels) counted by hand. u01..u22 are named by no score, and look like none.
TEST(ReportCli, ListsTwentyLabelsWithoutAScoreThenHowManyMore) {
  const fs::path scores =
      write_temp("more_scores.csv", "item,dimension,score,judge\nnb/a.ipynb,model_use,2,h\n");
  auto listed = [&](int unmatched) {
    std::string csv = "notebook,dimension,score\na.ipynb,model_use,2\n";
    for (int i = 1; i <= unmatched; ++i) {
      csv += i < 10 ? "u0" : "u";
      csv += std::to_string(i);
      csv += ".ipynb,model_use,1\n";
    }
    const fs::path labels = write_temp("more_labels" + std::to_string(unmatched) + ".csv", csv);
    const auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" +
                                          scores.string() + "' --bootstrap 10 2>&1 >/dev/null");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return r.out;
  };
  std::string twenty;
  for (int i = 1; i <= 20; ++i) {
    twenty += i < 10 ? "  u0" : "  u";
    twenty += std::to_string(i);
    twenty += ".ipynb#model_use\n";
  }
  EXPECT_EQ(listed(21), "judge: judge h: 21 labels without a score:\n" + twenty + "  ... and 1 more\n");
  EXPECT_EQ(listed(22), "judge: judge h: 22 labels without a score:\n" + twenty + "  ... and 2 more\n");
  EXPECT_EQ(listed(20), "judge: judge h: 20 labels without a score:\n" + twenty);  // all listed: no cut
}

// A scores file whose records are all unscored (or unreadable) says so, instead of "no label matches".
TEST(ReportCli, AllUnscoredScoresSaySo) {
  const fs::path labels =
      write_temp("unscored_labels.csv", "notebook,dimension,score\na.ipynb,model_use,2\n");
  const fs::path scores = write_temp("unscored_scores.csv",
                                     "notebook,dimension,status,score,rationale,judge\n"
                                     "a.ipynb,model_use,unscored,,timeout,h\n"
                                     "b.ipynb,model_use,unreadable,,not valid JSON,h\n");
  const auto r = judge::test::run_judge("report --labels '" + labels.string() + "' --scores '" +
                                        scores.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, "judge: error: every record in " + scores.string() +
                       " is unscored or unreadable (2 records): there is no score to compare with the labels "
                       "(each record's error says why; fix that and run judge eval again)\n");
}

// --calibrate --folds K needs K notebooks with a label and a score, as judge validate needs K notebooks.
TEST(ReportCli, CalibrationWithMoreFoldsThanNotebooksIsRefused) {
  std::string label_text = "notebook,dimension,score\n", score_text = "item,dimension,score,judge\n";
  for (const std::string nb : {"a", "b", "c", "d"}) {
    label_text += nb + ".ipynb,model_use,2\n";
    score_text += nb + ".ipynb,model_use,3,h\n";
  }
  const fs::path labels = write_temp("folds_labels.csv", label_text);
  const fs::path scores = write_temp("folds_scores.csv", score_text);
  const std::string args = "report --labels '" + labels.string() + "' --scores '" + scores.string() +
                           "' --bootstrap 50 --calibrate";
  auto r = judge::test::run_judge(args + " --folds 5 2>&1 >/dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out,
            "judge: error: --folds 5: there are 4 notebooks with both a label and a score of judge h; use "
            "--folds 2 to 4\n");
  EXPECT_EQ(judge::test::run_judge(args + " --folds 4 >/dev/null 2>&1").exit_code, 0);
}

// Notebooks whose records carry flags (judge eval's prompt-injection flag) are listed per judge with every
// score the judge gave them and the resolved human score: a.ipynb is labelled (model_training: mean of 3 and
// 2 = 2.5; model_use: both raters N/A), c.ipynb is not.
TEST(Report, FlaggedNotebooksAreListedWithTheirScores) {
  const char* flagged_scores =
      R"({"notebook": "/data/nbs/a.ipynb", "dimension": "model_training", "status": "scored", "score": 3, "judge": "heuristic", "flags": ["prompt_injection"], "injection_cells": [2]}
{"notebook": "/data/nbs/a.ipynb", "dimension": "model_use", "status": "scored", "score": 2, "judge": "heuristic", "flags": ["prompt_injection"], "injection_cells": [2]}
{"notebook": "/data/nbs/sub/b.ipynb", "dimension": "model_training", "status": "scored", "score": 3, "judge": "heuristic"}
{"notebook": "/data/nbs/c.ipynb", "dimension": "model_use", "status": "not_applicable", "score": null, "judge": "heuristic", "flags": ["prompt_injection"], "injection_cells": [4, 1]}
)";
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  const auto labels_path = write_temp("labels.csv", k_labels);
  const auto scores_path = write_temp("flagged.jsonl", flagged_scores);
  const Measurement r = measure(judge::labels::read_labels(labels_path), read_scores(scores_path), options);
  ASSERT_EQ(r.judges.size(), 1u);
  const auto& flagged = r.judges[0].flagged;
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[0].item, "/data/nbs/a.ipynb");
  EXPECT_EQ(flagged[0].flags, std::vector<std::string>{"prompt_injection"});
  EXPECT_EQ(flagged[0].cells, std::vector<int>{2});
  ASSERT_EQ(flagged[0].scores.size(), 2u);
  EXPECT_EQ(flagged[0].scores[0].dimension, "model_training");
  EXPECT_EQ(flagged[0].scores[0].score, 3.0);
  EXPECT_TRUE(flagged[0].scores[0].labelled);
  EXPECT_EQ(flagged[0].scores[0].human, 2.5);
  EXPECT_TRUE(flagged[0].scores[1].labelled);
  EXPECT_FALSE(flagged[0].scores[1].human);  // both raters said N/A
  EXPECT_EQ(flagged[1].item, "/data/nbs/c.ipynb");
  EXPECT_EQ(flagged[1].cells, (std::vector<int>{1, 4}));
  ASSERT_EQ(flagged[1].scores.size(), 1u);
  EXPECT_EQ(flagged[1].scores[0].status, judge::verdict::Status::not_applicable);
  EXPECT_FALSE(flagged[1].scores[0].labelled);

  const auto tables = sections(r, r.judges[0]);
  const auto& last = tables.back();
  EXPECT_EQ(last.header,
            (std::vector<std::string>{"notebook", "cells", "flags", "dimension", "judge", "human"}));
  EXPECT_EQ(last.rows, (std::vector<std::vector<std::string>>{
                           {"/data/nbs/a.ipynb", "2", "prompt_injection", "model_training", "3", "2.50"},
                           {"", "", "", "model_use", "2", "N/A"},
                           {"/data/nbs/c.ipynb", "1, 4", "prompt_injection", "model_use", "N/A", ""}}));
  EXPECT_EQ(flagged_note(r.judges[0]), ", 2 notebooks flagged (prompt injection)");

  const auto out = judge::test::run_judge("report --labels '" + labels_path.string() + "' --scores '" +
                                          scores_path.string() + "' --bootstrap 50 --format json");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  const auto j = nlohmann::json::parse(out.out)["judges"][0]["flagged"];
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["injection_cells"], nlohmann::json::array({2}));
  EXPECT_EQ(j[0]["scores"][0],
            nlohmann::json::parse(
                R"({"dimension": "model_training", "status": "scored", "score": 3.0, "human": 2.5})"));
  EXPECT_EQ(j[0]["scores"][1]["human"], "N/A");
  EXPECT_FALSE(j[1]["scores"][0].contains("human"));
  const auto text = judge::test::run_judge("report --labels '" + labels_path.string() + "' --scores '" +
                                           scores_path.string() + "' --bootstrap 50");
  EXPECT_NE(text.out.find("notebooks flagged for prompt injection (text that tries to steer the grader)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(", 2 notebooks flagged (prompt injection);"), std::string::npos) << text.out;
}

// The report formats are one list, in --format's order; a name not in it is a usage error naming them all.
TEST(Report, FormatsAreOneList) {
  EXPECT_EQ(format_names(), (std::vector<std::string>{"table", "json", "markdown", "html", "junit", "csv"}));
  EXPECT_EQ(format_list(), "table|json|markdown|html|junit|csv");
  std::ostringstream out;
  try {
    write_report(out, Measurement{}, {}, "yaml");
    ADD_FAILURE() << "no error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find("(table, json, markdown, html, junit, csv)"), std::string::npos);
  }
}
