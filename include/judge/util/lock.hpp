// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <functional>

namespace judge::util {

/// An exclusive advisory lock on a lock file (flock(2)), held from construction to destruction: how
/// processes that write one folder take turns (memory::WriteLock, a memory folder's writers). The lock file
/// is created when missing (mode 0666 & ~umask; its folder must exist) and stays after release (removing it
/// would let a waiter lock a file no later process sees), unless remove() is called while the lock is held.
/// A lock held by another process is waited for, blocking, after `on_wait` has been called once (to say so);
/// a free one is taken without calling it. The kernel releases the lock of a process that dies, so no stale
/// lock outlives a crash. The descriptor is close-on-exec: a child process (a command judge) never holds it.
/// Not reentrant: a second FileLock of the same file in one process waits for the first. Advisory: only
/// processes that take it are held back. Throws judge::Error naming `path` when the file cannot be created
/// or opened (a read-only folder), or cannot be locked (ENOLCK).
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path, const std::function<void()>& on_wait = {});
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  /// Deletes the lock file, then releases the lock (a process waiting for it then locks a new file); the
  /// destructor then does nothing, nor does a second call. An error deleting it is ignored (the file stays).
  void remove();

 private:
  std::filesystem::path m_path;
  int m_fd = -1;
};

}  // namespace judge::util
