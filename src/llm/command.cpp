// SPDX-License-Identifier: MIT
#include "judge/llm/command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "judge/llm/http_call.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/text.hpp"

extern char** environ;

namespace judge::llm {
namespace {

constexpr std::size_t k_max_stdout_bytes = 16 << 20;
constexpr std::size_t k_stderr_tail_bytes = 500;

using Clock = std::chrono::steady_clock;

/// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }
  void reset(int fd = -1) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
  }

 private:
  int m_fd;
};

/// The programs running now, by process group (= the pid of the program, its group's leader), so that
/// kill_running_commands can end them when judge is interrupted. A group is forgotten, under the mutex,
/// before or as its leader is reaped, so a pid the kernel reuses is never signalled.
struct RunningGroups {
  std::mutex mutex;
  std::set<pid_t> groups;
  bool killed = false;  ///< kill_running_commands was called: no program starts any more
};

RunningGroups& running() {
  static RunningGroups groups;
  return groups;
}

/// waitpid(pid, status, options), forgetting the group when its leader is reaped (or cannot be waited for).
pid_t reap(pid_t pid, int& status, int options) {
  std::lock_guard lock(running().mutex);
  const pid_t done = ::waitpid(pid, &status, options);
  const int saved = errno;
  if (done == pid || (done < 0 && saved != EINTR)) running().groups.erase(pid);
  errno = saved;
  return done;
}

/// What running the program gave.
struct RunOutcome {
  std::string out;
  std::string err;
  int status = 0;  ///< waitpid status
  bool timed_out = false;
  bool too_much_output = false;
};

