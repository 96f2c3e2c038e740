// SPDX-License-Identifier: MIT
// judge validate through the built binary (also with an LLM judge, reflection and embeddings at the loopback
// server, configured by judge.yaml), and judge align --calibrate with judge eval --memory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "../fake_llm_server/fake_server.hpp"
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
      const std::string name = std::string("n") + std::to_string(i) + ".ipynb";
      const std::string code =
          i % 2 ? "from sklearn.linear_model import LogisticRegression\nm = LogisticRegression(C=" +
                      std::to_string(i) + ").fit(X, y)"  // each its own code: no near-duplicates
                : "import pandas as pd\ndf = pd.read_csv('d" + std::to_string(i) + ".csv')\ndf.describe()";
      judge::util::write_file_atomic(dir / "nb" / name, ipynb(code));
      csv += name + ",model_training," + (i % 2 ? std::to_string(1 + i % 3) : std::string("NA")) +
             ",Fit once.\n";
      csv += name + ",exploratory_data_analysis," + std::to_string(1 + (i / 2) % 3) + ",Describe only.\n";
    }
    judge::util::write_file_atomic(dir / "labels.csv", csv);
    d = std::string("'") + dir.string() + "'";
  }
  ~CliData() { fs::remove_all(dir); }
  std::string validate(const std::string& more) const {
    return "validate --labels " + d + "/labels.csv --notebooks " + d + "/nb --folds 2 --bootstrap 200 " +
           more + " 2>/dev/null";
  }
  // Runs judge validate in `dir` (so its judge.yaml is read), stderr into dir/stderr.txt.
  judge::test::RunResult validate_here(const std::string& more) const {
    return judge::test::run_command("cd " + d + " && env -u JUDGE_JOBS -u OPENAI_BASE_URL '" + JUDGE_BINARY +
                                    "' validate --labels labels.csv --notebooks nb --bootstrap 200 " + more +
                                    " 2> stderr.txt");
  }
  std::string err() const { return judge::util::read_file(dir / "stderr.txt"); }
};

}  // namespace

TEST(ValidateCli, JsonHasEveryConditionFoldsAndIsDeterministic) {
  CliData data;
  const auto a = run_judge(data.validate("--seed 5 --format json"));
  ASSERT_EQ(a.exit_code, 0) << a.out;
  const auto j = nlohmann::json::parse(a.out);
  std::vector<std::string> judges;
  for (const auto& jr : j["judges"]) judges.push_back(jr["judge"]);
  // The default conditions; calibration is measured only when asked for (below).
  EXPECT_EQ(judges, (std::vector<std::string>{"baseline", "semantic", "episodic", "both"}));
  EXPECT_FALSE(j["validate"].contains("calibration")) << j["validate"].dump();
  EXPECT_FALSE(j["judges"][0].contains("compare"));
  EXPECT_EQ(j["judges"][3]["compare"]["judge"], "baseline");
  EXPECT_EQ(j["validate"]["folds"], 2);
  ASSERT_EQ(j["validate"]["items"].size(), 8u);
  int in_fold0 = 0;
  for (const auto& it : j["validate"]["items"]) in_fold0 += it["fold"] == 0;
  EXPECT_EQ(in_fold0, 4);  // two folds of 8 notebooks: 4 each
  EXPECT_EQ(run_judge(data.validate("--seed 5 --format json")).out, a.out);
}

