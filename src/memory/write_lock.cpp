// SPDX-License-Identifier: MIT
#include "judge/memory/write_lock.hpp"

#include "judge/memory/memory.hpp"
#include "judge/util/error.hpp"

namespace judge::memory {

WriteLock::WriteLock(const std::filesystem::path& dir, const std::function<void()>& on_wait, bool create)
    : m_dir(dir) {
  namespace fs = std::filesystem;
  bool said = false;  // on_wait is called once, however many times the lock is waited for
  const std::function<void()> once = [&] {
    if (!said && on_wait) on_wait();
    said = true;
  };
  for (;;) {
    std::error_code ec;
    m_created = !fs::exists(dir, ec);
    if (m_created && !create) {
      m_created = false;
      return;  // nothing to lock: Memory::load says there is no memory here
    }
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
  if (!m_lock) return;
  // Nothing but the lock file: the command saved nothing in the folder (a failed first align, or forget on a
  // folder that holds no memory). The error_code forms throughout: a destructor must not throw.
  std::error_code ec;
  for (auto it = fs::directory_iterator(m_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->path().filename() != k_lock_file) return;
  if (ec) return;
  m_lock->remove();
  if (m_created) fs::remove(m_dir, ec);  // only when empty: a file written there since stays, with the folder
}

}  // namespace judge::memory
