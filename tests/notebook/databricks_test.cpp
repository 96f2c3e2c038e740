// SPDX-License-Identifier: MIT
// Databricks source notebooks: inputs written here by hand, expected cells worked out by hand from the format
// (see the comment at the top of src/notebook/databricks.cpp).
#include <gtest/gtest.h>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"

namespace judge::notebook {
namespace {

TEST(Databricks, SplitsCellsOnCommandSeparators) {
  const std::string text =
      "# Databricks notebook source\n"
      "import pandas as pd\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "df = pd.read_csv('x.csv')\n"
      "\n"
      "df.head()\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "print(1)\n";
  const Notebook nb = parse_databricks_source(text, "a.py");
  EXPECT_EQ(nb.format, Format::databricks);
  EXPECT_EQ(nb.language, "python");
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.cells[0].source, "import pandas as pd");
  EXPECT_EQ(nb.cells[1].source, "df = pd.read_csv('x.csv')\n\ndf.head()");
  EXPECT_EQ(nb.cells[2].source, "print(1)");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(nb.cells[i].number, i + 1);
    EXPECT_EQ(nb.cells[i].type, CellType::code);
    EXPECT_TRUE(nb.cells[i].magic.empty());
  }
}

TEST(Databricks, MagicMarkdownCellsLoseTheirPrefixes) {
  const std::string text =
      "# Databricks notebook source\n"
      "# MAGIC %md\n"
      "# MAGIC ## Load data\n"
      "# MAGIC\n"
      "# MAGIC Two  spaces kept.\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %md ### Inline heading\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC  %md\n"
      "# MAGIC Extra space before the magic\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %md-sandbox\n"
      "# MAGIC <b>html</b>\n";
  const Notebook nb = parse_databricks_source(text, "b.py");
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_EQ(nb.count(CellType::markdown), 4u);
  EXPECT_EQ(nb.cells[0].source, "## Load data\n\nTwo  spaces kept.");
  EXPECT_EQ(nb.cells[0].magic, "md");
  EXPECT_EQ(nb.cells[1].source, "### Inline heading");
  EXPECT_EQ(nb.cells[2].source, "Extra space before the magic");
  EXPECT_EQ(nb.cells[3].magic, "md-sandbox");
  EXPECT_EQ(nb.cells[3].source, "<b>html</b>");
}

TEST(Databricks, OtherMagicsAreCodeCellsThatKeepTheMagicLine) {
  const std::string text =
      "# Databricks notebook source\n"
      "# MAGIC %pip install lightgbm==4.0\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %sql\n"
      "# MAGIC SELECT *\n"
      "# MAGIC FROM t\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %sh ls -l $DIR\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %run ./Common\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %scala\n"
      "# MAGIC val x = 1\n";
  const Notebook nb = parse_databricks_source(text, "c.py");
  ASSERT_EQ(nb.cells.size(), 5u);
  EXPECT_EQ(nb.count(CellType::code), 5u);
  EXPECT_EQ(nb.cells[0].magic, "pip");
  EXPECT_EQ(nb.cells[0].source, "%pip install lightgbm==4.0");
  EXPECT_EQ(nb.cells[1].magic, "sql");
  EXPECT_EQ(nb.cells[1].source, "%sql\nSELECT *\nFROM t");
  EXPECT_EQ(nb.cells[2].magic, "sh");
  EXPECT_EQ(nb.cells[3].magic, "run");
  EXPECT_EQ(nb.cells[3].source, "%run ./Common");
  EXPECT_EQ(nb.cells[4].magic, "scala");
  EXPECT_EQ(nb.cells[4].source, "%scala\nval x = 1");
}

TEST(Databricks, DbtitleBecomesTheCellTitle) {
  const std::string text =
      "# Databricks notebook source\n"
      "# DBTITLE 1,Load the table\n"
      "df = spark.table('t')\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# DBTITLE 1, Install, then restart\n"
      "# MAGIC %pip install x\n";
  const Notebook nb = parse_databricks_source(text, "d.py");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].title, "Load the table");
  EXPECT_EQ(nb.cells[0].source, "df = spark.table('t')");
  EXPECT_EQ(nb.cells[1].title, "Install, then restart");
  EXPECT_EQ(nb.cells[1].magic, "pip");
}

