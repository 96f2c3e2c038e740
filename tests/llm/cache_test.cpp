// SPDX-License-Identifier: MIT
#include "judge/llm/cache.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "../scoring/llm_fake_provider.hpp"
#include "../support.hpp"
#include "judge/llm/usage.hpp"
#include "judge/util/error.hpp"
#include "judge/util/hash.hpp"

using namespace judge;
using test::FakeProvider;

namespace {

std::filesystem::path temp_db(const std::string& name) {
  static const test::TempDir dir("judge_cache_test");  // removed when the test program ends
  auto p = dir / name;
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + s);
  return p;
}

llm::ChatRequest request(std::string text) {
  llm::ChatRequest r;
  r.messages = {{"user", std::move(text)}};
  return r;
}

std::shared_ptr<FakeProvider> echo_provider() {
  auto fake = std::make_shared<FakeProvider>();
  fake->fallback = [](const llm::ChatRequest& r) {
    return FakeProvider::reply("reply to " + r.messages[0].content, 7, 3);
  };
  return fake;
}

}  // namespace

TEST(LlmCache, CanonicalRequestIsSortedCompactJson) {
  llm::ChatRequest r = request("hi");
  r.max_tokens = 5;
  // Written by hand: keys in byte order, compact separators, schema null, seed -1.
  EXPECT_EQ(llm::canonical_request("openai:m", r),
            R"({"max_tokens":5,"messages":[{"content":"hi","role":"user"}],"provider":"openai:m",)"
            R"("response_schema":null,"schema_name":"verdict","seed":-1,"temperature":0.0})");
  EXPECT_EQ(llm::cache_key("openai:m", r), util::sha256_hex(llm::canonical_request("openai:m", r)));
}

TEST(LlmCache, KeyChangesWithEveryPartOfTheRequest) {
  const auto base = llm::cache_key("openai:m", request("hi"));
  EXPECT_NE(base, llm::cache_key("openai:n", request("hi")));
  EXPECT_NE(base, llm::cache_key("openai:m", request("ho")));
  auto r = request("hi");
  r.temperature = 0.5;
  EXPECT_NE(base, llm::cache_key("openai:m", r));
  r = request("hi");
  r.seed = 2;
  EXPECT_NE(base, llm::cache_key("openai:m", r));
  r = request("hi");
  r.response_schema = nlohmann::json{{"type", "object"}};
  EXPECT_NE(base, llm::cache_key("openai:m", r));
}

TEST(LlmCache, ReadWriteCallsOnceThenServesFromTheCache) {
  auto fake = echo_provider();
  auto cache = std::make_shared<llm::ResponseCache>(temp_db("rw.sqlite"));
  llm::CachingProvider p(fake, cache, llm::CacheMode::read_write);
  auto first = p.chat(request("a"));
  auto second = p.chat(request("a"));
  EXPECT_EQ(fake->calls(), 1u);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(first.response->from_cache);
  EXPECT_TRUE(second.response->from_cache);
  EXPECT_EQ(second.response->content, "reply to a");
  EXPECT_EQ(second.response->usage.input_tokens, 7);
  EXPECT_EQ(second.response->usage.output_tokens, 3);
}

// reject() takes an unusable reply back: the cache drops that entry only (the next identical request
// reaches the provider) and the meter outside counts it as failed.
TEST(LlmCache, RejectDropsTheEntryAndCountsAFailure) {
  auto fake = echo_provider();
  auto cache = std::make_shared<llm::ResponseCache>(temp_db("reject.sqlite"));
  auto meter = std::make_shared<llm::UsageMeter>();
  llm::MeteredProvider p(std::make_shared<llm::CachingProvider>(fake, cache, llm::CacheMode::read_write),
                         meter);
  p.chat(request("a"));
  p.chat(request("b"));
  p.reject(request("a"));
  EXPECT_EQ(cache->stats().entries, 1);
  EXPECT_EQ(meter->totals().errors, 1);
  EXPECT_FALSE(p.chat(request("a")).response->from_cache);
  EXPECT_TRUE(p.chat(request("b")).response->from_cache);
  EXPECT_EQ(fake->calls(), 3u);
  const auto t = meter->totals();
  EXPECT_EQ(t.calls, 3);
  EXPECT_EQ(t.cached, 1);
  EXPECT_EQ(t.errors, 1);
}

