// SPDX-License-Identifier: MIT
// judge validate: K-fold cross-validation of alignment, per dimension and condition, with bootstrap
// intervals, paired changes from baseline, gates, and an optional learning curve.
#include "judge/align/validate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

#include "judge/cli/commands.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/labels/labels.hpp"
#include "judge/report/gates.hpp"
#include "judge/report/report.hpp"
#include "judge/report/writers.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"

namespace judge::cli {

namespace {

struct ValidateCliOptions {
  std::string labels_file;
  std::string notebooks_dir;
  SettingFlags settings;  // judge, rubric, reflection, embeddings, k, jobs, ... (judge_setup.hpp)
  int folds = 4;
  std::uint64_t seed = 0;
  std::string conditions = "baseline,semantic,episodic,both,calibrated";
  std::string raters = "mean";
  std::size_t bootstrap = 10000;
  double confidence = 0.95;
  std::string format = "table";
  std::string output;
  std::vector<std::string> fail_if;
  std::string gate_on;  // empty: "both" when measured, else the last condition
  bool learning_curve = false;
  std::string calibration = "isotonic";
};

// Shares of the training folds measured by --learning-curve (MemAlign's "memory scaling").
const std::vector<double> k_curve_shares{0.25, 0.5, 0.75, 1.0};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

align::ValidateOptions core_options(const ValidateCliOptions& opt, const Config& config,
                                    const rubric::Rubric& rubric, scoring::Judge& judge,
                                    llm::ChatProvider* reflection) {
  align::ValidateOptions o;
  o.rubric = &rubric;
  o.notebooks_dir = opt.notebooks_dir;
  o.rater_policy = opt.raters;
  o.judge = &judge;
  o.reflection = reflection;
  if (!config.get("embeddings").empty()) o.embeddings = config.get("embeddings");
  o.embedding_settings = provider_settings(config, "embeddings_base_url");
  o.folds = opt.folds;
  o.seed = opt.seed;
  o.conditions = split_list(opt.conditions);
  if (std::find(o.conditions.begin(), o.conditions.end(), "baseline") == o.conditions.end())
    o.conditions.insert(o.conditions.begin(), "baseline");  // every change is measured from it
  o.k = configured_k(config);
  o.shares = opt.learning_curve ? k_curve_shares : std::vector<double>{1.0};
  o.parallel = jobs(config);
  o.calibration = stats::parse_isotonic_loss(opt.calibration);
  return o;
}

// The held-out verdicts of the runs at `share` as one score set, one "judge" per condition.
report::ScoreSet held_out_scores(const align::ValidateResult& result, double share,
                                 const std::string& source) {
  report::ScoreSet set;
  set.source = source;
  for (const auto& run : result.runs) {
    if (run.share != share) continue;
    for (const auto& h : run.verdicts) {
      report::ScoreRecord r;
      r.item = h.item;
      r.dimension = h.verdict.dimension;
      r.judge = run.condition;
      r.status = h.verdict.status == scoring::Status::scored           ? report::ScoreStatus::scored
                 : h.verdict.status == scoring::Status::not_applicable ? report::ScoreStatus::not_applicable
                                                                       : report::ScoreStatus::unscored;
      r.score = h.verdict.score;
      r.rationale = h.verdict.rationale;
      set.records.push_back(std::move(r));
    }
  }
  return set;
}

// Why two reports: build_report leaves the --compare judge out of its judges, so one report measures every
// condition (baseline included) and a second one adds each condition's paired change from baseline.
report::Report measure(const labels::LabelSet& labels, const align::ValidateResult& result, double share,
                       const ValidateCliOptions& opt, const rubric::Rubric& rubric,
                       const std::vector<std::string>& conditions) {
  report::ReportOptions ro;
  ro.raters = opt.raters;
  ro.scale = stats::Scale{rubric.min_score(), rubric.max_score()};
  ro.scale_source = "rubric " + rubric.id;
  ro.bootstrap.resamples = opt.bootstrap;
  ro.bootstrap.confidence = opt.confidence;
  ro.seed = opt.seed;
  const std::string source =
      "judge validate: " + std::to_string(opt.folds) + " folds, seed " + std::to_string(opt.seed);
  const auto scores = held_out_scores(result, share, source);
  report::Report all = report::build_report(labels, scores, ro);
  ro.compare = "baseline";
  const report::Report changes =
      conditions.size() > 1 ? report::build_report(labels, scores, ro) : report::Report{};
  for (auto& jr : all.judges)
    for (const auto& cj : changes.judges) {
      if (cj.judge != jr.judge) continue;
      jr.compare_judge = cj.compare_judge;
      jr.mean_diff = cj.mean_diff;
      jr.mean_diff_ci = cj.mean_diff_ci;
      for (auto& d : jr.dimensions)
        for (const auto& cd : cj.dimensions)
          if (cd.dimension == d.dimension) d.comparison = cd.comparison;
    }
  std::sort(all.judges.begin(), all.judges.end(), [&](const auto& a, const auto& b) {
    return std::find(conditions.begin(), conditions.end(), a.judge) <
           std::find(conditions.begin(), conditions.end(), b.judge);
  });
  return all;
}

std::string interval_text(const stats::Interval& iv) {
  return "[" + report::format_number(iv.low, 2) + ", " + report::format_number(iv.high, 2) + "]";
}

std::string signed_text(double value) { return (value > 0 ? "+" : "") + report::format_number(value); }

std::string with_interval(double value, const stats::Interval& iv, bool sign) {
  return (sign ? signed_text(value) : report::format_number(value)) + " " + interval_text(iv);
}

// The map of the "calibrated" condition when it is measured ("isotonic" or "isotonic-median"), else "".
std::string calibration_note(const align::ValidateOptions& core) {
  const bool measured =
      std::find(core.conditions.begin(), core.conditions.end(), "calibrated") != core.conditions.end();
  return measured ? stats::isotonic_method_name(core.calibration) : "";
}

// The reference study's table, and more: per dimension, each condition's MAE with its interval and its
// change from baseline with the paired interval ("*" = significant: the interval excludes 0).
report::Section summary_section(const report::Report& r, int folds, const std::string& calibration) {
  report::Section s{"cross-validated MAE per condition (" + std::to_string(folds) + " folds by notebook; " +
                        report::format_number(r.bootstrap.confidence * 100, 0) +
                        "% bootstrap intervals; change from baseline with paired interval, * = significant" +
                        (calibration.empty() ? "" : "; calibrated: " + calibration + " map") + ")",
                    {"dimension", "n"},
                    {}};
  for (const auto& jr : r.judges) {
    s.header.push_back(jr.judge + " MAE");
    if (jr.compare_judge) s.header.push_back("change");
  }
  if (r.judges.empty()) return s;
  const auto& dims = r.judges.front().dimensions;
  for (std::size_t i = 0; i <= dims.size(); ++i) {
    const bool mean = i == dims.size();
    std::vector<std::string> row{mean ? "mean of MAEs" : dims[i].dimension,
                                 mean ? "" : std::to_string(dims[i].metrics.n)};
    for (const auto& jr : r.judges) {
      const auto* d = mean ? nullptr : &jr.dimensions[i];
      row.push_back(mean ? with_interval(jr.mean_mae, jr.mean_mae_ci, false)
                         : with_interval(d->metrics.mae, d->mae_ci, false));
      if (!jr.compare_judge) continue;
      if (mean)
        row.push_back(with_interval(jr.mean_diff, jr.mean_diff_ci, true) +
                      (jr.mean_diff_ci.excludes_zero() ? " *" : ""));
      else if (d->comparison)
        row.push_back(
            with_interval(d->comparison->mae - d->comparison->other_mae, d->comparison->diff_ci, true) +
            (d->comparison->diff_ci.excludes_zero() ? " *" : ""));
      else
        row.push_back("");
    }
    s.rows.push_back(std::move(row));
  }
  return s;
}

struct CurvePoint {
  double share = 0;
  std::string condition;
  double training = 0;  // notebooks aligned on, mean per fold
  double mae = 0;
  stats::Interval ci;
  double change = 0;
  stats::Interval change_ci;
};

std::vector<CurvePoint> learning_curve(const labels::LabelSet& labels, const align::ValidateResult& result,
                                       const ValidateCliOptions& opt, const rubric::Rubric& rubric,
                                       const std::vector<std::string>& conditions) {
  std::vector<CurvePoint> points;
  if (!opt.learning_curve) return points;
  for (double share : k_curve_shares) {
    const auto r = measure(labels, result, share, opt, rubric, conditions);
    for (const auto& jr : r.judges) {
      if (jr.judge == "baseline") continue;
      CurvePoint p{share, jr.judge, 0, jr.mean_mae, jr.mean_mae_ci, jr.mean_diff, jr.mean_diff_ci};
      for (const auto& run : result.runs)
        if (run.share == share && run.condition == jr.judge)
          p.training = static_cast<double>(run.training_items) / opt.folds;
      points.push_back(p);
    }
  }
  return points;
}

report::Section curve_section(const std::vector<CurvePoint>& points) {
  report::Section s{"learning curve: mean of per-dimension MAEs by share of the training folds aligned on",
                    {"share", "condition", "notebooks/fold", "MAE", "interval", "change", "interval ", "bar"},
                    {}};
  // Bars of '#' filled to a fixed width with '.', so they read left to right in right-aligned columns.
  constexpr long k_bar = 30;
  double top = 0;
  for (const auto& p : points) top = std::max(top, std::isnan(p.mae) ? 0 : p.mae);
  for (const auto& p : points) {
    const long width = top > 0 && !std::isnan(p.mae) ? std::lround(k_bar * p.mae / top) : 0;
    s.rows.push_back({report::format_number(p.share * 100, 0) + "%", p.condition,
                      report::format_number(p.training, 1), report::format_number(p.mae), interval_text(p.ci),
                      signed_text(p.change), interval_text(p.change_ci),
                      std::string(static_cast<std::size_t>(width), '#') +
                          std::string(static_cast<std::size_t>(k_bar - width), '.')});
  }
  return s;
}

// An inline SVG line chart of the learning curve: x = share of the training folds, y = mean MAE, one line
// per condition.
std::string curve_svg(const std::vector<CurvePoint>& points) {
  if (points.empty()) return "";
  static const char* k_colors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2"};
  double top = 0.1;
  for (const auto& p : points) top = std::isnan(p.ci.high) ? top : std::max(top, p.ci.high);
  top = std::ceil(top * 10) / 10;
  const double left = 60, width = 520, plot_h = 240, base = 20 + plot_h;
  auto x = [&](double share) { return left + (width - left - 140) * share; };
  auto y = [&](double v) { return base - plot_h * v / top; };
  std::ostringstream out;
  out << "<h3>learning curve</h3>\n<svg class=\"learning-curve\" xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\""
      << width << "\" height=\"" << base + 40
      << "\" role=\"img\" aria-label=\"MAE by share of training folds\">\n";
  for (int t = 0; t <= 5; ++t) {
    const double v = top * t / 5;
    out << "<line x1=\"" << left << "\" x2=\"" << x(1) << "\" y1=\"" << y(v) << "\" y2=\"" << y(v)
        << "\" stroke=\"#eee\"/><text x=\"" << left - 6 << "\" y=\"" << y(v) + 4 << "\" text-anchor=\"end\">"
        << report::format_number(v, 2) << "</text>\n";
  }
  for (double s : k_curve_shares)
    out << "<text x=\"" << x(s) << "\" y=\"" << base + 18 << "\" text-anchor=\"middle\">"
        << report::format_number(s * 100, 0) << "%</text>\n";
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
          << "\"><title>" << report::xml_escape(p.condition) << " " << report::format_number(p.share * 100, 0)
          << "%: MAE " << report::format_number(p.mae) << "</title></circle>\n";
    }
    out << "<polyline class=\"curve\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\""
        << line << "\"/>\n<text x=\"" << x(1) + 12 << "\" y=\"" << 30 + 16 * c << "\" fill=\"" << color
        << "\">" << report::xml_escape(conditions[c]) << "</text>\n";
  }
  out << "<line x1=\"" << left << "\" x2=\"" << x(1) << "\" y1=\"" << base << "\" y2=\"" << base
      << "\" stroke=\"#444\"/>\n</svg>\n";
  return out.str();
}

