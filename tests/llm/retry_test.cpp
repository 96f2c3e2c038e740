// SPDX-License-Identifier: MIT
#include "judge/llm/retry.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "../fake_llm_server/fake_server.hpp"
#include "judge/llm/registry.hpp"
#include "provider_env.hpp"

namespace judge::llm {
namespace {

using judge::test::user_request;
using nlohmann::json;

/// Returns queued results in order (the last one forever), counting calls.
class ScriptedProvider : public ChatProvider {
 public:
  explicit ScriptedProvider(std::deque<ChatResult> results) : m_results(std::move(results)) {}
  std::string spec() const override { return "scripted:x"; }
  ChatResult chat(const ChatRequest&) override {
    ++calls;
    ChatResult r = m_results.front();
    if (m_results.size() > 1) m_results.pop_front();
    return r;
  }
  int calls = 0;

 private:
  std::deque<ChatResult> m_results;
};

ChatResult failure(ErrorKind kind, std::optional<double> retry_after = std::nullopt) {
  ChatResult r;
  r.error = ProviderError{kind, "failed", 0, retry_after};
  return r;
}

ChatResult success() {
  ChatResult r;
  r.response = ChatResponse{};
  r.response->content = "ok";
  return r;
}

struct Harness {
  std::vector<double> sleeps;
  std::shared_ptr<ScriptedProvider> inner;
  std::unique_ptr<RetryingProvider> provider;
  Harness(std::deque<ChatResult> results, RetryPolicy policy = {}) {
    inner = std::make_shared<ScriptedProvider>(std::move(results));
    provider = std::make_unique<RetryingProvider>(
        inner, policy, [this](double s) { sleeps.push_back(s); }, 42);
  }
};

TEST(Retry, RetriesRetryableKindsWithGrowingJitteredWaits) {
  Harness h(
      {failure(ErrorKind::server), failure(ErrorKind::timeout), failure(ErrorKind::network), success()});
  const ChatResult result = h.provider->chat(user_request("x"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(h.inner->calls, 4);
  ASSERT_EQ(h.sleeps.size(), 3u);
  // Defaults: initial 1 s, multiplier 2: attempt k waits within [d/2, d], d = 2^(k-1).
  for (std::size_t k = 0; k < 3; ++k) {
    const double d = double(1 << k);
    EXPECT_GE(h.sleeps[k], d / 2) << k;
    EXPECT_LE(h.sleeps[k], d) << k;
  }
  EXPECT_EQ(h.provider->spec(), "scripted:x");
}

TEST(Retry, WaitsAreCappedAtMaxBackoff) {
  RetryPolicy policy;
  policy.max_attempts = 8;
  policy.max_backoff_seconds = 3;
  Harness h({failure(ErrorKind::server)}, policy);
  EXPECT_FALSE(h.provider->chat(user_request("x")).ok());
  ASSERT_EQ(h.sleeps.size(), 7u);
  for (const double s : h.sleeps) EXPECT_LE(s, 3.0);
  EXPECT_GE(h.sleeps.back(), 1.5);
}

TEST(Retry, HonoursRetryAfter) {
  Harness h({failure(ErrorKind::rate_limited, 7.0), success()});
  ASSERT_TRUE(h.provider->chat(user_request("x")).ok());
  EXPECT_EQ(h.sleeps, std::vector<double>{7.0});
}

TEST(Retry, GivesUpWhenRetryAfterIsTooLong) {
  Harness h({failure(ErrorKind::rate_limited, 3600.0), success()});
  const ChatResult result = h.provider->chat(user_request("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(h.inner->calls, 1);
  EXPECT_EQ(result.error->message, "failed");
}

TEST(Retry, DoesNotRetryOtherKinds) {
  for (const ErrorKind kind : {ErrorKind::auth, ErrorKind::context_length, ErrorKind::bad_response,
                               ErrorKind::refused, ErrorKind::config, ErrorKind::not_in_cache}) {
    Harness h({failure(kind), success()});
    const ChatResult result = h.provider->chat(user_request("x"));
    ASSERT_FALSE(result.ok()) << to_string(kind);
    EXPECT_EQ(result.error->kind, kind);
    EXPECT_EQ(h.inner->calls, 1) << to_string(kind);
    EXPECT_TRUE(h.sleeps.empty());
  }
}

TEST(Retry, StopsAfterMaxAttemptsAndSaysSo) {
  RetryPolicy policy;
  policy.max_attempts = 3;
  Harness h({failure(ErrorKind::server)}, policy);
  const ChatResult result = h.provider->chat(user_request("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(h.inner->calls, 3);
  EXPECT_EQ(h.sleeps.size(), 2u);
  EXPECT_EQ(result.error->kind, ErrorKind::server);
  EXPECT_EQ(result.error->message, "failed (after 3 attempts)");
}

TEST(Retry, OneAttemptMeansNoRetry) {
  RetryPolicy policy;
  policy.max_attempts = 1;
  Harness h({failure(ErrorKind::server), success()}, policy);
  EXPECT_FALSE(h.provider->chat(user_request("x")).ok());
  EXPECT_EQ(h.inner->calls, 1);
}

TEST(Retry, RegistryProvidersRetry429ThenDropThen500ThenReply) {
  judge::test::FakeLlmServer server;
  server.script(json::array({{{"type", "rate_limit"}, {"retry_after", "2"}},
                             {{"type", "drop"}},
                             {{"type", "error"}, {"status", 500}},
                             {{"type", "reply"}, {"content", "finally"}}}));
  // make_chat_provider wraps every provider in RetryingProvider with settings.retry and settings.sleep.
  std::vector<double> sleeps;
  auto settings = judge::test::settings_with_env({}, server.openai_base_url());
  settings.retry = RetryPolicy{};
  settings.sleep = [&](double s) { sleeps.push_back(s); };
  const ChatResult result = make_chat_provider("openai:m", settings)->chat(user_request("x"));
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.response->content, "finally");
  EXPECT_EQ(server.request_count(), 4);
  ASSERT_EQ(sleeps.size(), 3u);
  EXPECT_DOUBLE_EQ(sleeps[0], 2.0);  // Retry-After
  EXPECT_GE(sleeps[1], 1.0);         // attempt 2: [1, 2]
  EXPECT_LE(sleeps[1], 2.0);
}

TEST(Retry, RegistryProvidersHonourRetryAfterHttpDate) {
  judge::test::FakeLlmServer server;
  server.script(json::array({{{"type", "rate_limit"}, {"retry_after", "Wed, 21 Oct 2015 07:28:00 GMT"}}}));
  std::vector<double> sleeps;
  auto settings = judge::test::settings_with_env({}, server.openai_base_url());
  settings.retry = RetryPolicy{};
  settings.sleep = [&](double s) { sleeps.push_back(s); };
  ASSERT_TRUE(make_chat_provider("openai:m", settings)->chat(user_request("x")).ok());
  EXPECT_EQ(sleeps, std::vector<double>{0.0});  // a date in the past: retry at once
}

}  // namespace
}  // namespace judge::llm

// One policy per failure kind, as docs/providers.md lists it.
TEST(FailurePolicy, EachKindHasOneMeaning) {
  using judge::llm::ErrorKind;
  using judge::llm::FailurePolicy;
  using judge::llm::policy_of;
  for (auto k : {ErrorKind::rate_limited, ErrorKind::timeout, ErrorKind::server, ErrorKind::network})
    EXPECT_EQ(policy_of(k), FailurePolicy::retry) << judge::llm::to_string(k);
  for (auto k : {ErrorKind::auth, ErrorKind::config}) {
    EXPECT_EQ(policy_of(k), FailurePolicy::stop) << judge::llm::to_string(k);
    EXPECT_TRUE(judge::llm::stops_the_run(k));
    EXPECT_FALSE(judge::llm::is_retryable(k));
  }
  for (auto k :
       {ErrorKind::context_length, ErrorKind::bad_response, ErrorKind::refused, ErrorKind::not_in_cache})
    EXPECT_EQ(policy_of(k), FailurePolicy::unscored) << judge::llm::to_string(k);
}
