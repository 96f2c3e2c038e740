// SPDX-License-Identifier: MIT
#include "judge/util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "judge/util/error.hpp"

namespace judge::util {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read failed");
  return std::move(out).str();
}

namespace {

// Flushes the folder entry of a rename to disk, so the new name survives a power loss (rename(2) alone only
// orders it in memory). Throws naming `path`, the file that was written.
void fsync_folder(const std::filesystem::path& folder, const std::filesystem::path& path) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Error(path.string() + ": cannot open its folder to sync it: " + std::strerror(errno));
  const bool ok = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) throw Error(path.string() + ": cannot sync its folder: " + std::strerror(saved));
}

// The file a write to `path` lands in: `path` with its symbolic links followed (a relative link target is
// relative to the link's folder), at most 40 of them as Linux allows (SYMLOOP_MAX), so a loop is an error.
std::filesystem::path resolve_links(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  fs::path target = path;
  for (int links = 0; links < 40; ++links) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(target, ec))) return target;
    const fs::path next = fs::read_symlink(target, ec);
    if (ec) throw Error(path.string() + ": cannot read the link " + target.string() + ": " + ec.message());
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  throw Error(path.string() + ": too many levels of symbolic links");
}

// Writes `content` into `target`, an existing file that cannot be replaced by a rename (a device, a named
// pipe): opened for writing as a shell's `>` opens it. Throws naming `path`, the name the user gave.
void write_into(const std::filesystem::path& path, const std::filesystem::path& target,
                std::string_view content) {
  const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path.string() + ": cannot open for writing: " + std::strerror(errno));
  int error = 0;
  for (std::size_t done = 0; done < content.size() && error == 0;) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n == 0 || errno != EINTR)
      error = n == 0 ? EIO : errno;
  }
  if (::close(fd) != 0 && error == 0 && errno != EINTR) error = errno;
  if (error != 0) throw Error(path.string() + ": write failed: " + std::strerror(error));
}

// Makes sure `folder`, where `path` is written, exists: creates it (and its parents) or refuses, as `folders`
// says. Throws naming `path`.
void make_folder(const std::filesystem::path& path, const std::filesystem::path& folder,
                 MissingFolders folders) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(folder, ec);
  if (fs::is_directory(status)) return;
  if (status.type() != fs::file_type::not_found) {
    if (ec) throw Error(path.string() + ": cannot reach folder " + folder.string() + ": " + ec.message());
    throw Error(path.string() + ": " + folder.string() + " is not a folder");
  }
  if (folders == MissingFolders::refuse)
    throw Error(path.string() + ": folder " + folder.string() + " does not exist");
  fs::create_directories(folder, ec);
  if (ec) throw Error(path.string() + ": cannot create folder " + folder.string() + ": " + ec.message());
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content, MissingFolders folders) {
  namespace fs = std::filesystem;
  const fs::path target = resolve_links(path);
  struct stat existing {};
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode)) throw Error(path.string() + ": is a folder, not a file");
  if (exists && !S_ISREG(existing.st_mode)) return write_into(path, target, content);
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  make_folder(path, parent, folders);
  std::random_device rd;
  // ".NAME.tmpPID.RANDOM", appended piece by piece (GCC 12's -Wrestrict misreads "." + std::string)
  std::string tmp_name = ".";
  tmp_name += target.filename().string();
  tmp_name += ".tmp";
  tmp_name += std::to_string(::getpid());
  tmp_name += '.';
  tmp_name += std::to_string(rd() % 1000000);
  const fs::path tmp = parent / tmp_name;
  std::FILE* f = std::fopen(tmp.c_str(), "wbx");
  if (!f)
    throw Error(path.string() + ": cannot create a file in folder " + parent.string() + ": " +
                std::strerror(errno));
  // An existing target keeps its permission bits (a 0600 file stays 0600), set before the first byte is
  // written so the content is never readable more widely; a new one gets the umask default.
  const bool ok = (!exists || ::fchmod(::fileno(f), existing.st_mode & 07777) == 0) &&
                  std::fwrite(content.data(), 1, content.size(), f) == content.size() &&
                  std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const int saved = errno;
  const bool closed = std::fclose(f) == 0;
  std::error_code ec;
  if (!ok || !closed) {
    fs::remove(tmp, ec);
    throw Error(path.string() + ": write failed: " + std::strerror(ok ? errno : saved));
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(path.string() + ": cannot replace: " + ec.message());
  }
  fsync_folder(parent, path);
}

}  // namespace judge::util
