// SPDX-License-Identifier: MIT
// judge memory show|stats|forget|unforget DIR: inspect and prune aligned memory.
#include "judge/memory/memory.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include "judge/align/align.hpp"
#include "judge/cli/commands.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/cli/learnt.hpp"
#include "judge/labels/labels.hpp"
#include "judge/llm/registry.hpp"
#include "judge/memory/calibration.hpp"
#include "judge/memory/fact_rule.hpp"
#include "judge/memory/write_lock.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/scoring/llm_judge.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/paths.hpp"
#include "judge/util/table.hpp"
#include "judge/util/text.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::cli {

namespace {

struct MemoryCliOptions {
  std::string dir;
  std::vector<std::string> notebooks;
  std::vector<std::string> labels;
  bool all = false;
  std::string prompt;     // show --prompt: a notebook
  std::string dimension;  // show --dimension
  SettingFlags settings;  // show --prompt: the settings eval would run with (judge_setup.hpp)
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

// show --prompt NOTEBOOK --dimension D: the memory section an LLM judge's prompt would carry, printed by the
// code that puts it in the prompt (scoring::LlmJudge::memory_prompt), with the settings eval would use.
int run_show_prompt(const MemoryCliOptions& opt) {
  if (opt.dimension.empty())
    throw Error("memory show: --prompt NOTEBOOK needs --dimension ID (the dimension the prompt judges)",
                ExitCode::usage);
  const Config config = opt.settings.load();
  const rubric::Rubric rubric = configured_rubric(config, opt.dimension, "--dimension");
  const auto m = memory::Memory::load(opt.dir, memory::Recovery::refuse,
                                      provider_settings(config, "embeddings_base_url"));
  auto read = notebook::read_path(opt.prompt);
  if (!read.errors.empty()) throw Error("memory show: --prompt " + read.errors.front().message());
  if (read.notebooks.size() != 1)
    throw Error("memory show: --prompt " + opt.prompt + " holds " + std::to_string(read.notebooks.size()) +
                    " notebooks; give one notebook file",
                ExitCode::usage);
  const auto settings = judge_settings(config, nullptr, true);
  if (settings.llm.batch_dimensions)
    std::cerr << "judge: warning: with batch_dimensions an LLM judge's prompt carries no memory; this is the "
                 "section of a call that judges one dimension\n";
  scoring::MemoryUse context;
  context.memory = &m;
  context.top_k = k_or_recorded(config, m.provenance().k);
  // As eval: the notebook's own episodes (same path or same file content) are left out unless own_episodes.
  context.own_episodes = config.get_bool("own_episodes");
  const auto& nb = read.notebooks.front();
  context.notebook_hash = util::sha256_hex(util::read_file(nb.path.substr(0, nb.path.find("!/"))));
  const std::string text = scoring::LlmJudge::memory_prompt(settings.llm, read.notebooks.front(),
                                                            rubric.dimensions.front(), context);
  if (text.empty())
    std::cerr << "judge: memory " << opt.dir << " has no guideline or episode for " << opt.dimension
              << " to show with " << opt.prompt << "\n";
  std::cout << text;
  return 0;
}

// The line show prints under a rule of the offline judge: its support recounted from the memory's episodes
// (memory::rule_support, the count align writes), and whether that still is what its text says. A rule's
// text and tests may have been edited since align wrote "(18 of 20 labels)" and its cites.
std::string support_line(const memory::Guideline& g, const memory::Memory& m) {
  std::string error;
  const auto rule = memory::parse_fact_rule(g.text, error);
  if (!rule) return "";  // load refuses a rule that does not parse
  const auto now = memory::rule_support(*rule, g.dimension, m.episodes());
  if (!now) {
    // No episode of the dimension has facts: either it has no episode at all (no label of it reached
    // align), or its episodes were aligned with a judge that keeps no facts.
    const bool any = std::any_of(m.episodes().begin(), m.episodes().end(),
                                 [&](const memory::Episode& e) { return e.dimension == g.dimension; });
    std::string line = "support cannot be recounted: ";
    if (!any) {
      line += "the memory has no episode of ";
      line += g.dimension;
      line += " (judge align was given no label of it, or its labels were forgotten)";
    } else {
      line += "no episode of ";
      line += g.dimension;
      line += " has the notebook's facts (episodes keep them only when aligned with the heuristic judge)";
    }
    return line;
  }
  const std::string given = std::to_string(now->right) + " of " + std::to_string(now->covers);
  const auto stated = memory::stated_support(g.text);
  std::string line;
  if (!stated) {
    line = "support: " + given + " labels, recounted from the memory's episodes (";
    if (const std::string unread = memory::unreadable_support(g.text); !unread.empty()) {
      line += "the text states a count that cannot be read: \"";
      line += unread;
      line += "\"; align writes \"N of M labels\")";
    } else {
      line += "the text states no count)";
    }
  } else if (stated->right != now->right || stated->covers != now->covers)
    line = std::string("edited: the text says ") + std::to_string(stated->right) + " of " +
           std::to_string(stated->covers) + " labels; the memory's episodes give " + given;
  else
    line = "support: " + given + " labels, as the text says (recounted from the memory's episodes)";
  auto cites = g.cites;
  std::sort(cites.begin(), cites.end());
  if (!cites.empty() && cites != now->cites) {
    std::size_t still = 0;
    for (const auto& c : cites) still += std::binary_search(now->cites.begin(), now->cites.end(), c);
    line += std::string("; of the ") + std::to_string(cites.size()) + " labels it cites, " +
            std::to_string(still) + (still == 1 ? " is" : " are") + " among those it gets right now";
  }
  return line;
}

// What judge eval says of the memory's guidelines, on stderr, with the rubric eval would use (setting
// rubric): guidelines under a dimension the rubric lacks, and rules that test a name that is no fact or give
// a score the rubric cannot give (scoring::check_fact_rules; eval refuses those).
void warn_guideline_problems(const memory::Memory& m, const std::string& dir, const rubric::Rubric& rubric) {
  const std::string file = (std::filesystem::path(dir) / "guidelines.yaml").string();
  if (!m.provenance().rubric_id.empty() && m.provenance().rubric_id != rubric.id)
    std::cerr << "judge: warning: memory " << dir << " was aligned for rubric " << m.provenance().rubric_id
              << "; its guidelines are checked against rubric " << rubric.id
              << " (give the memory's rubric with --rubric)\n";
  for (const auto& w : scoring::unknown_guideline_dimensions(m, rubric))
    std::cerr << "judge: warning: " << file << ": " << w << "\n";
  const auto check = scoring::check_fact_rules(m, rubric);
  for (const auto& w : check.warnings) std::cerr << "judge: warning: " << rule_problem_text(dir, w) << "\n";
  for (const auto& e : check.errors)
    std::cerr << "judge: warning: " << rule_problem_text(dir, e)
              << "; judge eval refuses the memory until it is fixed\n";
}

// Which dimensions memory show lists: every one, or the one --dimension names.
using DimensionFilter = std::function<bool(const std::string&)>;

// The blend weights of the heuristic judge's episodic memory (memory.json blend_weights), one line per
// dimension with a weight or an episode, in rubric order (then others by name), with why align could not
// learn a weight. A dimension without a weight has 0: memory leaves its verdicts alone.
void print_blend_weights(const memory::Memory& m, const rubric::Rubric& rubric,
                         const DimensionFilter& shown) {
  std::set<std::string> dims;
  for (const auto& [d, w] : m.blend_weights())
    if (shown(d)) dims.insert(d);
  for (const auto& e : m.episodes())
    if (shown(e.dimension)) dims.insert(e.dimension);
  std::vector<std::string> order;
  for (const auto& d : rubric.dimensions)
    if (dims.erase(d.id)) order.push_back(d.id);
  order.insert(order.end(), dims.begin(), dims.end());
  std::cout << "\nblend weights (" << order.size()
            << "): how far the heuristic judge follows its nearest episodes; score: the share of their "
               "correction of the score it applies, N/A: 1 when they may overturn its N/A call; 0: memory "
               "leaves the judge's verdict alone\n";
  for (const auto& d : order) {
    const auto it = m.blend_weights().find(d);
    const memory::BlendWeight w = it == m.blend_weights().end() ? memory::BlendWeight{} : it->second;
    std::cout << "  " << d << ": score " << score_text(w.score) << ", N/A " << score_text(w.na);
    if (it == m.blend_weights().end())
      std::cout << " (none recorded: memory leaves the verdict alone until judge align learns one)";
    else if (!w.unlearnt.empty())
      std::cout << " (not learnt: " << w.unlearnt << ")";
    else if (w.score == 0 && w.na == 0)
      std::cout << " (memory leaves the verdict alone: following it did not beat the judge's own verdicts "
                   "at alignment)";
    std::cout << "\n";
  }
}

// The learnt rules align leaves out because a person edited or deleted the ones it had written
// (memory.json learnt_rules, withheld); nothing when there are none.
void print_withheld(const memory::Memory& m, const DimensionFilter& shown) {
  if (!m.learnt_record()) return;
  std::size_t n = 0;
  for (const auto& [d, r] : *m.learnt_record()) n += shown(d) ? r.withheld.size() : 0;
  if (n == 0) return;
  std::cout
      << "\nlearnt rules left out (" << n
      << "): judge align does not write them back, as a person edited or deleted the learnt rule it had "
         "written; to have one back, write it in guidelines.yaml with source: manual, or remove it from "
         "memory.json's learnt_rules\n";
  for (const auto& [d, r] : *m.learnt_record())
    if (shown(d))
      for (const auto& rule : r.withheld) std::cout << "  " << d << ": " << rule << "\n";
}

// The learnt rules align wrote (memory.json learnt_rules, written) that guidelines.yaml no longer has:
// deleted by hand, or edited into a rule marked as such; said now, not only at the next align.
void print_removed_by_hand(const memory::Memory& m, const DimensionFilter& shown) {
  if (!m.learnt_record()) return;
  std::vector<std::pair<std::string, std::string>> gone;
  for (const auto& entry : *m.learnt_record())  // no structured binding: clang 14 cannot capture one
    for (const auto& rule : entry.second.written) {
      if (!shown(entry.first)) continue;
      const auto& all = m.all_guidelines();
      if (std::none_of(all.begin(), all.end(), [&](const memory::Guideline& g) {
            return g.dimension == entry.first && g.text == rule;
          }))
        gone.emplace_back(entry.first, rule);
    }
  if (gone.empty()) return;
  std::cout
      << "\nlearnt rules judge align wrote that guidelines.yaml no longer has (" << gone.size()
      << ": deleted by hand, or edited into a rule marked above); the next judge align leaves them out\n";
  for (const auto& [d, rule] : gone) std::cout << "  " << d << ": " << rule << "\n";
}

int run_show(const MemoryCliOptions& opt) {
  if (opt.dimension.find(',') != std::string::npos)
    throw Error("memory show: --dimension takes one dimension id, got \"" + opt.dimension + "\"",
                ExitCode::usage);
  if (!opt.prompt.empty()) return run_show_prompt(opt);
  const Config config = opt.settings.load();
  const rubric::Rubric rubric = configured_rubric(config);
  if (!opt.dimension.empty())
    configured_rubric(config, opt.dimension, "--dimension");  // an unknown id: exit 2
  const DimensionFilter shown = [&](const std::string& d) {
    return opt.dimension.empty() || d == opt.dimension;
  };
  const auto m = memory::Memory::load(opt.dir);
  warn_guideline_problems(m, opt.dir, rubric);
  print_provenance(m);
  if (!opt.dimension.empty()) std::cout << "\nshown: " << opt.dimension << " only (--dimension)\n";
  std::vector<memory::Guideline> all;
  for (const auto& g : m.all_guidelines())
    if (shown(g.dimension)) all.push_back(g);
  const auto rules = static_cast<std::size_t>(
      std::count_if(all.begin(), all.end(), [](const auto& g) { return memory::is_fact_rule(g.text); }));
  // What an LLM judge's prompt gets (scoring::memory_section): neither the rules nor a learnt guideline.
  const auto prompted = static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [](const auto& g) {
    return g.source != "learnt" && !memory::is_fact_rule(g.text);
  }));
  std::cout << "\nguidelines (" << all.size();
  if (rules > 0 && rules < all.size()) {
    std::cout << "; the heuristic judge applies the " << util::count_text(rules, "rule")
              << " (when ... ->), an LLM judge's prompt gets the other "
              << (prompted == 1 ? "guideline" : std::to_string(prompted));
  }
  std::cout << "):\n";
  // Each guideline as [its source, the labels it cites] and its text: the text may state counts of its own
  // (a rule's "(18 of 20 labels)": those it gets right of those it covers; extractive "(9 labels)": those
  // whose feedback says the phrase), which the cites' count is not.
  std::string dim;
  for (const auto& g : all) {
    if (g.dimension != dim) std::cout << "  " << (dim = g.dimension) << ":\n";
    std::cout << "    - [" << g.source
              << (m.edited_by_hand(g)
                      ? " (edited by hand since judge align wrote it: the next align keeps it "
                        "as manual)"
                      : "")
              << ", cites " << util::count_text(g.cites.size(), "label") << "] " << g.text << "\n";
    if (!memory::is_fact_rule(g.text)) continue;
    std::cout << "      " << support_line(g, m) << "\n";
    // A learnt rule that rests on few labels, as judge align warned of it (recorded in memory.json's
    // learnt_rules when align or forget fitted it): said under the rule, so the warning outlives the run.
    std::string error;
    const auto rule = memory::parse_fact_rule(g.text, error);
    if (!rule || g.source != "learnt" || m.edited_by_hand(g) || !m.learnt_record()) continue;
    const auto record = m.learnt_record()->find(g.dimension);
    if (record == m.learnt_record()->end()) continue;
    if (const auto it = record->second.fragile.find(memory::format_fact_rule(*rule));
        it != record->second.fragile.end())
      std::cout << "      "
                << util::wrap_text("rests on few labels: judge align " + it->second, 114, "        ");
  }
  // Rules that give every labelled notebook one score, as judge align warned (worked out again here, so it
  // holds after a forget or an edit).
  auto one = align::rules_giving_one_score(m);
  std::erase_if(one, [&](const auto& entry) { return !shown(entry.first); });
  if (!one.empty()) {
    std::cout << "\nrules that give every labelled notebook the judge scores one score (" << one.size()
              << "; they tell those notebooks apart no more: QWK near 0):\n";
    for (const auto& [d, o] : one)
      std::cout << "  " << d << ": " << labels::format_score(o.score) << ", while the labels give "
                << align::label_counts_text(o)
                << (o.manual
                        ? " (your rules, source: manual, are among them: check them)"
                        : " (a rule you write in guidelines.yaml with source: manual can tell them apart)")
                << "\n";
  }
  print_removed_by_hand(m, shown);
  print_withheld(m, shown);
  print_blend_weights(m, rubric, shown);
  const auto episodes = static_cast<std::size_t>(std::count_if(
      m.episodes().begin(), m.episodes().end(), [&](const auto& e) { return shown(e.dimension); }));
  std::cout << "\nepisodes (" << episodes << "): id, human score, judge score at alignment\n";
  for (const auto& e : m.episodes())
    if (shown(e.dimension))
      std::cout << "  " << e.id << "  human " << score_text(e.human_score) << "  judge "
                << (e.judge_status == verdict::Status::unscored ? "?" : score_text(e.judge_score))
                << (e.own_verdict()
                        ? ""
                        : " (by " + e.verdict_judge + ": left out until its notebook is judged again)")
                << "\n";
  std::cout << "\nforgotten (" << m.forgotten().size() << "): kept out of judge align"
            << (opt.dimension.empty() ? "" : " (of every dimension)") << "\n";
  for (const auto& f : m.forgotten())
    std::cout << "  " << (f.notebook.empty() ? "label " + f.label : "notebook " + f.notebook) << "  "
              << f.time << "\n";
  return 0;
}

