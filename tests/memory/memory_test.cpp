// SPDX-License-Identifier: MIT
#include "judge/memory/memory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "judge/memory/calibration.hpp"
#include "judge/memory/excerpt.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"

namespace fs = std::filesystem;
using namespace judge::memory;

namespace {

fs::path temp_dir(const std::string& name) {
  const auto dir =
      fs::temp_directory_path() / ("judge_memory_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Episode episode(const std::string& nb, const std::string& dim, std::optional<double> human,
                const std::string& excerpt) {
  Episode e;
  e.id = nb + "#" + dim;
  e.notebook = nb;
  e.dimension = dim;
  e.human_score = human;
  e.feedback = "feedback on " + nb;
  e.labels = {nb + "#" + dim + "#r1"};
  e.judge_status = judge::verdict::Status::scored;
  e.judge_score = 2;
  e.judge_rationale = "cell 1: something";
  e.excerpt = excerpt;
  e.label_fingerprint = "fp-" + nb;
  e.notebook_hash = "hash-" + nb;
  e.distilled = true;
  return e;
}

// Three episodes on data_imputation, one on model_training; vectors from the memory's own embedder.
Memory sample() {
  Memory m;
  std::vector<Episode> eps{
      episode("a.ipynb", "data_imputation", 1, "df.fillna(0) blanket fill of missing values"),
      episode("b.ipynb", "data_imputation", 3, "SimpleImputer fitted on the training split"),
      episode("c.ipynb", "data_imputation", std::nullopt, "print hello"),
      episode("a.ipynb", "model_training", 2, "model.fit(X_train, y_train)")};
  std::vector<std::string> corpus;
  for (const auto& e : eps) corpus.push_back(e.excerpt);
  m.embedder().fit(corpus);
  const auto vectors = m.embedder().embed(corpus);
  for (std::size_t i = 0; i < eps.size(); ++i) eps[i].vector = vectors[i];
  m.set_episodes(eps);
  m.set_guidelines({{"data_imputation",
                     "Blanket fillna(0) without checking is bad.",
                     {"a.ipynb#data_imputation#r1"},
                     "extractive"},
                    {"data_imputation",
                     "Imputers fitted on the training split only are good.",
                     {"b.ipynb#data_imputation#r1", "a.ipynb#data_imputation#r1"},
                     "reflection"},
                    {"model_training", "Hand-written rule.", {}, "manual"}});
  m.set_vocabulary({{"data_imputation", {"fillna", "missing"}}});
  m.set_blend_weights(
      {{"data_imputation", {0.5, 0, ""}}, {"model_training", {0, 0, "1 episode, at least 2 needed"}}});
  m.provenance().judge = "heuristic";
  m.provenance().rater_policy = "rater1";
  m.provenance().k = 3;
  return m;
}

}  // namespace

TEST(Memory, RoundTripWriteEditByHandRead) {
  const auto dir = temp_dir("roundtrip");
  const Memory m = sample();
  m.save(dir);
  for (const char* f : {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;

  Memory r = Memory::load(dir);
  ASSERT_EQ(r.episodes().size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& a = m.episodes()[i];
    const auto& b = r.episodes()[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.human_score, b.human_score);
    EXPECT_EQ(a.feedback, b.feedback);
    EXPECT_EQ(a.labels, b.labels);
    EXPECT_EQ(a.judge_status, b.judge_status);
    EXPECT_EQ(a.judge_score, b.judge_score);
    EXPECT_EQ(a.excerpt, b.excerpt);
    EXPECT_EQ(a.label_fingerprint, b.label_fingerprint);
    EXPECT_EQ(a.vector, b.vector);
  }
  ASSERT_EQ(r.all_guidelines().size(), 3u);
  EXPECT_EQ(r.all_guidelines()[1].cites, m.all_guidelines()[1].cites);
  EXPECT_EQ(r.all_guidelines()[1].source, "reflection");
  EXPECT_EQ(r.provenance().rater_policy, "rater1");
  EXPECT_EQ(r.provenance().k, 3);
  EXPECT_EQ(r.vocabulary().at("data_imputation"), (std::vector<std::string>{"fillna", "missing"}));
  EXPECT_EQ(r.blend_weights().at("data_imputation").score, 0.5);
  EXPECT_EQ(r.blend_weights().at("data_imputation").na, 0);
  EXPECT_EQ(r.blend_weights().at("data_imputation").unlearnt, "");
  EXPECT_EQ(r.blend_weights().at("model_training").unlearnt, "1 episode, at least 2 needed");
  // Each guideline's line in guidelines.yaml, by hand: two comment lines, schema_version, guidelines, the
  // key data_imputation (5), its first guideline's text (6), source, cites and its one label; the second's
  // text (10), source, cites and two labels; the key model_training (15) and its guideline (16).
  // set_guidelines gives the lines save will write, load the lines read.
  for (const Memory* x : {&m, static_cast<const Memory*>(&r)}) {
    ASSERT_EQ(x->all_guidelines().size(), 3u);
    EXPECT_EQ(x->all_guidelines()[0].line, 6);
    EXPECT_EQ(x->all_guidelines()[1].line, 10);
    EXPECT_EQ(x->all_guidelines()[2].line, 16);
  }
  // Same retrieval after the round trip.
  EXPECT_EQ(r.retrieve("data_imputation", "fillna missing", 1).front().episode->id,
            "a.ipynb#data_imputation");

  // Saving again gives the same bytes (stable order).
  const auto before = judge::util::read_file(dir / "episodes.jsonl");
  r.save(dir);
  EXPECT_EQ(judge::util::read_file(dir / "episodes.jsonl"), before);

  // A person adds a guideline (no `source`: manual) under a new dimension key.
  {
    std::ofstream out(dir / "guidelines.yaml", std::ios::app);
    out << "  metrics_evaluation:\n    - text: Report the metric on the held-out test set.\n";
  }
  const Memory edited = Memory::load(dir);
  const auto g = edited.guidelines("metrics_evaluation");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].text, "Report the metric on the held-out test set.");
  EXPECT_EQ(g[0].source, "manual");
  EXPECT_TRUE(g[0].cites.empty());
  fs::remove_all(dir);
}

TEST(Memory, LoadReportsEveryProblemWithItsLine) {
  const auto dir = temp_dir("problems");
  sample().save(dir);
  judge::util::write_file_atomic(dir / "guidelines.yaml",
                                 "schema_version: 1\nguidelines:\n  data_imputation:\n    - source: manual\n "
                                 "   - text: ok\n      source: robot\n");
  std::string episodes = judge::util::read_file(dir / "episodes.jsonl");
  judge::util::write_file_atomic(dir / "episodes.jsonl", episodes + "{not json\n");
  try {
    Memory::load(dir);
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("guidelines.yaml:4: a guideline of `data_imputation` needs a non-empty `text`"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("guidelines.yaml:5: `source` must be manual"), std::string::npos) << what;
    EXPECT_NE(what.find("episodes.jsonl:6: not JSON"), std::string::npos) << what;
  }
  EXPECT_THROW(Memory::load(dir / "nowhere"), judge::Error);
  fs::remove_all(dir);
}

TEST(Memory, AKeyGivenTwiceInGuidelinesIsRefusedAtItsSecondLine) {
  // A hand edit written below the value it meant to replace (yaml-cpp would read the first and drop it).
  const auto dir = temp_dir("twice");
  sample().save(dir);
  judge::util::write_file_atomic(dir / "guidelines.yaml",
                                 "schema_version: 1\n"
                                 "guidelines:\n"
                                 "  data_imputation:\n"
                                 "    - text: when not trains_model -> N/A\n"
                                 "      source: manual\n"
                                 "      text: when not trains_model -> score 3\n"
                                 "schema_version: 1\n");
  try {
    Memory::load(dir);
    FAIL() << "expected an error";
  } catch (const judge::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(
        what.find("guidelines.yaml:6: `text` is given twice (also on line 4): keep one; the first would "
                  "be read and this one ignored"),
        std::string::npos)
        << what;
    EXPECT_NE(what.find("guidelines.yaml:7: `schema_version` is given twice (also on line 1)"),
              std::string::npos)
        << what;
  }
  // A dimension given twice under `guidelines` (a block added at the end of a long file) is fine: both of
  // its lists are read.
  judge::util::write_file_atomic(dir / "guidelines.yaml",
                                 "schema_version: 1\n"
                                 "guidelines:\n"
                                 "  data_imputation:\n"
                                 "    - text: Check for missing values.\n"
                                 "  data_imputation:\n"
                                 "    - text: Impute after the split.\n");
  const Memory both = Memory::load(dir);
  ASSERT_EQ(both.guidelines("data_imputation").size(), 2u);
  EXPECT_EQ(both.guidelines("data_imputation")[1].text, "Impute after the split.");
  fs::remove_all(dir);
}

TEST(Memory, RetrieveTopKByDimension) {
  const Memory m = sample();
  const auto hits = m.retrieve("data_imputation", "SimpleImputer fitted on the training split", 5);
  ASSERT_EQ(hits.size(), 3u);  // fewer than k: all of the dimension
  EXPECT_EQ(hits[0].episode->id, "b.ipynb#data_imputation");
  EXPECT_NEAR(hits[0].similarity, 1.0, 1e-5);
  EXPECT_GE(hits[0].similarity, hits[1].similarity);
  EXPECT_GE(hits[1].similarity, hits[2].similarity);
  EXPECT_EQ(m.retrieve("data_imputation", "anything", 1).size(), 1u);
  EXPECT_TRUE(m.retrieve("feature_engineering", "anything", 5).empty());
  EXPECT_TRUE(m.retrieve("data_imputation", "anything", 0).empty());
  // Equal similarity (a query sharing no token): ties go to the lower id.
  const auto ties = m.retrieve("data_imputation", "zzzz", 3);
  EXPECT_EQ(ties[0].episode->id, "a.ipynb#data_imputation");
  EXPECT_EQ(ties[2].episode->id, "c.ipynb#data_imputation");
}

TEST(Memory, ForgetNotebookAndLabels) {
  Memory m = sample();
  const auto r = forget(m, {"a.ipynb"}, {});
  EXPECT_EQ(r.episodes_removed, 2u);
  // Both the extractive and the reflection guideline cited a.ipynb's label, so their text may carry its
  // feedback: both go, and b.ipynb's episode, which the reflection one also cited, is to be distilled again.
  // The manual one stays although it cites nothing.
  EXPECT_EQ(r.guidelines_removed, 2u);
  EXPECT_EQ(r.learnt_rules_removed, 0u);  // neither is a learnt rule
  ASSERT_EQ(m.all_guidelines().size(), 1u);
  EXPECT_EQ(m.all_guidelines()[0].source, "manual");
  EXPECT_FALSE(m.find_episode("b.ipynb#data_imputation")->distilled);
  EXPECT_TRUE(m.find_episode("c.ipynb#data_imputation")->distilled);
  EXPECT_EQ(m.find_episode("a.ipynb#data_imputation"), nullptr);
  EXPECT_EQ(m.retrieve("data_imputation", "fillna", 5).size(), 2u);

  const auto r2 = forget(m, {}, {"b.ipynb#data_imputation#r1"});
  EXPECT_EQ(r2.episodes_removed, 1u);
  EXPECT_EQ(r2.guidelines_removed, 0u);
  ASSERT_EQ(m.all_guidelines().size(), 1u);
  EXPECT_EQ(m.all_guidelines()[0].source, "manual");
  EXPECT_EQ(m.live_labels(), (std::vector<std::string>{"c.ipynb#data_imputation#r1"}));
}

// A person's guideline stays when a label it cites is forgotten, but cites it no more (memory keeps no trace
// of a forgotten label): forgetting a.ipynb takes its label from the manual guideline's two citations, and a
// citation of a label never in memory (a person's typo) stays as written.
// The guideline of `memory` whose text is `text`, or its guidelines' end.
std::vector<Guideline>::const_iterator find_text(const Memory& memory, const std::string& text) {
  return std::find_if(memory.all_guidelines().begin(), memory.all_guidelines().end(),
                      [&](const Guideline& g) { return g.text == text; });
}

TEST(Memory, ForgetTakesTheForgottenLabelsFromTheCitationsOfGuidelinesKept) {
  Memory m = sample();
  auto guidelines = m.all_guidelines();
  guidelines.push_back(
      {"data_imputation",
       "Check before you fill.",
       {"a.ipynb#data_imputation#r1", "c.ipynb#data_imputation#r1", "zz.ipynb#data_imputation#r1"},
       "manual"});
  m.set_guidelines(guidelines);
  const auto r = forget(m, {"a.ipynb"}, {});
  EXPECT_EQ(r.citations_removed, 1u);
  const auto kept = find_text(m, "Check before you fill.");
  ASSERT_NE(kept, m.all_guidelines().end());
  EXPECT_EQ(kept->cites,
            (std::vector<std::string>{"c.ipynb#data_imputation#r1", "zz.ipynb#data_imputation#r1"}));
  // A label forgotten alone (r1's of an episode two raters labelled): the episode goes, but only that label
  // leaves the citations; r2's comes back at the next align.
  auto episodes = m.episodes();
  for (auto& e : episodes)
    if (e.id == "c.ipynb#data_imputation")
      e.labels = {"c.ipynb#data_imputation#r1", "c.ipynb#data_imputation#r2"};
  m.set_episodes(episodes);
  auto more = m.all_guidelines();
  for (auto& g : more)
    if (g.text == "Check before you fill.") g.cites.push_back("c.ipynb#data_imputation#r2");
  m.set_guidelines(more);
  const auto r2 = forget(m, {}, {"c.ipynb#data_imputation#r1"});
  EXPECT_EQ(r2.episodes_removed, 1u);
  EXPECT_EQ(r2.citations_removed, 1u);
  const auto left = find_text(m, "Check before you fill.");
  ASSERT_NE(left, m.all_guidelines().end());
  EXPECT_EQ(left->cites,
            (std::vector<std::string>{"zz.ipynb#data_imputation#r1", "c.ipynb#data_imputation#r2"}));
  // Then the notebook: its label r2, cited though no episode holds it now, goes too.
  const auto r3 = forget(m, {"c.ipynb"}, {});
  EXPECT_EQ(r3.citations_removed, 1u);
  const auto last = find_text(m, "Check before you fill.");
  ASSERT_NE(last, m.all_guidelines().end());
  EXPECT_EQ(last->cites, (std::vector<std::string>{"zz.ipynb#data_imputation#r1"}));
}

// What forget takes from a person's guideline, unforget puts back: the citations go into the tombstone of
// their notebook (or label id), survive a save, and return to the end of the guideline's cites when that
// tombstone is cleared; a guideline edited since keeps what it has, and the citation is counted as not put
// back.
TEST(Memory, UnforgetPutsBackTheCitationsForgetTookFromGuidelinesKept) {
  const auto dir = temp_dir("unforget_cites");
  Memory m = sample();
  auto guidelines = m.all_guidelines();
  guidelines.push_back({"data_imputation",
                        "Check before you fill.",
                        {"a.ipynb#data_imputation#r1", "b.ipynb#data_imputation#r1", "zz.ipynb#x#r1"},
                        "manual"});
  guidelines.push_back({"data_imputation", "Say why you drop.", {"b.ipynb#data_imputation#r1"}, "manual"});
  m.set_guidelines(guidelines);
  ASSERT_EQ(forget(m, {"a.ipynb"}, {"b.ipynb#data_imputation#r1"}).citations_removed, 3u);
  ASSERT_EQ(m.forgotten().size(), 2u);
  ASSERT_EQ(m.forgotten()[0].cites.size(), 1u);  // a.ipynb's: its label in the first guideline
  EXPECT_EQ(m.forgotten()[0].cites[0].cite, "a.ipynb#data_imputation#r1");
  EXPECT_EQ(m.forgotten()[0].cites[0].text, "Check before you fill.");
  EXPECT_EQ(m.forgotten()[1].cites.size(), 2u);  // b's label, in both guidelines
  m.save(dir);
  Memory r = Memory::load(dir);
  ASSERT_EQ(r.forgotten().size(), 2u);
  ASSERT_EQ(r.forgotten()[1].cites.size(), 2u);
  EXPECT_EQ(r.forgotten()[1].cites[1].text, "Say why you drop.");
  EXPECT_EQ(r.forgotten()[1].cites[1].dimension, "data_imputation");
  // A person rewords the second guideline: b's citation cannot go back there.
  auto edited = r.all_guidelines();
  for (auto& g : edited)
    if (g.text == "Say why you drop.") g.text = "Say why you drop rows.";
  r.set_guidelines(edited);
  const auto u = unforget(r, {"a.ipynb"}, {"b.ipynb#data_imputation#r1"});
  EXPECT_EQ(u.tombstones, 2u);
  EXPECT_EQ(u.citations_restored, 2u);
  ASSERT_EQ(u.not_restored.size(), 1u);
  EXPECT_EQ(u.not_restored[0].text, "Say why you drop.");
  EXPECT_EQ(u.not_restored[0].cite, "b.ipynb#data_imputation#r1");
  EXPECT_EQ(find_text(r, "Check before you fill.")->cites,
            (std::vector<std::string>{"zz.ipynb#x#r1", "a.ipynb#data_imputation#r1",
                                      "b.ipynb#data_imputation#r1"}));
  EXPECT_TRUE(find_text(r, "Say why you drop rows.")->cites.empty());
  // A label forgotten alone, then its notebook: unforgetting the label leaves it out still (its notebook's
  // tombstone covers it), so its citation moves to the notebook's tombstone and comes back with the notebook.
  // A cite edited into a tombstone that is no label of it is not put back.
  forget(r, {}, {"a.ipynb#data_imputation#r1"});
  forget(r, {"a.ipynb"}, {});
  auto tombstones = r.forgotten();
  tombstones[0].cites.push_back({"data_imputation", "Check before you fill.", "zz.ipynb#x#r9"});
  r.set_forgotten(tombstones);
  const auto label_only = unforget(r, {}, {"a.ipynb#data_imputation#r1"});
  EXPECT_EQ(label_only.tombstones, 1u);
  EXPECT_EQ(label_only.citations_restored, 0u);
  ASSERT_EQ(r.forgotten().size(), 1u);
  EXPECT_EQ(r.forgotten()[0].notebook, "a.ipynb");
  ASSERT_EQ(r.forgotten()[0].cites.size(), 1u);
  EXPECT_EQ(r.forgotten()[0].cites[0].cite, "a.ipynb#data_imputation#r1");
  EXPECT_EQ(unforget(r, {"a.ipynb"}, {}).citations_restored, 1u);
  EXPECT_EQ(find_text(r, "Check before you fill.")->cites.back(), "a.ipynb#data_imputation#r1");
  fs::remove_all(dir);
}

TEST(Memory, ForgetRecordsTombstonesThatSurviveARoundTrip) {
  const auto dir = temp_dir("tombstones");
  Memory m = sample();
  forget(m, {"a.ipynb"}, {"b.ipynb#data_imputation#r1"});
  forget(m, {"a.ipynb"}, {});  // again: no second tombstone
  ASSERT_EQ(m.forgotten().size(), 2u);
  EXPECT_EQ(m.forgotten()[0].notebook, "a.ipynb");
  EXPECT_EQ(m.forgotten()[1].label, "b.ipynb#data_imputation#r1");
  EXPECT_EQ(m.forgotten()[0].time.size(), 20u);  // 2026-12-01T02:35:29Z
  EXPECT_TRUE(m.is_forgotten("a.ipynb", "a.ipynb#model_training#r2"));
  EXPECT_TRUE(m.is_forgotten("b.ipynb", "b.ipynb#data_imputation#r1"));
  EXPECT_FALSE(m.is_forgotten("b.ipynb", "b.ipynb#data_imputation#r2"));
  m.save(dir);
  const Memory r = Memory::load(dir);
  ASSERT_EQ(r.forgotten().size(), 2u);
  EXPECT_EQ(r.forgotten()[0].notebook, "a.ipynb");
  EXPECT_EQ(r.forgotten()[0].time, m.forgotten()[0].time);
  EXPECT_EQ(r.forgotten()[1].label, "b.ipynb#data_imputation#r1");
  EXPECT_TRUE(r.forgotten()[1].notebook.empty());
  fs::remove_all(dir);
}

TEST(Memory, UnforgetClearsANotebookWithItsLabels) {
  Memory m = sample();
  forget(m, {"a.ipynb"}, {"a.ipynb#data_imputation#r1", "b.ipynb#data_imputation#r1"});
  ASSERT_EQ(m.forgotten().size(), 3u);
  EXPECT_EQ(unforget(m, {"a.ipynb"}, {}).tombstones, 2u);  // the notebook and its label
  ASSERT_EQ(m.forgotten().size(), 1u);
  EXPECT_EQ(m.forgotten()[0].label, "b.ipynb#data_imputation#r1");
  EXPECT_EQ(unforget(m, {}, {"b.ipynb#data_imputation#r1", "nothing#x#y"}).tombstones, 1u);
  EXPECT_TRUE(m.forgotten().empty());
}

// forget and unforget change the memory, so they stamp it as align does: `updated` becomes the time of the
// change (for forget, the new tombstone's), `created` stays; a forget or unforget that changed nothing
// leaves `updated` alone.
TEST(Memory, ForgetAndUnforgetSetTheUpdatedTime) {
  Memory m = sample();
  m.provenance().created = "2020-01-01T00:00:00Z";
  m.provenance().updated = "2020-01-02T00:00:00Z";
  forget(m, {"a.ipynb"}, {});
  ASSERT_EQ(m.forgotten().size(), 1u);
  EXPECT_EQ(m.provenance().updated, m.forgotten()[0].time);
  EXPECT_EQ(m.provenance().created, "2020-01-01T00:00:00Z");
  m.provenance().updated = "2020-01-03T00:00:00Z";
  forget(m, {"a.ipynb"}, {});  // forgotten already: nothing changes
  EXPECT_EQ(m.provenance().updated, "2020-01-03T00:00:00Z");
  EXPECT_EQ(unforget(m, {"nothing.ipynb"}, {}).tombstones, 0u);
  EXPECT_EQ(m.provenance().updated, "2020-01-03T00:00:00Z");
  EXPECT_EQ(unforget(m, {"a.ipynb"}, {}).tombstones, 1u);
  EXPECT_NE(m.provenance().updated, "2020-01-03T00:00:00Z");
  EXPECT_EQ(m.provenance().updated.size(), 20u);  // 2026-12-01T02:35:29Z
  EXPECT_GT(m.provenance().updated, "2020-01-03T00:00:00Z");
  EXPECT_EQ(m.provenance().created, "2020-01-01T00:00:00Z");
}

TEST(Memory, MatchNotebookOnWholePathComponents) {
  const std::vector<std::string> nbs{"ipynb/titanic.ipynb", "other/titanic.ipynb", "ipynb/churn.ipynb",
                                     "kaggle/xchurn.ipynb", "titanic.ipynb.bak"};
  EXPECT_EQ(match_notebook("ipynb/churn.ipynb", nbs), (std::vector<std::string>{"ipynb/churn.ipynb"}));
  EXPECT_EQ(match_notebook("churn.ipynb", nbs), (std::vector<std::string>{"ipynb/churn.ipynb"}));
  EXPECT_EQ(match_notebook("titanic.ipynb", nbs),
            (std::vector<std::string>{"ipynb/titanic.ipynb", "other/titanic.ipynb"}));
  EXPECT_EQ(match_notebook("ipynb/titanic.ipynb", nbs), (std::vector<std::string>{"ipynb/titanic.ipynb"}));
  EXPECT_TRUE(match_notebook("hurn.ipynb", nbs).empty());
  EXPECT_TRUE(match_notebook("/churn.ipynb", nbs).empty());
  EXPECT_TRUE(match_notebook("", nbs).empty());
  // A leading ./ is ignored; a longer path (as given to judge eval) names the notebook it ends with.
  EXPECT_EQ(match_notebook("./ipynb/churn.ipynb", nbs), (std::vector<std::string>{"ipynb/churn.ipynb"}));
  EXPECT_EQ(match_notebook("data/ipynb/churn.ipynb", nbs), (std::vector<std::string>{"ipynb/churn.ipynb"}));
  EXPECT_TRUE(match_notebook("data/xipynb/churn.ipynb", nbs).empty());
  // A memory aligned on judge eval . output holds "./" paths: they are named without it, as same_notebook
  // names them, and "././" is one "./".
  const std::vector<std::string> dotted{"./titanic.ipynb", "./sub/churn.ipynb"};
  EXPECT_EQ(match_notebook("titanic.ipynb", dotted), (std::vector<std::string>{"./titanic.ipynb"}));
  EXPECT_EQ(match_notebook("churn.ipynb", dotted), (std::vector<std::string>{"./sub/churn.ipynb"}));
  EXPECT_EQ(match_notebook("././sub/churn.ipynb", dotted), (std::vector<std::string>{"./sub/churn.ipynb"}));
  EXPECT_EQ(match_notebook("ipynb/titanic.ipynb", dotted), (std::vector<std::string>{"./titanic.ipynb"}));
  // An exact match wins over longer paths ending with it.
  EXPECT_EQ(match_notebook("t.ipynb", {"t.ipynb", "a/t.ipynb"}), (std::vector<std::string>{"t.ipynb"}));
}

// A save cut short. Memory::save stages memory.json as memory.json.next, then replaces guidelines.yaml,
// episodes.jsonl and vectors.jsonl, then renames memory.json.next to memory.json; simulated by mixing the
// files of two saves by hand, as a save cut short after each step leaves them. The old save has the learnt
// rule `old_rule`, the new one (a forget of a.ipynb, and a refit) `new_rule`, each in its learnt record.
TEST(Memory, InterruptedSaveIsRefusedOrRepaired) {
  const auto old_dir = temp_dir("interrupted_old");
  const auto new_dir = temp_dir("interrupted_new");
  const auto dir = temp_dir("interrupted");
  const std::string old_rule = "when always -> score 2 (2 of 3 labels)";
  const std::string new_rule = "when always -> score 3 (1 of 1 labels)";
  Memory before = sample();
  before.set_guidelines({{"data_imputation", old_rule, {"b.ipynb#data_imputation#r1"}, "learnt"}});
  before.set_learnt_record({{"data_imputation", {{old_rule}, {}, {}}}});
  before.save(old_dir);
  Memory after = sample();
  forget(after, {"a.ipynb"}, {});
  after.set_guidelines({{"data_imputation", new_rule, {"b.ipynb#data_imputation#r1"}, "learnt"}});
  after.set_learnt_record({{"data_imputation", {{new_rule}, {}, {}}}});
  after.save(new_dir);
  EXPECT_FALSE(fs::exists(new_dir / "memory.json.next"));  // a save that ends leaves no staged manifest
  // The folder as a save cut short after its first `steps` steps leaves it: 1 memory.json.next staged, 2
  // guidelines.yaml, 3 episodes.jsonl, 4 vectors.jsonl replaced.
  auto cut_after = [&](int steps) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const char* f : {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"})
      fs::copy_file(old_dir / f, dir / f);
    fs::copy_file(new_dir / "memory.json", dir / "memory.json.next");
    const char* replaced[] = {"guidelines.yaml", "episodes.jsonl", "vectors.jsonl"};
    for (int i = 0; i + 1 < steps; ++i)
      fs::copy_file(new_dir / replaced[i], dir / replaced[i], fs::copy_options::overwrite_existing);
  };
  auto refused = [&]() {
    try {
      Memory::load(dir);
    } catch (const judge::Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("memory " + dir.string() + " is inconsistent"), std::string::npos) << what;
      EXPECT_NE(what.find("re-run judge align"), std::string::npos) << what;
      return true;
    }
    return false;
  };
  // The one guideline, learnt, and not taken for a person's edit: its fact rule stays "learnt".
  auto learnt_rule = [](const Memory& m) {
    EXPECT_EQ(m.all_guidelines().size(), 1u);
    if (m.all_guidelines().size() != 1) return std::string();
    const auto& g = m.all_guidelines()[0];
    EXPECT_EQ(g.source, "learnt");
    EXPECT_FALSE(m.edited_by_hand(g)) << g.text;
    EXPECT_EQ(m.fact_rules("data_imputation").at(0).source, "learnt");
    return g.text;
  };

