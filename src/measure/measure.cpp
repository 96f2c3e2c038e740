// SPDX-License-Identifier: MIT
#include "judge/measure/measure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "judge/stats/calibration.hpp"
#include "judge/stats/folds.hpp"
#include "judge/util/error.hpp"
#include "judge/util/paths.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"

namespace judge::measure {

namespace {

/// Stream of the fold assignment, apart from the bootstrap's resample streams 0 .. B-1.
constexpr std::uint64_t k_fold_stream = 0xF01D'F01D'F01D'F01DULL;

bool is_separator(char c) { return c == '/' || c == '\\'; }

/// The last component of `path`: what follows its last separator ('/' or '\\'), or all of it.
std::string_view file_name(std::string_view path) {
  std::size_t start = path.size();
  while (start > 0 && !is_separator(path[start - 1])) --start;
  return path.substr(start);
}

[[noreturn]] void ambiguous_item(const std::string& what, const std::string& item,
                                 const std::set<std::string>& candidates) {
  std::string list;
  for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
  throw Error(what + " '" + item + "' matches several " + (what == "label item" ? "scored" : "label") +
                  " items by path suffix: " + list +
                  "; pass paths relative to the same root to judge eval and in the labels",
              ExitCode::usage);
}

/// label item -> score item, by util::same_notebook (the one notebook identity). A label item equal to a
/// score item (a leading "./" aside: util::notebook_name) matches only it. Throws judge::Error (usage) when a
/// label item matches several score items, or a score item is matched by several label items: guessing would
/// compare a notebook with another one's labels. Two paths that name the same notebook end with the same
/// component, so score items are indexed by their last component and same_notebook decides among those only
/// (not every pair of items).
std::unordered_map<std::string, std::string> match_items(const std::set<std::string>& label_items,
                                                         const std::set<std::string>& score_items) {
  std::unordered_multimap<std::string_view, std::string_view> by_name;  // last component -> score item
  std::unordered_multimap<std::string_view, std::string_view> by_path;  // notebook_name -> score item
  for (const auto& s : score_items) {
    by_name.emplace(file_name(s), s);
    by_path.emplace(util::notebook_name(s), s);
  }
  std::unordered_map<std::string, std::string> out;
  std::map<std::string, std::set<std::string>> labels_of;  // score item -> the label items matched to it
  for (const auto& l : label_items) {
    std::set<std::string> candidates;
    const auto [same, same_end] = by_path.equal_range(util::notebook_name(l));  // equal, "./" aside
    for (auto it = same; it != same_end; ++it) candidates.emplace(it->second);
    if (candidates.empty()) {
      const auto [first, last] = by_name.equal_range(file_name(l));
      for (auto it = first; it != last; ++it)
        if (util::same_notebook(l, it->second)) candidates.emplace(it->second);
    }
    if (candidates.size() > 1) ambiguous_item("label item", l, candidates);
    if (candidates.empty()) continue;
    out.emplace(l, *candidates.begin());
    labels_of[*candidates.begin()].insert(l);
  }
  for (const auto& [s, ls] : labels_of)
    if (ls.size() > 1) ambiguous_item("scored item", s, ls);
  return out;
}

/// The integer range of the labels' scores and the scored records of `judges`: floor of the lowest .. ceiling
/// of the highest. Both sides count, so no judge score falls off the scale and none is clamped onto it.
stats::Scale inferred_scale(const labels::LabelSet& set, const ScoreSet& scores,
                            const std::vector<std::string>& judges) {
  std::optional<double> lo, hi;
  auto widen = [&](double s) {
    lo = lo ? std::min(*lo, s) : s;
    hi = hi ? std::max(*hi, s) : s;
  };
  for (const auto& l : set.labels)
    if (l.score) widen(*l.score);
  for (const auto& r : scores.records)
    if (r.score && std::find(judges.begin(), judges.end(), r.judge) != judges.end()) widen(*r.score);
  if (!lo)
    throw Error(set.source + ": every label is N/A, so there is no scale (give " + setting("rubric") + ")");
  if (*hi - *lo > 1000)
    throw Error(set.source + " and " + scores.source + ": scores span " + std::to_string(*lo) + " to " +
                std::to_string(*hi) + ", more than 1000 scale points; give the scale with " +
                setting("rubric"));
  return {static_cast<int>(std::floor(*lo)), static_cast<int>(std::ceil(*hi))};
}

/// Throws judge::Error listing every scored record of `judges` outside the given (rubric) scale, with its
/// line: rounding it onto the scale would hide a judge that scores on another scale.
void check_on_scale(const ScoreSet& scores, const std::vector<std::string>& judges, stats::Scale scale,
                    const std::string& scale_source) {
  // Each problem names the file its record came from (scores read from several files name each).
  const bool one_file = scores.files.size() <= 1;
  util::Problems problems(one_file ? scores.source : "");
  for (const auto& r : scores.records)
    if (r.score && (*r.score < scale.min || *r.score > scale.max) &&
        std::find(judges.begin(), judges.end(), r.judge) != judges.end()) {
      std::ostringstream os;
      os << "score " << *r.score << " of " << r.item << " (" << r.dimension << ") is off the scale "
         << scale.min << ".." << scale.max << " of " << scale_source << " (fix the score, or give "
         << setting("rubric") << " the rubric it was scored on)";
      if (one_file)
        problems.add(r.line, os.str());
      else
        problems.add(scores.files.at(r.file) + ":" + std::to_string(r.line), os.str());
    }
  if (one_file)
    problems.throw_if_any("scores");
  else
    problems.throw_if_any(problems.count() + " in scores " + scores.source + ":", ExitCode::runtime);
}

/// Each rater against the mean of the other raters' applicable labels on the same (item, dimension).
std::map<std::string, stats::Agreement> human_agreement(const labels::LabelSet& set, stats::Scale scale) {
  std::map<std::pair<std::string, std::string>, std::vector<const labels::Label*>> groups;
  std::set<std::string> raters;
  for (const auto& l : set.labels) {
    raters.insert(l.rater);
    if (l.score) groups[{l.item, l.dimension}].push_back(&l);
  }
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> pairs;
  if (raters.size() < 2) return {};
  for (const auto& [key, group] : groups) {
    if (group.size() < 2) continue;
    double total = 0;
    for (const auto* l : group) total += *l->score;
    auto& [one, others] = pairs[key.second];
    for (const auto* l : group) {
      one.push_back(*l->score);
      others.push_back((total - *l->score) / static_cast<double>(group.size() - 1));
    }
  }
  std::map<std::string, stats::Agreement> out;
  for (const auto& [dim, p] : pairs) out[dim] = stats::agreement(p.first, p.second, scale);
  return out;
}

/// A judge's records indexed by (item, dimension); a repeated record replaces the earlier one.
struct JudgeIndex {
  std::map<std::pair<std::string, std::string>, const ScoreRecord*> by_key;
  std::set<std::string> items;
  std::set<std::string> dimensions;
  std::size_t records = 0, unscored = 0, in_memory = 0;
  std::map<std::string, std::size_t> unscored_by_dim, in_memory_by_dim;
};

JudgeIndex index_judge(const ScoreSet& scores, const std::string& judge) {
  JudgeIndex ix;
  for (const auto& r : scores.records) {
    if (r.judge != judge) continue;
    ++ix.records;
    if (r.labelled_in_memory) {
      ++ix.in_memory;
      ++ix.in_memory_by_dim[r.dimension];
    }
    if (r.status == verdict::Status::unscored) {
      ++ix.unscored;
      ++ix.unscored_by_dim[r.dimension];
    }
    ix.by_key[{r.item, r.dimension}] = &r;
    ix.items.insert(r.item);
    ix.dimensions.insert(r.dimension);
  }
  return ix;
}

/// One judge's pairs with the resolved labels, in label order.
struct Pair {
  std::size_t item = 0;  ///< index into Joined::items
  std::size_t dim = 0;   ///< index into Joined::dims
  double judge = 0, human = 0;
  const ScoreRecord* record = nullptr;
  const labels::ResolvedLabel* label = nullptr;
};

struct Joined {
  std::vector<std::string> dims;   ///< label order, only dimensions with at least one record of the judge
  std::vector<std::string> items;  ///< label items with at least one pair
  std::vector<Pair> pairs;
  std::vector<stats::NaCounts> na;
  /// Every label compared (a record not unscored): (label item, dimension) -> (judge score, human score),
  /// nullopt = N/A. A comparison with another judge counts N/A agreement over the labels both compared.
  std::map<std::pair<std::string, std::string>, std::pair<std::optional<double>, std::optional<double>>>
      compared;
  std::size_t unmatched = 0;
  std::vector<LabelWithoutScore> without_score;  ///< the unmatched labels, with a did-you-mean
};

/// `path` without "." components and repeated separators ("./nb/./x.ipynb" -> "nb/x.ipynb"), '/' between
/// parts.
std::string without_dot_parts(std::string_view path) {
  std::string out = !path.empty() && is_separator(path.front()) ? "/" : "";
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t end = start;
    while (end < path.size() && !is_separator(path[end])) ++end;
    const auto part = path.substr(start, end - start);
    if (!part.empty() && part != ".") {
      if (!out.empty() && out.back() != '/') out += '/';
      out += part;
    }
    start = end + 1;
  }
  return out;
}

/// The score item a label item that matched none probably meant: the one that names the same notebook once
/// "." parts are dropped ("nb/./x.ipynb" and "nb/x.ipynb"), else the one with the same file name, else the
/// one closest by edit distance (at most 3 edits, and a quarter of the name); "" when none, or several tie.
///
/// Why an index: a labels file for more notebooks than were scored (the scores of one shard, judge eval
/// --shard) leaves thousands of items without a score, and comparing each with every score item (an edit
/// distance apiece) took minutes. Each answer is looked up among the few score items it can be: two paths
/// naming the same notebook end with the same component (util::same_notebook: one ends with the other right
/// after a separator), so the first two are looked up by file name; a name within `limit` edits is within
/// `limit` characters of the same length, so only those lengths are measured. Answers are kept per label
/// item, as a notebook's labels (one per dimension) ask the same question.
class DidYouMean {
 public:
  explicit DidYouMean(const std::set<std::string>& score_items) {
    for (const auto& s : score_items) {
      std::string plain = without_dot_parts(s);
      const std::string name(file_name(plain));
      m_plain_by_name[name].emplace_back(std::move(plain), &s);
      m_by_name[file_name(s)].push_back(&s);
      m_by_length[s.size()].push_back(s);
    }
  }

