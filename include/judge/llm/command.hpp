// SPDX-License-Identifier: MIT
// The command provider: runs a program once per call, the request as JSON on stdin and the reply as JSON on
// stdout. The protocol is specified in docs/command-protocol.md.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "judge/llm/provider.hpp"
#include "judge/llm/registry.hpp"

namespace judge::llm {

/// Splits `line` into words the way a POSIX shell splits a simple command, without running one and without
/// any expansion: blanks separate words; '...' keeps everything literally; "..." keeps everything except that
/// a backslash escapes $ ` " \ and newline; outside quotes a backslash escapes the next character
/// (backslash-newline is removed). `""` and `''` give an empty word.
/// Throws judge::Error (usage) on an unterminated quote or a trailing backslash, quoting `line`.
std::vector<std::string> split_command_line(std::string_view line);

/// The request object written to the program's stdin (docs/command-protocol.md "Request").
nlohmann::json command_request_json(const ChatRequest& request);

/// Kills (SIGKILL) the process group of every program the command providers are running now, and makes every
/// later call fail to start its program (config error, "Operation canceled"): for a process about to exit on
/// SIGINT/SIGTERM, whose programs run in their own groups and would otherwise outlive it. Thread-safe; not
/// async-signal-safe (it takes a mutex): call it from a thread that waited for the signal (sigwait), not from
/// a signal handler.
void kill_running_commands();

class CommandChatProvider : public ChatProvider {
 public:
  /// `argv[0]` is the program: a path, or a name looked up in PATH. The program inherits the environment
  /// and working folder. `secrets` are removed from every error message (e.g. the values of API key
  /// variables the program may print on stderr).
  CommandChatProvider(std::string spec, std::vector<std::string> argv, double timeout_seconds,
                      std::vector<std::string> secrets = {});
  std::string spec() const override { return m_spec; }
  /// The spec and the sha256 of every file of at most 1 MiB the command line names by a path, read when the
  /// provider is made: the program when it is a path and each argument that is a regular file (a script); not
  /// a program found in PATH (it differs between machines). So editing ./fake-llm.py or the script of
  /// `python3 judge.py` changes the response cache's key.
  std::string cache_identity() const override { return m_cache_identity; }
  /// Runs the program once (thread-safe: each call is its own process, in its own process group).
  /// Error kinds: cannot start -> config; runs past the timeout -> timeout (the group is killed with
  /// SIGKILL); an error object on stdout -> its kind; otherwise a non-zero exit, a signal, or stdout that is
  /// not a reply object -> bad_response (the message quotes the end of stderr).
  ChatResult chat(const ChatRequest& request) override;

 private:
  std::string m_spec;
  std::string m_cache_identity;
  std::vector<std::string> m_argv;
  double m_timeout_seconds;
  std::vector<std::string> m_secrets;
};

/// The provider table's command row (registry.hpp): runs the command line target.name with
/// settings.timeout_seconds; the values of every key variable in the table that is set are secrets.
std::unique_ptr<ChatProvider> make_command_chat(const ProviderTarget& target,
                                                const ProviderSettings& settings);

}  // namespace judge::llm
