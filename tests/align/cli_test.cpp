// SPDX-License-Identifier: MIT
// judge align / judge memory / judge eval --memory, run as a user would.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "../fake_llm_server/fake_server.hpp"
#include "../support.hpp"
#include "judge/memory/memory.hpp"
#include "judge/memory/write_lock.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"

namespace fs = std::filesystem;
using judge::test::run_judge;

namespace {

void write_labels(const fs::path& file, const std::string& a_feedback) {
  judge::util::write_file_atomic(
      file,
      "notebook,dimension,score,feedback,rater\n"
      "a.ipynb,data_imputation,1," +
          a_feedback +
          ",r1\n"
          "b.ipynb,data_imputation,2,Rows dropped; a blanket fillna was avoided.,r1\n"
          "b.ipynb,model_training,NA,No model.,r1\n");
}

std::string ipynb(const std::string& code) {
  return nlohmann::json{{"nbformat", 4},
                        {"nbformat_minor", 5},
                        {"metadata", nlohmann::json::object()},
                        {"cells",
                         {{{"cell_type", "code"},
                           {"metadata", nlohmann::json::object()},
                           {"source", code},
                           {"outputs", nlohmann::json::array()},
                           {"execution_count", nullptr}}}}}
      .dump();
}

// A fresh folder named `name` + pid under the temp folder with nb/a.ipynb (fillna), nb/b.ipynb (dropna) and
// labels.csv (write_labels, a's feedback "A blanket fillna hides gaps.").
fs::path two_notebooks(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / (name + std::to_string(::getpid()));
  fs::remove_all(dir);
  judge::util::write_file_atomic(dir / "nb/a.ipynb", ipynb("df = pd.read_csv('x.csv').fillna(0)"));
  judge::util::write_file_atomic(dir / "nb/b.ipynb", ipynb("df = pd.read_csv('y.csv').dropna()"));
  write_labels(dir / "labels.csv", "A blanket fillna hides gaps.");
  return dir;
}

// two_notebooks with their labels aligned into dir/mem by the heuristic judge (align's output discarded).
fs::path aligned_two_notebooks(const std::string& name) {
  const fs::path dir = two_notebooks(name);
  const std::string d = "'" + dir.string() + "'";
  const auto r = run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                           "/mem > /dev/null 2>&1");
  EXPECT_EQ(r.exit_code, 0);
  return dir;
}

// A memory of library_installation episodes, one per notebook (rater r1), as the heuristic judge aligned
// them: the judge said 3; a notebook in `uninstalled` has the fact uninstalled_packages at its value there
// and the human label 1, the others 0 and 3. The embedder is fitted on the episodes' excerpts.
judge::memory::Memory library_memory(const std::vector<std::string>& notebooks,
                                     const std::map<std::string, double>& uninstalled) {
  using judge::memory::Episode;
  std::vector<Episode> episodes;
  std::vector<std::string> excerpts;
  for (const auto& nb : notebooks) {
    Episode e;
    e.id = nb + "#library_installation";
    e.notebook = nb;
    e.dimension = "library_installation";
    e.labels = {e.id + "#r1"};
    const auto it = uninstalled.find(nb);
    e.facts = {{"uninstalled_packages", it == uninstalled.end() ? 0.0 : it->second}};
    e.judge_status = judge::verdict::Status::scored;
    e.judge_score = 3;
    e.human_score = it == uninstalled.end() ? 3 : 1;
    e.excerpt = "import " + nb;
    excerpts.push_back(e.excerpt);
    episodes.push_back(e);
  }
  judge::memory::Memory m;
  m.embedder().fit(excerpts);
  const auto vectors = m.embedder().embed(excerpts);
  for (std::size_t i = 0; i < episodes.size(); ++i) episodes[i].vector = vectors[i];
  m.set_episodes(episodes);
  m.provenance().judge = "heuristic";
  return m;
}

// Writes `csv` as DIR/labels.csv and aligns it with the notebooks in DIR/nb into DIR/mem (heuristic judge);
// returns DIR quoted for a command line.
std::string align_labels(const judge::test::TempDir& dir, const std::string& csv) {
  judge::util::write_file_atomic(dir / "labels.csv", csv);
  const std::string d = "'" + dir.str() + "'";
  EXPECT_EQ(run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem")
                .exit_code,
            0);
  return d;
}

}  // namespace

