// SPDX-License-Identifier: MIT
// judge merge PART...: the outputs of judge eval runs that are parts of one run (judge eval --shard K/N on
// several machines) as one file, checked for duplicate and missing items and differing provenance.
#include "judge/verdict/merge.hpp"

#include <iostream>

#include "judge/cli/commands.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"

namespace judge::cli {

namespace {

struct MergeOptions {
  std::vector<std::string> parts;
  std::string output;
  std::string expect;  // a file of notebook names, one a line; empty: not checked
  bool allow_empty = false;
};

// The notebook names listed in `file`, one a line (blank lines skipped), each with its FILE:LINE.
std::vector<verdict::ExpectedNotebook> read_expected(const std::string& file) {
  std::vector<verdict::ExpectedNotebook> out;
  if (file.empty()) return out;
  const std::string text = util::read_file(file);
  const auto lines = util::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!util::trim(lines[i]).empty())
      out.push_back({std::string(lines[i]), file + ":" + std::to_string(i + 1)});
  if (out.empty()) throw Error(file + ": no notebook names (--expect lists one a line)", ExitCode::usage);
  return out;
}

int run_merge(const MergeOptions& opt) {
  std::vector<std::filesystem::path> parts(opt.parts.begin(), opt.parts.end());
  const auto merged = verdict::merge_parts(parts, read_expected(opt.expect), opt.allow_empty);
  write_output(opt.output, merged.text);
  std::cerr << "judge: merged " << merged.parts << " part" << (merged.parts == 1 ? "" : "s");
  if (merged.shard_count) std::cerr << " (shards of " << *merged.shard_count << ")";
  if (merged.empty_parts > 0) std::cerr << ", " << merged.empty_parts << " empty";
  std::cerr << ": " << merged.notebooks << " notebooks, " << merged.records << " records (" << merged.format
            << ")\n";
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

void setup_merge(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand(
      "merge",
      "Join the parts of one judge eval run (--shard K/N) into one file, checking duplicate and "
      "missing items and differing provenance");
  cmd->add_option("parts", opt->parts, "judge eval outputs (JSON Lines or CSV), one per part")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", opt->output,
                  "Write the merged run to this file (atomically) instead of stdout");
  cmd->add_option("--expect", opt->expect,
                  "A file of the notebook names the run must hold, one a line, as judge eval names them "
                  "(e.g. the --paths-from list of notebook files)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--allow-empty", opt->allow_empty,
                "Take an empty part as a shard that held no notebook (judge eval says so on stderr); without "
                "it an empty part is an error, as a failed eval leaves one");
  cmd->callback([&run, opt] { run = [opt] { return run_merge(*opt); }; });
}

}  // namespace judge::cli
