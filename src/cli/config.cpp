// SPDX-License-Identifier: MIT
// judge.yaml, the environment and flags resolved into one configuration; `judge config show`.
#include "judge/cli/config.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "judge/cli/commands.hpp"
#include "judge/llm/cache.hpp"
#include "judge/llm/endpoints.hpp"
#include "judge/llm/provider.hpp"
#include "judge/llm/registry.hpp"
#include "judge/memory/memory.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"
#include "judge/util/yaml_place.hpp"

namespace judge::cli {

namespace {

const SettingSpec* find_spec(const std::string& name) {
  for (const auto& s : setting_specs())
    if (name == s.name) return &s;
  return nullptr;
}

// Empty when `value` is valid for `kind`, else what is wrong.
std::string check_kind(const SettingSpec& spec, const std::string& value) {
  const std::string v(util::trim(value));
  char* end = nullptr;
  switch (spec.kind) {
    case SettingKind::text:
      return "";
    case SettingKind::whole: {
      const long n = std::strtol(v.c_str(), &end, 10);
      return !v.empty() && *end == '\0' && n >= 0
                 ? ""
                 : std::string(spec.name) + " must be a whole number >= 0, got \"" + value + "\"";
    }
    case SettingKind::number: {
      const double d = std::strtod(v.c_str(), &end);
      return !v.empty() && *end == '\0' && d >= 0
                 ? ""
                 : std::string(spec.name) + " must be a number >= 0, got \"" + value + "\"";
    }
    case SettingKind::boolean:
      return v == "true" || v == "false"
                 ? ""
                 : std::string(spec.name) + " must be true or false, got \"" + value + "\"";
    case SettingKind::url:
      if (std::string(spec.name) == "base_url" &&  // a list of endpoints (llm::parse_endpoints)
          v.find_first_of(",#") != std::string::npos) {
        try {
          llm::parse_endpoints(v);
          return "";
        } catch (const Error& e) {
          return e.what();
        }
      }
      return v.empty() || util::starts_with(v, "http://") || util::starts_with(v, "https://")
                 ? ""
                 : std::string(spec.name) + " must be a URL starting with http:// or https://, got \"" +
                       value + "\"";
  }
  return "";
}

// The settings that name a file: a relative path in judge.yaml is relative to the file's folder.
bool is_path_setting(const std::string& name) {
  return name == "rubric" || name == "prices" || name == "cache";
}

// `value` of the path setting `name` read from the configuration file `file`: a relative path is taken from
// the file's folder, so a judge.yaml works from any working folder. A cache mode name given as `cache`
// ("off") is left as it is (Config::load reads it as the mode), and so is the built-in rubric's name given as
// `rubric` ("ml-notebook", rubric::load_rubric) when the file's folder holds no file of that name.
std::string relative_to_file(const std::string& name, const std::string& value, const std::string& file) {
  const std::string v(util::trim(value));
  const std::filesystem::path folder = std::filesystem::path(file).parent_path();
  std::error_code ec;
  if (!is_path_setting(name) || v.empty() || folder.empty() || std::filesystem::path(v).is_absolute() ||
      (name == "cache" && llm::find_cache_mode(v)) ||
      (name == "rubric" && v == rubric::default_rubric().id && !std::filesystem::exists(folder / v, ec)))
    return value;
  return (folder / v).string();
}

std::string known_names() {
  std::string out;
  for (const auto& s : setting_specs()) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

}  // namespace

const std::vector<SettingSpec>& setting_specs() {
  using K = SettingKind;
  auto text_of = [](double v) {
    std::ostringstream out;
    out << v;
    return out.str();
  };
  static const std::string k_timeout_text = text_of(llm::k_default_timeout_seconds);                  // "120"
  static const std::string k_connect_timeout_text = text_of(llm::k_default_connect_timeout_seconds);  // "10"
  static const std::string k_judge_help = [] {  // "judge spec: anthropic:MODEL, ...": the provider table
    std::string forms;
    for (const auto& p : llm::providers()) forms += (forms.empty() ? "" : ", ") + llm::spec_form(p);
    return "judge spec: " + forms;
  }();
  static const std::vector<SettingSpec> k_specs = {
      {"judge", scoring::k_default_judge, K::text, k_judge_help.c_str()},
      {"base_url", "", K::url,
       "base URL of the judge's server (else the provider's environment variable); several endpoints of the "
       "same model: URL,URL,... (or the flag repeated), each optionally URL#jobs=N"},
      {"api_version", "", K::text, "Azure OpenAI api-version"},
      {"rubric", "", K::text,
       "rubric YAML file, or ml-notebook: the built-in rubric (the default; a file of that name wins)"},
      {"jobs", "4", K::whole, "items judged at once (requests in flight)"},
      {"cache", "", K::text, "response cache file (empty: $XDG_CACHE_HOME/judge/cache.sqlite)"},
      {"cache_mode", "read-write", K::text, "read-write (rw), read-only (ro), off or replay-only"},
      {"cache_max_mb", "0", K::number,
       "size limit of the cache's stored replies in MiB; oldest evicted (0: none)"},
      {"timeout", k_timeout_text.c_str(), K::number, "seconds a whole call may take (more than 0)"},
      {"connect_timeout", k_connect_timeout_text.c_str(), K::number, "seconds to connect"},
      {"requests_per_minute", "0", K::number, "request rate limit (0: none)"},
      {"tokens_per_minute", "0", K::number, "estimated token rate limit (0: none)"},
      {"samples", "1", K::whole, "calls per item; > 1 records the mean and the spread"},
      {"temperature", "0", K::number, "sampling temperature (raised to 0.7 when samples > 1 and it is 0)"},
      {"max_tokens", "1024", K::whole, "longest reply, in tokens"},
      {"token_budget", "12000", K::whole, "most tokens (bytes/4) of notebook text in one prompt"},
      {"batch_dimensions", "false", K::boolean, "score all dimensions of a notebook in one call"},
      {"redact", "true", K::boolean, "mask secrets before a notebook is sent to a model"},
      {"prices", "", K::text, "JSON price file overriding the built-in prices (docs/cache.md)"},
      {"reasoning_model", "auto", K::text,
       "OpenAI reasoning-model body for the judge (max_completion_tokens, no temperature): auto (by the "
       "model name: o1, o3, o4-mini, gpt-5...), true or false"},
      {"reflection", "", K::text,
       "provider spec for alignment's reflection calls (empty: the offline extractive distiller)"},
      {"reflection_base_url", "", K::url,
       "base URL for the reflection provider (empty: base_url when the reflection and judge specs name the "
       "same provider, else the provider's environment variable)"},
      {"embeddings", "", K::text, "embeddings provider spec, e.g. openai:text-embedding-3-small"},
      {"embeddings_base_url", "", K::url, "base URL for the embeddings provider"},
      {"embedding_dimensions", "0", K::whole, "embedding size to ask for (0: the model's own)"},
      {"k", "5", K::whole, "episodes retrieved from memory per (notebook, dimension)"},
      {"memory_budget", "8000", K::whole,
       "most tokens (bytes/4) of the memory section in an LLM judge's prompt; cut beyond (0: no limit)"},
      {"contrastive_episodes", "false", K::boolean,
       "memory examples also say what the judge answered at alignment when it differed from the reviewer"},
      {"own_episodes", "false", K::boolean,
       "eval --memory: a notebook's own labelled episodes may be retrieved when it is judged (default: left "
       "out, so memory never shows a notebook its own label)"},
  };
  return k_specs;
}

std::string env_name(const std::string& setting) {
  std::string out = "JUDGE_";
  for (char c : setting) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> unknown_environment_settings(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& variable : names) {
    if (!util::starts_with(variable, "JUDGE_")) continue;
    const std::string setting = util::to_lower(variable.substr(6));
    if (find_spec(setting)) continue;
    const SettingSpec* closest = nullptr;
    std::size_t best = 0;
    for (const auto& s : setting_specs())
      if (const std::size_t d = util::edit_distance(setting, s.name); !closest || d < best) {
        closest = &s;
        best = d;
      }
    out.push_back(variable + " names no setting, so it is ignored; the closest is " +
                  env_name(closest->name) + " (setting " + closest->name +
                  "; every setting: judge config show)");
  }
  return out;
}

namespace {

/// The names of the process's environment variables.
std::vector<std::string> environment_names() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    out.emplace_back(entry.substr(0, entry.find('=')));
  }
  return out;
}

}  // namespace

