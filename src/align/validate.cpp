// SPDX-License-Identifier: MIT
// judge validate's core: K-fold cross-validation of alignment.
#include "judge/align/validate.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <unordered_map>

#include "judge/align/align.hpp"
#include "judge/memory/calibration.hpp"
#include "judge/memory/fact_rule.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/stats/folds.hpp"
#include "judge/stats/rng.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/parallel.hpp"
#include "judge/util/text.hpp"

namespace judge::align {

namespace {

// The item part of a label id "item#dimension#rater" (the item itself may hold '#').
std::string item_of_label_id(const std::string& id) {
  const auto rater = id.rfind('#');
  const auto dim = rater == std::string::npos || rater == 0 ? std::string::npos : id.rfind('#', rater - 1);
  return dim == std::string::npos ? id : id.substr(0, dim);
}

struct Item {
  std::string name;
  notebook::Notebook nb;
  std::map<std::string, std::optional<double>> human;  // resolved label per dimension (nullopt = N/A)
  std::vector<verdict::Verdict> baseline;
};

void check_options(const ValidateOptions& o) {
  if (!o.rubric || !o.judge) throw Error("validate: rubric and judge are required");
  const auto& known = validate_conditions();
  for (const auto& c : o.conditions)
    if (std::find(known.begin(), known.end(), c) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      const auto near = util::closest_typos(c, known);
      throw Error("unknown condition \"" + c + "\"" +
                      (near.empty() ? "" : " (did you mean \"" + near.front() + "\"?)") +
                      "; conditions: " + list,
                  ExitCode::usage);
    }
  for (double s : o.shares)
    if (!(s > 0 && s <= 1)) throw Error("a training share must be in (0, 1]", ExitCode::usage);
}

// K-fold needs 2 <= K <= the notebooks there are to hold out (each fold holds at least one).
void check_folds(int folds, std::size_t notebooks, std::size_t unreadable) {
  if (folds >= 2 && static_cast<std::size_t>(folds) <= notebooks) return;
  const std::string count =
      util::count_text(notebooks, "labelled notebook") +
      (unreadable ? " that could be read (" + std::to_string(unreadable) + " skipped)" : "");
  throw Error(setting("folds") + " " + std::to_string(folds) + ": there are " + count +
                  (notebooks >= 2 ? "; use " + setting("folds") + " 2 to " + std::to_string(notebooks)
                                  : "; cross-validation needs at least 2"),
              ExitCode::usage);
}

// Resolved labels grouped by item (sorted), with the notebooks read; unreadable ones become warnings.
std::vector<Item> load_items(const labels::LabelSet& labels, const ValidateOptions& o,
                             std::vector<std::string>& warnings, std::size_t& unreadable) {
  std::map<std::string, std::map<std::string, std::optional<double>>> by_item;
  for (const auto& r : labels::resolve(labels, o.rater_policy)) by_item[r.item][r.dimension] = r.score;
  std::vector<std::optional<notebook::Notebook>> read(by_item.size());
  std::vector<std::string> names, errors(by_item.size());
  for (const auto& [name, _] : by_item) names.push_back(name);
  util::parallel_for(names.size(), o.parallel, [&](std::size_t i) {
    std::string hash;
    read[i] = read_item(o.notebooks_dir, names[i], hash, errors[i]);
  });
  std::vector<Item> items;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!read[i]) {
      warnings.push_back("skipped " + names[i] + ": " + errors[i]);
      ++unreadable;
      continue;
    }
    items.push_back({names[i], std::move(*read[i]), std::move(by_item[names[i]]), {}});
  }
  return items;
}

double mean_label(const Item& it) {
  double sum = 0;
  int n = 0;
  for (const auto& [_, s] : it.human)
    if (s) sum += *s, ++n;
  return n ? sum / n : 0;
}

// Scores items[which[n]] with `context` on `parallel` threads; the first exception is rethrown.
std::vector<std::vector<verdict::Verdict>> score_items(const std::vector<Item>& items,
                                                       const std::vector<std::size_t>& which,
                                                       const ValidateOptions& o,
                                                       const scoring::MemoryUse& context) {
  std::vector<std::vector<verdict::Verdict>> out(which.size());
  util::parallel_for(which.size(), o.parallel,
                     [&](std::size_t n) { out[n] = o.judge->score(items[which[n]].nb, *o.rubric, context); });
  return out;
}

