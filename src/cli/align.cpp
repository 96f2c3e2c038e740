// SPDX-License-Identifier: MIT
// judge align: builds or updates aligned memory (guidelines + episodes) from human labels.
#include "judge/align/align.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "judge/align/validate.hpp"
#include "judge/cli/commands.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/cli/learnt.hpp"
#include "judge/labels/labels.hpp"
#include "judge/memory/calibration.hpp"
#include "judge/memory/fact_rule.hpp"
#include "judge/memory/memory.hpp"
#include "judge/memory/write_lock.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"

namespace judge::cli {

namespace {

// Whether two label-file paths name one file: "labels.csv" and "./labels.csv" do. The memory records its
// file absolute (a memory from before that, as typed: resolved from here, as well as can be); compared as
// written when either cannot be resolved.
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ea, eb;
  const auto ca = std::filesystem::weakly_canonical(a, ea), cb = std::filesystem::weakly_canonical(b, eb);
  return ea || eb ? a == b : ca == cb;
}

std::size_t learnt_rule_count(const memory::Memory& memory) {
  std::size_t n = 0;
  for (const auto& g : memory.all_guidelines()) n += g.source == "learnt";
  return n;
}

struct AlignCliOptions {
  std::string labels_file;
  std::string notebooks_dir;
  std::string memory_dir;
  SettingFlags settings;  // judge and embeddings (not given: the memory's), rubric, reflection, k, jobs, ...
  std::string raters;     // empty: the memory's, else mean
  bool calibrate = false;
  std::string calibration;  // empty: isotonic when --calibrate
  bool skip_missing_notebooks = false;
  bool prune = false;  // --prune: another labels file may remove or relabel most of the memory's episodes
};

// Aligning a memory on another labels file removes the episodes of labels that file lacks, relabels those
// whose labels it gives otherwise (another rater's scores: another standard), and refits what was learnt
// from them (a reflection model's guidelines cost calls to make again). When that is most of the memory
// (more than half its episodes: the wrong file, another team's labels, or a held-out part given for the
// whole), nothing runs and nothing is changed unless --prune says it is meant.
void refuse_replacing_most(const AlignCliOptions& opt, const memory::Memory& memory,
                           const labels::LabelSet& labels, const std::string& rater_policy) {
  const std::string previous = memory.provenance().labels_file;
  if (opt.prune || previous.empty() || same_file(previous, opt.labels_file) || memory.episodes().empty())
    return;
  const auto replaced = align::episodes_replaced(memory, labels, rater_policy);
  if ((replaced.removed + replaced.relabelled) * 2 <= memory.episodes().size()) return;
  std::string what;
  if (replaced.removed > 0)
    what = "remove " + std::to_string(replaced.removed) + " of its " +
           util::count_text(memory.episodes().size(), "episode") + " (their labels are not in that file)";
  if (replaced.relabelled > 0)
    what += (what.empty() ? "" : " and ") + std::string("relabel ") + std::to_string(replaced.relabelled) +
            (what.empty() ? " of its " + util::count_text(memory.episodes().size(), "episode") : "") +
            " (that file labels them otherwise)";
  throw Error("memory " + opt.memory_dir + " was aligned on " + previous + "; aligning it on " +
                  opt.labels_file + " would " + what +
                  " and refit what was learnt from them; nothing was changed. If the file is meant to "
                  "replace the old one, run again with --prune; to add labels, append them to one file and "
                  "align on it; to keep both, align another --memory folder",
              ExitCode::usage);
}

// A section of guidelines.yaml whose name is a misspelling of one of the rubric's dimensions (at most two
// edits, as judge report takes a misspelt dimension) holds guidelines no judge reads, and align would keep
// them there (a learnt rule among them as a person's) while it learnt the dimension's rules again without
// them: refused before anything changes, naming the section's line and the dimension meant. A name further
// off is another rubric's dimension (the memory was aligned for another rubric): its hand-written guidelines
// stay, as align keeps them, and eval warns of them. Exit 1, as for a rule off the rubric's scale.
void refuse_misspelt_guideline_dimensions(const memory::Memory& memory, const std::string& dir,
                                          const rubric::Rubric& rubric) {
  std::map<std::string, std::size_t> unknown;  // a section's name -> its guidelines
  for (const auto& g : memory.all_guidelines())
    if (!rubric.find(g.dimension)) ++unknown[g.dimension];
  const std::filesystem::path file = std::filesystem::path(dir) / "guidelines.yaml";
  std::string text;                     // guidelines.yaml, read once a misspelt section is found
  std::vector<std::string_view> lines;  // its lines
  std::vector<std::string> problems;
  for (const auto& [name, n] : unknown) {
    // A near miss as judge report takes one: at most two edits from a dimension (model_tuning, three from
    // model_training, is another rubric's own).
    const std::string& section = name;  // a structured binding is no lambda capture before C++20's P1091
    const bool misspelt = std::any_of(rubric.dimensions.begin(), rubric.dimensions.end(),
                                      [&](const auto& d) { return util::edit_distance(section, d.id) <= 2; });
    const std::string hint = rubric::did_you_mean_dimension(rubric, name);
    if (!misspelt || hint.empty()) continue;
    if (text.empty()) {
      text = util::read_file(file);
      lines = util::split_lines(text);
    }
    // The section's line: its key, quoted or not, before any comment ("  \"name\":  # typo").
    std::string at = file.string();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string_view key = util::trim(lines[i].substr(0, lines[i].find(" #")));
      if (key.empty() || key.back() != ':') continue;
      key = util::trim(key.substr(0, key.size() - 1));
      if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front())
        key = key.substr(1, key.size() - 2);
      if (key == name) {
        at += ":" + std::to_string(i + 1);
        break;
      }
    }
    problems.push_back(at + ": `" + name + "` is not a dimension of rubric " + rubric.id + ", so its " +
                       util::count_text(n, "guideline") + (n == 1 ? " is" : " are") + " not used; " + hint);
  }
  if (problems.empty()) return;
  std::string what = "memory " + dir + ": " + util::count_text(problems.size(), "section") +
                     " of guidelines.yaml under a misspelt dimension; nothing was changed:";
  for (const auto& p : problems) what += "\n  " + p;
  what += "\nRename the section to its dimension, then align again";
  throw Error(what);
}

