// SPDX-License-Identifier: MIT
#include "judge/align/validate.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "../scoring/llm_fake_provider.hpp"
#include "judge/align/align.hpp"
#include "judge/memory/calibration.hpp"
#include "judge/scoring/factory.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"

namespace fs = std::filesystem;
using namespace judge;

namespace {

// A judge whose answers are known by hand. Without memory (or with guidelines only) it says 1. With
// episodes it says the human score of this very notebook's episode if memory holds one (a leak: MAE 0),
// else the mean human score of all the memory's episodes of the dimension.
class HandJudge : public scoring::Judge {
 public:
  std::string spec() const override { return "hand"; }
  std::vector<verdict::Verdict> score(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                      const scoring::MemoryUse& context) override {
    ++calls;
    std::vector<verdict::Verdict> out;
    for (const auto& d : rubric.dimensions) {
      verdict::Verdict v{d.id, verdict::Status::scored, 1.0, "", "", nlohmann::ordered_json::object()};
      if (context.memory && context.use_episodes) {
        double sum = 0, n = 0;
        for (const auto& e : context.memory->episodes()) {
          if (e.dimension != d.id || !e.human_score) continue;
          if (nb.path.ends_with("/" + e.notebook)) {
            sum = *e.human_score, n = 1;
            break;
          }
          sum += *e.human_score, n += 1;
        }
        if (n > 0) v.score = sum / n;
      }
      out.push_back(std::move(v));
    }
    return out;
  }
  std::atomic<int> calls{0};  ///< score() calls, from any thread
};

std::string ipynb(const std::string& code) {
  nlohmann::json cell{{"cell_type", "code"},
                      {"metadata", nlohmann::json::object()},
                      {"source", code},
                      {"outputs", nlohmann::json::array()},
                      {"execution_count", nullptr}};
  return nlohmann::json{
      {"nbformat", 4}, {"nbformat_minor", 5}, {"metadata", nlohmann::json::object()}, {"cells", {cell}}}
      .dump();
}

// Six notebooks labelled on model_training: two 1s, two 2s, two 3s, with feedback, so guidelines exist: a
// sentence said of every score (no guideline: it is characteristic of none) and one of each score's own.
struct HandData {
  fs::path dir;
  rubric::Rubric rubric = rubric::select_dimensions(rubric::default_rubric(), "model_training");
  labels::LabelSet labels;
  HandData() {
    dir = fs::temp_directory_path() / ("judge-validate-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::vector<std::pair<std::string, int>> items{{"a.ipynb", 1}, {"b.ipynb", 1}, {"c.ipynb", 2},
                                                         {"d.ipynb", 2}, {"e.ipynb", 3}, {"f.ipynb", 3}};
    std::string csv = "notebook,dimension,score,feedback\n";
    const std::map<int, std::string> own{
        {1, "No validation split."}, {2, "Default hyperparameters kept."}, {3, "Grid search tuning."}};
    for (const auto& [name, score] : items) {
      util::write_file_atomic(dir / "nb" / name, ipynb("model.fit(X_" + name.substr(0, 1) + ", y)"));
      csv += name + ",model_training," + std::to_string(score) +
             ",The model is fitted with fit on the data. " + own.at(score) + "\n";
    }
    util::write_file_atomic(dir / "labels.csv", csv);
    labels = labels::read_labels(dir / "labels.csv", {&rubric, dir / "nb"});
  }
  ~HandData() { fs::remove_all(dir); }
  align::ValidateOptions options(scoring::Judge& judge, int folds, std::uint64_t seed) const {
    align::ValidateOptions o;
    o.rubric = &rubric;
    o.notebooks_dir = dir / "nb";
    o.judge = &judge;
    o.folds = folds;
    o.seed = seed;
    o.parallel = 2;
    return o;
  }
};

double mae(const align::ConditionRun& run, const HandData& data) {
  std::map<std::string, double> human;
  for (const auto& l : data.labels.labels) human[l.item] = *l.score;
  double sum = 0;
  for (const auto& h : run.verdicts) sum += std::fabs(*h.verdict.score - human.at(h.item));
  return sum / static_cast<double>(run.verdicts.size());
}

const align::ConditionRun& run_of(const align::ValidateResult& r, const std::string& condition) {
  for (const auto& run : r.runs)
    if (run.condition == condition) return run;
  throw std::runtime_error("no run " + condition);
}

}  // namespace

