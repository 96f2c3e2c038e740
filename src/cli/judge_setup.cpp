// SPDX-License-Identifier: MIT
// The options and settings judge eval, align and validate share.
#include "judge/cli/judge_setup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "judge/cli/commands.hpp"
#include "judge/llm/endpoints.hpp"
#include "judge/llm/pricing.hpp"
#include "judge/memory/memory.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::cli {

Config SettingFlags::load() const { return load_process_config(config_file, flags, spelled); }

void add_judge_options(CLI::App& cmd, SettingFlags& settings, const std::string& k_help) {
  auto* s = &settings;
  cmd.add_option_function<std::string>(
      "--parallel", [s](const std::string& v) { s->flags["jobs"] = v; }, "Same as --jobs");
  add_setting_options(cmd, settings.flags, settings.config_file);
  cmd.remove_option(cmd.get_option("--k"));  // one k option, shown as -k
  for (const std::string name : {"-k", "--k"})
    cmd.add_option_function<std::string>(
           name,
           [s, name](const std::string& v) {
             s->flags["k"] = v;
             s->spelled["k"] = name;
           },
           k_help + " (setting k)")
        ->group(name == "-k" ? "Options" : "");
}

rubric::Rubric configured_rubric(const Config& config, const std::string& dimensions,
                                 const std::string& flag) {
  const std::string file = config.get("rubric");
  const std::string& source = config.at("rubric").source;
  // A rubric file named in judge.yaml or the environment: its error starts with where the name came from,
  // since the command line does not show it.
  const auto load = [&] {
    try {
      return rubric::load_rubric(file);
    } catch (const Error& e) {
      if (source.rfind("flag ", 0) == 0) throw;
      throw Error("setting rubric (from " + source + "): " + e.message(), e.code());
    }
  };
  const rubric::Rubric base = file.empty() ? rubric::default_rubric() : load();
  if (dimensions.empty()) return base;
  try {
    return rubric::select_dimensions(base, dimensions);
  } catch (const Error& e) {
    throw Error(flag + ": " + e.message(), e.code());  // the rubric names no flag
  }
}

void warn_cannot_score(const scoring::Judge& judge, const rubric::Rubric& rubric) {
  for (const auto& problem : judge.cannot_score(rubric))
    std::cerr << "judge: warning: rubric " << rubric.id << ": " << with_flags(problem) << "\n";
}

std::size_t jobs(const Config& config) {
  if (config.at("jobs").source == "default") {  // every endpoint with its own jobs: their sum
    const auto endpoints = llm::parse_endpoints(config.get("base_url"));
    std::size_t sum = 0;
    bool all = !endpoints.empty();
    for (const auto& e : endpoints) {
      all = all && e.jobs > 0;
      sum += e.jobs;
    }
    if (all) return sum;
  }
  return static_cast<std::size_t>(std::max(1L, config.get_whole("jobs")));
}

int configured_k(const Config& config) {
  constexpr long k_max = memory::k_max_k;
  const auto& v = config.at("k");
  const long k = config.get_whole("k");
  if (k < 1 || k > k_max || v.value.size() > 6)
    throw Error(v.source + ": k (episodes retrieved) must be a whole number from 1 to " +
                    std::to_string(k_max) + ", got \"" + v.value + "\"",
                v.source.rfind("flag", 0) == 0 ? ExitCode::usage : ExitCode::runtime);
  return static_cast<int>(k);
}

int k_or_recorded(const Config& config, int recorded) {
  return config.at("k").source != "default" ? configured_k(config) : recorded;
}

namespace {

// reasoning_model: "auto" -> decided by the model name; "true" / "false" -> that (Config::load checked it).
std::optional<bool> reasoning_model(const Config& config) {
  const auto& v = config.at("reasoning_model").value;
  return v == "auto" ? std::nullopt : std::optional<bool>(v == "true");
}

std::string usd(double amount) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", amount);
  return buf;
}

}  // namespace

scoring::JudgeSettings judge_settings(const Config& config, std::shared_ptr<llm::UsageMeter> usage,
                                      bool dry_run) {
  scoring::JudgeSettings s;
  s.base_url = config.get("base_url");
  s.api_version = config.get("api_version");
  s.timeout_seconds = config.get_number("timeout");
  s.connect_timeout_seconds = config.get_number("connect_timeout");
  s.cache_path = config.cache_path().string();
  s.cache_mode = dry_run ? llm::CacheMode::off : llm::parse_cache_mode(config.get("cache_mode"));
  s.cache_max_bytes = static_cast<std::int64_t>(config.get_number("cache_max_mb") * 1024 * 1024);
  s.requests_per_minute = config.get_number("requests_per_minute");
  s.tokens_per_minute = config.get_number("tokens_per_minute");
  s.reasoning_model = reasoning_model(config);
  s.llm.batch_dimensions = config.get_bool("batch_dimensions");
  s.llm.samples = static_cast<int>(config.get_whole("samples"));
  s.llm.temperature = config.get_number("temperature");
  s.llm.max_tokens = static_cast<int>(config.get_whole("max_tokens"));
  s.llm.render.token_budget = static_cast<std::size_t>(config.get_whole("token_budget"));
  s.llm.redact = config.get_bool("redact");
  s.llm.memory_options.budget = static_cast<std::size_t>(config.get_whole("memory_budget"));
  s.llm.memory_options.contrastive_episodes = config.get_bool("contrastive_episodes");
  s.usage = std::move(usage);
  // A dry run sends nothing, and a replay-only cache answers a miss itself: neither needs a key or endpoint.
  s.offline = dry_run || s.cache_mode == llm::CacheMode::replay_only;
  return s;
}