  // Cut short once staged, before guidelines.yaml: the previous save, whole and consistent (the forget
  // never happened: its command failed, and is run again); settle_save deletes the staged manifest.
  cut_after(1);
  EXPECT_FALSE(refused());
  const Memory previous = Memory::load(dir);
  EXPECT_FALSE(previous.recovered());
  EXPECT_EQ(learnt_rule(previous), old_rule);
  EXPECT_TRUE(previous.forgotten().empty());
  EXPECT_EQ(previous.episodes().size(), 4u);
  settle_save(dir);
  EXPECT_FALSE(fs::exists(dir / "memory.json.next"));
  EXPECT_EQ(judge::util::read_file(dir / "memory.json"), judge::util::read_file(old_dir / "memory.json"));
  EXPECT_EQ(learnt_rule(Memory::load(dir)), old_rule);

  // Cut short after guidelines.yaml, or episodes.jsonl: the staged manifest describes the folder, and the
  // JSON Lines files of two saves are refused. The repair (what judge align loads) keeps the staged
  // manifest's tombstones and learnt record, so the new learnt rule is align's, not a person's; the episodes
  // of episodes.jsonl (here the old ones, then the new ones), no vectors.
  for (int steps : {2, 3}) {
    cut_after(steps);
    EXPECT_TRUE(refused()) << "cut after step " << steps;
    const Memory repaired = Memory::load(dir, Recovery::drop_vectors);
    EXPECT_TRUE(repaired.recovered());
    EXPECT_EQ(learnt_rule(repaired), new_rule);
    ASSERT_EQ(repaired.forgotten().size(), 1u);
    EXPECT_EQ(repaired.forgotten()[0].notebook, "a.ipynb");
    EXPECT_EQ(repaired.episodes().size(), steps == 2 ? 4u : 2u);
    EXPECT_TRUE(repaired.episodes()[0].vector.empty());
    // A writer's settle_save renames the staged manifest: the same folder, read from memory.json.
    settle_save(dir);
    EXPECT_FALSE(fs::exists(dir / "memory.json.next"));
    EXPECT_EQ(judge::util::read_file(dir / "memory.json"), judge::util::read_file(new_dir / "memory.json"));
    EXPECT_TRUE(refused());
    EXPECT_EQ(learnt_rule(Memory::load(dir, Recovery::drop_vectors)), new_rule);
  }
  // Cut short after vectors.jsonl, before the rename: the new save, whole; a person's later edit of
  // guidelines.yaml does not undo it (episodes.jsonl says the save got past guidelines.yaml).
  cut_after(4);
  EXPECT_FALSE(refused());
  EXPECT_EQ(learnt_rule(Memory::load(dir)), new_rule);
  EXPECT_EQ(Memory::load(dir).forgotten().size(), 1u);
  judge::util::write_file_atomic(
      dir / "guidelines.yaml", "schema_version: 1\nguidelines:\n  data_imputation:\n    - text: " + new_rule +
                                   "\n      source: learnt\n    - text: By hand.\n");
  const Memory edited_after = Memory::load(dir);
  EXPECT_EQ(edited_after.all_guidelines().size(), 2u);
  EXPECT_FALSE(edited_after.edited_by_hand(edited_after.all_guidelines()[0]));
  EXPECT_EQ(edited_after.forgotten().size(), 1u);

