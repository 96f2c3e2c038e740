// SPDX-License-Identifier: MIT
// Nothing lost, nothing repeated (docs/cache.md, "Crash safety"): the built binary is killed with SIGKILL (no
// handler runs) in the middle of its calls to the loopback LLM server, then run again; and two processes
// share one cache file. Synchronised on the server's request counts, never on sleeps: the server answers the
// first N requests and holds every later one, so once it has seen N + jobs requests every worker has stored
// its last answer and is waiting on a held request, and the kill comes at a known point.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../fake_llm_server/fake_server.hpp"
#include "../support.hpp"

extern char** environ;

namespace fs = std::filesystem;
using judge::test::FakeLlmServer;
using nlohmann::json;

namespace {

// The built-in rubric's nine dimensions, in rubric order.
const std::vector<std::string> k_dimensions = {"library_installation", "exploratory_data_analysis",
                                               "data_imputation",      "feature_engineering",
                                               "model_training",       "model_use",
                                               "metrics_evaluation",   "mlflow_logging",
                                               "cell_organization"};

// A reply the server holds until the client is gone (the tests kill the client long before).
const json k_held = {{"type", "reply"}, {"delay", 60}};

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> v;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) v.push_back(json::parse(l));
  return v;
}

// `count` small notebooks nb00.ipynb ... in `folder`, each different (so each prompt is), tagged with `tag`.
void write_notebooks(const fs::path& folder, int count, const std::string& tag) {
  fs::create_directories(folder);
  for (int i = 0; i < count; ++i) {
    const std::string code = "import pandas as pd\ndf = pd.read_csv('" + tag + "_" + std::to_string(i) +
                             ".csv').dropna()\nmodel.fit(df[['x']], df['y'])\n";
    const json nb = {{"nbformat", 4},
                     {"nbformat_minor", 5},
                     {"metadata", json::object()},
                     {"cells",
                      {{{"cell_type", "code"},
                        {"metadata", json::object()},
                        {"source", code},
                        {"outputs", json::array()},
                        {"execution_count", nullptr}}}}};
    char name[32];
    std::snprintf(name, sizeof name, "nb%02d.ipynb", i);
    std::ofstream(folder / name) << nb.dump();
  }
}

// Labels with feedback for every dimension of `count` notebooks nb00.ipynb ... (scores 1-3), rater r1.
void write_labels(const fs::path& file, int count) {
  std::ofstream out(file);
  out << "notebook,dimension,score,feedback,rater\n";
  for (int i = 0; i < count; ++i)
    for (std::size_t d = 0; d < k_dimensions.size(); ++d) {
      char name[32];
      std::snprintf(name, sizeof name, "nb%02d.ipynb", i);
      out << name << "," << k_dimensions[d] << "," << (i + d) % 3 + 1 << ",Feedback " << i << " on "
          << k_dimensions[d] << ".,r1\n";
    }
}

// The integrity_check verdict and the number of stored replies of a cache file, read with Python's sqlite3
// module (an independent reader of the file).
struct CacheCheck {
  std::string integrity;
  int entries = -1;
};
CacheCheck check_cache(const fs::path& file) {
  const auto r =
      judge::test::run_command(judge::test::debian_python() +
                               " -c \"import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                               "print(c.execute('PRAGMA integrity_check').fetchone()[0]); "
                               "print(c.execute('SELECT COUNT(*) FROM responses').fetchone()[0])\" '" +
                               file.string() + "' 2>&1");
  CacheCheck c;
  std::istringstream in(r.out);
  std::getline(in, c.integrity);
  std::string n;
  if (r.exit_code == 0 && std::getline(in, n)) c.entries = std::stoi(n);
  if (r.exit_code != 0) c.integrity = r.out;
  return c;
}

