// SPDX-License-Identifier: MIT
#include "judge/measure/measure.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>

#include "../support.hpp"
#include "judge/measure/gates.hpp"
#include "judge/measure/metrics.hpp"
#include "judge/util/error.hpp"
#include "small_case.hpp"

using namespace judge::measure;
namespace fs = std::filesystem;

namespace {

fs::path write_temp(const std::string& name, const std::string& text) {
  static const judge::test::TempDir dir("judge_measure_test");  // removed when the test program ends
  return dir.write(name, text);
}

using judge::test::k_labels;
using judge::test::k_scores;

Measurement small_report(MeasureOptions options = {}) {
  options.bootstrap.resamples = 200;
  const auto labels = judge::labels::read_labels(write_temp("labels.csv", k_labels));
  const auto scores = read_scores(write_temp("scores.jsonl", k_scores));
  return measure(labels, scores, options);
}

}  // namespace

TEST(Measure, SameItemAtPathSeparators) {
  EXPECT_TRUE(same_item("a.ipynb", "a.ipynb"));
  EXPECT_TRUE(same_item("/data/nbs/sub/b.ipynb", "sub/b.ipynb"));
  EXPECT_TRUE(same_item("sub/b.ipynb", "/data/nbs/sub/b.ipynb"));
  EXPECT_TRUE(same_item("C:\\nbs\\a.ipynb", "a.ipynb"));
  EXPECT_FALSE(same_item("/data/nbs/xa.ipynb", "a.ipynb"));
  EXPECT_FALSE(same_item("a.ipynb", "b.ipynb"));
}

