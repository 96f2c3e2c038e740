// SPDX-License-Identifier: MIT
// The command line itself, through the built binary: subcommand dispatch and usage errors (exit 2), where
// output goes (-o FILE, standard output) and what a failed write does.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../support.hpp"

using judge::test::run_judge;

TEST(Cli, MistypedCommandSuggestsTheClosestOne) {
  const auto r = run_judge("evl 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: unknown command 'evl'; did you mean 'eval'?"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("A subcommand is required"), std::string::npos) << r.out;
}

TEST(Cli, MistypedNestedCommandSuggestsTheClosestOne) {
  const auto r = run_judge("memory shw mem 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown command 'memory shw'; did you mean 'memory show'?"), std::string::npos)
      << r.out;
}

TEST(Cli, UnknownCommandFarFromAnyListsTheCommands) {
  const auto r = run_judge("frobnicate 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown command 'frobnicate'; commands: eval, notebook, align"), std::string::npos)
      << r.out;
}

TEST(Cli, NoCommandStillSaysOneIsRequired) {
  const auto r = run_judge("2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("A subcommand is required"), std::string::npos) << r.out;
}

namespace {

// A fresh, empty folder for one test's files.
std::filesystem::path fresh_folder(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("judge_cli_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST(CliOutput, MissingFolderIsRefusedNotCreated) {
  const auto dir = fresh_folder("missing");
  const auto r = run_judge("eval examples/notebooks -o '" + (dir / "no/dir/x.csv").string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("folder " + (dir / "no/dir").string() + " does not exist"), std::string::npos)
      << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "no"));
  std::filesystem::remove_all(dir);
}

TEST(CliOutput, FolderIsNamedAsAFolder) {
  const auto dir = fresh_folder("folder");
  const auto r = run_judge("eval examples/notebooks -o '" + dir.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("judge: error: " + dir.string() + ": is a folder, not a file"), std::string::npos)
      << r.out;
  std::filesystem::remove_all(dir);
}

TEST(CliOutput, DeviceWriteErrorNamesTheUsersPathAndKeepsTheDevice) {
  const auto dir = fresh_folder("device");
  const auto full = dir / "full";  // a private /dev/full (1,7): a broken writer cannot replace the real one
  if (::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0) GTEST_SKIP() << "mknod needs root";
  const auto r = run_judge("eval examples/notebooks -o '" + full.string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("judge: error: " + full.string() + ": write failed: No space left on device"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(std::filesystem::is_character_file(full));
  std::filesystem::remove_all(dir);
}

TEST(CliOutput, StandardOutputWriteErrorIsAnError) {
  // stderr to the pipe, stdout to /dev/full (every write fails with ENOSPC). The report (1.5 KB) fits stdio's
  // 4 KiB buffer and fails at the final flush, which knows the cause; eval's 10 KB failed earlier, leaving
  // only the stream's error flag; --version is flushed by CLI11 (std::endl) before judge checks.
  const auto report = run_judge(
      "report --labels examples/labels.csv --scores tests/golden/eval_examples.jsonl 2>&1 >/dev/full");
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_EQ(report.out, "judge: error: writing standard output: No space left on device\n");
  for (const std::string args : {"eval examples/notebooks", "--help", "--version"}) {
    const auto r = run_judge(args + " 2>&1 >/dev/full");
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_NE(r.out.find("judge: error: writing standard output: "), std::string::npos) << args << "\n"
                                                                                        << r.out;
  }
}
