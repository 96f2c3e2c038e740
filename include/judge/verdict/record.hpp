// SPDX-License-Identifier: MIT
#pragma once
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "judge/verdict/verdict.hpp"

namespace judge::verdict {

// judge eval's record of one verdict: its JSON and its output formats. measure::read_scores reads them back.

/// One row of `judge eval` output: a verdict with the notebook and judge it belongs to.
/// JSON Lines shape (keys in this order, then Verdict::extra's keys):
///   {"notebook": PATH, "dimension": ID, "status": "scored"|"not_applicable"|"unscored"|"unreadable",
///    "score": NUMBER|null, "rationale": TEXT, "judge": SPEC, "error": TEXT (only when unscored or
///    unreadable: the reason)}
struct EvalRecord {
  std::string notebook;
  std::string judge;
  Verdict verdict;
};

/// The record in the JSON Lines shape above: "score" only for a scored verdict (null otherwise), "error"
/// only for a failed one (verdict::failed), then the verdict's extra keys in the order they were set.
nlohmann::ordered_json to_json(const EvalRecord& record);

/// The notebooks whose records carry injection_cells (flag_injection), in first-seen order, as
/// "NB (cells 1, 3); NB2 (cell 4)"; "" when none is flagged. `count` (when not null) gets how many.
std::string flagged_notebooks(const std::vector<EvalRecord>& records, std::size_t* count = nullptr);

/// The output formats of `judge eval`, in the order its --format lists them: "table" (aligned text,
/// notebook x dimension), "jsonl", "json" (one array), "csv" (RFC 4180; columns
/// notebook,dimension,status,score,rationale,judge, and labelled_in_memory (true or false) when written
/// `with_memory`; N/A is "NA"), "markdown". The grids ("table",
/// "markdown") end with a line naming the notebooks flagged for prompt injection (records with
/// injection_cells) when there are any; JSON keeps the flags on each record; CSV has no flag column.
const std::vector<std::string>& record_formats();

/// Writes `records` in `format` (one of record_formats()); `dimensions` are the grids' columns, in order.
/// `with_memory`: the records were judged with a memory (judge eval --memory), so CSV has the column
/// labelled_in_memory (JSON has the key on the records it is true of). Throws judge::Error (usage) for
/// another format, naming the known ones.
void write_records(std::ostream& out, const std::vector<EvalRecord>& records,
                   const std::vector<std::string>& dimensions, const std::string& format,
                   bool with_memory = false);

/// Whether `format` can be written one record at a time, as the records come ("jsonl", "csv"): then
/// stream_header(format) followed by stream_line(r, format) for each record, in order, is exactly what
/// write_records writes. The others (grids, one JSON array) need every record first.
bool streams(const std::string& format);
/// The text a streaming format writes before its first record: CSV's header line ("" for JSON Lines).
/// Throws judge::Error (internal) for a format that does not stream.
std::string stream_header(const std::string& format, bool with_memory = false);
/// One record as a streaming format writes it, its newline included. Throws as stream_header.
std::string stream_line(const EvalRecord& record, const std::string& format, bool with_memory = false);

}  // namespace judge::verdict
