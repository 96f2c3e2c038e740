// SPDX-License-Identifier: MIT
#include "judge/measure/metrics.hpp"

#include <algorithm>
#include <cmath>

namespace judge::measure {

namespace {

// N/A agreement, pooled over the dimensions (or the one given).
stats::NaCounts pooled_na(const JudgeMeasurement& jr, const DimensionStats* dim) {
  stats::NaCounts pooled;
  for (const auto& d : jr.dimensions)
    if (!dim || &d == dim) {
      pooled.both_apply += d.na.both_apply;
      pooled.both_na += d.na.both_na;
      pooled.judge_na_only += d.na.judge_na_only;
      pooled.human_na_only += d.na.human_na_only;
    }
  return pooled;
}

double ratio(std::size_t a, std::size_t b) {
  return b ? static_cast<double>(a) / static_cast<double>(b) : std::nan("");
}

// Judge and humans compared: every (label, record) pair that is not unscored.
double na_disagree(const JudgeMeasurement& jr, const DimensionStats* dim) {
  const auto na = pooled_na(jr, dim);
  return ratio(na.disagreements(), na.both_apply + na.both_na + na.judge_na_only + na.human_na_only);
}

// Of the human N/As, the share the judge also calls N/A.
double na_recall(const JudgeMeasurement& jr, const DimensionStats* dim) {
  const auto na = pooled_na(jr, dim);
  return ratio(na.both_na, na.both_na + na.human_na_only);
}

// Of the judge's N/As, the share humans call N/A.
double na_precision(const JudgeMeasurement& jr, const DimensionStats* dim) {
  const auto na = pooled_na(jr, dim);
  return ratio(na.both_na, na.both_na + na.judge_na_only);
}

double unscored(const JudgeMeasurement& jr, const DimensionStats* dim) {
  return static_cast<double>(dim ? dim->unscored : jr.unscored);
}

// Records judged with a memory that holds the notebook's own labels (in-sample figures).
double labelled_in_memory(const JudgeMeasurement& jr, const DimensionStats* dim) {
  return static_cast<double>(dim ? dim->labelled_in_memory : jr.labelled_in_memory);
}

// Resolved labels with no record of the judge at all (the report's labels_without_score), which `unscored`
// does not count: on the dimension, or all of them (those of dimensions without any record included).
double labels_without_score(const JudgeMeasurement& jr, const DimensionStats* dim) {
  if (!dim) return static_cast<double>(jr.unmatched_labels);
  return static_cast<double>(
      std::count_if(jr.labels_without_score.begin(), jr.labels_without_score.end(),
                    [&](const LabelWithoutScore& l) { return l.dimension == dim->dimension; }));
}

double mae_change(const JudgeMeasurement& jr, const DimensionStats* dim) {
  if (!dim) return jr.compare_judge ? jr.mean_diff : std::nan("");
  return dim->comparison ? dim->comparison->mae - dim->comparison->other_mae : std::nan("");
}

// The N/A disagreement rate minus the compared judge's, over the labels both compared (Comparison::na and
// other_na), on the dimension or pooled: above 0, more N/A disagreements than the compared judge.
double na_disagree_change(const JudgeMeasurement& jr, const DimensionStats* dim) {
  stats::NaCounts mine, other;
  for (const auto& d : jr.dimensions) {
    if ((dim && &d != dim) || !d.comparison) continue;
    for (auto [to, from] :
         {std::pair{&mine, &d.comparison->na}, std::pair{&other, &d.comparison->other_na}}) {
      to->both_apply += from->both_apply;
      to->both_na += from->both_na;
      to->judge_na_only += from->judge_na_only;
      to->human_na_only += from->human_na_only;
    }
  }
  const auto rate = [](const stats::NaCounts& na) {
    return ratio(na.disagreements(), na.both_apply + na.both_na + na.judge_na_only + na.human_na_only);
  };
  return jr.compare_judge ? rate(mine) - rate(other) : std::nan("");
}

// The low end of the paired bootstrap confidence interval of mae_change: above 0, the judge is significantly
// worse than the compared one (the interval excludes 0 on the worse side).
double mae_change_ci_low(const JudgeMeasurement& jr, const DimensionStats* dim) {
  if (!dim) return jr.compare_judge ? jr.mean_diff_ci.low : std::nan("");
  return dim->comparison ? dim->comparison->diff_ci.low : std::nan("");
}

using A = const stats::Agreement&;

// The table: one line per metric, in the order the writers show them.
const std::vector<Metric> k_metrics{
    {.name = "mae", .heading = "MAE", .of_pairs = [](A a) { return a.mae; }, .interval = true, .junit = true},
    {.name = "bias", .heading = "bias", .sign = true, .of_pairs = [](A a) { return a.bias; }, .junit = true},
    {.name = "rmse", .heading = "RMSE", .of_pairs = [](A a) { return a.rmse; }, .gate = false},
    {.name = "exact", .heading = "exact", .of_pairs = [](A a) { return a.exact; }},
    {.name = "within1", .heading = "within1", .of_pairs = [](A a) { return a.within1; }},
    {.name = "qwk", .heading = "QWK", .of_pairs = [](A a) { return a.qwk; }, .junit = true},
    {.name = "spearman", .heading = "Spearman", .of_pairs = [](A a) { return a.spearman; }, .junit = true},
    {.name = "na_disagree", .heading = "N/A disagree rate", .of_judge = na_disagree},
    {.name = "na_recall", .heading = "N/A recall", .of_judge = na_recall},
    {.name = "na_precision", .heading = "N/A precision", .of_judge = na_precision},
    {.name = "unscored", .heading = "unscored", .precision = 0, .of_judge = unscored},
    {.name = "labelled_in_memory",
     .heading = "records judged with their own labels in memory",
     .precision = 0,
     .of_judge = labelled_in_memory},
    {.name = "labels_without_score",
     .heading = "labels without a score",
     .precision = 0,
     .of_judge = labels_without_score},
    {.name = "mae_change",
     .heading = "MAE change",
     .sign = true,
     .of_judge = mae_change,
     .needs_compare = true},
    {.name = "na_disagree_change",
     .heading = "N/A disagree rate change",
     .sign = true,
     .of_judge = na_disagree_change,
     .needs_compare = true},
    {.name = "mae_change_ci_low",
     .heading = "MAE change, CI low",
     .sign = true,
     .of_judge = mae_change_ci_low,
     .needs_compare = true},
};

}  // namespace

const std::vector<Metric>& metrics() { return k_metrics; }

const Metric* find_metric(std::string_view name) {
  for (const auto& m : metrics())
    if (m.name == name) return &m;
  return nullptr;
}

double metric_value(const Metric& metric, const JudgeMeasurement& jr, const DimensionStats* dim) {
  if (!metric.of_pairs) return metric.of_judge(jr, dim);
  if (dim) return metric.of_pairs(dim->metrics);
  double sum = 0;
  std::size_t n = 0;
  for (const auto& d : jr.dimensions)
    if (const double v = metric.of_pairs(d.metrics); !std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : std::nan("");
}

}  // namespace judge::measure
