// SPDX-License-Identifier: MIT
#include "judge/labels/labels.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "../support.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"

using namespace judge::labels;
namespace fs = std::filesystem;

namespace {

/// Writes `text` to a fresh file named `name` in a temporary folder and returns its path.
fs::path write_temp(const std::string& name, const std::string& text) {
  static const judge::test::TempDir dir("judge_labels_test");  // removed when the test program ends
  return dir.write(name, text);
}

std::string error_of(const fs::path& p, const LabelCheck& check = {}) {
  try {
    read_labels(p, check);
  } catch (const judge::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Labels, ALatin1FileIsRefusedAtItsLine) {
  // "caf\xE9" is cafe with an acute e in Latin-1 / Windows-1252: labels go into JSON (memory, reports),
  // which holds UTF-8 only, so the file is refused naming the line and the column of the byte.
  const auto p = write_temp("latin1.csv",
                            "notebook,dimension,score,feedback\n"
                            "a.ipynb,model_use,2,ok\n"
                            "b.ipynb,model_use,1,caf\xE9 ok\n");
  EXPECT_NE(error_of(p).find(p.string() + ":3: not UTF-8: byte 0xE9 at column 24; save the file as UTF-8"),
            std::string::npos)
      << error_of(p);
}

TEST(Labels, LabelsWithoutARaterAmongNamedOnesAreWarnedOf) {
  const auto p = write_temp("no_rater.csv",
                            "notebook,dimension,rater,score\na.ipynb,model_use,r1,2\nb.ipynb,model_use,,3\n"
                            "c.ipynb,model_use,r1,1\n");
  const auto set = read_labels(p);
  ASSERT_EQ(set.warnings.size(), 1u);
  EXPECT_EQ(set.warnings[0],
            p.string() +
                ": 1 label names no rater (line 3) while the others do: they count as a rater "
                "without a name (--raters RATER leaves them out); fill in the rater");
  // No rater anywhere (a file of one person's labels): nothing to say.
  EXPECT_TRUE(read_labels(write_temp("one_rater.csv", "notebook,dimension,score\na.ipynb,model_use,2\n"))
                  .warnings.empty());
}

TEST(Labels, LinesEndingInCarriageReturnAloneAreSaid) {
  // Classic Mac line endings: a line reader sees one line ("missing column" before); said at line 1.
  const auto p = write_temp("cr.csv", "notebook,dimension,score\ra.ipynb,model_use,2\rb.ipynb,model_use,3\r");
  EXPECT_NE(error_of(p).find(p.string() + ":1: its lines end in a carriage return alone (an old Mac format): "
                                          "save it with LF or CRLF line endings"),
            std::string::npos)
      << error_of(p);
  // CRLF is fine.
  const auto crlf = write_temp("crlf.csv", "notebook,dimension,score\r\na.ipynb,model_use,2\r\n");
  EXPECT_EQ(read_labels(crlf).labels.size(), 1u);
}

TEST(Labels, CsvWithQuotedMultiLineFeedbackAndNA) {
  const auto p =
      write_temp("a.csv",
                 "notebook,dimension,rater,score,feedback\r\n"
                 "nb/a.ipynb,model_training,r1,2,\"Trains, but \"\"no\"\" split.\nSecond line.\"\r\n"
                 "nb/a.ipynb,model_use,r1,NA,\r\n"
                 "nb/b.ipynb,model_use,r1,,\n"
                 "nb/b.ipynb,model_training,r1, N/A ,x\n");
  const LabelSet set = read_labels(p);
  ASSERT_EQ(set.labels.size(), 4u);
  EXPECT_EQ(set.labels[0].feedback, "Trains, but \"no\" split.\nSecond line.");
  EXPECT_EQ(set.labels[0].score, 2.0);
  EXPECT_EQ(set.labels[0].line, 2);
  EXPECT_EQ(set.labels[1].line, 4);  // the quoted field spanned lines 2-3
  EXPECT_FALSE(set.labels[1].score);
  EXPECT_FALSE(set.labels[2].score);
  EXPECT_FALSE(set.labels[3].score);
  // The empty cell (line 5) is N/A like NA, but said: it may be a forgotten score.
  ASSERT_EQ(set.warnings.size(), 1u);
  EXPECT_EQ(set.warnings[0], p.string() +
                                 ": 1 empty score, read as N/A (line 5); write NA where N/A is "
                                 "meant, or the score");
  EXPECT_EQ(set.labels[0].id(), "nb/a.ipynb#model_training#r1");
  EXPECT_EQ(set.hash.size(), 64u);
}

TEST(Labels, ItemColumnAndNoOptionalColumns) {
  const auto p = write_temp("b.csv", "item,dimension,score\nhuman/000,relevance,4\n");
  const LabelSet set = read_labels(p);
  ASSERT_EQ(set.labels.size(), 1u);
  EXPECT_EQ(set.labels[0].item, "human/000");
  EXPECT_EQ(set.labels[0].rater, "");
  EXPECT_EQ(set.labels[0].id(), "human/000#relevance#");
}

TEST(Labels, JsonLines) {
  const auto p =
      write_temp("c.jsonl",
                 "{\"notebook\": \"a.ipynb\", \"dimension\": \"model_use\", \"score\": 3, \"rater\": \"r2\","
                 " \"timestamp\": \"2026-01-02T00:00:00Z\", \"feedback\": \"ok\"}\n"
                 "\n"
                 "{\"item\": \"b.ipynb\", \"dimension\": \"model_use\", \"score\": null}\n"
                 "{\"item\": \"c.ipynb\", \"dimension\": \"model_use\", \"score\": \" \"}\n");
  const LabelSet set = read_labels(p);
  ASSERT_EQ(set.labels.size(), 3u);
  EXPECT_EQ(set.labels[0].score, 3.0);
  EXPECT_EQ(set.labels[0].timestamp, "2026-01-02T00:00:00Z");
  EXPECT_EQ(set.labels[1].line, 3);
  EXPECT_FALSE(set.labels[1].score);
  EXPECT_FALSE(set.labels[2].score);
  // null says N/A; an empty string (line 4) is read as N/A too, but said. Lines 3 and 4 name no rater
  // while line 1 does: said too.
  ASSERT_EQ(set.warnings.size(), 2u);
  EXPECT_EQ(set.warnings[0], p.string() +
                                 ": 1 empty score, read as N/A (line 4); write NA where N/A is "
                                 "meant, or the score");
  EXPECT_EQ(
      set.warnings[1].rfind(p.string() + ": 2 labels name no rater (lines 3, 4) while the others do", 0), 0u)
      << set.warnings[1];
}

TEST(Labels, MissingColumnsAreAllReported) {
  const std::string e = error_of(write_temp("d.csv", "who,what\nx,y\n"));
  EXPECT_NE(e.find("d.csv:1: missing column \"notebook\" (or \"item\")"), std::string::npos) << e;
  EXPECT_NE(e.find("d.csv:1: missing column \"dimension\""), std::string::npos) << e;
  EXPECT_NE(e.find("d.csv:1: missing column \"score\""), std::string::npos) << e;
}

// A misspelt required column is named with the column it seems meant as, in place of "missing column": the
// swap "scroe" is 1 edit from "score" by util::typo_distance (closest_names would find nothing).
TEST(Labels, AMisspeltColumnIsNamedWithTheColumnItSeemsMeantAs) {
  std::string e = error_of(write_temp("s.csv", "notebook,dimension,rater,scroe\na.ipynb,model_use,r,2\n"));
  EXPECT_NE(e.find("s.csv:1: column \"scroe\": did you mean \"score\"?"), std::string::npos) << e;
  EXPECT_EQ(e.find("missing column"), std::string::npos) << e;
  // Each misspelt one; "Notbook" keeps its case in the message; a column missing outright is still said so.
  e = error_of(write_temp("t.csv", "Notbook,dimesnion,rater\na.ipynb,model_use,r\n"));
  EXPECT_NE(e.find("t.csv:1: column \"Notbook\": did you mean \"notebook\"?"), std::string::npos) << e;
  EXPECT_NE(e.find("t.csv:1: column \"dimesnion\": did you mean \"dimension\"?"), std::string::npos) << e;
  EXPECT_TRUE(e.ends_with("t.csv:1: missing column \"score\"")) << e;
  // "itme" for the alternative "item".
  e = error_of(write_temp("u.csv", "itme,dimension,score\na.ipynb,model_use,2\n"));
  EXPECT_NE(e.find("u.csv:1: column \"itme\": did you mean \"item\"?"), std::string::npos) << e;
}

// A spreadsheet's CSV with ';' (or tab) separators names no column read as comma separated: one problem
// saying so, not three missing columns.
TEST(Labels, ASemicolonOrTabSeparatedFileIsSaidToBeOnce) {
  const fs::path semi = write_temp("semi.csv", "notebook;dimension;rater;score\na.ipynb;model_use;r;2\n");
  const std::string semicolon = "1 problem in labels " + semi.string() + ":\n  " + semi.string() +
                                ":1: the file seems to use ';' as its separator; judge reads comma-separated "
                                "CSV: save it with ',' between the fields";
  std::string e = error_of(semi);
  EXPECT_EQ(e, semicolon);
  // Quoted throughout (R's write.csv2): no CSV parse_csv reads, said the same way.
  e = error_of(write_temp("semi.csv", "\"notebook\";\"dimension\";\"score\"\n\"a.ipynb\";\"model_use\";2\n"));
  EXPECT_EQ(e, semicolon);
  // After a byte order mark and a blank line, on the line it is on.
  e = error_of(write_temp("tab.csv", "\xEF\xBB\xBF\nnotebook\tdimension\tscore\na.ipynb\tmodel_use\t2\n"));
  EXPECT_NE(e.find("tab.csv:2: the file seems to use tabs as its separator; judge reads comma-separated CSV"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find("missing column"), std::string::npos) << e;
  // A ';' in a header that names a required column with commas: the columns are the problem, as before.
  e = error_of(write_temp("mixed.csv", "notebook,dimension;score\na.ipynb,model_use;2\n"));
  EXPECT_NE(e.find("mixed.csv:1: missing column \"dimension\""), std::string::npos) << e;
  EXPECT_EQ(e.find("separator"), std::string::npos) << e;
}

TEST(Labels, EveryProblemWithItsLine) {
  const fs::path nbdir = write_temp("nbs/present.ipynb", "{}").parent_path();
  const auto p = write_temp("e.csv",
                            "notebook,dimension,rater,score\n"
                            "present.ipynb,model_training,r1,2\n"       // 2: fine
                            "present.ipynb,no_such_dim,r1,2\n"          // 3: unknown dimension
                            "present.ipynb,model_use,r1,7\n"            // 4: off the scale
                            "present.ipynb,model_trainig,r1,2\n"        // 5: unknown, near model_training
                            "present.ipynb,model_use,r2,2.5\n"          // 6: off the scale (not a point)
                            "missing.ipynb,model_use,r1,1\n"            // 7: notebook not found
                            "present.ipynb,model_training,r1,3\n"       // 8: duplicate of line 2
                            "present.ipynb,data_imputation,r1,abc\n");  // 9: not a number
  LabelCheck check;
  check.rubric = &judge::rubric::default_rubric();
  check.notebooks_dir = nbdir;
  const std::string e = error_of(p, check);
  EXPECT_NE(e.find("7 problems"), std::string::npos) << e;
  EXPECT_NE(e.find("e.csv:3: unknown dimension \"no_such_dim\""), std::string::npos) << e;
  EXPECT_NE(e.find("e.csv:4: score 7 is off the scale (1..3 or NA)"), std::string::npos) << e;
  EXPECT_NE(e.find("e.csv:5: unknown dimension \"model_trainig\" (did you mean \"model_training\"? rubric "),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("e.csv:6: score 2.5 is not a point of the scale (1, 2, 3 or NA)"), std::string::npos) << e;
  EXPECT_NE(e.find("e.csv:7: notebook not found"), std::string::npos) << e;
  EXPECT_NE(e.find("e.csv:8: duplicate row: present.ipynb#model_training#r1 is already labelled on line 2"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("e.csv:9: score \"abc\" is not a number"), std::string::npos) << e;
}

// Two spellings of one notebook's path in a file ("./nb/a.ipynb" and "nb/a.ipynb", "nb//b.ipynb" and
// "nb/b.ipynb") are refused, once a spelling, naming the line of the first: read as written they were two
// notebooks to align, and memory forget removed one of them. A path written one way stays as written
// ("./nb/c.ipynb"), and so does an id that is no path. N/A may be written in any case.
TEST(Labels, TwoSpellingsOfANotebooksPathAreRefused) {
  const auto p = write_temp("spellings.csv",
                            "notebook,dimension,rater,score\n"
                            "./nb/c.ipynb,model_use,r1,1\n"
                            "nb/b.ipynb,model_use,r1,Na\n"
                            "story_12,model_use,r1,n/A\n");
  const LabelSet set = read_labels(p);
  ASSERT_EQ(set.labels.size(), 3u);
  EXPECT_EQ(set.labels[0].item, "./nb/c.ipynb");
  EXPECT_EQ(set.labels[2].item, "story_12");
  EXPECT_FALSE(set.labels[1].score);
  EXPECT_FALSE(set.labels[2].score);
  const auto two = write_temp("spellings_two.csv",
                              "notebook,dimension,rater,score\n"
                              "ipynb/a.ipynb,model_use,r1,1\n"         // 2
                              "./ipynb/a.ipynb,model_use,r1,3\n"       // 3
                              "./ipynb/a.ipynb,model_training,r1,3\n"  // 4: the same spelling, said once
                              "nb//b.ipynb,model_use,r1,2\n"           // 5
                              "nb/b.ipynb,model_use,r2,2\n");          // 6
  const std::string e = error_of(two), f = two.string();
  EXPECT_EQ(e,
            "2 problems in labels " + f + ":\n  " + f +
                ":3: notebook ./ipynb/a.ipynb is ipynb/a.ipynb (line 2) spelt another way: one notebook, two "
                "names; write its path one way\n  " +
                f +
                ":6: notebook nb/b.ipynb is nb//b.ipynb (line 5) spelt another way: one notebook, two "
                "names; write its path one way")
      << e;
  // With a notebooks folder, a path relative to it and the absolute path of the same file are one notebook;
  // "sub/../a.ipynb" is kept apart (through a link it can be another file) and is found as written.
  const fs::path nbdir = write_temp("spell_nb/ipynb/a.ipynb", "{}").parent_path().parent_path();
  const auto abs = write_temp("spellings_abs.csv",
                              "notebook,dimension,rater,score\n"
                              "ipynb/a.ipynb,model_use,r1,1\n" +
                                  (nbdir / "ipynb/a.ipynb").string() + ",model_use,r2,3\n");
  LabelCheck check;
  check.notebooks_dir = nbdir;
  const std::string ea = error_of(abs, check);
  EXPECT_NE(ea.find(abs.string() + ":3: notebook " + (nbdir / "ipynb/a.ipynb").string() +
                    " is ipynb/a.ipynb (line 2) spelt another way"),
            std::string::npos)
      << ea;
  write_temp("spell_nb/ipynb/sub/keep", "");
  const auto dots = write_temp("spellings_dots.csv",
                               "notebook,dimension,rater,score\n"
                               "ipynb/a.ipynb,model_use,r1,1\n"
                               "ipynb/sub/../a.ipynb,model_use,r2,3\n");
  EXPECT_EQ(error_of(dots, check), "");
  EXPECT_EQ(normal_item("./ipynb//x/./a.ipynb"), "ipynb/x/a.ipynb");
  EXPECT_EQ(normal_item("/abs/./a.ipynb"), "/abs/a.ipynb");
  EXPECT_EQ(normal_item("d/../a.ipynb"), "d/../a.ipynb");
  EXPECT_EQ(normal_item("a.dbc!/inner/nb"), "a.dbc!/inner/nb");
}

// A notebooks folder one level too high (`examples` for `examples/notebooks`): the message says where the
// notebooks are, for every notebook of that folder, and nothing more for one that is nowhere.
TEST(Labels, NotebookInASubfolderIsNamedInTheMessage) {
  const fs::path top = write_temp("up/project/notebooks/x.ipynb", "{}").parent_path().parent_path();
  write_temp("up/project/notebooks/sub/y.ipynb", "{}");
  write_temp("up/project/here.ipynb", "{}");
  const auto p = write_temp("h.csv",
                            "notebook,dimension,rater,score\n"
                            "x.ipynb,model_training,r1,2\n"
                            "sub/y.ipynb,model_training,r1,2\n"
                            "gone.ipynb,model_training,r1,2\n"
                            "here.ipynb,model_training,r1,2\n");
  LabelCheck check;
  check.notebooks_dir = top;
  const std::string e = error_of(p, check);
  const std::string where = "; it is in " + (top / "notebooks").string() + ": is that the notebooks folder?";
  EXPECT_NE(e.find("h.csv:2: notebook not found: " + (top / "x.ipynb").string() + " (1 label)" + where),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("h.csv:3: notebook not found: " + (top / "sub/y.ipynb").string() + " (1 label)" + where),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("h.csv:4: notebook not found: " + (top / "gone.ipynb").string() + " (1 label)"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find((top / "gone.ipynb").string() + " (1 label);"), std::string::npos) << e;
  EXPECT_EQ(e.find("here.ipynb"), std::string::npos) << e;
}

// A labelled notebook not found whose file name is a few edits from a file of its folder names that file:
// nyk_taxi.ipynb for nyc_taxi.ipynb, db/wyne.py for db/wine.py, archiv.dbc!/Users/a/nb for the member of
// archive.dbc; x.ipynb is like no file there.
TEST(Labels, AMisspeltNotebookPathNamesTheFileItSeemsMeantAs) {
  const fs::path nbdir = write_temp("typos/nyc_taxi.ipynb", "{}").parent_path();
  write_temp("typos/db/wine.py", "# Databricks notebook source\n");
  write_temp("typos/archive.dbc", "not read here");
  const auto p = write_temp("typos.csv",
                            "notebook,dimension,rater,score\n"
                            "nyc_taxi.ipynb,model_use,r1,2\n"
                            "nyk_taxi.ipynb,model_use,r1,2\n"
                            "db/wyne.py,model_use,r1,2\n"
                            "x.ipynb,model_use,r1,2\n"
                            "archiv.dbc!/Users/a/nb,model_use,r1,2\n");
  LabelCheck check;
  check.notebooks_dir = nbdir;
  const std::string e = error_of(p, check), f = p.string();
  EXPECT_NE(e.find(f + ":3: notebook not found: " + (nbdir / "nyk_taxi.ipynb").string() +
                   " (1 label); did you mean nyc_taxi.ipynb?"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(f + ":4: notebook not found: " + (nbdir / "db/wyne.py").string() +
                   " (1 label); did you mean db/wine.py?"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(f + ":5: notebook not found: " + (nbdir / "x.ipynb").string() + " (1 label)\n"),
            std::string::npos)
      << e;  // no hint after it
  // An archive misspelt: the member as given.
  EXPECT_NE(e.find(f + ":6: notebook not found: " + (nbdir / "archiv.dbc!/Users/a/nb").string() +
                   " (1 label); did you mean archive.dbc!/Users/a/nb?"),
            std::string::npos)
      << e;
}

// One problem per notebook not found, naming its labels' lines as ranges of labels next to each other in the
// file: x's three labels are lines 3, 4 (its feedback runs on to line 5) and 6, so "3-6"; y's are lines 7
// and 9, with present.ipynb's between them, so "7,9". The command's skip setting is named when offered.
TEST(Labels, ANotebookNotFoundIsOneProblemNamingItsLabelsLines) {
  const fs::path nbdir = write_temp("grouped/present.ipynb", "{}").parent_path();
  const auto p = write_temp("grouped.csv",
                            "notebook,dimension,rater,score,feedback\n"
                            "present.ipynb,model_training,r1,2,\n"  // 2
                            "x.ipynb,model_training,r1,2,\n"        // 3
                            "x.ipynb,model_use,r1,2,\"two\n"        // 4
                            "lines\"\n"                             // 5
                            "x.ipynb,data_imputation,r1,2,\n"       // 6
                            "y.ipynb,model_training,r1,1,\n"        // 7
                            "present.ipynb,model_use,r1,2,\n"       // 8
                            "y.ipynb,model_use,r1,1,\n");           // 9
  LabelCheck check;
  check.notebooks_dir = nbdir;
  const std::string f = p.string(), x = (nbdir / "x.ipynb").string(), y = (nbdir / "y.ipynb").string();
  EXPECT_EQ(error_of(p, check), "2 problems in labels " + f + ":\n  " + f + ":3-6: notebook not found: " + x +
                                    " (3 labels)\n  " + f + ":7,9: notebook not found: " + y + " (2 labels)");
  check.skip_missing_offered = true;
  EXPECT_EQ(error_of(p, check), "3 problems in labels " + f + ":\n  " + f + ":3-6: notebook not found: " + x +
                                    " (3 labels)\n  " + f + ":7,9: notebook not found: " + y +
                                    " (2 labels)\n  " + f + ": 2 of 3 labelled notebooks not found under " +
                                    nbdir.string() +
                                    " (5 labels): check notebooks, or give skip missing notebooks to go on "
                                    "without them");
  // Skipped: the labels of x and y are set aside, in file order; present.ipynb's are read.
  check.skip_missing = true;
  const LabelSet set = read_labels(p, check);
  ASSERT_EQ(set.labels.size(), 2u);
  EXPECT_EQ(set.labels[0].line, 2);
  EXPECT_EQ(set.labels[1].line, 8);
  ASSERT_EQ(set.skipped.size(), 5u);
  const std::vector<int> skipped_lines{3, 4, 6, 7, 9};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(set.skipped[i].line, skipped_lines[i]) << i;
  EXPECT_EQ(set.skipped[3].item, "y.ipynb");
}

// Twelve notebooks not found of thirteen: the first ten are listed, then how many more and their labels.
TEST(Labels, NotebooksNotFoundBeyondTenAreCounted) {
  const fs::path nbdir = write_temp("many/present.ipynb", "{}").parent_path();
  std::string csv = "notebook,dimension,score\npresent.ipynb,model_use,2\n";
  for (int i = 1; i <= 12; ++i) {
    csv += 'm';
    csv += std::to_string(i) + ".ipynb,model_use,2\n";
  }
  csv += "m12.ipynb,model_training,2\n";
  LabelCheck check;
  check.notebooks_dir = nbdir;
  const std::string e = error_of(write_temp("many.csv", csv), check);
  EXPECT_NE(e.find("11 problems in labels"), std::string::npos) << e;
  EXPECT_NE(e.find("many.csv:12: notebook not found: " + (nbdir / "m10.ipynb").string() + " (1 label)"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find("m11.ipynb"), std::string::npos) << e;
  EXPECT_NE(e.find("many.csv: ... and 2 more notebooks not found (3 labels)"), std::string::npos) << e;
}

// None of the labelled notebooks found (the notebooks folder one level too high): one problem instead of one
// per notebook, naming the path tried for the first and where it is; skipping does not change that.
TEST(Labels, NoLabelledNotebookFoundIsOneProblem) {
  const fs::path top = write_temp("none/project/notebooks/a.ipynb", "{}").parent_path().parent_path();
  write_temp("none/project/notebooks/b.ipynb", "{}");
  const auto p = write_temp("none.csv",
                            "notebook,dimension,score\n"
                            "a.ipynb,model_use,2\n"
                            "a.ipynb,model_training,2\n"
                            "b.ipynb,model_use,NA\n"
                            "c.ipynb,model_use,1\n");
  LabelCheck check;
  check.notebooks_dir = top;
  check.skip_missing_offered = true;
  const std::string expected = "1 problem in labels " + p.string() + ":\n  " + p.string() +
                               ": none of the 3 labelled notebooks was found under " + top.string() +
                               ": line 2 names a.ipynb, looked for as " + (top / "a.ipynb").string() +
                               " (it is in " + (top / "notebooks").string() +
                               ": is that the notebooks folder?). Check notebooks: the notebook paths in the "
                               "labels file are relative to it";
  EXPECT_EQ(error_of(p, check), expected);
  check.skip_missing = true;
  EXPECT_EQ(error_of(p, check), expected);
  const auto one = write_temp("one.csv", "notebook,dimension,score\nc.ipynb,model_use,1\n");
  EXPECT_EQ(error_of(one, check), "1 problem in labels " + one.string() + ":\n  " + one.string() +
                                      ": the labelled notebook was not found under " + top.string() +
                                      ": line 2 names c.ipynb, looked for as " + (top / "c.ipynb").string() +
                                      ". Check notebooks: the notebook paths in the labels file are relative "
                                      "to it");
}

TEST(Labels, WrongFieldCountNamesItsLine) {
  const std::string e =
      error_of(write_temp("g.csv", "notebook,dimension,score,feedback\na,b,3,x\na,c,2,too, many\n"));
  EXPECT_NE(e.find("g.csv:3: has 5 fields, the header has 4"), std::string::npos) << e;
}

TEST(Labels, UnterminatedQuoteNamesItsLine) {
  const std::string e = error_of(write_temp("f.csv", "notebook,dimension,score\na,b,\"3\n"));
  EXPECT_NE(e.find("f.csv:2: unterminated quoted field"), std::string::npos) << e;
}

// A closing quote missing on line 2: the quotes after it pair up wrongly (line 3's opening quote closes
// line 2's field), so the error names line 2, where the field opens, not the end of the file.
TEST(Labels, AMissingClosingQuoteNamesTheLineWhereTheFieldOpens) {
  const std::string e = error_of(write_temp(
      "q.csv",
      "notebook,dimension,score,feedback\na,b,3,\"no closing quote\nc,d,2,\"fine\"\ne,f,1,\"fine\"\n"));
  EXPECT_NE(e.find("q.csv:2: text follows the closing quote of a field that opens on this line and closes on "
                   "line 3: is its closing quote missing?"),
            std::string::npos)
      << e;
}

namespace {
LabelSet set_of(const std::string& csv) { return read_labels(write_temp("r.csv", csv)); }
}  // namespace

TEST(Labels, ResolveMeanMedianRater) {
  const LabelSet set = set_of(
      "notebook,dimension,rater,score\n"
      "a,d,r1,1\na,d,r2,2\na,d,r3,3\na,d,r4,3\n"
      "b,d,r1,2\n");
  auto mean = resolve(set, "mean");
  ASSERT_EQ(mean.size(), 2u);
  EXPECT_DOUBLE_EQ(*mean[0].score, 9.0 / 4);
  EXPECT_EQ(mean[0].sources.size(), 4u);
  EXPECT_DOUBLE_EQ(*resolve(set, "median")[0].score, 2.5);
  auto r2 = resolve(set, "r2");
  ASSERT_EQ(r2.size(), 1u);  // b has no label from r2
  EXPECT_DOUBLE_EQ(*r2[0].score, 2.0);
  EXPECT_THROW(resolve(set, "nobody"), judge::Error);
}

TEST(Labels, MajorityTiesGoToTheMostRecentLabel) {
  // Rows: 1 and 3 tie two votes each; by row the later is r4's 3 (line 5).
  auto by_row =
      resolve(set_of("notebook,dimension,rater,score\na,d,r1,1\na,d,r2,3\na,d,r3,1\na,d,r4,3\n"), "majority");
  EXPECT_DOUBLE_EQ(*by_row[0].score, 3.0);
  // Same scores, but timestamps make r1's 1 the most recent.
  auto by_time = resolve(set_of("notebook,dimension,rater,score,timestamp\n"
                                "a,d,r1,1,2026-03-01T00:00:00Z\na,d,r2,3,2026-01-01T00:00:00Z\n"
                                "a,d,r3,1,2026-01-02T00:00:00Z\na,d,r4,3,2026-02-01T00:00:00Z\n"),
                         "majority");
  EXPECT_DOUBLE_EQ(*by_time[0].score, 1.0);
  // A clear majority wins whatever the order.
  EXPECT_DOUBLE_EQ(
      *resolve(set_of("notebook,dimension,rater,score\na,d,r1,2\na,d,r2,2\na,d,r3,1\n"), "majority")[0].score,
      2.0);
}

TEST(Labels, NASplitMajorityDecidesTieIsApplicable) {
  const LabelSet set = set_of(
      "notebook,dimension,rater,score\n"
      "a,d,r1,NA\na,d,r2,NA\na,d,r3,3\n"  // 2 N/A vs 1: N/A
      "b,d,r1,NA\nb,d,r2,2\n");           // tie: applicable, score 2
  auto r = resolve(set, "mean");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].score);
  EXPECT_EQ(r[0].sources.size(), 2u);
  ASSERT_TRUE(r[1].score);
  EXPECT_DOUBLE_EQ(*r[1].score, 2.0);
}

TEST(Labels, SharedExamplesRead) {
  JUDGE_REQUIRE_SHARED_DATA();
  LabelCheck check;
  check.rubric = &judge::rubric::default_rubric();
  const LabelSet ml = read_labels(judge::test::shared_data() / "labels/ml-notebooks.csv", check);
  EXPECT_EQ(ml.labels.size(), 720u);  // 721 lines = header + 720 rows, no multi-line fields (wc -l)
  const LabelSet hanna = read_labels(judge::test::shared_data() / "judgments/hanna/hanna_labels.csv");
  EXPECT_EQ(hanna.labels.size(), 19008u);  // 1,056 stories x 6 criteria x 3 raters
  EXPECT_EQ(resolve(hanna, "mean").size(), 1056u * 6);
  EXPECT_EQ(resolve(hanna, "human1").size(), 1056u * 6);
}

TEST(Labels, NonFiniteAndHugeScoresAreNotScores) {
  bool ok = true;
  for (const char* text : {"nan", "inf", "-inf", "1e300", "3000000000"}) {
    EXPECT_FALSE(parse_score_text(text, ok).has_value()) << text;
    EXPECT_FALSE(ok) << text;
  }
  EXPECT_EQ(parse_score_text("2.5", ok), 2.5);
  EXPECT_TRUE(ok);
}

TEST(Labels, JsonByContentWhateverTheName) {
  // JSON Lines in a file named .json: the first character decides, not the name.
  const auto lines =
      read_labels(write_temp("lines.json",
                             "{\"notebook\": \"a\", \"dimension\": \"d\", \"score\": 2}\n"
                             "{\"item\": \"b\", \"dimension\": \"d\", \"score\": null, \"rater\": \"r\"}\n"));
  ASSERT_EQ(lines.labels.size(), 2u);
  EXPECT_EQ(lines.labels[1].item, "b");
  EXPECT_FALSE(lines.labels[1].score);
  // One JSON array: a label's line is its element number.
  const auto array = read_labels(
      write_temp("array.json",
                 " [{\"notebook\": \"a\", \"dimension\": \"d\", \"score\": 3, \"feedback\": \"ok\"},\n"
                 "  {\"notebook\": \"b\", \"dimension\": \"d\", \"score\": \"NA\"}]\n"));
  ASSERT_EQ(array.labels.size(), 2u);
  EXPECT_EQ(array.labels[0].score, 3.0);
  EXPECT_EQ(array.labels[0].feedback, "ok");
  EXPECT_EQ(array.labels[1].line, 2);
  EXPECT_FALSE(array.labels[1].score);
  EXPECT_NE(error_of(write_temp("bad_array.json", "[{\"notebook\": \"a\", \"dimension\": \"d\"}, 3]"))
                .find("bad_array.json:2: expected a JSON object"),
            std::string::npos);
}

// A line that is no JSON names the line and says what the parser saw, without the parser's own tag
// ("[json.exception.parse_error.101]").
TEST(Labels, ALineThatIsNoJsonSaysWhereInWords) {
  const auto p = write_temp(
      "bad.jsonl", "{\"notebook\": \"a.ipynb\", \"dimension\": \"model_use\", \"score\": 2}\n{bad\n");
  const std::string e = error_of(p);
  EXPECT_NE(e.find("bad.jsonl:2: not valid JSON: parse error at line 1, column 2: syntax error while parsing "
                   "object key"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find("json.exception"), std::string::npos) << e;
}

TEST(Labels, EmptyFileSaysSo) {
  for (const char* name : {"empty.csv", "empty.jsonl"})
    EXPECT_NE(error_of(write_temp(name, " \n")).find(std::string(name) + ":1: the file is empty"),
              std::string::npos)
        << name;
}

// A score too large for an int (1e10, -3e9) was cast to int to compare it with the scale: undefined behaviour
// (UBSan in fuzz_labels). Reduced input: tests/regressions/labels_score_beyond_int.jsonl.
TEST(LabelsRegressions, AScoreBeyondAnIntIsOffTheScale) {
  LabelCheck check;
  check.rubric = &judge::rubric::default_rubric();
  const std::string e =
      error_of(judge::test::source_dir() / "tests/regressions/labels_score_beyond_int.jsonl", check);
  EXPECT_NE(e.find("labels_score_beyond_int.jsonl:1: score 1e+10 is off the scale (1..3 or NA)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("labels_score_beyond_int.jsonl:2: score -3e+09 is off the scale"), std::string::npos) << e;
}