// `x` rounded to two decimals ("1.67" for 5/3), or "-" when there is nothing to average (`n` is 0).
std::string mean_text(double sum, std::size_t n) {
  if (n == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", sum / static_cast<double>(n));
  return buf;
}

// The rubric `m` was aligned for, when it can be had here: the built-in one, or the configured one
// (judge.yaml, JUDGE_RUBRIC) when its hash is the memory's (its id, for a memory that records no hash).
// nullopt otherwise, and when the settings cannot be read: forget then refits nothing, as it never needs
// them.
std::optional<rubric::Rubric> rubric_of(const memory::Memory& m, const SettingFlags& settings) {
  const auto& p = m.provenance();
  const auto same = [&](const rubric::Rubric& r) {
    return p.rubric_hash.empty() ? p.rubric_id.empty() || p.rubric_id == r.id : p.rubric_hash == r.hash;
  };
  if (same(rubric::default_rubric())) return rubric::default_rubric();
  try {
    const rubric::Rubric configured = configured_rubric(settings.load());
    if (same(configured)) return configured;
  } catch (const std::exception&) {  // a broken judge.yaml is no reason to refuse forgetting
  }
  return std::nullopt;
}

// Whether memory was aligned for a judge that learns fact rules (the offline judge: the provider table's row
// without a model); an unknown spec is not.
bool offline_judge(const memory::Memory& m) {
  try {
    const std::string& spec = m.provenance().judge;
    return !llm::parse_spec(spec.empty() ? scoring::k_default_judge : spec).entry->chat;
  } catch (const std::exception&) {
    return false;
  }
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
    if (e.own_verdict() && e.judge_status == verdict::Status::scored && e.judge_score) {
      ++r.both;
      r.abs_err += std::fabs(*e.human_score - *e.judge_score);
    }
  }
  for (const auto& g : m.all_guidelines()) {
    Row& r = row(g.dimension);
    ++r.guidelines;
    r.manual += g.source == "manual";
  }
  // The order of the rubric the memory was aligned for, as judge memory show and judge eval list dimensions
  // (when it can be had: rubric_of); then others as met.
  std::vector<std::string> listed;
  if (const auto rubric = rubric_of(m, opt.settings))
    for (const auto& d : rubric->dimensions)
      if (rows.count(d.id)) listed.push_back(d.id);
  for (const auto& d : order)
    if (std::find(listed.begin(), listed.end(), d) == listed.end()) listed.push_back(d);
  // Columns two spaces apart (headers of two words, "mean human" and "MAE (no memory)", would read as one
  // with one space between them); the first as wide as its longest dimension, the others right-aligned.
  std::vector<std::vector<std::string>> table{
      {"dimension", "episodes", "N/A", "mean human", "MAE (no memory)", "guidelines", "manual"}};
  for (const auto& d : listed) {
    const Row& r = rows[d];
    const std::size_t scored = r.episodes - r.na;
    table.push_back({d, std::to_string(r.episodes), std::to_string(r.na), mean_text(r.human_sum, scored),
                     mean_text(r.abs_err, r.both), std::to_string(r.guidelines), std::to_string(r.manual)});
  }
  std::vector<std::size_t> width(table.front().size(), 0);
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  for (const auto& row : table) {
    std::string line = row[0] + std::string(width[0] - row[0].size(), ' ');
    for (std::size_t i = 1; i < row.size(); ++i)
      line += "  " + std::string(width[i] - row[i].size(), ' ') + row[i];
    std::printf("%s\n", line.c_str());
  }
  std::printf("total: %zu episodes, %zu guidelines, %zu labels\n", m.episodes().size(),
              m.all_guidelines().size(), m.live_labels().size());
  // What the MAE column is: the episodes keep the verdict the memory's judge gave at judge align, without
  // memory (Episode::judge_score), so it is the judge's own error on the labelled notebooks, not eval's.
  const std::string& judge = m.provenance().judge.empty() ? scoring::k_default_judge : m.provenance().judge;
  std::printf(
      "MAE (no memory): mean absolute difference between the human score and the score the memory's judge "
      "(%s) gave each labelled notebook at judge align, without memory, over the episodes both scored; what "
      "memory changes is measured by judge validate, or judge report on held-out notebooks\n",
      judge.c_str());
  return 0;
}

