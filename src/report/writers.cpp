// SPDX-License-Identifier: MIT
#include "judge/report/writers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <utility>

#include "judge/measure/metrics.hpp"
#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"
#include "judge/util/table.hpp"
#include "judge/util/version.hpp"
#include "judge/verdict/verdict.hpp"
#include "writers_internal.hpp"

namespace judge::report {

using measure::GateResult;
using measure::JudgeMeasurement;
using measure::Measurement;
using measure::Metric;
using verdict::Status;

std::string format_number(double x, int digits) {
  if (std::isnan(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  // A value that rounds to zero is 0, never "-0.000" (a QWK of -1e-17 from rounding, or -0.0 itself).
  if (buf[0] == '-' && std::strspn(buf + 1, "0.") == std::strlen(buf + 1)) return buf + 1;
  return buf;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:  // control characters other than tab and line breaks are not allowed in XML 1.0: shown as ?
        out += static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c;
    }
  }
  return out;
}

std::string without_scores_note(const JudgeMeasurement& jr) {
  if (jr.dimensions_without_scores.empty()) return "";
  std::string list;
  for (const auto& d : jr.dimensions_without_scores) list += (list.empty() ? "" : ", ") + d;
  return " (no score at all on labelled dimension" +
         std::string(jr.dimensions_without_scores.size() > 1 ? "s " : " ") + list +
         ": misspelt, or not judged?)";
}

std::string flagged_note(const JudgeMeasurement& jr) {
  if (jr.flagged.empty()) return "";
  return ", " + std::to_string(jr.flagged.size()) + " notebook" + (jr.flagged.size() > 1 ? "s" : "") +
         " flagged (prompt injection)";
}

std::string in_sample_note(const JudgeMeasurement& jr) {
  if (jr.labelled_in_memory == 0) return "";
  std::string note = ", ";
  note += std::to_string(jr.labelled_in_memory);
  note += jr.labelled_in_memory == 1 ? " record" : " records";
  note +=
      " judged with a memory holding the notebook's own labels (labelled_in_memory: in-sample, optimistic)";
  return note;
}

nlohmann::ordered_json json_number(double x) {
  return std::isnan(x) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(x);
}

namespace {

// A score as a reader wants it: "3", "2.5", "2.33"; N/A and unscored by name.
std::string score_text(Status status, const std::optional<double>& score) {
  if (status == Status::not_applicable) return "N/A";
  if (verdict::failed(status) || !score) return verdict::to_string(Status::unscored);
  if (std::fabs(*score - std::round(*score)) < 1e-9) return format_number(*score, 0);
  return format_number(*score, 2);
}

// Strings are appended, never prepended to ("+" + std::string), which GCC 12's -Wrestrict misreads.
// Signed as printed: a value that rounds to zero is "+0.000", as 0 itself is.
std::string signed_number(double x, int digits = 3) {
  if (std::isnan(x)) return "n/a";
  const std::string text = format_number(x, digits);
  std::string out = text.front() == '-' ? "" : "+";
  out += text;
  return out;
}

std::string interval(const stats::Interval& iv) {
  std::string out = "[";
  out += format_number(iv.low);
  out += ", ";
  out += format_number(iv.high);
  out += ']';
  return out;
}

// The "significant" column: yes (measure::is_significant), or no; "no (too few)" when the interval excludes 0
// on too few changed pairs to be evidence (measure::thin_significance_warnings says so on stderr).
std::string significance(const stats::Interval& iv, bool significant) {
  return significant ? "yes" : iv.excludes_zero() ? "no (too few)" : "no";
}

// A metric's value as the tables show it: its precision, signed when the metric is.
std::string metric_text(const Metric& m, double x) {
  return m.sign ? signed_number(x, m.precision) : format_number(x, m.precision);
}

std::string confidence_label(const Measurement& r) {
  return format_number(r.bootstrap.confidence * 100,
                       r.bootstrap.confidence * 100 == std::round(r.bootstrap.confidence * 100) ? 0 : 1) +
         "% CI";
}

// What "significant" means, for a table's title: "significant: the interval excludes 0 and at least 6 pairs
// changed (the fewest an exact sign test needs at 95%; too few: it excludes 0 on fewer)".
std::string significance_rule(const Measurement& r) {
  std::string level = confidence_label(r);  // "95% CI"
  level.erase(level.find('%') + 1);
  return "significant: the interval excludes 0 and at least " +
         std::to_string(measure::fewest_pairs_for_significance(r.bootstrap.confidence)) +
         " pairs changed (the fewest an exact sign test needs at " + level +
         "; too few: it excludes 0 on fewer)";
}

nlohmann::ordered_json pair_json(const stats::Interval& iv) {
  return {json_number(iv.low), json_number(iv.high)};
}

// The metrics of the pairs, in the table's order (measure::metrics()).
std::vector<const Metric*> pair_metrics() {
  std::vector<const Metric*> out;
  for (const auto& m : measure::metrics())
    if (m.of_pairs) out.push_back(&m);
  return out;
}

nlohmann::ordered_json agreement_json(const stats::Agreement& a) {
  nlohmann::ordered_json j;
  j["n"] = a.n;
  for (const Metric* m : pair_metrics()) j[std::string(m->name)] = json_number(m->of_pairs(a));
  return j;
}

void write_json(std::ostream& out, const Measurement& r, const std::vector<GateResult>& gates) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;
  j["tool"] = "judge " + std::string(util::version());
  j["labels"] = {{"file", r.labels_source}, {"sha256", r.labels_hash}, {"raters", r.raters}};
  j["scores"] = {{"file", r.scores_source}, {"sha256", r.scores_hash}};
  j["scale"] = {{"min", r.scale.min}, {"max", r.scale.max}, {"source", r.scale_source}};
  j["bootstrap"] = {{"resamples", r.bootstrap.resamples},
                    {"confidence", r.bootstrap.confidence},
                    {"seed", r.seed},
                    {"unit", "item"},
                    {"method", "percentile"}};
  if (r.calibrate_folds > 1)
    j["calibration"] = {{"method", stats::isotonic_method_name(r.calibration)}, {"folds", r.calibrate_folds}};
  nlohmann::ordered_json judges = nlohmann::ordered_json::array();
  for (const auto& jr : r.judges) {
    nlohmann::ordered_json o;
    o["judge"] = jr.judge;
    o["records"] = jr.records;
    o["unscored"] = jr.unscored;
    o["labelled_in_memory"] = jr.labelled_in_memory;
    o["labels_without_score"] = jr.unmatched_labels;
    o["dimensions_without_scores"] = jr.dimensions_without_scores;
    o["mean_mae"] = json_number(jr.mean_mae);
    o["mean_mae_ci"] = pair_json(jr.mean_mae_ci);
    // N/A agreement pooled over the dimensions (the gates' na_recall and na_precision; null when undefined).
    for (const char* name : {"na_recall", "na_precision"})
      o[name] = json_number(measure::metric_value(*measure::find_metric(name), jr, nullptr));
    if (jr.compare_judge) {
      o["compare"] = {{"judge", *jr.compare_judge},
                      {"mean_mae_diff", json_number(jr.mean_diff)},
                      {"mean_mae_diff_ci", pair_json(jr.mean_diff_ci)},
                      {"significant", jr.mean_diff_significant}};
    }
    if (jr.calibrated_mean_mae) {
      o["calibrated"] = {{"mean_mae", json_number(*jr.calibrated_mean_mae)},
                         {"mean_mae_ci", pair_json(jr.calibrated_mean_mae_ci)},
                         {"mean_mae_change_ci", pair_json(jr.calibrated_mean_diff_ci)},
                         {"significant", jr.calibrated_mean_diff_significant}};
    }
    nlohmann::ordered_json dims = nlohmann::ordered_json::array();
    for (const auto& d : jr.dimensions) {
      nlohmann::ordered_json dj;
      dj["dimension"] = d.dimension;
      dj["n"] = d.metrics.n;
      for (const Metric* m : pair_metrics()) {
        dj[std::string(m->name)] = json_number(m->of_pairs(d.metrics));
        if (m->interval) dj[std::string(m->name) + "_ci"] = pair_json(d.mae_ci);
      }
      dj["confusion"] = d.metrics.confusion;
      dj["not_applicable"] = {{"both_apply", d.na.both_apply},
                              {"both_na", d.na.both_na},
                              {"judge_na_only", d.na.judge_na_only},
                              {"human_na_only", d.na.human_na_only}};
      dj["unscored"] = d.unscored;
      dj["labelled_in_memory"] = d.labelled_in_memory;
      if (auto h = r.human.find(d.dimension); h != r.human.end())
        dj["human_vs_human"] = agreement_json(h->second);
      if (d.comparison)
        dj["compare"] = {{"n", d.comparison->n},
                         {"mae", json_number(d.comparison->mae)},
                         {"other_mae", json_number(d.comparison->other_mae)},
                         {"mae_diff", json_number(d.comparison->mae - d.comparison->other_mae)},
                         {"mae_diff_ci", pair_json(d.comparison->diff_ci)},
                         {"changed", d.comparison->changed},
                         {"significant", d.comparison->significant},
                         {"qwk", json_number(d.comparison->qwk)},
                         {"other_qwk", json_number(d.comparison->other_qwk)},
                         {"na_disagree", d.comparison->na.disagreements()},
                         {"other_na_disagree", d.comparison->other_na.disagreements()}};
      if (d.calibrated) {
        auto c = agreement_json(d.calibrated->metrics);
        c["mae_ci"] = pair_json(d.calibrated->mae_ci);
        c["mae_change"] = json_number(d.calibrated->metrics.mae - d.metrics.mae);
        c["mae_change_ci"] = pair_json(d.calibrated->diff_ci);
        c["changed"] = d.calibrated->changed;
        c["significant"] = d.calibrated->significant;
        dj["calibrated"] = c;
      }
      dims.push_back(dj);
    }
    o["dimensions"] = dims;
    nlohmann::ordered_json largest = nlohmann::ordered_json::array();
    for (const auto& dis : jr.largest) {
      nlohmann::ordered_json fb = nlohmann::ordered_json::array();
      for (const auto& [rater, text] : dis.feedback) fb.push_back({{"rater", rater}, {"feedback", text}});
      largest.push_back({{"item", dis.item},
                         {"dimension", dis.dimension},
                         {"judge", dis.judge},
                         {"human", dis.human},
                         {"rationale", dis.rationale},
                         {"feedback", fb}});
    }
    o["largest_disagreements"] = largest;
    nlohmann::ordered_json flagged = nlohmann::ordered_json::array();
    for (const auto& f : jr.flagged) {
      nlohmann::ordered_json fs = nlohmann::ordered_json::array();
      for (const auto& sc : f.scores) {
        nlohmann::ordered_json one;
        one["dimension"] = sc.dimension;
        one["status"] = verdict::to_string(verdict::measured(sc.status));
        one["score"] = sc.score ? nlohmann::ordered_json(*sc.score) : nlohmann::ordered_json(nullptr);
        if (sc.labelled)
          one["human"] = sc.human ? nlohmann::ordered_json(*sc.human) : nlohmann::ordered_json("N/A");
        fs.push_back(one);
      }
      flagged.push_back({{"item", f.item}, {"flags", f.flags}, {"injection_cells", f.cells}, {"scores", fs}});
    }
    o["flagged"] = flagged;
    judges.push_back(o);
  }
  j["judges"] = judges;
  nlohmann::ordered_json gj = nlohmann::ordered_json::array();
  for (const auto& g : gates)
    gj.push_back(
        {{"gate", g.gate.text}, {"judge", g.judge}, {"value", json_number(g.value)}, {"failed", g.failed}});
  j["gates"] = gj;
  if (r.cross_validation) j["validate"] = cross_validation_json(*r.cross_validation);
  out << j.dump(2) << "\n";
}

// One row per judge and dimension with every metric of the pairs at 6 decimals (the interval's ends after
// its metric), then a "(mean)" row with the mean over dimensions of the interval metric.
void write_csv(std::ostream& out, const Measurement& r, const std::vector<GateResult>&) {
  out << "judge,dimension,n";
  for (const Metric* m : pair_metrics()) {
    out << "," << m->name;
    if (m->interval) out << "," << m->name << "_low," << m->name << "_high";
  }
  out << ",na_disagreements,unscored\n";
  auto num = [](double x) { return std::isnan(x) ? std::string() : format_number(x, 6); };
  for (const auto& jr : r.judges) {
    for (const auto& d : jr.dimensions) {
      out << util::csv_quote(jr.judge) << "," << util::csv_quote(d.dimension) << "," << d.metrics.n;
      for (const Metric* m : pair_metrics()) {
        out << "," << num(m->of_pairs(d.metrics));
        if (m->interval) out << "," << num(d.mae_ci.low) << "," << num(d.mae_ci.high);
      }
      out << "," << d.na.disagreements() << "," << d.unscored << "\n";
    }
    out << util::csv_quote(jr.judge) << ",(mean),";
    for (const Metric* m : pair_metrics()) {
      if (m->interval)
        out << "," << num(jr.mean_mae) << "," << num(jr.mean_mae_ci.low) << "," << num(jr.mean_mae_ci.high);
      else
        out << ",";
    }
    out << ",," << jr.unscored << "\n";
  }
}

void write_junit(std::ostream& out, const Measurement& r, const std::vector<GateResult>& gates) {
  // failures: testcases with at least one failed gate (a testcase is a judge's dimension, or its mean)
  // A gate may name a labelled dimension the judge has no record of (labels_without_score:D): such a
  // dimension is a testcase of its own, with nothing measured, so the gate's failure has a place.
  auto gated_without_scores = [&](const JudgeMeasurement& jr) {
    std::vector<std::string> dims;
    for (const auto& d : jr.dimensions_without_scores)
      if (std::any_of(gates.begin(), gates.end(),
                      [&](const GateResult& g) { return g.judge == jr.judge && g.gate.dimension == d; }))
        dims.push_back(d);
    return dims;
  };
  std::size_t tests = 0;
  for (const auto& jr : r.judges) tests += jr.dimensions.size() + gated_without_scores(jr).size() + 1;
  std::set<std::pair<std::string, std::string>> failed_cases;
  for (const auto& g : gates)
    if (g.failed) failed_cases.emplace(g.judge, g.gate.dimension);
  const std::size_t failures = failed_cases.size();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"" << (r.cross_validation ? "judge validate" : "judge report") << "\" tests=\""
      << tests << "\" failures=\"" << failures << "\">\n";
  for (const auto& jr : r.judges) {
    const auto unmeasured = gated_without_scores(jr);
    std::size_t suite_failures = 0;
    for (const auto& [judge, dimension] : failed_cases) suite_failures += judge == jr.judge;
    out << "  <testsuite name=\"" << xml_escape(jr.judge) << "\" tests=\""
        << jr.dimensions.size() + unmeasured.size() + 1 << "\" failures=\"" << suite_failures << "\">\n";
    auto testcase = [&](const std::string& name, const std::string& dimension, const std::string& summary) {
      out << "    <testcase classname=\"judge." << xml_escape(jr.judge) << "\" name=\"" << xml_escape(name)
          << "\">\n";
      std::string passed;  // the gates of this testcase that passed, with their values, for the CI log
      for (const auto& g : gates) {
        if (g.judge != jr.judge || g.gate.dimension != dimension) continue;
        if (g.failed)
          out << "      <failure message=\"" << xml_escape(describe(g)) << "\" type=\"gate\">"
              << xml_escape("--fail-if '" + g.gate.text + "' holds: " + describe(g)) << "</failure>\n";
        else
          passed += "\npassed --fail-if '" + g.gate.text + "': " + describe(g);
      }
      out << "      <system-out>" << xml_escape(summary + passed) << "</system-out>\n";
      out << "    </testcase>\n";
    };
    for (const auto& d : jr.dimensions) {
      std::string summary = "n=" + std::to_string(d.metrics.n);
      for (const Metric* m : pair_metrics()) {
        if (!m->junit) continue;
        summary += ' ';
        summary += m->name;
        summary += '=';
        summary += metric_text(*m, m->of_pairs(d.metrics));
        if (m->interval) {
          summary += ' ';
          summary += interval(d.mae_ci);
        }
      }
      testcase(d.dimension, d.dimension, summary);
    }
    for (const auto& d : unmeasured) testcase(d, d, "n=0 (no record of the judge on this dimension)");
    testcase("(mean)", "", "mean mae=" + format_number(jr.mean_mae) + " " + interval(jr.mean_mae_ci));
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

// `text` broken into lines of at most `width` characters at spaces (a longer word keeps a line of its own),
// each line ended by '\n'.
std::string wrapped(const std::string& text, std::size_t width = 100) {
  std::string out, line;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto space = std::min(text.find(' ', at), text.size());
    const std::string word = text.substr(at, space - at);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + '\n';
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    at = space + 1;
  }
  return out + line + '\n';
}

/// Text tables: the title wrapped; first column left-aligned, the others right-aligned; a column no row fills
/// left out (the human columns of a single rater's labels, a change column without a comparison); with
/// last_below, the last column under each row. Within a terminal of 120 columns (util::format_table): a
/// table wider goes in blocks of its columns, each with the first column again; a first column too wide
/// beside the others (a notebook path, a list of notebooks) is elided in its middle or, when it is a list
/// (Section::wrap_first), wrapped; the JSON, CSV and other formats keep every cell whole.
void write_text_table(std::ostream& out, const Section& s) {
  const std::size_t columns = s.header.size() - (s.last_below && !s.header.empty() ? 1 : 0);
  std::vector<bool> shown(columns, s.rows.empty());
  for (std::size_t i = 0; i < columns; ++i)
    for (const auto& row : s.rows) shown[i] = shown[i] || i == 0 || (i < row.size() && !row[i].empty());
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> below;
  const auto add = [&](const std::vector<std::string>& cols) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < columns; ++i)
      if (shown[i]) cells.push_back(i < cols.size() ? cols[i] : "");
    table.push_back(std::move(cells));
    below.push_back(columns < s.header.size() && cols.size() > columns ? cols[columns] : "");
  };
  add(s.header);
  for (const auto& row : s.rows) add(row);
  util::TableLayout layout;
  layout.first = s.wrap_first ? util::TableLayout::Overflow::wrap : util::TableLayout::Overflow::elide;
  if (s.paths_first) {
    layout.shrink_first = true;
    layout.min_first = 40;
  }
  // An interval's column ("95% CI", "95% CI ", ...) stays in the block of the value before it.
  for (const auto& h : table.front()) layout.glued.push_back(h.find("% CI") != std::string::npos);
  out << wrapped(s.title);
  out << util::format_table(table, layout, below);
  out << "\n";
}

