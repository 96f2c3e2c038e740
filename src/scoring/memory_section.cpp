// SPDX-License-Identifier: MIT
// The LLM judge's memory section: the guidelines and similar labelled episodes its prompt carries.
#include "judge/scoring/memory_section.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "judge/memory/merge.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/util/text.hpp"

namespace judge::scoring {

namespace {

// Fewest bytes of an excerpt worth showing once cut (as render_notebook does for a cell).
constexpr std::size_t k_min_excerpt_bytes = 200;

// The judge's verdict at alignment, when it differed from the human's and there is one to show.
std::optional<prompt::Episode::JudgeAnswer> contrast(const memory::Episode& e) {
  if (!e.own_verdict()) return std::nullopt;  // another judge said it: not this judge's to contrast
  if (e.judge_status == Status::not_applicable) {
    if (!e.human_score) return std::nullopt;  // both said N/A
    return prompt::Episode::JudgeAnswer{std::nullopt, e.judge_rationale};
  }
  if (e.judge_status != Status::scored || !e.judge_score)
    return std::nullopt;  // unscored: nothing to contrast
  if (e.human_score && std::fabs(*e.human_score - *e.judge_score) < 1e-9) return std::nullopt;
  return prompt::Episode::JudgeAnswer{e.judge_score, e.judge_rationale};
}

std::size_t text_bytes(const std::vector<std::string>& guidelines,
                       const std::vector<prompt::Episode>& episodes) {
  return prompt::memory_text({guidelines, episodes}).size();
}

// Guidelines merged and ranked: N/A guidance first, then by labels cited (most first), ties in file order.
std::vector<memory::Guideline> ranked(std::vector<memory::Guideline> guidelines) {
  std::set<std::string> cited;  // every citation is valid here: nothing is dropped for its citations
  for (const auto& g : guidelines) cited.insert(g.cites.begin(), g.cites.end());
  auto merged = memory::merge_guidelines(std::move(guidelines), cited);
  std::stable_sort(merged.begin(), merged.end(), [](const memory::Guideline& a, const memory::Guideline& b) {
    const bool na_a = speaks_of_na(a.text), na_b = speaks_of_na(b.text);
    if (na_a != na_b) return na_a;
    return a.cites.size() > b.cites.size();
  });
  return merged;
}

// Cuts the excerpts of `episodes` so that their text takes at most `room` bytes, as fit_memory_budget says.
void cut_excerpts(std::vector<prompt::Episode>& episodes, std::size_t room) {
  auto without_excerpts = episodes;
  for (auto& e : without_excerpts) e.excerpt.clear();
  // The least similar go first while even their text without excerpts does not fit.
  while (!without_excerpts.empty() && text_bytes({}, without_excerpts) > room) {
    without_excerpts.pop_back();
    episodes.pop_back();
  }
  if (episodes.empty()) return;
  std::size_t left = room - text_bytes({}, without_excerpts);
  // What each excerpt adds to the text: "Excerpt:\n" + the excerpt (tags escaped) + "\n".
  std::vector<std::size_t> cost(episodes.size()), order;
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    cost[i] = episodes[i].excerpt.empty()
                  ? 0
                  : text_bytes({}, {episodes[i]}) - text_bytes({}, {without_excerpts[i]});
    if (cost[i] > 0) order.push_back(i);
  }
  // Even shares, the shortest first: one shorter than its share leaves the rest to the longer ones.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
  for (std::size_t n = 0; n < order.size(); ++n) {
    auto& e = episodes[order[n]];
    const std::size_t share = left / (order.size() - n);
    if (cost[order[n]] <= share) {
      left -= cost[order[n]];
      continue;
    }
    // Off the share: the excerpt's overhead ("Excerpt:\n", "\n") and "\n... [truncated N chars]".
    const std::size_t overhead =
        cost[order[n]] - e.excerpt.size() + 23 + std::to_string(e.excerpt.size()).size();
    if (share < overhead + k_min_excerpt_bytes) {
      e.excerpt.clear();
      continue;
    }
    e.excerpt = util::truncate_utf8(e.excerpt, share - overhead);
    left -= std::min(left, text_bytes({}, {e}) - text_bytes({}, {without_excerpts[order[n]]}));
  }
}

}  // namespace

bool speaks_of_na(const std::string& guideline_text) {
  const std::string lower = util::to_lower(guideline_text);
  return lower.find("n/a") != std::string::npos || lower.find("not applicable") != std::string::npos;
}

// Why this way: the memory section was measured as it is, so a section within the budget must stay byte for
// byte what it was: nothing is ranked or merged unless something has to go. When something has to go,
// guidelines are cheap and general, so they are ranked and cut first by a rule a reviewer can check (N/A
// guidance first: an LLM judge's most frequent error on these rubrics is the N/A call; then the guidelines
// most labels support); examples are long mostly because of their excerpts, so the excerpts are shortened
// before any example is dropped, keeping every human score and feedback, which carry the judgement.
prompt::MemorySection fit_memory_budget(std::vector<memory::Guideline> guidelines,
                                        std::vector<prompt::Episode> episodes, std::size_t budget) {
  prompt::MemorySection section;
  for (const auto& g : guidelines) section.guidelines.push_back(g.text);
  section.episodes = episodes;
  // estimate_tokens(text) <= budget exactly when text.size() <= 4 * budget.
  const std::size_t bytes = budget * 4;
  if (budget == 0 || prompt::memory_text(section).size() <= bytes) return section;

  section.guidelines.clear();
  const std::size_t episodes_need = text_bytes({}, episodes);
  const std::size_t guideline_room = std::max(bytes / 4, bytes > episodes_need ? bytes - episodes_need : 0);
  for (auto& g : ranked(std::move(guidelines))) {
    section.guidelines.push_back(g.text);
    if (text_bytes(section.guidelines, {}) <= guideline_room) continue;
    section.guidelines.pop_back();
    break;
  }
  const std::size_t room = bytes - std::min(bytes, text_bytes(section.guidelines, {}));
  if (episodes_need > room) cut_excerpts(section.episodes, room);
  // Tag escapes can make a cut excerpt a few bytes longer than counted: drop from the end until it fits.
  while (prompt::memory_text(section).size() > bytes) {
    if (!section.episodes.empty())
      section.episodes.pop_back();
    else
      section.guidelines.pop_back();
  }
  return section;
}

prompt::MemorySection memory_section(const notebook::Notebook& nb, const rubric::Dimension& dimension,
                                     const MemoryUse& context, const MemoryOptions& options) {
  if (!context.memory) return {};
  std::vector<memory::Guideline> guidelines;
  if (context.use_guidelines)
    for (auto& g : context.memory->guidelines(dimension.id))
      if (g.source != "learnt" && !memory::is_fact_rule(g.text))  // the offline judge's rules, not a model's
        guidelines.push_back(std::move(g));
  std::vector<prompt::Episode> episodes;
  if (context.use_episodes)
    for (const auto& r : retrieve_episodes(nb, dimension.id, context)) {  // nb's own left out
      episodes.push_back({r.episode->notebook, r.episode->human_score, r.episode->feedback,
                          r.episode->excerpt,
                          options.contrastive_episodes ? contrast(*r.episode) : std::nullopt});
    }
  return fit_memory_budget(std::move(guidelines), std::move(episodes), options.budget);
}

}  // namespace judge::scoring
