// SPDX-License-Identifier: MIT
#include "judge/memory/write_lock.hpp"

#include "judge/memory/memory.hpp"
#include "judge/util/error.hpp"

namespace judge::memory {

WriteLock::WriteLock(const std::filesystem::path& dir, const std::function<void()>& on_wait) : m_dir(dir) {
  namespace fs = std::filesystem;
  bool said = false;  // on_wait is called once, however many times the lock is waited for
  const std::function<void()> once = [&] {
    if (!said && on_wait) on_wait();
    said = true;
  };
  for (;;) {
    std::error_code ec;
    m_created = !fs::exists(dir, ec);
    if (m_created) {
      fs::create_directories(dir, ec);
      if (ec) throw Error("memory " + dir.string() + ": cannot create the folder: " + ec.message());
    } else if (!fs::is_directory(dir, ec)) {
      throw Error("memory " + dir.string() + ": is not a folder");
    }
    try {
      m_lock.emplace(dir / k_lock_file, once);
      break;
    } catch (const Error&) {
      // The folder was removed while waited for (a first align that failed removes the folder it made):
      // made again and locked. Any other failure is the error.
      if (fs::exists(dir, ec)) throw;
    }
  }
  settle_save(dir);
}

WriteLock::~WriteLock() {
  namespace fs = std::filesystem;
  if (!m_created) return;
  // Nothing but the lock file: the command that created the folder saved nothing in it.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(m_dir, ec))
    if (entry.path().filename() != k_lock_file) return;
  if (ec) return;
  m_lock->remove();
  fs::remove(m_dir, ec);  // only when empty: a file another process wrote there since stays, with the folder
}

}  // namespace judge::memory
