// SPDX-License-Identifier: MIT
// The HTTP side of `judge label`: the page (compiled into the binary) and its JSON API over a Session,
// served by cpp-httplib (Debian's libcpp-httplib-dev). API reference: docs/label.md.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "judge/label/session.hpp"

namespace httplib {
class Server;
}

namespace judge::label {

/// Serves a Session. Routes: GET / (the page), /app.js, /style.css; GET /api/session, /api/notebooks,
/// /api/notebook?name=, /api/label?notebook=&dimension=, /api/queue?n=; PUT /api/label with a JSON body
/// {"notebook", "dimension", "score" (a number, or null for N/A), "feedback", "version"}. Answers are JSON;
/// a failure is {"error": "what is wrong and what to do"} with status 400 (bad request: for PUT a body that
/// is not a JSON object, a key missing or of the wrong type), 404 (unknown notebook; for GET /api/label an
/// unknown dimension too), 409 ({"status": "stale"} with the stored "label": another version, or none sent
/// for a label that exists; or {"status": "blocked"}: the labels file has problems) or 422 ({"status":
/// "invalid"}: a score off the scale, an unknown dimension). A refused save's error starts "not saved: " and
/// is given to `log` as it is. Bound to a loopback
/// address, it answers only requests whose Host is 127.0.0.1, localhost or [::1] (403 otherwise), so a web
/// page elsewhere cannot reach it through DNS rebinding.
class Server {
 public:
  /// `log` gets one line per refused save and per failed request (the CLI prints them on stderr).
  explicit Server(Session& session, std::function<void(const std::string&)> log = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds `host`:`port` (port 0: a free port the system picks) and returns the port. Throws judge::Error
  /// (ExitCode::usage) naming the address when it cannot bind: a port another server listens on (another
  /// `judge label` among them: the socket is not shared, SO_REUSEPORT is off), no such address.
  int bind(const std::string& host, int port);
  /// Whether the address bound is a loopback one (127.0.0.1, localhost, ::1); any other shares the page
  /// with the network.
  bool loopback_only() const { return m_loopback_only; }
  /// Serves until stop() (blocks the calling thread).
  void run();
  /// run() in a thread of its own (tests); stop() ends it.
  void start();
  void stop();

 private:
  Session& m_session;
  std::function<void(const std::string&)> m_log;
  std::unique_ptr<httplib::Server> m_http;
  std::thread m_thread;
  bool m_loopback_only = false;  ///< bound to a loopback address: requests must name a loopback host
};

}  // namespace judge::label
