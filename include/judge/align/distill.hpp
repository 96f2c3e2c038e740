// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "judge/llm/provider.hpp"
#include "judge/memory/memory.hpp"
#include "judge/memory/merge.hpp"
#include "judge/rubric/rubric.hpp"

namespace judge::align {

/// One label's feedback as distillation sees it.
struct Record {
  std::string label_id;  ///< "notebook#dimension#rater"
  std::string dimension;
  std::optional<double> score;  ///< nullopt = N/A
  std::string feedback;
};

/// How reflection batches are cut.
struct BatchLimits {
  std::size_t max_records = 50;   ///< records per call
  std::size_t max_tokens = 6000;  ///< estimated tokens of the records per call (4 bytes a token)
};

/// Splits `records` (one dimension) into consecutive batches within `limits`; a single record larger than
/// max_tokens gets a batch of its own. Order kept.
std::vector<std::vector<Record>> make_batches(const std::vector<Record>& records, const BatchLimits& limits);

/// Offline extractive distiller for one dimension. Why this way: without a model we can only keep what
/// several raters said. Feedback is split into sentences; each sentence's key phrases are its word bigrams
/// of content words (stop words removed). Phrases are grouped by the label's score (N/A its own group);
/// a phrase found in the feedback of >= 2 labels of different notebooks becomes a candidate when it is
/// characteristic of its score: its share of that score's labels is at least twice its share of each other
/// score's labels (N/A included), counting there the phrases it begins with or that begin with it ("no error"
/// / "no error outputs"), so a phrase and its longer forms stand under one score of a dimension at most.
/// Candidates are taken by support (then phrase text), skipping one whose labels are mostly (>= 2/3) covered
/// already, at most `max_per_score` per score. The guideline quotes the most representative sentence (the one
/// whose phrases have the largest mean support, then the shortest) and cites every supporting label. Under a
/// score below the middle of the scale (1 of 1-3) no sentence that only praises (a word of approval such as
/// "right", "good", "proper", and no negation, contrast or fault word such as "no", "but", "leaks": a short
/// fixed list in distill.cpp) is quoted: it says what did not cost the points; a phrase said there only in
/// praise gives no guideline. Text:
/// "Score S (NAME): feedback often says \"PHRASE\" (N labels), e.g. \"SENTENCE\"".
std::vector<memory::Guideline> distill_extractive(const rubric::Rubric& rubric, const std::string& dimension,
                                                  const std::vector<Record>& records,
                                                  std::size_t max_per_score = 4);

/// The reflection prompt for one batch: the dimension, its scale, the guidelines already known and the
/// records as JSON Lines; the reply must be {"guidelines": [{"text": ..., "cites": [label ids]}]}.
llm::ChatRequest reflection_request(const rubric::Rubric& rubric, const rubric::Dimension& dimension,
                                    const std::vector<Record>& batch,
                                    const std::vector<memory::Guideline>& known);

/// Parses a reflection reply: a JSON list of {text, cites}, or an object with such a list under
/// "guidelines" (code fences around it allowed). Keeps only citations of ids in `batch`; drops a guideline
/// left with none. Returns nullopt (with `error` set) when the reply is not of that shape.
std::optional<std::vector<memory::Guideline>> parse_reflection(const std::string& reply,
                                                               const std::string& dimension,
                                                               const std::vector<Record>& batch,
                                                               std::string& error);

/// memory::merge_guidelines (judge/memory/merge.hpp), which align uses to merge near-duplicate guidelines.
using memory::merge_guidelines;

}  // namespace judge::align
