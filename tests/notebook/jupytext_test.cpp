// SPDX-License-Identifier: MIT
// Jupytext percent scripts: inputs written here; expected cells follow the format's documentation
// (https://jupytext.readthedocs.io/en/latest/formats-scripts.html), worked out by hand.
#include <gtest/gtest.h>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"

namespace judge::notebook {
namespace {

TEST(Jupytext, MarkdownAndCodeCellsAfterAJupyterHeader) {
  const std::string text =
      "# ---\n"
      "# jupyter:\n"
      "#   kernelspec:\n"
      "#     display_name: R\n"
      "#     language: R\n"
      "#     name: ir\n"
      "# ---\n"
      "\n"
      "# %% [markdown]\n"
      "# # Title\n"
      "#\n"
      "# Some *text*.\n"
      "\n"
      "# %%\n"
      "x <- 1\n"
      "\n"
      "x + 1\n"
      "\n"
      "# %% [md]\n"
      "# short form\n";
  const Notebook nb = parse_jupytext_percent(text, "a.py");
  EXPECT_EQ(nb.format, Format::jupytext);
  EXPECT_EQ(nb.language, "r");
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.cells[0].type, CellType::markdown);
  EXPECT_EQ(nb.cells[0].source, "# Title\n\nSome *text*.");
  EXPECT_EQ(nb.cells[1].type, CellType::code);
  EXPECT_EQ(nb.cells[1].source, "x <- 1\n\nx + 1");
  EXPECT_EQ(nb.cells[2].type, CellType::markdown);
  EXPECT_EQ(nb.cells[2].source, "short form");
  EXPECT_EQ(nb.cells[2].number, 3);
}

TEST(Jupytext, RawCellsWithMetadata) {
  const std::string text =
      "# %% [raw] raw_mimetype=\"text/latex\"\n"
      "# $x^2$\n"
      "\n"
      "# %% [raw]\n"
      "# plain\n";
  const Notebook nb = parse_jupytext_percent(text, "r.py");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.count(CellType::raw), 2u);
  EXPECT_EQ(nb.cells[0].source, "$x^2$");
  EXPECT_EQ(nb.cells[0].title, "");
  EXPECT_EQ(nb.cells[1].source, "plain");
}

TEST(Jupytext, TitlesEndWhereMetadataStarts) {
  const std::string text =
      "# %% Load the data\n"
      "df = load()\n"
      "# %% Tune it {\"tags\": [\"parameters\"]}\n"
      "alpha = 0.1\n"
      "# %% Notes [markdown] {\"k\": \"v\"}\n"
      "# hello\n"
      "# %% Split key=\"value\"\n"
      "split()\n";
  const Notebook nb = parse_jupytext_percent(text, "t.py");
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_EQ(nb.cells[0].title, "Load the data");
  EXPECT_EQ(nb.cells[0].source, "df = load()");
  EXPECT_EQ(nb.cells[1].title, "Tune it");
  EXPECT_EQ(nb.cells[1].type, CellType::code);
  EXPECT_EQ(nb.cells[2].title, "Notes");
  EXPECT_EQ(nb.cells[2].type, CellType::markdown);
  EXPECT_EQ(nb.cells[2].source, "hello");
  EXPECT_EQ(nb.cells[3].title, "Split");
}

TEST(Jupytext, OtherYamlHeaderIsARawCellAndSubCellsAreCells) {
  const std::string text =
      "# ---\n"
      "# title: A report\n"
      "# ---\n"
      "\n"
      "# %%% sub-cell title\n"
      "# a comment in code\n"
      "# %%magic is not a marker\n"
      "1 + 1\n";
  const Notebook nb = parse_jupytext_percent(text, "s.py");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].type, CellType::raw);
  EXPECT_EQ(nb.cells[0].source, "---\ntitle: A report\n---");
  EXPECT_EQ(nb.cells[1].type, CellType::code);
  EXPECT_EQ(nb.cells[1].title, "sub-cell title");
  // not a marker but a commented cell magic, which reading uncomments (MagicsInCodeCellsAreUncommentedOnce)
  EXPECT_EQ(nb.cells[1].source, "# a comment in code\n%%magic is not a marker\n1 + 1");
  EXPECT_EQ(nb.language, "python");
}

TEST(Jupytext, TextBeforeTheFirstMarkerIsOneCell) {
  const Notebook comments = parse_jupytext_percent("# Churn model\n# by us\n\n# %%\nimport os\n", "c.py");
  ASSERT_EQ(comments.cells.size(), 2u);
  EXPECT_EQ(comments.cells[0].type, CellType::markdown);
  EXPECT_EQ(comments.cells[0].source, "Churn model\nby us");

  const Notebook code = parse_jupytext_percent("import sys\n# setup\n# %%\nx = 1\n", "d.py");
  ASSERT_EQ(code.cells.size(), 2u);
  EXPECT_EQ(code.cells[0].type, CellType::code);
  EXPECT_EQ(code.cells[0].source, "import sys\n# setup");
}

