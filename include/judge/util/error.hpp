// SPDX-License-Identifier: MIT
#pragma once
#include <stdexcept>
#include <string>

namespace judge {

/// Process exit codes, shared by every subcommand (documented in README.md "Exit codes").
enum class ExitCode : int {
  ok = 0,        ///< success
  runtime = 1,   ///< a runtime error (bad file, I/O failure, provider configuration)
  usage = 2,     ///< bad command line
  gate = 3,      ///< a CI gate (--fail-if) failed
  unscored = 4,  ///< the run finished but some items are `unscored`
};

/// An unrecoverable error. Caught once in judge::cli::run, printed as "judge: error: <what>", and turned into
/// its exit code. The message names the file, line or cell and says what to do.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, ExitCode code = ExitCode::runtime)
      : std::runtime_error(what), m_code(code) {}
  ExitCode code() const { return m_code; }

 private:
  ExitCode m_code;
};

}  // namespace judge
