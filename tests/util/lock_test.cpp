// SPDX-License-Identifier: MIT
#include "judge/util/lock.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "../support.hpp"
#include "judge/util/error.hpp"

namespace fs = std::filesystem;
using judge::util::FileLock;

namespace {

// A pipe the test and a child process talk over, a byte at a time.
struct Pipe {
  Pipe() { EXPECT_EQ(::pipe(fd), 0); }
  ~Pipe() {
    ::close(fd[0]);
    ::close(fd[1]);
  }
  char read() const {
    char c = 0;
    return ::read(fd[0], &c, 1) == 1 ? c : '\0';
  }
  void write(char c) const { EXPECT_EQ(::write(fd[1], &c, 1), 1); }
  int fd[2] = {-1, -1};
};

// A child process that, once a byte comes on `down`, takes the lock on `path` (saying 'W' on
// `up` if it has to wait), then says 'L' on `up` and holds the lock until another byte comes,
// then exits. Forked before the parent locks anything (a descriptor inherited would hold the parent's lock).
// Synchronised on the pipes only: no sleeps, no timing.
pid_t hold_in_child(const fs::path& path, const Pipe& up, const Pipe& down) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Only the parent writes `down` and reads `up`: should the parent stop, the child reads an end of file.
  ::close(up.fd[0]);
  ::close(down.fd[1]);
  const int to_parent = up.fd[1], from_parent = down.fd[0];
  try {
    char go;
    (void)!::read(from_parent, &go, 1);
    FileLock lock(path, [&] { (void)!::write(to_parent, "W", 1); });
    (void)!::write(to_parent, "L", 1);
    char c;
    (void)!::read(from_parent, &c, 1);
  } catch (...) {
    ::_exit(1);
  }
  ::_exit(0);
}

}  // namespace

// A lock another process holds is waited for: on_wait is called once, and the lock is had once that process
// lets it go (here, when on_wait asks it to). A free lock is taken without on_wait. The file stays.
TEST(FileLock, WaitsForAnotherProcessAndSaysSoOnce) {
  const judge::test::TempDir dir("judge_lock");
  const fs::path path = dir / ".lock";
  Pipe up, down;
  const pid_t child = hold_in_child(path, up, down);
  ASSERT_GT(child, 0);
  down.write('g');
  ASSERT_EQ(up.read(), 'L');  // the child holds it
  int waited = 0;
  {
    const FileLock lock(path, [&] {
      ++waited;
      down.write('x');  // let the child go
    });
    EXPECT_EQ(waited, 1);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  {
    const FileLock free(path, [&] { ++waited; });
    EXPECT_EQ(waited, 1);
  }
  EXPECT_TRUE(fs::exists(path));
}

// remove() deletes the file and lets the lock go; a process that was waiting for it then locks the file at
// the path (a new one), which a third locker sees held.
TEST(FileLock, AWaiterOfARemovedFileLocksTheNewOne) {
  const judge::test::TempDir dir("judge_lock_removed");
  const fs::path path = dir / ".lock";
  Pipe up, down;
  const pid_t child = hold_in_child(path, up, down);
  ASSERT_GT(child, 0);
  std::optional<FileLock> first(std::in_place, path);
  down.write('g');
  ASSERT_EQ(up.read(), 'W');  // the child waits for `first`
  first->remove();
  EXPECT_EQ(up.read(), 'L');
  EXPECT_TRUE(fs::exists(path));  // the child made a new file and holds it
  int waited = 0;
  {
    const FileLock third(path, [&] {
      ++waited;
      down.write('x');
    });
    EXPECT_EQ(waited, 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  first.reset();
}

// A lock file that cannot be created is an error naming it.
TEST(FileLock, AFolderThatIsMissingIsAnErrorNamingTheFile) {
  const judge::test::TempDir dir("judge_lock_missing");
  try {
    const FileLock lock(dir / "no/such/.lock");
    FAIL() << "locked a file in a missing folder";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "no/such/.lock").string() + ": cannot create the lock file"),
              std::string::npos)
        << e.what();
  }
}
