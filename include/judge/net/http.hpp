// SPDX-License-Identifier: MIT
// A small HTTP client that hides libcurl: one blocking request per call, safe to call from many threads.
#pragma once
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace judge::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Defaults of the time limits, in seconds: the whole exchange (connect included), and connecting.
inline constexpr double k_default_timeout_seconds = 120;
inline constexpr double k_default_connect_timeout_seconds = 10;

struct HttpRequest {
  std::string method = "POST";  ///< "POST" or "GET"
  std::string url;              ///< absolute http:// or https:// URL
  Headers headers;              ///< sent as given; values may hold secrets and never appear in errors
  std::string body;             ///< request body (POST only)
  double connect_timeout_seconds = k_default_connect_timeout_seconds;  ///< <= 0: libcurl's default (300 s)
  double timeout_seconds = k_default_timeout_seconds;  ///< whole exchange, connect included; <= 0: none
};

struct HttpResponse {
  int status = 0;
  Headers headers;  ///< names lower-cased, in the order received (last response of a redirect chain)
  std::string body;
  /// Value of the first header named `name` (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
};

/// Why no HTTP response arrived: `timeout` (connect or total timeout expired), `unreachable` (the host name
/// does not resolve or the connection is refused: nothing listens there) or `network` (dropped connection,
/// TLS failure, empty or truncated reply).
enum class FailureKind { timeout, unreachable, network };

struct HttpFailure {
  FailureKind kind = FailureKind::network;
  std::string message;  ///< "POST http://host/path: <curl's reason>"; never holds header values
};

/// A response (any status, 4xx and 5xx included) or a failure, never both.
struct HttpResult {
  std::optional<HttpResponse> response;
  std::optional<HttpFailure> failure;
  bool ok() const { return response.has_value(); }
};

/// Performs one request and waits for the whole response. Thread-safe: libcurl is initialised once per
/// process and each thread reuses its own easy handle (so connections are kept alive per thread).
/// Redirects are not followed. Never throws for network failures; throws std::bad_alloc only.
HttpResult perform(const HttpRequest& request);

/// Percent-encodes `text` for a URL path segment or query value (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view text);

/// Seconds to wait from a Retry-After header value (RFC 9110 section 10.2.3): either a non-negative number of
/// seconds or an HTTP-date, taken relative to `now` (a date in the past gives 0). nullopt when unparsable.
std::optional<double> parse_retry_after(std::string_view value, std::time_t now);

}  // namespace judge::net
