// SPDX-License-Identifier: MIT
// judge notebook show FILE...: prints notebooks as the tool sees them.
#include "judge/notebook/notebook.hpp"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "judge/cli/commands.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/scoring/facts.hpp"
#include "judge/scoring/llm_judge.hpp"
#include "judge/scoring/redact.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

namespace {
struct ShowOptions {
  std::vector<std::string> paths;
  bool full = false;                    // the reader's whole view instead of the prompt's rendering
  std::size_t max_output_chars = 1500;  // with --full: the reader's cut
  std::string dimensions;               // the prompt's rendering for these dimensions (default: all)
  bool facts = false;
  std::string format = "text";
  SettingFlags settings;  // rubric, token_budget, redact and --config, as an LLM judge reads them
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

// What a notebook prints as: the prompt's rendering of it (what an LLM judge sends: outputs cut at 800
// bytes, cells kept by relevance over the token budget, secrets masked), or with --full the reader's whole
// view (notebook::render_text: every cell, outputs cut at --max-output-chars), masked as well. Cells where
// prompt::detect_injection finds an attempt to steer the grader are listed in a line after the header; the
// full view also marks each of them ("!!! possible prompt injection: WHAT (WHERE: FOUND)").
class ShowView {
 public:
  explicit ShowView(const ShowOptions& opt) : m_full(opt.full) {
    const Config config = opt.settings.load();
    m_options = judge_settings(config, nullptr, true).llm;
    m_rubric = configured_rubric(config, opt.dimensions);
  }
  std::string text(const notebook::Notebook& nb) const {
    std::map<int, std::string> notes;
    std::string cells;
    for (const auto& f : prompt::detect_injection(nb)) {
      notes[f.cell] = "possible prompt injection: " + prompt::describe_kind(f.kind) + " (" + f.where + ": " +
                      f.phrase + ")";
      cells += (cells.empty() ? "" : ", ") + std::to_string(f.cell);
    }
    std::string text;
    if (!m_full) {
      std::vector<const rubric::Dimension*> dimensions;
      for (const auto& d : m_rubric.dimensions) dimensions.push_back(&d);
      text = scoring::LlmJudge::notebook_as_sent(m_options, nb, dimensions).text;
    } else {
      notebook::Notebook shown = nb;
      if (m_options.redact) scoring::redact_notebook(shown);
      text = notebook::render_text(shown, notes);
    }
    if (!notes.empty())
      text.insert(text.find('\n') + 1, "!!! possible prompt injection in cell" +
                                           std::string(notes.size() > 1 ? "s " : " ") + cells +
                                           (m_full ? " (marked below)\n" : "\n"));
    return text;
  }

 private:
  bool m_full;
  scoring::LlmJudgeOptions m_options;
  rubric::Rubric m_rubric;
};

int run_show(const ShowOptions& opt) {
  notebook::ReadOptions ro;  // the reader's cut as judge eval reads; another only for the --full view
  if (opt.full) ro.max_output_chars = opt.max_output_chars;
  std::optional<ShowView> view;
  if (!opt.facts) view.emplace(opt);
  bool failed = false;
  for (const auto& p : opt.paths) {
    const auto result = notebook::read_path(p, ro);
    for (const auto& nb : result.notebooks) {
      if (opt.facts)
        print_facts(nb, opt.format);
      else
        std::cout << view->text(nb) << "\n";
    }
    for (const auto& e : result.errors) {
      std::cerr << "judge: error: " << e.message() << "\n";
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
      "show",
      "Print notebooks exactly as an LLM judge's prompt shows them: cells numbered, outputs cut, secrets "
      "masked (--full: every cell as read)");
  show->add_option("paths", opt->paths, "Notebook files or folders")->required();
  auto* full =
      show->add_flag("--full", opt->full,
                     "The reader's whole view (every cell, outputs cut at --max-output-chars) instead "
                     "of the prompt's rendering");
  show->add_option("--max-output-chars", opt->max_output_chars,
                   "With --full: longest output text kept per output, in bytes")
      ->needs(full)
      ->capture_default_str()
      ->check(non_negative());
  auto* settings = &opt->settings;
  show->add_option("--config", settings->config_file,
                   "Configuration file (default: ./judge.yaml when present)");
  show->add_option_function<std::string>(
      "--rubric", [settings](const std::string& v) { settings->flags["rubric"] = v; },
      "Rubric YAML file whose dimensions pick the cells kept over the token budget (setting rubric)");
  auto* dimensions = show->add_option(
      "--dimensions", opt->dimensions,
      "The rendering of a call about these dimensions (comma-separated; default: all): over the token budget "
      "they decide which cells are kept");
  show->add_option_function<std::string>(
      "--token-budget", [settings](const std::string& v) { settings->flags["token_budget"] = v; },
      "Most tokens (bytes/4) of notebook text in one prompt (setting token_budget)");
  show->add_flag_callback(
      "--no-redact", [settings] { settings->flags["redact"] = "false"; },
      "Show secrets the prompt would mask (setting redact)");
  dimensions->excludes(full);
  auto* facts = show->add_flag(
      "--facts", opt->facts,
      "Print the offline judge's named facts of each notebook instead of its cells (docs/facts.md)");
  show->add_option("--format", opt->format,
                   "With --facts: text (a line per fact) or json (a line per notebook)")
      ->check(one_of({"text", "json"}))
      ->needs(facts)  // the cells have one form only: --format without --facts is a usage error, not ignored
      ->capture_default_str();
  facts->excludes(full);
  facts->excludes(dimensions);
  show->callback([&run, opt] { run = [opt] { return run_show(*opt); }; });
}

}  // namespace judge::cli
