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

TEST(Text, InvalidUtf8AtFollowsRfc3629) {
  // Well formed: ASCII, 2-, 3- and 4-byte characters, the highest code point U+10FFFF (F4 8F BF BF).
  EXPECT_EQ(invalid_utf8_at("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"),
            std::string_view::npos);
  EXPECT_EQ(invalid_utf8_at(""), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_at("caf\xE9!"), 3u);           // Latin-1 e acute: a lead byte without its tail
  EXPECT_EQ(invalid_utf8_at("ab\x80"), 2u);             // a continuation byte with no lead
  EXPECT_EQ(invalid_utf8_at("x\xC0\xAF"), 1u);          // overlong "/" (C0 and C1 never occur)
  EXPECT_EQ(invalid_utf8_at("x\xE0\x80\xAF"), 1u);      // overlong 3-byte form of "/"
  EXPECT_EQ(invalid_utf8_at("x\xED\xA0\x80"), 1u);      // U+D800, a surrogate
  EXPECT_EQ(invalid_utf8_at("x\xF4\x90\x80\x80"), 1u);  // U+110000, above the last code point
  EXPECT_EQ(invalid_utf8_at("ok \xE2\x86"), 3u);        // cut off by the end of the text
  EXPECT_EQ(invalid_utf8_at("\xFF\xFEn\0"), 0u);        // UTF-16's byte order mark
  auto p = text_file_problem("a,b\nx,caf\xE9\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(
      p->what,
      "not UTF-8: byte 0xE9 at column 6; save the file as UTF-8 (for a file from Excel or an older tool: "
      "iconv -f windows-1252 -t utf-8)");
  EXPECT_EQ(p->line, 2);
  p = text_file_problem(std::string("\xFF\xFEn\0", 4));
  ASSERT_TRUE(p);
  EXPECT_EQ(
      p->what,
      "not UTF-8: byte 0xFF at column 1; the file is UTF-16 (its byte order mark): save it as UTF-8 (iconv "
      "-f utf-16 -t utf-8)");
  EXPECT_EQ(p->line, 1);
  // Lines ending in CR alone: line 1. CRLF, a trailing CR and UTF-8 with a byte order mark are fine.
  p = text_file_problem("a,b\rc,d\r");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->line, 1);
  EXPECT_EQ(p->what.rfind("its lines end in a carriage return alone", 0), 0u);
  EXPECT_FALSE(text_file_problem("a,b\r\nc,d\r\n"));
  // UTF-16LE without a byte order mark: "a\n" then "b" is 61 00 0A 00 62 00, a NUL on line 1.
  p = text_file_problem(std::string("a\0\n\0b\0", 6));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->line, 1);
  EXPECT_EQ(p->what.rfind("a NUL byte: not a text file, or UTF-16 without a byte order mark", 0), 0u);
  EXPECT_FALSE(text_file_problem("a,b\r"));
  EXPECT_FALSE(
      text_file_problem("\xEF\xBB\xBF"
                        "a,b\n\xF0\x9F\x98\x80\n"));
}

TEST(Text, EditDistanceCountsInsertionsDeletionsSubstitutions) {
  // By hand: kitten -> sitten -> sittin -> sitting (the textbook example); evl -> eval is one insertion.
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("evl", "eval"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
}

TEST(Text, EditDistanceAtMostIsExactUpToItsBoundAndOneMoreBeyond) {
  // kitten -> sitting is 3 edits (above): exact for a bound of 3 or more, 3 (= 2 + 1) for a bound of 2.
  EXPECT_EQ(edit_distance_at_most("kitten", "sitting", 3), 3u);
  EXPECT_EQ(edit_distance_at_most("kitten", "sitting", 5), 3u);
  EXPECT_EQ(edit_distance_at_most("kitten", "sitting", 2), 3u);
  EXPECT_EQ(edit_distance_at_most("kitten", "sitting", 1), 2u);
  // flaw -> law -> lawn: 2 edits (a deletion and an insertion, the band's two sides).
  EXPECT_EQ(edit_distance_at_most("flaw", "lawn", 2), 2u);
  EXPECT_EQ(edit_distance_at_most("lawn", "flaw", 2), 2u);
  EXPECT_EQ(edit_distance_at_most("flaw", "lawn", 1), 2u);
  // Lengths 0 and 3: 3 insertions; over a bound of 1 at once.
  EXPECT_EQ(edit_distance_at_most("", "abc", 1), 2u);
  EXPECT_EQ(edit_distance_at_most("", "abc", 3), 3u);
  EXPECT_EQ(edit_distance_at_most("abc", "", 4), 3u);
  // No letter in common: 6 substitutions; over a bound of 3 (stopped once a row is all over it).
  EXPECT_EQ(edit_distance_at_most("abcdef", "uvwxyz", 3), 4u);
  EXPECT_EQ(edit_distance_at_most("abcdef", "uvwxyz", 6), 6u);
  // A bound of 0 asks whether the two are equal.
  EXPECT_EQ(edit_distance_at_most("same", "same", 0), 0u);
  EXPECT_EQ(edit_distance_at_most("same", "sane", 0), 1u);
  EXPECT_EQ(edit_distance_at_most("", "", 0), 0u);
}

TEST(Text, EditDistanceAtMostAgreesWithTheWholeTable) {
  // Every pair of strings of up to 4 letters over {a, b, c}, every bound up to 4: the banded table says
  // edit_distance (the whole table, checked by hand above) when that is within the bound, else bound + 1.
  std::vector<std::string> words{""};
  for (std::size_t w = 0; w < words.size(); ++w)
    if (words[w].size() < 4)
      for (char c : {'a', 'b', 'c'}) words.push_back(words[w] + c);
  for (const auto& a : words)
    for (const auto& b : words)
      for (std::size_t max = 0; max <= 4; ++max)
        ASSERT_EQ(edit_distance_at_most(a, b, max), std::min(edit_distance(a, b), max + 1))
            << a << " " << b << " " << max;
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
