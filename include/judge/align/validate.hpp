// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "judge/labels/labels.hpp"
#include "judge/llm/provider.hpp"
#include "judge/llm/registry.hpp"
#include "judge/memory/memory.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/judge.hpp"
#include "judge/stats/calibration.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::align {

/// The conditions judge validate measures, in this order:
///  - "baseline": the judge without memory;
///  - "semantic": memory with guidelines only (MemoryUse::use_episodes = false);
///  - "episodic": memory with episodes only (MemoryUse::use_guidelines = false);
///  - "both": guidelines and episodes;
///  - "calibrated": the baseline verdicts mapped by an isotonic map per dimension (judge score -> human
///    score) fitted on the training folds' baseline verdicts and resolved labels (no extra judge calls);
///  - "both-calibrated": the "both" verdicts mapped by the calibration the fold's memory fits
///    (memory::fit_calibration), as judge eval --memory applies a memory aligned with --calibrate (no extra
///    judge calls when "both" is measured too).
/// The two calibrated conditions are measured only when asked for (default_validate_conditions).
const std::vector<std::string>& validate_conditions();
/// The conditions measured when none are chosen: baseline, semantic, episodic and both. Why not the
/// calibrated ones: calibration is opt-in at judge align (--calibrate), so the default measures what align
/// does by default; and an isotonic map of a judge already on the human scale only adds error
/// (docs/validate.md).
const std::vector<std::string>& default_validate_conditions();

struct ValidateOptions {
  const rubric::Rubric* rubric = nullptr;   ///< required
  std::filesystem::path notebooks_dir;      ///< label items are paths under it
  std::string rater_policy = "mean";        ///< labels::resolve policy
  scoring::Judge* judge = nullptr;          ///< required
  llm::ChatProvider* reflection = nullptr;  ///< distills each fold's guidelines; nullptr: offline extractive
  int folds = 4;                            ///< K: 2 to the number of labelled notebooks that can be read
  std::uint64_t seed = 0;                   ///< fold assignment and learning-curve subsets
  std::vector<std::string> conditions = default_validate_conditions();  ///< of validate_conditions()
  int k = 5;                                 ///< episodes retrieved per (notebook, dimension)
  std::string embeddings = "hashed-tfidf";   ///< embedder of each fold's fresh memory
  llm::ProviderSettings embedding_settings;  ///< for an embeddings provider (base URL, dimensions, ...)
  /// Shares of each fold's training notebooks to align on, each in (0, 1]: {1} = the plain measurement;
  /// {0.25, 0.5, 0.75, 1} = a learning curve. The notebooks of a smaller share are a subset of a larger one.
  std::vector<double> shares = {1.0};
  std::size_t parallel = 4;                                        ///< judge calls at once
  stats::IsotonicLoss calibration = stats::IsotonicLoss::squared;  ///< the "calibrated" condition's map
  /// Notebooks whose code is at least this alike (code_similarity) share a fold, as do notebooks linked
  /// through such pairs; 0 turns it off. In [0, 1].
  double near_duplicate = 0.8;
};

/// How alike two notebooks' code is: the Jaccard index |A and B| / |A or B| of their sets of code lines,
/// each line of a code cell's source trimmed of surrounding white space, blank lines left out. 1 for the
/// same code (outputs, markdown and the order of cells aside), 0 when they share no line or either has none.
double code_similarity(const notebook::Notebook& a, const notebook::Notebook& b);

/// One held-out verdict: the judge's verdict under a condition on a notebook of the fold it was held out of.
struct HeldOut {
  std::string item;
  int fold = 0;
  verdict::Verdict verdict;  ///< "calibrated": extra["calibrated"] holds the raw baseline score
};

/// All held-out verdicts of one (condition, share): every labelled notebook once, on every rubric dimension.
struct ConditionRun {
  std::string condition;
  double share = 1;
  std::size_t training_items = 0;  ///< sum over folds of the notebooks aligned on
  std::vector<HeldOut> verdicts;   ///< ordered by item, then rubric dimension
};

struct ValidateResult {
  std::vector<std::string> items;  ///< labelled notebooks, sorted
  std::vector<int> fold;           ///< fold[i] of items[i], from stats::assign_folds
  std::vector<double> strata;      ///< each item's mean resolved label (N/A left out; 0 when all N/A)
  std::vector<ConditionRun> runs;  ///< condition-major for each share, shares in the given order
  /// For each (share index, fold): the notebooks whose labels reached that fold's memory, read back from the
  /// memory itself (episodes' notebooks and the items of the label ids guidelines cite). Lets a test check
  /// that no notebook's labels reach its own fold.
  std::vector<std::vector<std::set<std::string>>> memory_items;
  /// Unreadable notebooks (left out of every condition), then each fold's alignment warnings (failed
  /// reflection batches): not a count of unreadable notebooks, which notebooks_unreadable is.
  std::vector<std::string> warnings;
  std::size_t notebooks_unreadable = 0;  ///< labelled notebooks that could not be read (each also a warning)
  /// The rules each fold learnt (judges that learn rules; the folds aligned on all their training notebooks,
  /// share 1): each distinct rule once, as memory::format_fact_rule writes it (no support comment), with the
  /// folds that learnt it, ascending. In rubric dimension order, then first learnt first. A rule every fold
  /// learns is one the labels hold firmly; one a single fold learns rests on a few of them.
  struct FoldRule {
    std::string dimension;
    std::string rule;
    std::vector<int> folds;
  };
  std::vector<FoldRule> fold_rules;
  /// The groups of near-duplicate notebooks kept in one fold (notebooks linked by pairs whose code_similarity
  /// is at least options.near_duplicate), in order of their first notebook: their names in items' order, and
  /// the least and greatest similarity of the pairs that linked them.
  struct NearDuplicates {
    std::vector<std::string> notebooks;
    double least = 1, most = 0;
  };
  std::vector<NearDuplicates> near_duplicates;
};

/// K-fold cross-validation of alignment. Why by notebook: the dimensions of one notebook share its code, so
/// a notebook's labels must not help judge that notebook; folds are stratified by each notebook's mean
/// label so every fold sees low and high notebooks (stats::assign_folds, seeded by options.seed). For each
/// share and each fold f: the training notebooks are the other folds' (a seeded random share of them,
/// nested across shares), their labels are aligned (align::align with options.reflection, else the offline
/// distiller, and options.embeddings) into a fresh in-process memory, and fold f's notebooks are judged under
/// each memory condition. Baseline verdicts do not depend on the fold, so the judge sees each notebook once
/// without memory. "calibrated" fits, per dimension, an isotonic map on the training notebooks' (baseline
/// score, resolved human score) pairs where both are scored and applies it to fold f's baseline scores.
/// Deterministic for a given seed and judge (and reflection model). Throws judge::Error for a missing
/// rubric/judge; a usage error (ExitCode::usage) for an unknown condition, a share outside (0, 1], or K < 2
/// or K above the number of labelled notebooks that could be read (the message says how many there are),
/// checked before the judge is asked anything.
ValidateResult cross_validate(const labels::LabelSet& labels, const ValidateOptions& options);

}  // namespace judge::align
