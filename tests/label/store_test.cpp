// SPDX-License-Identifier: MIT
#include "judge/label/store.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../support.hpp"
#include "judge/labels/labels.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"

using namespace judge::label;
namespace fs = std::filesystem;

namespace {

// A folder with two (empty) notebook files, for the labels' "notebook not found" check.
struct Folder {
  judge::test::TempDir dir{"judge_label_store"};
  Folder() {
    fs::create_directories(dir / "nb");
    std::ofstream(dir / "nb" / "a.ipynb") << "{}";
    std::ofstream(dir / "nb" / "b.ipynb") << "{}";
  }
  fs::path file(const std::string& name, const std::string& text = "") const {
    if (!text.empty()) std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  }
  LabelStore store(const fs::path& p, const std::string& rater = "me") const {
    return LabelStore(p, rater, judge::rubric::default_rubric(), dir / "nb");
  }
};

std::string read(const fs::path& p) { return judge::util::read_file(p); }

SaveRequest request(const std::string& nb, const std::string& dim, std::optional<double> score,
                    const std::string& feedback = "", const std::string& version = "") {
  return {nb, dim, score, feedback, version};
}

}  // namespace

TEST(LabelStore, FirstSaveCreatesACsvJudgeAlignReads) {
  Folder f;
  auto store = f.store(f.dir / "labels.csv");
  EXPECT_TRUE(store.labels().empty());
  const auto r = store.save(request("a.ipynb", "model_training", 2, "split, then \"tuned\",\nno baseline"));
  ASSERT_EQ(r.status, SaveStatus::saved) << r.message;
  ASSERT_TRUE(r.label);
  EXPECT_EQ(r.label->version.size(), 16u);
  const std::string text = read(f.dir / "labels.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')), "notebook,dimension,rater,score,feedback,timestamp");
  const auto set =
      judge::labels::read_labels(f.dir / "labels.csv", {&judge::rubric::default_rubric(), f.dir / "nb"});
  ASSERT_EQ(set.labels.size(), 1u);
  EXPECT_EQ(set.labels[0].item, "a.ipynb");
  EXPECT_EQ(set.labels[0].dimension, "model_training");
  EXPECT_EQ(set.labels[0].rater, "me");
  EXPECT_EQ(set.labels[0].score, 2.0);
  EXPECT_EQ(set.labels[0].feedback, "split, then \"tuned\",\nno baseline");
  EXPECT_EQ(set.labels[0].timestamp.size(), 20u);  // 2026-12-04T09:40:25Z
}

TEST(LabelStore, OtherRatersRowsStayByteForByteAndAChangeIsInPlace) {
  Folder f;
  const std::string header = "notebook,dimension,rater,score,feedback,timestamp\n";
  const std::string other1 =
      "a.ipynb,model_training,other,3,\"multi\nline, \"\"quoted\"\"\",2026-01-01T00:00:00Z\n";
  const std::string mine = "a.ipynb,model_use,me,1,old,2026-01-02T00:00:00Z\n";
  const std::string other2 = "b.ipynb,model_use,other,NA,  spaced  ,\n";
  const auto p = f.file("labels.csv", header + other1 + mine + other2);
  auto store = f.store(p);
  ASSERT_TRUE(store.problems().empty());
  const auto labels = store.labels();
  ASSERT_EQ(labels.size(), 3u);
  const auto r =
      store.save(request("a.ipynb", "model_use", std::nullopt, "no model to use", labels[1].version));
  ASSERT_EQ(r.status, SaveStatus::saved) << r.message;
  const std::string text = read(p);
  // Header and the other rater's rows as they were; my row changed in place (third line), N/A written "NA".
  EXPECT_EQ(text.substr(0, header.size() + other1.size()), header + other1);
  EXPECT_EQ(text.substr(text.size() - other2.size()), other2);
  const std::string middle =
      text.substr(header.size() + other1.size(), text.size() - header.size() - other1.size() - other2.size());
  EXPECT_EQ(middle.rfind("a.ipynb,model_use,me,NA,no model to use,", 0), 0u) << middle;
}

// A file that spells a notebook "./a.ipynb" (as judge eval run in its folder writes it), labelled from the
// page's "a.ipynb": the label of that spelling is the one changed, and a new dimension of it is written in
// the file's spelling, so the file never names one notebook two ways (which read_labels refuses).
TEST(LabelStore, ANotebookIsWrittenInTheSpellingItsFileUses) {
  Folder f;
  const auto p = f.file("labels.csv",
                        "notebook,dimension,rater,score,feedback,timestamp\n"
                        "./a.ipynb,model_use,me,2,,2026-01-02T00:00:00Z\n");
  auto store = f.store(p);
  ASSERT_TRUE(store.problems().empty());
  auto r = store.save(request("a.ipynb", "model_use", 3, "", store.labels()[0].version));
  ASSERT_EQ(r.status, SaveStatus::saved) << r.message;
  r = store.save(request("a.ipynb", "model_training", 1));
  ASSERT_EQ(r.status, SaveStatus::saved) << r.message;
  const std::string text = read(p);
  EXPECT_NE(text.find("\n./a.ipynb,model_use,me,3,,"), std::string::npos) << text;
  EXPECT_NE(text.find("\n./a.ipynb,model_training,me,1,,"), std::string::npos) << text;
  EXPECT_EQ(text.find("\na.ipynb,"), std::string::npos) << text;
  const auto set = judge::labels::read_labels(p, {&judge::rubric::default_rubric(), f.dir / "nb"});
  EXPECT_EQ(set.labels.size(), 2u);
}

TEST(LabelStore, AStaleVersionIsRefusedAndNothingIsWritten) {
  Folder f;
  auto store = f.store(f.dir / "labels.csv");
  const auto first = store.save(request("a.ipynb", "model_use", 3, "first"));
  ASSERT_EQ(first.status, SaveStatus::saved);
  const std::string before = read(f.dir / "labels.csv");
  // A second tab that loaded the page before the first save still holds version "" (no label).
  const auto stale = store.save(request("a.ipynb", "model_use", 1, "second"));
  EXPECT_EQ(stale.status, SaveStatus::stale);
  ASSERT_TRUE(stale.label);
  EXPECT_EQ(stale.label->feedback, "first");
  EXPECT_EQ(read(f.dir / "labels.csv"), before);
  // With the current version it goes through.
  EXPECT_EQ(store.save(request("a.ipynb", "model_use", 1, "second", first.label->version)).status,
            SaveStatus::saved);
}

TEST(LabelStore, ScoresOffTheScaleAndUnknownNamesAreRefused) {
  Folder f;
  auto store = f.store(f.dir / "labels.csv");
  const auto seven = store.save(request("a.ipynb", "model_use", 7));
  EXPECT_EQ(seven.status, SaveStatus::invalid);
  EXPECT_EQ(seven.message, "not saved: score 7 is off the scale (1..3 or N/A)");
  EXPECT_EQ(store.save(request("a.ipynb", "model_use", 2.5)).status, SaveStatus::invalid);
  EXPECT_EQ(store.save(request("a.ipynb", "model_use", 0)).status, SaveStatus::invalid);
  const auto dim = store.save(request("a.ipynb", "vibes", 2));
  EXPECT_EQ(dim.status, SaveStatus::invalid);
  EXPECT_NE(dim.message.find("unknown dimension \"vibes\""), std::string::npos);
  // A misspelt dimension gets the did-you-mean judge's --dimensions gives (rubric::did_you_mean_dimension).
  const auto typo = store.save(request("a.ipynb", "model_trainng", 2));
  EXPECT_EQ(typo.status, SaveStatus::invalid);
  EXPECT_EQ(typo.message,
            "not saved: unknown dimension \"model_trainng\" (rubric ml-notebook; did you mean "
            "\"model_training\"?)");
  EXPECT_EQ(store.save(request("zz.ipynb", "model_use", 2), false).status, SaveStatus::invalid);
  EXPECT_FALSE(fs::exists(f.dir / "labels.csv"));  // nothing was ever written
}

TEST(LabelStore, AnEmptyScoreIsWarnedOfAsJudgeAlignDoesAndSavesGoOn) {
  // Lines 2 and 4 have an empty score (read as N/A, maybe forgotten); line 3 says NA, meant.
  Folder f;
  const auto p = f.file("empty.csv",
                        "notebook,dimension,rater,score,feedback\n"
                        "a.ipynb,model_use,other,,forgot\n"
                        "a.ipynb,model_training,other,NA,meant\n"
                        "b.ipynb,model_use,other,,forgot too\n");
  auto store = f.store(p);
  EXPECT_TRUE(store.problems().empty());
  const auto warnings = store.warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(
      warnings[0],
      p.string() + ": 2 empty scores, read as N/A (lines 2, 4); write NA where N/A is meant, or the score");
  EXPECT_EQ(store.save(request("b.ipynb", "model_training", 2)).status, SaveStatus::saved);
}

TEST(LabelStore, AFileWithProblemsIsShownWithItsLinesAndNeverWritten) {
  Folder f;
  const std::string text =
      "notebook,dimension,rater,score,feedback\n"
      "a.ipynb,model_use,other,2,ok\n"
      "a.ipynb,vibes,other,2,unknown dimension\n"
      "b.ipynb,model_use,other,5,off the scale\n";
  const auto p = f.file("bad.csv", text);
  auto store = f.store(p);
  const auto problems = store.problems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].rfind(p.string() + ":3: unknown dimension \"vibes\"", 0), 0u) << problems[0];
  EXPECT_EQ(problems[1], p.string() + ":4: score 5 is off the scale (1..3 or NA)");
  const auto r = store.save(request("a.ipynb", "model_training", 2));
  EXPECT_EQ(r.status, SaveStatus::blocked);
  EXPECT_NE(r.message.find(":4: score 5 is off the scale"), std::string::npos);
  EXPECT_EQ(read(p), text);
}