// What --notebook and --label name in a memory, resolved: a notebook by memory::match_notebook among
// `notebook_pool`, a label id exactly among `label_pool`. Several notebooks matching one argument is a
// usage error listing them; an argument matching nothing is a warning on stderr, and when no argument
// matches anything the command fails (exit 1) without writing. The did-you-mean of an argument that matches
// nothing names those of `notebook_hints` / `label_hints` (default: the pools).
struct Targets {
  std::vector<std::string> notebooks, labels;
};

// "; did you mean A, B or C?" naming the first three of `close` and how many more there are; "" when empty.
std::string did_you_mean(const std::vector<std::string>& close) {
  constexpr std::size_t k_named = 3;
  std::string hint;
  for (std::size_t i = 0; i < close.size() && i < k_named; ++i) {
    hint += i == 0 ? "; did you mean " : (i + 1 == close.size() ? " or " : ", ");
    hint += close[i];
  }
  if (close.size() > k_named) {
    hint += " (or ";
    hint += std::to_string(close.size() - k_named);
    hint += " more)";
  }
  if (!close.empty()) hint += '?';
  return hint;
}

// What follows "label ID matches nothing in DIR" for an id not in `pool`: the label id's form and, when ids
// in `pool` are close, a did-you-mean: those a few edits away (util::closest_names: a misspelt dimension or
// rater), else those that extend the id given by a '#' part (an id without its "#RATER"). At most three are
// named, with how many more there are.
std::string label_hint(const std::string& given, const std::set<std::string>& pool) {
  const std::vector<std::string> ids(pool.begin(), pool.end());
  std::vector<std::string> close = util::closest_names(given, ids);
  if (close.empty())
    for (const auto& id : ids)
      if (util::starts_with(id, given + "#")) close.push_back(id);
  return std::string(" (a label id is NOTEBOOK#DIMENSION#RATER)").append(did_you_mean(close));
}

