// SPDX-License-Identifier: MIT
// judge notebook show FILE...: prints notebooks as the tool sees them.
#include "judge/notebook/notebook.hpp"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "judge/cli/commands.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/scoring/facts.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

namespace {
struct ShowOptions {
  std::vector<std::string> paths;
  std::size_t max_output_chars = 1500;
  bool facts = false;
  std::string format = "text";
};

// --facts: the offline judge's named facts (docs/facts.md), one per line, or one JSON object per notebook.
void print_facts(const notebook::Notebook& nb, const std::string& format) {
  scoring::FactNotes notes;
  const auto values = scoring::notebook_facts(nb, &notes);
  if (format == "json") {
    nlohmann::ordered_json facts = nlohmann::ordered_json::object();
    for (const auto& info : scoring::fact_vocabulary()) facts[info.name] = values.at(info.name);
    nlohmann::ordered_json line{{"notebook", nb.path}, {"facts", facts}};
    if (!notes.empty()) line["notes"] = notes;
    std::cout << line.dump() << "\n";
    return;
  }
  std::cout << "# " << nb.path << "\n";
  for (const auto& info : scoring::fact_vocabulary()) {
    std::cout << info.name << std::string(info.name.size() < 32 ? 32 - info.name.size() : 1, ' ')
              << scoring::format_fact(info, values.at(info.name));
    if (const auto it = notes.find(info.name); it != notes.end()) std::cout << "  (" << it->second << ")";
    std::cout << "\n";
  }
  std::cout << "\n";
}

// The notebook as render_text gives it, with the cells where prompt::detect_injection found an attempt to
// steer the grader marked ("!!! possible prompt injection: WHAT (WHERE: FOUND)") and a line after the header
// listing them.
std::string show_text(const notebook::Notebook& nb) {
  std::map<int, std::string> notes;
  std::string cells;
  for (const auto& f : prompt::detect_injection(nb)) {
    notes[f.cell] = "possible prompt injection: " + prompt::describe_kind(f.kind) + " (" + f.where + ": " +
                    f.phrase + ")";
    cells += (cells.empty() ? "" : ", ") + std::to_string(f.cell);
  }
  std::string text = notebook::render_text(nb, notes);
  if (!notes.empty())
    text.insert(text.find('\n') + 1, "!!! possible prompt injection in cell" +
                                         std::string(notes.size() > 1 ? "s " : " ") + cells +
                                         " (marked below)\n");
  return text;
}

int run_show(const ShowOptions& opt) {
  notebook::ReadOptions ro;
  ro.max_output_chars = opt.max_output_chars;
  bool failed = false;
  for (const auto& p : opt.paths) {
    const auto result = notebook::read_path(p, ro);
    for (const auto& nb : result.notebooks) {
      if (opt.facts)
        print_facts(nb, opt.format);
      else
        std::cout << show_text(nb) << "\n";
    }
    for (const auto& e : result.errors) {
      std::cerr << "judge: error: " << e << "\n";
      failed = true;
    }
  }
  return static_cast<int>(failed ? ExitCode::runtime : ExitCode::ok);
}
}  // namespace

void setup_notebook(CLI::App& app, RunFn& run) {
  auto* nb = app.add_subcommand("notebook", "Inspect notebooks as judge reads them");
  nb->require_subcommand(1);
  auto opt = std::make_shared<ShowOptions>();
  auto* show = nb->add_subcommand(
      "show", "Print notebooks as the judge sees them: cells numbered, types, trimmed outputs");
  show->add_option("paths", opt->paths, "Notebook files or folders")->required();
  show->add_option("--max-output-chars", opt->max_output_chars,
                   "Longest output text kept per output, in bytes")
      ->capture_default_str();
  auto* facts = show->add_flag(
      "--facts", opt->facts,
      "Print the offline judge's named facts of each notebook instead of its cells (docs/facts.md)");
  show->add_option("--format", opt->format,
                   "With --facts: text (a line per fact) or json (a line per notebook)")
      ->check(CLI::IsMember({"text", "json"}))
      ->needs(facts)  // the cells have one form only: --format without --facts is a usage error, not ignored
      ->capture_default_str();
  show->callback([&run, opt] { run = [opt] { return run_show(*opt); }; });
}

}  // namespace judge::cli
