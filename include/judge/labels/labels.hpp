// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace judge::rubric {
struct Rubric;
}

namespace judge::labels {

/// One human label, long format. `item` is the notebook path (column `notebook` or `item`).
struct Label {
  std::string item;
  std::string dimension;
  std::optional<double> score;  ///< nullopt = N/A ("NA", "N/A" or an empty cell in CSV; null in JSON)
  std::string feedback;         ///< free text, may be empty
  std::string rater;            ///< empty when the file has no rater column
  std::string timestamp;        ///< as written (ISO 8601 expected); empty when absent
  int line = 0;                 ///< 1-based line in the file (CSV: the record's first line)

  /// "item#dimension#rater": stable under edits of the file; guidelines cite these ids.
  std::string id() const;
};

struct LabelSet {
  std::vector<Label> labels;
  std::string source;  ///< file path
  std::string hash;    ///< sha256 of the file text
  /// With LabelCheck::skip_missing: the labels whose notebook is not under the notebooks folder, in file
  /// order, left out of `labels` (align keeps the episodes memory has of them; measurements leave them out).
  std::vector<Label> skipped;
  /// What was read but may not be what the file meant, one line each, naming the file and its lines: empty
  /// scores (a CSV cell, or "" in JSON; read as N/A, like NA; a forgotten score would teach memory an N/A).
  std::vector<std::string> warnings;
};

/// What read_labels checks besides the file's shape.
struct LabelCheck {
  const rubric::Rubric* rubric = nullptr;  ///< when set: dimension known, score on the scale (or N/A allowed)
  std::filesystem::path notebooks_dir;     ///< when non-empty: each item must exist under it
  /// With notebooks_dir: the labels of notebooks not found are set aside in LabelSet::skipped instead of
  /// being problems; none of the labelled notebooks found is still one.
  bool skip_missing = false;
  /// The not-found problem says that setting skip_missing_notebooks goes on without those notebooks (for a
  /// command that has it; judge label has not).
  bool skip_missing_offered = false;
};

/// Reads labels from CSV (RFC 4180, header row), JSON Lines or one JSON array of objects. Format by content,
/// whatever the file is named: first non-blank character `[` = JSON array (a label's line is its element
/// number), `{` = JSON Lines, else JSON Lines for a .jsonl/.ndjson name, else CSV; an empty file is an error.
/// Columns (keys): notebook|item, dimension, score; optional feedback, rater, timestamp.
/// Collects every problem (missing column, unknown dimension, score off the scale, notebook not found,
/// duplicate row) and throws one judge::Error listing them as "FILE:LINE: what is wrong". A notebook not
/// found is one problem naming the lines of all its labels ("FILE:2-10: notebook not found: DIR/x.ipynb
/// (9 labels)"; the first 10 such notebooks, then how many more); when none of the labelled notebooks is
/// found, one problem says so and that the labels' paths are relative to setting notebooks. A
/// check.notebooks_dir that is missing or not a folder is checked first: one judge::Error (ExitCode::usage).
LabelSet read_labels(const std::filesystem::path& path, const LabelCheck& check = {});

/// read_labels that does not throw for problems of the labels: every label that could be read (rows with a
/// problem of their own, such as a duplicate row or an unknown dimension, included; rows that could not be
/// read, such as a score that is not a number, left out), and in `problems` every problem read_labels would
/// list, one "FILE:LINE: what" an entry. For a tool that shows a file with problems for fixing (judge
/// label). A missing notebooks folder, or a file that cannot be read, still throws judge::Error.
LabelSet read_labels(const std::filesystem::path& path, const LabelCheck& check,
                     std::vector<std::string>& problems);

/// The checks of read_labels against check.rubric (dimension known, score on the scale or N/A allowed) of a
/// set read already without them, its file not read again (it may be a pipe): throws the judge::Error
/// read_labels would, naming set.source and each line. Nothing is thrown without check.rubric.
void check_against_rubric(const LabelSet& set, const LabelCheck& check);

/// Reads one score cell: a number (returned, surrounding space ignored), or NA or N/A in any case, or an
/// empty cell (N/A: nullopt). Sets `ok` to false (and returns nullopt) for anything else.
std::optional<double> parse_score_text(std::string_view text, bool& ok);

/// A notebook path in one spelling, to tell two spellings of one path from two notebooks: forward slashes,
/// no "." parts and no repeated separators ("./ipynb/a.ipynb", "ipynb//a.ipynb" and "ipynb/./a.ipynb" are
/// "ipynb/a.ipynb"). ".." parts stay: through a symbolic link "d/../x" is another file than "x". An id that
/// is no path ("story_12", "a.dbc!/inside") is unchanged. Labels keep the spelling they were written in
/// (memories aligned on them record it); read_labels refuses two spellings of one path in a file, and the
/// label tool writes a notebook's new labels in the spelling its file already uses.
std::string normal_item(std::string_view item);

/// A score as messages about labels and scores spell it: "9", "9.5", "2.25" (at most 6 significant digits,
/// no trailing zeros; never "9.000000").
std::string format_score(double score);

/// How several labels for one (item, dimension) become one: "mean", "median", "majority" (ties go to the
/// most recent label: by timestamp, else the later row) or a rater id (that rater's label only).
/// N/A: where raters split on N/A, the majority decides and a tie counts as applicable.
struct ResolvedLabel {
  std::string item;
  std::string dimension;
  std::optional<double> score;        ///< nullopt = N/A
  std::vector<const Label*> sources;  ///< the labels it came from (pointers into the LabelSet)
};

/// Resolves several raters. Throws judge::Error (usage) for an unknown policy or a rater id not in the set.
std::vector<ResolvedLabel> resolve(const LabelSet& set, const std::string& policy);

}  // namespace judge::labels
