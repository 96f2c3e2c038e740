// SPDX-License-Identifier: MIT
#include "judge/memory/fact_rule.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <vector>

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
  // "=>" is the arrow mistyped: a rule that does not parse, and the error says which arrow to write.
  EXPECT_TRUE(is_fact_rule("when trains_model => score 2"));
  EXPECT_FALSE(parse_fact_rule("when trains_model => score 2", error));
  EXPECT_EQ(error.rfind("`=>` is not the rule's arrow: write `->` (a hyphen and >) between the tests and the "
                        "action; ",
                        0),
            0u)
      << error;
  // So are the arrows a word processor or a chat types for `->` (U+2192, U+21D2, U+27F6), a dash and >, and a
  // hyphen, space and >; and `if` for `when` before an arrow and an action. Prose keeps its arrows.
  for (const std::string arrow :
       {"\xE2\x86\x92", "\xE2\x87\x92", "\xE2\x9F\xB6", "\xE2\x80\x93>", "\xE2\x80\x94>", "- >"}) {
    const std::string rule = "when not predicts " + arrow + " N/A";
    EXPECT_TRUE(is_fact_rule(rule)) << arrow;
    EXPECT_FALSE(parse_fact_rule(rule, error)) << arrow;
    EXPECT_EQ(error.rfind("`" + arrow + "` is not the rule's arrow: write `->`", 0), 0u) << error;
  }
  for (const std::string rule : {"if not predicts -> N/A", "If trains_model \xE2\x86\x92 score at most 2"}) {
    EXPECT_TRUE(is_fact_rule(rule)) << rule;
    EXPECT_FALSE(parse_fact_rule(rule, error)) << rule;
    EXPECT_EQ(error.rfind("a rule starts with `when`, not `if`; ", 0), 0u) << error;
  }
  EXPECT_FALSE(is_fact_rule("When the split comes first \xE2\x86\x92 the metrics are honest."));
  EXPECT_FALSE(is_fact_rule("If a notebook trains a model -> it should check for missing values."));
  EXPECT_FALSE(is_fact_rule("Use a pipeline (scaler -> model) so the split comes first."));
  // An arrow before words that only begin like an action is prose too: the action must be whole.
  EXPECT_FALSE(is_fact_rule("If the notebook pins versions \xE2\x86\x92 scores of 3 or more are fine"));
  EXPECT_FALSE(is_fact_rule("When the data is tabular \xE2\x86\x92 scores above 3 need a baseline"));
  EXPECT_FALSE(is_fact_rule("If pip installs are scattered -> keep in mind the order"));
  EXPECT_FALSE(is_fact_rule("when the data is tabular => score it by the split"));
  EXPECT_TRUE(is_fact_rule("when trains_model => score 2 (4 of 5 labels)"));
  // "=>", "=<" and "==" as comparisons: the error names the comparison to write.
  EXPECT_FALSE(parse_fact_rule("when uninstalled_packages => 1 -> score 1", error));
  EXPECT_EQ(error.rfind("`uninstalled_packages => 1`: write `>=`, not `=>`; ", 0), 0u) << error;
  EXPECT_FALSE(parse_fact_rule("when eda_kinds =< 2 -> score 1", error));
  EXPECT_EQ(error.rfind("`eda_kinds =< 2`: write `<=`, not `=<`; ", 0), 0u) << error;
  EXPECT_FALSE(parse_fact_rule("when trains_model, pipeline == 0 -> score 1", error));
  EXPECT_EQ(error.rfind("`pipeline == 0`: write `=`, not `==`; ", 0), 0u) << error;
  EXPECT_FALSE(parse_fact_rule("when pipeline !== 0 -> score 1", error));
  EXPECT_EQ(error.rfind("`pipeline !== 0`: write `!=`, not `!==`; ", 0), 0u) << error;
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
  // The error of loading a memory whose guidelines.yaml holds cell_organization's guidelines `items`.
  const auto refused = [&](const std::string& items) -> std::string {
    {
      std::ofstream out(dir / "guidelines.yaml");
      out << "schema_version: 1\nguidelines:\n  cell_organization:\n" << items;
    }
    try {
      Memory::load(dir);
    } catch (const judge::Error& e) {
      return e.what();
    }
    return "(loaded)";
  };
  std::string what = refused("    - text: when share >= lots -> score 1\n      source: learnt\n");
  EXPECT_NE(what.find("guidelines.yaml:4"), std::string::npos) << what;
  EXPECT_NE(what.find("must be a number"), std::string::npos) << what;
  // A rule edited with `=>` for `->` (learnt or manual) would turn into prose silently: refused, the error
  // naming the arrow; manual prose that starts with "When" (line 6) is fine.
  what = refused(
      "    - text: when trains_model => score 1\n      source: learnt\n"
      "    - text: When cells are long, split them.\n      source: manual\n");
  EXPECT_NE(
      what.find("guidelines.yaml:4: rule of `cell_organization`: `=>` is not the rule's arrow: write `->` (a "
                "hyphen and >) between the tests and the action"),
      std::string::npos)
      << what;
  EXPECT_EQ(what.find("guidelines.yaml:6"), std::string::npos) << what;
  // A learnt rule edited into no rule at all (its arrow deleted) is refused too: learnt guidelines are rules.
  what = refused("    - text: when trains_model score 1\n      source: learnt\n");
  EXPECT_NE(
      what.find("guidelines.yaml:4: a `learnt` guideline of `cell_organization` is a rule, and this one "
                "does not parse: no `->` between the tests and the action"),
      std::string::npos)
      << what;
}