void write_markdown_table(std::ostream& out, const Section& s) {
  auto cell = [](std::string c) {
    for (auto& ch : c)
      if (ch == '|' || ch == '\n') ch = ch == '|' ? '/' : ' ';
    return c;
  };
  out << "**" << s.title << "**\n\n|";
  for (const auto& h : s.header) out << " " << cell(h) << " |";
  out << "\n|";
  for (std::size_t i = 0; i < s.header.size(); ++i) out << (i == 0 ? "---|" : "---:|");
  out << "\n";
  for (const auto& row : s.rows) {
    out << "|";
    for (const auto& c : row) out << " " << cell(c) << " |";
    out << "\n";
  }
  out << "\n";
}

std::string judge_heading(const Measurement& r, const JudgeMeasurement& jr) {
  return "judge " + (jr.judge.empty() ? std::string("(unnamed)") : jr.judge) + ": " +
         std::to_string(jr.records) + " records, " + std::to_string(jr.unscored) + " unscored (left out), " +
         std::to_string(jr.unmatched_labels) + " labels without a score" + without_scores_note(jr) +
         flagged_note(jr) + in_sample_note(jr) + "; labels " + r.labels_source + " (raters: " + r.raters +
         "), scale " + std::to_string(r.scale.min) + ".." + std::to_string(r.scale.max) + " (" +
         r.scale_source + "); " + std::to_string(r.bootstrap.resamples) +
         " bootstrap resamples by item, seed " + std::to_string(r.seed);
}

