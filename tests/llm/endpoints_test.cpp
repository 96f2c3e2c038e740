// SPDX-License-Identifier: MIT
// Several endpoints for one judge: the base_url list, the least-in-flight choice, rests with backoff, and a
// call sent to another endpoint when one fails. Time is a fake clock: no test waits.
#include "judge/llm/endpoints.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "../fake_llm_server/fake_server.hpp"
#include "../support.hpp"
#include "judge/llm/cache.hpp"
#include "judge/llm/registry.hpp"
#include "judge/util/error.hpp"

namespace judge::llm {
namespace {

std::string parse_error(const std::string& text) {
  try {
    parse_endpoints(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ParseEndpoints, ReadsUrlsAndTheirJobs) {
  const auto list = parse_endpoints(" http://a:8000/v1#jobs=8 ,https://b/v1,http://c/v1#jobs=1");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].url, "http://a:8000/v1");
  EXPECT_EQ(list[0].jobs, 8u);
  EXPECT_EQ(list[1].url, "https://b/v1");
  EXPECT_EQ(list[1].jobs, 0u);
  EXPECT_EQ(list[2].url, "http://c/v1");
  EXPECT_EQ(list[2].jobs, 1u);
  EXPECT_TRUE(parse_endpoints("").empty());
  EXPECT_TRUE(parse_endpoints("  ").empty());
  ASSERT_EQ(parse_endpoints("http://one").size(), 1u);
}

TEST(ParseEndpoints, BadEntriesAreErrorsSayingWhatToWrite) {
  EXPECT_EQ(
      parse_error("http://a#jobs=0"),
      "base_url entry \"http://a#jobs=0\": \"#jobs=0\" is not #jobs=N with N a whole number of 1 or more "
      "(write URL or URL#jobs=N, e.g. http://gpu1:8000/v1#jobs=8)");
  EXPECT_NE(parse_error("http://a#jobs=x").find("\"#jobs=x\" is not #jobs=N"), std::string::npos);
  EXPECT_NE(parse_error("http://a#jobs=-2").find("\"#jobs=-2\" is not #jobs=N"), std::string::npos);
  EXPECT_NE(parse_error("http://a#threads=2").find("\"#threads=2\" is not #jobs=N"), std::string::npos);
  EXPECT_EQ(parse_error("http://a,gpu2:8000"),
            "base_url entry \"gpu2:8000\" is not a URL starting with http:// or https:// (write URL or "
            "URL#jobs=N, e.g. http://gpu1:8000/v1#jobs=8; several URLs are separated by commas)");
  EXPECT_NE(parse_error("http://a,,http://b").find("has an empty entry between commas"), std::string::npos);
  EXPECT_NE(parse_error("http://a,").find("has an empty entry between commas"), std::string::npos);
}

TEST(EndpointBalancer, PicksTheEndpointWithTheFewestRequestsInFlight) {
  EndpointBalancer b({0, 0, 0});
  // Nothing in flight, nothing started: the lowest index.
  EXPECT_EQ(b.pick(0), 0u);
  b.start(0);
  EXPECT_EQ(b.pick(0), 1u);
  b.start(1);
  EXPECT_EQ(b.pick(0), 2u);
  b.start(2);
  b.start(2);  // in flight: 1, 1, 2
  EXPECT_EQ(b.pick(0), 0u);
  b.succeeded(1);  // 1, 0, 2
  EXPECT_EQ(b.pick(0), 1u);
  EXPECT_EQ(b.in_flight(1), 0u);
  // Ties in flight go to the endpoint that started fewer calls: all idle, started 1, 1, 2 -> 0 (then index).
  b.succeeded(0);
  b.succeeded(2);
  b.succeeded(2);
  EXPECT_EQ(b.pick(0), 0u);
  b.start(0);
  b.succeeded(0);  // started 2, 1, 2: endpoint 1
  EXPECT_EQ(b.pick(0), 1u);
}

TEST(EndpointBalancer, SkipsTriedEndpointsAndThoseAtTheirCap) {
  EndpointBalancer b({1, 2});
  b.start(0);  // endpoint 0 at its cap of 1
  EXPECT_EQ(b.pick(0), 1u);
  b.start(1);
  EXPECT_EQ(b.pick(0), 1u);  // 1 of 2 in flight at endpoint 1, endpoint 0 full
  b.start(1);
  EXPECT_EQ(b.pick(0), std::nullopt);
  EXPECT_TRUE(b.any_busy(0));
  b.succeeded(0);
  EXPECT_EQ(b.pick(0), 0u);
  EXPECT_EQ(b.pick(0, {true, false}), std::nullopt);  // endpoint 0 tried, endpoint 1 full
  EXPECT_EQ(b.pick(0, {true, true}), std::nullopt);
  EXPECT_FALSE(b.any_busy(0, {false, true}));  // endpoint 0 is free, endpoint 1 (busy) tried
}

TEST(EndpointBalancer, AFailedEndpointRestsWithExponentialBackoffThenTakesOneProbe) {
  EndpointBalancer b({0, 0}, RestPolicy{1.0, 2.0, 5.0});
  b.start(0);
  b.failed(0, 100.0);  // first failure: rests 1 s
  EXPECT_EQ(b.failures(0), 1);
  EXPECT_DOUBLE_EQ(b.rest_until(0), 101.0);
  EXPECT_EQ(b.pick(100.5), 1u);
  EXPECT_EQ(b.pick(100.5, {false, true}), std::nullopt);
  EXPECT_EQ(b.next_rest_end(100.5), 101.0);
  EXPECT_FALSE(b.any_busy(100.5, {false, true}));
  // Rest over: on probation, one call at a time.
  b.start(1);
  b.start(1);
  EXPECT_EQ(b.pick(101.0), 0u);
  b.start(0);
  EXPECT_EQ(b.pick(101.0, {false, true}), std::nullopt);
  EXPECT_TRUE(b.any_busy(101.0, {false, true}));
  b.failed(0, 101.5);  // second failure in a row: 2 s
  EXPECT_DOUBLE_EQ(b.rest_until(0), 103.5);
  b.start(0);
  b.failed(0, 103.5);  // third: 4 s
  EXPECT_DOUBLE_EQ(b.rest_until(0), 107.5);
  b.start(0);
  b.failed(0, 107.5);  // fourth: 8 s, capped at 5
  EXPECT_DOUBLE_EQ(b.rest_until(0), 112.5);
  EXPECT_EQ(b.next_rest_end(110.0), 112.5);
  EXPECT_EQ(b.next_rest_end(113.0), std::nullopt);
  // A success ends the probation and the count of failures: the next failure rests 1 s again.
  b.start(0);
  b.succeeded(0);
  EXPECT_EQ(b.failures(0), 0);
  b.start(0);
  b.start(0);  // no cap again
  EXPECT_EQ(b.in_flight(0), 2u);
  b.failed(0, 200.0);
  EXPECT_DOUBLE_EQ(b.rest_until(0), 201.0);
  // A failure of a call started before a longer rest was set does not shorten that rest.
  b.failed(0, 200.5);  // second in a row: 2 s from 200.5 = 202.5
  EXPECT_DOUBLE_EQ(b.rest_until(0), 202.5);
}

// A provider that answers from a script and counts its calls; a step may advance the fake clock.
class ScriptedProvider : public ChatProvider {
 public:
  explicit ScriptedProvider(std::string name, std::deque<ChatResult> script, int* calls)
      : m_name(std::move(name)), m_script(std::move(script)), m_calls(calls) {}
  std::string spec() const override { return "test:" + m_name; }
  ChatResult chat(const ChatRequest&) override {
    ++*m_calls;
    if (m_script.empty()) return ok(m_name);
    ChatResult r = m_script.front();
    m_script.pop_front();
    return r;
  }
  static ChatResult ok(const std::string& content) {
    ChatResponse response;
    response.content = content;
    return ChatResult{response, std::nullopt};
  }
  static ChatResult fail(ErrorKind kind, bool unreachable = false) {
    ChatResult r = chat_error(kind, "failed");
    r.error->unreachable = unreachable;
    return r;
  }

