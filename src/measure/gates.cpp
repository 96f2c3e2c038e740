// SPDX-License-Identifier: MIT
#include "judge/measure/gates.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "judge/measure/metrics.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::measure {

namespace {

// "mae, bias, ..., mae_change (with --compare)": the gate metrics of the table (setting() names the flag).
std::string gate_metric_list() {
  std::string out;
  for (const auto& m : metrics()) {
    if (!m.gate) continue;
    out += (out.empty() ? "" : ", ") + std::string(m.name) +
           (m.needs_compare ? " (against a compared run: " + setting("compare") + ", or validate's baseline)"
                            : "");
  }
  return out;
}

// " (did you mean \"mae\"?)" for a gate metric one slip of the fingers from `name` (util::closest_typos, or a
// typo_distance of 1 from a short name such as "mea"), else "".
std::string metric_suggestion(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& m : metrics())
    if (m.gate) names.emplace_back(m.name);
  auto near = util::closest_typos(name, names);
  if (near.empty() && name.size() >= 3)
    for (const auto& n : names)
      if (util::typo_distance(name, n) == 1) near.push_back(n);
  return near.empty() ? "" : " (did you mean \"" + near.front() + "\"?)";
}

bool without_scores(const JudgeMeasurement& jr, const std::string& dimension) {
  return std::find(jr.dimensions_without_scores.begin(), jr.dimensions_without_scores.end(), dimension) !=
         jr.dimensions_without_scores.end();
}

// A labelled dimension the judge has no record of (dimensions_without_scores) is a dimension of the
// measurement with nothing measured on it: its labels are labels without a score, it has no unscored record,
// and every other metric is undefined there (no pair, no N/A compared), which fails the gate.
double gate_value(const JudgeMeasurement& jr, const Gate& g) {
  const Metric& metric = *find_metric(g.metric);
  if (g.dimension.empty()) return metric_value(metric, jr, nullptr);
  for (const auto& d : jr.dimensions)
    if (d.dimension == g.dimension) return metric_value(metric, jr, &d);
  if (!without_scores(jr, g.dimension) || metric.of_pairs) return std::nan("");
  DimensionStats nothing_measured;
  nothing_measured.dimension = g.dimension;
  return metric.of_judge(jr, &nothing_measured);
}

}  // namespace

Gate parse_gate(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error(setting("fail_if") + " \"" + text + "\": " + why +
                     " (expected METRIC[:DIMENSION] OP NUMBER, METRIC one of " + gate_metric_list() +
                     ", DIMENSION a dimension or * for each one, OP one of <, <=, >, >=; e.g. 'mae>0.35', "
                     "'mae:model_training>0.3', 'na_disagree>0.1', 'unscored>0', 'labels_without_score>0', "
                     "'mae_change>0', 'mae_change:*>0' or 'mae_change_ci_low:*>0'; "
                     "docs/report.md)",
                 ExitCode::usage);
  };
  const auto op_at = text.find_first_of("<>");
  if (op_at == std::string::npos)
    throw bad(text.find('=') == std::string::npos ? "no comparison" : "'=' alone is no comparison");
  // "mae=>0.3": the comparison is written the other way round ('>=' in this syntax).
  if (op_at > 0 && text[op_at - 1] == '=')
    throw bad(std::string("'=") + text[op_at] + "' is no comparison; write '" + text[op_at] + "='");
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
  if (const Metric* m = find_metric(g.metric); !m || !m->gate)
    throw bad("unknown metric \"" + g.metric + "\"" + metric_suggestion(g.metric));
  const auto [end, ec] = std::from_chars(rhs.data(), rhs.data() + rhs.size(), g.threshold);
  if (rhs.empty() || ec != std::errc() || end != rhs.data() + rhs.size() || !std::isfinite(g.threshold))
    throw bad("\"" + rhs + "\" is not a number");
  return g;
}

std::vector<Gate> distinct_gates(const std::vector<Gate>& gates) {
  std::vector<Gate> out;
  for (const auto& g : gates)
    if (std::none_of(out.begin(), out.end(), [&](const Gate& kept) {
          return kept.metric == g.metric && kept.dimension == g.dimension && kept.op == g.op &&
                 kept.threshold == g.threshold;
        }))
      out.push_back(g);
  return out;
}