llm::ProviderSettings provider_settings(const Config& config, const std::string& base_url_setting) {
  llm::ProviderSettings s;
  s.base_url = config.get(base_url_setting);
  s.api_version = config.get("api_version");
  s.connect_timeout_seconds = config.get_number("connect_timeout");
  s.timeout_seconds = config.get_number("timeout");
  s.embedding_dimensions = static_cast<int>(config.get_whole("embedding_dimensions"));
  return s;
}

std::shared_ptr<llm::ChatProvider> make_reflection(const Config& config,
                                                   std::shared_ptr<llm::UsageMeter> usage) {
  const std::string spec = config.get("reflection");
  if (spec.empty()) return nullptr;
  const scoring::JudgeSettings wrapping = judge_settings(config, std::move(usage));
  llm::ProviderSettings settings = provider_settings(config, "reflection_base_url");
  if (settings.base_url.empty() && llm::same_provider(spec, config.get("judge")))
    settings.base_url = config.get("base_url");  // the judge's server serves the reflection model too
  settings.offline = wrapping.offline;           // a replay-only cache answers every reflection call itself
  try {
    return scoring::wrap_provider(llm::make_chat_provider(spec, settings), wrapping);
  } catch (const Error& e) {
    throw Error("reflection model " + e.message(), e.code());
  }
}

std::string rule_problem_text(const std::string& memory_dir, const scoring::FactRuleProblem& problem) {
  std::string out = (std::filesystem::path(memory_dir) / "guidelines.yaml").string();
  if (problem.line > 0) {
    out += ":";
    out += std::to_string(problem.line);
  }
  out += ": ";
  out += problem.what;
  return out;
}

void refuse_rules_off_the_rubric(const scoring::FactRuleCheck& check, const std::string& memory_dir,
                                 const rubric::Rubric& rubric) {
  if (check.errors.empty()) return;
  const bool one = check.errors.size() == 1;
  std::string what = "memory ";
  what += memory_dir;
  what += " has ";
  what += util::count_text(check.errors.size(), "rule");
  what += one ? " whose action rubric " : " whose actions rubric ";
  what += rubric.id;
  what += one ? " cannot give; change the action to one it can give, or delete the rule"
              : " cannot give; change the actions to ones it can give, or delete the rules";
  what += ", in ";
  what += (std::filesystem::path(memory_dir) / "guidelines.yaml").string();
  what += ", then run again:";
  for (const auto& e : check.errors) {
    what += "\n  ";
    what += rule_problem_text(memory_dir, e);
  }
  throw Error(what);
}

std::string cost_text(const Config& config, const std::string& spec, long input, long output) {
  auto prices = llm::PriceTable::builtin();
  if (!config.get("prices").empty()) prices.load_file(config.get("prices"));
  const auto price = prices.find(spec);
  if (!price) return "cost unknown (no price for " + spec + "; add one with --prices FILE)";
  return "cost " + usd(llm::PriceTable::cost(*price, input, output));
}

void print_totals(const std::string& spec, const llm::UsageMeter& usage, const Config& config,
                  const std::string& what) {
  const auto t = usage.totals();
  if (t.calls + t.cached + t.errors == 0) return;
  std::ostringstream s;
  s << "judge: " << (what.empty() ? "" : what + " " + spec + ": ") << t.calls << " calls, " << t.cached
    << " from the cache, " << t.errors << " failed; tokens in " << t.input_tokens << ", out "
    << t.output_tokens;
  if (t.answered > 0)  // over the calls that got a reply: a failed call has no reply latency to count
    s << "; latency " << std::round(1000 * t.latency_seconds / static_cast<double>(t.answered)) / 1000
      << " s mean";
  s << "; " << cost_text(config, spec, t.input_tokens, t.output_tokens) << "\n";
  std::cerr << s.str();
}

labels::LabelSet read_labels_warned(const std::string& file, const labels::LabelCheck& check) {
  labels::LabelSet set = labels::read_labels(file, check);
  for (const auto& w : set.warnings) std::cerr << "judge: warning: " << w << "\n";
  return set;
}

std::string skipped_notebooks_text(const labels::LabelSet& labels, const std::string& notebooks_dir) {
  if (labels.skipped.empty()) return "";
  std::vector<std::string> left_out;  // file order
  for (const auto& l : labels.skipped)
    if (std::find(left_out.begin(), left_out.end(), l.item) == left_out.end()) left_out.push_back(l.item);
  std::set<std::string> labelled(left_out.begin(), left_out.end());
  for (const auto& l : labels.labels) labelled.insert(l.item);
  std::string text = "--skip-missing-notebooks: left out ";
  text += std::to_string(left_out.size()) + " of " + util::count_text(labelled.size(), "labelled notebook") +
          ", not found under " + notebooks_dir + " (" + util::count_text(labels.skipped.size(), "label") +
          "): ";
  for (std::size_t i = 0; i < left_out.size() && i < 5; ++i) text += (i ? ", " : "") + left_out[i];
  if (left_out.size() > 5) text += ", ...";
  return text;
}

memory::WriteLock lock_memory(const std::string& dir, bool create) {
  return memory::WriteLock(
      dir,
      [&dir] {
        std::cerr << "judge: waiting for " << dir << ": another judge command is writing it" << std::endl;
      },
      create);
}

}  // namespace judge::cli
