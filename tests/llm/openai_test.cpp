// SPDX-License-Identifier: MIT
// The OpenAI-compatible providers (openai, azure, databricks) against the loopback server: the request as the
// server saw it, the reply, and every error kind. Expected wire fields are from the OpenAI API reference.
#include "judge/llm/openai.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../fake_llm_server/fake_server.hpp"
#include "judge/llm/registry.hpp"
#include "provider_env.hpp"

namespace judge::llm {
namespace {

using judge::test::settings_with_env;
using judge::test::user_request;
using nlohmann::json;

constexpr const char* k_key = "sk-test-0123456789abcdef";

class OpenAIProviderTest : public ::testing::Test {
 protected:
  judge::test::FakeLlmServer server;
  std::unique_ptr<ChatProvider> provider(double timeout_seconds = 5) {
    auto settings =
        settings_with_env({{"OPENAI_API_KEY", k_key}, {"OPENAI_BASE_URL", server.openai_base_url()}});
    settings.timeout_seconds = timeout_seconds;
    return make_chat_provider("openai:gpt-test", settings);
  }
  ProviderError error_for(const json& behaviour, double timeout_seconds = 5) {
    server.script(json::array({behaviour}));
    const ChatResult result = provider(timeout_seconds)->chat(user_request("hello"));
    EXPECT_FALSE(result.ok());
    EXPECT_FALSE(result.response.has_value());
    if (!result.error) return {};
    EXPECT_EQ(result.error->message.find(k_key), std::string::npos) << result.error->message;
    return *result.error;
  }
};

TEST_F(OpenAIProviderTest, SendsTheChatCompletionsBodyAndBearerKey) {
  ChatRequest request = user_request("score this");
  request.temperature = 0.5;
  request.max_tokens = 200;
  request.seed = 7;
  request.response_schema = json{{"type", "object"}, {"properties", {{"score", {{"type", "integer"}}}}}};
  const ChatResult result = provider()->chat(request);
  ASSERT_TRUE(result.ok()) << result.error->message;

  const json seen = server.last_request();
  EXPECT_EQ(seen["path"], "/v1/chat/completions");
  EXPECT_EQ(seen["headers"]["authorization"], std::string("Bearer ") + k_key);
  EXPECT_EQ(seen["headers"]["content-type"], "application/json");
  const json& body = seen["body"];
  EXPECT_EQ(body["model"], "gpt-test");
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"system","content":"You are a judge."},
                                               {"role":"user","content":"score this"}])"));
  EXPECT_EQ(body["temperature"], 0.5);
  EXPECT_EQ(body["max_tokens"], 200);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["response_format"]["type"], "json_schema");
  EXPECT_EQ(body["response_format"]["json_schema"]["name"], "verdict");
  EXPECT_EQ(body["response_format"]["json_schema"]["strict"], true);
  EXPECT_EQ(body["response_format"]["json_schema"]["schema"], *request.response_schema);
}

TEST_F(OpenAIProviderTest, OmitsSeedAndResponseFormatWhenUnset) {
  ASSERT_TRUE(provider()->chat(user_request("x")).ok());
  const json body = server.last_request()["body"];
  EXPECT_FALSE(body.contains("seed"));
  EXPECT_FALSE(body.contains("response_format"));
}

