// SPDX-License-Identifier: MIT
#include "judge/memory/embedding.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "json_number.hpp"
#include "judge/llm/registry.hpp"
#include "judge/util/error.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/text.hpp"

namespace judge::memory {

namespace {

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::vector<std::string> HashedTfidfEmbedder::tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string previous;  // the last word, while only a '.' separates it from the next one
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word_char(text[i])) {
      if (text[i] != '.') previous.clear();
      ++i;
      continue;
    }
    const bool dotted = i > 0 && text[i - 1] == '.' && !previous.empty();
    std::size_t j = i;
    std::string word;
    while (j < text.size() && is_word_char(text[j]))
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j++])));
    if (word.size() >= 2) {
      if (dotted) out.push_back(previous + "." + word);
      out.push_back(word);
    }
    previous = word;
    i = j;
  }
  return out;
}

bool HashedTfidfEmbedder::fit(const std::vector<std::string>& corpus) {
  std::vector<std::uint32_t> df(k_dimension, 0);
  for (const auto& text : corpus) {
    std::vector<bool> seen(k_dimension, false);
    for (const auto& t : tokens(text)) seen[fnv1a(t) % k_dimension] = true;
    for (std::size_t b = 0; b < k_dimension; ++b) df[b] += seen[b];
  }
  const bool changed = df != m_df || m_documents != corpus.size();
  m_df = std::move(df);
  m_documents = corpus.size();
  return changed;
}

std::vector<Vector> HashedTfidfEmbedder::embed(const std::vector<std::string>& texts) const {
  std::vector<Vector> out;
  out.reserve(texts.size());
  for (const auto& text : texts) {
    std::unordered_map<std::uint64_t, int> tf;
    for (const auto& t : tokens(text)) ++tf[fnv1a(t)];
    Vector v(k_dimension, 0.0f);
    for (const auto& [h, count] : tf) {
      const std::size_t bucket = h % k_dimension;
      const double idf = std::log((1.0 + double(m_documents)) / (1.0 + m_df[bucket])) + 1.0;
      const double sign = (h >> 63) ? -1.0 : 1.0;
      v[bucket] += static_cast<float>(sign * (1.0 + std::log(count)) * idf);
    }
    double norm = 0;
    for (float x : v) norm += double(x) * x;
    if (norm > 0)
      for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    out.push_back(std::move(v));
  }
  return out;
}

nlohmann::ordered_json HashedTfidfEmbedder::state() const {
  nlohmann::ordered_json j;
  j["documents"] = m_documents;
  j["df"] = m_df;
  return j;
}

void HashedTfidfEmbedder::load_state(const nlohmann::json& state) {
  try {
    std::vector<std::uint32_t> df;
    for (const auto& x : state.at("df").get_ref<const nlohmann::json::array_t&>())
      df.push_back(detail::json_whole<std::uint32_t>(x, "hashed-tfidf state: df"));
    if (df.size() != k_dimension)
      throw Error("hashed-tfidf state: df has " + std::to_string(df.size()) + " entries, expected " +
                  std::to_string(k_dimension));
    m_df = std::move(df);
    m_documents = detail::json_whole<std::uint64_t>(state.at("documents"), "hashed-tfidf state: documents");
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("hashed-tfidf state: ") + util::json_error_text(e));
  }
}

namespace {

// An embeddings provider (llm registry) as an Embedder: no corpus state; vectors L2-normalised here so that
// cosine is a dot product whatever the server returns. The provider is made at the first embed() call, so a
// memory can be shown, counted or pruned without the provider's key.
class ProviderEmbedder : public Embedder {
 public:
  ProviderEmbedder(std::string spec, llm::ProviderSettings settings)
      : m_spec(std::move(spec)), m_settings(std::move(settings)) {}
  std::string spec() const override { return m_spec; }
  bool fit(const std::vector<std::string>&) override { return false; }
  std::vector<Vector> embed(const std::vector<std::string>& texts) const override {
    if (texts.empty()) return {};
    std::call_once(m_once, [this] { m_provider = llm::make_embedding_provider(m_spec, m_settings); });
    auto vectors = m_provider->embed(texts);
    if (vectors.size() != texts.size())
      throw Error(m_spec + ": " + std::to_string(vectors.size()) + " embeddings for " +
                  std::to_string(texts.size()) + " texts");
    for (auto& v : vectors) {
      double norm = 0;
      for (float x : v) norm += double(x) * x;
      if (norm > 0)
        for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    }
    return vectors;
  }

 private:
  std::string m_spec;
  llm::ProviderSettings m_settings;
  mutable std::once_flag m_once;
  mutable std::unique_ptr<llm::EmbeddingProvider> m_provider;
};

}  // namespace

std::unique_ptr<Embedder> make_embedder(const std::string& spec, const llm::ProviderSettings& settings) {
  if (spec.empty() || spec == "hashed-tfidf") return std::make_unique<HashedTfidfEmbedder>();
  if (util::starts_with(util::to_lower(spec), "hashed-tfidf:"))  // the offline embedder has no models
    throw Error("embeddings spec \"" + spec + "\": hashed-tfidf takes no model; write hashed-tfidf",
                ExitCode::usage);
  if (spec.find(':') == std::string::npos) {
    // A did-you-mean as a misspelt provider gets (llm::make_embedding_provider): "hashed-tfdf" ->
    // hashed-tfidf, "opena" -> openai:MODEL.
    std::vector<std::string> names{"hashed-tfidf"};
    for (const auto& p : llm::providers())
      if (p.embeddings) names.push_back(llm::spec_form(p));
    std::vector<std::string> schemes;
    for (const auto& n : names) schemes.push_back(n.substr(0, n.find(':')));
    std::string message = "unknown embeddings spec \"";
    message += spec;
    message += "\" (hashed-tfidf, or PROVIDER:MODEL such as openai:text-embedding-3-small)";
    const auto close = util::closest_names(util::to_lower(spec), schemes);
    for (std::size_t i = 0; i < close.size(); ++i) {
      message += i == 0 ? "; did you mean " : " or ";
      message += names[std::find(schemes.begin(), schemes.end(), close[i]) - schemes.begin()];
    }
    if (!close.empty()) message += '?';
    throw Error(message, ExitCode::usage);
  }
  return std::make_unique<ProviderEmbedder>(spec, settings);
}

double cosine(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) return 0;
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

}  // namespace judge::memory