// Labels of the training items only: nothing about a held-out notebook can reach the memory.
labels::LabelSet training_labels(const labels::LabelSet& labels, const std::set<std::string>& training) {
  labels::LabelSet out;
  out.source = labels.source;
  out.hash = labels.hash;
  for (const auto& l : labels.labels)
    if (training.count(l.item)) out.labels.push_back(l);
  return out;
}

std::set<std::string> items_in_memory(const memory::Memory& m) {
  std::set<std::string> out;
  for (const auto& e : m.episodes()) out.insert(e.notebook);
  for (const auto& g : m.all_guidelines())
    for (const auto& id : g.cites) out.insert(item_of_label_id(id));
  return out;
}

// The isotonic calibration of the baseline judge on the training items (pairs where both sides scored).
memory::Calibration fit_on_training(const std::vector<Item>& items, const std::vector<std::size_t>& training,
                                    stats::IsotonicLoss loss) {
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> pairs;
  for (std::size_t i : training)
    for (const auto& v : items[i].baseline) {
      const auto h = items[i].human.find(v.dimension);
      if (v.status != verdict::Status::scored || !v.score || h == items[i].human.end() || !h->second)
        continue;
      pairs[v.dimension].first.push_back(*v.score);
      pairs[v.dimension].second.push_back(*h->second);
    }
  memory::Calibration c;
  c.loss = loss;
  for (const auto& [d, xy] : pairs) {
    c.maps[d] = stats::IsotonicMap::fit(xy.first, xy.second, loss);
    c.pairs[d] = xy.first.size();
  }
  return c;
}

// Why nested subsets: a learning curve should add notebooks, not swap them, so each fold's training items
// are shuffled once (seeded by the fold) and a share takes a prefix of that order (at least one notebook).
std::vector<std::size_t> training_share(std::vector<std::size_t> training, double share, std::uint64_t seed,
                                        int fold) {
  stats::Rng rng = stats::Rng(seed ^ 0x5eed5eedULL).substream(static_cast<std::uint64_t>(fold));
  for (std::size_t i = training.size(); i > 1; --i) std::swap(training[i - 1], training[rng.below(i)]);
  const auto n = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(share * static_cast<double>(training.size()) - 1e-9)));
  training.resize(std::min(n, training.size()));
  std::sort(training.begin(), training.end());
  return training;
}

bool wanted(const ValidateOptions& o, const std::string& condition) {
  return std::find(o.conditions.begin(), o.conditions.end(), condition) != o.conditions.end();
}

// A notebook's code lines as code_similarity reads them: trimmed, non-blank, distinct, sorted.
std::vector<std::string> code_lines(const notebook::Notebook& nb) {
  std::vector<std::string> out;
  for (const auto& c : nb.cells) {
    if (c.type != notebook::CellType::code) continue;
    std::size_t at = 0;
    while (at <= c.source.size()) {
      const std::size_t end = std::min(c.source.find('\n', at), c.source.size());
      std::string_view line(c.source.data() + at, end - at);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
      if (!line.empty()) out.emplace_back(line);
      at = end + 1;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// |A and B| / |A or B| of two sorted sets without repeats (of lines, or of the ids standing for them).
template <class T>
double jaccard(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.empty() || b.empty()) return 0;
  std::size_t both = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++both, ++i, ++j;
    }
  }
  return static_cast<double>(both) / static_cast<double>(a.size() + b.size() - both);
}