// The memory to update: a new one, or the folder's; a folder left inconsistent by an interrupted save is
// repaired (its episodes and tombstones kept, every vector embedded again). An embeddings setting other than
// the memory's switches it (every episode is embedded again).
memory::Memory open_memory(const AlignCliOptions& opt, const Config& config) {
  const std::filesystem::path dir = opt.memory_dir;
  const std::string spec = config.get("embeddings");
  const llm::ProviderSettings settings = provider_settings(config, "embeddings_base_url");
  memory::Memory memory = std::filesystem::exists(dir / "memory.json")
                              ? memory::Memory::load(dir, memory::Recovery::drop_vectors, settings)
                              : memory::Memory(spec.empty() ? "hashed-tfidf" : spec, settings);
  if (memory.recovered())
    std::cerr << "judge: warning: memory " << opt.memory_dir << ": " << memory.recovery_reason()
              << "; repairing it (every notebook judged and every episode embedded again)\n";
  if (!spec.empty() && spec != memory.embedder().spec())
    memory.set_embedder(memory::make_embedder(spec, settings));
  return memory;
}

// The judge to align for: the setting judge when it was given (flag, environment, judge.yaml), else the
// judge the memory records (as -k, --raters and --embeddings keep the memory's), else the default.
std::string judge_spec(const Config& config, const memory::Memory& memory) {
  const std::string& recorded = memory.provenance().judge;
  return config.at("judge").source == "default" && !recorded.empty() ? recorded : config.get("judge");
}

