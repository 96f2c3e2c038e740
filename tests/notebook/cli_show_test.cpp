// SPDX-License-Identifier: MIT
// `judge notebook show` on small notebooks written by us, compared with golden output in tests/golden/ (checked
// by hand: sizes, truncation counts and cell numbers worked out from the inputs).
#include <gtest/gtest.h>

#include "../support.hpp"
#include "judge/util/fs.hpp"

namespace judge {
namespace {

std::string golden(const std::string& name) { return util::read_file(test::source_dir() / "tests/golden" / name); }

TEST(CliNotebookShow, IpynbMatchesGolden) {
  const auto r = test::run_judge("notebook show tests/golden/show_small.ipynb --max-output-chars 40");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, golden("show_small.ipynb.txt"));
}

TEST(CliNotebookShow, DatabricksMatchesGolden) {
  const auto r = test::run_judge("notebook show tests/golden/show_small_databricks.py");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, golden("show_small_databricks.py.txt"));
}

// Cells that try to steer the grader are marked: a line after the header lists them, and each gets a line
// under its "--- cell N" saying what was found where (tests/golden/show_injection.py, written for this test:
// a note to the AI reviewer asking for silence and full marks in cell 3, a planted "score: 3/3" in cell 4).
TEST(CliNotebookShow, InjectionCellsAreMarked) {
  const auto r = test::run_judge("notebook show tests/golden/show_injection.py");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, golden("show_injection.py.txt"));
}

TEST(CliNotebookShow, UnreadableFileIsOneErrorLineAndExitCode1) {
  const auto r = test::run_judge("notebook show tests/golden/missing.ipynb 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "judge: error: tests/golden/missing.ipynb: no such file or folder\n");
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