void write_gates_text(std::ostream& out, const std::vector<GateResult>& gates, bool markdown) {
  if (gates.empty()) return;
  out << (markdown ? "**Gates**\n\n" : "gates\n");
  for (const auto& g : gates)
    out << (markdown ? "- " : "  ") << (g.failed ? "FAILED " : "passed ") << "--fail-if '" << g.gate.text
        << "': " << describe(g) << "\n";
  out << "\n";
}

// Text or Markdown: judge validate's tables first, then per judge a heading and its tables, then the gates.
void write_text(std::ostream& out, const Measurement& r, const std::vector<GateResult>& gates,
                const std::string& format) {
  const bool md = format == "markdown";
  for (const auto& s : cross_validation_sections(r)) write_section(out, s, format);
  if (md) out << "# Agreement report\n\n";
  for (const auto& jr : r.judges) {
    out << (md ? "## " : "") << judge_heading(r, jr) << "\n\n";
    for (const auto& s : sections(r, jr)) write_section(out, s, format);
  }
  // judge validate ends with what it found: each condition against baseline, in a line (its tables above)
  if (const auto conclusion = cross_validation_conclusion(r); !conclusion.empty()) {
    const auto compared = std::find_if(r.judges.begin(), r.judges.end(),
                                       [](const auto& jr) { return jr.compare_judge.has_value(); });
    out << (md ? "## " : "") << "in short (each condition against " << *compared->compare_judge
        << ", cross-validated)\n\n";
    for (const auto& line : conclusion) out << (md ? "- " + line + "\n" : util::wrap_text(line, 120, "    "));
    out << "\n";
  }
  write_gates_text(out, gates, md);
}