void print_summary(const AlignCliOptions& opt, const memory::Memory& memory, const scoring::Judge& judge,
                   const rubric::Rubric& rubric, const align::AlignSummary& s) {
  for (const auto& w : s.warnings) std::cerr << "judge: warning: " << w << "\n";
  for (const auto& e : s.hand_edits)
    std::cerr << "judge: warning: " << rule_problem_text(opt.memory_dir, e) << "\n";
  // The saved memory's rules as judge eval will check them (a manual rule testing a misspelt fact never
  // applies; one giving a score off the scale makes eval refuse the memory), for a judge that applies them.
  if (judge.learns_fact_rules()) {
    const auto check = scoring::check_fact_rules(memory, rubric);
    for (const auto& w : check.warnings)
      std::cerr << "judge: warning: " << rule_problem_text(opt.memory_dir, w) << "\n";
    for (const auto& e : check.errors)
      std::cerr << "judge: warning: " << rule_problem_text(opt.memory_dir, e)
                << "; judge eval refuses the memory until it is fixed\n";
  }
  if (s.verdicts_unscored > 0)
    std::cerr
        << "judge: warning: " << memory.provenance().judge << " gave no usable score for "
        << s.verdicts_unscored << " of " << s.verdicts_made
        << " (notebook, dimension) verdicts; their episodes have no judge score (judge_status unscored in "
           "episodes.jsonl), so blending and calibration learn from fewer episodes\n";
  std::cout << "memory " << opt.memory_dir << ": " << util::count_text(memory.episodes().size(), "episode")
            << " (" << s.episodes_added << " added, " << s.episodes_changed << " changed, "
            << s.episodes_unchanged << " unchanged, " << s.episodes_removed << " removed); "
            << util::count_text(memory.all_guidelines().size(), "guideline") << " (was "
            << s.guidelines_before << "); " << util::count_text(s.notebooks_judged, "notebook")
            << " judged by " << memory.provenance().judge << "; "
            << util::count_text(s.reflection_calls, "reflection call");
  if (s.reflection_failed > 0) std::cout << " (" << s.reflection_failed << " failed)";
  std::cout << "; rater policy " << memory.provenance().rater_policy;
  if (s.labels_forgotten > 0)
    std::cout << "; skipped " << util::count_text(s.labels_forgotten, "forgotten label")
              << " (judge memory unforget re-admits them)";
  std::cout << "\n";
  print_learnt(memory, s);  // a judge that learns rules: what each dimension learnt, and warnings of it
}

// Notebooks named, the first `k_named` of them, then "... and N more".
std::string few_names(const std::vector<std::string>& names) {
  constexpr std::size_t k_named = 3;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < k_named; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > k_named) out += " ... and " + std::to_string(names.size() - k_named) + " more";
  return out;
}

// Episodes kept with another judge's verdict (their notebooks were not judged this run): what is left out of
// fitting, and how to have them judged again.
void warn_other_judges(const align::AlignSummary& s, const std::string& judge) {
  if (s.episodes_other_judge == 0) return;
  std::string judges;
  for (const auto& j : s.other_judges) judges += (judges.empty() ? "" : ", ") + j;
  const auto& notebooks = s.notebooks_other_judge;
  const bool one = notebooks.size() == 1;
  std::cerr << "judge: warning: " << util::count_text(s.episodes_other_judge, "episode") << " of "
            << (one ? notebooks.front()
                    : util::count_text(notebooks.size(), "notebook") + " (" + few_names(notebooks) + ")")
            << (s.episodes_other_judge == 1 ? " keeps the verdict of " : " keep the verdicts of ")
            << (s.other_judges.size() == 1 ? "judge " : "judges ") << judges << ", not " << judge
            << (one ? ": the notebook was" : ": the notebooks were") << " not judged this run. "
            << (s.episodes_other_judge == 1 ? "Its label and feedback stay, but it is"
                                            : "Their labels and feedback stay, but they are")
            << " left out of learnt rules, blend weights, calibration and contrast examples until "
            << (one ? "the notebook is judged again: put it" : "the notebooks are judged again: put them")
            << " back under --notebooks (or make " << (one ? "it" : "them")
            << " readable) and run judge align again\n";
}

// --calibrate: the isotonic map per dimension from the judge's own scores at alignment to the human ones,
// saved beside the memory (calibration.json); judge eval --memory applies it.
void save_calibration(const std::string& dir, const memory::Memory& memory, stats::IsotonicLoss loss) {
  const auto calibration = memory::fit_calibration(memory, loss);
  memory::save_calibration(dir, calibration);
  std::cout << "calibration: " << stats::isotonic_method_name(loss) << " map for " << calibration.maps.size()
            << " dimensions saved in " << (std::filesystem::path(dir) / "calibration.json").string() << "\n";
}

