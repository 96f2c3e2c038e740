// SPDX-License-Identifier: MIT
#include "judge/net/http.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <new>

#include "judge/util/text.hpp"

namespace judge::net {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::bad_alloc();
  });
}

/// One easy handle per thread, reset before each request so no option leaks from one call to the next while
/// the connection cache (keep-alive) is kept.
class ThreadHandle {
 public:
  ThreadHandle() : m_handle(curl_easy_init()) {
    if (!m_handle) throw std::bad_alloc();
  }
  ~ThreadHandle() { curl_easy_cleanup(m_handle); }
  ThreadHandle(const ThreadHandle&) = delete;
  ThreadHandle& operator=(const ThreadHandle&) = delete;
  CURL* get() { return m_handle; }

 private:
  CURL* m_handle;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<Headers*>(user);
  const std::string_view line(data, size * count);
  if (util::starts_with(line, "HTTP/")) {
    headers->clear();  // a new response (after 100 Continue or a proxy CONNECT): keep only the last one
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    headers->emplace_back(util::to_lower(util::trim(line.substr(0, colon))),
                          std::string(util::trim(line.substr(colon + 1))));
  }
  return size * count;
}

/// The URL without its query string, for messages.
std::string_view without_query(std::string_view url) { return url.substr(0, url.find('?')); }

long to_millis(double seconds) { return seconds <= 0 ? 0L : static_cast<long>(std::ceil(seconds * 1000.0)); }

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  const std::string lower = util::to_lower(name);
  for (const auto& [key, value] : headers)
    if (key == lower) return value;
  return std::nullopt;
}

HttpResult perform(const HttpRequest& request) {
  global_init();
  thread_local ThreadHandle handle;
  CURL* curl = handle.get();
  curl_easy_reset(curl);

  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_slist* header_list = curl_slist_append(nullptr, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    header_list = curl_slist_append(header_list, line.c_str());
  }

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // required for use from several threads
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, to_millis(request.connect_timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, to_millis(request.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // any encoding curl supports
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }

  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(header_list);

  HttpResult result;
  if (code != CURLE_OK) {
    const std::string reason = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    result.failure = HttpFailure{
        code == CURLE_OPERATION_TIMEDOUT                                      ? FailureKind::timeout
        : code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ? FailureKind::unreachable
                                                                              : FailureKind::network,
        request.method + " " + std::string(without_query(request.url)) + ": " + reason};
    return result;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  result.response = std::move(response);
  return result;
}

std::string url_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::optional<double> parse_retry_after(std::string_view value, std::time_t now) {
  const std::string text(util::trim(value));
  if (text.empty()) return std::nullopt;
  // delay-seconds is 1*DIGIT; a fraction is accepted too since some servers send one.
  if (text.find_first_not_of("0123456789.") == std::string::npos) {
    char* end = nullptr;
    const double seconds = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return seconds;
  }
  const std::time_t when = curl_getdate(text.c_str(), nullptr);  // RFC 9110 IMF-fixdate and obsolete forms
  if (when == -1) return std::nullopt;
  return when > now ? static_cast<double>(when - now) : 0.0;
}

}  // namespace judge::net
