// SPDX-License-Identifier: MIT
#include "judge/util/text.hpp"

#include <gtest/gtest.h>

#include "judge/util/hash.hpp"

using namespace judge::util;

TEST(Text, StripAnsiRemovesColourCodes) {
  EXPECT_EQ(strip_ansi("\x1b[0;31mKeyError\x1b[0m: 'Age'"), "KeyError: 'Age'");
  EXPECT_EQ(strip_ansi("a\x1b]0;title\x07"
                       "b"),
            "ab");
  EXPECT_EQ(strip_ansi("plain"), "plain");
}

TEST(Text, TruncateCutsOnUtf8BoundaryWithMarker) {
  // "é" is two bytes (0xC3 0xA9): a cut after 2 bytes of "aé" + "b" must not split it.
  EXPECT_EQ(truncate_utf8("a\xC3\xA9"
                          "b",
                          2),
            "a\n... [truncated 3 chars]");
  EXPECT_EQ(truncate_utf8("short", 10), "short");
}

TEST(Hash, Sha256KnownVector) {
  // FIPS 180-2 appendix B.1: SHA-256("abc").
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Text, EditDistanceCountsInsertionsDeletionsSubstitutions) {
  // By hand: kitten -> sitten -> sittin -> sitting (the textbook example); evl -> eval is one insertion.
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("evl", "eval"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
}

TEST(Text, ClosestNamesAreTheNearestWithinAFewEdits) {
  const std::vector<std::string> names{"trains_model", "predicts", "seed_set", "tuning"};
  // trains_modle: 2 edits from trains_model (a swap is two substitutions); 12 letters allow 3.
  EXPECT_EQ(closest_names("trains_modle", names), std::vector<std::string>{"trains_model"});
  // "tunin" is 1 edit from "tuning", but 5 letters allow 1 edit (5 / 4): kept; "xx" allows 0.
  EXPECT_EQ(closest_names("tunin", names), std::vector<std::string>{"tuning"});
  EXPECT_TRUE(closest_names("xx", names).empty());
  // Ties: "seed_sat" is 1 edit from "seed_set" and from "seed_sar" alike: both, in the candidates' order.
  EXPECT_EQ(closest_names("seed_sat", {"seed_set", "seed_sar", "tuning"}),
            (std::vector<std::string>{"seed_set", "seed_sar"}));
}

TEST(Text, TypoDistanceCountsASwapOfNeighboursAsOneEdit) {
  // By hand: scroe -> score swaps "ro"; cvs -> csv swaps "vs"; alling -> aling (a deletion) -> align (a
  // swap); abcd -> badc is two swaps. Each is one more edit per swap by edit_distance.
  EXPECT_EQ(typo_distance("scroe", "score"), 1u);
  EXPECT_EQ(edit_distance("scroe", "score"), 2u);
  EXPECT_EQ(typo_distance("cvs", "csv"), 1u);
  EXPECT_EQ(typo_distance("alling", "align"), 2u);
  EXPECT_EQ(edit_distance("alling", "align"), 3u);
  EXPECT_EQ(typo_distance("abcd", "badc"), 2u);
  // The other edits as edit_distance counts them.
  EXPECT_EQ(typo_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(typo_distance("", "abc"), 3u);
  EXPECT_EQ(typo_distance("abc", ""), 3u);
  EXPECT_EQ(typo_distance("same", "same"), 0u);
  // A swapped pair is not edited again (optimal string alignment, not full Damerau-Levenshtein, which gives
  // 2: ca -> ac -> abc): ca -> a -> ab -> abc.
  EXPECT_EQ(typo_distance("ca", "abc"), 3u);
}

TEST(Text, ClosestTyposFindASwapClosestNamesDoesNot) {
  const std::vector<std::string> columns{"notebook", "dimension", "score"};
  // scroe: 1 swap from score, 5 letters allow 1 edit; by edit_distance it is 2.
  EXPECT_EQ(closest_typos("scroe", columns), std::vector<std::string>{"score"});
  EXPECT_TRUE(closest_names("scroe", columns).empty());
  EXPECT_EQ(closest_typos("dimesnion", columns), std::vector<std::string>{"dimension"});
  // Far from all, and too short for any edit (3 letters allow 0).
  EXPECT_TRUE(closest_typos("rater", columns).empty());
  EXPECT_TRUE(closest_typos("csv", {"cvs"}).empty());
}