// What follows "notebook PATH matches nothing in DIR": the notebooks of `pool` it may have meant, named as
// label_hint names ids. Those whose path or file name starts with it once a leading "./" is dropped (a name
// without its extension or ending: `life_satisfaction` names ipynb/life_satisfaction_2019.ipynb), else those
// with its file name (data/x.ipynb for ipynb/x.ipynb), else those whose file name starts with its file name
// less the extension (`titanic_random_forest.ipynb` names ipynb/titanic_random_forest_getting_started.ipynb),
// else those whose path or file name is a few edits away (util::closest_names).
std::string notebook_hint(const std::string& given, const std::set<std::string>& pool) {
  const std::string_view name = util::notebook_name(given);
  const auto file_name = [](const std::string& path) {
    const auto slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
  };
  std::vector<std::string> close;
  if (!name.empty())
    for (const auto& nb : pool)
      if (util::starts_with(util::notebook_name(nb), name) || util::starts_with(file_name(nb), name))
        close.push_back(nb);
  if (close.empty())  // the same file in another folder: data/x.ipynb for ipynb/x.ipynb
    for (const auto& nb : pool)
      if (file_name(nb) == file_name(std::string(name))) close.push_back(nb);
  // The start of a file name with the extension typed after it: titanic_random_forest.ipynb for
  // ipynb/titanic_random_forest_getting_started.ipynb.
  const std::string given_file = file_name(std::string(name));
  const auto dot = given_file.rfind('.');
  const std::string stem = dot == std::string::npos || dot == 0 ? std::string() : given_file.substr(0, dot);
  if (close.empty() && stem.size() >= 3)  // a letter or two begins too many names to mean one
    for (const auto& nb : pool)
      if (util::starts_with(file_name(nb), stem)) close.push_back(nb);
  if (close.empty()) {
    std::vector<std::string> paths, names;
    for (const auto& nb : pool) {
      paths.emplace_back(util::notebook_name(nb));
      names.push_back(file_name(nb));
    }
    std::set<std::string> near;
    for (const auto& p : util::closest_names(name, paths)) near.insert(p);
    for (const auto& n : util::closest_names(name, names)) near.insert(n);
    for (const auto& nb : pool)
      if (near.count(std::string(util::notebook_name(nb))) || near.count(file_name(nb))) close.push_back(nb);
  }
  return did_you_mean(close);
}

