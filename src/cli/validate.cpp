// SPDX-License-Identifier: MIT
// Placeholder: judge validate is built by its issue.
#include "judge/cli/commands.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

void setup_validate(CLI::App& app, RunFn& run) {
  auto* cmd = app.add_subcommand("validate", "(not available yet)");
  cmd->allow_extras();
  cmd->callback([&run] { run = [] () -> int { throw Error("judge validate is not available yet", ExitCode::usage); }; });
}

}  // namespace judge::cli
