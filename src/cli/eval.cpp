// SPDX-License-Identifier: MIT
// judge eval PATH...: scores every notebook under the paths on a rubric's dimensions.
#include <fstream>
#include <iostream>
#include <sstream>

#include "judge/cli/commands.hpp"
#include "judge/memory/memory.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/scoring/records.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"

namespace judge::cli {

namespace {

struct EvalOptions {
  std::vector<std::string> paths;
  std::string rubric_file;
  std::string judge_spec = "heuristic";
  std::string dimensions;
  std::string format;  // empty: table on a terminal, jsonl otherwise
  std::string output;
  std::string memory_dir;  // aligned memory (judge align); empty: none
  int top_k = 0;           // episodes per item; 0: the k recorded with the memory
};

rubric::Rubric load_rubric(const EvalOptions& opt) {
  const rubric::Rubric base = opt.rubric_file.empty() ? rubric::default_rubric() : rubric::load_rubric(opt.rubric_file);
  return rubric::select_dimensions(base, opt.dimensions);
}

std::vector<notebook::Notebook> read_notebooks(const std::vector<std::string>& paths, std::size_t& errors) {
  std::vector<notebook::Notebook> all;
  for (const auto& p : paths) {
    auto result = notebook::read_path(p);
    for (auto& nb : result.notebooks) all.push_back(std::move(nb));
    for (const auto& e : result.errors) std::cerr << "judge: warning: skipped " << e << "\n";
    errors += result.errors.size();
  }
  return all;
}

std::vector<scoring::EvalRecord> score_all(scoring::Judge& judge, const std::vector<notebook::Notebook>& notebooks,
                                           const rubric::Rubric& rubric, const scoring::Context& context) {
  std::vector<scoring::EvalRecord> records;
  const bool progress = stderr_is_terminal() && notebooks.size() > 3;
  for (std::size_t i = 0; i < notebooks.size(); ++i) {
    if (progress) std::cerr << "\r[" << i + 1 << "/" << notebooks.size() << "] " << notebooks[i].path << "\x1b[K" << std::flush;
    for (auto& v : judge.score(notebooks[i], rubric, context)) records.push_back({notebooks[i].path, judge.spec(), std::move(v)});
  }
  if (progress) std::cerr << "\r\x1b[K";
  return records;
}

void write_output(const EvalOptions& opt, const rubric::Rubric& rubric, const std::vector<scoring::EvalRecord>& records) {
  std::vector<std::string> dims;
  for (const auto& d : rubric.dimensions) dims.push_back(d.id);
  const std::string format = !opt.format.empty() ? opt.format : (opt.output.empty() && stdout_is_terminal() ? "table" : "jsonl");
  std::ostringstream buf;
  scoring::write_records(buf, records, dims, format);
  if (opt.output.empty())
    std::cout << buf.str();
  else
    util::write_file_atomic(opt.output, buf.str());
}

int run_eval(const EvalOptions& opt) {
  const rubric::Rubric rubric = load_rubric(opt);
  std::size_t read_errors = 0;
  const auto notebooks = read_notebooks(opt.paths, read_errors);
  if (notebooks.empty()) throw Error("no notebooks found under the given paths (see README: which files are notebooks)");
  auto judge = scoring::make_judge(opt.judge_spec);
  std::optional<memory::Memory> memory;
  if (!opt.memory_dir.empty()) memory = memory::Memory::load(opt.memory_dir);
  const scoring::Context context{memory ? &*memory : nullptr, opt.top_k > 0 ? opt.top_k : memory ? memory->provenance().k : 5};
  const auto records = score_all(*judge, notebooks, rubric, context);
  write_output(opt, rubric, records);
  std::size_t unscored = 0;
  for (const auto& r : records) unscored += r.verdict.status == scoring::Status::unscored;
  if (unscored > 0) {
    std::cerr << "judge: " << unscored << " of " << records.size() << " items unscored\n";
    return static_cast<int>(ExitCode::unscored);
  }
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

void setup_eval(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Score notebooks on a rubric's dimensions");
  cmd->add_option("paths", opt->paths, "Notebook files or folders (walked recursively)")->required();
  cmd->add_option("--rubric", opt->rubric_file, "Rubric YAML file (default: the built-in ml-notebook rubric)");
  cmd->add_option("--judge", opt->judge_spec, "Judge spec: heuristic, openai:MODEL, anthropic:MODEL, command:PROGRAM, ...")
      ->capture_default_str();
  cmd->add_option("--dimensions", opt->dimensions, "Comma-separated dimension ids to score (default: all)");
  cmd->add_option("--format", opt->format, "table|jsonl|json|csv|markdown (default: table on a terminal, else jsonl)")
      ->check(CLI::IsMember({"table", "jsonl", "json", "csv", "markdown"}));
  cmd->add_option("--memory", opt->memory_dir, "Aligned memory folder (judge align): guidelines and similar episodes");
  cmd->add_option("-k", opt->top_k, "Episodes retrieved per item (default: the k recorded with the memory)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("-o,--output", opt->output, "Write results to this file (atomically) instead of stdout");
  cmd->callback([&run, opt] { run = [opt] { return run_eval(*opt); }; });
}

}  // namespace judge::cli
