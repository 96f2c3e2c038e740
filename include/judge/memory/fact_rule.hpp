// SPDX-License-Identifier: MIT
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/stats/rule_tree.hpp"

namespace judge::memory {

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
/// "(9 of 10 labels)") is ignored.
struct FactRule {
  std::vector<FactTest> when;
  stats::RuleAction then;
  std::string source;  ///< the guideline's source ("learnt" when judge align fitted it, else as written)

  /// True when every test holds on `facts`; a fact missing from `facts` makes the rule not match.
  bool matches(const std::map<std::string, double>& facts) const;
};

/// True when a guideline text is written as a rule: it starts with "when " (case-insensitive) and has a `->`.
/// Prose that merely starts with "When" ("When a model is trained, check for missing values first.", as
/// people and reflection models write guidelines) is not a rule: it stays a guideline for LLM judges.
bool is_fact_rule(std::string_view text);

/// Parses a rule text (one starting with "when "); nullopt with `error` set (what is wrong and the form
/// expected) when it does not parse.
std::optional<FactRule> parse_fact_rule(std::string_view text, std::string& error);

/// The rule as text, without a comment: "when trains_model, not missing_value_checks -> score at most 1".
/// parse_fact_rule(format_fact_rule(r)) gives r back.
std::string format_fact_rule(const FactRule& rule);

/// Every fact name `rule` tests.
std::vector<std::string> fact_names(const FactRule& rule);

}  // namespace judge::memory
