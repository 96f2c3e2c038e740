// SPDX-License-Identifier: MIT
#include "judge/util/problems.hpp"

#include "judge/util/text.hpp"

namespace judge::util {

void Problems::add(int line, const std::string& what) {
  // Right after the last problem of this line or an earlier one, else before the first of a later line
  // (problems are found by several passes over a file). Problems with a line are kept in line order, so
  // the last of them has the greatest: one found in order (the usual case, a file with a problem on each of
  // 10^5 lines) goes right after it, without a scan.
  const bool none = m_last_lined == k_none;
  std::size_t at = m_list.size();
  if (none || m_lines[m_last_lined] <= line) {
    if (!none) at = m_last_lined + 1;
    m_last_lined = at;
  } else {
    bool after = false;
    for (std::size_t i = 0; i < m_lines.size(); ++i)
      if (m_lines[i] != 0 && m_lines[i] <= line) {
        at = i + 1;
        after = true;
      }
    if (!after)
      for (std::size_t i = 0; i < m_lines.size(); ++i)
        if (m_lines[i] > line) {
          at = i;
          break;
        }
    ++m_last_lined;  // at <= m_last_lined: the insertion moves it down one
  }
  m_list.insert(m_list.begin() + static_cast<std::ptrdiff_t>(at),
                m_source + ":" + std::to_string(line) + ": " + what);
  m_lines.insert(m_lines.begin() + static_cast<std::ptrdiff_t>(at), line);
}

void Problems::add(const std::string& where, const std::string& what) {
  m_list.push_back(where + ": " + what);
  m_lines.push_back(0);
}

void Problems::append(const Problems& other) {
  m_list.insert(m_list.end(), other.m_list.begin(), other.m_list.end());
  m_lines.insert(m_lines.end(), other.m_list.size(), 0);  // another source's lines: kept in their order
}

std::string Problems::count() const { return count_text(m_list.size(), "problem"); }

std::string Problems::message(const std::string& heading) const {
  std::string out = heading;
  for (const auto& p : m_list) out += heading.empty() ? (out.empty() ? "" : "\n") + p : "\n  " + p;
  return out;
}

void Problems::throw_if_any(const std::string& heading, ExitCode code) const {
  if (!m_list.empty()) throw Error(message(heading), code);
}

void Problems::throw_if_any(const std::string& kind) const {
  if (!m_list.empty()) throw_if_any(count() + " in " + kind + " " + m_source + ":", ExitCode::runtime);
}

}  // namespace judge::util
