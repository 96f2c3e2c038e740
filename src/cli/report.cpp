// SPDX-License-Identifier: MIT
// judge report --labels FILE --scores FILE: agreement of judges with human labels, with bootstrap intervals,
// optional paired comparison and calibration, in several formats, with CI gates.
#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "judge/cli/commands.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/labels/labels.hpp"
#include "judge/measure/gates.hpp"
#include "judge/measure/measure.hpp"
#include "judge/measure/scores.hpp"
#include "judge/report/writers.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/paths.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"
#include "judge/verdict/merge.hpp"

namespace judge::cli {

namespace {

struct ReportCliOptions {
  std::string memory_given;  // --memory, hidden: refused with what to do instead (run_report)
  std::string labels_file;
  std::vector<std::string> scores_files;
  std::string judge;
  std::string compare;
  std::string rubric_file;  // --rubric: the labels and scores are checked against it, whatever they name
  SettingFlags settings;    // --config: setting rubric, checked when the files name only its dimensions
  std::string raters = "mean";
  std::size_t bootstrap = 10000;
  double confidence = 0.95;
  std::uint64_t seed = 0;
  bool calibrate = false;
  std::string calibration;  // empty = isotonic when --calibrate
  int folds = 5;
  std::string format = "table";
  std::string output;
  std::vector<std::string> fail_if;
};

// The measurement's options; the scale is `rubric`'s, or inferred from the labels and scores when it is null.
measure::MeasureOptions report_options(const ReportCliOptions& opt, const rubric::Rubric* rubric) {
  measure::MeasureOptions o;
  o.raters = opt.raters;
  if (!opt.judge.empty()) o.judge = opt.judge;
  if (!opt.compare.empty()) o.compare = opt.compare;
  if (rubric) {
    o.scale = stats::Scale{rubric->min_score(), rubric->max_score()};
    o.scale_source = "rubric " + rubric->id;
  }
  o.bootstrap.resamples = opt.bootstrap;
  o.bootstrap.confidence = opt.confidence;
  o.seed = opt.seed;
  o.calibrate_folds = opt.calibrate || !opt.calibration.empty() ? opt.folds : 0;
  if (!opt.calibration.empty()) o.calibration = stats::parse_isotonic_loss(opt.calibration);
  return o;
}

// Several --scores files (e.g. one judge eval run per judge, a run without and one with memory, or the parts
// of one run: judge eval --shard K/N) as one set. A judge's scores may come from several files when they
// score different items (the parts of one run); the same (item, dimension) of one judge in two files is an
// error naming both, since two runs of the same spec must be told apart with `judge eval --name`; the files
// of one judge are parts of one run, checked for the same provenance as judge merge checks them. The set's
// source lists the files; its hash is the sha256 of their hashes in order.
measure::ScoreSet read_score_files(const std::vector<std::string>& files) {
  if (files.size() == 1) return measure::read_scores(files[0]);
  measure::ScoreSet all;
  std::map<std::tuple<std::string, std::string, std::string>, std::string> place_of;  // judge, item, dim
  std::string hashes;
  std::map<std::string, std::string> given;  // canonical path -> the file as first named
  for (const auto& file : files) {
    if (auto [it, fresh] = given.emplace(util::canonical_file_path(file), file); !fresh)
      throw Error(file + " is given twice as " + setting("scores") + " (first as " + it->second +
                      "): give each file once",
                  ExitCode::usage);
    measure::ScoreSet one = measure::read_scores(file);
    for (const auto& r : one.records) {
      const std::string here = file + ":" + std::to_string(r.line);
      const auto [it, fresh] = place_of.emplace(std::tuple(r.judge, r.item, r.dimension), here);
      if (!fresh)  // within one file, read_scores has refused it already
        throw Error("judge '" + r.judge + "' scores " + r.item + " / " + r.dimension + " in both " +
                        it->second + " and " + here +
                        "; name two runs of one judge apart with judge eval --name NAME (the parts of one "
                        "run, judge eval --shard K/N, score different notebooks)",
                    ExitCode::usage);
    }
    all.source += (all.source.empty() ? "" : ", ") + one.source;
    hashes += one.hash;
    for (auto& r : one.records) {
      r.file = all.files.size();
      all.records.push_back(std::move(r));
    }
    all.files.push_back(one.source);
  }
  all.hash = util::sha256_hex(hashes);
  verdict::check_run_provenance(std::vector<std::filesystem::path>(files.begin(), files.end()));
  return all;
}

void write_measurement(const ReportCliOptions& opt, const measure::Measurement& report,
                       const std::vector<measure::GateResult>& gates) {
  std::ostringstream buf;
  report::write_report(buf, report, gates, opt.format);
  cli::write_output(opt.output, buf.str());
}

// On stderr, per judge with records judge eval --memory marked labelled_in_memory: how many, and what that
// means for the figures (eval said it too, but the score file may be read long after).
void warn_in_sample(const measure::ScoreSet& scores) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> count;  // judge -> in-sample, all
  for (const auto& r : scores.records) {
    auto& [in, all] = count[r.judge];
    in += r.labelled_in_memory;
    ++all;
  }
  for (const auto& [judge, c] : count)
    if (c.first > 0)
      std::cerr
          << "judge: warning: judge " << (judge.empty() ? "(unnamed)" : judge) << ": " << c.first
          << " of its " << c.second << (c.second == 1 ? " record was" : " records were")
          << " judged with a memory that holds the notebook's own labels (labelled_in_memory): that "
             "memory's guidelines (and, for the offline judge, learnt rules and weights) come from them, "
             "so agreement measured on them is in-sample and optimistic; for a held-out figure use "
             "judge validate, or eval on notebooks outside the memory's labels\n";
}

// On stderr, per judge with labels that have no score: how many, then each (at most 20) as ITEM#DIMENSION
// with the item it probably meant, so a path spelt another way in the labels ("./x.ipynb") is found.
void print_labels_without_score(const measure::Measurement& report) {
  constexpr std::size_t k_listed = 20;
  for (const auto& jr : report.judges) {
    if (jr.unmatched_labels == 0) continue;
    std::cerr << "judge: judge " << (jr.judge.empty() ? "(unnamed)" : jr.judge) << ": " << jr.unmatched_labels
              << " label" << (jr.unmatched_labels == 1 ? "" : "s") << " without a score"
              << report::without_scores_note(jr) << ":\n";
    const auto& list = jr.labels_without_score;
    for (std::size_t i = 0; i < list.size() && i < k_listed; ++i)
      std::cerr << "  " << list[i].item << "#" << list[i].dimension
                << (list[i].did_you_mean.empty() ? "" : " (did you mean " + list[i].did_you_mean + "?)")
                << "\n";
    if (list.size() > k_listed) std::cerr << "  ... and " << list.size() - k_listed << " more\n";
  }
}

// The dimensions the labels and the scores name that `rubric` lacks, in first-seen order (labels first).
std::vector<std::string> dimensions_not_in(const rubric::Rubric& rubric, const labels::LabelSet& labels,
                                           const measure::ScoreSet& scores) {
  std::vector<std::string> out;
  const auto note = [&](const std::string& dimension) {
    if (!rubric.find(dimension) && std::find(out.begin(), out.end(), dimension) == out.end())
      out.push_back(dimension);
  };
  for (const auto& l : labels.labels) note(l.dimension);
  for (const auto& r : scores.records) note(r.dimension);
  return out;
}

// Without --rubric, the rubric the rest of judge uses (setting rubric: --config, JUDGE_RUBRIC, judge.yaml;
// else the built-in ml-notebook rubric) when every dimension the labels and scores name is one of its
// dimensions: the labels are then checked against it as judge align checks them (dimension known, score a
// point of the scale or N/A), every problem with its line, and the judge scores against its scale
// (measure). nullopt when the files name a dimension it lacks (a custom rubric's files): the scale is then
// inferred from them, with a warning when they name some of its dimensions too (a misspelt dimension leaves
// the scores unchecked). When each dimension it lacks is at most two edits from one of its own, the rubric is
// kept: a label of a misspelt dimension that no score names is an error naming its line and the dimension
// meant (with every other problem of the labels); where the scores name it too, or only they do, a warning,
// and its labels are checked against the scale.
std::optional<rubric::Rubric> default_rubric_for(const ReportCliOptions& opt, const labels::LabelSet& labels,
                                                 const measure::ScoreSet& scores) {
  const Config config = opt.settings.load();
  rubric::Rubric rubric = configured_rubric(config);
  const auto& source = config.at("rubric").source;
  const std::string named =
      "rubric " + rubric.id + (source == "default" ? "" : " (setting rubric, " + source + ")");
  if (const auto others = dimensions_not_in(rubric, labels, scores); !others.empty()) {
    const bool some_known =
        std::any_of(labels.labels.begin(), labels.labels.end(),
                    [&](const labels::Label& l) { return rubric.find(l.dimension); }) ||
        std::any_of(scores.records.begin(), scores.records.end(),
                    [&](const measure::ScoreRecord& r) { return rubric.find(r.dimension); });
    // Every dimension it lacks at most two edits from one of its own (library_instalation, model_uze),
    // beside its other dimensions: these are its files, misspelt. Inferring the scale would leave every score
    // unchecked; instead the labels of its dimensions are checked as below, the misspelt ones' scores against
    // its scale. A dimension further off is another rubric's own (model_tuning, three from model_training).
    const bool all_misspelt = std::all_of(others.begin(), others.end(), [&](const std::string& d) {
      return std::any_of(rubric.dimensions.begin(), rubric.dimensions.end(),
                         [&](const auto& dim) { return util::edit_distance(d, dim.id) <= 2; });
    });
    std::string list;
    for (std::size_t i = 0; i < others.size() && i < 5; ++i) {
      list += (i ? ", " : "") + others[i];
      if (const std::string hint = rubric::did_you_mean_dimension(rubric, others[i]); !hint.empty())
        list += " (" + hint + ")";
    }
    if (others.size() > 5) list += ", ...";
    const std::string are = others.size() == 1 ? " is" : " are";
    if (some_known && all_misspelt) {
      // A label under a misspelt dimension that no score names measures nothing, and a gate on the rest would
      // pass: an error, as judge align's, naming its line and the dimension meant, with every other problem
      // of the labels. Where the scores name the same misspelt dimension (files of one run of an older
      // rubric) the pairs are measured: a warning, the other labels checked against the rubric and the
      // misspelt dimension's against its scale; so too a misspelling in the scores alone.
      std::set<std::string, std::less<>> scored;  // dimensions a score names (a scored record: N/A counts)
      for (const auto& r : scores.records)
        if (r.status == verdict::Status::scored || r.status == verdict::Status::not_applicable)
          scored.insert(r.dimension);
      // The error names the labels of the rubric's dimensions and of misspelt ones no score names, not
      // those of a misspelt dimension the scores name too (renamed, they would match no score).
      labels::LabelSet checked = labels;
      checked.labels.clear();
      for (const auto& l : labels.labels)
        if (rubric.find(l.dimension) || !scored.count(l.dimension)) checked.labels.push_back(l);
      const bool unmeasured = std::any_of(
          labels.labels.begin(), labels.labels.end(),
          [&](const labels::Label& l) { return !rubric.find(l.dimension) && !scored.count(l.dimension); });
      if (unmeasured) {
        try {
          labels::check_against_rubric(checked, {&rubric, {}});
        } catch (const Error& e) {
          throw Error(e.message() + "\n(the labels and scores name dimensions of " + named +
                          ", so they are checked against it: fix the labels, or give --rubric FILE with the "
                          "rubric they were scored on)",
                      e.code());
        }
      }
      std::cerr << "judge: warning: " << list << are << " not a dimension of " << named
                << " (misspelt? fix it, or give --rubric FILE with the rubric the files follow); the other "
                   "labels are checked against it, and every label and score against its scale\n";
      labels::LabelSet known = labels;
      known.labels.clear();
      util::Problems off(labels.source);
      for (const auto& l : labels.labels)
        if (rubric.find(l.dimension))
          known.labels.push_back(l);
        else if (l.score && std::none_of(rubric.scale.begin(), rubric.scale.end(),
                                         [&](const auto& point) { return point.score == *l.score; }))
          off.add(l.line, "score " + labels::format_score(*l.score) + " is not a point of the scale (" +
                              labels::format_score(rubric.min_score()) + ".." +
                              labels::format_score(rubric.max_score()) + " of " + named +
                              "; or give --rubric FILE with the rubric the labels follow)");
      try {
        labels::check_against_rubric(known, {&rubric, {}});
      } catch (const Error& e) {
        // The misspelt dimensions' problems too, so that one run names them all.
        throw Error(
            e.message() +
                (off.empty() ? "" : "\n" + off.message("and " + off.count() + " of misspelt dimensions:")) +
                "\n(the labels and scores name dimensions of " + named +
                ", so they are checked against it: fix the labels, or give --rubric FILE with the "
                "rubric they were scored on)",
            e.code());
      }
      off.throw_if_any("labels");
      return rubric;
    }
    if (some_known)
      std::cerr << "judge: warning: the scale is inferred: " << list << are << " not a dimension of " << named
                << ", so the scores are not checked against its scale (misspelt? --rubric FILE checks them "
                   "against a rubric)\n";
    return std::nullopt;
  }
  try {
    labels::check_against_rubric(labels, {&rubric, {}});  // the file is not read again: it may be a pipe
  } catch (const Error& e) {
    std::string message = e.message();
    message += "\n(the labels and scores name only dimensions of " + named +
               ", so they are checked against it: fix the labels, or give --rubric FILE with the rubric they "
               "were scored on)";
    throw Error(message, e.code());
  }
  return rubric;
}

int run_report(const ReportCliOptions& opt) {
  if (!opt.memory_given.empty())
    throw Error(
        "report takes no --memory: it compares scores with labels; judge eval NOTEBOOKS --memory " +
            opt.memory_given +
            " > aligned.jsonl writes the aligned judge's scores, then judge report --scores aligned.jsonl "
            "(on notebooks outside the memory's labels: README, \"Does memory help?\")",
        ExitCode::usage);
  std::vector<measure::Gate> gates;
  for (const auto& text : opt.fail_if) gates.push_back(measure::parse_gate(text));
  // With --rubric the labels are checked against it (dimension known, score on the scale), every problem
  // with its line; without it, against the default rubric when they name only its dimensions.
  std::optional<rubric::Rubric> rubric;
  if (!opt.rubric_file.empty()) rubric = rubric::load_rubric(opt.rubric_file);
  const labels::LabelSet labels = read_labels_warned(opt.labels_file, {rubric ? &*rubric : nullptr, {}});
  const measure::ScoreSet scores = read_score_files(opt.scores_files);
  if (!rubric) rubric = default_rubric_for(opt, labels, scores);
  const auto options = report_options(opt, rubric ? &*rubric : nullptr);
  const measure::Measurement report = measure::measure(labels, scores, options);
  const auto results = measure::evaluate_gates(report, gates);
  write_measurement(opt, report, results);
  for (const auto& line : measure::gate_lines(results)) std::cerr << "judge: " << line << "\n";
  const bool failed = std::any_of(results.begin(), results.end(), [](const auto& r) { return r.failed; });
  print_labels_without_score(report);
  warn_in_sample(scores);
  for (const auto& w : measure::thin_significance_warnings(report))
    std::cerr << "judge: warning: " << w << "\n";
  for (const auto& jr : report.judges)
    if (jr.unscored > 0)
      std::cerr << "judge: " << jr.unscored << " unscored records of judge " << jr.judge << " left out\n";
  return static_cast<int>(failed ? ExitCode::gate : ExitCode::ok);
}

}  // namespace

