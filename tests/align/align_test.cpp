// SPDX-License-Identifier: MIT
#include "judge/align/align.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "judge/memory/fact_rule.hpp"
#include "judge/scoring/heuristic.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"

namespace fs = std::filesystem;
using namespace judge;

namespace {

// A reflection model that counts its calls and answers with one guideline per batch citing every record
// ("Guideline N for DIMENSION."), or fails when told to.
class CountingReflection : public llm::ChatProvider {
 public:
  std::string spec() const override { return "fake:reflection"; }
  llm::ChatResult chat(const llm::ChatRequest& request) override {
    const int n = ++calls;
    std::vector<std::string> ids;
    std::string dimension;
    for (auto line : util::split_lines(request.messages.back().content)) {
      if (util::starts_with(line, "Dimension: "))
        dimension = std::string(line.substr(11, line.find(' ', 11) - 11));
      if (util::starts_with(line, "{\"id\""))
        ids.push_back(nlohmann::json::parse(line)["id"].get<std::string>());
    }
    {
      std::lock_guard lock(mutex);
      batch_sizes.push_back(ids.size());
    }
    llm::ChatResult r;
    if (fail) {
      r.error = llm::ProviderError{llm::ErrorKind::server, "HTTP 500", 500, std::nullopt};
      return r;
    }
    nlohmann::json reply{
        {"guidelines",
         {{{"text", "Guideline " + std::to_string(n) + " for " + dimension + "."}, {"cites", ids}}}}};
    r.response = llm::ChatResponse{"```json\n" + reply.dump() + "\n```", {}, 0, "fake", false};
    return r;
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  std::mutex mutex;
  std::vector<std::size_t> batch_sizes;
};

std::string ipynb(const std::vector<std::string>& code) {
  nlohmann::json cells = nlohmann::json::array();
  cells.push_back(
      {{"cell_type", "markdown"}, {"metadata", nlohmann::json::object()}, {"source", "# A notebook"}});
  for (const auto& c : code)
    cells.push_back({{"cell_type", "code"},
                     {"metadata", nlohmann::json::object()},
                     {"source", c},
                     {"outputs", nlohmann::json::array()},
                     {"execution_count", nullptr}});
  return nlohmann::json{
      {"nbformat", 4}, {"nbformat_minor", 5}, {"metadata", nlohmann::json::object()}, {"cells", cells}}
      .dump();
}

struct Fixture {
  fs::path dir;
  labels::LabelSet labels;
  scoring::HeuristicJudge judge;
  CountingReflection reflection;
  align::AlignOptions options;