nlohmann::ordered_json validate_json(const align::ValidateOptions& core, const align::ValidateResult& result,
                                     const std::vector<CurvePoint>& curve) {
  auto number = [](double v) {
    return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
  };
  nlohmann::ordered_json j;
  j["folds"] = core.folds;
  j["seed"] = core.seed;
  j["judge"] = core.judge->spec();
  j["reflection"] = core.reflection ? core.reflection->spec() : "";
  j["embeddings"] = core.embeddings;
  j["k"] = core.k;
  j["conditions"] = core.conditions;
  if (!calibration_note(core).empty()) j["calibration"] = calibration_note(core);
  j["items"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < result.items.size(); ++i)
    j["items"].push_back(
        {{"item", result.items[i]}, {"fold", result.fold[i]}, {"mean_label", result.strata[i]}});
  j["learning_curve"] = nlohmann::ordered_json::array();
  for (const auto& p : curve)
    j["learning_curve"].push_back({{"share", p.share},
                                   {"condition", p.condition},
                                   {"training_notebooks_per_fold", p.training},
                                   {"mae", number(p.mae)},
                                   {"mae_ci", {number(p.ci.low), number(p.ci.high)}},
                                   {"change", number(p.change)},
                                   {"change_ci", {number(p.change_ci.low), number(p.change_ci.high)}}});
  return j;
}

