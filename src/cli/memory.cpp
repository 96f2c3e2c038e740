// SPDX-License-Identifier: MIT
// judge memory show|stats|forget DIR: inspect and prune aligned memory.
#include "judge/memory/memory.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include "judge/cli/commands.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

namespace {

struct MemoryCliOptions {
  std::string dir;
  std::vector<std::string> notebooks;
  std::vector<std::string> labels;
};

std::string score_text(const std::optional<double>& s) {
  if (!s) return "N/A";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", *s);
  return buf;
}

void print_provenance(const memory::Memory& m) {
  const auto& p = m.provenance();
  std::cout << "judge: " << p.judge
            << "\nreflection: " << (p.reflection.empty() ? "(offline extractive)" : p.reflection)
            << "\nembeddings: " << p.embeddings << "\nrater policy: " << p.rater_policy << "\nk: " << p.k
            << "\nlabels: " << p.labels_file << " (sha256 " << p.labels_hash.substr(0, 12)
            << ")\nrubric: " << p.rubric_id << "\ncreated: " << p.created << "\nupdated: " << p.updated
            << "\n";
}

int run_show(const MemoryCliOptions& opt) {
  const auto m = memory::Memory::load(opt.dir);
  print_provenance(m);
  std::cout << "\nguidelines (" << m.all_guidelines().size() << "):\n";
  std::string dim;
  for (const auto& g : m.all_guidelines()) {
    if (g.dimension != dim) std::cout << "  " << (dim = g.dimension) << ":\n";
    std::cout << "    - [" << g.source << ", " << g.cites.size() << " labels] " << g.text << "\n";
  }
  std::cout << "\nepisodes (" << m.episodes().size() << "): id, human score, judge score at alignment\n";
  for (const auto& e : m.episodes())
    std::cout << "  " << e.id << "  human " << score_text(e.human_score) << "  judge "
              << (e.judge_status == "unscored" ? "?" : score_text(e.judge_score)) << "\n";
  return 0;
}

int run_stats(const MemoryCliOptions& opt) {
  const auto m = memory::Memory::load(opt.dir);
  struct Row {
    std::size_t episodes = 0, na = 0, both = 0, guidelines = 0, manual = 0;
    double human_sum = 0, abs_err = 0;
  };
  std::map<std::string, Row> rows;
  std::vector<std::string> order;
  auto row = [&](const std::string& d) -> Row& {
    if (!rows.count(d)) order.push_back(d);
    return rows[d];
  };
  for (const auto& e : m.episodes()) {
    Row& r = row(e.dimension);
    ++r.episodes;
    if (!e.human_score) {
      ++r.na;
      continue;
    }
    r.human_sum += *e.human_score;
    if (e.judge_status == "scored" && e.judge_score) {
      ++r.both;
      r.abs_err += std::fabs(*e.human_score - *e.judge_score);
    }
  }
  for (const auto& g : m.all_guidelines()) {
    Row& r = row(g.dimension);
    ++r.guidelines;
    r.manual += g.source == "manual";
  }
  std::printf("%-28s %8s %5s %10s %16s %10s %6s\n", "dimension", "episodes", "N/A", "mean human",
              "judge MAE (align)", "guidelines", "manual");
  for (const auto& d : order) {
    const Row& r = rows[d];
    const std::size_t scored = r.episodes - r.na;
    std::printf("%-28s %8zu %5zu %10s %16s %10zu %6zu\n", d.c_str(), r.episodes, r.na,
                scored ? std::to_string(r.human_sum / double(scored)).substr(0, 4).c_str() : "-",
                r.both ? std::to_string(r.abs_err / double(r.both)).substr(0, 4).c_str() : "-", r.guidelines,
                r.manual);
  }
  std::printf("total: %zu episodes, %zu guidelines, %zu labels\n", m.episodes().size(),
              m.all_guidelines().size(), m.live_labels().size());
  return 0;
}

int run_forget(const MemoryCliOptions& opt) {
  if (opt.notebooks.empty() && opt.labels.empty())
    throw Error("memory forget: give --notebook ID... or --label ID...", ExitCode::usage);
  auto m = memory::Memory::load(opt.dir);
  const auto r = memory::forget(m, opt.notebooks, opt.labels);
  m.save(opt.dir);
  std::cout << "removed " << r.episodes_removed << " episodes and " << r.guidelines_removed << " guidelines; "
            << m.episodes().size() << " episodes and " << m.all_guidelines().size() << " guidelines left\n";
  return 0;
}

}  // namespace

void setup_memory(CLI::App& app, RunFn& run) {
  auto* cmd = app.add_subcommand("memory", "Inspect and prune aligned memory (docs/memory.md)");
  cmd->require_subcommand(1);
  auto opt = std::make_shared<MemoryCliOptions>();
  auto* show = cmd->add_subcommand("show", "Print provenance, guidelines and episodes");
  show->add_option("dir", opt->dir, "Memory folder")->required();
  show->callback([&run, opt] { run = [opt] { return run_show(*opt); }; });
  auto* stats = cmd->add_subcommand(
      "stats", "Per dimension: episodes, N/A, mean human score, judge MAE at alignment, guidelines");
  stats->add_option("dir", opt->dir, "Memory folder")->required();
  stats->callback([&run, opt] { run = [opt] { return run_stats(*opt); }; });
  auto* forget = cmd->add_subcommand(
      "forget", "Remove episodes of notebooks or labels, and guidelines left without labels");
  forget->add_option("dir", opt->dir, "Memory folder")->required();
  forget->add_option("--notebook", opt->notebooks, "Notebook path(s) as in the labels");
  forget->add_option("--label", opt->labels, "Label id(s) NOTEBOOK#DIMENSION#RATER");
  forget->callback([&run, opt] { run = [opt] { return run_forget(*opt); }; });
}

}  // namespace judge::cli
