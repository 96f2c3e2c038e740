// SPDX-License-Identifier: MIT
#include "judge/rubric/rubric.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "../support.hpp"
#include "judge/util/error.hpp"

using namespace judge::rubric;

TEST(Rubric, DefaultHasTheNineDimensionsOnOneToThreeWithNA) {
  const Rubric& r = default_rubric();
  const std::vector<std::string> expected{"library_installation", "exploratory_data_analysis",
                                          "data_imputation",      "feature_engineering",
                                          "model_training",       "model_use",
                                          "metrics_evaluation",   "mlflow_logging",
                                          "cell_organization"};
  ASSERT_EQ(r.dimensions.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.dimensions[i].id, expected[i]);
    EXPECT_EQ(r.dimensions[i].levels.size(), 3u);
    EXPECT_FALSE(r.dimensions[i].not_applicable.empty());
  }
  EXPECT_EQ(r.min_score(), 1);
  EXPECT_EQ(r.max_score(), 3);
  EXPECT_TRUE(r.allows_na);
}

// The built-in rubric's name, as every output prints it, loads the built-in rubric when no file has that
// name; a file of that name wins, and a path that merely ends with the name is a file like any other.
TEST(Rubric, TheBuiltInRubricsNameLoadsItUnlessAFileHasThatName) {
  namespace fs = std::filesystem;
  ASSERT_FALSE(fs::exists("ml-notebook"));  // the tests' working folder: the source tree
  const Rubric r = load_rubric("ml-notebook");
  EXPECT_EQ(r.id, "ml-notebook");
  EXPECT_EQ(r.source, "<built-in>/rubrics/ml-notebook.yaml");
  EXPECT_EQ(r.hash, default_rubric().hash);
  EXPECT_EQ(r.dimensions.size(), 9u);
  try {
    load_rubric("nowhere/ml-notebook");
    FAIL() << "a path is no name";
  } catch (const judge::Error& e) {
    EXPECT_EQ(std::string(e.what()), "nowhere/ml-notebook: cannot open: No such file or directory");
  }
  // The built-in name misspelt, no file of that name: the error names the built-in rubric (exit 2).
  try {
    load_rubric("ml-notebok");
    FAIL() << "no such rubric";
  } catch (const judge::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "rubric ml-notebok does not exist; did you mean \"ml-notebook\", the built-in rubric?");
    EXPECT_EQ(e.code(), judge::ExitCode::usage);
  }
  const judge::test::TempDir dir("judge_rubric_test");
  dir.write("ml-notebook", R"(id: mine
scale: [{score: 1, name: low}, {score: 5, name: high}]
dimensions:
  - id: model_use
    description: Uses the model.
    levels: {1: a, 5: b}
)");
  const fs::path before = fs::current_path();
  fs::current_path(dir.path());
  const Rubric file = load_rubric("ml-notebook");
  fs::current_path(before);
  EXPECT_EQ(file.id, "mine");
  EXPECT_EQ(file.source, "ml-notebook");
  EXPECT_EQ(file.max_score(), 5);
}

TEST(Rubric, OneToFiveRubricLoads) {
  const Rubric r = parse_rubric(R"(id: stories
scale: [{score: 1, name: poor}, {score: 2, name: weak}, {score: 3, name: fair}, {score: 4, name: good}, {score: 5, name: great}]
dimensions:
  - id: coherence
    description: The story hangs together.
    levels: {1: a, 2: b, 3: c, 4: d, 5: e}
)",
                                "stories.yaml");
  EXPECT_EQ(r.max_score(), 5);
  EXPECT_FALSE(r.allows_na);
  ASSERT_NE(r.find("coherence"), nullptr);
}

TEST(Rubric, ReportsEveryProblemWithLines) {
  try {
    parse_rubric(R"(id: bad
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - id: first
    levels: {1: x, 7: y}
  - id: first
    description: again
    levels: {1: x, 2: y}
)",
                 "bad.yaml");
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("bad.yaml:4: missing field \"description\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("bad.yaml:5: level 7 of \"first\" is not on the scale"), std::string::npos) << msg;
    EXPECT_NE(msg.find("no description for scale point 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("bad.yaml:6: duplicate dimension id \"first\""), std::string::npos) << msg;
  }
}

