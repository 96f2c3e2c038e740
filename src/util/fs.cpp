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

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  namespace fs = std::filesystem;
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw Error(path.string() + ": cannot create folder " + parent.string() + ": " + ec.message());
  // An existing target keeps its permission bits (a 0600 file stays 0600); a new one gets the umask default.
  struct stat existing {};
  const bool keep_mode = ::stat(path.c_str(), &existing) == 0;
  std::random_device rd;
  const fs::path tmp = parent / ("." + path.filename().string() + ".tmp" + std::to_string(::getpid()) + "." +
                                 std::to_string(rd() % 1000000));
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    throw Error(path.string() + ": cannot create temporary file " + tmp.string() + ": " +
                std::strerror(errno));
  const bool ok =
      std::fwrite(content.data(), 1, content.size(), f) == content.size() && std::fflush(f) == 0 &&
      (!keep_mode || ::fchmod(::fileno(f), existing.st_mode & 07777) == 0) && ::fsync(::fileno(f)) == 0;
  const int saved = errno;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) {
    fs::remove(tmp, ec);
    throw Error(path.string() + ": write failed: " + std::strerror(ok ? errno : saved));
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(path.string() + ": cannot replace: " + ec.message());
  }
  fsync_folder(parent, path);
}

}  // namespace judge::util