/// Runs argv with `input` on stdin, collecting stdout and stderr until it exits or `timeout_seconds` pass.
/// Returns the errno of a failed start through `spawn_error` (0 when it started).
RunOutcome run_program(const std::vector<std::string>& argv, const std::string& input, double timeout_seconds,
                       int& spawn_error) {
  RunOutcome outcome;
  // stdin is a socket so writing to a program that exited early gives EPIPE (MSG_NOSIGNAL), never SIGPIPE.
  int in_pair[2], out_pipe[2], err_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) {
    spawn_error = errno;
    return outcome;
  }
  Fd in_parent(in_pair[0]), in_child(in_pair[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    spawn_error = errno;
    return outcome;
  }
  Fd out_parent(out_pipe[0]), out_child(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    spawn_error = errno;
    return outcome;
  }
  Fd err_parent(err_pipe[0]), err_child(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_child.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_child.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_child.get(), STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals, default_signals;
  sigemptyset(&no_signals);
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group, so a timeout kills its children too
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const auto& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  {
    // Started and registered under the lock, so kill_running_commands kills every program started before it
    // and none starts after it (the process exits right after it, which would orphan one starting then).
    std::lock_guard lock(running().mutex);
    spawn_error = running().killed
                      ? ECANCELED
                      : ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
    if (spawn_error == 0) running().groups.insert(pid);
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  in_child.reset();
  out_child.reset();
  err_child.reset();
  if (spawn_error != 0) return outcome;

  for (const int fd : {in_parent.get(), out_parent.get(), err_parent.get()})
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(timeout_seconds));
  const auto millis_left = [&] {
    return std::max<long>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
  };

  std::size_t written = 0;
  if (input.empty()) ::shutdown(in_parent.get(), SHUT_WR);
  std::array<char, 65536> buffer;
  while (out_parent.get() >= 0 || err_parent.get() >= 0) {
    std::array<pollfd, 3> fds = {pollfd{written < input.size() ? in_parent.get() : -1, POLLOUT, 0},
                                 pollfd{out_parent.get(), POLLIN, 0}, pollfd{err_parent.get(), POLLIN, 0}};
    const long left = millis_left();
    if (left == 0) {
      outcome.timed_out = true;
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long>(left, 1000))) < 0 && errno != EINTR)
      break;
    if (fds[0].revents) {
      const ssize_t n = ::send(in_parent.get(), input.data() + written, input.size() - written, MSG_NOSIGNAL);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // it stopped reading: fine
      if (written == input.size()) ::shutdown(in_parent.get(), SHUT_WR);
    }
    for (const auto& [index, sink] : {std::pair{1, &outcome.out}, std::pair{2, &outcome.err}}) {
      if (!fds[index].revents) continue;
      Fd& fd = index == 1 ? out_parent : err_parent;
      const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
      if (n > 0) {
        sink->append(buffer.data(), static_cast<std::size_t>(n));
        if (index == 2 && sink->size() > 2 * k_stderr_tail_bytes)
          sink->erase(0, sink->size() - k_stderr_tail_bytes);
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        fd.reset();
      }
    }
    if (outcome.out.size() > k_max_stdout_bytes) {
      outcome.too_much_output = true;
      break;
    }
  }
  // Output closed: wait for the exit until the deadline, then kill the whole group.
  while (!outcome.timed_out && !outcome.too_much_output) {
    const pid_t done = reap(pid, outcome.status, WNOHANG);
    if (done == pid) return outcome;
    if (done < 0 && errno != EINTR) return outcome;
    if (millis_left() == 0) {
      outcome.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  {
    std::lock_guard lock(running().mutex);
    ::kill(-pid, SIGKILL);
    running().groups.erase(pid);  // killed; its pid stays taken until the wait below reaps it
  }
  while (::waitpid(pid, &outcome.status, 0) < 0 && errno == EINTR) {
  }
  return outcome;
}

// The kind a program reports by name (error_kind_named); not_in_cache is the cache's own, never a program's.
std::optional<ErrorKind> kind_named(const std::string& name) {
  const auto kind = error_kind_named(name);
  return kind == ErrorKind::not_in_cache ? std::nullopt : kind;
}

// What a command judge's replies are cached by besides the request (docs/cache.md): the spec and, for each
// word of the command line that names a regular file by a path of the command line (the program when it has a
// '/', `./judge.sh`; any argument, `python3 judge.py`'s script) of at most k_hashed_file_bytes, "WORD sha256
// HEX" of its content, so an edited program or script is a new key. Why not more: a program found in PATH
// (`python3`) differs from machine to machine, and keying by it would make a cache recorded on one machine
// miss on every other (the record/replay workflow); a large file (`--model x.gguf`) would be read whole at
// every start. A word naming no such file adds nothing.
constexpr std::uintmax_t k_hashed_file_bytes = 1 << 20;

std::string command_cache_identity(const std::string& spec, const std::vector<std::string>& argv) {
  std::string identity = spec;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::error_code ec;
    if (argv[i].empty() || (i == 0 && argv[0].find('/') == std::string::npos) ||
        !std::filesystem::is_regular_file(argv[i], ec) ||
        std::filesystem::file_size(argv[i], ec) > k_hashed_file_bytes || ec)
      continue;
    try {
      const std::string digest = util::sha256_hex(util::read_file(argv[i]));
      identity += '\n';
      identity += argv[i];
      identity += " sha256 ";
      identity += digest;
    } catch (const Error&) {  // unreadable: nothing to hash; the program reports it when it runs
    }
  }
  return identity;
}

}  // namespace

void kill_running_commands() {
  std::lock_guard lock(running().mutex);
  running().killed = true;
  for (const pid_t group : running().groups) ::kill(-group, SIGKILL);
}

