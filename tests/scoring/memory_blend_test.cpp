// SPDX-License-Identifier: MIT
#include "judge/scoring/memory_blend.hpp"

#include <gtest/gtest.h>

using judge::scoring::closest_fact;

// The fact a misspelt name in a rule probably meant, distances counted by hand.
TEST(ClosestFact, NamesTheFactAFewEditsAway) {
  EXPECT_EQ(closest_fact("missing_value_check"), "missing_value_checks");  // 1 insertion
  EXPECT_EQ(closest_fact("trains_modle"), "trains_model");         // 2 substitutions; 12 letters allow 3
  EXPECT_EQ(closest_fact("imputaton_cells"), "imputation_cells");  // 1 insertion
  EXPECT_EQ(closest_fact("rule_scor"), "rule_score");              // not a fact, but a rule may test it
}

TEST(ClosestFact, NothingForAShortWordOrAFarName) {
  EXPECT_EQ(closest_fact("always"), "");  // 6 letters allow 1 edit, and no fact is that near
  EXPECT_EQ(closest_fact("completely_unrelated_name"), "");
  EXPECT_EQ(closest_fact(""), "");
}