// --verdicts FILE holds every held-out verdict: per condition, each of the 8 notebooks on each of the 9
// rubric dimensions, with the fold the JSON report gives the notebook and the notebook's label. The baseline
// records are what judge eval says of the notebook (no memory: the fold does not matter), key for key but
// judge (the condition's name; eval's judge is judge_spec), condition, fold and label. judge report reads
// the file back to the figures validate gave each condition.
TEST(ValidateCli, VerdictsFileHoldsEveryHeldOutVerdict) {
  CliData data;
  const fs::path file = data.dir / "verdicts.jsonl";
  const auto r =
      run_judge(data.validate("--conditions baseline,both --format json --verdicts '" + file.string() + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto report = nlohmann::json::parse(r.out);
  std::map<std::string, int> fold;
  for (const auto& it : report["validate"]["items"])
    fold[it["item"].get<std::string>()] = it["fold"].get<int>();
  ASSERT_EQ(fold.size(), 8u);
  std::map<std::string, std::size_t> per_condition;
  std::map<std::pair<std::string, std::string>, nlohmann::json> baseline;
  const std::string written = judge::util::read_file(file);
  for (const auto& line : judge::util::split_lines(written)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    ++per_condition[j["condition"]];
    EXPECT_EQ(j["judge"], j["condition"]) << line;
    EXPECT_EQ(j["judge_spec"], "heuristic") << line;
    EXPECT_EQ(j["fold"], fold.at(j["notebook"])) << line;
    EXPECT_FALSE(j.contains("share")) << line;  // only with --learning-curve
    // The label as CliData wrote it for notebook nI: model_training 1 + I % 3 for odd I, else N/A (null);
    // exploratory_data_analysis 1 + (I / 2) % 3; none on the other seven dimensions.
    const int i = std::stoi(j["notebook"].get<std::string>().substr(1));
    if (j["dimension"] == "model_training") {
      ASSERT_TRUE(j.contains("label")) << line;
      if (i % 2)
        EXPECT_EQ(j["label"], 1 + i % 3) << line;
      else
        EXPECT_TRUE(j["label"].is_null()) << line;
    } else if (j["dimension"] == "exploratory_data_analysis") {
      EXPECT_EQ(j["label"], 1 + (i / 2) % 3) << line;
    } else {
      EXPECT_FALSE(j.contains("label")) << line;
    }
    if (j["condition"] != "baseline") continue;
    j["judge"] = j["judge_spec"];
    for (const char* key : {"judge_spec", "condition", "fold", "label"}) j.erase(key);
    baseline[{j["notebook"], j["dimension"]}] = j;
  }
  EXPECT_EQ(per_condition, (std::map<std::string, std::size_t>{{"baseline", 72}, {"both", 72}}));
  const auto eval =
      run_judge("eval " + data.d + "/nb/n1.ipynb " + data.d + "/nb/n2.ipynb --format jsonl 2>/dev/null");
  std::size_t compared = 0;
  for (const auto& line : judge::util::split_lines(eval.out)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    const std::string path = j["notebook"];
    j["notebook"] = path.substr(path.rfind('/') + 1);  // eval names the path given; validate the label's item
    EXPECT_EQ(baseline.at({j["notebook"], j["dimension"]}), j) << line;
    ++compared;
  }
  EXPECT_EQ(compared, 18u);
  // judge report on the file: each condition's mean of MAEs as validate's report gave it.
  const auto again = run_judge("report --labels " + data.d + "/labels.csv --scores '" + file.string() +
                               "' --bootstrap 200 --format json 2>/dev/null");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  const auto read_back = nlohmann::json::parse(again.out);
  ASSERT_EQ(read_back["judges"].size(), 2u) << again.out;
  for (const auto& jr : read_back["judges"]) {
    const auto& measured = report["judges"][jr["judge"] == "baseline" ? 0 : 1];
    EXPECT_EQ(measured["judge"], jr["judge"]);
    EXPECT_DOUBLE_EQ(measured["mean_mae"].get<double>(), jr["mean_mae"].get<double>()) << jr["judge"];
  }
}

// With --learning-curve the memory conditions are written at every share, named CONDITION@SHARE but at the
// full share; baseline, the same at every share, once.
TEST(ValidateCli, VerdictsFileOfALearningCurveNamesEachShare) {
  CliData data;
  const fs::path file = data.dir / "curve.jsonl";
  const auto r = run_judge(
      data.validate("--conditions baseline,both --learning-curve --verdicts '" + file.string() + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::map<std::string, std::size_t> per_judge;
  const std::string written = judge::util::read_file(file);
  for (const auto& line : judge::util::split_lines(written)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    ++per_judge[j["judge"]];
    const double share = j["share"];
    EXPECT_EQ(j["judge"], share == 1 ? j["condition"].get<std::string>()
                                     : j["condition"].get<std::string>() + "@" +
                                           (share == 0.25  ? "0.25"
                                            : share == 0.5 ? "0.50"
                                                           : "0.75"))
        << line;
  }
  EXPECT_EQ(per_judge,
            (std::map<std::string, std::size_t>{
                {"baseline", 72}, {"both@0.25", 72}, {"both@0.50", 72}, {"both@0.75", 72}, {"both", 72}}));
}

// -o and --verdicts paths that cannot be written are usage errors before the run, naming the flag: a folder,
// a missing or non-folder parent, both flags on one file (however spelt). Nothing is written.
TEST(ValidateCli, UnwritableOutputPathsAreRefusedBeforeTheRun) {
  CliData data;
  judge::util::write_file_atomic(data.dir / "afile", "x");
  fs::create_symlink("same", data.dir / "link");
  const std::string nb = data.d + "/nb";
  for (const auto& [flags, said] : std::vector<std::pair<std::string, std::string>>{
           {"--verdicts " + nb, "--verdicts " + (data.dir / "nb").string() + " is a folder"},
           {"--verdicts " + data.d + "/nowhere/v.jsonl", "nowhere does not exist"},
           {"-o " + data.d + "/afile/r.txt", "afile is not a folder"},
           {"--verdicts /proc/v.jsonl", "--verdicts /proc/v.jsonl: cannot create a file in /proc: "},
           {"-o " + data.d + "/same --verdicts " + data.d + "/same", "-o and --verdicts name one file"},
           // One file not yet there, spelt two ways, or named through a link to it (dangling until written).
           {"-o " + data.d + "/same --verdicts " + data.d + "/nb/../same", "-o and --verdicts name one file"},
           {"-o " + data.d + "/same --verdicts " + data.d + "/link", "-o and --verdicts name one file"}}) {
    const auto r = run_judge(data.validate(flags).substr(0, data.validate(flags).rfind(" 2>")) + " 2>&1");
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.out;
    EXPECT_NE(r.out.find(said), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("validated"), std::string::npos) << r.out;  // no run
  }
  EXPECT_FALSE(fs::exists(data.dir / "same"));
  EXPECT_FALSE(fs::exists(data.dir / "nowhere"));
  // The check leaves no file behind in the folder it tried.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(data.dir)) ++files;
  EXPECT_EQ(files, 4u);  // labels.csv, nb, afile, link
}

// --calibration without a calibrated condition (the default conditions have none) is said to have no effect.
TEST(ValidateCli, CalibrationWithoutACalibratedConditionIsWarnedOf) {
  CliData data;
  const std::string command = data.validate("--calibration isotonic-median");
  auto r = run_judge(command.substr(0, command.rfind(" 2>")) + " 2>&1 >/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("judge: warning: --calibration isotonic-median has no effect: no calibrated condition "
                       "is measured"),
            std::string::npos)
      << r.out;
  const std::string asked = data.validate("--calibration isotonic-median --conditions baseline,calibrated");
  r = run_judge(asked.substr(0, asked.rfind(" 2>")) + " 2>&1 >/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("has no effect"), std::string::npos) << r.out;
}

// A labelled notebook not under --notebooks (n7.ipynb, labels on lines 16-17): an error naming it and the
// flag; with --skip-missing-notebooks one warning, and its labels are out of every condition (7 notebooks
// folded; no label without a score).
TEST(ValidateCli, SkipMissingNotebooksLeavesTheirLabelsOut) {
  CliData data;
  fs::remove(data.dir / "nb/n7.ipynb");
  const std::string labels = data.dir.string() + "/labels.csv";
  const std::string validate = "validate --labels " + data.d + "/labels.csv --notebooks " + data.d +
                               "/nb --folds 2 --bootstrap 50 --conditions baseline,both --format json";
  auto r = run_judge(validate + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(
      r.out.find(labels + ":16-17: notebook not found: " + data.dir.string() + "/nb/n7.ipynb (2 labels)\n  " +
                 labels + ": 1 of 8 labelled notebooks not found under " + data.dir.string() +
                 "/nb (2 labels): check --notebooks, or give --skip-missing-notebooks"),
      std::string::npos)
      << r.out;
  r = run_judge(validate + " --skip-missing-notebooks 2>" + data.d + "/stderr.txt");
  ASSERT_EQ(r.exit_code, 0) << r.out << data.err();
  EXPECT_NE(
      data.err().find("judge: warning: --skip-missing-notebooks: left out 1 of 8 labelled notebooks, not "
                      "found under " +
                      data.dir.string() + "/nb (2 labels): n7.ipynb; they are left out of every condition\n"),
      std::string::npos)
      << data.err();
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["validate"]["items"].size(), 7u);
  for (const auto& jr : j["judges"]) EXPECT_EQ(jr["labels_without_score"], 0) << jr["judge"];
}

TEST(ValidateCli, TableGatesAndLearningCurve) {
  CliData data;
  auto r = run_judge(data.validate("--conditions baseline,both --learning-curve"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("cross-validated MAE per condition (2 folds by notebook"), std::string::npos) << r.out;
  // A row per condition under its dimension (model_training's 4 pairs).
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("\nmodel_training +baseline +4 +[0-9.]+ \\[[^\n]*\n +both +4 ")))
      << r.out;
  // The change is paired: the title says why it need not equal the difference of the MAEs.
  const auto md = run_judge(data.validate("--conditions baseline,both --format markdown"));
  EXPECT_NE(md.out.find("over the pairs both conditions scored (so not always the difference of the MAEs)"),
            std::string::npos)
      << md.out;
  EXPECT_NE(r.out.find("learning curve"), std::string::npos) << r.out;
  for (const char* share : {"25%", "50%", "75%", "100%"})
    EXPECT_TRUE(std::regex_search(r.out, std::regex(std::string("\n") + share + " +both "))) << share;
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --fail-if 'mae>-1'")).exit_code, 3);
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --fail-if 'mae<-1'")).exit_code, 0);
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,nonsense")).exit_code, 2);
  // "METRIC:*" gates each dimension, as in judge report; a dimension not in the rubric is a usage error
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --fail-if 'mae:*>-1'")).exit_code, 3);
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --fail-if 'mae:*<-1'")).exit_code, 0);
  r = run_judge("validate --labels " + data.d + "/labels.csv --notebooks " + data.d +
                "/nb --folds 2 --conditions baseline,both --fail-if 'mae:model_trainng>1' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.out.find("rubric ml-notebook has no dimension \"model_trainng\" (did you mean \"model_training\"? "
                 "it has: library_installation, "),
      std::string::npos)
      << r.out;
  r = run_judge("validate --labels " + data.d + "/labels.csv --notebooks " + data.d +
                "/nb --folds 2 --conditions baseline,both --gate-on episodc --fail-if 'mae>1' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--gate-on \"episodc\" is not among the measured conditions (baseline, both; "
                       "--conditions chooses them)\n"),
            std::string::npos)
      << r.out;
  r = run_judge("validate --labels " + data.d + "/labels.csv --notebooks " + data.d +
                "/nb --folds 2 --conditions baseline,semantic --gate-on semantc --fail-if 'mae>1' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--gate-on \"semantc\" is not among the measured conditions (baseline, semantic; "
                       "--conditions chooses them); did you mean \"semantic\"?"),
            std::string::npos)
      << r.out;
  r = run_judge(data.validate("--conditions baseline,episodic --learning-curve --format html"));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("<svg class=\"learning-curve\""), std::string::npos);
  EXPECT_NE(r.out.find("<section class=\"validate\">"), std::string::npos);
}

