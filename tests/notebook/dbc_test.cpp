// SPDX-License-Identifier: MIT
// .dbc archives: small archives built here with libzip from JSON written by hand (the layout described at the
// top of src/notebook/dbc.cpp); expected cells worked out by hand.
#include "judge/notebook/dbc.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "judge/util/fs.hpp"

namespace judge::notebook {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class DbcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("judge_dbc_test_" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  // Writes a zip at m_dir/name with the given members (name -> bytes).
  fs::path make_zip(const std::string& name, const std::map<std::string, std::string>& members) {
    const fs::path path = m_dir / name;
    int err = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    EXPECT_NE(zip, nullptr);
    for (const auto& [member, bytes] : members) {
      zip_source_t* src = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
      EXPECT_GE(zip_file_add(zip, member.c_str(), src, ZIP_FL_OVERWRITE), 0);
    }
    EXPECT_EQ(zip_close(zip), 0);
    return path;
  }

  fs::path m_dir;
};

json command(const std::string& text, double position) {
  return {{"version", "CommandV1"}, {"command", text},  {"position", position},   {"commandTitle", ""},
          {"results", nullptr},     {"error", nullptr}, {"errorSummary", nullptr}};
}

TEST_F(DbcTest, EachNotebookMemberIsANotebookInPositionOrder) {
  json nb1 = {
      {"version", "NotebookV1"}, {"name", "train"}, {"language", "python"}, {"commands", json::array()}};
  nb1["commands"].push_back(command("x = 1", 2.0));
  nb1["commands"].push_back(command("%md # Title\nIntro", 1.0));
  nb1["commands"].push_back(command("%sql\nSELECT 1", 3.5));
  nb1["commands"].push_back(command("%pip install xgboost", 3.0));
  json nb2 = {{"version", "NotebookV1"}, {"name", "etl"}, {"language", "scala"}, {"commands", json::array()}};
  nb2["commands"].push_back(command("val x = 1", 0.5));
  const json folder = {{"version", "FolderV1"}, {"name", "proj"}, {"children", json::array({nb1})}};
  const fs::path path = make_zip("work.dbc", {{"manifest.mf", R"({"version":"Manifest"})"},
                                              {"proj/", folder.dump()},
                                              {"proj/train.python", nb1.dump()},
                                              {"proj/sub/etl.scala", nb2.dump()}});
  const ReadResult r = read_dbc(path);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.notebooks.size(), 2u);  // the folder's embedded copy is not read twice
  const Notebook& etl = r.notebooks[0];
  const Notebook& train = r.notebooks[1];
  EXPECT_EQ(etl.path, path.string() + "!/proj/sub/etl.scala");
  EXPECT_EQ(etl.language, "scala");
  EXPECT_EQ(train.path, path.string() + "!/proj/train.python");
  EXPECT_EQ(train.format, Format::dbc);
  ASSERT_EQ(train.cells.size(), 4u);
  EXPECT_EQ(train.cells[0].type, CellType::markdown);
  EXPECT_EQ(train.cells[0].source, "# Title\nIntro");
  EXPECT_EQ(train.cells[1].source, "x = 1");
  EXPECT_EQ(train.cells[2].magic, "pip");
  EXPECT_EQ(train.cells[2].source, "%pip install xgboost");
  EXPECT_EQ(train.cells[3].magic, "sql");
  EXPECT_EQ(train.cells[3].source, "%sql\nSELECT 1");
  EXPECT_EQ(train.cells[3].number, 4);
  // Named by read_path after the archive's name relative to the folder argument, then the inner path.
  const ReadResult walked = read_path(m_dir);
  ASSERT_EQ(walked.notebooks.size(), 2u);
  EXPECT_EQ(walked.notebooks[0].name, "work.dbc!/proj/sub/etl.scala");
  EXPECT_EQ(read_path(path).notebooks[1].name, "work.dbc!/proj/train.python");
}

TEST_F(DbcTest, ResultsErrorsAndTitlesBecomeOutputs) {
  json nb = {{"version", "NotebookV1"}, {"name", "n"}, {"language", "python"}, {"commands", json::array()}};
  json c1 = command("print('a < b')", 1);
  c1["commandTitle"] = "Say it";
  c1["results"] = {{"type", "html"}, {"data", "<div class=\"ansiout\">a &lt; b\n</div>"}};
  json c2 = command("spark.table('t').limit(3)", 2);
  c2["results"] = {{"type", "table"},
                   {"data", json::array({json::array({1}), json::array({2}), json::array({3})})}};
  json c3 = command("1/0", 3);
  c3["errorSummary"] = "<span class='ansi-red-fg'>ZeroDivisionError</span>: division by zero";
  nb["commands"] = {c1, c2, c3};
  const ReadResult r = read_dbc(make_zip("out.dbc", {{"n.python", nb.dump()}}));
  ASSERT_EQ(r.notebooks.size(), 1u);
  const auto& cells = r.notebooks[0].cells;
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].title, "Say it");
  ASSERT_EQ(cells[0].outputs.size(), 1u);
  EXPECT_EQ(cells[0].outputs[0].text, "a < b\n");
  ASSERT_EQ(cells[1].outputs.size(), 1u);
  EXPECT_EQ(cells[1].outputs[0].text, "[table output, 3 rows]");
  ASSERT_EQ(cells[2].outputs.size(), 1u);
  EXPECT_EQ(cells[2].outputs[0].kind, "error");
  EXPECT_EQ(cells[2].outputs[0].ename, "ZeroDivisionError");
  EXPECT_EQ(cells[2].outputs[0].evalue, "division by zero");
}

TEST_F(DbcTest, BadMembersAreReportedAndTheRestRead) {
  const json good = {
      {"version", "NotebookV1"}, {"language", "python"}, {"commands", json::array({command("x = 1", 1)})}};
  const fs::path path = make_zip("mixed.dbc", {{"a.python", "{not json"}, {"b.python", good.dump()}});
  const ReadResult r = read_dbc(path);
  ASSERT_EQ(r.notebooks.size(), 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message(),
            path.string() + "!/a.python: not a Databricks notebook (member is not a JSON object)");
}

TEST_F(DbcTest, NotAZipOrNoNotebooksIsOneError) {
  const fs::path text = m_dir / "fake.dbc";
  util::write_file_atomic(text, "plain text, not a zip");
  const ReadResult a = read_dbc(text);
  EXPECT_TRUE(a.notebooks.empty());
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].message(), text.string() + ": not a readable .dbc archive (Not a zip archive)");

  const ReadResult b = read_dbc(make_zip("empty.dbc", {{"manifest.mf", R"({"version":"Manifest"})"}}));
  ASSERT_EQ(b.errors.size(), 1u);
  EXPECT_NE(b.errors[0].message().find("no notebooks in the .dbc archive"), std::string::npos);
}

}  // namespace
}  // namespace judge::notebook