  explicit Fixture(const std::string& name) {
    dir = fs::temp_directory_path() / ("judge_align_test_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    for (int i = 0; i < 4; ++i)
      util::write_file_atomic(dir / "nb" / ("n" + std::to_string(i) + ".ipynb"),
                              ipynb({"import pandas as pd", "df = pd.read_csv('d.csv')",
                                     i % 2 ? "df = df.fillna(0)" : "df = df.dropna()", "model.fit(X, y)"}));
    for (int i = 0; i < 4; ++i) {
      add("n" + std::to_string(i) + ".ipynb", "data_imputation", i % 2 ? 1 : 2,
          i % 2 ? "A blanket fillna hides missing values."
                : "Rows with missing values are dropped without a check.");
      add("n" + std::to_string(i) + ".ipynb", "model_training", 2,
          "The model is fitted once with default settings.");
    }
    labels.source = "labels.csv";
    labels.hash = "h1";
    options.rubric = &rubric::default_rubric();
    options.notebooks_dir = dir / "nb";
    options.rater_policy = "mean";
    options.judge = &judge;
  }
  ~Fixture() { fs::remove_all(dir); }
  void add(const std::string& item, const std::string& dim, std::optional<double> score,
           const std::string& feedback) {
    labels::Label l;
    l.item = item;
    l.dimension = dim;
    l.score = score;
    l.feedback = feedback;
    l.rater = "r1";
    l.line = static_cast<int>(labels.labels.size()) + 2;
    labels.labels.push_back(l);
  }
};

// Guidelines in words (what reflection and the distiller write), leaving out the heuristic judge's learnt
// rules.
std::size_t prose_guidelines(const memory::Memory& m) {
  return static_cast<std::size_t>(
      std::count_if(m.all_guidelines().begin(), m.all_guidelines().end(),
                    [](const memory::Guideline& g) { return g.source != "learnt"; }));
}

}  // namespace

TEST(Align, BuildsEpisodesAndReflectionGuidelines) {
  Fixture f("build");
  f.options.reflection = &f.reflection;
  memory::Memory m;
  const auto s = align::align(m, f.labels, f.options);
  EXPECT_EQ(s.episodes_added, 8u);
  EXPECT_EQ(m.episodes().size(), 8u);
  EXPECT_EQ(f.reflection.calls, 2);  // one batch per dimension with feedback
  EXPECT_EQ(s.reflection_calls, 2u);
  const auto* e = m.find_episode("n1.ipynb#data_imputation");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->human_score, 1);
  EXPECT_EQ(e->feedback, "A blanket fillna hides missing values.");
  EXPECT_EQ(e->labels, (std::vector<std::string>{"n1.ipynb#data_imputation#r1"}));
  EXPECT_EQ(e->judge_status, verdict::Status::scored);  // the heuristic judge's own verdict, recorded
  EXPECT_NE(e->excerpt.find("fillna"), std::string::npos);
  EXPECT_FALSE(e->vector.empty());
  EXPECT_TRUE(e->distilled);
  const auto g = m.guidelines("data_imputation");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "reflection");
  EXPECT_EQ(g[0].cites.size(), 4u);
  EXPECT_EQ(m.provenance().reflection, "fake:reflection");
  EXPECT_EQ(m.provenance().rater_policy, "mean");
  EXPECT_EQ(m.provenance().judge, "heuristic");
}

namespace {

// A reflection model that answers every batch with the same guideline texts, each citing every record.
class ScriptedReflection : public llm::ChatProvider {
 public:
  explicit ScriptedReflection(std::vector<std::string> texts) : m_texts(std::move(texts)) {}
  std::string spec() const override { return "fake:scripted"; }
  std::vector<std::string> prompts;  // the user message of every call, in order
  llm::ChatResult chat(const llm::ChatRequest& request) override {
    prompts.push_back(request.messages.back().content);
    std::vector<std::string> ids;
    for (auto line : util::split_lines(request.messages.back().content))
      if (util::starts_with(line, "{\"id\""))
        ids.push_back(nlohmann::json::parse(line)["id"].get<std::string>());
    nlohmann::json guidelines = nlohmann::json::array();
    for (const auto& t : m_texts) guidelines.push_back({{"text", t}, {"cites", ids}});
    llm::ChatResult r;
    r.response = llm::ChatResponse{nlohmann::json{{"guidelines", guidelines}}.dump(), {}, 0, "fake", false};
    return r;
  }

 private:
  std::vector<std::string> m_texts;
};

}  // namespace