// Without --calibrate: a calibration.json already in the folder is kept in step with the memory just saved,
// fitted again with the map it records (as judge memory forget does), so it never describes another save.
void refit_calibration(const std::string& dir, const memory::Memory& memory,
                       const std::optional<memory::Calibration>& old) {
  if (!old) return;
  const auto fitted = memory::refit_calibration(dir, memory, old);
  if (fitted)
    std::cout << "calibration: " << stats::isotonic_method_name(old->loss) << " map refitted for "
              << fitted->maps.size() << " dimensions in "
              << (std::filesystem::path(dir) / "calibration.json").string() << "\n";
  else
    std::cout << "calibration: " << (std::filesystem::path(dir) / "calibration.json").string()
              << " removed (no episode with both a judge and a human score)\n";
}

int run_align(const AlignCliOptions& opt) {
  const Config config = opt.settings.load();
  const rubric::Rubric rubric = configured_rubric(config);
  const labels::LabelSet labels =
      read_labels_warned(opt.labels_file, {&rubric, opt.notebooks_dir, opt.skip_missing_notebooks, true});
  if (labels.labels.empty()) throw Error("no labels in " + opt.labels_file);
  // Held to the end: another writer of the folder waits, then loads what this run saved.
  const memory::WriteLock lock = lock_memory(opt.memory_dir, true);
  memory::Memory memory = open_memory(opt, config);
  refuse_misspelt_guideline_dimensions(memory, opt.memory_dir, rubric);
  const auto old_calibration = memory::load_calibration(opt.memory_dir);  // a bad file fails before any call
  const auto usage = std::make_shared<llm::UsageMeter>();
  auto judge = scoring::make_judge(judge_spec(config, memory), judge_settings(config, usage));
  // A rule a person edited off the scale would be kept (as manual) and fitted through: refused as eval does,
  // before anything is judged or saved. Its other problems are said after the save (print_summary).
  if (judge->learns_fact_rules())
    refuse_rules_off_the_rubric(scoring::check_fact_rules(memory, rubric), opt.memory_dir, rubric);
  warn_cannot_score(*judge, rubric);
  const auto reflection_usage = std::make_shared<llm::UsageMeter>();
  const auto reflection = make_reflection(config, reflection_usage);
  align::AlignOptions ao;
  ao.rubric = &rubric;
  ao.notebooks_dir = opt.notebooks_dir;
  ao.rater_policy = !opt.raters.empty() ? opt.raters : memory.provenance().rater_policy;
  ao.judge = judge.get();
  ao.reflection = reflection.get();
  ao.k = k_or_recorded(config, memory.provenance().k);
  ao.parallel = jobs(config);
  // Recorded absolute, so that the next align, run from any folder, can tell this file from another.
  {
    std::error_code ec;
    const auto absolute = std::filesystem::weakly_canonical(opt.labels_file, ec);
    ao.labels_file = ec ? opt.labels_file : absolute.string();
  }
  refuse_replacing_most(opt, memory, labels, ao.rater_policy);
  const std::string previous_labels = memory.provenance().labels_file;
  const std::string previous_raters = memory.provenance().rater_policy;
  const std::size_t rules_before = learnt_rule_count(memory);
  const auto summary = align::align(memory, labels, ao);
  memory.save(opt.memory_dir);
  if (!labels.skipped.empty())
    std::cerr << "judge: warning: " << skipped_notebooks_text(labels, opt.notebooks_dir) << "; memory keeps "
              << (summary.episodes_skipped_kept
                      ? "the " + util::count_text(summary.episodes_skipped_kept, "episode") +
                            " it had of them"
                      : std::string("no episode of them (it had none)"))
              << "\n";
  warn_other_judges(summary, judge->spec());
  // Another label file, or other raters, can be another standard: what memory learnt from the old one is
  // replaced, which a user who meant to add labels (or typed the wrong file) must hear of.
  const bool other_file = !previous_labels.empty() && !same_file(previous_labels, opt.labels_file);
  const bool other_raters = !previous_raters.empty() && previous_raters != ao.rater_policy;
  if ((other_file || other_raters) && summary.episodes_relabelled > 0) {
    std::string was = previous_labels + " (raters: " + previous_raters + ")";
    std::string now = opt.labels_file;
    now += " (raters: ";
    now += ao.rater_policy;
    now += ")";
    const std::size_t rules_after = learnt_rule_count(memory);
    std::cerr << "judge: warning: memory " << opt.memory_dir << " was aligned on " << was
              << "; aligning it on " << now << " changed the label of "
              << util::count_text(summary.episodes_relabelled, "episode")
              << ", and its learnt rules are fitted from the new labels (" << rules_before << " before, "
              << rules_after
              << " now). To keep what it learnt, align a copy or another --memory folder on the new labels\n";
  }
  // A memory holds one label file's labels: aligning on another drops the episodes of labels it lacks.
  if (summary.episodes_removed > 0 && other_file)
    std::cerr << "judge: warning: memory " << opt.memory_dir << " was aligned on " << previous_labels
              << "; aligning it on " << opt.labels_file << " removed the "
              << util::count_text(summary.episodes_removed, "episode")
              << " of labels that file lacks. To add labels, append them to one file (or concatenate the "
                 "files) and align on it\n";
  if (opt.calibrate || !opt.calibration.empty())
    save_calibration(
        opt.memory_dir, memory,
        opt.calibration.empty() ? stats::IsotonicLoss::squared : stats::parse_isotonic_loss(opt.calibration));
  else
    refit_calibration(opt.memory_dir, memory, old_calibration);
  print_summary(opt, memory, *judge, rubric, summary);
  print_totals(judge->spec(), *usage, config);
  print_totals(config.get("reflection"), *reflection_usage, config, "reflection");
  // As judge eval exits 4 on an unreadable notebook or an unscored verdict (warned above): the memory is
  // saved, but a script must not take it for one aligned on every label.
  if (summary.notebooks_unreadable > 0)
    std::cerr
        << "judge: " << summary.notebooks_unreadable
        << " labelled notebook(s) could not be read (warnings above); memory keeps what it had for them. "
           "Fix or remove them and run judge align again\n";
  return static_cast<int>(
      summary.notebooks_unreadable > 0 || summary.verdicts_unscored > 0 ? ExitCode::unscored : ExitCode::ok);
}

}  // namespace