void setup_report(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<ReportCliOptions>();
  auto* cmd =
      app.add_subcommand("report", "Measure a judge's agreement with human labels (MAE, kappa, intervals)");
  cmd->add_option("--labels", opt->labels_file,
                  "Human labels: CSV or JSON Lines (item|notebook, dimension, score, ...)")
      ->required();
  cmd->add_option("--memory", opt->memory_given)->group("");  // refused, saying what to do (run_report)
  cmd->add_option(
         "--scores", opt->scores_files,
         "Judge scores: judge eval output, or CSV/JSON Lines with item, dimension, score[, judge]; "
         "repeat for several runs (two runs of one judge: judge eval --name) or for the parts of one run "
         "(judge eval --shard K/N)")
      ->required()
      ->take_all();
  cmd->add_option("--judge", opt->judge,
                  "Only this judge's scores (default: each judge in the file in turn)");
  cmd->add_option("--compare", opt->compare, "A second judge: paired bootstrap of the MAE difference");
  cmd->add_option(
      "--rubric", opt->rubric_file,
      "Rubric YAML file, or ml-notebook (built in), that the labels and scores are checked against "
      "and whose scale is used (default: setting rubric when the files name only its dimensions, "
      "else the integer range of the labels and judge scores)");
  cmd->add_option("--config", opt->settings.config_file,
                  "Configuration file whose setting rubric is the default rubric (default: ./judge.yaml when "
                  "present)");
  cmd->add_option("--raters", opt->raters, "How several labels combine: mean|median|majority|RATER_ID")
      ->capture_default_str();
  cmd->add_option("--bootstrap", opt->bootstrap, "Bootstrap resamples")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--confidence", opt->confidence, "Interval confidence level")
      ->capture_default_str()
      ->check(confidence_level());
  cmd->add_option("--seed", opt->seed, "Random seed (same seed, same intervals)")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_flag("--calibrate", opt->calibrate, "Cross-fitted isotonic calibration of the judge's scores");
  cmd->add_option("--calibration", opt->calibration,
                  "Calibration map: isotonic (least squares, block means) or isotonic-median (least absolute "
                  "deviations, block medians: the MAE-optimal map); implies --calibrate [isotonic]")
      ->check(one_of({"isotonic", "isotonic-median"}));
  cmd->add_option("--folds", opt->folds, "Folds for --calibrate")
      ->capture_default_str()
      ->check(CLI::Range(2, 100));
  cmd->add_option("--format", opt->format, report::format_list())
      ->capture_default_str()
      ->check(one_of(report::format_names()));
  cmd->add_option("-o,--output", opt->output, "Write the report to this file (atomically) instead of stdout");
  cmd->add_option("--fail-if", opt->fail_if,
                  "Gate METRIC[:DIMENSION] OP NUMBER, e.g. 'mae>0.35'; exits 3 when it holds (repeatable)");
  cmd->callback([&run, opt] { run = [opt] { return run_report(*opt); }; });
}

}  // namespace judge::cli