Config load_process_config(const std::string& file, const std::map<std::string, std::string>& flags,
                           const std::map<std::string, std::string>& spelled) {
  for (const auto& warning : unknown_environment_settings(environment_names()))
    std::cerr << "judge: warning: " << warning << "\n";
  return Config::load(file, flags, process_environment, spelled);
}

std::optional<std::string> process_environment(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

Config Config::load(const std::string& file, const std::map<std::string, std::string>& flags,
                    const EnvFn& env, const std::map<std::string, std::string>& spelled) {
  Config c;
  for (const auto& s : setting_specs()) c.m_values[s.name] = {s.default_value, "default"};

  util::Problems problems;
  auto set = [&](const std::string& name, const std::string& value, const std::string& source) {
    const SettingSpec* spec = find_spec(name);
    if (!spec) {
      std::vector<std::string> names;
      for (const auto& known : setting_specs()) names.emplace_back(known.name);
      const auto close = util::closest_names(name, names);  // a misspelt key, as for a misspelt flag
      problems.add(source, "unknown setting \"" + name + "\"" +
                               (close.empty() ? "" : " (did you mean \"" + close.front() + "\"?)") +
                               " (known: " + known_names() + ")");
      return;
    }
    const std::string v(util::trim(value));
    if (name == "k") {  // top-k: one wording for "abc", "0" and "5000" (configured_k reads it)
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1 || n > memory::k_max_k || v.size() > 6) {
        problems.add(source, "k (episodes retrieved) must be a whole number from 1 to " +
                                 std::to_string(memory::k_max_k) + ", got \"" + value + "\"");
        return;
      }
    }
    if (auto why = check_kind(*spec, value); !why.empty()) {
      problems.add(source, why);
      return;
    }
    if (name == "timeout" && std::strtod(v.c_str(), nullptr) == 0) {
      problems.add(source, "timeout must be more than 0 seconds, got \"" + value +
                               "\" (it bounds every call; give a large value, e.g. 3600, for a slow model)");
      return;
    }
    if (name == "reasoning_model" && v != "auto" && v != "true" && v != "false") {
      problems.add(source, "reasoning_model must be auto, true or false, got \"" + value + "\"");
      return;
    }
    const auto mode = llm::find_cache_mode(v);
    if (name == "cache_mode" && !mode) {
      problems.add(source, "cache_mode must be read-write (rw), read-only (ro), off or replay-only, got \"" +
                               value + "\"");
      return;
    }
    if (name == "cache" && mode) {  // "--cache off" means the mode, never a file named "off" (docs/cache.md)
      c.m_values["cache_mode"] = {v, source};
      return;
    }
    c.m_values[name] = {v, source};
  };

  const std::string path = !file.empty() ? file : (std::filesystem::exists("judge.yaml") ? "judge.yaml" : "");
  if (!path.empty()) {
    c.m_file = path;
    const std::string text = util::read_file(path);
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      std::string note;
      const int line = util::yaml_error_line(text, e.mark.line, e.mark.column, note, e.msg);
      throw Error(path + ":" + std::to_string(line) + ": " + e.msg + (note.empty() ? "" : " (" + note + ")"));
    }
    if (const int line = util::yaml_unclosed_quote_line(text))
      throw Error(path + ":" + std::to_string(line) +
                  ": a quoted text opened on this line is never closed: it runs to the end of the file");
    if (root && !root.IsNull() && !root.IsMap()) throw Error(path + ": expected a map of setting: value");
    if (root && root.IsMap()) {
      std::map<std::string, int> first_line;  // yaml-cpp keeps a repeated key; which one wins is a guess
      for (const auto& kv : root) {
        const int line = kv.first.Mark().line + 1;
        const std::string where = path + ":" + std::to_string(line);
        if (!kv.first.IsScalar()) {  // `? : 1` (no key), `[a, b]: 1`, `? {a: 1}`: a key that is not a name
          problems.add(where, std::string("a setting name must be a single word, not ") +
                                  (kv.first.IsSequence() || kv.first.IsMap() ? "a list or a map" : "empty"));
          continue;
        }
        const std::string name = kv.first.Scalar();
        if (auto [it, inserted] = first_line.emplace(name, line); !inserted) {
          problems.add(where, "duplicate setting \"" + name + "\" (already set on line " +
                                  std::to_string(it->second) + ")");
          continue;
        }
        if (kv.second.IsNull()) continue;                    // "name:" with no value keeps the default
        if (name == "base_url" && kv.second.IsSequence()) {  // a list of endpoints: "- URL[#jobs=N]" each
          std::string list;
          bool scalars = true;
          for (const auto& item : kv.second) {
            scalars = scalars && item.IsScalar();
            if (scalars) list += (list.empty() ? "" : ",") + item.Scalar();
          }
          if (!scalars || kv.second.size() == 0)
            problems.add(where,
                         "base_url as a list must hold URLs, one per item (- http://host:8000/v1 or "
                         "- http://host:8000/v1#jobs=8)");
          else
            set(name, list, where);
          continue;
        }
        if (!kv.second.IsScalar()) {
          problems.add(where, name + " must be a single value");
          continue;
        }
        set(name, relative_to_file(name, kv.second.Scalar(), path), where);
      }
    }
  }
  for (const auto& s : setting_specs())
    if (auto v = env(env_name(s.name))) set(s.name, *v, "env " + env_name(s.name));
  util::Problems flag_problems;  // a bad flag is a usage error (exit 2), a bad file or variable a runtime one
  std::swap(problems, flag_problems);
  for (const auto& [name, value] : flags) {
    std::string flag = name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    const auto typed = spelled.find(name);
    set(name, value, "flag " + (typed != spelled.end() ? typed->second : "--" + flag));
  }
  std::swap(problems, flag_problems);
  flag_problems.throw_if_any("", ExitCode::usage);
  problems.throw_if_any("", ExitCode::runtime);
  return c;
}