  // Files of two saves with no staged manifest (copied by hand, or written by an older judge, which wrote
  // memory.json first) are refused as before; a missing vectors.jsonl is refused too.
  cut_after(4);
  fs::remove(dir / "memory.json.next");
  EXPECT_TRUE(refused());
  fs::copy_file(new_dir / "memory.json", dir / "memory.json", fs::copy_options::overwrite_existing);
  EXPECT_FALSE(Memory::load(dir).recovered());
  fs::remove(dir / "vectors.jsonl");
  EXPECT_TRUE(refused());
  // memory.json whose digest reads "missing" (the word load uses for an absent file) with both JSON Lines
  // files absent: refused, never read as consistent.
  auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "memory.json"));
  manifest["digest"] = "missing";
  judge::util::write_file_atomic(dir / "memory.json", manifest.dump(2));
  fs::remove(dir / "episodes.jsonl");
  EXPECT_TRUE(refused());
  // Hand edits of guidelines.yaml and of an episode's feedback leave the digests alone: still loads.
  for (const char* f : {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"})
    fs::copy_file(new_dir / f, dir / f, fs::copy_options::overwrite_existing);
  std::string episodes = judge::util::read_file(dir / "episodes.jsonl");
  episodes.replace(episodes.find("feedback on b.ipynb"), 19, "edited feedback");
  judge::util::write_file_atomic(dir / "episodes.jsonl", episodes);
  judge::util::write_file_atomic(dir / "guidelines.yaml",
                                 "schema_version: 1\nguidelines:\n  x:\n    - text: By hand.\n");
  const Memory edited = Memory::load(dir);
  EXPECT_EQ(edited.episodes()[0].feedback, "edited feedback");
  EXPECT_EQ(edited.all_guidelines().size(), 1u);
  for (const auto& d : {old_dir, new_dir, dir}) fs::remove_all(d);
}

// A folder written before tombstones and digests existed: memory.json without `forgotten` and `digest`,
// JSON Lines headers without `digest`.
TEST(Memory, OldFolderWithoutTombstonesOrDigestsLoads) {
  const auto dir = temp_dir("old");
  sample().save(dir);
  auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "memory.json"));
  ASSERT_TRUE(manifest.contains("digest"));
  manifest.erase("digest");
  manifest.erase("forgotten");
  judge::util::write_file_atomic(dir / "memory.json", manifest.dump(2));
  for (const char* f : {"episodes.jsonl", "vectors.jsonl"}) {
    std::string text = judge::util::read_file(dir / f);
    const auto eol = text.find('\n');
    auto header = nlohmann::json::parse(text.substr(0, eol));
    header.erase("digest");
    judge::util::write_file_atomic(dir / f, header.dump() + text.substr(eol));
  }
  const Memory m = Memory::load(dir);
  EXPECT_FALSE(m.recovered());
  EXPECT_EQ(m.episodes().size(), 4u);
  EXPECT_TRUE(m.forgotten().empty());
  EXPECT_EQ(m.retrieve("data_imputation", "fillna missing", 1).front().episode->id,
            "a.ipynb#data_imputation");
  fs::remove_all(dir);
}

