// SPDX-License-Identifier: MIT
// The Anthropic Messages provider against the loopback server. Expected wire fields are from the Messages API
// reference (docs.anthropic.com/en/api/messages) and its tool-use guide.
#include "judge/llm/anthropic.hpp"

#include <gtest/gtest.h>

#include "../fake_llm_server/fake_server.hpp"
#include "judge/llm/registry.hpp"
#include "judge/util/error.hpp"
#include "provider_env.hpp"

namespace judge::llm {
namespace {

using judge::test::settings_with_env;
using judge::test::user_request;
using nlohmann::json;

constexpr const char* k_key = "sk-ant-test-0123456789";

class AnthropicProviderTest : public ::testing::Test {
 protected:
  judge::test::FakeLlmServer server;
  std::unique_ptr<ChatProvider> provider(double timeout_seconds = 5) {
    auto settings =
        settings_with_env({{"ANTHROPIC_API_KEY", k_key}, {"ANTHROPIC_BASE_URL", server.base_url()}});
    settings.timeout_seconds = timeout_seconds;
    return make_chat_provider("anthropic:claude-test", settings);
  }
  ProviderError error_for(const json& behaviour, double timeout_seconds = 5) {
    server.script(json::array({behaviour}));
    const ChatResult result = provider(timeout_seconds)->chat(user_request("hello"));
    EXPECT_FALSE(result.ok());
    if (!result.error) return {};
    EXPECT_EQ(result.error->message.find(k_key), std::string::npos) << result.error->message;
    return *result.error;
  }
};

TEST_F(AnthropicProviderTest, SendsTheMessagesBodyAndHeaders) {
  ChatRequest request;
  request.messages = {{"system", "Rule one."}, {"system", "Rule two."}, {"user", "score this"}};
  request.temperature = 0.25;
  request.max_tokens = 300;
  ASSERT_TRUE(provider()->chat(request).ok());
  const json seen = server.last_request();
  EXPECT_EQ(seen["path"], "/v1/messages");
  EXPECT_EQ(seen["headers"]["x-api-key"], k_key);
  EXPECT_EQ(seen["headers"]["anthropic-version"], "2023-06-01");
  EXPECT_FALSE(seen["headers"].contains("authorization"));
  const json& body = seen["body"];
  EXPECT_EQ(body["model"], "claude-test");
  EXPECT_EQ(body["system"], "Rule one.\n\nRule two.");
  EXPECT_EQ(body["messages"], json::parse(R"([{"role": "user", "content": "score this"}])"));
  EXPECT_EQ(body["temperature"], 0.25);
  EXPECT_EQ(body["max_tokens"], 300);
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_FALSE(body.contains("tool_choice"));
}

TEST_F(AnthropicProviderTest, SchemaBecomesAForcedToolWhoseInputIsTheContent) {
  ChatRequest request = user_request("score this");
  request.response_schema = json{{"type", "object"}, {"required", {"score"}}};
  request.schema_name = "record_verdict";
  server.script(json::array(
      {{{"content", R"({"score": 2, "rationale": "thin"})"}, {"usage", {{"input", 1000}, {"output", 50}}}}}));
  const ChatResult result = provider()->chat(request);
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(json::parse(result.response->content), json::parse(R"({"score": 2, "rationale": "thin"})"));
  EXPECT_EQ(result.response->usage.input_tokens, 1000);
  EXPECT_EQ(result.response->usage.output_tokens, 50);
  EXPECT_EQ(result.response->model, "claude-test");

  const json body = server.last_request()["body"];
  ASSERT_EQ(body["tools"].size(), 1u);
  EXPECT_EQ(body["tools"][0]["name"], "record_verdict");
  EXPECT_EQ(body["tools"][0]["input_schema"], *request.response_schema);
  EXPECT_EQ(body["tool_choice"], json::parse(R"({"type": "tool", "name": "record_verdict"})"));
}

TEST_F(AnthropicProviderTest, TextBlocksAreJoined) {
  server.script(json::array(
      {{{"type", "raw"}, {"body", R"({"type": "message", "content": [{"type": "text", "text": "Score: "},
                                          {"type": "text", "text": "4"}], "stop_reason": "end_turn"})"}}}));
  const ChatResult result = provider()->chat(user_request("x"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response->content, "Score: 4");
  EXPECT_EQ(result.response->usage.input_tokens, 0);  // no usage reported
}

TEST_F(AnthropicProviderTest, RefusalIsRefused) {
  EXPECT_EQ(error_for({{"type", "refusal"}}).kind, ErrorKind::refused);
}

TEST_F(AnthropicProviderTest, HttpErrorsMapToKinds) {
  EXPECT_EQ(error_for({{"type", "error"}, {"status", 401}, {"error_type", "authentication_error"}}).kind,
            ErrorKind::auth);
  const ProviderError limited = error_for({{"type", "rate_limit"}, {"retry_after", "12"}});
  EXPECT_EQ(limited.kind, ErrorKind::rate_limited);
  EXPECT_DOUBLE_EQ(limited.retry_after_seconds.value_or(-1), 12.0);
  EXPECT_EQ(error_for({{"type", "error"}, {"status", 529}, {"error_type", "overloaded_error"}}).kind,
            ErrorKind::server);
  // The Messages API's wording for an over-long prompt.
  EXPECT_EQ(error_for({{"type", "error"},
                       {"status", 400},
                       {"error_type", "invalid_request_error"},
                       {"message", "prompt is too long: 210000 tokens > 200000 maximum"}})
                .kind,
            ErrorKind::context_length);
  EXPECT_EQ(error_for({{"type", "error"}, {"status", 413}, {"error_type", "request_too_large"}}).kind,
            ErrorKind::context_length);
  EXPECT_EQ(error_for({{"type", "malformed"}}).kind, ErrorKind::bad_response);
  EXPECT_EQ(error_for({{"type", "raw"}, {"body", R"({"content": []})"}}).kind, ErrorKind::bad_response);
  EXPECT_EQ(error_for({{"type", "drop"}}).kind, ErrorKind::network);
  EXPECT_EQ(error_for({{"type", "reply"}, {"delay", 3}}, 0.5).kind, ErrorKind::timeout);
}

TEST_F(AnthropicProviderTest, KeyRequiredOnlyByTheHostedApi) {
  EXPECT_THROW(make_chat_provider("anthropic:claude-sonnet-4-5", settings_with_env({})), Error);
  auto p = make_chat_provider("anthropic:m", settings_with_env({}, server.base_url()));
  ASSERT_TRUE(p->chat(user_request("x")).ok());
  EXPECT_FALSE(server.last_request()["headers"].contains("x-api-key"));
}

}  // namespace
}  // namespace judge::llm