void write_table(std::ostream& out, const Measurement& r, const std::vector<GateResult>& gates) {
  write_text(out, r, gates, "table");
}

void write_markdown(std::ostream& out, const Measurement& r, const std::vector<GateResult>& gates) {
  write_text(out, r, gates, "markdown");
}

}  // namespace

void write_section(std::ostream& out, const Section& section, const std::string& format) {
  if (format == "table")
    write_text_table(out, section);
  else if (format == "markdown")
    write_markdown_table(out, section);
  else if (format == "html")
    write_html_table(out, section);
  else
    throw Error("write_section: unknown format \"" + format + "\"", ExitCode::usage);
}

std::vector<Section> sections(const Measurement& r, const JudgeMeasurement& jr) {
  std::vector<Section> out;
  const std::string ci = confidence_label(r);
  // The metrics of the pairs (the interval after its metric), then counts, then human against human.
  const std::vector<const Metric*> human_metrics{measure::find_metric("mae"), measure::find_metric("qwk")};
  Section main{
      "agreement per dimension (MAE " + ci + " by bootstrap over items" +
          (r.human.empty() ? std::string(")") : "; human = each rater against the mean of the others)"),
      {"dimension", "n"},
      {}};
  for (const Metric* m : pair_metrics()) {
    main.header.emplace_back(m->heading);
    if (m->interval) main.header.push_back(ci);
  }
  main.header.insert(main.header.end(), {"N/A disagree", "unscored"});
  for (const Metric* m : human_metrics) main.header.push_back("human " + std::string(m->heading));
  for (const auto& d : jr.dimensions) {
    std::vector<std::string> row{d.dimension, std::to_string(d.metrics.n)};
    for (const Metric* m : pair_metrics()) {
      row.push_back(metric_text(*m, m->of_pairs(d.metrics)));
      if (m->interval) row.push_back(interval(d.mae_ci));
    }
    row.insert(row.end(), {std::to_string(d.na.disagreements()), std::to_string(d.unscored)});
    const auto h = r.human.find(d.dimension);
    for (const Metric* m : human_metrics)
      row.push_back(h == r.human.end() ? "" : metric_text(*m, m->of_pairs(h->second)));
    main.rows.push_back(std::move(row));
  }
  std::vector<std::string> mean_row{"mean of MAEs", ""};
  for (const Metric* m : pair_metrics())  // the mean over dimensions is measured for the interval metric
    if (m->interval)
      mean_row.insert(mean_row.end(), {metric_text(*m, jr.mean_mae), interval(jr.mean_mae_ci)});
    else
      mean_row.emplace_back();
  mean_row.resize(main.header.size());
  main.rows.push_back(std::move(mean_row));
  out.push_back(std::move(main));
  if (jr.compare_judge) {
    Section c{"compared with " + *jr.compare_judge + " (paired bootstrap on the pairs both scored; " +
                  significance_rule(r) + ")",
              {"dimension", "n", "MAE", "other MAE", "difference", ci, "significant", "QWK", "other QWK",
               "N/A disagree", "other N/A disagree"},
              {}};
    const Metric& qwk = *measure::find_metric("qwk");
    for (const auto& d : jr.dimensions) {
      if (!d.comparison) continue;
      const auto& k = *d.comparison;
      c.rows.push_back({d.dimension, std::to_string(k.n), format_number(k.mae), format_number(k.other_mae),
                        signed_number(k.mae - k.other_mae), interval(k.diff_ci),
                        significance(k.diff_ci, k.significant), metric_text(qwk, k.qwk),
                        metric_text(qwk, k.other_qwk), std::to_string(k.na.disagreements()),
                        std::to_string(k.other_na.disagreements())});
    }
    c.rows.push_back({"mean of MAEs", "", "", "", signed_number(jr.mean_diff), interval(jr.mean_diff_ci),
                      significance(jr.mean_diff_ci, jr.mean_diff_significant), "", "", "", ""});
    out.push_back(std::move(c));
  }
  if (jr.calibrated_mean_mae) {
    Section c{std::string(stats::isotonic_method_name(r.calibration)) + " calibration, cross-fitted over " +
                  std::to_string(r.calibrate_folds) + " folds by item (stratified by mean label; " +
                  significance_rule(r) + ")",
              {"dimension", "raw MAE", ci, "calibrated MAE", ci + " ", "change", ci + "  ", "significant"},
              {}};
    for (const auto& d : jr.dimensions) {
      if (!d.calibrated) continue;
      const auto& k = *d.calibrated;
      c.rows.push_back({d.dimension, format_number(d.metrics.mae), interval(d.mae_ci),
                        format_number(k.metrics.mae), interval(k.mae_ci),
                        signed_number(k.metrics.mae - d.metrics.mae), interval(k.diff_ci),
                        significance(k.diff_ci, k.significant)});
    }
    c.rows.push_back({"mean of MAEs", format_number(jr.mean_mae), interval(jr.mean_mae_ci),
                      format_number(*jr.calibrated_mean_mae), interval(jr.calibrated_mean_mae_ci),
                      signed_number(*jr.calibrated_mean_mae - jr.mean_mae),
                      interval(jr.calibrated_mean_diff_ci),
                      significance(jr.calibrated_mean_diff_ci, jr.calibrated_mean_diff_significant)});
    out.push_back(std::move(c));
  }
  if (!jr.flagged.empty()) {
    Section f{
        "notebooks flagged for prompt injection (text that tries to steer the grader): check these scores",
        {"notebook", "cells", "flags", "dimension", "judge", "human"},
        {},
        false,
        false,
        true};
    for (const auto& item : jr.flagged) {
      std::string cells, flags;
      for (int c : item.cells) cells += (cells.empty() ? "" : ", ") + std::to_string(c);
      for (const auto& fl : item.flags) flags += (flags.empty() ? "" : ", ") + fl;
      for (std::size_t i = 0; i < item.scores.size(); ++i) {
        const auto& sc = item.scores[i];
        const std::string human = !sc.labelled ? "" : sc.human ? score_text(Status::scored, sc.human) : "N/A";
        f.rows.push_back({i == 0 ? item.item : "", i == 0 ? cells : "", i == 0 ? flags : "", sc.dimension,
                          score_text(sc.status, sc.score), human});
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

const std::vector<Format>& formats() {
  static const std::vector<Format> k_formats{
      {"table", write_table}, {"json", write_json},   {"markdown", write_markdown},
      {"html", write_html},   {"junit", write_junit}, {"csv", write_csv},
  };
  return k_formats;
}

std::vector<std::string> format_names() {
  std::vector<std::string> out;
  for (const auto& f : formats()) out.emplace_back(f.name);
  return out;
}

std::string format_list(std::string_view separator) {
  std::string out;
  for (const auto& f : formats()) {
    if (!out.empty()) out += separator;
    out += f.name;
  }
  return out;
}

void write_report(std::ostream& out, const Measurement& measurement, const std::vector<GateResult>& gates,
                  const std::string& format) {
  for (const auto& f : formats())
    if (f.name == format) return f.write(out, measurement, gates);
  throw Error("unknown " + setting("format") + " \"" + format + "\" (" + format_list(", ") + ")",
              ExitCode::usage);
}

}  // namespace judge::report
