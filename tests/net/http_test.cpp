// SPDX-License-Identifier: MIT
#include "judge/net/http.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../fake_llm_server/fake_server.hpp"

namespace judge::net {
namespace {

TEST(RetryAfter, SecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("120", 0), 120.0);
  EXPECT_EQ(parse_retry_after(" 0 ", 0), 0.0);
  EXPECT_EQ(parse_retry_after("1.5", 0), 1.5);
  // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example; `date -u -d @784111777`).
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30), 30.0);
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", 784111777 - 30), 30.0);  // obsolete RFC 850
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 5), 0.0);     // in the past
  EXPECT_FALSE(parse_retry_after("", 0));
  EXPECT_FALSE(parse_retry_after("-3", 0));
  EXPECT_FALSE(parse_retry_after("soon", 0));
  EXPECT_FALSE(parse_retry_after("1.2.3", 0));
}

TEST(UrlEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(url_encode("my-model_v1.2~x"), "my-model_v1.2~x");
  EXPECT_EQ(url_encode("a b/c?d&e=é"), "a%20b%2Fc%3Fd%26e%3D%C3%A9");
}

TEST(Http, PostsHeadersAndBodyAndReadsTheResponse) {
  judge::test::FakeLlmServer server;
  HttpRequest request;
  request.url = server.openai_base_url() + "/chat/completions";
  request.headers = {{"Authorization", "Bearer abc"}, {"X-Custom", "1"}};
  request.body = R"({"model": "m", "messages": []})";
  const HttpResult result = perform(request);
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.response->status, 200);
  EXPECT_EQ(result.response->header("CONTENT-TYPE").value_or(""), "application/json");
  EXPECT_FALSE(result.response->header("x-nothing"));
  EXPECT_NE(result.response->body.find("chat.completion"), std::string::npos);
  const auto seen = server.last_request();
  EXPECT_EQ(seen["headers"]["authorization"], "Bearer abc");
  EXPECT_EQ(seen["headers"]["x-custom"], "1");
  EXPECT_EQ(seen["body"]["model"], "m");
}

TEST(Http, ErrorStatusesAreResponses) {
  judge::test::FakeLlmServer server;
  server.script({{{"type", "rate_limit"}, {"retry_after", "9"}}});
  HttpRequest request;
  request.url = server.openai_base_url() + "/chat/completions";
  request.body = "{}";
  const HttpResult result = perform(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response->status, 429);
  EXPECT_EQ(result.response->header("Retry-After").value_or(""), "9");
}

TEST(Http, TimeoutDropAndRefusedConnection) {
  judge::test::FakeLlmServer server;
  server.script({{{"type", "reply"}, {"delay", 3}}, {{"type", "drop"}}});
  HttpRequest request;
  request.url = server.openai_base_url() + "/chat/completions";
  request.headers = {{"Authorization", "Bearer very-secret-token"}};
  request.body = "{}";
  request.timeout_seconds = 0.3;
  HttpResult result = perform(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, FailureKind::timeout);
  EXPECT_EQ(result.failure->message.find("very-secret-token"), std::string::npos);
  request.timeout_seconds = 5;
  result = perform(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, FailureKind::network);
  request.url = "http://127.0.0.1:1/v1/chat/completions?api-version=x";
  result = perform(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, FailureKind::unreachable);                  // nothing listens on port 1
  EXPECT_EQ(result.failure->message.find("api-version"), std::string::npos);  // no query in messages
}

TEST(Http, ManyThreadsAtOnce) {
  judge::test::FakeLlmServer server(0.2);  // every reply after 200 ms
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        HttpRequest request;
        request.url = server.openai_base_url() + "/chat/completions";
        request.body = "{}";
        const HttpResult r = perform(request);
        if (r.ok() && r.response->status == 200) ++ok;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 48);
  const auto stats = server.stats();
  EXPECT_EQ(stats["requests"], 48);
  EXPECT_GE(stats["max_in_flight"].get<int>(), 8);  // they really overlapped
}

}  // namespace
}  // namespace judge::net
