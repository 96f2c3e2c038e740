// SPDX-License-Identifier: MIT
// What judge align and judge memory forget say of the heuristic judge's learnt rules after a fit.
#include "judge/cli/learnt.hpp"

#include <cstdio>
#include <iostream>

#include "judge/labels/labels.hpp"
#include "judge/util/table.hpp"
#include "judge/util/text.hpp"

namespace judge::cli {

namespace {

// The widest line of these messages: a long one (a list of notebooks or rules) wraps, its further lines
// indented, as the validate tables fit 120 columns.
constexpr std::size_t k_width = 120;

// Warnings for learnt rules that one label decides (align::fragile_rules, which align and forget's refit
// record in the memory's learnt record), of the dimensions of `s`: a rule the labels give that a refit
// without one labelled notebook does not learn. Why: a forgotten, mistyped or later-corrected label then
// changes what the judge applies, and a rule held by one label is one the next notebooks may not bear out.
// judge memory show says the same under each such rule.
void warn_fragile_rules(const memory::Memory& memory, const align::AlignSummary& s) {
  if (!memory.learnt_record()) return;
  for (const auto& [d, r] : *memory.learnt_record()) {
    if (!s.rules_learnt.count(d)) continue;
    for (const auto& [rule, why] : r.fragile)
      std::cerr << "judge: warning: " << d << ": a learnt rule rests on few labels:\n  " << rule << "\n  "
                << util::wrap_text("align " + why +
                                       "; more labels like theirs settle it, or write it in guidelines.yaml "
                                       "with source: manual to keep it as it is",
                                   k_width - 2, "  ");
  }
}

}  // namespace

void print_learnt(const memory::Memory& memory, const align::AlignSummary& s) {
  if (s.rules_learnt.empty()) return;
  std::string learnt, none;
  for (const auto& [d, n] : s.rules_learnt) {
    const auto withheld = s.rules_withheld.count(d) ? s.rules_withheld.at(d) : 0;
    std::string& list = n || withheld ? learnt : none;
    list += list.empty() ? "" : ", ";
    list += d;
    if (n || withheld) {
      list += " ";
      list += std::to_string(n);
    }
    if (withheld) {
      list += " (";
      list += std::to_string(withheld);
      list += withheld == 1 ? " more left out: a person edited or deleted it)"
                            : " more left out: a person edited or deleted them)";
    }
  }
  std::string line = "learnt rules: " + (learnt.empty() ? std::string("none") : learnt);
  if (!none.empty()) line += "; no rule beat the judge's own verdicts on " + none;
  std::cout << util::wrap_text(line + " (guidelines.yaml, source: learnt)", k_width, "  ");
  if (!s.blend_unlearnt.empty()) {
    std::cerr
        << "judge: warning: the heuristic judge's memory blend learnt no weight for "
        << s.blend_unlearnt.size()
        << " dimension(s); there memory leaves the rule verdict alone (weight 0; more labels fix it):\n";
    for (const auto& line : s.blend_unlearnt) std::cerr << "  " << line << "\n";
  }
  warn_fragile_rules(memory, s);
  for (const auto& [d, one] : s.rules_one_score) {
    const std::string counts = align::label_counts_text(one);  // "1 to 21, 2 to 3 and 3 to 3"
    // A rule a person wrote among them (source: manual) may be what gives the one score: then it is not
    // the learner's majority rule, and the advice is to check that rule, not to write one.
    const bool manual = one.manual;
    const bool majority = align::follows_majority(one);
    std::cerr << "judge: warning: " << d << ": with these rules" << (manual ? ", yours among them," : "")
              << " the judge gives every labelled notebook it scores a " << labels::format_score(one.score)
              << ", while the labels give " << counts
              << (majority ? ": the rules follow the labels' majority and tell those notebooks apart no "
                             "more (MAE falls, QWK drops toward 0: judge validate's comparison shows both). "
                           : ": the rules tell those notebooks apart no more (QWK drops toward 0: judge "
                             "validate's comparison shows it). ");
    if (manual)
      std::cerr << "Check your rules of " << d << " in guidelines.yaml (source: manual): align keeps them as "
                << "written and fits its own rules around them\n";
    else
      std::cerr << "On all these labels, no rule on its facts that told the others apart held up in the "
                   "learner's cross-validation (a refit without a label a warning above names may learn "
                   "one); a rule you write in guidelines.yaml (source: manual) can say it\n";
  }
  // The episodic blend's weights move scores too (to fractions), so a change to them is said, not only
  // kept.
  std::string moved;
  std::size_t still = 0;
  for (const auto& [d, n] : s.rules_learnt) {
    const auto it = memory.blend_weights().find(d);
    if (it == memory.blend_weights().end() || (it->second.score == 0 && it->second.na == 0)) {
      ++still;
      continue;
    }
    moved += moved.empty() ? "" : ", ";
    moved += d;
    char weight[32];
    std::snprintf(weight, sizeof weight, " %g", it->second.score);
    moved += weight;
    if (it->second.na > 0) moved += " (may overturn N/A)";
  }
  std::cout << "episodic blend weights: "
            << (moved.empty() ? "0 on every dimension aligned: episodes change no verdict" : moved);
  if (!moved.empty() && still > 0) std::cout << "; 0 on the other " << util::count_text(still, "dimension");
  std::cout << " (memory.json blend_weights; judge memory show says why a weight is 0)\n";
}

}  // namespace judge::cli