  const std::string& operator()(const std::string& label_item) {
    auto [it, fresh] = m_answers.try_emplace(label_item);
    if (fresh) it->second = find(label_item);
    return it->second;
  }

 private:
  std::string find(const std::string& label_item) const {
    const std::string plain = without_dot_parts(label_item);
    std::size_t same = 0;
    const std::string* one = nullptr;
    if (const auto it = m_plain_by_name.find(std::string(file_name(plain))); it != m_plain_by_name.end())
      for (const auto& [s_plain, s] : it->second)
        if (same_item(s_plain, plain)) ++same, one = s;
    if (same > 0) return same == 1 ? *one : "";
    if (const auto it = m_by_name.find(file_name(label_item)); it != m_by_name.end())
      return it->second.size() == 1 ? *it->second.front() : "";
    // closest_names allows at most min(3, size / 4) edits, so farther lengths cannot be among its answers.
    const std::size_t limit = std::min<std::size_t>(3, label_item.size() / 4);
    std::vector<std::string> near;
    for (auto it = m_by_length.lower_bound(label_item.size() > limit ? label_item.size() - limit : 0);
         it != m_by_length.end() && it->first <= label_item.size() + limit; ++it)
      near.insert(near.end(), it->second.begin(), it->second.end());
    const auto closest = util::closest_names(label_item, near);
    return closest.size() == 1 ? closest.front() : "";
  }

