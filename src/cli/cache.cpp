// SPDX-License-Identifier: MIT
// judge cache stats | clear: the response cache (docs/cache.md).
#include "judge/llm/cache.hpp"

#include <iostream>

#include "judge/cli/commands.hpp"
#include "judge/cli/config.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

namespace {

struct CacheOptions {
  std::string config_file;
  std::map<std::string, std::string> flags;
};

// The cache file these commands act on. A mode name given as --cache (which eval reads as cache_mode) names
// no file here: refused, so `judge cache clear --cache off` never clears the default cache by surprise.
std::filesystem::path cache_path(const CacheOptions& opt) {
  const auto flag = opt.flags.find("cache");
  if (flag != opt.flags.end() && llm::find_cache_mode(flag->second))
    throw Error(
        "flag --cache: \"" + flag->second +
            "\" is a cache mode, not a file; judge cache stats|clear take the cache file (e.g. --cache "
            "./" +
            flag->second + " for a file of that name)",
        ExitCode::usage);
  return load_process_config(opt.config_file, opt.flags).cache_path();
}

int run_stats(const CacheOptions& opt) {
  const auto path = cache_path(opt);
  if (!std::filesystem::exists(path)) {
    std::cout << "cache: " << path.string() << " (not created yet)\nentries: 0\n";
    return static_cast<int>(ExitCode::ok);
  }
  llm::ResponseCache cache(path);
  const auto s = cache.stats();
  std::cout << "cache: " << s.path << "\nentries: " << s.entries << "\nstored replies: " << s.bytes
            << " bytes\nfile size: " << s.file_bytes << " bytes\n";
  return static_cast<int>(ExitCode::ok);
}

int run_clear(const CacheOptions& opt) {
  const auto path = cache_path(opt);
  if (!std::filesystem::exists(path)) {
    std::cerr << "judge: cache " << path.string() << " does not exist; nothing to clear\n";
    return static_cast<int>(ExitCode::ok);
  }
  llm::ResponseCache cache(path);
  const auto n = cache.clear();
  std::cerr << "judge: removed " << n << " entries from " << path.string() << "\n";
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

void setup_cache(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<CacheOptions>();
  auto* cmd = app.add_subcommand("cache", "Inspect or clear the LLM response cache");
  cmd->require_subcommand(1);
  auto add = [&](const char* name, const char* help, int (*fn)(const CacheOptions&)) {
    auto* sub = cmd->add_subcommand(name, help);
    sub->add_option("--config", opt->config_file, "Configuration file (default: ./judge.yaml when present)");
    sub->add_option_function<std::string>(
        "--cache", [opt](const std::string& v) { opt->flags["cache"] = v; },
        "Cache file (default: $XDG_CACHE_HOME/judge/cache.sqlite)");
    sub->callback([&run, opt, fn] { run = [opt, fn] { return fn(*opt); }; });
  };
  add("stats", "Print the cache file, its entries and size", run_stats);
  add("clear", "Delete every cached reply", run_clear);
}

}  // namespace judge::cli
