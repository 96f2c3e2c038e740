// SPDX-License-Identifier: MIT
// judge eval's output as the records come: streamed in a streaming format, at the end in the others.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "judge/util/fs.hpp"
#include "judge/verdict/record.hpp"

namespace judge::cli {

/// Where judge eval's records go, in the order add() is called. A streaming format (verdict::streams:
/// jsonl, csv) writes each record when it is added, so memory holds no record; the others (table, json,
/// markdown) keep the records and write them all in finish(). Output goes to standard output (flushed at
/// each flush()), or, when `file` is not empty, to util::AtomicFile(file) (a temporary file growing beside
/// it, renamed over it in finish(); left out when the run stops before finish(), so FILE is never half
/// written). Keeps the tallies the summary needs and the records flagged for prompt injection. Not
/// thread-safe.
class EvalOutput {
 public:
  /// Counts of the records added: all, unscored, unreadable.
  struct Tally {
    std::size_t records = 0;
    std::size_t unscored = 0;
    std::size_t unreadable = 0;
  };

  /// `format`: one of verdict::record_formats(); `dimensions`: the grid formats' columns; `with_memory`:
  /// the run judges with a memory (CSV gets the labelled_in_memory column, verdict::write_records). Throws
  /// judge::Error as util::AtomicFile does (missing folder, a folder named as the file, ...).
  EvalOutput(const std::string& file, std::string format, std::vector<std::string> dimensions,
             bool with_memory = false);
  /// Takes one record (written at once when the format streams).
  void add(verdict::EvalRecord record);
  /// Pushes what was written to its reader (standard output's buffer); a no-op for a file.
  void flush();
  /// Writes what is left (the whole output of a non-streaming format) and commits the file. Once.
  void finish();

  const Tally& tally() const { return m_tally; }
  /// The records added that carry injection_cells (verdict::injection_cells), in order.
  const std::vector<verdict::EvalRecord>& flagged() const { return m_flagged; }

 private:
  void write(const std::string& text);

  std::string m_format;
  std::vector<std::string> m_dimensions;
  bool m_with_memory;
  bool m_streams;
  std::unique_ptr<util::AtomicFile> m_file;  // null: standard output
  std::vector<verdict::EvalRecord> m_kept;   // a non-streaming format's records
  std::vector<verdict::EvalRecord> m_flagged;
  Tally m_tally;
};

}  // namespace judge::cli