Targets resolve_targets(const char* command, const MemoryCliOptions& opt,
                        const std::set<std::string>& notebook_pool, const std::set<std::string>& label_pool,
                        const std::set<std::string>* notebook_hints = nullptr,
                        const std::set<std::string>* label_hints = nullptr,
                        const std::set<std::string>* held_notebooks = nullptr,
                        const std::set<std::string>* held_labels = nullptr) {
  if (opt.notebooks.empty() && opt.labels.empty() && !opt.all)
    throw Error(std::string("memory ") + command + ": give --notebook PATH... or --label ID..." +
                    (std::string(command) == "unforget" ? " or --all" : ""),
                ExitCode::usage);
  Targets t;
  struct Unmatched {
    std::string what, hint;      // "notebook X", and what follows "matches nothing in DIR"
    bool not_forgotten = false;  // unforget of what memory holds: never forgotten (or re-admitted)
  };
  std::vector<Unmatched> unmatched;
  const std::vector<std::string> pool(notebook_pool.begin(), notebook_pool.end());
  for (const auto& given : opt.notebooks) {
    const auto found = memory::match_notebook(given, pool);
    if (found.size() > 1) {
      std::string msg = std::string("memory ") + command + ": --notebook " + given + " matches " +
                        std::to_string(found.size()) + " notebooks; give one of:";
      for (const auto& f : found) msg += "\n  " + f;
      throw Error(msg, ExitCode::usage);
    }
    // unforget of a notebook memory holds episodes of: it was never forgotten (or was re-admitted).
    if (found.empty() && held_notebooks &&
        !memory::match_notebook(given, {held_notebooks->begin(), held_notebooks->end()}).empty())
      unmatched.push_back({"notebook " + given, "", true});
    else if (found.empty())
      unmatched.push_back({"notebook " + given,
                           notebook_hint(given, notebook_hints ? *notebook_hints : notebook_pool), false});
    else
      t.notebooks.push_back(found.front());
  }
  for (const auto& given : opt.labels)
    if (label_pool.count(given))
      t.labels.push_back(given);
    else if (held_labels && held_labels->count(given))
      unmatched.push_back({"label " + given, "", true});
    else
      unmatched.push_back(
          {"label " + given, label_hint(given, label_hints ? *label_hints : label_pool), false});
  for (const auto& u : unmatched)
    if (u.not_forgotten)
      std::cerr << "judge: warning: memory " << command << ": " << u.what << " is not forgotten in "
                << opt.dir << " (memory holds it; judge memory forget removes it)\n";
    else
      std::cerr << "judge: warning: memory " << command << ": " << u.what << " matches nothing in " << opt.dir
                << u.hint << "\n";
  if (t.notebooks.empty() && t.labels.empty() && !opt.all)
    throw Error(std::string("memory ") + command + ": nothing in " + opt.dir +
                " matches what was given; nothing changed");
  return t;
}

// The notebook a label id "notebook#dimension#rater" belongs to.
std::string notebook_of_label(const std::string& id) {
  const auto rater = id.rfind('#');
  const auto dimension =
      rater == std::string::npos || rater == 0 ? std::string::npos : id.rfind('#', rater - 1);
  return dimension == std::string::npos ? id : id.substr(0, dimension);
}

// The DIMENSION of a label id NOTEBOOK#DIMENSION#RATER ("" when it has no such part).
std::string dimension_of_label(const std::string& id) {
  const auto rater = id.rfind('#');
  const auto dimension =
      rater == std::string::npos || rater == 0 ? std::string::npos : id.rfind('#', rater - 1);
  return dimension == std::string::npos ? "" : id.substr(dimension + 1, rater - dimension - 1);
}

// After a forget: a calibration.json fitted partly on forgotten labels is refitted from the episodes left,
// with the method it records, or removed when none is left with both scores. Returns what it did.
std::string refit_calibration(const std::string& dir, const memory::Memory& m,
                              const std::optional<memory::Calibration>& old) {
  if (!old) return "";
  const auto fitted = memory::refit_calibration(dir, m, old);
  if (!fitted) return "; calibration.json removed (no episode left with both a judge and a human score)";
  return std::string("; calibration.json refitted (") + stats::isotonic_method_name(old->loss) + ") for " +
         std::to_string(fitted->maps.size()) + " dimensions on the episodes left";
}

// What became of one learnt rule of a dimension forget refitted, against the learnt rules it had before
// forget (align's, the hand-edited ones aside): kept (the same text), recounted (the same rule, its "(N of M
// labels)" counted again on the labels left), changed (the same facts, tests and action with other
// thresholds, align::rule_shape: learnt again, as rule_stability counts it), removed (not learnt again) or
// added (a rule of another shape).
struct RuleFate {
  enum class Kind { kept, recounted, changed, removed, added } kind;
  std::string text;  ///< the rule now (the old one when removed)
  std::string was;   ///< recounted, changed: the rule before
};

// The fates of the learnt rules `before` of one dimension against those the refit wrote (`now`): exact texts
// first, then the same rule recounted, then the same shape; the rules now in their order, then those removed.
std::vector<RuleFate> rule_fates(std::vector<std::string> before, const std::vector<std::string>& now) {
  const auto rule_of = [](const std::string& text) {  // the rule without its "(N of M labels)"
    std::string error;
    const auto rule = memory::parse_fact_rule(text, error);
    return rule ? memory::format_fact_rule(*rule) : text;
  };
  std::vector<RuleFate> out(now.size());
  std::vector<bool> matched(now.size(), false);
  const auto match = [&](RuleFate::Kind kind, const auto& same) {
    for (std::size_t i = 0; i < now.size(); ++i) {
      if (matched[i]) continue;
      const auto was =
          std::find_if(before.begin(), before.end(), [&](const auto& b) { return same(b, now[i]); });
      if (was == before.end()) continue;
      out[i] = {kind, now[i], kind == RuleFate::Kind::kept ? std::string() : *was};
      matched[i] = true;
      before.erase(was);
    }
  };
  match(RuleFate::Kind::kept, [](const std::string& b, const std::string& n) { return b == n; });
  match(RuleFate::Kind::recounted,
        [&](const std::string& b, const std::string& n) { return rule_of(b) == rule_of(n); });
  match(RuleFate::Kind::changed, [](const std::string& b, const std::string& n) {
    const std::string shape = align::rule_shape(n);
    return !shape.empty() && align::rule_shape(b) == shape;
  });
  for (std::size_t i = 0; i < now.size(); ++i)
    if (!matched[i]) out[i] = {RuleFate::Kind::added, now[i], ""};
  for (auto& b : before) out.push_back({RuleFate::Kind::removed, std::move(b), ""});
  return out;
}

