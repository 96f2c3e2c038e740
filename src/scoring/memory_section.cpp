// SPDX-License-Identifier: MIT
// The LLM judge's memory section: the guidelines and similar labelled episodes its prompt carries.
#include "judge/scoring/memory_section.hpp"

namespace judge::scoring {

prompt::MemorySection memory_section(const notebook::Notebook& nb, const rubric::Dimension& dimension,
                                     const Context& context) {
  prompt::MemorySection section;
  if (!context.memory) return section;
  if (context.use_guidelines)
    for (const auto& g : context.memory->guidelines(dimension.id)) section.guidelines.push_back(g.text);
  if (context.use_episodes)
    for (const auto& r :
         context.memory->retrieve(dimension.id, context.memory->excerpt(nb, dimension.id), context.top_k)) {
      if (r.episode->notebook == nb.path)
        continue;  // never show the model a human's verdict on this notebook
      section.episodes.push_back(
          {r.episode->notebook, r.episode->human_score, r.episode->feedback, r.episode->excerpt});
    }
  return section;
}

}  // namespace judge::scoring