 private:
  std::string m_name;
  std::deque<ChatResult> m_script;
  int* m_calls;
};

struct Clock {
  double now = 1000;
  std::vector<double> sleeps;
  SleepFunction sleep() {
    return [this](double s) {
      sleeps.push_back(s);
      now += s;
    };
  }
  NowFunction time() {
    return [this] { return now; };
  }
};

std::unique_ptr<BalancedProvider> balanced(std::vector<std::deque<ChatResult>> scripts,
                                           std::vector<int>& calls, Clock& clock,
                                           std::vector<std::size_t> caps = {}) {
  std::vector<std::unique_ptr<ChatProvider>> providers;
  calls.assign(scripts.size(), 0);
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    std::string name = "e";
    name += std::to_string(i);
    providers.push_back(std::make_unique<ScriptedProvider>(name, std::move(scripts[i]), &calls[i]));
  }
  if (caps.empty()) caps.assign(providers.size(), 0);
  return std::make_unique<BalancedProvider>("test:model", std::move(providers), std::move(caps), RestPolicy{},
                                            clock.sleep(), clock.time());
}

TEST(BalancedProvider, ACallThatFailsOnOneEndpointIsSentToAnother) {
  Clock clock;
  std::vector<int> calls;
  auto p = balanced({{ScriptedProvider::fail(ErrorKind::network)}, {}, {}}, calls, clock);
  const ChatResult r = p->chat({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response->content, "e1");
  EXPECT_EQ(calls, (std::vector<int>{1, 1, 0}));
  // Endpoint 0 rests (1 s): the next calls go to 2 (never started one), then 1 and 2 in turn.
  EXPECT_EQ(p->chat({}).response->content, "e2");
  EXPECT_EQ(p->chat({}).response->content, "e1");
  EXPECT_EQ(p->chat({}).response->content, "e2");
  EXPECT_EQ(calls, (std::vector<int>{1, 2, 2}));
  // Its rest over, endpoint 0 takes a call again (and, answering, leaves probation).
  clock.now += 1.0;
  EXPECT_EQ(p->chat({}).response->content, "e0");
  EXPECT_TRUE(clock.sleeps.empty());
}

TEST(BalancedProvider, RefusedConnectionsAndServerErrorsAndTimeoutsMoveTheCallOn) {
  Clock clock;
  std::vector<int> calls;
  auto p = balanced({{ScriptedProvider::fail(ErrorKind::config, true)},
                     {ScriptedProvider::fail(ErrorKind::server)},
                     {ScriptedProvider::fail(ErrorKind::timeout)},
                     {}},
                    calls, clock);
  const ChatResult r = p->chat({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response->content, "e3");
  EXPECT_EQ(calls, (std::vector<int>{1, 1, 1, 1}));
}

TEST(BalancedProvider, OtherFailuresAreReturnedAtOnce) {
  Clock clock;
  std::vector<int> calls;
  auto p = balanced({{ScriptedProvider::fail(ErrorKind::bad_response)}, {}}, calls, clock);
  const ChatResult r = p->chat({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, ErrorKind::bad_response);
  EXPECT_EQ(r.error->message, "failed");
  EXPECT_EQ(calls, (std::vector<int>{1, 0}));
  EXPECT_EQ(p->chat({}).response->content, "e1");  // endpoint 0 was not rested: it started a call already
}

TEST(BalancedProvider, WhenEveryEndpointFailsTheRetryableErrorIsReturned) {
  Clock clock;
  std::vector<int> calls;
  auto p = balanced(
      {{ScriptedProvider::fail(ErrorKind::server)}, {ScriptedProvider::fail(ErrorKind::config, true)}}, calls,
      clock);
  const ChatResult r = p->chat({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "failed (all 2 endpoints failed)");
  EXPECT_EQ(calls, (std::vector<int>{1, 1}));
  EXPECT_TRUE(clock.sleeps.empty());  // each endpoint tried once, no waiting
}

TEST(BalancedProvider, EveryEndpointRefusingIsAConfigurationError) {
  Clock clock;
  std::vector<int> calls;
  auto p = balanced(
      {{ScriptedProvider::fail(ErrorKind::config, true)}, {ScriptedProvider::fail(ErrorKind::config, true)}},
      calls, clock);
  const ChatResult r = p->chat({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, ErrorKind::config);
  EXPECT_TRUE(stops_the_run(r.error->kind));
}

TEST(BalancedProvider, ACallWaitsForTheFirstRestToEndWhenEveryEndpointRests) {
  Clock clock;
  std::vector<int> calls;
  auto p = balanced({{ScriptedProvider::fail(ErrorKind::network), ScriptedProvider::fail(ErrorKind::network)},
                     {ScriptedProvider::fail(ErrorKind::network)}},
                    calls, clock);
  EXPECT_FALSE(p->chat({}).ok());  // both fail at t=1000: both rest until 1001
  clock.now += 0.25;
  // The next call waits 0.75 s for endpoint 0's rest to end; it fails again (rest 2 s) and the call goes to
  // endpoint 1, whose rest is over by then, and which answers.
  const ChatResult r = p->chat({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response->content, "e1");
  EXPECT_EQ(clock.sleeps, (std::vector<double>{0.75}));
  EXPECT_EQ(calls, (std::vector<int>{2, 2}));
  EXPECT_EQ(p->calls(), (std::vector<std::size_t>{2, 2}));
}

// The cache key is the provider's spec and the request, not the URL: the same model behind another URL (or a
// list of URLs) answers from the cache without a call.
TEST(EndpointsCache, TheSameModelBehindAnotherUrlSharesTheCache) {
  test::FakeLlmServer a, b;
  test::TempDir dir("endpoints_cache");
  auto cache = std::make_shared<ResponseCache>(dir.path() / "cache.sqlite");
  ChatRequest request;
  request.messages = {{"user", "hello"}};
  ProviderSettings settings;
  settings.base_url = a.openai_base_url();
  CachingProvider first(make_chat_provider("openai:m", settings), cache, CacheMode::read_write);
  ASSERT_TRUE(first.chat(request).ok());
  settings.base_url = b.openai_base_url() + "," + a.openai_base_url() + "#jobs=2";
  CachingProvider second(make_chat_provider("openai:m", settings), cache, CacheMode::read_write);
  const ChatResult r = second.chat(request);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.response->from_cache);
  EXPECT_EQ(a.request_count(), 1);
  EXPECT_EQ(b.request_count(), 0);
}

// Two real endpoints: calls spread over both (least in flight, ties to the one that started fewer).
TEST(EndpointsCache, AListOfUrlsSpreadsTheCallsOverTheServers) {
  test::FakeLlmServer a, b;
  ProviderSettings settings;
  settings.base_url = a.openai_base_url() + "," + b.openai_base_url();
  auto p = make_chat_provider("openai:m", settings);
  ChatRequest request;
  request.messages = {{"user", "x"}};
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(p->chat(request).ok());
  EXPECT_EQ(a.request_count(), 2);
  EXPECT_EQ(b.request_count(), 2);
}

}  // namespace
}  // namespace judge::llm
