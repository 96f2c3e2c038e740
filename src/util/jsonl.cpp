// SPDX-License-Identifier: MIT
#include "judge/util/jsonl.hpp"

#include "judge/util/text.hpp"

namespace judge::util {

std::optional<std::string> json_text(const nlohmann::json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string json_error_text(const nlohmann::json::exception& e) {
  std::string text = e.what();
  if (starts_with(text, "[json.exception.")) {
    const auto close = text.find("] ");
    if (close != std::string::npos) text.erase(0, close + 2);
  }
  return text;
}

void for_each_json_line(std::string_view text, Problems& problems,
                        const std::function<void(const nlohmann::json&, int)>& on_value,
                        std::string_view not_json) {
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (trim(lines[i]).empty()) continue;
    nlohmann::json value;
    try {
      value = nlohmann::json::parse(lines[i]);
    } catch (const nlohmann::json::exception& e) {
      problems.add(line, std::string(not_json) + ": " + json_error_text(e));
      continue;
    }
    on_value(value, line);
  }
}

void for_each_json_object(std::string_view text, Problems& problems,
                          const std::function<void(const nlohmann::json&, int)>& on_object) {
  for_each_json_line(text, problems, [&](const nlohmann::json& value, int line) {
    if (!value.is_object())
      problems.add(line, "expected a JSON object");
    else
      on_object(value, line);
  });
}

}  // namespace judge::util
