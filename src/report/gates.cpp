// SPDX-License-Identifier: MIT
#include "judge/report/gates.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::report {

namespace {

const std::vector<std::string> k_metrics{"mae",          "bias",     "qwk",         "spearman",
                                         "exact",        "within1",  "na_disagree", "na_recall",
                                         "na_precision", "unscored", "mae_change"};

// Judge and humans compared on a dimension: every (label, record) pair that is not unscored.
std::size_t compared(const stats::NaCounts& na) {
  return na.both_apply + na.both_na + na.judge_na_only + na.human_na_only;
}

// The gates that are not one agreement metric: N/A disagreement rate, unscored count, MAE change.
double count_value(const JudgeReport& jr, const Gate& g) {
  const DimensionStats* dim = nullptr;
  for (const auto& d : jr.dimensions)
    if (d.dimension == g.dimension) dim = &d;
  if (g.metric == "unscored") return static_cast<double>(dim ? dim->unscored : jr.unscored);
  if (g.metric == "mae_change") {
    if (!dim) return jr.compare_judge ? jr.mean_diff : std::nan("");
    return dim->comparison ? dim->comparison->mae - dim->comparison->other_mae : std::nan("");
  }
  // N/A agreement, pooled over the dimensions (or the one named): disagreement rate; recall (of the human
  // N/As, the share the judge also calls N/A) and precision (of the judge's N/As, the share humans call N/A).
  stats::NaCounts pooled;
  for (const auto& d : jr.dimensions)
    if (!dim || &d == dim) {
      pooled.both_apply += d.na.both_apply;
      pooled.both_na += d.na.both_na;
      pooled.judge_na_only += d.na.judge_na_only;
      pooled.human_na_only += d.na.human_na_only;
    }
  auto ratio = [](std::size_t a, std::size_t b) {
    return b ? static_cast<double>(a) / static_cast<double>(b) : std::nan("");
  };
  if (g.metric == "na_recall") return ratio(pooled.both_na, pooled.both_na + pooled.human_na_only);
  if (g.metric == "na_precision") return ratio(pooled.both_na, pooled.both_na + pooled.judge_na_only);
  return ratio(pooled.disagreements(), compared(pooled));
}

double metric_of(const stats::Agreement& a, const std::string& metric) {
  if (metric == "mae") return a.mae;
  if (metric == "bias") return a.bias;
  if (metric == "qwk") return a.qwk;
  if (metric == "spearman") return a.spearman;
  if (metric == "exact") return a.exact;
  return a.within1;
}

double gate_value(const JudgeReport& jr, const Gate& g) {
  if (g.metric == "na_disagree" || g.metric == "na_recall" || g.metric == "na_precision" ||
      g.metric == "unscored" || g.metric == "mae_change")
    return count_value(jr, g);
  if (!g.dimension.empty()) {
    for (const auto& d : jr.dimensions)
      if (d.dimension == g.dimension) return metric_of(d.metrics, g.metric);
    return std::nan("");
  }
  if (g.metric == "mae") return jr.mean_mae;
  double sum = 0;
  std::size_t n = 0;
  for (const auto& d : jr.dimensions)
    if (const double v = metric_of(d.metrics, g.metric); !std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : std::nan("");
}

}  // namespace

Gate parse_gate(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error(
        "--fail-if \"" + text + "\": " + why +
            " (expected METRIC[:DIMENSION] OP NUMBER, METRIC one of mae, bias, qwk, spearman, exact, "
            "within1, na_disagree, na_recall, na_precision, unscored, mae_change (with --compare), OP one of "
            "<, <=, >, >=; e.g. "
            "'mae>0.35', 'mae:model_training>0.3', 'na_disagree>0.1', 'unscored>0' or 'mae_change>0'; "
            "docs/report.md)",
        ExitCode::usage);
  };
  const auto op_at = text.find_first_of("<>");
  if (op_at == std::string::npos) throw bad("no comparison");
  Gate g;
  g.text = text;
  g.op = text.substr(op_at, op_at + 1 < text.size() && text[op_at + 1] == '=' ? 2 : 1);
  const std::string lhs(util::trim(std::string_view(text).substr(0, op_at)));
  const std::string rhs(util::trim(std::string_view(text).substr(op_at + g.op.size())));
  const auto colon = lhs.find(':');
  g.metric = std::string(util::trim(std::string_view(lhs).substr(0, colon)));
  if (colon != std::string::npos) {
    g.dimension = std::string(util::trim(std::string_view(lhs).substr(colon + 1)));
    if (g.dimension.empty()) throw bad("empty dimension after ':'");
  }
  if (std::find(k_metrics.begin(), k_metrics.end(), g.metric) == k_metrics.end())
    throw bad("unknown metric \"" + g.metric + "\"");
  const auto [end, ec] = std::from_chars(rhs.data(), rhs.data() + rhs.size(), g.threshold);
  if (rhs.empty() || ec != std::errc() || end != rhs.data() + rhs.size() || !std::isfinite(g.threshold))
    throw bad("\"" + rhs + "\" is not a number");
  return g;
}

