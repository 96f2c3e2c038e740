// SPDX-License-Identifier: MIT
#include "judge/llm/embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "judge/util/error.hpp"

namespace judge::llm {

OpenAIEmbeddingProvider::OpenAIEmbeddingProvider(std::string spec, HttpEndpoint endpoint, std::string model,
                                                 RetryPolicy retry, SleepFunction sleep,
                                                 std::size_t batch_size)
    : m_spec(std::move(spec)),
      m_endpoint(std::move(endpoint)),
      m_model(std::move(model)),
      m_backoff(retry),
      m_sleep(std::move(sleep)),
      m_batch_size(std::max<std::size_t>(batch_size, 1)) {}

EmbeddingResult OpenAIEmbeddingProvider::embed_batch(const std::vector<std::string>& texts) {
  nlohmann::json body = {{"model", m_model}, {"input", texts}, {"encoding_format", "float"}};
  if (m_dimensions > 0) body["dimensions"] = m_dimensions;
  JsonReply reply = post_json(m_endpoint, body);
  EmbeddingResult result;
  if (reply.error) {
    result.error = std::move(reply.error);
    return result;
  }
  const auto bad = [&](const std::string& why) {
    result.vectors.clear();
    result.error = ProviderError{ErrorKind::bad_response, m_spec + ": " + why + " in the embeddings reply", 0,
                                 std::nullopt};
    return result;
  };
  const nlohmann::json& json = *reply.body;
  if (!json.contains("data") || !json["data"].is_array()) return bad("no data array");
  if (json["data"].size() != texts.size()) return bad("not one vector per input");
  result.vectors.resize(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& item = json["data"][i];
    if (!item.is_object() || !item.contains("embedding") || !item["embedding"].is_array())
      return bad("data[" + std::to_string(i) + "] has no embedding array");
    const std::size_t index =
        item.contains("index") && item["index"].is_number_unsigned() ? item["index"].get<std::size_t>() : i;
    if (index >= texts.size() || !result.vectors[index].empty()) return bad("a bad or repeated data[].index");
    for (const auto& value : item["embedding"]) {
      // A double beyond float's range does not convert (undefined behaviour in C++): refused like a
      // non-number.
      if (!value.is_number() || !std::isfinite(value.get<double>()) ||
          std::fabs(value.get<double>()) > std::numeric_limits<float>::max())
        return bad("a non-number or a number beyond a float's range in data[" + std::to_string(i) +
                   "].embedding");
      result.vectors[index].push_back(static_cast<float>(value.get<double>()));
    }
    if (result.vectors[index].empty()) return bad("an empty embedding");
  }
  if (json.contains("usage") && json["usage"].is_object() && json["usage"].contains("prompt_tokens") &&
      json["usage"]["prompt_tokens"].is_number_integer())
    result.usage.input_tokens = json["usage"]["prompt_tokens"].get<long>();
  return result;
}

EmbeddingResult OpenAIEmbeddingProvider::try_embed(const std::vector<std::string>& texts) {
  EmbeddingResult all;
  for (std::size_t start = 0; start < texts.size(); start += m_batch_size) {
    const auto end =
        texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), start + m_batch_size));
    const std::vector<std::string> batch_texts(texts.begin() + static_cast<std::ptrdiff_t>(start), end);
    EmbeddingResult batch = call_with_retries(
        m_backoff, m_sleep, [&] { return embed_batch(batch_texts); },
        [](const EmbeddingResult& r) { return r.error ? &*r.error : nullptr; });
    if (batch.error) return batch;
    for (auto& vector : batch.vectors) all.vectors.push_back(std::move(vector));
    all.usage.input_tokens += batch.usage.input_tokens;
  }
  return all;
}

std::vector<std::vector<float>> OpenAIEmbeddingProvider::embed(const std::vector<std::string>& texts) {
  EmbeddingResult result = try_embed(texts);
  if (result.error)
    throw Error("embeddings (" + m_spec + ") failed: " + std::string(to_string(result.error->kind)) + ": " +
                result.error->message);
  return std::move(result.vectors);
}

std::unique_ptr<EmbeddingProvider> make_openai_embeddings(const ProviderTarget& target,
                                                          const ProviderSettings& settings) {
  HttpEndpoint e = provider_endpoint(target.base_url + "/embeddings", settings);
  add_key_header(e, target.key, "Authorization", "Bearer ");
  auto provider = std::make_unique<OpenAIEmbeddingProvider>(target.spec, std::move(e), target.name,
                                                            settings.retry, settings.sleep);
  provider->set_dimensions(settings.embedding_dimensions);
  return provider;
}

}  // namespace judge::llm
