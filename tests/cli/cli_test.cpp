// SPDX-License-Identifier: MIT
// The command line itself, through the built binary: subcommand dispatch and usage errors (exit 2), where
// output goes (-o FILE, standard output) and what a failed write does.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

// "alling": a letter doubled and two swapped, 3 edits from align by edit_distance, 2 counting the swap as one
// (util::typo_distance).
TEST(Cli, MistypedCommandWithSwappedLettersSuggestsTheClosestOne) {
  const auto r = run_judge("alling --labels l.csv 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown command 'alling'; did you mean 'align'?\n"
            "Run with --help for more information.\n")
      << r.out;
}

TEST(Cli, UnknownCommandFarFromAnyListsTheCommands) {
  const auto r = run_judge("frobnicate 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown command 'frobnicate'; commands: eval, notebook, align"), std::string::npos)
      << r.out;
}

TEST(Cli, MistypedOptionSuggestsTheClosestOptionOfItsCommand) {
  // --rater is one letter short of align's --raters; "house" is its value (CLI11 lists it as not expected
  // too, before the option), so it is not named apart.
  auto r = run_judge("align --labels l.csv --notebooks nb --memory mem --rater house 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown option --rater; did you mean --raters?\n"
            "Run with --help for more information.\n")
      << r.out;
  // Two: an underscore for report's --fail-if, and --seeds for --seed, each named with its word, in order.
  r = run_judge("report --labels l.csv --scores s.jsonl --fail_if=mae --seeds 3 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown options: --fail_if (did you mean --fail-if?), --seeds (did you mean "
            "--seed?)\nRun with --help for more information.\n")
      << r.out;
  // A word that is neither a misspelt option nor its value is still said: "extra" after a known option's
  // value, and --xx, close to no option.
  r = run_judge("validate --labels l.csv --notebooks nb --fold 4 extra --xx 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown option --fold; did you mean --folds?; not expected either: extra --xx\n"
            "Run with --help for more information.\n")
      << r.out;
  // A misspelt flag takes no value: the word after it is said (report's --calibrate; memory show's --help). A
  // word CLI11 took as a positional is not the value either: memory show's DIR, given twice, once left over.
  // A negative number is a value; a misspelling given twice is named once.
  for (const auto& [args, said] : std::vector<std::pair<std::string, std::string>>{
           {"report --labels l --scores s --calibrat extra",
            "unknown option --calibrat; did you mean --calibrate?; not expected either: extra"},
           {"memory show DIR --hepl DIR2",
            "unknown option --hepl; did you mean --help?; not expected either: DIR2"},
           {"memory show --hepl DIR DIR",
            "unknown option --hepl; did you mean --help?; not expected either: DIR"},
           {"report --labels l --scores s --seeds -3", "unknown option --seeds; did you mean --seed?"},
           {"report --labels l --scores s --judg=x --judg x", "unknown option --judg; did you mean --judge?"},
           // The same text as a known option's value too: that one CLI11 took, this one is the value.
           {"validate --labels l --notebooks n --folds 4 --sead 4",
            "unknown option --sead; did you mean --seed?"},
           {"report --labels l --scores s --judge h --compar h",
            "unknown option --compar; did you mean --compare?"}}) {
    r = run_judge(args + " 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "judge: error: " + said + "\nRun with --help for more information.\n") << args;
  }
  // A short word is no misspelling of eval's one-letter -k (--k, two edits from --xx): no suggestion.
  r = run_judge("eval nbs --xx 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: The following argument was not expected: --xx\n"), std::string::npos)
      << r.out;
  // An option far from every option of the command: CLI11's message alone.
  r = run_judge("align --labels l.csv --notebooks nb --memory mem --frobnicate 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: The following argument was not expected: --frobnicate\n"),
            std::string::npos)
      << r.out;
}

TEST(Cli, MistypedRequiredOptionSuggestsTheClosestOption) {
  // --label for validate's required --labels: CLI11 says the required option is missing before it says what
  // it did not expect, so the suggestion names the word it is for.
  auto r = run_judge("validate --label l.csv --notebooks nb 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown option --label; did you mean --labels?\n"
            "Run with --help for more information.\n")
      << r.out;
  // Two required ones misspelt: CLI11 names the first missing; both words get their option, in order.
  r = run_judge("align --lables l.csv --notebook nb --memory mem 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown options: --lables (did you mean --labels?), --notebook (did you mean "
            "--notebooks?)\nRun with --help for more information.\n")
      << r.out;
  // A misspelt word near another required option than the one CLI11 names missing: both are said.
  r = run_judge("validate --notebok nb 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: --labels is required; unknown option --notebok; did you mean --notebooks?\n"
            "Run with --help for more information.\n")
      << r.out;
  // A required option simply left out, nothing misspelt: CLI11's message alone.
  r = run_judge("validate --notebooks nb 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: --labels is required\n"), std::string::npos) << r.out;
}

