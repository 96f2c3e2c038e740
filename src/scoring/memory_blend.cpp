// SPDX-License-Identifier: MIT
// The heuristic judge with memory: corrects its rule verdicts by what people said about similar notebooks.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "judge/memory/memory.hpp"
#include "judge/scoring/heuristic_rules.hpp"

namespace judge::scoring {

namespace {

// Why a residual correction rather than a plain nearest-neighbour average: each episode records the judge's
// own verdict at alignment next to the human one, so the neighbours say how wrong this judge tends to be on
// notebooks like this one. Adding their similarity-weighted mean error (human - judge) to the rule score
// keeps good rules where they agreed with people and moves poor ones toward the people; with constant
// rules it reduces to the weighted mean of the neighbours' human scores. The same logic decides N/A: each
// neighbour votes "N/A" when the rule's call, flipped if the judge's call was wrong on that neighbour, is
// N/A; a weighted majority above one half makes the verdict N/A (a tie counts as applicable, like labels).
// Neighbours where the judge gave no verdict vote with their human label. Weights: cosine similarity
// (negative ones count 0). The blended score stays within the range of the rule and neighbours' scores.
void blend(Verdict& v, const std::vector<memory::Retrieved>& hits) {
  const bool rule_known = v.status != Status::unscored;
  const bool rule_na = v.status == Status::not_applicable;
  const bool rule_scored = v.status == Status::scored && v.score.has_value();
  double w_all = 0, w_na = 0, w_res = 0, sum_res = 0, w_h = 0, sum_h = 0;
  double lo = rule_scored ? *v.score : 1e300, hi = rule_scored ? *v.score : -1e300;
  for (const auto& r : hits) {
    const auto& e = *r.episode;
    const double w = std::max(0.0, r.similarity);
    if (w <= 0) continue;
    const bool h_na = !e.human_score;
    const bool j_known = e.judge_status == "scored" || e.judge_status == "not_applicable";
    const bool vote_na = rule_known && j_known ? rule_na != (h_na != (e.judge_status == "not_applicable")) : h_na;
    w_all += w;
    w_na += vote_na ? w : 0;
    if (!h_na) {
      w_h += w;
      sum_h += w * *e.human_score;
      lo = std::min(lo, *e.human_score);
      hi = std::max(hi, *e.human_score);
      if (e.judge_status == "scored" && e.judge_score) {
        w_res += w;
        sum_res += w * (*e.human_score - *e.judge_score);
      }
    }
  }
  if (w_all <= 0) return;
  const double rule_score = rule_scored ? *v.score : 0;
  std::ostringstream note;
  if (w_na / w_all > 0.5) {
    if (!rule_na) note << "memory: similar labelled notebooks say N/A";
    v.status = Status::not_applicable;
    v.score.reset();
  } else {
    double s;
    if (rule_scored && w_res > 0)
      s = rule_score + sum_res / w_res;
    else if (w_h > 0)
      s = sum_h / w_h;
    else
      return;
    s = std::clamp(s, lo, hi);
    note << "memory: ";
    if (rule_scored)
      note << "rule score " << rule_score << " corrected";
    else
      note << "scored";
    note << " by similar labelled notebooks";
    v.status = Status::scored;
    v.score = std::round(s * 100) / 100;
    v.error.clear();
  }
  if (!note.str().empty()) v.rationale += (v.rationale.empty() ? "" : "; ") + note.str();
  nlohmann::ordered_json used = nlohmann::ordered_json::array();
  for (const auto& r : hits) used.push_back(r.episode->id);
  v.extra["episodes"] = used;
  v.extra["rule_score"] = rule_scored ? nlohmann::ordered_json(rule_score) : nlohmann::ordered_json(nullptr);
}

}  // namespace

void apply_memory(const notebook::Notebook& nb, const Context& context, std::vector<Verdict>& verdicts) {
  if (!context.memory) return;
  for (auto& v : verdicts) {
    const auto hits = context.memory->retrieve(v.dimension, context.memory->excerpt(nb, v.dimension), context.top_k);
    if (!hits.empty()) blend(v, hits);
  }
}

}  // namespace judge::scoring
