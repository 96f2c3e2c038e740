// SPDX-License-Identifier: MIT
// The heuristic judge with memory: corrects its rule verdicts by what people said about similar notebooks.
#include "judge/scoring/memory_blend.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <sstream>

#include "judge/scoring/facts.hpp"
#include "judge/scoring/heuristic_rules.hpp"
#include "judge/util/text.hpp"

namespace judge::scoring {

namespace {

// What memory alone says about an item, given the rule's verdict.
struct MemoryView {
  bool na = false;
  std::optional<double> score;  // when !na
};

// What the judge said of an episode at alignment, as the blend corrects it: its own verdict, moved by the
// memory's learnt rules (applied to the episode's recorded facts) when the verdict being corrected was moved
// by them too, so that the neighbours' residuals measure what the rules left.
struct Judged {
  Status status = Status::unscored;
  std::optional<double> score;
};

// Whether a person wrote `rule` (its guideline's source is not "learnt": manual, or a learnt rule edited by
// hand, which memory indexes as manual). A verdict such a rule decides is final: the blend leaves it alone.
bool by_person(const memory::FactRule& rule) { return rule.source != "learnt"; }

// Whether a person's rule decided verdict `v` (apply_fact_rules recorded its source): final, so neither the
// blend (apply_memory) nor calibration (apply_calibration) moves it.
bool decided_by_person(const Verdict& v) {
  const auto src = v.extra.find("rule_source");
  return src != v.extra.end() && src->is_string() && src->get<std::string>() != "learnt";
}

// The first of `rules` that matches `facts` with rule_score set from (status, score), skipping a person's
// rules when `learnt_only`; nullptr when none.
const memory::FactRule* first_match(const std::vector<memory::FactRule>& rules,
                                    std::map<std::string, double> facts, Status status,
                                    std::optional<double> score, bool learnt_only = false) {
  if (rules.empty() || status == Status::unscored) return nullptr;
  facts["rule_score"] = status == Status::scored && score ? *score : 0.0;
  for (const auto& r : rules)
    if (!(learnt_only && by_person(r)) && r.matches(facts)) return &r;
  return nullptr;
}

// The episode's verdict as the judge and its learnt rules give it. A person's rules are left out: a
// neighbour's residual measures how far the judge is from people on notebooks like it, not how far a rule a
// person wrote on purpose is (that rule decides the notebooks it covers, and no other: set_by_person).
Judged judged(const memory::Episode& e, const std::vector<memory::FactRule>& rules) {
  // unreadable (never recorded at alignment) counts as unscored, as it always has; so does another judge's
  const Status status = e.own_verdict() ? verdict::measured(e.judge_status) : Status::unscored;
  Judged j{status, status == Status::scored ? e.judge_score : std::nullopt};
  if (e.facts.empty()) return j;
  if (const auto* r = first_match(rules, e.facts, j.status, j.score, true)) {
    j.score = stats::apply_action(r->then, j.score);
    j.status = j.score ? Status::scored : Status::not_applicable;
  }
  return j;
}

// Whether the rule apply_fact_rules applies to episode `e` is a person's (whether or not it changes the
// verdict): the blend leaves such a verdict alone (apply_memory), so its weight is not learnt from it either.
bool set_by_person(const memory::Episode& e, const std::vector<memory::FactRule>& rules) {
  if (e.facts.empty() || !e.own_verdict()) return false;
  const Status status = verdict::measured(e.judge_status);
  const auto* r =
      first_match(rules, e.facts, status, status == Status::scored ? e.judge_score : std::nullopt);
  return r && by_person(*r);
}

// Why a residual correction rather than a plain nearest-neighbour average: each episode records the judge's
// own verdict at alignment next to the human one, so the neighbours say how wrong this judge tends to be on
// notebooks like this one. Adding their similarity-weighted mean error (human - judge) to the rule score
// keeps rules where they agreed with people and moves them toward people where they did not; with constant
// rules it reduces to the weighted mean of the neighbours' human scores. The same logic decides N/A: each
// neighbour votes "N/A" when the rule's call, flipped if the judge's call was wrong on that neighbour, is
// N/A; a weighted majority above one half makes it N/A (a tie counts as applicable, like labels).
// Neighbours where the judge gave no verdict vote with their human label. Weights: cosine similarity
// (negative ones count 0). The score stays within the range of the rule's and the neighbours' scores.
std::optional<MemoryView> memory_view(Status rule_status, std::optional<double> rule_score,
                                      const std::vector<memory::Retrieved>& hits,
                                      const std::vector<memory::FactRule>& rules) {
  const bool rule_known = rule_status != Status::unscored;
  const bool rule_na = rule_status == Status::not_applicable;
  const bool rule_scored = rule_status == Status::scored && rule_score.has_value();
  double w_all = 0, w_na = 0, w_res = 0, sum_res = 0, w_h = 0, sum_h = 0;
  double lo = rule_scored ? *rule_score : 1e300, hi = rule_scored ? *rule_score : -1e300;
  for (const auto& r : hits) {
    const auto& e = *r.episode;
    const double w = std::max(0.0, r.similarity);
    if (w <= 0) continue;
    const bool h_na = !e.human_score;
    const Judged jv = judged(e, rules);
    const bool j_known = jv.status != Status::unscored;
    const bool vote_na =
        rule_known && j_known ? rule_na != (h_na != (jv.status == Status::not_applicable)) : h_na;
    w_all += w;
    w_na += vote_na ? w : 0;
    if (h_na) continue;
    w_h += w;
    sum_h += w * *e.human_score;
    lo = std::min(lo, *e.human_score);
    hi = std::max(hi, *e.human_score);
    if (jv.status == Status::scored && jv.score) {
      w_res += w;
      sum_res += w * (*e.human_score - *jv.score);
    }
  }
  if (w_all <= 0) return std::nullopt;
  MemoryView view;
  view.na = w_na / w_all > 0.5;
  if (!view.na) {
    if (rule_scored && w_res > 0)
      view.score = std::clamp(*rule_score + sum_res / w_res, lo, hi);
    else if (w_h > 0)
      view.score = sum_h / w_h;
  }
  return view;
}

// The rule verdict moved toward memory's view by `weight`. Returns false when nothing changes.
bool combine(Verdict& v, const MemoryView& view, const memory::BlendWeight& weight) {
  const bool rule_na = v.status == Status::not_applicable;
  const bool rule_scored = v.status == Status::scored && v.score.has_value();
  // N/A: memory decides when trusted (or when the rule has no verdict), else the rule's call stands.
  const bool na = (weight.na >= 0.5 || v.status == Status::unscored) ? view.na : rule_na;
  if (na) {
    if (rule_na) return false;
    v.status = Status::not_applicable;
    v.score.reset();
    v.rationale +=
        (v.rationale.empty() ? "" : "; ") + std::string("memory: similar labelled notebooks say N/A");
    return true;
  }
  if (!view.score) return false;  // memory has no score to offer; the rule verdict stands
  std::ostringstream note;
  double s;
  if (rule_scored) {
    s = std::round((*v.score + weight.score * (*view.score - *v.score)) * 100) / 100;
    if (s == *v.score) return false;  // weight 0, or no correction: the rule verdict stands as it is
    note << "memory: rule score " << *v.score << " corrected by similar labelled notebooks";
  } else {
    s = std::round(*view.score * 100) / 100;
    note << "memory: scored by similar labelled notebooks";
  }
  v.status = Status::scored;
  v.score = s;
  v.error.clear();
  v.rationale += (v.rationale.empty() ? "" : "; ") + note.str();
  return true;
}

memory::BlendWeight weight_of(const memory::Memory& m, const std::string& dimension) {
  auto it = m.blend_weights().find(dimension);
  return it == m.blend_weights().end() ? memory::BlendWeight{} : it->second;
}

// "!/inner" of a notebook inside a .dbc archive ("ARCHIVE.dbc!/inner"), else empty.
std::string archive_member(const std::string& path) {
  const auto at = path.find("!/");
  return at == std::string::npos ? std::string() : path.substr(at);
}

// nb's own episode (retrieve_episodes): labelled under the same path, or aligned on the same file (for a
// notebook inside a .dbc archive, whose hash is the archive's: the same member of it; the archive's other
// notebooks are other notebooks).
bool is_own(const memory::Episode& e, const notebook::Notebook& nb, const MemoryUse& context) {
  if (e.notebook == nb.path) return true;
  return !context.notebook_hash.empty() && e.notebook_hash == context.notebook_hash &&
         archive_member(e.notebook) == archive_member(nb.path);
}

}  // namespace

void apply_fact_rules(const memory::Memory& memory, const std::map<std::string, double>& facts,
                      std::vector<Verdict>& verdicts) {
  for (auto& v : verdicts) {
    const auto& rules = memory.fact_rules(v.dimension);
    const auto* rule = first_match(rules, facts, v.status, v.score);
    if (!rule) continue;
    const auto before = v.status == Status::scored ? v.score : std::nullopt;
    const auto after = stats::apply_action(rule->then, before);
    // A learnt rule that leaves the verdict as it is is not said; a person's is, as it makes the verdict
    // final (apply_memory).
    if (after == before && (after || v.status == Status::not_applicable) && !by_person(*rule)) continue;
    v.extra["learnt_rule"] = memory::format_fact_rule(*rule);
    v.extra["rule_source"] = rule->source;
    v.extra["rule_score"] = before ? nlohmann::ordered_json(*before) : nlohmann::ordered_json(nullptr);
    // The rules' own N/A note ("N/A: no model is trained") would contradict the score the rule gives.
    if (!before && after && v.rationale.starts_with("N/A: ")) {
      std::string note = "the rules alone said N/A (";
      note.append(v.rationale, 5);
      v.rationale = note + ")";
    }
    v.status = after ? Status::scored : Status::not_applicable;
    v.score = after;
    v.error.clear();
    v.rationale +=
        (v.rationale.empty() ? "" : "; ") +
        (rule->source == "learnt" ? std::string("learnt rule: ") : "rule (" + rule->source + "): ") +
        memory::format_fact_rule(*rule);
  }
}

std::vector<std::string> unknown_guideline_dimensions(const memory::Memory& memory,
                                                      const rubric::Rubric& rubric) {
  std::vector<std::string> out;
  std::map<std::string, std::size_t> unused;
  for (const auto& g : memory.all_guidelines())
    if (!rubric.find(g.dimension)) ++unused[g.dimension];
  std::vector<std::string> ids;
  for (const auto& d : rubric.dimensions) ids.push_back(d.id);
  for (const auto& [dimension, n] : unused) {
    std::string known;
    for (const auto& d : ids) known += (known.empty() ? "" : ", ") + d;
    std::string line = "`" + dimension + "` is not a dimension of rubric " + rubric.id +
                       " (it has: " + known + "), so its " + std::to_string(n) +
                       (n == 1 ? " guideline is" : " guidelines are") + " not used";
    const auto close = util::closest_names(dimension, ids);  // a misspelt key, as closest_fact for a fact
    for (std::size_t i = 0; i < close.size(); ++i) {
      line += i == 0 ? "; did you mean `" : (i + 1 == close.size() ? "` or `" : "`, `");
      line += close[i];
    }
    if (!close.empty()) line += "`?";
    out.push_back(std::move(line));
  }
  return out;
}

std::string closest_fact(std::string_view name) {
  std::vector<std::string> names{"rule_score"};
  for (const auto& f : fact_vocabulary()) names.push_back(f.name);
  const auto closest = util::closest_names(name, names);
  return closest.size() == 1 ? closest.front() : std::string();
}

RuleProblems rule_problems(const memory::FactRule& rule, const rubric::Rubric& rubric) {
  static const std::set<std::string, std::less<>> k_names = [] {
    std::set<std::string, std::less<>> names{"rule_score"};
    for (const auto& f : fact_vocabulary()) names.insert(f.name);
    return names;
  }();
  RuleProblems out;
  const auto& a = rule.then;
  const bool scores = a.kind == stats::ActionKind::set || a.kind == stats::ActionKind::at_most ||
                      a.kind == stats::ActionKind::at_least;
  if (scores && !rubric.scale.empty() &&
      (a.score != std::floor(a.score) || std::fabs(a.score) > 1e9 ||
       !rubric.on_scale(static_cast<int>(a.score))))
    out.errors.push_back(std::string("gives a score off the rubric's scale (") +
                         std::to_string(rubric.min_score()) + " to " + std::to_string(rubric.max_score()) +
                         ")");
  if (a.kind == stats::ActionKind::not_applicable && !rubric.allows_na)
    out.errors.push_back("says N/A, but rubric " + rubric.id + " has no N/A");
  for (const auto& name : memory::fact_names(rule)) {
    if (k_names.count(name)) continue;
    std::string what = "tests `";
    what += name;
    what += "`, which is not a fact (docs/facts.md), so the rule never applies";
    if (const std::string near = closest_fact(name); !near.empty()) {
      what += "; did you mean `";
      what += near;
      what += "`?";
    }
    out.warnings.push_back(std::move(what));
  }
  return out;
}

FactRuleCheck check_fact_rules(const memory::Memory& memory, const rubric::Rubric& rubric) {
  FactRuleCheck out;
  for (const auto& d : rubric.dimensions)
    for (const auto& rule : memory.fact_rules(d.id)) {
      const std::string where = d.id + ": `" + memory::format_fact_rule(rule) + "` ";
      const auto problems = rule_problems(rule, rubric);
      for (const auto& e : problems.errors) out.errors.push_back({rule.line, where + e});
      for (const auto& w : problems.warnings) out.warnings.push_back({rule.line, where + w});
    }
  return out;
}

std::vector<memory::Retrieved> retrieve_episodes(const notebook::Notebook& nb, const std::string& dimension,
                                                 const MemoryUse& context) {
  if (!context.memory) return {};
  memory::Memory::Skip skip;
  if (!context.own_episodes) skip = [&](const memory::Episode& e) { return is_own(e, nb, context); };
  return context.memory->retrieve(dimension, context.memory->excerpt(nb, dimension), context.top_k, skip);
}

std::size_t own_episode_count(const notebook::Notebook& nb, const std::string& dimension,
                              const MemoryUse& context) {
  if (!context.memory || context.own_episodes) return 0;
  std::size_t n = 0;
  for (const auto& e : context.memory->episodes()) n += e.dimension == dimension && is_own(e, nb, context);
  return n;
}

bool labelled_in_memory(const notebook::Notebook& nb, const MemoryUse& context) {
  if (!context.memory) return false;
  const auto& episodes = context.memory->episodes();
  return std::any_of(episodes.begin(), episodes.end(),
                     [&](const memory::Episode& e) { return is_own(e, nb, context); });
}

void apply_memory(const notebook::Notebook& nb, const MemoryUse& context, std::vector<Verdict>& verdicts) {
  if (!context.memory || !context.use_episodes) return;  // the blend uses episodes only, never guidelines
  for (auto& v : verdicts) {
    const auto hits = retrieve_episodes(nb, v.dimension, context);
    if (!context.own_episodes) v.extra["episodes_left_out"] = own_episode_count(nb, v.dimension, context);
    if (hits.empty()) continue;
    // The blend corrects what the judge and its learnt rules say, not what people wrote down.
    if (decided_by_person(v)) continue;
    // The rule verdict's score before the blend, as the record keeps it (null: N/A or unscored).
    const nlohmann::ordered_json rule_score = v.status == Status::scored && v.score
                                                  ? nlohmann::ordered_json(*v.score)
                                                  : nlohmann::ordered_json(nullptr);
    static const std::vector<memory::FactRule> k_no_rules;
    const auto& rules = context.use_guidelines ? context.memory->fact_rules(v.dimension) : k_no_rules;
    const auto view = memory_view(v.status, v.score, hits, rules);
    if (!view) continue;
    const memory::BlendWeight weight = weight_of(*context.memory, v.dimension);
    combine(v, *view, weight);
    nlohmann::ordered_json used = nlohmann::ordered_json::array();
    for (const auto& r : hits) used.push_back(r.episode->id);
    v.extra["episodes"] = used;
    // How far the episodes may move the verdict (memory.json blend_weights): 0, 0 says they were consulted
    // and left it alone, so a reader does not take the list above for what made the score.
    v.extra["blend_weight"] = {{"score", weight.score}, {"na", weight.na}};
    if (!v.extra.contains("rule_score")) v.extra["rule_score"] = rule_score;
  }
}

std::map<std::string, memory::BlendWeight> calibrate_memory(const memory::Memory& memory, int k,
                                                            std::vector<std::string>* unlearnt) {
  constexpr std::array<double, 5> k_weights{0, 0.25, 0.5, 0.75, 1};
  constexpr std::size_t k_min_episodes = 2;  // one episode would decide a dimension's weight on its own
  struct Tally {
    std::array<double, 5> abs_err{}, sq_err{};
    std::size_t na_rule = 0, na_memory = 0;
    std::size_t episodes = 0, na_used = 0, score_used = 0, by_person = 0;
  };
  std::map<std::string, Tally> tally;
  for (const auto& e : memory.episodes()) {
    Tally& t = tally[e.dimension];
    ++t.episodes;
    const auto& rules = memory.fact_rules(e.dimension);
    const Judged own = judged(e, rules);
    const Status rule = own.status;
    if (rule == Status::unscored) continue;
    if (set_by_person(e, rules)) {
      ++t.by_person;
      continue;
    }
    // Leave-one-out as eval leaves a notebook's own episodes out: k others, none of the same file or path.
    const auto hits = memory.retrieve(e.dimension, e.vector, k, [&](const memory::Episode& o) {
      return &o == &e || o.notebook == e.notebook ||
             (!e.notebook_hash.empty() && o.notebook_hash == e.notebook_hash);
    });
    const auto view = memory_view(rule, own.score, hits, rules);
    if (!view) continue;
    const bool h_na = !e.human_score;
    ++t.na_used;
    t.na_rule += (rule == Status::not_applicable) == h_na;
    t.na_memory += view->na == h_na;
    if (h_na || rule != Status::scored || !own.score || !view->score) continue;
    ++t.score_used;
    for (std::size_t i = 0; i < k_weights.size(); ++i) {
      const double err =
          std::fabs(*e.human_score - (*own.score + k_weights[i] * (*view->score - *own.score)));
      t.abs_err[i] += err;
      t.sq_err[i] += err * err;
    }
  }
  auto episodes = [](std::size_t n) { return std::to_string(n) + (n == 1 ? " episode" : " episodes"); };
  std::map<std::string, memory::BlendWeight> out;
  for (const auto& [d, t] : tally) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < k_weights.size(); ++i)
      if (t.abs_err[i] < t.abs_err[best] - 1e-9) best = i;
    // CART's one-standard-error rule (the learnt rules use it to test a rule against none,
    // stats::fit_rule_tree): the smallest weight whose mean error is within one standard error of the lowest
    // one's wins, so a gain within the noise of its own estimate leaves the rule verdict alone.
    if (t.score_used >= 2) {
      const double n = static_cast<double>(t.score_used);
      const double mean = t.abs_err[best] / n;
      const double se = std::sqrt(std::max(0.0, t.sq_err[best] / n - mean * mean)) / std::sqrt(n);
      for (std::size_t i = 0; i < best; ++i)
        if (t.abs_err[i] / n <= mean + se + 1e-9) {
          best = i;
          break;
        }
    }
    // A weight measured on fewer than k_min_episodes episodes is not learnt: 0, memory leaves the rule alone.
    const bool score_learnt = t.score_used >= k_min_episodes, na_learnt = t.na_used >= k_min_episodes;
    memory::BlendWeight& w = out[d];
    w = {score_learnt ? k_weights[best] : 0.0, na_learnt && t.na_memory > t.na_rule ? 1.0 : 0.0, ""};
    if (score_learnt) continue;
    const std::string need = ", at least " + std::to_string(k_min_episodes) + " needed";
    if (t.episodes < k_min_episodes)
      w.unlearnt = episodes(t.episodes) + need;
    else if (!na_learnt)
      w.unlearnt = episodes(t.episodes) + ", " + std::to_string(t.na_used) +
                   " usable (with a judge verdict and a similar episode of another notebook" +
                   (t.by_person ? "; " + std::to_string(t.by_person) +
                                      " decided by a rule a person wrote, which the blend leaves alone"
                                : std::string()) +
                   ")" + need;
    else {
      w.unlearnt = "score weight: ";
      w.unlearnt += episodes(t.score_used) + " of " + std::to_string(t.episodes) +
                    " scored by both people and the judge, with a similar scored episode" + need +
                    " (the N/A weight was learnt)";
    }
    if (unlearnt) unlearnt->push_back(d + ": " + w.unlearnt);
  }
  return out;
}

void apply_calibration(const memory::Calibration& calibration, std::vector<Verdict>& verdicts) {
  for (auto& v : verdicts) {
    const auto m = calibration.maps.find(v.dimension);
    if (m == calibration.maps.end() || v.status != Status::scored || !v.score) continue;
    if (decided_by_person(v)) continue;  // final: not mapped either
    // A score memory set (a learnt rule, or the blend moving the rule score; either records the score before
    // it, null for N/A, in rule_score) is fitted to the labels already; the map, fitted on the judge's own
    // scores, would undo it.
    if (const auto r = v.extra.find("rule_score");
        r != v.extra.end() && (!r->is_number() || r->get<double>() != *v.score))
      continue;
    v.extra["calibrated"] = {{"raw", *v.score}, {"map", stats::isotonic_method_name(calibration.loss)}};
    v.score = m->second(*v.score);
  }
}

}  // namespace judge::scoring