// The change metrics measure each condition against baseline, so baseline's own are undefined: a change gate
// on baseline is a usage error said before the run (no "validated" line), naming a condition to gate.
TEST(ValidateCli, AChangeGateOnBaselineIsAUsageErrorBeforeTheRun) {
  CliData data;
  const std::string validate =
      "validate --labels " + data.d + "/labels.csv --notebooks " + data.d + "/nb --folds 2 --bootstrap 200 ";
  auto r =
      run_judge(validate + "--conditions baseline,both --gate-on baseline --fail-if 'mae_change:*>0' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: --fail-if 'mae_change:*>0': mae_change is undefined for the baseline condition "
            "(--gate-on baseline): it is the change of each other condition from baseline; gate one of them "
            "(e.g. --gate-on both)\n");
  // By default the gates check both, else the last condition other than baseline: episodic here, though
  // baseline is listed last. Its change can be at most 2 on the 1-3 scale, so '>5' passes, and stderr says
  // so with the value and the condition. Baseline is gated by default only as the only condition.
  r = run_judge(validate + "--conditions episodic,baseline --fail-if 'mae_change_ci_low>5' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const auto passed = r.out.find("judge: gate passed: --fail-if 'mae_change_ci_low>5': mae_change_ci_low ");
  ASSERT_NE(passed, std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" (fails if > 5) (judge episodic)\n", passed), std::string::npos) << r.out;
  r = run_judge(validate + "--conditions baseline --fail-if 'mae_change>0' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: --fail-if 'mae_change>0': mae_change is undefined for the baseline condition, the "
            "only one measured: it is the change of each other condition from baseline; measure one and gate "
            "it (e.g. --conditions baseline,both)\n");
  // Baseline's own metrics gate as ever, and a change of 'both' is defined: on the rubric's 1-3 scale an MAE
  // is at most 2, and so is the size of a change, so these gates pass.
  EXPECT_EQ(
      run_judge(data.validate("--conditions baseline,both --gate-on baseline --fail-if 'mae>2'")).exit_code,
      0);
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --gate-on both --fail-if 'mae_change:*>2'"))
                .exit_code,
            0);
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

