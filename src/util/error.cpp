// SPDX-License-Identifier: MIT
#include "judge/util/error.hpp"

namespace judge {

namespace {

// Marks a setting's name in a message: a control character that no message text holds.
constexpr char k_mark = '\x1f';

}  // namespace

std::string word_settings(const std::string& message,
                          const std::function<std::string(std::string_view name)>& word) {
  std::string out;
  for (std::size_t at = 0; at < message.size();) {
    const std::size_t open = message.find(k_mark, at);
    const std::size_t close = open == std::string::npos ? open : message.find(k_mark, open + 1);
    if (close == std::string::npos) {  // no (complete) mark left
      out.append(message, at);
      break;
    }
    out.append(message, at, open - at);
    out += word(std::string_view(message).substr(open + 1, close - open - 1));
    at = close + 1;
  }
  return out;
}

std::string setting(std::string_view name) { return k_mark + std::string(name) + k_mark; }

std::string Error::with_names(const std::string& message) {
  return word_settings(message, [](std::string_view name) {
    std::string words(name);
    for (char& c : words)
      if (c == '_') c = ' ';
    return words;
  });
}

}  // namespace judge
