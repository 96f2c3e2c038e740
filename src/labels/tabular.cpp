// SPDX-License-Identifier: MIT
#include "judge/labels/tabular.hpp"

#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::labels {

void Problems::add(int line, const std::string& what) {
  m_list.push_back(m_source + ":" + std::to_string(line) + ": " + what);
}

void Problems::throw_if_any(const std::string& kind) const {
  if (m_list.empty()) return;
  std::string message = std::to_string(m_list.size()) + " problem" + (m_list.size() == 1 ? "" : "s") +
                        " in " + kind + " " + m_source + ":";
  for (const auto& p : m_list) message += "\n  " + p;
  throw Error(message);
}

CsvHeader::CsvHeader(const CsvRecord& header) : m_size(header.fields.size()), m_line(header.line) {
  for (std::size_t i = 0; i < header.fields.size(); ++i)
    m_index.emplace(util::to_lower(util::trim(header.fields[i])), i);
}

std::optional<std::size_t> CsvHeader::find(std::initializer_list<std::string_view> names) const {
  for (auto name : names)
    if (auto it = m_index.find(name); it != m_index.end()) return it->second;
  return std::nullopt;
}

std::string field(const CsvRecord& record, std::optional<std::size_t> column) {
  return column && *column < record.fields.size() ? record.fields[*column] : std::string();
}

std::optional<std::string> json_text(const nlohmann::json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

void for_each_json_object(std::string_view text, Problems& problems,
                          const std::function<void(const nlohmann::json&, int)>& on_object) {
  const auto lines = util::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (util::trim(lines[i]).empty()) continue;
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(lines[i]);
    } catch (const nlohmann::json::exception& e) {
      problems.add(line, std::string("not valid JSON: ") + e.what());
      continue;
    }
    if (!object.is_object())
      problems.add(line, "expected a JSON object");
    else
      on_object(object, line);
  }
}

}  // namespace judge::labels
