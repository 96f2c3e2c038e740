// SPDX-License-Identifier: MIT
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace judge::cli {

/// Each subcommand file defines one setup function: it adds its subcommand and options to `app` and sets a
/// callback that stores its run function in `run`; cli.cpp runs it after parsing (CLI11 subcom_in_files).
/// The run function returns the exit code.
using RunFn = std::function<int()>;

void setup_eval(CLI::App& app, RunFn& run);
void setup_notebook(CLI::App& app, RunFn& run);
void setup_align(CLI::App& app, RunFn& run);
void setup_memory(CLI::App& app, RunFn& run);
void setup_report(CLI::App& app, RunFn& run);
void setup_validate(CLI::App& app, RunFn& run);
void setup_config(CLI::App& app, RunFn& run);
void setup_cache(CLI::App& app, RunFn& run);
void setup_label(CLI::App& app, RunFn& run);
void setup_merge(CLI::App& app, RunFn& run);

/// The check of an option whose value is one of a fixed list of `names`: CLI::IsMember(names), whose error
/// also names the one the value seems a misspelling of (the nearest by util::typo_distance, case aside, at
/// most two edits away and fewer than the value's length): "--format: cvs not in {table,json,csv}; did you
/// mean csv?". The help shows the list as IsMember's does. Every such option is checked with it.
CLI::Validator one_of(const std::vector<std::string>& names);

/// A whole number 0 or more for an unsigned option: CLI11 reads "-1" into an unsigned as 2^64 - 1 (a seed
/// that silently was another), so a leading minus is refused: `--seed: "-1" is negative; give a whole number
/// from 0`.
CLI::Validator non_negative();

/// A confidence level from 0.5 to 0.9999 (--confidence); a percent is named as one: `--confidence: "95" is
/// not a level from 0.5 to 0.9999 (0.95 for 95%)`. The help shows `FLOAT in [0.5 - 0.9999]`.
CLI::Validator confidence_level();

/// `message` (an Error's or a warning from a lower module) with the settings it names (judge::setting)
/// worded as the flags that set them: "cache_mode" -> "--cache-mode".
std::string with_flags(const std::string& message);

/// Writes a command's output `text`: to stdout when `path` is empty, else to the file `path` atomically
/// (util::write_file_atomic; its folder must exist). Throws util::Error when the file cannot be written.
void write_output(const std::string& path, const std::string& text);

/// True when file descriptor 1 (stdout) / 2 (stderr) is a terminal.
bool stdout_is_terminal();
bool stderr_is_terminal();

}  // namespace judge::cli
