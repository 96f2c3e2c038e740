// SPDX-License-Identifier: MIT
// Many machines: judge eval --shard K/N and --paths-from, judge merge, and judge report on the parts, through
// the built binary with the offline judge on examples/notebooks.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support.hpp"

using judge::test::run_judge;
using judge::test::TempDir;

namespace {

const std::string k_nb = "examples/notebooks/";

// The notebooks named by JSON Lines `text`, in first-seen order.
std::vector<std::string> notebooks_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto nb = nlohmann::json::parse(line).at("notebook").get<std::string>();
    if (out.empty() || out.back() != nb) out.push_back(nb);
  }
  return out;
}

// judge run with `args` from the source folder, its standard input the output of the shell command `input`.
judge::test::RunResult run_judge_fed(const std::string& input, const std::string& args) {
  return judge::test::run_command("cd '" + judge::test::source_dir().string() + "' && " + input + " | '" +
                                  std::string(JUDGE_BINARY) + "' " + args);
}

// JSON Lines `text` with the key `drop` removed from every record, one record a line.
std::string without_key(const std::string& text, const std::string& drop) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto j = nlohmann::ordered_json::parse(line);
    j.erase(drop);
    out += j.dump() + "\n";
  }
  return out;
}

}  // namespace

// The parts of examples/notebooks in 3 and 5 shards, computed outside judge with Python's hashlib
// (1 + int.from_bytes(sha256(path).digest()[:8], "big") % N over the paths as eval names them).
TEST(ShardCli, EvalTakesThePartsComputedByHand) {
  const std::map<int, std::vector<std::string>> three = {
      {1, {}},
      {2, {"house_prices_average.ipynb", "sales_eda_no_model.ipynb", "taxi_tips_databricks.py"}},
      {3, {"churn_good.ipynb", "iris_bad.ipynb"}},
  };
  const std::map<int, std::vector<std::string>> five = {
      {1, {"house_prices_average.ipynb"}}, {2, {"sales_eda_no_model.ipynb"}}, {3, {"churn_good.ipynb"}},
      {4, {"taxi_tips_databricks.py"}},    {5, {"iris_bad.ipynb"}},
  };
  for (const auto& [n, parts] : {std::pair(3, three), std::pair(5, five)})
    for (const auto& [k, names] : parts) {
      const std::string shard = std::to_string(k) + "/" + std::to_string(n);
      const auto r = run_judge("eval examples/notebooks --format jsonl --shard " + shard);
      ASSERT_EQ(r.exit_code, 0) << shard;
      std::vector<std::string> expected;
      for (const auto& name : names) expected.push_back(k_nb + name);
      EXPECT_EQ(notebooks_of(r.out), expected) << shard;
      if (!r.out.empty()) {
        EXPECT_NE(r.out.find("\"shard\":\"" + shard + "\"}\n"), std::string::npos) << r.out.substr(0, 400);
      }
    }
}