TEST(LabelStore, ADuplicateRowBlocksSavesButHidesNoLabel) {
  // One row given twice is a problem of the file (it blocks saves), not a reason to show every notebook as
  // unlabelled: the labels of the other rows stay visible, and so do the duplicated ones.
  Folder f;
  const std::string text =
      "notebook,dimension,rater,score,feedback\n"
      "a.ipynb,model_use,me,2,ok\n"
      "b.ipynb,model_use,me,3,fine\n"
      "a.ipynb,model_use,me,2,ok\n";
  const auto p = f.file("dup.csv", text);
  auto store = f.store(p);
  const auto problems = store.problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            p.string() + ":4: duplicate row: a.ipynb#model_use#me is already labelled on line 2");
  const auto labels = store.labels();
  std::size_t a = 0, b = 0;
  for (const auto& l : labels) {
    a += l.notebook == "a.ipynb" && l.score == 2.0;
    b += l.notebook == "b.ipynb" && l.score == 3.0;
  }
  EXPECT_GE(a, 1u);
  EXPECT_EQ(b, 1u);
  EXPECT_EQ(store.save(request("b.ipynb", "model_training", 2)).status, SaveStatus::blocked);
  EXPECT_EQ(read(p), text);
}

TEST(LabelStore, AHeaderWithoutTimestampGetsTheColumnAndOtherRowsKeepTheirValues) {
  Folder f;
  const auto p = f.file(
      "labels.csv", "notebook,dimension,rater,score,feedback\nb.ipynb,model_use,author,3,\"fine, really\"\n");
  auto store = f.store(p);
  ASSERT_EQ(store.save(request("a.ipynb", "model_use", 2, "ok")).status, SaveStatus::saved);
  const std::string text = read(p);
  EXPECT_EQ(
      text.rfind(
          "notebook,dimension,rater,score,feedback,timestamp\nb.ipynb,model_use,author,3,\"fine, really\",\n"
          "a.ipynb,model_use,me,2,ok,2",
          0),
      0u)
      << text;
  const auto set = judge::labels::read_labels(p, {&judge::rubric::default_rubric(), f.dir / "nb"});
  ASSERT_EQ(set.labels.size(), 2u);
  EXPECT_EQ(set.labels[0].feedback, "fine, really");
  EXPECT_EQ(set.labels[0].timestamp, "");
}