  /// file name of the plain form -> (plain form, score item)
  std::unordered_map<std::string, std::vector<std::pair<std::string, const std::string*>>> m_plain_by_name;
  std::unordered_map<std::string_view, std::vector<const std::string*>> m_by_name;  // file name -> items
  std::map<std::size_t, std::vector<std::string>> m_by_length;                      // length -> items
  std::unordered_map<std::string, std::string> m_answers;                           // label item -> answer
};

Joined join(const std::vector<labels::ResolvedLabel>& resolved, const JudgeIndex& ix) {
  std::set<std::string> label_items;
  for (const auto& r : resolved) label_items.insert(r.item);
  const auto item_map = match_items(label_items, ix.items);
  Joined j;
  std::map<std::string, std::size_t> dim_index, item_index;
  std::optional<DidYouMean> did_you_mean;  // built at the first label item without a score
  for (const auto& label : resolved) {
    const auto m = item_map.find(label.item);
    const auto rec = m == item_map.end() ? ix.by_key.end() : ix.by_key.find({m->second, label.dimension});
    if (rec == ix.by_key.end()) {
      ++j.unmatched;
      std::string hint;
      if (m == item_map.end()) {
        if (!did_you_mean) did_you_mean.emplace(ix.items);
        hint = (*did_you_mean)(label.item);
      }
      j.without_score.push_back({label.item, label.dimension, std::move(hint)});
      continue;
    }
    auto [d, new_dim] = dim_index.emplace(label.dimension, j.dims.size());
    if (new_dim) {
      j.dims.push_back(label.dimension);
      j.na.emplace_back();
    }
    const ScoreRecord& r = *rec->second;
    if (r.status == verdict::Status::unscored) continue;
    stats::count_na(j.na[d->second], r.score, label.score);
    j.compared[{label.item, label.dimension}] = {r.score, label.score};
    if (!r.score || !label.score) continue;
    auto [it, new_item] = item_index.emplace(label.item, j.items.size());
    if (new_item) j.items.push_back(label.item);
    j.pairs.push_back({it->second, d->second, *r.score, *label.score, &r, &label});
  }
  return j;
}

/// The judge's records with flags, grouped by notebook (first-record order), each score with the resolved
/// human score of its (item, dimension) when a label matches.
std::vector<FlaggedItem> flagged_items(const ScoreSet& scores, const std::string& judge, const JudgeIndex& ix,
                                       const std::vector<labels::ResolvedLabel>& resolved) {
  std::set<std::string> flagged_names;
  for (const auto& r : scores.records)
    if (r.judge == judge && !r.flags.empty()) flagged_names.insert(r.item);
  if (flagged_names.empty()) return {};
  std::set<std::string> label_items;
  for (const auto& l : resolved) label_items.insert(l.item);
  std::map<std::string, std::vector<const labels::ResolvedLabel*>> labels_by_item;  // label order
  for (const auto& l : resolved) labels_by_item[l.item].push_back(&l);
  std::map<std::pair<std::string, std::string>, const labels::ResolvedLabel*> label_of;  // (score item, dim)
  for (const auto& [label_item, score_item] : match_items(label_items, ix.items))
    for (const auto* l : labels_by_item[label_item]) label_of[{score_item, l->dimension}] = l;
  std::vector<FlaggedItem> out;
  std::map<std::string, std::size_t> index;
  for (const auto& r : scores.records) {
    if (r.judge != judge || !flagged_names.count(r.item)) continue;
    auto [it, added] = index.emplace(r.item, out.size());
    if (added) out.push_back({r.item, {}, {}, {}});
    FlaggedItem& f = out[it->second];
    for (const auto& flag : r.flags)
      if (std::find(f.flags.begin(), f.flags.end(), flag) == f.flags.end()) f.flags.push_back(flag);
    for (int cell : r.injection_cells)
      if (std::find(f.cells.begin(), f.cells.end(), cell) == f.cells.end()) f.cells.push_back(cell);
    std::sort(f.cells.begin(), f.cells.end());
    FlaggedItem::Score score{r.dimension, r.status, r.score, false, std::nullopt};
    if (const auto l = label_of.find({r.item, r.dimension}); l != label_of.end()) {
      score.labelled = true;
      score.human = l->second->score;
    }
    f.scores.push_back(std::move(score));
  }
  return out;
}

std::vector<stats::Observation> observations(const std::vector<Pair>& pairs) {
  std::vector<stats::Observation> obs;
  obs.reserve(pairs.size());
  for (const auto& p : pairs) obs.push_back({p.item, p.dim, p.judge, p.human});
  return obs;
}

double mean_of(const std::vector<DimensionStats>& dims, double (*get)(const DimensionStats&)) {
  double sum = 0;
  std::size_t n = 0;
  for (const auto& d : dims)
    if (const double v = get(d); !std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : std::nan("");
}

/// Paired comparison with another judge over the pairs both judges scored.
void compare(JudgeMeasurement& jr, const Joined& joined, const Joined& other, stats::Scale scale,
             const MeasureOptions& options, const stats::Rng& rng) {
  std::map<std::pair<std::string, std::string>, double> other_score;  // (label item, dimension) -> score
  for (const auto& p : other.pairs) other_score[{p.label->item, p.label->dimension}] = p.judge;
  std::vector<stats::Observation> a, b;
  for (const auto& p : joined.pairs) {
    auto it = other_score.find({p.label->item, p.label->dimension});
    if (it == other_score.end()) continue;
    a.push_back({p.item, p.dim, p.judge, p.human});
    b.push_back({p.item, p.dim, it->second, p.human});
  }
  const auto ta = stats::abs_error_table(a, joined.items.size(), joined.dims.size());
  const auto tb = stats::abs_error_table(b, joined.items.size(), joined.dims.size());
  const auto diff = stats::paired_bootstrap(ta, tb, options.bootstrap, rng);
  jr.compare_judge = *options.compare;
  std::vector<double> per_dim;
  for (std::size_t d = 0; d < joined.dims.size(); ++d) {
    Comparison c;
    for (const auto& o : a) c.n += o.dim == d;
    c.mae = ta.ratio(d);
    c.other_mae = tb.ratio(d);
    c.diff_ci = diff.dims[d];
    std::vector<double> ja, jb, h;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].dim == d) {
        c.changed += std::fabs(a[i].judge - a[i].human) != std::fabs(b[i].judge - b[i].human);
        ja.push_back(a[i].judge);
        jb.push_back(b[i].judge);
        h.push_back(a[i].human);
      }
    c.qwk = stats::agreement(ja, h, scale).qwk;
    c.other_qwk = stats::agreement(jb, h, scale).qwk;
    for (const auto& [key, mine] : joined.compared) {
      if (key.second != joined.dims[d]) continue;
      const auto theirs = other.compared.find(key);
      if (theirs == other.compared.end()) continue;
      stats::count_na(c.na, mine.first, mine.second);
      stats::count_na(c.other_na, theirs->second.first, theirs->second.second);
    }
    jr.dimensions[d].comparison = c;
  }
  jr.mean_diff = ta.mean_ratio() - tb.mean_ratio();
  jr.mean_diff_ci = diff.mean;
}