namespace {

// An episode of `dimension` with the judge's verdict at alignment (`judge_score`, or nullopt with
// `status`) and the human label (nullopt = N/A); `facts` empty = aligned with a judge that keeps none.
Episode rule_episode(const std::string& nb, const std::string& dimension, std::map<std::string, double> facts,
                     std::optional<double> judge_score, std::optional<double> human,
                     judge::verdict::Status status = judge::verdict::Status::scored) {
  Episode e;
  e.id = nb + "#" + dimension;
  e.notebook = nb;
  e.dimension = dimension;
  e.labels = {nb + "#" + dimension + "#r1"};
  e.facts = std::move(facts);
  e.judge_status = judge_score ? judge::verdict::Status::scored : status;
  e.judge_score = judge_score;
  e.human_score = human;
  return e;
}

// Eight episodes counted by hand against the rules of RecountsSupportFromTheEpisodes.
std::vector<Episode> support_episodes() {
  using judge::verdict::Status;
  const std::string d = "library_installation";
  return {rule_episode("e1", d, {{"uninstalled_packages", 2}}, 2, 1),  // at most 1 -> 1: right
          rule_episode("e2", d, {{"uninstalled_packages", 1}}, 3, 1),  // 1: right
          rule_episode("e3", d, {{"uninstalled_packages", 1}}, 2, 2),  // 1, human 2: wrong
          rule_episode("e4", d, {{"uninstalled_packages", 0}}, 3, 3),  // not covered by u >= 1
          rule_episode("e5", d, {{"uninstalled_packages", 3}}, std::nullopt, std::nullopt,
                       Status::not_applicable),  // N/A stays N/A, human N/A: right
          rule_episode("e6", d, {{"uninstalled_packages", 1}}, std::nullopt, 1, Status::unscored),  // no case
          rule_episode("e7", d, {}, 2, 1),                                             // no facts: no case
          rule_episode("e8", "model_training", {{"uninstalled_packages", 5}}, 2, 1)};  // another dimension
}

}  // namespace