const SettingValue& Config::at(const std::string& name) const {
  const auto it = m_values.find(name);
  if (it == m_values.end()) throw Error("internal: unknown setting " + name);
  return it->second;
}

long Config::get_whole(const std::string& name) const { return std::strtol(get(name).c_str(), nullptr, 10); }
double Config::get_number(const std::string& name) const { return std::strtod(get(name).c_str(), nullptr); }
bool Config::get_bool(const std::string& name) const { return get(name) == "true"; }
std::filesystem::path Config::cache_path() const {
  return get("cache").empty() ? llm::default_cache_path() : std::filesystem::path(get("cache"));
}

void add_setting_options(CLI::App& cmd, std::map<std::string, std::string>& flags, std::string& config_file) {
  cmd.add_option("--config", config_file, "Configuration file (default: ./judge.yaml when present)");
  for (const auto& s : setting_specs()) {
    const std::string name = s.name;
    std::string flag = name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    if (s.kind == SettingKind::boolean) {
      const bool on_by_default = std::string(s.default_value) == "true";
      cmd.add_flag_callback(
          (on_by_default ? "--no-" : "--") + flag,
          [&flags, name, on_by_default] { flags[name] = on_by_default ? "false" : "true"; },
          on_by_default ? std::string("Turn off (default on): ") + s.help : std::string(s.help));
    } else if (name == "base_url") {  // repeated, the values are one list (llm::parse_endpoints)
      cmd.add_option_function<std::vector<std::string>>(
             "--" + flag,
             [&flags, name](const std::vector<std::string>& values) {
               std::string list;
               for (const auto& v : values) list += (list.empty() ? "" : ",") + v;
               flags[name] = list;
             },
             std::string(s.help) + " (setting " + name + ")")
          ->take_all()
          ->allow_extra_args(false);
    } else {
      cmd.add_option_function<std::string>(
          "--" + flag, [&flags, name](const std::string& v) { flags[name] = v; },
          std::string(s.help) + " (setting " + name + ")");
    }
  }
}

namespace {

struct ConfigOptions {
  std::string config_file;
  std::map<std::string, std::string> flags;
};

int run_config_show(const ConfigOptions& opt) {
  const Config config = load_process_config(opt.config_file, opt.flags);
  std::size_t width = 0;
  for (const auto& s : setting_specs()) width = std::max(width, std::string(s.name).size());
  for (const auto& s : setting_specs()) {
    const auto& v = config.at(s.name);
    const std::string shown = std::string(s.name) == "cache" ? config.cache_path().string() : v.value;
    std::cout << s.name << std::string(width - std::string(s.name).size(), ' ') << "  "
              << (shown.empty() ? "\"\"" : shown) << "  (" << v.source << ")\n";
  }
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

void setup_config(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<ConfigOptions>();
  auto* cmd = app.add_subcommand(
      "config", "Show the resolved configuration (flags > environment > judge.yaml > defaults)");
  cmd->require_subcommand(1);
  auto* show = cmd->add_subcommand("show", "Print every setting, its value and where it came from");
  add_setting_options(*show, opt->flags, opt->config_file);
  show->callback([&run, opt] { run = [opt] { return run_config_show(*opt); }; });
}

}  // namespace judge::cli
