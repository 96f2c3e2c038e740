// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "judge/measure/measure.hpp"

namespace judge::measure {

/// One metric of a judge's agreement with people: the plug point that the gates (--fail-if) and every
/// report writer read. Adding a metric is one entry in metrics() (and, for a metric of the pairs, its field
/// in stats::Agreement).
struct Metric {
  std::string_view name;     ///< gate name, JSON key and CSV column: "mae"
  std::string_view heading;  ///< column heading of the text, Markdown and HTML tables: "MAE"
  int precision = 3;         ///< decimals in the tables and JUnit (CSV has 6, JSON every digit)
  bool sign = false;         ///< written with its sign ("+0.250"): a signed difference such as bias
  /// The metric of one dimension's (judge, human) pairs; nullptr for a metric of the judge's records, which
  /// only gates read.
  double (*of_pairs)(const stats::Agreement&) = nullptr;
  /// For a metric of the judge's records (of_pairs == nullptr): its value on one dimension, or on every
  /// dimension when `dimension` is nullptr (pooled, or the judge-level figure). NaN when undefined.
  double (*of_judge)(const JudgeMeasurement&, const DimensionStats* dimension) = nullptr;
  /// Measured with a bootstrap confidence interval (DimensionStats::mae_ci; the mean over dimensions
  /// JudgeMeasurement::mean_mae with mean_mae_ci): writers put the interval right after the value.
  bool interval = false;
  bool junit = false;          ///< in each JUnit testcase's summary line
  bool gate = true;            ///< --fail-if may name it
  bool needs_compare = false;  ///< defined only against a compared judge (MeasureOptions::compare)
};

/// Every metric, in the order the writers show them: the agreement metrics of stats::Agreement (mae, bias,
/// rmse, exact, within1, qwk, spearman), then the judge-level gate metrics (na_disagree, na_recall,
/// na_precision, unscored, labelled_in_memory, labels_without_score, mae_change, mae_change_ci_low; their
/// meaning: Gate).
const std::vector<Metric>& metrics();

/// The metric named `name`, or nullptr.
const Metric* find_metric(std::string_view name);

/// The metric's value for one judge: on `dimension`, or without one the mean over the judge's dimensions of
/// the defined per-dimension values (NaN when none; for mae this is JudgeMeasurement::mean_mae) or, for a
/// metric of the judge's records, its of_judge over every dimension. NaN when undefined.
double metric_value(const Metric& metric, const JudgeMeasurement& judge, const DimensionStats* dimension);

}  // namespace judge::measure
