// SPDX-License-Identifier: MIT
#include "judge/llm/provider.hpp"

namespace judge::llm {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::auth: return "auth";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::server: return "server";
    case ErrorKind::network: return "network";
    case ErrorKind::context_length: return "context_length";
    case ErrorKind::bad_response: return "bad_response";
    case ErrorKind::refused: return "refused";
    case ErrorKind::config: return "config";
    case ErrorKind::not_in_cache: return "not_in_cache";
  }
  return "server";
}

bool is_retryable(ErrorKind kind) {
  return kind == ErrorKind::rate_limited || kind == ErrorKind::timeout || kind == ErrorKind::server ||
         kind == ErrorKind::network;
}

}  // namespace judge::llm