TEST(AlignCli, AlignEvalStatsForget) {
  const fs::path dir = fs::temp_directory_path() / ("judge_align_cli_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  judge::util::write_file_atomic(dir / "nb/a.ipynb",
                                 ipynb("import pandas as pd\ndf = pd.read_csv('x.csv').fillna(0)"));
  judge::util::write_file_atomic(dir / "nb/b.ipynb",
                                 ipynb("import pandas as pd\ndf = pd.read_csv('y.csv').dropna()"));
  judge::util::write_file_atomic(dir / "labels.csv",
                                 "notebook,dimension,score,feedback,rater\n"
                                 "a.ipynb,data_imputation,1,A blanket fillna hides gaps.,r1\n"
                                 "b.ipynb,data_imputation,2,Rows dropped; a blanket fillna was avoided.,r1\n"
                                 "b.ipynb,model_training,NA,No model.,r1\n");
  const std::string d = "'" + dir.string() + "'";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem -k 2";
  auto r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("3 episodes (3 added, 0 changed, 0 unchanged, 0 removed)"), std::string::npos)
      << r.out;
  for (const char* f : {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"})
    EXPECT_TRUE(fs::exists(dir / "mem" / f));
  r = run_judge(align);
  EXPECT_NE(r.out.find("(0 added, 0 changed, 3 unchanged, 0 removed)"), std::string::npos) << r.out;
  const auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "mem/memory.json"));
  EXPECT_EQ(manifest["k"], 2);
  EXPECT_EQ(manifest["rater_policy"], "mean");
  EXPECT_EQ(manifest["schema_version"], 1);

  r = run_judge("eval --format jsonl --memory " + d + "/mem -k 1 --dimensions data_imputation " + d +
                "/nb/a.ipynb");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto rec = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
  ASSERT_TRUE(rec.contains("episodes")) << r.out;
  EXPECT_EQ(rec["episodes"].size(), 1u);  // -k 1 wins over the recorded k 2

  r = run_judge("memory stats " + d + "/mem");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("total: 3 episodes"), std::string::npos) << r.out;
  r = run_judge("memory forget " + d + "/mem --notebook b.ipynb");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("removed 2 episodes"), std::string::npos) << r.out;
  r = run_judge("memory show " + d + "/mem");
  EXPECT_NE(r.out.find("a.ipynb#data_imputation  human 1"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("b.ipynb#"), std::string::npos) << r.out;
  EXPECT_EQ(run_judge("memory forget " + d + "/mem 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_judge("memory show " + d + "/nowhere 2>/dev/null").exit_code, 1);
  fs::remove_all(dir);
}

TEST(AlignCli, SharedLabelsRater1) {
  JUDGE_REQUIRE_SHARED_DATA();
  const fs::path dir = fs::temp_directory_path() / ("judge_align_shared_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto data = judge::test::shared_data();
  const auto r =
      run_judge("align --labels '" + (data / "labels/ml-notebooks.csv").string() + "' --notebooks '" +
                (data / "notebooks").string() + "' --memory '" + dir.string() + "' --raters rater1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // 40 notebooks x 9 dimensions labelled by rater1 (labels/README.md).
  EXPECT_NE(r.out.find("360 episodes"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// Reflection and embeddings through the OpenAI wire format at the loopback server: calls counted there.
TEST(AlignCli, IncrementalRealignmentMakesNoCallsAtTheServer) {
  judge::test::FakeLlmServer server;
  const nlohmann::json reply = {
      {"guidelines",
       {{{"text", "Check which columns have missing values before filling them."},
         {"cites", {"a.ipynb#data_imputation#r1", "b.ipynb#data_imputation#r1"}}}}}};
  server.script(nlohmann::json::array(), {{"type", "reply"}, {"content", reply.dump()}});
  const fs::path dir = two_notebooks("judge_align_loopback_");
  const std::string d = "'" + dir.string() + "'";
  const std::string align =
      "env OPENAI_BASE_URL=" + server.openai_base_url() + " OPENAI_API_KEY=test " +
      std::string(JUDGE_BINARY) + " align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " +
      d + "/mem --reflection openai:reflect-model --embeddings openai:text-embedding-3-small --cache " + d +
      "/cache.sqlite";  // reflection replies are cached: a fresh cache file, so each call reaches the server
  auto r = judge::test::run_command(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Two dimensions with feedback: two reflection calls; one embeddings call for the three excerpts.
  auto stats = server.stats();
  EXPECT_EQ(stats["requests"], 3) << stats.dump();
  EXPECT_EQ(stats["by_path"]["/v1/embeddings"], 1) << stats.dump();
  EXPECT_NE(r.out.find("2 reflection calls"), std::string::npos) << r.out;
  const auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "mem/memory.json"));
  EXPECT_EQ(manifest["reflection"], "openai:reflect-model");
  EXPECT_EQ(manifest["embeddings"], "openai:text-embedding-3-small");

  r = judge::test::run_command(align);  // unchanged labels: no call at all
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 3);
  EXPECT_NE(r.out.find("3 unchanged"), std::string::npos) << r.out;

  write_labels(dir / "labels.csv", "A blanket fillna(0) hides the gaps in every column.");
  r = judge::test::run_command(
      align);  // one changed feedback: one reflection call; same excerpt, no embedding
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 4);
  EXPECT_EQ(server.last_request()["path"], "/v1/chat/completions");
  EXPECT_NE(r.out.find("1 changed"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// memory stats lists dimensions in the rubric's order (library_installation first, cell_organization
// last), as memory show and eval do, whatever order the labels came in.
TEST(AlignCli, MemoryStatsListsDimensionsInRubricOrder) {
  const judge::test::TempDir dir("judge_align_stats_order");
  judge::util::write_file_atomic(dir / "nb/a.ipynb", ipynb("df = pd.read_csv('a.csv')"));
  const std::string d = align_labels(
      dir, "notebook,dimension,score\na.ipynb,cell_organization,2\na.ipynb,library_installation,1\n");
  const auto r = run_judge("memory stats " + d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto li = r.out.find("\nlibrary_installation ");
  const auto co = r.out.find("\ncell_organization ");
  ASSERT_NE(li, std::string::npos) << r.out;
  ASSERT_NE(co, std::string::npos) << r.out;
  EXPECT_LT(li, co) << r.out;
}

// memory stats rounds its means: labels 1, 2 and 2 have mean 5/3, shown as 1.67 (it was cut to 1.66).
TEST(AlignCli, MemoryStatsRoundsMeans) {
  const judge::test::TempDir dir("judge_align_stats_round");
  for (const std::string nb : {"a", "b", "c"})
    judge::util::write_file_atomic(dir / ("nb/" + nb + ".ipynb"),
                                   ipynb("df = pd.read_csv('" + nb + ".csv')"));
  const std::string d = align_labels(dir,
                                     "notebook,dimension,score\na.ipynb,data_imputation,1\n"
                                     "b.ipynb,data_imputation,2\nc.ipynb,data_imputation,2\n");
  const auto r = run_judge("memory stats " + d + "/mem | grep '^data_imputation '");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::istringstream row(r.out);
  std::string dimension, episodes, na, mean_human;
  row >> dimension >> episodes >> na >> mean_human;
  EXPECT_EQ(episodes, "3");
  EXPECT_EQ(na, "0");
  EXPECT_EQ(mean_human, "1.67") << r.out;
}

// memory stats says in plain words what its MAE column is: the memory's judge's own scores at align (without
// memory) against the human scores. Here the judge said 3 to p1, p2 and n1, people 1, 1 and 3: MAE (2 + 2 +
// 0) / 3 = 1.33, mean human 5/3 = 1.67.
TEST(AlignCli, MemoryStatsSaysWhatItsMaeIs) {
  const judge::test::TempDir dir("judge_align_stats_mae");
  library_memory({"p1.ipynb", "p2.ipynb", "n1.ipynb"}, {{"p1.ipynb", 1}, {"p2.ipynb", 1}}).save(dir / "mem");
  const auto r = run_judge("memory stats '" + (dir / "mem").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Columns two spaces apart (one space ran "mean human MAE (no memory)" together); the first as wide as its
  // one dimension, library_installation (20 characters), the others right-aligned under their headers.
  const std::string header = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(header, "dimension             episodes  N/A  mean human  MAE (no memory)  guidelines  manual")
      << r.out;
  const std::string line = r.out.substr(r.out.find("\nlibrary_installation ") + 1);
  EXPECT_EQ(line.substr(0, line.find('\n')),
            "library_installation         3    0        1.67             1.33           0       0")
      << r.out;
  std::istringstream row(line);
  std::string dimension, episodes, na, mean_human, mae;
  row >> dimension >> episodes >> na >> mean_human >> mae;
  EXPECT_EQ(mean_human, "1.67") << r.out;
  EXPECT_EQ(mae, "1.33") << r.out;
  EXPECT_NE(
      r.out.find("\nMAE (no memory): mean absolute difference between the human score and the score the "
                 "memory's judge (heuristic) gave each labelled notebook at judge align, without memory, "
                 "over the episodes both scored; "),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("(align)"), std::string::npos) << r.out;
}

// In `dir`: nb/a.ipynb, nb/b.ipynb, nb/c.ipynb and first.csv, which labels a (1) and b (2) on
// data_imputation; returns align(LABELS, FLAGS), which aligns dir/mem on dir/LABELS (stderr with stdout).
auto labels_files(const judge::test::TempDir& dir) {
  for (const std::string nb : {"a", "b", "c"})
    judge::util::write_file_atomic(dir / ("nb/" + nb + ".ipynb"),
                                   ipynb("df = pd.read_csv('" + nb + ".csv')"));
  judge::util::write_file_atomic(
      dir / "first.csv", "notebook,dimension,score\na.ipynb,data_imputation,1\nb.ipynb,data_imputation,2\n");
  const std::string d = "'" + dir.str() + "'";
  return [d](const std::string& labels, const std::string& flags = "") {
    return run_judge("align --labels " + d + "/" + labels + " --notebooks " + d + "/nb --memory " + d +
                     "/mem" + flags + " 2>&1");
  };
}

// Another labels file that would remove most of the memory (here both of its 2 episodes: the file labels
// another notebook only) is refused before anything runs, and the memory is left as it was; --prune says it
// is meant, and the memory is then aligned on it, with the usual warning.
TEST(AlignCli, AnotherLabelFileThatWouldRemoveMostOfTheMemoryNeedsPrune) {
  const judge::test::TempDir dir("judge_align_prune");
  const auto align = labels_files(dir);
  judge::util::write_file_atomic(dir / "other.csv", "notebook,dimension,score\nc.ipynb,data_imputation,3\n");
  ASSERT_EQ(align("first.csv").exit_code, 0);
  const std::string saved = judge::util::read_file(dir / "mem/episodes.jsonl");
  auto r = align("other.csv");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(
      r.out.find("/other.csv would remove 2 of its 2 episodes (their labels are not in that file) and "
                 "refit what was learnt from them; nothing was changed. If the file is meant to replace "
                 "the old one, run again with --prune"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(judge::util::read_file(dir / "mem/episodes.jsonl"), saved);
  // Labels of notebooks not found, with --skip-missing-notebooks, keep their episodes: nothing to refuse
  // (another file naming a, b and c, with a notebooks folder that has c only).
  judge::util::write_file_atomic(dir / "part/c.ipynb", ipynb("df = pd.read_csv('c.csv')"));
  judge::util::write_file_atomic(dir / "all.csv",
                                 "notebook,dimension,score\na.ipynb,data_imputation,1\n"
                                 "b.ipynb,data_imputation,2\nc.ipynb,data_imputation,3\n");
  r = run_judge("align --labels '" + dir.str() + "/all.csv' --notebooks '" + dir.str() +
                "/part' --skip-missing-notebooks --memory '" + dir.str() + "/mem' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(judge::memory::Memory::load(dir / "mem").episodes().size(), 3u);
  r = align("other.csv", " --prune");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("/other.csv removed the 2 episodes of labels that file lacks"), std::string::npos)
      << r.out;
  EXPECT_EQ(judge::memory::Memory::load(dir / "mem").episodes().size(), 1u);
}

// A section of guidelines.yaml renamed by hand to a misspelt dimension (`data_imputaton:`) holds guidelines
// no judge reads: align refuses, naming the file and the section's line (5: after the two comment lines,
// schema_version and guidelines) and the dimension it seems meant as, and changes nothing (before, it kept
// the section under that name, a learnt rule in it turned manual, and learnt the dimension again without it).
TEST(AlignCli, AGuidelinesSectionUnderAMisspeltDimensionIsRefusedNamingItsLine) {
  const judge::test::TempDir dir("judge_align_unknown_section");
  const auto align = labels_files(dir);
  // Three labels that teach a learnt rule ("always -> score 1": it changes the judge's N/A on all three,
  // two in each leave-one-out part; two labels would teach none).
  judge::util::write_file_atomic(dir / "first.csv",
                                 "notebook,dimension,score\na.ipynb,data_imputation,1\n"
                                 "b.ipynb,data_imputation,1\nc.ipynb,data_imputation,1\n");
  ASSERT_EQ(align("first.csv").exit_code, 0);
  std::string yaml = judge::util::read_file(dir / "mem/guidelines.yaml");
  ASSERT_NE(yaml.find("text: when always -> score 1 (3 of 3 labels)\n      source: learnt"),
            std::string::npos)
      << yaml;
  const auto at = yaml.find("\n  data_imputation:\n");
  ASSERT_NE(at, std::string::npos) << yaml;
  ASSERT_EQ(std::count(yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(at), '\n'), 3) << yaml;
  const std::string original = yaml;
  yaml.replace(at, 20, "\n  data_imputaton:\n");
  judge::util::write_file_atomic(dir / "mem/guidelines.yaml", yaml);
  const std::string episodes = judge::util::read_file(dir / "mem/episodes.jsonl");
  const auto r = align("first.csv");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out,
            "judge: error: memory " + dir.str() +
                "/mem: 1 section of guidelines.yaml under a misspelt dimension; nothing was changed:\n  " +
                dir.str() +
                "/mem/guidelines.yaml:5: `data_imputaton` is not a dimension of rubric ml-notebook, so "
                "its 1 guideline is not used; did you mean \"data_imputation\"?\nRename the section to "
                "its dimension, then align again\n")
      << r.out;
  EXPECT_EQ(judge::util::read_file(dir / "mem/guidelines.yaml"), yaml);
  EXPECT_EQ(judge::util::read_file(dir / "mem/episodes.jsonl"), episodes);
  // Quoted, with a comment after it: the same line found.
  std::string quoted = original;
  quoted.replace(at, 20, "\n  \"data_imputaton\":   # mine\n");
  judge::util::write_file_atomic(dir / "mem/guidelines.yaml", quoted);
  EXPECT_NE(align("first.csv").out.find("/mem/guidelines.yaml:5: `data_imputaton`"), std::string::npos);
  // A name no near miss of a dimension (another rubric's: `model_tuning`, three edits from model_training,
  // as judge report takes it) is no typo: its guidelines stay, as align keeps a person's guidelines of
  // dimensions the rubric lacks.
  std::string other = original;
  other.replace(at, 20, "\n  model_tuning:\n");
  other += "    - text: Say what you see.\n      source: manual\n";
  judge::util::write_file_atomic(dir / "mem/guidelines.yaml", other);
  const auto kept = align("first.csv");
  EXPECT_EQ(kept.exit_code, 0) << kept.out;
  EXPECT_NE(judge::util::read_file(dir / "mem/guidelines.yaml").find("Say what you see."), std::string::npos);
}

// Rules that give every labelled notebook one score are said. Three notebooks the heuristic judges alike,
// labelled 1, 1, 2: align learns "always -> score 1", the labels' majority (2 of 3). Edited by hand to
// "always -> score 2", the person's rule gives every one a 2, which is no majority: the warning says the
// rules are theirs and to check them, not that they follow the majority or to write a rule.
TEST(AlignCli, RulesThatGiveEveryNotebookOneScoreAreSaidWithWhoseTheyAre) {
  const judge::test::TempDir dir("judge_align_one_score");
  for (const char* nb : {"a", "b", "c"})
    judge::util::write_file_atomic(dir / "nb" / (std::string(nb) + ".ipynb"),
                                   ipynb("df = pd.read_csv('" + std::string(nb) + ".csv')"));
  judge::util::write_file_atomic(dir / "l.csv",
                                 "notebook,dimension,score\na.ipynb,data_imputation,1\n"
                                 "b.ipynb,data_imputation,1\nc.ipynb,data_imputation,2\n");
  const std::string align = "align --labels '" + dir.str() + "/l.csv' --notebooks '" + dir.str() +
                            "/nb' --memory '" + dir.str() + "/mem' 2>&1";
  auto r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: data_imputation: with these rules the judge gives every labelled "
                 "notebook it scores a 1, while the labels give 1 to 2 and 2 to 1: the rules follow the "
                 "labels' majority and tell those notebooks apart no more"),
      std::string::npos)
      << r.out;
  std::string yaml = judge::util::read_file(dir / "mem/guidelines.yaml");
  const std::string learnt = "when always -> score 1 (2 of 3 labels)";
  const auto at = yaml.find(learnt);
  ASSERT_NE(at, std::string::npos) << yaml;
  yaml.replace(at, learnt.size(), "when always -> score 2");
  judge::util::write_file_atomic(dir / "mem/guidelines.yaml", yaml);
  r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: data_imputation: with these rules, yours among them, the judge gives "
                 "every labelled notebook it scores a 2, while the labels give 1 to 2 and 2 to 1: the "
                 "rules tell those notebooks apart no more (QWK drops toward 0: judge validate's "
                 "comparison shows it). Check your rules of data_imputation in guidelines.yaml (source: "
                 "manual)"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("majority"), std::string::npos) << r.out;
}

// A memory holds one label file's labels: aligning it on another file replaces them, said in a warning that
// counts the episodes removed (by hand: the second file keeps a.ipynb's label only, so b's one goes); the
// same file again, or a first alignment, warns nothing.
TEST(AlignCli, AligningOnAnotherLabelFileSaysWhatItRemoved) {
  const judge::test::TempDir dir("judge_align_other_labels");
  const auto align = labels_files(dir);
  const std::string d = "'" + dir.str() + "'";
  judge::util::write_file_atomic(dir / "second.csv", "notebook,dimension,score\na.ipynb,data_imputation,1\n");
  auto r = align("first.csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("warning: memory"), std::string::npos) << r.out;
  r = align("first.csv");
  EXPECT_EQ(r.out.find("warning: memory"), std::string::npos) << r.out;
  r = align("second.csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("/first.csv; aligning it on "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/second.csv removed the 1 episode of labels that file lacks. To add labels, append "
                       "them to one file"),
            std::string::npos)
      << r.out;
  // Another file that changes a label it shares (a.ipynb 1 -> 3): that is the whole memory (1 episode of 1),
  // so it is refused as a file that would remove most of it is (another rater's labels given for the team's),
  // and nothing changes; with --prune what memory learnt is replaced, said with both files and raters, the
  // episodes changed (1) and the learnt rules before and now (none on two labels).
  judge::util::write_file_atomic(dir / "third.csv", "notebook,dimension,score\na.ipynb,data_imputation,3\n");
  const std::string before = judge::util::read_file(dir / "mem/episodes.jsonl");
  r = align("third.csv");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/third.csv would relabel 1 of its 1 episode (that file labels them otherwise) and "
                       "refit what was learnt from them; nothing was changed."),
            std::string::npos)
      << r.out;
  EXPECT_EQ(judge::util::read_file(dir / "mem/episodes.jsonl"), before);
  r = align("third.csv", " --prune");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("/second.csv (raters: mean); aligning it on " + dir.str() +
                 "/third.csv (raters: mean) changed the label of 1 episode, and its learnt rules are "
                 "fitted from the new labels (0 before, 0 now). To keep what it learnt, align a copy or "
                 "another --memory folder on the new labels"),
      std::string::npos)
      << r.out;
  // The same file by another path, edited (a.ipynb 3 -> 2): the same standard revised, no warning.
  judge::util::write_file_atomic(dir / "third.csv", "notebook,dimension,score\na.ipynb,data_imputation,2\n");
  r = align("nb/../third.csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 changed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("warning: memory"), std::string::npos) << r.out;
  // ... and by relative paths from two folders (a.ipynb 2 -> 3 -> 1): the memory records the file absolute,
  // so the second run, from nb/, does not take "third.csv" for nb/third.csv.
  const auto align_in = [&](const std::string& folder, const std::string& labels, const std::string& nb,
                            const std::string& mem) {
    return judge::test::run_command("cd " + d + folder + " && " + std::string(JUDGE_BINARY) +
                                    " align --labels " + labels + " --notebooks " + nb + " --memory " + mem +
                                    " 2>&1");
  };
  judge::util::write_file_atomic(dir / "third.csv", "notebook,dimension,score\na.ipynb,data_imputation,3\n");
  r = align_in("", "third.csv", "nb", "mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("warning: memory"), std::string::npos) << r.out;
  judge::util::write_file_atomic(dir / "third.csv", "notebook,dimension,score\na.ipynb,data_imputation,1\n");
  r = align_in("/nb", "../third.csv", ".", "../mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 changed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("warning: memory"), std::string::npos) << r.out;
  // An edited notebook under a label file of another name with the same labels: no label changed, no warning.
  judge::util::write_file_atomic(dir / "copy.csv", "notebook,dimension,score\na.ipynb,data_imputation,1\n");
  judge::util::write_file_atomic(dir / "nb/a.ipynb", ipynb("df = pd.read_csv('a.csv').dropna()"));
  r = align("copy.csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 changed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("warning: memory"), std::string::npos) << r.out;
}

// A rule's "(N of M labels)" is what align counted when it wrote it; after a person edits the rule, judge
// memory show recounts its support from the episodes' facts and says when the text no longer describes it.
// A memory written here, counted by hand: on library_installation, uninstalled_packages and the judge's and
// people's scores of e1 (2; 2 -> 1), e2 (1; 3 -> 1), e3 (1; 2 -> 2), e4 (0; 3 -> 3), e5 (3; N/A -> N/A);
// model_training's one episode has no facts, as after an LLM judge; data_imputation has no episode at all
// (no label of it was aligned), which is no LLM judge's doing.
TEST(AlignCli, MemoryShowRecountsTheSupportOfAnEditedRule) {
  const judge::test::TempDir dir("judge_memory_show_support");
  using judge::memory::Episode;
  auto episode = [](const std::string& nb, const std::string& dimension, std::map<std::string, double> facts,
                    std::optional<double> judge_score, std::optional<double> human) {
    Episode e;
    e.id = nb + "#" + dimension;
    e.notebook = nb;
    e.dimension = dimension;
    e.labels = {e.id + "#r1"};
    e.facts = std::move(facts);
    e.judge_status = judge_score ? judge::verdict::Status::scored : judge::verdict::Status::not_applicable;
    e.judge_score = judge_score;
    e.human_score = human;
    e.excerpt = "import " + nb;
    return e;
  };
  const std::string li = "library_installation";
  std::vector<Episode> episodes{
      episode("e1.ipynb", li, {{"uninstalled_packages", 2}}, 2, 1),
      episode("e2.ipynb", li, {{"uninstalled_packages", 1}}, 3, 1),
      episode("e3.ipynb", li, {{"uninstalled_packages", 1}}, 2, 2),
      episode("e4.ipynb", li, {{"uninstalled_packages", 0}}, 3, 3),
      episode("e5.ipynb", li, {{"uninstalled_packages", 3}}, std::nullopt, std::nullopt),
      episode("e1.ipynb", "model_training", {}, 2, 2)};
  judge::memory::Memory m;
  std::vector<std::string> excerpts;
  for (const auto& e : episodes) excerpts.push_back(e.excerpt);
  m.embedder().fit(excerpts);
  const auto vectors = m.embedder().embed(excerpts);
  for (std::size_t i = 0; i < episodes.size(); ++i) episodes[i].vector = vectors[i];
  m.set_episodes(episodes);
  m.provenance().judge = "heuristic";
  m.save(dir.path() / "mem");
  // As a person edits guidelines.yaml: the first rule as align wrote it (u >= 1 covers e1, e2, e3, e5 and is
  // right on e1, e2, e5), the second with its threshold raised to 2 and its text and cites left as they
  // were (now e1 and e5, both right), a manual rule with no count (rule_score >= 3: e2 right, e4 wrong), the
  // same tests with a count that cannot be read ("18 of labels"; score 3: e2 wrong, e4 right) and with a
  // comment that is no count (score 2: both wrong).
  const std::string cites = "[e1.ipynb#" + li + "#r1, e2.ipynb#" + li + "#r1, e5.ipynb#" + li + "#r1]";
  judge::util::write_file_atomic(
      dir.path() / "mem/guidelines.yaml",
      "schema_version: 1\nguidelines:\n  " + li +
          ":\n"
          "    - text: when uninstalled_packages >= 1 -> score at most 1 (3 of 4 labels)\n"
          "      source: learnt\n      cites: " +
          cites +
          "\n"
          "    - text: when uninstalled_packages >= 2 -> score at most 1 (3 of 4 labels)\n"
          "      source: learnt\n      cites: " +
          cites +
          "\n"
          "    - text: when rule_score >= 3 -> score 1\n      source: manual\n"
          "    - text: when rule_score >= 3 -> score 3 (18 of labels)\n      source: manual\n"
          "    - text: when rule_score >= 3 -> score 2 (kept by hand)\n      source: manual\n"
          "  model_training:\n"
          "    - text: when always -> score 2 (1 of 1 labels)\n      source: learnt\n"
          "  data_imputation:\n"
          "    - text: when always -> score 2\n      source: manual\n");
  const auto r = run_judge("memory show '" + dir.str() + "/mem'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* line :
       {"    - [learnt, cites 3 labels] when uninstalled_packages >= 1 -> score at most 1 (3 of 4 labels)\n"
        "      support: 3 of 4 labels, as the text says (recounted from the memory's episodes)\n",
        "    - [learnt, cites 3 labels] when uninstalled_packages >= 2 -> score at most 1 (3 of 4 labels)\n"
        "      edited: the text says 3 of 4 labels; the memory's episodes give 2 of 2; of the 3 labels it "
        "cites, 2 are among those it gets right now\n",
        "    - [manual, cites 0 labels] when rule_score >= 3 -> score 1\n"
        "      support: 1 of 2 labels, recounted from the memory's episodes (the text states no count)\n",
        "    - [manual, cites 0 labels] when rule_score >= 3 -> score 3 (18 of labels)\n"
        "      support: 1 of 2 labels, recounted from the memory's episodes (the text states a count that "
        "cannot be read: \"18 of labels\"; align writes \"N of M labels\")\n",
        "    - [manual, cites 0 labels] when rule_score >= 3 -> score 2 (kept by hand)\n"
        "      support: 0 of 2 labels, recounted from the memory's episodes (the text states no count)\n",
        "    - [learnt, cites 0 labels] when always -> score 2 (1 of 1 labels)\n"
        "      support cannot be recounted: no episode of model_training has the notebook's facts (episodes "
        "keep them only when aligned with the heuristic judge)\n",
        "  data_imputation:\n"
        "    - [manual, cites 0 labels] when always -> score 2\n"
        "      support cannot be recounted: the memory has no episode of data_imputation (judge align was "
        "given no label of it, or its labels were forgotten)\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n---\n" << r.out;
}

// Forget refits the learnt rules it removed, as align would. Eleven episodes of library_installation: on
// p1-p6 a package is not installed (uninstalled_packages 1), the judge said 3 and people 1; on n1-n5 none
// is, and both said 3. The rule "uninstalled_packages >= 1 -> at most 1" cites p1-p6. Forgetting p1 removes
// it; on the ten left, leave-one-out keeps at least four rows on each side of the split (min_leaf 3), so
// the depth-1 tree predicts every held-out row exactly (loss 0, against 1.0 for no rule: five rows off by
// 2 in ten) and is refitted on all ten: the same rule, now 5 of 5 labels, citing p2-p6.
TEST(AlignCli, ForgetRefitsTheLearntRulesItRemoved) {
  const judge::test::TempDir dir("judge_forget_refit");
  const std::string li = "library_installation";
  std::map<std::string, double> uninstalled;
  for (const std::string nb : {"p1", "p2", "p3", "p4", "p5", "p6"}) uninstalled[nb + ".ipynb"] = 1;
  judge::memory::Memory m =
      library_memory({"p1.ipynb", "p2.ipynb", "p3.ipynb", "p4.ipynb", "p5.ipynb", "p6.ipynb", "n1.ipynb",
                      "n2.ipynb", "n3.ipynb", "n4.ipynb", "n5.ipynb"},
                     uninstalled);
  std::vector<std::string> cites;
  for (const std::string nb : {"p1", "p2", "p3", "p4", "p5", "p6"})
    cites.push_back(nb + ".ipynb#" + li + "#r1");
  const std::string rule = "when uninstalled_packages >= 1 -> score at most 1";
  m.set_guidelines(
      {{li, "Hand-written rule.", {}, "manual"}, {li, rule + " (6 of 6 labels)", cites, "learnt"}});
  m.set_learnt_record({{li, {{rule + " (6 of 6 labels)"}, {}, {}}}});
  const auto mem = dir.path() / "mem";
  m.save(mem);

  const auto r = run_judge("memory forget '" + mem.string() + "' --notebook p1.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The rule cited p1's label, so forget took it out; the refit on p2-p6 and n1-n5 learns it again, right on
  // the 5 notebooks it covers: the same rule recounted, kept (it said "removed 1 guideline" and "added 1").
  // 2 guidelines before, 2 left: none removed.
  EXPECT_NE(
      r.out.find("learnt rules refitted from the remaining labels as judge align would (the blend weights "
                 "with them):\n"
                 "  library_installation: kept, recounted: " +
                 rule + " (5 of 5 labels) (was 6 of 6 labels)\n"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.substr(0, r.out.find(" left; ") + 6),
            "removed 1 episode and 0 guidelines; the learnt-rule refit recounted 1 rule; 10 episodes and 2 "
            "guidelines left;")
      << r.out;
  EXPECT_EQ(r.out.find("removed: "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("added: "), std::string::npos) << r.out;
  const auto after = judge::memory::Memory::load(mem);
  ASSERT_EQ(after.all_guidelines().size(), 2u);
  EXPECT_EQ(after.all_guidelines()[0].source, "manual");  // the learnt rule follows the dimension's others
  const auto& learnt = after.all_guidelines()[1];
  EXPECT_EQ(learnt.source, "learnt");
  EXPECT_EQ(learnt.text, rule + " (5 of 5 labels)");
  EXPECT_EQ(learnt.cites, std::vector<std::string>(cites.begin() + 1, cites.end()));
  ASSERT_TRUE(after.learnt_record().has_value());
  EXPECT_EQ(after.learnt_record()->at(li).written, std::vector<std::string>{rule + " (5 of 5 labels)"});

  // A person deletes the rule. Forgetting n1, which no rule cites, still refits the dimension (its episodes
  // changed): on p2-p6 and n2-n5 leave-one-out keeps three rows on each side of the split, so the same rule
  // is learnt again, and left out because the person deleted it; the output says so.
  auto edited = judge::memory::Memory::load(mem);
  edited.set_guidelines({edited.all_guidelines()[0]});
  edited.save(mem);
  const std::string forget = "memory forget '" + mem.string() + "' ";
  auto again = run_judge(forget + "--notebook n1.ipynb 2>&1");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find(
                "learnt rules refitted from the remaining labels as judge align would (the blend "
                "weights with them):\n"
                "  library_installation: `" +
                rule +
                "` learnt again but left out, as a person edited or deleted it (to have it back, write it "
                "in guidelines.yaml with source: manual)\n"
                "learnt rules: library_installation 0 (1 more left out: a person edited or deleted it) "
                "(guidelines.yaml, source: learnt)\n"),
            std::string::npos)
      << again.out;
  // The rule was learnt again: nothing says no rule beat the judge's verdicts.
  EXPECT_EQ(again.out.find("none beats"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("no rule beat"), std::string::npos) << again.out;
  const auto deleted = judge::memory::Memory::load(mem);
  EXPECT_EQ(deleted.all_guidelines().size(), 1u);
  EXPECT_EQ(deleted.learnt_record()->at(li).withheld, std::vector<std::string>{rule});
  // The rule back as align writes it (text and record), then every label of the dimension forgotten: no
  // label of it is left, so no learnt rule.
  auto restored = judge::memory::Memory::load(mem);
  auto with_rule = restored.all_guidelines();
  const std::string text = rule + " (5 of 5 labels)";
  with_rule.push_back({li, text, {cites.begin() + 1, cites.end()}, "learnt"});
  restored.set_guidelines(with_rule);
  restored.set_learnt_record({{li, {{text}, {}, {}}}});
  restored.save(mem);
  again = run_judge(forget +
                    "--notebook p2.ipynb p3.ipynb p4.ipynb p5.ipynb p6.ipynb n2.ipynb n3.ipynb n4.ipynb "
                    "n5.ipynb 2>&1");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("  library_installation: no learnt rule (no label of it is left)\n"
                           "  library_installation: removed: " +
                           text + "\n"),
            std::string::npos)
      << again.out;
}

// Forget says what the refit changed when it removed no guideline (it said "0 guidelines" while a learnt rule
// changed or went). The memory of ForgetRefitsTheLearntRulesItRemoved, with p7: a package not installed, but
// people gave 3, so the rule "uninstalled_packages >= 1 -> score at most 1" gets it wrong and does not cite
// it (6 of 7 labels). Forgetting p7 removes no guideline; on the eleven left the same rule is refitted, now
// 6 of 6: one rule recounted. Then forgetting n1, n2 and n3 leaves two notebooks without the package, fewer
// than the three a leaf needs (min_leaf 3): the rule is not learnt again (removed), and on the eight left,
// six of them 1 where the judge said 3, "when always -> score at most 1" is (added).
TEST(AlignCli, ForgetSaysWhatTheRefitChangedWhenNoGuidelineWasRemoved) {
  const judge::test::TempDir dir("judge_forget_refit_changed");
  const std::string li = "library_installation";
  std::map<std::string, double> uninstalled;
  for (const std::string nb : {"p1", "p2", "p3", "p4", "p5", "p6", "p7"}) uninstalled[nb + ".ipynb"] = 1;
  judge::memory::Memory m =
      library_memory({"p1.ipynb", "p2.ipynb", "p3.ipynb", "p4.ipynb", "p5.ipynb", "p6.ipynb", "p7.ipynb",
                      "n1.ipynb", "n2.ipynb", "n3.ipynb", "n4.ipynb", "n5.ipynb"},
                     uninstalled);
  auto episodes = m.episodes();
  for (auto& e : episodes)
    if (e.notebook == "p7.ipynb") e.human_score = 3;
  m.set_episodes(episodes);
  std::vector<std::string> cites;
  for (const std::string nb : {"p1", "p2", "p3", "p4", "p5", "p6"})
    cites.push_back(nb + ".ipynb#" + li + "#r1");
  const std::string rule = "when uninstalled_packages >= 1 -> score at most 1";
  m.set_guidelines(
      {{li, "Hand-written rule.", {}, "manual"}, {li, rule + " (6 of 7 labels)", cites, "learnt"}});
  m.set_learnt_record({{li, {{rule + " (6 of 7 labels)"}, {}, {}}}});
  const auto mem = dir.path() / "mem";
  m.save(mem);
  const std::string forget = "memory forget '" + mem.string() + "' ";

  auto r = run_judge(forget + "--notebook p7.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.substr(0, r.out.find(" left; ") + 6),
            "removed 1 episode and 0 guidelines; the learnt-rule refit recounted 1 rule; 11 episodes and 2 "
            "guidelines left;")
      << r.out;
  EXPECT_NE(r.out.find("\n  library_installation: kept, recounted: " + rule +
                       " (6 of 6 labels) (was 6 of 7 labels)\n"),
            std::string::npos)
      << r.out;
  ASSERT_EQ(judge::memory::Memory::load(mem).all_guidelines().size(), 2u);

  r = run_judge(forget + "--notebook n1.ipynb n2.ipynb n3.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(
      r.out.substr(0, r.out.find(" left; ") + 6),
      "removed 3 episodes and 0 guidelines; the learnt-rule refit removed 1 rule and added 1; 8 episodes "
      "and 2 guidelines left;")
      << r.out;
  EXPECT_NE(r.out.find("\n  library_installation: added: when always -> score at most 1 (6 of 8 labels)\n"
                       "  library_installation: removed: " +
                       rule + " (6 of 6 labels)\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(judge::memory::Memory::load(mem).all_guidelines().size(), 2u);
  // As judge align warns of what it learnt: the rule gives all eight notebooks left a 1 (the judge said 3,
  // "at most 1" makes it 1), while people gave p1-p6 a 1 and n4, n5 a 3.
  EXPECT_NE(r.out.find("\nlearnt rules: library_installation 1 (guidelines.yaml, source: learnt)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("\njudge: warning: library_installation: with these rules the judge gives every labelled "
                 "notebook it scores a 1, while the labels give 1 to 6 and 3 to 2: the rules follow the "
                 "labels' majority and tell those notebooks apart no more"),
      std::string::npos)
      << r.out;
}

// Forget's refit learns what judge align learns from the labels left, and says it as align does, from the
// same code. On the house labels: memory a aligned on all of them, then the data_imputation and
// cell_organization labels of mlflow_recipes_classification_runner.py forgotten (those two dimensions are
// refitted); memory b aligned afresh on the labels without those two. The two hold the same learnt rules,
// forget's stderr is align's warnings of what it learnt on those dimensions (rules resting on few labels,
// rules giving one score; there are some), and its "learnt rules:" line counts b's rules. Forget's counts add
// up against the memory files: the guidelines before, less those it says removed, less the refit's removed,
// plus its added, are those left.
TEST(AlignCli, ForgetWarnsOfWhatItsRefitLearntAsAlignDoesOnTheHouseLabels) {
  JUDGE_REQUIRE_SHARED_DATA();
  const auto data = judge::test::shared_data();
  const judge::test::TempDir dir("judge_forget_as_align");
  const std::string labels = (data / "labels/ml-notebooks-house.csv").string();
  const std::string notebooks = (data / "notebooks").string();
  const std::string forgotten = "databricks/mlflow_recipes_classification_runner.py";
  const std::vector<std::string> dimensions{"cell_organization", "data_imputation"};
  const std::string d = "'" + dir.str() + "'";
  ASSERT_EQ(run_judge("align --labels '" + labels + "' --notebooks '" + notebooks + "' --memory " + d +
                      "/a 2>/dev/null >/dev/null")
                .exit_code,
            0);
  const std::size_t guidelines_before = judge::memory::Memory::load(dir / "a").all_guidelines().size();
  std::string ids;
  for (const auto& dimension : dimensions) ids += " '" + forgotten + "#" + dimension + "#house'";
  const auto forget = run_judge("memory forget " + d + "/a --label" + ids + " 2>" + d + "/forget.err");
  ASSERT_EQ(forget.exit_code, 0) << forget.out;
  const std::string all = judge::util::read_file(labels);
  std::string without;  // the labels file less the forgotten labels' rows (one row a line)
  std::size_t left_out = 0;
  for (const auto& line : judge::util::split_lines(all))
    if (judge::util::starts_with(line, forgotten + "," + dimensions[0] + ",") ||
        judge::util::starts_with(line, forgotten + "," + dimensions[1] + ","))
      ++left_out;
    else if (!line.empty())
      without.append(line).append("\n");
  ASSERT_EQ(left_out, 2u);
  dir.write("without.csv", without);
  const auto align = run_judge("align --labels " + d + "/without.csv --notebooks '" + notebooks +
                               "' --memory " + d + "/b 2>" + d + "/align.err");
  ASSERT_EQ(align.exit_code, 0) << align.out << judge::util::read_file(dir / "align.err");

  // The same learnt rules, dimension by dimension.
  const auto learnt = [](const judge::memory::Memory& m) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& g : m.all_guidelines())
      if (g.source == "learnt") out[g.dimension].push_back(g.text);
    return out;
  };
  const auto a = judge::memory::Memory::load(dir / "a"), b = judge::memory::Memory::load(dir / "b");
  EXPECT_EQ(learnt(a), learnt(b));
  // Forget's stderr is align's warnings of what it learnt on the two dimensions, in align's order.
  const std::string forget_err = judge::util::read_file(dir / "forget.err");
  std::string align_learnt;
  const std::string align_err = judge::util::read_file(dir / "align.err");
  bool in_warning = false;  // a warning's further lines are indented
  for (const auto& line : judge::util::split_lines(align_err)) {
    if (in_warning && judge::util::starts_with(line, "  ")) {
      align_learnt.append(line).append("\n");
      continue;
    }
    in_warning = false;
    for (const auto& dimension : dimensions)
      if (judge::util::starts_with(line, "judge: warning: " + dimension + ": ") &&
          (judge::util::ends_with(line, ": a learnt rule rests on few labels:") ||
           line.find(": with these rules") != std::string_view::npos)) {
        align_learnt.append(line).append("\n");
        in_warning = true;
      }
  }
  EXPECT_NE(align_learnt.find("rests on few labels"), std::string::npos) << align_learnt;
  EXPECT_NE(align_learnt.find("with these rules"), std::string::npos) << align_learnt;
  EXPECT_EQ(forget_err, align_learnt);
  const auto rules = learnt(b);
  ASSERT_EQ(rules.count(dimensions[0]) + rules.count(dimensions[1]), 2u);
  EXPECT_NE(forget.out.find("\nlearnt rules: " + dimensions[0] + " " +
                            std::to_string(rules.at(dimensions[0]).size()) + ", " + dimensions[1] + " " +
                            std::to_string(rules.at(dimensions[1]).size()) +
                            " (guidelines.yaml, source: learnt)\n"),
            std::string::npos)
      << forget.out;

  // "removed 2 episodes and G guidelines; the learnt-rule refit changed C rules, removed R and added A; E
  // episodes and L guidelines left": E and L as the memory holds, and L = before - G - R + A.
  std::smatch m;
  const std::string head = forget.out.substr(0, forget.out.find('\n'));
  ASSERT_TRUE(
      std::regex_search(head, m,
                        std::regex("^removed 2 episodes and ([0-9]+) guidelines?; the learnt-rule refit "
                                   "(.*); ([0-9]+) episodes and ([0-9]+) guidelines left; ")))
      << head;
  std::size_t removed = 0, added = 0;
  std::smatch c;
  const std::string refit = m[2];
  if (std::regex_search(refit, c, std::regex("removed ([0-9]+)"))) removed = std::stoul(c[1]);
  if (std::regex_search(refit, c, std::regex("added ([0-9]+)"))) added = std::stoul(c[1]);
  EXPECT_EQ(std::stoul(m[3]), a.episodes().size());
  EXPECT_EQ(std::stoul(m[4]), a.all_guidelines().size());
  EXPECT_EQ(guidelines_before - std::stoul(m[1]) - removed + added, a.all_guidelines().size()) << head;
  // A rule learnt again with other thresholds (cell_organization's share, here) is said changed, with both
  // rules, not removed and added.
  const auto changed = forget.out.find("\n  cell_organization: changed: when code_cells_after_code_share ");
  ASSERT_NE(changed, std::string::npos) << forget.out;
  EXPECT_NE(forget.out.find("(was `when code_cells_after_code_share ", changed), std::string::npos)
      << forget.out;
  EXPECT_EQ(forget.out.find("cell_organization: removed: "), std::string::npos) << forget.out;
  EXPECT_EQ(forget.out.find("cell_organization: added: "), std::string::npos) << forget.out;
}

// memory show names a learnt rule align wrote that guidelines.yaml no longer has (deleted by hand) at once,
// not only at the next align; a rule still there is not named.
TEST(AlignCli, MemoryShowNamesALearntRuleDeletedByHand) {
  const judge::test::TempDir dir("judge_show_deleted_rule");
  const std::string li = "library_installation";
  judge::memory::Memory m = library_memory({"e1.ipynb", "e2.ipynb", "e3.ipynb"}, {{"e1.ipynb", 2.0}});
  const std::string kept = "when uninstalled_packages >= 1 -> score at most 1 (1 of 1 labels)";
  const std::string deleted = "when uninstalled_packages >= 2 -> score at most 1 (1 of 1 labels)";
  m.set_guidelines({{li, kept, {"e1.ipynb#" + li + "#r1"}, "learnt"}});
  m.set_learnt_record({{li, {{kept, deleted}, {}, {}}}});
  m.save(dir.path() / "mem");
  const auto r = run_judge("memory show '" + (dir.path() / "mem").string() + "' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("\nlearnt rules judge align wrote that guidelines.yaml no longer has (1: deleted by hand, "
                 "or edited into a rule marked above); the next judge align leaves them out\n  " +
                 li + ": " + deleted + "\n"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(li + ": " + kept + "\n"), std::string::npos) << r.out;
}

// judge memory forget on a memory written here: three episodes of library_installation (e1, e2, e3, rater
// r1); two learnt rules and an extractive guideline cite e1's label, a manual one cites nothing. Forgetting
// e1 removes the three (counted by hand: 2 learnt rules of 3 guidelines) and refits the rules from e2 and e3,
// where the judge's 3 is the label: no rule, so the 2 learnt rules are said removed by the refit and the
// extractive guideline by forget. Forgetting e1 again says it was forgotten already, with its
// tombstone's time, and changes nothing; so does its label. A misspelt label id, or one without its rater, is
// named with the id's form and the id it is near.
TEST(AlignCli, ForgetNamesLearntRulesRemovedAndWhatWasForgottenAlready) {
  const judge::test::TempDir dir("judge_forget_learnt");
  const std::string li = "library_installation";
  judge::memory::Memory m = library_memory({"e1.ipynb", "e2.ipynb", "e3.ipynb"}, {{"e1.ipynb", 2.0}});
  const std::string e1 = "e1.ipynb#" + li + "#r1";
  m.set_guidelines({{li, "when uninstalled_packages >= 1 -> score at most 1 (1 of 1 labels)", {e1}, "learnt"},
                    {li, "when uninstalled_packages >= 2 -> score at most 1 (1 of 1 labels)", {e1}, "learnt"},
                    {li, "Check that every import is installed.", {e1}, "extractive"},
                    {li, "Hand-written rule.", {}, "manual"}});
  const auto mem = dir.path() / "mem";
  m.save(mem);
  const std::string forget = "memory forget '" + mem.string() + "' ";

  auto r = run_judge(forget + "--notebook e1.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // 4 guidelines: forget removes the extractive one and the 2 learnt rules (all cite e1), and the refit
  // learns no rule again: 4 - 1 - 2 = 1 left.
  EXPECT_EQ(
      r.out,
      "removed 1 episode and 1 guideline; the learnt-rule refit removed 2 rules; 2 episodes and 1 guideline "
      "left; 1 tombstone keeps forgotten labels out of judge align (judge memory unforget re-admits them)\n"
      "learnt rules refitted from the remaining labels as judge align would (the blend weights with them):\n"
      "  library_installation: removed: when uninstalled_packages >= 1 -> score at most 1 (1 of 1 labels)\n"
      "  library_installation: removed: when uninstalled_packages >= 2 -> score at most 1 (1 of 1 labels)\n"
      "learnt rules: none; no rule beat the judge's own verdicts on library_installation (guidelines.yaml, "
      "source: learnt)\n"
      "episodic blend weights: 0 on every dimension aligned: episodes change no verdict (memory.json "
      "blend_weights; judge memory show says why a weight is 0)\n");
  const auto manifest = nlohmann::json::parse(judge::util::read_file(mem / "memory.json"));
  const std::string time = manifest["forgotten"][0]["time"];
  const std::string saved = judge::util::read_file(mem / "memory.json");

  r = run_judge(forget + "--notebook e1.ipynb --label " + e1 + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "notebook e1.ipynb was already forgotten (on " + time +
                       "); nothing to remove\n"
                       "label " +
                       e1 + " was already forgotten (with notebook e1.ipynb on " + time +
                       "); nothing to remove\n");
  EXPECT_EQ(judge::util::read_file(mem / "memory.json"), saved);  // nothing written

  // One learnt rule, the only guideline removed: singular; the notebook forgotten before is still said so.
  judge::memory::Memory again = judge::memory::Memory::load(mem);
  auto guidelines = again.all_guidelines();
  const std::string e2_rule = "when uninstalled_packages >= 1 -> score 3 (1 of 1 labels)";
  guidelines.push_back({li, e2_rule, {"e2.ipynb#" + li + "#r1"}, "learnt"});
  again.set_guidelines(guidelines);
  auto record = again.learnt_record().value_or(std::map<std::string, judge::memory::LearntRecord>{});
  record[li].written.push_back(e2_rule);  // as align records the rules it writes (the refit above made one)
  again.set_learnt_record(record);
  again.save(mem);
  r = run_judge(forget + "--label e2.ipynb#" + li + "#r1 --notebook e1.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // One episode left (e3): the blend cannot learn a weight from it, as align warns (2 are needed).
  EXPECT_EQ(
      r.out,
      "removed 1 episode and 0 guidelines; the learnt-rule refit removed 1 rule; 1 episode and 1 guideline "
      "left; 2 tombstones keep forgotten labels out of judge align (judge memory unforget re-admits them)\n"
      "learnt rules refitted from the remaining labels as judge align would (the blend weights with them):\n"
      "  library_installation: removed: " +
          e2_rule +
          "\n"
          "learnt rules: none; no rule beat the judge's own verdicts on library_installation "
          "(guidelines.yaml, "
          "source: learnt)\n"
          "judge: warning: the heuristic judge's memory blend learnt no weight for 1 dimension(s); there "
          "memory "
          "leaves the rule verdict alone (weight 0; more labels fix it):\n"
          "  library_installation: 1 episode, at least 2 needed\n"
          "episodic blend weights: 0 on every dimension aligned: episodes change no verdict (memory.json "
          "blend_weights; judge memory show says why a weight is 0)\n"
          "notebook e1.ipynb was already forgotten (on " +
          time + "); nothing to remove\n");

  // A misspelt dimension; an id without its rater; an id near nothing: the id's form, and the id it is near.
  const std::string dir_text = mem.string();
  r = run_judge(forget + "--label e3.ipynb#library_instalation#r1 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out,
            "judge: warning: memory forget: label e3.ipynb#library_instalation#r1 matches nothing in " +
                dir_text +
                " (a label id is NOTEBOOK#DIMENSION#RATER); did you mean e3.ipynb#library_installation#r1?\n"
                "judge: error: memory forget: nothing in " +
                dir_text + " matches what was given; nothing changed\n");
  // A misspelt dimension on a forgotten notebook's label is no label of it either (not "forgotten already").
  r = run_judge(forget + "--label e1.ipynb#library_instalation#r1 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("label e1.ipynb#library_instalation#r1 matches nothing in " + dir_text +
                       " (a label id is NOTEBOOK#DIMENSION#RATER)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("already forgotten"), std::string::npos) << r.out;
  // A misspelt id of a label forgotten already: its did-you-mean does not name the forgotten label (which
  // would only say "already forgotten" again).
  r = run_judge(forget + "--label e2.ipynb#library_instalation#r1 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out.find("did you mean e2.ipynb#"), std::string::npos) << r.out;
  r = run_judge(forget + "--label e3.ipynb#" + li + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: memory forget: label e3.ipynb#" + li + " matches nothing in " + dir_text +
                 " (a label id is NOTEBOOK#DIMENSION#RATER); did you mean e3.ipynb#" + li + "#r1?\n"),
      std::string::npos)
      << r.out;
  r = run_judge(forget + "--label zz 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("judge: warning: memory forget: label zz matches nothing in " + dir_text +
                       " (a label id is NOTEBOOK#DIMENSION#RATER)\n"),
            std::string::npos)
      << r.out;
}

// forget --help says what forget removes besides episodes: every guideline not written by hand that cites a
// forgotten label (its summary said "guidelines left without labels", which an extractive guideline citing
// a forgotten label and others is not), and what it keeps. Then the help is held to it on a memory written
// here: e1's label is cited by an extractive guideline that also cites e2's, by a manual one, and by a learnt
// rule a person edited; forgetting e1 removes the extractive one and keeps the other two without e1's cite.
TEST(AlignCli, ForgetHelpSaysWhichGuidelinesItRemovesAndKeeps) {
  const auto help = run_judge("memory forget --help");
  ASSERT_EQ(help.exit_code, 0) << help.out;
  EXPECT_EQ(
      help.out.substr(0, help.out.find('\n')),
      "Remove the episodes of notebooks or labels, and every guideline not written by hand (not source: "
      "manual) that cites one of their labels");
  for (const char* said :
       {"  removes  the episodes of the notebooks and labels given (a notebook: every label of it);\n"
        "           every guideline whose source is not manual (learnt rules, extractive and reflection\n"
        "           guidelines) that cites one of their labels, whatever else it cites: its text may carry\n"
        "           that label's feedback\n",
        "  keeps    every other episode and guideline; guidelines with source: manual and learnt rules a\n"
        "           person edited stay, without their citations of the forgotten labels (judge memory\n"
        "           unforget puts those back)\n",
        "\nExit codes: "})
    EXPECT_NE(help.out.find(said), std::string::npos) << said << "\n---\n" << help.out;

  const judge::test::TempDir dir("judge_forget_help");
  const std::string li = "library_installation";
  judge::memory::Memory m = library_memory({"e1.ipynb", "e2.ipynb", "e3.ipynb"}, {});
  const std::string e1 = "e1.ipynb#" + li + "#r1", e2 = "e2.ipynb#" + li + "#r1";
  const std::string written = "when uninstalled_packages >= 1 -> score at most 1 (1 of 1 labels)";
  const std::string edited = "when uninstalled_packages >= 2 -> score at most 1 (1 of 1 labels)";
  m.set_guidelines({{li, "Check every import.", {e1, e2}, "extractive"},
                    {li, "Pin versions.", {e1}, "manual"},
                    {li, edited, {e1}, "learnt"}});
  m.set_learnt_record({{li, {{written}, {}, {}}}});  // align wrote `written`; a person made it `edited`
  const auto mem = dir.path() / "mem";
  m.save(mem);
  const auto r = run_judge("memory forget '" + mem.string() + "' --notebook e1.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto after = judge::memory::Memory::load(mem);
  std::vector<std::pair<std::string, std::vector<std::string>>> left;
  for (const auto& g : after.all_guidelines())
    if (g.text != written) left.emplace_back(g.text, g.cites);  // a refit may learn a rule of its own
  EXPECT_EQ(left, (std::vector<std::pair<std::string, std::vector<std::string>>>{{"Pin versions.", {}},
                                                                                 {edited, {}}}))
      << r.out;
}

// --reflection without --reflection-base-url: a reflection model of the judge's provider is served where the
// judge is (its --base-url), not at the provider's default; one of another provider is not, and its missing
// key is an error naming the variable and the base URL it looked at.
TEST(AlignCli, ReflectionOfTheJudgesProviderUsesTheJudgesBaseUrl) {
  judge::test::FakeLlmServer server;
  const fs::path dir = two_notebooks("judge_align_reflect_base_");
  const std::string d = "'" + dir.string() + "'";
  const std::string align =
      "env -u OPENAI_BASE_URL -u OPENAI_API_KEY -u ANTHROPIC_BASE_URL -u ANTHROPIC_API_KEY '" +
      std::string(JUDGE_BINARY) + "' align --labels " + d + "/labels.csv --notebooks " + d + "/nb --cache " +
      d + "/cache.sqlite --judge openai:judge-model --base-url " + server.openai_base_url();
  auto r = judge::test::run_command(align + " --memory " + d + "/mem --reflection openai:reflect-model 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::set<std::string> models;
  for (const auto& request : server.log()) models.insert(request["body"]["model"].get<std::string>());
  EXPECT_EQ(models, (std::set<std::string>{"judge-model", "reflect-model"}));

  r = judge::test::run_command(align + " --memory " + d +
                               "/mem2 --reflection anthropic:claude-sonnet-4-5 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("judge: error: reflection model anthropic:claude-sonnet-4-5 needs the environment "
                       "variable ANTHROPIC_API_KEY (it is not set) to call https://api.anthropic.com (the "
                       "default: no base URL given and ANTHROPIC_BASE_URL not set)"),
            std::string::npos)
      << r.out;
  fs::remove_all(dir);
}

namespace {

// The episode ids in a memory folder's episodes.jsonl, in file order (header skipped).
std::vector<std::string> episode_ids(const fs::path& mem) {
  std::vector<std::string> ids;
  std::istringstream in(judge::util::read_file(mem / "episodes.jsonl"));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line))
    if (!line.empty()) ids.push_back(nlohmann::json::parse(line)["id"]);
  return ids;
}

}  // namespace

// A person's guideline loses its citation of a forgotten notebook's label and gets it back from unforget,
// which says so; a second guideline reworded in between gets nothing, and a warning says one citation was not
// put back.
TEST(AlignCli, UnforgetPutsBackTheCitationsForgetTookFromAPersonsGuidelines) {
  const fs::path dir = fs::temp_directory_path() / ("judge_unforget_cites_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  judge::util::write_file_atomic(dir / "nb/a.ipynb", ipynb("df = pd.read_csv('x.csv').fillna(0)"));
  judge::util::write_file_atomic(dir / "nb/b.ipynb", ipynb("df = pd.read_csv('y.csv').dropna()"));
  judge::util::write_file_atomic(dir / "labels.csv",
                                 "notebook,dimension,score,feedback,rater\n"
                                 "a.ipynb,data_imputation,1,A blanket fillna hides gaps.,r1\n"
                                 "b.ipynb,data_imputation,2,Rows dropped without a check.,r1\n");
  const std::string d = "'" + dir.string() + "'";
  const std::string mem = d + "/mem";
  ASSERT_EQ(
      run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + mem).exit_code, 0);
  const fs::path file = dir / "mem/guidelines.yaml";
  // The person's guidelines in place of what align distilled.
  std::string yaml =
      "schema_version: 1\nguidelines:\n"
      "  model_training:\n"
      "    - text: Check before you fill.\n"
      "      source: manual\n"
      "      cites: [a.ipynb#data_imputation#r1, b.ipynb#data_imputation#r1]\n"
      "    - text: Say why you fill.\n"
      "      source: manual\n"
      "      cites: [a.ipynb#data_imputation#r1]\n";
  judge::util::write_file_atomic(file, yaml);
  auto r = run_judge("memory forget " + mem + " --notebook a.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto cites_of = [&](const std::string& text) {
    const auto m = judge::memory::Memory::load(dir / "mem");
    for (const auto& g : m.all_guidelines())
      if (g.text == text) return g.cites;
    return std::vector<std::string>{"(no such guideline)"};
  };
  EXPECT_EQ(cites_of("Check before you fill."), std::vector<std::string>{"b.ipynb#data_imputation#r1"});
  yaml = judge::util::read_file(file);
  yaml.replace(yaml.find("Say why you fill."), 17, "Say why you fill gaps.");
  judge::util::write_file_atomic(file, yaml);
  r = run_judge("memory unforget " + mem + " --notebook a.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("cleared 1 tombstone; 0 left; the next judge align admits their labels again; 1 "
                       "citation forget took out of guidelines put back\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("judge: warning: memory unforget: 1 citation forget took out of guidelines not put "
                       "back: the guideline is no longer in "),
            std::string::npos)
      << r.out;
  EXPECT_EQ(cites_of("Check before you fill."),
            (std::vector<std::string>{"b.ipynb#data_imputation#r1", "a.ipynb#data_imputation#r1"}));
  EXPECT_TRUE(cites_of("Say why you fill gaps.").empty());
  fs::remove_all(dir);
}

// A notebook named by the start of its file name with the extension typed after it
// (`titanic_random_forest.ipynb` for titanic_random_forest_getting_started.ipynb): forget matches nothing,
// and names it as the one meant.
TEST(AlignCli, ForgetSuggestsTheNotebookWhoseNameStartsWithTheOneGivenLessItsExtension) {
  const fs::path dir = fs::temp_directory_path() / ("judge_forget_stem_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  judge::util::write_file_atomic(dir / "nb/ipynb/titanic_random_forest_getting_started.ipynb",
                                 ipynb("model.fit(X, y)"));
  judge::util::write_file_atomic(
      dir / "labels.csv",
      "notebook,dimension,score,feedback,rater\n"
      "ipynb/titanic_random_forest_getting_started.ipynb,model_training,2,Fitted once.,r1\n");
  const std::string d = "'" + dir.string() + "'";
  ASSERT_EQ(run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem")
                .exit_code,
            0);
  const auto r = run_judge("memory forget " + d + "/mem --notebook titanic_random_forest.ipynb 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("notebook titanic_random_forest.ipynb matches nothing in " + (dir / "mem").string() +
                       "; did you mean ipynb/titanic_random_forest_getting_started.ipynb?\n"),
            std::string::npos)
      << r.out;
  // A letter or two begins too many names to mean one: no suggestion.
  const auto short_stem = run_judge("memory forget " + d + "/mem --notebook t.ipynb 2>&1");
  EXPECT_NE(short_stem.out.find("notebook t.ipynb matches nothing in " + (dir / "mem").string() + "\n"),
            std::string::npos)
      << short_stem.out;
  fs::remove_all(dir);
}

TEST(AlignCli, ForgetSticksAcrossRealignmentAndUnforgetReadmits) {
  const fs::path dir = fs::temp_directory_path() / ("judge_align_forget_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  judge::util::write_file_atomic(dir / "nb/x/a.ipynb", ipynb("df = pd.read_csv('x.csv').fillna(0)"));
  judge::util::write_file_atomic(dir / "nb/y/a.ipynb", ipynb("df = pd.read_csv('y.csv').dropna()"));
  judge::util::write_file_atomic(dir / "nb/x/c.ipynb", ipynb("model.fit(X, y)"));
  judge::util::write_file_atomic(dir / "labels.csv",
                                 "notebook,dimension,score,feedback,rater\n"
                                 "x/a.ipynb,data_imputation,1,A blanket fillna hides gaps.,r1\n"
                                 "y/a.ipynb,data_imputation,2,Rows dropped without a check.,r1\n"
                                 "x/c.ipynb,data_imputation,NA,No missing values.,r1\n"
                                 "x/c.ipynb,model_training,2,Fitted once.,r1\n");
  const std::string d = "'" + dir.string() + "'";
  const std::string mem = d + "/mem";
  const std::string align = "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + mem;
  ASSERT_EQ(run_judge(align).exit_code, 0);
  const std::vector<std::string> all{"x/a.ipynb#data_imputation", "x/c.ipynb#data_imputation",
                                     "x/c.ipynb#model_training", "y/a.ipynb#data_imputation"};
  EXPECT_EQ(episode_ids(dir / "mem"), all);

  // "a.ipynb" ends two notebooks: refused (exit 2) naming both; nothing written.
  auto r = run_judge("memory forget " + mem + " --notebook a.ipynb 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("matches 2 notebooks"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("x/a.ipynb"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("y/a.ipynb"), std::string::npos) << r.out;
  EXPECT_EQ(episode_ids(dir / "mem"), all);
  // Nothing matches at all: exit 1, a warning naming it, nothing written.
  r = run_judge("memory forget " + mem + " --notebook zz.ipynb --label x/a.ipynb#eda#r9 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("warning: memory forget: notebook zz.ipynb matches nothing"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("warning: memory forget: label x/a.ipynb#eda#r9 matches nothing"), std::string::npos)
      << r.out;
  EXPECT_EQ(episode_ids(dir / "mem"), all);
  // A name that begins notebooks' names or paths (no extension, a folder, "./" dropped): they are the
  // candidates; one a typo away from a file name: that one.
  const std::string nothing = std::string(" matches nothing in ").append((dir / "mem").string());
  r = run_judge("memory forget " + mem +
                " --notebook a --notebook ./x/c --notebook x/c.ipyb --notebook elsewhere/c.ipynb 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("memory forget: notebook a" + nothing + "; did you mean x/a.ipynb or y/a.ipynb?\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("memory forget: notebook ./x/c" + nothing + "; did you mean x/c.ipynb?\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("memory forget: notebook x/c.ipyb" + nothing + "; did you mean x/c.ipynb?\n"),
            std::string::npos)
      << r.out;
  // The same file name in another folder (no prefix of it, many edits from its path).
  EXPECT_NE(r.out.find("memory forget: notebook elsewhere/c.ipynb" + nothing + "; did you mean x/c.ipynb?\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(episode_ids(dir / "mem"), all);
  // "c.ipynb" ends one notebook (x/c.ipynb): forgotten; zz.ipynb is only a warning then (exit 0).
  r = run_judge("memory forget " + mem + " --notebook c.ipynb --notebook zz.ipynb 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("notebook zz.ipynb matches nothing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("removed 2 episodes"), std::string::npos) << r.out;
  r = run_judge("memory forget " + mem + " --label y/a.ipynb#data_imputation#r1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::vector<std::string> kept{"x/a.ipynb#data_imputation"};
  EXPECT_EQ(episode_ids(dir / "mem"), kept);
  const auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "mem/memory.json"));
  ASSERT_EQ(manifest["forgotten"].size(), 2u) << manifest.dump();
  EXPECT_EQ(manifest["forgotten"][0]["notebook"], "x/c.ipynb");
  EXPECT_EQ(manifest["forgotten"][1]["label"], "y/a.ipynb#data_imputation#r1");
  r = run_judge("memory show " + mem);
  EXPECT_NE(r.out.find("forgotten (2): kept out of judge align\n  notebook x/c.ipynb  20"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  label y/a.ipynb#data_imputation#r1  20"), std::string::npos) << r.out;
  // Forgetting what is forgotten already is fine (exit 0).
  EXPECT_EQ(run_judge("memory forget " + mem + " --notebook x/c.ipynb").exit_code, 0);

  // Re-alignment with the same label file keeps them out and says so.
  r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("skipped 3 forgotten labels"), std::string::npos) << r.out;
  EXPECT_EQ(episode_ids(dir / "mem"), kept);

  // A label of the notebook forgotten whole has no tombstone of its own: unforget names the notebook's, and
  // changes nothing (exit 1).
  r = run_judge("memory unforget " + mem + " --label x/c.ipynb#data_imputation#r1 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: memory unforget: label x/c.ipynb#data_imputation#r1 is forgotten with "
                 "its notebook x/c.ipynb, whose tombstone covers every label of it: judge memory "
                 "unforget " +
                 dir.string() + "/mem --notebook x/c.ipynb re-admits them all\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("nothing changed"), std::string::npos) << r.out;

  // unforget by suffix re-admits the notebook; --all the rest.
  r = run_judge("memory unforget " + mem + " --notebook c.ipynb");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("cleared 1 tombstone; 1 left"), std::string::npos) << r.out;
  r = run_judge(align);
  EXPECT_NE(r.out.find("skipped 1 forgotten label"), std::string::npos) << r.out;
  EXPECT_EQ(episode_ids(dir / "mem"),
            (std::vector<std::string>{"x/a.ipynb#data_imputation", "x/c.ipynb#data_imputation",
                                      "x/c.ipynb#model_training"}));
  EXPECT_EQ(run_judge("memory unforget " + mem + " --notebook zz.ipynb 2>/dev/null").exit_code, 1);
  // c.ipynb is re-admitted and in memory again: unforgetting it again says it is not forgotten.
  r = run_judge("memory unforget " + mem + " --notebook c.ipynb 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("judge: warning: memory unforget: notebook c.ipynb is not forgotten in " +
                       dir.string() + "/mem (memory holds it; judge memory forget removes it)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(run_judge("memory unforget " + mem + " --all").exit_code, 0);
  r = run_judge(align);
  EXPECT_EQ(r.out.find("forgotten"), std::string::npos) << r.out;
  EXPECT_EQ(episode_ids(dir / "mem"), all);
  fs::remove_all(dir);
}

// An episode line deleted by hand (the digests still agree): every command but align refuses the folder,
// naming the vector left without its episode and saying to run align; align repairs it (the label brings the
// episode back, every episode is embedded again) and the folder loads again.
TEST(AlignCli, HandDeletedEpisodeLineIsRefusedThenRepairedByAlign) {
  const judge::test::TempDir dir("judge_align_deleted");
  judge::util::write_file_atomic(dir / "nb/a.ipynb", ipynb("df = pd.read_csv('x.csv').fillna(0)"));
  judge::util::write_file_atomic(dir / "nb/b.ipynb", ipynb("df = pd.read_csv('y.csv').dropna()"));
  write_labels(dir / "labels.csv", "A blanket fillna hides gaps.");
  const std::string d = "'" + dir.str() + "'";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem";
  ASSERT_EQ(run_judge(align).exit_code, 0);
  const std::vector<std::string> all{"a.ipynb#data_imputation", "b.ipynb#data_imputation",
                                     "b.ipynb#model_training"};
  ASSERT_EQ(episode_ids(dir / "mem"), all);
  std::istringstream in(judge::util::read_file(dir / "mem/episodes.jsonl"));
  std::string text, line;
  for (int n = 1; std::getline(in, line); ++n)
    if (n != 2) text += line + "\n";  // line 2: the first episode, a.ipynb#data_imputation
  judge::util::write_file_atomic(dir / "mem/episodes.jsonl", text);

  const std::string mem = dir.str() + "/mem";
  for (const std::string& command : {"memory show " + d + "/mem", "memory stats " + d + "/mem",
                                     "eval --memory " + d + "/mem " + d + "/nb"}) {
    SCOPED_TRACE(command);
    auto r = run_judge(command + " 2>&1 >/dev/null");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find(mem + "/vectors.jsonl:2: vector of unknown episode \"a.ipynb#data_imputation\""),
              std::string::npos)
        << r.out;
    EXPECT_NE(
        r.out.find("episodes.jsonl and vectors.jsonl hold different episodes (a line deleted or added by "
                   "hand?): run judge align --memory " +
                   mem + " to repair it"),
        std::string::npos)
        << r.out;
  }

  auto r = run_judge(align + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("judge: warning: memory " + mem +
                       ": episodes.jsonl and vectors.jsonl hold different "
                       "episodes (" +
                       mem +
                       "/vectors.jsonl:2: vector of unknown episode \"a.ipynb#data_imputation\"; "
                       "a line deleted or added by hand?); repairing it"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(episode_ids(dir / "mem"), all);
  EXPECT_EQ(run_judge("memory show " + d + "/mem >/dev/null 2>&1").exit_code, 0);
  EXPECT_EQ(run_judge("eval --memory " + d + "/mem " + d + "/nb >/dev/null 2>&1").exit_code, 0);
}

// memory show --dimension D lists D's guidelines, blend weight and episodes only (two_notebooks' labels: two
// episodes of data_imputation, one of model_training); an unknown id or a list is a usage error naming the
// flag.
TEST(AlignCli, MemoryShowDimensionListsThatDimensionOnly) {
  const fs::path dir = aligned_two_notebooks("judge_show_dimension_");
  const std::string d = "'" + dir.string() + "'";
  auto r = run_judge("memory show " + d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\nepisodes (3): "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  model_training: score "), std::string::npos) << r.out;

  r = run_judge("memory show " + d + "/mem --dimension data_imputation");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\nshown: data_imputation only (--dimension)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nblend weights (1): "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  data_imputation: score "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nepisodes (2): "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  a.ipynb#data_imputation  human 1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  b.ipynb#data_imputation  human 2 "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("model_training"), std::string::npos) << r.out;

  // Spaces around the id (as typed in a quoted list) do not count; an unknown id, a list or an empty id is
  // a usage error naming the flag.
  for (const auto& [id, exit_code, said] : std::vector<std::tuple<std::string, int, std::string>>{
           {"' data_imputation '", 0, "\nepisodes (2): "},
           {"model_trainin", 2, "--dimension: unknown dimension \"model_trainin\""},
           {"model_training,data_imputation", 2, "--dimension takes one dimension id"},
           {"' '", 2, "--dimension: an empty dimension id"}}) {
    r = run_judge("memory show " + d + "/mem --dimension " + id + " 2>&1");
    EXPECT_EQ(r.exit_code, exit_code) << id << "\n" << r.out;
    EXPECT_NE(r.out.find(said), std::string::npos) << id << "\n" << r.out;
  }
  fs::remove_all(dir);
}

// A save interrupted between files (simulated: episodes.jsonl of a later save put back by hand): commands
// refuse the folder, naming it and saying to re-run align, which repairs it.
TEST(AlignCli, InterruptedSaveIsRefusedThenRepairedByAlign) {
  const fs::path dir = two_notebooks("judge_align_crash_");
  const std::string d = "'" + dir.string() + "'";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem";
  ASSERT_EQ(run_judge(align).exit_code, 0);
  const std::string old_vectors = judge::util::read_file(dir / "mem/vectors.jsonl");
  ASSERT_EQ(run_judge("memory forget " + d + "/mem --notebook a.ipynb").exit_code, 0);
  judge::util::write_file_atomic(dir / "mem/vectors.jsonl", old_vectors);  // the crash came before vectors

  auto r = run_judge("memory show " + d + "/mem 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("memory " + dir.string() + "/mem is inconsistent"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("re-run judge align"), std::string::npos) << r.out;
  EXPECT_EQ(run_judge("eval --memory " + d + "/mem " + d + "/nb 2>/dev/null").exit_code, 1);

  r = run_judge(align + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("interrupted save; repairing it"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skipped 1 forgotten label"), std::string::npos) << r.out;  // the tombstone survived
  EXPECT_EQ(episode_ids(dir / "mem"),
            (std::vector<std::string>{"b.ipynb#data_imputation", "b.ipynb#model_training"}));
  r = run_judge("memory show " + d + "/mem");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  fs::remove_all(dir);
}

// Two writers of one memory folder take turns. While the folder's lock is held (here by the test, as a first
// writer holds it from its load to its save), judge memory forget says once that it waits, and writes
// nothing; the first writer forgets b.ipynb and saves; once the lock is let go, forget loads that save and
// adds to it: both tombstones are kept, and no episode of either notebook is left. judge align waits the same
// way, and keeps what the first writer saved meanwhile (b.ipynb unforgotten: its two episodes come back, a's
// stay out). Synchronised on the waiting line, read from the command's stderr: no sleeps.
// forget and unforget lock a memory folder only when it exists: a mistyped path makes no folder (nor its
// parents), and a folder that holds no memory keeps no lock file; Memory::load says there is no memory.
TEST(AlignCli, ForgetOnAFolderWithoutMemoryCreatesNothing) {
  const judge::test::TempDir dir("judge_forget_nothing");
  for (const std::string command : {"forget", "unforget"}) {
    auto r =
        run_judge("memory " + command + " '" + (dir.path() / "typo/mem").string() + "' --notebook x 2>&1");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("no memory here"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir.path() / "typo")) << command;
    fs::create_directories(dir.path() / "empty");
    r = run_judge("memory " + command + " '" + (dir.path() / "empty").string() + "' --notebook x 2>&1");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(fs::is_empty(dir.path() / "empty")) << command;
  }
}

TEST(AlignCli, WritersOfOneMemoryFolderTakeTurns) {
  const fs::path dir = two_notebooks("judge_align_lock_");
  const std::string d = "'" + dir.string() + "'";
  const fs::path mem = dir / "mem";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem";
  ASSERT_EQ(run_judge(align).exit_code, 0);
  const std::string waiting =
      "judge: waiting for " + mem.string() + ": another judge command is writing it\n";
  // Starts judge ARGS in the background, its stderr (alone) on the pipe returned, its stdout in DIR/out.
  auto start = [&](const std::string& args) {
    return ::popen(("cd '" + judge::test::source_dir().string() + "' && exec '" + JUDGE_BINARY + "' " + args +
                    " 2>&1 >" + d + "/out")
                       .c_str(),
                   "r");
  };
  // The lines on `pipe` up to the waiting line, that one included (all of them when it never comes).
  auto read_until_waiting = [&](FILE* pipe) {
    std::string lines;
    char line[4096];
    while (std::fgets(line, sizeof line, pipe)) {
      lines += line;
      if (lines.ends_with(waiting)) break;
    }
    return lines;
  };
  auto rest_and_exit_code = [](FILE* pipe, std::string& rest) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) rest.append(buf, n);
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };

  const std::string saved = judge::util::read_file(mem / "memory.json");
  FILE* forget = nullptr;
  {
    const judge::memory::WriteLock lock(mem);
    forget = start("memory forget " + d + "/mem --notebook a.ipynb");
    ASSERT_NE(forget, nullptr);
    EXPECT_EQ(read_until_waiting(forget), waiting);
    EXPECT_EQ(judge::util::read_file(mem / "memory.json"), saved);  // it waits before it loads
    auto first = judge::memory::Memory::load(mem);
    judge::memory::forget(first, {"b.ipynb"}, {});
    first.save(mem);
  }
  std::string rest;
  EXPECT_EQ(rest_and_exit_code(forget, rest), 0) << rest;
  EXPECT_EQ(rest, "");  // said once
  auto both = judge::memory::Memory::load(mem);
  ASSERT_EQ(both.forgotten().size(), 2u);
  EXPECT_EQ(both.forgotten()[0].notebook, "b.ipynb");
  EXPECT_EQ(both.forgotten()[1].notebook, "a.ipynb");
  EXPECT_TRUE(both.episodes().empty());

  FILE* aligning = nullptr;
  {
    const judge::memory::WriteLock lock(mem);
    aligning = start(align);
    ASSERT_NE(aligning, nullptr);
    EXPECT_EQ(read_until_waiting(aligning), waiting);
    auto first = judge::memory::Memory::load(mem);
    EXPECT_EQ(judge::memory::unforget(first, {"b.ipynb"}, {}).tombstones, 1u);
    first.save(mem);
  }
  rest.clear();
  EXPECT_EQ(rest_and_exit_code(aligning, rest), 0) << rest;
  const auto aligned = judge::memory::Memory::load(mem);
  ASSERT_EQ(aligned.forgotten().size(), 1u);
  EXPECT_EQ(aligned.forgotten()[0].notebook, "a.ipynb");
  EXPECT_EQ(episode_ids(mem),
            (std::vector<std::string>{"b.ipynb#data_imputation", "b.ipynb#model_training"}));
  EXPECT_EQ(judge::util::read_file(mem / ".lock"), "");  // the lock file: empty, and no memory content
  fs::remove_all(dir);
}

// A save cut short never turns align's learnt rules into a person's. Three notebooks the heuristic judges
// alike: labelled 1, 1, 2 align learns "when always -> score 1 (2 of 3 labels)"; relabelled 1, 1, 1, "when
// always -> score 1 (3 of 3 labels)" (the labels' majority, counted by hand). The folder is then put as a
// save of the second alignment cut short after each of its steps leaves it (memory.json.next staged, then
// guidelines.yaml, episodes.jsonl and vectors.jsonl replaced: Memory::save), from the files of the two
// saves, and aligned again on the second labels: each time the learnt rule is the second alignment's, with
// `source: learnt`, and no guideline is manual.
TEST(AlignCli, AnInterruptedSaveLeavesNoLearntRuleManual) {
  const judge::test::TempDir dir("judge_align_cut_short");
  for (const char* nb : {"a", "b", "c"})
    judge::util::write_file_atomic(dir / "nb" / (std::string(nb) + ".ipynb"),
                                   ipynb("df = pd.read_csv('" + std::string(nb) + ".csv')"));
  const std::string header =
      "notebook,dimension,score\na.ipynb,data_imputation,1\nb.ipynb,data_imputation,1\n";
  const std::string align = "align --labels '" + dir.str() + "/l.csv' --notebooks '" + dir.str() +
                            "/nb' --memory '" + dir.str() + "/mem' 2>&1";
  const std::string first_rule = "when always -> score 1 (2 of 3 labels)";
  const std::string second_rule = "when always -> score 1 (3 of 3 labels)";
  judge::util::write_file_atomic(dir / "l.csv", header + "c.ipynb,data_imputation,2\n");
  auto r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::map<std::string, std::string> old_files = [&] {
    std::map<std::string, std::string> files;
    for (const char* f : {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"})
      files[f] = judge::util::read_file(dir / "mem" / f);
    return files;
  }();
  ASSERT_NE(old_files.at("guidelines.yaml").find("text: " + first_rule + "\n      source: learnt"),
            std::string::npos)
      << old_files.at("guidelines.yaml");
  judge::util::write_file_atomic(dir / "l.csv", header + "c.ipynb,data_imputation,1\n");
  r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::map<std::string, std::string> new_files;
  for (const char* f : {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"})
    new_files[f] = judge::util::read_file(dir / "mem" / f);
  ASSERT_NE(new_files.at("guidelines.yaml").find("text: " + second_rule + "\n      source: learnt"),
            std::string::npos)
      << new_files.at("guidelines.yaml");
  EXPECT_FALSE(fs::exists(dir / "mem/memory.json.next"));

  const char* replaced[] = {"guidelines.yaml", "episodes.jsonl", "vectors.jsonl"};
  for (int steps = 1; steps <= 4; ++steps) {
    for (const auto& [name, text] : old_files) judge::util::write_file_atomic(dir / "mem" / name, text);
    judge::util::write_file_atomic(dir / "mem/memory.json.next", new_files.at("memory.json"));
    for (int i = 0; i + 1 < steps; ++i)
      judge::util::write_file_atomic(dir / "mem" / replaced[i], new_files.at(replaced[i]));
    r = run_judge(align);
    ASSERT_EQ(r.exit_code, 0) << "cut short after step " << steps << "\n" << r.out;
    EXPECT_EQ(r.out.find("edited by hand"), std::string::npos) << "cut short after step " << steps << "\n"
                                                               << r.out;
    const std::string yaml = judge::util::read_file(dir / "mem/guidelines.yaml");
    EXPECT_NE(yaml.find("text: " + second_rule + "\n      source: learnt"), std::string::npos)
        << "cut short after step " << steps << "\n"
        << yaml;
    EXPECT_EQ(yaml.find(first_rule), std::string::npos) << "cut short after step " << steps << "\n" << yaml;
    EXPECT_EQ(yaml.find("\n      source: manual"), std::string::npos)
        << "cut short after step " << steps << "\n"
        << yaml;
    EXPECT_FALSE(fs::exists(dir / "mem/memory.json.next"));
    EXPECT_EQ(run_judge("memory show '" + dir.str() + "/mem' >/dev/null").exit_code, 0);
  }
}

// judge align reads judge.yaml like judge eval: the reflection model and its base URL from the file reach the
// loopback server, and the file's k is recorded with the memory (a memory's recorded k yields only to a k
// that was given).
TEST(AlignCli, ReadsJudgeYamlLikeEval) {
  judge::test::FakeLlmServer server;
  server.script(nlohmann::json::array(), {{"type", "reply"}, {"content", R"({"guidelines": []})"}});
  const fs::path dir = two_notebooks("judge_align_yaml_");
  judge::util::write_file_atomic(
      dir / "judge.yaml", "cache: cache.sqlite\nreflection: openai:yaml-reflect\nreflection_base_url: " +
                              server.openai_base_url() + "\nk: 3\njobs: 1\n");
  const std::string run = "cd '" + dir.string() + "' && env -u OPENAI_BASE_URL -u JUDGE_K '" + JUDGE_BINARY +
                          "' align --labels labels.csv --notebooks nb --memory mem";
  auto r = judge::test::run_command(run);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 2);  // one reflection batch per dimension with feedback
  EXPECT_EQ(server.last_request()["body"]["model"], "yaml-reflect");
  auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "mem/memory.json"));
  EXPECT_EQ(manifest["reflection"], "openai:yaml-reflect");
  EXPECT_EQ(manifest["k"], 3);
  // The same labels in a fresh memory: the reflection requests are the same, answered by the response cache.
  r = judge::test::run_command(run + "2");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 2);
  EXPECT_EQ(nlohmann::json::parse(judge::util::read_file(dir / "mem2/memory.json"))["reflection"],
            "openai:yaml-reflect");
  // Replayed from the cache with no key and no base URL (api.openai.com, which would need a key): no call.
  judge::util::write_file_atomic(dir / "replay.yaml",
                                 "cache: cache.sqlite\ncache_mode: replay-only\n"
                                 "reflection: openai:yaml-reflect\nk: 3\njobs: 1\n");
  r = judge::test::run_command(
      "cd '" + dir.string() + "' && env -u OPENAI_BASE_URL -u OPENAI_API_KEY -u JUDGE_K '" + JUDGE_BINARY +
      "' align --config replay.yaml --labels labels.csv --notebooks nb --memory mem3 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 2);
  fs::remove_all(dir);
}

namespace {

// An executable shell script at `file` (a command judge or reflection model).
void write_script(const fs::path& file, const std::string& body) {
  judge::util::write_file_atomic(file, "#!/bin/sh\n" + body);
  fs::permissions(file, fs::perms::owner_all);
}

}  // namespace

// A judge or reflection model that fails for good (a missing command, an auth error, a refused connection)
// is a clean error (exit 1, "judge: error: ..."), never a crash, and the memory folder stays as it was.
TEST(AlignCli, JudgeFailureIsACleanErrorAndLeavesMemoryAsItWas) {
  const fs::path dir = two_notebooks("judge_align_fail_");
  write_script(dir / "auth.sh",
               "cat >/dev/null\necho '{\"error\": {\"kind\": \"auth\", \"message\": \"bad key\"}}'\n");
  const std::string d = "'" + dir.string() + "'";
  const std::string align = "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                            "/mem --cache " + d + "/cache.sqlite --jobs 2 ";
  ASSERT_EQ(run_judge(align).exit_code, 0);
  const std::string before = judge::util::read_file(dir / "mem/memory.json");
  for (const std::string& flags : std::vector<std::string>{
           "--judge command:" + dir.string() + "/nosuch", "--judge command:" + dir.string() + "/auth.sh",
           "--judge openai:qwen --base-url http://127.0.0.1:1/v1"}) {
    const auto r = judge::test::run_command("env OPENAI_API_KEY=test '" + std::string(JUDGE_BINARY) + "' " +
                                            align + flags + " 2>&1");
    EXPECT_EQ(r.exit_code, 1) << flags << "\n" << r.out;
    EXPECT_NE(r.out.find("judge: error: "), std::string::npos) << flags << "\n" << r.out;
    EXPECT_EQ(r.out.find("terminate"), std::string::npos) << flags << "\n" << r.out;
    EXPECT_EQ(judge::util::read_file(dir / "mem/memory.json"), before) << flags;
  }
  // Every record of mem/ is distilled already, so reflection is asked only for a new memory: none is written.
  const auto r0 = judge::test::run_command("'" + std::string(JUDGE_BINARY) + "' align --labels " + d +
                                           "/labels.csv --notebooks " + d + "/nb --memory " + d +
                                           "/fresh --reflection command:" + dir.string() + "/auth.sh 2>&1");
  EXPECT_EQ(r0.exit_code, 1) << r0.out;
  EXPECT_NE(r0.out.find("judge: error: command:" + dir.string() + "/auth.sh: auth error: "),
            std::string::npos)
      << r0.out;
  EXPECT_NE(r0.out.find("bad key"), std::string::npos) << r0.out;
  EXPECT_FALSE(fs::exists(dir / "fresh"));
  // validate runs the same judge over its folds: the same clean error.
  const auto r = run_judge("validate --labels " + d + "/labels.csv --notebooks " + d +
                           "/nb --folds 2 --judge command:" + dir.string() + "/nosuch 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("judge: error: "), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// The notebooks folder is checked once, before the labels (one error, not one per row); a labels file with
// no rows is an error; failed reflection batches and unusable judge replies are counted as such.
TEST(AlignCli, BadFoldersEmptyLabelsAndFailedCallsAreSaidOnce) {
  const fs::path dir = two_notebooks("judge_align_said_");
  judge::util::write_file_atomic(dir / "empty.csv", "notebook,dimension,score,feedback,rater\n");
  write_script(dir / "chatty.sh", "cat >/dev/null\necho '{\"content\": \"I think it is fine.\"}'\n");
  const std::string d = "'" + dir.string() + "'";
  const std::string labels = "align --labels " + d + "/labels.csv --memory " + d + "/mem ";

  auto r = run_judge(labels + "--notebooks " + d + "/nosuch 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "judge: error: notebooks folder " + dir.string() + "/nosuch does not exist\n");
  r = run_judge(labels + "--notebooks " + d + "/labels.csv 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "judge: error: notebooks folder " + dir.string() + "/labels.csv is not a folder\n");
  r = run_judge("validate --labels " + d + "/labels.csv --notebooks " + d + "/nosuch 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "judge: error: notebooks folder " + dir.string() + "/nosuch does not exist\n");

  r = run_judge("align --labels " + d + "/empty.csv --notebooks " + d + "/nb --memory " + d + "/mem 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, "judge: error: no labels in " + dir.string() + "/empty.csv\n");
  EXPECT_FALSE(fs::exists(dir / "mem"));

  // A reflection model and a judge that never reply usably: 2 batches (two dimensions with feedback) fail,
  // 0 calls made; the judge is asked about the labelled dimensions only (a: 1, b: 2), so its 3 verdicts
  // are all unscored. The memory is saved, and the run exits 4 (some items unscored), as judge eval does.
  r = run_judge(labels + "--notebooks " + d + "/nb --cache " + d + "/cache.sqlite --reflection command:" +
                dir.string() + "/chatty.sh --judge command:" + dir.string() + "/chatty.sh 2>&1");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_TRUE(fs::exists(dir / "mem/memory.json"));
  EXPECT_NE(r.out.find("; 0 reflection calls (2 failed);"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gave no usable score for 3 of 3 (notebook, dimension) verdicts"), std::string::npos)
      << r.out;
  // judge validate with a judge that scores a.ipynb (it reads x.csv) but not b.ipynb (y.csv): b's held-out
  // verdicts are unscored, so it exits 4 and says how many (b's 9 dimensions, baseline only).
  write_script(dir / "half.sh",
               "if grep -qF \"'y.csv'\"; then echo '{\"content\": \"I think it is fine.\"}'; else "
               "echo '{\"content\": \"{\\\"rationale\\\": \\\"ok\\\", \\\"score\\\": 2}\"}'; fi\n");
  r = run_judge("validate --labels " + d + "/labels.csv --notebooks " + d + "/nb --folds 2 --bootstrap 10 " +
                "--conditions baseline --cache-mode off --judge command:" + dir.string() + "/half.sh 2>&1");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("judge: 9 held-out verdict(s) are unscored"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// eval --memory with a memory aligned for another rubric (memory.json records it), or for this rubric before
// it changed, warns naming both.
TEST(AlignCli, EvalWarnsWhenTheMemoryWasAlignedForAnotherRubric) {
  const fs::path dir = two_notebooks("judge_align_rubric_");
  std::string rubric = judge::util::read_file(judge::test::source_dir() / "rubrics/ml-notebook.yaml");
  const std::string id = "\nid: ml-notebook\n";
  ASSERT_NE(rubric.find(id), std::string::npos);
  judge::util::write_file_atomic(dir / "other.yaml",
                                 std::string(rubric).replace(rubric.find(id), id.size(), "\nid: other\n"));
  judge::util::write_file_atomic(dir / "changed.yaml", rubric + "\n# a comment changes the file's hash\n");
  const std::string d = "'" + dir.string() + "'";
  const std::string align = "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --rubric ";
  ASSERT_EQ(run_judge(align + d + "/other.yaml --memory " + d + "/other").exit_code, 0);
  ASSERT_EQ(run_judge(align + d + "/changed.yaml --memory " + d + "/changed").exit_code, 0);
  ASSERT_EQ(run_judge(align + "rubrics/ml-notebook.yaml --memory " + d + "/same").exit_code, 0);

  const std::string eval = "eval --format csv " + d + "/nb/a.ipynb --memory " + d;
  // a.ipynb is labelled in each memory: the in-sample warning
  // (AlignCli.EvalOnLabelledNotebooksWarnsThatItIsInSample) follows the rubric's.
  auto in_sample = [&](const std::string& memory) {
    return "judge: warning: 1 of the 1 notebooks judged are labelled in memory " + dir.string() + "/" +
           memory +
           ": its guidelines, learnt rules and blend weights come from their labels too (only their own "
           "episodes are left out), so agreement measured on them is in-sample and optimistic; for a "
           "held-out figure use judge validate, or eval on notebooks outside the labels\n";
  };
  auto r = run_judge(eval + "/other 2>&1 >/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "judge: warning: memory " + dir.string() +
                       "/other was aligned for rubric other, but this run uses rubric ml-notebook; its "
                       "guidelines and episodes may not apply\n" +
                       in_sample("other"));
  r = run_judge(eval + "/changed 2>&1 >/dev/null");
  EXPECT_EQ(r.out,
            "judge: warning: memory " + dir.string() +
                "/changed was aligned for rubric ml-notebook as it was before it changed; re-run judge "
                "align to follow the change\n" +
                in_sample("changed"));
  r = run_judge(eval + "/same 2>&1 >/dev/null");
  EXPECT_EQ(r.out, in_sample("same")) << r.out;
  fs::remove_all(dir);
}

// A reflection batch whose reply cannot be parsed is "retried next run" (docs/memory.md): the reply must not
// stay in the response cache, else the next run gets the same bad reply from it, for ever. The totals count
// the unusable reply as failed.
TEST(AlignCli, FailedReflectionBatchIsRetriedDespiteTheCache) {
  judge::test::FakeLlmServer server;
  server.script({{{"match", "You distill expert reviewers"}, {"content", "sorry, no JSON today"}},
                 {{"match", "You distill expert reviewers"}, {"content", "sorry, no JSON today"}}},
                {{"type", "reply"}, {"content", R"({"guidelines": []})"}});
  const fs::path dir = two_notebooks("judge_review_refl_");
  const std::string d = "'" + dir.string() + "'";
  const std::string align =
      "env OPENAI_BASE_URL=" + server.openai_base_url() + " OPENAI_API_KEY=test " +
      std::string(JUDGE_BINARY) + " align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " +
      d + "/mem --reflection openai:reflect-model --jobs 1 --cache " + d + "/cache.sqlite 2>&1";
  auto r = judge::test::run_command(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_NE(r.out.find("failed (retried next run)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reflection openai:reflect-model: 2 calls, 0 from the cache, 2 failed"),
            std::string::npos)
      << r.out;
  const int before = server.request_count();
  r = judge::test::run_command(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_GT(server.request_count(), before) << "the retry never reached the server";
  EXPECT_EQ(r.out.find("failed (retried next run)"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// A save cut short after memory.json (the documented crash case) when the judge changed: memory.json records
// the new judge, episodes.jsonl still holds the old judge's verdicts. The repair must judge every notebook
// again, not keep the old verdicts under the new judge's name.
TEST(AlignCli, RepairAfterJudgeChangeRejudges) {
  judge::test::FakeLlmServer server;
  const fs::path dir = two_notebooks("judge_review_crash_");
  const std::string d = "'" + dir.string() + "'";
  auto align = [&](const std::string& model, const std::string& mem) {
    return judge::test::run_command("env OPENAI_BASE_URL=" + server.openai_base_url() +
                                    " OPENAI_API_KEY=test " + std::string(JUDGE_BINARY) + " align --labels " +
                                    d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/" + mem +
                                    " --judge openai:" + model + " --cache-mode off 2>&1");
  };
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 1, "rationale": "A"})"}});
  ASSERT_EQ(align("model-a", "mem").exit_code, 0);
  fs::copy(dir / "mem", dir / "old", fs::copy_options::recursive);
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 3, "rationale": "B"})"}});
  ASSERT_EQ(align("model-b", "mem").exit_code, 0);
  fs::copy_file(dir / "mem/memory.json", dir / "old/memory.json", fs::copy_options::overwrite_existing);
  const auto r = align("model-b", "old");  // the repair
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::istringstream in(judge::util::read_file(dir / "old/episodes.jsonl"));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto e = nlohmann::json::parse(line);
    if (e["judge"]["status"] == "scored") {
      EXPECT_EQ(e["judge"]["score"], 3.0) << line;
    }
  }
  fs::remove_all(dir);
}

// A memory aligned for judge model-a (which scores 1) is aligned again for model-b (which scores 3) with
// b.ipynb left out: b's 2 episodes keep their labels, feedback and model-a's verdicts, marked as model-a's
// (`spec`), and calibration is fitted on a's pair alone (3 -> 1: n 1; model-a's pair of b, 1 -> 2, would make
// it 2); one warning names them. Once b is back, the next align asks model-b about b again (1 notebook
// judged: a's verdict is model-b's already): b's verdicts are 3, data_imputation's pairs a (3 -> 1) and b (3
// -> 2), n 2, mapped to their mean 1.5.
TEST(AlignCli, EpisodesKeptWithAnotherJudgesVerdictAreLeftOutUntilJudgedAgain) {
  judge::test::FakeLlmServer server;
  const fs::path dir = two_notebooks("judge_align_other_judge_");
  const std::string d = "'" + dir.string() + "'";
  auto align = [&](const std::string& flags) {
    return judge::test::run_command("env OPENAI_BASE_URL=" + server.openai_base_url() +
                                    " OPENAI_API_KEY=test " + std::string(JUDGE_BINARY) + " align --labels " +
                                    d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                                    "/mem --cache-mode off --calibrate " + flags + " 2>&1");
  };
  auto episode = [&](const std::string& id) {
    std::istringstream in(judge::util::read_file(dir / "mem/episodes.jsonl"));
    for (std::string line; std::getline(in, line);)
      if (const auto e = nlohmann::json::parse(line); e.value("id", "") == id) return e;
    ADD_FAILURE() << "no episode " << id;
    return nlohmann::json();
  };
  auto imputation_calibration = [&] {
    return nlohmann::json::parse(
        judge::util::read_file(dir / "mem/calibration.json"))["dimensions"]["data_imputation"];
  };
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 1, "rationale": "A"})"}});
  auto r = align("--judge openai:model-a");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(imputation_calibration()["n"], 2);

  fs::rename(dir / "nb/b.ipynb", dir / "b.ipynb");
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 3, "rationale": "B"})"}});
  r = align("--judge openai:model-b --skip-missing-notebooks");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: 2 episodes of b.ipynb keep the verdicts of judge openai:model-a, not "
                 "openai:model-b: the notebook was not judged this run. Their labels and feedback stay, "
                 "but they are left out of learnt rules, blend weights, calibration and contrast "
                 "examples until the notebook is judged again: put it back under --notebooks (or make "
                 "it readable) and run judge align again\n"),
      std::string::npos)
      << r.out;
  auto b = episode("b.ipynb#data_imputation");
  EXPECT_EQ(b["human_score"], 2.0) << b;
  EXPECT_EQ(b["feedback"], "Rows dropped; a blanket fillna was avoided.") << b;
  EXPECT_EQ(b["labels"], nlohmann::json::array({"b.ipynb#data_imputation#r1"})) << b;
  EXPECT_EQ(b["judge"]["score"], 1.0) << b;
  EXPECT_EQ(b["judge"]["spec"], "openai:model-a") << b;
  EXPECT_EQ(episode("b.ipynb#model_training")["judge"]["spec"], "openai:model-a");
  EXPECT_EQ(episode("b.ipynb#model_training")["feedback"], "No model.");
  const auto a = episode("a.ipynb#data_imputation");
  EXPECT_EQ(a["judge"]["score"], 3.0) << a;
  EXPECT_FALSE(a["judge"].contains("spec")) << a;
  EXPECT_EQ(imputation_calibration()["n"], 1);
  EXPECT_EQ(imputation_calibration()["x"], nlohmann::json::array({3.0}));
  EXPECT_EQ(imputation_calibration()["y"], nlohmann::json::array({1.0}));
  r = run_judge("memory show " + d + "/mem");
  EXPECT_NE(r.out.find("b.ipynb#data_imputation  human 2  judge 1 (by openai:model-a"), std::string::npos)
      << r.out;

  fs::rename(dir / "b.ipynb", dir / "nb/b.ipynb");
  r = align("");  // the memory's judge: model-b
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("keep the verdicts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 notebook judged by openai:model-b"), std::string::npos) << r.out;
  for (const char* id : {"b.ipynb#data_imputation", "b.ipynb#model_training"}) {
    const auto e = episode(id);
    EXPECT_EQ(e["judge"]["score"], 3.0) << e;
    EXPECT_EQ(e["judge"]["rationale"], "B") << e;
    EXPECT_FALSE(e["judge"].contains("spec")) << e;
  }
  EXPECT_EQ(imputation_calibration()["n"], 2);
  EXPECT_EQ(imputation_calibration()["y"], nlohmann::json::array({1.5}));
  fs::remove_all(dir);
}

// The warning names at most 3 notebooks kept with another judge's verdict, then "... and N more": 4 notebooks
// taken away (n2..n5, one episode each) name n2, n3, n4 and "... and 1 more"; 5 (n1 too) "... and 2 more".
TEST(AlignCli, OtherJudgesNotebooksAreNamedThreeThenHowManyMore) {
  judge::test::FakeLlmServer server;
  const fs::path dir = fs::temp_directory_path() / ("judge_align_other_more_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string labels = "notebook,dimension,score,feedback,rater\n";
  for (int i = 1; i <= 6; ++i) {
    std::string name = "n";
    name += std::to_string(i);
    name += ".ipynb";
    judge::util::write_file_atomic(dir / "nb" / name, ipynb("df = pd.read_csv('x.csv').fillna(0)"));
    labels += name + ",data_imputation," + std::to_string(1 + i % 3) + ",f,r1\n";
  }
  judge::util::write_file_atomic(dir / "labels.csv", labels);
  const std::string d = "'" + dir.string() + "'";
  auto align = [&](const std::string& judge) {
    return judge::test::run_command("env OPENAI_BASE_URL=" + server.openai_base_url() +
                                    " OPENAI_API_KEY=test " + std::string(JUDGE_BINARY) + " align --labels " +
                                    d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                                    "/mem --cache-mode off --skip-missing-notebooks --judge " + judge +
                                    " 2>&1 >/dev/null");
  };
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 1, "rationale": "A"})"}});
  auto r = align("openai:model-a");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  fs::create_directories(dir / "away");
  for (const char* n : {"n2.ipynb", "n3.ipynb", "n4.ipynb", "n5.ipynb"})
    fs::rename(dir / "nb" / n, dir / "away" / n);
  r = align("openai:model-b");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: 4 episodes of 4 notebooks (n2.ipynb, n3.ipynb, n4.ipynb ... and 1 more) "
                 "keep the verdicts of judge openai:model-a, not openai:model-b: the notebooks were not "
                 "judged this run."),
      std::string::npos)
      << r.out;
  fs::rename(dir / "nb/n1.ipynb", dir / "away/n1.ipynb");
  r = align("openai:model-c");  // n1's episode now has model-b's verdict: two other judges
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: 5 episodes of 5 notebooks (n1.ipynb, n2.ipynb, n3.ipynb ... and 2 more) "
                 "keep the verdicts of judges openai:model-a, openai:model-b, not openai:model-c:"),
      std::string::npos)
      << r.out;
  fs::remove_all(dir);
}

// forget refits calibration.json from the episodes left, with its recorded map, and removes it when no pair
// is left. The fake judge scores 1 everywhere; data_imputation's human scores are 1 (a) and 2 (b), so the
// isotonic map is 1 -> 1.5 on 2 pairs, 1 -> 2 on 1 pair once a is forgotten (by hand).
TEST(AlignCli, ForgetRefitsCalibration) {
  judge::test::FakeLlmServer server;
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 1, "rationale": "A"})"}});
  const fs::path dir = two_notebooks("judge_forget_calib_");
  const std::string d = "'" + dir.string() + "'";
  auto r = judge::test::run_command(
      "env OPENAI_BASE_URL=" + server.openai_base_url() + " OPENAI_API_KEY=test " +
      std::string(JUDGE_BINARY) + " align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " +
      d + "/mem --judge openai:model-a --cache-mode off --calibration isotonic-median 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto calibration = [&] {
    return nlohmann::json::parse(judge::util::read_file(dir / "mem/calibration.json"));
  };
  ASSERT_EQ(calibration()["dimensions"]["data_imputation"]["n"], 2) << calibration().dump();
  EXPECT_EQ(calibration()["dimensions"]["data_imputation"]["y"], nlohmann::json::array({1.5}));

  r = run_judge("memory forget " + d + "/mem --notebook a.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("calibration.json refitted (isotonic-median)"), std::string::npos) << r.out;
  const auto refitted = calibration();
  EXPECT_EQ(refitted["map"], "isotonic-median");
  EXPECT_EQ(refitted["dimensions"]["data_imputation"]["n"], 1) << refitted.dump();
  EXPECT_EQ(refitted["dimensions"]["data_imputation"]["x"], nlohmann::json::array({1.0}));
  EXPECT_EQ(refitted["dimensions"]["data_imputation"]["y"], nlohmann::json::array({2.0}));

  r = run_judge("memory forget " + d + "/mem --notebook b.ipynb 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("calibration.json removed"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "mem/calibration.json"));
  fs::remove_all(dir);
}

namespace {

// The JSON Lines records of judge eval output.
std::vector<nlohmann::json> records_of(const std::string& out) {
  std::vector<nlohmann::json> records;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) records.push_back(nlohmann::json::parse(line));
  return records;
}

}  // namespace

// judge eval --memory on notebooks that are in the memory: a notebook's own episodes (the same file content,
// whatever its name) are left out, the record says how many, and k others are retrieved; --own-episodes
// (setting own_episodes) lets them back for production use on labelled notebooks.
TEST(AlignCli, EvalLeavesOutANotebooksOwnEpisodes) {
  const fs::path dir = two_notebooks("judge_align_own_");
  fs::copy_file(dir / "nb/a.ipynb", dir / "copy_of_a.ipynb");  // the same bytes under another name
  const std::string d = "'" + dir.string() + "'";
  const auto aligned =
      run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem 2>&1");
  ASSERT_EQ(aligned.exit_code, 0) << aligned.out;
  // model_training has one label (b.ipynb): its blend weight is not learnt, and align says why.
  EXPECT_NE(aligned.out.find("memory blend learnt no weight for 1 dimension(s)"), std::string::npos)
      << aligned.out;
  EXPECT_NE(aligned.out.find("\n  model_training: 1 episode, at least 2 needed\n"), std::string::npos)
      << aligned.out;
  // The summary's line of blend weights names only dimensions whose weight is not 0: never model_training.
  const auto line_at = aligned.out.find("\nepisodic blend weights: ");
  ASSERT_NE(line_at, std::string::npos) << aligned.out;
  const std::string line = aligned.out.substr(line_at + 1, aligned.out.find('\n', line_at + 1) - line_at - 1);
  EXPECT_EQ(line.find("model_training"), std::string::npos) << line;
  EXPECT_TRUE(line.ends_with("(memory.json blend_weights; judge memory show says why a weight is 0)"))
      << line;
  const auto weights =
      nlohmann::json::parse(judge::util::read_file(dir / "mem/memory.json"))["blend_weights"];
  EXPECT_EQ(weights["model_training"],
            nlohmann::json({{"score", 0.0}, {"na", 0.0}, {"unlearnt", "1 episode, at least 2 needed"}}))
      << weights.dump();
  const std::string eval = "eval --format jsonl --dimensions data_imputation -k 1 --memory " + d + "/mem " +
                           d + "/nb/a.ipynb " + d + "/copy_of_a.ipynb";
  auto r = run_judge(eval);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto records = records_of(r.out);
  ASSERT_EQ(records.size(), 2u) << r.out;
  for (const auto& rec : records) {  // a's own label (human 1) is not shown; b's (the only other) is
    EXPECT_EQ(rec["episodes_left_out"], 1) << rec.dump();
    EXPECT_EQ(rec["episodes"], nlohmann::json::array({"b.ipynb#data_imputation"})) << rec.dump();
  }
  for (const std::string& own :
       {eval + " --own-episodes", "env JUDGE_OWN_EPISODES=true " + std::string(JUDGE_BINARY) + " " + eval}) {
    r = own.starts_with("env") ? judge::test::run_command(own) : run_judge(own);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    records = records_of(r.out);
    ASSERT_EQ(records.size(), 2u) << r.out;
    for (const auto& rec : records) {  // the most similar episode is a's own (the same excerpt)
      EXPECT_FALSE(rec.contains("episodes_left_out")) << rec.dump();
      EXPECT_EQ(rec["episodes"], nlohmann::json::array({"a.ipynb#data_imputation"})) << rec.dump();
    }
  }
  fs::remove_all(dir);
}

// Inside a .dbc archive the file hash is the archive's: a labelled member's own episode is left out, the
// archive's other notebooks keep it (they are other notebooks).
TEST(AlignCli, EvalLeavesOutTheOwnEpisodesOfAnArchiveMember) {
  JUDGE_REQUIRE_SHARED_DATA();
  const fs::path dir = two_notebooks("judge_align_own_dbc_");
  fs::copy_file(judge::test::shared_data() / "edge/mlflow_workshop_part3_small_archive.dbc",
                dir / "nb/w.dbc");
  const std::string member = "w.dbc!/MLflowWorkshopPart-3/classes_init.python";
  {
    std::ofstream out(dir / "labels.csv", std::ios::app);
    out << member << ",data_imputation,3,Checked by hand.,r1\n";
  }
  const std::string d = "'" + dir.string() + "'";
  ASSERT_EQ(run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem")
                .exit_code,
            0);
  const auto r = run_judge("eval --format jsonl --dimensions data_imputation -k 5 --memory " + d + "/mem " +
                           d + "/nb/w.dbc");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto records = records_of(r.out);
  ASSERT_EQ(records.size(), 2u) << r.out;
  for (const auto& rec : records) {
    const bool labelled = rec["notebook"].get<std::string>().ends_with(member.substr(5));
    EXPECT_EQ(rec["episodes_left_out"], labelled ? 1 : 0) << rec.dump();
    const bool shown = rec["episodes"].dump().find(member) != std::string::npos;
    EXPECT_EQ(shown, !labelled) << rec.dump();
  }
  fs::remove_all(dir);
}

// judge align asks an LLM judge only about the dimensions each notebook has labels on: a.ipynb 1, b.ipynb 2
// (two_notebooks' labels), so 3 calls, not 2 notebooks x 9 rubric dimensions = 18. Counted at the server.
TEST(AlignCli, AsksTheJudgeOnlyAboutLabelledDimensions) {
  judge::test::FakeLlmServer server;
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 2, "rationale": "A"})"}});
  const fs::path dir = two_notebooks("judge_align_labelled_dims_");
  const std::string d = "'" + dir.string() + "'";
  auto align = [&](const std::string& more) {
    return judge::test::run_command("env OPENAI_BASE_URL=" + server.openai_base_url() +
                                    " OPENAI_API_KEY=test " + std::string(JUDGE_BINARY) + " align --labels " +
                                    d + "/labels.csv --notebooks " + d +
                                    "/nb --judge openai:model-a --cache-mode off " + more + " 2>&1");
  };
  auto r = align("--memory " + d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 3) << r.out;
  std::multiset<std::string> asked;  // (notebook code, dimension) of each request, from its prompt
  const std::vector<std::string> dims{"data_imputation", "model_training", "library_installation",
                                      "model_use"};
  for (const auto& request : server.log()) {
    const std::string body = request["body"].dump();
    const std::string nb = body.find("x.csv") != std::string::npos ? "a" : "b";  // a reads x.csv
    for (const auto& dim : dims)
      if (body.find("Dimension " + dim + ":") != std::string::npos) asked.insert(nb + ":" + dim);
  }
  EXPECT_EQ(asked,
            (std::multiset<std::string>{"a:data_imputation", "b:data_imputation", "b:model_training"}));
  // One call per notebook with --batch-dimensions: 2 calls, b's asking about both its dimensions at once.
  server.reset();
  server.script({{{"match", "Dimension model_training:"},
                  {"content", R"({"scores": {"data_imputation": {"score": 2, "rationale": "A"},
                                             "model_training": {"score": "N/A", "rationale": "B"}}})"}}},
                {{"type", "reply"}, {"content", R"({"score": 2, "rationale": "A"})"}});
  r = align("--memory " + d + "/batched --batch-dimensions");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 2) << r.out;
  EXPECT_EQ(r.out.find("no usable score"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// Memory records the judge it was aligned for. Re-running align without a judge keeps it (no call: nothing
// changed); a judge given wins and re-judges every notebook. eval with another judge warns, naming both, and
// a calibration.json fitted for another judge is skipped with a warning unless --calibration-any-judge.
TEST(AlignCli, MemoryKeepsItsJudgeAndCalibrationIsForThatJudgeOnly) {
  judge::test::FakeLlmServer server;
  server.script(nlohmann::json::array(),
                {{"type", "reply"}, {"content", R"({"score": 1, "rationale": "A"})"}});
  const fs::path dir = two_notebooks("judge_align_keep_judge_");
  const std::string d = "'" + dir.string() + "'";
  const std::string env = "cd " + d + " && env -u JUDGE_JUDGE OPENAI_BASE_URL=" + server.openai_base_url() +
                          " OPENAI_API_KEY=test '" + std::string(JUDGE_BINARY) + "' ";
  const std::string align = env + "align --labels labels.csv --notebooks nb --memory mem --cache-mode off ";
  auto r = judge::test::run_command(align + "--judge openai:model-a --calibrate 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(server.request_count(), 3);
  auto judge_of = [&] {
    return nlohmann::json::parse(judge::util::read_file(dir / "mem/memory.json"))["judge"];
  };
  EXPECT_EQ(judge_of(), "openai:model-a");

  r = judge::test::run_command(align + "2>&1");  // no --judge: the memory's judge, nothing to judge again
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("0 notebooks judged by openai:model-a"), std::string::npos) << r.out;
  EXPECT_EQ(judge_of(), "openai:model-a");
  EXPECT_EQ(server.request_count(), 3);

  // eval with the heuristic judge (the default): both warnings, no calibrated record.
  const std::string eval = env + "eval --format jsonl --dimensions data_imputation --memory mem nb/a.ipynb";
  r = judge::test::run_command(eval + " 2>err.txt");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto err = judge::util::read_file(dir / "err.txt");
  EXPECT_NE(
      err.find("warning: memory mem was aligned for judge openai:model-a, but this run uses judge heuristic"),
      std::string::npos)
      << err;
  EXPECT_NE(err.find("mem/calibration.json maps judge openai:model-a's scores, but this run uses judge "
                     "heuristic; calibration skipped (--calibration-any-judge applies it anyway)"),
            std::string::npos)
      << err;
  EXPECT_FALSE(records_of(r.out).at(0).contains("calibrated")) << r.out;
  r = judge::test::run_command(eval + " --calibration-any-judge 2>err.txt");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(judge::util::read_file(dir / "err.txt").find("applied anyway (--calibration-any-judge)"),
            std::string::npos);
  // The fake judge scored both notebooks 1 (a: human 1, b: human 2): the map has one knot, 1 -> 1.5, and is
  // clamped outside it, so the rules' 2 for a.ipynb becomes 1.5.
  EXPECT_EQ(records_of(r.out).at(0)["calibrated"]["raw"], 2.0) << r.out;
  EXPECT_EQ(records_of(r.out).at(0)["score"], 1.5) << r.out;
  // The memory's own judge: neither warning, calibration applied. (a.ipynb is labelled in the memory, so the
  // in-sample warning stays.)
  r = judge::test::run_command(eval + " --judge openai:model-a 2>err.txt");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  err = judge::util::read_file(dir / "err.txt");
  EXPECT_EQ(err.find("was aligned for judge"), std::string::npos) << err;
  EXPECT_EQ(err.find("calibration skipped"), std::string::npos) << err;
  EXPECT_NE(err.find("1 of the 1 notebooks judged are labelled in memory mem"), std::string::npos) << err;
  EXPECT_TRUE(records_of(r.out).at(0).contains("calibrated")) << r.out;

  // A judge given explicitly wins and every notebook is judged again.
  r = judge::test::run_command(align + "--judge heuristic 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("2 notebooks judged by heuristic"), std::string::npos) << r.out;
  EXPECT_EQ(judge_of(), "heuristic");
  fs::remove_all(dir);
}

TEST(AlignCli, EvalRefusesRulesOffTheScaleAndWarnsOfUnknownFacts) {
  const fs::path dir = two_notebooks("judge_rule_check_");
  const std::string d = "'" + dir.string() + "'";
  ASSERT_EQ(run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem")
                .exit_code,
            0);
  const std::string eval =
      "eval --format jsonl --memory " + d + "/mem --dimensions data_imputation " + d + "/nb/a.ipynb 2>&1";
  auto rules = [&](const std::string& text) {
    judge::util::write_file_atomic(dir / "mem/guidelines.yaml",
                                   "schema_version: 1\nguidelines:\n  data_imputation:\n    - text: " + text +
                                       "\n      source: manual\n");
  };
  // The rule's text is on line 4 of the file written; eval and memory show name that line.
  const std::string file = dir.string() + "/mem/guidelines.yaml:4: ";
  const std::string show = "memory show " + d + "/mem 2>&1 >/dev/null";
  rules("when always -> score 7");  // a 7 on the 1-3 scale: refused before anything is judged
  auto r = run_judge(eval);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(
      r.out.find("\n  " + file +
                 "data_imputation: `when always -> score 7` gives a score off the rubric's scale (1 to 3)"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("\"status\""), std::string::npos) << r.out;
  r = run_judge(show);  // memory show says the same, and still shows the memory
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            "judge: warning: " + file +
                "data_imputation: `when always -> score 7` gives a score off the rubric's scale (1 to 3); "
                "judge eval refuses the memory until it is fixed\n");
  rules("when imputaton_cells >= 1 -> score 3");  // a typo: the rule never applies, and eval says so
  r = run_judge(eval);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::string typo = "judge: warning: " + file +
                           "data_imputation: `when imputaton_cells >= 1 -> score 3` tests `imputaton_cells`, "
                           "which is not a fact (docs/facts.md), so the rule never applies; did you mean "
                           "`imputation_cells`?\n";
  EXPECT_NE(r.out.find(typo), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("learnt_rule"), std::string::npos) << r.out;
  r = run_judge(show);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, typo);
  fs::remove_all(dir);
}

// A rule a person edited to give a score off the 1-3 scale: judge align refuses the memory as judge eval does
// (exit 1, the file, the rule's line and what to do), before judging or saving anything, where it used to
// keep the rule and fit the blend weights through it.
TEST(AlignCli, AlignRefusesARuleOffTheScaleBeforeAnyWork) {
  const fs::path dir = two_notebooks("judge_align_rule_scale_");
  const std::string d = "'" + dir.string() + "'";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem 2>&1";
  ASSERT_EQ(run_judge(align).exit_code, 0);
  const std::string file = dir.string() + "/mem/guidelines.yaml";
  auto rules = [&](const std::string& texts) {
    judge::util::write_file_atomic(dir / "mem/guidelines.yaml",
                                   "schema_version: 1\nguidelines:\n  data_imputation:\n" + texts);
  };
  // One rule, on line 4: the singular wording.
  rules("    - text: when always -> score at most 7\n      source: manual\n");
  const std::string memory_before = judge::util::read_file(dir / "mem/memory.json");
  auto r = run_judge(align);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out,
            "judge: error: memory " + dir.string() +
                "/mem has 1 rule whose action rubric ml-notebook cannot give; change the action to one "
                "it can give, or delete the rule, in " +
                file + ", then run again:\n  " + file +
                ":4: data_imputation: `when always -> score at most 7` gives a score off the rubric's "
                "scale (1 to 3)\n")
      << r.out;
  // Nothing judged or saved: the memory and the edited rule are as they were.
  EXPECT_EQ(judge::util::read_file(dir / "mem/memory.json"), memory_before);
  EXPECT_NE(judge::util::read_file(dir / "mem/guidelines.yaml").find("score at most 7"), std::string::npos);
  // Two rules (lines 4 and 6): the plural wording, and eval refuses the memory with the same words.
  rules(
      "    - text: when always -> score 5\n      source: manual\n"
      "    - text: when imputation_cells >= 1 -> score at least 0\n      source: learnt\n");
  const std::string two =
      "judge: error: memory " + dir.string() +
      "/mem has 2 rules whose actions rubric ml-notebook cannot give; change the actions to ones it can "
      "give, or delete the rules, in " +
      file + ", then run again:\n  " + file +
      ":4: data_imputation: `when always -> score 5` gives a score off the rubric's scale (1 to 3)\n  " +
      file +
      ":6: data_imputation: `when imputation_cells >= 1 -> score at least 0` gives a score off the rubric's "
      "scale (1 to 3)\n";
  r = run_judge(align);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, two);
  EXPECT_EQ(judge::util::read_file(dir / "mem/memory.json"), memory_before);
  r = run_judge("eval --memory " + d + "/mem " + d + "/nb/a.ipynb 2>&1 >/dev/null");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, two);
  // Back on the scale, align runs.
  rules("    - text: when always -> score at most 3\n      source: manual\n");
  EXPECT_EQ(run_judge(align).exit_code, 0);
  fs::remove_all(dir);
}

// A manual rule testing a misspelt fact: align keeps it, and says so after saving the memory, with the
// rule's line in the guidelines.yaml it wrote and the fact it probably meant (one letter away).
TEST(AlignCli, AlignWarnsOfAManualRuleOnAMisspeltFact) {
  const fs::path dir = two_notebooks("judge_align_rule_typo_");
  const std::string d = "'" + dir.string() + "'";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem 2>&1 >/dev/null";
  auto r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("not a fact"), std::string::npos) << r.out;
  judge::util::write_file_atomic(dir / "mem/guidelines.yaml",
                                 "schema_version: 1\nguidelines:\n  data_imputation:\n    - text: when "
                                 "missing_value_check -> score 3\n      source: manual\n");
  r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The rule's line in the file align saved, read off that file.
  const std::string saved = judge::util::read_file(dir / "mem/guidelines.yaml");
  const auto at = saved.find("when missing_value_check -> score 3");
  ASSERT_NE(at, std::string::npos) << saved;
  const auto line = 1 + std::count(saved.begin(), saved.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  EXPECT_NE(r.out.find("judge: warning: " + dir.string() + "/mem/guidelines.yaml:" + std::to_string(line) +
                       ": data_imputation: `when missing_value_check -> score 3` tests "
                       "`missing_value_check`, which is not a fact (docs/facts.md), so the rule never "
                       "applies; did you mean `missing_value_checks`?\n"),
            std::string::npos)
      << r.out;
  fs::remove_all(dir);
}

// memory show lists the blend weights of every dimension with a weight or an episode, in rubric order, with
// why align could not learn one: model_training has one episode (b.ipynb, N/A), too few.
TEST(AlignCli, MemoryShowListsTheBlendWeights) {
  const fs::path dir = aligned_two_notebooks("judge_show_weights_");
  const std::string d = "'" + dir.string() + "'";
  const std::string heading =
      "\nblend weights (2): how far the heuristic judge follows its nearest episodes; score: the share of "
      "their correction of the score it applies, N/A: 1 when they may overturn its N/A call; 0: memory "
      "leaves "
      "the judge's verdict alone\n";
  auto r = run_judge("memory show " + d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(heading), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  model_training: score 0, N/A 0 (not learnt: 1 episode, at least 2 needed)\n"),
            std::string::npos)
      << r.out;
  // Weights edited by hand in memory.json: shown as they are; a dimension with episodes and no entry has 0.
  auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "mem/memory.json"));
  manifest["blend_weights"] = {{"data_imputation", {{"score", 0.5}, {"na", 1}}},
                               {"model_use", {{"score", 0}, {"na", 0}}}};
  judge::util::write_file_atomic(dir / "mem/memory.json", manifest.dump(2));
  r = run_judge("memory show " + d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto at = r.out.find("\nblend weights (3)");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_EQ(
      r.out.substr(at, r.out.find("\n\nepisodes") - at),
      "\nblend weights (3): how far the heuristic judge follows its nearest episodes; score: the share of "
      "their correction of the score it applies, N/A: 1 when they may overturn its N/A call; 0: memory "
      "leaves the judge's verdict alone\n"
      "  data_imputation: score 0.5, N/A 1\n"
      "  model_training: score 0, N/A 0 (none recorded: memory leaves the verdict alone until judge align "
      "learns one)\n"
      "  model_use: score 0, N/A 0 (memory leaves the verdict alone: following it did not beat the judge's "
      "own verdicts at alignment)");
  fs::remove_all(dir);
}

// memory show says which guidelines the offline judge applies: of a hand-written file of three guidelines,
// the one rule (`when ... ->`); the two texts are what an LLM judge's prompt gets (scoring::memory_section
// leaves rules out).
TEST(AlignCli, MemoryShowSaysWhichGuidelinesTheHeuristicApplies) {
  const fs::path dir = two_notebooks("judge_show_rules_");
  const std::string d = "'" + dir.string() + "'";
  ASSERT_EQ(run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                      "/mem 2>/dev/null")
                .exit_code,
            0);
  judge::util::write_file_atomic(
      dir / "mem/guidelines.yaml",
      "schema_version: 1\nguidelines:\n  data_imputation:\n"
      "    - text: Check for missing values before training.\n      source: manual\n"
      "    - text: when trains_model -> score at most 2\n      source: manual\n"
      "  model_training:\n"
      "    - text: Set a seed.\n      source: manual\n");
  const auto r = run_judge("memory show " + d + "/mem");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("\nguidelines (3; the heuristic judge applies the 1 rule (when ... ->), an LLM judge's "
                 "prompt gets the other 2):\n"),
      std::string::npos)
      << r.out;
  fs::remove_all(dir);
}

// memory show says which count on a guideline's line is which: the labels the guideline cites come labelled
// as such in its brackets, apart from the counts its text states (an extractive guideline's "(2 labels)":
// those whose feedback says the phrase). Here one cites 3 labels, one 1 (singular), a manual one none.
TEST(AlignCli, MemoryShowLabelsTheCitedCountApartFromTheTexts) {
  const judge::test::TempDir dir("judge_show_cites");
  library_memory({"e1.ipynb", "e2.ipynb", "e3.ipynb"}, {}).save(dir / "mem");
  const std::string li = "library_installation";
  judge::util::write_file_atomic(
      dir / "mem/guidelines.yaml",
      "schema_version: 1\nguidelines:\n  " + li +
          ":\n"
          "    - text: 'Score 1 (bad): feedback often says \"no install\" (2 labels)'\n"
          "      source: extractive\n"
          "      cites: [e1.ipynb#" +
          li + "#r1, e2.ipynb#" + li + "#r1, e3.ipynb#" + li +
          "#r1]\n"
          "    - text: Pin every version.\n      source: extractive\n      cites: [e1.ipynb#" +
          li +
          "#r1]\n"
          "    - text: Install from a requirements file.\n      source: manual\n");
  const auto r = run_judge("memory show '" + (dir / "mem").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("\n  " + li +
                 ":\n"
                 "    - [extractive, cites 3 labels] Score 1 (bad): feedback often says \"no install\" (2 "
                 "labels)\n"
                 "    - [extractive, cites 1 label] Pin every version.\n"
                 "    - [manual, cites 0 labels] Install from a requirements file.\n"),
      std::string::npos)
      << r.out;
}

// A labelled notebook that cannot be read (a stray comma: column 16, counted by hand): align saves the memory
// from the others but exits 4, as judge eval does for an unreadable notebook, so a CI job notices; validate
// leaves it out of every condition and exits 4 too. A failed gate still wins (3).
TEST(AlignCli, AnUnreadableLabelledNotebookExitsFour) {
  const fs::path dir = two_notebooks("judge_align_unreadable_");
  judge::util::write_file_atomic(dir / "nb/a.ipynb", "{\"nbformat\": 4,, \"cells\": []}");
  judge::util::write_file_atomic(dir / "nb/c.ipynb", ipynb("df = pd.read_csv('z.csv').fillna(0)"));
  judge::util::write_file_atomic(dir / "labels.csv",
                                 "notebook,dimension,score,feedback,rater\n"
                                 "a.ipynb,data_imputation,1,x,r1\nb.ipynb,data_imputation,2,y,r1\n"
                                 "c.ipynb,data_imputation,1,z,r1\n");
  const std::string d = "'" + dir.string() + "'";
  auto r =
      run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem 2>&1");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("not valid JSON at line 1, column 16"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("judge: 1 labelled notebook(s) could not be read"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir / "mem/memory.json"));
  const std::string validate =
      "validate --labels " + d + "/labels.csv --notebooks " + d + "/nb --folds 2 --bootstrap 10";
  r = run_judge(validate + " 2>&1");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("are left out of every condition"), std::string::npos) << r.out;
  EXPECT_EQ(run_judge(validate + " --fail-if 'mae>-1' >/dev/null 2>&1").exit_code, 3);
  fs::remove_all(dir);
}

// A labelled notebook not under --notebooks: one error line for it naming its labels' lines, and a last line
// naming --skip-missing-notebooks (exit 1, memory as it was); with the flag, one warning and memory keeps
// the episodes it had of that notebook. b.ipynb (labels on lines 3-4) is moved away after a first align.
TEST(AlignCli, ANotebookNotFoundIsOneLineAndCanBeSkippedKeepingItsEpisodes) {
  const fs::path dir = two_notebooks("judge_align_missing_");
  const std::string d = "'" + dir.string() + "'", labels = dir.string() + "/labels.csv";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d + "/mem";
  auto r = run_judge(align + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  fs::rename(dir / "nb/b.ipynb", dir / "b.ipynb");
  const std::string episodes = judge::util::read_file(dir / "mem/episodes.jsonl");
  r = run_judge(align + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, "judge: error: 2 problems in labels " + labels + ":\n  " + labels +
                       ":3-4: notebook not found: " + dir.string() + "/nb/b.ipynb (2 labels)\n  " + labels +
                       ": 1 of 2 labelled notebooks not found under " + dir.string() +
                       "/nb (2 labels): check --notebooks, or give --skip-missing-notebooks to go on without "
                       "them\n");
  EXPECT_EQ(judge::util::read_file(dir / "mem/episodes.jsonl"), episodes);

  r = run_judge(align + " --skip-missing-notebooks 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: --skip-missing-notebooks: left out 1 of 2 labelled notebooks, not "
                 "found under " +
                 dir.string() + "/nb (2 labels): b.ipynb; memory keeps the 2 episodes it had of them\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("memory " + dir.string() + "/mem: 3 episodes (0 added, 0 changed, 1 unchanged, 0 removed)"),
      std::string::npos)
      << r.out;
  r = run_judge("memory show " + d + "/mem");
  EXPECT_NE(r.out.find("b.ipynb#data_imputation"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("b.ipynb#model_training"), std::string::npos) << r.out;
  // A new memory has nothing of b to keep: the warning says so.
  r = run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                "/fresh --skip-missing-notebooks 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("b.ipynb; memory keeps no episode of them (it had none)\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("/fresh: 1 episode (1 added,"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// None of the labelled notebooks under --notebooks (here the folder above them): one line instead of one per
// notebook, with the path tried for the first and the folder that holds it; --skip-missing-notebooks cannot
// go on without all of them.
TEST(AlignCli, NoLabelledNotebookFoundIsOneLine) {
  const fs::path dir = two_notebooks("judge_align_none_found_");
  const std::string d = "'" + dir.string() + "'", labels = dir.string() + "/labels.csv";
  const std::string expected = "judge: error: 1 problem in labels " + labels + ":\n  " + labels +
                               ": none of the 2 labelled notebooks was found under " + dir.string() +
                               ": line 2 names a.ipynb, looked for as " + dir.string() +
                               "/a.ipynb (it is in " + dir.string() +
                               "/nb: is that the notebooks folder?). Check --notebooks: the "
                               "notebook paths in the labels file are relative to it\n";
  const std::string align =
      "align --labels " + d + "/labels.csv --notebooks " + d + " --memory " + d + "/mem";
  auto r = run_judge(align + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, expected);
  r = run_judge(align + " --skip-missing-notebooks 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, expected);
  EXPECT_FALSE(fs::exists(dir / "mem"));
  r = run_judge("validate --labels " + d + "/labels.csv --notebooks " + d + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, expected);
  fs::remove_all(dir);
}

// eval --memory on notebooks the memory holds labels of warns that the figure is in-sample (the learnt rules
// and blend weights were fitted on those labels; leaving out their own episodes does not make it held out),
// counting them; on a notebook outside the labels it is silent.
TEST(AlignCli, EvalOnLabelledNotebooksWarnsThatItIsInSample) {
  const fs::path dir = two_notebooks("judge_align_in_sample_");
  judge::util::write_file_atomic(dir / "other/c.ipynb", ipynb("df = pd.read_csv('z.csv').fillna(0)"));
  const std::string d = "'" + dir.string() + "'";
  ASSERT_EQ(run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                      "/mem >/dev/null 2>&1")
                .exit_code,
            0);
  auto r =
      run_judge("eval --format jsonl --memory " + d + "/mem " + d + "/nb " + d + "/other 2>&1 >/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("judge: warning: 2 of the 3 notebooks judged are labelled in memory"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("in-sample and optimistic"), std::string::npos) << r.out;
  // The records say it too: a's and b's 9 dimensions each (18 of 27), not c's; judge report, reading them
  // later, warns with the count.
  r = run_judge("eval --format jsonl --memory " + d + "/mem " + d + "/nb " + d + "/other 2>/dev/null > " + d +
                "/scores.jsonl");
  ASSERT_EQ(r.exit_code, 0);
  std::map<std::string, int> marked;
  const std::string scores = judge::util::read_file(dir / "scores.jsonl");
  for (const auto& line : judge::util::split_lines(scores)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    const std::string nb = fs::path(j["notebook"].get<std::string>()).filename().string();
    marked[nb] += j.value("labelled_in_memory", false) ? 1 : 0;
  }
  EXPECT_EQ(marked, (std::map<std::string, int>{{"a.ipynb", 9}, {"b.ipynb", 9}, {"c.ipynb", 0}}));
  r = run_judge("report --labels " + d + "/labels.csv --scores " + d +
                "/scores.jsonl --bootstrap 10 2>&1 >/dev/null");
  EXPECT_NE(
      r.out.find("judge: warning: judge heuristic+memory: 18 of its 27 records were judged with a memory "
                 "that holds the notebook's own labels (labelled_in_memory)"),
      std::string::npos)
      << r.out;
  // The saved report says it too (the judge's heading; JSON's labelled_in_memory), and a gate can refuse it:
  // 18 records in-sample, exit 3.
  r = run_judge("report --labels " + d + "/labels.csv --scores " + d +
                "/scores.jsonl --bootstrap 10 --format markdown 2>/dev/null");
  EXPECT_NE(
      r.out.find(", 18 records judged with a memory holding the notebook's own labels (labelled_in_memory: "
                 "in-sample, optimistic)"),
      std::string::npos)
      << r.out;
  r = run_judge("report --labels " + d + "/labels.csv --scores " + d +
                "/scores.jsonl --bootstrap 10 --format json --fail-if 'labelled_in_memory>0' 2>/dev/null");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["judges"][0]["labelled_in_memory"], 18) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["judges"][0]["dimensions"][0]["labelled_in_memory"], 2) << r.out;
  // CSV says it in a column of its own (written with a memory only), and report reads it.
  r = run_judge("eval --format csv --memory " + d + "/mem " + d + "/nb " + d + "/other 2>/dev/null > " + d +
                "/scores.csv");
  ASSERT_EQ(r.exit_code, 0);
  const std::string csv = judge::util::read_file(dir / "scores.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "notebook,dimension,status,score,rationale,judge,labelled_in_memory");
  std::size_t trues = 0, falses = 0;
  for (const auto& line : judge::util::split_lines(csv)) {
    trues += line.ends_with(",true");
    falses += line.ends_with(",false");
  }
  EXPECT_EQ(trues, 18u);
  EXPECT_EQ(falses, 9u);
  r = run_judge("report --labels " + d + "/labels.csv --scores " + d +
                "/scores.csv --bootstrap 10 2>&1 >/dev/null");
  EXPECT_NE(
      r.out.find("judge: warning: judge heuristic+memory: 18 of its 27 records were judged with a memory "
                 "that holds the notebook's own labels (labelled_in_memory)"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(run_judge("eval --format csv " + d + "/other 2>/dev/null").out.find("labelled_in_memory"),
            std::string::npos);
  r = run_judge("eval --format jsonl --memory " + d + "/mem " + d + "/other 2>&1 >/dev/null");
  EXPECT_EQ(r.out.find("labelled in memory"), std::string::npos) << r.out;
  r = run_judge("eval --format jsonl --memory " + d + "/mem " + d + "/other 2>/dev/null");
  EXPECT_EQ(r.out.find("labelled_in_memory"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// eval --memory without --name names its records' judge "heuristic+memory" (the spec and "+memory"), so the
// run without memory ("heuristic") and the run with it are two judges for judge report --compare, with the
// default names alone (the same name in both files was an error: the same item twice); --name still wins.
TEST(AlignCli, EvalWithMemoryIsNamedSpecPlusMemoryUnlessNamed) {
  const judge::test::TempDir dir("judge_eval_memory_name");
  judge::util::write_file_atomic(dir / "nb/a.ipynb", ipynb("df = pd.read_csv('x.csv').fillna(0)"));
  judge::util::write_file_atomic(dir / "nb/b.ipynb", ipynb("df = pd.read_csv('y.csv').dropna()"));
  write_labels(dir / "labels.csv", "A blanket fillna hides gaps.");
  const std::string d = "'" + dir.str() + "'";
  ASSERT_EQ(run_judge("align --labels " + d + "/labels.csv --notebooks " + d + "/nb --memory " + d +
                      "/mem >/dev/null 2>&1")
                .exit_code,
            0);
  const auto judges = [](const std::string& jsonl) {
    std::set<std::string> names;
    for (const auto& line : judge::util::split_lines(jsonl))
      if (!line.empty()) names.insert(nlohmann::json::parse(line)["judge"].get<std::string>());
    return names;
  };
  const std::string eval = "eval --format jsonl --dimensions data_imputation " + d + "/nb ";
  auto r = run_judge(eval + "2>/dev/null | tee " + d + "/plain.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(judges(r.out), std::set<std::string>{"heuristic"}) << r.out;
  r = run_judge(eval + "--memory " + d + "/mem 2>/dev/null | tee " + d + "/aligned.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(judges(r.out), std::set<std::string>{"heuristic+memory"}) << r.out;
  r = run_judge(eval + "--memory " + d + "/mem --name mine 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(judges(r.out), std::set<std::string>{"mine"}) << r.out;
  // The report compares the two: heuristic+memory's comparison is with heuristic, whose MAE (the report of
  // plain.jsonl alone) it reads.
  r = run_judge("report --labels " + d + "/labels.csv --scores " + d + "/plain.jsonl --scores " + d +
                "/aligned.jsonl --judge heuristic+memory --compare heuristic --bootstrap 10 --format json "
                "--fail-if 'mae_change>5' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["judges"].size(), 1u) << r.out;
  EXPECT_EQ(j["judges"][0]["judge"], "heuristic+memory") << r.out;
  EXPECT_EQ(j["judges"][0]["compare"]["judge"], "heuristic") << r.out;
  r = run_judge("report --labels " + d + "/labels.csv --scores " + d +
                "/plain.jsonl --bootstrap 10 --format json 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto plain = nlohmann::json::parse(r.out)["judges"][0];
  EXPECT_EQ(plain["judge"], "heuristic") << r.out;
  EXPECT_EQ(j["judges"][0]["dimensions"][0]["compare"]["other_mae"], plain["dimensions"][0]["mae"]) << r.out;
}

// A learnt rule edited by hand in guidelines.yaml (a test added to it), then judge align again on the same
// labels: memory show marks the edit before; align keeps it as a manual rule and says so on stderr, naming
// its line in the file it writes; the rule learnt again is the one edited, so it is left out (and no longer
// warned of), and memory show lists it.
TEST(AlignCli, AlignKeepsALearntRuleEditedByHand) {
  JUDGE_REQUIRE_SHARED_DATA();
  const fs::path dir = fs::temp_directory_path() / ("judge_align_hand_edit_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto data = judge::test::shared_data();
  const std::string align = "align --labels '" + (data / "labels/ml-notebooks-house.csv").string() +
                            "' --notebooks '" + (data / "notebooks").string() + "' --memory '" +
                            dir.string() + "' --raters house";
  const auto first = run_judge(align + " 2>&1 >/dev/null");
  ASSERT_EQ(first.exit_code, 0) << first.out;
  // On the house labels some learnt rules rest on few labels: a refit without one of them does not learn
  // the rule, which align warns of (align::rule_stability; hand-worked in learn_rules_test). The test edits
  // the first of them in the file.
  const auto fragile = [](const std::string& out) {  // each warning's rule, on the line after its first
    const std::string head = ": a learnt rule rests on few labels:\n  ";
    std::vector<std::string> rules;
    for (std::size_t at = 0; (at = out.find(head, at)) != std::string::npos;) {
      at += head.size();
      rules.push_back(out.substr(at, out.find('\n', at) - at));
    }
    return rules;
  };
  const auto warned = fragile(first.out);
  ASSERT_FALSE(warned.empty()) << first.out;
  // The first learnt rule of the file that align warned of, "when TESTS -> ACTION (N of M labels)", gets one
  // more test.
  std::string file = judge::util::read_file(dir / "guidelines.yaml");
  std::size_t text = std::string::npos;
  for (auto source = file.find("source: learnt"); source != std::string::npos && text == std::string::npos;
       source = file.find("source: learnt", source + 1)) {
    const auto at = file.rfind("- text: ", source) + 8;
    const std::string line = file.substr(at, file.find('\n', at) - at);
    if (std::find(warned.begin(), warned.end(), line.substr(0, line.rfind(" ("))) != warned.end()) text = at;
  }
  ASSERT_NE(text, std::string::npos) << file;
  const std::string rule = file.substr(text, file.find('\n', text) - text);
  const std::string dimension = [&] {
    const auto m = judge::memory::Memory::load(dir);
    for (const auto& g : m.all_guidelines())
      if (g.text == rule) return g.dimension;
    return std::string();
  }();
  ASSERT_FALSE(dimension.empty()) << rule;
  const auto arrow = rule.find(" -> ");
  const std::string edited = rule.substr(0, arrow) + ", not databricks" + rule.substr(arrow);
  const std::string bare = rule.substr(0, rule.rfind(" ("));  // the rule without its comment
  for (const auto& w : warned) EXPECT_NE(file.find("- text: " + w + " ("), std::string::npos) << w;
  file.replace(text, rule.size(), edited);
  judge::util::write_file_atomic(dir / "guidelines.yaml", file);

  auto r = run_judge("memory show '" + dir.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(
                "- [learnt (edited by hand since judge align wrote it: the next align keeps it as manual), "),
            std::string::npos)
      << r.out;

  r = run_judge(align + " 2>&1 >/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The line of the kept rule in the file align wrote, read off the file.
  std::istringstream in(judge::util::read_file(dir / "guidelines.yaml"));
  int line = 0;
  std::string l;
  for (int n = 1; std::getline(in, l); ++n)
    if (l.find("text: " + edited) != std::string::npos) line = n;
  ASSERT_GT(line, 0);
  EXPECT_NE(
      r.out.find("judge: warning: " + dir.string() + "/guidelines.yaml:" + std::to_string(line) + ": " +
                 dimension + ": the learnt rule `" + rule +
                 "` was edited by hand since judge align wrote it; it is kept as edited, as a manual rule "
                 "(source: manual); align learnt it again (`" +
                 bare + "`) and left it out; "),
      std::string::npos)
      << r.out;
  EXPECT_EQ(judge::util::read_file(dir / "guidelines.yaml").find("text: " + rule), std::string::npos);
  // The rule left out is not in the file: no warning says it rests on few labels.
  const auto warned_again = fragile(r.out);
  EXPECT_EQ(std::find(warned_again.begin(), warned_again.end(), bare), warned_again.end()) << r.out;
  r = run_judge("memory show '" + dir.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("[manual, "), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("\nlearnt rules left out (1): judge align does not write them back, as a person edited or "
                 "deleted the learnt rule it had written; to have one back, write it in guidelines.yaml "
                 "with source: manual, or remove it from memory.json's learnt_rules\n  " +
                 dimension + ": " + bare + "\n"),
      std::string::npos)
      << r.out;
  fs::remove_all(dir);
}

// align warns that the house labels' data_imputation rule for trained notebooks that check for missing values
// and fill nothing before the split rests on few labels. A person who keeps it by writing it with source:
// manual, as the warning advises, is not warned again about the rule align learns again beside it.
TEST(AlignCli, ARuleAPersonKeptIsNotWarnedAboutAgain) {
  JUDGE_REQUIRE_SHARED_DATA();
  const fs::path dir = fs::temp_directory_path() / ("judge_align_kept_rule_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto data = judge::test::shared_data();
  const std::string align = "align --labels '" + (data / "labels/ml-notebooks-house.csv").string() +
                            "' --notebooks '" + (data / "notebooks").string() + "' --memory '" +
                            dir.string() + "' --raters house 2>&1 >/dev/null";
  const std::string rule =
      "when trains_model, missing_check_before_training, not imputation_before_split -> score 3";
  const std::string warned =
      "judge: warning: data_imputation: a learnt rule rests on few labels:\n  " + rule + "\n";
  auto r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_NE(r.out.find(warned), std::string::npos) << r.out;
  // Its warnings (stderr) fit 120 columns: the rule on a line of its own, the why wrapped below it.
  for (const auto& line : judge::util::split_lines(r.out)) {
    EXPECT_LE(line.size(), 120u) << line;
  }
  // memory show says it too, under the rule: five labelled notebooks train a model, check for missing values
  // before training and fill nothing before the split (three labelled 3), and a refit without one of five
  // labels does not learn it; the other 35 of the 40 refits do. Of five names, three are shown.
  const std::string show = "memory show '" + dir.string() + "' 2>/dev/null";
  const std::string rule_line = rule +
                                " (3 of 5 labels)\n      support: "
                                "3 of 5 labels, as the text says (recounted from the memory's episodes)\n";
  r = run_judge(show);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The line wraps within 120 columns, its further lines indented by 8: read here joined again.
  std::string joined;  // copied piece by piece (GCC 12 at -O3 warns falsely of string::replace in a loop)
  for (std::size_t from = 0;;) {
    const auto at = r.out.find("\n        ", from);
    joined.append(r.out, from, at == std::string::npos ? std::string::npos : at - from);
    if (at == std::string::npos) break;
    joined += ' ';
    from = at + 9;
  }
  for (const auto& line : judge::util::split_lines(r.out)) {
    if (line.find("rests on few labels") != std::string::npos || judge::util::starts_with(line, "        ")) {
      EXPECT_LE(line.size(), 120u) << line;
    }
  }
  EXPECT_NE(
      joined.find(rule_line +
                  "      rests on few labels: judge align does not learn it without the label of any one "
                  "of databricks/mlflow_recipes_classification_runner.py, "
                  "databricks/taxi_fares_orchestrator_train_widgets.py, "
                  "ipynb/german_credit_risk_sparkml_deploy_with_outputs.ipynb and 2 more (learnt again in "
                  "35 of 40 refits, each leaving one labelled notebook out"),
      std::string::npos)
      << r.out;
  // align recorded it (memory.json learnt_rules), so show does not fit again.
  const auto manifest = nlohmann::json::parse(judge::util::read_file(dir / "memory.json"));
  EXPECT_TRUE(manifest["learnt_rules"]["data_imputation"]["rests_on_few_labels"].contains(rule))
      << manifest["learnt_rules"].dump();
  // A copy whose rule a person edited, if only its comment: a person's rule now (align keeps it as manual
  // and does not warn of it), so show says nothing of its labels either.
  const fs::path copy = dir.string() + "_copy";
  fs::remove_all(copy);
  fs::copy(dir, copy, fs::copy_options::recursive);
  std::string copied = judge::util::read_file(copy / "guidelines.yaml");
  const std::string written = rule + " (3 of 5 labels)";
  copied.replace(copied.find(written), written.size(), rule + " (checked by hand)");
  judge::util::write_file_atomic(copy / "guidelines.yaml", copied);
  r = run_judge("memory show '" + copy.string() + "' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto edited = r.out.find(rule + " (checked by hand)\n");
  ASSERT_NE(edited, std::string::npos) << r.out;
  const auto next_rule = r.out.find("\n    - ", edited);
  EXPECT_EQ(r.out.substr(edited, next_rule - edited).find("rests on few labels"), std::string::npos)
      << r.out.substr(edited, next_rule - edited);
  // forget refits the dimension's rules as align would, and records anew which rest on few labels: without
  // a trained notebook that never checks (labelled 1), the same five still decide the rule, in 34 of 39
  // refits.
  fs::remove_all(copy);
  fs::copy(dir, copy, fs::copy_options::recursive);
  r = run_judge("memory forget '" + copy.string() +
                "' --notebook ipynb/wine_classification_solution_with_outputs.ipynb");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string why = nlohmann::json::parse(judge::util::read_file(
      copy / "memory.json"))["learnt_rules"]["data_imputation"]["rests_on_few_labels"]
                              .value(rule, "");
  for (const char* nb : {"databricks/mlflow_recipes_classification_runner.py",
                         "databricks/taxi_fares_orchestrator_train_widgets.py",
                         "ipynb/german_credit_risk_sparkml_deploy_with_outputs.ipynb", " and 2 more"})
    EXPECT_NE(why.find(nb), std::string::npos) << why;
  EXPECT_NE(why.find("learnt again in 34 of 39 refits"), std::string::npos) << why;
  fs::remove_all(copy);
  std::string file = judge::util::read_file(dir / "guidelines.yaml");
  const auto at = file.find("- text: " + rule + " (");
  ASSERT_NE(at, std::string::npos) << file;
  const auto source = file.find("source: learnt", at);
  ASSERT_NE(source, std::string::npos);
  file.replace(source, std::string("source: learnt").size(), "source: manual");
  judge::util::write_file_atomic(dir / "guidelines.yaml", file);
  r = run_judge(align);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find(warned), std::string::npos) << r.out;
  // The stability check still ran: another data_imputation rule for trained notebooks is warned of.
  EXPECT_NE(r.out.find("judge: warning: data_imputation: a learnt rule rests on few labels:\n  when "
                       "trains_model, not missing_check_before_training -> score 1\n"),
            std::string::npos)
      << r.out;
  fs::remove_all(dir);
}

// judge align warns when a dimension's rules give every labelled notebook one score; judge memory show and
// judge eval --memory say it again, worked out from the memory (so after an edit too). Here a person edits
// the house labels' data_imputation rule for trained notebooks that never check into "when trains_model ->
// score 1": every trained notebook the judge scores gets 1, while the house labels of the 28 trained ones
// give 1 to 21, 2 to 3 and 3 to 3 (and one N/A), counted by hand from ml-notebooks-house.csv.
TEST(AlignCli, RulesGivingOneScoreAreSaidByShowAndEval) {
  JUDGE_REQUIRE_SHARED_DATA();
  const fs::path dir = fs::temp_directory_path() / ("judge_one_score_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto data = judge::test::shared_data();
  auto r =
      run_judge("align --labels '" + (data / "labels/ml-notebooks-house.csv").string() + "' --notebooks '" +
                (data / "notebooks").string() + "' --memory '" + dir.string() + "' 2>&1 >/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string said = "data_imputation: 1, while the labels give 1 to 21, 2 to 3 and 3 to 3";
  r = run_judge("memory show '" + dir.string() + "' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find(said), std::string::npos) << r.out;  // the learnt rules tell 1s from 3s
  std::string file = judge::util::read_file(dir / "guidelines.yaml");
  const std::string learnt = "- text: when trains_model, not missing_check_before_training -> score 1";
  ASSERT_NE(file.find(learnt), std::string::npos) << file;
  file.replace(file.find(learnt), learnt.size(), "- text: when trains_model -> score 1");
  judge::util::write_file_atomic(dir / "guidelines.yaml", file);
  r = run_judge("memory show '" + dir.string() + "' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\nrules that give every labelled notebook the judge scores one score (1; they tell "
                       "those notebooks apart no more: QWK near 0):\n  " +
                       said),
            std::string::npos)
      << r.out;
  r = run_judge("eval '" +
                (data / "notebooks/ipynb/medical_insurance_cost_regression_contributor_pr.ipynb").string() +
                "' --memory '" + dir.string() + "' --dimensions data_imputation 2>&1 >/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("judge: warning: memory " + dir.string() +
                 ": data_imputation: its rules give every labelled notebook the judge scores a 1, while "
                 "the labels give 1 to 21, 2 to 3 and 3 to 3: on this dimension the judge follows the "
                 "labels' majority and tells notebooks apart no more (judge memory show)"),
      std::string::npos)
      << r.out;
  fs::remove_all(dir);
}