// Label items meet score items by the one notebook identity (util::same_notebook), by hand: "x/c.ipynb" is a
// tail of "/data/x/c.ipynb"; "C:\\nb\\d.ipynb" ends with "d.ipynb" at a backslash; "./e.ipynb" is "e.ipynb",
// a tail of nb/e.ipynb; "nb/./f.ipynb" ends with "f.ipynb".
TEST(Measure, ItemsMatchByTheOneNotebookIdentity) {
  const auto labels = judge::labels::read_labels(write_temp(
      "match_labels.csv",
      "notebook,dimension,score\nx/c.ipynb,model_use,1\nd.ipynb,model_use,2\n./e.ipynb,model_use,3\n"
      "./f.ipynb,model_use,1\n"));
  const auto scores = read_scores(write_temp("match_scores.csv",
                                             "item,dimension,score,judge\n/data/x/c.ipynb,model_use,2,h\n"
                                             "C:\\nb\\d.ipynb,model_use,2,h\nnb/e.ipynb,model_use,3,h\n"
                                             "nb/./f.ipynb,model_use,3,h\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  const Measurement r = measure(labels, scores, options);
  ASSERT_EQ(r.judges.size(), 1u);
  const auto& jr = r.judges[0];
  EXPECT_EQ(jr.unmatched_labels, 0u);
  ASSERT_EQ(jr.dimensions.size(), 1u);
  EXPECT_EQ(jr.dimensions[0].metrics.n, 4u);
  // c: 2 vs 1, d: 2 vs 2, e: 3 vs 3, f: 3 vs 1
  EXPECT_DOUBLE_EQ(jr.dimensions[0].metrics.mae, (1.0 + 0.0 + 0.0 + 2.0) / 4);
}

// The user's case: judge eval . run inside the notebooks folder writes "./titanic.ipynb" (and "././" is the
// same), the labels say "ipynb/titanic.ipynb": one notebook, by hand 4 vs 2 and 1 vs 1.
TEST(Measure, ScoresOfJudgeEvalDotMatchLabelsFromTheParentFolder) {
  const auto labels = judge::labels::read_labels(write_temp(
      "dot_labels.csv",
      "notebook,dimension,score\nipynb/titanic.ipynb,model_use,2\nipynb/churn.ipynb,model_use,1\n"));
  const auto scores = read_scores(write_temp(
      "dot_scores.jsonl",
      R"({"notebook":"./titanic.ipynb","dimension":"model_use","status":"scored","score":4,"judge":"h"})"
      "\n"
      R"({"notebook":"././churn.ipynb","dimension":"model_use","status":"scored","score":1,"judge":"h"})"
      "\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  const Measurement r = measure(labels, scores, options);
  ASSERT_EQ(r.judges.size(), 1u);
  EXPECT_EQ(r.judges[0].unmatched_labels, 0u);
  ASSERT_EQ(r.judges[0].dimensions.size(), 1u);
  EXPECT_EQ(r.judges[0].dimensions[0].metrics.n, 2u);
  EXPECT_DOUBLE_EQ(r.judges[0].dimensions[0].metrics.mae, (2.0 + 0.0) / 2);
}

// A label equal to a score item but for a leading "./" matches that item only, as an equal one does: the
// label ./x.ipynb is x.ipynb's (|3 - 1| = 2), not also nb/x.ipynb's (which would be ambiguous).
TEST(Measure, ALabelEqualButForDotSlashMatchesOnlyThatItem) {
  const auto labels = judge::labels::read_labels(
      write_temp("dot_exact_labels.csv", "notebook,dimension,score\n./x.ipynb,model_use,3\n"));
  const auto scores = read_scores(write_temp(
      "dot_exact_scores.jsonl",
      R"({"notebook":"x.ipynb","dimension":"model_use","status":"scored","score":1,"judge":"h"})"
      "\n"
      R"({"notebook":"nb/x.ipynb","dimension":"model_use","status":"scored","score":3,"judge":"h"})"
      "\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  const Measurement r = measure(labels, scores, options);
  ASSERT_EQ(r.judges.size(), 1u);
  ASSERT_EQ(r.judges[0].dimensions.size(), 1u);
  EXPECT_EQ(r.judges[0].dimensions[0].metrics.n, 1u);
  EXPECT_DOUBLE_EQ(r.judges[0].dimensions[0].metrics.mae, 2.0);
}

// Labels whose item names no scored notebook, each with the item it probably meant, by hand:
// - "nb/./titanic.ipynb" is "nb/titanic.ipynb" once "." parts are dropped;
// - "x/iris.ipynb" shares its file name with one score item only, "nb/iris.ipynb" (on both its dimensions);
// - "c/house.ipynb" shares it with two ("a/" and "b/house.ipynb"): no guess;
// - "nb/wine_qualty.ipynb" (20 characters, so 3 edits allowed) is 1 insertion from "nb/wine_quality.ipynb";
// - "nb/zzz.ipynb" is 4 edits from "nb/iris.ipynb" (z->i, z->r, z->i, +s) and 5+ characters from the others;
// - "m.ipynb" matches a score item, only its model_training has no record: no hint.
TEST(Measure, LabelsWithoutScoreSayWhichItemTheyProbablyMeant) {
  const auto labels = judge::labels::read_labels(
      write_temp("hint_labels.csv",
                 "notebook,dimension,score\nm.ipynb,model_use,2\nnb/./titanic.ipynb,model_use,1\n"
                 "x/iris.ipynb,model_use,1\nc/house.ipynb,model_use,2\nnb/wine_qualty.ipynb,model_use,3\n"
                 "nb/zzz.ipynb,model_use,1\nx/iris.ipynb,model_training,2\nm.ipynb,model_training,3\n"));
  const auto scores = read_scores(
      write_temp("hint_scores.csv",
                 "item,dimension,score,judge\nm.ipynb,model_use,2,h\nnb/titanic.ipynb,model_use,1,h\n"
                 "nb/iris.ipynb,model_use,1,h\na/house.ipynb,model_use,2,h\nb/house.ipynb,model_use,2,h\n"
                 "nb/wine_quality.ipynb,model_use,3,h\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 20;
  const Measurement r = measure(labels, scores, options);
  ASSERT_EQ(r.judges.size(), 1u);
  const auto& without = r.judges[0].labels_without_score;
  ASSERT_EQ(without.size(), 7u);
  EXPECT_EQ(r.judges[0].unmatched_labels, 7u);
  const std::vector<std::array<std::string, 3>> expected{
      {"nb/./titanic.ipynb", "model_use", "nb/titanic.ipynb"},
      {"x/iris.ipynb", "model_use", "nb/iris.ipynb"},
      {"c/house.ipynb", "model_use", ""},
      {"nb/wine_qualty.ipynb", "model_use", "nb/wine_quality.ipynb"},
      {"nb/zzz.ipynb", "model_use", ""},
      {"x/iris.ipynb", "model_training", "nb/iris.ipynb"},
      {"m.ipynb", "model_training", ""}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(without[i].item, expected[i][0]) << i;
    EXPECT_EQ(without[i].dimension, expected[i][1]) << i;
    EXPECT_EQ(without[i].did_you_mean, expected[i][2]) << i;
  }
}

TEST(Measure, SmallCaseByHand) {
  const Measurement r = small_report();
  EXPECT_EQ(r.scale.min, 1);  // labels' integer range
  EXPECT_EQ(r.scale.max, 3);
  ASSERT_EQ(r.judges.size(), 1u);
  const auto& jr = r.judges[0];
  EXPECT_EQ(jr.records, 5u);
  EXPECT_EQ(jr.unscored, 1u);
  EXPECT_EQ(jr.unmatched_labels, 0u);
  ASSERT_EQ(jr.dimensions.size(), 2u);
  // model_training: a mean 2.5 vs 3, b mean 1 vs 3 -> errors 0.5, 2.
  const auto& mt = jr.dimensions[0];
  EXPECT_EQ(mt.dimension, "model_training");
  EXPECT_EQ(mt.metrics.n, 2u);
  EXPECT_DOUBLE_EQ(mt.metrics.mae, 1.25);
  EXPECT_DOUBLE_EQ(mt.metrics.bias, 1.25);
  // model_use: a humans N/A, judge 2 -> N/A disagreement; b unscored -> left out, counted.
  const auto& mu = jr.dimensions[1];
  EXPECT_EQ(mu.metrics.n, 0u);
  EXPECT_EQ(mu.na.human_na_only, 1u);
  EXPECT_EQ(mu.unscored, 1u);
  EXPECT_TRUE(std::isnan(mu.metrics.mae));
  EXPECT_DOUBLE_EQ(jr.mean_mae, 1.25);  // mean over dimensions with pairs
  // Human vs human on model_training: r1 vs r2 and r2 vs r1 on a (3 vs 2), and on b (1 vs 1): MAE 2/4.
  ASSERT_TRUE(r.human.count("model_training"));
  EXPECT_DOUBLE_EQ(r.human.at("model_training").mae, 0.5);
  // The largest disagreement is b's model_training (judge 3, humans 1) with its feedback.
  ASSERT_FALSE(jr.largest.empty());
  EXPECT_EQ(jr.largest[0].item, "sub/b.ipynb");
  EXPECT_EQ(jr.largest[0].rationale, "says <b>");
  ASSERT_EQ(jr.largest[0].feedback.size(), 1u);
  EXPECT_EQ(jr.largest[0].feedback[0].second, "no model");
}

TEST(Measure, RaterPolicyAndUnknownJudge) {
  MeasureOptions o;
  o.raters = "r2";
  const Measurement r = small_report(o);
  EXPECT_DOUBLE_EQ(r.judges[0].dimensions[0].metrics.mae, 1.5);  // (|3-2| + |3-1|) / 2
  o.raters = "mean";
  o.judge = "nobody";
  EXPECT_THROW(small_report(o), judge::Error);
}

// A misspelt --compare or --judge names the judges, and the one a typo away (heuristc: one letter left out
// of heuristic); a name near none ("nobody") gets the list alone. Judges of k_scores: heuristic only.
TEST(Measure, UnknownJudgeSuggestsTheJudgeATypoMeant) {
  const auto what_of = [](MeasureOptions o) {
    try {
      small_report(std::move(o));
    } catch (const judge::Error& e) {
      EXPECT_EQ(e.code(), judge::ExitCode::usage);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string scores = write_temp("scores.jsonl", k_scores).string();
  MeasureOptions o;
  o.compare = "heuristc";
  EXPECT_EQ(what_of(o), "compare \"heuristc\" names no judge in " + scores +
                            " (judges: heuristic); did you mean \"heuristic\"?");
  o.compare.reset();
  o.judge = "Heuristic";
  EXPECT_EQ(what_of(o), "judge \"Heuristic\" names no judge in " + scores +
                            " (judges: heuristic); did you mean \"heuristic\"?");
  o.judge = "nobody";
  EXPECT_EQ(what_of(o), "judge \"nobody\" names no judge in " + scores + " (judges: heuristic)");
}

// Nothing matches: the error shows one notebook path of each side (the first of each file when no file name
// is shared), or, when a score names the label's notebook, the two dimensions.
TEST(Measure, NoMatchShowsAnExampleOfEachSide) {
  MeasureOptions options;
  options.bootstrap.resamples = 10;
  const auto labels = judge::labels::read_labels(
      write_temp("nomatch_labels.csv",
                 "notebook,dimension,score\nipynb/a.ipynb,model_use,1\nipynb/b.ipynb,model_use,2\n"));
  const auto elsewhere =
      read_scores(write_temp("nomatch_scores.csv",
                             "item,dimension,score,judge\n/abs/path/other.ipynb,model_use,2,h\n/abs/path/"
                             "more.ipynb,model_use,3,h\n"));
  try {
    measure(labels, elsewhere, options);
    FAIL() << "no label matches a score";
  } catch (const judge::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("matches a score in"), std::string::npos) << what;
    EXPECT_TRUE(what.ends_with("; labels name \"ipynb/a.ipynb\", scores name \"/abs/path/other.ipynb\""))
        << what;
  }
  const auto other_dimension = read_scores(
      write_temp("nomatch_dims.csv", "item,dimension,score,judge\n/data/ipynb/a.ipynb,model_training,2,h\n"));
  try {
    measure(labels, other_dimension, options);
    FAIL() << "no label matches a score";
  } catch (const judge::Error& e) {
    const std::string what = e.what();
    EXPECT_TRUE(
        what.ends_with("; the label of \"ipynb/a.ipynb\" is for dimension \"model_use\", the score of "
                       "\"/data/ipynb/a.ipynb\" for \"model_training\""))
        << what;
  }
}

// Labels that are all N/A still pair with scores (N/A agreement is measured): no "no label matches" error.
// Counted by hand: a.ipynb's model_use N/A against the judge's 2 (the humans say N/A, the judge scores it),
// b.ipynb's against the judge's NA (both N/A); model_training of a.ipynb has no label.
TEST(Measure, LabelsAllNotApplicableStillPairWithScores) {
  MeasureOptions options;
  options.bootstrap.resamples = 10;
  const auto labels = judge::labels::read_labels(
      write_temp("allna_labels.csv",
                 "notebook,dimension,score\nipynb/a.ipynb,model_use,NA\nipynb/b.ipynb,model_use,NA\n"));
  const auto scores =
      read_scores(write_temp("allna_scores.csv",
                             "item,dimension,score,judge\n/d/ipynb/a.ipynb,model_training,3,h\n"
                             "/d/ipynb/a.ipynb,model_use,2,h\n/d/ipynb/b.ipynb,model_use,NA,h\n"));
  const auto report = measure(labels, scores, options);
  ASSERT_EQ(report.judges.size(), 1u);
  const auto& dims = report.judges[0].dimensions;
  const auto it =
      std::find_if(dims.begin(), dims.end(), [](const auto& d) { return d.dimension == "model_use"; });
  ASSERT_NE(it, dims.end());
  EXPECT_EQ(it->metrics.n, 0u);
  EXPECT_EQ(it->na.both_na, 1u);
  EXPECT_EQ(it->na.human_na_only, 1u);
  EXPECT_EQ(it->na.judge_na_only, 0u);
}

// The exact sign test's bound, worked by hand: 2 * 0.5^n <= 1 - confidence first at n = 5 (0.0625 <= 0.1),
// 6 (0.03125 <= 0.05) and 8 (0.0078 <= 0.01; 7 gives 0.0156).
TEST(Measure, FewestPairsForSignificanceIsTheSignTestsBound) {
  EXPECT_EQ(fewest_pairs_for_significance(0.90), 5u);
  EXPECT_EQ(fewest_pairs_for_significance(0.95), 6u);
  EXPECT_EQ(fewest_pairs_for_significance(0.99), 8u);
}

// A change on one pair: every resample is that pair, so its interval is the point +2 and "excludes 0"; but
// one changed pair is no evidence (a sign test needs 6 at 95%), so the change is not significant, and the
// warning says why. Two pairs of model_training agreeing (change 0) are not warned of, nor is the mean of
// MAEs, whose interval over the two items includes 0.
TEST(Measure, AChangeOnTooFewPairsIsNotSignificantAndIsWarnedOf) {
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  options.compare = "g";
  const auto labels = judge::labels::read_labels(
      write_temp("thin_labels.csv",
                 "notebook,dimension,score\na.ipynb,model_use,1\na.ipynb,model_training,2\n"
                 "b.ipynb,model_training,2\n"));
  const auto scores = read_scores(write_temp("thin_scores.csv",
                                             "item,dimension,score,judge\na.ipynb,model_use,3,h\n"
                                             "a.ipynb,model_use,1,g\na.ipynb,model_training,2,h\n"
                                             "a.ipynb,model_training,2,g\nb.ipynb,model_training,2,h\n"
                                             "b.ipynb,model_training,2,g\n"));
  options.judge = "h";
  const auto measured = measure(labels, scores, options);
  const auto& dims = measured.judges[0].dimensions;
  const auto use =
      std::find_if(dims.begin(), dims.end(), [](const auto& d) { return d.dimension == "model_use"; });
  ASSERT_NE(use, dims.end());
  ASSERT_TRUE(use->comparison);
  EXPECT_EQ(use->comparison->changed, 1u);
  EXPECT_EQ(use->comparison->diff_ci.low, 2.0);
  EXPECT_EQ(use->comparison->diff_ci.high, 2.0);
  EXPECT_FALSE(use->comparison->significant);
  EXPECT_FALSE(measured.judges[0].mean_diff_significant);
  const auto warnings = thin_significance_warnings(measured);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(
      warnings[0],
      "h: model_use's change from g has an interval that excludes 0, but only 1 of its 1 pair changed; "
      "an exact sign test needs at least 6 changed pairs to find a change significant at 95% (n changes "
      "all one way have p = 2^(1-n)), so it is not marked significant: read the interval as no evidence, "
      "and label more notebooks");
  // Six pairs, three of them tied (both judges right): the sign test sees 3 changes, p = 0.25, so the
  // change h - g = -0.5 (every resample with a changed pair is below 0) is not significant, and is warned
  // of; so is the mean of MAEs, which is model_use's change here.
  std::string label_csv = "notebook,dimension,score\n", score_csv = "item,dimension,score,judge\n";
  for (int i = 0; i < 6; ++i) {
    const std::string nb = std::string("n") + std::to_string(i) + ".ipynb";
    label_csv += nb + ",model_use,2\n";
    score_csv += nb + ",model_use,2,h\n" + nb + ",model_use," + (i < 3 ? "3" : "2") + ",g\n";
  }
  const auto ties = measure(judge::labels::read_labels(write_temp("ties_labels.csv", label_csv)),
                            read_scores(write_temp("ties_scores.csv", score_csv)), options);
  EXPECT_FALSE(ties.judges[0].dimensions[0].comparison->significant);
  EXPECT_FALSE(ties.judges[0].mean_diff_significant);
  const auto tied = thin_significance_warnings(ties);
  ASSERT_EQ(tied.size(), 2u);
  EXPECT_NE(tied[0].find("h: model_use's change from g has an interval that excludes 0, but only 3 of its 6 "
                         "pairs changed"),
            std::string::npos)
      << tied[0];
  EXPECT_NE(tied[1].find("h: the mean of MAEs' change from g has an interval that excludes 0, but only 3 of "
                         "its 6 pairs changed"),
            std::string::npos)
      << tied[1];
  // All six changed one way (g says 3 where h and the labels say 2): p = 2 * 0.5^6 = 0.031 < 0.05, the
  // change -1 on every pair is significant, and nothing is warned of.
  score_csv = "item,dimension,score,judge\n";
  for (int i = 0; i < 6; ++i) {
    const std::string nb = std::string("n") + std::to_string(i) + ".ipynb";
    score_csv += nb + ",model_use,2,h\n" + nb + ",model_use,3,g\n";
  }
  const auto six = measure(judge::labels::read_labels(write_temp("six_labels.csv", label_csv)),
                           read_scores(write_temp("six_scores.csv", score_csv)), options);
  EXPECT_EQ(six.judges[0].dimensions[0].comparison->changed, 6u);
  EXPECT_TRUE(six.judges[0].dimensions[0].comparison->significant);
  EXPECT_TRUE(six.judges[0].mean_diff_significant);
  EXPECT_TRUE(thin_significance_warnings(six).empty());
}

// is_significant, by hand: the interval must exclude 0 and the changed pairs reach the sign test's bound (6
// at 95%, 8 at 99%).
TEST(Measure, IsSignificantNeedsAnIntervalOffZeroAndEnoughChangedPairs) {
  EXPECT_TRUE(is_significant({-0.5, -0.1}, 6, 0.95));
  EXPECT_FALSE(is_significant({-0.5, -0.1}, 5, 0.95));
  EXPECT_FALSE(is_significant({-0.5, 0.0}, 40, 0.95));
  EXPECT_FALSE(is_significant({0.0, 0.3}, 40, 0.95));
  EXPECT_TRUE(is_significant({0.1, 0.3}, 8, 0.99));
  EXPECT_FALSE(is_significant({0.1, 0.3}, 7, 0.99));
}

// The first label is an odd one out (a notebook no score names): the example is still looked for among every
// label. Paths: the pair of one file name sharing the longest tail (sub/c.ipynb, 2 components, over
// c.ipynb alone and over a.ipynb), said with its tail and the two folders. Dimensions: a later label whose
// notebook a score names. Worked by hand from the paths below.
TEST(Measure, NoMatchExampleLooksAtEveryLabel) {
  MeasureOptions options;
  options.bootstrap.resamples = 10;
  const auto labels = judge::labels::read_labels(
      write_temp("odd_labels.csv",
                 "notebook,dimension,score\nREADME.ipynb,model_use,1\ndata/nb/a.ipynb,model_use,2\n"
                 "x/sub/c.ipynb,model_use,3\n"));
  auto what_of = [&](const std::string& name, const std::string& csv) {
    try {
      measure(labels, read_scores(write_temp(name, "item,dimension,score,judge\n" + csv)), options);
    } catch (const judge::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string what = what_of("odd_paths.csv",
                             "/abs/notebooks/a.ipynb,model_use,2,h\n/y/c.ipynb,model_use,2,h\n"
                             "/z/sub/c.ipynb,model_use,2,h\n");
  EXPECT_TRUE(
      what.ends_with("; labels name \"x/sub/c.ipynb\", scores name \"/z/sub/c.ipynb\": the same "
                     "\"sub/c.ipynb\", under \"x/\" in the labels and \"/z/\" in the scores"))
      << what;
  // One shared file name only: that pair, though neither is first in its file.
  what = what_of("odd_one.csv", "/abs/q.ipynb,model_use,2,h\n/abs/notebooks/a.ipynb,model_use,2,h\n");
  EXPECT_TRUE(
      what.ends_with("; labels name \"data/nb/a.ipynb\", scores name \"/abs/notebooks/a.ipynb\": the "
                     "same \"a.ipynb\", under \"data/nb/\" in the labels and \"/abs/notebooks/\" in the "
                     "scores"))
      << what;
  what = what_of("odd_dims.csv", "/abs/q.ipynb,model_use,2,h\n/root/data/nb/a.ipynb,model_training,2,h\n");
  EXPECT_TRUE(
      what.ends_with("; the label of \"data/nb/a.ipynb\" is for dimension \"model_use\", the score of "
                     "\"/root/data/nb/a.ipynb\" for \"model_training\""))
      << what;
  // No file name shared: the first of each side, as before.
  what = what_of("odd_none.csv", "/abs/q.ipynb,model_use,2,h\n");
  EXPECT_TRUE(what.ends_with("; labels name \"README.ipynb\", scores name \"/abs/q.ipynb\"")) << what;
}

TEST(Gates, GatesParseAndEvaluate) {
  const Gate g = parse_gate("mae:model_training >= 0.3");
  EXPECT_EQ(g.metric, "mae");
  EXPECT_EQ(g.dimension, "model_training");
  EXPECT_EQ(g.op, ">=");
  EXPECT_DOUBLE_EQ(g.threshold, 0.3);
  EXPECT_THROW(parse_gate("mse>1"), judge::Error);
  // A slip of the fingers gets the metric meant: "mea" swaps two letters of "mae", "na_recal" drops one.
  for (const auto& [typo, meant] : std::vector<std::pair<std::string, std::string>>{
           {"mea", "mae"}, {"na_recal", "na_recall"}, {"qkw", "qwk"}}) {
    try {
      parse_gate(typo + ">1");
      ADD_FAILURE() << typo;
    } catch (const judge::Error& e) {
      EXPECT_NE(
          std::string(e.what()).find("unknown metric \"" + typo + "\" (did you mean \"" + meant + "\"?)"),
          std::string::npos)
          << e.what();
    }
  }
  try {
    parse_gate("zzz>1");
    ADD_FAILURE();
  } catch (const judge::Error& e) {
    EXPECT_EQ(std::string(e.what()).find("did you mean"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_gate("mae=1"), judge::Error);
  EXPECT_THROW(parse_gate("mae>x"), judge::Error);
  const Measurement r = small_report();
  const auto results =
      evaluate_gates(r, {parse_gate("mae>1.2"), parse_gate("mae<1.2"), parse_gate("bias:model_use>9"),
                         parse_gate("exact:model_training<=0.5")});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].failed);  // 1.25 > 1.2
  EXPECT_FALSE(results[1].failed);
  EXPECT_TRUE(results[2].failed);  // undefined: no pairs on model_use
  EXPECT_TRUE(results[3].failed);  // exact: a 2.5 rounds to 3 = 3 (1), b 1 vs 3 (0) -> 0.5 <= 0.5
  EXPECT_THROW(evaluate_gates(r, {parse_gate("mae:model_trainin>0.3")}), judge::Error);  // a typo is usage
  EXPECT_THROW(parse_gate("mae>nan"), judge::Error);
  // "=>" is '>=' written the other way round: the error says which to write.
  try {
    parse_gate("mae=>0.3");
    ADD_FAILURE() << "no error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'=>' is no comparison; write '>='"), std::string::npos) << e.what();
  }
}

// A judge worse by exactly one point on every pair: every bootstrap resample's change is +1, so the paired
// interval is [1, 1] and its low end, 1, fails 'mae_change_ci_low>0' on the dimension and on the mean.
TEST(Gates, ChangeIntervalLowEndGatesASignificantlyWorseJudge) {
  const auto labels = judge::labels::read_labels(
      write_temp("worse_labels.csv",
                 "notebook,dimension,rater,score,feedback\na.ipynb,model_training,r,2,\n"
                 "b.ipynb,model_training,r,1,\nc.ipynb,model_training,r,3,\n"));
  const auto scores = read_scores(write_temp(
      "worse_scores.jsonl",
      R"({"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 3, "judge": "aligned"}
{"notebook": "b.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "aligned"}
{"notebook": "c.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "aligned"}
{"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "plain"}
{"notebook": "b.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "plain"}
{"notebook": "c.ipynb", "dimension": "model_training", "status": "scored", "score": 3, "judge": "plain"}
)"));
  MeasureOptions o;
  o.bootstrap.resamples = 200;
  o.judge = "aligned";
  o.compare = "plain";
  const Measurement m = measure(labels, scores, o);
  const auto g = evaluate_gates(m, {parse_gate("mae_change_ci_low:*>0"), parse_gate("mae_change_ci_low>0"),
                                    parse_gate("mae_change>0")});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].gate.dimension, "model_training");
  EXPECT_DOUBLE_EQ(g[0].value, 1);
  EXPECT_TRUE(g[0].failed);
  EXPECT_DOUBLE_EQ(g[1].value, 1);
  EXPECT_TRUE(g[1].failed);
  EXPECT_DOUBLE_EQ(g[2].value, 1);
  EXPECT_EQ(describe(g[0]), "mae_change_ci_low:model_training 1 > 0 (judge aligned)");
  // Without --compare it is a usage error, as mae_change is.
  o.compare.reset();
  EXPECT_THROW(evaluate_gates(measure(labels, scores, o), {parse_gate("mae_change_ci_low>0")}), judge::Error);
}

// A judge that lowered MAE by giving every notebook the majority score, and disagrees about N/A: the
// comparison shows its QWK and the compared judge's, and na_disagree_change gates the N/A disagreements that
// MAE leaves out. Labels a 1, b 2, c 3, d N/A; aligned says 1, 1, 1, 1; plain 1, 2, 2, N/A. By hand (and
// sklearn's cohen_kappa_score(weights="quadratic", labels=[1, 2, 3])): QWK aligned 0 (a constant is
// independent of the labels), plain 2/3 (weighted observed 0.25, expected 0.75). N/A: aligned disagrees on
// d, 1 of 4 pairs; plain on none: change 0.25.
TEST(Gates, NaDisagreeChangeAndTheQwkOfBothJudgesShowWhatMaeLeavesOut) {
  const auto labels = judge::labels::read_labels(
      write_temp("na_change_labels.csv",
                 "notebook,dimension,rater,score,feedback\na.ipynb,model_training,r,1,\n"
                 "b.ipynb,model_training,r,2,\nc.ipynb,model_training,r,3,\nd.ipynb,model_training,r,NA,\n"));
  const auto scores = read_scores(write_temp(
      "na_change_scores.jsonl",
      R"({"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "b.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "c.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "d.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "plain"}
{"notebook": "b.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "plain"}
{"notebook": "c.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "plain"}
{"notebook": "d.ipynb", "dimension": "model_training", "status": "not_applicable", "judge": "plain"}
)"));
  MeasureOptions o;
  o.bootstrap.resamples = 200;
  o.judge = "aligned";
  o.compare = "plain";
  const Measurement m = measure(labels, scores, o);
  ASSERT_EQ(m.judges.size(), 1u);
  ASSERT_EQ(m.judges[0].dimensions.size(), 1u);
  const auto& c = *m.judges[0].dimensions[0].comparison;
  EXPECT_DOUBLE_EQ(c.mae, 1.0);
  EXPECT_NEAR(c.other_mae, 1.0 / 3, 1e-12);
  EXPECT_NEAR(c.qwk, 0.0, 1e-12);
  EXPECT_NEAR(c.other_qwk, 2.0 / 3, 1e-12);
  EXPECT_EQ(c.other_na.disagreements(), 0u);
  EXPECT_EQ(c.other_na.both_na, 1u);
  const auto g =
      evaluate_gates(m, {parse_gate("na_disagree_change>0"), parse_gate("na_disagree_change:*>0.3")});
  ASSERT_EQ(g.size(), 2u);
  EXPECT_DOUBLE_EQ(g[0].value, 0.25);
  EXPECT_TRUE(g[0].failed);
  EXPECT_DOUBLE_EQ(g[1].value, 0.25);
  EXPECT_FALSE(g[1].failed);
  // Paired as the MAEs are: against a judge with no record of d, d is compared by neither, so aligned's
  // N/A disagreement there does not count: 0 of 3 against 0 of 3, change 0 (not 0.25 - 0).
  const auto partial = read_scores(write_temp(
      "na_change_partial.jsonl",
      R"({"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "b.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "c.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "d.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "aligned"}
{"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "plain"}
{"notebook": "b.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "plain"}
{"notebook": "c.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "plain"}
)"));
  const Measurement pm = measure(labels, partial, o);
  const auto& pc = *pm.judges[0].dimensions[0].comparison;
  EXPECT_EQ(pc.na.disagreements(), 0u);
  EXPECT_EQ(pc.na.both_apply, 3u);
  EXPECT_EQ(pm.judges[0].dimensions[0].na.disagreements(), 1u);  // its own table still counts d
  EXPECT_DOUBLE_EQ(evaluate_gates(pm, {parse_gate("na_disagree_change>0")})[0].value, 0.0);
  o.compare.reset();
  EXPECT_THROW(evaluate_gates(measure(labels, scores, o), {parse_gate("na_disagree_change>0")}),
               judge::Error);
}

// A gate's value is printed with enough digits that it never reads as the threshold: 0.30208 passes
// 'mae>=0.3021' and must not print as 0.3021; a value equal to the threshold keeps 4 digits.
TEST(Gates, GateValueHasEnoughDigitsToTellItFromTheThreshold) {
  GateResult r{parse_gate("mae>=0.3021"), "", 0.30208, false};
  EXPECT_EQ(describe(r), "mae 0.30208 (fails if >= 0.3021)");
  r.value = 0.3021;
  r.failed = true;
  EXPECT_EQ(describe(r), "mae 0.3021 >= 0.3021");
  r = {parse_gate("mae>0.35"), "h", 0.41, true};
  EXPECT_EQ(describe(r), "mae 0.41 > 0.35 (judge h)");
  r = {parse_gate("mae<0.5"), "", 0.4999999, false};  // 0.5 at 4 digits: 7 are needed
  r.failed = true;
  EXPECT_EQ(describe(r), "mae 0.4999999 < 0.5");
}

// What the gates say on stderr, worked by hand: 'mae>0.3' gave one result, 0.41 for judge h: failed, said
// with describe's line; 'mae_change:*>0' gave two (two dimensions), both passed: one line with the count;
// 'qwk<0.2' gave one, 0.5, passed: describe's line. Failed lines first, then passed gates in gate order.
TEST(Gates, GateLinesSayWhatFailedAndWhatPassed) {
  auto each = parse_gate("mae_change:*>0");
  GateResult a{each, "h", -0.1, false}, b{each, "h", 0.0, false};
  a.gate.dimension = "model_training";
  b.gate.dimension = "model_use";
  const std::vector<GateResult> results = {
      {parse_gate("qwk<0.2"), "h", 0.5, false}, a, b, {parse_gate("mae>0.3"), "h", 0.41, true}};
  EXPECT_EQ(gate_lines(results),
            (std::vector<std::string>{
                "gate failed: --fail-if 'mae>0.3': mae 0.41 > 0.3 (judge h)",
                "gate passed: --fail-if 'qwk<0.2': qwk 0.5 (fails if < 0.2) (judge h)",
                "gate passed: --fail-if 'mae_change:*>0': each of its 2 checks (a dimension's or a judge's "
                "value) passed",
            }));
  EXPECT_TRUE(gate_lines({}).empty());
}

// A gate given twice, however written, is one gate: one result, named by the text first given; gates that
// differ in metric, dimension, comparison or threshold stay apart. small_report's MAE is 1.25.
TEST(Gates, AGateGivenTwiceIsOneGate) {
  const std::vector<Gate> given = {parse_gate("mae>1.2"),
                                   parse_gate("mae > 1.20"),
                                   parse_gate("mae>=1.2"),
                                   parse_gate("mae>1.3"),
                                   parse_gate("mae:model_training>1.2"),
                                   parse_gate("mae>1.2")};
  const auto kept = distinct_gates(given);
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_EQ(kept[0].text, "mae>1.2");
  EXPECT_EQ(kept[1].text, "mae>=1.2");
  EXPECT_EQ(kept[2].text, "mae>1.3");
  EXPECT_EQ(kept[3].text, "mae:model_training>1.2");
  const auto results = evaluate_gates(small_report(), {parse_gate("mae>1.2"), parse_gate("mae>1.2")});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].failed);
  EXPECT_DOUBLE_EQ(results[0].value, 1.25);
  EXPECT_EQ(gate_lines(results).size(), 1u);
  // A dimension a '*' gate covers, given again by name, is checked once: small_report has two dimensions.
  const auto every =
      evaluate_gates(small_report(), {parse_gate("mae:*>0.5"), parse_gate("mae:model_training>0.5")});
  ASSERT_EQ(every.size(), 2u);
  EXPECT_NE(every[0].gate.dimension, every[1].gate.dimension);
}

// The largest disagreements list only pairs where judge and humans differ: a (2 vs 2) and c (1 vs 1) agree,
// b (1 vs 3) does not.
TEST(Measure, LargestDisagreementsLeaveOutPairsThatAgree) {
  const auto labels = judge::labels::read_labels(
      write_temp("agree_labels.csv", "notebook,dimension,score\na,d,2\nb,d,3\nc,d,1\n"));
  const auto scores =
      read_scores(write_temp("agree_scores.csv", "item,dimension,score,judge\na,d,2,h\nb,d,1,h\nc,d,1,h\n"));
  MeasureOptions options;
  options.bootstrap.resamples = 50;
  const Measurement r = measure(labels, scores, options);
  ASSERT_EQ(r.judges.size(), 1u);
  ASSERT_EQ(r.judges[0].largest.size(), 1u);
  EXPECT_EQ(r.judges[0].largest[0].item, "b");
  EXPECT_EQ(r.judges[0].largest[0].judge, 1);
  EXPECT_EQ(r.judges[0].largest[0].human, 3);
}

// N/A disagreement rate, unscored count and the MAE change against a compared run, by hand on small_report.
TEST(Gates, GatesOnNaDisagreementUnscoredAndMaeChange) {
  const Measurement r = small_report();
  // model_training: a and b both applicable on both sides: 0 of 2. model_use: a humans N/A, judge 2 (one
  // disagreement), b unscored (left out): 1 of 1. Pooled: 1 of 3.
  const auto na =
      evaluate_gates(r, {parse_gate("na_disagree>0.3"), parse_gate("na_disagree:model_training>0"),
                         parse_gate("na_disagree:model_use>=1"), parse_gate("na_disagree<0.34")});
  ASSERT_EQ(na.size(), 4u);
  EXPECT_DOUBLE_EQ(na[0].value, 1.0 / 3);
  EXPECT_TRUE(na[0].failed);
  EXPECT_DOUBLE_EQ(na[1].value, 0);
  EXPECT_FALSE(na[1].failed);
  EXPECT_DOUBLE_EQ(na[2].value, 1);
  EXPECT_TRUE(na[2].failed);
  EXPECT_TRUE(na[3].failed);
  // N/A recall and precision: the humans' one N/A (a's model_use) the judge scores: recall 0 of 1; the judge
  // says N/A nowhere: precision has nothing to divide (NaN), and an undefined value fails its gate.
  const auto rp = evaluate_gates(r, {parse_gate("na_recall<0.9"), parse_gate("na_precision<0.9")});
  EXPECT_DOUBLE_EQ(rp[0].value, 0);
  EXPECT_TRUE(rp[0].failed);
  EXPECT_TRUE(std::isnan(rp[1].value));
  EXPECT_TRUE(rp[1].failed);
  // One unscored record (b's model_use).
  const auto un = evaluate_gates(r, {parse_gate("unscored>0"), parse_gate("unscored:model_training>0"),
                                     parse_gate("unscored:model_use>=1")});
  EXPECT_DOUBLE_EQ(un[0].value, 1);
  EXPECT_TRUE(un[0].failed);
  EXPECT_DOUBLE_EQ(un[1].value, 0);
  EXPECT_FALSE(un[1].failed);
  EXPECT_TRUE(un[2].failed);
  // Without --compare a change gate is a usage error, not a failed gate.
  try {
    evaluate_gates(r, {parse_gate("mae_change>0")});
    ADD_FAILURE() << "no error";
  } catch (const judge::Error& e) {
    EXPECT_NE(std::string(e.what()).find("give compare"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("judge validate measures it for each memory condition against "
                                         "baseline: gate one (gate on both)"),
              std::string::npos)
        << e.what();
  }

  // A baseline run "plain": a model_training 2, b model_training 1 (b's model_use 3, a's N/A).
  const auto labels = judge::labels::read_labels(write_temp("labels.csv", k_labels));
  const auto scores = read_scores(write_temp(
      "scores2.jsonl",
      std::string(k_scores) +
          R"({"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "plain"}
{"notebook": "sub/b.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "plain"}
{"notebook": "a.ipynb", "dimension": "model_use", "status": "not_applicable", "score": null, "judge": "plain"}
{"notebook": "sub/b.ipynb", "dimension": "model_use", "status": "scored", "score": 3, "judge": "plain"}
)"));
  MeasureOptions o;
  o.bootstrap.resamples = 200;
  o.judge = "heuristic";
  o.compare = "plain";
  const Measurement c = measure(labels, scores, o);
  // model_training, humans a 2.5, b 1: heuristic errors 0.5, 2 (MAE 1.25); plain 0.5, 0 (MAE 0.25): +1.
  // model_use: no pair of heuristic's, so no change there (undefined: the gate fails).
  const auto ch = evaluate_gates(c, {parse_gate("mae_change>0"), parse_gate("mae_change:model_training>1"),
                                     parse_gate("mae_change:model_use>0"), parse_gate("mae_change<=1")});
  ASSERT_EQ(ch.size(), 4u);
  EXPECT_DOUBLE_EQ(ch[0].value, 1);
  EXPECT_TRUE(ch[0].failed);
  EXPECT_DOUBLE_EQ(ch[1].value, 1);
  EXPECT_FALSE(ch[1].failed);
  EXPECT_TRUE(std::isnan(ch[2].value));
  EXPECT_TRUE(ch[2].failed);
  EXPECT_TRUE(ch[3].failed);
  EXPECT_EQ(describe(ch[0]), "mae_change 1 > 0 (judge heuristic)");
  // "mae_change:*>0.5": one gate per dimension, in the measurement's order: model_training +1 fails,
  // model_use (no pair) is undefined and fails too; each result names its dimension.
  const auto each = evaluate_gates(c, {parse_gate("mae_change:*>0.5")});
  ASSERT_EQ(each.size(), 2u);
  EXPECT_EQ(each[0].gate.dimension, "model_training");
  EXPECT_DOUBLE_EQ(each[0].value, 1);
  EXPECT_TRUE(each[0].failed);
  EXPECT_EQ(each[1].gate.dimension, "model_use");
  EXPECT_TRUE(std::isnan(each[1].value));
  EXPECT_EQ(describe(each[0]), "mae_change:model_training 1 > 0.5 (judge heuristic)");
  EXPECT_FALSE(evaluate_gates(c, {parse_gate("mae:*>1.5")})[0].failed);  // model_training 1.25
  // The low end of the change's paired interval. model_training's per-notebook changes are a 0 and b +2:
  // a resample draws {a, a} (mean change 0) with probability 1/4, so about 50 of the 200 resamples are 0 and
  // the 2.5th percentile is 0: worse by 1 on average, but not beyond the noise of two notebooks.
  const auto low = evaluate_gates(c, {parse_gate("mae_change_ci_low:model_training>0")});
  EXPECT_DOUBLE_EQ(low[0].value, 0);
  EXPECT_FALSE(low[0].failed);
  EXPECT_TRUE(evaluate_gates(c, {parse_gate("mae_change_ci_low:model_use>0")})[0].failed);  // no pair
  // A judge with no dimension measured: a gate on each dimension covers nothing, which fails (undefined).
  Measurement none = c;
  none.judges.resize(1);
  none.judges[0].dimensions.clear();
  const auto nothing = evaluate_gates(none, {parse_gate("mae_change:*>0.5")});
  ASSERT_EQ(nothing.size(), 1u);
  EXPECT_TRUE(nothing[0].failed);
  EXPECT_TRUE(std::isnan(nothing[0].value));
  // The "plain" run calls a's model_use N/A as the humans do: recall 1 of 1, precision 1 of 1.
  o.judge = "plain";
  o.compare.reset();
  const Measurement p = measure(labels, scores, o);
  const auto prp = evaluate_gates(p, {parse_gate("na_recall<1"), parse_gate("na_precision:model_use<1")});
  EXPECT_DOUBLE_EQ(prp[0].value, 1);
  EXPECT_FALSE(prp[0].failed);
  EXPECT_DOUBLE_EQ(prp[1].value, 1);
  EXPECT_FALSE(prp[1].failed);
}

// A label with no record of the judge at all is not an unscored record: "unscored" counts the judge's
// unscored records (a's model_use, and unlabelled d's), "labels_without_score" the labels no record matches
// (b's model_use: b was judged on model_training only; c: not judged at all). Each is 2 in all, and 0 or 1
// or 2 on a dimension, counted by hand from the two files.
TEST(Gates, LabelsWithoutAScoreAreTheirOwnGate) {
  const auto labels = judge::labels::read_labels(write_temp("lws_labels.csv",
                                                            "notebook,dimension,score\n"
                                                            "a.ipynb,model_training,2\n"
                                                            "a.ipynb,model_use,3\n"
                                                            "b.ipynb,model_training,1\n"
                                                            "b.ipynb,model_use,2\n"
                                                            "c.ipynb,model_training,2\n"));
  const auto scores = read_scores(write_temp("lws_scores.csv",
                                             "item,dimension,status,score,judge\n"
                                             "a.ipynb,model_training,scored,2,h\n"
                                             "a.ipynb,model_use,unscored,,h\n"
                                             "b.ipynb,model_training,scored,1,h\n"
                                             "d.ipynb,model_use,unscored,,h\n"));
  MeasureOptions o;
  o.bootstrap.resamples = 50;
  const Measurement m = measure(labels, scores, o);
  ASSERT_EQ(m.judges.size(), 1u);
  EXPECT_EQ(m.judges[0].unmatched_labels, 2u);
  const auto g = evaluate_gates(
      m, {parse_gate("labels_without_score>0"), parse_gate("labels_without_score:model_training>=1"),
          parse_gate("labels_without_score:model_use>1"), parse_gate("unscored>1"),
          parse_gate("unscored:model_training>0"), parse_gate("labels_without_score<=2")});
  ASSERT_EQ(g.size(), 6u);
  EXPECT_DOUBLE_EQ(g[0].value, 2);
  EXPECT_TRUE(g[0].failed);
  EXPECT_EQ(describe(g[0]), "labels_without_score 2 > 0 (judge h)");
  EXPECT_DOUBLE_EQ(g[1].value, 1);  // c's model_training
  EXPECT_TRUE(g[1].failed);
  EXPECT_DOUBLE_EQ(g[2].value, 1);  // b's model_use
  EXPECT_FALSE(g[2].failed);
  EXPECT_DOUBLE_EQ(g[3].value, 2);  // a's and d's model_use records
  EXPECT_TRUE(g[3].failed);
  EXPECT_DOUBLE_EQ(g[4].value, 0);
  EXPECT_FALSE(g[4].failed);
  EXPECT_TRUE(g[5].failed);
}

// A labelled dimension with no record of the judge at all (model_use here: the judge was run on
// model_training only) is still gated: its 2 labels (a's, b's) are labels without a score, it has 0
// unscored records, '*' names it beside model_training (c's 1 label), and mae on it is undefined (fails).
TEST(Gates, LabelsWithoutScoreOnADimensionTheJudgeNeverScored) {
  const auto labels = judge::labels::read_labels(write_temp("lws_nodim_labels.csv",
                                                            "notebook,dimension,score\n"
                                                            "a.ipynb,model_training,2\n"
                                                            "a.ipynb,model_use,3\n"
                                                            "b.ipynb,model_use,2\n"
                                                            "c.ipynb,model_training,2\n"));
  const auto scores = read_scores(write_temp("lws_nodim_scores.csv",
                                             "item,dimension,status,score,judge\n"
                                             "a.ipynb,model_training,scored,2,h\n"));
  MeasureOptions o;
  o.bootstrap.resamples = 50;
  const Measurement m = measure(labels, scores, o);
  ASSERT_EQ(m.judges.size(), 1u);
  ASSERT_EQ(m.judges[0].dimensions_without_scores, std::vector<std::string>{"model_use"});
  const auto g = evaluate_gates(m, {parse_gate("labels_without_score:model_use>1"),
                                    parse_gate("labels_without_score>2"), parse_gate("unscored:model_use>0"),
                                    parse_gate("mae:model_use>1"), parse_gate("labels_without_score:*>0")});
  ASSERT_EQ(g.size(), 6u);
  EXPECT_DOUBLE_EQ(g[0].value, 2);
  EXPECT_TRUE(g[0].failed);
  EXPECT_EQ(describe(g[0]), "labels_without_score:model_use 2 > 1 (judge h)");
  EXPECT_DOUBLE_EQ(g[1].value, 3);
  EXPECT_TRUE(g[1].failed);
  EXPECT_DOUBLE_EQ(g[2].value, 0);
  EXPECT_FALSE(g[2].failed);
  EXPECT_TRUE(std::isnan(g[3].value));
  EXPECT_TRUE(g[3].failed);
  EXPECT_EQ(g[4].gate.dimension, "model_training");
  EXPECT_DOUBLE_EQ(g[4].value, 1);
  EXPECT_EQ(g[5].gate.dimension, "model_use");
  EXPECT_DOUBLE_EQ(g[5].value, 2);
  EXPECT_THROW(evaluate_gates(m, {parse_gate("labels_without_score:model_usr>0")}), judge::Error);
}

// The metric table: every gate parses by name (rmse is shown, not gated), the judge-level metrics only gate,
// and a metric's mean over dimensions is the mean of its defined per-dimension values (mae: mean_mae).
TEST(Metrics, TableNamesGatesAndMeans) {
  for (const auto& m : metrics()) {
    EXPECT_EQ(find_metric(m.name), &m);
    EXPECT_NE(!m.of_pairs, !m.of_judge) << m.name;  // exactly one accessor
    if (m.gate) {
      EXPECT_EQ(parse_gate(std::string(m.name) + ">0").metric, m.name);
    }
  }
  EXPECT_THROW(parse_gate("rmse>1"), judge::Error);
  EXPECT_EQ(find_metric("nope"), nullptr);
  const Measurement r = small_report();
  const auto& jr = r.judges[0];
  EXPECT_DOUBLE_EQ(metric_value(*find_metric("mae"), jr, nullptr), jr.mean_mae);
  EXPECT_DOUBLE_EQ(metric_value(*find_metric("bias"), jr, &jr.dimensions[0]), 1.25);
  EXPECT_DOUBLE_EQ(metric_value(*find_metric("unscored"), jr, nullptr), 1);
}

// measure_compared (judge validate's baseline): the compared judge is measured too, without a comparison
// with itself, and the other judge's comparison is the one measured without it.
TEST(Measure, ComparedJudgeMeasuredTooWithTheSameComparison) {
  const auto labels = judge::labels::read_labels(write_temp("labels.csv", k_labels));
  const auto scores = read_scores(write_temp(
      "compared.jsonl",
      std::string(k_scores) +
          R"({"notebook": "a.ipynb", "dimension": "model_training", "status": "scored", "score": 2, "judge": "plain"}
{"notebook": "sub/b.ipynb", "dimension": "model_training", "status": "scored", "score": 1, "judge": "plain"}
)"));
  MeasureOptions o;
  o.bootstrap.resamples = 100;
  o.compare = "plain";
  const Measurement apart = measure(labels, scores, o);
  o.measure_compared = true;
  const Measurement both = measure(labels, scores, o);
  ASSERT_EQ(apart.judges.size(), 1u);
  ASSERT_EQ(both.judges.size(), 2u);
  EXPECT_EQ(both.judges[0].judge, "heuristic");
  EXPECT_EQ(both.judges[1].judge, "plain");
  EXPECT_FALSE(both.judges[1].compare_judge);
  EXPECT_DOUBLE_EQ(both.judges[1].mean_mae, 0.25);  // a: |2 - 2.5|, b: |1 - 1|
  EXPECT_EQ(both.judges[0].compare_judge, apart.judges[0].compare_judge);
  EXPECT_DOUBLE_EQ(both.judges[0].mean_diff, apart.judges[0].mean_diff);
  EXPECT_DOUBLE_EQ(both.judges[0].mean_diff_ci.low, apart.judges[0].mean_diff_ci.low);
  EXPECT_DOUBLE_EQ(both.judges[0].mean_diff_ci.high, apart.judges[0].mean_diff_ci.high);
}