// With two folds, stratification deals each pair of equal labels (1,1), (2,2), (3,3) one to each fold, so
// each fold holds one 1, one 2 and one 3 (by hand from stats::assign_folds' contract).
TEST(Validate, FoldsAreStratifiedByMeanLabel) {
  HandData data;
  HandJudge judge;
  const auto r = align::cross_validate(data.labels, data.options(judge, 2, 7));
  ASSERT_EQ(r.items,
            (std::vector<std::string>{"a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb", "e.ipynb", "f.ipynb"}));
  EXPECT_EQ(r.strata, (std::vector<double>{1, 1, 2, 2, 3, 3}));
  for (std::size_t pair = 0; pair < 3; ++pair) EXPECT_NE(r.fold[2 * pair], r.fold[2 * pair + 1]) << pair;
}

// Code lines by hand: A has {"x = 1", "y = 2"} (white space around a line and blank lines do not count,
// markdown is no code), B has {"x = 1", "y = 2", "w = 3"}: 2 shared of 3 distinct.
TEST(Validate, CodeSimilarityIsTheJaccardIndexOfCodeLines) {
  notebook::Notebook a, b, empty;
  a.cells.push_back({1, notebook::CellType::code, "x = 1\n   y = 2  \n\n", "", "", std::nullopt, {}});
  a.cells.push_back({2, notebook::CellType::markdown, "w = 3", "", "", std::nullopt, {}});
  a.cells.push_back({3, notebook::CellType::code, "x = 1", "", "", std::nullopt, {}});
  b.cells.push_back({1, notebook::CellType::code, "w = 3\nx = 1\ny = 2", "", "", std::nullopt, {}});
  EXPECT_DOUBLE_EQ(align::code_similarity(a, b), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(align::code_similarity(b, b), 1.0);
  EXPECT_DOUBLE_EQ(align::code_similarity(a, empty), 0.0);
  EXPECT_DOUBLE_EQ(align::code_similarity(empty, empty), 0.0);
}

// With two folds the stratified deal splits a.ipynb and b.ipynb (both labelled 1; the test above). Given the
// same code they are near-duplicates and share a fold; --near-duplicate 0 splits them again.
TEST(Validate, NearDuplicateNotebooksShareAFold) {
  HandData data;
  HandJudge judge;
  util::write_file_atomic(data.dir / "nb" / "b.ipynb", ipynb("model.fit(X_a, y)"));
  auto o = data.options(judge, 2, 7);
  const auto r = align::cross_validate(data.labels, o);
  EXPECT_EQ(r.fold[0], r.fold[1]);
  ASSERT_EQ(r.near_duplicates.size(), 1u);
  EXPECT_EQ(r.near_duplicates[0].notebooks, (std::vector<std::string>{"a.ipynb", "b.ipynb"}));
  EXPECT_DOUBLE_EQ(r.near_duplicates[0].least, 1.0);
  EXPECT_DOUBLE_EQ(r.near_duplicates[0].most, 1.0);
  o.near_duplicate = 0;
  const auto apart = align::cross_validate(data.labels, o);
  EXPECT_NE(apart.fold[0], apart.fold[1]);
  EXPECT_TRUE(apart.near_duplicates.empty());
  // Six notebooks, all with the same code: one group, too few for two folds.
  for (const char* name : {"c.ipynb", "d.ipynb", "e.ipynb", "f.ipynb"})
    util::write_file_atomic(data.dir / "nb" / name, ipynb("model.fit(X_a, y)"));
  o.near_duplicate = 0.8;
  try {
    align::cross_validate(data.labels, o);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(
        std::string(e.what()).find(
            "folds 2: the 6 labelled notebooks make only 1 group once near-duplicates share a fold; use "
            "near-duplicate 0 to fold them apart"),
        std::string::npos)
        << e.what();
  }
}

// Chained near-duplicates are one group. c has lines {1..5}, d {1..4, 6}, e {1..3, 6, 7}: c~d 4/6, d~e 4/6,
// c~e 3/7. At 0.6 the pairs c-d and d-e link all three into one group (c and e are not alike enough
// themselves); its least and greatest linking similarity are both 4/6. At 0.7 none is linked.
TEST(Validate, ChainedNearDuplicatesAreOneGroup) {
  HandData data;
  HandJudge judge;
  const auto code = [](const std::vector<int>& lines) {
    std::string out;
    for (int l : lines) {  // "x3 = 3", appended (GCC 12 -O3 misreads "x" + std::to_string(l): -Wrestrict)
      out += 'x';
      out += std::to_string(l);
      out += " = ";
      out += std::to_string(l);
      out += '\n';
    }
    return out;
  };
  util::write_file_atomic(data.dir / "nb" / "c.ipynb", ipynb(code({1, 2, 3, 4, 5})));
  util::write_file_atomic(data.dir / "nb" / "d.ipynb", ipynb(code({1, 2, 3, 4, 6})));
  util::write_file_atomic(data.dir / "nb" / "e.ipynb", ipynb(code({1, 2, 3, 6, 7})));
  auto o = data.options(judge, 2, 7);
  o.near_duplicate = 0.6;
  const auto r = align::cross_validate(data.labels, o);
  ASSERT_EQ(r.near_duplicates.size(), 1u);
  EXPECT_EQ(r.near_duplicates[0].notebooks, (std::vector<std::string>{"c.ipynb", "d.ipynb", "e.ipynb"}));
  EXPECT_DOUBLE_EQ(r.near_duplicates[0].least, 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(r.near_duplicates[0].most, 4.0 / 6.0);
  EXPECT_EQ(r.fold[2], r.fold[3]);
  EXPECT_EQ(r.fold[3], r.fold[4]);
  o.near_duplicate = 0.7;
  EXPECT_TRUE(align::cross_validate(data.labels, o).near_duplicates.empty());
}

// No notebook's labels reach its own fold's memory: read back from each fold's memory (episodes and the
// label ids guidelines cite), the held-out notebooks are absent and every training notebook is present.
TEST(Validate, HeldOutNotebooksNeverReachTheirFoldsMemory) {
  HandData data;
  HandJudge judge;
  const auto r = align::cross_validate(data.labels, data.options(judge, 3, 1));
  ASSERT_EQ(r.memory_items.size(), 1u);
  ASSERT_EQ(r.memory_items[0].size(), 3u);
  for (int f = 0; f < 3; ++f)
    for (std::size_t i = 0; i < r.items.size(); ++i)
      EXPECT_EQ(r.memory_items[0][static_cast<std::size_t>(f)].count(r.items[i]), r.fold[i] == f ? 0u : 1u)
          << "fold " << f << " item " << r.items[i];
}

// MAE per condition by hand, two folds of {1, 2, 3}: baseline and semantic say 1 everywhere: (0+1+2)/3 = 1.
// Episodic and both say the mean of the other fold's labels, 2: (1+0+1)/3 = 2/3 (a leak would give 0).
// Calibrated: the isotonic map fitted on the other fold's pairs (1->1, 1->2, 1->3) pools them to 1->2, so
// it also says 2: 2/3.
TEST(Validate, MaePerConditionByHand) {
  HandData data;
  HandJudge judge;
  auto o = data.options(judge, 2, 7);
  o.conditions = {"baseline", "semantic", "episodic", "both", "calibrated"};
  const auto r = align::cross_validate(data.labels, o);
  EXPECT_DOUBLE_EQ(mae(run_of(r, "baseline"), data), 1.0);
  EXPECT_DOUBLE_EQ(mae(run_of(r, "semantic"), data), 1.0);
  EXPECT_DOUBLE_EQ(mae(run_of(r, "episodic"), data), 2.0 / 3);
  EXPECT_DOUBLE_EQ(mae(run_of(r, "both"), data), 2.0 / 3);
  EXPECT_DOUBLE_EQ(mae(run_of(r, "calibrated"), data), 2.0 / 3);
  for (const auto& h : run_of(r, "calibrated").verdicts) EXPECT_EQ(h.verdict.extra["calibrated"]["raw"], 1.0);
  EXPECT_EQ(run_of(r, "both").training_items, 6u);  // 3 training notebooks in each of 2 folds
}

// both-calibrated, by hand on the same data: the both verdicts (2, as above), then the calibration each
// fold's memory fits from its episodes, the judge's own score at alignment (1) against the label: (1->1,
// 1->2, 1->3) pooled to 1->2, which maps 2 (beyond its one knot) to 2: MAE 2/3, the raw score 2 (calibrated's
// is 1). The same without "both" among the conditions (its verdicts are then made for it).
TEST(Validate, BothCalibratedMapsTheBothVerdictsByTheFoldMemorysCalibration) {
  HandData data;
  HandJudge judge;
  auto o = data.options(judge, 2, 7);
  for (const std::vector<std::string>& conditions :
       {std::vector<std::string>{"baseline", "both", "both-calibrated"},
        std::vector<std::string>{"baseline", "both-calibrated"}}) {
    o.conditions = conditions;
    const auto r = align::cross_validate(data.labels, o);
    EXPECT_DOUBLE_EQ(mae(run_of(r, "both-calibrated"), data), 2.0 / 3);
    ASSERT_EQ(run_of(r, "both-calibrated").verdicts.size(), 6u);
    for (const auto& h : run_of(r, "both-calibrated").verdicts)
      EXPECT_EQ(h.verdict.extra["calibrated"]["raw"], 2.0);
    EXPECT_EQ(run_of(r, "both-calibrated").training_items, 6u);
  }
  // Neither calibrated condition is measured unless asked for.
  EXPECT_EQ(align::default_validate_conditions(),
            (std::vector<std::string>{"baseline", "semantic", "episodic", "both"}));
}

TEST(Validate, SameSeedSameResult) {
  HandData data;
  HandJudge judge;
  auto o = data.options(judge, 3, 42);
  o.shares = {0.5, 1.0};
  const auto a = align::cross_validate(data.labels, o);
  const auto b = align::cross_validate(data.labels, o);
  EXPECT_EQ(a.fold, b.fold);
  ASSERT_EQ(a.runs.size(), b.runs.size());
  for (std::size_t i = 0; i < a.runs.size(); ++i)
    for (std::size_t j = 0; j < a.runs[i].verdicts.size(); ++j)
      EXPECT_EQ(a.runs[i].verdicts[j].verdict.score, b.runs[i].verdicts[j].verdict.score);
  EXPECT_EQ(a.memory_items, b.memory_items);
}

// A learning-curve share aligns on a subset of the training folds: half of 4 training notebooks is 2, and
// the smaller share's memory is a subset of the full share's.
TEST(Validate, LearningCurveSharesAreNestedSubsets) {
  HandData data;
  HandJudge judge;
  auto o = data.options(judge, 3, 3);
  o.shares = {0.5, 1.0};
  const auto r = align::cross_validate(data.labels, o);
  ASSERT_EQ(r.memory_items.size(), 2u);
  for (std::size_t f = 0; f < 3; ++f) {
    EXPECT_EQ(r.memory_items[0][f].size(), 2u);
    EXPECT_EQ(r.memory_items[1][f].size(), 4u);
    for (const auto& item : r.memory_items[0][f]) EXPECT_EQ(r.memory_items[1][f].count(item), 1u);
  }
}

TEST(Validate, BadOptionsAreErrors) {
  HandData data;
  HandJudge judge;
  // Every one is a usage error (exit 2); the folds ones say how many notebooks there are.
  auto usage_error = [&](const align::ValidateOptions& o) {
    try {
      align::cross_validate(data.labels, o);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::usage) << e.what();
      return std::string(e.what());
    }
    ADD_FAILURE() << "no error";
    return std::string();
  };
  EXPECT_EQ(usage_error(data.options(judge, 7, 0)),
            "folds 7: there are 6 labelled notebooks; use folds 2 to 6");  // 6 cannot fill 7 folds
  auto o = data.options(judge, 2, 0);
  o.conditions = {"baseline", "nonsense"};
  usage_error(o);
  EXPECT_EQ(usage_error(data.options(judge, 1, 0)),
            "folds 1: there are 6 labelled notebooks; use folds 2 to 6");
  EXPECT_EQ(judge.calls, 0);  // checked before the judge is asked anything
}

// Calibration maps what memory leaves to the judge. Fitting leaves out the episodes a rule moves: a and b
// (x = 1; the rule `when x -> score at most 1` moves the judge's 3 to 1), so the pairs are c (3 -> 3), d
// (2 -> 2) and e (2 -> 3): by hand, pool-adjacent-violators gives 2 -> 2.5, 3 -> 3 (with a and b, the five
// pairs would pool to 2 -> 2, 3 -> 2). Applying leaves alone a score a learnt rule gave (rule_score 3, score
// 1), one the blend moved from the rule score (rule_score 3, score 2.5) and one the blend gave where the
// rules said N/A (rule_score null); a rule score the blend left (rule_score 2, score 2) and a verdict without
// memory are mapped, 2 -> 2.5. An episode without recorded facts, where rules exist, is left out of the fit:
// f (3 -> 1) would pull the map of 3 down.
TEST(Validate, CalibrationLeavesWhatMemorySetAlone) {
  memory::Memory m;
  m.set_guidelines({{"model_training", "when x -> score at most 1", {}, "manual"}});
  std::vector<memory::Episode> episodes;
  for (const auto& [name, judge, human, x] : std::vector<std::tuple<std::string, double, double, double>>{
           {"a", 3, 1, 1}, {"b", 3, 1, 1}, {"c", 3, 3, 0}, {"d", 2, 2, 0}, {"e", 2, 3, 0}, {"f", 3, 1, -1}}) {
    memory::Episode e;
    e.id = name + "#model_training";
    e.notebook = name;
    e.dimension = "model_training";
    e.human_score = human;
    e.judge_status = verdict::Status::scored;
    e.judge_score = judge;
    if (x >= 0) e.facts = {{"x", x}};  // f: none recorded
    episodes.push_back(e);
  }
  m.set_episodes(episodes);
  const auto c = memory::fit_calibration(m);
  ASSERT_EQ(c.pairs.at("model_training"), 3u);
  EXPECT_DOUBLE_EQ(c.maps.at("model_training")(2), 2.5);
  EXPECT_DOUBLE_EQ(c.maps.at("model_training")(3), 3);
  // A rule that holds on a and b but changes nothing (3 stays at most 3): a person's decides their verdicts
  // (final, not calibrated), so they are left out as above; a learnt one leaves them to the map, and the
  // five pairs pool to 2 -> 2, 3 -> 2.
  for (const std::string source : {"manual", "learnt"}) {
    m.set_guidelines({{"model_training", "when x -> score at most 3", {}, source}});
    const auto fitted = memory::fit_calibration(m);
    EXPECT_EQ(fitted.pairs.at("model_training"), source == "manual" ? 3u : 5u) << source;
    EXPECT_DOUBLE_EQ(fitted.maps.at("model_training")(3), source == "manual" ? 3 : 2) << source;
  }
  m.set_guidelines({{"model_training", "when x -> score at most 1", {}, "manual"}});
  auto verdict = [](double score, nlohmann::ordered_json extra) {
    return verdict::Verdict{"model_training", verdict::Status::scored, score, "", "", std::move(extra)};
  };
  std::vector<verdict::Verdict> v{
      verdict(1, {{"learnt_rule", "when x -> score at most 1"}, {"rule_score", 3}}),
      verdict(2.5, {{"rule_score", 3}}), verdict(2, {{"rule_score", 2}}),
      verdict(2, nlohmann::ordered_json::object()), verdict(2, {{"rule_score", nullptr}})};
  scoring::apply_calibration(c, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 1);
  EXPECT_FALSE(v[0].extra.contains("calibrated"));
  EXPECT_DOUBLE_EQ(*v[1].score, 2.5);
  EXPECT_FALSE(v[1].extra.contains("calibrated"));
  EXPECT_DOUBLE_EQ(*v[2].score, 2.5);
  EXPECT_EQ(v[2].extra["calibrated"]["raw"], 2);
  EXPECT_DOUBLE_EQ(*v[3].score, 2.5);
  EXPECT_DOUBLE_EQ(*v[4].score, 2);  // the rules said N/A, the blend scored it: memory's score
  EXPECT_FALSE(v[4].extra.contains("calibrated"));
}

// The calibration file: fitted on the episodes' (judge, human) pairs, written, read back, applied.
TEST(Validate, CalibrationRoundTripAndApply) {
  HandData data;
  memory::Memory m;
  memory::Episode e1, e2, e3;
  constexpr auto scored = verdict::Status::scored;
  e1 = {
      "a#model_training", "a", "model_training", 2.0, "", {}, scored, 1.0, "", "", "", "", true, {}, {}, ""};
  e2 = {
      "b#model_training", "b", "model_training", 3.0, "", {}, scored, 2.0, "", "", "", "", true, {}, {}, ""};
  e3 = {
      "c#model_training", "c", "model_training", 2.0, "", {}, scored, 3.0, "", "", "", "", true, {}, {}, ""};
  m.set_episodes({e1, e2, e3});
  m.provenance().judge = "hand";
  const auto c = memory::fit_calibration(m);
  // Pool-adjacent-violators by hand: (1,2), (2,3), (3,2) -> the last two pool to 2.5: knots 1->2, 2->2.5,
  // 3->2.5.
  ASSERT_EQ(c.maps.count("model_training"), 1u);
  const auto& map = c.maps.at("model_training");
  EXPECT_DOUBLE_EQ(map(1), 2);
  EXPECT_DOUBLE_EQ(map(2), 2.5);
  EXPECT_DOUBLE_EQ(map(3), 2.5);
  memory::save_calibration(data.dir, c);
  const auto back = memory::load_calibration(data.dir);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->judge, "hand");
  EXPECT_EQ(back->pairs.at("model_training"), 3u);
  std::vector<verdict::Verdict> v{
      {"model_training", verdict::Status::scored, 1.5, "", "", nlohmann::ordered_json::object()},
      {"other", verdict::Status::scored, 1.0, "", "", nlohmann::ordered_json::object()}};
  scoring::apply_calibration(*back, v);
  EXPECT_DOUBLE_EQ(*v[0].score, 2.25);  // halfway between the knots 1->2 and 2->2.5
  EXPECT_EQ(v[0].extra["calibrated"]["raw"], 1.5);
  EXPECT_EQ(v[0].extra["calibrated"]["map"], "isotonic");
  EXPECT_DOUBLE_EQ(*v[1].score, 1.0);
  // The median map by hand: (1,2), (2,3), (3,2) -> the last two pool to the median of {3,2} = 2.5 as well;
  // saved and read back under its own name.
  const auto median = memory::fit_calibration(m, stats::IsotonicLoss::absolute);
  EXPECT_DOUBLE_EQ(median.maps.at("model_training")(3), 2.5);
  memory::save_calibration(data.dir, median);
  EXPECT_EQ(memory::load_calibration(data.dir)->loss, stats::IsotonicLoss::absolute);
  util::write_file_atomic(data.dir / "calibration.json", R"({"schema_version": 2})");
  EXPECT_THROW(memory::load_calibration(data.dir), Error);
}

