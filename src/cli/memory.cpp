// SPDX-License-Identifier: MIT
// Placeholder: judge memory is built by its issue.
#include "judge/cli/commands.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

void setup_memory(CLI::App& app, RunFn& run) {
  auto* cmd = app.add_subcommand("memory", "(not available yet)");
  cmd->allow_extras();
  cmd->callback([&run] { run = [] () -> int { throw Error("judge memory is not available yet", ExitCode::usage); }; });
}

}  // namespace judge::cli
