// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "judge/align/distill.hpp"
#include "judge/labels/labels.hpp"
#include "judge/llm/provider.hpp"
#include "judge/memory/memory.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/judge.hpp"
#include "judge/scoring/memory_blend.hpp"

namespace judge::align {

struct AlignOptions {
  const rubric::Rubric* rubric = nullptr;   ///< required: the dimensions labels are on
  std::filesystem::path notebooks_dir;      ///< label items are paths under it ("ARCHIVE.dbc!/inner" allowed)
  std::string rater_policy = "mean";        ///< labels::resolve policy
  scoring::Judge* judge = nullptr;          ///< required: its own verdicts (no memory) go into the episodes
  llm::ChatProvider* reflection = nullptr;  ///< nullptr: the offline extractive distiller
  int k = 5;                                ///< recorded with the memory
  std::size_t parallel = 4;                 ///< judge and reflection calls at once
  BatchLimits batch;
  std::string labels_file;  ///< provenance only
  /// Whether to work out which learnt rules rest on few labels (record_fragile_rules: one refit per labelled
  /// notebook of each dimension with learnt rules). judge validate's fold memories skip it: nobody reads
  /// them.
  bool check_fragile_rules = true;
};

/// What one alignment did.
struct AlignSummary {
  std::size_t episodes_added = 0, episodes_changed = 0, episodes_unchanged = 0, episodes_removed = 0;
  /// Of episodes_changed, those whose label changed (the rest: only their notebook did).
  std::size_t episodes_relabelled = 0;
  std::size_t notebooks_judged = 0;
  std::size_t notebooks_unreadable = 0;   ///< labelled notebooks that could not be read (each also a warning)
  std::size_t notebooks_skipped = 0;      ///< notebooks of LabelSet::skipped (not read; no warning here)
  std::size_t episodes_skipped_kept = 0;  ///< episodes of those notebooks kept as memory had them
  /// Episodes kept (notebook not read) whose verdict another judge gave (memory::Episode::verdict_judge):
  /// left out of learnt rules, blend weights and calibration until their notebooks are judged again; their
  /// notebooks (in episode order, once each) and those judges (sorted).
  std::size_t episodes_other_judge = 0;
  std::vector<std::string> notebooks_other_judge;
  std::vector<std::string> other_judges;
  std::size_t verdicts_unscored = 0;  ///< verdicts of this run's judge calls that are unscored
  std::size_t verdicts_made = 0;      ///< (notebook, dimension) verdicts of this run's judge calls
  std::size_t reflection_calls = 0;   ///< reflection batches that succeeded
  std::size_t reflection_failed = 0;  ///< reflection batches that failed (retried next run)
  std::size_t records_distilled = 0;
  std::size_t guidelines_before = 0, guidelines_after = 0;
  std::size_t labels_forgotten = 0;  ///< labels left out because a tombstone names them (Memory::forgotten)
  /// Learnt rules written per labelled rubric dimension (judges that learn rules only; 0 = "no rule" won the
  /// inner cross-validation: the judge's own verdicts agree with the labels as well as any rule could).
  /// Dimensions without labels have no entry.
  std::map<std::string, std::size_t> rules_learnt;
  /// Learnt rules left out per dimension because a person edited or deleted the one align had written (the
  /// memory's LearntRecord::withheld): align learnt them again and did not write them back.
  std::map<std::string, std::size_t> rules_withheld;
  /// Dimensions whose rules (learnt and a person's, as eval applies them) give every labelled notebook the
  /// judge scores one and the same score, while the labels use several: the rules tell the notebooks apart
  /// no more (QWK near 0, though MAE fell when the score is the labels' majority). Checked where align wrote
  /// a learnt rule or a person's rule (source: manual) is in the file. The dimension, that score, and the
  /// labels' count of each score ("1": 21, "2": 3, "3": 3), over the episodes with facts.
  struct OneScore {
    double score = 0;
    std::map<double, std::size_t> labels;
    bool manual = false;  ///< a person's rule (source: manual) is among the dimension's rules
  };
  std::map<std::string, OneScore> rules_one_score;
  /// Learnt rules a person edited or deleted in guidelines.yaml since the last align wrote them, one problem
  /// each with the line of the rule in the file about to be saved (0 for a deleted one): an edited one is
  /// kept as a manual rule; what align learnt again, and which rule the judge applies, is said.
  std::vector<scoring::FactRuleProblem> hand_edits;
  /// Unreadable notebooks, failed reflection batches (retried next run), guidelines a reflection model wrote
  /// that read as rules of the offline judge the memory cannot use (left out; see align's step 4).
  std::vector<std::string> warnings;
  /// Dimensions whose blend weight could not be learnt (0), one line each with the reason
  /// (scoring::calibrate_memory).
  std::vector<std::string> blend_unlearnt;
};

/// The offline judge's semantic memory for one dimension: a rule tree (stats::fit_rule_tree, depth chosen by
/// inner cross-validation against "no rule") fitted from the episodes' facts (Episode::facts, plus
/// `rule_score`: the judge's own score, 0 for N/A) to their human scores, N/A included. Each leaf that
/// changes the verdict becomes a guideline of source "learnt" whose text is the rule ("when trains_model, not
/// missing_check_before_training -> score at most 1 (9 of 10 labels)": the labels it got right of those it
/// covers, counted by memory::rule_support, as judge memory show recounts it), citing the labels it got
/// right. Episodes without facts or with an unscored verdict are left out (memory::rule_case). Actions are
/// the rubric's scale points (N/A when it allows N/A); an N/A disagreement costs three quarters of the
/// scale's range (1.5 on 1-3).
std::vector<memory::Guideline> learn_fact_rules(const rubric::Rubric& rubric, const std::string& dimension,
                                                const std::vector<memory::Episode>& episodes);

/// How firmly the labels hold the learnt rules of one dimension: learn_fact_rules fitted again once per
/// labelled notebook of the dimension, each time without that notebook's episode (leave-one-label-out, the
/// jackknife of Efron 1982 applied to the rule list rather than to a number). A rule the fit on every label
/// learns but a refit without one label does not rests on that label: a forgotten or mistyped label of it
/// makes the rule go, and a held-out notebook like it is judged by a rule the labels barely support.
struct RuleStability {
  std::size_t episodes = 0;  ///< episodes of the dimension with a rule_case (facts and a judge verdict)
  /// Refits made, each without one of those episodes: every one of them, or max_refits spread evenly over
  /// them (the i-th of max_refits leaves out episode i * episodes / max_refits).
  std::size_t refits = 0;
  /// Each rule the fit on every episode learns (rule text without its support comment, as
  /// memory::format_fact_rule writes it): the notebooks whose episode, left out, makes the refit learn
  /// rules without it (sorted). Empty: every refit learns it again. A refit that learns the rule with other
  /// thresholds (the same facts, tests and action: "share >= 0.39" for "share >= 0.33") learns it again.
  std::map<std::string, std::vector<std::string>> lost_without;
  /// For each rule of lost_without with notebooks: the rules the refits that lost it learn in its place
  /// (rules of a shape the fit on every episode does not learn; sorted). Absent: no other rule.
  std::map<std::string, std::vector<std::string>> instead;
};

/// rule_stability for `dimension` of `episodes` (the memory's, as align left them). Costs `refits` + 1 fits
/// of learn_fact_rules, each with its own leave-one-out inner cross-validation (about n small trees for n
/// labels, so about n^2 a dimension, up to max_refits * n), run on up to `threads` threads;
/// stats::fit_rule_tree is deterministic, so the result does not depend on them.
RuleStability rule_stability(const rubric::Rubric& rubric, const std::string& dimension,
                             const std::vector<memory::Episode>& episodes, std::size_t threads,
                             std::size_t max_refits = 60);

/// A learnt rule of the memory that rests on few labels (rule_stability), and what to say of it.
struct FragileRule {
  std::string dimension;
  std::string rule;  ///< as memory::format_fact_rule writes it (no support comment)
  /// "does not learn it without the label of any one of a.ipynb, b.ipynb, c.ipynb and d.ipynb (learnt again
  /// in 36 of 40 refits, each leaving one labelled notebook out; those refits learn `...` instead)": what
  /// follows "align " in judge align's warning and judge memory show's line under the rule. Up to four
  /// notebooks are named; beyond, the first three and how many more.
  std::string why;
};

/// The dimensions of `memory` whose rules (learnt and a person's, as judge eval applies them to the episodes'
/// facts and the judge's verdicts at alignment) give every labelled episode the judge scores one and the same
/// score while the labels use several (AlignSummary::OneScore; `manual` when a person's rule is among them).
/// judge align warns of them; judge memory show and judge eval --memory say it again, so the warning outlives
/// align's output. Only dimensions with a rule are checked; computed from the memory, so it holds after a
/// forget or an edit.
std::map<std::string, AlignSummary::OneScore> rules_giving_one_score(const memory::Memory& memory);

/// The labels' count of each score of `one`, as the warnings say it: "1 to 21, 2 to 3 and 3 to 3".
std::string label_counts_text(const AlignSummary::OneScore& one);

/// Whether the one score of `one` is the labels' most frequent (ties count): the rules follow the majority.
bool follows_majority(const AlignSummary::OneScore& one);

/// The learnt rules of `dimensions` that guidelines.yaml holds as align wrote them (source learnt, not
/// edited into a rule a person's rule of the same shape already says) and that rule_stability finds resting
/// on few labels, in the order of `dimensions` then of the rule texts. Computed from the memory's episodes,
/// so judge align (after the fit) and judge memory show (any time later) say the same. Costs rule_stability
/// per dimension that has a learnt rule.
std::vector<FragileRule> fragile_rules(const memory::Memory& memory, const rubric::Rubric& rubric,
                                       const std::set<std::string>& dimensions, std::size_t threads);

/// Records fragile_rules of the dimensions of `rules_learnt` (those with a count above 0 are checked; the
/// notes of all of them are replaced) in the memory's learnt record (LearntRecord::fragile), which judge
/// align warns of and judge memory show prints; align and forget's refit call it after fitting, with the
/// memory's episodes set.
void record_fragile_rules(memory::Memory& memory, const rubric::Rubric& rubric,
                          const std::map<std::string, std::size_t>& rules_learnt, std::size_t threads);

/// A rule text's facts, tests and action without their numbers and comment, tests sorted: "when
/// uninstalled_packages >= 1 -> score at most 1 (18 of 20 labels)" and "when uninstalled_packages >= 2 ->
/// score at most 1" have the same shape. "" for a text that is no rule.
std::string rule_shape(const std::string& text);

/// What refit_learnt_rules made of one dimension.
struct Refit {
  std::vector<std::string> written;   ///< the learnt rules' texts now
  std::vector<std::string> withheld;  ///< rules learnt again but left out: a person edited or deleted them
  bool labelled = true;               ///< false: no episode of the dimension is left (nothing to learn from)
};

/// After judge memory forget removed episodes of `dimensions`: refits those dimensions' learnt rules from the
/// episodes left, as judge align would (learn_fact_rules on the same episodes: the same rules, recounted), so
/// eval's rules are at once what the next align would learn, whether forget removed a rule citing a forgotten
/// label or only changed what a fit sees. A rule a person edited or deleted since align wrote it is left out,
/// as align leaves it out, and recorded as withheld (Memory::learnt_record). A dimension with no episode left
/// keeps no learnt rule, as align. The dimension's learnt rules follow its other guidelines, and a dimension
/// with none comes where the rubric's order puts it; the blend weights are refitted too
/// (scoring::calibrate_memory with the memory's k). Prose guidelines are not redistilled (that needs the
/// reflection provider: the next align does it). `rubric` must be the one the memory was aligned for.
/// With `learnt`, also says what the refit learnt as align says it of its fit, for the dimensions refitted
/// that have an episode left: their rules_learnt, rules_withheld, rules_one_score and blend_unlearnt (its
/// other fields are left alone), which judge memory forget warns of as judge align does.
std::map<std::string, Refit> refit_learnt_rules(memory::Memory& memory, const rubric::Rubric& rubric,
                                                const std::set<std::string>& dimensions,
                                                AlignSummary* learnt = nullptr);

/// The notebook a label item names under `dir`, and the sha256 of its file in `hash`. "ARCHIVE.dbc!/inner"
/// picks one notebook of an archive. Its Notebook::name is `item` (so prompts do not hold `dir`, whatever
/// its spelling). Returns nullopt with `error` set when it cannot be read.
std::optional<notebook::Notebook> read_item(const std::filesystem::path& dir, const std::string& item,
                                            std::string& hash, std::string& error);

/// Aligns `memory` with `labels`, incrementally; labels a tombstone of the memory names
/// (Memory::is_forgotten) are left out, as if the file lacked them. The notebooks of labels.skipped (not
/// found; the caller chose to go on without them) are not read: memory keeps the episodes it has of their
/// labelled (notebook, dimension)s as they are, as for a labelled notebook that cannot be read; when memory
/// was aligned for another judge, their verdicts are marked as that judge's (Episode::verdict_judge), left
/// out of what needs this judge's verdicts, and judged again by the first align that reads them. Why
/// incremental: reflection and LLM judges cost money, so an (item, dimension) whose resolved labels (scores,
/// feedback, rater policy) and notebook file are unchanged keeps its episode and makes no call. Steps:
///  1. resolve raters (options.rater_policy) into one episode per (notebook, dimension);
///  2. episodes whose labels or notebook changed, or that are new, get the judge's own verdict again (an
///     LLM judge is asked once per such notebook, about the dimensions it has labels on only; the
///     heuristic judge, which is free, re-scores every
///     notebook so its recorded verdicts follow rule changes) and a fresh excerpt; episodes whose labels are
///     gone are removed; every notebook is judged again when the judge changed or the memory was repaired
///     after an interrupted save (Memory::recovered: the episodes may hold another judge's verdicts), and a
///     notebook whose episodes hold another judge's verdict (Episode::verdict_judge) is judged again;
///  3. embeddings: new excerpts are embedded; if the embedder's corpus statistics change (offline idf), all;
///  4. guidelines: citations of changed or removed labels are dropped, guidelines left with none (not
///     manual) go; then the feedback of episodes not yet distilled is distilled: with a reflection model in
///     batches (BatchLimits) run `parallel` at a time; offline, every dimension with a change has its
///     extractive guidelines redone from all its labels (free). The reflection model is shown the dimension's
///     known guidelines without its rules; a reflection guideline that reads as a rule (memory::is_fact_rule)
///     is left out with a warning naming its dimension and text: the offline judge's rules are learnt
///     (learn_fact_rules) or a person's, never a model's unfitted one. Duplicates are merged
///     (merge_guidelines).
///  5. blend weights per dimension (scoring::calibrate_memory, leave-one-out over the episodes; a weight
///     that cannot be learnt is 0 and named in AlignSummary::blend_unlearnt).
/// A reflection batch that fails leaves its episodes undistilled (a warning; the next run retries them); a
/// reply that does not parse is handed back with ChatProvider::reject, so no response cache keeps it.
/// Throws judge::Error for a missing rubric/judge or a label dimension the rubric lacks, and rethrows what
/// the judge throws (auth or config failure, unreachable server, missing command) or an auth/config failure
/// of the reflection model; `memory` may then be partly updated, so callers do not save it.
AlignSummary align(memory::Memory& memory, const labels::LabelSet& labels, const AlignOptions& options);

/// What aligning `memory` on `labels` (rater policy `policy`) would do to the episodes it has, counted before
/// anything runs: `removed`, those no label of the file (LabelSet::labels or skipped) resolves to;
/// `relabelled`, those it resolves to other labels (another score, rater or feedback: the label fingerprint
/// align records differs). judge align refuses another labels file that would replace most of a memory this
/// way.
struct Replaced {
  std::size_t removed = 0, relabelled = 0;
};
Replaced episodes_replaced(const memory::Memory& memory, const labels::LabelSet& labels,
                           const std::string& policy);

}  // namespace judge::align