/// Says which of jr's changes are significant (is_significant): each dimension's comparison and calibrated
/// change, and the mean's, whose changed pairs are those of every dimension.
void mark_significance(JudgeMeasurement& jr, double confidence) {
  std::size_t compared = 0, calibrated = 0;
  for (auto& d : jr.dimensions) {
    if (d.comparison) {
      d.comparison->significant = is_significant(d.comparison->diff_ci, d.comparison->changed, confidence);
      compared += d.comparison->changed;
    }
    if (d.calibrated) {
      d.calibrated->significant = is_significant(d.calibrated->diff_ci, d.calibrated->changed, confidence);
      calibrated += d.calibrated->changed;
    }
  }
  if (jr.compare_judge) jr.mean_diff_significant = is_significant(jr.mean_diff_ci, compared, confidence);
  if (jr.calibrated_mean_mae)
    jr.calibrated_mean_diff_significant = is_significant(jr.calibrated_mean_diff_ci, calibrated, confidence);
}

/// Cross-fitted isotonic calibration: folds by item, stratified by each item's mean label.
void calibrate(JudgeMeasurement& jr, const Joined& joined, stats::Scale scale, const MeasureOptions& options,
               const stats::Rng& rng) {
  std::vector<double> label_sum(joined.items.size(), 0), label_n(joined.items.size(), 0);
  for (const auto& p : joined.pairs) {
    label_sum[p.item] += p.human;
    label_n[p.item] += 1;
  }
  std::vector<double> strata(joined.items.size());
  for (std::size_t i = 0; i < strata.size(); ++i) strata[i] = label_sum[i] / label_n[i];
  stats::Rng fold_rng = rng.substream(k_fold_stream);
  const auto item_fold = stats::assign_folds(strata, options.calibrate_folds, fold_rng);
  std::vector<stats::Observation> raw = observations(joined.pairs), calibrated = raw;
  for (std::size_t d = 0; d < joined.dims.size(); ++d) {
    std::vector<std::size_t> at;
    std::vector<double> j, h;
    std::vector<int> fold;
    for (std::size_t i = 0; i < raw.size(); ++i)
      if (raw[i].dim == d) {
        at.push_back(i);
        j.push_back(raw[i].judge);
        h.push_back(raw[i].human);
        fold.push_back(item_fold[raw[i].item]);
      }
    const auto fitted = stats::cross_fit_isotonic(j, h, fold, options.calibrate_folds, options.calibration);
    for (std::size_t k = 0; k < at.size(); ++k) calibrated[at[k]].judge = fitted[k];
    Calibrated c;
    c.metrics = stats::agreement(fitted, h, scale);
    for (std::size_t k = 0; k < fitted.size(); ++k)
      c.changed += std::fabs(fitted[k] - h[k]) != std::fabs(j[k] - h[k]);
    jr.dimensions[d].calibrated = c;
  }
  const auto tc = stats::abs_error_table(calibrated, joined.items.size(), joined.dims.size());
  const auto tr = stats::abs_error_table(raw, joined.items.size(), joined.dims.size());
  const auto ci = stats::bootstrap_ratio(tc, options.bootstrap, rng);
  const auto diff = stats::paired_bootstrap(tc, tr, options.bootstrap, rng);
  for (std::size_t d = 0; d < joined.dims.size(); ++d) {
    jr.dimensions[d].calibrated->mae_ci = ci.dims[d];
    jr.dimensions[d].calibrated->diff_ci = diff.dims[d];
  }
  jr.calibrated_mean_mae = tc.mean_ratio();
  jr.calibrated_mean_mae_ci = ci.mean;
  jr.calibrated_mean_diff_ci = diff.mean;
}

