// SPDX-License-Identifier: MIT
// Running a short script under Debian's Python (with scipy and sklearn) and reading numbers it prints.
#pragma once
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support.hpp"

namespace judge::test {

/// Leaves the current test (JUDGE_SKIP_MISSING: a skip, a failure in CI) when /usr/bin/python3 cannot import
/// `modules` (comma-separated).
#define JUDGE_REQUIRE_PYTHON(modules)                                                                       \
  do {                                                                                                      \
    if (::judge::test::run_command(::judge::test::debian_python() + " -c 'import " modules "' 2>/dev/null") \
            .exit_code != 0)                                                                                \
      JUDGE_SKIP_MISSING("/usr/bin/python3 with " modules                                                   \
                         " not available (scripts/deps --test installs them)");                             \
  } while (0)

/// Runs `script` under /usr/bin/python3 and returns the whitespace-separated numbers it prints.
inline std::vector<double> python_numbers(const std::string& script) {
  const auto path =
      std::filesystem::temp_directory_path() / ("judge_py_" + std::to_string(::getpid()) + ".py");
  std::ofstream(path) << script;
  const auto r = run_command(debian_python() + " '" + path.string() + "'");
  std::filesystem::remove(path);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::istringstream in(r.out);
  std::vector<double> v;
  std::string word;
  while (in >> word) v.push_back(word == "nan" ? std::nan("") : std::stod(word));
  return v;
}

}  // namespace judge::test
