// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>

#include "judge/notebook/notebook.hpp"

namespace judge::notebook {

/// Reads a Databricks `.dbc` archive: a zip of JSON notebooks (one per member). Each member that is a
/// notebook yields one Notebook named "ARCHIVE.dbc!/path/inside"; members that cannot be read are reported
/// in ReadResult::errors with their inner path. Never throws for bad content.
ReadResult read_dbc(const std::filesystem::path& path, const ReadOptions& options = {});

}  // namespace judge::notebook
