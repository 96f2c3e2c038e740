// SPDX-License-Identifier: MIT
#include "judge/llm/http_call.hpp"
#include "judge/llm/registry.hpp"

#include <gtest/gtest.h>

#include "judge/util/error.hpp"
#include "provider_env.hpp"

namespace judge::llm {
namespace {

using judge::test::settings_with_env;

/// The message of the judge::Error that `make` throws, and its exit code.
template <typename F>
std::pair<std::string, ExitCode> error_of(F make) {
  try {
    make();
  } catch (const Error& e) {
    return {e.what(), e.code()};
  }
  ADD_FAILURE() << "no judge::Error thrown";
  return {"", ExitCode::ok};
}

TEST(Registry, UnknownProviderNamesTheKnownOnes) {
  const auto [message, code] = error_of([] { make_chat_provider("nope:model", settings_with_env({})); });
  EXPECT_EQ(code, ExitCode::usage);
  EXPECT_NE(message.find("\"nope\""), std::string::npos);
  for (const auto& name : chat_provider_names()) EXPECT_NE(message.find(name), std::string::npos) << name;
}

TEST(Registry, SpecWithoutModelIsAUsageError) {
  EXPECT_EQ(error_of([] { make_chat_provider("openai", settings_with_env({})); }).second, ExitCode::usage);
  EXPECT_EQ(error_of([] { make_chat_provider("openai:  ", settings_with_env({})); }).second, ExitCode::usage);
  EXPECT_EQ(error_of([] { make_chat_provider(":m", settings_with_env({})); }).second, ExitCode::usage);
}

// A missing key names its variable and the base URL that needs it, with where that base URL came from.
TEST(Registry, MissingKeySaysWhichBaseUrlNeedsIt) {
  EXPECT_EQ(error_of([] { make_chat_provider("openai:gpt-4.1", settings_with_env({})); }).first,
            "openai:gpt-4.1 needs the environment variable OPENAI_API_KEY (it is not set) to call "
            "https://api.openai.com/v1 (the default: no base URL given and OPENAI_BASE_URL not set)");
  EXPECT_EQ(error_of([] {
              make_chat_provider("anthropic:claude-sonnet-4-5",
                                 settings_with_env({{"ANTHROPIC_BASE_URL", "https://api.anthropic.com/"}}));
            }).first,
            "anthropic:claude-sonnet-4-5 needs the environment variable ANTHROPIC_API_KEY (it is not set) to "
            "call https://api.anthropic.com (from ANTHROPIC_BASE_URL)");
  auto given = settings_with_env({});
  given.base_url = "https://example-resource.openai.azure.com/";
  EXPECT_EQ(error_of([&] { make_chat_provider("azure:d", given); }).first,
            "azure:d needs the environment variable AZURE_OPENAI_API_KEY (it is not set) to call "
            "https://example-resource.openai.azure.com (the base URL given)");
}

TEST(Registry, MissingRequiredVariablesAreNamed) {
  EXPECT_NE(error_of([] {
              make_chat_provider("openai:gpt-4.1-mini", settings_with_env({}));
            }).first.find("OPENAI_API_KEY"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              make_chat_provider("azure:d", settings_with_env({{"AZURE_OPENAI_API_KEY", "k"}}));
            }).first.find("AZURE_OPENAI_ENDPOINT"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              make_chat_provider("azure:d", settings_with_env({{"AZURE_OPENAI_ENDPOINT", "http://x"}}));
            }).first.find("AZURE_OPENAI_API_KEY"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              make_chat_provider("databricks:e", settings_with_env({{"DATABRICKS_HOST", "h"}}));
            }).first.find("DATABRICKS_TOKEN"),
            std::string::npos);
}

// An offline provider (dry run, replay-only cache) is never called: it is built without keys or endpoints
// (the same settings online throw, MissingRequiredVariablesAreNamed).
TEST(Registry, OfflineProvidersNeedNoKeyNorEndpoint) {
  auto settings = settings_with_env({});
  settings.offline = true;
  for (const std::string spec :
       {"openai:gpt-4.1-mini", "anthropic:claude-sonnet-4-5", "azure:d", "databricks:e"})
    EXPECT_EQ(make_chat_provider(spec, settings)->spec(), spec);
}

TEST(Registry, SpecIsKeptAndHoldsNoKey) {
  const auto p =
      make_chat_provider("openai:gpt-4.1-mini", settings_with_env({{"OPENAI_API_KEY", "sk-abcdef"}}));
  EXPECT_EQ(p->spec(), "openai:gpt-4.1-mini");
}

TEST(Registry, EmbeddingProviders) {
  EXPECT_EQ(
      make_embedding_provider("openai:text-embedding-3-small", settings_with_env({{"OPENAI_API_KEY", "k"}}))
          ->spec(),
      "openai:text-embedding-3-small");
  EXPECT_EQ(error_of([] { make_embedding_provider("anthropic:x", settings_with_env({})); }).second,
            ExitCode::usage);
}

}  // namespace
}  // namespace judge::llm

TEST(ScrubSecrets, KeysAndUrlCredentialsAreMasked) {
  using judge::llm::scrub_secrets;
  EXPECT_EQ(scrub_secrets("bad key sk-abcdef123 given", {"sk-abcdef123"}), "bad key *** given");
  EXPECT_EQ(scrub_secrets("POST http://user:pw@127.0.0.1:9/v1/chat/completions failed", {}),
            "POST http://***@127.0.0.1:9/v1/chat/completions failed");
  EXPECT_EQ(scrub_secrets("see https://example.com/a@b", {}), "see https://example.com/a@b");
}