// An episode's verdict given by another judge than the memory's is written as the judge object's `spec` and
// read back; episodes without it (every older file) hold the memory's judge's verdict. Calibration leaves the
// other judge's out: sample()'s data_imputation pairs are a (2 -> 1) and b (2 -> 3), c is N/A; with b's
// verdict another judge's, only a's pair is left: n 1, the map 2 -> 1.
TEST(Memory, AnotherJudgesVerdictIsRecordedAndLeftOutOfCalibration) {
  const auto dir = temp_dir("other_judge");
  Memory m = sample();
  auto episodes = m.episodes();
  for (auto& e : episodes)
    if (e.id == "b.ipynb#data_imputation") e.verdict_judge = "command:./old-judge";
  m.set_episodes(episodes);
  m.save(dir);
  const std::string text = judge::util::read_file(dir / "episodes.jsonl");
  EXPECT_NE(text.find(R"("rationale":"cell 1: something","spec":"command:./old-judge"})"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("\"spec\""), text.rfind("\"spec\"")) << text;  // once: b's only
  const Memory loaded = Memory::load(dir);
  for (const auto& e : loaded.episodes()) {
    EXPECT_EQ(e.own_verdict(), e.id != "b.ipynb#data_imputation") << e.id;
    EXPECT_EQ(e.judge_score, 2) << e.id;  // kept as it was, only marked
  }
  EXPECT_EQ(loaded.find_episode("b.ipynb#data_imputation")->verdict_judge, "command:./old-judge");
  const auto calibration = fit_calibration(loaded, judge::stats::IsotonicLoss::squared);
  EXPECT_EQ(calibration.pairs.at("data_imputation"), 1u);
  EXPECT_DOUBLE_EQ(calibration.maps.at("data_imputation")(2), 1.0);
  fs::remove_all(dir);
}

TEST(Excerpt, PicksCellsOfTheDimensionInDocumentOrder) {
  judge::notebook::Notebook nb;
  auto cell = [&](judge::notebook::CellType t, std::string src) {
    judge::notebook::Cell c;
    c.number = static_cast<int>(nb.cells.size()) + 1;
    c.type = t;
    c.source = std::move(src);
    nb.cells.push_back(c);
  };
  cell(judge::notebook::CellType::markdown, "# Titanic\nSome text");
  cell(judge::notebook::CellType::code, "df = pd.read_csv('t.csv')");
  cell(judge::notebook::CellType::code, "df['Age'] = df['Age'].fillna(df['Age'].median())  # missing ages");
  cell(judge::notebook::CellType::code, "model.fit(X, y)");
  cell(judge::notebook::CellType::code, "df.isna().sum()  # missing");
  const std::vector<std::string> vocab{"fillna", "missing"};
  EXPECT_EQ(excerpt(nb, vocab),
            "[outline]\n# Titanic\n"
            "[cell 3 code]\ndf['Age'] = df['Age'].fillna(df['Age'].median())  # missing ages\n"
            "[cell 5 code]\ndf.isna().sum()  # missing\n");
  // With a budget for one cell only, the cell with more vocabulary words wins.
  EXPECT_EQ(excerpt(nb, vocab, 100),
            "[outline]\n# Titanic\n[cell 3 code]\ndf['Age'] = df['Age'].fillna(df['Age'].median())  # "
            "missing ages\n");
  // Vocabulary by hand: id and title words, description words; "are" (stop word) dropped, sorted, unique.
  EXPECT_EQ(
      dimension_vocabulary({"data_imputation", "Data Imputation", "Missing values are found", {}, "", {}}),
      (std::vector<std::string>{"data", "found", "imputation", "missing", "values"}));
}

// retrieve() passes over the episodes `skip` names and returns k others (not k minus the skipped ones).
TEST(Memory, RetrieveSkipsWhatItIsToldAndStillReturnsK) {
  const Memory m = sample();
  // Without skip, "fillna missing" ranks a first (its excerpt holds both words).
  const auto all = m.retrieve("data_imputation", "fillna missing", 2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].episode->id, "a.ipynb#data_imputation");
  const auto others = m.retrieve("data_imputation", "fillna missing", 2,
                                 [](const Episode& e) { return e.notebook_hash == "hash-a.ipynb"; });
  ASSERT_EQ(others.size(), 2u);  // the dimension's two other episodes, b and c
  for (const auto& r : others) EXPECT_NE(r.episode->notebook, "a.ipynb");
  // k above what is left: the rest, without the skipped one.
  EXPECT_EQ(m.retrieve("data_imputation", "fillna missing", 5,
                       [](const Episode& e) { return e.notebook == "a.ipynb"; })
                .size(),
            2u);
}

