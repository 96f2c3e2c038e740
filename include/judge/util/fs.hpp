// SPDX-License-Identifier: MIT
#pragma once
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace judge::util {

/// Reads a whole file as bytes. Throws judge::Error naming the path when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

/// Whether write_file_atomic creates the missing folders above the file (the tool's own files: memory folder,
/// cache) or refuses (a file the user named with -o/--output: a typo in a folder name is an error, not a new
/// folder chain).
enum class MissingFolders { create, refuse };

/// Writes `content` to `path` atomically: a temporary file in the same folder, flushed and fsync'd, then
/// renamed over `path`, and the folder fsync'd, so a reader (or a reboot) sees the old or the new file, never
/// a partial one. An existing `path` keeps its permission bits (0600 stays 0600); a new file gets the umask
/// default (0666 & ~umask). A symbolic link is followed: its final target is replaced and the link stays.
/// An existing target that is not a regular file or folder (a device such as /dev/null or /dev/full, a named
/// pipe, a socket) is written straight into, without a temporary file, as a shell's `>` would. Missing parent
/// folders are created or refused as `folders` says. Throws judge::Error naming `path` (never the temporary
/// file) on failure: `path` is a folder, its folder does not exist, an open or write error such as ENOSPC
/// (the temporary file is removed).
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       MissingFolders folders = MissingFolders::create);

/// Renames the file `from` over `to` (in the same folder) and syncs the folder, so that a reader (or a
/// reboot) sees the old or the new `to`, never neither: the last step of a save staged under another name. An
/// existing `to` keeps its permission bits. Throws judge::Error naming `to` on failure (`from` is then left).
void replace_file(const std::filesystem::path& from, const std::filesystem::path& to);

/// A file written piece by piece and replaced atomically, as write_file_atomic does at once: the pieces go to
/// a temporary file beside the target (".NAME.tmpPID.N"), which commit() flushes, fsyncs and renames over the
/// target; destroyed without commit() (an error, an interrupted run), the temporary file is removed and the
/// target is left as it was. A device or named pipe is written into directly, each piece at once
/// (unbuffered), so a reader sees the pieces as they come. Errors (judge::Error naming `path`) as
/// write_file_atomic's, from the constructor (folder, permissions, creation), write() or commit() (write
/// failures such as ENOSPC). Not thread-safe.
class AtomicFile {
 public:
  AtomicFile(const std::filesystem::path& path, MissingFolders folders = MissingFolders::create);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  /// Appends `content`.
  void write(std::string_view content);
  /// Makes the written content the file's (rename), or closes the device. At most once.
  void commit();

 private:
  [[noreturn]] void fail(int error);
  std::filesystem::path m_path;    // as the user named it, for messages
  std::filesystem::path m_target;  // its symbolic links followed
  std::filesystem::path m_folder;
  std::filesystem::path m_tmp;
  std::FILE* m_file = nullptr;  // the temporary file
  int m_direct = -1;            // a device or pipe written into
};

}  // namespace judge::util
