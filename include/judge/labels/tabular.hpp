// SPDX-License-Identifier: MIT
#pragma once
#include <functional>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/labels/csv.hpp"

// Helpers shared by the readers of long-format files (labels here, judge scores in report/).
namespace judge::labels {

/// The problems found in one input file, each as "FILE:LINE: what is wrong", reported together.
class Problems {
 public:
  explicit Problems(std::string source) : m_source(std::move(source)) {}
  void add(int line, const std::string& what);
  /// When there is any problem, throws one judge::Error "N problems in KIND FILE:" followed by one problem a
  /// line.
  void throw_if_any(const std::string& kind) const;

 private:
  std::string m_source;
  std::vector<std::string> m_list;
};

/// The columns of a CSV header row, found by name (ASCII case and surrounding space ignored).
class CsvHeader {
 public:
  explicit CsvHeader(const CsvRecord& header);
  /// Index of the first of `names` that is a column; nullopt when none is.
  std::optional<std::size_t> find(std::initializer_list<std::string_view> names) const;
  std::size_t size() const { return m_size; }
  int line() const { return m_line; }

 private:
  std::map<std::string, std::size_t, std::less<>> m_index;
  std::size_t m_size = 0;
  int m_line = 0;
};

/// Field `column` of `record`; "" when the column is absent or the record is shorter.
std::string field(const CsvRecord& record, std::optional<std::size_t> column);

/// The value at `key` of a JSON object as text: a string as it is, another value as JSON text; nullopt when
/// the key is absent or null.
std::optional<std::string> json_text(const nlohmann::json& object, std::string_view key);

/// Calls `on_object(object, line)` for each non-blank line of JSON Lines `text` (1-based line numbers);
/// a line that is not valid JSON or not an object is added to `problems` instead.
void for_each_json_object(std::string_view text, Problems& problems,
                          const std::function<void(const nlohmann::json&, int)>& on_object);

}  // namespace judge::labels
