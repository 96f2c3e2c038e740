// SPDX-License-Identifier: MIT
// Helpers shared by the tests: where the shared data and the built binary are, and running the binary.
#pragma once
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace judge::test {

/// ../shared/data beside the project (CMake cache JUDGE_SHARED_DATA).
inline std::filesystem::path shared_data() { return JUDGE_SHARED_DATA; }
inline std::filesystem::path source_dir() { return JUDGE_SOURCE_DIR; }

/// True when the tests run in CI: the environment variable CI is "true" (as GitHub Actions, GitLab CI and
/// most CI services set it).
inline bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

/// Leaves the current test because something it compares with or reads is missing (an oracle such as
/// python3-nbformat, sklearn, scipy or chromium, or ../shared/data): a skip with the message on a developer's
/// machine, a failure in CI (in_ci()), where ./scripts/test installs all of them and a skip would hide a
/// broken install step. The one place that decides; use it instead of GTEST_SKIP for a missing dependency.
#define JUDGE_SKIP_MISSING(message)                                                               \
  do {                                                                                            \
    if (::judge::test::in_ci()) GTEST_FAIL() << "CI=true, and this test cannot run: " << message; \
    GTEST_SKIP() << message;                                                                      \
  } while (0)

/// Leaves the current test (JUDGE_SKIP_MISSING) when ../shared/data is absent.
#define JUDGE_REQUIRE_SHARED_DATA()                                                    \
  do {                                                                                 \
    if (!std::filesystem::exists(::judge::test::shared_data()))                        \
      JUDGE_SKIP_MISSING("shared data not found at "                                   \
                         << ::judge::test::shared_data()                               \
                         << " (clone the project beside ../shared to run this test)"); \
  } while (0)

/// A fresh folder under the temporary folder ($TMPDIR, else /tmp) named PREFIX_PID_N, removed with all it
/// holds when the object goes out of scope, so that no test leaves files behind.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) {
    static int counter = 0;
    m_path = std::filesystem::temp_directory_path() /
             (prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }
  std::string str() const { return m_path.string(); }
  /// Writes `text` byte for byte to NAME (a relative path; missing folders are made) inside this folder and
  /// returns the file's path.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = m_path / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::filesystem::path m_path;
};

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
