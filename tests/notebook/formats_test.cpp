// SPDX-License-Identifier: MIT
// The readers table and format detection. Expected readers from the rules in README.md "Which files are
// notebooks", worked out by hand for each text.
#include "judge/notebook/formats.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "../support.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"

namespace judge::notebook {
namespace {

namespace fs = std::filesystem;

TEST(Formats, EachFormatHasOneReaderAndItsName) {
  EXPECT_STREQ(to_string(Format::ipynb), "ipynb");
  EXPECT_STREQ(to_string(Format::databricks), "databricks");
  EXPECT_STREQ(to_string(Format::jupytext), "jupytext");
  EXPECT_STREQ(to_string(Format::dbc), "dbc");
  std::set<Format> formats;
  std::set<std::string> names;
  for (const Reader& r : readers()) {
    SCOPED_TRACE(r.name);
    EXPECT_TRUE(formats.insert(r.format).second) << "two readers for one format";
    EXPECT_TRUE(names.insert(r.name).second);
    EXPECT_NE(r.parse == nullptr, r.read == nullptr) << "a reader parses text or reads the file, not both";
    EXPECT_FALSE(r.extensions.empty()) << "a folder walk would never find it";
    EXPECT_TRUE(r.extension_decides || r.sniff) << "nothing would ever choose it";
    EXPECT_EQ(r.sniff == nullptr, r.lacks.empty()) << "the \"not a notebook\" message names content tests";
    for (const auto ext : r.extensions) EXPECT_EQ(ext, util::to_lower(std::string(ext)));
  }
  EXPECT_EQ(formats.size(), 4u);
}

Format detected(const std::string& file, const std::string& text) {
  const Reader* r = detect_format(file, text);
  EXPECT_NE(r, nullptr) << file << ": " << text;
  return r ? r->format : Format::ipynb;
}

// A file named on the command line: its extension decides for .ipynb and .dbc, else its content does: a
// Databricks first line, else a Jupytext marker line, else JSON.
TEST(Formats, DetectionOfANamedFile) {
  EXPECT_EQ(detected("a.ipynb", "# Databricks notebook source\n"), Format::ipynb);
  EXPECT_EQ(detected("A.IPYNB", "not json"), Format::ipynb);
  EXPECT_EQ(detected("a.dbc", "{}"), Format::dbc);
  EXPECT_EQ(detected("a.txt", "# Databricks notebook source\n# %%\nx = 1\n"), Format::databricks);
  EXPECT_EQ(detected("a.sql", "-- Databricks notebook source\nSELECT 1\n"), Format::databricks);
  EXPECT_EQ(detected("a.r", "x <- 1\n# %%\ny <- 2\n"), Format::jupytext);  // named: any extension
  EXPECT_EQ(detected("export.json", "  \n {\"nbformat\": 4}"), Format::ipynb);
  // A text that starts like JSON but has a marker line is a Jupytext script ('{' is only a fallback).
  EXPECT_EQ(detected("a.txt", "{\n# %%\nx = 1\n"), Format::jupytext);
  EXPECT_EQ(detected("a.py", "\xEF\xBB\xBF# %%\nx = 1\n"), Format::jupytext);  // byte order mark ignored
  EXPECT_EQ(detect_format("a.py", "import os\n# %%capture\n"), nullptr);
  EXPECT_EQ(detect_format("a.py", ""), nullptr);
}

// A folder walk takes a file only by a format's extension: a Jupytext marker counts in .py files alone.
TEST(Formats, FolderWalkChecksTheExtensionFirst) {
  const test::TempDir dir("judge_formats");
  auto write = [&](const std::string& name, const std::string& text) {
    util::write_file_atomic(dir.path() / name, text);
    return dir.path() / name;
  };
  EXPECT_TRUE(is_notebook_file(write("bom.py", "\xEF\xBB\xBF# %%\nx = 1\n")));
  EXPECT_FALSE(is_notebook_file(write("j.r", "# %%\nx <- 1\n")));
  EXPECT_TRUE(is_notebook_file(write("d.r", "# Databricks notebook source\nx <- 1\n")));
  EXPECT_FALSE(is_notebook_file(write("n.json", "{\"nbformat\": 4}")));
  EXPECT_TRUE(is_notebook_file(write("broken.ipynb", "{")));  // read later, and reported as unreadable
}

}  // namespace
}  // namespace judge::notebook