// The report in --format, with the validate summary (and learning curve) in front: text and Markdown get the
// tables first; HTML gets them (and the curve chart) before the per-condition sections; JSON gets a
// "validate" object; CSV is the per-condition rows of judge report.
std::string render(const ValidateCliOptions& opt, const report::Report& report,
                   const std::vector<report::GateResult>& gates, const align::ValidateOptions& core,
                   const align::ValidateResult& result, const std::vector<CurvePoint>& curve) {
  std::ostringstream body, front;
  report::write_report(body, report, gates, opt.format);
  if (opt.format == "csv") return body.str();
  if (opt.format == "json") {
    auto j = nlohmann::ordered_json::parse(body.str());
    j["validate"] = validate_json(core, result, curve);
    return j.dump(2) + "\n";
  }
  report::write_section(front, summary_section(report, opt.folds, calibration_note(core)), opt.format);
  if (!curve.empty()) report::write_section(front, curve_section(curve), opt.format);
  if (opt.format != "html") return front.str() + body.str();
  std::string page = body.str();
  const auto at = page.find("<section class=\"judge\">");
  page.insert(at == std::string::npos ? page.rfind("</body>") : at,
              "<section class=\"validate\">\n<h2>cross-validation</h2>\n" + front.str() + curve_svg(curve) +
                  "</section>\n");
  return page;
}

