// SPDX-License-Identifier: MIT
// judge eval PATH... [--paths-from FILE] [--shard K/N]: scores every notebook under the paths (or part K of N
// of them, docs/scale.md) on a rubric's dimensions.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "judge/align/align.hpp"
#include "judge/cli/commands.hpp"
#include "judge/cli/eval_output.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/cli/selection.hpp"
#include "judge/labels/labels.hpp"
#include "judge/memory/calibration.hpp"
#include "judge/memory/memory.hpp"
#include "judge/notebook/formats.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/parallel.hpp"
#include "judge/util/paths.hpp"
#include "judge/util/reorder.hpp"
#include "judge/util/shard.hpp"
#include "judge/util/text.hpp"
#include "judge/verdict/record.hpp"

namespace judge::cli {

namespace {

struct EvalOptions {
  std::vector<std::string> paths;
  std::string dimensions;
  std::string format;  // empty: table on a terminal, jsonl otherwise
  std::string output;
  bool dry_run = false;
  SettingFlags settings;               // settings given as flags, --config (judge_setup.hpp)
  std::string memory_dir;              // aligned memory (judge align); empty: none
  std::string name;                    // the records' judge name; empty: the judge spec
  bool calibration_any_judge = false;  // apply calibration.json even when fitted for another judge
  std::string paths_from;              // a file of notebook paths, one a line ("-": stdin); empty: none
  std::optional<std::string> shard;    // "K/N": only part K of N (util::shard_of); nullopt: every notebook
};

// Reply length assumed by --dry-run, in tokens per dimension scored by a call.
constexpr long k_estimated_output_tokens = 150;

// Why the file `path` named on the command line is a list of notebook paths that --paths-from takes rather
// than a notebook: "" when it is a notebook (notebook::detect_format of its first 64 KiB), else when its
// first lines (up to 20 not blank) all look like paths, "a list of paths (the first: a.ipynb)", else when it
// is a `.txt` or `.lst` file, "a .txt file"; else "" (it stays an unreadable notebook, as before).
// A line looks like a path when it exists (relative to the working folder, as --paths-from reads it) or
// names a notebook by its extension alone (`.ipynb`, `.dbc`).
std::string path_list_reason(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (notebook::detect_format(path, head)) return "";
  std::vector<std::string_view> lines;
  for (const auto line : util::split_lines(head))
    if (!util::trim(line).empty() && lines.size() < 20) lines.push_back(line);
  const auto looks_like_path = [](std::string_view line) {
    std::error_code ec;
    return line.find('\0') == std::string_view::npos &&
           (std::filesystem::exists(line, ec) || notebook::detect_format(line, "") != nullptr);
  };
  if (!lines.empty() && std::all_of(lines.begin(), lines.end(), looks_like_path)) {
    std::string reason = "a list of paths (the first: ";
    reason += lines.front();
    reason += ')';
    return reason;
  }
  const std::string ext = util::to_lower(path.extension().string());
  if (ext == ".txt" || ext == ".lst") return "a " + ext + " file";
  return "";
}

// A path named on the command line must exist (a typo is not "no notebooks"), and a file listing notebook
// paths is for --paths-from, not a notebook (path_list_reason); checked before any work.
void check_paths(const std::vector<std::string>& paths) {
  std::error_code ec;
  for (const auto& p : paths) {
    if (!std::filesystem::exists(p, ec)) throw Error(p + ": no such file or folder", ExitCode::usage);
    if (!std::filesystem::is_regular_file(p, ec)) continue;
    const std::string reason = path_list_reason(p);
    if (reason.empty()) continue;
    // A list read as one says so; a .txt/.lst file may be anything else (a script, notes), so it only may be.
    std::string message = p;
    if (reason.starts_with("a list")) {
      message += ": not a notebook but ";
      message += reason;
      message +=
          "; to score the notebooks a file lists, one path a line, give it as --paths-from: judge eval "
          "--paths-from ";
    } else {
      message += ": not a notebook (";
      message += reason;
      message +=
          " that reads as none); if it lists notebook paths, one a line, give it as --paths-from: judge "
          "eval --paths-from ";
    }
    message += p;
    throw Error(message, ExitCode::usage);
  }
}

// What the paths hold: the notebooks read, and the files (or archive members) that could not be read, which
// the run records as `unreadable` rather than leaving out.
struct Notebooks {
  std::vector<notebook::Notebook> read;
  std::vector<notebook::ReadError> unreadable;
};

// The notebooks under `paths` in order, each once: a file named twice (or named and inside a folder named)
// is kept where it comes first, compared by canonical path (util::canonical_notebook_path); the same for
// unreadable files. Of those, only the ones `filter` keeps (--shard), dropped as each path is read. Each
// unreadable file kept is a warning on stderr too. Throws judge::Error when the paths hold no notebook file
// at all (a shard that holds none of them is not an error).
Notebooks read_notebooks(const std::vector<std::string>& paths, NotebookFilter& filter) {
  Notebooks all;
  std::set<std::string> seen;
  auto first_time = [&seen](const std::string& path) {
    return seen.insert(util::canonical_notebook_path(path)).second;  // same notebook: same canonical path
  };
  for (const auto& p : paths) {
    auto result = notebook::read_path(p);
    for (auto& nb : result.notebooks)
      if (first_time(nb.path) && filter.keep(nb.path)) all.read.push_back(std::move(nb));
    for (auto& e : result.errors) {
      if (!first_time(e.path) || !filter.keep(e.path)) continue;
      std::cerr << "judge: warning: cannot read " << e.message() << " (recorded as unreadable)\n";
      all.unreadable.push_back(std::move(e));
    }
  }
  if (filter.seen() == 0)
    throw Error("no notebooks found under the given paths (see README: which files are notebooks)");
  filter.report();
  return all;
}

// One `unreadable` record per dimension of `rubric` for each file that could not be read, the reason as
// its error, so that the notebook counts in the run (and in judge report) instead of vanishing.
std::vector<verdict::EvalRecord> unreadable_records(const std::vector<notebook::ReadError>& unreadable,
                                                    const rubric::Rubric& rubric, const std::string& judge) {
  std::vector<verdict::EvalRecord> out;
  for (const auto& e : unreadable)
    for (const auto& d : rubric.dimensions) {
      verdict::Verdict v;
      v.dimension = d.id;
      v.status = verdict::Status::unreadable;
      v.error = e.reason;
      out.push_back({e.path, judge, std::move(v)});
    }
  return out;
}

// The units of work: with an LLM judge, each (notebook, dimension), or each notebook with batch_dimensions;
// the heuristic judge takes a notebook at a time. Each unit scores `nb` on `rubric` (a one-dimension copy of
// the rubric for a per-dimension unit; the copy keeps the rubric's hash for provenance).
struct WorkItem {
  const notebook::Notebook* nb;
  const rubric::Rubric* rubric;
  std::string hash;  // sha256 of the notebook's file (scoring::MemoryUse::notebook_hash); empty: not needed
  bool labelled_in_memory = false;  // the memory holds this notebook's own labels (in_memory)
};

std::vector<WorkItem> plan_work(const std::vector<notebook::Notebook>& notebooks,
                                const rubric::Rubric& rubric,
                                const std::vector<rubric::Rubric>& per_dimension,
                                const std::vector<std::string>& hashes, const std::vector<bool>& in_memory) {
  std::vector<WorkItem> items;
  for (std::size_t i = 0; i < notebooks.size(); ++i) {
    if (per_dimension.empty()) items.push_back({&notebooks[i], &rubric, hashes[i], in_memory[i]});
    for (const auto& r : per_dimension) items.push_back({&notebooks[i], &r, hashes[i], in_memory[i]});
  }
  return items;
}

// The sha256 of each notebook's file (a .dbc archive for the notebooks inside it, read once), as align
// records it in Episode::notebook_hash, so that memory can leave a notebook's own episodes out; all empty
// when `needed` is false (no memory, or own episodes allowed).
std::vector<std::string> file_hashes(const std::vector<notebook::Notebook>& notebooks, bool needed) {
  std::vector<std::string> out(notebooks.size());
  if (!needed) return out;
  std::map<std::string, std::string> by_file;
  for (std::size_t i = 0; i < notebooks.size(); ++i) {
    const std::string file = notebooks[i].path.substr(0, notebooks[i].path.find("!/"));
    auto it = by_file.find(file);
    if (it == by_file.end()) it = by_file.emplace(file, util::sha256_hex(util::read_file(file))).first;
    out[i] = it->second;
  }
  return out;
}

// The context of one work item: `context` with the item's file hash.
scoring::MemoryUse item_context(const scoring::MemoryUse& context, const WorkItem& item) {
  scoring::MemoryUse c = context;
  c.notebook_hash = item.hash;
  return c;
}

std::vector<rubric::Rubric> split_dimensions(const rubric::Rubric& rubric, bool split) {
  std::vector<rubric::Rubric> out;
  if (!split) return out;
  for (const auto& d : rubric.dimensions) out.push_back(rubric::select_dimensions(rubric, d.id));
  return out;
}

// Why a pool: judging is I/O bound (each call waits on a server), so `threads` threads (setting jobs) each
// take the next item and block on its call, keeping that many requests in flight (util::parallel_for).
// Why a reorder buffer: items finish in any order, but the output keeps the items' order; each item's records
// go to `sink` as soon as it and every item before it are done, so a long run shows results at once and holds
// only the items finished ahead of an unfinished one (util::ReorderBuffer). The first exception (auth or
// config failure) stops the other threads from taking new items and is rethrown here.
void score_all(scoring::Judge& judge, const std::vector<WorkItem>& items, std::size_t threads,
               const scoring::MemoryUse& context, const std::function<void(verdict::EvalRecord)>& sink,
               const std::function<void()>& flush) {
  std::atomic<std::size_t> done{0};
  std::mutex mutex;
  const bool progress = stderr_is_terminal() && items.size() > 3;
  util::ReorderBuffer<std::vector<verdict::Verdict>> in_order(
      [&](std::size_t i, std::vector<verdict::Verdict>&& verdicts) {
        for (auto& v : verdicts) sink({items[i].nb->path, judge.spec(), std::move(v)});
        flush();
      });
  try {
    util::parallel_for(items.size(), threads, [&](std::size_t i) {
      auto verdicts = judge.score(*items[i].nb, *items[i].rubric, item_context(context, items[i]));
      // Said on the record too (warn_in_sample says it once on stderr), so judge report can tell.
      if (items[i].labelled_in_memory)
        for (auto& v : verdicts) v.extra["labelled_in_memory"] = true;
      in_order.put(i, std::move(verdicts));
      const std::size_t n = ++done;
      if (progress) {
        std::lock_guard lock(mutex);
        std::cerr << "\r[" << n << "/" << items.size() << "] " << items[i].nb->path << "\x1b[K" << std::flush;
      }
    });
  } catch (...) {
    if (progress) std::cerr << "\r\x1b[K";  // the error message starts on a clean line
    throw;
  }
  if (progress) std::cerr << "\r\x1b[K";
}

// The memory_budget setting as the dry run reports it.
std::string memory_budget(const Config& config) {
  const long budget = config.get_whole("memory_budget");
  return budget == 0 ? "none" : std::to_string(budget) + " tokens per call";
}

// --dry-run: what the run would send, without sending it (stdout: one line per notebook, then the totals).
// With --output FILE, every request is also written there as JSON Lines (docs/cache.md, "Dry run").
int print_plan(scoring::Judge& judge, const std::vector<WorkItem>& items, const scoring::MemoryUse& context,
               const Config& config, const std::string& requests_file) {
  std::string requests_jsonl;
  std::map<std::string, std::pair<long, long>> per_notebook;  // path -> calls, input tokens
  long calls = 0, input = 0, output = 0, memory = 0;
  for (const auto& item : items) {
    for (const auto& [request, memory_tokens] :
         judge.plan(*item.nb, *item.rubric, item_context(context, item))) {
      memory += static_cast<long>(memory_tokens);
      long tokens = 0;
      for (const auto& m : request.messages) tokens += static_cast<long>(prompt::estimate_tokens(m.content));
      ++calls;
      input += tokens;
      output += k_estimated_output_tokens * static_cast<long>(item.rubric->dimensions.size());
      per_notebook[item.nb->path].first += 1;
      per_notebook[item.nb->path].second += tokens;
      if (requests_file.empty()) continue;
      nlohmann::ordered_json j;
      j["notebook"] = item.nb->path;
      j["dimensions"] = nlohmann::ordered_json::array();
      for (const auto& d : item.rubric->dimensions) j["dimensions"].push_back(d.id);
      j["messages"] = nlohmann::ordered_json::array();
      for (const auto& m : request.messages)
        j["messages"].push_back({{"role", m.role}, {"content", m.content}});
      j["temperature"] = request.temperature;
      j["max_tokens"] = request.max_tokens;
      j["seed"] = request.seed;
      j["response_schema"] = request.response_schema ? *request.response_schema : nlohmann::json(nullptr);
      requests_jsonl += j.dump() + "\n";
    }
  }
  for (const auto& [path, v] : per_notebook)
    std::cout << path << ": " << v.first << " calls, ~" << v.second << " input tokens\n";
  std::cout << "dry run: " << calls << " calls to " << judge.spec() << " (none made; cache not consulted)\n"
            << "estimated input tokens: " << input << " (prompt bytes / 4)\n"
            << "estimated output tokens: " << output << " (" << k_estimated_output_tokens
            << " per dimension per call; re-asks not counted)\n"
            << "estimated " << cost_text(config, judge.spec(), input, output) << "\n";
  if (context.memory)  // part of the input tokens above
    std::cout << "memory section: ~" << (calls > 0 ? (memory + calls / 2) / calls : 0)
              << " tokens per call on average, " << memory << " in all (budget " << memory_budget(config)
              << ")\n";
  if (!requests_file.empty())
    util::write_file_atomic(requests_file, requests_jsonl, util::MissingFolders::refuse);
  return static_cast<int>(ExitCode::ok);
}

// The output of the run: --format, else a table on a terminal and JSON Lines otherwise; to --output or
// stdout.
EvalOutput open_output(const EvalOptions& opt, const rubric::Rubric& rubric) {
  std::vector<std::string> dims;
  for (const auto& d : rubric.dimensions) dims.push_back(d.id);
  const std::string format =
      !opt.format.empty() ? opt.format : (opt.output.empty() && stdout_is_terminal() ? "table" : "jsonl");
  return EvalOutput(opt.output, format, std::move(dims), !opt.memory_dir.empty());
}

// One line on stderr naming the notebooks whose records carry injection_cells (scoring::flag_injection), so
// that a run written as JSON to a file still says so on the terminal.
void warn_flagged(const std::vector<verdict::EvalRecord>& records) {
  std::size_t count = 0;
  const std::string list = verdict::flagged_notebooks(records, &count);
  if (count > 0)
    std::cerr << "judge: warning: " << count << " notebook" << (count > 1 ? "s" : "")
              << " flagged for prompt injection (their records carry \"flags\"; check their scores): " << list
              << "\n";
}

// The run's summary on stderr and its exit code: 4 (ExitCode::unscored) when any item is unscored or any
// notebook unreadable (`unreadable` notebooks, their items among the records `tally` counts), else 0.
int exit_code(const EvalOutput::Tally& tally, std::size_t unreadable) {
  if (tally.unscored == 0 && unreadable == 0) return static_cast<int>(ExitCode::ok);
  std::cerr << "judge: " << tally.unscored << " of " << tally.records << " items unscored";
  if (unreadable > 0)
    std::cerr << ", " << tally.unreadable << " unreadable (" << unreadable << " notebook"
              << (unreadable == 1 ? "" : "s") << " could not be read)";
  std::cerr << "\n";
  return static_cast<int>(ExitCode::unscored);
}

// The aligned memory in `dir` (none when empty); a warning when it was aligned for another rubric, or for
// this one before it changed, or for another judge than `judge` (its episodes hold that judge's verdicts).
// Without a memory, a k given as a flag does nothing: a warning says so.
std::optional<memory::Memory> load_memory(const std::string& dir, const Config& config,
                                          const rubric::Rubric& rubric, const std::string& judge) {
  if (dir.empty()) {
    if (const auto& k = config.at("k"); k.source.rfind("flag", 0) == 0)
      std::cerr << "judge: warning: " << k.source.substr(5)
                << " does nothing without --memory (it is the number of episodes retrieved from one)\n";
    return std::nullopt;
  }
  auto memory =
      memory::Memory::load(dir, memory::Recovery::refuse, provider_settings(config, "embeddings_base_url"));
  const auto& p = memory.provenance();
  if (p.rubric_id != rubric.id)
    std::cerr << "judge: warning: memory " << dir << " was aligned for rubric " << p.rubric_id
              << ", but this run uses rubric " << rubric.id
              << "; its guidelines and episodes may not apply\n";
  else if (!p.rubric_hash.empty() && p.rubric_hash != rubric.hash)
    std::cerr << "judge: warning: memory " << dir << " was aligned for rubric " << p.rubric_id
              << " as it was before it changed; re-run judge align to follow the change\n";
  if (!p.judge.empty() && p.judge != judge)
    std::cerr << "judge: warning: memory " << dir << " was aligned for judge " << p.judge
              << ", but this run uses judge " << judge << "; its episodes record " << p.judge
              << "'s verdicts (re-run judge align --judge " << judge << " to align it for this judge)\n";
  return memory;
}

// The memory's rules for the offline judge (refuse_rules_off_the_rubric): a test on an unknown fact is a
// warning (the rule never applies); an action off the rubric's scale stops the run before anything is judged.
void check_rules(const memory::Memory& memory, const std::string& dir, const rubric::Rubric& rubric) {
  const auto check = scoring::check_fact_rules(memory, rubric);
  for (const auto& w : check.warnings) std::cerr << "judge: warning: " << rule_problem_text(dir, w) << "\n";
  refuse_rules_off_the_rubric(check, dir, rubric);
  // As judge align warned (once the rules are known to fit the scale): rules that give every labelled
  // notebook one score tell notebooks apart no more.
  for (const auto& [d, one] : align::rules_giving_one_score(memory)) {
    std::cerr << "judge: warning: memory " << dir << ": " << d << ": its rules give every labelled notebook "
              << "the judge scores a " << labels::format_score(one.score) << ", while the labels give "
              << align::label_counts_text(one) << ": on this dimension the judge "
              << (align::follows_majority(one) ? "follows the labels' majority and " : "")
              << "tells notebooks apart no more (judge memory show)\n";
  }
}

// -k (or k from the environment or judge.yaml) wins over the k recorded at alignment; the default does not.
// A notebook's own episodes are left out unless the setting own_episodes is true.
scoring::MemoryUse memory_context(const std::optional<memory::Memory>& memory, const Config& config) {
  scoring::MemoryUse context;
  context.memory = memory ? &*memory : nullptr;
  context.own_episodes = config.get_bool("own_episodes");
  context.top_k = memory ? k_or_recorded(config, memory->provenance().k) : configured_k(config);
  return context;
}

// The calibration saved with the memory (judge align --calibrate), to apply to every scored verdict; each
// calibrated record keeps its raw score in "calibrated". A calibration fitted for another judge's scores is
// skipped with a warning unless `any_judge` (one without a recorded judge is applied). nullopt: none to
// apply.
std::optional<memory::Calibration> load_calibration(const std::string& memory_dir, const std::string& judge,
                                                    bool any_judge) {
  if (memory_dir.empty()) return std::nullopt;
  auto calibration = memory::load_calibration(memory_dir);
  if (!calibration) return std::nullopt;
  if (!calibration->judge.empty() && calibration->judge != judge) {
    std::cerr << "judge: warning: " << (std::filesystem::path(memory_dir) / "calibration.json").string()
              << " maps judge " << calibration->judge << "'s scores, but this run uses judge " << judge;
    if (!any_judge) {
      std::cerr << "; calibration skipped (--calibration-any-judge applies it anyway)\n";
      return std::nullopt;
    }
    std::cerr << "; applied anyway (--calibration-any-judge)\n";
  }
  return calibration;
}

// What happens to each record on its way out: the calibration (when there is one), the --name and the
// --shard.
std::function<void(verdict::EvalRecord)> finishing(const std::optional<memory::Calibration>& calibration,
                                                   const std::string& name,
                                                   const std::optional<util::Shard>& shard,
                                                   EvalOutput& output) {
  return [&calibration, name, &shard, &output](verdict::EvalRecord r) {
    if (calibration) {
      std::vector<verdict::Verdict> one{std::move(r.verdict)};
      scoring::apply_calibration(*calibration, one);
      r.verdict = std::move(one.front());
    }
    if (!name.empty()) r.judge = name;
    if (shard) record_shard(*shard, r);
    output.add(std::move(r));
  };
}

// The judge name the records carry: --name, else with --memory the judge spec and "+memory"
// ("heuristic+memory", as judge label names the heuristic judge with memory), so that a run with memory and
// one without are two judges to judge report --compare; else "" (the spec, as the judge writes it).
std::string record_name(const std::string& given, const scoring::Judge& judge, bool with_memory) {
  if (!given.empty() || !with_memory) return given;
  return judge.spec() + "+memory";
}

// The paths named on the command line, then those of --paths-from; each must exist.
std::vector<std::string> notebook_paths(const EvalOptions& opt) {
  check_paths(opt.paths);
  std::vector<std::string> paths = opt.paths;
  if (!opt.paths_from.empty())
    for (auto& p : read_path_list(opt.paths_from)) paths.push_back(std::move(p));
  if (paths.empty())
    throw Error(opt.paths_from.empty() ? "no notebook paths: name files or folders, or --paths-from FILE"
                                       : "no notebook paths in --paths-from " + opt.paths_from,
                ExitCode::usage);
  return paths;
}

// The notebooks of this process: all those under the paths, or those of --shard K/N.
Notebooks select_notebooks(const EvalOptions& opt, const std::optional<util::Shard>& shard) {
  NotebookFilter filter(shard);
  return read_notebooks(notebook_paths(opt), filter);
}

// Per notebook, whether the memory holds its own labels (scoring::labelled_in_memory): all false without one.
std::vector<bool> in_memory(const std::vector<notebook::Notebook>& notebooks,
                            const std::vector<std::string>& hashes, const scoring::MemoryUse& context) {
  std::vector<bool> out(notebooks.size(), false);
  if (!context.memory) return out;
  for (std::size_t i = 0; i < notebooks.size(); ++i) {
    scoring::MemoryUse c = context;
    c.notebook_hash = hashes[i];
    out[i] = scoring::labelled_in_memory(notebooks[i], c);
  }
  return out;
}

// Leaving a notebook's own episodes out does not make eval on labelled notebooks a held-out measurement: the
// memory's guidelines, learnt rules and blend weights were fitted on those labels too. Say so once, with the
// count (`labelled_flags`: in_memory's).
void warn_in_sample(const std::vector<bool>& labelled_flags, const std::string& memory_dir) {
  const auto labelled =
      static_cast<std::size_t>(std::count(labelled_flags.begin(), labelled_flags.end(), true));
  const std::size_t notebooks = labelled_flags.size();
  if (labelled == 0) return;
  std::cerr << "judge: warning: " << labelled << " of the " << notebooks
            << " notebooks judged are labelled in memory " << memory_dir
            << ": its guidelines, learnt rules and blend weights come from their labels too (only their own "
               "episodes are left out), so agreement measured on them is in-sample and optimistic; for a "
               "held-out figure use judge validate, or eval on notebooks outside the labels\n";
}

int run_eval(const EvalOptions& opt) {
  // --shard given empty ("$SHARD" unset) is parse_shard's error, not a run of every notebook.
  const auto shard = opt.shard ? std::optional(util::parse_shard(*opt.shard)) : std::nullopt;
  const Config config = opt.settings.load();
  const rubric::Rubric rubric = configured_rubric(config, opt.dimensions);
  const auto [notebooks, unreadable] = select_notebooks(opt, shard);
  const auto usage = std::make_shared<llm::UsageMeter>();
  auto judge = scoring::make_judge(config.get("judge"), judge_settings(config, usage, opt.dry_run));
  warn_cannot_score(*judge, rubric);
  const bool llm = judge->calls_model();
  const auto per_dimension = split_dimensions(rubric, llm && !config.get_bool("batch_dimensions"));
  const auto memory = load_memory(opt.memory_dir, config, rubric, judge->spec());
  if (memory)  // a typo in a dimension key of guidelines.yaml: checked against the whole rubric
    for (const auto& w : scoring::unknown_guideline_dimensions(*memory, configured_rubric(config, "")))
      std::cerr << "judge: warning: " << (std::filesystem::path(opt.memory_dir) / "guidelines.yaml").string()
                << ": " << w << "\n";
  if (memory && judge->learns_fact_rules()) check_rules(*memory, opt.memory_dir, rubric);
  const auto context = memory_context(memory, config);
  const auto hashes = file_hashes(notebooks, context.memory != nullptr);
  const auto labelled = in_memory(notebooks, hashes, context);
  const auto items = plan_work(notebooks, rubric, per_dimension, hashes, labelled);
  if (opt.dry_run) return print_plan(*judge, items, context, config, opt.output);
  const auto calibration = load_calibration(opt.memory_dir, judge->spec(), opt.calibration_any_judge);
  EvalOutput output = open_output(opt, rubric);
  const auto sink = finishing(calibration, record_name(opt.name, *judge, memory.has_value()), shard, output);
  score_all(*judge, items, jobs(config), context, sink, [&output] { output.flush(); });
  for (auto& r : unreadable_records(unreadable, rubric, judge->spec())) sink(std::move(r));
  output.finish();
  print_totals(judge->spec(), *usage, config);
  warn_flagged(output.flagged());
  warn_in_sample(labelled, opt.memory_dir);
  return exit_code(output.tally(), unreadable.size());
}

}  // namespace

void setup_eval(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Score notebooks on a rubric's dimensions");
  cmd->add_option("paths", opt->paths, "Notebook files or folders (walked recursively); or --paths-from");
  cmd->add_option("--paths-from", opt->paths_from,
                  "Also score the notebook paths listed in FILE, one a line ('-': standard input), e.g. "
                  "under Spark's RDD.pipe (docs/scale.md)");
  cmd->add_option("--shard", opt->shard,
                  "Only part K of N of the notebooks (K from 1 to N), by a hash of each notebook's path; "
                  "judge merge joins the parts (docs/scale.md)");
  cmd->add_option("--dimensions", opt->dimensions, "Comma-separated dimension ids to score (default: all)");
  std::string formats;
  for (const auto& f : verdict::record_formats()) formats += (formats.empty() ? "" : "|") + f;
  cmd->add_option("--format", opt->format, formats + " (default: table on a terminal, else jsonl)")
      ->check(one_of(verdict::record_formats()));
  cmd->add_option("-o,--output", opt->output, "Write results to this file (atomically) instead of stdout");
  cmd->add_flag(
      "--dry-run", opt->dry_run,
      "Print the calls, estimated tokens and cost; call nothing (with -o FILE: the requests as JSON Lines)");
  cmd->add_option("--memory", opt->memory_dir,
                  "Aligned memory folder (judge align): guidelines and similar episodes");
  cmd->add_option("--name", opt->name,
                  "Judge name written in the records (default: the judge spec, with --memory the spec and "
                  "\"+memory\", e.g. heuristic+memory); tells runs apart for judge report --compare");
  cmd->add_flag("--calibration-any-judge", opt->calibration_any_judge,
                "Apply the memory's calibration.json even when it was fitted for another judge's scores "
                "(default: skipped with a warning)");
  add_judge_options(*cmd, opt->settings,
                    "Episodes retrieved per item (default: the k recorded with the memory)");
  cmd->callback([&run, opt] { run = [opt] { return run_eval(*opt); }; });
}

}  // namespace judge::cli
