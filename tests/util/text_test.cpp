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
