// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "judge/llm/provider.hpp"

struct sqlite3;

namespace judge::llm {

/// How the response cache is used. read_write: look up, call on a miss, store. read_only: look up, call on
/// a miss, store nothing. off: always call. replay_only: look up; a miss is ErrorKind::not_in_cache (for CI).
enum class CacheMode { read_write, read_only, off, replay_only };

/// "read-write", "read-only", "off", "replay-only".
const char* to_string(CacheMode mode);
/// The mode named `name`: the names above, or the short forms "rw" and "ro"; nullopt for any other text.
std::optional<CacheMode> find_cache_mode(const std::string& name);
/// Parses the names find_cache_mode knows. Throws judge::Error (usage) naming the valid ones.
CacheMode parse_cache_mode(const std::string& name);

/// The default cache file: $XDG_CACHE_HOME/judge/cache.sqlite, else ~/.cache/judge/cache.sqlite.
std::filesystem::path default_cache_path();

/// The canonical form of a request, the cache key's input: compact JSON with sorted keys of the provider
/// (its ChatProvider::cache_identity: the spec, with the content hashes of a command judge's files),
/// messages, temperature, max_tokens, response schema (and its name) and seed. Holds no API key
/// (ChatRequest has none and specs never contain one).
std::string canonical_request(const std::string& provider, const ChatRequest& request);

/// sha256 hex of canonical_request.
std::string cache_key(const std::string& provider, const ChatRequest& request);

struct CacheStats {
  std::int64_t entries = 0;
  std::int64_t bytes = 0;  ///< sum of stored reply sizes (content bytes)
  std::int64_t file_bytes = 0;
  std::string path;
};

/// A response cache in one SQLite file (table `responses`, schema in docs/cache.md). WAL journal, one
/// transaction per write, so an interrupted run leaves it consistent and the next run resumes from it.
/// Thread-safe. Stores replies and token counts, never requests' secrets (there are none to store).
class ResponseCache {
 public:
  /// Opens or creates `path` (parent folders created). max_bytes > 0: after each write the oldest entries
  /// are evicted until the stored replies total at most max_bytes. Throws judge::Error naming the file.
  explicit ResponseCache(const std::filesystem::path& path, std::int64_t max_bytes = 0);
  ~ResponseCache();
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  std::optional<ChatResponse> get(const std::string& key);
  void put(const std::string& key, const std::string& provider_spec, const ChatResponse& response);
  /// Deletes the entry of `key`, if any.
  void erase(const std::string& key);
  CacheStats stats();
  /// Deletes every entry; returns how many.
  std::int64_t clear();

 private:
  void exec(const char* sql);
  void use_write_ahead_log();
  bool schema_is_current();
  void evict();

  std::filesystem::path m_path;
  std::int64_t m_max_bytes;
  sqlite3* m_db = nullptr;
  std::mutex m_mutex;
};

/// A ChatProvider decorator that serves replies from a ResponseCache by cache_key(inner cache_identity,
/// request); the entry records the inner spec.
/// Only successful replies are stored; served replies have from_cache = true and latency 0. reject() drops
/// the request's entry in read_write mode (the modes that store nothing delete nothing either).
class CachingProvider : public ChatProvider {
 public:
  CachingProvider(std::shared_ptr<ChatProvider> inner, std::shared_ptr<ResponseCache> cache, CacheMode mode);
  std::string spec() const override { return m_inner->spec(); }
  std::string cache_identity() const override { return m_inner->cache_identity(); }
  ChatResult chat(const ChatRequest& request) override;
  void reject(const ChatRequest& request) override;

 private:
  std::shared_ptr<ChatProvider> m_inner;
  std::shared_ptr<ResponseCache> m_cache;
  CacheMode m_mode;
};

}  // namespace judge::llm
