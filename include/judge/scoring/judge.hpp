// SPDX-License-Identifier: MIT
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "judge/llm/provider.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::memory {
class Memory;  // judge/memory/memory.hpp
}

namespace judge::scoring {

// The verdict types (judge/verdict/verdict.hpp), named here for scoring's own code; other modules name them
// verdict::Status and verdict::Verdict.
using verdict::Status;
using verdict::Verdict;

/// Which aligned memory a judge may use for one notebook, and how (retrieval top-k, own-episode rule). An
/// empty MemoryUse (memory == nullptr) judges without memory.
struct MemoryUse {
  const memory::Memory* memory = nullptr;  ///< aligned memory, or nullptr
  int top_k = 5;                           ///< episodes retrieved per (notebook, dimension)
  /// Which parts of `memory` a judge may use (judge validate's conditions): semantic memory (guidelines)
  /// and episodic memory (labelled examples). The heuristic judge uses episodes only.
  bool use_guidelines = true, use_episodes = true;
  /// sha256 of the file the judged notebook was read from (the archive for a notebook inside a .dbc), as
  /// memory::Episode::notebook_hash records it at alignment; empty: unknown (then only an equal path tells
  /// a notebook's own episodes).
  std::string notebook_hash{};
  /// false: a notebook's own episodes (same notebook_hash, or same path) are never retrieved when it is
  /// judged, so memory cannot show a notebook its own label; true: they may be (production use on notebooks
  /// that are labelled already).
  bool own_episodes = false;
};

/// One model call a judge would make: its request, and the tokens (prompt::estimate_tokens) of the memory
/// section in it (0 without memory). For --dry-run.
struct PlannedCall {
  llm::ChatRequest request;
  std::size_t memory_tokens = 0;
};

/// Marks the verdicts of a notebook in which prompt::detect_injection found attempts to steer the grader:
/// when `findings` is not empty, each verdict's extra gets "flags": ["prompt_injection"] and
/// "injection_cells": [the findings' cell numbers, in order]; nothing changes otherwise. Scores are never
/// touched: the flag tells a reviewer to check them. Every judge calls it, so a flag is a property of the
/// notebook whatever the judge.
void flag_injection(const std::vector<prompt::InjectionFinding>& findings, std::vector<Verdict>& verdicts);

/// A judge scores notebooks on a rubric's dimensions. Implementations: the offline heuristic judge and the
/// LLM judge (any provider). Thread-safe: score() may be called from several threads at once.
class Judge {
 public:
  virtual ~Judge() = default;
  /// The spec the judge was made from, e.g. "heuristic" or "openai:gpt-4.1-mini".
  virtual std::string spec() const = 0;
  /// True for a judge whose semantic memory is learnt rules over named facts (docs/facts.md) rather than
  /// guidelines in a prompt: judge align then fits rules for it (align::learn_fact_rules).
  virtual bool learns_fact_rules() const { return false; }
  /// True for a judge that calls a model (costs calls and time, replies may vary): eval then asks per
  /// dimension, align keeps recorded verdicts instead of re-judging, --dry-run plans calls. False for a
  /// judge that is free and deterministic (the heuristic): align re-judges every notebook.
  virtual bool calls_model() const { return false; }
  /// Every call score() would make for `nb` (one per item and sample), without making it; empty for a
  /// judge that calls no model.
  virtual std::vector<PlannedCall> plan(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                        const MemoryUse& context) const {
    (void)nb, (void)rubric, (void)context;
    return {};
  }
  /// Why this judge cannot score some dimensions of `rubric`, one line per problem, found before any
  /// notebook is read (the CLI warns with them when the rubric loads); empty when it can score them all.
  virtual std::vector<std::string> cannot_score(const rubric::Rubric& rubric) const {
    (void)rubric;
    return {};
  }
  /// One verdict per dimension of `rubric`, in rubric order. Never throws for a per-item failure (that is
  /// an `unscored` verdict); throws judge::Error only for unrecoverable configuration problems.
  virtual std::vector<Verdict> score(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                     const MemoryUse& context) = 0;
};

}  // namespace judge::scoring