// The built judge binary run as a child process in `dir`: `/bin/sh -c "cd DIR && exec env ... judge ARGS"`,
// so the child's pid is judge's own (exec keeps it) and SIGKILL reaches judge, not a shell. stdout and
// stderr go to DIR/NAME.out and DIR/NAME.err. Killed (SIGKILL) and reaped on destruction if still running.
class Judge {
 public:
  Judge(const fs::path& dir, const std::string& name, const std::string& args) : m_dir(dir), m_name(name) {
    const std::string line = "cd '" + dir.string() + "' && exec env -u JUDGE_JOBS '" + JUDGE_BINARY + "' " +
                             args + " > '" + name + ".out' 2> '" + name + ".err'";
    std::vector<std::string> words = {"/bin/sh", "-c", line};
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&m_pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) m_pid = -1;
  }
  ~Judge() {
    if (m_pid > 0 && !m_status) {
      ::kill(m_pid, SIGKILL);
      wait();
    }
  }
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  bool started() const { return m_pid > 0; }
  /// Whether the process has ended (reaping it when it has).
  bool ended() {
    if (m_status) return true;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) m_status = status;
    return m_status.has_value();
  }
  /// Waits for the end; the raw wait status.
  int wait() {
    if (!m_status) {
      int status = 0;
      ::waitpid(m_pid, &status, 0);
      m_status = status;
    }
    return *m_status;
  }
  /// SIGKILL, then waits; true when the process was still running and died of that signal.
  bool kill() {
    if (ended()) return false;
    ::kill(m_pid, SIGKILL);
    const int status = wait();
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  /// The exit code of a process that ended normally (-1 otherwise).
  int exit_code() {
    const int status = wait();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string out() const { return read_text(m_dir / (m_name + ".out")); }
  std::string err() const { return read_text(m_dir / (m_name + ".err")); }

 private:
  fs::path m_dir;
  std::string m_name;
  pid_t m_pid = -1;
  std::optional<int> m_status;
};

// Polls until `done()` holds, the child ends, or 20 s pass; true when done() held.
template <typename Done>
bool wait_until(Judge& child, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    if (child.ended()) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// Requests in the server's log whose body names `model`.
int requests_for(const json& log, const std::string& model) {
  int n = 0;
  for (const auto& r : log) n += r["body"].value("model", "") == model;
  return n;
}

class Durable : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("judge_durable_test_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  // The judge and reflection models at the loopback server, with the cache file cache.sqlite.
  std::string llm_args() const {
    return "--judge openai:judge-model --base-url " + server.openai_base_url() + " --cache cache.sqlite";
  }
  std::string reflection_args() const {
    return " --reflection openai:reflect-model --reflection-base-url " + server.openai_base_url();
  }

  FakeLlmServer server;
  fs::path m_dir;
};

}  // namespace

// 40 notebooks x 9 dimensions = 360 calls at --jobs 16. The server answers 200 and holds the rest; once it
// has seen 200 + 16 requests judge is killed. The cache then holds exactly the 200 answered replies and
// passes integrity_check, no half-written output file is left, and the same command again makes the 160
// missing calls only, writing all 360 records.
TEST_F(Durable, KilledEvalResumesFromTheCacheWithOnlyTheMissingCalls) {
  constexpr int k_calls = 40 * 9, k_answered = 200, k_jobs = 16;
  write_notebooks(m_dir / "nb", 40, "eval");
  const std::string eval =
      "eval nb --format jsonl -o scores.jsonl --jobs " + std::to_string(k_jobs) + " " + llm_args();
  json answered = json::array();
  for (int i = 0; i < k_answered; ++i) answered.push_back({{"type", "reply"}});
  server.script(answered, k_held);
  {
    Judge first(m_dir, "first", eval);
    ASSERT_TRUE(first.started());
    ASSERT_TRUE(wait_until(first, [&] { return server.request_count() == k_answered + k_jobs; }))
        << server.stats().dump() << "\n"
        << first.err();
    ASSERT_TRUE(first.kill()) << "judge ended before the kill:\n" << first.err();
  }
  EXPECT_EQ(server.stats()["in_flight"], k_jobs);  // the held requests: none of them was answered
  const auto after_kill = check_cache(m_dir / "cache.sqlite");
  EXPECT_EQ(after_kill.integrity, "ok");
  EXPECT_EQ(after_kill.entries, k_answered);
  EXPECT_FALSE(fs::exists(m_dir / "scores.jsonl"));  // -o is written whole at the end, or not at all

  server.reset();  // count the second run's requests alone; replies from now on come at once
  Judge second(m_dir, "second", eval);
  ASSERT_EQ(second.exit_code(), 0) << second.err();
  EXPECT_EQ(server.request_count(), k_calls - k_answered);
  EXPECT_NE(second.err().find("judge: 160 calls, 200 from the cache, 0 failed"), std::string::npos)
      << second.err();
  const auto records = json_lines(read_text(m_dir / "scores.jsonl"));
  ASSERT_EQ(records.size(), static_cast<std::size_t>(k_calls));
  int cached = 0;
  for (const auto& r : records) {
    EXPECT_EQ(r["status"], "scored") << r.dump();
    EXPECT_EQ(r["score"], 3.0);
    cached += r["cached"] == true;
  }
  EXPECT_EQ(cached, k_answered);
  const auto after_rerun = check_cache(m_dir / "cache.sqlite");
  EXPECT_EQ(after_rerun.integrity, "ok");
  EXPECT_EQ(after_rerun.entries, k_calls);
}

// judge align with an LLM judge (360 labelled items: 360 judge calls) and a reflection model (one batch per
// dimension: 9 calls), --jobs 4, killed twice: first after 150 judge replies, then (second run) after the
// remaining 210 judge replies and 3 reflection replies. Each rerun makes only the calls not answered before,
// and the third run completes the memory: 0 judge calls, 6 reflection calls.
TEST_F(Durable, KilledAlignResumesJudgeAndReflectionCallsFromTheCache) {
  constexpr int k_items = 40 * 9, k_batches = 9, k_jobs = 4;
  constexpr int k_first = 150, k_reflected = 3;
  write_notebooks(m_dir / "nb", 40, "align");
  write_labels(m_dir / "labels.csv", 40);
  const std::string align = "align --labels labels.csv --notebooks nb --memory mem --jobs " +
                            std::to_string(k_jobs) + " " + llm_args() + reflection_args();
  const json reflection = {{"type", "reply"}, {"content", R"({"guidelines": []})"}};
  auto judge_replies = [](int n) {
    json b = json::array();
    for (int i = 0; i < n; ++i) b.push_back({{"type", "reply"}, {"match", R"("model":"judge-model")"}});
    return b;
  };

  // 1. Killed among the judge calls: 150 answered, 4 held.
  server.script(judge_replies(k_first), k_held);
  {
    Judge run(m_dir, "first", align);
    ASSERT_TRUE(wait_until(run, [&] { return server.request_count() == k_first + k_jobs; }))
        << server.stats().dump() << "\n"
        << run.err();
    ASSERT_TRUE(run.kill()) << run.err();
  }
  EXPECT_EQ(requests_for(server.log(), "judge-model"), k_first + k_jobs);
  auto cache = check_cache(m_dir / "cache.sqlite");
  EXPECT_EQ(cache.integrity, "ok");
  EXPECT_EQ(cache.entries, k_first);
  EXPECT_FALSE(fs::exists(m_dir / "mem/memory.json"));  // memory is saved only once align is done

  // 2. Killed among the reflection calls: the 210 missing judge calls answered, then 3 reflection replies;
  //    4 reflection requests held, 2 batches never sent.
  server.reset();
  json script = judge_replies(k_items - k_first);
  for (int i = 0; i < k_reflected; ++i) {
    json r = reflection;
    r["match"] = R"("model":"reflect-model")";
    script.push_back(r);
  }
  server.script(script, k_held);
  {
    Judge run(m_dir, "second", align);
    ASSERT_TRUE(
        wait_until(run, [&] { return server.request_count() == k_items - k_first + k_reflected + k_jobs; }))
        << server.stats().dump() << "\n"
        << run.err();
    ASSERT_TRUE(run.kill()) << run.err();
  }
  const json log = server.log();
  EXPECT_EQ(requests_for(log, "judge-model"), k_items - k_first);  // none of the 150 asked again
  EXPECT_EQ(requests_for(log, "reflect-model"), k_reflected + k_jobs);
  cache = check_cache(m_dir / "cache.sqlite");
  EXPECT_EQ(cache.integrity, "ok");
  EXPECT_EQ(cache.entries, k_items + k_reflected);
  EXPECT_FALSE(fs::exists(m_dir / "mem/memory.json"));

  // 3. To the end: only the 6 reflection batches never answered reach the server.
  server.reset();
  server.script(json::array(), reflection);
  Judge run(m_dir, "third", align);
  ASSERT_EQ(run.exit_code(), 0) << run.err();
  EXPECT_EQ(server.request_count(), k_batches - k_reflected);
  EXPECT_EQ(requests_for(server.log(), "reflect-model"), k_batches - k_reflected);
  EXPECT_NE(run.err().find("judge: 0 calls, 360 from the cache, 0 failed"), std::string::npos) << run.err();
  EXPECT_NE(run.err().find("judge: reflection openai:reflect-model: 6 calls, 3 from the cache, 0 failed"),
            std::string::npos)
      << run.err();
  EXPECT_NE(run.out().find("memory mem: 360 episodes (360 added, 0 changed, 0 unchanged, 0 removed)"),
            std::string::npos)
      << run.out();
  EXPECT_NE(run.out().find("9 reflection calls"), std::string::npos) << run.out();
  cache = check_cache(m_dir / "cache.sqlite");
  EXPECT_EQ(cache.integrity, "ok");
  EXPECT_EQ(cache.entries, k_items + k_batches);
  EXPECT_EQ(judge::test::run_command("cd '" + m_dir.string() + "' && '" + JUDGE_BINARY +
                                     "' memory show mem > /dev/null")
                .exit_code,
            0);
}

// A kill in the middle of align's save: the memory files are written one by one (memory.json staged as
// memory.json.next, guidelines.yaml, episodes.jsonl, vectors.jsonl, then memory.json.next renamed to
// memory.json). vectors.jsonl is made a named pipe, which judge opens to write into and which blocks there
// (no reader), so once episodes.jsonl has appeared the process is held at vectors.jsonl and is killed there.
// eval refuses the folder (no call made), align repairs it from the cache (no call made: every judge and
// reflection reply of the killed run is a hit), and eval then uses it.
TEST_F(Durable, AlignKilledInTheMiddleOfItsSaveLeavesAFolderEvalRefusesAndAlignRepairs) {
  constexpr int k_items = 4 * 9, k_batches = 9;
  write_notebooks(m_dir / "nb", 4, "save");
  write_labels(m_dir / "labels.csv", 4);
  fs::create_directories(m_dir / "mem");
  ASSERT_EQ(::mkfifo((m_dir / "mem/vectors.jsonl").c_str(), 0600), 0);
  // Judge calls get the default score reply, reflection calls an empty list of guidelines.
  json script = json::array();
  for (int i = 0; i < k_items; ++i) script.push_back({{"match", R"("model":"judge-model")"}});
  server.script(script, {{"type", "reply"}, {"content", R"({"guidelines": []})"}});
  const std::string align =
      "align --labels labels.csv --notebooks nb --memory mem --jobs 4 " + llm_args() + reflection_args();
  {
    Judge run(m_dir, "first", align);
    ASSERT_TRUE(wait_until(run, [&] { return fs::exists(m_dir / "mem/episodes.jsonl"); })) << run.err();
    ASSERT_TRUE(run.kill()) << "align was not held at vectors.jsonl:\n" << run.err();
  }
  EXPECT_EQ(server.request_count(), k_items + k_batches);
  fs::remove(m_dir / "mem/vectors.jsonl");  // the pipe: what is left is the folder of a save cut short
  EXPECT_TRUE(fs::exists(m_dir / "mem/memory.json.next"));  // staged: the save got past guidelines.yaml
  EXPECT_FALSE(fs::exists(m_dir / "mem/memory.json"));
  EXPECT_EQ(check_cache(m_dir / "cache.sqlite").integrity, "ok");

  server.reset();
  Judge eval(m_dir, "eval", "eval nb --memory mem --format jsonl " + llm_args());
  EXPECT_EQ(eval.exit_code(), 1);
  EXPECT_NE(eval.err().find("is inconsistent"), std::string::npos) << eval.err();
  EXPECT_NE(eval.err().find("re-run judge align --memory mem to repair it"), std::string::npos) << eval.err();
  EXPECT_EQ(server.request_count(), 0);

  Judge repair(m_dir, "repair", align);
  ASSERT_EQ(repair.exit_code(), 0) << repair.err();
  EXPECT_NE(repair.err().find("interrupted save; repairing it"), std::string::npos) << repair.err();
  EXPECT_EQ(server.request_count(), 0);
  EXPECT_NE(repair.err().find("judge: 0 calls, 36 from the cache, 0 failed"), std::string::npos)
      << repair.err();

  Judge again(m_dir, "again", "eval nb --memory mem --format jsonl " + llm_args());
  ASSERT_EQ(again.exit_code(), 0) << again.err();
  EXPECT_EQ(json_lines(again.out()).size(), static_cast<std::size_t>(k_items));
}

// Two eval processes at --jobs 16 each on one cache file, on different notebooks (360 calls each): every
// reply is stored (720 entries, a rerun of both makes no call), neither says "database is locked", both
// outputs are complete. Then both on the same 10 notebooks (90 items) from a fresh file: the server sees
// between 90 and 180 requests (the two race for the same items), the file ends with 90 entries, and a rerun
// makes no call.
TEST_F(Durable, TwoEvalsShareOneCacheFileWithoutLosingReplies) {
  constexpr int k_calls = 40 * 9, k_shared = 10 * 9;
  write_notebooks(m_dir / "a", 40, "first");
  write_notebooks(m_dir / "b", 40, "second");
  write_notebooks(m_dir / "c", 10, "third");
  auto both = [&](const std::string& folder_a, const std::string& folder_b, const std::string& cache,
                  int records_each) {
    const std::string args = " --format jsonl --jobs 16 --judge openai:judge-model --base-url " +
                             server.openai_base_url() + " --cache " + cache;
    Judge a(m_dir, "a", "eval " + folder_a + args);
    Judge b(m_dir, "b", "eval " + folder_b + args);
    const int code_a = a.exit_code(), code_b = b.exit_code();
    EXPECT_EQ(code_a, 0) << a.err();
    EXPECT_EQ(code_b, 0) << b.err();
    for (Judge* j : {&a, &b}) {
      EXPECT_EQ(j->err().find("locked"), std::string::npos) << j->err();
      EXPECT_EQ(j->err().find("error"), std::string::npos) << j->err();
      const auto records = json_lines(j->out());
      EXPECT_EQ(records.size(), static_cast<std::size_t>(records_each));
      for (const auto& r : records) EXPECT_EQ(r["status"], "scored") << r.dump();
    }
    return std::pair{a.err(), b.err()};
  };

  auto [err_a, err_b] = both("a", "b", "shared.sqlite", k_calls);
  EXPECT_EQ(server.request_count(), 2 * k_calls);
  EXPECT_NE(err_a.find("judge: 360 calls, 0 from the cache, 0 failed"), std::string::npos) << err_a;
  EXPECT_NE(err_b.find("judge: 360 calls, 0 from the cache, 0 failed"), std::string::npos) << err_b;
  auto cache = check_cache(m_dir / "shared.sqlite");
  EXPECT_EQ(cache.integrity, "ok");
  EXPECT_EQ(cache.entries, 2 * k_calls);
  server.reset();
  std::tie(err_a, err_b) = both("a", "b", "shared.sqlite", k_calls);
  EXPECT_EQ(server.request_count(), 0);
  EXPECT_NE(err_a.find("judge: 0 calls, 360 from the cache, 0 failed"), std::string::npos) << err_a;
  EXPECT_NE(err_b.find("judge: 0 calls, 360 from the cache, 0 failed"), std::string::npos) << err_b;

  server.reset();
  both("c", "c", "same.sqlite", k_shared);
  EXPECT_GE(server.request_count(), k_shared);
  EXPECT_LE(server.request_count(), 2 * k_shared);
  cache = check_cache(m_dir / "same.sqlite");
  EXPECT_EQ(cache.integrity, "ok");
  EXPECT_EQ(cache.entries, k_shared);
  server.reset();
  both("c", "c", "same.sqlite", k_shared);
  EXPECT_EQ(server.request_count(), 0);
}
