// SPDX-License-Identifier: MIT
#include "judge/align/align.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "judge/memory/excerpt.hpp"
#include "judge/memory/fact_rule.hpp"
#include "judge/scoring/facts.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/stats/rule_tree.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/parallel.hpp"
#include "judge/util/time.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::align {

namespace {

std::string fingerprint(const labels::ResolvedLabel& r, const std::string& policy) {
  nlohmann::ordered_json j;
  j["policy"] = policy;
  j["score"] = r.score ? nlohmann::ordered_json(*r.score) : nlohmann::ordered_json(nullptr);
  for (const auto* l : r.sources)
    j["labels"].push_back({l->id(),
                           l->score ? nlohmann::ordered_json(*l->score) : nlohmann::ordered_json(nullptr),
                           l->feedback});
  return util::sha256_hex(j.dump());
}

std::string joined_feedback(const labels::ResolvedLabel& r) {
  if (r.sources.size() == 1) return r.sources.front()->feedback;
  std::string out;
  for (const auto* l : r.sources)
    if (!l->feedback.empty())
      out += (out.empty() ? "" : "\n") + (l->rater.empty() ? "" : l->rater + ": ") + l->feedback;
  return out;
}

std::vector<Record> records_of(const memory::Episode& e, const labels::LabelSet& labels) {
  std::vector<Record> out;
  for (const auto& l : labels.labels)
    if (std::binary_search(e.labels.begin(), e.labels.end(), l.id()) && !l.feedback.empty())
      out.push_back({l.id(), l.dimension, l.score, l.feedback});
  return out;
}

// `rubric` cut to the dimensions `labels` are on, in rubric order (rubric::select_dimensions keeps its hash).
rubric::Rubric labelled_rubric(const rubric::Rubric& rubric,
                               const std::vector<const labels::ResolvedLabel*>& labels) {
  std::string ids;
  for (const auto& d : rubric.dimensions)
    if (std::any_of(labels.begin(), labels.end(), [&](const auto* r) { return r->dimension == d.id; }))
      ids += (ids.empty() ? "" : ",") + d.id;
  return rubric::select_dimensions(rubric, ids);
}

// The rule of a text, without its comment ("when trains_model -> score 1").
std::string rule_only(const std::string& text) {
  std::string error;
  const auto rule = memory::parse_fact_rule(text, error);
  return rule ? memory::format_fact_rule(*rule) : text;
}

// Why a guideline a reflection model wrote is left out, or "" when it is kept. A text that reads as a rule
// of the offline judge (memory::is_fact_rule: `when ... ->`) is a rule wherever memory is loaded, never
// prose, and the offline judge would apply it ahead of its learnt rules. Its rules come from the labels
// (learnt: fitted, and kept only where cross-validation says they beat the judge) or from a person; a model's
// rule is neither, so every one is left out, whether or not it parses. It is not rewritten into prose: the
// text is the model's, and the loader deliberately never reads a rule-looking text as prose. Prose is kept.
constexpr const char* k_reflection_rule_why =
    "the offline judge's rules are learnt from the labels (and kept only where cross-validation says they "
    "help) or written by a person; a reflection model's rule is neither";

std::string unusable_reflection_rule(const memory::Guideline& g) {
  if (!memory::is_fact_rule(g.text)) return "";
  std::string error;
  std::string why = k_reflection_rule_why;
  if (!memory::parse_fact_rule(g.text, error)) {
    why += " (nor does it parse: ";
    why += error;
    why += ")";
  }
  return why;
}

// How alike two rule texts are: the tests (fact and operator) they share, plus 1 for the same action.
std::size_t likeness(const std::string& a, const std::string& b) {
  std::string error;
  const auto x = memory::parse_fact_rule(a, error), y = memory::parse_fact_rule(b, error);
  if (!x || !y) return 0;
  std::size_t n = x->then.kind == y->then.kind && x->then.score == y->then.score;
  for (const auto& t : x->when)
    n += std::any_of(y->when.begin(), y->when.end(),
                     [&](const memory::FactTest& u) { return u.fact == t.fact && u.op == t.op; });
  return n;
}

// The learnt rules a person edited or deleted in guidelines.yaml since align wrote them, read against the
// memory's record of what it wrote (Memory::learnt_record; nothing without one: a memory saved before the
// record was kept has every learnt rule taken for align's own, as before).
struct HandEdits {
  struct Edit {
    std::string dimension;
    std::string text;      // the rule as the person left it: kept, as a manual rule
    std::string original;  // the learnt rule align had written that it replaces; "" when none matches
  };
  std::vector<Edit> edited;
  std::vector<std::pair<std::string, std::string>> deleted;  // (dimension, the text align had written)
  std::map<std::string, std::vector<std::string>> withheld;  // LearntRecord::withheld, with this run's
  // Whether align leaves out a rule it learnt: one of the shape of a rule a person edited or deleted.
  bool withholds(const std::string& dimension, const std::string& text) const {
    const auto it = withheld.find(dimension);
    const std::string shape = rule_shape(text);
    return it != withheld.end() && std::any_of(it->second.begin(), it->second.end(),
                                               [&](const auto& w) { return rule_shape(w) == shape; });
  }
};

// Why pairing: an edit removes the text align wrote and adds another, a deletion only removes one. Each
// edited rule (a learnt one whose text align did not write) is paired with the most alike text align wrote
// that is gone from the file (the same tests and action count most), in file order; texts left unpaired were
// deleted.
HandEdits hand_edits(const memory::Memory& memory) {
  HandEdits out;
  const auto& record = memory.learnt_record();
  if (!record) return out;
  std::set<std::string> dimensions;
  for (const auto& [d, r] : *record) {
    dimensions.insert(d);
    out.withheld[d] = r.withheld;
  }
  const auto& all = memory.all_guidelines();
  for (const auto& g : all)
    if (g.source == "learnt") dimensions.insert(g.dimension);
  for (const auto& d : dimensions) {
    std::vector<std::string> gone;
    if (const auto it = record->find(d); it != record->end())
      for (const auto& text : it->second.written)
        if (std::none_of(all.begin(), all.end(),
                         [&](const memory::Guideline& g) { return g.dimension == d && g.text == text; }))
          gone.push_back(text);
    std::vector<bool> paired(gone.size(), false);
    for (const auto& g : all) {
      if (g.dimension != d || !memory.edited_by_hand(g)) continue;
      std::optional<std::size_t> best;
      for (std::size_t i = 0; i < gone.size(); ++i)
        if (!paired[i] && (!best || likeness(g.text, gone[i]) > likeness(g.text, gone[*best]))) best = i;
      if (best) paired[*best] = true;
      out.edited.push_back({d, g.text, best ? gone[*best] : ""});
      if (best) out.withheld[d].push_back(rule_only(gone[*best]));
    }
    for (std::size_t i = 0; i < gone.size(); ++i)
      if (!paired[i]) {
        out.deleted.emplace_back(d, gone[i]);
        out.withheld[d].push_back(rule_only(gone[i]));
      }
  }
  return out;
}

// "line 12", "lines 12 and 16", "lines 12, 16 and 20".
std::string lines_text(const std::vector<int>& lines) {
  std::string out = lines.size() == 1 ? "line " : "lines ";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += i + 1 == lines.size() ? " and " : ", ";
    out += std::to_string(lines[i]);
  }
  return out;
}