// What a reflection model writes is not a person's text, and the offline judge's rules come from the labels
// (learnt) or a person: every guideline that reads as a rule of the offline judge (`when ... ->`, or the
// mistyped `=>`) is left out with a warning naming the dimension and the text, whether it parses or not, so
// no unfitted rule is applied ahead of the learnt ones. Prose, also prose starting with "When" without an
// arrow, is kept.
TEST(Align, ReflectionRulesAreLeftOut) {
  Fixture f("reflection_rules");
  const std::string prose = "Say which strategy fills each column.";
  const std::string when_prose = "When a model is trained, check for missing values first.";
  const std::string fine_rule = "when trains_model, not missing_value_checks -> score at most 2";
  ScriptedReflection reflection({prose, "when trains_model -> score 5",
                                 "when no_such_fact -> score at most 1", "when trains_model => score 2",
                                 "When trains_model, missing_value_checks -> scor 1", when_prose, fine_rule});
  f.options.reflection = &reflection;
  memory::Memory m;
  const auto s = align::align(m, f.labels, f.options);
  for (const std::string d : {"data_imputation", "model_training"}) {
    std::vector<std::string> kept;
    for (const auto& g : m.guidelines(d))
      if (g.source == "reflection") kept.push_back(g.text);
    EXPECT_EQ(kept, (std::vector<std::string>{prose, when_prose})) << d;
  }
  // Five left out in each of the two dimensions, each said once; one that does not parse says so too.
  ASSERT_EQ(s.warnings.size(), 10u);
  auto warned = [&](const std::string& dimension, const std::string& text, const std::string& why) {
    return std::count_if(s.warnings.begin(), s.warnings.end(), [&](const std::string& w) {
      return util::starts_with(w, dimension + ": left out the guideline `" + text + "`") &&
             w.find("fake:scripted") != std::string::npos && w.find(why) != std::string::npos;
    });
  };
  const std::string neither = "a reflection model's rule is neither";
  for (const std::string d : {"data_imputation", "model_training"}) {
    EXPECT_EQ(warned(d, fine_rule, neither), 1) << d;
    EXPECT_EQ(warned(d, "when trains_model -> score 5", neither), 1) << d;
    EXPECT_EQ(warned(d, "when no_such_fact -> score at most 1", neither), 1) << d;
    EXPECT_EQ(warned(d, "when trains_model => score 2", "nor does it parse: `=>` is not the rule's arrow"), 1)
        << d;
    EXPECT_EQ(warned(d, "When trains_model, missing_value_checks -> scor 1", "`scor 1` is not an action"), 1)
        << d;
  }
  // The memory saved loads again.
  m.save(f.dir / "mem");
  const memory::Memory again = memory::Memory::load(f.dir / "mem");
  EXPECT_EQ(again.guidelines("data_imputation").size(), m.guidelines("data_imputation").size());
}

// A reflection rule an earlier version kept (it parsed) is removed by the next align, with or without a
// reflection model, saying so; the model's prose and a person's rule stay.
TEST(Align, ReflectionRulesKeptByAnEarlierVersionAreRemoved) {
  Fixture f("reflection_old_rule");
  memory::Memory m;
  const std::string cite = "n1.ipynb#data_imputation#r1";
  m.set_guidelines({{"data_imputation", "Name the imputation strategy.", {cite}, "reflection"},
                    {"data_imputation", "when trains_model -> score 3", {cite}, "reflection"},
                    {"data_imputation", "when not trains_model -> N/A", {}, "manual"}});
  const auto s = align::align(m, f.labels, f.options);
  std::vector<std::string> kept;
  for (const auto& g : m.guidelines("data_imputation"))
    if (g.source != "learnt" && g.source != "extractive") kept.push_back(g.text);
  EXPECT_EQ(kept,
            (std::vector<std::string>{"Name the imputation strategy.", "when not trains_model -> N/A"}));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_TRUE(util::starts_with(s.warnings[0],
                                "data_imputation: removed the guideline `when trains_model -> "
                                "score 3`, a rule a reflection model wrote"))
      << s.warnings[0];
  EXPECT_NE(s.warnings[0].find("give it source: manual"), std::string::npos) << s.warnings[0];
}

