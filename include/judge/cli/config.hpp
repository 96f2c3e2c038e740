// SPDX-License-Identifier: MIT
#pragma once
#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace judge::cli {

/// What a setting holds; values are checked against it when the configuration is loaded. A url is empty or
/// starts with http:// or https://.
enum class SettingKind { text, whole, number, boolean, url };

/// One setting: name (as in judge.yaml), default, kind and a one-line description. Its environment variable
/// is JUDGE_ + the name in upper case (JUDGE_JOBS, JUDGE_CACHE_MODE, ...).
struct SettingSpec {
  const char* name;
  const char* default_value;
  SettingKind kind;
  const char* help;
};

/// Every setting judge knows, in the order `judge config show` prints them (docs/config.md).
const std::vector<SettingSpec>& setting_specs();

/// The environment variable of a setting: "JUDGE_" + upper-case name.
std::string env_name(const std::string& setting);

/// A value and where it came from: "flag --NAME", "env JUDGE_NAME", "FILE:LINE" or "default".
struct SettingValue {
  std::string value;
  std::string source;
};

/// Looks up an environment variable (nullopt: unset or empty).
using EnvFn = std::function<std::optional<std::string>(const std::string&)>;

/// The resolved configuration. Precedence, highest first: flags, environment, the file, defaults.
class Config {
 public:
  /// Loads: defaults; then `file` when given (it must exist), else ./judge.yaml when it exists; then the
  /// environment; then `flags` (setting name -> value given on the command line). Throws judge::Error naming
  /// the source ("judge.yaml:3: ...", "env JUDGE_JOBS: ...") for an unknown setting or a value of the wrong
  /// kind, listing every problem; usage errors (exit 2) for flags, runtime errors (exit 1) otherwise. A
  /// cache mode's name given as `cache` ("--cache off", ro, rw, read-only, read-write, replay-only) sets
  /// cache_mode from that source and leaves the cache file as it was: it never names a file "off".
  /// `spelled` (setting name -> the flag as the user typed it, e.g. "-k") names a flag's source in messages;
  /// absent: "--" + the setting name with '_' as '-'. A relative path in the file (settings rubric, prices,
  /// cache) is relative to the file's folder; one from a flag or the environment, to the working folder.
  static Config load(const std::string& file, const std::map<std::string, std::string>& flags,
                     const EnvFn& env, const std::map<std::string, std::string>& spelled = {});

  const SettingValue& at(const std::string& name) const;
  const std::string& get(const std::string& name) const { return at(name).value; }
  long get_whole(const std::string& name) const;
  double get_number(const std::string& name) const;
  bool get_bool(const std::string& name) const;
  /// The response cache file: the `cache` setting, else llm::default_cache_path().
  std::filesystem::path cache_path() const;
  /// The file that was read, or empty.
  const std::string& file() const { return m_file; }

 private:
  std::map<std::string, SettingValue> m_values;
  std::string m_file;
};

/// Adds a flag for every setting to `cmd` (--judge, --base-url, --jobs, --cache-mode, ...: the name with '-'
/// for '_'; booleans as --batch-dimensions and --no-redact) plus --config FILE. Each flag given is stored in
/// `flags` under the setting's name, for Config::load.
void add_setting_options(CLI::App& cmd, std::map<std::string, std::string>& flags, std::string& config_file);

/// One warning per variable of `names` (environment variable names) that starts with JUDGE_ but names no
/// setting, naming the closest setting by edit distance: "JUDGE_JOB names no setting, so it is ignored; the
/// closest is JUDGE_JOBS (setting jobs; ...)". Other names are not looked at.
std::vector<std::string> unknown_environment_settings(const std::vector<std::string>& names);

/// Config::load with the process environment, after warning on stderr ("judge: warning: ...") about each
/// JUDGE_ variable that names no setting (unknown_environment_settings). Throws as Config::load does.
Config load_process_config(const std::string& file, const std::map<std::string, std::string>& flags,
                           const std::map<std::string, std::string>& spelled = {});

/// The process environment (empty values count as unset).
std::optional<std::string> process_environment(const std::string& name);

}  // namespace judge::cli
