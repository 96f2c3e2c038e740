// SPDX-License-Identifier: MIT
// Which notebooks one judge eval process takes: paths read from a list (--paths-from), and one part of a run
// split over machines (--shard K/N, docs/scale.md).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "judge/notebook/notebook.hpp"
#include "judge/util/shard.hpp"
#include "judge/verdict/record.hpp"

namespace judge::cli {

/// The notebook paths listed in `source`, one a line ("-": standard input), in order: a trailing '\r' is
/// dropped, blank lines are skipped, every other character is part of the path (spaces included). Each path
/// must exist; every one that does not is a problem "SOURCE:LINE: PATH: no such file or folder", reported
/// together in one judge::Error (usage). A file that cannot be read is a judge::Error (runtime).
std::vector<std::string> read_path_list(const std::string& source);

/// Keeps the notebooks (and unreadable files) of `shard` (util::shard_of on each one's path, as eval names
/// it), in their order; the others are dropped. Prints on stderr how many of how many the shard holds.
void keep_shard(const util::Shard& shard, std::vector<notebook::Notebook>& notebooks,
                std::vector<notebook::ReadError>& unreadable);

/// Records the part on each record as `"shard": "K/N"` (after its other keys), so that judge merge can
/// tell which parts of a run it was given and which are missing.
void record_shard(const util::Shard& shard, std::vector<verdict::EvalRecord>& records);

}  // namespace judge::cli
