// SPDX-License-Identifier: MIT
#include "judge/memory/fact_rule.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../support.hpp"
#include "judge/memory/memory.hpp"
#include "judge/util/error.hpp"

using namespace judge::memory;

TEST(FactRule, ParsesTestsActionAndIgnoresTheComment) {
  std::string error;
  const auto r = parse_fact_rule(
      "when trains_model, not missing_value_checks, code_cells_after_code_share >= 0.33 "
      "-> score at most 1 (9 of 10 labels)",
      error);
  ASSERT_TRUE(r) << error;
  ASSERT_EQ(r->when.size(), 3u);
  EXPECT_EQ(r->when[0].fact, "trains_model");
  EXPECT_EQ(r->when[0].op, "");
  EXPECT_EQ(r->when[1].op, "not");
  EXPECT_EQ(r->when[2].op, ">=");
  EXPECT_DOUBLE_EQ(r->when[2].value, 0.33);
  EXPECT_EQ(r->then.kind, judge::stats::ActionKind::at_most);
  EXPECT_DOUBLE_EQ(r->then.score, 1);
  EXPECT_EQ(
      format_fact_rule(*r),
      "when trains_model, not missing_value_checks, code_cells_after_code_share >= 0.33 -> score at most 1");
  // Round trip of every action form.
  for (const char* text :
       {"when always -> N/A", "when a -> score 2", "when not b -> keep", "when a < 3 -> score at least 2",
        "when b != 0, c <= 1.5, d > 2, e = 4 -> score at most 2"}) {
    const auto p = parse_fact_rule(text, error);
    ASSERT_TRUE(p) << text << ": " << error;
    EXPECT_EQ(format_fact_rule(*p), text);
  }
}

TEST(FactRule, NumbersReadBackExactly) {
  // Every digit is kept (the default stream precision wrote 1234567 as 1.23457e+06, testing >= 1234570).
  FactRule r;
  r.when = {{"code_cells", ">=", 1234567}, {"code_cells_after_code_share", "<", 0.1234565}};
  r.then = {judge::stats::ActionKind::set, 2};
  EXPECT_EQ(format_fact_rule(r),
            "when code_cells >= 1234567, code_cells_after_code_share < 0.1234565 -> score 2");
  std::string error;
  const auto back = parse_fact_rule(format_fact_rule(r), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->when[0].value, 1234567);
  EXPECT_EQ(back->when[1].value, 0.1234565);
  // Decimal numbers only: hexadecimal, infinities and NaN are not scores or thresholds.
  for (const char* text : {"when always -> score 0x10", "when always -> score nan", "when a >= inf -> N/A",
                           "when a >= 1e400 -> N/A", "when always -> score 1,5"})
    EXPECT_FALSE(parse_fact_rule(text, error)) << text;
  const auto plus = parse_fact_rule("when a >= +2 -> score -1", error);
  ASSERT_TRUE(plus) << error;
  EXPECT_EQ(plus->when[0].value, 2);
  EXPECT_EQ(plus->then.score, -1);
}

TEST(FactRule, MatchesOnFacts) {
  std::string error;
  const auto r = parse_fact_rule("when trains_model, not pipeline, error_cells >= 2 -> score 1", error);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->matches({{"trains_model", 1}, {"pipeline", 0}, {"error_cells", 2}}));
  EXPECT_FALSE(r->matches({{"trains_model", 1}, {"pipeline", 0}, {"error_cells", 1}}));
  EXPECT_FALSE(r->matches({{"trains_model", 1}, {"pipeline", 1}, {"error_cells", 3}}));
  EXPECT_FALSE(r->matches({{"trains_model", 1}, {"pipeline", 0}}));  // a fact not known: no match
  const auto always = parse_fact_rule("WHEN always -> score at most 2", error);
  ASSERT_TRUE(always);
  EXPECT_TRUE(always->matches({}));
}

TEST(FactRule, SaysWhatIsWrong) {
  std::string error;
  EXPECT_FALSE(parse_fact_rule("when trains_model score 1", error));
  EXPECT_NE(error.find("->"), std::string::npos);
  EXPECT_FALSE(parse_fact_rule("when trains_model -> score high", error));
  EXPECT_NE(error.find("not an action"), std::string::npos);
  EXPECT_FALSE(parse_fact_rule("when error_cells >= many -> score 1", error));
  EXPECT_NE(error.find("must be a number"), std::string::npos);
  EXPECT_FALSE(parse_fact_rule("when Trains Model -> score 1", error));
  EXPECT_NE(error.find("fact name"), std::string::npos);
  EXPECT_FALSE(parse_fact_rule("when a -> score 1 (note", error));
  EXPECT_TRUE(is_fact_rule("  when x -> N/A"));
  EXPECT_FALSE(is_fact_rule("Imports belong at the top."));
  // Prose that starts with "When" (people and reflection models write guidelines that way) is no rule.
  EXPECT_FALSE(is_fact_rule("When a model is trained, check for missing values first."));
  EXPECT_FALSE(is_fact_rule("when trains_model score 1"));
}

TEST(FactRule, MemoryLoadKeepsProseThatStartsWithWhen) {
  const judge::test::TempDir temp("judge_fact_rule_prose_test");
  const auto dir = temp.path();
  Memory m;
  m.set_guidelines(
      {{"library_installation", "When a notebook installs packages, pin their versions.", {}, "manual"},
       {"library_installation", "when uninstalled_packages >= 1 -> score at most 1", {}, "manual"}});
  m.save(dir);
  const Memory loaded = Memory::load(dir);  // before: refused ("no `->` between the tests and the action")
  EXPECT_EQ(loaded.guidelines("library_installation").size(), 2u);
  EXPECT_EQ(loaded.fact_rules("library_installation").size(), 1u);
}

TEST(FactRule, MemoryLoadNamesTheLineOfABadRule) {
  const judge::test::TempDir temp("judge_fact_rule_test");
  const auto dir = temp.path();
  Memory m;
  m.set_guidelines(
      {{"cell_organization", "when code_cells_after_code_share >= 0.33 -> score at most 1", {}, "learnt"}});
  m.save(dir);
  EXPECT_EQ(Memory::load(dir).fact_rules("cell_organization").size(), 1u);
  {
    std::ofstream out(dir / "guidelines.yaml");
    out << "schema_version: 1\nguidelines:\n  cell_organization:\n    - text: when share >= lots -> score 1\n"
           "      source: learnt\n";
  }
  try {
    Memory::load(dir);
    FAIL() << "a rule that does not parse must be refused";
  } catch (const judge::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("guidelines.yaml:4"), std::string::npos) << what;
    EXPECT_NE(what.find("must be a number"), std::string::npos) << what;
  }
}