// The warnings about what a person edited or deleted, once the guidelines to save are set (their lines are
// those of the file to be written); `left_out`: per dimension, the learnt rules align did not write back.
std::vector<scoring::FactRuleProblem> hand_edit_warnings(
    const HandEdits& hand, const memory::Memory& memory,
    const std::map<std::string, std::vector<std::string>>& left_out) {
  std::vector<scoring::FactRuleProblem> out;
  // What align learnt again of the same shape as `text`, said when it was left out.
  auto again = [&](const std::string& dimension, const std::string& text) {
    const auto it = left_out.find(dimension);
    if (text.empty() || it == left_out.end()) return std::string();
    for (const auto& l : it->second)
      if (rule_shape(l) == rule_shape(text)) {
        std::string said = "; align learnt it again (`";
        said += l;
        said += "`) and left it out";
        return said;
      }
    return std::string();
  };
  for (const auto& e : hand.edited) {
    int line = 0;
    std::vector<int> learnt;
    for (const auto& g : memory.all_guidelines()) {
      if (g.dimension != e.dimension) continue;
      if (g.source == "manual" && g.text == e.text && line == 0) line = g.line;
      if (g.source == "learnt") learnt.push_back(g.line);
    }
    std::string what = e.dimension + ": ";
    if (!e.original.empty()) {
      what += "the learnt rule `";
      what += e.original;
      what +=
          "` was edited by hand since judge align wrote it; it is kept as edited, as a manual rule "
          "(source: manual)";
      what += again(e.dimension, e.original);
    } else {
      what +=
          "this rule says source: learnt, but judge align did not write it; it is kept as a manual rule "
          "(source: manual)";
    }
    if (learnt.empty()) {
      what += "; no learnt rule of ";
      what += e.dimension;
      what += " follows it, so the judge applies it wherever its tests hold";
    } else {
      what += "; the judge applies the first rule that matches, and the ";
      what += std::to_string(learnt.size());
      what += learnt.size() == 1 ? " learnt rule" : " learnt rules";
      what += " align wrote for ";
      what += e.dimension;
      what += " (";
      what += lines_text(learnt);
      what += learnt.size() == 1 ? ") comes" : ") come";
      what += " after it: it wins wherever its tests hold";
    }
    out.push_back({line, what});
  }
  for (const auto& [dimension, text] : hand.deleted) {
    std::string what = dimension + ": the learnt rule `";
    what += text;
    what += "` that judge align wrote is no longer in the file (deleted by hand?)";
    const std::string said = again(dimension, text);
    what += said.empty() ? "; align did not learn it again" : said;
    what += "; to have it back, write it in guidelines.yaml with source: manual";
    out.push_back({0, what});
  }
  return out;
}

// Whether the memory's rules for `dimension`, applied as judge eval applies them (scoring::apply_fact_rules)
// to the episodes' facts and the judge's verdicts at alignment, give every labelled episode they leave
// scored one score while the labels (scored ones) use several: that score and the labels' counts.
std::optional<AlignSummary::OneScore> one_score(const memory::Memory& memory, const std::string& dimension,
                                                const std::vector<memory::Episode>& episodes) {
  std::set<double> given;
  AlignSummary::OneScore out;
  for (const auto& e : episodes) {
    if (e.dimension != dimension) continue;
    const auto c = memory::rule_case(e);
    if (!c || !c->human) continue;
    std::vector<verdict::Verdict> v(1);
    v[0].dimension = dimension;
    v[0].status = c->judge ? verdict::Status::scored : verdict::Status::not_applicable;
    v[0].score = c->judge;
    scoring::apply_fact_rules(memory, c->facts, v);
    if (v[0].status != verdict::Status::scored || !v[0].score) continue;
    given.insert(*v[0].score);
    ++out.labels[*c->human];
  }
  if (given.size() != 1 || out.labels.size() < 2) return std::nullopt;
  out.score = *given.begin();
  return out;
}

}  // namespace

std::map<std::string, AlignSummary::OneScore> rules_giving_one_score(const memory::Memory& memory) {
  std::map<std::string, bool> dimensions;  // with a rule: whether a person's is among them
  for (const auto& g : memory.all_guidelines()) {
    std::string error;
    if (!memory::parse_fact_rule(g.text, error)) continue;
    dimensions[g.dimension] = dimensions[g.dimension] || g.source != "learnt";
  }
  std::map<std::string, AlignSummary::OneScore> out;
  for (const auto& [d, manual] : dimensions)
    if (auto one = one_score(memory, d, memory.episodes())) {
      one->manual = manual;
      out[d] = std::move(*one);
    }
  return out;
}