// Each item's group for the folds (stats::assign_folds): items linked by near-duplicate pairs share the
// group of the first of them (union-find), and `groups` gets each group of two or more. Lines are compared as
// ids (one per distinct line of all the notebooks), and a pair whose sizes alone keep it under the threshold
// (Jaccard is at most the smaller set's size over the larger's) is not compared at all.
std::vector<std::size_t> near_duplicate_groups(const std::vector<Item>& items, double threshold,
                                               std::vector<ValidateResult::NearDuplicates>& groups) {
  std::vector<std::size_t> parent(items.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  const auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::vector<std::pair<double, double>> range(items.size(), {1.0, 0.0});  // per root: least, most
  if (threshold > 0) {
    std::unordered_map<std::string, std::uint32_t> id_of;
    std::vector<std::vector<std::uint32_t>> lines;
    for (const auto& it : items) {
      std::vector<std::uint32_t> ids;
      for (auto& line : code_lines(it.nb))
        ids.push_back(id_of.emplace(std::move(line), static_cast<std::uint32_t>(id_of.size())).first->second);
      std::sort(ids.begin(), ids.end());
      lines.push_back(std::move(ids));
    }
    for (std::size_t i = 0; i < items.size(); ++i)
      for (std::size_t j = i + 1; j < items.size(); ++j) {
        const std::size_t small = std::min(lines[i].size(), lines[j].size());
        const std::size_t large = std::max(lines[i].size(), lines[j].size());
        if (large == 0 || static_cast<double>(small) < threshold * static_cast<double>(large)) continue;
        const double s = jaccard(lines[i], lines[j]);
        if (s < threshold) continue;
        const std::size_t a = root(i), b = root(j);
        const std::size_t r = std::min(a, b), other = std::max(a, b);
        parent[other] = r;
        range[r] = {std::min({range[r].first, range[other].first, s}),
                    std::max({range[r].second, range[other].second, s})};
      }
  }
  std::vector<std::size_t> group(items.size());
  std::map<std::size_t, std::size_t> index;  // root -> groups entry
  for (std::size_t i = 0; i < items.size(); ++i) {
    group[i] = root(i);
    if (group[i] == i && range[i].second == 0) continue;  // linked to none
    auto [it, fresh] = index.emplace(group[i], groups.size());
    if (fresh) groups.push_back({{}, range[group[i]].first, range[group[i]].second});
    groups[it->second].notebooks.push_back(items[i].name);
  }
  return group;
}

}  // namespace

double code_similarity(const notebook::Notebook& a, const notebook::Notebook& b) {
  return jaccard(code_lines(a), code_lines(b));
}

const std::vector<std::string>& validate_conditions() {
  static const std::vector<std::string> k_conditions{"baseline", "semantic",   "episodic",
                                                     "both",     "calibrated", "both-calibrated"};
  return k_conditions;
}

const std::vector<std::string>& default_validate_conditions() {
  static const std::vector<std::string> k_conditions{"baseline", "semantic", "episodic", "both"};
  return k_conditions;
}

