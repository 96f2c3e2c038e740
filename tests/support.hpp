// SPDX-License-Identifier: MIT
// Helpers shared by the tests: where the shared data and the built binary are, and running the binary.
#pragma once
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>

namespace judge::test {

/// ../shared/data beside the project (CMake cache JUDGE_SHARED_DATA).
inline std::filesystem::path shared_data() { return JUDGE_SHARED_DATA; }
inline std::filesystem::path source_dir() { return JUDGE_SOURCE_DIR; }

/// Skips the current test with a clear message when ../shared/data is absent.
#define JUDGE_REQUIRE_SHARED_DATA()                                                                      \
  do {                                                                                                   \
    if (!std::filesystem::exists(::judge::test::shared_data()))                                          \
      GTEST_SKIP() << "shared data not found at " << ::judge::test::shared_data()                        \
                   << " (clone the project beside ../shared to run this test)";                          \
  } while (0)

struct RunResult {
  int exit_code = -1;
  std::string out;  ///< stdout (stderr goes to the file in `err_file` when set, else the test's stderr)
};

/// Runs a shell command line and captures stdout and the exit status.
inline RunResult run_command(const std::string& command) {
  RunResult r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// Runs the built judge binary with `args` (a shell-quoted argument string) from the source folder.
inline RunResult run_judge(const std::string& args) {
  return run_command("cd '" + source_dir().string() + "' && '" + std::string(JUDGE_BINARY) + "' " + args);
}

/// Python 3 from Debian (/usr/bin/python3), which has python3-nbformat, -sklearn and -scipy.
inline std::string debian_python() { return "/usr/bin/python3"; }

}  // namespace judge::test
