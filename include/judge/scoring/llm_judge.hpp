// SPDX-License-Identifier: MIT
#pragma once
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "judge/llm/provider.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/scoring/judge.hpp"
#include "judge/scoring/memory_section.hpp"

namespace judge::scoring {

/// Fills the prompt's memory section for one (notebook, dimension).
using MemoryFn = std::function<prompt::MemorySection(const notebook::Notebook&, const rubric::Dimension&,
                                                     const MemoryUse&)>;

struct LlmJudgeOptions {
  bool batch_dimensions = false;  ///< one call for all dimensions of a notebook instead of one per dimension
  int samples = 1;                ///< calls per item; > 1 records the mean and the spread
  double temperature = 0.0;       ///< with samples > 1 a temperature of 0 is raised to k_sample_temperature
  int max_tokens = 1024;
  bool redact = true;  ///< mask secrets (scoring/redact.hpp) before the notebook leaves the machine
  prompt::RenderOptions render;
  MemoryFn
      memory;  ///< empty: scoring::memory_section with memory_options (aligned memory from the MemoryUse)
  MemoryOptions memory_options;  ///< memory budget and contrastive episodes, for scoring::memory_section

  static constexpr double k_sample_temperature = 0.7;
  double effective_temperature() const {
    return samples > 1 && temperature <= 0 ? k_sample_temperature : temperature;
  }
};

/// A judge that asks a chat model. Per item (a (notebook, dimension), or a notebook with batch_dimensions)
/// it sends the judge prompt (prompt/prompt.hpp) asking for JSON matching prompt::verdict_schema, reads the
/// reply with scoring/reply.hpp, and when the reply has no valid score asks once more stating the error;
/// a second failure is `unscored` with the reason. A provider failure makes the item `unscored` with the
/// error kind, except auth and config failures, which throw judge::Error (the run stops, exit 1).
/// Memory (MemoryUse::memory, through LlmJudgeOptions::memory) is used when each call judges one dimension; a
/// verdict then lists the ids of the episodes shown ("episodes"), the number of guidelines ("guidelines")
/// and, unless MemoryUse::own_episodes, how many of the notebook's own episodes were left out
/// ("episodes_left_out"). A notebook with prompt-injection findings (prompt::detect_injection) gets a prompt
/// that names the flagged cells (prompt::injection_note). Each verdict's extra holds: flags/injection_cells
/// (flag_injection),
/// redactions, samples and spread (samples > 1), tokens, latency_s, cached, and provenance (see
/// provenance()).
class LlmJudge : public Judge {
 public:
  LlmJudge(std::shared_ptr<llm::ChatProvider> provider, LlmJudgeOptions options = {});
  std::string spec() const override { return m_provider->spec(); }
  std::vector<Verdict> score(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                             const MemoryUse& context) override;

  bool calls_model() const override { return true; }
  /// Every call score() would make (one per item and sample; each its first request), for --dry-run.
  std::vector<PlannedCall> plan(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                const MemoryUse& context) const override;

  /// The text of the memory section (prompt::memory_text) that an LlmJudge with `options` puts in its prompt
  /// for `nb` on `dimension` when each call judges one dimension: built, as score() does, from the notebook
  /// as sent (secrets masked when options.redact) by options.memory, else memory_section with
  /// options.memory_options. "" when there is none. For judge memory show --prompt.
  static std::string memory_prompt(const LlmJudgeOptions& options, const notebook::Notebook& nb,
                                   const rubric::Dimension& dimension, const MemoryUse& context);

  /// The notebook as the prompt of an LlmJudge with `options` shows it in a call about `dimensions`: secrets
  /// masked when options.redact (as score() sends it), rendered by prompt::render_notebook with
  /// options.render (its outputs cut, its cells kept by relevance to `dimensions` over the token budget).
  /// For judge notebook show.
  static prompt::RenderedNotebook notebook_as_sent(const LlmJudgeOptions& options,
                                                   const notebook::Notebook& nb,
                                                   const std::vector<const rubric::Dimension*>& dimensions);

  /// {"tool_version", "judge", "model_params": {temperature, max_tokens, samples, batch_dimensions,
  /// token_budget, redact, memory_budget, contrastive_episodes}, "rubric_hash", "prompt_template_hash"
  /// (prompt::template_hash(contrastive_episodes, flagged))}. `flagged`: the notebook has prompt-injection
  /// findings, so its prompt carries prompt::injection_note.
  nlohmann::ordered_json provenance(const rubric::Rubric& rubric, bool flagged = false) const;

 private:
  std::vector<std::vector<const rubric::Dimension*>> groups(const rubric::Rubric& rubric) const;
  static prompt::MemorySection memory_of(const LlmJudgeOptions& options, const notebook::Notebook& nb,
                                         const std::vector<const rubric::Dimension*>& group,
                                         const MemoryUse& context);
  std::vector<llm::ChatRequest> requests(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                         const std::vector<const rubric::Dimension*>& group,
                                         const prompt::MemorySection& memory,
                                         const std::vector<prompt::InjectionFinding>& flagged) const;
  std::vector<Verdict> score_group(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                   const std::vector<const rubric::Dimension*>& group,
                                   const MemoryUse& context,
                                   const std::vector<prompt::InjectionFinding>& flagged);

  // A notebook as it is sent (secrets masked) and what was found in it, computed once per notebook content:
  // eval calls score() once per (notebook, dimension), and the regex scans dominate a cached run.
  struct Prepared {
    notebook::Notebook sent;
    int redactions = 0;
    std::vector<prompt::InjectionFinding> injections;
  };
  std::shared_ptr<const Prepared> prepare(const notebook::Notebook& nb) const;

  std::shared_ptr<llm::ChatProvider> m_provider;
  LlmJudgeOptions m_options;
  mutable std::mutex m_mutex;
  /// By sha256 of the notebook text; a future so that items of one notebook started together wait for one
  /// scan.
  mutable std::map<std::string, std::shared_future<std::shared_ptr<const Prepared>>> m_prepared;
};

}  // namespace judge::scoring
