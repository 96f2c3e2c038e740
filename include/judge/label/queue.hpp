// SPDX-License-Identifier: MIT
// Active labelling: which unlabelled (notebook, dimension) a human should label next (docs/label.md).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace judge::label {

/// What is known about one unlabelled (notebook, dimension) when the queue is ordered.
struct QueueSignals {
  std::string notebook;
  std::string dimension;
  int dimension_index = 0;  ///< the dimension's place in the rubric (ties)
  /// How unsure the judges are, in [0, 1]: the largest of the samples' spread, the disagreement between
  /// two judges' scores, and (with memory) the disagreement between the judge and the similarity-weighted
  /// human score of the 3 closest labelled episodes, each divided by the scale's width (a scored / N/A split
  /// counts 1); nullopt when there is nothing to tell (one judge, one sample, no memory).
  std::optional<double> uncertainty;
  std::string uncertainty_why;  ///< what it came from, e.g. "heuristic 3 vs openai:gpt-4.1 1"
  /// The best retrieval similarity of the item to a labelled episode of its dimension in memory (cosine, in
  /// [-1, 1]); nullopt without memory or without an episode of that dimension.
  std::optional<double> similarity;
  /// The judge's MAE against the human labels of this dimension so far (scale units; a scored / N/A
  /// mismatch counts the scale's width), and over how many labels; nullopt when none is labelled yet.
  std::optional<double> dimension_mae;
  int dimension_labels = 0;
  double scale_width = 1;  ///< max - min score of the rubric (at least 1)
};

/// One entry of the queue, with how much a label is worth and why.
struct QueueItem {
  std::string notebook;
  std::string dimension;
  double value = 0;        ///< uncertainty + novelty + difficulty, in [0, 3]
  double uncertainty = 0;  ///< in [0, 1]; 0 without a signal
  double novelty = 0;      ///< 1 - best similarity, in [0, 1]; 1 without memory or episodes
  double difficulty = 0;   ///< dimension MAE / scale width, in [0, 1]; 1 while the dimension has no label
  std::string reason;      ///< the three terms in words, for the page and --next
};

/// The value of a label of one item (the terms as QueueItem says) and its reason in words.
QueueItem queue_item(const QueueSignals& signals);

/// The queue: queue_item of each, most valuable first; ties by notebook name, then rubric order of the
/// dimension, so the order depends on the inputs only (deterministic). At most `limit` items (0: all).
///
/// Why these three terms: a label teaches the judge most where it is unsure of its score (judges or
/// samples disagree), where memory has nothing close to retrieve (a label there is the nearest example for
/// notebooks like it), and on the dimensions where the judge is furthest from people so far. Each is scaled
/// to [0, 1] and they are added with equal weight: none is known to matter more, and a sum keeps an item
/// that is strong on one term ahead of one that is middling on all.
std::vector<QueueItem> order_queue(const std::vector<QueueSignals>& items, std::size_t limit = 0);

}  // namespace judge::label