// A value off an option's fixed list: CLI11's message, which lists the values, and the one it seems a
// misspelling of (cli::one_of), as for a misspelt option.
TEST(Cli, AMisspeltOptionValueSuggestsTheClosestValue) {
  auto r = run_judge("report --labels l.csv --scores s.jsonl --format cvs 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: --format: cvs not in {table,json,markdown,html,junit,csv}; did you mean csv?\n"
            "Run with --help for more information.\n")
      << r.out;
  // judge eval's record formats; case aside (CSV is csv).
  r = run_judge("eval nbs --format CSV 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.out.find("judge: error: --format: CSV not in {table,jsonl,json,csv,markdown}; did you mean csv?\n"),
      std::string::npos)
      << r.out;
  r = run_judge("align --labels l.csv --notebooks nb --memory mem --calibration isotonic-meidan 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--calibration: isotonic-meidan not in {isotonic,isotonic-median}; did you mean "
                       "isotonic-median?\n"),
            std::string::npos)
      << r.out;
  // A value near none: the list alone.
  r = run_judge("report --labels l.csv --scores s.jsonl --format pdf 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: --format: pdf not in {table,json,markdown,html,junit,csv}\n"
            "Run with --help for more information.\n")
      << r.out;
  // The help still lists the values.
  r = run_judge("report --help 2>&1");
  EXPECT_NE(r.out.find("{table,json,markdown,html,junit,csv}"), std::string::npos) << r.out;
}

// A value that is no number for a numeric option: CLI11's "Could not convert: --folds = four" in our words,
// naming what the option takes.
TEST(Cli, ANonNumberForANumericOptionSaysWhatItTakes) {
  for (const auto& [args, said] : std::vector<std::pair<std::string, std::string>>{
           {"validate --labels l --notebooks n --folds four", "--folds: \"four\" is not a whole number"},
           {"validate --labels l --notebooks n --folds 2.5", "--folds: \"2.5\" is not a whole number"},
           {"report --labels l --scores s --seed x", "--seed: \"x\" is not a whole number"},
           {"validate --labels l --notebooks n --folds 2147483648",
            "--folds: \"2147483648\" is out of range"},
           // CLI11 alone reads -1 into an unsigned option as 18446744073709551615: another seed, silently.
           {"validate --labels l --notebooks n --seed -1",
            "--seed: \"-1\" is negative; give a whole number from 0"},
           {"report --labels l --scores s --seed -7",
            "--seed: \"-7\" is negative; give a whole number from 0"},
           {"notebook show --full --max-output-chars -3 nb.ipynb",
            "--max-output-chars: \"-3\" is negative; give a whole number from 0"},
           // A percent for a level says the level it means; another value off the range says the range.
           {"report --labels l --scores s --confidence 95",
            "--confidence: \"95\" is not a level from 0.5 to 0.9999 (0.95 for 95%)"},
           {"validate --labels l --notebooks n --confidence 1.5",
            "--confidence: \"1.5\" is not a level from 0.5 to 0.9999"}}) {
    const auto r = run_judge(args + " 2>&1");
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(r.out, "judge: error: " + said + "\nRun with --help for more information.\n") << args;
  }
}