void setup_align(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<AlignCliOptions>();
  auto* cmd = app.add_subcommand(
      "align", "Build or update aligned memory (guidelines + labelled episodes) from human labels");
  cmd->add_option("--labels", opt->labels_file, "Labels file (CSV or JSON Lines, long format)")->required();
  cmd->add_option("--notebooks", opt->notebooks_dir, "Folder the labels' notebook paths are relative to")
      ->required();
  cmd->add_flag("--skip-missing-notebooks", opt->skip_missing_notebooks,
                "Go on without the labelled notebooks not found under --notebooks (one warning counts them; "
                "memory keeps the episodes it has of them)");
  cmd->add_option("--memory", opt->memory_dir, "Memory folder (created or updated; see docs/memory.md)")
      ->required();
  cmd->add_flag("--prune", opt->prune,
                "Align on another labels file even when that removes or relabels most of the memory's "
                "episodes (the labels the file lacks or gives otherwise)");
  cmd->add_option("--raters", opt->raters,
                  "Several raters: mean|median|majority|RATER_ID (recorded; default mean)");
  add_judge_options(*cmd, opt->settings,
                    "Episodes retrieved per item at eval time (recorded; default: the memory's, else 5)");
  cmd->add_flag("--calibrate", opt->calibrate,
                "Also fit an isotonic map judge score -> human score per dimension (calibration.json; eval "
                "applies it)");
  cmd->add_option(
         "--calibration", opt->calibration,
         "Calibration map: isotonic (block means) or isotonic-median (block medians, the MAE-optimal "
         "map; the labels' values, but for a block of an even count, which takes the midpoint of its two "
         "middle values: 2.5); implies --calibrate")
      ->check(one_of({"isotonic", "isotonic-median"}));
  cmd->callback([&run, opt] { run = [opt] { return run_align(*opt); }; });
}

}  // namespace judge::cli
