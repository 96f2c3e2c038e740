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
/// together in one judge::Error (usage). A folder given as `source` is a judge::Error (usage) saying so (it
/// would read as an empty list); a file that cannot be read is a judge::Error (runtime).
std::vector<std::string> read_path_list(const std::string& source);

/// Which notebooks one judge eval process takes: every one, or those of one shard (util::shard_of on the
/// notebook's name as eval writes it: the path as given, "ARCHIVE.dbc!/inner" in an archive). Asked once per
/// notebook (after de-duplication), as the notebooks are read, so that a process keeps only its own part in
/// memory; counts what it was asked about and what it kept.
class NotebookFilter {
 public:
  explicit NotebookFilter(std::optional<util::Shard> shard) : m_shard(shard) {}
  /// True when the notebook (or unreadable file) named `name` is this process's.
  bool keep(const std::string& name);
  /// Notebooks (and unreadable files) asked about so far.
  std::size_t seen() const { return m_seen; }
  /// With a shard, "judge: shard K/N: KEPT of SEEN notebooks" on stderr (", nothing to score" when none).
  void report() const;

 private:
  std::optional<util::Shard> m_shard;
  std::size_t m_seen = 0, m_kept = 0;
};

/// Records the part on a record as `"shard": "K/N"` (after its other keys), so that judge merge can tell
/// which parts of a run it was given and which are missing.
void record_shard(const util::Shard& shard, verdict::EvalRecord& record);

}  // namespace judge::cli
