// SPDX-License-Identifier: MIT
#include "judge/util/fs.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "judge/util/error.hpp"

namespace fs = std::filesystem;
using judge::util::read_file;
using judge::util::write_file_atomic;

namespace {

fs::path fresh_folder(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("judge_fs_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

}  // namespace

TEST(WriteFileAtomic, RewriteKeepsTheModeOfTheExistingFile) {
  const fs::path dir = fresh_folder("mode");
  const fs::path file = dir / "secret.json";
  write_file_atomic(file, "old");
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  write_file_atomic(file, "new");
  EXPECT_EQ(read_file(file), "new");
  EXPECT_EQ(mode_of(file), 0600u);
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, NewFileGetsTheUmaskDefaultMode) {
  const fs::path dir = fresh_folder("umask");
  const mode_t old_mask = ::umask(022);
  write_file_atomic(dir / "sub" / "new.txt", "x");
  ::umask(old_mask);
  EXPECT_EQ(mode_of(dir / "sub" / "new.txt"), 0644u);  // 0666 & ~022, as fopen(3) creates files
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, ErrorNamesTheFile) {
  const fs::path dir = fresh_folder("error");
  write_file_atomic(dir / "plain", "a regular file, not a folder");
  const fs::path target = dir / "plain" / "out.json";
  try {
    write_file_atomic(target, "x");
    FAIL() << "expected judge::Error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find(target.string()), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}
