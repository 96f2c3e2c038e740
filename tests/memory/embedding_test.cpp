// SPDX-License-Identifier: MIT
#include "judge/memory/embedding.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "judge/util/error.hpp"

using judge::memory::cosine;
using judge::memory::HashedTfidfEmbedder;

TEST(HashedTfidf, TokensAreWordsAndDottedCalls) {
  // By hand: one-letter words dropped, lower case, "df.fillna" added before "fillna".
  const std::vector<std::string> expected{"df", "df.fillna", "fillna", "train_test_split", "import"};
  EXPECT_EQ(HashedTfidfEmbedder::tokens("df.fillna(0) Train_Test_Split x IMPORT"), expected);
  EXPECT_TRUE(HashedTfidfEmbedder::tokens("  ... ").empty());
}

TEST(HashedTfidf, VectorsAreNormalisedAndIdfWeighted) {
  HashedTfidfEmbedder e;
  EXPECT_TRUE(e.fit({"aa bb", "aa cc"}));
  const auto v = e.embed({"aa bb", "aa cc", "aa bb", ""});
  double norm = 0;
  for (float x : v[0]) norm += double(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-6);
  EXPECT_NEAR(cosine(v[0], v[2]), 1.0, 1e-6);
  // By hand: N = 2; idf(aa) = ln(3/3) + 1 = 1, idf(bb) = idf(cc) = ln(3/2) + 1. "aa bb" and "aa cc" share
  // only aa, so cosine = 1 / (1 + (ln 1.5 + 1)^2) = 0.3360969 (no bucket collision among aa, bb, cc).
  EXPECT_NEAR(cosine(v[0], v[1]), 1.0 / (1.0 + std::pow(std::log(1.5) + 1.0, 2)), 1e-6);
  for (float x : v[3]) EXPECT_EQ(x, 0.0f);
  EXPECT_FALSE(e.fit({"aa bb", "aa cc"}));  // same corpus: vectors still comparable
}

TEST(HashedTfidf, StateRoundTrip) {
  HashedTfidfEmbedder a, b;
  a.fit({"one two", "two three", "three four five"});
  b.load_state(a.state());
  EXPECT_EQ(a.embed({"two five"}), b.embed({"two five"}));
  EXPECT_THROW(b.load_state(nlohmann::json{{"documents", 1}, {"df", {1, 2}}}), judge::Error);
}

TEST(HashedTfidf, UnknownSpecIsAUsageError) {
  auto code_of = [](auto&& f) {
    try {
      f();
    } catch (const judge::Error& e) {
      return e.code();
    }
    return judge::ExitCode::ok;
  };
  EXPECT_EQ(code_of([] { judge::memory::make_embedder("nope"); }), judge::ExitCode::usage);
  // A provider spec is checked by the llm registry when the provider is first used.
  auto e = judge::memory::make_embedder("nope:model");
  EXPECT_EQ(e->spec(), "nope:model");
  EXPECT_EQ(code_of([&] { e->embed({"text"}); }), judge::ExitCode::usage);
}

// A misspelt embeddings spec without ':' gets a did-you-mean, as a misspelt provider does: one edit from
// hashed-tfidf (12 letters: up to 3 edits), one from openai (6 letters: 1 edit); "nope" is near nothing.
TEST(HashedTfidf, AMisspeltSpecGetsADidYouMean) {
  auto message_of = [](const std::string& spec) {
    try {
      judge::memory::make_embedder(spec);
    } catch (const judge::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message_of("hashed-tfdf"),
            "unknown embeddings spec \"hashed-tfdf\" (hashed-tfidf, or PROVIDER:MODEL such as "
            "openai:text-embedding-3-small); did you mean hashed-tfidf?");
  EXPECT_EQ(message_of("opena"),
            "unknown embeddings spec \"opena\" (hashed-tfidf, or PROVIDER:MODEL such as "
            "openai:text-embedding-3-small); did you mean openai:MODEL?");
  EXPECT_EQ(message_of("nope"),
            "unknown embeddings spec \"nope\" (hashed-tfidf, or PROVIDER:MODEL such as "
            "openai:text-embedding-3-small)");
  EXPECT_EQ(message_of("hashed-tfidf:x"),
            "embeddings spec \"hashed-tfidf:x\": hashed-tfidf takes no model; write "
            "hashed-tfidf");
}
