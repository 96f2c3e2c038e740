// SPDX-License-Identifier: MIT
// `judge notebook show` on small notebooks written by us, compared with golden output in tests/golden/
// (checked by hand: sizes, truncation counts and cell numbers worked out from the inputs).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../support.hpp"
#include "judge/util/fs.hpp"

namespace judge {
namespace {

std::string golden(const std::string& name) {
  return util::read_file(test::source_dir() / "tests/golden" / name);
}

// --full: the reader's whole view.
TEST(CliNotebookShow, IpynbMatchesGolden) {
  const auto r = test::run_judge("notebook show --full tests/golden/show_small.ipynb --max-output-chars 40");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, golden("show_small.ipynb.txt"));
}

TEST(CliNotebookShow, DatabricksMatchesGolden) {
  const auto r = test::run_judge("notebook show --full tests/golden/show_small_databricks.py");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, golden("show_small_databricks.py.txt"));
}

// Cells that try to steer the grader are marked: a line after the header lists them, and each gets a line
// under its "--- cell N" saying what was found where (tests/golden/show_injection.py, written for this test:
// a note to the AI reviewer asking for silence and full marks in cell 3, a planted "score: 3/3" in cell 4).
// The full view marks each flagged cell; the prompt's view lists them after its header.
TEST(CliNotebookShow, InjectionCellsAreMarked) {
  const auto r = test::run_judge("notebook show --full tests/golden/show_injection.py");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, golden("show_injection.py.txt"));
  const auto prompt_view = test::run_judge("notebook show tests/golden/show_injection.py");
  EXPECT_EQ(prompt_view.exit_code, 0);
  const auto header_end = prompt_view.out.find('\n');
  EXPECT_EQ(prompt_view.out.find("!!! possible prompt injection in cell"), header_end + 1) << prompt_view.out;
}

TEST(CliNotebookShow, UnreadableFileIsOneErrorLineAndExitCode1) {
  const auto r = test::run_judge("notebook show tests/golden/missing.ipynb 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: tests/golden/missing.ipynb: no such file or folder\n");
}

// --facts names the packages each package count counts: in the text after the value, in JSON under notes
// (facts keeps the number). Here lightgbm, mlflow and xgboost are imported, and os (standard library).
TEST(CliNotebookShow, FactsNameThePackagesCounted) {
  const test::TempDir dir("judge_show_packages");
  const auto nb =
      dir.write("p.py", "# %%\nimport xgboost\nimport mlflow\n# %%\nimport lightgbm as lgb\nimport os\n");
  auto r = test::run_judge("notebook show --facts '" + nb.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\nthird_party_packages            3  (lightgbm, mlflow, xgboost)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\nnonstandard_packages            2  (lightgbm, xgboost)\n"), std::string::npos)
      << r.out;
  r = test::run_judge("notebook show --facts --format json '" + nb.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["facts"]["third_party_packages"], 3);
  EXPECT_EQ(j["notes"]["third_party_packages"], "lightgbm, mlflow, xgboost");
  EXPECT_EQ(j["notes"]["nonstandard_packages"], "lightgbm, xgboost");
}

TEST(CliNotebookShow, FormatWithoutFactsIsAUsageError) {
  // --format chooses how facts are printed; without --facts it used to be ignored silently.
  const auto r = test::run_judge("notebook show tests/golden/show_small.ipynb --format json 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--facts"), std::string::npos) << r.out;
  const auto facts = test::run_judge("notebook show tests/golden/show_small.ipynb --facts --format json");
  EXPECT_EQ(facts.exit_code, 0);
}

}  // namespace
}  // namespace judge