TEST(LabelStore, JsonLinesStayJsonLines) {
  Folder f;
  const std::string other =
      R"({"notebook": "b.ipynb", "dimension": "model_use", "score": null, "rater": "x"})";
  const auto p = f.file("labels.jsonl", other + "\n");
  auto store = f.store(p);
  ASSERT_EQ(store.save(request("a.ipynb", "model_use", 3, "good")).status, SaveStatus::saved);
  const std::string text = read(p);
  EXPECT_EQ(
      text.rfind(other +
                     "\n{\"notebook\":\"a.ipynb\",\"dimension\":\"model_use\",\"rater\":\"me\",\"score\":3,"
                     "\"feedback\":\"good\",\"timestamp\":\"",
                 0),
      0u)
      << text;
  EXPECT_EQ(judge::labels::read_labels(p).labels.size(), 2u);
}

TEST(LabelStore, AChangeMadeOnDiskMeanwhileIsKept) {
  Folder f;
  auto store = f.store(f.dir / "labels.csv");
  ASSERT_EQ(store.save(request("a.ipynb", "model_use", 3)).status, SaveStatus::saved);
  std::ofstream(f.dir / "labels.csv", std::ios::app) << "b.ipynb,model_use,other,1,added by hand,\n";
  ASSERT_EQ(store.save(request("b.ipynb", "model_use", 2)).status, SaveStatus::saved);
  const auto set = judge::labels::read_labels(f.dir / "labels.csv");
  ASSERT_EQ(set.labels.size(), 3u);
  EXPECT_EQ(set.labels[1].feedback, "added by hand");
  EXPECT_EQ(set.labels[2].rater, "me");
}

TEST(LabelStore, AJsonArrayFileIsRefusedAtTheStartAndNotOverwritten) {
  Folder f;
  const std::string text = R"([{"notebook": "a.ipynb", "dimension": "model_use", "score": 2}])";
  const auto p = f.file("labels.json", text);
  try {
    f.store(p);
    FAIL() << "no error";
  } catch (const judge::Error& e) {
    EXPECT_EQ(e.code(), judge::ExitCode::usage);
    EXPECT_EQ(
        std::string(e.what()),
        "labels file " + p.string() +
            " is a JSON array of labels, which judge label does not write: convert it to JSON Lines (one "
            "object a line: jq -c '.[]' " +
            p.string() + " > labels.jsonl) or CSV, or give labels a new file");
  }
  EXPECT_EQ(read(p), text);
}

TEST(LabelStore, AFileMadeAJsonArrayWhileServingBlocksSaves) {
  Folder f;
  const auto p = f.file("labels.jsonl");  // none yet
  auto store = f.store(p);
  ASSERT_TRUE(store.problems().empty());
  const std::string text = R"([{"notebook": "a.ipynb", "dimension": "model_use", "score": 2}])";
  f.file("labels.jsonl", text);
  EXPECT_EQ(store.save(request("a.ipynb", "model_use", 3)).status, SaveStatus::blocked);
  EXPECT_EQ(read(p), text);
}
