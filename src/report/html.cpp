// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cmath>
#include <ostream>

#include "judge/report/writers.hpp"
#include "judge/util/version.hpp"
#include "writers_internal.hpp"

namespace judge::report {

using measure::DimensionStats;
using measure::GateResult;
using measure::JudgeMeasurement;
using measure::Measurement;

namespace {

constexpr const char* k_style = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}
.meta{color:#555}.fail{color:#b00020;font-weight:bold}.pass{color:#1b5e20}
.cm{display:inline-block;vertical-align:top;margin:0 1.5em 1em 0}.cm td{min-width:2.2em;text-align:center}
.dis td{text-align:left;vertical-align:top;max-width:32em;white-space:pre-wrap}
svg text{font:12px system-ui,sans-serif}
)";

/// SVG chart: one group per dimension with a bar for MAE and a whisker for its interval; a second, lighter
/// bar and whisker for the calibrated MAE when there is one.
void write_chart(std::ostream& out, const JudgeMeasurement& jr, std::size_t index) {
  const bool calibrated = jr.calibrated_mean_mae.has_value();
  double top = 0.1;
  for (const auto& d : jr.dimensions) {
    for (double v : {d.metrics.mae, d.mae_ci.high}) top = std::isnan(v) ? top : std::max(top, v);
    if (d.calibrated)
      for (double v : {d.calibrated->metrics.mae, d.calibrated->mae_ci.high})
        top = std::isnan(v) ? top : std::max(top, v);
  }
  // Ticks at a round step (at most 6 of them); the axis ends at the first tick above every value.
  double step = 1;
  for (double candidate : {0.05, 0.1, 0.2, 0.25, 0.5, 1.0})
    if (top / candidate <= 6) {
      step = candidate;
      break;
    }
  const int ticks = static_cast<int>(std::ceil(top / step - 1e-9));
  top = step * ticks;
  const double left = 60, plot_h = 260, base = 30 + plot_h, group = 90;
  const double width = left + group * static_cast<double>(jr.dimensions.size()) + 20;
  auto y = [&](double v) { return base - plot_h * v / top; };
  out << "<svg class=\"mae-chart\" id=\"mae-chart-" << index
      << "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << base + 110
      << "\" role=\"img\" aria-label=\"MAE per dimension\">\n";
  for (int t = 0; t <= ticks; ++t) {
    const double v = step * t;
    out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << width - 10 << "\" y1=\"" << y(v)
        << "\" y2=\"" << y(v) << "\" stroke=\"#eee\"/><text x=\"" << left - 6 << "\" y=\"" << y(v) + 4
        << "\" text-anchor=\"end\">" << format_number(v, 2) << "</text>\n";
  }
  out << "<text x=\"14\" y=\"" << 30 + plot_h / 2 << "\" transform=\"rotate(-90 14 " << 30 + plot_h / 2
      << ")\" text-anchor=\"middle\">MAE</text>\n";
  auto bar = [&](double x, double w, double mae, const stats::Interval& ci, const char* cls,
                 const char* fill) {
    if (std::isnan(mae)) return;
    out << "<rect class=\"bar " << cls << "\" x=\"" << x << "\" y=\"" << y(mae) << "\" width=\"" << w
        << "\" height=\"" << base - y(mae) << "\" fill=\"" << fill << "\"><title>" << cls << " MAE "
        << format_number(mae) << " "
        << "[" << format_number(ci.low) << ", " << format_number(ci.high) << "]</title></rect>\n";
    if (std::isnan(ci.low)) return;
    const double cx = x + w / 2;
    out << "<line class=\"whisker\" x1=\"" << cx << "\" x2=\"" << cx << "\" y1=\"" << y(ci.low) << "\" y2=\""
        << y(ci.high) << "\" stroke=\"#222\"/>";
    for (double v : {ci.low, ci.high})
      out << "<line class=\"whisker-cap\" x1=\"" << cx - 5 << "\" x2=\"" << cx + 5 << "\" y1=\"" << y(v)
          << "\" y2=\"" << y(v) << "\" stroke=\"#222\"/>";
    out << "\n";
  };
  for (std::size_t i = 0; i < jr.dimensions.size(); ++i) {
    const auto& d = jr.dimensions[i];
    const double x0 = left + group * static_cast<double>(i) + 12;
    const double w = calibrated ? 30 : 60;
    bar(x0, w, d.metrics.mae, d.mae_ci, "raw", "#4e79a7");
    if (d.calibrated)
      bar(x0 + w + 4, w, d.calibrated->metrics.mae, d.calibrated->mae_ci, "calibrated", "#f28e2b");
    const double lx = x0 + (calibrated ? w + 2 : w / 2);
    out << "<text x=\"" << lx << "\" y=\"" << base + 14 << "\" text-anchor=\"end\" transform=\"rotate(-35 "
        << lx << " " << base + 14 << ")\">" << xml_escape(d.dimension) << "</text>\n";
  }
  out << "<line x1=\"" << left << "\" x2=\"" << width - 10 << "\" y1=\"" << base << "\" y2=\"" << base
      << "\" stroke=\"#444\"/>\n";
  if (calibrated)
    out << "<rect x=\"" << left << "\" y=\"6\" width=\"12\" height=\"12\" fill=\"#4e79a7\"/><text x=\""
        << left + 16 << "\" y=\"16\">raw</text><rect x=\"" << left + 60
        << "\" y=\"6\" width=\"12\" height=\"12\" fill=\"#f28e2b\"/>"
        << "<text x=\"" << left + 76 << "\" y=\"16\">calibrated</text>\n";
  out << "</svg>\n";
}

void write_confusion(std::ostream& out, const Measurement& r, const DimensionStats& d) {
  std::size_t most = 1;
  for (const auto& row : d.metrics.confusion)
    for (std::size_t c : row) most = std::max(most, c);
  out << "<table class=\"cm\"><caption>" << xml_escape(d.dimension)
      << "</caption>\n<tr><th>human \\ judge</th>";
  for (int j = r.scale.min; j <= r.scale.max; ++j) out << "<th>" << j << "</th>";
  out << "</tr>\n";
  for (std::size_t h = 0; h < d.metrics.confusion.size(); ++h) {
    out << "<tr><th>" << r.scale.min + static_cast<int>(h) << "</th>";
    for (std::size_t j = 0; j < d.metrics.confusion[h].size(); ++j) {
      const std::size_t c = d.metrics.confusion[h][j];
      const int alpha =
          static_cast<int>(std::lround(100.0 * static_cast<double>(c) / static_cast<double>(most)));
      out << "<td style=\"background:rgba(" << (h == j ? "46,125,50," : "78,121,167,") << alpha / 100.0
          << ")\">" << c << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void write_disagreements(std::ostream& out, const JudgeMeasurement& jr) {
  if (jr.largest.empty()) return;
  out << "<h3>largest disagreements</h3>\n<table "
         "class=\"dis\">\n<tr><th>item</th><th>dimension</th><th>judge</th>"
         "<th>human</th><th>judge rationale</th><th>human feedback</th></tr>\n";
  for (const auto& d : jr.largest) {
    out << "<tr><td>" << xml_escape(d.item) << "</td><td>" << xml_escape(d.dimension) << "</td><td>"
        << format_number(d.judge, 2) << "</td><td>" << format_number(d.human, 2) << "</td><td>"
        << xml_escape(d.rationale) << "</td><td>";
    for (const auto& [rater, text] : d.feedback)
      out << "<p>" << (rater.empty() ? "" : "<b>" + xml_escape(rater) + ":</b> ") << xml_escape(text)
          << "</p>";
    out << "</td></tr>\n";
  }
  out << "</table>\n";
}

}  // namespace

void write_html_table(std::ostream& out, const Section& s) {
  out << "<h3>" << xml_escape(s.title) << "</h3>\n<table>\n<tr>";
  for (const auto& h : s.header) out << "<th>" << xml_escape(h) << "</th>";
  out << "</tr>\n";
  for (const auto& row : s.rows) {
    out << "<tr>";
    for (const auto& c : row) out << "<td>" << xml_escape(c) << "</td>";
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void write_html(std::ostream& out, const Measurement& r, const std::vector<GateResult>& gates) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>judge agreement "
         "report</title>\n"
      << "<style>" << k_style
      << "</style>\n</head>\n<body>\n<h1>Agreement report</h1>\n<p class=\"meta\">labels "
      << xml_escape(r.labels_source) << " (raters: " << xml_escape(r.raters) << "), scores "
      << xml_escape(r.scores_source) << ", scale " << r.scale.min << ".." << r.scale.max << " ("
      << xml_escape(r.scale_source) << "); " << r.bootstrap.resamples << " bootstrap resamples by item, "
      << format_number(r.bootstrap.confidence * 100, 0) << "% intervals, seed " << r.seed << "; judge "
      << xml_escape(std::string(util::version())) << "</p>\n";
  if (!gates.empty()) {
    out << "<h2>gates</h2>\n<ul>\n";
    for (const auto& g : gates)
      out << "<li class=\"" << (g.failed ? "fail" : "pass") << "\">" << (g.failed ? "FAILED" : "passed")
          << " --fail-if '" << xml_escape(g.gate.text) << "': " << xml_escape(describe(g)) << "</li>\n";
    out << "</ul>\n";
  }
  write_cross_validation_html(out, r);
  for (std::size_t i = 0; i < r.judges.size(); ++i) {
    const auto& jr = r.judges[i];
    out << "<section class=\"judge\">\n<h2>judge " << xml_escape(jr.judge.empty() ? "(unnamed)" : jr.judge)
        << "</h2>\n<p class=\"meta\">" << jr.records << " records, " << jr.unscored
        << " unscored (left out), " << jr.unmatched_labels << " labels without a score"
        << xml_escape(without_scores_note(jr)) << xml_escape(flagged_note(jr))
        << xml_escape(in_sample_note(jr)) << "; mean of per-dimension MAEs " << format_number(jr.mean_mae)
        << "</p>\n";
    write_chart(out, jr, i);
    for (const auto& s : sections(r, jr)) write_section(out, s, "html");
    out << "<h3>confusion matrices (rows: human, columns: judge; rounded to the scale)</h3>\n<div>\n";
    for (const auto& d : jr.dimensions) write_confusion(out, r, d);
    out << "</div>\n";
    write_disagreements(out, jr);
    out << "</section>\n";
  }
  out << "</body>\n</html>\n";
}

}  // namespace judge::report
