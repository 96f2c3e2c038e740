// SPDX-License-Identifier: MIT
#include "judge/cli/cli.hpp"

#include <unistd.h>

#include <iostream>

#include "judge/cli/commands.hpp"
#include "judge/util/error.hpp"
#include "judge/util/version.hpp"

namespace judge::cli {

bool stdout_is_terminal() { return ::isatty(1) == 1; }
bool stderr_is_terminal() { return ::isatty(2) == 1; }

int run(int argc, char** argv) {
  CLI::App app{"judge: score notebooks with LLM or offline judges, align judges with human feedback, and "
               "measure their agreement with people."};
  app.set_version_flag("--version", std::string("judge ") + std::string(util::version()));
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 a CI gate failed, 4 some items unscored.");
  RunFn command;
  setup_eval(app, command);
  setup_notebook(app, command);
  setup_align(app, command);
  setup_memory(app, command);
  setup_report(app, command);
  setup_validate(app, command);
  setup_config(app, command);
  setup_cache(app, command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "judge: error: " << e.what() << "\n";
    std::cerr << "Run with --help for more information.\n";
    return static_cast<int>(ExitCode::usage);
  }
  try {
    if (!command) return static_cast<int>(ExitCode::ok);
    return command();
  } catch (const Error& e) {
    std::cerr << "judge: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "judge: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::runtime);
  }
}

}  // namespace judge::cli
