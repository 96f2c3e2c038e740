// SPDX-License-Identifier: MIT
// JSON Lines (one JSON value a line) reading, with every bad line collected as a problem.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "judge/util/problems.hpp"

namespace judge::util {

/// The value at `key` of a JSON object as text: a string as it is, another value as JSON text; nullopt when
/// the key is absent or null.
std::optional<std::string> json_text(const nlohmann::json& object, std::string_view key);

/// A JSON parser error as a person reads it: nlohmann's message without its "[json.exception.parse_error.101]
/// " prefix ("parse error at line 1, column 2: syntax error while parsing object key - ...").
std::string json_error_text(const nlohmann::json::exception& e);

/// Calls `on_value(value, line)` for each non-blank line of JSON Lines `text` (1-based line numbers, a
/// trailing '\r' ignored); a line that is not valid JSON is added to `problems` at its line as
/// "NOT_JSON: <the parser's message>" instead.
void for_each_json_line(std::string_view text, Problems& problems,
                        const std::function<void(const nlohmann::json&, int)>& on_value,
                        std::string_view not_json = "not valid JSON");

/// for_each_json_line for JSON Lines of objects: a line that is not an object is added to `problems` as
/// "expected a JSON object".
void for_each_json_object(std::string_view text, Problems& problems,
                          const std::function<void(const nlohmann::json&, int)>& on_object);

}  // namespace judge::util