TEST(Rubric, SelectDimensionsRejectsUnknown) {
  EXPECT_THROW(select_dimensions(default_rubric(), "model_training,nope"), judge::Error);
  EXPECT_EQ(select_dimensions(default_rubric(), "model_use,model_training").dimensions.size(), 2u);
}

TEST(Rubric, SelectDimensionsSuggestsTheDimensionATypoMeant) {
  const auto message = [](const std::string& list) {
    try {
      select_dimensions(default_rubric(), list);
    } catch (const judge::Error& e) {
      EXPECT_EQ(e.code(), judge::ExitCode::usage);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string typo = message("model_trainng");
  EXPECT_NE(
      typo.find("unknown dimension \"model_trainng\" (did you mean \"model_training\"?); the rubric has: "),
      std::string::npos)
      << typo;
  EXPECT_EQ(message("nope").find("did you mean"), std::string::npos);  // nothing near: the list only
}

TEST(Rubric, DidYouMeanDimensionNamesTheIdsAFewEditsAway) {
  // model_trainng: one letter short of model_training (14 letters allow 3 edits); model_uses: one more than
  // model_use; nope is near no id of the built-in rubric.
  EXPECT_EQ(did_you_mean_dimension(default_rubric(), "model_trainng"), "did you mean \"model_training\"?");
  EXPECT_EQ(did_you_mean_dimension(default_rubric(), "model_uses"), "did you mean \"model_use\"?");
  EXPECT_EQ(did_you_mean_dimension(default_rubric(), "nope"), "");
}

namespace {

// The message of the judge::Error thrown by parse_rubric(text, "r.yaml"), or "" when it loads.
std::string rubric_error(const std::string& text) {
  try {
    parse_rubric(text, "r.yaml");
  } catch (const judge::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// A quote or a bracket left open is reported on its own line, not where yaml-cpp gave up (lines by hand).
TEST(Rubric, YamlErrorsNameTheLineToFix) {
  const std::string head = "id: r\nscale:\n  - {score: 1, name: a}\n  - {score: 2, name: b}\ndimensions:\n";
  EXPECT_NE(
      rubric_error(head + "  - id: first\n    description: \"open\n    levels: {1: x, 2: \"y\"}\n")
          .find("r.yaml:7: not valid YAML: end of map not found (a quoted text opened on this line runs "
                "on to line 8, where the parser stopped: is its closing quote missing?)"),
      std::string::npos)
      << rubric_error(head + "  - id: first\n    description: \"open\n    levels: {1: x, 2: \"y\"}\n");
  EXPECT_EQ(
      rubric_error(head + "  - id: first\n    description: \"open\n    levels: {1: x, 2: y}\n"),
      "r.yaml:7: not valid YAML: a quoted text opened on this line is never closed: it runs to the end of "
      "the file");
  EXPECT_EQ(rubric_error(head + "  - id: first\n    description: d\n    levels: {1: x, 2: y\n"),
            "r.yaml:8: not valid YAML: end of map flow not found (the `{` opened on this line is not closed; "
            "the parser stopped at the end of the file)");
  EXPECT_EQ(
      rubric_error(head + "  - id: first\n\tdescription: d\n"),
      "r.yaml:7: not valid YAML: illegal tab when looking for indentation (a tab indents this line; YAML "
      "indents with spaces only)");
}

TEST(Rubric, UnknownKeysAreRejectedWithFileLineKeyAndAllowedKeys) {
  const std::string msg = rubric_error(R"(id: typo
titel: Misspelt
scale:
  - {score: 1, name: a, meening: x}
  - {score: 2, name: b}
dimensions:
  - id: first
    descripton: misspelt
    description: ok
    levels: {1: x, 2: y}
)");
  EXPECT_NE(
      msg.find("r.yaml:2: unknown key \"titel\" in the rubric; allowed keys: schema_version, id, title,"),
      std::string::npos)
      << msg;
  EXPECT_NE(
      msg.find("r.yaml:4: unknown key \"meening\" in a scale point; allowed keys: score, name, meaning"),
      std::string::npos)
      << msg;
  EXPECT_NE(msg.find("r.yaml:8: unknown key \"descripton\" in dimension \"first\"; allowed keys: id, title, "
                     "description, levels, not_applicable, keywords"),
            std::string::npos)
      << msg;
}

TEST(Rubric, SchemaVersionOtherThanOneIsRejected) {
  const std::string body = R"(
id: v
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - {id: d, description: x, levels: {1: x, 2: y}}
)";
  EXPECT_EQ(rubric_error("schema_version: 1" + body), "");
  EXPECT_EQ(rubric_error(body), "");  // absent means 1
  const std::string msg = rubric_error("schema_version: 2" + body);
  EXPECT_NE(
      msg.find("r.yaml:1: unsupported schema_version \"2\"; this version of judge reads schema_version 1"),
      std::string::npos)
      << msg;
}

TEST(Rubric, IdsMustBeLowerCaseWithFileLine) {
  const std::string msg = rubric_error(R"(description: ids
id: Mini Rubric!
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - {id: d, description: x, levels: {1: x, 2: y}}
  - {id: Story Flow, description: x, levels: {1: x, 2: y}}
)");
  EXPECT_NE(msg.find("r.yaml:2: rubric id \"Mini Rubric!\" must be lower-case letters, digits, '_' or '-'"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("r.yaml:6: dimension id \"Story Flow\" must be lower-case"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(2 problems)"), std::string::npos) << msg;
}

TEST(Rubric, ADimensionEntryThatIsNotAMappingNamesFileAndLine) {
  const std::string msg = rubric_error(R"(id: v
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - {id: d, description: x, levels: {1: x, 2: y}}
  - 5
)");
  EXPECT_NE(msg.find("r.yaml:5: each entry of \"dimensions\" must be a mapping"), std::string::npos) << msg;
}

// Keywords are optional, lower-cased, and checked: a list of non-empty words.
TEST(Rubric, KeywordsAreALowerCasedListOfWords) {
  const Rubric r = parse_rubric(R"(id: k
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - id: charts
    description: Plots are labelled.
    levels: {1: x, 2: y}
    keywords: [Plot, "set_xlabel("]
  - id: plain
    description: No keywords.
    levels: {1: x, 2: y}
)",
                                "k.yaml");
  EXPECT_EQ(r.dimensions[0].keywords, (std::vector<std::string>{"plot", "set_xlabel("}));
  EXPECT_TRUE(r.dimensions[1].keywords.empty());
  const std::string msg = rubric_error(R"(id: k
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - id: first
    description: d
    levels: {1: x, 2: y}
    keywords: plot
  - id: second
    description: d
    levels: {1: x, 2: y}
    keywords: [plot, ""]
)");
  EXPECT_NE(msg.find("r.yaml:7: \"keywords\" of \"first\" must be a list of words"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("r.yaml:11: a keyword of \"second\" must be a non-empty word"), std::string::npos)
      << msg;
}

// A keyword that is a list or a mapping is said to be one (not "empty"); a blank keyword (" ") would match
// every cell and is refused like an empty one; numbers are words ("42").
TEST(Rubric, OddKeywordsAreNamedForWhatTheyAre) {
  const std::string msg = rubric_error(R"(id: k
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - id: first
    description: d
    levels: {1: x, 2: y}
    keywords: [[plot, hist], {a: 1}, " ", 42]
)");
  EXPECT_NE(msg.find("r.yaml:7: a keyword of \"first\" must be a word, not a list"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("r.yaml:7: a keyword of \"first\" must be a word, not a mapping"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("r.yaml:7: a keyword of \"first\" must be a non-empty word"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(3 problems)"), std::string::npos) << msg;
  const Rubric r = parse_rubric(R"(id: k
scale: [{score: 1, name: a}, {score: 2, name: b}]
dimensions:
  - {id: first, description: d, levels: {1: x, 2: y}, keywords: [42, "# "]}
)",
                                "k.yaml");
  EXPECT_EQ(r.dimensions[0].keywords, (std::vector<std::string>{"42", "# "}));
}

// The built-in rubric carries the keyword lists its budget cutter used to have compiled in.
TEST(Rubric, DefaultRubricListsKeywordsForEveryDimension) {
  const Rubric& r = default_rubric();
  for (const auto& d : r.dimensions) EXPECT_FALSE(d.keywords.empty()) << d.id;
  EXPECT_EQ(r.find("data_imputation")->keywords,
            (std::vector<std::string>{"isnull", "isna", "fillna", "dropna", "imputer", "missing", "nan"}));
}
