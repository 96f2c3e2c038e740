// SPDX-License-Identifier: MIT
// judge validate's part of a report: the summary of every condition against baseline, the learning curve
// (table and SVG chart) and the "validate" JSON object.
#include <algorithm>
#include <cmath>
#include <optional>
#include <ostream>
#include <sstream>

#include "judge/report/writers.hpp"
#include "writers_internal.hpp"

namespace judge::report {

namespace {

using measure::CrossValidation;
using measure::Measurement;

std::string interval_text(const stats::Interval& iv) {
  std::string text = "[";
  text += format_number(iv.low, 2);
  text += ", ";
  text += format_number(iv.high, 2);
  text += ']';
  return text;
}

std::string signed_text(double value) {
  std::string text = value > 0 ? "+" : "";
  text += format_number(value);
  return text;
}

std::string with_interval(double value, const stats::Interval& iv, bool sign) {
  return (sign ? signed_text(value) : format_number(value)) + " " + interval_text(iv);
}

// The reference study's table, and more: per dimension, a row per condition with its MAE and interval and
// its change from baseline with the paired interval ("*" = significant: the interval excludes 0). A row per
// condition rather than a column keeps the table narrow whatever the number of conditions (five columns of
// intervals made it 320 characters wide); the dimension is named on its first row only.
Section summary_section(const Measurement& r) {
  const CrossValidation& cv = *r.cross_validation;
  const std::string ci = format_number(r.bootstrap.confidence * 100, 0) + "% CI";
  Section s{"cross-validated MAE per condition (" + std::to_string(cv.folds) + " folds by notebook; " + ci +
                " by bootstrap; change from baseline with paired interval, over the pairs both conditions "
                "scored (so not always the difference of the MAEs), * = significant: the interval excludes 0 "
                "and at least " +
                std::to_string(measure::fewest_pairs_for_significance(r.bootstrap.confidence)) +
                " pairs changed; n: the condition's "
                "pairs, and a change's after it where they differ" +
                (cv.calibration.empty() ? "" : "; calibrated: " + cv.calibration + " map") + ")",
            {"dimension", "condition", "n", "MAE [" + ci + "]", "change [paired " + ci + "]"},
            {}};
  if (r.judges.empty()) return s;
  const auto& dims = r.judges.front().dimensions;
  for (std::size_t i = 0; i <= dims.size(); ++i) {
    const bool mean = i == dims.size();
    for (const auto& jr : r.judges) {
      const auto* d = mean ? nullptr : &jr.dimensions[i];
      std::vector<std::string> row{&jr != &r.judges.front() ? ""
                                   : mean                   ? "mean of MAEs"
                                                            : dims[i].dimension,
                                   jr.judge, mean ? "" : std::to_string(d->metrics.n),
                                   mean ? with_interval(jr.mean_mae, jr.mean_mae_ci, false)
                                        : with_interval(d->metrics.mae, d->mae_ci, false),
                                   ""};
      // Where memory changed N/A calls a condition's change is over fewer pairs than its MAE (house labels,
      // data_imputation: 24 pairs with memory, 21 in common with baseline): the count is said there.
      if (jr.compare_judge && mean)
        row.back() =
            with_interval(jr.mean_diff, jr.mean_diff_ci, true) + (jr.mean_diff_significant ? " *" : "");
      else if (jr.compare_judge && d->comparison)
        row.back() =
            with_interval(d->comparison->mae - d->comparison->other_mae, d->comparison->diff_ci, true) +
            (d->comparison->significant ? " *" : "") +
            (d->comparison->n != d->metrics.n ? " (n " + std::to_string(d->comparison->n) + ")" : "");
      s.rows.push_back(std::move(row));
    }
  }
  return s;
}

// N/A agreement, pooled over the dimensions, which MAE leaves out (a pair where one side says N/A is in no
// MAE): recall, of the labels' N/As the share the condition calls N/A too, and precision, of the condition's
// N/As the share the labels call N/A too, each with its counts (the gates na_recall and na_precision). Only
// when any pair of any condition involves an N/A.
std::optional<Section> na_section(const Measurement& r) {
  const auto pooled = [](const measure::JudgeMeasurement& jr) {
    stats::NaCounts na;
    for (const auto& d : jr.dimensions) {
      na.both_na += d.na.both_na;
      na.judge_na_only += d.na.judge_na_only;
      na.human_na_only += d.na.human_na_only;
    }
    return na;
  };
  if (std::none_of(r.judges.begin(), r.judges.end(), [&](const auto& jr) {
        const auto na = pooled(jr);
        return na.both_na + na.judge_na_only + na.human_na_only > 0;
      }))
    return std::nullopt;
  const auto share = [](std::size_t part, std::size_t whole) {
    std::string text = whole ? format_number(static_cast<double>(part) / static_cast<double>(whole)) : "-";
    text += " (";
    text += std::to_string(part);
    text += " of ";
    text += std::to_string(whole);
    text += ')';
    return text;
  };
  Section s{
      "N/A agreement per condition, pooled over the dimensions (recall: of the labels' N/As, the share "
      "the condition calls N/A too; precision: of its N/As, the share the labels call N/A too)",
      {"condition", "N/A recall", "N/A precision"},
      {}};
  for (const auto& jr : r.judges) {
    const auto na = pooled(jr);
    s.rows.push_back({jr.judge, share(na.both_na, na.both_na + na.human_na_only),
                      share(na.both_na, na.both_na + na.judge_na_only)});
  }
  return s;
}

Section curve_section(const std::vector<CrossValidation::CurvePoint>& points) {
  Section s{"learning curve: mean of per-dimension MAEs by share of the training folds aligned on",
            {"share", "condition", "notebooks/fold", "MAE", "interval", "change", "interval ", "bar"},
            {}};
  // Bars of '#' filled to a fixed width with '.', so they read left to right in right-aligned columns.
  constexpr long k_bar = 30;
  double top = 0;
  for (const auto& p : points) top = std::max(top, std::isnan(p.mae) ? 0 : p.mae);
  for (const auto& p : points) {
    const long width = top > 0 && !std::isnan(p.mae) ? std::lround(k_bar * p.mae / top) : 0;
    s.rows.push_back({format_number(p.share * 100, 0) + "%", p.condition, format_number(p.training, 1),
                      format_number(p.mae), interval_text(p.ci), signed_text(p.change),
                      interval_text(p.change_ci),
                      std::string(static_cast<std::size_t>(width), '#') +
                          std::string(static_cast<std::size_t>(k_bar - width), '.')});
  }
  return s;
}

// An inline SVG line chart of the learning curve: x = share of the training folds, y = mean MAE, one line
// per condition.
void write_curve_svg(std::ostream& out, const CrossValidation& cv) {
  const auto& points = cv.learning_curve;
  if (points.empty()) return;
  static const char* k_colors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2"};
  double top = 0.1;
  for (const auto& p : points) top = std::isnan(p.ci.high) ? top : std::max(top, p.ci.high);
  top = std::ceil(top * 10) / 10;
  const double left = 60, width = 520, plot_h = 240, base = 20 + plot_h;
  auto x = [&](double share) { return left + (width - left - 140) * share; };
  auto y = [&](double v) { return base - plot_h * v / top; };
  out << "<h3>learning curve</h3>\n<svg class=\"learning-curve\" xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\""
      << width << "\" height=\"" << base + 40
      << "\" role=\"img\" aria-label=\"MAE by share of training folds\">\n";
  for (int t = 0; t <= 5; ++t) {
    const double v = top * t / 5;
    out << "<line x1=\"" << left << "\" x2=\"" << x(1) << "\" y1=\"" << y(v) << "\" y2=\"" << y(v)
        << "\" stroke=\"#eee\"/><text x=\"" << left - 6 << "\" y=\"" << y(v) + 4 << "\" text-anchor=\"end\">"
        << format_number(v, 2) << "</text>\n";
  }
  for (double s : cv.shares)
    out << "<text x=\"" << x(s) << "\" y=\"" << base + 18 << "\" text-anchor=\"middle\">"
        << format_number(s * 100, 0) << "%</text>\n";
  std::vector<std::string> conditions;
  for (const auto& p : points)
    if (std::find(conditions.begin(), conditions.end(), p.condition) == conditions.end())
      conditions.push_back(p.condition);
  for (std::size_t c = 0; c < conditions.size(); ++c) {
    const char* color = k_colors[c % 5];
    std::string line;
    for (const auto& p : points) {
      if (p.condition != conditions[c] || std::isnan(p.mae)) continue;
      line += std::to_string(x(p.share)) + "," + std::to_string(y(p.mae)) + " ";
      out << "<line class=\"whisker\" x1=\"" << x(p.share) << "\" x2=\"" << x(p.share) << "\" y1=\""
          << y(p.ci.low) << "\" y2=\"" << y(p.ci.high) << "\" stroke=\"" << color << "\" opacity=\"0.5\"/>"
          << "<circle cx=\"" << x(p.share) << "\" cy=\"" << y(p.mae) << "\" r=\"3\" fill=\"" << color
          << "\"><title>" << xml_escape(p.condition) << " " << format_number(p.share * 100, 0) << "%: MAE "
          << format_number(p.mae) << "</title></circle>\n";
    }
    out << "<polyline class=\"curve\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\""
        << line << "\"/>\n<text x=\"" << x(1) + 12 << "\" y=\"" << 30 + 16 * c << "\" fill=\"" << color
        << "\">" << xml_escape(conditions[c]) << "</text>\n";
  }
  out << "<line x1=\"" << left << "\" x2=\"" << x(1) << "\" y1=\"" << base << "\" y2=\"" << base
      << "\" stroke=\"#444\"/>\n</svg>\n";
}

// The rules the folds learnt, each with how many folds learnt it: a rule every fold finds is held by many
// labels; one a single fold finds rests on a few, and may not hold on notebooks memory has not seen.
Section fold_rules_section(const CrossValidation& cv) {
  Section s{"learnt rules in the folds (how many of the folds' memories learnt each rule, and which)",
            {"dimension", "folds", "which", "rule"},
            {},
            true};
  for (const auto& r : cv.fold_rules) {
    std::string which;
    for (int f : r.folds) {
      which += which.empty() ? "" : ", ";
      which += std::to_string(f);
    }
    s.rows.push_back(
        {r.dimension, std::to_string(r.folds.size()) + " of " + std::to_string(cv.folds), which, r.rule});
  }
  return s;
}

// The notebooks kept in one fold because their code is near-duplicate (--near-duplicate): a group counts as
// one notebook when folds are dealt, so the reader knows which verdicts were never held out from their twin.
Section near_duplicates_section(const CrossValidation& cv) {
  // Shares as whole percents rounded down, as validate's stderr says them ("95% alike" for 0.9548; a pair
  // at 0.4565 is not "46%" alike when the threshold asks for 0.46); the threshold as given.
  const auto percent = [](double share) { return format_number(std::floor(share * 100 + 1e-9), 0); };
  std::ostringstream threshold;
  threshold << cv.near_duplicate;
  Section s{"near-duplicate notebooks kept in one fold (code lines at least " + percent(cv.near_duplicate) +
                "% alike, --near-duplicate " + threshold.str() + ")",
            {"notebooks", "alike"},
            {},
            false,
            true};  // a group's notebooks wrap, none elided
  for (const auto& g : cv.near_duplicates) {
    std::string names;
    for (const auto& n : g.notebooks) {
      names += names.empty() ? "" : ", ";
      names += n;
    }
    const std::string least = percent(g.least), most = percent(g.most);
    s.rows.push_back({names, least == most ? least + "%" : least + "-" + most + "%"});
  }
  return s;
}

}  // namespace

std::vector<Section> cross_validation_sections(const Measurement& measurement) {
  if (!measurement.cross_validation) return {};
  std::vector<Section> out{summary_section(measurement)};
  if (auto na = na_section(measurement)) out.push_back(std::move(*na));
  if (!measurement.cross_validation->fold_rules.empty())
    out.push_back(fold_rules_section(*measurement.cross_validation));
  if (!measurement.cross_validation->near_duplicates.empty())
    out.push_back(near_duplicates_section(*measurement.cross_validation));
  if (!measurement.cross_validation->learning_curve.empty())
    out.push_back(curve_section(measurement.cross_validation->learning_curve));
  return out;
}

std::vector<std::string> cross_validation_conclusion(const Measurement& measurement) {
  std::vector<std::string> out;
  if (!measurement.cross_validation) return out;
  for (const auto& jr : measurement.judges) {
    if (!jr.compare_judge) continue;
    const auto base = std::find_if(measurement.judges.begin(), measurement.judges.end(),
                                   [&](const auto& other) { return other.judge == *jr.compare_judge; });
    std::string better, worse;
    // Whether it moved nothing: on every dimension no paired error differs from baseline's and the N/A
    // counts are baseline's (an episodic memory whose blend weights are all 0, as judge align says).
    bool still = !jr.dimensions.empty();
    for (const auto& d : jr.dimensions) {
      const auto& c = d.comparison;
      still = still && c && c->changed == 0 && c->na.judge_na_only == c->other_na.judge_na_only &&
              c->na.human_na_only == c->other_na.human_na_only && c->na.both_na == c->other_na.both_na;
      if (!c || !c->significant) continue;
      std::string& list = c->mae < c->other_mae ? better : worse;
      list += (list.empty() ? "" : ", ") + d.dimension;
    }
    std::string line =
        jr.judge + ": mean of MAEs " +
        (base != measurement.judges.end() ? format_number(base->mean_mae) + " -> " : "") +
        format_number(jr.mean_mae) + ", change " + with_interval(jr.mean_diff, jr.mean_diff_ci, true) +
        (jr.mean_diff_significant ? ", significant" : ", not significant") + "; significantly better on " +
        (better.empty() ? "none" : better) + "; significantly worse on " + (worse.empty() ? "none" : worse);
    if (still) line += "; no paired error and no N/A count differs from baseline's";
    out.push_back(std::move(line));
  }
  return out;
}

void write_cross_validation_html(std::ostream& out, const Measurement& measurement) {
  if (!measurement.cross_validation) return;
  out << "<section class=\"validate\">\n<h2>cross-validation</h2>\n";
  for (const auto& s : cross_validation_sections(measurement)) write_section(out, s, "html");
  write_curve_svg(out, *measurement.cross_validation);
  out << "</section>\n";
}

nlohmann::ordered_json cross_validation_json(const CrossValidation& cv) {
  nlohmann::ordered_json j;
  j["folds"] = cv.folds;
  j["seed"] = cv.seed;
  j["judge"] = cv.judge;
  j["reflection"] = cv.reflection;
  j["embeddings"] = cv.embeddings;
  j["k"] = cv.k;
  j["conditions"] = cv.conditions;
  if (!cv.calibration.empty()) j["calibration"] = cv.calibration;
  j["items"] = nlohmann::ordered_json::array();
  for (const auto& it : cv.items)
    j["items"].push_back({{"item", it.item}, {"fold", it.fold}, {"mean_label", it.mean_label}});
  j["learning_curve"] = nlohmann::ordered_json::array();
  for (const auto& p : cv.learning_curve)
    j["learning_curve"].push_back(
        {{"share", p.share},
         {"condition", p.condition},
         {"training_notebooks_per_fold", p.training},
         {"mae", json_number(p.mae)},
         {"mae_ci", {json_number(p.ci.low), json_number(p.ci.high)}},
         {"change", json_number(p.change)},
         {"change_ci", {json_number(p.change_ci.low), json_number(p.change_ci.high)}}});
  j["fold_rules"] = nlohmann::ordered_json::array();
  for (const auto& r : cv.fold_rules)
    j["fold_rules"].push_back({{"dimension", r.dimension}, {"rule", r.rule}, {"folds", r.folds}});
  j["near_duplicate"] = cv.near_duplicate;
  j["near_duplicates"] = nlohmann::ordered_json::array();
  for (const auto& g : cv.near_duplicates)
    j["near_duplicates"].push_back({{"notebooks", g.notebooks}, {"least", g.least}, {"most", g.most}});
  return j;
}

}  // namespace judge::report
