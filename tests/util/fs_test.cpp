// SPDX-License-Identifier: MIT
#include "judge/util/fs.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../support.hpp"
#include "judge/util/error.hpp"

namespace fs = std::filesystem;
using judge::util::MissingFolders;
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

// The message of the judge::Error that writing `content` to `path` throws ("" when none is thrown).
std::string write_error(const fs::path& path, MissingFolders folders = MissingFolders::create) {
  try {
    write_file_atomic(path, "content", folders);
  } catch (const judge::Error& e) {
    return e.what();
  }
  return "";
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

TEST(WriteFileAtomic, SymbolicLinkIsFollowedAndStays) {
  const fs::path dir = fresh_folder("link");
  write_file_atomic(dir / "target.txt", "old");
  fs::create_symlink("target.txt", dir / "link.txt");  // relative to the link's folder
  write_file_atomic(dir / "link.txt", "new");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir / "link.txt")));
  EXPECT_EQ(read_file(dir / "target.txt"), "new");
  fs::create_symlink(dir / "missing.txt", dir / "dangling.txt");  // a link to no file creates its target
  write_file_atomic(dir / "dangling.txt", "created");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir / "dangling.txt")));
  EXPECT_EQ(read_file(dir / "missing.txt"), "created");
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, NamedPipeIsWrittenIntoNotReplaced) {
  const fs::path dir = fresh_folder("fifo");
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader =
      ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // a reader, so opening to write won't block
  ASSERT_GE(reader, 0);
  write_file_atomic(fifo, "through the pipe");
  EXPECT_TRUE(fs::is_fifo(fifo));
  char buffer[64] = {};
  const ssize_t n = ::read(reader, buffer, sizeof buffer);
  ::close(reader);
  EXPECT_EQ(std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0), "through the pipe");
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, DeviceIsWrittenIntoAndItsWriteErrorNamesThePath) {
  const judge::test::TempDir temp("judge_fs_test_device");  // removed whatever the test finds
  const fs::path dir = temp.path();
  // Private copies of /dev/null (1,3) and /dev/full (1,7), so a broken writer cannot replace the real ones.
  // mknod needs root (CAP_MKNOD); without it the real devices are used, which a user without root cannot
  // replace either, so the test runs (never skips) either way.
  fs::path null = dir / "null", full = dir / "full";
  if (::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0 ||
      ::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0) {
    ASSERT_NE(::geteuid(), 0u) << "mknod failed as root";
    null = "/dev/null";
    full = "/dev/full";
  }
  write_file_atomic(null, "discarded");
  EXPECT_TRUE(fs::is_character_file(null));
  const std::string error = write_error(full);
  EXPECT_EQ(error, full.string() + ": write failed: No space left on device");
  EXPECT_TRUE(fs::is_character_file(full));
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, FolderIsNotReplaced) {
  const fs::path dir = fresh_folder("folder");
  fs::create_directories(dir / "out");
  EXPECT_EQ(write_error(dir / "out"), (dir / "out").string() + ": is a folder, not a file");
  EXPECT_TRUE(fs::is_directory(dir / "out"));
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, MissingFolderIsRefusedWhenAsked) {
  const fs::path dir = fresh_folder("refuse");
  const fs::path file = dir / "no" / "such" / "x.csv";
  EXPECT_EQ(write_error(file, MissingFolders::refuse),
            file.string() + ": folder " + (dir / "no" / "such").string() + " does not exist");
  EXPECT_FALSE(fs::exists(dir / "no"));
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, UnwritableFolderErrorNamesTheFileNotTheTemporaryOne) {
  // /proc refuses new files, even to root.
  const std::string error = write_error("/proc/judge_x.jsonl");
  EXPECT_EQ(error.rfind("/proc/judge_x.jsonl: cannot create a file in folder /proc: ", 0), 0u) << error;
  EXPECT_EQ(error.find(".tmp"), std::string::npos) << error;
}

// AtomicFile: pieces written one by one; the file appears, whole, only at commit.
TEST(AtomicFile, PiecesAppearTogetherAtCommit) {
  judge::test::TempDir dir("atomic_file");
  const fs::path path = dir.path() / "out.jsonl";
  write_file_atomic(path, "old\n");
  {
    judge::util::AtomicFile file(path, MissingFolders::refuse);
    file.write("one\n");
    file.write("two\n");
    EXPECT_EQ(read_file(path), "old\n");  // not yet
    file.commit();
  }
  EXPECT_EQ(read_file(path), "one\ntwo\n");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);  // no temporary file left
}

TEST(AtomicFile, WithoutCommitTheFileStaysAsItWasAndNothingIsLeft) {
  judge::test::TempDir dir("atomic_file_abandoned");
  const fs::path path = dir.path() / "out.csv";
  write_file_atomic(path, "kept\n");
  {
    judge::util::AtomicFile file(path);
    file.write("half of a run");
  }  // an error stopped the run
  EXPECT_EQ(read_file(path), "kept\n");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

// A file that does not exist: the error names it and, when a file of its folder is a slip of the fingers from
// its name (one letter left out), asks whether that was meant; a name near nothing gets no hint.
TEST(Fs, AMissingFileNamesTheFileOfItsFolderItWasProbablyMeantToBe) {
  const auto dir = fs::temp_directory_path() / ("judge_fs_missing_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  judge::util::write_file_atomic(dir / "ml-notebooks-house.csv", "x");
  judge::util::write_file_atomic(dir / "other.txt", "y");
  const auto error_of = [](const fs::path& p) {
    try {
      read_file(p);
    } catch (const judge::Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error_of(dir / "ml-notebook-house.csv"),
            (dir / "ml-notebook-house.csv").string() +
                ": cannot open: No such file or directory; did you mean " +
                (dir / "ml-notebooks-house.csv").string() + "?");
  EXPECT_EQ(error_of(dir / "labels.csv"),
            (dir / "labels.csv").string() + ": cannot open: No such file or directory");
  // A folder near the name is no file to read; a dangling link is not offered as itself.
  fs::create_directories(dir / "labels");
  EXPECT_EQ(error_of(dir / "label"), (dir / "label").string() + ": cannot open: No such file or directory");
  fs::create_symlink(dir / "nowhere.csv", dir / "dangling.csv");
  EXPECT_EQ(error_of(dir / "dangling.csv"),
            (dir / "dangling.csv").string() + ": cannot open: No such file or directory");
  fs::remove_all(dir);
}
