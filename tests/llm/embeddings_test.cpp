// SPDX-License-Identifier: MIT
#include "judge/llm/embeddings.hpp"

#include <gtest/gtest.h>

#include "../fake_llm_server/fake_server.hpp"
#include "judge/llm/registry.hpp"
#include "judge/util/error.hpp"
#include "provider_env.hpp"

namespace judge::llm {
namespace {

using nlohmann::json;

class EmbeddingsTest : public ::testing::Test {
 protected:
  judge::test::FakeLlmServer server;
  std::vector<double> sleeps;
  std::unique_ptr<EmbeddingProvider> provider(int dimensions = 0) {
    auto settings =
        judge::test::settings_with_env({{"OPENAI_API_KEY", "sk-embed-key-123"}}, server.openai_base_url());
    settings.embedding_dimensions = dimensions;
    settings.retry.max_attempts = 4;
    settings.sleep = [this](double seconds) { sleeps.push_back(seconds); };
    return make_embedding_provider("openai:text-embedding-3-small", settings);
  }
};

TEST_F(EmbeddingsTest, SendsTheBodyAndReadsVectors) {
  const auto vectors = provider(4)->embed({"alpha", "beta"});
  const json seen = server.last_request();
  EXPECT_EQ(seen["path"], "/v1/embeddings");
  EXPECT_EQ(seen["headers"]["authorization"], "Bearer sk-embed-key-123");
  EXPECT_EQ(seen["body"], json::parse(R"({"model": "text-embedding-3-small", "input": ["alpha", "beta"],
                                         "encoding_format": "float", "dimensions": 4})"));
  ASSERT_EQ(vectors.size(), 2u);
  ASSERT_EQ(vectors[0].size(), 4u);
  // The server's vector for "alpha": sha256("alpha") bytes 0..3, (b - 128) / 128; first byte 0x8e by
  // `printf alpha | sha256sum` (8ed3f6ad...).
  EXPECT_FLOAT_EQ(vectors[0][0], (0x8e - 128) / 128.0f);
  EXPECT_FLOAT_EQ(vectors[0][1], (0xd3 - 128) / 128.0f);
  EXPECT_NE(vectors[0], vectors[1]);
}

TEST_F(EmbeddingsTest, BatchesAndKeepsOrderByIndex) {
  std::vector<std::string> texts;
  for (int i = 0; i < 150; ++i) texts.push_back("text " + std::to_string(i));
  server.script(
      json::array({{{"type", "reply"}, {"reverse", true}}}));  // first batch answered in reverse order
  const auto vectors = provider()->embed(texts);
  ASSERT_EQ(vectors.size(), 150u);
  EXPECT_EQ(server.request_count(), 3);  // 64 + 64 + 22
  const json log = server.log();
  EXPECT_EQ(log[0]["body"]["input"].size(), 64u);
  EXPECT_EQ(log[2]["body"]["input"].size(), 22u);
  const auto one = provider()->embed({"text 0"});
  EXPECT_EQ(vectors[0], one[0]);
  const auto last = provider()->embed({"text 149"});
  EXPECT_EQ(vectors[149], last[0]);
}

TEST_F(EmbeddingsTest, RetriesThenThrowsWithoutTheKey) {
  server.script(json::array({{{"type", "error"}, {"status", 503}}}));
  EXPECT_EQ(provider()->embed({"a"}).size(), 1u);  // one 503, then the default reply
  EXPECT_EQ(server.request_count(), 2);
  EXPECT_EQ(sleeps.size(), 1u);
  server.script(json::array({{{"type", "error"}, {"status", 401}, {"message", "bad key sk-embed-key-123"}}}));
  try {
    provider()->embed({"a"});
    ADD_FAILURE() << "no throw";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("auth"), std::string::npos) << message;
    EXPECT_EQ(message.find("sk-embed-key-123"), std::string::npos) << message;
  }
}

TEST_F(EmbeddingsTest, WrongCountIsBadResponse) {
  server.script(
      json::array({{{"type", "raw"}, {"body", R"({"data": [{"index": 0, "embedding": [1.0]}]})"}}}));
  OpenAIEmbeddingProvider p("openai:e", HttpEndpoint{server.openai_base_url() + "/embeddings", {}, {}, 2, 5},
                            "e");
  const EmbeddingResult result = p.try_embed({"a", "b"});
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->kind, ErrorKind::bad_response);
}

// 1e300 is a JSON number but no float: converting it is undefined behaviour in C++, so it is a bad response.
TEST_F(EmbeddingsTest, ComponentBeyondFloatRangeIsBadResponse) {
  server.script(
      json::array({{{"type", "raw"}, {"body", R"({"data": [{"index": 0, "embedding": [0.5, 1e300]}]})"}}}));
  OpenAIEmbeddingProvider p("openai:e", HttpEndpoint{server.openai_base_url() + "/embeddings", {}, {}, 2, 5},
                            "e");
  const EmbeddingResult result = p.try_embed({"a"});
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->kind, ErrorKind::bad_response);
  EXPECT_NE(result.error->message.find("beyond a float's range in data[0].embedding"), std::string::npos)
      << result.error->message;
}

}  // namespace
}  // namespace judge::llm