TEST(Databricks, EmptyCellsAreKept) {
  const std::string text =
      "# Databricks notebook source\n"
      "x = 1\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "y = 2\n";
  const Notebook nb = parse_databricks_source(text, "e.py");
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.cells[1].source, "");
  EXPECT_EQ(nb.cells[2].number, 3);
}

TEST(Databricks, NotValidPythonStillReads) {
  const std::string text =
      "# Databricks notebook source\n"
      "{{- if .with_models }}\n"
      "x = {{ .value }}\n"
      "{{end -}}\n"
      "# COMMAND ----------\n"
      "def broken(:\n";
  const Notebook nb = parse_databricks_source(text, "t.py.tmpl");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].source, "{{- if .with_models }}\nx = {{ .value }}\n{{end -}}");
  EXPECT_EQ(nb.cells[1].source, "def broken(:");
}

TEST(Databricks, SqlAndScalaCommentForms) {
  const std::string sql =
      "-- Databricks notebook source\n"
      "SELECT 1\n"
      "\n"
      "-- COMMAND ----------\n"
      "\n"
      "-- MAGIC %md\n"
      "-- MAGIC # Notes\n"
      "\n"
      "-- COMMAND ----------\n"
      "\n"
      "-- DBTITLE 1,Python part\n"
      "-- MAGIC %python\n"
      "-- MAGIC print(1)\n";
  const Notebook a = parse_databricks_source(sql, "q.sql");
  EXPECT_EQ(a.language, "sql");
  ASSERT_EQ(a.cells.size(), 3u);
  EXPECT_EQ(a.cells[0].source, "SELECT 1");
  EXPECT_EQ(a.cells[1].type, CellType::markdown);
  EXPECT_EQ(a.cells[1].source, "# Notes");
  EXPECT_EQ(a.cells[2].title, "Python part");
  EXPECT_EQ(a.cells[2].magic, "python");
  EXPECT_EQ(a.cells[2].source, "%python\nprint(1)");

  const std::string scala =
      "// Databricks notebook source\n"
      "val df = spark.read.parquet(\"p\")\n"
      "\n"
      "// COMMAND ----------\n"
      "\n"
      "// MAGIC %md Done\n";
  const Notebook b = parse_databricks_source(scala, "s.scala");
  EXPECT_EQ(b.language, "scala");
  ASSERT_EQ(b.cells.size(), 2u);
  EXPECT_EQ(b.cells[1].type, CellType::markdown);
  EXPECT_EQ(b.cells[1].source, "Done");
}

TEST(Databricks, RNotebooksAndWindowsLineEndings) {
  const std::string text =
      "# Databricks notebook source\r\nlibrary(dplyr)\r\n\r\n# COMMAND ----------\r\n\r\n"
      "# MAGIC %md\r\n# MAGIC Hi\r\n";
  const Notebook nb = parse_databricks_source(text, "n.r");
  EXPECT_EQ(nb.language, "r");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].source, "library(dplyr)");
  EXPECT_EQ(nb.cells[1].source, "Hi");
}

TEST(Databricks, PlainCommentsThatLookAlikeAreCode) {
  const std::string text =
      "# Databricks notebook source\n"
      "# MAGICAL numbers below\n"
      "x = 42\n";
  const Notebook nb = parse_databricks_source(text, "m.py");
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_TRUE(nb.cells[0].magic.empty());
  EXPECT_EQ(nb.cells[0].source, "# MAGICAL numbers below\nx = 42");
}

TEST(Databricks, RefusesTextWithoutTheHeader) {
  EXPECT_THROW(parse_databricks_source("import os\n", "plain.py"), Error);
  EXPECT_THROW(parse_databricks_source("", "empty.py"), Error);
}

}  // namespace
}  // namespace judge::notebook
