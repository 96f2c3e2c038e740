// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <string>

#include "judge/memory/memory.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// How an LLM judge's memory section is cut and what its examples say (settings memory_budget and
/// contrastive_episodes, docs/memory.md).
struct MemoryOptions {
  /// The default budget: no section of a memory aligned on the 40 house-labelled notebooks (k = 5) is cut by
  /// it (the mean is 4,897 tokens; tests/scoring/memory_section_test.cpp checks that none is cut).
  static constexpr std::size_t k_default_budget = 8000;
  /// Most tokens (prompt::estimate_tokens, 4 bytes a token) of the section's text (prompt::memory_text);
  /// 0: no limit.
  std::size_t budget = k_default_budget;
  /// Each example also says what the judge answered at alignment when it differed from the human.
  bool contrastive_episodes = false;
};

/// True when a guideline speaks of N/A: its text holds "N/A" or "not applicable" (any case).
bool speaks_of_na(const std::string& guideline_text);

/// The LLM judge's memory section for one (notebook, dimension): the guidelines of the dimension in file
/// order, except `source: learnt` ones (machine-readable rules for the offline judge, never put in a
/// prompt), and its context.top_k episodes most similar to the notebook's excerpt (Memory::excerpt), most
/// similar first, each with the human score, feedback, excerpt and the notebook it came from (an episode of
/// the notebook itself is left out); with options.contrastive_episodes, each also with the judge's verdict
/// and rationale recorded at alignment when the judge's status or score differed from the human's (an
/// unscored judge verdict is not shown). Guidelines only when context.use_guidelines, episodes only when
/// context.use_episodes. Empty without memory in the context.
///
/// When the section's text (prompt::memory_text) is over options.budget tokens it is cut as
/// fit_memory_budget says; within the budget it is exactly the above (nothing ranked or merged).
prompt::MemorySection memory_section(const notebook::Notebook& nb, const rubric::Dimension& dimension,
                                     const MemoryUse& context, const MemoryOptions& options = {});

/// Cuts a memory section to at most `budget` tokens of prompt::memory_text (budget 0: no limit; a section
/// within the budget is returned as it is). `guidelines` are the section's guidelines (with their sources
/// and citations, in file order); `episodes` its examples, most similar first.
///  1. Guidelines: near-duplicates merged (memory::merge_guidelines), then ranked: N/A guidance first
///     (speaks_of_na), then by the number of labels cited, most first (ties: file order); the longest prefix
///     of the ranking that fits their share is kept, in rank order. Their share: what the examples do not
///     need, and at least a quarter of the budget.
///  2. Examples: the rest of the budget. When they do not all fit whole, the least similar are dropped while
///     even their text without excerpts does not fit; then the excerpts share what is left evenly (an
///     excerpt shorter than its share leaves the difference to the others) and each longer one is cut
///     (util::truncate_utf8, "... [truncated N chars]"), or left out when less than 200 bytes of it would
///     remain.
prompt::MemorySection fit_memory_budget(std::vector<memory::Guideline> guidelines,
                                        std::vector<prompt::Episode> episodes, std::size_t budget);

}  // namespace judge::scoring
