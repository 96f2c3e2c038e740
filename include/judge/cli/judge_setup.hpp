// SPDX-License-Identifier: MIT
// What judge eval, align and validate share: the setting flags they register, and the rubric, judge,
// reflection model and embeddings settings made from the resolved configuration (docs/config.md).
#pragma once
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>

#include "judge/cli/config.hpp"
#include "judge/labels/labels.hpp"
#include "judge/llm/provider.hpp"
#include "judge/llm/registry.hpp"
#include "judge/llm/usage.hpp"
#include "judge/memory/write_lock.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/scoring/memory_blend.hpp"

namespace judge::cli {

/// The settings a subcommand was given as flags and its --config file.
struct SettingFlags {
  std::string config_file;
  std::map<std::string, std::string> flags;    ///< setting name -> value given on the command line
  std::map<std::string, std::string> spelled;  ///< setting name -> its flag as typed, when not "--name"
  /// Config::load with the process environment (throws as Config::load does).
  Config load() const;
};

/// Registers on `cmd` the options eval, align and validate share: a flag per setting and --config
/// (add_setting_options), `-k N` (setting k; `k_help` says what it does there; --k is accepted too but not
/// shown in the help, and messages name the spelling typed) and `--parallel N` (another name for --jobs,
/// which align and validate had before they read the settings).
void add_judge_options(CLI::App& cmd, SettingFlags& settings, const std::string& k_help);

/// The rubric of setting `rubric` (empty: the built-in ml-notebook rubric), cut to `dimensions`
/// (comma-separated ids; empty: all). Throws judge::Error for a bad file (led by the setting's source when it
/// is not a flag) or an unknown dimension (prefixed with `flag`, the option that gave `dimensions`).
rubric::Rubric configured_rubric(const Config& config, const std::string& dimensions = "",
                                 const std::string& flag = "--dimensions");

/// Warns on stderr ("judge: warning: ...") once per problem Judge::cannot_score finds in `rubric`, so a
/// dimension the judge cannot score is said when the rubric loads, not found later as unscored items.
void warn_cannot_score(const scoring::Judge& judge, const rubric::Rubric& rubric);

/// Setting `jobs` as a thread count (at least 1): the calls in flight at once over all endpoints. When jobs
/// is not set (its default) and every endpoint of base_url names its own jobs (URL#jobs=N), their sum.
std::size_t jobs(const Config& config);

/// Setting `k` (episodes retrieved per item): 1..1000. Throws judge::Error naming where it came from (exit 2
/// for a flag, else 1) for 0 or a larger number.
int configured_k(const Config& config);
/// Setting `k` when it was given (flag, environment or file), else `recorded` (the k a memory was aligned
/// with): a memory's k wins over the default only.
int k_or_recorded(const Config& config, int recorded);

/// The judge settings: base_url, api_version, timeouts, cache, rate limits, reasoning_model,
/// batch_dimensions, samples, temperature, max_tokens, token_budget, redact, memory_budget,
/// contrastive_episodes. `usage` (may be null) records
/// every call; `dry_run` turns the cache off. Throws judge::Error naming the source for a reasoning_model
/// that is not auto, true or false (usage when it came from a flag).
scoring::JudgeSettings judge_settings(const Config& config, std::shared_ptr<llm::UsageMeter> usage,
                                      bool dry_run = false);

/// Provider settings for the reflection or embeddings provider: base URL from the setting `base_url_setting`
/// ("reflection_base_url" or "embeddings_base_url"; empty: the provider's environment variable), timeouts,
/// api_version and embedding_dimensions. Its model family decides the reasoning-model body (by name).
llm::ProviderSettings provider_settings(const Config& config, const std::string& base_url_setting);

/// The reflection model of setting `reflection` (llm::make_chat_provider, retrying; its base URL from
/// reflection_base_url, else, when the reflection and judge specs name the same provider, the judge's
/// base_url, else the provider's variable), behind the same rate limits (a limiter of its own) and response
/// cache as the judge (scoring::wrap_provider), its calls recorded in `usage` (may be null); nullptr when the
/// setting is empty: the offline extractive distiller. Throws judge::Error as make_chat_provider does, the
/// message starting "reflection model " (a missing key names its variable and the base URL that needs it).
std::shared_ptr<llm::ChatProvider> make_reflection(const Config& config,
                                                   std::shared_ptr<llm::UsageMeter> usage);

/// "DIR/guidelines.yaml:LINE: WHAT" for a problem of a rule in the memory folder `memory_dir`
/// (scoring::check_fact_rules; no ":LINE" when its line is unknown), as judge eval and judge memory show
/// print it.
std::string rule_problem_text(const std::string& memory_dir, const scoring::FactRuleProblem& problem);

/// Refuses a memory in folder `memory_dir` whose rules (`check`, scoring::check_fact_rules on `rubric`) have
/// an action the rubric cannot give: throws judge::Error (ExitCode::runtime, as any bad file) saying what to
/// do and listing every such rule, one rule_problem_text line each; returns when there is none. For a judge
/// that applies the rules (Judge::learns_fact_rules), judge eval and judge align call it before judging.
void refuse_rules_off_the_rubric(const scoring::FactRuleCheck& check, const std::string& memory_dir,
                                 const rubric::Rubric& rubric);

/// "cost $0.0123" for `input` / `output` tokens of `spec` at the built-in prices or the `prices` file's,
/// or "cost unknown (...)" when neither has the model.
std::string cost_text(const Config& config, const std::string& spec, long input, long output);

/// One line on stderr, when any call was made or answered from the cache: calls, cached, failed, tokens,
/// mean latency and cost of the model `spec`; `what` (e.g. "reflection") names the calls when they are not
/// the judge's.
void print_totals(const std::string& spec, const llm::UsageMeter& usage, const Config& config,
                  const std::string& what = "");

/// With --skip-missing-notebooks, what labels::read_labels set aside (LabelSet::skipped), for one warning:
/// "--skip-missing-notebooks: left out 2 of 5 labelled notebooks, not found under DIR (18 labels): a.ipynb,
/// b.ipynb" (the first 5 named, then ", ..."); "" when nothing was.
std::string skipped_notebooks_text(const labels::LabelSet& labels, const std::string& notebooks_dir);

/// Reads labels (labels::read_labels) and prints each of its warnings (LabelSet::warnings) on stderr.
labels::LabelSet read_labels_warned(const std::string& file, const labels::LabelCheck& check);

/// The memory folder `dir` locked for a command that writes it (memory::WriteLock), taken before the memory
/// is loaded and held until it is saved; when another judge command holds it, says once on stderr "judge:
/// waiting for DIR: another judge command is writing it" and waits. `create`: a missing folder is made
/// (align); else it is left missing, unlocked, for Memory::load to say so (forget, unforget).
memory::WriteLock lock_memory(const std::string& dir, bool create);

}  // namespace judge::cli
