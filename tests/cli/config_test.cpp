// SPDX-License-Identifier: MIT
// cli::Config::load on judge.yaml files that once broke it (tests/regressions/config_*, found by
// fuzz/config_fuzz.cpp): each is a judge::Error naming the file and line, never another exception.
#include "judge/cli/config.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "../support.hpp"
#include "judge/cli/judge_setup.hpp"
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

// `rubric: ml-notebook` in a judge.yaml of another folder is the built-in rubric, not a path relative to the
// file's folder (ci/ml-notebook, which does not exist); once that folder holds a file of that name, the file.
TEST(Config, TheBuiltInRubricsNameInJudgeYamlIsTheBuiltInRubricUnlessItsFolderHasThatFile) {
  test::TempDir dir("config_rubric_name");
  const auto file = dir.write("ci/judge.yaml", "rubric: ml-notebook\n");
  Config c = Config::load(file.string(), {}, no_environment);
  EXPECT_EQ(c.get("rubric"), "ml-notebook");
  EXPECT_EQ(configured_rubric(c).hash, rubric::default_rubric().hash);
  dir.write("ci/ml-notebook", R"(id: mine
scale: [{score: 1, name: low}, {score: 5, name: high}]
dimensions:
  - id: model_use
    description: Uses the model.
    levels: {1: a, 5: b}
)");
  c = Config::load(file.string(), {}, no_environment);
  EXPECT_EQ(c.get("rubric"), (dir.path() / "ci" / "ml-notebook").string());
  EXPECT_EQ(configured_rubric(c).id, "mine");
}

// A quote left open in judge.yaml is reported on its own line (by hand: line 2), not where yaml-cpp stopped
// (line 4, at the next quote) nor, when no quote follows, swallowing the settings after it without a word.
TEST(Config, AQuoteLeftOpenIsAnErrorOnItsLine) {
  test::TempDir dir("config_open_quote");
  const auto stopped =
      dir.write("judge.yaml", "judge: heuristic\nbase_url: \"http://x/v1\njobs: 4\ncache: \"c\"\n");
  const auto never = dir.write("other.yaml", "judge: heuristic\nbase_url: \"http://x/v1\njobs: 4\n");
  for (const auto& [file, expected] :
       {std::pair{stopped,
                  std::string("judge.yaml:2: end of map not found (a quoted text opened on this line runs "
                              "on to line 4, where the parser stopped: is its closing quote missing?)")},
        std::pair{never,
                  std::string("other.yaml:2: a quoted text opened on this line is never closed: it runs to "
                              "the end of the file")}}) {
    try {
      Config::load(file.string(), {}, no_environment);
      ADD_FAILURE() << file << " loaded";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

// The judge setting's help lists every spec of the provider table, so a provider added there is offered.
TEST(Settings, TheJudgeSettingListsEveryProvider) {
  const auto& judge = setting_specs().front();
  ASSERT_EQ(std::string(judge.name), "judge");
  EXPECT_EQ(std::string(judge.default_value), "heuristic");
  for (const auto& p : llm::providers())
    EXPECT_NE(std::string(judge.help).find(llm::spec_form(p)), std::string::npos) << p.scheme;
}

// base_url as a list of endpoints: a YAML list, commas in a variable or a flag; each URL may name its jobs.
TEST(EndpointList, AYamlListIsOneCommaSeparatedValue) {
  test::TempDir dir("config_endpoints");
  const auto file =
      dir.write("judge.yaml", "base_url:\n  - http://gpu1:8000/v1#jobs=8\n  - http://gpu2:8000/v1#jobs=4\n");
  const Config c = Config::load(file.string(), {}, no_environment);
  EXPECT_EQ(c.get("base_url"), "http://gpu1:8000/v1#jobs=8,http://gpu2:8000/v1#jobs=4");
  EXPECT_EQ(jobs(c), 12u);  // jobs not set: the endpoints' jobs added up
  const Config set = Config::load(file.string(), {{"jobs", "5"}}, no_environment);
  EXPECT_EQ(jobs(set), 5u);  // jobs set: the total, whatever the endpoints say
}

TEST(EndpointList, AnEndpointWithoutJobsLeavesTheJobsSetting) {
  const auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "JUDGE_BASE_URL") return "http://a/v1#jobs=2, http://b/v1";
    return std::nullopt;
  };
  const Config c = Config::load("", {}, env);
  EXPECT_EQ(c.get("base_url"), "http://a/v1#jobs=2, http://b/v1");
  EXPECT_EQ(jobs(c), 4u);  // the default
}

TEST(EndpointList, BadEntriesAreErrorsNamingWhereTheyCameFrom) {
  test::TempDir dir("config_endpoints_bad");
  const auto file = dir.write("judge.yaml", "base_url:\n  - http://gpu1:8000/v1\n  - {url: http://x}\n");
  try {
    Config::load(file.string(), {}, no_environment);
    ADD_FAILURE() << "a list item that is a map loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("judge.yaml:1: base_url as a list must hold URLs, one per item"),
              std::string::npos)
        << e.what();
  }
  const auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "JUDGE_BASE_URL") return "http://a/v1#jobs=0";
    return std::nullopt;
  };
  try {
    Config::load("", {}, env);
    ADD_FAILURE() << "jobs=0 loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("env JUDGE_BASE_URL: base_url entry \"http://a/v1#jobs=0\": "
                                         "\"#jobs=0\" is not #jobs=N with N a whole number of 1 or more"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(e.code(), ExitCode::runtime);
  }
  try {
    Config::load("", {{"base_url", "http://a/v1,localhost:8000"}}, no_environment);
    ADD_FAILURE() << "a URL without a scheme loaded";
  } catch (const Error& e) {
    EXPECT_NE(
        std::string(e.what()).find("base_url entry \"localhost:8000\" is not a URL starting with http://"),
        std::string::npos)
        << e.what();
    EXPECT_EQ(e.code(), ExitCode::usage);
  }
}

}  // namespace
}  // namespace judge::cli