TEST(ValidateCli, FoldsBeyondTheNotebooksOrBelowTwoAreUsageErrorsSayingHowMany) {
  CliData data;
  auto r = data.validate_here("--folds 9");
  EXPECT_EQ(r.exit_code, 2) << data.err();
  EXPECT_NE(data.err().find("--folds 9: there are 8 labelled notebooks; use --folds 2 to 8"),
            std::string::npos)
      << data.err();
  r = data.validate_here("--folds 1");
  EXPECT_EQ(r.exit_code, 2) << data.err();
  EXPECT_NE(data.err().find("--folds 1: there are 8 labelled notebooks"), std::string::npos) << data.err();
  EXPECT_EQ(data.validate_here("--folds 8 --conditions baseline").exit_code, 0) << data.err();
}

// judge.yaml in the working folder sets the LLM judge (model, server, temperature, max_tokens, jobs, cache,
// k);
// --reflection and --embeddings (with their base URLs) go to the same loopback server. What the server saw
// is the evidence: every setting reached the provider.
TEST(ValidateCli, JudgeYamlSettingsReflectionAndEmbeddingsReachTheServer) {
  CliData data;
  judge::test::FakeLlmServer server;
  nlohmann::json cites = nlohmann::json::array();
  for (int i = 0; i < 8; ++i)
    for (const char* dim : {"model_training", "exploratory_data_analysis"})
      cites.push_back(std::string("n") + std::to_string(i) + ".ipynb#" + dim + "#");
  const nlohmann::json reflected = {
      {"guidelines", {{{"text", "Reflected guideline: fit the model once."}, {"cites", cites}}}}};
  nlohmann::json queue = nlohmann::json::array();
  for (int i = 0; i < 8; ++i)  // 2 folds x 2 dimensions with feedback = 4 reflection batches; spares unused
    queue.push_back({{"match", "You distill expert reviewers"}, {"content", reflected.dump()}});
  server.script(queue);
  judge::util::write_file_atomic(data.dir / "judge.yaml",
                                 "judge: openai:yaml-model\n"
                                 "base_url: " +
                                     server.openai_base_url() +
                                     "\n"
                                     "temperature: 0.25\n"
                                     "max_tokens: 333\n"
                                     "jobs: 3\n"
                                     "cache: cache.sqlite\n"
                                     "k: 2\n");
  const auto r = data.validate_here(
      "--folds 2 --conditions baseline,both --format json --reflection openai:reflect-model "
      "--reflection-base-url " +
      server.openai_base_url() +
      " --embeddings openai:embed-model "
      "--embeddings-base-url " +
      server.openai_base_url());
  ASSERT_EQ(r.exit_code, 0) << data.err();

  int judge_calls = 0, reflection_calls = 0, embedding_calls = 0, with_guideline = 0;
  for (const auto& request : server.log()) {
    const auto& body = request["body"];
    if (request["path"] == "/v1/embeddings") {
      ++embedding_calls;
      EXPECT_EQ(body["model"], "embed-model");
    } else if (body["model"] == "reflect-model") {
      ++reflection_calls;
    } else {
      ++judge_calls;
      EXPECT_EQ(body["model"], "yaml-model");
      EXPECT_EQ(body["temperature"], 0.25);
      EXPECT_EQ(body["max_tokens"], 333);
      with_guideline += body.dump().find("Reflected guideline: fit the model once.") != std::string::npos;
    }
  }
  // Counted by hand: 8 notebooks x 9 rubric dimensions without memory = 72; alignment's own judge calls (2
  // folds x 4 training notebooks x their 2 labelled dimensions = 16; unlabelled dimensions are not asked)
  // repeat those requests and come from the cache; under "both" the 8 held-out notebooks' 2 labelled
  // dimensions have memory in their prompt (16 new requests) while the other 7 dimensions have none, so
  // their requests equal the baseline ones (cache). 72 + 16 = 88 calls, 16 + 56 = 72 from the cache.
  EXPECT_EQ(judge_calls, 88);
  EXPECT_EQ(reflection_calls, 4);
  EXPECT_GT(embedding_calls, 0);
  EXPECT_GT(with_guideline, 0);  // the reflected guideline reached the judge's prompt under "both"
  EXPECT_LE(server.stats()["max_in_flight"].get<int>(), 3);  // jobs: 3 from judge.yaml bounds the calls

  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["validate"]["judge"], "openai:yaml-model");
  EXPECT_EQ(j["validate"]["reflection"], "openai:reflect-model");
  EXPECT_EQ(j["validate"]["embeddings"], "openai:embed-model");
  EXPECT_EQ(j["validate"]["k"], 2);
  EXPECT_NE(data.err().find("judge: 88 calls, 72 from the cache, 0 failed"), std::string::npos) << data.err();
  EXPECT_NE(data.err().find("judge: reflection openai:reflect-model: 4 calls, 0 from the cache, 0 failed"),
            std::string::npos)
      << data.err();
}