std::vector<GateResult> evaluate_gates(const Measurement& measurement, const std::vector<Gate>& given) {
  // A gate given twice ('mae>0.3' twice, or as 'mae > 0.30') is one gate, checked and reported once.
  const std::vector<Gate> gates = distinct_gates(given);
  std::vector<GateResult> out;
  for (const auto& g : gates)  // without a compared run there is no change to measure: a usage error
    if (find_metric(g.metric)->needs_compare && !measurement.judges.empty() &&
        std::none_of(measurement.judges.begin(), measurement.judges.end(),
                     [](const auto& jr) { return jr.compare_judge; }))
      throw Error(setting("fail_if") + " '" + g.text + "': " + g.metric +
                      " measures the change against the run named by " + setting("compare") + " NAME; give " +
                      setting("compare") + " (e.g. " + setting("compare") +
                      " heuristic); judge validate measures it for each memory condition against baseline: "
                      "gate one (" +
                      setting("gate_on") + " both)",
                  ExitCode::usage);
  for (const auto& jr : measurement.judges)
    for (const auto& gate : gates) {
      // "METRIC:*": one gate per dimension of the measurement, each named by its dimension.
      std::vector<Gate> expanded;
      if (gate.dimension == k_every_dimension) {
        for (const auto& d : jr.dimensions) {
          expanded.push_back(gate);
          expanded.back().dimension = d.dimension;
        }
        if (gate.metric == "labels_without_score")  // its labels are on dimensions never scored too
          for (const auto& d : jr.dimensions_without_scores) {
            expanded.push_back(gate);
            expanded.back().dimension = d;
          }
        if (expanded.empty()) {  // a gate on every dimension of a judge with none: undefined, fails
          Gate whole = gate;     // reported as the judge's mean is
          whole.dimension.clear();
          out.push_back({whole, jr.judge, std::nan(""), true});
          continue;
        }
      } else {
        expanded.push_back(gate);
      }
      for (const auto& g : expanded) {
        // 'mae:*>0.5' with 'mae:model_training>0.5' checks model_training once, as the first gave it.
        if (std::any_of(out.begin(), out.end(), [&](const GateResult& done) {
              return done.judge == jr.judge && done.gate.metric == g.metric &&
                     done.gate.dimension == g.dimension && done.gate.op == g.op &&
                     done.gate.threshold == g.threshold;
            }))
          continue;
        // A dimension the measurement does not have is a typo in the gate, not a failed gate: usage error.
        if (!g.dimension.empty() && !without_scores(jr, g.dimension) &&
            std::none_of(jr.dimensions.begin(), jr.dimensions.end(),
                         [&](const auto& d) { return d.dimension == g.dimension; })) {
          std::string known;
          std::vector<std::string> ids;
          for (const auto& d : jr.dimensions) ids.push_back(d.dimension);
          ids.insert(ids.end(), jr.dimensions_without_scores.begin(), jr.dimensions_without_scores.end());
          for (const auto& d : ids) known += (known.empty() ? "" : ", ") + d;
          const auto near = util::closest_names(g.dimension, ids);
          throw Error(setting("fail_if") + " '" + g.text + "': the report has no dimension \"" + g.dimension +
                          "\" (" + (near.empty() ? "" : "did you mean \"" + near.front() + "\"? ") +
                          "it has: " + known + ")",
                      ExitCode::usage);
        }
        GateResult r{g, jr.judge, gate_value(jr, g), false};
        const double v = r.value;
        r.failed = std::isnan(v) || (g.op == "<" && v < g.threshold) || (g.op == "<=" && v <= g.threshold) ||
                   (g.op == ">" && v > g.threshold) || (g.op == ">=" && v >= g.threshold);
        out.push_back(std::move(r));
      }
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

std::vector<std::string> gate_lines(const std::vector<GateResult>& results) {
  std::vector<std::string> out;
  std::vector<std::string> order;                                    // the gates' texts, first seen first
  std::map<std::string, std::pair<std::size_t, std::size_t>> tally;  // text -> (results, failed)
  for (const auto& r : results) {
    auto [it, fresh] = tally.try_emplace(r.gate.text, 0, 0);
    if (fresh) order.push_back(r.gate.text);
    ++it->second.first;
    it->second.second += r.failed;
  }
  for (const auto& r : results)
    if (r.failed) {
      std::string line = "gate failed: --fail-if '";
      line += r.gate.text;
      line += "': ";
      line += describe(r);
      out.push_back(std::move(line));
    }
  for (const auto& text : order) {
    const auto [n, failed] = tally[text];
    if (failed > 0) continue;
    std::string line = "gate passed: --fail-if '";
    line += text;
    line += "': ";
    if (n == 1) {
      for (const auto& r : results)
        if (r.gate.text == text) line += describe(r);
    } else {
      line += "each of its ";
      line += std::to_string(n);
      line += " checks (a dimension's or a judge's value) passed";
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace judge::measure