/// Cross-fitted calibration holds out each fold's notebooks: 2 <= folds <= the notebooks with a label and a
/// score (judge validate refuses more folds than notebooks in the same words). Throws judge::Error (usage).
void check_calibration_folds(int folds, std::size_t notebooks, const std::string& judge) {
  if (static_cast<std::size_t>(folds) <= notebooks) return;
  throw Error(setting("folds") + " " + std::to_string(folds) + ": there are " + std::to_string(notebooks) +
                  " notebook" + (notebooks == 1 ? "" : "s") + " with both a label and a score of judge " +
                  (judge.empty() ? "(unnamed)" : judge) +
                  (notebooks >= 2 ? "; use " + setting("folds") + " 2 to " + std::to_string(notebooks)
                                  : "; calibration needs at least 2"),
              ExitCode::usage);
}

}  // namespace

bool same_item(const std::string& a, const std::string& b) { return a == b || util::same_notebook(a, b); }

namespace {

// The length of the longest tail of whole components `a` and `b` share, in characters of either (equal, as
// components are compared as written and separators are one character): 11 for "x/sub/c.ipynb" and
// "/z/sub/c.ipynb" ("sub/c.ipynb"), 0 when their file names differ.
std::size_t common_tail(std::string_view a, std::string_view b) {
  std::size_t tail = 0;
  while (!a.empty() && !b.empty()) {
    const std::string_view ca = file_name(a), cb = file_name(b);
    if (ca != cb) break;
    tail += ca.size() + (tail ? 1 : 0);
    if (ca.size() == a.size() || cb.size() == b.size()) break;  // one path is all matched
    a.remove_suffix(ca.size() + 1);
    b.remove_suffix(cb.size() + 1);
  }
  return tail;
}

// For "no label matches a score": one example of each side, so the mismatch shows, looked for among every
// label (the first may be an odd one out):
// - when a score names a label's notebook, the first such label's dimension and the score's ("; the label of
//   \"nb/a.ipynb\" is for dimension \"x\", the score of \"/abs/nb/a.ipynb\" for \"y\"");
// - else, when a label and a score name different files of one name, the pair sharing the longest tail of
// whole
//   components (the first such pair), with that tail and the two folders it is under ("; labels name
//   \"data/a.ipynb\", scores name \"/abs/nbs/a.ipynb\": the same \"a.ipynb\", under \"data/\" in the labels
//   and \"/abs/nbs/\" in the scores");
// - else the first label's notebook and the first score's ("; labels name \"nb/a.ipynb\", scores name
//   \"/abs/b.ipynb\"").
// "" when a side is empty. Scores are looked up by file name, as matching items share one.
std::string mismatch_example(const labels::LabelSet& label_set, const ScoreSet& scores) {
  if (label_set.labels.empty() || scores.records.empty()) return "";
  std::unordered_map<std::string_view, std::vector<const ScoreRecord*>> by_name;
  for (const auto& r : scores.records) by_name[file_name(r.item)].push_back(&r);
  for (const auto& label : label_set.labels) {
    const auto it = by_name.find(file_name(label.item));
    if (it == by_name.end()) continue;
    const bool matched = std::any_of(it->second.begin(), it->second.end(), [&](const ScoreRecord* r) {
      return same_item(label.item, r->item) && r->dimension == label.dimension;
    });
    if (matched) continue;  // this label has its score: another one is the example
    for (const ScoreRecord* r : it->second)
      if (same_item(label.item, r->item) && r->dimension != label.dimension) {
        std::string out = "; the label of \"";
        out += label.item;
        out += "\" is for dimension \"";
        out += label.dimension;
        out += "\", the score of \"";
        out += r->item;
        out += "\" for \"";
        out += r->dimension;
        out += "\"";
        return out;
      }
  }
  std::string_view label_item = label_set.labels.front().item, score_item = scores.records.front().item;
  std::size_t best = 0;
  for (const auto& label : label_set.labels) {
    const auto it = by_name.find(file_name(label.item));
    if (it == by_name.end()) continue;
    for (const ScoreRecord* r : it->second)  // a pair naming one notebook is no example of a mismatch
      if (const std::size_t tail = common_tail(label.item, r->item);
          tail > best && !same_item(label.item, r->item))
        best = tail, label_item = label.item, score_item = r->item;
  }
  std::string out = "; labels name \"";
  out += label_item;
  out += "\", scores name \"";
  out += score_item;
  out += "\"";
  if (best > 0) {
    out += ": the same \"";
    out += label_item.substr(label_item.size() - best);
    out += "\", under \"";
    out += label_item.substr(0, label_item.size() - best);
    out += "\" in the labels and \"";
    out += score_item.substr(0, score_item.size() - best);
    out += "\" in the scores";
  }
  return out;
}

}  // namespace

