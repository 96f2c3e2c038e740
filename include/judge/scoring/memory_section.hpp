// SPDX-License-Identifier: MIT
#pragma once
#include "judge/memory/memory.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/scoring/judge.hpp"

namespace judge::scoring {

/// The LLM judge's memory section (scoring::MemoryFn) for one (notebook, dimension): every guideline of the
/// dimension, and its context.top_k episodes most similar to the notebook's excerpt (Memory::excerpt), most
/// similar first, each with the human score, feedback, excerpt and the notebook it came from. Guidelines only
/// when context.use_guidelines, episodes only when context.use_episodes. Empty without memory in the context.
prompt::MemorySection memory_section(const notebook::Notebook& nb, const rubric::Dimension& dimension,
                                     const Context& context);

}  // namespace judge::scoring
