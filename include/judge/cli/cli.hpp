// SPDX-License-Identifier: MIT
#pragma once

namespace judge::cli {

/// Parses the command line, runs the subcommand and returns the process exit code (judge::ExitCode).
/// Every judge::Error and std::exception is caught here and printed as "judge: error: ..." on stderr.
int run(int argc, char** argv);

}  // namespace judge::cli