// The reflection model is shown a dimension's known prose guidelines, not its rules: LLM judges never see
// rules, and a model shown one restates it as its own.
TEST(Align, ReflectionIsNotShownRules) {
  Fixture f("reflection_known");
  ScriptedReflection reflection({"Say which strategy fills each column."});
  f.options.reflection = &reflection;
  memory::Memory m;
  m.set_guidelines({{"data_imputation", "Name the imputation strategy.", {}, "manual"},
                    {"data_imputation", "when not trains_model -> N/A", {}, "manual"}});
  align::align(m, f.labels, f.options);
  std::size_t shown = 0;
  for (const auto& p : reflection.prompts) {
    if (p.find("Dimension: data_imputation") == std::string::npos) continue;
    ++shown;
    EXPECT_NE(p.find("- Name the imputation strategy.\n"), std::string::npos) << p;
    EXPECT_EQ(p.find("when not trains_model"), std::string::npos) << p;
  }
  EXPECT_EQ(shown, 1u);
}

namespace {

// The heuristic judge under another spec: its verdicts count as another judge's.
class RenamedJudge : public scoring::HeuristicJudge {
 public:
  std::string spec() const override { return "command:./other-judge"; }
};

// The data_imputation episodes of `m` that learnt rules are fitted on and counted against
// (memory::rule_case): those a rule that always matches covers.
std::size_t rule_cases(const memory::Memory& m) {
  std::string error;
  const auto rule = memory::parse_fact_rule("when always -> score 2", error);
  return memory::rule_support(*rule, "data_imputation", m.episodes())->covers;
}

}  // namespace

// Aligned for another judge, then for the heuristic judge with n1.ipynb unreadable: n1's 2 episodes are kept
// as they were (label, feedback, verdict) but marked as the other judge's and counted, and learnt rules leave
// n1 out (3 of the 4 data_imputation episodes are cases). Aligned for the other judge again, still without
// n1, the verdicts are its own again; for the heuristic judge, marked again; once n1 is back, the heuristic
// judge judges it: no mark is left and all 4 are cases.
TEST(Align, KeptEpisodesOfAnotherJudgeAreMarkedAndLeftOutUntilJudgedAgain) {
  Fixture f("other_judge");
  RenamedJudge other;
  f.options.judge = &other;
  memory::Memory m;
  align::align(m, f.labels, f.options);
  EXPECT_EQ(rule_cases(m), 4u);
  const memory::Episode before = *m.find_episode("n1.ipynb#data_imputation");
  fs::rename(f.dir / "nb/n1.ipynb", f.dir / "n1.ipynb");

  f.options.judge = &f.judge;
  auto s = align::align(m, f.labels, f.options);
  EXPECT_EQ(s.notebooks_unreadable, 1u);
  EXPECT_EQ(s.episodes_other_judge, 2u);
  EXPECT_EQ(s.notebooks_other_judge, std::vector<std::string>{"n1.ipynb"});
  EXPECT_EQ(s.other_judges, std::vector<std::string>{"command:./other-judge"});
  const auto* kept = m.find_episode("n1.ipynb#data_imputation");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->verdict_judge, "command:./other-judge");
  EXPECT_EQ(m.find_episode("n1.ipynb#model_training")->verdict_judge, "command:./other-judge");
  EXPECT_EQ(kept->human_score, 1);
  EXPECT_EQ(kept->feedback, "A blanket fillna hides missing values.");
  EXPECT_EQ(kept->judge_status, before.judge_status);
  EXPECT_EQ(kept->judge_score, before.judge_score);
  EXPECT_EQ(kept->judge_rationale, before.judge_rationale);
  EXPECT_TRUE(m.find_episode("n0.ipynb#data_imputation")->own_verdict());
  EXPECT_EQ(rule_cases(m), 3u);

  f.options.judge = &other;
  s = align::align(m, f.labels, f.options);
  EXPECT_EQ(s.episodes_other_judge, 0u);
  EXPECT_TRUE(m.find_episode("n1.ipynb#data_imputation")->own_verdict());
  EXPECT_EQ(rule_cases(m), 4u);

  f.options.judge = &f.judge;
  s = align::align(m, f.labels, f.options);
  EXPECT_EQ(s.episodes_other_judge, 2u);
  EXPECT_EQ(rule_cases(m), 3u);

  fs::rename(f.dir / "n1.ipynb", f.dir / "nb/n1.ipynb");
  s = align::align(m, f.labels, f.options);
  EXPECT_EQ(s.notebooks_unreadable, 0u);
  EXPECT_EQ(s.episodes_other_judge, 0u);
  EXPECT_TRUE(s.notebooks_other_judge.empty());
  for (const auto& e : m.episodes()) EXPECT_TRUE(e.own_verdict()) << e.id;
  EXPECT_EQ(rule_cases(m), 4u);
}

