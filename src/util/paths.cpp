// SPDX-License-Identifier: MIT
#include "judge/util/paths.hpp"

#include <filesystem>

namespace judge::util {

namespace {

bool is_separator(char c) { return c == '/' || c == '\\'; }

}  // namespace

bool ends_with_path(std::string_view path, std::string_view tail) {
  if (tail.empty() || !path.ends_with(tail)) return false;
  return path.size() == tail.size() || is_separator(path[path.size() - tail.size() - 1]);
}

std::string_view notebook_name(std::string_view path) {
  while (path.size() >= 2 && path[0] == '.' && is_separator(path[1])) {
    path.remove_prefix(2);
    while (!path.empty() && is_separator(path[0])) path.remove_prefix(1);  // ".//x"
  }
  return path;
}

bool same_notebook(std::string_view a, std::string_view b) {
  a = notebook_name(a);
  b = notebook_name(b);
  return ends_with_path(a, b) || ends_with_path(b, a);
}

std::string canonical_notebook_path(const std::string& path) {
  const auto bang = path.find("!/");  // ARCHIVE.dbc!/inner
  std::error_code ec;
  return std::filesystem::weakly_canonical(path.substr(0, bang), ec).string() +
         (bang == std::string::npos ? "" : path.substr(bang));
}

std::string canonical_file_path(const std::string& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : canonical.string();
}

}  // namespace judge::util