bool follows_majority(const AlignSummary::OneScore& one) {
  std::size_t most = 0;
  for (const auto& [score, n] : one.labels) most = std::max(most, n);
  const auto given = one.labels.find(one.score);
  return given != one.labels.end() && given->second == most;
}

std::string label_counts_text(const AlignSummary::OneScore& one) {
  std::string counts;
  std::size_t i = 0;
  for (const auto& [score, n] : one.labels) {
    counts += i == 0 ? "" : i + 1 == one.labels.size() ? " and " : ", ";
    counts += labels::format_score(score);
    counts += " to ";
    counts += std::to_string(n);
    ++i;
  }
  return counts;
}

std::vector<memory::Guideline> learn_fact_rules(const rubric::Rubric& rubric, const std::string& dimension,
                                                const std::vector<memory::Episode>& episodes) {
  std::vector<scoring::FactInfo> vocabulary;  // the facts that bear on the dimension
  for (const auto& f : scoring::fact_vocabulary())
    if (scoring::fact_informs(f, dimension)) vocabulary.push_back(f);
  std::vector<std::string> names;
  for (const auto& f : vocabulary) names.push_back(f.name);
  names.push_back("rule_score");
  std::vector<std::vector<double>> x;
  std::vector<std::optional<double>> base, human;
  for (const auto& e : episodes) {
    if (e.dimension != dimension) continue;
    const auto c = memory::rule_case(e);
    if (!c) continue;
    std::vector<double> row;
    for (const auto& name : names) {
      const auto it = c->facts.find(name);
      row.push_back(it == c->facts.end() ? 0.0 : it->second);
    }
    x.push_back(std::move(row));
    base.push_back(c->judge);
    human.push_back(c->human);
  }
  stats::RuleTreeOptions options;
  if (!rubric.scale.empty()) {
    options.scale.clear();
    for (const auto& p : rubric.scale) options.scale.push_back(p.score);
    options.allow_na = rubric.allows_na;
  }
  options.na_cost = (options.scale.back() - options.scale.front()) * 0.75;
  const stats::RuleTree tree = stats::fit_rule_tree(x, base, human, options);
  std::vector<memory::Guideline> out;
  for (const auto& leaf : tree.leaves) {
    if (leaf.action.kind == stats::ActionKind::keep) continue;
    memory::FactRule rule;
    rule.then = leaf.action;
    // A path may test one fact twice ("eda_kinds < 5" then "eda_kinds < 2"): keep the tighter test only.
    std::vector<stats::Condition> path;
    for (const auto& c : leaf.when) {
      auto same = std::find_if(path.begin(), path.end(), [&](const stats::Condition& p) {
        return p.feature == c.feature && p.at_least == c.at_least;
      });
      if (same == path.end())
        path.push_back(c);
      else
        same->threshold =
            c.at_least ? std::max(same->threshold, c.threshold) : std::min(same->threshold, c.threshold);
    }
    for (const auto& c : path) {
      memory::FactTest t;
      t.fact = names[c.feature];
      const bool boolean =
          c.feature < vocabulary.size() && vocabulary[c.feature].kind == scoring::FactKind::boolean;
      if (boolean)
        t.op = c.at_least ? "" : "not";
      else
        t.op = c.at_least ? ">=" : "<", t.value = c.threshold;
      rule.when.push_back(std::move(t));
    }
    // The support written is the rule's own over the episodes (memory::rule_support), the count judge memory
    // show recounts after an edit. Its tests select exactly the rows of its leaf, since every episode the
    // heuristic judge aligned records every fact (a fact missing from a row is 0 here but fails a test).
    const auto support = memory::rule_support(rule, dimension, episodes);
    if (!support) continue;  // never: the tree was fitted on episodes with facts
    memory::Guideline g;
    g.dimension = dimension;
    g.source = "learnt";
    g.text = memory::format_fact_rule(rule) + " " + memory::support_comment(support->right, support->covers);
    g.cites = support->cites;
    out.push_back(std::move(g));
  }
  return out;
}

std::string rule_shape(const std::string& text) {
  std::string error;
  auto rule = memory::parse_fact_rule(text, error);
  if (!rule) return "";
  for (auto& t : rule->when) t.value = 0;
  std::sort(rule->when.begin(), rule->when.end(), [](const memory::FactTest& a, const memory::FactTest& b) {
    return std::tie(a.fact, a.op) < std::tie(b.fact, b.op);
  });
  return memory::format_fact_rule(*rule);
}