// k outside 1..1000 is a usage error naming it; the JSON says which map the calibrated condition used.
TEST(ValidateCli, KOutOfRangeAndCalibrationMapNamed) {
  CliData data;
  for (const char* k : {"0", "2147483648", "4294967301"})
    EXPECT_EQ(run_judge(data.validate(std::string("--conditions baseline,episodic -k ") + k + " 2>/dev/null"))
                  .exit_code,
              2)
        << k;
  const auto r = run_judge(
      data.validate("--conditions baseline,calibrated --calibration isotonic-median --format json"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["validate"]["calibration"], "isotonic-median");
  ASSERT_EQ(j["judges"].size(), 2u);
  EXPECT_EQ(j["judges"][1]["judge"], "calibrated");
}

// --format junit: the report's JUnit writer with one testsuite per condition (the suites named "judge
// validate"); a failed gate is a <failure> of the gated condition's "(mean)" testcase only.
TEST(ValidateCli, JunitHasATestsuitePerConditionAndTheGateFailure) {
  CliData data;
  const auto r = run_judge(data.validate("--conditions baseline,both --format junit --fail-if 'mae>-1'"));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_EQ(r.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"judge validate\"", 0),
            0u)
      << r.out;
  const auto baseline = r.out.find("<testsuite name=\"baseline\""),
             both = r.out.find("<testsuite name=\"both\"");
  ASSERT_NE(baseline, std::string::npos) << r.out;
  ASSERT_NE(both, std::string::npos) << r.out;
  EXPECT_LT(baseline, both);
  // Two dimensions labelled, plus "(mean)": 3 testcases per condition.
  EXPECT_NE(r.out.find("<testsuite name=\"baseline\" tests=\"3\" failures=\"0\">"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("<testsuite name=\"both\" tests=\"3\" failures=\"1\">"), std::string::npos) << r.out;
  const auto failure = r.out.find("<failure message=\"mae ");
  ASSERT_NE(failure, std::string::npos) << r.out;
  EXPECT_GT(failure, both);
  EXPECT_EQ(r.out.find("<failure", failure + 1), std::string::npos) << r.out;
  EXPECT_EQ(r.out.rfind("<testcase classname=\"judge.both\" name=\"(mean)\">", failure),
            r.out.rfind("<testcase", failure));
  EXPECT_EQ(r.out.substr(r.out.size() - 14), "</testsuites>\n") << r.out;
  EXPECT_EQ(run_judge(data.validate("--conditions baseline,both --format junit")).exit_code, 0);
}

// The shared notebooks hold one near-duplicate pair: the telco churn notebook with and without its outputs
// (the same code but for a few lines: over 90% of code lines alike, measured by hand with Python sets).
// validate says so and folds them together; with --near-duplicate 0, seeds 2 and 3 deal them to two folds.
TEST(ValidateCli, NearDuplicateSharedNotebooksShareAFold) {
  JUDGE_REQUIRE_SHARED_DATA();
  const auto data = judge::test::shared_data();
  const std::string base = "validate --labels '" + (data / "labels/ml-notebooks-house.csv").string() +
                           "' --notebooks '" + (data / "notebooks").string() +
                           "' --raters house --conditions baseline --bootstrap 50 --format json";
  const std::string a = "ipynb/telco_churn_pyspark_deploy_nooutputs.ipynb";
  const std::string b = "ipynb/telco_churn_pyspark_deploy_with_outputs.ipynb";
  const auto fold_of = [](const std::string& json, const std::string& item) {
    const auto j = nlohmann::json::parse(json);
    for (const auto& it : j["validate"]["items"])
      if (it["item"] == item) return it["fold"].get<int>();
    return -1;
  };
  int apart = 0;
  for (const char* seed : {"2", "3"}) {
    auto r = run_judge(base + " --seed " + seed + " 2>/dev/null");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_GE(fold_of(r.out, a), 0);
    EXPECT_EQ(fold_of(r.out, a), fold_of(r.out, b)) << seed;
    // The report records the threshold and the one group: the pair and its similarity. The notebooks' code
    // cells have 177 distinct trimmed non-blank lines between them, 169 in both (counted with Python's json
    // module over the .ipynb files): Jaccard 169/177.
    auto j = nlohmann::json::parse(r.out)["validate"];
    EXPECT_EQ(j["near_duplicate"], 0.8);
    ASSERT_EQ(j["near_duplicates"].size(), 1u) << r.out;
    EXPECT_EQ(j["near_duplicates"][0]["notebooks"], nlohmann::json({a, b}));
    EXPECT_DOUBLE_EQ(j["near_duplicates"][0]["least"].get<double>(), 169.0 / 177.0);
    EXPECT_DOUBLE_EQ(j["near_duplicates"][0]["most"].get<double>(), 169.0 / 177.0);
    r = run_judge(base + " --seed " + seed + " --near-duplicate 0 2>/dev/null");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    apart += fold_of(r.out, a) != fold_of(r.out, b);
    j = nlohmann::json::parse(r.out)["validate"];
    EXPECT_EQ(j["near_duplicate"], 0.0);
    EXPECT_TRUE(j["near_duplicates"].empty()) << r.out;
  }
  EXPECT_EQ(apart, 2);  // without grouping, both seeds deal them to two folds
  const auto r = run_judge(base + " 2>&1 >/dev/null");
  EXPECT_NE(r.out.find("judge: " + a + " and " + b + " share a fold: their code lines are 9"),
            std::string::npos)
      << r.out;
}

// The validate tables fit a terminal on the house labels (the summary was 321 characters wide with five
// conditions, the learnt rules 142): up to the first judge's tables, no line is longer than 110 characters
// (the widest is the near-duplicate pair's names, 108); each learnt rule is on a line of its own. The
// per-condition detail after them (each condition's agreement and its comparison with baseline, 124 and 142
// wide) fits 120 columns too, in blocks of columns each with every dimension; only the condition's heading
// line ("judge both: ...", text) is longer.
TEST(ValidateCli, TheValidateTablesFitATerminalOnTheHouseLabels) {
  JUDGE_REQUIRE_SHARED_DATA();
  const auto data = judge::test::shared_data();
  const auto r = run_judge("validate --labels '" + (data / "labels/ml-notebooks-house.csv").string() +
                           "' --notebooks '" + (data / "notebooks").string() +
                           "' --bootstrap 200 --format table 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string validate = r.out.substr(0, r.out.find("\njudge baseline: "));
  ASSERT_NE(validate.find("learnt rules in the folds"), std::string::npos) << r.out;
  for (const auto& line : judge::util::split_lines(validate)) EXPECT_LE(line.size(), 110u) << line;
  EXPECT_NE(validate.find("\n  when uninstalled_packages >= 1 -> score at most 1\n"), std::string::npos)
      << validate;
  const std::string detail = r.out.substr(validate.size());
  std::size_t headers = 0, rows = 0;
  for (const auto& line : judge::util::split_lines(detail)) {
    if (judge::util::starts_with(line, "judge ")) continue;
    EXPECT_LE(line.size(), 120u) << line;
    headers += judge::util::starts_with(line, "dimension ");
    rows += judge::util::starts_with(line, "cell_organization ");
  }
  // Per condition (the default four) its agreement table in two blocks, and for the three other than
  // baseline the comparison in two: 14 blocks, each with its header and every dimension.
  EXPECT_EQ(headers, 14u) << detail;
  EXPECT_EQ(rows, 14u) << detail;
  EXPECT_NE(detail.find(" other N/A disagree\n"), std::string::npos) << detail;
  // A block where the mean row has no value leaves it out: no line is the bare row name.
  for (const auto& line : judge::util::split_lines(detail)) EXPECT_NE(line, "mean of MAEs");
  // It ends with each condition against baseline in a line, saying what the summary table at the top says:
  // for both memories, the mean rows' MAEs and change, and the dimensions whose change is starred, better
  // where it is negative and worse where positive (read back from the table, not written in here).
  const auto words = [](std::string_view line) {
    std::vector<std::string> out;
    std::istringstream in{std::string(line)};
    for (std::string w; in >> w;) out.push_back(w);
    return out;
  };
  std::string dimension, base_mean, both_mean, both_change, better, worse;
  const std::string summary = validate.substr(0, validate.find("\n\n"));  // the first table
  const auto rows_at = summary.find("\ndimension ");
  ASSERT_NE(rows_at, std::string::npos) << summary;
  const std::string summary_rows = summary.substr(summary.find('\n', rows_at + 1) + 1);  // after its header
  for (const auto& line : judge::util::split_lines(summary_rows)) {
    const auto w = words(line);
    const auto condition = std::find_if(w.begin(), w.end(), [](const std::string& word) {
      return word == "baseline" || word == "semantic" || word == "episodic" || word == "both" ||
             word == "calibrated";
    });
    if (condition == w.end()) continue;
    if (line.front() != ' ') {
      dimension.clear();
      for (auto it = w.begin(); it != condition; ++it) dimension += (dimension.empty() ? "" : " ") + *it;
    }
    const auto mae = std::find_if(
        condition + 1, w.end(), [](const std::string& word) { return word.find('.') != std::string::npos; });
    ASSERT_NE(mae, w.end()) << line;
    if (dimension == "mean of MAEs" && *condition == "baseline") base_mean = *mae;
    if (*condition != "both") continue;
    ASSERT_GE(w.end() - mae, 4) << line;  // MAE, its interval (2 words), the change
    if (dimension == "mean of MAEs") {
      both_mean = *mae;
      both_change = *(mae + 3);
    } else if (std::find(w.begin(), w.end(), "*") != w.end()) {
      std::string& list = (mae + 3)->front() == '-' ? better : worse;
      list += (list.empty() ? "" : ", ") + dimension;
    }
  }
  ASSERT_FALSE(base_mean.empty() || both_mean.empty() || better.empty()) << validate;
  const auto conclusion_at = r.out.find("in short (each condition against baseline, cross-validated)\n");
  ASSERT_NE(conclusion_at, std::string::npos) << r.out;
  const std::string tail = r.out.substr(conclusion_at);  // named: split_lines' views point into it
  std::string conclusion;                                // its wrapped lines joined again
  for (const auto& line : judge::util::split_lines(tail))
    conclusion +=
        judge::util::starts_with(line, "    ") ? " " + std::string(line.substr(4)) : "\n" + std::string(line);
  const auto both = conclusion.find("\nboth: ");
  ASSERT_NE(both, std::string::npos) << conclusion;
  const std::string both_line = conclusion.substr(both + 1, conclusion.find('\n', both + 1) - both - 1);
  EXPECT_TRUE(judge::util::starts_with(
      both_line, "both: mean of MAEs " + base_mean + " -> " + both_mean + ", change " + both_change + " ["))
      << both_line << "\n"
      << validate;
  EXPECT_TRUE(judge::util::ends_with(
      both_line,
      "; significantly better on " + better + "; significantly worse on " + (worse.empty() ? "none" : worse)))
      << both_line << "\n"
      << validate;
}

// --own-episodes is eval --memory's setting: validate never puts a held-out notebook's labels in the memory
// it is judged with, so the flag changes nothing. Its help says so plainly, the figures are the same with it
// as without, and giving it is warned of.
TEST(ValidateCli, OwnEpisodesSaysItHasNoEffectAndHasNone) {
  const auto help = run_judge("validate --help");
  ASSERT_EQ(help.exit_code, 0) << help.out;
  // CLI11 wraps nothing; the help line is the description as written.
  EXPECT_NE(
      help.out.find("--own-episodes              No effect here (the setting is judge eval --memory's): "
                    "validate judges each held-out notebook with a memory aligned on the other folds' "
                    "notebooks only, so that memory never holds the notebook's own labels, with or "
                    "without this flag\n"),
      std::string::npos)
      << help.out;
  EXPECT_EQ(help.out.find("eval --memory: a notebook's own labelled episodes may be retrieved"),
            std::string::npos)
      << help.out;
  CliData data;
  const auto without = run_judge(data.validate("--format json"));
  const auto with = run_judge(data.validate("--format json --own-episodes"));
  ASSERT_EQ(without.exit_code, 0) << without.out;
  ASSERT_EQ(with.exit_code, 0) << with.out;
  EXPECT_EQ(with.out, without.out);
  const auto warned = run_judge("validate --labels " + data.d + "/labels.csv --notebooks " + data.d +
                                "/nb --folds 2 --bootstrap 200 --own-episodes 2>&1 >/dev/null");
  EXPECT_NE(warned.out.find("judge: warning: --own-episodes has no effect on judge validate"),
            std::string::npos)
      << warned.out;
}

// --near-duplicate is a share: a percentage or a word is a usage error that says what to give.
TEST(ValidateCli, NearDuplicateOutsideZeroToOneIsAUsageError) {
  for (const std::string bad : {"80", "abc", "0.8x", "-0.1"}) {
    const auto r = run_judge("validate --labels l.csv --notebooks nb --near-duplicate '" + bad + "' 2>&1");
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.out.find("judge: error: --near-duplicate: \"" + bad +
                         "\" is not a share from 0 to 1 (0.8: 80% of code lines alike; 0: off)"),
              std::string::npos)
        << r.out;
  }
}

// A misspelt condition is named with the one meant and the list.
TEST(ValidateCli, AMisspeltConditionSaysWhichWasMeant) {
  CliData data;
  const auto r = run_judge("validate --labels " + data.d + "/labels.csv --notebooks " + data.d +
                           "/nb --folds 2 --conditions baseline,semantc 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.out.find("judge: error: unknown condition \"semantc\" (did you mean \"semantic\"?); conditions: "
                 "baseline, semantic, episodic, both, calibrated, both-calibrated\n"),
      std::string::npos)
      << r.out;
}
