// SPDX-License-Identifier: MIT
#include "judge/llm/registry.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../support.hpp"
#include "judge/llm/http_call.hpp"
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
  // The providers named are those with embeddings, for a known scheme or not.
  for (const std::string spec : {"anthropic:x", "nope:x"})
    EXPECT_EQ(error_of([&] { make_embedding_provider(spec, settings_with_env({})); }).first,
              "unknown embeddings provider \"" + spec.substr(0, spec.find(':')) + "\" in \"" + spec +
                  "\" (providers: openai)");
}

// The table holds every spec scheme, the offline judge's (the default) first, each once.
TEST(Registry, TheTableHasEveryProviderOnce) {
  std::vector<std::string> schemes;
  for (const auto& p : providers()) schemes.emplace_back(p.scheme);
  EXPECT_EQ(schemes,
            (std::vector<std::string>{"heuristic", "anthropic", "azure", "command", "databricks", "openai"}));
  EXPECT_EQ(chat_provider_names(),
            (std::vector<std::string>{"anthropic", "azure", "command", "databricks", "openai"}));
  EXPECT_EQ(spec_form(providers()[1]), "anthropic:MODEL");
  EXPECT_EQ(spec_form(*parse_spec("heuristic").entry), "heuristic");
}

// docs/providers.md lists every spec form, key variable and endpoint variable of the table.
TEST(Registry, DocsListEveryProvider) {
  std::ifstream in(test::source_dir() / "docs/providers.md");
  ASSERT_TRUE(in) << "docs/providers.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& p : providers()) {
    EXPECT_NE(text.str().find(std::string("`") + spec_form(p)), std::string::npos) << spec_form(p);
    for (const std::string variable : {p.key_variable, p.endpoint_variable})
      if (!variable.empty()) {
        EXPECT_NE(text.str().find("`" + variable + "`"), std::string::npos) << variable;
      }
  }
}

// "heuristic" is a judge spec of its own, without a model: no provider is made from it.
TEST(Registry, TheHeuristicSpecNamesNoModel) {
  const ParsedSpec parsed = parse_spec("heuristic");
  ASSERT_NE(parsed.entry, nullptr);
  EXPECT_TRUE(parsed.entry->chat == nullptr);
  EXPECT_EQ(parsed.name, "");
  const auto [message, code] = error_of([] { make_chat_provider("heuristic", settings_with_env({})); });
  EXPECT_EQ(code, ExitCode::usage);
  EXPECT_NE(message.find("heuristic is a judge that calls no model"), std::string::npos) << message;
  EXPECT_EQ(error_of([] { parse_spec("heuristic:x"); }).second, ExitCode::usage);
  // As a model spec (reflection, embeddings), heuristic:x is told it is no model, not that it takes no name.
  const auto [as_model, model_code] = error_of([] { parse_spec("heuristic:x", SpecKind::model); });
  EXPECT_EQ(model_code, ExitCode::usage);
  EXPECT_NE(as_model.find("heuristic is a judge that calls no model"), std::string::npos) << as_model;
  EXPECT_EQ(as_model.find("takes no name"), std::string::npos) << as_model;
  EXPECT_EQ(error_of([] { make_embedding_provider("heuristic", settings_with_env({})); }).second,
            ExitCode::usage);
  const ParsedSpec model = parse_spec("openai: llama3:8b ");
  EXPECT_EQ(std::string(model.entry->scheme), "openai");
  EXPECT_EQ(model.name, "llama3:8b");
}

// A misspelt scheme is named with the provider it is a few edits from, the model given kept. A judge spec
// may be "heuristic", so the providers named for one include it, as the suggestion may.
TEST(Registry, MisspeltSchemeGetsADidYouMean) {
  const auto [heuristic, code] = error_of([] { parse_spec("heurstic"); });
  EXPECT_EQ(code, ExitCode::usage);
  EXPECT_EQ(
      heuristic,
      "provider spec \"heurstic\" is not PROVIDER:MODEL (providers: heuristic, anthropic, azure, command, "
      "databricks, openai); did you mean heuristic?");
  EXPECT_EQ(
      error_of([] { parse_spec("heurstic:x"); }).first,
      "unknown provider \"heurstic\" in \"heurstic:x\" (providers: heuristic, anthropic, azure, command, "
      "databricks, openai); did you mean heuristic?");
  EXPECT_EQ(
      error_of([] { parse_spec("opena:gpt-4o"); }).first,
      "unknown provider \"opena\" in \"opena:gpt-4o\" (providers: heuristic, anthropic, azure, command, "
      "databricks, openai); did you mean openai:gpt-4o?");
  EXPECT_EQ(error_of([] { parse_spec("OpenAI:gpt-4o"); }).first,
            "unknown provider \"OpenAI\" in \"OpenAI:gpt-4o\" (providers: heuristic, anthropic, azure, "
            "command, databricks, openai); did you mean openai:gpt-4o?");
  EXPECT_EQ(
      error_of([] { parse_spec("anthropc"); }).first,
      "provider spec \"anthropc\" is not PROVIDER:MODEL (providers: heuristic, anthropic, azure, command, "
      "databricks, openai); did you mean anthropic:MODEL?");
  // Nothing close: no suggestion (gpt-4o is a model, not a provider).
  EXPECT_EQ(
      error_of([] { parse_spec("gpt-4o"); }).first,
      "provider spec \"gpt-4o\" is not PROVIDER:MODEL (providers: heuristic, anthropic, azure, command, "
      "databricks, openai)");
}

