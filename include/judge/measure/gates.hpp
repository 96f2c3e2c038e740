// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <vector>

#include "judge/measure/measure.hpp"

namespace judge::measure {

/// A CI gate `METRIC[:DIMENSION] OP NUMBER` that fails the run when it holds, e.g. "mae>0.35" (the mean over
/// dimensions), "mae:model_training>0.3" (one dimension) or "mae_change:*>0" (each dimension: a gate per
/// dimension of the measurement, so one dimension getting worse fails it even when others make up for it in
/// the mean). METRIC is a gate metric of metrics(). Besides
/// the agreement metrics: "na_disagree" (N/A disagreements / (label, record) pairs compared, unscored records
/// left out; without a dimension pooled over all dimensions), "na_recall" (of the human N/As, the share the
/// judge also calls N/A) and "na_precision" (of the judge's N/As, the share humans call N/A; both pooled the
/// same way, NaN when nothing to divide by, and an undefined value fails its gate), "unscored" (the judge's
/// unscored records; without a dimension all of them), "labels_without_score" (resolved labels with no
/// record of the judge at all, JudgeMeasurement::labels_without_score, which "unscored" does not count; on a
/// dimension those of it, a labelled dimension without any record of the judge included, and "*" gates those
/// dimensions too; without one all of them), "mae_change" (MAE - MAE of the --compare judge on
/// the pairs both scored; without a dimension the mean over dimensions, JudgeMeasurement::mean_diff) and
/// "mae_change_ci_low" (the low end of mae_change's paired bootstrap confidence interval, Comparison::diff_ci
/// and JudgeMeasurement::mean_diff_ci: above 0 the judge is significantly worse than the compared one, so
/// "mae_change_ci_low:*>0" fails on a dimension made worse beyond the noise of its few pairs), and
/// "na_disagree_change" (the N/A disagreement rate minus the --compare judge's, both over the labels both
/// judges compared, Comparison::na and other_na; without a dimension pooled over the dimensions:
/// "na_disagree_change>0" fails when the judge disagrees with people about N/A more often than the compared
/// one, which MAE, leaving those pairs out, does not show).
struct Gate {
  std::string text;       ///< as written
  std::string metric;     ///< the name of a gate metric of metrics()
  std::string dimension;  ///< empty = the mean over dimensions; k_every_dimension = each dimension
  std::string op;         ///< < | <= | > | >=
  double threshold = 0;
};

/// The DIMENSION of a gate on each dimension ("mae_change:*>0").
inline constexpr const char* k_every_dimension = "*";

/// Parses one --fail-if expression (spaces allowed around parts). Throws judge::Error (usage) naming the
/// expression and the expected form.
Gate parse_gate(const std::string& text);

struct GateResult {
  Gate gate;
  std::string judge;
  double value = 0;     ///< NaN when undefined (no such dimension, or the metric is undefined)
  bool failed = false;  ///< the expression holds, or its value is undefined
};

/// `gates` without those equal to an earlier one (the same metric, dimension, comparison and threshold,
/// however written: 'mae>0.3' and 'mae > 0.30'), in the order given, the first's text kept.
std::vector<Gate> distinct_gates(const std::vector<Gate>& gates);

/// Evaluates every distinct gate (distinct_gates: a gate given twice is checked and reported once, and so is
/// a dimension a METRIC:* gate covers that another names with the same metric, comparison and threshold)
/// against every judge of the measurement (metric_value); a gate on each dimension gives one result per
/// dimension, its gate's `dimension` set to that dimension. Throws judge::Error (usage) for a dimension the
/// measurement lacks, or a gate on a needs_compare metric (mae_change, mae_change_ci_low, na_disagree_change)
/// of a measurement made without a compared judge (--compare).
std::vector<GateResult> evaluate_gates(const Measurement& measurement, const std::vector<Gate>& gates);

/// One line that reads right whichever way the gate went: failed "mae:model_training 0.412 > 0.3 (judge X)",
/// passed "mae 0.028 (fails if > 0.35)", undefined "qwk undefined (an undefined value fails the gate)".
std::string describe(const GateResult& result);

/// What the --fail-if gates say on stderr, in the order of `results`: one line per failed result
/// ("gate failed: --fail-if 'mae>0.3': mae 0.41 > 0.3 (judge h)"), and one per gate all of whose results
/// passed: describe's line when it gave one result ("gate passed: --fail-if 'mae>0.3': mae 0.19 (fails if >
/// 0.3)"), else how many ("gate passed: --fail-if 'mae_change:*>0': each of its 9 checks (a dimension's or
/// a judge's value) passed"). So a CI log says what was checked when the report itself goes to a file.
std::vector<std::string> gate_lines(const std::vector<GateResult>& results);

}  // namespace judge::measure