TEST(LlmCache, PersistsAcrossOpens) {
  const auto path = temp_db("persist.sqlite");
  {
    llm::CachingProvider p(echo_provider(), std::make_shared<llm::ResponseCache>(path),
                           llm::CacheMode::read_write);
    p.chat(request("a"));
  }
  auto fake = echo_provider();
  llm::CachingProvider p(fake, std::make_shared<llm::ResponseCache>(path), llm::CacheMode::replay_only);
  EXPECT_TRUE(p.chat(request("a")).ok());
  EXPECT_EQ(fake->calls(), 0u);
}

TEST(LlmCache, ReadOnlyAndOffStoreNothing) {
  auto cache = std::make_shared<llm::ResponseCache>(temp_db("ro.sqlite"));
  auto fake = echo_provider();
  llm::CachingProvider ro(fake, cache, llm::CacheMode::read_only);
  ro.chat(request("a"));
  ro.chat(request("a"));
  EXPECT_EQ(fake->calls(), 2u);
  llm::CachingProvider off(fake, cache, llm::CacheMode::off);
  off.chat(request("a"));
  EXPECT_EQ(fake->calls(), 3u);
  EXPECT_EQ(cache->stats().entries, 0);
}

TEST(LlmCache, ReplayOnlyMissIsNotInCacheWithoutACall) {
  auto fake = echo_provider();
  llm::CachingProvider p(fake, std::make_shared<llm::ResponseCache>(temp_db("replay.sqlite")),
                         llm::CacheMode::replay_only);
  const auto r = p.chat(request("a"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, llm::ErrorKind::not_in_cache);
  EXPECT_EQ(fake->calls(), 0u);
}

TEST(LlmCache, ErrorsAreNotStored) {
  auto fake = std::make_shared<FakeProvider>();
  fake->script = {FakeProvider::failure(llm::ErrorKind::server)};
  fake->fallback = [](const llm::ChatRequest&) { return FakeProvider::reply("ok"); };
  llm::CachingProvider p(fake, std::make_shared<llm::ResponseCache>(temp_db("err.sqlite")),
                         llm::CacheMode::read_write);
  EXPECT_FALSE(p.chat(request("a")).ok());
  EXPECT_TRUE(p.chat(request("a")).ok());
  EXPECT_EQ(fake->calls(), 2u);
}

TEST(LlmCache, SizeLimitEvictsOldestFirst) {
  llm::ResponseCache cache(temp_db("evict.sqlite"), 10);
  llm::ChatResponse r;
  r.content = "123456";  // 6 bytes each: two do not fit in 10
  cache.put("k1", "p", r);
  cache.put("k2", "p", r);
  EXPECT_FALSE(cache.get("k1"));
  EXPECT_TRUE(cache.get("k2"));
  EXPECT_EQ(cache.stats().entries, 1);
  EXPECT_EQ(cache.stats().bytes, 6);
}

TEST(LlmCache, StatsAndClear) {
  llm::ResponseCache cache(temp_db("clear.sqlite"));
  llm::ChatResponse r;
  r.content = "abc";
  cache.put("k1", "p", r);
  cache.put("k2", "p", r);
  EXPECT_EQ(cache.stats().entries, 2);
  EXPECT_EQ(cache.stats().bytes, 6);
  EXPECT_EQ(cache.clear(), 2);
  EXPECT_EQ(cache.stats().entries, 0);
}

TEST(LlmCache, FileHoldsRepliesNotRequests) {
  const auto path = temp_db("norequest.sqlite");
  {
    llm::CachingProvider p(echo_provider(), std::make_shared<llm::ResponseCache>(path),
                           llm::CacheMode::read_write);
    auto r = request("a");
    r.messages.push_back({"user", "Authorization: Bearer sk-should-never-be-stored-0000"});
    p.chat(r);
  }
  std::string bytes;
  for (const char* s : {"", "-wal"}) {
    std::ifstream in(path.string() + s, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes += ss.str();
  }
  EXPECT_NE(bytes.find("reply to a"), std::string::npos);
  EXPECT_EQ(bytes.find("sk-should-never-be-stored"), std::string::npos);
}

TEST(LlmCache, KilledWriterLeavesAConsistentCache) {
  const auto path = temp_db("killed.sqlite");
  { llm::ResponseCache create(path); }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    llm::ResponseCache cache(path);
    llm::ChatResponse r;
    r.content = std::string(2000, 'x');
    for (int i = 0;; ++i) {
      std::string key = "k";
      key += std::to_string(i);
      cache.put(key, "p", r);
    }
  }
  ::usleep(300000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  llm::ResponseCache cache(path);
  const auto st = cache.stats();
  EXPECT_GT(st.entries, 0);
  EXPECT_EQ(st.bytes, st.entries * 2000);  // every committed row is whole
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "ok");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

// Opening an existing cache takes no write lock: while another connection holds its write lock for the whole
// test, the cache opens and reads (one that asked for the lock would fail with "database is locked" after
// its busy timeout).
TEST(LlmCache, OpeningAnExistingCacheDoesNotWaitForAWriter) {
  const auto path = temp_db("busy.sqlite");
  { llm::ResponseCache create(path); }
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(writer, "BEGIN IMMEDIATE; INSERT INTO meta VALUES ('x', 'y')", nullptr, nullptr, nullptr),
      SQLITE_OK);
  {
    llm::ResponseCache cache(path);
    EXPECT_EQ(cache.stats().entries, 0);
  }
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
}

// Another schema version is refused, naming the file and a way out that works (judge cache clear opens the
// cache too, so it cannot be the advice), and the file is left as it was.
TEST(LlmCache, OtherSchemaVersionIsRefusedAndLeftAlone) {
  const auto path = temp_db("v2.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "INSERT INTO meta VALUES ('schema_version', '2')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  try {
    llm::ResponseCache cache(path);
    FAIL() << "opened a cache of schema_version 2";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string() + " has schema_version 2, expected 1"), std::string::npos) << what;
    EXPECT_EQ(what.find("cache clear"), std::string::npos) << what;
  }
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'responses'", -1, &s, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 0);  // nothing created
  sqlite3_finalize(s);
  sqlite3_close(db);
}

