// SPDX-License-Identifier: MIT
// Placeholder: judge align is built by its issue.
#include "judge/cli/commands.hpp"
#include "judge/util/error.hpp"

namespace judge::cli {

void setup_align(CLI::App& app, RunFn& run) {
  auto* cmd = app.add_subcommand("align", "(not available yet)");
  cmd->allow_extras();
  cmd->callback([&run] { run = [] () -> int { throw Error("judge align is not available yet", ExitCode::usage); }; });
}

}  // namespace judge::cli
