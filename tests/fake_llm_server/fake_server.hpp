// SPDX-License-Identifier: MIT
// Starts tests/fake_llm_server/server.py on a free loopback port for the life of the object, and scripts it.
// Usage (see README.md beside this file):
//   judge::test::FakeLlmServer server;                  // or FakeLlmServer(0.2): every default reply after
//   200 ms server.script({{{"type", "rate_limit"}, {"retry_after", "1"}}}); settings.base_url =
//   server.openai_base_url();       // "http://127.0.0.1:PORT/v1"
//   ... server.request_count(), server.last_request()["body"] ...
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "judge/net/http.hpp"

extern char** environ;

namespace judge::test {

class FakeLlmServer {
 public:
  /// Starts the server (Debian's /usr/bin/python3) and waits up to 10 s for its "PORT <n>" line.
  /// `default_delay_seconds`: delay before every reply that no script overrides. Throws std::runtime_error.
  explicit FakeLlmServer(double default_delay_seconds = 0,
                         std::string script_path = std::string(JUDGE_SOURCE_DIR) +
                                                   "/tests/fake_llm_server/server.py") {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("fake server: pipe failed");
    const std::string delay = std::to_string(default_delay_seconds);
    std::vector<std::string> words = {"/usr/bin/python3", script_path, "--port", "0", "--delay", delay};
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    const int rc = ::posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
      ::close(out[0]);
      throw std::runtime_error("fake server: cannot run /usr/bin/python3");
    }
    std::string line;
    pollfd pfd{out[0], POLLIN, 0};
    char c = 0;
    while (line.find('\n') == std::string::npos && ::poll(&pfd, 1, 10000) > 0 && ::read(out[0], &c, 1) == 1)
      line += c;
    ::close(out[0]);
    if (line.rfind("PORT ", 0) != 0) {
      stop();
      throw std::runtime_error("fake server did not report its port (got \"" + line + "\")");
    }
    m_port = std::stoi(line.substr(5));
  }
  ~FakeLlmServer() { stop(); }
  FakeLlmServer(const FakeLlmServer&) = delete;
  FakeLlmServer& operator=(const FakeLlmServer&) = delete;

  int port() const { return m_port; }
  /// "http://127.0.0.1:PORT": the Anthropic, Azure and Databricks base URL.
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  /// base_url() + "/v1": the OpenAI base URL (as OPENAI_BASE_URL holds it).
  std::string openai_base_url() const { return base_url() + "/v1"; }

  /// Queues `behaviours` (a JSON array of behaviour objects, see README.md), replacing any queue left, and
  /// optionally sets the behaviour used once the queue is empty.
  void script(const nlohmann::json& behaviours, const nlohmann::json& default_behaviour = nullptr) {
    nlohmann::json body = {{"behaviours", behaviours}};
    if (!default_behaviour.is_null()) body["default"] = default_behaviour;
    call("POST", "/_script", body.dump());
  }
  /// Forgets the script, counters and request log.
  void reset() { call("POST", "/_reset", "{}"); }
  /// {"requests", "by_path", "max_in_flight", "in_flight", "queued"}.
  nlohmann::json stats() const { return nlohmann::json::parse(call("GET", "/_stats", "")); }
  int request_count() const { return stats()["requests"].get<int>(); }
  /// The last API request: {"method", "path", "query", "headers" (names lower-cased), "body" (parsed JSON)}.
  nlohmann::json last_request() const { return nlohmann::json::parse(call("GET", "/_last", "")); }
  /// Every API request so far, oldest first.
  nlohmann::json log() const { return nlohmann::json::parse(call("GET", "/_log", "")); }

 private:
  std::string call(const std::string& method, const std::string& path, const std::string& body) const {
    net::HttpRequest request;
    request.method = method;
    request.url = base_url() + path;
    request.body = body;
    request.timeout_seconds = 10;
    const net::HttpResult result = net::perform(request);
    if (!result.ok() || result.response->status != 200)
      throw std::runtime_error("fake server: " + method + " " + path + " failed" +
                               (result.ok() ? "" : ": " + result.failure->message));
    return result.response->body;
  }

  void stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
  }

  pid_t m_pid = -1;
  int m_port = 0;
};

}  // namespace judge::test