TEST_F(OpenAIProviderTest, ReadsContentUsageAndModel) {
  server.script(json::array({{{"content", "```json\n{\"score\": 4}\n```"},
                              {"usage", {{"input", 321}, {"output", 45}}},
                              {"model", "gpt-test-2025"}}}));
  const ChatResult result = provider()->chat(user_request("x"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response->content,
            "```json\n{\"score\": 4}\n```");  // verbatim: parsing is the judge's job
  EXPECT_EQ(result.response->usage.input_tokens, 321);
  EXPECT_EQ(result.response->usage.output_tokens, 45);
  EXPECT_EQ(result.response->model, "gpt-test-2025");
  EXPECT_GE(result.response->latency_seconds, 0.0);
  EXPECT_EQ(provider()->spec(), "openai:gpt-test");
}

TEST_F(OpenAIProviderTest, NoKeyNoAuthorizationHeaderForALocalServer) {
  auto p = make_chat_provider("openai:llama3:8b", settings_with_env({}, server.openai_base_url()));
  ASSERT_TRUE(p->chat(user_request("x")).ok());
  const json seen = server.last_request();
  EXPECT_FALSE(seen["headers"].contains("authorization"));
  EXPECT_EQ(seen["body"]["model"], "llama3:8b");  // only the first ':' separates provider and model
}

TEST_F(OpenAIProviderTest, SettingsBaseUrlWinsOverTheEnvironment) {
  auto settings =
      settings_with_env({{"OPENAI_BASE_URL", "http://127.0.0.1:1/v1"}}, server.openai_base_url() + "/");
  ASSERT_TRUE(make_chat_provider("openai:m", settings)->chat(user_request("x")).ok());
  EXPECT_EQ(server.request_count(), 1);
}

TEST_F(OpenAIProviderTest, RefusalIsRefused) {
  const ProviderError e = error_for({{"type", "refusal"}, {"refusal", "I will not grade this."}});
  EXPECT_EQ(e.kind, ErrorKind::refused);
  EXPECT_NE(e.message.find("I will not grade this."), std::string::npos);
}

TEST_F(OpenAIProviderTest, EmptyRefusalIsNoRefusal) {
  server.script(json::array(
      {{{"type", "raw"}, {"body", R"({"choices": [{"message": {"content": "ok", "refusal": ""}}]})"}}}));
  const ChatResult result = provider()->chat(user_request("x"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response->content, "ok");
}

TEST_F(OpenAIProviderTest, OneProviderFromManyThreads) {
  server.script(json::array(), {{"type", "reply"}, {"delay", 0.1}});
  const std::shared_ptr<ChatProvider> shared = provider();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2; ++i)
        if (shared->chat(user_request("thread " + std::to_string(t))).ok()) ++ok;
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 24);
  EXPECT_EQ(server.request_count(), 24);
}

TEST_F(OpenAIProviderTest, UnauthorizedIsAuthAndNeverEchoesTheKey) {
  // Real servers echo part of a wrong key; ours echoes all of it, which must be scrubbed.
  const ProviderError e = error_for(
      {{"type", "error"}, {"status", 401}, {"message", std::string("Incorrect API key provided: ") + k_key}});
  EXPECT_EQ(e.kind, ErrorKind::auth);
  EXPECT_EQ(e.http_status, 401);
  EXPECT_NE(e.message.find("Incorrect API key provided: ***"), std::string::npos) << e.message;
  EXPECT_EQ(error_for({{"type", "error"}, {"status", 403}}).kind, ErrorKind::auth);
}

TEST_F(OpenAIProviderTest, TooManyRequestsIsRateLimitedWithRetryAfterSeconds) {
  const ProviderError e = error_for({{"type", "rate_limit"}, {"retry_after", "7"}});
  EXPECT_EQ(e.kind, ErrorKind::rate_limited);
  EXPECT_EQ(e.http_status, 429);
  ASSERT_TRUE(e.retry_after_seconds.has_value());
  EXPECT_DOUBLE_EQ(*e.retry_after_seconds, 7.0);
}

TEST_F(OpenAIProviderTest, RetryAfterMsWinsOverRetryAfter) {
  const ProviderError e =
      error_for({{"type", "rate_limit"}, {"retry_after", "7"}, {"headers", {{"retry-after-ms", "1500"}}}});
  ASSERT_TRUE(e.retry_after_seconds.has_value());
  EXPECT_DOUBLE_EQ(*e.retry_after_seconds, 1.5);
}

TEST_F(OpenAIProviderTest, RateLimitedWithoutRetryAfter) {
  const ProviderError e = error_for({{"type", "rate_limit"}});
  EXPECT_EQ(e.kind, ErrorKind::rate_limited);
  EXPECT_FALSE(e.retry_after_seconds.has_value());
}

TEST_F(OpenAIProviderTest, ServerErrorsAreServer) {
  EXPECT_EQ(error_for({{"type", "error"}, {"status", 500}}).kind, ErrorKind::server);
  EXPECT_EQ(error_for({{"type", "error"}, {"status", 503}}).kind, ErrorKind::server);
}