// The learnt rules per dimension forget refitted: each dimension of `refitted` with the fates of its rules
// `before` forget (align::refit_learnt_rules).
std::map<std::string, std::vector<RuleFate>> refit_fates(
    const std::map<std::string, std::vector<std::string>>& before,
    const std::map<std::string, align::Refit>& refitted) {
  std::map<std::string, std::vector<RuleFate>> out;
  for (const auto& [dimension, refit] : refitted) {
    const auto it = before.find(dimension);
    out[dimension] = rule_fates(it == before.end() ? std::vector<std::string>{} : it->second, refit.written);
  }
  return out;
}

// What the refit changed, counted against the learnt rules before forget: "; the learnt-rule refit recounted
// 1 rule, changed 1, removed 2 and added 1" (the counts that are not 0; a rule kept as it was is not
// counted), or "" when it changed no learnt rule. A rule forget removed (it cited a forgotten label) that the
// refit learnt again is recounted or kept, not removed and added: so the guidelines add up, those before,
// less the other guidelines forget removed, less the refit's removed, plus its added, are those left.
std::string refit_changes_text(const std::map<std::string, std::vector<RuleFate>>& fates) {
  std::size_t recounted = 0, changed = 0, removed = 0, added = 0;
  for (const auto& [dimension, list] : fates)
    for (const auto& f : list) {
      recounted += f.kind == RuleFate::Kind::recounted;
      changed += f.kind == RuleFate::Kind::changed;
      removed += f.kind == RuleFate::Kind::removed;
      added += f.kind == RuleFate::Kind::added;
    }
  const std::pair<std::size_t, const char*> counts[] = {
      {recounted, "recounted "}, {changed, "changed "}, {removed, "removed "}, {added, "added "}};
  std::string text;
  for (const auto& [n, verb] : counts) {
    if (n == 0) continue;
    const bool first = text.empty();
    text += first ? "; the learnt-rule refit " : ", ";
    text += verb;
    text += first ? util::count_text(n, "rule") : std::to_string(n);  // the noun once, after the first count
  }
  if (const auto last = text.rfind(", "); last != std::string::npos) text.replace(last, 2, " and ");
  return text;
}

// What forget says of the learnt rules ("" when it removed none and the refit changed none). Without a refit
// (`refitted` empty: the memory's rubric could not be had), how many of the guidelines removed were learnt
// rules ("2 of the 3 guidelines removed were learnt rules") and that judge align refits them. With one, per
// dimension whose learnt rules the refit changed, each rule's fate (rule_fates) and the rules learnt again
// but withheld.
std::string learnt_rules_note(const memory::ForgetResult& r,
                              const std::map<std::string, align::Refit>& refitted,
                              const std::map<std::string, std::vector<RuleFate>>& fates) {
  std::string note;
  const std::size_t n = r.learnt_rules_removed;
  if (refitted.empty()) {
    if (n == 0) return note;
    if (n < r.guidelines_removed) {
      note += std::to_string(n);
      note += " of the ";
      note += util::count_text(r.guidelines_removed, "guideline");
    } else {
      note += "the ";
      note += n == 1 ? std::string("guideline") : util::count_text(n, "guideline");
    }
    note += " removed ";
    note += n == 1 ? "was a learnt rule" : "were learnt rules";
    note += "; judge align refits ";
    note += n == 1 ? "it" : "them";
    note +=
        " from the remaining labels (run it with the rubric the memory was aligned for: this one is "
        "not the built-in rubric, and judge.yaml or JUDGE_RUBRIC does not name it)\n";
    return note;
  }
  std::string changed;
  for (const auto& [dimension, refit] : refitted) {
    const auto& list = fates.at(dimension);
    const bool same = std::all_of(list.begin(), list.end(),
                                  [](const RuleFate& f) { return f.kind == RuleFate::Kind::kept; });
    if (same && refit.withheld.empty()) continue;
    const std::string at = "  " + dimension + ": ";
    // A dimension with labels left and no rule is said by print_learnt ("no rule beat the judge's own
    // verdicts on ..."), as align says it; one without is not (align says nothing of it either).
    if (!refit.labelled) changed += at + "no learnt rule (no label of it is left)\n";
    for (const auto& f : list) {
      switch (f.kind) {
        case RuleFate::Kind::kept:
          changed += at + "kept: " + f.text + "\n";
          break;
        case RuleFate::Kind::recounted: {
          const auto was = memory::stated_support(f.was);
          changed +=
              at + "kept, recounted: " + f.text +
              (was ? " (was " + std::to_string(was->right) + " of " + std::to_string(was->covers) + " labels)"
                   : " (was `" + f.was + "`)") +
              "\n";
          break;
        }
        case RuleFate::Kind::changed:
          changed += at + "changed: " + f.text + " (was `" + f.was + "`)\n";
          break;
        case RuleFate::Kind::removed:
          changed += at + "removed: " + f.text + "\n";
          break;
        case RuleFate::Kind::added:
          changed += at + "added: " + f.text + "\n";
          break;
      }
    }
    for (const auto& rule : refit.withheld)
      changed +=
          at + "`" + rule +
          "` learnt again but left out, as a person edited or deleted it (to have it back, write it in "
          "guidelines.yaml with source: manual)\n";
  }
  if (!changed.empty())
    note +=
        "learnt rules refitted from the remaining labels as judge align would (the blend weights with "
        "them):\n" +
        changed;
  return note;
}