// The parts are disjoint and their union is the whole run: merged, they are the single run item for item
// (each record with its shard added), in the single run's order.
TEST(ShardCli, MergedPartsEqualTheSingleRun) {
  TempDir dir("shard");
  const auto whole = run_judge("eval examples/notebooks --format jsonl");
  ASSERT_EQ(whole.exit_code, 0);
  std::string parts;
  for (int k = 1; k <= 3; ++k) {
    const auto part = dir / ("part" + std::to_string(k) + ".jsonl");
    ASSERT_EQ(run_judge("eval examples/notebooks --format jsonl --shard " + std::to_string(k) + "/3 -o '" +
                        part.string() + "'")
                  .exit_code,
              0);
    parts += " '" + part.string() + "'";
  }
  // Part 1 is empty (no notebook hashes to it): merge refuses it unless told that empty parts are shards
  // that held no notebook.
  const auto refused = run_judge("merge" + parts + " 2>&1");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(
      refused.out.find("part1.jsonl: empty: a judge eval that failed leaves an empty file too; when this "
                       "part is a shard that held no notebook (judge eval said so), merge with "
                       "--allow-empty"),
      std::string::npos)
      << refused.out;
  const auto merged = run_judge("merge --allow-empty" + parts + " 2>" + (dir / "err").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.out;
  EXPECT_EQ(without_key(merged.out, "shard"), without_key(whole.out, ""));
  EXPECT_EQ(judge::test::run_command("cat '" + (dir / "err").string() + "'").out,
            "judge: merged 3 parts (shards of 3), 1 empty: 5 notebooks, 45 records (jsonl)\n");

  // Without part 3, merge says which shard is missing (part 1 is empty: it stands for one missing shard).
  const auto missing = run_judge("merge --allow-empty '" + (dir / "part1.jsonl").string() + "' '" +
                                 (dir / "part2.jsonl").string() + "' 2>&1");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("missing shards: 1/3, 3/3: no part given holds their records (1 empty part(s)"),
            std::string::npos)
      << missing.out;
  // The same part twice: said once, as such, not as a duplicate of each of its records.
  const auto twice = run_judge("merge '" + (dir / "part3.jsonl").string() + "' '" +
                               (dir / "part3.jsonl").string() + "' 2>&1");
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.out.find("part3.jsonl: the same file as " + (dir / "part3.jsonl").string() +
                           ", given before: give each part once"),
            std::string::npos)
      << twice.out;
  EXPECT_EQ(twice.out.find("duplicate item"), std::string::npos) << twice.out;
}

// CSV parts merge into the single run's CSV, header once.
TEST(ShardCli, MergesCsvParts) {
  TempDir dir("shard");
  const auto whole = run_judge("eval examples/notebooks --format csv");
  std::string parts;
  for (int k = 1; k <= 5; ++k) {
    const auto part = dir / ("part" + std::to_string(k) + ".csv");
    ASSERT_EQ(run_judge("eval examples/notebooks --format csv --shard " + std::to_string(k) + "/5 -o '" +
                        part.string() + "'")
                  .exit_code,
              0);
    parts = " '" + part.string() + "'" + parts;  // given in reverse: the order comes from the paths
  }
  const auto merged = run_judge("merge --allow-empty" + parts + " 2>/dev/null");
  ASSERT_EQ(merged.exit_code, 0);
  EXPECT_EQ(merged.out, whole.out);
}

TEST(ShardCli, BadShardIsAUsageError) {
  for (const auto& [arg, what] : std::vector<std::pair<std::string, std::string>>{
           {"0/3", "--shard \"0/3\": K must be between 1 and N (parts are numbered from 1: 1/3 .. 3/3)"},
           {"4/3", "--shard \"4/3\": K must be between 1 and N"},
           {"3", "--shard \"3\": expected K/N"},
           {"1/0", "--shard \"1/0\": N must be between 1 and 1000000"},
           // given empty (an unset "$SHARD"): an error, not a run of every notebook
           {"", "--shard \"\": expected K/N"}}) {
    const auto r = run_judge("eval examples/notebooks --shard '" + arg + "' 2>&1");
    EXPECT_EQ(r.exit_code, 2) << arg;
    EXPECT_NE(r.out.find("judge: error: " + what), std::string::npos) << r.out;
  }
}