Measurement measure(const labels::LabelSet& label_set, const ScoreSet& scores,
                    const MeasureOptions& options) {
  Measurement report;
  report.labels_source = label_set.source;
  report.labels_hash = label_set.hash;
  report.scores_source = scores.source;
  report.scores_hash = scores.hash;
  report.raters = options.raters;
  report.bootstrap = options.bootstrap;
  report.seed = options.seed;
  report.calibrate_folds = options.calibrate_folds;
  report.calibration = options.calibration;

  std::vector<std::string> judges;  // first-seen order
  for (const auto& r : scores.records)
    if (std::find(judges.begin(), judges.end(), r.judge) == judges.end()) judges.push_back(r.judge);
  auto check_judge = [&](const std::string& name, const char* which) {
    if (std::find(judges.begin(), judges.end(), name) != judges.end()) return;
    std::string known;
    for (const auto& j : judges) known += (known.empty() ? "" : ", ") + (j.empty() ? "(none)" : j);
    std::string message = setting(which) + " \"";
    message += name;
    message += "\" names no judge in " + scores.source + " (judges: " + known + ")";
    const auto close = util::closest_names(name, judges);  // a typo: heuristc
    for (std::size_t i = 0; i < close.size(); ++i) {
      message += i == 0 ? "; did you mean \"" : (i + 1 == close.size() ? "\" or \"" : "\", \"");
      message += close[i];
    }
    if (!close.empty()) message += "\"?";
    throw Error(message, ExitCode::usage);
  };
  if (options.judge) check_judge(*options.judge, "judge");
  if (options.compare) check_judge(*options.compare, "compare");
  if (options.judge) judges = {*options.judge};
  if (options.compare && !options.measure_compared)
    judges.erase(std::remove(judges.begin(), judges.end(), *options.compare), judges.end());

  std::vector<std::string> measured = judges;  // the judges whose scores meet the scale
  if (options.compare) measured.push_back(*options.compare);
  if (options.scale) {
    report.scale = *options.scale;
    report.scale_source = options.scale_source;
    check_on_scale(scores, measured, report.scale, report.scale_source);
  } else {
    report.scale = inferred_scale(label_set, scores, measured);
    report.scale_source = "inferred from the labels and judge scores";
  }
  report.human = human_agreement(label_set, report.scale);

  const auto resolved = labels::resolve(label_set, options.raters);
  const stats::Rng rng(options.seed);
  std::optional<Joined> other;
  if (options.compare) other = join(resolved, index_judge(scores, *options.compare));

  for (const auto& name : judges) {
    const JudgeIndex ix = index_judge(scores, name);
    const Joined joined = join(resolved, ix);
    JudgeMeasurement jr;
    jr.judge = name;
    jr.records = ix.records;
    jr.unscored = ix.unscored;
    jr.labelled_in_memory = ix.in_memory;
    jr.unmatched_labels = joined.unmatched;
    jr.labels_without_score = joined.without_score;
    for (const auto& label : resolved)
      if (!ix.dimensions.count(label.dimension) &&
          std::find(jr.dimensions_without_scores.begin(), jr.dimensions_without_scores.end(),
                    label.dimension) == jr.dimensions_without_scores.end())
        jr.dimensions_without_scores.push_back(label.dimension);
    const auto obs = observations(joined.pairs);
    const auto ci =
        stats::bootstrap_mae(obs, joined.items.size(), joined.dims.size(), options.bootstrap, rng);
    for (std::size_t d = 0; d < joined.dims.size(); ++d) {
      DimensionStats ds;
      ds.dimension = joined.dims[d];
      std::vector<double> j, h;
      for (const auto& p : joined.pairs)
        if (p.dim == d) {
          j.push_back(p.judge);
          h.push_back(p.human);
        }
      ds.metrics = stats::agreement(j, h, report.scale);
      ds.mae_ci = ci.dims[d];
      ds.na = joined.na[d];
      if (auto u = ix.unscored_by_dim.find(ds.dimension); u != ix.unscored_by_dim.end())
        ds.unscored = u->second;
      if (auto m = ix.in_memory_by_dim.find(ds.dimension); m != ix.in_memory_by_dim.end())
        ds.labelled_in_memory = m->second;
      jr.dimensions.push_back(std::move(ds));
    }
    jr.mean_mae = mean_of(jr.dimensions, [](const DimensionStats& d) { return d.metrics.mae; });
    jr.mean_mae_ci = ci.mean;
    if (other && name != *options.compare) compare(jr, joined, *other, report.scale, options, rng);
    if (options.calibrate_folds > 1 && !joined.items.empty()) {
      check_calibration_folds(options.calibrate_folds, joined.items.size(), name);
      calibrate(jr, joined, report.scale, options, rng);
    }
    mark_significance(jr, options.bootstrap.confidence);
    // Largest disagreements: |judge - human| descending, then label order; pairs that agree are not listed.
    std::vector<const Pair*> order;
    for (const auto& p : joined.pairs)
      if (std::fabs(p.judge - p.human) > 1e-9) order.push_back(&p);
    std::stable_sort(order.begin(), order.end(), [](const Pair* a, const Pair* b) {
      return std::fabs(a->judge - a->human) > std::fabs(b->judge - b->human);
    });
    for (std::size_t i = 0; i < order.size() && i < options.disagreements; ++i) {
      const Pair& p = *order[i];
      Disagreement dis{p.label->item, p.label->dimension, p.judge, p.human, p.record->rationale, {}};
      for (const auto* l : p.label->sources)
        if (!l->feedback.empty()) dis.feedback.emplace_back(l->rater, l->feedback);
      jr.largest.push_back(std::move(dis));
    }
    jr.flagged = flagged_items(scores, name, ix, resolved);
    report.judges.push_back(std::move(jr));
  }
  bool any_pair = false;
  std::size_t records = 0, unscored = 0;
  for (const auto& jr : report.judges) {
    // A pair is a label and a score that both name the item and dimension: scored, or N/A on either side
    // (labels all N/A still measure N/A agreement).
    for (const auto& d : jr.dimensions)
      any_pair = any_pair || d.metrics.n > 0 || d.na.both_na > 0 || d.na.disagreements() > 0;
    records += jr.records;
    unscored += jr.unscored;
  }
  if (!any_pair && records > 0 && unscored == records)
    throw Error("every record in " + scores.source + " is unscored or unreadable (" +
                std::to_string(records) +
                " records): there is no score to compare with the labels (each record's error says why; "
                "fix that and run judge eval again)");
  if (!any_pair) {
    std::string what = "no label in ";
    what += label_set.source;
    what += " matches a score in ";
    what += scores.source;
    what += " (items match when equal or one path ends with the other after a '/'; dimensions must be equal)";
    what += mismatch_example(label_set, scores);
    throw Error(what);
  }
  return report;
}

