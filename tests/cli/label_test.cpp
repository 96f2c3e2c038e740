// SPDX-License-Identifier: MIT
// judge label run as a program: --next (the queue without serving) and its errors. The page itself is tested
// in headless Chromium (tests/browser/), the HTTP API in tests/label/.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support.hpp"

extern char** environ;

using judge::test::run_judge;
using json = nlohmann::json;

namespace {
std::vector<json> lines_of(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) v.push_back(json::parse(line));
  return v;
}

// The line judge label prints on stderr once it serves.
const std::string k_serving = "Ctrl-C stops the server\n";

// judge label run in the background from the source folder, its stdout and stderr in one pipe, read as it
// comes: a server that serves is waited for by its output (no timing), then interrupted as Ctrl-C would.
class Background {
 public:
  explicit Background(const std::string& args) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    const std::string command = "cd '" + judge::test::source_dir().string() + "' && exec '" +
                                std::string(JUDGE_BINARY) + "' label " + args;
    // Ctrl-C as a terminal sends it, whatever this process ignores or blocks (a background job ignores it).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t signals;
    sigemptyset(&signals);
    posix_spawnattr_setsigmask(&attr, &signals);
    sigaddset(&signals, SIGINT);
    posix_spawnattr_setsigdefault(&attr, &signals);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    if (::posix_spawn(&m_pid, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ) != 0) m_pid = -1;
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    m_fd = fds[0];
  }
  ~Background() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
    if (m_fd >= 0) ::close(m_fd);
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  /// Reads until the output holds `text` (true) or ends (false: the program exited).
  bool read_until(const std::string& text) {
    char buf[4096];
    while (m_out.find(text) == std::string::npos) {
      const ssize_t n = ::read(m_fd, buf, sizeof buf);
      if (n <= 0) return false;
      m_out.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  /// The exit code once the program ends by itself (-1: ended by a signal).
  int wait() { return reap(); }
  /// Ctrl-C, then the exit code.
  int interrupt() {
    if (m_pid > 0) ::kill(m_pid, SIGINT);
    return reap();
  }
  const std::string& out() const { return m_out; }
  /// The port of the URL printed ("http://127.0.0.1:PORT/"), 0 when none.
  int port() const {
    const auto at = m_out.find("http://127.0.0.1:");
    return at == std::string::npos ? 0 : std::atoi(m_out.c_str() + at + 17);
  }

 private:
  int reap() {
    int status = 0;
    if (m_pid <= 0 || ::waitpid(m_pid, &status, 0) != m_pid) return -2;
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  pid_t m_pid = -1;
  int m_fd = -1;
  std::string m_out;
};
}  // namespace

TEST(LabelCli, NextWithNothingLabelledIsNotebookThenRubricOrder) {
  judge::test::TempDir dir("judge_label_cli");
  const auto r = run_judge("label --notebooks examples/notebooks --labels '" + (dir / "new.csv").string() +
                           "' --next 3 --format jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto items = lines_of(r.out);
  ASSERT_EQ(items.size(), 3u);
  // No labels, no memory, no scores: every item is worth 0 + 1 + 1, so the tie order decides: the first
  // notebook by name, its dimensions in rubric order.
  const char* dims[] = {"library_installation", "exploratory_data_analysis", "data_imputation"};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(items[i]["rank"], i + 1);
    EXPECT_EQ(items[i]["notebook"], "churn_good.ipynb");
    EXPECT_EQ(items[i]["dimension"], dims[i]);
    EXPECT_DOUBLE_EQ(items[i]["value"].get<double>(), 2.0);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "new.csv"));  // --next writes nothing
}

TEST(LabelCli, NextLeavesLabelledPairsOutAndIsDeterministic) {
  judge::test::TempDir dir("judge_label_cli");
  // The churn_good rows of examples/labels.csv (header + 9 rows).
  std::ifstream in(judge::test::source_dir() / "examples" / "labels.csv");
  std::ofstream out(dir / "labels.csv");
  std::string line;
  for (int i = 0; i < 10 && std::getline(in, line); ++i) out << line << "\n";
  out.close();
  const std::string cmd = "label --notebooks examples/notebooks --labels '" + (dir / "labels.csv").string() +
                          "' --next 0 --format jsonl";
  const auto r = run_judge(cmd);
  ASSERT_EQ(r.exit_code, 0);
  const auto items = lines_of(r.out);
  EXPECT_EQ(items.size(), 4u * 9u);
  double last = 3;
  for (const auto& q : items) {
    EXPECT_NE(q["notebook"], "churn_good.ipynb");
    EXPECT_LE(q["value"].get<double>(), last);
    last = q["value"];
    // Every dimension has one label now: its reason says the MAE over 1 label.
    EXPECT_NE(q["reason"].get<std::string>().find("over 1 label ("), std::string::npos) << q;
  }
  EXPECT_EQ(run_judge(cmd).out, r.out);
}

TEST(LabelCli, BadInputIsAClearError) {
  judge::test::TempDir dir("judge_label_cli");
  auto r =
      run_judge("label --notebooks no/such/folder --labels '" + (dir / "l.csv").string() + "' --next 1 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: notebooks folder no/such/folder does not exist"), std::string::npos)
      << r.out;
  std::ofstream(dir / "bad.csv") << "notebook,dimension,score\niris_bad.ipynb,model_use,9\n";
  r = run_judge("label --notebooks examples/notebooks --labels '" + (dir / "bad.csv").string() +
                "' --next 1 2>&1");
  EXPECT_EQ(r.exit_code, 0);  // the queue still prints; the problem is said with its line
  EXPECT_NE(
      r.out.find("judge: warning: labels: " + (dir / "bad.csv").string() + ":2: score 9 is off the scale"),
      std::string::npos)
      << r.out;
  r = run_judge("label --notebooks examples/notebooks --labels x.csv --format jsonl 2>&1");
  EXPECT_EQ(r.exit_code, 2);  // --format needs --next
}

