// SPDX-License-Identifier: MIT
// Inputs that once broke a notebook reader, reduced to the smallest case and rewritten by us
// (tests/regressions/). Each keeps the trap of a file in ../shared/data/edge; expected values by hand.
#include <gtest/gtest.h>

#include "../support.hpp"
#include "judge/notebook/notebook.hpp"

namespace judge::notebook {
namespace {

struct Case {
  const char* file;
  const char* format;
  const char* cell_types;  // one letter per cell: c code, m markdown, r raw
  const char* shown;       // must appear in `judge notebook show` output (render_text)
};

// clang-format off
const Case k_cases[] = {
  // v2 lists were written by splitlines(): without "\n" the lines ran together.
  {"v2_lines_without_newlines.ipynb", "ipynb", "mc", "def f(x):\n    return x + 1\nf(1)\n>>> execute_result\n2"},
  // v3 without "worksheets", or a worksheet without "cells": a KeyError in readers that index blindly.
  {"v3_no_worksheets.ipynb", "ipynb", "", "(ipynb 3.0, python, 0 cells)"},
  {"v3_worksheet_without_cells.ipynb", "ipynb", "", "(ipynb 3.0, python, 0 cells)"},
  // Schema-invalid v4: a markdown cell without source, a v3 heading cell, an unknown output type with text.
  {"v4_heading_and_missing_source.ipynb", "ipynb", "mmc", "--- cell 2 [markdown]\n### Results\n"},
  {"v4_heading_and_missing_source.ipynb", "ipynb", "mmc", ">>> bad stream\nhi\n"},
  // One source a plain string, the others lists.
  {"mixed_str_and_list_sources.ipynb", "ipynb", "ccm", "await asyncio.sleep(0)\ny = 2\n"},
  // sparkmagic kernel: empty kernelspec language, language_info "pyspark".
  {"empty_language_sparkmagic.ipynb", "ipynb", "c", "(ipynb 4.5, python, 1 cells)"},
  // "# MAGIC  %md" with two spaces is still a markdown cell.
  {"databricks_magic_two_spaces.py", "databricks", "mc", "--- cell 1 [markdown %md]\n### Save the table\n"},
  // A Go template is not valid Python; a DBTITLE with a space after the comma.
  {"databricks_template_not_python.py.tmpl", "databricks", "cc", "--- cell 2 [code] Notebook arguments\n"},
  // A title followed by JSON metadata on the marker line.
  {"jupytext_title_with_json_metadata.py", "jupytext", "cc", "--- cell 2 [code] Show a frame\npd.DataFrame"},
};
// clang-format on

std::string letters(const Notebook& nb) {
  std::string out;
  for (const auto& c : nb.cells) out.push_back(to_string(c.type)[0]);
  return out;
}

TEST(Regressions, EachReducedInputReadsAsExpected) {
  for (const Case& c : k_cases) {
    SCOPED_TRACE(c.file);
    const ReadResult r = read_file(test::source_dir() / "tests/regressions" / c.file);
    ASSERT_TRUE(r.errors.empty()) << r.errors.front().message();
    ASSERT_EQ(r.notebooks.size(), 1u);
    EXPECT_STREQ(to_string(r.notebooks[0].format), c.format);
    EXPECT_EQ(letters(r.notebooks[0]), c.cell_types);
    EXPECT_NE(render_text(r.notebooks[0]).find(c.shown), std::string::npos) << render_text(r.notebooks[0]);
  }
}

}  // namespace
}  // namespace judge::notebook