TEST_F(OpenAIProviderTest, ContextLengthFromCodeOrMessage) {
  EXPECT_EQ(
      error_for(
          {{"type", "error"}, {"status", 400}, {"code", "context_length_exceeded"}, {"message", "Too long."}})
          .kind,
      ErrorKind::context_length);
  // vLLM's wording, without a code.
  EXPECT_EQ(error_for({{"type", "error"},
                       {"status", 400},
                       {"message",
                        "This model's maximum context length is 8192 tokens. However, you requested "
                        "9000 tokens."}})
                .kind,
            ErrorKind::context_length);
  EXPECT_EQ(
      error_for({{"type", "error"}, {"status", 400}, {"message", "Invalid value for 'temperature'."}}).kind,
      ErrorKind::bad_response);
}

TEST_F(OpenAIProviderTest, NotFoundIsConfig) {
  const ProviderError e =
      error_for({{"type", "error"}, {"status", 404}, {"message", "The model does not exist"}});
  EXPECT_EQ(e.kind, ErrorKind::config);
  EXPECT_NE(e.message.find("The model does not exist"), std::string::npos);
}

TEST_F(OpenAIProviderTest, MalformedBodiesAreBadResponse) {
  EXPECT_EQ(error_for({{"type", "malformed"}}).kind, ErrorKind::bad_response);
  EXPECT_EQ(error_for({{"type", "raw"}, {"body", R"({"choices": []})"}}).kind, ErrorKind::bad_response);
  EXPECT_EQ(error_for({{"type", "raw"}, {"body", R"({"choices": [{"message": {"content": null}}]})"}}).kind,
            ErrorKind::bad_response);
  EXPECT_EQ(error_for({{"type", "raw"}, {"body", "[1, 2]"}}).kind, ErrorKind::bad_response);
}

TEST_F(OpenAIProviderTest, DroppedConnectionIsNetwork) {
  EXPECT_EQ(error_for({{"type", "drop"}}).kind, ErrorKind::network);
}

TEST_F(OpenAIProviderTest, SlowReplyPastTheTimeoutIsTimeout) {
  const ProviderError e = error_for({{"type", "reply"}, {"delay", 3}}, 0.5);
  EXPECT_EQ(e.kind, ErrorKind::timeout);
}

