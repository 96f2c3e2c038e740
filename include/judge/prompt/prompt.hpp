// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"

namespace judge::prompt {

/// Approximate token count of `text`: ceil(bytes / 4). No tokenizer: English prose and Python code average
/// about four bytes per token in the GPT and Claude tokenizers, so this is an estimate good to ~25%.
std::size_t estimate_tokens(std::string_view text);

/// A past human judgement shown to the model as an example (filled from episodic memory by the alignment
/// code).
struct Episode {
  std::string notebook;               ///< where the example came from (a path or name); may be empty
  std::optional<double> human_score;  ///< nullopt: the human said N/A
  std::string feedback;               ///< the human's reason
  std::string excerpt;                ///< the part of that notebook the feedback is about
  /// What a judge answered on that notebook (contrastive episodes; nullopt: not shown).
  struct JudgeAnswer {
    std::optional<double> score;  ///< nullopt: the judge said N/A
    std::string rationale;
  };
  std::optional<JudgeAnswer> judge = std::nullopt;
};

/// Aligned memory for one (notebook, dimension): guidelines (semantic memory) and examples (episodic memory).
/// Rendered in its own section, clearly marked as examples and not the notebook under review.
struct MemorySection {
  std::vector<std::string> guidelines;
  std::vector<Episode> episodes;
  bool empty() const { return guidelines.empty() && episodes.empty(); }
};

/// The memory section as the judge prompt's user message carries it, before the notebook: the guidelines
/// under their heading ("- TEXT" lines), then the examples (<example n=... human_score=...> with the
/// feedback, the judge's answer as a "Contrast:" line when set, and the excerpt), each part followed by an
/// empty line; "" for an empty section. build_judge_prompt uses it; so do the memory token counts of
/// `judge eval --dry-run` and `judge memory show --prompt`.
std::string memory_text(const MemorySection& memory);

/// How the notebook is rendered for a model.
struct RenderOptions {
  /// Most tokens (estimate_tokens) the rendered notebook may take, markers included.
  std::size_t token_budget = 12000;
  /// Longest text kept per output in the prompt, in bytes (cut with "... [truncated N chars]").
  std::size_t max_output_bytes = 800;
};

/// The notebook as the model sees it, and what was left out.
struct RenderedNotebook {
  std::string text;
  std::vector<int> cells_cut;        ///< cells omitted entirely (over the budget)
  std::vector<int> cells_shortened;  ///< cells kept but cut short
  std::size_t tokens = 0;            ///< estimate_tokens(text)
};

/// Keywords that mark a cell as relevant to a dimension: the rubric's `keywords` for it (the built-in
/// rubric lists them for its nine dimensions), plus the words of 6+ letters in the dimension's title and
/// description (lower case, sorted, unique).
std::vector<std::string> dimension_keywords(const rubric::Dimension& dimension);

/// How many keyword occurrences the cell's source and outputs hold (case-insensitive).
std::size_t relevance(const notebook::Cell& cell, const std::vector<std::string>& keywords);

/// Renders `nb` for a model: a header line, then each cell as "[cell N: TYPE]" with its source and its
/// outputs (trimmed to options.max_output_bytes; images are the reader's placeholders). When the whole
/// text exceeds options.token_budget, cells are kept in order of relevance to `dimensions` (ties: document
/// order), the first cell that does not fit whole is cut short, and each run of omitted cells is replaced by
/// "[cells A-B omitted: over the token budget]". Kept cells stay in document order. Never exceeds the budget
/// unless the header alone does.
RenderedNotebook render_notebook(const notebook::Notebook& nb,
                                 const std::vector<const rubric::Dimension*>& dimensions,
                                 const RenderOptions& options = {});

/// One piece of text in a notebook that reads like an instruction to the judge.
struct InjectionFinding {
  int cell = 0;        ///< cell number
  std::string phrase;  ///< the matching text as found (at most 80 bytes)
};

/// Finds prompt-injection text in markdown and raw cells and in code comments ("ignore previous
/// instructions", "give this notebook a score of 3", "you are the grader", ...). Patterns: docs/prompt.md.
std::vector<InjectionFinding> detect_injection(const notebook::Notebook& nb);

/// The messages of one judge call.
struct JudgePrompt {
  std::string system;
  std::string user;
  RenderedNotebook notebook;
};

/// Builds the judge prompt for `dimensions` (one: the single-dimension reply shape; several: the batch shape,
/// see verdict_schema). The system message holds the instructions and the rubric text (scale, every level,
/// the N/A rule); the user message holds the memory section (if any) and the notebook between <notebook> and
/// </notebook>, marked as data. Throws judge::Error when `dimensions` is empty.
JudgePrompt build_judge_prompt(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                               const std::vector<const rubric::Dimension*>& dimensions,
                               const MemorySection& memory = {}, const RenderOptions& options = {});

/// The JSON Schema of the reply: one dimension -> {"rationale": string, "score": integer on the scale or
/// "N/A"}; several -> {"scores": {DIMENSION_ID: {"rationale", "score"}, ...}} with every id required.
nlohmann::json verdict_schema(const rubric::Rubric& rubric,
                              const std::vector<const rubric::Dimension*>& dimensions);

/// The follow-up user message after a reply that could not be used: states `error` and asks for the JSON
/// again.
std::string retry_message(const std::string& error);

/// sha256 of the prompt templates (instructions, reply formats, memory headings, retry message), for
/// provenance. `contrastive`: of the templates with the contrastive episodes' wording added (a prompt without
/// it keeps the hash it had before that wording existed).
const std::string& template_hash(bool contrastive = false);

}  // namespace judge::prompt
