// SPDX-License-Identifier: MIT
// OpenAI-compatible embeddings (https://platform.openai.com/docs/api-reference/embeddings): OpenAI, Azure,
// vLLM, Ollama, llama.cpp server, LM Studio.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "judge/llm/http_call.hpp"
#include "judge/llm/provider.hpp"
#include "judge/llm/registry.hpp"
#include "judge/llm/retry.hpp"

namespace judge::llm {

/// Result of one embeddings request: one vector per input, or an error.
struct EmbeddingResult {
  std::vector<std::vector<float>> vectors;
  std::optional<ProviderError> error;
  Usage usage;  ///< usage.prompt_tokens as input tokens
};

class OpenAIEmbeddingProvider : public EmbeddingProvider {
 public:
  /// `endpoint.url` is the full ".../embeddings" URL; texts go `batch_size` per request, each request
  /// retried as `retry` says. Set `dimensions` with set_dimensions().
  OpenAIEmbeddingProvider(std::string spec, HttpEndpoint endpoint, std::string model, RetryPolicy retry = {},
                          SleepFunction sleep = sleep_seconds, std::size_t batch_size = 64);
  std::string spec() const override { return m_spec; }
  /// Sends "dimensions": n (> 0) so models that can shorten their vectors return n numbers each.
  void set_dimensions(int dimensions) { m_dimensions = dimensions; }
  /// One request per batch: body {model, input: [texts], encoding_format: "float"[, dimensions]}; reply
  /// data[i].embedding placed by data[i].index. Returns the first error that outlasts its retries.
  EmbeddingResult try_embed(const std::vector<std::string>& texts);
  /// try_embed, throwing judge::Error with the error's message on failure.
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override;

 private:
  EmbeddingResult embed_batch(const std::vector<std::string>& texts);

  std::string m_spec;
  HttpEndpoint m_endpoint;
  std::string m_model;
  Backoff m_backoff;
  SleepFunction m_sleep;
  std::size_t m_batch_size;
  int m_dimensions = 0;
};

/// The provider table's openai embeddings (registry.hpp): POST {base}/embeddings, Bearer key, retried per
/// settings.retry, settings.embedding_dimensions sent when > 0.
std::unique_ptr<EmbeddingProvider> make_openai_embeddings(const ProviderTarget& target,
                                                          const ProviderSettings& settings);

}  // namespace judge::llm