std::string gate_condition(const ValidateCliOptions& opt, const std::vector<std::string>& conditions) {
  if (!opt.gate_on.empty()) {
    if (std::find(conditions.begin(), conditions.end(), opt.gate_on) == conditions.end())
      throw Error("--gate-on \"" + opt.gate_on + "\" is not among the measured conditions", ExitCode::usage);
    return opt.gate_on;
  }
  return std::find(conditions.begin(), conditions.end(), "both") != conditions.end() ? "both"
                                                                                     : conditions.back();
}

// A gate that does not parse or names a dimension the rubric lacks is a usage error said before the run (the
// run can take minutes with an LLM judge), not after it.
void check_gates_early(const ValidateCliOptions& opt, const rubric::Rubric& rubric) {
  for (const auto& text : opt.fail_if) {
    const auto g = report::parse_gate(text);
    if (!g.dimension.empty() && !rubric.find(g.dimension))
      throw Error("--fail-if '" + text + "': rubric " + rubric.id + " has no dimension \"" + g.dimension + "\"",
                  ExitCode::usage);
  }
}

std::vector<report::GateResult> check_gates(const ValidateCliOptions& opt, const report::Report& report,
                                            const std::string& condition) {
  std::vector<report::Gate> gates;
  for (const auto& text : opt.fail_if) gates.push_back(report::parse_gate(text));
  auto results = report::evaluate_gates(report, gates);
  std::erase_if(results, [&](const report::GateResult& g) { return g.judge != condition; });
  return results;
}

void write_output(const ValidateCliOptions& opt, const std::string& text) {
  if (opt.output.empty())
    std::cout << text;
  else
    util::write_file_atomic(opt.output, text, util::MissingFolders::refuse);
}

