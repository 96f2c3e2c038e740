// SPDX-License-Identifier: MIT
// The response cache: SQLite, keyed by the sha256 of the canonical request (ccache's idea).
#include "judge/llm/cache.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "judge/util/error.hpp"
#include "judge/util/hash.hpp"

namespace judge::llm {

namespace {

constexpr int k_schema_version = 1;
/// How long a connection waits for another process's lock on the cache before failing, in milliseconds.
constexpr int k_busy_timeout_ms = 10000;

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::filesystem::path& path) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK)
      throw Error("cache " + path.string() + ": " + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(m_stmt); }
  explicit Statement(sqlite3_stmt* prepared) : m_stmt(prepared) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() { return m_stmt; }
  void text(int i, const std::string& s) {
    sqlite3_bind_text(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
  void real(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
  int step() { return sqlite3_step(m_stmt); }
  std::string column_text(int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i))) : std::string();
  }

 private:
  sqlite3_stmt* m_stmt = nullptr;
};

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

const char* to_string(CacheMode mode) {
  switch (mode) {
    case CacheMode::read_write:
      return "read-write";
    case CacheMode::read_only:
      return "read-only";
    case CacheMode::off:
      return "off";
    case CacheMode::replay_only:
      return "replay-only";
  }
  return "read-write";
}

std::optional<CacheMode> find_cache_mode(const std::string& name) {
  if (name == "rw") return CacheMode::read_write;
  if (name == "ro") return CacheMode::read_only;
  for (auto m : {CacheMode::read_write, CacheMode::read_only, CacheMode::off, CacheMode::replay_only})
    if (name == to_string(m)) return m;
  return std::nullopt;
}

CacheMode parse_cache_mode(const std::string& name) {
  if (const auto mode = find_cache_mode(name)) return *mode;
  throw Error("unknown cache mode \"" + name + "\" (read-write or rw, read-only or ro, off, replay-only)",
              ExitCode::usage);
}

std::filesystem::path default_cache_path() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "judge" / "cache.sqlite";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".cache" / "judge" / "cache.sqlite";
}

std::string canonical_request(const std::string& provider, const ChatRequest& request) {
  // nlohmann::json (not ordered_json) keeps object keys sorted, so the dump is canonical.
  nlohmann::json j;
  j["provider"] = provider;
  j["messages"] = nlohmann::json::array();
  for (const auto& m : request.messages) j["messages"].push_back({{"role", m.role}, {"content", m.content}});
  j["temperature"] = request.temperature;
  j["max_tokens"] = request.max_tokens;
  j["response_schema"] = request.response_schema ? *request.response_schema : nlohmann::json(nullptr);
  j["schema_name"] = request.schema_name;
  j["seed"] = request.seed;
  return j.dump();
}

std::string cache_key(const std::string& provider, const ChatRequest& request) {
  return util::sha256_hex(canonical_request(provider, request));
}

ResponseCache::ResponseCache(const std::filesystem::path& path, std::int64_t max_bytes)
    : m_path(path), m_max_bytes(max_bytes) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    throw Error("cannot open cache " + path.string() + ": " + why + " (use " + setting("cache") +
                " FILE or " + setting("cache_mode") + " off)");
  }
  sqlite3_busy_timeout(m_db, k_busy_timeout_ms);
  try {
    // WAL: readers never block the writer, and a killed process leaves committed transactions intact.
    use_write_ahead_log();
    exec("PRAGMA synchronous=NORMAL");
    // An existing cache needs no write lock: a plain read of its schema version never waits for another
    // process's write transaction (WAL), so opening a cache another eval is writing to stays instant.
    if (schema_is_current()) return;
    // One write transaction taken before any read, so two processes creating the file wait for each other
    // (through the busy timeout) instead of one failing on a stale snapshot.
    exec("BEGIN IMMEDIATE");
    exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    exec(
        "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT "
        "NULL,"
        " content TEXT NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,"
        " latency_seconds REAL NOT NULL, bytes INTEGER NOT NULL, created_at INTEGER NOT NULL)");
    exec("CREATE INDEX IF NOT EXISTS responses_created ON responses (created_at)");
    // Another process may have written the schema between the read above and the lock: check it again.
    if (!schema_is_current()) {
      const std::string insert = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '" +
                                 std::to_string(k_schema_version) + "')";
      exec(insert.c_str());
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(m_db);
    throw;
  }
}

ResponseCache::~ResponseCache() { sqlite3_close(m_db); }

