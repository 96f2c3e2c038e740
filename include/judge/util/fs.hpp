// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace judge::util {

/// Reads a whole file as bytes. Throws judge::Error naming the path when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

/// Writes `content` to `path` atomically: a temporary file in the same folder, flushed and fsync'd, then
/// renamed over `path`, and the folder fsync'd, so a reader (or a reboot) sees the old or the new file, never a
/// partial one. An existing `path` keeps its permission bits (0600 stays 0600); a new file gets the umask
/// default (0666 & ~umask). Creates missing parent folders. Throws judge::Error naming `path` on failure (the
/// temporary file is removed).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace judge::util