RuleStability rule_stability(const rubric::Rubric& rubric, const std::string& dimension,
                             const std::vector<memory::Episode>& episodes, std::size_t threads,
                             std::size_t max_refits) {
  std::vector<memory::Episode> mine;  // the dimension's episodes a fit reads (learn_fact_rules' rows)
  for (const auto& e : episodes)
    if (e.dimension == dimension && memory::rule_case(e)) mine.push_back(e);
  const auto rules_of = [&](const std::vector<memory::Episode>& from) {
    std::set<std::string> out;
    for (const auto& g : learn_fact_rules(rubric, dimension, from)) out.insert(rule_only(g.text));
    return out;
  };
  RuleStability out;
  out.episodes = mine.size();
  std::vector<std::size_t> left_out;  // the episode each refit leaves out
  if (max_refits == 0 || mine.size() <= max_refits)
    for (std::size_t i = 0; i < mine.size(); ++i) left_out.push_back(i);
  else
    for (std::size_t i = 0; i < max_refits; ++i) left_out.push_back(i * mine.size() / max_refits);
  out.refits = left_out.size();
  const std::set<std::string> full = rules_of(mine);
  std::vector<std::set<std::string>> refit(left_out.size());
  util::parallel_for(left_out.size(), threads, [&](std::size_t i) {
    std::vector<memory::Episode> rest;
    rest.reserve(mine.size() - 1);
    for (std::size_t j = 0; j < mine.size(); ++j)
      if (j != left_out[i]) rest.push_back(mine[j]);
    refit[i] = rules_of(rest);
  });
  for (const auto& r : full) out.lost_without[r];
  // A refit learns a rule again when it learns one of the same shape (rule_shape: the same facts, tests
  // and action; a threshold may move with the labels, "share >= 0.33" becoming "share >= 0.39").
  std::set<std::string> full_shapes;
  for (const auto& r : full) full_shapes.insert(rule_shape(r));
  std::map<std::string, std::set<std::string>> instead;
  for (std::size_t i = 0; i < left_out.size(); ++i) {
    std::set<std::string> shapes;
    for (const auto& r : refit[i]) shapes.insert(rule_shape(r));
    for (const auto& r : full) {
      if (shapes.count(rule_shape(r))) continue;
      out.lost_without[r].push_back(mine[left_out[i]].notebook);
      for (const auto& other : refit[i])
        if (!full_shapes.count(rule_shape(other))) instead[r].insert(other);
    }
  }
  for (auto& [rule, notebooks] : out.lost_without) std::sort(notebooks.begin(), notebooks.end());
  for (const auto& [rule, others] : instead) out.instead[rule].assign(others.begin(), others.end());
  return out;
}

namespace {

// "a.ipynb, b.ipynb and c.ipynb": every name when there are at most four, else the first three "and N more"
// (N at least 2: a fourth name takes no more room than "and 1 more").
std::string some_of(const std::vector<std::string>& names) {
  constexpr std::size_t k_all_up_to = 4, k_shown = 3;
  const std::size_t shown = names.size() <= k_all_up_to ? names.size() : k_shown;
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) {
    out += i == 0 ? "" : i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  if (shown < names.size()) {
    out += " and ";
    out += std::to_string(names.size() - shown);
    out += " more";
  }
  return out;
}

}  // namespace

std::vector<FragileRule> fragile_rules(const memory::Memory& memory, const rubric::Rubric& rubric,
                                       const std::set<std::string>& dimensions, std::size_t threads) {
  std::set<std::string> written;  // "dimension\nrule" of the learnt rules in guidelines.yaml
  std::set<std::string> persons;  // "dimension\nshape" of a person's rules: kept whatever the labels say
  std::set<std::string> learnt;   // dimensions with a learnt rule
  for (const auto& g : memory.all_guidelines()) {
    std::string error;
    const auto rule = memory::parse_fact_rule(g.text, error);
    if (!rule) continue;
    if (g.source == "learnt" && !memory.edited_by_hand(g)) {
      written.insert(g.dimension + "\n" + memory::format_fact_rule(*rule));
      learnt.insert(g.dimension);
    } else {  // a person's, or a learnt rule a person edited (align keeps it as manual)
      persons.insert(g.dimension + "\n" + rule_shape(g.text));
    }
  }
  std::vector<FragileRule> out;
  for (const auto& d : dimensions) {
    if (!learnt.count(d) || !rubric.find(d)) continue;
    const auto st = rule_stability(rubric, d, memory.episodes(), threads);
    const std::string how = st.refits < st.episodes
                                ? " refits, each leaving out one of " + std::to_string(st.episodes) +
                                      " labelled notebooks picked evenly"
                                : " refits, each leaving one labelled notebook out";
    for (const auto& [rule, without] : st.lost_without) {
      if (without.empty() || !written.count(d + "\n" + rule) || persons.count(d + "\n" + rule_shape(rule)))
        continue;  // held by every refit, not in the file as learnt, or a person's rule says it already
      std::string why = "does not learn it without the label of ";
      why += without.size() == 1 ? "" : "any one of ";
      why += some_of(without);
      why += " (learnt again in " + std::to_string(st.refits - without.size()) + " of " +
             std::to_string(st.refits) + how;
      if (const auto it = st.instead.find(rule); it != st.instead.end()) {
        why += "; those refits learn ";
        for (std::size_t i = 0; i < it->second.size(); ++i) {
          why += i == 0 ? "" : i + 1 == it->second.size() ? " and " : ", ";
          why += '`';
          why += it->second[i];
          why += '`';
        }
        why += " instead";
      }
      why += ')';
      out.push_back({d, rule, std::move(why)});
    }
  }
  return out;
}

void record_fragile_rules(memory::Memory& memory, const rubric::Rubric& rubric,
                          const std::map<std::string, std::size_t>& rules_learnt, std::size_t threads) {
  auto record = memory.learnt_record().value_or(std::map<std::string, memory::LearntRecord>{});
  std::set<std::string> dimensions;
  for (const auto& [d, n] : rules_learnt) {
    record[d].fragile.clear();
    if (n > 0) dimensions.insert(d);
  }
  for (auto& f : fragile_rules(memory, rubric, dimensions, threads))
    record[f.dimension].fragile[f.rule] = std::move(f.why);
  memory.set_learnt_record(std::move(record));
}

