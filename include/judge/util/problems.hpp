// SPDX-License-Identifier: MIT
// Validation that collects every problem of an input (FILE:LINE: what is wrong) and reports them together.
#pragma once
#include <string>
#include <vector>

#include "judge/util/error.hpp"

namespace judge::util {

/// The problems found in an input, each as "PLACE: what is wrong", in the order found, reported together.
class Problems {
 public:
  /// `source`: the file that add(line, what) places problems in ("" when every problem names its place).
  explicit Problems(std::string source = {}) : m_source(std::move(source)) {}

  /// Adds "SOURCE:LINE: what" (line 1-based) right after the last problem added this way on this line or an
  /// earlier one (else before the first on a later line), so that problems found by several passes over a
  /// file are listed in line order.
  void add(int line, const std::string& what);
  /// Adds "WHERE: what"; `where` names the place itself (a file, FILE:LINE, a setting's source).
  void add(const std::string& where, const std::string& what);
  /// Adds every problem of `other`, after those already here.
  void append(const Problems& other);

  bool empty() const { return m_list.empty(); }
  std::size_t size() const { return m_list.size(); }
  const std::string& source() const { return m_source; }
  const std::vector<std::string>& list() const { return m_list; }

  /// "1 problem" or "N problems".
  std::string count() const;
  /// `heading` followed by one problem a line, each indented two spaces; without a heading, the problems one
  /// a line, not indented.
  std::string message(const std::string& heading) const;
  /// When there is any problem, throws judge::Error(message(heading), code).
  void throw_if_any(const std::string& heading, ExitCode code) const;
  /// When there is any problem, throws one judge::Error "N problems in KIND SOURCE:" followed by one problem
  /// a line (KIND names what the file holds: "labels", "scores").
  void throw_if_any(const std::string& kind) const;

 private:
  std::string m_source;
  std::vector<std::string> m_list;
  std::vector<int> m_lines;  ///< per problem: its line when add(line, what) added it, else 0
  static constexpr std::size_t k_none = static_cast<std::size_t>(-1);
  std::size_t m_last_lined = k_none;  ///< index of the last problem with a line (the greatest line); k_none
};

}  // namespace judge::util