// The LLM judge with memory: the conditions' flags decide what the prompt holds, and the verdict lists the
// episodes it was shown.
TEST(Validate, LlmJudgeMemorySectionFollowsTheConditionFlags) {
  HandData data;
  HandJudge hand;
  memory::Memory m;
  align::AlignOptions ao;
  ao.rubric = &data.rubric;
  ao.notebooks_dir = data.dir / "nb";
  ao.judge = &hand;
  align::align(m, data.labels, ao);
  ASSERT_FALSE(m.guidelines("model_training").empty());
  const std::string guideline = m.guidelines("model_training").front().text;

  auto fake = std::make_shared<judge::test::FakeProvider>();
  fake->fallback = [](const llm::ChatRequest&) {
    return judge::test::FakeProvider::reply(R"({"score": 2})");
  };
  scoring::JudgeSettings settings;
  settings.cache_mode = llm::CacheMode::off;
  auto judge = scoring::make_llm_judge(fake, settings);
  std::string hash, error;
  const auto nb = align::read_item(data.dir / "nb", "a.ipynb", hash, error);
  ASSERT_TRUE(nb) << error;
  EXPECT_EQ(nb->path, (data.dir / "nb/a.ipynb").string());
  EXPECT_EQ(nb->name, "a.ipynb");  // what the prompt names: the label's item, not the folder as typed
  auto prompt_of = [&](bool guidelines, bool episodes) {
    const auto v = judge->score(*nb, data.rubric, scoring::MemoryUse{&m, 2, guidelines, episodes});
    return std::make_pair(fake->requests.back().messages[1].content, v.front().extra);
  };
  const auto [semantic, semantic_extra] = prompt_of(true, false);
  EXPECT_NE(semantic.find("\nNotebook a.ipynb ("), std::string::npos) << semantic;
  EXPECT_NE(semantic.find(guideline), std::string::npos);
  EXPECT_EQ(semantic_extra["episodes"].size(), 0u);
  const auto [episodic, episodic_extra] = prompt_of(false, true);
  EXPECT_EQ(episodic.find(guideline), std::string::npos);
  ASSERT_EQ(episodic_extra["episodes"].size(), 2u);  // k = 2
  EXPECT_TRUE(episodic_extra["episodes"][0].get<std::string>().ends_with(".ipynb#model_training"));
  EXPECT_EQ(episodic_extra["guidelines"], 0);
}
