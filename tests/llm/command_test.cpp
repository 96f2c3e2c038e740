// SPDX-License-Identifier: MIT
// The command provider, driven by tests/llm/fake_judge_command.py, and the shell-like word splitting.
#include "judge/llm/command.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "../support.hpp"
#include "judge/llm/cache.hpp"
#include "judge/llm/registry.hpp"
#include "judge/util/error.hpp"
#include "provider_env.hpp"

namespace judge::llm {
namespace {

using judge::test::settings_with_env;
using judge::test::user_request;
using nlohmann::json;

std::string script_spec(const std::string& args) {
  return "command:/usr/bin/python3 '" + std::string(JUDGE_SOURCE_DIR) + "/tests/llm/fake_judge_command.py' " +
         args;
}

ChatResult run(const std::string& args, double timeout_seconds = 10) {
  auto settings = settings_with_env({});
  settings.timeout_seconds = timeout_seconds;
  return make_chat_provider(script_spec(args), settings)->chat(user_request("grade me"));
}

TEST(SplitCommandLine, SplitsLikeAShell) {
  // Expected words are what `sh -c 'printf "[%s]" WORDS'` prints for the same line.
  using V = std::vector<std::string>;
  EXPECT_EQ(split_command_line("  prog  a\tb  "), (V{"prog", "a", "b"}));
  EXPECT_EQ(split_command_line(R"(prog 'a b' "c d" e\ f)"), (V{"prog", "a b", "c d", "e f"}));
  EXPECT_EQ(split_command_line(R"(prog 'it'\''s' "say \"hi\"" 'x\y')"),
            (V{"prog", "it's", "say \"hi\"", "x\\y"}));
  EXPECT_EQ(split_command_line(R"(prog "a\b" "\$HOME" $HOME)"), (V{"prog", "a\\b", "$HOME", "$HOME"}));
  EXPECT_EQ(split_command_line(R"(prog "" '' a""b)"), (V{"prog", "", "", "ab"}));
  EXPECT_EQ(split_command_line("prog a\\\nb"), (V{"prog", "ab"}));
  EXPECT_EQ(split_command_line(""), V{});
}

TEST(SplitCommandLine, UnterminatedQuotesAreUsageErrors) {
  for (const char* line : {"prog 'a", "prog \"a", "prog a\\"}) {
    try {
      split_command_line(line);
      ADD_FAILURE() << line;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::usage);
      EXPECT_NE(std::string(e.what()).find(line), std::string::npos);
    }
  }
}

TEST(CommandProvider, SendsTheRequestAndReadsTheReply) {
  ChatRequest request = user_request("grade me");
  request.seed = 5;
  request.max_tokens = 77;
  request.response_schema = json{{"type", "object"}};
  auto provider = make_chat_provider(script_spec("reply 'two words' x"), settings_with_env({}));
  const ChatResult result = provider->chat(request);
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.response->model, "fake-command");
  EXPECT_EQ(result.response->usage.input_tokens, 11);
  EXPECT_EQ(result.response->usage.output_tokens, 22);
  const json seen = json::parse(result.response->content);
  EXPECT_EQ(seen["protocol"], "judge-command/1");
  EXPECT_EQ(seen["roles"], json::parse(R"(["system", "user"])"));
  EXPECT_EQ(seen["last"], "grade me");
  EXPECT_EQ(seen["temperature"], 0.0);
  EXPECT_EQ(seen["max_tokens"], 77);
  EXPECT_EQ(seen["seed"], 5);
  EXPECT_EQ(seen["has_schema"], true);
  EXPECT_EQ(seen["schema_name"], "verdict");
  EXPECT_EQ(seen["args"], json::parse(R"(["two words", "x"])"));
}

TEST(CommandProvider, RequestJsonHasNullsForUnsetFields) {
  const json j = command_request_json(user_request("x"));
  EXPECT_TRUE(j["seed"].is_null());
  EXPECT_TRUE(j["response_schema"].is_null());
}

TEST(CommandProvider, ErrorObjectsCarryTheirKindAndRetryAfter) {
  const ChatResult result = run("error rate_limited");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, ErrorKind::rate_limited);
  EXPECT_NE(result.error->message.find("backend said no"), std::string::npos);
  ASSERT_TRUE(result.error->retry_after_seconds.has_value());
  EXPECT_DOUBLE_EQ(*result.error->retry_after_seconds, 3.0);
  EXPECT_EQ(run("error refused").error->kind, ErrorKind::refused);
  EXPECT_EQ(run("error no_such_kind").error->kind, ErrorKind::bad_response);
}

TEST(CommandProvider, NonZeroExitIsBadResponseWithStderrButNoKey) {
  ::setenv("OPENAI_API_KEY", "sk-command-secret-42", 1);
  auto settings = settings_with_env({{"OPENAI_API_KEY", "sk-command-secret-42"}});
  const ChatResult result = make_chat_provider(script_spec("exit 3"), settings)->chat(user_request("x"));
  ::unsetenv("OPENAI_API_KEY");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, ErrorKind::bad_response);
  EXPECT_NE(result.error->message.find("exited with status 3"), std::string::npos) << result.error->message;
  EXPECT_NE(result.error->message.find("boom ***"), std::string::npos) << result.error->message;
  EXPECT_EQ(result.error->message.find("sk-command-secret-42"), std::string::npos);
}

