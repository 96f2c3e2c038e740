// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <functional>
#include <optional>

#include "judge/util/lock.hpp"

namespace judge::memory {

/// The name of a memory folder's lock file (DIR/.lock): empty, kept between runs; no memory content.
inline constexpr const char* k_lock_file = ".lock";

/// An exclusive lock on a memory folder for one command that writes it (judge align, judge memory forget,
/// judge memory unforget), held from construction to destruction: taken before Memory::load and kept until
/// Memory::save (and calibration.json) is written, so that two writers take turns and the second loads what
/// the first saved instead of overwriting it with an older copy. Readers (judge eval, judge memory show) take
/// none: they never see a partial file (atomic writes), and a save in progress at worst makes them refuse the
/// folder as inconsistent (Memory::load).
///
/// The lock is a util::FileLock on DIR/.lock (flock(2); released by the kernel when the process dies).
/// When another process holds it, `on_wait` is called once (the cli says "judge: waiting for DIR: another
/// judge command is writing it") and the constructor blocks until it is free. Once it holds the lock, it
/// finishes or discards what a save cut short left (settle_save), so the folder holds one save's manifest.
/// A missing DIR is created when `create` (a first align) and left alone otherwise (forget and unforget:
/// no lock is taken, and Memory::load says there is no memory). When DIR holds nothing but the lock file when
/// the lock is released (the command failed before saving), the lock file is removed, and DIR too when this
/// lock created it: a failed first align leaves no folder. Throws judge::Error naming the folder or the file
/// when the folder or the lock file cannot be created (a read-only place), the lock cannot be taken, or
/// settle_save fails.
class WriteLock {
 public:
  explicit WriteLock(const std::filesystem::path& dir, const std::function<void()>& on_wait = {},
                     bool create = true);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  std::filesystem::path m_dir;
  bool m_created = false;  // the folder did not exist: removed again when left empty
  std::optional<util::FileLock> m_lock;
};

}  // namespace judge::memory
