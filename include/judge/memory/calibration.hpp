// SPDX-License-Identifier: MIT
// The calibration saved with a memory (calibration.json): per dimension, an isotonic map from the judge's
// own score to the human one, fitted at judge align --calibrate, refitted by judge memory forget, applied by
// judge eval (scoring::apply_calibration).
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "judge/memory/memory.hpp"
#include "judge/stats/calibration.hpp"

namespace judge::memory {

/// A calibration saved with a memory: per dimension, a monotone map from the judge's score to the human one.
struct Calibration {
  std::map<std::string, stats::IsotonicMap> maps;
  std::map<std::string, std::size_t> pairs;                 ///< pairs each map was fitted on
  std::string judge;                                        ///< the judge spec whose scores were fitted
  stats::IsotonicLoss loss = stats::IsotonicLoss::squared;  ///< "isotonic" or "isotonic-median"
};

/// Per dimension, the isotonic map from the judge's own scores at alignment (Episode::judge_score, no
/// memory) to the human scores of the memory's episodes, over episodes where both are scored, the memory's
/// rules leave the judge's score as it is and no person's rule decides it (a rule's score is fitted to the
/// labels already, and a person's is final: eval calibrates neither, scoring::apply_calibration; an episode
/// without recorded facts is left out of a dimension with rules). Dimensions without such pairs are left out.
/// loss as in stats::IsotonicMap::fit.
Calibration fit_calibration(const memory::Memory& memory,
                            stats::IsotonicLoss loss = stats::IsotonicLoss::squared);

/// Writes calibration.json into a memory folder, atomically: {"schema_version": 1, "map": "isotonic" or
/// "isotonic-median", "judge": SPEC, "dimensions": {DIMENSION: {"n": N, "x": [...], "y": [...]}}, "digest":
/// D} (docs/memory.md). D (calibration_digest) ties it to the memory saved in the folder, so save the memory
/// first; a folder without memory.json gets no digest.
void save_calibration(const std::filesystem::path& memory_dir, const Calibration& calibration);
/// Reads calibration.json from a memory folder; nullopt when the folder has none. Throws judge::Error naming
/// the file for a bad schema_version or malformed knots.
std::optional<Calibration> load_calibration(const std::filesystem::path& memory_dir);
/// After the memory saved in `memory_dir` changed (forget, align): its calibration.json, `old` as loaded
/// before the change, fitted again on `memory`'s episodes with the map it records and saved, or deleted when
/// no episode is left with both a judge and a human score. Returns the calibration saved; nullopt when `old`
/// is nullopt (nothing done) or the file was deleted.
std::optional<Calibration> refit_calibration(const std::filesystem::path& memory_dir,
                                             const memory::Memory& memory,
                                             const std::optional<Calibration>& old);
/// Deletes calibration.json from a memory folder, if there. Throws judge::Error naming the file when it
/// cannot be deleted.
void remove_calibration(const std::filesystem::path& memory_dir);

}  // namespace judge::memory
