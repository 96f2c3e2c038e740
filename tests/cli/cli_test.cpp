// SPDX-License-Identifier: MIT
// The command line itself: subcommand dispatch and usage errors (exit 2), through the built binary.
#include <gtest/gtest.h>

#include "../support.hpp"

using judge::test::run_judge;

TEST(Cli, MistypedCommandSuggestsTheClosestOne) {
  const auto r = run_judge("evl 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("judge: error: unknown command 'evl'; did you mean 'eval'?"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("A subcommand is required"), std::string::npos) << r.out;
}

TEST(Cli, MistypedNestedCommandSuggestsTheClosestOne) {
  const auto r = run_judge("memory shw mem 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown command 'memory shw'; did you mean 'memory show'?"), std::string::npos) << r.out;
}

TEST(Cli, UnknownCommandFarFromAnyListsTheCommands) {
  const auto r = run_judge("frobnicate 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown command 'frobnicate'; commands: eval, notebook, align"), std::string::npos)
      << r.out;
}

TEST(Cli, NoCommandStillSaysOneIsRequired) {
  const auto r = run_judge("2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("A subcommand is required"), std::string::npos) << r.out;
}
