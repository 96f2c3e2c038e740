// SPDX-License-Identifier: MIT
#include "judge/cli/cli.hpp"

int main(int argc, char** argv) { return judge::cli::run(argc, argv); }