int run_forget(const MemoryCliOptions& opt) {
  const memory::WriteLock lock =
      lock_memory(opt.dir, false);  // held to the end: no other writer's save is lost
  auto m = memory::Memory::load(opt.dir);
  const auto calibration = memory::load_calibration(opt.dir);  // a bad file fails before anything changes
  std::set<std::string> notebooks, labels;
  for (const auto& e : m.episodes()) notebooks.insert(e.notebook);
  for (const auto& l : m.live_labels()) labels.insert(l);
  const std::set<std::string> with_episodes = notebooks, live = labels;
  // Forgetting again what is forgotten already is not an error: a tombstone matches, and so does a label of
  // a forgotten notebook. Each is said to be forgotten already (with when), and not forgotten again.
  std::map<std::string, std::string> when;  // "notebook X" / "label ID" -> the tombstone's time
  for (const auto& f : m.forgotten()) {
    if (f.notebook.empty())
      labels.insert(f.label);
    else
      notebooks.insert(f.notebook);
    when[f.notebook.empty() ? "label " + f.label : "notebook " + f.notebook] = f.time;
  }
  // A label of a forgotten notebook matches when its dimension is one the memory knows (a misspelt one,
  // `#data_imputaton#`, is no label of it: "matches nothing", with a did-you-mean).
  std::set<std::string> dimensions;
  for (const auto& e : m.episodes()) dimensions.insert(e.dimension);
  for (const auto& f : m.forgotten())
    if (f.notebook.empty()) dimensions.insert(dimension_of_label(f.label));
  for (const auto& given : opt.labels)
    if (notebook_of_label(given) != given && when.count("notebook " + notebook_of_label(given)) &&
        dimensions.count(dimension_of_label(given)))
      labels.insert(given);
  // What is forgotten already matches (said so below), but a did-you-mean names only what can be forgotten.
  const auto t = resolve_targets("forget", opt, notebooks, labels, &with_episodes, &live);
  Targets fresh;
  std::string already;
  auto forgotten_before = [&](const std::string& what, const std::string& notebook) {
    auto it = when.find(what);
    if (it == when.end()) it = when.find("notebook " + notebook);
    if (it == when.end()) return false;
    already += what;
    already += " was already forgotten (";
    if (it->first != what) {
      already += "with ";
      already += it->first;
      already += ' ';
    }
    already += "on ";
    already += it->second;
    already += "); nothing to remove\n";
    return true;
  };
  for (const auto& nb : t.notebooks)
    if (with_episodes.count(nb) || !forgotten_before("notebook " + nb, nb)) fresh.notebooks.push_back(nb);
  for (const auto& id : t.labels)
    if (live.count(id) || !forgotten_before("label " + id, notebook_of_label(id))) fresh.labels.push_back(id);
  if (fresh.notebooks.empty() && fresh.labels.empty()) {  // nothing new: the memory stays as it is
    std::cout << already;
    return 0;
  }
  std::map<std::string, std::vector<std::string>> before;  // the learnt rules align wrote, per dimension
  for (const auto& g : m.all_guidelines())
    if (g.source == "learnt" && !m.edited_by_hand(g)) before[g.dimension].push_back(g.text);
  const auto r = memory::forget(m, fresh.notebooks, fresh.labels);
  std::map<std::string, std::size_t> kept;  // of the learnt rules `before`, those forget left, per dimension
  for (const auto& g : m.all_guidelines()) kept[g.dimension] += g.source == "learnt" && !m.edited_by_hand(g);
  // The learnt rules of the dimensions whose episodes went are refitted now, as the next align would, so the
  // judge neither goes without a rule that cited a forgotten label nor keeps rules a fit without that label
  // would not learn; with the rubric the memory was aligned for only (its scale is what the rules may give).
  std::map<std::string, align::Refit> refitted;
  align::AlignSummary learnt;  // what the refit learnt, as align says it of its fit (print_learnt)
  if (offline_judge(m))
    if (const auto rubric = rubric_of(m, opt.settings))
      refitted = align::refit_learnt_rules(m, *rubric, r.dimensions, &learnt);
  m.save(opt.dir);
  const std::string calibrated = refit_calibration(opt.dir, m, calibration);
  // With a refit, the learnt rules forget removed from the dimensions refitted are counted by the refit
  // (against the rules before forget: one learnt again is kept or recounted, not removed and added); the
  // guidelines said removed are the others.
  std::size_t removed = r.guidelines_removed;
  for (const auto& [dimension, texts] : before)
    if (refitted.count(dimension)) removed -= texts.size() - kept[dimension];
  const auto fates = refit_fates(before, refitted);
  std::cout << "removed " << util::count_text(r.episodes_removed, "episode") << " and "
            << util::count_text(removed, "guideline")
            << (r.citations_removed > 0 ? ", and " + util::count_text(r.citations_removed, "citation") +
                                              " of the forgotten labels from the guidelines kept"
                                        : std::string())
            << refit_changes_text(fates) << "; " << util::count_text(m.episodes().size(), "episode")
            << " and " << util::count_text(m.all_guidelines().size(), "guideline") << " left; "
            << util::count_text(m.forgotten().size(), "tombstone")
            << (m.forgotten().size() == 1 ? " keeps" : " keep")
            << " forgotten labels out of judge align (judge memory unforget re-admits them)" << calibrated
            << "\n"
            << learnt_rules_note(r, refitted, fates);
  print_learnt(m, learnt);  // the warnings judge align gives of what it learnt, of the dimensions refitted
  std::cout << already;
  return 0;
}

