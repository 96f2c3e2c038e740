// SPDX-License-Identifier: MIT
// judge merge: the parts of one judge eval run (run on several machines, or with --shard K/N) as one file.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace judge::verdict {

/// A notebook name the merged run must hold, and where it was listed ("FILE:LINE").
struct ExpectedNotebook {
  std::string name;
  std::string place;
};

/// The merged run.
struct Merged {
  std::string format;  ///< "jsonl" or "csv" (the parts' format); "jsonl" when every part is empty
  std::string text;    ///< the merged file: CSV's header once, then the records (see merge_parts for order)
  std::size_t parts = 0, empty_parts = 0, records = 0, notebooks = 0;
  std::optional<std::uint64_t> shard_count;  ///< N when the parts are judge eval --shard K/N parts
};

/// Joins the outputs of judge eval runs that are parts of one run: JSON Lines (each line kept byte for byte)
/// or eval's CSV (header notebook,dimension,...; each row kept field for field, quoted as eval quotes it),
/// all parts in one format, told by content (first non-blank character `{`: JSON Lines; else CSV). An empty
/// file is an error unless `allow_empty`: a judge eval that failed leaves one too (the shell makes the
/// file `> part.jsonl` before eval runs). With `allow_empty` it is a part with no records (a shard that held
/// no notebook).
///
/// Order: notebooks sorted by path, compared component by component (std::filesystem::path, the order of a
/// folder walk), each notebook's records in the order of the parts given, then of their lines; so the result
/// does not depend on the order the parts were given in when each notebook is in one part.
///
/// Checks, every problem collected and reported together in one judge::Error (runtime), each naming its
/// FILE:LINE (at most 20 of each kind listed, with how many more):
/// - a file given twice (by the same path, after resolving links and `..`): named once, read once;
/// - format: a JSON array, table or Markdown output (eval --format json/table/markdown), a line that is not
///   a JSON object with string "notebook" and "dimension", or parts in different formats or CSV headers;
/// - duplicate items: the same (notebook, dimension) twice, in one part or two;
/// - provenance: every record must carry the first record's "judge" and, in JSON, the same "provenance"
///   (tool version, judge spec, model parameters, rubric hash; the prompt template hash, which differs for a
///   notebook flagged for prompt injection, is not compared); one problem per part and differing key; and
///   in JSON Lines, when one part's records show memory (episodes, episodes_left_out, rule_score or
///   learnt_rule: judge eval --memory), each part has such a record;
/// - shards (JSON, the records' "shard": "K/N"): one part is one shard; all parts are shards of the same N
///   or none is; no shard twice; every shard 1..N present, an empty part standing for one missing shard
///   (the missing shards are one problem naming the first 10, then how many more);
/// - missing items: every notebook has a record for every dimension some record has;
/// - `expected` (when not empty): each of its notebooks has records, and no other notebook has any.
/// A part that cannot be read is a judge::Error naming it.
Merged merge_parts(const std::vector<std::filesystem::path>& parts,
                   const std::vector<ExpectedNotebook>& expected = {}, bool allow_empty = false);

/// The provenance check of merge_parts for score files that are read together without being merged (judge
/// report --scores A --scores B): the records of one judge (their "judge" value) are the parts of one run, so
/// each must carry the provenance of that judge's first record, whichever file holds it, compared as
/// merge_parts compares it, and either all of them or none were judged with memory (episodes or learnt rules
/// in the records); records of different judges are different runs and are not compared. Only JSON
/// Lines and CSV judge eval records are read: lines of other score files (item, dimension, score) and the
/// files merge_parts alone refuses (empty, JSON arrays, tables) are not checked. Throws judge::Error
/// (runtime) listing every difference as FILE:LINE with the FILE:LINE of the record it differs from; a file
/// that cannot be read is a judge::Error naming it.
void check_run_provenance(const std::vector<std::filesystem::path>& files);

}  // namespace judge::verdict
