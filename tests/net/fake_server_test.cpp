// SPDX-License-Identifier: MIT
// The loopback server's scripting, which the provider, judge and alignment tests rely on.
#include "../fake_llm_server/fake_server.hpp"

#include <gtest/gtest.h>

namespace judge::test {
namespace {

using nlohmann::json;

/// POSTs `body` to `path` on `server` and returns (status, parsed body or the raw text as a JSON string).
std::pair<int, json> post(const FakeLlmServer& server, const std::string& path, const json& body) {
  net::HttpRequest request;
  request.url = server.base_url() + path;
  request.body = body.dump();
  const net::HttpResult result = net::perform(request);
  if (!result.ok()) return {0, result.failure->message};
  return {result.response->status, json::parse(result.response->body, nullptr, false)};
}

std::string chat_content(const json& reply) { return reply["choices"][0]["message"]["content"]; }

TEST(FakeServer, MatchPicksTheBehaviourByRequestText) {
  FakeLlmServer server;
  server.script({{{"match", "notebook-B"}, {"content", "for B"}}, {{"content", "first unmatched"}}});
  EXPECT_EQ(chat_content(post(server, "/v1/chat/completions", {{"messages", "notebook-A"}}).second),
            "first unmatched");
  EXPECT_EQ(chat_content(post(server, "/v1/chat/completions", {{"messages", "notebook-B"}}).second), "for B");
  EXPECT_EQ(chat_content(post(server, "/v1/chat/completions", {{"messages", "notebook-B"}}).second),
            R"({"score": 3, "rationale": "fake server default reply"})");
}

TEST(FakeServer, DefaultBehaviourAndReset) {
  FakeLlmServer server;
  server.script(json::array(), {{"type", "error"}, {"status", 503}});
  EXPECT_EQ(post(server, "/v1/chat/completions", json::object()).first, 503);
  EXPECT_EQ(post(server, "/v1/messages", json::object()).first, 503);
  EXPECT_EQ(server.stats()["by_path"], json::parse(R"({"/v1/chat/completions": 1, "/v1/messages": 1})"));
  server.reset();
  EXPECT_EQ(post(server, "/v1/chat/completions", json::object()).first, 200);
  EXPECT_EQ(server.request_count(), 1);
  EXPECT_EQ(server.log().size(), 1u);
}

TEST(FakeServer, AnthropicAnswersTextWhenToldToIgnoreTheTool) {
  FakeLlmServer server;
  server.script({{{"as_text", true}, {"content", "Score: 2"}}});
  const json reply =
      post(server, "/v1/messages", {{"tool_choice", {{"type", "tool"}, {"name", "v"}}}}).second;
  EXPECT_EQ(reply["content"][0]["type"], "text");
  EXPECT_EQ(reply["content"][0]["text"], "Score: 2");
  EXPECT_EQ(reply["stop_reason"], "end_turn");
}

TEST(FakeServer, UnknownPathsAre404AndNotCounted) {
  FakeLlmServer server;
  EXPECT_EQ(post(server, "/v2/other", json::object()).first, 404);
  EXPECT_EQ(server.request_count(), 0);
}

}  // namespace
}  // namespace judge::test