TEST_F(OpenAIProviderTest, NothingListeningIsAConfigErrorWithAHint) {
  auto p =
      make_chat_provider("openai:m", settings_with_env({{"OPENAI_API_KEY", k_key}}, "http://127.0.0.1:1/v1"));
  const ChatResult result = p->chat(user_request("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, ErrorKind::config);  // stops the run instead of retrying every item
  EXPECT_NE(result.error->message.find("is the server running"), std::string::npos);
  EXPECT_EQ(result.error->message.find(k_key), std::string::npos);
}

TEST_F(OpenAIProviderTest, AzureDeploymentPathApiVersionAndApiKeyHeader) {
  auto settings =
      settings_with_env({{"AZURE_OPENAI_ENDPOINT", server.base_url()}, {"AZURE_OPENAI_API_KEY", k_key}});
  settings.api_version = "2024-06-01";
  auto p = make_chat_provider("azure:my-gpt4o", settings);
  ASSERT_TRUE(p->chat(user_request("x")).ok());
  const json seen = server.last_request();
  EXPECT_EQ(seen["path"], "/openai/deployments/my-gpt4o/chat/completions");
  EXPECT_EQ(seen["query"], "api-version=2024-06-01");
  EXPECT_EQ(seen["headers"]["api-key"], k_key);
  EXPECT_FALSE(seen["headers"].contains("authorization"));
  EXPECT_FALSE(seen["body"].contains("model"));  // the deployment names the model
}

TEST_F(OpenAIProviderTest, AzureDefaultApiVersion) {
  auto p = make_chat_provider("azure:d", settings_with_env({{"AZURE_OPENAI_ENDPOINT", server.base_url()},
                                                            {"AZURE_OPENAI_API_KEY", k_key}}));
  ASSERT_TRUE(p->chat(user_request("x")).ok());
  EXPECT_EQ(server.last_request()["query"], std::string("api-version=") + k_default_azure_api_version);
}

TEST_F(OpenAIProviderTest, DatabricksServingEndpointInvocations) {
  auto p = make_chat_provider("databricks:databricks-claude-sonnet",
                              settings_with_env({{"DATABRICKS_HOST", server.base_url() + "/"},
                                                 {"DATABRICKS_TOKEN", "dapi-secret-token"}}));
  ASSERT_TRUE(p->chat(user_request("x")).ok());
  const json seen = server.last_request();
  EXPECT_EQ(seen["path"], "/serving-endpoints/databricks-claude-sonnet/invocations");
  EXPECT_EQ(seen["headers"]["authorization"], "Bearer dapi-secret-token");
  EXPECT_EQ(seen["body"]["messages"][1]["content"], "x");
}

// OpenAI reasoning models (o-series, gpt-5): "max_completion_tokens" instead of "max_tokens", no
// "temperature" (API reference, chat/create; see openai_chat_body). Names listed by hand from OpenAI's model
// list; "omni-x" and "gpt-50" are made-up look-alikes that must not match.
TEST(OpenAIReasoningModel, FamilyByName) {
  for (const char* name : {"o1", "o1-mini", "o3", "o3-mini", "o4-mini", "o4-mini-2025-04-16", "O3-Mini",
                           "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5.1", "openai/o3-mini", "openai/gpt-5"})
    EXPECT_TRUE(is_openai_reasoning_model(name)) << name;
  for (const char* name :
       {"gpt-4.1-mini", "gpt-4o", "omni-x", "o", "gpt-50", "llama3:8b", "my-deployment", "claude-o3", ""})
    EXPECT_FALSE(is_openai_reasoning_model(name)) << name;
}

TEST_F(OpenAIProviderTest, ReasoningModelGetsMaxCompletionTokensAndNoTemperature) {
  auto settings = settings_with_env({{"OPENAI_BASE_URL", server.openai_base_url()}});
  ChatRequest request = user_request("score this");
  request.temperature = 0.7;
  request.max_tokens = 4000;
  request.seed = 3;
  request.response_schema = json{{"type", "object"}};
  ASSERT_TRUE(make_chat_provider("openai:o3-mini", settings)->chat(request).ok());
  json body = server.last_request()["body"];
  EXPECT_EQ(body["model"], "o3-mini");
  EXPECT_EQ(body["max_completion_tokens"], 4000);
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_FALSE(body.contains("temperature"));
  EXPECT_EQ(body["seed"], 3);
  EXPECT_EQ(body["response_format"]["type"], "json_schema");

  // The setting wins over the name, both ways.
  settings.reasoning_model = false;
  ASSERT_TRUE(make_chat_provider("openai:o3-mini", settings)->chat(request).ok());
  body = server.last_request()["body"];
  EXPECT_EQ(body["max_tokens"], 4000);
  EXPECT_EQ(body["temperature"], 0.7);
  EXPECT_FALSE(body.contains("max_completion_tokens"));
}

TEST_F(OpenAIProviderTest, AzureDeploymentOptsInToTheReasoningBody) {
  auto settings =
      settings_with_env({{"AZURE_OPENAI_ENDPOINT", server.base_url()}, {"AZURE_OPENAI_API_KEY", k_key}});
  ChatRequest request = user_request("x");
  request.max_tokens = 900;
  ASSERT_TRUE(make_chat_provider("azure:prod-judge", settings)->chat(request).ok());
  EXPECT_EQ(server.last_request()["body"]["max_tokens"], 900);  // the name does not tell: the plain body
  settings.reasoning_model = true;
  ASSERT_TRUE(make_chat_provider("azure:prod-judge", settings)->chat(request).ok());
  const json body = server.last_request()["body"];
  EXPECT_EQ(body["max_completion_tokens"], 900);
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_FALSE(body.contains("temperature"));
  ASSERT_TRUE(
      make_chat_provider("azure:o4-mini", settings_with_env({{"AZURE_OPENAI_ENDPOINT", server.base_url()},
                                                             {"AZURE_OPENAI_API_KEY", k_key}}))
          ->chat(request)
          .ok());
  EXPECT_EQ(server.last_request()["body"]["max_completion_tokens"], 900);  // a deployment named after one
}

}  // namespace
}  // namespace judge::llm