TEST(CommandProvider, NotJsonIsBadResponse) {
  const ChatResult result = run("garbage");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, ErrorKind::bad_response);
  EXPECT_NE(result.error->message.find("Sure! The score is 4."), std::string::npos);
}

TEST(CommandProvider, KilledBySignalIsBadResponse) {
  const ChatResult result = run("signal");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, ErrorKind::bad_response);
  EXPECT_NE(result.error->message.find("signal 9"), std::string::npos);
}

TEST(CommandProvider, TimeoutKillsTheProgramAndItsChildren) {
  const auto start = std::chrono::steady_clock::now();
  const ChatResult result = run("sleep 30", 0.5);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, ErrorKind::timeout);
  EXPECT_LT(elapsed, 5.0);  // not the 30 s the program (and its child holding stdout) would take
}

TEST(CommandProvider, ProgramThatDoesNotReadStdinStillAnswers) {
  // A request bigger than a pipe buffer, to a program that never reads it.
  const ChatResult result = make_chat_provider(script_spec("noread"), settings_with_env({}))
                                ->chat(user_request(std::string(1 << 20, 'x')));
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.response->content, "did not read");
}

TEST(CommandProvider, MissingProgramIsConfig) {
  const ChatResult result =
      make_chat_provider("command:/nonexistent/judge-program --x", settings_with_env({}))
          ->chat(user_request("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, ErrorKind::config);
  EXPECT_NE(result.error->message.find("/nonexistent/judge-program"), std::string::npos);
}

// The cache key of a command judge holds the content of the files its command line names (docs/cache.md):
// one run, the script edited, the same spec again: the second run calls the edited script, not the cache.
// `PROGRAM` is run directly (an executable script) or as an argument of /bin/sh.
TEST(CommandProvider, EditingTheProgramOrItsScriptIsANewCacheKey) {
  const test::TempDir dir("judge_command_cache");
  auto cache = std::make_shared<ResponseCache>(dir / "cache.sqlite");
  const auto reply = [&](const std::string& spec) {
    CachingProvider provider(make_chat_provider(spec, settings_with_env({})), cache, CacheMode::read_write);
    const ChatResult result = provider.chat(user_request("grade me"));
    EXPECT_TRUE(result.ok()) << result.error->message;
    return result.ok() ? result.response->content + (result.response->from_cache ? " (cached)" : "") : "";
  };
  const auto script = [&](const std::string& name, const std::string& content) {
    const auto path =
        dir.write(name, "#!/bin/sh\ncat > /dev/null\necho '{\"content\": \"" + content + "\"}'\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path.string();
  };
  const std::string direct = std::string("command:").append(script("fake-llm.sh", "one"));
  EXPECT_EQ(reply(direct), "one");
  EXPECT_EQ(reply(direct), "one (cached)");
  script("fake-llm.sh", "two");
  EXPECT_EQ(reply(direct), "two");

  const std::string through_sh = std::string("command:/bin/sh ").append(script("judge.sh", "three"));
  EXPECT_EQ(reply(through_sh), "three");
  script("judge.sh", "four");
  EXPECT_EQ(reply(through_sh), "four");
  EXPECT_EQ(reply(through_sh), "four (cached)");
}

TEST(CommandProvider, CacheIdentityIsTheSpecAndTheHashOfEachFileNamed) {
  const test::TempDir dir("judge_command_identity");
  const std::string file = dir.write("abc.txt", "abc").string();
  // No such program and a word naming no file add nothing; "abc" is FIPS 180-2's SHA-256 example.
  const std::string spec = "command:/nonexistent/judge-program --flag " + file;
  EXPECT_EQ(make_chat_provider(spec, settings_with_env({}))->cache_identity(),
            spec + "\n" + file + " sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // A program found in PATH (sh), a folder and a file over 1 MiB add nothing either.
  std::string big(std::size_t{1} << 20, 'x');
  const std::string large = dir.write("model.bin", big + "x").string();
  const std::string bare = "command:sh " + dir.path().string() + " " + large;
  EXPECT_EQ(make_chat_provider(bare, settings_with_env({}))->cache_identity(), bare);
  // A file of exactly 1 MiB is hashed (the digest from Python's hashlib).
  const std::string limit = dir.write("limit.bin", big).string();
  const std::string at_limit = "command:sh " + limit;
  EXPECT_EQ(
      make_chat_provider(at_limit, settings_with_env({}))->cache_identity(),
      at_limit + "\n" + limit + " sha256 8f990ba0b577b51cf009ea049368c16bbda1b21e1b93be07a824758bb253c39b");
}

}  // namespace
}  // namespace judge::llm