// --paths-from -: the paths on standard input, one a line, scored in that order, JSON Lines on stdout.
TEST(PathsFrom, ReadsNotebookPathsFromStandardInput) {
  const std::string list = k_nb + "iris_bad.ipynb\\n\\n" + k_nb + "churn_good.ipynb\\r\\n";
  const auto r =
      run_judge_fed("printf '" + list + "'", "eval --paths-from - --dimensions model_training,model_use");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto direct = run_judge("eval " + k_nb + "iris_bad.ipynb " + k_nb +
                                "churn_good.ipynb --format jsonl --dimensions model_training,model_use");
  EXPECT_EQ(r.out, direct.out);  // stdout not a terminal: JSON Lines
  EXPECT_EQ(notebooks_of(r.out),
            (std::vector<std::string>{k_nb + "iris_bad.ipynb", k_nb + "churn_good.ipynb"}));

  TempDir dir("paths");
  const auto file = dir.write("list.txt", k_nb + "sales_eda_no_model.ipynb\n");
  const auto from_file =
      run_judge("eval " + k_nb + "iris_bad.ipynb --paths-from '" + file.string() + "' --format jsonl");
  ASSERT_EQ(from_file.exit_code, 0);
  EXPECT_EQ(notebooks_of(from_file.out),
            (std::vector<std::string>{k_nb + "iris_bad.ipynb", k_nb + "sales_eda_no_model.ipynb"}));
}

TEST(PathsFrom, MissingPathsAreListedWithTheirLines) {
  const auto r = run_judge_fed("printf '" + k_nb + "iris_bad.ipynb\\nnope.ipynb\\nalso/missing\\n'",
                               "eval --paths-from - 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("2 problems in the notebook paths of --paths-from standard input (one path a line):\n"
                       "  standard input:2: nope.ipynb: no such file or folder\n"
                       "  standard input:3: also/missing: no such file or folder"),
            std::string::npos)
      << r.out;
  const auto empty = run_judge_fed("printf '\\n'", "eval --paths-from - 2>&1");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.out.find("no notebook paths in --paths-from -"), std::string::npos) << empty.out;
  const auto none = run_judge("eval 2>&1");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.out.find("no notebook paths: name files or folders, or --paths-from FILE"),
            std::string::npos)
      << none.out;
}