// Switching a file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once for it rather than
// calling the busy handler (https://www.sqlite.org/pragma.html#pragma_journal_mode, "busy" in
// https://www.sqlite.org/wal.html). Two processes opening a fresh cache file race for it, so the switch is
// retried until the busy timeout runs out. The mode is stored in the file: once one process has switched
// it, the others' pragma is a no-op.
void ResponseCache::use_write_ahead_log() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
  for (;;) {
    const int rc = sqlite3_exec(m_db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    const bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    if (!busy) throw Error("cache " + m_path.string() + ": " + sqlite3_errmsg(m_db));
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error("cache " + m_path.string() + ": " + sqlite3_errmsg(m_db) +
                  " (another process held it for " + std::to_string(k_busy_timeout_ms / 1000) +
                  " s; try again, or use " + setting("cache") + " FILE)");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// True when the file already holds this schema version (and so its tables, created in the transaction that
// wrote it). False when it does not, or the read did not succeed (a fresh file has no meta table; a busy
// file): the caller then takes the write lock, waiting through the busy timeout, and creates or checks the
// schema there. Throws on another version. Takes no write lock.
bool ResponseCache::schema_is_current() {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(m_db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &raw, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(raw);
    return false;
  }
  Statement version(raw);
  if (version.step() != SQLITE_ROW) return false;
  if (version.column_text(0) != std::to_string(k_schema_version))
    throw Error("cache " + m_path.string() + " has schema_version " + version.column_text(0) + ", expected " +
                std::to_string(k_schema_version) + " (delete the file, or use another " + setting("cache") +
                ")");
  return true;
}

void ResponseCache::exec(const char* sql) {
  char* message = nullptr;
  if (const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message); rc != SQLITE_OK) {
    std::string why = message ? message : sqlite3_errmsg(m_db);
    sqlite3_free(message);
    if ((rc & 0xff) == SQLITE_BUSY)
      why += " (another process held it for " + std::to_string(k_busy_timeout_ms / 1000) +
             " s; try again, or use " + setting("cache") + " FILE)";
    throw Error("cache " + m_path.string() + ": " + why);
  }
}

std::optional<ChatResponse> ResponseCache::get(const std::string& key) {
  std::lock_guard lock(m_mutex);
  Statement s(m_db, "SELECT content, input_tokens, output_tokens, model FROM responses WHERE key = ?",
              m_path);
  s.text(1, key);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  ChatResponse r;
  r.content = s.column_text(0);
  r.usage.input_tokens = sqlite3_column_int64(s.get(), 1);
  r.usage.output_tokens = sqlite3_column_int64(s.get(), 2);
  r.model = s.column_text(3);
  r.from_cache = true;
  return r;
}

void ResponseCache::put(const std::string& key, const std::string& provider_spec,
                        const ChatResponse& response) {
  std::lock_guard lock(m_mutex);
  exec("BEGIN IMMEDIATE");
  try {
    Statement s(
        m_db,
        "INSERT OR REPLACE INTO responses (key, provider, model, content, input_tokens, output_tokens,"
        " latency_seconds, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        m_path);
    s.text(1, key);
    s.text(2, provider_spec);
    s.text(3, response.model);
    s.text(4, response.content);
    s.integer(5, response.usage.input_tokens);
    s.integer(6, response.usage.output_tokens);
    s.real(7, response.latency_seconds);
    s.integer(8, static_cast<std::int64_t>(response.content.size()));
    s.integer(9, now_seconds());
    if (s.step() != SQLITE_DONE) throw Error("cache " + m_path.string() + ": " + sqlite3_errmsg(m_db));
    if (m_max_bytes > 0) evict();
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void ResponseCache::erase(const std::string& key) {
  std::lock_guard lock(m_mutex);
  Statement s(m_db, "DELETE FROM responses WHERE key = ?", m_path);
  s.text(1, key);
  if (s.step() != SQLITE_DONE) throw Error("cache " + m_path.string() + ": " + sqlite3_errmsg(m_db));
}

// Oldest first (created_at, then insertion order) until the stored replies fit in m_max_bytes.
void ResponseCache::evict() {
  Statement total(m_db, "SELECT COALESCE(SUM(bytes), 0) FROM responses", m_path);
  total.step();
  std::int64_t bytes = sqlite3_column_int64(total.get(), 0);
  if (bytes <= m_max_bytes) return;
  Statement oldest(m_db, "SELECT rowid, bytes FROM responses ORDER BY created_at, rowid", m_path);
  Statement remove(m_db, "DELETE FROM responses WHERE rowid = ?", m_path);
  while (bytes > m_max_bytes && oldest.step() == SQLITE_ROW) {
    remove.integer(1, sqlite3_column_int64(oldest.get(), 0));
    remove.step();
    sqlite3_reset(remove.get());
    bytes -= sqlite3_column_int64(oldest.get(), 1);
  }
}

CacheStats ResponseCache::stats() {
  std::lock_guard lock(m_mutex);
  Statement s(m_db, "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM responses", m_path);
  s.step();
  CacheStats st;
  st.entries = sqlite3_column_int64(s.get(), 0);
  st.bytes = sqlite3_column_int64(s.get(), 1);
  st.path = m_path.string();
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    const auto size = std::filesystem::file_size(m_path.string() + suffix, ec);
    if (!ec) st.file_bytes += static_cast<std::int64_t>(size);
  }
  return st;
}

std::int64_t ResponseCache::clear() {
  std::lock_guard lock(m_mutex);
  exec("DELETE FROM responses");
  const std::int64_t n = sqlite3_changes64(m_db);
  exec("PRAGMA wal_checkpoint(TRUNCATE)");
  exec("VACUUM");
  return n;
}

CachingProvider::CachingProvider(std::shared_ptr<ChatProvider> inner, std::shared_ptr<ResponseCache> cache,
                                 CacheMode mode)
    : m_inner(std::move(inner)), m_cache(std::move(cache)), m_mode(mode) {}

ChatResult CachingProvider::chat(const ChatRequest& request) {
  if (m_mode == CacheMode::off || !m_cache) return m_inner->chat(request);
  const std::string key = cache_key(m_inner->cache_identity(), request);
  if (auto hit = m_cache->get(key)) return ChatResult{std::move(hit), std::nullopt};
  if (m_mode == CacheMode::replay_only)
    return ChatResult{std::nullopt,
                      ProviderError{ErrorKind::not_in_cache, "not in cache (replay-only)", 0, std::nullopt}};
  ChatResult result = m_inner->chat(request);
  if (result.ok() && m_mode == CacheMode::read_write) m_cache->put(key, m_inner->spec(), *result.response);
  return result;
}

void CachingProvider::reject(const ChatRequest& request) {
  if (m_mode == CacheMode::read_write && m_cache)
    m_cache->erase(cache_key(m_inner->cache_identity(), request));
  m_inner->reject(request);
}

}  // namespace judge::llm