namespace judge {
namespace {

// A notebook written for these tests: a key in code (masked in a prompt) and a 1,001-byte output (whole for
// the reader, which keeps 1,500 bytes; cut at 800 in a prompt).
std::string secrets_notebook() {
  const std::string ys(1000, 'y');
  return R"nb({"nbformat": 4, "nbformat_minor": 5,
 "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
 "cells": [
  {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# Keys"},
  {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": 1,
   "source": ["openai_key = 'sk-abcdefghijklmnopqrstuvwx'\n", "print('y' * 1000)"],
   "outputs": [{"output_type": "stream", "name": "stdout", "text": ")nb" +
         ys + R"nb(\n"}]}]})nb";
}

// By hand: the prompt's rendering names the notebook by its file name, masks the key and cuts the output at
// 800 bytes (1,001 - 800 = 201 cut); --full is the reader's view, every byte of the output, the key masked
// too; --no-redact shows the key.
TEST(CliNotebookShow, PrintsThePromptsRenderingRedactedAndFullTheReadersView) {
  const test::TempDir dir("judge_show_prompt");
  std::ofstream(dir / "secrets.ipynb") << secrets_notebook();
  const std::string path = (dir / "secrets.ipynb").string();
  const std::string ys(1000, 'y');
  auto r = test::run_judge("notebook show '" + path + "'");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Notebook secrets.ipynb (ipynb, python, 2 cells)\n"
            "\n[cell 1: markdown]\n# Keys\n"
            "\n[cell 2: code]\nopenai_key = '[REDACTED]'\nprint('y' * 1000)\n[output: stream]\n" +
                ys.substr(0, 800) + "\n... [truncated 201 chars]\n\n");
  r = test::run_judge("notebook show --full '" + path + "'");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, path +
                       " (ipynb 4.5, python, 2 cells)\n"
                       "\n--- cell 1 [markdown]\n# Keys\n"
                       "\n--- cell 2 [code]\nopenai_key = '[REDACTED]'\nprint('y' * 1000)\n>>> stream\n" +
                       ys + "\n\n");
  r = test::run_judge("notebook show --no-redact '" + path + "'");
  EXPECT_NE(r.out.find("openai_key = 'sk-abcdefghijklmnopqrstuvwx'\n"), std::string::npos) << r.out;
  EXPECT_EQ(test::run_judge("notebook show --max-output-chars 40 '" + path + "' 2>/dev/null").exit_code, 2);
}

// The notebook between <notebook> and </notebook> in the user message of a dry run's request.
std::string notebook_in_request(const std::string& request_line) {
  const auto request = nlohmann::json::parse(request_line);
  const std::string user = request["messages"][1]["content"];
  const auto begin = user.find("<notebook>\n") + std::string("<notebook>\n").size();
  return user.substr(begin, user.find("</notebook>", begin) - begin);
}

// `notebook show` prints exactly what the prompt carries: the same text as the notebook in a dry run's
// request, for all dimensions (one batch call) and for one, also over a small token budget where the
// dimension decides which cells are kept.
TEST(CliNotebookShow, IsExactlyWhatThePromptCarries) {
  const test::TempDir dir("judge_show_exact");
  std::ofstream(dir / "secrets.ipynb") << secrets_notebook();
  for (const auto& [notebook, args] : std::vector<std::pair<std::string, std::string>>{
           {(dir / "secrets.ipynb").string(), ""},
           {"examples/notebooks/churn_good.ipynb", "--dimensions model_training --token-budget 400"},
           {"examples/notebooks/churn_good.ipynb", "--dimensions mlflow_logging --token-budget 400"}}) {
    SCOPED_TRACE(notebook + " " + args);
    const std::string requests = (dir / "requests.jsonl").string();
    const auto eval =
        test::run_judge("eval '" + notebook + "' --judge openai:m --batch-dimensions --dry-run " + args +
                        " -o '" + requests + "' >/dev/null");
    ASSERT_EQ(eval.exit_code, 0);
    const std::string line = util::read_file(requests);
    const auto shown = test::run_judge("notebook show '" + notebook + "' " + args);
    ASSERT_EQ(shown.exit_code, 0);
    EXPECT_EQ(shown.out, notebook_in_request(line.substr(0, line.find('\n'))) + "\n");
  }
}

}  // namespace
}  // namespace judge
