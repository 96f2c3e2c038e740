// SPDX-License-Identifier: MIT
// Format dispatch, folder walks and rendering: files written here into a temporary folder; expected values
// from the rules in README.md "Which files are notebooks".
#include "judge/notebook/notebook.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "judge/util/fs.hpp"

namespace judge::notebook {
namespace {

namespace fs = std::filesystem;

const char* k_ipynb = R"({"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [
  {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": []}]})";

class NotebookFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("judge_notebook_test_" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path write(const std::string& relative, const std::string& text) {
    util::write_file_atomic(m_dir / relative, text);
    return m_dir / relative;
  }
  fs::path m_dir;
};

TEST_F(NotebookFiles, WhichFilesAreNotebooks) {
  EXPECT_TRUE(is_notebook_file(write("a.ipynb", k_ipynb)));
  EXPECT_TRUE(is_notebook_file(write("b.py", "# Databricks notebook source\nx = 1\n")));
  EXPECT_TRUE(is_notebook_file(write("c.sql", "-- Databricks notebook source\nSELECT 1\n")));
  EXPECT_TRUE(is_notebook_file(write("d.scala", "// Databricks notebook source\nval x = 1\n")));
  EXPECT_TRUE(is_notebook_file(write("e.py", "import os\n\n# %%\nx = 1\n")));
  EXPECT_TRUE(is_notebook_file(write("bom.py", "\xEF\xBB\xBF# Databricks notebook source\nx = 1\n")));
  EXPECT_FALSE(is_notebook_file(write("plain.py", "import os\n# %%capture is not a marker\n")));
  EXPECT_FALSE(is_notebook_file(write("notes.txt", "# Databricks notebook source\n")));
  EXPECT_FALSE(is_notebook_file(write("t.py.tmpl", "# Databricks notebook source\n")));
  EXPECT_FALSE(is_notebook_file(write("j.sql", "# %%\nSELECT 1\n")));  // Jupytext markers: .py only
  EXPECT_FALSE(is_notebook_file(m_dir / "missing.py"));
}

TEST_F(NotebookFiles, FolderWalkIsSortedRecursiveAndSkipsHiddenFolders) {
  write("z/late.ipynb", k_ipynb);
  write("a.py", "# Databricks notebook source\nx = 1\n");
  write("m/plain.py", "print('not a notebook')\n");
  write(".hidden/h.ipynb", k_ipynb);
  write("m/.ipynb_checkpoints/a-checkpoint.ipynb", k_ipynb);
  write(".dot.ipynb", k_ipynb);
  write("m/j.py", "# %% [markdown]\n# hi\n");
  const ReadResult r = read_path(m_dir);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.notebooks.size(), 3u);
  EXPECT_EQ(r.notebooks[0].path, (m_dir / "a.py").string());
  EXPECT_EQ(r.notebooks[0].format, Format::databricks);
  EXPECT_EQ(r.notebooks[1].path, (m_dir / "m/j.py").string());
  EXPECT_EQ(r.notebooks[1].format, Format::jupytext);
  EXPECT_EQ(r.notebooks[2].path, (m_dir / "z/late.ipynb").string());
}

// Notebook::name does not depend on how the path was typed: relative to the folder argument (whatever its
// spelling: absolute, with "./" or a trailing '/'), or the file name for a file argument.
TEST_F(NotebookFiles, NamesAreRelativeToTheFolderArgumentOrTheFileName) {
  write("nb/sub/x.ipynb", k_ipynb);
  write("nb/a.py", "# Databricks notebook source\nx = 1\n");
  for (const std::string& folder : {(m_dir / "nb").string(), (m_dir / "nb/").string(),
                                    (m_dir / "./nb").string(), (m_dir / "nb/.").string()}) {
    SCOPED_TRACE(folder);
    const ReadResult r = read_path(folder);
    ASSERT_EQ(r.notebooks.size(), 2u);
    EXPECT_EQ(r.notebooks[0].name, "a.py");
    EXPECT_EQ(r.notebooks[1].name, "sub/x.ipynb");
  }
  const ReadResult file = read_path(m_dir / "nb/./sub/x.ipynb");
  ASSERT_EQ(file.notebooks.size(), 1u);
  EXPECT_EQ(file.notebooks[0].name, "x.ipynb");
  EXPECT_EQ(file.notebooks[0].path, (m_dir / "nb/./sub/x.ipynb").string());  // the path stays as typed
}

TEST_F(NotebookFiles, ANamedFileIsReadWhateverItsName) {
  const ReadResult tmpl = read_path(write("t.py.tmpl", "# Databricks notebook source\n{{ .x }}\n"));
  ASSERT_EQ(tmpl.notebooks.size(), 1u);
  EXPECT_EQ(tmpl.notebooks[0].format, Format::databricks);
  const ReadResult json = read_path(write("export.json", k_ipynb));
  ASSERT_EQ(json.notebooks.size(), 1u);
  EXPECT_EQ(json.notebooks[0].format, Format::ipynb);
}

TEST_F(NotebookFiles, UnreadableFilesGiveOneLineNamingThem) {
  const fs::path plain = write("plain.py", "print(1)\n");
  const ReadResult a = read_path(plain);
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].message(),
            plain.string() +
                ": not a notebook (no .ipynb JSON, no \"# Databricks notebook source\" first line, "
                "no Jupytext \"# %%\" cell marker)");
  const ReadResult b = read_path(m_dir / "nope.ipynb");
  ASSERT_EQ(b.errors.size(), 1u);
  EXPECT_EQ(b.errors[0].message(), (m_dir / "nope.ipynb").string() + ": no such file or folder");
  const fs::path broken = write("broken.ipynb", "{\"nbformat\": 4, \"cells\": [");
  const ReadResult c = read_path(m_dir);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].message(), broken.string() + ": not valid JSON (is the file truncated?)");
  EXPECT_EQ(c.errors[0].path, broken.string());  // the path and the reason apart, for eval's records
  EXPECT_EQ(c.errors[0].reason, "not valid JSON (is the file truncated?)");
}

TEST(Render, NumbersCellsAndShowsTypesMagicsTitlesAndOutputs) {
  Notebook nb;
  nb.path = "x.py";
  nb.format = Format::databricks;
  nb.language = "python";
  Cell md;
  md.number = 1;
  md.type = CellType::markdown;
  md.source = "# Title";
  Cell pip;
  pip.number = 2;
  pip.magic = "pip";
  pip.title = "Install";
  pip.source = "%pip install x\n";
  pip.outputs.push_back({"error", "boom", "ValueError", "boom"});
  nb.cells = {md, pip};
  EXPECT_EQ(render_text(nb),
            "x.py (databricks, python, 2 cells)\n"
            "\n--- cell 1 [markdown]\n# Title\n"
            "\n--- cell 2 [code %pip] Install\n%pip install x\n>>> error ValueError: boom\nboom\n");
}

}  // namespace
}  // namespace judge::notebook