// Blend weights that were not learnt are 0: a memory.json without blend_weights (older folders) still
// loads, with no weight; an entry without a field has that field 0.
TEST(Memory, MissingBlendWeightsLoadAsZero) {
  const auto dir = temp_dir("noweights");
  sample().save(dir);
  auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "memory.json"));
  manifest["blend_weights"] = {{"data_imputation", {{"na", 1}}}};
  judge::util::write_file_atomic(dir / "memory.json", manifest.dump(2));
  Memory r = Memory::load(dir);
  EXPECT_EQ(r.blend_weights().at("data_imputation").score, 0);
  EXPECT_EQ(r.blend_weights().at("data_imputation").na, 1);
  EXPECT_EQ(r.blend_weights().at("data_imputation").unlearnt, "");  // older memories keep no reason
  manifest.erase("blend_weights");
  judge::util::write_file_atomic(dir / "memory.json", manifest.dump(2));
  r = Memory::load(dir);
  EXPECT_TRUE(r.blend_weights().empty());
  EXPECT_EQ(BlendWeight{}.score, 0);  // what the blend uses for a dimension without an entry
  EXPECT_EQ(BlendWeight{}.na, 0);
  fs::remove_all(dir);
}

// Hand edits of memory.json are checked, every problem named with the file and its key, together: a blend
// weight of 7 (was clamped to 1), a negative k (was accepted), a string where a number belongs (was a raw
// "[json.exception.type_error.302] type must be number, but is string" naming no key).
TEST(Memory, HandEditsOfMemoryJsonAreCheckedAndEveryProblemNamesItsKey) {
  const auto dir = temp_dir("manifest_edits");
  sample().save(dir);
  auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "memory.json"));
  manifest["blend_weights"] = {{"data_imputation", {{"score", 7}, {"na", "yes"}}},
                               {"model_training", {{"score", 0.25}, {"na", 1}}},
                               {"eda", 0.5}};
  manifest["k"] = -3;
  manifest["judge"] = 3;
  manifest["embeddings"] = "foo";
  manifest["forgotten"] = {
      {{"notebook", "a.ipynb"}, {"label", "a.ipynb#eda#r1"}},
      {{"notebook", "b.ipynb"}, {"cites", {{{"dimension", "eda"}, {"text", "Plot it."}}}}},
      {{"label", "c.ipynb#eda#r1"}, {"cites", "c.ipynb#eda#r1"}}};
  manifest["learnt_rules"] = {
      {"eda", {{"written", {"ok", 2}}, {"rests_on_few_labels", {{"when always -> score 1", 3}}}}}};
  judge::util::write_file_atomic(dir / "memory.json", manifest.dump(2));
  const std::string file = (dir / "memory.json").string();
  std::string what;
  try {
    Memory::load(dir);
  } catch (const judge::Error& e) {
    what = e.what();
  }
  EXPECT_NE(what.find("11 problems in memory.json"), std::string::npos) << what;
  for (const std::string problem :
       {"`blend_weights.data_imputation.score` must be a number from 0 to 1, not 7 (",
        "`blend_weights.data_imputation.na` must be a number from 0 to 1, not \"yes\" (",
        "`blend_weights.eda` must be an object such as {\"score\": 0.5, \"na\": 0}, not 0.5",
        "`k` must be a whole number from 1 to 1000, not -3 (", "`judge` must be a string, not 3",
        "`forgotten[0]` needs one of `notebook` or `label`",
        "`forgotten[1].cites[0]` needs a `dimension`, a `text` and a `cite`, each a non-empty string",
        "`forgotten[2].cites` must be a list such as [{\"dimension\": \"...\", \"text\": \"...\", \"cite\": "
        "\"...\"}] (the citations judge memory forget took out of guidelines), not \"c.ipynb#eda#r1\"",
        "`learnt_rules.eda.written[1]` must be a string, not 2",
        "`learnt_rules.eda.rests_on_few_labels.when always -> score 1` must be a non-empty string (what "
        "judge align "
        "said "
        "of the rule), not 3",
        "`embeddings` names no embedder this judge has: unknown embeddings spec \"foo\""}) {
    // Each on a line of its own, "FILE:LINE: PROBLEM" (which lines: the next test counts them by hand).
    const auto at = what.find(": " + problem);
    ASSERT_NE(at, std::string::npos) << problem << "\n" << what;
    const auto start = what.rfind("\n  ", at) + 3;
    const std::string place = what.substr(start, at - start);
    EXPECT_EQ(place.rfind(file + ":", 0), 0u) << place;
    EXPECT_FALSE(place.substr(file.size() + 1).empty()) << place;
    EXPECT_EQ(place.substr(file.size() + 1).find_first_not_of("0123456789"), std::string::npos) << place;
  }
  EXPECT_EQ(what.find("model_training"), std::string::npos) << what;  // 0.25 and 1 are fine
  EXPECT_EQ(what.find("json.exception"), std::string::npos) << what;
  // Within range, they load as written.
  manifest["blend_weights"] = {{"data_imputation", {{"score", 1}, {"na", 0}}}};
  manifest["k"] = 1;
  manifest["judge"] = "heuristic";
  manifest["embeddings"] = "hashed-tfidf";
  manifest["forgotten"] = nlohmann::json::array();
  manifest["learnt_rules"] = nlohmann::json::object();
  judge::util::write_file_atomic(dir / "memory.json", manifest.dump(2));
  const Memory r = Memory::load(dir);
  EXPECT_EQ(r.blend_weights().at("data_imputation").score, 1);
  EXPECT_EQ(r.provenance().k, 1);
  fs::remove_all(dir);
}

