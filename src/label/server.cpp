// SPDX-License-Identifier: MIT
#include "judge/label/server.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "assets.hpp"
#include "judge/util/error.hpp"

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

}  // namespace

Server::Server(Session& session, std::function<void(const std::string&)> log)
    : m_session(session), m_log(std::move(log)), m_http(std::make_unique<httplib::Server>()) {
  auto& http = *m_http;
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
    send_json(res, json{{"label", m_session.label_json(req.get_param_value("notebook"),
                                                       req.get_param_value("dimension"))}});
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
    const auto refuse = [&](int status, const std::string& what, json extra = json::object()) {
      if (m_log) m_log("save refused: " + what);
      send_error(res, status, what, std::move(extra));
    };
    if (!body.is_object())
      return refuse(400, "the body must be a JSON object {notebook, dimension, score, feedback, version}");
    SaveRequest r;
    const auto text = [&](const char* key, std::string& out) {
      if (!body.contains(key) || body[key].is_null()) return true;
      if (!body[key].is_string()) return false;
      out = body[key].get<std::string>();
      return true;
    };
    if (!text("notebook", r.notebook) || !text("dimension", r.dimension) || !text("feedback", r.feedback) ||
        !text("version", r.version))
      return refuse(400, "notebook, dimension, feedback and version must be strings");
    if (!body.contains("score")) return refuse(400, "missing key score (a number, or null for N/A)");
    if (body["score"].is_number())
      r.score = body["score"].get<double>();
    else if (!body["score"].is_null())
      return refuse(422, "score " + body["score"].dump() + " is not a number (or null for N/A)",
                    json{{"status", "invalid"}});
    if (!m_session.has_notebook(r.notebook))
      return refuse(404, "no readable notebook named \"" + r.notebook + "\" is served");
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
  if (bound <= 0)
    throw Error("cannot listen on " + host + ":" + std::to_string(port) +
                (port ? " (is the port in use? leave --port out for a free one)"
                      : " (is the --host address one of this machine's?)"));
  return bound;
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