ValidateResult cross_validate(const labels::LabelSet& labels, const ValidateOptions& o) {
  check_options(o);
  ValidateResult result;
  std::vector<Item> items = load_items(labels, o, result.warnings, result.notebooks_unreadable);
  check_folds(o.folds, items.size(), result.warnings.size());
  for (const auto& it : items) {
    result.items.push_back(it.name);
    result.strata.push_back(mean_label(it));
  }
  // Near-duplicates share a fold: what was learnt from one must not be tested on its twin.
  const auto group = near_duplicate_groups(items, o.near_duplicate, result.near_duplicates);
  if (const std::size_t units = std::set<std::size_t>(group.begin(), group.end()).size();
      units < static_cast<std::size_t>(o.folds))
    throw Error(setting("folds") + " " + std::to_string(o.folds) + ": the " +
                    util::count_text(items.size(), "labelled notebook") + " make only " +
                    util::count_text(units, "group") + " once near-duplicates share a fold; use " +
                    (units > 2    ? setting("folds") + " 2 to " + std::to_string(units) + ", or "
                     : units == 2 ? setting("folds") + " 2, or "
                                  : "") +
                    setting("near-duplicate") + " 0 to fold them apart",
                ExitCode::usage);
  stats::Rng rng(o.seed);
  result.fold = stats::assign_folds(result.strata, group, o.folds, rng);

  std::vector<std::size_t> all(items.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  auto baseline = score_items(items, all, o, scoring::MemoryUse{});
  for (std::size_t i = 0; i < items.size(); ++i) items[i].baseline = std::move(baseline[i]);

  const std::vector<std::pair<std::string, std::pair<bool, bool>>> memory_conditions{
      {"semantic", {true, false}}, {"episodic", {false, true}}, {"both", {true, true}}};
  for (double share : o.shares) {
    // verdicts[condition][item]
    std::map<std::string, std::vector<std::vector<verdict::Verdict>>> verdicts;
    std::map<std::string, std::size_t> trained;
    for (const auto& c : o.conditions) verdicts[c].resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
      if (wanted(o, "baseline")) verdicts["baseline"][i] = items[i].baseline;
    auto& memory_items = result.memory_items.emplace_back(static_cast<std::size_t>(o.folds));
    for (int f = 0; f < o.folds; ++f) {
      std::vector<std::size_t> held_out, training;
      for (std::size_t i = 0; i < items.size(); ++i) (result.fold[i] == f ? held_out : training).push_back(i);
      if (held_out.empty()) continue;
      training = training_share(training, share, o.seed, f);
      std::set<std::string> names;
      for (std::size_t i : training) names.insert(items[i].name);

      memory::Memory memory(o.embeddings, o.embedding_settings);
      AlignOptions ao;
      ao.rubric = o.rubric;
      ao.notebooks_dir = o.notebooks_dir;
      ao.rater_policy = o.rater_policy;
      ao.judge = o.judge;
      ao.reflection = o.reflection;
      ao.k = o.k;
      ao.parallel = o.parallel;
      ao.check_fragile_rules = false;  // a fold's memory is measured, not read: its rules' stability is not
      const auto summary = align(memory, training_labels(labels, names), ao);
      result.warnings.insert(result.warnings.end(), summary.warnings.begin(), summary.warnings.end());
      memory_items[static_cast<std::size_t>(f)] = items_in_memory(memory);
      if (share == 1.0)
        for (const auto& d : o.rubric->dimensions)
          for (const auto& rule : memory.fact_rules(d.id)) {
            if (rule.source != "learnt") continue;
            const std::string text = memory::format_fact_rule(rule);
            auto it = std::find_if(
                result.fold_rules.begin(), result.fold_rules.end(),
                [&](const ValidateResult::FoldRule& r) { return r.dimension == d.id && r.rule == text; });
            if (it == result.fold_rules.end())
              result.fold_rules.push_back({d.id, text, {f}});
            else
              it->folds.push_back(f);
          }

      for (const auto& [condition, use] : memory_conditions) {
        if (!wanted(o, condition)) continue;
        trained[condition] += training.size();
        scoring::MemoryUse context{&memory, o.k, use.first, use.second};
        auto scored = score_items(items, held_out, o, context);
        for (std::size_t n = 0; n < held_out.size(); ++n)
          verdicts[condition][held_out[n]] = std::move(scored[n]);
      }
      if (wanted(o, "both-calibrated")) {
        // What eval --memory gives with this fold's memory aligned with --calibrate: the both-memory
        // verdicts, then the calibration fitted from the memory's episodes.
        trained["both-calibrated"] += training.size();
        std::vector<std::vector<verdict::Verdict>> both;
        if (wanted(o, "both"))
          for (std::size_t i : held_out) both.push_back(verdicts["both"][i]);
        else
          both = score_items(items, held_out, o, scoring::MemoryUse{&memory, o.k, true, true});
        const memory::Calibration calibration = memory::fit_calibration(memory, o.calibration);
        for (std::size_t n = 0; n < held_out.size(); ++n) {
          scoring::apply_calibration(calibration, both[n]);
          verdicts["both-calibrated"][held_out[n]] = std::move(both[n]);
        }
      }
      if (wanted(o, "calibrated")) {
        trained["calibrated"] += training.size();
        const memory::Calibration calibration = fit_on_training(items, training, o.calibration);
        for (std::size_t i : held_out) {
          auto v = items[i].baseline;
          scoring::apply_calibration(calibration, v);
          verdicts["calibrated"][i] = std::move(v);
        }
      }
    }
    if (share == 1.0) {  // rubric dimension order, first learnt first within one
      std::map<std::string, std::size_t> order;
      for (const auto& d : o.rubric->dimensions) order.emplace(d.id, order.size());
      std::stable_sort(result.fold_rules.begin(), result.fold_rules.end(),
                       [&](const ValidateResult::FoldRule& a, const ValidateResult::FoldRule& b) {
                         return order[a.dimension] < order[b.dimension];
                       });
    }
    for (const auto& c : o.conditions) {
      ConditionRun run{c, share, trained[c], {}};
      for (std::size_t i = 0; i < items.size(); ++i)
        for (auto& v : verdicts[c][i]) run.verdicts.push_back({items[i].name, result.fold[i], std::move(v)});
      result.runs.push_back(std::move(run));
    }
  }
  return result;
}

}  // namespace judge::align
