// SPDX-License-Identifier: MIT
#include "judge/label/server.hpp"

#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "assets.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::label {

namespace {

using json = nlohmann::ordered_json;

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& what, json extra = json::object()) {
  extra["error"] = what;
  send_json(res, extra, status);
}

// Whether another socket listens on host:port already: a socket bound there with SO_REUSEADDR, as the
// server's own, fails with EADDRINUSE then (and only then: a port in TIME_WAIT is free to it).
bool port_in_use(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
  bool in_use = false;
  for (const addrinfo* a = found; a && !in_use; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    in_use = ::bind(fd, a->ai_addr, a->ai_addrlen) != 0 && errno == EADDRINUSE;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return in_use;
}

}  // namespace

Server::Server(Session& session, std::function<void(const std::string&)> log)
    : m_session(session), m_log(std::move(log)), m_http(std::make_unique<httplib::Server>()) {
  auto& http = *m_http;
  // cpp-httplib sets SO_REUSEPORT by default, with which a second server binds the same port and the kernel
  // splits the connections between the two (saves landing in another server's labels file). SO_REUSEADDR
  // alone lets a restarted server bind a port whose old connections are in TIME_WAIT, and refuses a port a
  // server listens on.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.set_payload_max_length(1 << 20);  // a label is a score and a few sentences
  const auto asset = [](std::string_view body, const char* type) {
    return [body, type](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      res.set_content(std::string(body), type);
    };
  };
  http.Get("/", asset(k_index_html, "text/html; charset=utf-8"));
  http.Get("/app.js", asset(k_app_js, "text/javascript; charset=utf-8"));
  http.Get("/style.css", asset(k_style_css, "text/css; charset=utf-8"));
  http.Get("/api/session", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, m_session.session_json());
  });
  http.Get("/api/notebooks", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, m_session.notebooks_json());
  });
  http.Get("/api/notebook", [this](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("name")) return send_error(res, 400, "missing parameter name (the notebook's name)");
    const auto nb = m_session.notebook_json(req.get_param_value("name"));
    if (!nb)
      return send_error(res, 404, "no notebook named \"" + req.get_param_value("name") + "\" is served");
    send_json(res, *nb);
  });
  http.Get("/api/label", [this](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("notebook") || !req.has_param("dimension"))
      return send_error(res, 400, "missing parameter notebook or dimension");
    const std::string notebook = req.get_param_value("notebook"),
                      dimension = req.get_param_value("dimension");
    // As PUT answers for the same names: nothing can be labelled there.
    if (!m_session.has_notebook(notebook))
      return send_error(res, 404, "no readable notebook named \"" + notebook + "\" is served");
    if (!m_session.has_dimension(dimension)) {
      const std::string hint = m_session.dimension_hint(dimension);
      return send_error(res, 404,
                        "unknown dimension \"" + dimension + "\" (not in the rubric" +
                            (hint.empty() ? "" : "; " + hint) + ")");
    }
    send_json(res, json{{"label", m_session.label_json(notebook, dimension)}});
  });
  http.Get("/api/queue", [this](const httplib::Request& req, httplib::Response& res) {
    std::size_t n = 20;
    if (req.has_param("n")) {
      try {
        n = std::stoul(req.get_param_value("n"));
      } catch (const std::exception&) {
        return send_error(res, 400, "parameter n must be a whole number (0: the whole queue)");
      }
    }
    json items = json::array();
    for (const auto& q : m_session.queue(n))
      items.push_back({{"notebook", q.notebook},
                       {"dimension", q.dimension},
                       {"value", q.value},
                       {"uncertainty", q.uncertainty},
                       {"novelty", q.novelty},
                       {"difficulty", q.difficulty},
                       {"reason", q.reason}});
    send_json(res, json{{"items", items}});
  });
  http.Put("/api/label", [this](const httplib::Request& req, httplib::Response& res) {
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    // Every refusal starts "not saved: ", is said on the log once, as it is, and answered as {"error": ...}.
    const auto refuse = [&](int status, const std::string& what, json extra = json::object()) {
      if (m_log) m_log(what);
      send_error(res, status, what, std::move(extra));
    };
    // 400: a body that is not the request's shape (not a JSON object, a key missing or of the wrong type).
    const std::string shape =
        " (the body is a JSON object {\"notebook\": string, \"dimension\": string, \"score\": number or null "
        "for N/A, \"feedback\": string, \"version\": string})";
    if (!body.is_object()) return refuse(400, "not saved: the body is not a JSON object" + shape);
    SaveRequest r;
    for (const char* key : {"notebook", "dimension", "score"})
      if (!body.contains(key)) {
        // A misspelt key ("scroe") is named with the one it probably is.
        std::vector<std::string> keys;
        for (const auto& [k, ignored] : body.items()) keys.push_back(k);
        const auto near = util::closest_typos(key, keys);
        return refuse(400, std::string("not saved: missing key ") + key +
                               (near.empty() ? "" : " (the body has \"" + near.front() + "\": misspelt?)") +
                               shape);
      }
    const auto text = [&](const char* key, std::string& out) {
      if (!body.contains(key) || body[key].is_null()) return true;
      if (!body[key].is_string()) return false;
      out = body[key].get<std::string>();
      return true;
    };
    std::string version;
    for (const auto& [key, out] : {std::pair{"notebook", &r.notebook},
                                   {"dimension", &r.dimension},
                                   {"feedback", &r.feedback},
                                   {"version", &version}})
      if (!text(key, *out))
        return refuse(400,
                      std::string("not saved: ") + key + " " + body[key].dump() + " is not a string" + shape);
    if (body.contains("version") && !body["version"].is_null()) r.version = version;
    if (body["score"].is_number())
      r.score = body["score"].get<double>();
    else if (!body["score"].is_null())
      return refuse(
          400, "not saved: score " + body["score"].dump() + " is not a number (or null for N/A)" + shape);
    if (!m_session.has_notebook(r.notebook))
      return refuse(404, "not saved: no readable notebook named \"" + r.notebook + "\" is served");
    const SaveResult saved = m_session.save(r);
    const json label = saved.label
                           ? json{{"notebook", saved.label->notebook},
                                  {"dimension", saved.label->dimension},
                                  {"rater", saved.label->rater},
                                  {"score", saved.label->score ? json(*saved.label->score) : json(nullptr)},
                                  {"feedback", saved.label->feedback},
                                  {"timestamp", saved.label->timestamp},
                                  {"version", saved.label->version}}
                           : json(nullptr);
    switch (saved.status) {
      case SaveStatus::saved:
        return send_json(res, json{{"status", "saved"}, {"label", label}});
      case SaveStatus::stale:
        return refuse(409, saved.message, json{{"status", "stale"}, {"label", label}});
      case SaveStatus::blocked:
        return refuse(409, saved.message, json{{"status", "blocked"}});
      case SaveStatus::invalid:
        return refuse(422, saved.message, json{{"status", "invalid"}});
    }
  });
  // DNS rebinding: a web page elsewhere whose name is made to resolve to 127.0.0.1 would reach this server as
  // its own origin. On a loopback address only requests addressed to a loopback name are answered.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!m_loopback_only) return httplib::Server::HandlerResponse::Unhandled;
    std::string host = req.get_header_value("Host");
    host = host.substr(
        0, host.rfind(':') == std::string::npos || host.back() == ']' ? host.size() : host.rfind(':'));
    if (host == "127.0.0.1" || host == "localhost" || host == "[::1]")
      return httplib::Server::HandlerResponse::Unhandled;
    send_error(res, 403, "this server answers requests to 127.0.0.1 or localhost only (Host: " + host + ")");
    return httplib::Server::HandlerResponse::Handled;
  });
  http.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        if (m_log) m_log(req.method + " " + req.path + ": " + what);
        send_error(res, 500, what);
      });
}

Server::~Server() { stop(); }

int Server::bind(const std::string& host, int port) {
  m_loopback_only = host == "127.0.0.1" || host == "localhost" || host == "::1";
  const int bound =
      port == 0 ? m_http->bind_to_any_port(host) : (m_http->bind_to_port(host, port) ? port : -1);
  if (bound > 0) return bound;
  const std::string where =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  if (port != 0 && port_in_use(host, port))
    throw Error("cannot listen on " + where + ": the port is in use; choose another with " + setting("port") +
                    " or leave " + setting("port") + " out for a free one",
                ExitCode::usage);
  throw Error(
      "cannot listen on " + where + " (is the " + setting("host") + " address one of this machine's?)",
      ExitCode::usage);
}

void Server::run() { m_http->listen_after_bind(); }

void Server::start() {
  m_thread = std::thread([this] { run(); });
  while (!m_http->is_running()) std::this_thread::yield();
}

void Server::stop() {
  if (m_http) m_http->stop();
  if (m_thread.joinable()) m_thread.join();
}

}  // namespace judge::label
