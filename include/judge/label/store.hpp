// SPDX-License-Identifier: MIT
// The labels file `judge label` edits: read in the long format `judge align` reads, changed one label at a
// time, written back atomically after every change, other raters' rows kept as they were.
#pragma once
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judge/labels/labels.hpp"
#include "judge/rubric/rubric.hpp"

namespace judge::label {

/// A label as `judge label` shows it, with its version: a digest of its score, feedback and timestamp, which
/// a client sends back with a change so that a change made from a stale copy is refused (LabelStore::save).
struct StoredLabel {
  std::string notebook;
  std::string dimension;
  std::string rater;
  std::optional<double> score;  ///< nullopt = N/A
  std::string feedback;
  std::string timestamp;
  std::string version;
};

/// One change a client asks for: the label of (notebook, dimension) by the store's rater.
struct SaveRequest {
  std::string notebook;
  std::string dimension;
  std::optional<double> score;  ///< nullopt = N/A
  std::string feedback;
  /// The version the client's copy has ("" for a label that did not exist); nullopt when the client sent
  /// none, which is fine for a new label and refused (stale, saying so) for one that exists.
  std::optional<std::string> version;
};

enum class SaveStatus {
  saved,    ///< written to the file
  stale,    ///< the client's version is not the stored one: nothing written
  invalid,  ///< the request is wrong (unknown dimension, score off the scale): nothing written
  blocked,  ///< the file has problems (listed in the message): nothing written until they are fixed
};

struct SaveResult {
  SaveStatus status = SaveStatus::invalid;
  std::string message;               ///< why it was not saved; empty when saved
  std::optional<StoredLabel> label;  ///< the label now stored (the new one, or for `stale` the current one)
};

/// The labels file. Reads it when it exists (a missing file is an empty one, created at the first save); a
/// JSON array file is refused when the store is made (judge::Error, ExitCode::usage): it would have to be
/// rewritten in another format.
/// Every save is written at once with util::write_file_atomic: the whole file, its rows in their order, the
/// rows this save does not change keeping their values (written back as read, except that a CSV header
/// missing a column a label needs, rater, feedback or timestamp, gets it at the end and every other row an
/// empty field for it), a changed row in place, a new row at the end. The file's format is kept: CSV, or JSON
/// Lines (one object a line); a new file is JSON Lines for a .jsonl/.ndjson name, else CSV with the columns
/// notebook, dimension, rater, score, feedback, timestamp. A file changed on disk since it was read (another
/// program, a second server) is read again before a save, so its changes are kept and its versions count.
/// Thread-safe: saves are serialised.
class LabelStore {
 public:
  /// `rater`: the rater whose labels this store changes. `rubric`: the scale and dimensions labels are
  /// checked against; `notebooks_dir`: where the labelled notebooks must exist (as judge align checks).
  /// Throws judge::Error (ExitCode::usage) naming the file for a JSON array file.
  LabelStore(std::filesystem::path path, std::string rater, rubric::Rubric rubric,
             std::filesystem::path notebooks_dir);

  const std::filesystem::path& path() const { return m_path; }
  const std::string& rater() const { return m_rater; }
  /// The file's problems, as judge align reports them ("FILE:LINE: what"), one a line; empty when none.
  /// While there are any, every save is refused (SaveStatus::blocked).
  std::vector<std::string> problems() const;
  /// What the file holds that may not be what it meant, as judge align warns of it (labels::LabelSet's
  /// warnings: an empty score, read as N/A); saves are not refused for it. Empty when none.
  std::vector<std::string> warnings() const;
  /// Every label in the file, in file order.
  std::vector<StoredLabel> labels() const;
  /// Saves one label of this store's rater (see the class comment). `known_notebook` says whether the
  /// request's notebook is one the caller serves (an unknown one is invalid).
  SaveResult save(const SaveRequest& request, bool known_notebook = true);

  /// The version of a label: the first 16 hex digits of sha256 over its score, feedback and timestamp.
  static std::string version_of(const labels::Label& label);

 private:
  struct Row {
    std::string raw;                     ///< the row's text as read or written, without its line end
    std::optional<labels::Label> label;  ///< parsed (absent for rows that did not parse)
  };
  void load();  // (re)reads m_path into m_rows; m_problems when it has any
  std::string serialise() const;
  std::string new_row_text(const labels::Label& label) const;

  std::filesystem::path m_path;
  std::string m_rater;
  rubric::Rubric m_rubric;
  std::filesystem::path m_notebooks_dir;
  mutable std::mutex m_mutex;
  bool m_jsonl = false;
  std::string m_header;                ///< CSV: the header row's text; JSON Lines: empty
  std::vector<std::string> m_columns;  ///< CSV: the header's column names, lower case
  std::vector<Row> m_rows;
  std::string m_text;  ///< the file's text as last read or written ("" when absent)
  bool m_exists = false;
  bool m_json_array = false;  ///< the file is a JSON array (a problem: judge label does not write one)
  std::vector<std::string> m_problems;
  std::vector<std::string> m_warnings;
};

}  // namespace judge::label