std::map<std::string, Refit> refit_learnt_rules(memory::Memory& memory, const rubric::Rubric& rubric,
                                                const std::set<std::string>& dimensions,
                                                AlignSummary* learnt) {
  std::map<std::string, Refit> out;
  // What a person edited or deleted since align wrote the rules stays withheld, as align would keep it.
  const HandEdits hand = hand_edits(memory);
  auto record = memory.learnt_record().value_or(std::map<std::string, memory::LearntRecord>{});
  std::map<std::string, std::vector<memory::Guideline>> fitted;
  for (const auto& d : dimensions) {
    if (!rubric.find(d)) continue;  // never, with the memory's own rubric
    Refit& r = out[d];
    r.labelled = std::any_of(memory.episodes().begin(), memory.episodes().end(),
                             [&](const memory::Episode& e) { return e.dimension == d; });
    auto& rules = fitted[d];
    if (r.labelled)
      for (auto& g : learn_fact_rules(rubric, d, memory.episodes())) {
        if (hand.withholds(d, g.text)) {
          r.withheld.push_back(rule_only(g.text));
          continue;
        }
        rules.push_back(std::move(g));
      }
    auto& entry = record[d];
    entry.written.clear();
    for (const auto& g : rules) entry.written.push_back(g.text);
    r.written = entry.written;
    if (const auto it = hand.withheld.find(d); it != hand.withheld.end())
      for (const auto& w : it->second)
        if (std::find(entry.withheld.begin(), entry.withheld.end(), w) == entry.withheld.end())
          entry.withheld.push_back(w);
    if (entry.written.empty() && entry.withheld.empty()) record.erase(d);  // as align records nothing of it
  }
  // Each dimension's learnt rules go after its last other guideline; a dimension with none, before the first
  // guideline of a dimension the rubric puts after it (else at the end): align's order.
  std::vector<memory::Guideline> guidelines;
  for (const auto& g : memory.all_guidelines())
    if (!(g.source == "learnt" && fitted.count(g.dimension) && !memory.edited_by_hand(g)))
      guidelines.push_back(g);
  const auto rank = [&](const std::string& d) {
    for (std::size_t i = 0; i < rubric.dimensions.size(); ++i)
      if (rubric.dimensions[i].id == d) return i;
    return rubric.dimensions.size();
  };
  for (auto& [dimension, rules] : fitted) {
    const std::string& d = dimension;  // a structured binding may not be captured (clang before C++20's rule)
    const auto last = std::find_if(guidelines.rbegin(), guidelines.rend(),
                                   [&](const memory::Guideline& g) { return g.dimension == d; });
    auto at = last.base();
    if (last == guidelines.rend())
      at = std::find_if(guidelines.begin(), guidelines.end(),
                        [&](const memory::Guideline& g) { return rank(g.dimension) > rank(d); });
    guidelines.insert(at, std::make_move_iterator(rules.begin()), std::make_move_iterator(rules.end()));
  }
  memory.set_guidelines(std::move(guidelines));
  memory.set_learnt_record(std::move(record));
  std::map<std::string, std::size_t> refitted;  // the dimensions refitted, with their learnt rules now
  for (const auto& [d, r] : out) refitted[d] = r.written.size();
  record_fragile_rules(memory, rubric, refitted,
                       std::max<std::size_t>(1, std::thread::hardware_concurrency()));
  std::vector<std::string> unlearnt;  // "dimension: why", every dimension's
  memory.set_blend_weights(scoring::calibrate_memory(memory, memory.provenance().k, &unlearnt));
  if (!learnt) return out;
  // As align says them, for the dimensions refitted with an episode left (align leaves out a dimension
  // without labels): what they learnt, and which rules give every labelled notebook one score.
  for (const auto& [d, r] : out) {
    if (!r.labelled) continue;
    learnt->rules_learnt[d] = r.written.size();
    if (!r.withheld.empty()) learnt->rules_withheld[d] = r.withheld.size();
  }
  for (auto& [d, one] : rules_giving_one_score(memory))
    if (learnt->rules_learnt.count(d)) learnt->rules_one_score[d] = std::move(one);
  for (auto& line : unlearnt)
    if (learnt->rules_learnt.count(line.substr(0, line.find(": ")))) learnt->blend_unlearnt.push_back(line);
  return out;
}

std::optional<notebook::Notebook> read_item(const std::filesystem::path& dir, const std::string& item,
                                            std::string& hash, std::string& error) {
  const auto bang = item.find("!/");
  const auto file = dir / item.substr(0, bang);
  try {
    hash = util::sha256_hex(util::read_file(file));
  } catch (const Error& e) {
    error = e.what();
    return std::nullopt;
  }
  auto result = notebook::read_file(file);
  for (auto& nb : result.notebooks)
    if (bang == std::string::npos || nb.path.ends_with(item.substr(bang))) {
      nb.name = item;  // relative to the notebooks folder, as read_path names it: prompts do not hold `dir`
      return std::move(nb);
    }
  error = result.errors.empty() ? file.string() + ": no notebook " + item : result.errors.front().message();
  return std::nullopt;
}

Replaced episodes_replaced(const memory::Memory& memory, const labels::LabelSet& labels,
                           const std::string& policy) {
  std::map<std::string, std::string> fingerprints;  // episode id -> the fingerprint its new label would give
  for (const auto& r : labels::resolve(labels, policy))
    fingerprints[r.item + "#" + r.dimension] = fingerprint(r, policy);
  std::set<std::string> kept;  // episodes of skipped notebooks, which align keeps as they are
  for (const auto& l : labels.skipped) kept.insert(l.item + "#" + l.dimension);
  Replaced out;
  for (const auto& e : memory.episodes()) {
    if (kept.count(e.id)) continue;
    const auto it = fingerprints.find(e.id);
    if (it == fingerprints.end())
      ++out.removed;
    else if (it->second != e.label_fingerprint)
      ++out.relabelled;
  }
  return out;
}

