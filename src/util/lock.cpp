// SPDX-License-Identifier: MIT
#include "judge/util/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "judge/util/error.hpp"

namespace judge::util {

// Why the loop: a holder may remove() the file while another process waits on it; the waiter then holds a
// lock on a file no longer in the folder, which a third process would not see (it creates a new one). So
// once locked, the file the descriptor locks must still be the one at `path` (same device and inode), else
// it is opened and locked again.
FileLock::FileLock(const std::filesystem::path& path, const std::function<void()>& on_wait) : m_path(path) {
  bool said = false;
  for (;;) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    // flock needs no write access: a lock file another user made (0644 by their umask) is locked read-only.
    if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int saved = errno;
      struct stat st {};
      throw Error(path.string() +
                  (::stat(path.c_str(), &st) == 0 ? ": cannot open the lock file: "
                                                  : ": cannot create the lock file: ") +
                  std::strerror(saved));
    }
    int rc = ::flock(fd, LOCK_EX | LOCK_NB);
    if (rc != 0 && errno == EWOULDBLOCK) {
      if (!said && on_wait) on_wait();
      said = true;
      while ((rc = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
      }
    }
    if (rc != 0) {
      const int saved = errno;
      ::close(fd);
      throw Error(path.string() + ": cannot lock: " + std::strerror(saved));
    }
    struct stat locked {};
    struct stat named {};
    if (::fstat(fd, &locked) == 0 && ::stat(path.c_str(), &named) == 0 && locked.st_dev == named.st_dev &&
        locked.st_ino == named.st_ino) {
      m_fd = fd;
      return;
    }
    ::close(fd);  // removed (or replaced) while waited for: lock the file that is there now
  }
}

FileLock::~FileLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing the only descriptor of the open file releases the lock
}

void FileLock::remove() {
  if (m_fd < 0) return;
  ::unlink(m_path.c_str());
  ::close(m_fd);
  m_fd = -1;
}

}  // namespace judge::util
