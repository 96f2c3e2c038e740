// SPDX-License-Identifier: MIT
#include "judge/report/writers.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"
#include "judge/util/version.hpp"

namespace judge::report {

std::string format_number(double x, int digits) {
  if (std::isnan(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
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
      default:
        out += c;
    }
  }
  return out;
}

std::string without_scores_note(const JudgeReport& jr) {
  if (jr.dimensions_without_scores.empty()) return "";
  std::string list;
  for (const auto& d : jr.dimensions_without_scores) list += (list.empty() ? "" : ", ") + d;
  return " (no score at all on labelled dimension" +
         std::string(jr.dimensions_without_scores.size() > 1 ? "s " : " ") + list +
         ": misspelt, or not judged?)";
}

std::string flagged_note(const JudgeReport& jr) {
  if (jr.flagged.empty()) return "";
  return ", " + std::to_string(jr.flagged.size()) + " notebook" + (jr.flagged.size() > 1 ? "s" : "") +
         " flagged (prompt injection)";
}

namespace {

// A score as a reader wants it: "3", "2.5", "2.33"; N/A and unscored by name.
std::string score_text(ScoreStatus status, const std::optional<double>& score) {
  if (status == ScoreStatus::not_applicable) return "N/A";
  if (status == ScoreStatus::unscored || !score) return "unscored";
  if (std::fabs(*score - std::round(*score)) < 1e-9) return format_number(*score, 0);
  return format_number(*score, 2);
}

// Strings are appended, never prepended to ("+" + std::string), which GCC 12's -Wrestrict misreads.
std::string signed_number(double x, int digits = 3) {
  if (std::isnan(x)) return "n/a";
  std::string out = x >= 0 ? "+" : "";
  out += format_number(x, digits);
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

std::string significance(const stats::Interval& iv) { return iv.excludes_zero() ? "yes" : "no"; }

std::string confidence_label(const Report& r) {
  return format_number(r.bootstrap.confidence * 100,
                       r.bootstrap.confidence * 100 == std::round(r.bootstrap.confidence * 100) ? 0 : 1) +
         "% CI";
}

nlohmann::ordered_json number(double x) {
  return std::isnan(x) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(x);
}
nlohmann::ordered_json pair_json(const stats::Interval& iv) { return {number(iv.low), number(iv.high)}; }

nlohmann::ordered_json agreement_json(const stats::Agreement& a) {
  nlohmann::ordered_json j;
  j["n"] = a.n;
  j["mae"] = number(a.mae);
  j["bias"] = number(a.bias);
  j["rmse"] = number(a.rmse);
  j["exact"] = number(a.exact);
  j["within1"] = number(a.within1);
  j["qwk"] = number(a.qwk);
  j["spearman"] = number(a.spearman);
  return j;
}

void write_json(std::ostream& out, const Report& r, const std::vector<GateResult>& gates) {
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
  if (r.calibrate_folds > 1) j["calibration"] = {{"method", stats::isotonic_method_name(r.calibration)}, {"folds", r.calibrate_folds}};
  nlohmann::ordered_json judges = nlohmann::ordered_json::array();
  for (const auto& jr : r.judges) {
    nlohmann::ordered_json o;
    o["judge"] = jr.judge;
    o["records"] = jr.records;
    o["unscored"] = jr.unscored;
    o["labels_without_score"] = jr.unmatched_labels;
    o["dimensions_without_scores"] = jr.dimensions_without_scores;
    o["mean_mae"] = number(jr.mean_mae);
    o["mean_mae_ci"] = pair_json(jr.mean_mae_ci);
    if (jr.compare_judge) {
      o["compare"] = {{"judge", *jr.compare_judge},
                      {"mean_mae_diff", number(jr.mean_diff)},
                      {"mean_mae_diff_ci", pair_json(jr.mean_diff_ci)},
                      {"significant", jr.mean_diff_ci.excludes_zero()}};
    }
    if (jr.calibrated_mean_mae) {
      o["calibrated"] = {{"mean_mae", number(*jr.calibrated_mean_mae)},
                         {"mean_mae_ci", pair_json(jr.calibrated_mean_mae_ci)},
                         {"mean_mae_change_ci", pair_json(jr.calibrated_mean_diff_ci)},
                         {"significant", jr.calibrated_mean_diff_ci.excludes_zero()}};
    }
    nlohmann::ordered_json dims = nlohmann::ordered_json::array();
    for (const auto& d : jr.dimensions) {
      nlohmann::ordered_json dj;
      dj["dimension"] = d.dimension;
      dj["n"] = d.metrics.n;
      dj["mae"] = number(d.metrics.mae);
      dj["mae_ci"] = pair_json(d.mae_ci);
      dj["bias"] = number(d.metrics.bias);
      dj["rmse"] = number(d.metrics.rmse);
      dj["exact"] = number(d.metrics.exact);
      dj["within1"] = number(d.metrics.within1);
      dj["qwk"] = number(d.metrics.qwk);
      dj["spearman"] = number(d.metrics.spearman);
      dj["confusion"] = d.metrics.confusion;
      dj["not_applicable"] = {{"both_apply", d.na.both_apply},
                              {"both_na", d.na.both_na},
                              {"judge_na_only", d.na.judge_na_only},
                              {"human_na_only", d.na.human_na_only}};
      dj["unscored"] = d.unscored;
      if (auto h = r.human.find(d.dimension); h != r.human.end())
        dj["human_vs_human"] = agreement_json(h->second);
      if (d.comparison)
        dj["compare"] = {{"n", d.comparison->n},
                         {"mae", number(d.comparison->mae)},
                         {"other_mae", number(d.comparison->other_mae)},
                         {"mae_diff", number(d.comparison->mae - d.comparison->other_mae)},
                         {"mae_diff_ci", pair_json(d.comparison->diff_ci)},
                         {"significant", d.comparison->diff_ci.excludes_zero()}};
      if (d.calibrated) {
        auto c = agreement_json(d.calibrated->metrics);
        c["mae_ci"] = pair_json(d.calibrated->mae_ci);
        c["mae_change"] = number(d.calibrated->metrics.mae - d.metrics.mae);
        c["mae_change_ci"] = pair_json(d.calibrated->diff_ci);
        c["significant"] = d.calibrated->diff_ci.excludes_zero();
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
        one["status"] = sc.status == ScoreStatus::scored           ? "scored"
                        : sc.status == ScoreStatus::not_applicable ? "not_applicable"
                                                                   : "unscored";
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
        {{"gate", g.gate.text}, {"judge", g.judge}, {"value", number(g.value)}, {"failed", g.failed}});
  j["gates"] = gj;
  out << j.dump(2) << "\n";
}

void write_csv(std::ostream& out, const Report& r) {
  out << "judge,dimension,n,mae,mae_low,mae_high,bias,rmse,exact,within1,qwk,spearman,na_disagreements,"
         "unscored\n";
  auto num = [](double x) { return std::isnan(x) ? std::string() : format_number(x, 6); };
  for (const auto& jr : r.judges) {
    for (const auto& d : jr.dimensions) {
      const auto& m = d.metrics;
      out << util::csv_quote(jr.judge) << "," << util::csv_quote(d.dimension) << "," << m.n << ","
          << num(m.mae) << "," << num(d.mae_ci.low) << "," << num(d.mae_ci.high) << "," << num(m.bias) << ","
          << num(m.rmse) << "," << num(m.exact) << "," << num(m.within1) << "," << num(m.qwk) << ","
          << num(m.spearman) << "," << d.na.disagreements() << "," << d.unscored << "\n";
    }
    out << util::csv_quote(jr.judge) << ",(mean),," << num(jr.mean_mae) << "," << num(jr.mean_mae_ci.low)
        << "," << num(jr.mean_mae_ci.high) << ",,,,,,,," << jr.unscored << "\n";
  }
}

void write_junit(std::ostream& out, const Report& r, const std::vector<GateResult>& gates) {
  std::size_t tests = 0, failures = 0;
  for (const auto& jr : r.judges) tests += jr.dimensions.size() + 1;
  for (const auto& g : gates) failures += g.failed;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"judge report\" tests=\"" << tests << "\" failures=\"" << failures << "\">\n";
  for (const auto& jr : r.judges) {
    std::size_t suite_failures = 0;
    for (const auto& g : gates) suite_failures += g.failed && g.judge == jr.judge;
    out << "  <testsuite name=\"" << xml_escape(jr.judge) << "\" tests=\"" << jr.dimensions.size() + 1
        << "\" failures=\"" << suite_failures << "\">\n";
    auto testcase = [&](const std::string& name, const std::string& dimension, const std::string& summary) {
      out << "    <testcase classname=\"judge." << xml_escape(jr.judge) << "\" name=\"" << xml_escape(name)
          << "\">\n";
      for (const auto& g : gates)
        if (g.failed && g.judge == jr.judge && g.gate.dimension == dimension)
          out << "      <failure message=\"" << xml_escape(describe(g)) << "\" type=\"gate\">"
              << xml_escape("--fail-if '" + g.gate.text + "' holds: " + describe(g)) << "</failure>\n";
      out << "      <system-out>" << xml_escape(summary) << "</system-out>\n";
      out << "    </testcase>\n";
    };
    for (const auto& d : jr.dimensions)
      testcase(d.dimension, d.dimension,
               "n=" + std::to_string(d.metrics.n) + " mae=" + format_number(d.metrics.mae) + " " +
                   interval(d.mae_ci) + " bias=" + signed_number(d.metrics.bias) +
                   " qwk=" + format_number(d.metrics.qwk) + " spearman=" + format_number(d.metrics.spearman));
    testcase("(mean)", "", "mean mae=" + format_number(jr.mean_mae) + " " + interval(jr.mean_mae_ci));
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

/// Text tables: first column left-aligned, the others right-aligned.
void write_text_table(std::ostream& out, const Section& s) {
  std::vector<std::size_t> width(s.header.size(), 0);
  for (std::size_t i = 0; i < s.header.size(); ++i) width[i] = s.header[i].size();
  for (const auto& row : s.rows)
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  auto line = [&](const std::vector<std::string>& cols) {
    std::string text;
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const std::string pad(width[i] - cols[i].size(), ' ');
      text += i == 0 ? cols[i] + pad : "  " + pad + cols[i];
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  out << s.title << "\n";
  line(s.header);
  for (const auto& row : s.rows) line(row);
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

std::string judge_heading(const Report& r, const JudgeReport& jr) {
  return "judge " + (jr.judge.empty() ? std::string("(unnamed)") : jr.judge) + ": " +
         std::to_string(jr.records) + " records, " + std::to_string(jr.unscored) + " unscored (left out), " +
         std::to_string(jr.unmatched_labels) + " labels without a score" + without_scores_note(jr) +
         flagged_note(jr) + "; labels " + r.labels_source + " (raters: " + r.raters + "), scale " +
         std::to_string(r.scale.min) + ".." + std::to_string(r.scale.max) + " (" + r.scale_source + "); " +
         std::to_string(r.bootstrap.resamples) + " bootstrap resamples by item, seed " +
         std::to_string(r.seed);
}

void write_gates_text(std::ostream& out, const std::vector<GateResult>& gates, bool markdown) {
  if (gates.empty()) return;
  out << (markdown ? "**Gates**\n\n" : "gates\n");
  for (const auto& g : gates)
    out << (markdown ? "- " : "  ") << (g.failed ? "FAILED " : "passed ") << "--fail-if '" << g.gate.text
        << "': " << describe(g) << "\n";
  out << "\n";
}

}  // namespace

void write_html_table(std::ostream& out, const Section& s);  // html.cpp

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

std::vector<Section> sections(const Report& r, const JudgeReport& jr) {
  std::vector<Section> out;
  const std::string ci = confidence_label(r);
  Section main{
      "agreement per dimension (MAE " + ci + " by bootstrap over items" +
          (r.human.empty() ? std::string(")") : "; human = each rater against the mean of the others)"),
      {"dimension", "n", "MAE", ci, "bias", "RMSE", "exact", "within1", "QWK", "Spearman", "N/A disagree",
       "unscored", "human MAE", "human QWK"},
      {}};
  for (const auto& d : jr.dimensions) {
    const auto& m = d.metrics;
    const auto h = r.human.find(d.dimension);
    main.rows.push_back({d.dimension, std::to_string(m.n), format_number(m.mae), interval(d.mae_ci),
                         signed_number(m.bias), format_number(m.rmse), format_number(m.exact),
                         format_number(m.within1), format_number(m.qwk), format_number(m.spearman),
                         std::to_string(d.na.disagreements()), std::to_string(d.unscored),
                         h == r.human.end() ? "" : format_number(h->second.mae),
                         h == r.human.end() ? "" : format_number(h->second.qwk)});
  }
  main.rows.push_back({"mean of MAEs", "", format_number(jr.mean_mae), interval(jr.mean_mae_ci)});
  main.rows.back().resize(main.header.size());
  out.push_back(std::move(main));
  if (jr.compare_judge) {
    Section c{"compared with " + *jr.compare_judge + " (paired bootstrap on the pairs both scored)",
              {"dimension", "n", "MAE", "other MAE", "difference", ci, "significant"},
              {}};
    for (const auto& d : jr.dimensions) {
      if (!d.comparison) continue;
      const auto& k = *d.comparison;
      c.rows.push_back({d.dimension, std::to_string(k.n), format_number(k.mae), format_number(k.other_mae),
                        signed_number(k.mae - k.other_mae), interval(k.diff_ci), significance(k.diff_ci)});
    }
    c.rows.push_back({"mean of MAEs", "", "", "", signed_number(jr.mean_diff), interval(jr.mean_diff_ci),
                      significance(jr.mean_diff_ci)});
    out.push_back(std::move(c));
  }
  if (jr.calibrated_mean_mae) {
    Section c{std::string(stats::isotonic_method_name(r.calibration)) + " calibration, cross-fitted over " +
                  std::to_string(r.calibrate_folds) +
                  " folds by item (stratified by mean label)",
              {"dimension", "raw MAE", ci, "calibrated MAE", ci + " ", "change", ci + "  ", "significant"},
              {}};
    for (const auto& d : jr.dimensions) {
      if (!d.calibrated) continue;
      const auto& k = *d.calibrated;
      c.rows.push_back({d.dimension, format_number(d.metrics.mae), interval(d.mae_ci),
                        format_number(k.metrics.mae), interval(k.mae_ci),
                        signed_number(k.metrics.mae - d.metrics.mae), interval(k.diff_ci),
                        significance(k.diff_ci)});
    }
    c.rows.push_back({"mean of MAEs", format_number(jr.mean_mae), interval(jr.mean_mae_ci),
                      format_number(*jr.calibrated_mean_mae), interval(jr.calibrated_mean_mae_ci),
                      signed_number(*jr.calibrated_mean_mae - jr.mean_mae),
                      interval(jr.calibrated_mean_diff_ci), significance(jr.calibrated_mean_diff_ci)});
    out.push_back(std::move(c));
  }
  if (!jr.flagged.empty()) {
    Section f{
        "notebooks flagged for prompt injection (text that tries to steer the grader): check these scores",
        {"notebook", "cells", "flags", "dimension", "judge", "human"},
        {}};
    for (const auto& item : jr.flagged) {
      std::string cells, flags;
      for (int c : item.cells) cells += (cells.empty() ? "" : ", ") + std::to_string(c);
      for (const auto& fl : item.flags) flags += (flags.empty() ? "" : ", ") + fl;
      for (std::size_t i = 0; i < item.scores.size(); ++i) {
        const auto& sc = item.scores[i];
        const std::string human = !sc.labelled ? ""
                                  : sc.human   ? score_text(ScoreStatus::scored, sc.human)
                                               : "N/A";
        f.rows.push_back({i == 0 ? item.item : "", i == 0 ? cells : "", i == 0 ? flags : "", sc.dimension,
                          score_text(sc.status, sc.score), human});
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

void write_report(std::ostream& out, const Report& report, const std::vector<GateResult>& gates,
                  const std::string& format) {
  if (format == "json") {
    write_json(out, report, gates);
  } else if (format == "csv") {
    write_csv(out, report);
  } else if (format == "junit") {
    write_junit(out, report, gates);
  } else if (format == "html") {
    write_html(out, report, gates);
  } else if (format == "table" || format == "markdown") {
    const bool md = format == "markdown";
    if (md) out << "# Agreement report\n\n";
    for (const auto& jr : report.judges) {
      out << (md ? "## " : "") << judge_heading(report, jr) << "\n\n";
      for (const auto& s : sections(report, jr)) write_section(out, s, format);
    }
    write_gates_text(out, gates, md);
  } else {
    throw Error("unknown --format \"" + format + "\" (table, json, markdown, html, junit, csv)",
                ExitCode::usage);
  }
}

}  // namespace judge::report
