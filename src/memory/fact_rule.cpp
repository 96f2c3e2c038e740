// SPDX-License-Identifier: MIT
#include "judge/memory/fact_rule.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <system_error>

#include "judge/memory/memory.hpp"
#include "judge/util/text.hpp"

namespace judge::memory {
namespace {

// The shortest text that reads back as exactly `v` (std::to_chars): thresholds such as 1234567 or 0.1234565
// keep every digit, so a rule read back tests what was fitted.
std::string number_text(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? end : buf);
}

// A finite decimal number, whatever the locale ("-1", "0.33", "2e3"; not "0x10", "inf" or "nan").
bool parse_number(std::string_view s, double& out) {
  s = util::trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

bool is_name(std::string_view s) {
  if (s.empty() || !(std::islower(static_cast<unsigned char>(s.front())) || s.front() == '_')) return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '_'))
      return false;
  return true;
}

// "`text`": a part of a rule quoted in an error. Built by appending (GCC 12's -O3 -Werror=restrict flags
// `"`" + std::string(...)` once it is inlined).
std::string quoted(std::string_view text) {
  std::string out = "`";
  out += text;
  out += '`';
  return out;
}

const char* const k_form =
    "expected `when FACT, not FACT, FACT >= N, ... -> score N | score at most N | score at least N | N/A | "
    "keep`";

}  // namespace

bool FactTest::holds(double x) const {
  if (op.empty()) return x != 0;
  if (op == "not") return x == 0;
  if (op == ">=") return x >= value;
  if (op == ">") return x > value;
  if (op == "<=") return x <= value;
  if (op == "<") return x < value;
  if (op == "=") return x == value;
  return x != value;  // "!="
}

bool FactRule::matches(const std::map<std::string, double>& facts) const {
  for (const auto& t : when) {
    const auto it = facts.find(t.fact);
    if (it == facts.end() || !t.holds(it->second)) return false;
  }
  return true;
}

namespace {

bool starts_with_when(std::string_view text) {
  return text.size() >= 5 && util::to_lower(text.substr(0, 5)) == "when ";
}

bool starts_with_if(std::string_view text) {
  return text.size() >= 3 && util::to_lower(text.substr(0, 3)) == "if ";
}

// What people type for `->`: another language's arrow, the arrow characters a word processor or a chat
// turns it into (U+2192, U+21D2, U+27F6), a dash and > (en, em) or a hyphen, space and >.
constexpr std::string_view k_other_arrows[] = {
    "=>", "\xE2\x86\x92", "\xE2\x87\x92", "\xE2\x9F\xB6", "\xE2\x80\x93>", "\xE2\x80\x94>", "- >"};

// Whether what follows `after` in `text` is a whole action (score N, score at most / at least N, N/A, keep,
// and an optional "(comment)"), as parse_fact_rule reads one: prose with an arrow before other words ("->
// keep in mind ...", "→ scores of 3 are fine") is no rule.
bool action_follows(std::string_view text, std::size_t after) {
  std::string error;
  std::string rule = "when x -> ";
  rule += util::trim(text.substr(after));
  return parse_fact_rule(rule, error).has_value();
}

// "when trains_model => score 2": the other arrow before an action (score, N/A, keep), or empty. Prose may
// hold `=>` too ("When it is Scala (rdd.map(x => x * 2)), ..."), and stays prose.
std::string_view mistyped_arrow(std::string_view text) {
  for (const std::string_view arrow : k_other_arrows)
    for (std::size_t at = text.find(arrow); at != std::string_view::npos; at = text.find(arrow, at + 1))
      if (action_follows(text, at + arrow.size())) return arrow;
  return {};
}

// `->` before an action: the shape of a rule, whatever it starts with.
bool arrow_before_action(std::string_view text) {
  for (std::size_t at = text.find("->"); at != std::string_view::npos; at = text.find("->", at + 1))
    if (action_follows(text, at + 2)) return true;
  return false;
}

}  // namespace

bool is_fact_rule(std::string_view text) {
  text = util::trim(text);
  // A mistyped arrow, or `if` for `when`, is read as a rule, so that its parse error says so, not as prose
  // the offline judge never applies.
  if (starts_with_when(text))
    return text.find("->") != std::string_view::npos || !mistyped_arrow(text).empty();
  return starts_with_if(text) && (arrow_before_action(text) || !mistyped_arrow(text).empty());
}