AlignSummary align(memory::Memory& memory, const labels::LabelSet& all_labels, const AlignOptions& options) {
  if (!options.rubric || !options.judge) throw Error("align: rubric and judge are required");
  const rubric::Rubric& rubric = *options.rubric;
  AlignSummary summary;
  // 0. Labels a tombstone names (judge memory forget) stay out, as if the file lacked them. Labels of
  // notebooks the caller left out (LabelSet::skipped) stay in, unread, so that memory keeps their episodes.
  labels::LabelSet labels;
  labels.source = all_labels.source;
  labels.hash = all_labels.hash;
  std::set<std::string> skipped;
  for (const auto& l : all_labels.skipped) skipped.insert(l.item);
  for (const auto* list : {&all_labels.labels, &all_labels.skipped})
    for (const auto& l : *list)
      if (memory.is_forgotten(l.item, l.id()))
        ++summary.labels_forgotten;
      else
        labels.labels.push_back(l);
  summary.guidelines_before = memory.all_guidelines().size();
  // A repaired folder (Memory::recovered) may hold episodes of a save before a judge change that its
  // memory.json already records: whose verdicts they hold is unknown.
  const bool judge_changed = memory.recovered() || memory.provenance().judge != options.judge->spec();
  // A judge that calls no model is free: re-score every notebook so recorded verdicts follow rule changes.
  const bool rejudge_all = judge_changed || !options.judge->calls_model();

  // 1. One wanted episode per resolved (item, dimension).
  const auto resolved = labels::resolve(labels, options.rater_policy);
  std::map<std::string, std::vector<const labels::ResolvedLabel*>> by_item;
  for (const auto& r : resolved) {
    if (!rubric.find(r.dimension))
      throw Error(labels.source + ": dimension \"" + r.dimension + "\" is not in rubric " + rubric.id);
    by_item[r.item].push_back(&r);
  }
  std::map<std::string, std::vector<std::string>> vocabulary;
  for (const auto& d : rubric.dimensions) vocabulary[d.id] = memory::dimension_vocabulary(d);

  // 2. Read the notebooks, decide what changed, run the judge where needed.
  struct Item {
    std::string name;
    std::vector<const labels::ResolvedLabel*> labels;
    std::optional<notebook::Notebook> nb;
    std::string hash, error;
    bool judge = false;
    std::vector<verdict::Verdict> verdicts;
  };
  std::vector<Item> items;
  for (auto& [name, list] : by_item) items.push_back({name, list, std::nullopt, "", "", false, {}});
  util::parallel_for(items.size(), options.parallel, [&](std::size_t i) {
    Item& it = items[i];
    if (!skipped.count(it.name)) it.nb = read_item(options.notebooks_dir, it.name, it.hash, it.error);
  });
  std::vector<memory::Episode> episodes;
  std::set<std::string> stale_labels;  // labels whose content changed: their old citations are void
  std::set<std::string> kept_ids;
  for (auto& it : items) {
    if (!it.nb) {
      const bool left_out = skipped.count(it.name) > 0;
      if (left_out) {
        ++summary.notebooks_skipped;
      } else {
        summary.warnings.push_back("skipped " + it.name + ": " + it.error);
        ++summary.notebooks_unreadable;
      }
      for (const auto* r : it.labels)  // keep what memory had for it
        if (const auto* old = memory.find_episode(r->item + "#" + r->dimension)) {
          episodes.push_back(*old);
          kept_ids.insert(old->id);
          summary.episodes_skipped_kept += left_out;
          // Its verdict stays marked with the judge that gave it, unless that is this run's judge.
          auto& kept = episodes.back();
          if (kept.own_verdict()) kept.verdict_judge = memory.provenance().judge;
          if (kept.verdict_judge == options.judge->spec()) kept.verdict_judge.clear();
        }
      continue;
    }
    for (const auto* r : it.labels) {
      memory::Episode e;
      e.id = r->item + "#" + r->dimension;
      e.notebook = r->item;
      e.dimension = r->dimension;
      e.human_score = r->score;
      e.feedback = joined_feedback(*r);
      for (const auto* l : r->sources) e.labels.push_back(l->id());
      std::sort(e.labels.begin(), e.labels.end());
      e.label_fingerprint = fingerprint(*r, options.rater_policy);
      e.notebook_hash = it.hash;
      const auto* old = memory.find_episode(e.id);
      const bool same_labels = old && old->label_fingerprint == e.label_fingerprint;
      if (old && same_labels && old->notebook_hash == it.hash) {
        e = *old;
        ++summary.episodes_unchanged;
      } else {
        old ? ++summary.episodes_changed : ++summary.episodes_added;
        summary.episodes_relabelled += old && !same_labels;
        if (old && !same_labels) stale_labels.insert(old->labels.begin(), old->labels.end());
        if (old && same_labels) e.distilled = old->distilled;  // only the notebook changed
        e.excerpt = memory::excerpt(*it.nb, vocabulary[e.dimension]);
        it.judge = true;
      }
      if (rejudge_all || !e.own_verdict()) it.judge = true;  // another judge's verdict: judge it again
      episodes.push_back(std::move(e));
      kept_ids.insert(episodes.back().id);
    }
  }
  std::vector<std::size_t> to_judge;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].judge) to_judge.push_back(i);
  // Only the labelled dimensions of a notebook are asked about: a verdict without a label has no episode.
  util::parallel_for(to_judge.size(), options.parallel, [&](std::size_t n) {
    Item& it = items[to_judge[n]];
    it.verdicts = options.judge->score(*it.nb, labelled_rubric(rubric, it.labels), scoring::MemoryUse{});
  });
  summary.notebooks_judged = to_judge.size();
  std::map<std::string, const verdict::Verdict*> verdict_of;
  for (const auto& it : items)
    for (const auto& v : it.verdicts) {
      verdict_of[it.name + "#" + v.dimension] = &v;
      ++summary.verdicts_made;
      summary.verdicts_unscored += v.status == verdict::Status::unscored;
    }
  // Facts for the offline judge's learnt rules (free to compute; kept with the episodes).
  if (options.judge->learns_fact_rules()) {
    std::map<std::string, std::map<std::string, double>> facts_of;
    for (const auto& it : items)
      if (it.nb) facts_of[it.name] = scoring::notebook_facts(*it.nb);
    for (auto& e : episodes)
      if (auto f = facts_of.find(e.notebook); f != facts_of.end()) e.facts = f->second;
  }
  for (auto& e : episodes)
    if (auto v = verdict_of.find(e.id); v != verdict_of.end()) {
      e.judge_status = v->second->status;
      e.judge_score = v->second->status == verdict::Status::scored ? v->second->score : std::nullopt;
      e.judge_rationale = verdict::failed(v->second->status) ? v->second->error : v->second->rationale;
      e.verdict_judge.clear();  // this run's judge's
    }
  std::set<std::string> other_judges;
  for (const auto& e : episodes)
    if (!e.own_verdict()) {
      ++summary.episodes_other_judge;
      other_judges.insert(e.verdict_judge);
      if (std::find(summary.notebooks_other_judge.begin(), summary.notebooks_other_judge.end(), e.notebook) ==
          summary.notebooks_other_judge.end())
        summary.notebooks_other_judge.push_back(e.notebook);
    }
  summary.other_judges.assign(other_judges.begin(), other_judges.end());
  std::set<std::string> dirty_dimensions;
  for (const auto& old : memory.episodes())
    if (!kept_ids.count(old.id)) {
      ++summary.episodes_removed;
      stale_labels.insert(old.labels.begin(), old.labels.end());
      dirty_dimensions.insert(old.dimension);
    }
  for (const auto& e : episodes)
    if (!e.distilled) dirty_dimensions.insert(e.dimension);

  // 3. Embeddings.
  std::vector<std::string> corpus;
  for (const auto& e : episodes) corpus.push_back(e.excerpt);
  const bool all = memory.embedder().fit(corpus);
  std::vector<std::size_t> to_embed;
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    const auto* old = memory.find_episode(episodes[i].id);
    const bool same_text = old && old->excerpt == episodes[i].excerpt && !old->vector.empty();
    if (!all && same_text && episodes[i].vector.empty())
      episodes[i].vector = old->vector;  // labels changed, not the text
    if (all || !same_text) {
      to_embed.push_back(i);
      texts.push_back(episodes[i].excerpt);
    }
  }
  const auto vectors = texts.empty() ? std::vector<memory::Vector>{} : memory.embedder().embed(texts);
  for (std::size_t n = 0; n < to_embed.size(); ++n) episodes[to_embed[n]].vector = vectors[n];

  // 4. Guidelines: void citations of changed or removed labels, then distill what is not distilled yet.
  std::set<std::string> valid;
  for (const auto& e : episodes) valid.insert(e.labels.begin(), e.labels.end());
  for (const auto& s : stale_labels) valid.erase(s);
  // A learnt rule a person edited is theirs now: kept as a manual rule, which align leaves alone.
  const HandEdits hand = hand_edits(memory);
  std::vector<memory::Guideline> guidelines = memory.all_guidelines();
  for (auto& g : guidelines)
    if (memory.edited_by_hand(g)) g.source = "manual";
  if (!options.reflection)  // offline: redo the extractive guidelines of every dimension with a change
    std::erase_if(guidelines, [&](const memory::Guideline& g) {
      return g.source == "extractive" && dirty_dimensions.count(g.dimension);
    });
  guidelines = merge_guidelines(std::move(guidelines), valid);
  for (const auto& e : episodes) valid.insert(e.labels.begin(), e.labels.end());
  // A reflection rule an earlier version kept (it parsed) goes as one written now would (below).
  std::erase_if(guidelines, [&](const memory::Guideline& g) {
    if (g.source != "reflection" || !memory::is_fact_rule(g.text)) return false;
    summary.warnings.push_back(g.dimension + ": removed the guideline `" + g.text +
                               "`, a rule a reflection model wrote that an earlier version kept: " +
                               k_reflection_rule_why + "; to apply it, give it source: manual");
    return true;
  });

  std::vector<memory::Guideline> fresh;
  if (options.reflection) {
    struct Batch {
      const rubric::Dimension* dimension;
      std::vector<Record> records;
      std::optional<std::vector<memory::Guideline>> result;
      std::string error;
    };
    std::vector<Batch> batches;
    for (const auto& d : rubric.dimensions) {
      std::vector<Record> records;
      for (const auto& e : episodes)
        if (e.dimension == d.id && !e.distilled)
          for (auto& r : records_of(e, labels)) records.push_back(std::move(r));
      for (auto& b : make_batches(records, options.batch))
        batches.push_back({&d, std::move(b), std::nullopt, ""});
    }
    util::parallel_for(batches.size(), options.parallel, [&](std::size_t i) {
      Batch& b = batches[i];
      std::vector<memory::Guideline> known;
      // Rules (learnt or a person's) are not shown: LLM judges never see them, and a model shown rules
      // restates them as its own.
      for (const auto& g : guidelines)
        if (g.dimension == b.dimension->id && !memory::is_fact_rule(g.text)) known.push_back(g);
      const auto request = reflection_request(rubric, *b.dimension, b.records, known);
      const auto result = options.reflection->chat(request);
      llm::stop_if_fatal(options.reflection->spec(),
                         result);  // would fail every batch: stop, as the judge does
      if (!result.ok())
        b.error = std::string(llm::to_string(result.error->kind)) + ": " + result.error->message;
      else
        b.result = parse_reflection(result.response->content, b.dimension->id, b.records, b.error);
      // An unusable reply leaves the response cache, else every later run would get it back.
      if (result.ok() && !b.result) options.reflection->reject(request);
    });
    std::set<std::string> failed;
    for (auto& b : batches) {
      if (!b.result) {
        ++summary.reflection_failed;
        summary.warnings.push_back("reflection batch of " + std::to_string(b.records.size()) + " " +
                                   b.dimension->id + " records failed (retried next run): " + b.error);
        for (const auto& r : b.records) failed.insert(r.label_id);
        continue;
      }
      ++summary.reflection_calls;
      summary.records_distilled += b.records.size();
      for (auto& g : *b.result) {
        if (const std::string why = unusable_reflection_rule(g); !why.empty()) {
          summary.warnings.push_back(
              g.dimension + ": left out the guideline `" + g.text + "` that reflection " +
              options.reflection->spec() +
              " wrote: it reads as a rule of the offline judge (it starts with `when` and has `->`, or `if` "
              "or another arrow before an action), and " +
              why + "; to apply it, write it into guidelines.yaml with source: manual");
          continue;
        }
        fresh.push_back(std::move(g));
      }
    }
    for (auto& e : episodes)
      e.distilled = e.distilled || std::none_of(e.labels.begin(), e.labels.end(),
                                                [&](const std::string& l) { return failed.count(l) > 0; });
  } else {
    for (const auto& d : rubric.dimensions) {
      if (!dirty_dimensions.count(d.id)) continue;
      std::vector<Record> records;
      for (const auto& e : episodes)
        if (e.dimension == d.id)
          for (auto& r : records_of(e, labels)) records.push_back(std::move(r));
      summary.records_distilled += records.size();
      for (auto& g : distill_extractive(rubric, d.id, records)) fresh.push_back(std::move(g));
    }
    for (auto& e : episodes) e.distilled = true;
  }
  // Rubric order of dimensions; within one, existing guidelines first.
  std::vector<memory::Guideline> ordered;
  for (const auto& d : rubric.dimensions) {
    for (const auto& g : guidelines)
      if (g.dimension == d.id) ordered.push_back(g);
    for (const auto& g : fresh)
      if (g.dimension == d.id) ordered.push_back(g);
  }
  for (const auto& g : guidelines)  // hand-written guidelines of dimensions the rubric lacks stay
    if (!rubric.find(g.dimension)) ordered.push_back(g);
  // Learnt rules are refitted from all episodes each run (they are never merged as near-duplicates: two rules
  // share most words and still say different things).
  std::erase_if(ordered, [](const memory::Guideline& g) { return g.source == "learnt"; });
  ordered = merge_guidelines(std::move(ordered), valid);
  std::map<std::string, std::vector<std::string>> left_out;  // learnt again, not written back (withheld)
  if (options.judge->learns_fact_rules()) {
    std::vector<memory::Guideline> with_rules;
    for (const auto& d : rubric.dimensions) {
      for (const auto& g : ordered)
        if (g.dimension == d.id) with_rules.push_back(g);
      // A dimension without labels has nothing to learn from: it is not reported as "no rule beat the judge".
      if (std::none_of(episodes.begin(), episodes.end(),
                       [&](const memory::Episode& e) { return e.dimension == d.id; }))
        continue;
      std::size_t written = 0;
      for (auto& g : learn_fact_rules(rubric, d.id, episodes)) {
        if (hand.withholds(d.id, g.text)) {  // a person edited or deleted it: not written back
          left_out[d.id].push_back(rule_only(g.text));
          continue;
        }
        with_rules.push_back(std::move(g));
        ++written;
      }
      summary.rules_learnt[d.id] = written;
      if (left_out.count(d.id)) summary.rules_withheld[d.id] = left_out[d.id].size();
    }
    for (const auto& g : ordered)
      if (!rubric.find(g.dimension)) with_rules.push_back(g);
    ordered = std::move(with_rules);
  }
  memory.set_guidelines(std::move(ordered));
  summary.hand_edits = hand_edit_warnings(hand, memory, left_out);
  // Rules that give every labelled notebook one score: learnt ones, or a person's (source: manual), which
  // align keeps as written and which may be what does it.
  for (const auto& [d, written] : summary.rules_learnt) {
    const bool manual = std::any_of(memory.all_guidelines().begin(), memory.all_guidelines().end(),
                                    [&, &dim = d](const memory::Guideline& g) {
                                      std::string error;
                                      return g.dimension == dim && g.source != "learnt" &&
                                             memory::parse_fact_rule(g.text, error).has_value();
                                    });
    if (written > 0 || manual)
      if (auto one = one_score(memory, d, episodes)) {
        one->manual = manual;
        summary.rules_one_score[d] = std::move(*one);
      }
  }
  // The record of what this run wrote, read by the next one; a rule withheld stays withheld.
  std::map<std::string, memory::LearntRecord> record;
  for (const auto& g : memory.all_guidelines())
    if (g.source == "learnt") record[g.dimension].written.push_back(g.text);
  for (const auto& [d, rules] : hand.withheld)
    for (const auto& r : rules) {
      auto& withheld = record[d].withheld;
      if (std::find(withheld.begin(), withheld.end(), r) == withheld.end()) withheld.push_back(r);
    }
  memory.set_learnt_record(std::move(record));
  memory.set_episodes(std::move(episodes));
  if (options.check_fragile_rules)
    record_fragile_rules(memory, rubric, summary.rules_learnt, options.parallel);
  memory.set_vocabulary(std::move(vocabulary));
  memory.set_blend_weights(scoring::calibrate_memory(memory, options.k, &summary.blend_unlearnt));
  summary.guidelines_after = memory.all_guidelines().size();

  memory::Provenance& p = memory.provenance();
  p.judge = options.judge->spec();
  p.reflection = options.reflection ? options.reflection->spec() : "";
  p.embeddings = memory.embedder().spec();
  p.labels_file = options.labels_file.empty() ? labels.source : options.labels_file;
  p.labels_hash = labels.hash;
  p.rubric_id = rubric.id;
  p.rubric_hash = rubric.hash;
  p.rater_policy = options.rater_policy;
  p.k = options.k;
  p.updated = util::utc_now();
  if (p.created.empty()) p.created = p.updated;
  return summary;
}

}  // namespace judge::align
