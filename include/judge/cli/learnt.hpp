// SPDX-License-Identifier: MIT
// What judge align and judge memory forget say of the heuristic judge's learnt rules after a fit.
#pragma once
#include "judge/align/align.hpp"
#include "judge/memory/memory.hpp"

namespace judge::cli {

/// What a fit of the learnt rules learnt, said as judge align says it of its fit and judge memory forget of
/// its refit (align::refit_learnt_rules), for the dimensions of `s.rules_learnt` (those fitted with labels):
/// on stdout, the rules each learnt ("learnt rules: ...; no rule beat the judge's own verdicts on ...") and
/// the episodic blend weights; on stderr, a warning for the dimensions whose blend weight could not be learnt
/// and why (s.blend_unlearnt), for each of their learnt rules that rests on few labels (the memory's learnt
/// record, align::record_fragile_rules), and for each whose rules give every labelled notebook one score
/// (s.rules_one_score). Prints nothing when s.rules_learnt is empty (a judge that learns no rules).
void print_learnt(const memory::Memory& memory, const align::AlignSummary& s);

}  // namespace judge::cli