std::vector<std::string> split_command_line(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  const auto fail = [&](const std::string& why) {
    throw Error("command line \"" + std::string(line) + "\": " + why, ExitCode::usage);
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else if (c == '\'') {
      const auto end = line.find('\'', i + 1);
      if (end == std::string_view::npos) fail("unterminated single quote");
      word.append(line.substr(i + 1, end - i - 1));
      in_word = true;
      i = end;
    } else if (c == '"') {
      in_word = true;
      for (++i;; ++i) {
        if (i >= line.size()) fail("unterminated double quote");
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size() && std::strchr("$`\"\\\n", line[i + 1])) {
          if (line[++i] != '\n') word += line[i];
        } else {
          word += line[i];
        }
      }
    } else if (c == '\\') {
      if (i + 1 >= line.size()) fail("trailing backslash");
      if (line[++i] != '\n') {
        word += line[i];
        in_word = true;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

nlohmann::json command_request_json(const ChatRequest& request) {
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& message : request.messages)
    messages.push_back({{"role", message.role}, {"content", message.content}});
  return {{"protocol", "judge-command/1"},
          {"messages", messages},
          {"temperature", request.temperature},
          {"max_tokens", request.max_tokens},
          {"seed", request.seed >= 0 ? nlohmann::json(request.seed) : nlohmann::json(nullptr)},
          {"response_schema", request.response_schema ? *request.response_schema : nlohmann::json(nullptr)},
          {"schema_name", request.schema_name}};
}

CommandChatProvider::CommandChatProvider(std::string spec, std::vector<std::string> argv,
                                         double timeout_seconds, std::vector<std::string> secrets)
    : m_spec(std::move(spec)),
      m_argv(std::move(argv)),
      m_timeout_seconds(timeout_seconds),
      m_secrets(std::move(secrets)) {
  if (m_argv.empty()) throw Error("command provider \"" + m_spec + "\" names no program", ExitCode::usage);
  m_cache_identity = command_cache_identity(m_spec, m_argv);
}

ChatResult CommandChatProvider::chat(const ChatRequest& request) {
  int spawn_error = 0;
  const auto start = Clock::now();
  const RunOutcome run =
      run_program(m_argv, command_request_json(request).dump() + "\n", m_timeout_seconds, spawn_error);
  const double latency = std::chrono::duration<double>(Clock::now() - start).count();
  const auto fail = [&](ErrorKind kind, const std::string& why) {
    std::string message = m_spec + ": " + why;
    // Scrub before cutting the tail: a key cut in half would no longer match.
    const std::string err = scrub_secrets(std::string(util::trim(run.err)), m_secrets);
    if (!err.empty())
      message += "; stderr: " +
                 util::truncate_utf8(err.substr(err.size() - std::min(err.size(), k_stderr_tail_bytes)),
                                     k_stderr_tail_bytes);
    return chat_error(kind, scrub_secrets(message, m_secrets));
  };
  if (spawn_error != 0)
    return fail(ErrorKind::config, "cannot run " + m_argv[0] + ": " + std::strerror(spawn_error));
  if (run.timed_out)
    return fail(ErrorKind::timeout, "no reply within " + std::to_string(m_timeout_seconds) + " s (killed)");
  if (run.too_much_output) return fail(ErrorKind::bad_response, "more than 16 MiB on stdout");

  const auto reply = nlohmann::json::parse(run.out, nullptr, false);
  if (reply.is_object() && reply.contains("error") && reply["error"].is_object()) {
    const auto& error = reply["error"];
    const auto kind = error.contains("kind") && error["kind"].is_string()
                          ? kind_named(error["kind"].get<std::string>())
                          : std::nullopt;
    const std::string message = error.contains("message") && error["message"].is_string()
                                    ? error["message"].get<std::string>()
                                    : "no message";
    ChatResult result = fail(kind.value_or(ErrorKind::bad_response), "the program reported: " + message);
    if (error.contains("retry_after_seconds") && error["retry_after_seconds"].is_number() &&
        error["retry_after_seconds"].get<double>() >= 0)
      result.error->retry_after_seconds = error["retry_after_seconds"].get<double>();
    return result;
  }
  if (WIFSIGNALED(run.status))
    return fail(ErrorKind::bad_response, "killed by signal " + std::to_string(WTERMSIG(run.status)));
  if (WIFEXITED(run.status) && WEXITSTATUS(run.status) != 0)
    return fail(ErrorKind::bad_response, "exited with status " + std::to_string(WEXITSTATUS(run.status)));
  if (!reply.is_object() || !reply.contains("content") || !reply["content"].is_string())
    return fail(ErrorKind::bad_response, "stdout is not a reply object with a \"content\" string: " +
                                             util::truncate_utf8(util::trim(run.out), 200));

  ChatResponse response;
  response.content = reply["content"].get<std::string>();
  response.latency_seconds = latency;
  read_model_and_usage(reply, response);
  return ChatResult{std::move(response), std::nullopt};
}

std::unique_ptr<ChatProvider> make_command_chat(const ProviderTarget& target,
                                                const ProviderSettings& settings) {
  std::vector<std::string> secrets;  // the program may print a key it inherited
  for (const auto& p : providers())
    if (*p.key_variable)
      if (const auto value = settings.env(p.key_variable)) secrets.push_back(*value);
  return std::make_unique<CommandChatProvider>(target.spec, split_command_line(target.name),
                                               settings.timeout_seconds, std::move(secrets));
}

}  // namespace judge::llm
