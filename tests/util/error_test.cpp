// SPDX-License-Identifier: MIT
#include "judge/util/error.hpp"

#include <gtest/gtest.h>

using judge::Error;
using judge::setting;

// Expected values by hand: a setting shows as its name in words in what(), and as whatever the caller words
// it (the CLI: its flag) in worded(); text around it and text without marks are kept as they are.
TEST(Error, SettingsAreNamesInWhatAndFlagsWhenWorded) {
  const Error e(setting("folds") + " 7: there are 6; use " + setting("folds") + " 2 to 6 or " +
                    setting("cache_mode") + " off",
                judge::ExitCode::usage);
  EXPECT_STREQ(e.what(), "folds 7: there are 6; use folds 2 to 6 or cache mode off");
  const auto flag = [](std::string_view name) {
    std::string f = "--" + std::string(name);
    for (char& c : f)
      if (c == '_') c = '-';
    return f;
  };
  EXPECT_EQ(e.worded(flag), "--folds 7: there are 6; use --folds 2 to 6 or --cache-mode off");
  EXPECT_EQ(e.code(), judge::ExitCode::usage);
  const Error plain("a {folds} brace and \"quotes\" stay");
  EXPECT_STREQ(plain.what(), "a {folds} brace and \"quotes\" stay");
  EXPECT_EQ(plain.worded(flag), "a {folds} brace and \"quotes\" stay");
  EXPECT_EQ(Error(setting("judge")).worded(flag), "--judge");
}