int finish(const align::ValidateResult& result, const std::vector<report::GateResult>& gates,
           double seconds) {
  for (const auto& w : result.warnings) std::cerr << "judge: warning: " << w << "\n";
  std::cerr << "judge: validated " << result.items.size() << " notebooks in "
            << report::format_number(seconds, 2) << " s\n";
  bool failed = false;
  for (const auto& g : gates)
    if (g.failed) {
      std::cerr << "judge: gate failed: --fail-if '" << g.gate.text << "': " << report::describe(g) << "\n";
      failed = true;
    }
  return static_cast<int>(failed ? ExitCode::gate : ExitCode::ok);
}

int run_validate(const ValidateCliOptions& opt) {
  const auto start = std::chrono::steady_clock::now();
  const Config config = opt.settings.load();
  const rubric::Rubric rubric = configured_rubric(config);
  const labels::LabelSet labels = labels::read_labels(opt.labels_file, {&rubric, opt.notebooks_dir});
  check_gates_early(opt, rubric);
  const auto usage = std::make_shared<llm::UsageMeter>();
  auto judge = scoring::make_judge(config.get("judge"), judge_settings(config, usage));
  warn_cannot_score(*judge, rubric);
  const auto reflection_usage = std::make_shared<llm::UsageMeter>();
  const auto reflection = make_reflection(config, reflection_usage);
  const align::ValidateOptions core = core_options(opt, config, rubric, *judge, reflection.get());
  const align::ValidateResult result = align::cross_validate(labels, core);
  const report::Report report = measure(labels, result, 1.0, opt, rubric, core.conditions);
  const auto curve = learning_curve(labels, result, opt, rubric, core.conditions);
  const auto gates = check_gates(opt, report, gate_condition(opt, core.conditions));
  write_output(opt, render(opt, report, gates, core, result, curve));
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  print_totals(judge->spec(), *usage, config);
  print_totals(config.get("reflection"), *reflection_usage, config, "reflection");
  return finish(result, gates, elapsed.count());
}

}  // namespace

void setup_validate(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<ValidateCliOptions>();
  auto* cmd =
      app.add_subcommand("validate", "K-fold cross-validation of alignment: MAE per dimension and condition");
  cmd->add_option("--labels", opt->labels_file, "Labels file (CSV or JSON Lines, long format)")->required();
  cmd->add_option("--notebooks", opt->notebooks_dir, "Folder the labels' notebook paths are relative to")
      ->required();
  cmd->add_option("--folds", opt->folds,
                  "Folds by notebook (stratified by mean label); 2 to the number of labelled notebooks")
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed (folds, bootstrap, learning-curve subsets)")
      ->capture_default_str();
  cmd->add_option("--conditions", opt->conditions,
                  "Comma-separated: baseline,semantic,episodic,both,calibrated")
      ->capture_default_str();
  cmd->add_option("--raters", opt->raters, "How several labels combine: mean|median|majority|RATER_ID")
      ->capture_default_str();
  cmd->add_option("--bootstrap", opt->bootstrap, "Bootstrap resamples")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--confidence", opt->confidence, "Interval confidence level")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 0.9999));
  cmd->add_option("--format", opt->format, "table|json|markdown|html|csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "markdown", "html", "csv"}));
  cmd->add_option("-o,--output", opt->output, "Write the result to this file (atomically) instead of stdout");
  cmd->add_option("--fail-if", opt->fail_if,
                  "Gate METRIC[:DIMENSION] OP NUMBER on --gate-on's condition; exits 3 when it holds");
  cmd->add_option("--gate-on", opt->gate_on,
                  "Condition the gates check (default: both, else the last condition)");
  cmd->add_option("--calibration", opt->calibration,
                  "Map of the calibrated condition: isotonic (block means) or isotonic-median (block medians, "
                  "the MAE-optimal map)")
      ->capture_default_str()
      ->check(CLI::IsMember({"isotonic", "isotonic-median"}));
  cmd->add_flag("--learning-curve", opt->learning_curve,
                "Also measure with 25/50/75/100% of the training folds");
  add_judge_options(*cmd, opt->settings, "Episodes retrieved per (notebook, dimension)");
  cmd->callback([&run, opt] { run = [opt] { return run_validate(*opt); }; });
}

}  // namespace judge::cli