// A list of notebook paths named where a notebook goes is refused before any work (exit 2) with the
// --paths-from that takes it; a .txt that is a notebook (Databricks source) is still read.
TEST(PathsFrom, AListGivenAsANotebookSuggestsPathsFrom) {
  TempDir dir("paths");
  // Paths that exist (from the source folder, where run_judge runs), a blank line, one that exists nowhere
  // but is a notebook by its extension.
  const auto list =
      dir.write("heldout.txt", k_nb + "iris_bad.ipynb\n\n" + k_nb + "churn_good.ipynb\nx.ipynb\n");
  auto r = run_judge("eval '" + list.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "judge: error: " + list.string() +
                       ": not a notebook but a list of paths (the first: " + k_nb +
                       "iris_bad.ipynb); to score the notebooks a file lists, one path a line, give it as "
                       "--paths-from: judge eval --paths-from " +
                       list.string() + "\n");
  // Any extension: the lines decide.
  const auto plain = dir.write("heldout", k_nb + "iris_bad.ipynb\n");
  r = run_judge("eval '" + plain.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(": not a notebook but a list of paths (the first: " + k_nb + "iris_bad.ipynb)"),
            std::string::npos)
      << r.out;
  // A .lst whose lines are not paths: its extension says what it is meant to be.
  const auto lst = dir.write("heldout.lst", "iris bad\n");
  r = run_judge("eval '" + lst.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(lst.string() +
                       ": not a notebook (a .lst file that reads as none); if it lists notebook "
                       "paths, one a line, give it as --paths-from: judge eval --paths-from " +
                       lst.string()),
            std::string::npos)
      << r.out;
  // Neither: an unreadable notebook, as before (exit 4).
  const auto notes = dir.write("notes.md", "iris bad\n");
  r = run_judge("eval '" + notes.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_EQ(r.out.find("--paths-from"), std::string::npos) << r.out;
  // A Databricks notebook saved as .txt is a notebook.
  const auto source = dir.write("nb.txt", "# Databricks notebook source\nimport pandas as pd\n");
  r = run_judge("eval --format jsonl '" + source.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

// judge report takes the parts of one run as it takes the merged file: the same figures.
TEST(ShardCli, ReportTakesThePartsAsTheMergedFile) {
  TempDir dir("shard");
  std::string parts_args, parts;
  for (int k = 1; k <= 5; ++k) {
    const auto part = dir / ("part" + std::to_string(k) + ".jsonl");
    ASSERT_EQ(run_judge("eval examples/notebooks --format jsonl --shard " + std::to_string(k) + "/5 -o '" +
                        part.string() + "'")
                  .exit_code,
              0);
    parts_args += " --scores '" + part.string() + "'";
    parts += " '" + part.string() + "'";
  }
  const auto merged = dir / "merged.jsonl";
  ASSERT_EQ(run_judge("merge --allow-empty" + parts + " -o '" + merged.string() + "' 2>/dev/null").exit_code,
            0);
  const std::string common = "report --labels examples/labels.csv --bootstrap 200 --format json";
  const auto from_parts = run_judge(common + parts_args);
  const auto from_merged = run_judge(common + " --scores '" + merged.string() + "'");
  ASSERT_EQ(from_parts.exit_code, 0) << from_parts.out;
  ASSERT_EQ(from_merged.exit_code, 0) << from_merged.out;
  auto a = nlohmann::json::parse(from_parts.out), b = nlohmann::json::parse(from_merged.out);
  ASSERT_TRUE(a.contains("judges")) << from_parts.out.substr(0, 500);
  EXPECT_EQ(a["judges"], b["judges"]);
  EXPECT_FALSE(a["judges"].empty());
}

// Parts of one run whose provenance differs (here the rubric hash, as two machines with different rubric
// files would write) are refused by judge report as judge merge refuses them, naming both files; the same
// parts with one provenance, and two runs of different judges (--name), are read.
TEST(ShardCli, ReportRefusesPartsOfOneRunWithDifferentProvenance) {
  TempDir dir("shard");
  // judge eval's records with the provenance an LLM judge writes (the offline judge writes none).
  auto with_provenance = [](const std::string& text, const std::string& rubric_hash) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      auto j = nlohmann::ordered_json::parse(line);
      j["provenance"] = {{"tool_version", "1.0"},
                         {"judge", "heuristic"},
                         {"rubric_hash", rubric_hash},
                         {"prompt_template_hash", "t"}};
      out += j.dump() + "\n";
    }
    return out;
  };
  std::vector<std::string> parts;
  for (int k = 1; k <= 2; ++k) {
    const auto r = run_judge("eval examples/notebooks --format jsonl --shard " + std::to_string(k) + "/2");
    ASSERT_EQ(r.exit_code, 0);
    parts.push_back(r.out);
  }
  const auto a = dir.write("a.jsonl", with_provenance(parts[0], "R1"));
  const auto b_same = dir.write("b-same.jsonl", with_provenance(parts[1], "R1"));
  const auto b = dir.write("b.jsonl", with_provenance(parts[1], "R2"));
  const std::string common = "report --labels examples/labels.csv --bootstrap 200 --format json";
  const auto refused =
      run_judge(common + " --scores '" + a.string() + "' --scores '" + b.string() + "' 2>&1");
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("judge: error: the score files hold the parts of one run of a judge"),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find(b.string() + ":1: provenance.rubric_hash is R2, but R1 in " + a.string() + ":1"),
            std::string::npos)
      << refused.out;
  // judge merge says the same of the same parts: one check.
  const auto merge = run_judge("merge '" + a.string() + "' '" + b.string() + "' 2>&1 >/dev/null");
  EXPECT_EQ(merge.exit_code, 1);
  EXPECT_NE(merge.out.find(b.string() + ":1: provenance.rubric_hash is R2, but R1 in " + a.string() + ":1"),
            std::string::npos)
      << merge.out;

  const auto same = run_judge(common + " --scores '" + a.string() + "' --scores '" + b_same.string() + "'");
  EXPECT_EQ(same.exit_code, 0) << same.out;
  // Two runs of different judges are not parts of one run: their provenance may differ.
  const auto other = run_judge("eval examples/notebooks --format jsonl --name other");
  ASSERT_EQ(other.exit_code, 0);
  const auto c = dir.write("c.jsonl", with_provenance(other.out, "R3"));
  const auto two_judges = run_judge(common + " --scores '" + a.string() + "' --scores '" + b_same.string() +
                                    "' --scores '" + c.string() + "'");
  EXPECT_EQ(two_judges.exit_code, 0) << two_judges.out;
  // The same file twice is said as such (usage), not as one judge scoring each item in two files.
  const auto twice = run_judge(common + " --scores '" + a.string() + "' --scores '" + a.string() + "' 2>&1");
  EXPECT_EQ(twice.exit_code, 2) << twice.out;
  EXPECT_NE(twice.out.find(a.string() + " is given twice as --scores (first as " + a.string() +
                           "): give each file once"),
            std::string::npos)
      << twice.out;
}