// Memory folders that once broke Memory::load (found by fuzz/memory_fuzz.cpp; reduced inputs in
// Each problem of memory.json names its line, counted by hand in the text below: that of the key, of an
// array's element, or (a required key that is missing) none. Quotes, colons and brackets inside a string
// (line 4) are text, not structure.
TEST(Memory, ProblemsOfMemoryJsonNameTheirLine) {
  const auto dir = temp_dir("manifest_lines");
  judge::util::write_file_atomic(dir / "memory.json", R"({
  "schema_version": 1,
  "k": 0.5,
  "reflection": "say \"x\": {[\"",
  "rubric": {"id": "ml-notebook", "hash": "h"},
  "blend_weights": {
    "data_imputation": {
      "score": "x",
      "na": 0
    }
  },
  "forgotten": [
    {"notebook": "a.ipynb"},
    {"time": "t"}
  ],
  "learnt_rules": {
    "data_imputation": {"written": ["when always -> score 1", 7]}
  }
}
)");
  std::string what;
  try {
    Memory::load(dir);
  } catch (const judge::Error& e) {
    what = e.what();
  }
  const std::string file = (dir / "memory.json").string();
  EXPECT_NE(what.find("5 problems in memory.json"), std::string::npos) << what;
  for (const std::string problem :
       {":3: `k` must be a whole number", ":8: `blend_weights.data_imputation.score` must be a number",
        ":14: `forgotten[1]` needs one of `notebook` or `label`",
        ":17: `learnt_rules.data_imputation.written[1]` must be a string, not 7", ": `labels` is missing"})
    EXPECT_NE(what.find("\n  " + file + problem), std::string::npos) << problem << "\n" << what;
  // In line order, the missing key's (no line) after them.
  EXPECT_LT(what.find(":3: `k`"), what.find(":8: `blend"));
  EXPECT_LT(what.find(":14: `forgotten"), what.find(":17: `learnt"));
  EXPECT_LT(what.find(":17: `learnt"), what.find(": `labels`"));
  // A byte order mark before the text, and a key given twice (the parser takes the last: line 3's).
  judge::util::write_file_atomic(dir / "memory.json",
                                 "\xEF\xBB\xBF{\n  \"k\": 5,\n  \"k\": 0.5,\n"
                                 "  \"schema_version\": 1\n}\n");
  what.clear();
  try {
    Memory::load(dir);
  } catch (const judge::Error& e) {
    what = e.what();
  }
  EXPECT_NE(what.find("\n  " + file + ":3: `k` must be a whole number from 1 to 1000, not 0.5"),
            std::string::npos)
      << what;
  fs::remove_all(dir);
}

