// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "judge/verdict/verdict.hpp"

namespace judge::measure {

/// One judge score as read from a scores file.
struct ScoreRecord {
  std::string item;  ///< column/key `item` or `notebook`
  std::string dimension;
  std::string judge;                                 ///< empty when the file has no judge column
  verdict::Status status = verdict::Status::scored;  ///< never unreadable: read_scores counts it as unscored
  std::optional<double> score;                       ///< set only when status is scored
  std::string rationale;                             ///< `rationale` (or `feedback`) when present
  /// `flags` (JSON: an array of strings; CSV: a column of ';'-separated names) and `injection_cells` (JSON:
  /// an array of cell numbers; CSV: ';'-separated), as judge eval writes them for a notebook flagged for
  /// prompt injection; empty when absent.
  std::vector<std::string> flags;
  std::vector<int> injection_cells;
  /// JSON `labelled_in_memory`: judge eval --memory judged this notebook with a memory that holds its own
  /// labels (its learnt rules and weights were fitted on them: an in-sample score). false when absent.
  bool labelled_in_memory = false;
  int line = 0;          ///< 1-based line (CSV: the record's first line; JSON array: element number)
  std::size_t file = 0;  ///< index in ScoreSet::files of the file the record was read from
};

struct ScoreSet {
  std::vector<ScoreRecord> records;
  std::string source;  ///< file path (several read as one set: the paths, comma-separated)
  std::string hash;    ///< sha256 of the file text
  /// The files read, as named: one for read_scores; ScoreRecord::file indexes it. A problem with a record is
  /// placed as files[record.file]:record.line.
  std::vector<std::string> files;
};

/// Reads judge scores: `judge eval` output (JSON Lines, one JSON array, or its CSV) or any CSV / JSON Lines
/// with `item` (or `notebook`), `dimension`, `score`, optional `judge`, `status`, `rationale`. Format by
/// content, whatever the file is named: first non-blank character `[` = one JSON array, `{` = JSON Lines,
/// else CSV with a header row (RFC 4180).
/// Optional `flags` and `injection_cells` (see ScoreRecord); a value of the wrong shape is a problem too.
/// Status: the `status` field when present (verdict::parse_status; "unreadable", a notebook judge eval could
/// not read, counts as unscored: verdict::measured); without it a number is
/// scored and null / "NA" / "N/A" / an empty cell is N/A. Collects every problem (missing column, bad score,
/// unknown status) and throws one judge::Error listing them as "FILE:LINE: what is wrong".
ScoreSet read_scores(const std::filesystem::path& path);

}  // namespace judge::measure
