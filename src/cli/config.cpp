// SPDX-License-Identifier: MIT
// Placeholder: judge config is built by its issue.
#include "judge/cli/commands.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

void setup_config(CLI::App& app, RunFn& run) {
  auto* cmd = app.add_subcommand("config", "(not available yet)");
  cmd->allow_extras();
  cmd->callback([&run] { run = [] () -> int { throw Error("judge config is not available yet", ExitCode::usage); }; });
}

}  // namespace judge::cli