TEST(Align, IncrementalRerunMakesNoCallsAndRedistillsOnlyWhatChanged) {
  Fixture f("incremental");
  f.options.reflection = &f.reflection;
  memory::Memory m;
  align::align(m, f.labels, f.options);
  ASSERT_EQ(f.reflection.calls, 2);

  // Unchanged labels, memory read back from disk: zero calls.
  m.save(f.dir / "mem");
  memory::Memory again = memory::Memory::load(f.dir / "mem");
  auto s = align::align(again, f.labels, f.options);
  EXPECT_EQ(f.reflection.calls, 2);
  EXPECT_EQ(s.reflection_calls, 0u);
  EXPECT_EQ(s.episodes_unchanged, 8u);
  EXPECT_EQ(prose_guidelines(again), 2u);

  // Changed feedback: its episode is replaced, its old citation is void, and only it is distilled again.
  f.labels.labels[2].feedback = "Rows with missing values are dropped; the loss is not reported.";
  f.reflection.batch_sizes.clear();
  s = align::align(again, f.labels, f.options);
  EXPECT_EQ(f.reflection.calls, 3);
  EXPECT_EQ(s.episodes_changed, 1u);
  EXPECT_EQ(f.reflection.batch_sizes, (std::vector<std::size_t>{1}));
  EXPECT_EQ(again.find_episode("n1.ipynb#data_imputation")->feedback, f.labels.labels[2].feedback);
  const auto g = again.guidelines("data_imputation");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].cites.size(), 3u);  // the old guideline lost the changed label
  EXPECT_EQ(g[1].cites, (std::vector<std::string>{"n1.ipynb#data_imputation#r1"}));

  // A new label: only it is distilled.
  f.add("n0.ipynb", "metrics_evaluation", 1, "No metric is reported.");
  f.reflection.batch_sizes.clear();
  s = align::align(again, f.labels, f.options);
  EXPECT_EQ(s.episodes_added, 1u);
  EXPECT_EQ(f.reflection.batch_sizes, (std::vector<std::size_t>{1}));

  // A removed label: its episode goes, and a guideline citing only it.
  f.labels.labels.pop_back();
  s = align::align(again, f.labels, f.options);
  EXPECT_EQ(s.episodes_removed, 1u);
  EXPECT_TRUE(again.guidelines("metrics_evaluation").empty());
  EXPECT_EQ(f.reflection.calls, 4);
}

TEST(Align, BatchesOfAtMostFiftyRecordsAndFailedBatchesRetried) {
  Fixture f("batches");
  f.labels.labels.clear();
  for (int i = 0; i < 120; ++i) {
    const std::string nb = "n" + std::to_string(i % 4) + ".ipynb";
    labels::Label l;
    l.item = nb;
    l.dimension = "data_imputation";
    l.score = 2;
    l.feedback = "Feedback " + std::to_string(i);
    l.rater = "rater" + std::to_string(i);
    f.labels.labels.push_back(l);
  }
  f.options.reflection = &f.reflection;
  f.reflection.fail = true;
  memory::Memory m;
  auto s = align::align(m, f.labels, f.options);
  EXPECT_EQ(f.reflection.calls, 3);
  std::sort(f.reflection.batch_sizes.begin(), f.reflection.batch_sizes.end());
  EXPECT_EQ(f.reflection.batch_sizes, (std::vector<std::size_t>{20, 50, 50}));
  EXPECT_EQ(s.warnings.size(), 3u);
  EXPECT_EQ(prose_guidelines(m), 0u);
  EXPECT_FALSE(m.episodes().front().distilled);

  f.reflection.fail = false;  // the next run retries what failed
  s = align::align(m, f.labels, f.options);
  EXPECT_EQ(f.reflection.calls, 6);
  EXPECT_TRUE(s.warnings.empty());
  EXPECT_TRUE(m.episodes().front().distilled);
  EXPECT_EQ(prose_guidelines(m), 3u);
}