// A misspelt option is no cause of an error about something else: that error is said alone (naming the word
// would read as its cause). The word is named once that error is fixed.
TEST(Cli, AMisspeltOptionIsNotGivenAsTheCauseOfAnotherError) {
  auto r = run_judge("validate --labels x.csv --notebooks d --bootstrap 0 --notebok 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: --bootstrap: Value 0 not in range 1 to 10000000\n"
            "Run with --help for more information.\n")
      << r.out;
  r = run_judge("validate --labels x.csv --notebooks d --bootstrap 5 --notebok 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown option --notebok; did you mean --notebooks?\n"
            "Run with --help for more information.\n")
      << r.out;
  // A required option missing that the misspelt word is not near: that message alone (--bootstrapp is near
  // --bootstrap, which is not required).
  r = run_judge("validate --notebooks d --bootstrapp 5 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "judge: error: --labels is required\nRun with --help for more information.\n") << r.out;
  // Where a subcommand is required, an option that stands instead of one explains the error.
  r = run_judge("--verion 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "judge: error: unknown option --verion; did you mean --version?\n"
            "Run with --help for more information.\n")
      << r.out;
}

// The did-you-mean offers only options the command given takes: --version is the top level's, and no
// subcommand takes it (`judge memory --version` is refused), so `judge memory --verion` and `judge memory
// show DIR --verion` get none; an option the subcommand has is still offered (--help, its own).
TEST(Cli, MisspeltOptionIsMatchedOnlyWithTheCommandsOwnOptions) {
  for (const std::string command : {"memory", "cache", "config"}) {
    const auto r = run_judge(command + " --verion 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "judge: error: A subcommand is required\nRun with --help for more information.\n")
        << r.out;
  }
  for (const std::string command : {"memory show mem", "eval x", "memory forget mem"}) {
    const auto r = run_judge(command + " --verion 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out,
              "judge: error: The following argument was not expected: --verion\n"
              "Run with --help for more information.\n")
        << command << ": " << r.out;
  }
  const auto r = run_judge("memory show mem --hepl 2>&1");
  EXPECT_EQ(r.out,
            "judge: error: unknown option --hepl; did you mean --help?\n"
            "Run with --help for more information.\n")
      << r.out;
  EXPECT_EQ(run_judge("memory --version 2>&1").exit_code, 2);  // what the hint would have led to
  // A word typed before the subcommand is matched with the options of the command it follows: the top level
  // takes --version.
  const auto top = run_judge("--verion eval x 2>&1");
  EXPECT_EQ(top.out,
            "judge: error: unknown option --verion; did you mean --version?\n"
            "Run with --help for more information.\n")
      << top.out;
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

// Whether process `pid` has ended (no longer exists, or is a zombie nobody reaped yet).
bool process_ended(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto paren = line.rfind(')');  // "pid (name) state ..."
  return paren != std::string::npos && line.substr(paren + 2, 1) == "Z";
}

}  // namespace

// `judge cache clear --cache off`: "off" is a cache mode for eval, never a file here, and must not fall back
// to clearing the default cache. The default cache (under a private XDG_CACHE_HOME) is left untouched.
TEST(Cli, CacheCommandsRefuseAModeNameAsTheCacheFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("judge_cli_cache_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "judge");
  std::ofstream(dir / "judge" / "cache.sqlite") << "not touched";
  for (const char* mode : {"off", "ro", "rw"}) {
    const auto r = judge::test::run_command("XDG_CACHE_HOME='" + dir.string() + "' '" + JUDGE_BINARY +
                                            "' cache clear --cache " + mode + " 2>&1");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("is a cache mode, not a file"), std::string::npos) << r.out;
  }
  std::ifstream in(dir / "judge" / "cache.sqlite");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "not touched");
  std::filesystem::remove_all(dir);
}

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
  const judge::test::TempDir temp("judge_cli_test_device");  // removed whatever the test finds
  const auto dir = temp.path();
  // A private /dev/full (1,7), so a broken writer cannot replace the real one; mknod needs root (CAP_MKNOD),
  // and without it the real /dev/full is used, which a user without root cannot replace either.
  std::filesystem::path full = dir / "full";
  if (::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0) {
    ASSERT_NE(::geteuid(), 0u) << "mknod failed as root";
    full = "/dev/full";
  }
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

TEST(CliInterrupt, TerminateKillsTheRunningCommandJudgesAndExits143) {
  const auto dir = fresh_folder("sigterm");
  // Each call starts a child in the judge program's process group, records its pid, and waits for it.
  std::ofstream(dir / "judge.sh") << "sleep 60 &\necho $! >> '" << (dir / "pids").string() << "'\nwait\n";
  const std::string judge = std::string(JUDGE_BINARY) + " eval examples/notebooks --judge 'command:sh " +
                            (dir / "judge.sh").string() + "' >/dev/null 2>&1";
  const auto r = judge::test::run_command(
      "cd '" + judge::test::source_dir().string() + "' && { " + judge +
      " & j=$!; for i in $(seq 200); do [ -s '" + (dir / "pids").string() +
      "' ] && break; sleep 0.05; done; sleep 0.2; kill -TERM $j; wait $j; echo $?; }");
  EXPECT_EQ(r.out, "143\n");
  std::ifstream pids(dir / "pids");
  std::vector<std::string> started;
  for (std::string pid; pids >> pid;) started.push_back(pid);
  ASSERT_FALSE(started.empty()) << "the command judge never ran";
  for (const auto& pid : started) {
    for (int i = 0; i < 100 && !process_ended(pid); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(process_ended(pid)) << "the command judge's child " << pid << " outlived judge";
    if (!process_ended(pid)) ::kill(std::stoi(pid), SIGKILL);  // clean up after a failure
  }
  std::filesystem::remove_all(dir);
}

// Paths inside a configuration file (rubric, prices, cache) are relative to the file's folder, not to the
// working folder; the same settings given as flags stay relative to the working folder; absolute paths and
// a cache mode given as `cache` are kept as they are.
TEST(CliConfig, PathsInTheFileResolveAgainstItsFolder) {
  const judge::test::TempDir dir("judge_cli_config_paths");
  std::filesystem::create_directories(dir / "ci");
  std::filesystem::copy_file(judge::test::source_dir() / "rubrics/ml-notebook.yaml", dir / "ci/rubric.yaml");
  std::ofstream(dir / "ci/prices.json") << R"({"schema_version": 1, "prices": {}})";
  std::ofstream(dir / "ci/judge.yaml") << "rubric: rubric.yaml\nprices: prices.json\ncache: cache.sqlite\n";
  std::ofstream(dir / "ci/off.yaml") << "cache: off\nrubric: " << (dir / "ci/rubric.yaml").string() << "\n";
  const std::string in_dir = "cd '" + dir.str() + "' && '" + std::string(JUDGE_BINARY) + "' ";
  auto show = [&](const std::string& args, const std::string& setting) {
    const auto r = judge::test::run_command(in_dir + "config show " + args + " | grep '^" + setting + " '");
    EXPECT_EQ(r.exit_code, 0) << args;
    std::istringstream words(r.out);
    std::string name, value;
    words >> name >> value;
    return value;
  };
  EXPECT_EQ(show("--config ci/judge.yaml", "rubric"), "ci/rubric.yaml");
  EXPECT_EQ(show("--config ci/judge.yaml", "prices"), "ci/prices.json");
  EXPECT_EQ(show("--config ci/judge.yaml", "cache"), "ci/cache.sqlite");
  EXPECT_EQ(show("--config ci/judge.yaml --rubric rubric.yaml", "rubric"),
            "rubric.yaml");  // a flag: as typed
  EXPECT_EQ(show("--config ci/off.yaml", "cache_mode"), "off");
  EXPECT_EQ(show("--config ci/off.yaml", "rubric"), (dir / "ci/rubric.yaml").string());
  // From another working folder the rubric is found, and eval runs with it.
  const auto r = judge::test::run_command(
      "cd / && '" + std::string(JUDGE_BINARY) + "' eval --config '" + dir.str() + "/ci/judge.yaml' '" +
      judge::test::source_dir().string() + "/examples/notebooks/iris_bad.ipynb' --format csv 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

// scripts/deps replaces apt-get's log with a few progress lines (stderr): with 20 packages to install, a line
// per tenth (every 2 packages) of the downloads, then of the set-ups; the rest of the log is not shown.
TEST(CliScripts, DepsShowsAptProgressInAFewLines) {
  std::string log =
      "Reading package lists...\nThe following NEW packages will be installed:\n  p1 p2 p3\n"
      "1 upgraded, 19 newly installed, 0 to remove and 12 not upgraded.\nNeed to get 9,999 kB of archives.\n";
  for (int i = 1; i <= 20; ++i)
    log += "Get:" + std::to_string(i) + " http://deb.debian.org/debian bookworm/main amd64 p" +
           std::to_string(i) + " amd64 1.0-1 [100 kB]\n";
  log += "Fetched 9,999 kB in 2s (5,000 kB/s)\n";
  for (int i = 1; i <= 20; ++i)
    log += "Unpacking p" + std::to_string(i) + " (1.0-1) ...\nSetting up p" + std::to_string(i) +
           " (1.0-1) ...\n";
  log += "Processing triggers for libc-bin (2.36-9) ...\n";
  const judge::test::TempDir dir("judge_cli_deps");
  std::ofstream(dir / "apt.log") << log;
  const auto r =
      judge::test::run_command("'" + judge::test::source_dir().string() + "/scripts/deps' --progress < '" +
                               (dir / "apt.log").string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::string expected;
  for (const std::string what : {"downloaded", "set up"})
    for (int n = 2; n <= 20; n += 2)
      expected += "scripts/deps: " + what + " " + std::to_string(n) + " of 20 packages\n";
  EXPECT_EQ(r.out, expected);
}

// JUDGE_SKIP_MISSING, run in a child test program: a skip on a developer's machine, a failure naming what is
// missing when CI=true. The probe does nothing unless JUDGE_SKIP_PROBE is set, so it passes in a normal run.
TEST(SkipMissing, Probe) {
  if (std::getenv("JUDGE_SKIP_PROBE") == nullptr) return;
  JUDGE_SKIP_MISSING("the probe's oracle is not installed");
}

TEST(SkipMissing, IsASkipOutsideCiAndAFailureInCi) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string probe = " JUDGE_SKIP_PROBE=1 '" + self + "' --gtest_filter=SkipMissing.Probe 2>&1";
  auto r = judge::test::run_command("env -u CI" + probe);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("[  SKIPPED ] SkipMissing.Probe"), std::string::npos) << r.out;
  r = judge::test::run_command("env CI=false" + probe);
  EXPECT_NE(r.out.find("[  SKIPPED ] SkipMissing.Probe"), std::string::npos) << r.out;
  r = judge::test::run_command("env CI=true" + probe);
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("CI=true, and this test cannot run: the probe's oracle is not installed"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[  FAILED  ] SkipMissing.Probe"), std::string::npos) << r.out;
}
