// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace judge::util {

/// Reads a whole file as bytes. Throws judge::Error naming the path when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

/// Writes `content` to `path` atomically: a temporary file in the same folder, flushed, then renamed over
/// `path`, so a reader sees the old or the new file, never a partial one. Creates missing parent folders.
/// Throws judge::Error naming the path on failure (the temporary file is removed).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace judge::util