// Where a model is needed (the reflection model, embeddings) "heuristic" is no spec: it is neither listed
// nor suggested.
TEST(Registry, AModelSpecNeverSuggestsTheHeuristicJudge) {
  EXPECT_EQ(error_of([] { parse_spec("heurstic:x", SpecKind::model); }).first,
            "unknown provider \"heurstic\" in \"heurstic:x\" (providers: anthropic, azure, command, "
            "databricks, openai)");
  EXPECT_EQ(
      error_of([] { make_chat_provider("heurstic", settings_with_env({})); }).first,
      "provider spec \"heurstic\" is not PROVIDER:MODEL (providers: anthropic, azure, command, databricks, "
      "openai)");
  EXPECT_EQ(error_of([] { make_chat_provider("opena:gpt-4o", settings_with_env({})); }).first,
            "unknown provider \"opena\" in \"opena:gpt-4o\" (providers: anthropic, azure, command, "
            "databricks, openai); did you mean openai:gpt-4o?");
}

// An embeddings spec gets the did-you-mean a judge spec gets, among the providers with embeddings (openai
// alone): the model given is kept; a known provider without embeddings is named as such, not "corrected".
TEST(Registry, AMisspeltEmbeddingsProviderGetsADidYouMean) {
  const auto [misspelt, code] = error_of([] { make_embedding_provider("opena:x", settings_with_env({})); });
  EXPECT_EQ(code, ExitCode::usage);
  EXPECT_EQ(misspelt,
            "unknown embeddings provider \"opena\" in \"opena:x\" (providers: openai); did you mean "
            "openai:x?");
  EXPECT_EQ(
      error_of([] {
        make_embedding_provider("OpenAI: text-embedding-3-small", settings_with_env({}));
      }).first,
      "unknown embeddings provider \"OpenAI\" in \"OpenAI: text-embedding-3-small\" (providers: openai); "
      "did you mean openai:text-embedding-3-small?");
  EXPECT_EQ(
      error_of([] { make_embedding_provider("opena", settings_with_env({})); }).first,
      "unknown embeddings provider \"opena\" in \"opena\" (providers: openai); did you mean openai:MODEL?");
  EXPECT_EQ(error_of([] { make_embedding_provider("anthropic:x", settings_with_env({})); }).first,
            "unknown embeddings provider \"anthropic\" in \"anthropic:x\" (providers: openai)");
  EXPECT_EQ(error_of([] { make_embedding_provider("bert:x", settings_with_env({})); }).first,
            "unknown embeddings provider \"bert\" in \"bert:x\" (providers: openai)");
}

TEST(Registry, SameProviderComparesTableRows) {
  EXPECT_TRUE(same_provider("openai:gpt-4.1", "openai:gpt-4.1-mini"));
  EXPECT_FALSE(same_provider("openai:gpt-4.1", "azure:gpt-4.1"));
  EXPECT_FALSE(same_provider("openai:x", "openaix:y"));
  EXPECT_FALSE(same_provider("nope:x", "nope:y"));
  EXPECT_FALSE(same_provider("openai:x", ""));
}

// The key rule of the table: a provider with a default base URL needs its key only there (a local server
// needs none); one without needs its key and its endpoint variable always. Offline, none of them.
TEST(Registry, KeysAreRequiredByTheTable) {
  for (const auto& p : providers()) {
    if (!p.chat) continue;
    const std::string spec = spec_form(p);
    SCOPED_TRACE(spec);
    auto offline = settings_with_env({});
    offline.offline = true;
    EXPECT_EQ(make_chat_provider(spec, offline)->spec(), spec);
    if (!*p.key_variable) continue;
    auto local = settings_with_env({}, "http://127.0.0.1:1/v1");
    if (*p.default_base_url) {
      EXPECT_EQ(make_chat_provider(spec, local)->spec(), spec);
    } else {
      EXPECT_NE(error_of([&] { make_chat_provider(spec, local); }).first.find(p.key_variable),
                std::string::npos);
      EXPECT_NE(error_of([&] {
                  make_chat_provider(spec, settings_with_env({{p.key_variable, "k"}}));
                }).first.find(p.endpoint_variable),
                std::string::npos);
    }
  }
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