std::size_t fewest_pairs_for_significance(double confidence) {
  std::size_t n = 1;
  while (2.0 * std::pow(0.5, static_cast<double>(n)) > 1.0 - confidence + 1e-12 && n < 64) ++n;
  return n;
}

bool is_significant(const stats::Interval& ci, std::size_t changed, double confidence) {
  return ci.excludes_zero() && changed >= fewest_pairs_for_significance(confidence);
}

std::vector<std::string> thin_significance_warnings(const Measurement& measured) {
  const std::size_t fewest = fewest_pairs_for_significance(measured.bootstrap.confidence);
  std::vector<std::string> out;
  const auto warn = [&](const std::string& judge, const std::string& what, const stats::Interval& ci,
                        std::size_t changed, std::size_t n) {
    if (!ci.excludes_zero() || changed >= fewest) return;
    char level[16];
    std::snprintf(level, sizeof level, "%g", measured.bootstrap.confidence * 100);
    std::string w = judge;
    w += ": ";
    w += what;
    w += " has an interval that excludes 0, but only ";
    w += std::to_string(changed);
    w += " of its ";
    w += util::count_text(n, "pair");
    w += " changed; an exact sign test needs at least ";
    w += std::to_string(fewest);
    w += " changed pairs to find a change significant at ";
    w += level;
    w += "% (n changes all one way have p = 2^(1-n)), so it is not marked significant: read the interval as "
         "no evidence, and label more notebooks";
    out.push_back(std::move(w));
  };
  for (const auto& jr : measured.judges) {
    const std::string other = jr.compare_judge.value_or("the compared judge");
    std::size_t compared = 0, compared_n = 0, calibrated = 0, calibrated_n = 0;
    for (const auto& d : jr.dimensions) {
      if (d.comparison) {
        warn(jr.judge, d.dimension + "'s change from " + other, d.comparison->diff_ci, d.comparison->changed,
             d.comparison->n);
        compared += d.comparison->changed;
        compared_n += d.comparison->n;
      }
      if (d.calibrated) {
        warn(jr.judge, d.dimension + "'s calibrated change", d.calibrated->diff_ci, d.calibrated->changed,
             d.metrics.n);
        calibrated += d.calibrated->changed;
        calibrated_n += d.metrics.n;
      }
    }
    if (jr.compare_judge)
      warn(jr.judge, "the mean of MAEs' change from " + other, jr.mean_diff_ci, compared, compared_n);
    if (jr.calibrated_mean_mae)
      warn(jr.judge, "the mean of MAEs' calibrated change", jr.calibrated_mean_diff_ci, calibrated,
           calibrated_n);
  }
  return out;
}

}  // namespace judge::measure
