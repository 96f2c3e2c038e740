// SPDX-License-Identifier: MIT
// cli::Config::load on judge.yaml files that once broke it (tests/regressions/config_*, found by
// fuzz/config_fuzz.cpp): each is a judge::Error naming the file and line, never another exception.
#include "judge/cli/config.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "../support.hpp"
#include "judge/llm/registry.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {
namespace {

std::optional<std::string> no_environment(const std::string&) { return std::nullopt; }

// The message of the judge::Error that loading tests/regressions/NAME throws ("" when it loads).
std::string load_error(const std::string& name) {
  const std::string file = (test::source_dir() / "tests/regressions" / name).string();
  try {
    Config::load(file, {}, no_environment);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// `[judge, jobs]: 4`: a key that is a list, not a setting name (yaml-cpp's bad conversion escaped before).
TEST(ConfigRegressions, ASettingNameThatIsAListIsAnErrorNamingItsLine) {
  const std::string what = load_error("config_non_scalar_key.yaml");
  EXPECT_NE(
      what.find("config_non_scalar_key.yaml:2: a setting name must be a single word, not a list or a map"),
      std::string::npos)
      << what;
}

// `? : 4`: an explicit key holding the map {null: 4} (fuzz_config's first crash, reduced by libFuzzer to
// "? :").
TEST(ConfigRegressions, AnExplicitKeyHoldingAMapIsAnErrorNamingItsLine) {
  const std::string what = load_error("config_explicit_key_map.yaml");
  EXPECT_NE(
      what.find("config_explicit_key_map.yaml:2: a setting name must be a single word, not a list or a map"),
      std::string::npos)
      << what;
}

// The judge setting's help lists every spec of the provider table, so a provider added there is offered.
TEST(Settings, TheJudgeSettingListsEveryProvider) {
  const auto& judge = setting_specs().front();
  ASSERT_EQ(std::string(judge.name), "judge");
  EXPECT_EQ(std::string(judge.default_value), "heuristic");
  for (const auto& p : llm::providers())
    EXPECT_NE(std::string(judge.help).find(llm::spec_form(p)), std::string::npos) << p.scheme;
}

}  // namespace
}  // namespace judge::cli