TEST(Jupytext, EmptyCellsAndWindowsLineEndings) {
  const Notebook nb = parse_jupytext_percent("# %%\r\n\r\n# %% [markdown]\r\n# hi\r\n", "w.py");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].source, "");
  EXPECT_EQ(nb.cells[1].source, "hi");
}

TEST(Jupytext, RefusesTextWithoutAMarker) {
  EXPECT_THROW(parse_jupytext_percent("import os\nprint(1)\n", "plain.py"), Error);
  EXPECT_THROW(parse_jupytext_percent("", "empty.py"), Error);
}

// Jupytext comments magics in code cells when it writes a percent script and uncomments them once when it
// reads one (jupytext/magics.py, uncomment_magic); expected sources worked out by hand from its patterns.
TEST(Jupytext, MagicsInCodeCellsAreUncommentedOnce) {
  const std::string text =
      "# %%\n"
      "# %pip install tensorflow==2.15.0 \\\n"
      "#     openpyxl\n"
      "# # %pip install old-package\n"
      "#%matplotlib inline\n"
      "# !pip install -q xgboost\n"
      "# ! ls data\n"
      "# ?print\n"
      "# a plain comment\n"
      "# !important: not a magic, yet Jupytext reads it as one\n"
      "# ls data\n"
      "# %5 is no magic\n"
      "doc = \"\"\"\n"
      "# %pip inside a string\n"
      "\"\"\"\n"
      "# %%time\n"
      "\n"
      "# %% [markdown]\n"
      "# # %pip in markdown stays text\n";
  const Notebook nb = parse_jupytext_percent(text, "m.py");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].source,
            "%pip install tensorflow==2.15.0 \\\n"
            "    openpyxl\n"
            "# %pip install old-package\n"
            "%matplotlib inline\n"
            "!pip install -q xgboost\n"
            "! ls data\n"
            "?print\n"
            "# a plain comment\n"
            "!important: not a magic, yet Jupytext reads it as one\n"
            "# ls data\n"
            "# %5 is no magic\n"
            "doc = \"\"\"\n"
            "# %pip inside a string\n"
            "\"\"\"\n"
            "%%time");
  EXPECT_EQ(nb.cells[1].source, "# %pip in markdown stays text");
}

// The rest of Jupytext's patterns (jupytext/magics.py; expected sources by hand): an indented magic keeps its
// indent (_MAGIC_RE and _PYTHON_HELP_OR_BASH_CMD allow one, unesc keeps it), a shell command may start with
// `{`, `.`, `$`, `~`, `/` or `\` (`!{sys.executable} -m pip`), a name may be assigned a magic
// (_PYTHON_MAGIC_ASSIGN), spaces may stand between the comment and `!`; a commented line opens no string
// (StringParser passes over comments, and over what follows a `#`), and a shebang on the first line belongs
// to no cell (header.py keeps it as metadata).
TEST(Jupytext, IndentedAndShellMagicsAreUncommentedAsJupytextDoes) {
  const std::string text =
      "#!/usr/bin/env python\n"
      "# %%\n"
      "# !{sys.executable} -m pip install scikit-learn==1.3.0\n"
      "if IN_COLAB:\n"
      "    # !pip install xgboost==2.0.0\n"
      "\t# %time fit()\n"
      "# files = !ls data\n"
      "# n = %sx wc -l\n"
      "#  !./run.sh\n"
      "# x = 1\n"
      "# \"\"\" a commented docstring quote\n"
      "s = \"'''\"  # ''' in a one-quote string\n"
      "# %pip install after-the-quotes\n"
      "# !!! a comment\n";
  const Notebook nb = parse_jupytext_percent(text, "m.py");
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.cells[0].source,
            "!{sys.executable} -m pip install scikit-learn==1.3.0\n"
            "if IN_COLAB:\n"
            "    !pip install xgboost==2.0.0\n"
            "\t%time fit()\n"
            "files = !ls data\n"
            "n = %sx wc -l\n"
            " !./run.sh\n"
            "# x = 1\n"
            "# \"\"\" a commented docstring quote\n"
            "s = \"'''\"  # ''' in a one-quote string\n"
            "%pip install after-the-quotes\n"
            "# !!! a comment");
}

TEST(Jupytext, OnlyPercentMagicsAreUncommentedOutsidePython) {
  const std::string text =
      "# ---\n"
      "# jupyter:\n"
      "#   kernelspec:\n"
      "#     language: R\n"
      "# ---\n"
      "# %%\n"
      "# %load_ext rpy2\n"
      "# !ls\n"
      "x <- \"'''\"\n"
      "# %R magic after three quotes, which R does not pair\n";
  const Notebook nb = parse_jupytext_percent(text, "r.R");
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.cells[0].source,
            "%load_ext rpy2\n# !ls\nx <- \"'''\"\n%R magic after three quotes, which R does not pair");
}

}  // namespace
}  // namespace judge::notebook