// tests/regressions/memory_*.txt, in the fuzz target's form: memory.json, guidelines.yaml, episodes.jsonl and
// vectors.jsonl separated by "===" lines). Each must be a judge::Error naming the file, never another
// exception, a sanitizer report or an allocation of terabytes.
namespace {

// The judge::Error that loading the folder written from tests/regressions/NAME throws ("" when it loads).
std::string load_regression(const std::string& name) {
  const std::string input = judge::util::read_file(fs::path(JUDGE_SOURCE_DIR) / "tests/regressions" / name);
  const auto dir = temp_dir("regression");
  const char* const files[] = {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"};
  std::size_t begin = 0;
  for (const char* file : files) {
    if (begin > input.size()) break;
    const auto end = std::min(input.find("\n===\n", begin), input.size());
    judge::util::write_file_atomic(dir / file, input.substr(begin, end - begin));
    begin = end + 5;
  }
  std::string what;
  try {
    Memory::load(dir);
  } catch (const judge::Error& e) {
    what = e.what();
  }
  fs::remove_all(dir);
  return what;
}

}  // namespace

TEST(MemoryRegressions, ManifestFieldsOfTheWrongTypeOrRangeAreErrorsNamingMemoryJson) {
  // "k": 1e300 was cast to int (undefined behaviour); "schema_version": "1" and "embeddings": 5 escaped as
  // nlohmann type errors.
  std::string what = load_regression("memory_k_out_of_int_range.txt");
  EXPECT_NE(what.find("memory.json:1: `k` must be a whole number from 1 to 1000, not 1e+300"),
            std::string::npos)
      << what;
  what = load_regression("memory_schema_version_string.txt");
  EXPECT_NE(what.find("memory.json: expected schema_version 1"), std::string::npos) << what;
  what = load_regression("memory_embeddings_not_string.txt");
  EXPECT_NE(what.find("memory.json:1: `embeddings` must be a string"), std::string::npos) << what;
}

TEST(MemoryRegressions, GuidelinesWithAListKeyOrAMapVersionAreProblemsWithTheirLine) {
  std::string what = load_regression("memory_guidelines_list_as_dimension.txt");
  EXPECT_NE(what.find("guidelines.yaml:3: a dimension id must be a single word, not a list or a map"),
            std::string::npos)
      << what;
  what = load_regression("memory_guidelines_schema_version_map.txt");
  EXPECT_NE(what.find("guidelines.yaml:1: expected `schema_version: 1`"), std::string::npos) << what;
}

TEST(MemoryRegressions, VectorsOfImpossibleSizeOrValuesAndBadHeadersAreProblemsWithTheirLine) {
  // size 10^12 was allocated whole (AddressSanitizer: requested allocation size exceeds the maximum).
  std::string what = load_regression("memory_vector_size_huge.txt");
  EXPECT_NE(what.find("vectors.jsonl:2: size 1000000000000 is larger than any embedding (at most 65536)"),
            std::string::npos)
      << what;
  // 1e300 became an infinite component (and a double out of a float's range is undefined in C++).
  what = load_regression("memory_vector_value_beyond_float.txt");
  EXPECT_NE(what.find("vectors.jsonl:2: value must be a finite number within a float's range, not 1e+300"),
            std::string::npos)
      << what;
  // "kind": 5 in the header escaped as an nlohmann type error.
  what = load_regression("memory_vectors_header_kind_number.txt");
  EXPECT_NE(
      what.find("vectors.jsonl:1: expected the header {\"schema_version\": 1, \"kind\": \"judge-vectors\"}"),
      std::string::npos)
      << what;
}

// calibration.json is tied to the memory's save by its digest: fitted after the save it loads; edited by hand
// (a knot changed) or left from another save (episodes changed, memory saved again) it is refused, or, with
// Recovery::drop_vectors (align), reported stale; fitted again it loads.
// A calibration.json with a schema_version or a pair count out of an integer's range is an error naming the
// file, not a cast (undefined behaviour) or a JSON type error.
TEST(Memory, CalibrationNumbersOutOfRangeAreErrorsNamingTheFile) {
  const auto dir = temp_dir("calibration_range");
  Memory m = sample();
  m.save(dir);
  save_calibration(dir, fit_calibration(m));
  const auto written = nlohmann::json::parse(judge::util::read_file(dir / "calibration.json"));
  auto error_with = [&](const std::string& pointer, const nlohmann::json& value) {
    auto edited = written;
    edited[nlohmann::json::json_pointer(pointer)] = value;
    judge::util::write_file_atomic(dir / "calibration.json", edited.dump(2) + "\n");
    try {
      load_calibration(dir);
    } catch (const judge::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string file = (dir / "calibration.json").string();
  EXPECT_EQ(error_with("/schema_version", 1e300), file + ": schema_version must be 1");
  EXPECT_EQ(error_with("/schema_version", "1"), file + ": schema_version must be 1");
  const std::string dimension = written.at("dimensions").begin().key();
  EXPECT_EQ(error_with("/dimensions/" + dimension + "/n", 1e300)
                .rfind(file + ": dimensions." + dimension + ".n must be a whole number from 0 to ", 0),
            0u);
  fs::remove_all(dir);
}

TEST(Memory, CalibrationIsCoveredByTheFolderDigest) {
  const auto dir = temp_dir("calibration_digest");
  Memory m = sample();
  m.provenance().judge = "hand";
  m.save(dir);
  save_calibration(dir, fit_calibration(m));
  const auto written = nlohmann::json::parse(judge::util::read_file(dir / "calibration.json"));
  ASSERT_TRUE(written.contains("digest")) << written.dump();
  EXPECT_NO_THROW(Memory::load(dir));
  EXPECT_FALSE(Memory::load(dir, Recovery::drop_vectors).calibration_stale());

  auto refused = [&] {
    try {
      Memory::load(dir);
    } catch (const judge::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto edited = written;  // the human score of judge score 2 on data_imputation, changed by hand
  edited["dimensions"]["data_imputation"]["y"][0] = 3.0;
  judge::util::write_file_atomic(dir / "calibration.json", edited.dump(2) + "\n");
  EXPECT_NE(refused().find("calibration.json does not match the memory's files"), std::string::npos)
      << refused();
  EXPECT_TRUE(Memory::load(dir, Recovery::drop_vectors).calibration_stale());

  judge::util::write_file_atomic(dir / "calibration.json", written.dump(2) + "\n");  // the file as saved
  EXPECT_NO_THROW(Memory::load(dir));  // key order and spacing do not count
  forget(m, {"b.ipynb"}, {});
  m.save(dir);  // another save: the calibration describes episodes that are gone
  EXPECT_NE(refused().find("is inconsistent: calibration.json"), std::string::npos) << refused();
  EXPECT_TRUE(refit_calibration(dir, m, load_calibration(dir)));
  EXPECT_EQ(refused(), "");
  fs::remove_all(dir);
}

// A judge status in episodes.jsonl is one of verdict's spellings: another one (edited by hand) is a problem
// naming the file and line, not an episode quietly counted as unscored.
TEST(Memory, UnknownJudgeStatusIsAProblemWithItsLine) {
  const auto dir = temp_dir("unknown_status");
  Memory m = sample();
  m.save(dir);
  std::string text = judge::util::read_file(dir / "episodes.jsonl");
  const auto at = text.find(R"("status":"scored")");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, std::string(R"("status":"scored")").size(), R"("status":"done")");
  judge::util::write_file_atomic(dir / "episodes.jsonl", text);
  std::string what;
  try {
    Memory::load(dir);
  } catch (const judge::Error& e) {
    what = e.what();
  }
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
  EXPECT_NE(what.find("episodes.jsonl:" + std::to_string(line) +
                      ": judge status \"done\" is none of scored, not_applicable, unscored, unreadable"),
            std::string::npos)
      << what;
  fs::remove_all(dir);
}

// guidelines.yaml broken by hand in the ways people break YAML: each problem names the line to fix (worked
// out by hand from the text), not the line yaml-cpp gave up on, which is past it for a quote or a bracket
// left open (and past the end of the file for a bracket on the last line).
TEST(Memory, BrokenGuidelinesYamlNamesTheLineToFix) {
  const auto dir = temp_dir("broken_yaml");
  sample().save(dir);
  const std::string head = "schema_version: 1\nguidelines:\n  model_training:\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      // a key indented one space less than its siblings
      {head + "    - text: when trains_model -> score 1\n      source: learnt\n     cites: []\n",
       "guidelines.yaml:6: end of sequence not found (check that this line is indented like its neighbours: "
       "it has 5 spaces before its key (a list item's `- ` counts as two), line 5 above it 6)"},
      // a tab in the indentation
      {head + "    - text: when trains_model -> score 1\n\t  source: learnt\n",
       "guidelines.yaml:5: illegal tab when looking for indentation (a tab indents this line; YAML indents "
       "with spaces only)"},
      // a quote left open, closed by the first quote of a later line
      {head + "    - text: \"when trains_model -> score 1\n      source: learnt\n    - text: \"b\"\n",
       "guidelines.yaml:4: end of map not found (a quoted text opened on this line runs on to line 6, where "
       "the parser stopped: is its closing quote missing?)"},
      // a quote left open to the end of the file (yaml-cpp reads the rest of the file into the text)
      {head + "    - text: \"Say which strategy fills each column.\n      source: manual\n",
       "guidelines.yaml:4: a quoted text opened on this line is never closed: it runs to the end of the "
       "file"},
      // a bracket left open on the last line
      {head + "    - text: ok\n      cites: [a.ipynb#model_training#r1\n",
       "guidelines.yaml:5: end of sequence flow not found (the `[` opened on this line is not closed; the "
       "parser stopped at the end of the file)"},
      // a key without its colon
      {head + "    - text: when trains_model -> score 1\n      source learnt\n      cites: []\n",
       "guidelines.yaml:5: illegal map value (is a `:` missing after the key on this line? Without one it "
       "continues the text of line 4, and the parser stopped on line 6)"},
      // a list where a map is wanted: dimensions as list items, a guideline as a map instead of a list
      {"schema_version: 1\nguidelines:\n  - model_training\n  - data_imputation\n",
       "guidelines.yaml:3: `guidelines` must map each dimension id to a list of guidelines"},
      {head + "    text: when trains_model -> score 1\n    source: learnt\n",
       "guidelines.yaml:4: guidelines of `model_training` must be a list"},
  };
  for (const auto& [text, expected] : cases) {
    judge::util::write_file_atomic(dir / "guidelines.yaml", text);
    std::string what;
    try {
      Memory::load(dir);
    } catch (const judge::Error& e) {
      what = e.what();
    }
    EXPECT_NE(what.find(expected), std::string::npos) << text << "\n---\n" << what;
  }
  fs::remove_all(dir);
}

// What align wrote of the learnt rules (memory.json learnt_rules) tells a learnt rule a person edited from
// one align wrote. Forget removes the learnt rule citing a forgotten label, and its record with it (the next
// align is not to take it for deleted by hand), but keeps the edited one, as it keeps manual guidelines.
TEST(Memory, LearntRecordRoundTripsAndForgetKeepsEditedRules) {
  const auto dir = temp_dir("learnt_record");
  Memory m = sample();
  const std::string written = "when trains_model -> score 1 (1 of 1 labels)";
  const std::string edited = "when trains_model -> score 2 (1 of 1 labels)";
  auto guidelines = m.all_guidelines();
  guidelines.push_back({"model_training", written, {"a.ipynb#model_training#r1"}, "learnt"});
  guidelines.push_back({"model_training", edited, {"a.ipynb#model_training#r1"}, "learnt"});
  m.set_guidelines(guidelines);
  EXPECT_FALSE(m.edited_by_hand(m.all_guidelines()[4]));  // no record: every learnt rule is align's
  m.set_learnt_record(
      {{"model_training",
        {{written},
         {"when eda_kinds < 2 -> score 1"},
         {{"when trains_model -> score 1", "does not learn it without the label of a.ipynb"}}}}});
  m.save(dir);
  Memory r = Memory::load(dir);
  ASSERT_TRUE(r.learnt_record().has_value());
  EXPECT_EQ(r.learnt_record()->at("model_training").written, std::vector<std::string>{written});
  EXPECT_EQ(r.learnt_record()->at("model_training").fragile,
            (std::map<std::string, std::string>{
                {"when trains_model -> score 1", "does not learn it without the label of a.ipynb"}}));
  EXPECT_EQ(r.learnt_record()->at("model_training").withheld,
            std::vector<std::string>{"when eda_kinds < 2 -> score 1"});
  ASSERT_EQ(r.all_guidelines().size(), 5u);
  EXPECT_FALSE(r.edited_by_hand(r.all_guidelines()[3]));
  EXPECT_TRUE(r.edited_by_hand(r.all_guidelines()[4]));
  EXPECT_FALSE(r.edited_by_hand(r.all_guidelines()[2]));  // manual: not a learnt rule at all

  const auto result = forget(r, {"a.ipynb"}, {});
  EXPECT_EQ(result.guidelines_removed, 3u);    // the two citing a.ipynb's labels and the learnt one
  EXPECT_EQ(result.learnt_rules_removed, 1u);  // the learnt one; the edited one stays
  const auto left = r.guidelines("model_training");
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].text, "Hand-written rule.");
  EXPECT_EQ(left[1].text, edited);
  EXPECT_TRUE(r.learnt_record()->at("model_training").written.empty());
  EXPECT_EQ(r.learnt_record()->at("model_training").withheld.size(), 1u);
  // Which rules rested on few labels was worked out with a.ipynb's labels: no longer known.
  EXPECT_TRUE(r.learnt_record()->at("model_training").fragile.empty());
  fs::remove_all(dir);
}