TEST(FactRule, RecountsSupportFromTheEpisodes) {
  const auto episodes = support_episodes();
  std::string error;
  auto support = [&](const char* text, const std::string& dimension = "library_installation") {
    const auto rule = parse_fact_rule(text, error);
    EXPECT_TRUE(rule) << text << ": " << error;
    return rule_support(*rule, dimension, episodes);
  };
  // u >= 1 covers e1, e2, e3, e5 (e6 unscored and e7 without facts are no cases); right on e1, e2, e5.
  auto s = support("when uninstalled_packages >= 1 -> score at most 1 (18 of 20 labels)");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->covers, 4u);
  EXPECT_EQ(s->right, 3u);
  EXPECT_EQ(s->cites, (std::vector<std::string>{"e1#library_installation#r1", "e2#library_installation#r1",
                                                "e5#library_installation#r1"}));
  // The threshold edited to 2: e1 and e5, both right.
  s = support("when uninstalled_packages >= 2 -> score at most 1 (18 of 20 labels)");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->covers, 2u);
  EXPECT_EQ(s->right, 2u);
  // rule_score is the judge's score at alignment (0 for N/A): e2 and e4 (3), right on e2 only.
  s = support("when rule_score >= 3 -> score 1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->covers, 2u);
  EXPECT_EQ(s->right, 1u);
  // The action edited to N/A: of e1, e2, e3, e5 only e5 is N/A for people.
  s = support("when uninstalled_packages >= 1 -> N/A");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->covers, 4u);
  EXPECT_EQ(s->right, 1u);
  // model_training's one episode (e8) has facts: u >= 1 covers it and at most 1 makes its 2 a 1, as people.
  s = support("when uninstalled_packages >= 1 -> score at most 1", "model_training");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->covers, 1u);
  EXPECT_EQ(s->right, 1u);
  // A dimension whose episodes have no facts (an LLM judge's memory), or that has none: not countable.
  std::vector<Episode> llm{rule_episode("e9", "data_imputation", {}, 2, 2)};
  EXPECT_FALSE(rule_support(*parse_fact_rule("when always -> score 2", error), "data_imputation", llm));
  EXPECT_FALSE(
      rule_support(*parse_fact_rule("when always -> score 2", error), "cell_organization", episodes));
}

// An episode whose verdict another judge gave (kept while its notebook could not be judged again) is no case:
// its verdict is not the memory judge's. e2 of support_episodes marked so: u >= 1 covers e1, e3, e5, right on
// e1 and e5.
TEST(FactRule, AnotherJudgesVerdictIsNoCase) {
  auto episodes = support_episodes();
  episodes[1].verdict_judge = "command:./old-judge";
  EXPECT_FALSE(rule_case(episodes[1]));
  std::string error;
  const auto s = rule_support(*parse_fact_rule("when uninstalled_packages >= 1 -> score at most 1", error),
                              "library_installation", episodes);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->covers, 3u);
  EXPECT_EQ(s->right, 2u);
  EXPECT_EQ(s->cites, (std::vector<std::string>{"e1#library_installation#r1", "e5#library_installation#r1"}));
}

TEST(FactRule, StatedSupportReadsTheCommentAlignWrites) {
  EXPECT_EQ(support_comment(18, 20), "(18 of 20 labels)");
  const auto s = stated_support("when uninstalled_packages >= 1 -> score at most 1 (18 of 20 labels)");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->right, 18u);
  EXPECT_EQ(s->covers, 20u);
  EXPECT_TRUE(stated_support("when a -> N/A (1 of 1 label)"));
  for (const char* text : {"when a -> N/A", "when a -> N/A (kept by hand)", "when a -> N/A (18 of 20)",
                           "when a -> N/A (18 of 20 labels) x", "Prose (18 of 20 labels)"})
    EXPECT_FALSE(stated_support(text)) << text;
}

// A comment that starts with a number or speaks of labels states a count; when stated_support cannot read it,
// unreadable_support gives it as written (trimmed, no parentheses). Any other comment, or none, states none.
TEST(FactRule, UnreadableSupportIsACountCommentStatedSupportCannotRead) {
  EXPECT_EQ(unreadable_support("when a -> N/A (18 of labels)"), "18 of labels");
  EXPECT_EQ(unreadable_support("when a -> N/A ( 18 of 20 )"), "18 of 20");
  EXPECT_EQ(unreadable_support("when a -> score 1 (eighteen of 20 Labels)"), "eighteen of 20 Labels");
  EXPECT_EQ(unreadable_support("when a -> score 1 (18 of 20 labels, checked)"), "18 of 20 labels, checked");
  for (const char* text :
       {"when a -> N/A", "when a -> N/A (kept by hand)", "when a -> N/A (labelled by hand)",
        "when a -> N/A (label noise suspected)", "when a -> N/A (18 of 20 labels)",
        "when a -> N/A (1 of 1 label)", "Prose (18 of labels)", "when a -> N/A (18 of labels) x"})
    EXPECT_EQ(unreadable_support(text), "") << text;
}