TEST(Align, OfflineExtractiveAndManualGuidelinesKept) {
  Fixture f("offline");
  memory::Memory m;
  align::align(m, f.labels, f.options);
  // "missing values" recurs in the feedback of n0/n2 (score 2) and n1/n3 (score 1); model_training's one
  // sentence recurs in all four notebooks.
  const auto g = m.guidelines("data_imputation");
  ASSERT_FALSE(g.empty());
  for (const auto& x : g) EXPECT_EQ(x.source, "extractive");
  EXPECT_NE(g[0].text.find("Score 1 (bad)"), std::string::npos) << g[0].text;
  EXPECT_EQ(g[0].cites,
            (std::vector<std::string>{"n1.ipynb#data_imputation#r1", "n3.ipynb#data_imputation#r1"}));
  ASSERT_FALSE(m.guidelines("model_training").empty());

  // A hand-written guideline survives re-alignment after the labels change.
  auto all = m.all_guidelines();
  all.push_back({"data_imputation", "Say which strategy fills each column.", {}, "manual"});
  m.set_guidelines(all);
  f.labels.labels[0].feedback = "Different words entirely.";
  align::align(m, f.labels, f.options);
  const auto after = m.guidelines("data_imputation");
  EXPECT_TRUE(std::any_of(after.begin(), after.end(),
                          [](const memory::Guideline& x) { return x.source == "manual"; }));
}

TEST(Align, RaterPolicyResolvesAndIsRecorded) {
  Fixture f("raters");
  labels::Label second = f.labels.labels[0];  // n0 data_imputation: r1 says 2
  second.rater = "r2";
  second.score = 3;
  f.labels.labels.push_back(second);
  memory::Memory m;
  f.options.rater_policy = "mean";
  align::align(m, f.labels, f.options);
  EXPECT_EQ(m.find_episode("n0.ipynb#data_imputation")->human_score, 2.5);
  EXPECT_EQ(m.find_episode("n0.ipynb#data_imputation")->labels.size(), 2u);
  f.options.rater_policy = "r2";
  const auto s = align::align(m, f.labels, f.options);
  EXPECT_EQ(m.provenance().rater_policy, "r2");
  EXPECT_EQ(m.find_episode("n0.ipynb#data_imputation")->human_score, 3);
  EXPECT_EQ(m.episodes().size(), 1u);  // r2 labelled one item
  EXPECT_EQ(s.episodes_removed, 7u);
}

