// SPDX-License-Identifier: MIT
// judge validate: K-fold cross-validation of alignment, per dimension and condition, with bootstrap
// intervals, paired changes from baseline, gates, and an optional learning curve: one measurement holding
// every condition, written by the report writers.
#include "judge/align/validate.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "judge/cli/commands.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/labels/labels.hpp"
#include "judge/measure/gates.hpp"
#include "judge/measure/measure.hpp"
#include "judge/measure/metrics.hpp"
#include "judge/report/writers.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"
#include "judge/verdict/record.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::cli {

namespace {

struct ValidateCliOptions {
  std::string memory_given;  // --memory, hidden: refused with what to do instead (run_validate)
  std::string labels_file;
  std::string notebooks_dir;
  SettingFlags settings;  // judge, rubric, reflection, embeddings, k, jobs, ... (judge_setup.hpp)
  int folds = 4;
  std::uint64_t seed = 0;
  std::string conditions = "baseline,semantic,episodic,both";
  std::string raters = "mean";
  std::size_t bootstrap = 10000;
  double confidence = 0.95;
  std::string format = "table";
  std::string output;
  std::vector<std::string> fail_if;
  std::string gate_on;  // empty: "both" when measured, else the last condition other than baseline
  bool learning_curve = false;
  std::string calibration = "isotonic";
  bool skip_missing_notebooks = false;
  double near_duplicate = 0.8;
  std::string verdicts;            // --verdicts FILE: every held-out verdict, JSON Lines
  bool calibration_given = false;  // --calibration was on the command line
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

// The conditions measured: --conditions', with baseline first when it is not among them (every change is
// measured from it).
std::vector<std::string> measured_conditions(const ValidateCliOptions& opt) {
  std::vector<std::string> conditions = split_list(opt.conditions);
  if (std::find(conditions.begin(), conditions.end(), "baseline") == conditions.end())
    conditions.insert(conditions.begin(), "baseline");
  return conditions;
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
  o.conditions = measured_conditions(opt);
  o.k = configured_k(config);
  o.shares = opt.learning_curve ? k_curve_shares : std::vector<double>{1.0};
  o.parallel = jobs(config);
  o.calibration = stats::parse_isotonic_loss(opt.calibration);
  o.near_duplicate = opt.near_duplicate;
  return o;
}

// The held-out verdicts of the runs at `share` as one score set, one "judge" per condition.
measure::ScoreSet held_out_scores(const align::ValidateResult& result, double share,
                                  const std::string& source) {
  measure::ScoreSet set;
  set.source = source;
  for (const auto& run : result.runs) {
    if (run.share != share) continue;
    for (const auto& h : run.verdicts) {
      measure::ScoreRecord r;
      r.item = h.item;
      r.dimension = h.verdict.dimension;
      r.judge = run.condition;
      r.status = verdict::measured(h.verdict.status);
      r.score = h.verdict.score;
      r.rationale = h.verdict.rationale;
      set.records.push_back(std::move(r));
    }
  }
  return set;
}

// The held-out verdicts at `share` measured once: every condition (baseline included, measure_compared),
// each other condition with its paired change from baseline. Conditions come in the order measured (the
// runs' order).
measure::Measurement measure_share(const labels::LabelSet& labels, const align::ValidateResult& result,
                                   double share, const ValidateCliOptions& opt,
                                   const rubric::Rubric& rubric) {
  measure::MeasureOptions mo;
  mo.raters = opt.raters;
  mo.scale = stats::Scale{rubric.min_score(), rubric.max_score()};
  mo.scale_source = "rubric " + rubric.id;
  mo.bootstrap.resamples = opt.bootstrap;
  mo.bootstrap.confidence = opt.confidence;
  mo.seed = opt.seed;
  mo.compare = "baseline";
  mo.measure_compared = true;
  const std::string source =
      "judge validate: " + std::to_string(opt.folds) + " folds, seed " + std::to_string(opt.seed);
  return measure::measure(labels, held_out_scores(result, share, source), mo);
}

// The map of the calibrated conditions (calibrated, both-calibrated) when one is measured ("isotonic" or
// "isotonic-median"), else "".
std::string calibration_note(const align::ValidateOptions& core) {
  const bool measured =
      std::find(core.conditions.begin(), core.conditions.end(), "calibrated") != core.conditions.end() ||
      std::find(core.conditions.begin(), core.conditions.end(), "both-calibrated") != core.conditions.end();
  return measured ? stats::isotonic_method_name(core.calibration) : "";
}

// With --learning-curve, each condition but baseline at every share of the training folds: the full share
// is `full` (measured already), the smaller ones are measured here.
std::vector<measure::CrossValidation::CurvePoint> learning_curve(const labels::LabelSet& labels,
                                                                 const align::ValidateResult& result,
                                                                 const ValidateCliOptions& opt,
                                                                 const rubric::Rubric& rubric,
                                                                 const measure::Measurement& full) {
  std::vector<measure::CrossValidation::CurvePoint> points;
  if (!opt.learning_curve) return points;
  for (double share : k_curve_shares) {
    const measure::Measurement smaller =
        share == 1.0 ? measure::Measurement{} : measure_share(labels, result, share, opt, rubric);
    for (const auto& jr : (share == 1.0 ? full : smaller).judges) {
      if (jr.judge == "baseline") continue;
      measure::CrossValidation::CurvePoint p{share,        jr.judge,       0, jr.mean_mae, jr.mean_mae_ci,
                                             jr.mean_diff, jr.mean_diff_ci};
      for (const auto& run : result.runs)
        if (run.share == share && run.condition == jr.judge)
          p.training = static_cast<double>(run.training_items) / opt.folds;
      points.push_back(p);
    }
  }
  return points;
}

// How the held-out verdicts were made, for the report: settings, each notebook's fold, the learning curve.
measure::CrossValidation cross_validation(const align::ValidateOptions& core,
                                          const align::ValidateResult& result,
                                          std::vector<measure::CrossValidation::CurvePoint> curve) {
  measure::CrossValidation cv;
  cv.folds = core.folds;
  cv.seed = core.seed;
  cv.judge = core.judge->spec();
  cv.reflection = core.reflection ? core.reflection->spec() : "";
  cv.embeddings = core.embeddings;
  cv.k = core.k;
  cv.conditions = core.conditions;
  cv.calibration = calibration_note(core);
  for (std::size_t i = 0; i < result.items.size(); ++i)
    cv.items.push_back({result.items[i], result.fold[i], result.strata[i]});
  if (!curve.empty()) cv.shares = k_curve_shares;
  cv.learning_curve = std::move(curve);
  for (const auto& r : result.fold_rules) cv.fold_rules.push_back({r.dimension, r.rule, r.folds});
  cv.near_duplicate = core.near_duplicate;
  for (const auto& g : result.near_duplicates) cv.near_duplicates.push_back({g.notebooks, g.least, g.most});
  return cv;
}

std::string gate_condition(const ValidateCliOptions& opt, const std::vector<std::string>& conditions) {
  if (!opt.gate_on.empty()) {
    if (std::find(conditions.begin(), conditions.end(), opt.gate_on) == conditions.end()) {
      std::string measured;
      for (const auto& c : conditions) measured += (measured.empty() ? "" : ", ") + c;
      const auto close = util::closest_typos(opt.gate_on, conditions);
      throw Error("--gate-on \"" + opt.gate_on + "\" is not among the measured conditions (" + measured +
                      "; --conditions chooses them)" +
                      (close.empty() ? std::string() : "; did you mean \"" + close.front() + "\"?"),
                  ExitCode::usage);
    }
    return opt.gate_on;
  }
  // Else both; else the last condition other than baseline, which is what the others are measured against.
  if (std::find(conditions.begin(), conditions.end(), "both") != conditions.end()) return "both";
  for (auto it = conditions.rbegin(); it != conditions.rend(); ++it)
    if (*it != "baseline") return *it;
  return conditions.back();
}

// A gate on a change metric (mae_change, mae_change_ci_low, na_disagree_change) of the baseline condition is
// a usage error: each other condition's change is measured from baseline, so baseline's own is undefined by
// construction and the gate could only fail, after the whole run. Said with what to gate instead.
void check_change_gates(const ValidateCliOptions& opt, const std::vector<std::string>& conditions,
                        const std::string& gated) {
  if (gated != "baseline") return;
  const bool both = std::find(conditions.begin(), conditions.end(), "both") != conditions.end();
  const auto other = std::find_if(conditions.begin(), conditions.end(),
                                  [](const std::string& c) { return c != "baseline"; });
  for (const auto& text : opt.fail_if) {
    const auto g = measure::parse_gate(text);
    if (!measure::find_metric(g.metric)->needs_compare) continue;
    std::string message =
        "--fail-if '" + text + "': " + g.metric + " is undefined for the baseline condition";
    if (other == conditions.end())
      message += ", the only one measured";
    else
      message += " (--gate-on baseline)";
    message += ": it is the change of each other condition from baseline; ";
    message += other == conditions.end()
                   ? "measure one and gate it (e.g. --conditions baseline,both)"
                   : "gate one of them (e.g. --gate-on " + (both ? std::string("both") : *other) + ")";
    throw Error(message, ExitCode::usage);
  }
}

// A gate that does not parse, names a dimension the rubric lacks, names a --gate-on not measured or a change
// of baseline is a usage error said before the run (the run can take minutes with an LLM judge), not after
// it.
void check_gates_early(const ValidateCliOptions& opt, const rubric::Rubric& rubric) {
  for (const auto& text : opt.fail_if) {
    const auto g = measure::parse_gate(text);
    if (g.dimension.empty() || g.dimension == measure::k_every_dimension || rubric.find(g.dimension))
      continue;
    std::string message = "--fail-if '";
    message += text;
    message += "': rubric " + rubric.id + " has no dimension \"" + g.dimension + "\" (";
    if (const std::string hint = rubric::did_you_mean_dimension(rubric, g.dimension); !hint.empty())
      message += hint + " ";
    message += "it has: ";
    for (std::size_t i = 0; i < rubric.dimensions.size(); ++i)
      message += (i ? ", " : "") + rubric.dimensions[i].id;
    message += "; or * for each)";
    throw Error(message, ExitCode::usage);
  }
  const std::vector<std::string> conditions = measured_conditions(opt);
  check_change_gates(opt, conditions, gate_condition(opt, conditions));
}

std::vector<measure::GateResult> check_gates(const ValidateCliOptions& opt,
                                             const measure::Measurement& measured,
                                             const std::string& condition) {
  std::vector<measure::Gate> gates;
  for (const auto& text : opt.fail_if) gates.push_back(measure::parse_gate(text));
  auto results = measure::evaluate_gates(measured, gates);
  std::erase_if(results, [&](const measure::GateResult& g) { return g.judge != condition; });
  return results;
}

void write_measurement(const ValidateCliOptions& opt, const measure::Measurement& measured,
                       const std::vector<measure::GateResult>& gates) {
  std::ostringstream text;
  report::write_report(text, measured, gates, opt.format);
  cli::write_output(opt.output, text.str());
}

int finish(const align::ValidateResult& result, int folds, const std::vector<measure::GateResult>& gates,
           double seconds) {
  for (const auto& w : result.warnings) std::cerr << "judge: warning: " << w << "\n";
  // One line a group of near-duplicates; a group larger than a fold's share makes the folds uneven.
  // Whole percents rounded down (0.29 is 29%, though 0.29 * 100 is 28.999... in doubles), as the report says.
  const auto percent = [](double share) {
    return std::to_string(static_cast<int>(std::floor(share * 100 + 1e-9)));
  };
  for (const auto& g : result.near_duplicates) {
    const auto& n = g.notebooks;
    std::cerr << "judge: " << n[0]
              << (n.size() == 2 ? " and " + n[1]
                                : ", " + n[1] + " and " + std::to_string(n.size() - 2) + " more")
              << " share a fold: their code lines are "
              << (g.least == g.most ? percent(g.least) : percent(g.least) + "% to " + percent(g.most))
              << "% alike (--near-duplicate)\n";
    if (n.size() * static_cast<std::size_t>(folds) > result.items.size())
      std::cerr << "judge: warning: those " << n.size() << " near-duplicates are more than a fold's share ("
                << result.items.size() << " notebooks in " << folds
                << " folds): their fold is larger than the others; a --near-duplicate nearer 1 splits the "
                   "group\n";
  }
  std::cerr << "judge: validated " << result.items.size() << " notebooks in "
            << report::format_number(seconds, 2) << " s\n";
  for (const auto& line : measure::gate_lines(gates)) std::cerr << "judge: " << line << "\n";
  if (std::any_of(gates.begin(), gates.end(), [](const auto& g) { return g.failed; }))
    return static_cast<int>(ExitCode::gate);
  // As judge eval exits 4 on an unreadable notebook: the figures leave those notebooks' labels out.
  if (result.notebooks_unreadable > 0) {
    std::cerr
        << "judge: " << result.notebooks_unreadable
        << " labelled notebook(s) could not be read (warnings above) and are left out of every condition\n";
    return static_cast<int>(ExitCode::unscored);
  }
  // And on unscored verdicts (a judge that gave no usable reply): the report counts them per dimension.
  std::size_t unscored = 0;
  for (const auto& run : result.runs)
    for (const auto& h : run.verdicts) unscored += h.verdict.status == verdict::Status::unscored;
  if (unscored > 0) {
    std::cerr
        << "judge: " << unscored
        << " held-out verdict(s) are unscored (the report's unscored column) and left out of the figures\n";
    return static_cast<int>(ExitCode::unscored);
  }
  return static_cast<int>(ExitCode::ok);
}

// --verdicts FILE: every held-out verdict of every condition, one JSON object a line, written as -o writes
// (atomically; a missing folder refused): judge eval's record (verdict::to_json: notebook is the labels'
// item path) whose "judge" is the condition as validate's report names it ("both"; "both@0.25" for a smaller
// share of a learning curve), so judge report --scores FILE reads it back, with "judge_spec" (the judge
// that gave it), "condition", "fold", "label" (the label resolved by --raters as the figures take it, a
// number or null for N/A; absent when the notebook has none on the dimension) and, with --learning-curve,
// "share" (of the fold's training notebooks the memory was aligned on). Baseline once: it is the same at
// every share.
void write_verdicts(const ValidateCliOptions& opt, const labels::LabelSet& labels,
                    const align::ValidateResult& result, const std::string& judge_spec) {
  std::map<std::pair<std::string, std::string>, std::optional<double>> label;
  for (const auto& r : labels::resolve(labels, opt.raters)) label[{r.item, r.dimension}] = r.score;
  std::string out;
  for (const auto& run : result.runs) {
    if (run.condition == "baseline" && run.share != 1.0) continue;
    const std::string name =
        run.share == 1.0 ? run.condition : run.condition + "@" + report::format_number(run.share, 2);
    for (const auto& h : run.verdicts) {
      auto j = verdict::to_json({h.item, name, h.verdict});
      j["judge_spec"] = judge_spec;
      j["condition"] = run.condition;
      j["fold"] = h.fold;
      if (const auto it = label.find({h.item, h.verdict.dimension}); it != label.end())
        j["label"] = it->second ? nlohmann::ordered_json(*it->second) : nlohmann::ordered_json(nullptr);
      if (opt.learning_curve) j["share"] = run.share;
      out += j.dump() + "\n";
    }
  }
  cli::write_output(opt.verdicts, out);
}

// The file a path names once symbolic links are followed, absolute: two spellings of one file ("x",
// "./x", a link to x) give one path, whether or not the file exists yet.
std::filesystem::path resolved(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  for (int hops = 0; hops < 40 && std::filesystem::is_symlink(p, ec); ++hops) {  // a dangling link too
    const auto target = std::filesystem::read_symlink(p, ec);
    if (ec) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  const auto canonical = std::filesystem::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : canonical;
}

// -o and --verdicts are written after the whole run (minutes of judge calls with an LLM): a path that
// cannot be written is said before it. Usage errors: a folder given as the file, a folder above it that is
// missing, is a file or takes no new file (tried by creating and removing one), both flags naming one file.
void check_output_paths(const ValidateCliOptions& opt) {
  const std::pair<std::string, std::string> outputs[] = {{"-o", opt.output}, {"--verdicts", opt.verdicts}};
  for (const auto& [flag, path] : outputs) {
    if (path.empty()) continue;
    const std::filesystem::path file(path);
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
      throw Error(flag + " " + path + " is a folder; give a file name", ExitCode::usage);
    const std::filesystem::path folder = file.parent_path().empty() ? "." : file.parent_path();
    if (!std::filesystem::is_directory(folder, ec))
      throw Error(flag + " " + path + ": " + folder.string() +
                      (std::filesystem::exists(folder, ec) ? " is not a folder"
                                                           : " does not exist (create it first)"),
                  ExitCode::usage);
    const auto probe = folder / (".judge-write-test-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
      throw Error(
          flag + " " + path + ": cannot create a file in " + folder.string() + ": " + std::strerror(errno),
          ExitCode::usage);
    ::close(fd);
    std::filesystem::remove(probe, ec);
  }
  if (!opt.output.empty() && !opt.verdicts.empty() && resolved(opt.output) == resolved(opt.verdicts))
    throw Error("-o and --verdicts name one file (" + opt.output + ", " + opt.verdicts + "); give two",
                ExitCode::usage);
}

int run_validate(const ValidateCliOptions& opt) {
  if (!opt.memory_given.empty())
    throw Error(
        "validate takes no --memory: it measures the alignment procedure, aligning afresh in each fold "
        "from --labels, so a memory folder's rules (learnt or edited by hand) are not in its figures; "
        "to measure " +
            opt.memory_given + " itself, judge eval notebooks outside its labels with and without --memory " +
            opt.memory_given + ", then judge report --compare (README, \"Does memory help?\")",
        ExitCode::usage);
  const auto start = std::chrono::steady_clock::now();
  const Config config = opt.settings.load();
  if (opt.settings.flags.count("own_episodes"))
    std::cerr << "judge: warning: --own-episodes has no effect on judge validate: each held-out notebook is "
                 "judged with a memory aligned on the other folds' notebooks only, which never holds its own "
                 "labels\n";
  const rubric::Rubric rubric = configured_rubric(config);
  const labels::LabelSet labels =
      read_labels_warned(opt.labels_file, {&rubric, opt.notebooks_dir, opt.skip_missing_notebooks, true});
  if (!labels.skipped.empty())
    std::cerr << "judge: warning: " << skipped_notebooks_text(labels, opt.notebooks_dir)
              << "; they are left out of every condition\n";
  check_gates_early(opt, rubric);
  check_output_paths(opt);
  if (const auto c = measured_conditions(opt); opt.calibration_given &&
                                               std::find(c.begin(), c.end(), "calibrated") == c.end() &&
                                               std::find(c.begin(), c.end(), "both-calibrated") == c.end())
    std::cerr << "judge: warning: --calibration " << opt.calibration
              << " has no effect: no calibrated condition is measured (--conditions ...,calibrated)\n";
  const auto usage = std::make_shared<llm::UsageMeter>();
  auto judge = scoring::make_judge(config.get("judge"), judge_settings(config, usage));
  warn_cannot_score(*judge, rubric);
  const auto reflection_usage = std::make_shared<llm::UsageMeter>();
  const auto reflection = make_reflection(config, reflection_usage);
  const align::ValidateOptions core = core_options(opt, config, rubric, *judge, reflection.get());
  const align::ValidateResult result = align::cross_validate(labels, core);
  measure::Measurement measured = measure_share(labels, result, 1.0, opt, rubric);
  measured.cross_validation =
      cross_validation(core, result, learning_curve(labels, result, opt, rubric, measured));
  const auto gates = check_gates(opt, measured, gate_condition(opt, core.conditions));
  write_measurement(opt, measured, gates);
  if (!opt.verdicts.empty()) write_verdicts(opt, labels, result, judge->spec());
  for (const auto& w : measure::thin_significance_warnings(measured))
    std::cerr << "judge: warning: " << w << "\n";
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  print_totals(judge->spec(), *usage, config);
  print_totals(config.get("reflection"), *reflection_usage, config, "reflection");
  return finish(result, opt.folds, gates, elapsed.count());
}

}  // namespace

void setup_validate(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<ValidateCliOptions>();
  auto* cmd =
      app.add_subcommand("validate", "K-fold cross-validation of alignment: MAE per dimension and condition");
  cmd->add_option("--labels", opt->labels_file, "Labels file (CSV or JSON Lines, long format)")->required();
  cmd->add_option("--notebooks", opt->notebooks_dir, "Folder the labels' notebook paths are relative to")
      ->required();
  cmd->add_flag("--skip-missing-notebooks", opt->skip_missing_notebooks,
                "Go on without the labelled notebooks not found under --notebooks (one warning counts them; "
                "they are left out of every condition)");
  cmd->add_option("--folds", opt->folds,
                  "Folds by notebook (stratified by mean label); 2 to the number of labelled notebooks "
                  "(near-duplicates, "
                  "which share a fold, count once)")
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed (folds, bootstrap, learning-curve subsets)")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option(
         "--conditions", opt->conditions,
         "Comma-separated: baseline,semantic,episodic,both (the default), and when asked for "
         "calibrated (the baseline verdicts through an isotonic map fitted on the training folds) and "
         "both-calibrated (both memories, then the memory's calibration, as eval --memory applies "
         "a memory aligned with --calibrate)")
      ->capture_default_str();
  cmd->add_option("--raters", opt->raters, "How several labels combine: mean|median|majority|RATER_ID")
      ->capture_default_str();
  cmd->add_option("--bootstrap", opt->bootstrap, "Bootstrap resamples")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--confidence", opt->confidence, "Interval confidence level")
      ->capture_default_str()
      ->check(confidence_level());
  cmd->add_option("--format", opt->format, report::format_list())
      ->capture_default_str()
      ->check(one_of(report::format_names()));
  cmd->add_option("-o,--output", opt->output, "Write the result to this file (atomically) instead of stdout");
  cmd->add_option(
      "--verdicts", opt->verdicts,
      "Also write every held-out verdict to this file (JSON Lines: judge eval's record, named by its "
      "condition, with fold, label and, with --learning-curve, share), to see which notebooks a "
      "condition got wrong");
  cmd->add_option("--fail-if", opt->fail_if,
                  "Gate METRIC[:DIMENSION] OP NUMBER on --gate-on's condition; exits 3 when it holds");
  cmd->add_option("--gate-on", opt->gate_on,
                  "Condition the gates check (default: both, else the last condition other than baseline)");
  auto* calibration =
      cmd->add_option(
             "--calibration", opt->calibration,
             "Map of the calibrated conditions: isotonic (block means) or isotonic-median (block medians, "
             "the MAE-optimal map)")
          ->capture_default_str()
          ->check(one_of({"isotonic", "isotonic-median"}));
  cmd->add_option(
         "--near-duplicate", opt->near_duplicate,
         "Notebooks whose code lines are at least this alike (Jaccard index, 0 to 1) share a fold, so "
         "what is learnt from one is not tested on its twin; 0: off")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            char* end = nullptr;
            const double share = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !(share >= 0 && share <= 1))
              return "\"" + value + "\" is not a share from 0 to 1 (0.8: 80% of code lines alike; 0: off)";
            return "";
          },
          "SHARE", "share"));
  cmd->add_flag("--learning-curve", opt->learning_curve,
                "Also measure with 25/50/75/100% of the training folds");
  cmd->add_option("--memory", opt->memory_given)->group("");  // refused, saying what to do (run_validate)
  add_judge_options(*cmd, opt->settings, "Episodes retrieved per (notebook, dimension)");
  // The setting is eval --memory's; validate's held-out notebooks have no episodes of their own to show.
  cmd->get_option("--own-episodes")
      ->description(
          "No effect here (the setting is judge eval --memory's): validate judges each held-out notebook "
          "with "
          "a memory aligned on the other folds' notebooks only, so that memory never holds the notebook's "
          "own "
          "labels, with or without this flag");
  cmd->callback([&run, opt, calibration] {
    opt->calibration_given = calibration->count() > 0;
    run = [opt] { return run_validate(*opt); };
  });
}

}  // namespace judge::cli
