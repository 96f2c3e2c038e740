// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "judge/llm/registry.hpp"

namespace judge::memory {

/// An embedding, L2-normalised (a zero vector when the text has no token).
using Vector = std::vector<float>;

/// Turns texts into vectors for retrieval. Implementations: the offline hashed TF-IDF embedder and an
/// embeddings provider (llm registry). embed() is thread-safe once fit() has run.
class Embedder {
 public:
  virtual ~Embedder() = default;
  virtual std::string spec() const = 0;
  /// Learns corpus statistics from all episode excerpts (offline: document frequencies). Returns true when
  /// earlier vectors are no longer comparable with new ones, so every episode must be embedded again.
  virtual bool fit(const std::vector<std::string>& corpus) = 0;
  /// One vector per text, same order. Throws judge::Error when a provider fails for good.
  virtual std::vector<Vector> embed(const std::vector<std::string>& texts) const = 0;
  /// State to keep with the vectors (offline: document frequencies); null when there is none.
  virtual nlohmann::ordered_json state() const { return nullptr; }
  /// Restores state(); throws judge::Error for a malformed one.
  virtual void load_state(const nlohmann::json&) {}
};

/// The offline embedder, spec "hashed-tfidf": no model, deterministic.
/// Tokens: lower-cased runs of [A-Za-z0-9_] of 2+ characters (words and code identifiers), plus each dotted
/// call "a.b" as one more token (e.g. "df.fillna"). Each token is hashed (FNV-1a 64) to one of 1024 buckets
/// with a sign taken from another hash bit (the hashing trick, Weinberger et al. 2009). Weight per token:
/// (1 + ln tf) * idf, idf = ln((1 + N) / (1 + df)) + 1 over the N excerpts given to fit() (scikit-learn's
/// smooth idf); df is counted per bucket. The vector is L2-normalised.
class HashedTfidfEmbedder : public Embedder {
 public:
  static constexpr std::size_t k_dimension = 1024;
  std::string spec() const override { return "hashed-tfidf"; }
  bool fit(const std::vector<std::string>& corpus) override;
  std::vector<Vector> embed(const std::vector<std::string>& texts) const override;
  nlohmann::ordered_json state() const override;
  void load_state(const nlohmann::json& state) override;

  /// The tokens of `text` as described above, in order of appearance (repeats kept).
  static std::vector<std::string> tokens(std::string_view text);

 private:
  std::uint64_t m_documents = 0;
  std::vector<std::uint32_t> m_df = std::vector<std::uint32_t>(k_dimension, 0);
};

/// Makes an embedder from a spec: "hashed-tfidf" (offline default) or an embeddings provider spec such as
/// "openai:text-embedding-3-small" (llm::make_embedding_provider with `settings`: base URL from
/// settings.base_url else the environment, e.g. OPENAI_BASE_URL for any OpenAI-compatible server, made at the
/// first embed() call, whose errors it throws); provider vectors are L2-normalised.
/// Throws judge::Error (usage) for an unknown spec, as the registry does for an unknown provider.
std::unique_ptr<Embedder> make_embedder(const std::string& spec, const llm::ProviderSettings& settings = {});

/// Cosine similarity of two L2-normalised vectors of the same size (their dot product); 0 for a size
/// mismatch.
double cosine(const Vector& a, const Vector& b);

}  // namespace judge::memory