// Forgetting sticks: labels a tombstone names stay out of a re-alignment until unforget clears it.
TEST(Align, ForgottenLabelsStayOutUntilUnforgotten) {
  Fixture f("forgotten");
  memory::Memory m;
  align::align(m, f.labels, f.options);
  ASSERT_EQ(m.episodes().size(), 8u);
  memory::forget(m, {"n1.ipynb"}, {"n2.ipynb#model_training#r1"});
  auto ids = [&] {
    std::vector<std::string> out;
    for (const auto& e : m.episodes()) out.push_back(e.id);
    return out;
  };
  const std::vector<std::string> kept{"n0.ipynb#data_imputation", "n0.ipynb#model_training",
                                      "n2.ipynb#data_imputation", "n3.ipynb#data_imputation",
                                      "n3.ipynb#model_training"};
  EXPECT_EQ(ids(), kept);
  auto s = align::align(m, f.labels, f.options);  // the label file still holds all 8 labels
  EXPECT_EQ(s.labels_forgotten, 3u);              // n1's two, n2's model_training
  EXPECT_EQ(s.episodes_added, 0u);
  EXPECT_EQ(s.episodes_unchanged, 5u);
  EXPECT_EQ(ids(), kept);
  for (const auto& g : m.all_guidelines())
    for (const auto& c : g.cites) EXPECT_FALSE(c.starts_with("n1.ipynb#")) << c;

  EXPECT_EQ(memory::unforget(m, {"n1.ipynb"}, {}).tombstones, 1u);
  s = align::align(m, f.labels, f.options);
  EXPECT_EQ(s.labels_forgotten, 1u);
  EXPECT_EQ(s.episodes_added, 2u);
  EXPECT_NE(m.find_episode("n1.ipynb#data_imputation"), nullptr);
  EXPECT_NE(m.find_episode("n1.ipynb#model_training"), nullptr);
  EXPECT_EQ(m.find_episode("n2.ipynb#model_training"), nullptr);
  EXPECT_EQ(memory::unforget(m, {}, {"n2.ipynb#model_training#r1"}).tombstones, 1u);
  s = align::align(m, f.labels, f.options);
  EXPECT_EQ(s.labels_forgotten, 0u);
  EXPECT_EQ(m.episodes().size(), 8u);
}

// Forgotten feedback does not survive in guidelines: one that cited a forgotten label goes at forget, and
// the next align distills the labels it also cited again. Offline, n1's and n3's shared feedback "A blanket
// fillna hides missing values." made a guideline; with n1 forgotten only n3 says it, so (by the extractive
// rule: a phrase of >= 2 notebooks) no guideline about fillna may remain. Hand-written ones stay.
TEST(Align, GuidelinesCitingForgottenLabelsAreRedone) {
  Fixture f("forget_guidelines");
  memory::Memory m;
  align::align(m, f.labels, f.options);
  auto mentions_fillna = [&] {
    for (const auto& g : m.all_guidelines())
      if (g.source != "manual" && g.text.find("fillna") != std::string::npos) return true;
    return false;
  };
  ASSERT_TRUE(mentions_fillna());
  auto all = m.all_guidelines();
  all.push_back({"data_imputation", "Hand-written, citing n1.", {"n1.ipynb#data_imputation#r1"}, "manual"});
  m.set_guidelines(all);
  memory::forget(m, {"n1.ipynb"}, {});
  EXPECT_FALSE(mentions_fillna());
  EXPECT_FALSE(m.find_episode("n3.ipynb#data_imputation")->distilled);
  align::align(m, f.labels, f.options);
  EXPECT_FALSE(mentions_fillna());
  EXPECT_FALSE(m.guidelines("data_imputation").empty());  // the dropna one, from n0 and n2
  for (const auto& g : m.all_guidelines())
    if (g.source != "manual") {
      for (const auto& c : g.cites) EXPECT_FALSE(c.starts_with("n1.ipynb#")) << c;
    }
  EXPECT_EQ(std::count_if(m.all_guidelines().begin(), m.all_guidelines().end(),
                          [](const memory::Guideline& g) { return g.source == "manual"; }),
            1);

  // With a reflection model, the records of the labels the dropped guideline also cited go to it again.
  Fixture r("forget_reflection");
  r.options.reflection = &r.reflection;
  memory::Memory mr;
  align::align(mr, r.labels, r.options);
  memory::forget(mr, {"n1.ipynb"}, {});
  const int before = r.reflection.calls;
  align::align(mr, r.labels, r.options);
  EXPECT_GT(r.reflection.calls, before);
  for (const auto& g : mr.all_guidelines())
    for (const auto& c : g.cites) EXPECT_FALSE(c.starts_with("n1.ipynb#")) << c;
  for (const auto& e : mr.episodes()) EXPECT_TRUE(e.distilled) << e.id;
}
