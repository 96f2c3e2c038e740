// SPDX-License-Identifier: MIT
// Placeholders, replaced by databricks.cpp, jupytext.cpp and dbc.cpp.
#include "judge/notebook/dbc.hpp"
#include "judge/util/error.hpp"

namespace judge::notebook {
ReadResult read_dbc(const std::filesystem::path& path, const ReadOptions&) {
  return {{}, {path.string() + ": .dbc archives are not read yet"}};
}
}  // namespace judge::notebook