// A file that is not a database: the error names it.
TEST(LlmCache, FileThatIsNotADatabaseIsNamed) {
  const auto path = temp_db("notadb.sqlite");
  std::ofstream(path) << std::string(4096, 'x');
  try {
    llm::ResponseCache cache(path);
    FAIL() << "opened a file that is not a database";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

TEST(LlmCache, ModeNamesAndDefaultPath) {
  EXPECT_EQ(llm::parse_cache_mode("replay-only"), llm::CacheMode::replay_only);
  EXPECT_STREQ(llm::to_string(llm::CacheMode::read_only), "read-only");
  EXPECT_EQ(llm::parse_cache_mode("rw"), llm::CacheMode::read_write);  // short forms, docs/cache.md
  EXPECT_EQ(llm::parse_cache_mode("ro"), llm::CacheMode::read_only);
  EXPECT_FALSE(llm::find_cache_mode("cache.sqlite"));
  EXPECT_THROW(llm::parse_cache_mode("sometimes"), Error);
  ::setenv("XDG_CACHE_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(llm::default_cache_path(), std::filesystem::path("/tmp/xdg/judge/cache.sqlite"));
  ::unsetenv("XDG_CACHE_HOME");
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(llm::default_cache_path(), std::filesystem::path("/home/u/.cache/judge/cache.sqlite"));
}