std::optional<FactRule> parse_fact_rule(std::string_view text, std::string& error) {
  text = util::trim(text);
  if (!starts_with_when(text)) {
    error = std::string(starts_with_if(text) ? "a rule starts with `when`, not `if`; "
                                             : "a rule starts with `when`; ") +
            k_form;
    return std::nullopt;
  }
  const std::size_t arrow = text.find("->");
  if (arrow == std::string_view::npos) {
    const std::string_view other = mistyped_arrow(text);
    error = !other.empty()
                ? quoted(other) +
                      " is not the rule's arrow: write `->` (a hyphen and >) between the tests and "
                      "the action; " +
                      k_form
                : std::string("no `->` between the tests and the action; ") + k_form;
    return std::nullopt;
  }
  FactRule rule;
  // Tests.
  const std::string_view tests = util::trim(text.substr(5, arrow - 5));
  if (tests != "always") {
    std::size_t start = 0;
    while (start <= tests.size()) {
      const std::size_t comma = tests.find(',', start);
      const std::string_view part = util::trim(
          tests.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      FactTest t;
      if (util::starts_with(part, "not ")) {
        t.op = "not";
        t.fact = std::string(util::trim(part.substr(4)));
      } else {
        // Comparisons spelt as other languages spell them: said so, with the spelling here.
        for (const auto& [typed, meant] : {std::pair{"=>", ">="}, {"=<", "<="}, {"!==", "!="}, {"==", "="}})
          if (part.find(typed) != std::string_view::npos) {
            error = quoted(part) + ": write `" + meant + "`, not `" + typed + "`; " + k_form;
            return std::nullopt;
          }
        std::size_t at = std::string_view::npos, len = 0;
        for (const char* op : {">=", "<=", "!=", ">", "<", "="})
          if (const std::size_t p = part.find(op); p != std::string_view::npos) {
            at = p;
            len = std::string_view(op).size();
            t.op = op;
            break;
          }
        if (at == std::string_view::npos) {
          t.fact = std::string(part);
        } else {
          t.fact = std::string(util::trim(part.substr(0, at)));
          if (!parse_number(part.substr(at + len), t.value)) {
            error = quoted(part) + ": the value after " + t.op + " must be a number";
            return std::nullopt;
          }
        }
      }
      if (!is_name(t.fact)) {
        error = quoted(part) + " is not a test on a fact name (lower case, digits, _); " + k_form;
        return std::nullopt;
      }
      rule.when.push_back(std::move(t));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  // Action, then an optional "(comment)".
  std::string_view action = util::trim(text.substr(arrow + 2));
  if (const std::size_t paren = action.find('('); paren != std::string_view::npos) {
    if (action.back() != ')') {
      error = quoted(action) + ": a comment after the action must be in parentheses at the end";
      return std::nullopt;
    }
    action = util::trim(action.substr(0, paren));
  }
  const std::string lower = util::to_lower(action);
  auto score_after = [&](std::size_t prefix, stats::ActionKind kind) {
    double v = 0;
    if (!parse_number(std::string_view(action).substr(prefix), v)) return false;
    rule.then = {kind, v};
    return true;
  };
  bool ok = false;
  if (lower == "n/a" || lower == "na") {
    ok = true;
    rule.then = {stats::ActionKind::not_applicable, 0};
  } else if (lower == "keep") {  // the judge's own verdict stands: a rule that stops later ones
    ok = true;
    rule.then = {stats::ActionKind::keep, 0};
  } else if (util::starts_with(lower, "score at most "))
    ok = score_after(14, stats::ActionKind::at_most);
  else if (util::starts_with(lower, "score at least "))
    ok = score_after(15, stats::ActionKind::at_least);
  else if (util::starts_with(lower, "score "))
    ok = score_after(6, stats::ActionKind::set);
  if (!ok) {
    error = quoted(action) + " is not an action; " + k_form;
    return std::nullopt;
  }
  return rule;
}

std::string format_fact_rule(const FactRule& rule) {
  std::string out = "when ";
  if (rule.when.empty()) out += "always";
  for (std::size_t i = 0; i < rule.when.size(); ++i) {
    const auto& t = rule.when[i];
    out += i ? ", " : "";
    if (t.op.empty())
      out += t.fact;
    else if (t.op == "not")
      out += "not " + t.fact;
    else
      out += t.fact + " " + t.op + " " + number_text(t.value);
  }
  out += " -> ";
  switch (rule.then.kind) {
    case stats::ActionKind::set:
      out += "score " + number_text(rule.then.score);
      break;
    case stats::ActionKind::at_most:
      out += "score at most " + number_text(rule.then.score);
      break;
    case stats::ActionKind::at_least:
      out += "score at least " + number_text(rule.then.score);
      break;
    case stats::ActionKind::not_applicable:
      out += "N/A";
      break;
    case stats::ActionKind::keep:
      out += "keep";
      break;
  }
  return out;
}

std::vector<std::string> fact_names(const FactRule& rule) {
  std::vector<std::string> out;
  for (const auto& t : rule.when) out.push_back(t.fact);
  return out;
}

std::optional<RuleCase> rule_case(const Episode& episode) {
  if (episode.facts.empty() || episode.judge_status == verdict::Status::unscored || !episode.own_verdict())
    return std::nullopt;
  const bool scored = episode.judge_status == verdict::Status::scored && episode.judge_score;
  RuleCase c{episode.facts, scored ? episode.judge_score : std::nullopt, episode.human_score};
  c.facts["rule_score"] = scored ? *episode.judge_score : 0.0;
  return c;
}

std::optional<RuleSupport> rule_support(const FactRule& rule, const std::string& dimension,
                                        const std::vector<Episode>& episodes) {
  bool facts = false;
  RuleSupport out;
  for (const auto& e : episodes) {
    if (e.dimension != dimension) continue;
    facts = facts || !e.facts.empty();
    const auto c = rule_case(e);
    if (!c || !rule.matches(c->facts)) continue;
    ++out.covers;
    if (stats::apply_action(rule.then, c->judge) != c->human) continue;
    ++out.right;
    out.cites.insert(out.cites.end(), e.labels.begin(), e.labels.end());
  }
  if (!facts) return std::nullopt;
  std::sort(out.cites.begin(), out.cites.end());
  return out;
}

std::string support_comment(std::size_t right, std::size_t covers) {
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a known false positive) on "(" + std::string&&.
  std::string out = "(";
  out += std::to_string(right);
  out += " of ";
  out += std::to_string(covers);
  out += " labels)";
  return out;
}

namespace {

// The trailing comment of a rule text, parentheses included ("(18 of 20 labels)"): the text from its last
// '(' after the `->` to the ')' it ends with; empty when it has none.
std::string_view trailing_comment(std::string_view text) {
  text = util::trim(text);
  const std::size_t arrow = text.find("->");
  const std::size_t paren = text.rfind('(');
  if (arrow == std::string_view::npos || paren == std::string_view::npos || paren < arrow ||
      !text.ends_with(')'))
    return {};
  return text.substr(paren);
}

// True when `text` has the word `word` (letters on neither side), case-insensitively; "labels" counts as
// "label".
bool has_label_word(std::string_view text) {
  const std::string lower = util::to_lower(text);
  auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t at = lower.find("label"); at != std::string::npos; at = lower.find("label", at + 1)) {
    std::size_t end = at + 5;
    if (end < lower.size() && lower[end] == 's') ++end;
    if ((at == 0 || !letter(lower[at - 1])) && (end == lower.size() || !letter(lower[end]))) return true;
  }
  return false;
}

}  // namespace

std::optional<RuleSupport> stated_support(std::string_view text) {
  const std::string_view comment = trailing_comment(text);
  if (comment.empty()) return std::nullopt;
  // "N of M labels" (or "label"), nothing else.
  std::string_view inner = util::trim(comment.substr(1, comment.size() - 2));
  auto count = [&](std::size_t& out) {
    const auto [end, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), out);
    if (ec != std::errc() || end == inner.data()) return false;
    inner.remove_prefix(static_cast<std::size_t>(end - inner.data()));
    return true;
  };
  auto word = [&](std::string_view w) {
    if (!inner.starts_with(w)) return false;
    inner.remove_prefix(w.size());
    return true;
  };
  RuleSupport s;
  if (!count(s.right) || !word(" of ") || !count(s.covers) || !(word(" labels") || word(" label")) ||
      !inner.empty())
    return std::nullopt;
  return s;
}

std::string unreadable_support(std::string_view text) {
  const std::string_view comment = trailing_comment(text);
  if (comment.empty() || stated_support(text)) return "";
  const std::string_view inner = util::trim(comment.substr(1, comment.size() - 2));
  const bool number = !inner.empty() && std::isdigit(static_cast<unsigned char>(inner.front()));
  // labels spoken of with a number somewhere ("eighteen of 20 labels"), not a note about labels ("label
  // noise suspected")
  const bool digit = std::any_of(inner.begin(), inner.end(),
                                 [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  return number || (has_label_word(inner) && digit) ? std::string(inner) : "";
}

}  // namespace judge::memory