TEST(LabelCli, WithMemoryTheQueueUsesTheClosestLabelledNotebooks) {
  judge::test::TempDir dir("judge_label_cli");
  // Memory from the labels of three example notebooks; the queue then covers the other two.
  std::ifstream in(judge::test::source_dir() / "examples" / "labels.csv");
  std::ofstream out(dir / "labels.csv");
  std::string line;
  for (int i = 0; i < 28 && std::getline(in, line); ++i) out << line << "\n";
  out.close();
  ASSERT_EQ(
      run_judge("align --labels '" + (dir / "labels.csv").string() +
                "' --notebooks examples/notebooks --memory '" + (dir / "mem").string() + "' >/dev/null 2>&1")
          .exit_code,
      0);
  const auto r = run_judge("label --notebooks examples/notebooks --labels '" + (dir / "labels.csv").string() +
                           "' --memory '" + (dir / "mem").string() + "' --next 0 --format jsonl");
  ASSERT_EQ(r.exit_code, 0);
  const auto items = lines_of(r.out);
  ASSERT_EQ(items.size(), 2u * 9u);
  int from_people = 0;
  for (const auto& q : items) {
    EXPECT_TRUE(q["notebook"] == "sales_eda_no_model.ipynb" || q["notebook"] == "taxi_tips_databricks.py")
        << q;
    EXPECT_NEAR(q["value"].get<double>(),
                q["uncertainty"].get<double>() + q["novelty"].get<double>() + q["difficulty"].get<double>(),
                1e-12);
    const std::string reason = q["reason"];
    if (reason.find("from people on the 3 closest labelled notebooks") != std::string::npos) ++from_people;
    EXPECT_NE(reason.find("closest labelled example: similarity"), std::string::npos) << reason;
  }
  EXPECT_EQ(from_people, 18);  // every item has 3 labelled notebooks to compare the judge with
}

TEST(LabelCli, ASecondServerOnAPortInUseIsAClearError) {
  judge::test::TempDir dir("judge_label_cli");
  const std::string labels =
      " --notebooks examples/notebooks --labels '" + (dir / "labels.csv").string() + "'";
  Background first(labels + " --rater alice");
  ASSERT_TRUE(first.read_until(k_serving)) << first.out();
  const int port = first.port();
  ASSERT_GT(port, 0) << first.out();
  // A loopback address: no warning about the network.
  EXPECT_EQ(first.out().find("warning"), std::string::npos) << first.out();
  const std::string refused = "judge: error: cannot listen on 127.0.0.1:" + std::to_string(port) +
                              ": the port is in use; choose another with --port or leave --port out for a "
                              "free one\n";
  // Another judge label on the same port (cpp-httplib's default SO_REUSEPORT would let both listen and split
  // the saves between them): refused, a usage error.
  Background second(labels + " --rater bob --port " + std::to_string(port));
  const bool served = second.read_until(k_serving);
  EXPECT_FALSE(served) << "a second server serves on port " << port;
  EXPECT_EQ(served ? second.interrupt() : second.wait(), 2) << second.out();
  EXPECT_EQ(second.out(), refused);
  EXPECT_EQ(first.interrupt(), 130) << first.out();

  // Any other listener on the port, too.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int taken = ntohs(addr.sin_port);
  Background third(labels + " --port " + std::to_string(taken));
  const bool third_served = third.read_until(k_serving);
  EXPECT_FALSE(third_served);
  EXPECT_EQ(third_served ? third.interrupt() : third.wait(), 2) << third.out();
  EXPECT_EQ(third.out(), "judge: error: cannot listen on 127.0.0.1:" + std::to_string(taken) +
                             ": the port is in use; choose another with --port or leave --port out for a "
                             "free one\n");
  ::close(fd);
}

TEST(LabelCli, ANonLoopbackHostIsWarnedAbout) {
  judge::test::TempDir dir("judge_label_cli");
  Background server("--notebooks examples/notebooks --labels '" + (dir / "labels.csv").string() +
                    "' --host 0.0.0.0");
  ASSERT_TRUE(server.read_until(k_serving)) << server.out();
  EXPECT_NE(server.out().find("judge: warning: --host 0.0.0.0 is not a loopback address: the page is shared "
                              "with the network, and anyone who can reach this machine can read the "
                              "notebooks and save labels (there is no login)\n"),
            std::string::npos)
      << server.out();
  EXPECT_EQ(server.interrupt(), 130);
}

TEST(LabelCli, AJsonArrayLabelsFileIsRefusedAtStartup) {
  judge::test::TempDir dir("judge_label_cli");
  const auto file =
      dir.write("arr.json", R"([{"notebook": "iris_bad.ipynb", "dimension": "model_use", "score": 2}])");
  Background server("--notebooks examples/notebooks --labels '" + file.string() + "'");
  const bool served = server.read_until(k_serving);
  EXPECT_FALSE(served) << "it serves a file it cannot save to";
  EXPECT_EQ(served ? server.interrupt() : server.wait(), 2) << server.out();
  EXPECT_EQ(server.out(),
            "judge: error: labels file " + file.string() +
                " is a JSON array of labels, which judge label does not write: convert it to JSON "
                "Lines (one object a line: jq -c '.[]' " +
                file.string() + " > labels.jsonl) or CSV, or give --labels a new file\n");
}