int run_unforget(const MemoryCliOptions& opt) {
  const memory::WriteLock lock =
      lock_memory(opt.dir, false);  // held to the end: no other writer's save is lost
  auto m = memory::Memory::load(opt.dir);
  std::set<std::string> notebooks, labels;
  for (const auto& f : m.forgotten()) {
    if (f.notebook.empty()) labels.insert(f.label);
    notebooks.insert(f.notebook.empty() ? notebook_of_label(f.label) : f.notebook);
  }
  std::set<std::string> with_episodes;
  for (const auto& e : m.episodes()) with_episodes.insert(e.notebook);
  const auto live = m.live_labels();
  const std::set<std::string> held_labels(live.begin(), live.end());
  // A label of a notebook forgotten whole has no tombstone of its own: its notebook's is the one to clear.
  std::set<std::string> forgotten_notebooks;
  for (const auto& f : m.forgotten())
    if (!f.notebook.empty()) forgotten_notebooks.insert(f.notebook);
  MemoryCliOptions given = opt;
  std::erase_if(given.labels, [&](const std::string& id) {
    if (labels.count(id) || !forgotten_notebooks.count(notebook_of_label(id))) return false;
    std::cerr << "judge: warning: memory unforget: label " << id << " is forgotten with its notebook "
              << notebook_of_label(id) << ", whose tombstone covers every label of it: judge memory unforget "
              << opt.dir << " --notebook " << notebook_of_label(id) << " re-admits them all\n";
    return true;
  });
  if (given.labels.empty() && given.notebooks.empty() && !given.all)
    throw Error("memory unforget: nothing in " + opt.dir + " matches what was given; nothing changed");
  auto t =
      resolve_targets("unforget", given, notebooks, labels, nullptr, nullptr, &with_episodes, &held_labels);
  if (opt.all) t = {{notebooks.begin(), notebooks.end()}, {labels.begin(), labels.end()}};
  const auto r = memory::unforget(m, t.notebooks, t.labels);
  m.save(opt.dir);
  std::cout << "cleared " << util::count_text(r.tombstones, "tombstone") << "; " << m.forgotten().size()
            << " left; the next judge align admits their labels again";
  if (r.citations_restored > 0)
    std::cout << "; " << util::count_text(r.citations_restored, "citation")
              << " forget took out of guidelines put back";
  std::cout << "\n";
  if (!r.not_restored.empty()) {
    std::cerr
        << "judge: warning: memory unforget: " << util::count_text(r.not_restored.size(), "citation")
        << " forget took out of guidelines not put back: the guideline is no longer in "
        << (std::filesystem::path(opt.dir) / "guidelines.yaml").string()
        << " as it was (edited or deleted since), or cites the label again; add each to the cites of the "
           "guideline it belongs to by hand if it should stay:\n";
    for (const auto& c : r.not_restored)
      std::cerr << "  " << c.dimension << ": \"" << c.text << "\": " << c.cite << "\n";
  }
  return 0;
}

}  // namespace

void setup_memory(CLI::App& app, RunFn& run) {
  auto* cmd = app.add_subcommand("memory", "Inspect and prune aligned memory (docs/memory.md)");
  cmd->require_subcommand(1);
  auto opt = std::make_shared<MemoryCliOptions>();
  auto* show = cmd->add_subcommand(
      "show",
      "Print provenance, guidelines (warning of rules judge eval warns of or refuses), blend weights and "
      "episodes; with --prompt, the memory section of a judge prompt");
  show->add_option("dir", opt->dir, "Memory folder")->required();
  show->add_option("--prompt", opt->prompt,
                   "Print exactly the memory section an LLM judge's prompt carries for this notebook (with "
                   "--dimension; the path as given to judge eval)");
  show->add_option(
          "--dimension", opt->dimension,
          "Show only this dimension's guidelines, blend weight and episodes (and, with --prompt, the "
          "dimension the prompt judges)")
      ->transform(CLI::Validator(
          [](std::string& value) -> std::string {
            value = std::string(util::trim(value));  // " model_training" as typed in a quoted list
            return value.empty() ? "an empty dimension id; give one of the rubric's dimensions" : "";
          },
          "ID", "dimension id"));
  add_judge_options(*show, opt->settings,
                    "With --prompt: episodes retrieved (default: the k recorded with the memory)");
  show->callback([&run, opt] { run = [opt] { return run_show(*opt); }; });
  auto* stats = cmd->add_subcommand(
      "stats",
      "Per dimension: episodes, N/A, mean human score, the judge's MAE without memory (its scores at judge "
      "align against the labels), guidelines");
  stats->add_option("dir", opt->dir, "Memory folder")->required();
  stats->callback([&run, opt] { run = [opt] { return run_stats(*opt); }; });
  auto* forget = cmd->add_subcommand(
      "forget",
      "Remove the episodes of notebooks or labels, and every guideline not written by hand (not source: "
      "manual) that cites one of their labels");
  // What memory::forget and the refit after it remove and keep, said in full (the summary above is short).
  forget->footer(
      "What forget removes and keeps:\n"
      "  removes  the episodes of the notebooks and labels given (a notebook: every label of it);\n"
      "           every guideline whose source is not manual (learnt rules, extractive and reflection\n"
      "           guidelines) that cites one of their labels, whatever else it cites: its text may carry\n"
      "           that label's feedback\n"
      "  keeps    every other episode and guideline; guidelines with source: manual and learnt rules a\n"
      "           person edited stay, without their citations of the forgotten labels (judge memory\n"
      "           unforget puts those back)\n"
      "  then     the learnt rules and blend weights of the dimensions whose episodes went are refitted\n"
      "           from the labels left (a memory of the heuristic judge whose rubric is at hand; else the\n"
      "           next judge align refits them); calibration.json is refitted too; the other labels a\n"
      "           removed guideline cited are distilled again by the next judge align; a tombstone per\n"
      "           notebook or label keeps them out of judge align until judge memory unforget re-admits\n"
      "           them\n\n" +
      forget->get_footer());
  forget->add_option("dir", opt->dir, "Memory folder")->required();
  forget->add_option("--notebook", opt->notebooks,
                     "Notebook path(s) as in the labels, or their end on whole path components");
  forget->add_option("--label", opt->labels, "Label id(s) NOTEBOOK#DIMENSION#RATER");
  forget->callback([&run, opt] { run = [opt] { return run_forget(*opt); }; });
  auto* unforget = cmd->add_subcommand(
      "unforget", "Clear tombstones left by forget so that the next align admits those labels again");
  unforget->add_option("dir", opt->dir, "Memory folder")->required();
  unforget->add_option("--notebook", opt->notebooks,
                       "Forgotten notebook path(s), or their end on whole path components");
  unforget->add_option("--label", opt->labels, "Forgotten label id(s) NOTEBOOK#DIMENSION#RATER");
  unforget->add_flag("--all", opt->all, "Clear every tombstone");
  unforget->callback([&run, opt] { run = [opt] { return run_unforget(*opt); }; });
}

}  // namespace judge::cli
