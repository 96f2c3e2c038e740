// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "judge/labels/labels.hpp"
#include "judge/measure/scores.hpp"
#include "judge/stats/bootstrap.hpp"
#include "judge/stats/calibration.hpp"
#include "judge/stats/metrics.hpp"

namespace judge::measure {

struct MeasureOptions {
  std::string raters = "mean";         ///< labels::resolve policy
  std::optional<std::string> judge;    ///< only this judge's records; nullopt = each judge in turn
  std::optional<std::string> compare;  ///< a second judge for the paired comparison
  /// Also measure the compared judge itself (without a comparison), as judge validate does for its baseline
  /// condition; false: the compared judge is only the other side of each comparison (judge report).
  bool measure_compared = false;
  std::optional<stats::Scale> scale;  ///< a rubric's; nullopt = inferred from labels and judge scores
  std::string scale_source;           ///< where `scale` comes from (e.g. "rubric ml-notebook")
  stats::BootstrapOptions bootstrap;
  std::uint64_t seed = 0;
  int calibrate_folds = 0;  ///< K > 1: cross-fitted isotonic calibration; 0 = off
  stats::IsotonicLoss calibration = stats::IsotonicLoss::squared;  ///< mean (isotonic) or median fit
  std::size_t disagreements = 10;  ///< how many of the largest disagreements to keep
};

/// Paired comparison on one dimension with the --compare judge (pairs where both judges scored).
struct Comparison {
  std::size_t n = 0;
  std::size_t changed = 0;        ///< of the n pairs, those whose absolute error differs between the judges
  double mae = 0, other_mae = 0;  ///< on the common pairs
  stats::Interval diff_ci;        ///< confidence interval of mae - other_mae
  /// Whether the change is significant (is_significant: diff_ci excludes 0 and enough pairs changed); what
  /// every report says of it.
  bool significant = false;
  /// Quadratic weighted kappa of each judge on the common pairs (NaN where undefined): a judge whose MAE
  /// fell by giving every notebook the majority score has a QWK near 0, which MAE alone does not show.
  double qwk = 0, other_qwk = 0;
  /// N/A agreement of each judge over the labels of this dimension both compared (neither record unscored):
  /// paired as the MAEs are, so judges of different coverage are compared on the same labels.
  stats::NaCounts na, other_na;
};

/// Cross-fitted calibration of one dimension: calibrated metrics and the change from raw.
struct Calibrated {
  stats::Agreement metrics;
  std::size_t changed = 0;  ///< pairs whose absolute error calibration changed
  stats::Interval mae_ci;
  stats::Interval diff_ci;   ///< confidence interval of calibrated MAE - raw MAE
  bool significant = false;  ///< is_significant(diff_ci, changed, confidence)
};

struct DimensionStats {
  std::string dimension;
  stats::Agreement metrics;
  stats::Interval mae_ci;
  stats::NaCounts na;
  std::size_t unscored = 0;  ///< the judge's unscored records on this dimension (left out)
  /// The judge's records on this dimension that judge eval --memory marked labelled_in_memory: judged with a
  /// memory holding the notebook's own labels (in-sample).
  std::size_t labelled_in_memory = 0;
  std::optional<Comparison> comparison;
  std::optional<Calibrated> calibrated;
};

/// One pair far apart, with the judge's rationale and the human feedback.
struct Disagreement {
  std::string item;
  std::string dimension;
  double judge = 0;
  double human = 0;
  std::string rationale;
  std::vector<std::pair<std::string, std::string>> feedback;  ///< (rater, feedback) of the resolved labels
};

/// A resolved label with no record of the judge, and the judge's item it probably meant.
struct LabelWithoutScore {
  std::string item;
  std::string dimension;
  /// A score item of the judge that the label's item likely names (same path once "./" and "." parts are
  /// dropped, or the same file name, or within a few typos); empty when none or when the item matched and
  /// only the dimension has no record.
  std::string did_you_mean;
};

/// A notebook whose records carry flags (judge eval flags a notebook that tries to steer its grader with
/// "prompt_injection"), listed with every score the judge gave it so that a reviewer can check them.
struct FlaggedItem {
  std::string item;
  std::vector<std::string> flags;  ///< the union over its records, in first-seen order
  std::vector<int> cells;          ///< injection_cells, the union over its records, ascending
  struct Score {
    std::string dimension;
    verdict::Status status = verdict::Status::scored;
    std::optional<double> score;  ///< the judge's, when scored
    bool labelled = false;        ///< a resolved label matches (item and dimension)
    std::optional<double> human;  ///< the resolved human score; nullopt when N/A or not labelled
  };
  std::vector<Score> scores;  ///< one per record, in file order
};

/// The measurement of one judge (judge report) or one condition (judge validate).
struct JudgeMeasurement {
  std::string judge;
  std::vector<DimensionStats> dimensions;
  double mean_mae = 0;  ///< mean of the per-dimension MAEs
  stats::Interval mean_mae_ci;
  std::size_t records = 0;             ///< the judge's records read
  std::size_t unscored = 0;            ///< of which unscored (counted, left out)
  std::size_t labelled_in_memory = 0;  ///< of which marked labelled_in_memory (DimensionStats' field)
  std::size_t unmatched_labels = 0;    ///< resolved labels with no record of this judge
  std::vector<LabelWithoutScore> labels_without_score;  ///< those labels, in label order
  /// Label dimensions (label order) on which this judge has no record for any item: a misspelt dimension in
  /// the labels or the scores, or a dimension the judge was not run on.
  std::vector<std::string> dimensions_without_scores;
  std::optional<std::string> compare_judge;
  double mean_diff = 0;  ///< mean over dimensions of (mae - other_mae)
  stats::Interval mean_diff_ci;
  /// is_significant(mean_diff_ci, the changed pairs of every dimension's comparison, confidence)
  bool mean_diff_significant = false;
  std::optional<double> calibrated_mean_mae;
  stats::Interval calibrated_mean_mae_ci, calibrated_mean_diff_ci;
  bool calibrated_mean_diff_significant = false;  ///< as mean_diff_significant, for calibration
  std::vector<Disagreement> largest;  ///< largest |judge - human| first; pairs that agree are left out
  /// The judge's notebooks with flagged records (labelled or not), in first-record order.
  std::vector<FlaggedItem> flagged;
};

/// judge validate's side of a measurement: how its held-out verdicts were made (K-fold cross-validation by
/// notebook, align::cross_validate) and, with --learning-curve, the mean MAE by share of the training folds.
struct CrossValidation {
  int folds = 0;
  std::uint64_t seed = 0;
  std::string judge;       ///< judge spec
  std::string reflection;  ///< reflection model spec; "" = the offline distiller
  std::string embeddings;  ///< embedder spec
  int k = 0;               ///< episodes retrieved per (notebook, dimension)
  std::vector<std::string> conditions;
  std::string calibration;  ///< map of the "calibrated" condition ("isotonic"...); "" when not measured
  struct Item {
    std::string item;
    int fold = 0;
    double mean_label = 0;  ///< the item's mean resolved label (the fold strata)
  };
  std::vector<Item> items;
  /// One condition (baseline left out) measured on a share of each fold's training notebooks.
  struct CurvePoint {
    double share = 0;  ///< in (0, 1]
    std::string condition;
    double training = 0;  ///< notebooks aligned on, mean per fold
    double mae = 0;       ///< mean of the per-dimension MAEs
    stats::Interval ci;
    double change = 0;  ///< mae - baseline's mae (paired)
    stats::Interval change_ci;
  };
  std::vector<double> shares;              ///< the learning curve's shares, ascending; empty without one
  std::vector<CurvePoint> learning_curve;  ///< share-major, then condition order
  /// Each distinct rule the folds learnt (judges that learn rules), with the folds that learnt it
  /// (align::ValidateResult::fold_rules): how firmly the labels hold each one.
  struct FoldRule {
    std::string dimension;
    std::string rule;
    std::vector<int> folds;
  };
  std::vector<FoldRule> fold_rules;
  /// --near-duplicate: the code_similarity (0 to 1) at which two notebooks share a fold; 0 = off.
  double near_duplicate = 0;
  /// The groups of near-duplicate notebooks kept in one fold (align::ValidateResult::near_duplicates): the
  /// notebooks, and the least and most code_similarity of their linking pairs (0 to 1).
  struct NearDuplicates {
    std::vector<std::string> notebooks;
    double least = 1, most = 0;
  };
  std::vector<NearDuplicates> near_duplicates;
};

/// A measured result: every judge (or condition) against the resolved labels, ready for any report writer.
struct Measurement {
  std::string labels_source, labels_hash, scores_source, scores_hash;
  std::string raters;
  stats::Scale scale;
  std::string scale_source;
  stats::BootstrapOptions bootstrap;
  std::uint64_t seed = 0;
  int calibrate_folds = 0;
  stats::IsotonicLoss calibration = stats::IsotonicLoss::squared;
  /// Human-vs-human agreement per dimension: each rater against the mean of the other raters (applicable
  /// labels only; pairs pooled over raters). Empty when the labels have fewer than two raters.
  std::map<std::string, stats::Agreement> human;
  std::vector<JudgeMeasurement> judges;
  std::optional<CrossValidation> cross_validation;  ///< set by judge validate
};

/// Measures agreement: resolves the labels by options.raters, matches each label to a score of the judge
/// (same dimension; item paths equal, or one ends with the other at a '/' or '\\'), and measures agreement
/// per dimension (pairs where both sides apply; N/A disagreements counted apart; unscored records counted
/// and left out) with bootstrap confidence intervals resampling items. Throws judge::Error when
/// --judge/--compare names no judge in the scores (usage; listing the judges, and those a few edits away as
/// a did-you-mean: util::closest_names), when no label matches any score (saying so when every
/// record of the judges is unscored or unreadable), when the scale cannot be found, or when a judge's score
/// lies off options.scale (never clamped onto it; without options.scale the scale is the integer range of
/// the labels and the measured judges' scores, so nothing falls off it). Each judge's records with flags make
/// its `flagged` list (with the human score matched as for the metrics). Throws judge::Error (usage) when an
/// item matches several items of the other side by path suffix, or when options.calibrate_folds is more
/// than the notebooks with both a label and a score (as judge validate refuses more folds than notebooks).
Measurement measure(const labels::LabelSet& labels, const ScoreSet& scores, const MeasureOptions& options);

/// The fewest paired items on which a change can be significant at `confidence` (two-sided), by the exact
/// sign test: n changes all in one direction have p = 2 * 0.5^n, so the smallest n with 2 * 0.5^n <=
/// 1 - confidence (6 at 0.95, 8 at 0.99; Conover 1999, "Practical Nonparametric Statistics", 3.4). Why: a
/// percentile bootstrap interval over fewer items can exclude 0 without evidence (every resample of one
/// pair is that pair, so its interval is a point). `confidence` in (0, 1).
std::size_t fewest_pairs_for_significance(double confidence);

/// Whether a paired change is significant at `confidence`: its interval excludes 0 and at least
/// fewest_pairs_for_significance(confidence) of its pairs changed (absolute error not the same on both
/// sides; the sign test leaves ties out). Why both: a percentile bootstrap interval over fewer changed pairs
/// can exclude 0 without evidence (one changed pair gives a point), so such a change is not called
/// significant anywhere (report and validate tables, JSON), and thin_significance_warnings says why.
bool is_significant(const stats::Interval& ci, std::size_t changed, double confidence);

/// One warning for each change of `measured` (a --compare or validate comparison, or a calibrated change, of
/// a dimension or of the mean of MAEs) whose interval excludes 0 on fewer changed pairs than
/// fewest_pairs_for_significance of its bootstrap confidence, so that is_significant does not call it
/// significant: "JUDGE: DIMENSION's change from OTHER has an interval that excludes 0, but only 1 of its 1
/// pair changed; ... so it is not marked significant ...".
std::vector<std::string> thin_significance_warnings(const Measurement& measured);

/// True when the two item paths name the same notebook (util::same_notebook): equal, or one ends with the
/// other right after a path separator ('/' or '\\').
bool same_item(const std::string& a, const std::string& b);

}  // namespace judge::measure
