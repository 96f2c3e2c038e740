// SPDX-License-Identifier: MIT
#include "judge/llm/provider.hpp"

#include "judge/util/error.hpp"

namespace judge::llm {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::auth:
      return "auth";
    case ErrorKind::rate_limited:
      return "rate_limited";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::server:
      return "server";
    case ErrorKind::network:
      return "network";
    case ErrorKind::context_length:
      return "context_length";
    case ErrorKind::bad_response:
      return "bad_response";
    case ErrorKind::refused:
      return "refused";
    case ErrorKind::config:
      return "config";
    case ErrorKind::not_in_cache:
      return "not_in_cache";
  }
  return "server";
}

FailurePolicy policy_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::rate_limited:
    case ErrorKind::timeout:
    case ErrorKind::server:
    case ErrorKind::network:
      return FailurePolicy::retry;
    case ErrorKind::auth:
    case ErrorKind::config:
      return FailurePolicy::stop;
    case ErrorKind::context_length:
    case ErrorKind::bad_response:
    case ErrorKind::refused:
    case ErrorKind::not_in_cache:
      return FailurePolicy::unscored;
  }
  return FailurePolicy::unscored;
}

bool is_retryable(ErrorKind kind) { return policy_of(kind) == FailurePolicy::retry; }

bool stops_the_run(ErrorKind kind) { return policy_of(kind) == FailurePolicy::stop; }

std::optional<ErrorKind> error_kind_named(std::string_view name) {
  for (const ErrorKind kind :
       {ErrorKind::auth, ErrorKind::rate_limited, ErrorKind::timeout, ErrorKind::server, ErrorKind::network,
        ErrorKind::context_length, ErrorKind::bad_response, ErrorKind::refused, ErrorKind::config,
        ErrorKind::not_in_cache})
    if (name == to_string(kind)) return kind;
  return std::nullopt;
}

void stop_if_fatal(const std::string& spec, const ChatResult& result) {
  if (result.error && stops_the_run(result.error->kind))
    throw Error(spec + ": " + to_string(result.error->kind) + " error: " + result.error->message);
}

}  // namespace judge::llm
