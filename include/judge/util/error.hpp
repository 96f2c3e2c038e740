// SPDX-License-Identifier: MIT
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace judge {

/// Process exit codes, shared by every subcommand (documented in README.md "Exit codes").
enum class ExitCode : int {
  ok = 0,        ///< success
  runtime = 1,   ///< a runtime error (bad file, I/O failure, provider configuration)
  usage = 2,     ///< bad command line
  gate = 3,      ///< a CI gate (--fail-if) failed
  unscored = 4,  ///< the run finished but some items are `unscored`
};

/// How a lower module names one of its caller's settings (folds, raters, samples, fail_if, cache_mode, ...)
/// in an Error message, without knowing the command-line flag that sets it: the name between two marks.
/// Error::what() shows it as the name in words ("folds", "cache mode"); the CLI, which prints every Error,
/// words it as its flag ("--folds", "--cache-mode": Error::worded). `name` is lower case with underscores.
std::string setting(std::string_view name);

/// `message` with each setting() in it replaced by `word(name)`; text without marks is returned as it is.
std::string word_settings(const std::string& message,
                          const std::function<std::string(std::string_view name)>& word);

/// An unrecoverable error. Caught once in judge::cli::run, printed as "judge: error: <what>", and turned into
/// its exit code. The message names the file, line or cell and says what to do; the settings it names
/// (setting()) are shown as names by what() and as flags by the CLI.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, ExitCode code = ExitCode::runtime)
      : std::runtime_error(with_names(what)), m_message(what), m_code(code) {}
  ExitCode code() const { return m_code; }
  /// The message with each setting() replaced by `word(name)` (the CLI: its flag): word_settings.
  std::string worded(const std::function<std::string(std::string_view name)>& word) const {
    return word_settings(m_message, word);
  }
  /// The message as given, its setting() marks kept: for an Error that wraps this one's message.
  const std::string& message() const { return m_message; }

 private:
  static std::string with_names(const std::string& message);
  std::string m_message;
  ExitCode m_code;
};

}  // namespace judge