std::vector<GateResult> evaluate_gates(const Report& report, const std::vector<Gate>& gates) {
  std::vector<GateResult> out;
  for (const auto& g : gates)  // without a compared run there is no change to measure: a usage error
    if (g.metric == "mae_change" && !report.judges.empty() &&
        std::none_of(report.judges.begin(), report.judges.end(),
                     [](const auto& jr) { return jr.compare_judge; }))
      throw Error("--fail-if '" + g.text +
                      "': mae_change is the change against the run named by --compare NAME; "
                      "give --compare (e.g. --compare heuristic)",
                  ExitCode::usage);
  for (const auto& jr : report.judges)
    for (const auto& g : gates) {
      // A dimension the report does not have is a typo in the gate, not a failed gate: usage error.
      if (!g.dimension.empty() && std::none_of(jr.dimensions.begin(), jr.dimensions.end(),
                                               [&](const auto& d) { return d.dimension == g.dimension; })) {
        std::string known;
        for (const auto& d : jr.dimensions) known += (known.empty() ? "" : ", ") + d.dimension;
        throw Error("--fail-if '" + g.text + "': the report has no dimension \"" + g.dimension +
                        "\" (it has: " + known + ")",
                    ExitCode::usage);
      }
      GateResult r{g, jr.judge, gate_value(jr, g), false};
      const double v = r.value;
      r.failed = std::isnan(v) || (g.op == "<" && v < g.threshold) || (g.op == "<=" && v <= g.threshold) ||
                 (g.op == ">" && v > g.threshold) || (g.op == ">=" && v >= g.threshold);
      out.push_back(std::move(r));
    }
  return out;
}

namespace {

// `value` with the fewest significant digits (4 at least) that still compare with `threshold` as `value`
// does: 0.30208 against 0.3021 is "0.30208", never "0.3021", which would read as equal.
std::string value_against(double value, double threshold) {
  char text[40];
  for (int digits = 4; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    const double shown = std::strtod(text, nullptr);
    if ((shown < threshold) == (value < threshold) && (shown > threshold) == (value > threshold)) break;
  }
  return text;
}

}  // namespace

std::string describe(const GateResult& r) {
  const std::string lhs = r.gate.metric + (r.gate.dimension.empty() ? "" : ":" + r.gate.dimension);
  const std::string condition =
      r.gate.op + " " +
      std::string(util::trim(r.gate.text.substr(r.gate.text.find_first_of("<>") + r.gate.op.size())));
  const std::string value = value_against(r.value, r.gate.threshold);
  std::string s;
  if (std::isnan(r.value))
    s = lhs + " undefined (an undefined value fails the gate)";
  else if (r.failed)
    s = lhs + " " + value + " " + condition;
  else
    s = lhs + " " + value + " (fails if " + condition + ")";
  if (!r.judge.empty()) s += " (judge " + r.judge + ")";
  return s;
}

}  // namespace judge::report
