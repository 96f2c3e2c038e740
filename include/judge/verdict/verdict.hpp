// SPDX-License-Identifier: MIT
// What a judge says about one (notebook, dimension): its status, score and reasons. The one definition of a
// verdict's status and its spellings, shared by the judges (scoring), memory's episodes, alignment,
// measuring and reports; no other module compares status strings.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace judge::verdict {

/// Outcome of judging one (notebook, dimension). `unreadable`: the notebook's file could not be read, so
/// nothing was judged (judge eval records it rather than leaving the notebook out); never a judge's verdict.
enum class Status { scored, not_applicable, unscored, unreadable };

/// The spelling of `status` in eval records, memory's episodes and reports: "scored", "not_applicable",
/// "unscored" or "unreadable".
const char* to_string(Status status);

/// The Status spelt `text` (exactly as to_string writes it); nullopt for any other text.
std::optional<Status> parse_status(std::string_view text);

/// Every spelling parse_status takes, in enum order, joined by ", " (for error messages).
std::string status_list();

/// True for a status that carries an error and no score: unscored or unreadable.
inline bool failed(Status status) { return status == Status::unscored || status == Status::unreadable; }

/// The status as measuring counts it: unreadable (a notebook nothing judged) counts as unscored, the others
/// are themselves.
inline Status measured(Status status) { return status == Status::unreadable ? Status::unscored : status; }

/// One judgement. A parse failure or provider failure is `unscored` with `error` set, never a score.
///
/// Why the judge-specific details stay in an ordered JSON object (`extra`) and not in typed fields: the eval
/// record writes them in the order the judge set them, and that order differs between judges (the heuristic
/// judge sets "episodes_left_out" before "episodes" and flags last; the LLM judge sets "episodes" first and
/// flags before "redactions"), so fixed typed fields would reorder the keys of judge eval's JSON output. The
/// details other code reads have typed accessors here (injection_cells, flag_injection) and their key names
/// live only in this module.
struct Verdict {
  std::string dimension;
  Status status = Status::unscored;
  std::optional<double> score;  ///< on the rubric's scale; may be fractional (mean of samples, memory blend)
  std::string rationale;        ///< cites cell numbers ("cell 4: ...")
  std::string error;            ///< why it is unscored or unreadable; empty otherwise
  /// Further fields written into the eval record as they are (episodes used, spread, tokens, flags, ...).
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
};

/// Marks `verdict` as coming from a notebook in which cells `cells` (1-based, in order) try to steer the
/// grader: extra gets "flags": ["prompt_injection"] and "injection_cells": cells. Scores are not touched.
void flag_injection(Verdict& verdict, const std::vector<int>& cells);

/// The cells flag_injection recorded in `verdict`; empty when it is not flagged.
std::vector<int> injection_cells(const Verdict& verdict);

}  // namespace judge::verdict
