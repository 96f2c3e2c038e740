// SPDX-License-Identifier: MIT
#include "judge/util/problems.hpp"

#include "judge/util/text.hpp"

namespace judge::util {

void Problems::add(int line, const std::string& what) { add(m_source + ":" + std::to_string(line), what); }

void Problems::add(const std::string& where, const std::string& what) {
  m_list.push_back(where + ": " + what);
}

void Problems::append(const Problems& other) {
  m_list.insert(m_list.end(), other.m_list.begin(), other.m_list.end());
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
