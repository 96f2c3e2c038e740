// SPDX-License-Identifier: MIT
// Usage accounting and prices (the cost side of the cache's accounting).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "../scoring/llm_fake_provider.hpp"
#include "../support.hpp"
#include "judge/llm/pricing.hpp"
#include "judge/llm/usage.hpp"
#include "judge/util/error.hpp"

using namespace judge;
using test::FakeProvider;

TEST(LlmUsage, CountsCallsCachedRepliesErrorsAndTokens) {
  auto fake = std::make_shared<FakeProvider>();
  auto cached = FakeProvider::reply("c", 50, 5);
  cached.response->from_cache = true;
  fake->script = {FakeProvider::reply("a", 100, 10), FakeProvider::reply("b", 200, 20), cached,
                  FakeProvider::failure(llm::ErrorKind::server),
                  FakeProvider::failure(llm::ErrorKind::not_in_cache)};
  auto meter = std::make_shared<llm::UsageMeter>();
  llm::MeteredProvider p(fake, meter);
  for (int i = 0; i < 5; ++i) p.chat({});
  const auto t = meter->totals();
  EXPECT_EQ(t.calls, 3);     // two replies and the server error reached the provider
  EXPECT_EQ(t.answered, 2);  // the mean latency is over these two: the error has no reply to time
  EXPECT_EQ(t.cached, 1);
  EXPECT_EQ(t.errors, 2);
  EXPECT_EQ(t.input_tokens, 300);
  EXPECT_EQ(t.output_tokens, 30);
  EXPECT_NEAR(t.latency_seconds, 0.4, 1e-12);
}

TEST(LlmPricing, BuiltinFileOverrideAndCost) {
  auto table = llm::PriceTable::builtin();
  ASSERT_TRUE(table.find("openai:gpt-4.1-mini"));
  // 1M input at $0.40 + 0.5M output at $1.60 = $1.20.
  EXPECT_NEAR(llm::PriceTable::cost(*table.find("openai:gpt-4.1-mini"), 1'000'000, 500'000), 1.20, 1e-12);
  EXPECT_FALSE(table.find("openai:my-local-model"));

  const test::TempDir dir("judge_prices");
  const auto path = dir / "prices.json";
  std::ofstream(path) << R"({"schema_version": 1, "prices": {"openai:my-local-model": {"input_per_million": 0,
      "output_per_million": 0}, "gpt-4.1-mini": {"input_per_million": 1, "output_per_million": 2}}})";
  table.load_file(path);
  ASSERT_TRUE(table.find("openai:my-local-model"));
  EXPECT_EQ(table.find("azure:gpt-4.1-mini")->output_per_million, 2.0);

  std::ofstream(path) << R"({"schema_version": 1, "prices": {"m": {"input_per_million": "cheap"}}})";
  try {
    table.load_file(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              path.string() + ": prices.m needs numbers input_per_million and output_per_million");
  }
  // A schema_version of 1e300 was cast to int (undefined behaviour); "1" escaped as a JSON type error.
  for (const char* version : {"1e300", "\"1\"", "2"}) {
    std::ofstream(path) << R"({"schema_version": )" << version << R"(, "prices": {}})";
    try {
      table.load_file(path);
      FAIL() << version;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), path.string() + ": schema_version must be 1") << version;
    }
  }
}
