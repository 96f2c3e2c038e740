// SPDX-License-Identifier: MIT
#include "judge/util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::util {

namespace {

// "; did you mean DIR/NAME?" for a file that does not exist: the files of its folder whose names are a slip
// of the fingers from its name (closest_typos: "ml-notebook-house.csv" finds "ml-notebooks-house.csv"); ""
// when there is none, the folder cannot be read, or it holds more than 10,000 entries.
std::string missing_file_hint(const std::filesystem::path& path) {
  std::error_code ec;
  const auto parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  // Regular files only (a folder of that name is no file to read), not the name itself (a dangling link), and
  // not in a folder so large that comparing every name would hold the error up.
  constexpr std::size_t k_most_names = 10000;
  std::vector<std::string> names;
  std::size_t seen = 0;
  for (auto it = std::filesystem::directory_iterator(parent, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (++seen > k_most_names) return "";
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && it->path().filename() != path.filename())
      names.push_back(it->path().filename().string());
  }
  if (ec) return "";
  std::sort(names.begin(), names.end());
  const auto close = closest_typos(path.filename().string(), names);
  std::string hint;
  for (std::size_t i = 0; i < close.size() && i < 3; ++i) {
    hint += i == 0 ? "; did you mean " : i + 1 == close.size() || i == 2 ? " or " : ", ";
    hint += (path.parent_path() / close[i]).string();
  }
  if (!hint.empty()) hint += '?';
  return hint;
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    std::string what = path.string();
    what += ": cannot open: ";
    what += std::strerror(error);
    if (error == ENOENT) what += missing_file_hint(path);
    throw Error(what);
  }
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

// Writes `content` to the open descriptor `fd` (a device, a named pipe: written into as a shell's `>` would),
// retrying short writes. Returns 0 or the errno of the failure.
int write_all(int fd, std::string_view content) {
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n == 0 || errno != EINTR)
      return n == 0 ? EIO : errno;
  }
  return 0;
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

AtomicFile::AtomicFile(const std::filesystem::path& path, MissingFolders folders) : m_path(path) {
  namespace fs = std::filesystem;
  m_target = resolve_links(path);
  struct stat existing {};
  const bool exists = ::stat(m_target.c_str(), &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode)) throw Error(path.string() + ": is a folder, not a file");
  if (exists && !S_ISREG(existing.st_mode)) {  // a device or pipe: written into, no temporary file
    m_direct = ::open(m_target.c_str(), O_WRONLY | O_CLOEXEC);
    if (m_direct < 0) throw Error(path.string() + ": cannot open for writing: " + std::strerror(errno));
    return;
  }
  m_folder = m_target.has_parent_path() ? m_target.parent_path() : fs::path(".");
  make_folder(path, m_folder, folders);
  std::random_device rd;
  // ".NAME.tmpPID.RANDOM", appended piece by piece (GCC 12's -Wrestrict misreads "." + std::string)
  std::string tmp_name = ".";
  tmp_name += m_target.filename().string();
  tmp_name += ".tmp";
  tmp_name += std::to_string(::getpid());
  tmp_name += '.';
  tmp_name += std::to_string(rd() % 1000000);
  m_tmp = m_folder / tmp_name;
  m_file = std::fopen(m_tmp.c_str(), "wbx");
  if (!m_file)
    throw Error(path.string() + ": cannot create a file in folder " + m_folder.string() + ": " +
                std::strerror(errno));
  // An existing target keeps its permission bits (a 0600 file stays 0600), set before the first byte is
  // written so the content is never readable more widely; a new one gets the umask default.
  if (exists && ::fchmod(::fileno(m_file), existing.st_mode & 07777) != 0) fail(errno);
}

AtomicFile::~AtomicFile() {
  if (m_direct >= 0) ::close(m_direct);
  if (m_file) {
    std::fclose(m_file);
    std::error_code ec;
    std::filesystem::remove(m_tmp, ec);
  }
}

void AtomicFile::fail(int error) {
  if (m_file) {
    std::fclose(m_file);
    m_file = nullptr;
    std::error_code ec;
    std::filesystem::remove(m_tmp, ec);
  }
  if (m_direct >= 0) {
    ::close(m_direct);
    m_direct = -1;
  }
  throw Error(m_path.string() + ": write failed: " + std::strerror(error));
}

void AtomicFile::write(std::string_view content) {
  if (m_direct >= 0) {
    if (const int error = write_all(m_direct, content); error != 0) fail(error);
  } else if (m_file) {
    if (std::fwrite(content.data(), 1, content.size(), m_file) != content.size()) fail(errno);
  } else {
    throw Error(m_path.string() + ": written after it was committed or failed");
  }
}

void AtomicFile::commit() {
  namespace fs = std::filesystem;
  if (m_direct >= 0) {
    const int fd = std::exchange(m_direct, -1);
    if (::close(fd) != 0 && errno != EINTR)
      throw Error(m_path.string() + ": write failed: " + std::strerror(errno));
    return;
  }
  if (!m_file) throw Error(m_path.string() + ": committed twice or after a failure");
  if (std::fflush(m_file) != 0 || ::fsync(::fileno(m_file)) != 0) fail(errno);
  std::FILE* f = std::exchange(m_file, nullptr);
  std::error_code ec;
  if (std::fclose(f) != 0) {
    const int saved = errno;
    fs::remove(m_tmp, ec);
    throw Error(m_path.string() + ": write failed: " + std::strerror(saved));
  }
  fs::rename(m_tmp, m_target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(m_tmp, ignored);
    throw Error(m_path.string() + ": cannot replace: " + ec.message());
  }
  fsync_folder(m_folder, m_path);
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content, MissingFolders folders) {
  AtomicFile file(path, folders);
  file.write(content);
  file.commit();
}

void replace_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  struct stat existing {};
  if (::stat(to.c_str(), &existing) == 0 && S_ISREG(existing.st_mode) &&
      ::chmod(from.c_str(), existing.st_mode & 07777) != 0)
    throw Error(to.string() + ": cannot replace: " + std::strerror(errno));
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw Error(to.string() + ": cannot replace: " + ec.message());
  fsync_folder(to.has_parent_path() ? to.parent_path() : fs::path("."), to);
}

}  // namespace judge::util