// --paths-from takes a file of paths: a folder given instead is named as such, with what to do.
TEST(PathsFrom, AFolderIsNamedAsSuch) {
  const auto r = run_judge("eval --paths-from examples/notebooks 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.out.find("judge: error: examples/notebooks: is a folder, but --paths-from takes a file that lists "
                 "notebook paths, one a line; to score the notebooks in a folder, name the folder itself: "
                 "judge eval examples/notebooks"),
      std::string::npos)
      << r.out;
}

// A notebook inside a .dbc archive is sharded by its name as eval writes it (ARCHIVE.dbc!/inner), so one
// archive's notebooks may go to different parts; a file that cannot be read is sharded by its path too, its
// `unreadable` records in its part. Parts computed with Python's hashlib as above.
TEST(ShardCli, ArchiveMembersAndUnreadableFilesAreShardedByTheirNames) {
  JUDGE_REQUIRE_SHARED_DATA();
  TempDir dir("shard");
  std::filesystem::copy_file(judge::test::shared_data() / "edge/mlflow_workshop_part3_small_archive.dbc",
                             dir / "b.dbc");
  dir.write("nb/bad.ipynb", "{ not json");
  std::filesystem::copy_file(judge::test::source_dir() / "examples/notebooks/iris_bad.ipynb",
                             dir / "nb/iris.ipynb");
  auto eval = [&](const std::string& more) {
    return judge::test::run_command("cd '" + dir.str() + "' && '" + std::string(JUDGE_BINARY) +
                                    "' eval b.dbc nb --dimensions model_training --format jsonl 2>/dev/null" +
                                    more);
  };
  const std::string member = "b.dbc!/MLflowWorkshopPart-3/";
  const auto one = eval(" --shard 1/2"), two = eval(" --shard 2/2"), whole = eval("");
  EXPECT_EQ(one.exit_code, 4);  // nb/bad.ipynb is unreadable
  EXPECT_EQ(two.exit_code, 0);
  EXPECT_EQ(notebooks_of(one.out),
            (std::vector<std::string>{member + "New Modularized MLflow Model Registry Example.python",
                                      "nb/bad.ipynb"}));
  EXPECT_EQ(notebooks_of(two.out),
            (std::vector<std::string>{member + "classes_init.python", "nb/iris.ipynb"}));
  EXPECT_NE(one.out.find(R"("notebook":"nb/bad.ipynb","dimension":"model_training","status":"unreadable")"),
            std::string::npos)
      << one.out;
  // Together the parts are the whole run, record for record (the whole run lists unreadable files last).
  auto sorted_lines = [](const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  EXPECT_EQ(sorted_lines(without_key(one.out + two.out, "shard")), sorted_lines(without_key(whole.out, "")));
  EXPECT_EQ(sorted_lines(whole.out).size(), 4u);
}
