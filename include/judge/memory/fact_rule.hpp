// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/stats/rule_tree.hpp"

namespace judge::memory {

struct Episode;  // memory.hpp

/// One test of a learnt rule on a named fact (docs/facts.md): `fact` (value not 0), `not fact` (value 0) or
/// `fact OP number` with OP one of >=, >, <=, <, =, !=.
struct FactTest {
  std::string fact;
  std::string op;  ///< "", "not", ">=", ">", "<=", "<", "=", "!="
  double value = 0;
  bool holds(double x) const;
};

/// A rule of the offline judge's semantic memory, kept as a guideline whose text reads
///   when FACT_TEST, FACT_TEST, ... -> ACTION [(comment)]
/// with ACTION one of `score N`, `score at most N`, `score at least N`, `N/A` or `keep` (the judge's own
/// verdict stands; since the first matching rule wins, a `keep` rule switches off the rules after it for the
/// notebooks it matches); `when always -> ...` has no tests. A trailing parenthesised comment (align writes
/// "(9 of 10 labels)", support_comment) is ignored by the judge; judge memory show compares it with the
/// support recounted now (rule_support), since an edit leaves it as written.
struct FactRule {
  std::vector<FactTest> when;
  stats::RuleAction then;
  std::string source;  ///< the guideline's source ("learnt" when judge align fitted it, else as written)
  int line = 0;        ///< the guideline's line in guidelines.yaml (Guideline::line; 0 when unknown)

  /// True when every test holds on `facts`; a fact missing from `facts` makes the rule not match.
  bool matches(const std::map<std::string, double>& facts) const;
};

/// True when a guideline text is written as a rule: it starts with "when " (case-insensitive) and has a `->`
/// (or `=>`, the arrow mistyped, so that parse_fact_rule's error names it instead of the text passing as
/// prose). Prose that merely starts with "When" ("When a model is trained, check for missing values first.",
/// as people and reflection models write guidelines) is not a rule: it stays a guideline for LLM judges.
bool is_fact_rule(std::string_view text);

/// Parses a rule text (one starting with "when "); nullopt with `error` set (what is wrong and the form
/// expected) when it does not parse.
std::optional<FactRule> parse_fact_rule(std::string_view text, std::string& error);

/// The rule as text, without a comment: "when trains_model, not missing_value_checks -> score at most 1".
/// parse_fact_rule(format_fact_rule(r)) gives r back.
std::string format_fact_rule(const FactRule& rule);

/// Every fact name `rule` tests.
std::vector<std::string> fact_names(const FactRule& rule);

/// What a rule of the offline judge is fitted on and counted over, from one episode: the notebook's facts at
/// alignment (Episode::facts) with `rule_score` added (the judge's score at alignment, 0 for N/A), the
/// judge's verdict at alignment (nullopt = N/A) and the human label (nullopt = N/A). nullopt for an episode
/// without facts (aligned with a judge that learns no rules, such as an LLM judge), whose judge gave no
/// usable verdict (unscored), or whose verdict another judge gave (Episode::own_verdict false).
struct RuleCase {
  std::map<std::string, double> facts;
  std::optional<double> judge;
  std::optional<double> human;
};
std::optional<RuleCase> rule_case(const Episode& episode);

/// How well a rule describes the labelled episodes of its dimension.
struct RuleSupport {
  std::size_t covers = 0;          ///< episodes whose case the rule's tests match (FactRule::matches)
  std::size_t right = 0;           ///< of those, the ones whose human label the rule's verdict equals
  std::vector<std::string> cites;  ///< the label ids of the `right` episodes, sorted
};

/// The support of `rule` over the episodes of `dimension` that have a rule_case: `covers` counts those its
/// tests match (the rule alone, whatever the rules before it), `right` those of them where the verdict its
/// action makes of the judge's verdict at alignment (stats::apply_action) equals the human label exactly,
/// N/A only with N/A. This is the one definition of a rule's support: judge align writes it into a learnt
/// rule's text (support_comment) and cites `cites`; judge memory show recounts it after the text was edited.
/// nullopt when no episode of `dimension` has facts: the support cannot be counted from this memory.
std::optional<RuleSupport> rule_support(const FactRule& rule, const std::string& dimension,
                                        const std::vector<Episode>& episodes);

/// The comment judge align writes after a learnt rule's text: "(18 of 20 labels)" for right 18, covers 20.
std::string support_comment(std::size_t right, std::size_t covers);

/// The support a rule text states in its trailing comment, as support_comment writes it ("... -> score at
/// most 1 (18 of 20 labels)" gives right 18, covers 20; `cites` stays empty); nullopt when the text has no
/// such comment (a rule written by hand, or a comment of another form).
std::optional<RuleSupport> stated_support(std::string_view text);

/// The trailing comment of a rule text that states a support count stated_support cannot read, without its
/// parentheses and trimmed: a comment after the action that starts with a digit, or has the word "label" or
/// "labels" and a digit ("... -> score 1 (18 of labels)" gives "18 of labels"; "(18 of 20)", "(eighteen of
/// 20 labels)"). Empty when the text states no count (no comment, or one of another form: "(kept by hand)",
/// "(label noise suspected)") or states one that stated_support reads.
std::string unreadable_support(std::string_view text);

}  // namespace judge::memory
