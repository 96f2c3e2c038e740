// SPDX-License-Identifier: MIT
#include "judge/label/queue.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "judge/util/text.hpp"

namespace judge::label {

namespace {

std::string fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

QueueItem queue_item(const QueueSignals& s) {
  QueueItem item{s.notebook, s.dimension, 0, 0, 1, 1, ""};
  const double width = std::max(1.0, s.scale_width);
  std::string reason;
  if (s.uncertainty) {
    item.uncertainty = std::clamp(*s.uncertainty, 0.0, 1.0);
    reason = "judge unsure " + fixed2(item.uncertainty) +
             (s.uncertainty_why.empty() ? "" : " (" + s.uncertainty_why + ")");
  } else {
    reason = "judge certainty unknown (one judge, one sample, no close labelled example): 0";
  }
  if (s.similarity) {
    item.novelty = std::clamp(1.0 - *s.similarity, 0.0, 1.0);
    reason += "; novelty " + fixed2(item.novelty) + " (closest labelled example: similarity " +
              fixed2(*s.similarity) + ")";
  } else {
    reason += "; novelty 1.00 (no labelled example of " + s.dimension + " in memory)";
  }
  if (s.dimension_mae) {
    item.difficulty = std::clamp(*s.dimension_mae / width, 0.0, 1.0);
    reason += "; " + s.dimension + " judge-human MAE " + fixed2(*s.dimension_mae) + " over " +
              util::count_text(static_cast<std::size_t>(s.dimension_labels), "label") + " (" +
              fixed2(item.difficulty) + ")";
  } else {
    reason += "; no label of " + s.dimension + " yet (1.00)";
  }
  item.value = item.uncertainty + item.novelty + item.difficulty;
  item.reason = "value " + fixed2(item.value) + ": " + reason;
  return item;
}

std::vector<QueueItem> order_queue(const std::vector<QueueSignals>& items, std::size_t limit) {
  std::vector<std::pair<QueueItem, int>> ranked;
  ranked.reserve(items.size());
  for (const auto& s : items) ranked.emplace_back(queue_item(s), s.dimension_index);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first.value != b.first.value) return a.first.value > b.first.value;
    if (a.first.notebook != b.first.notebook) return a.first.notebook < b.first.notebook;
    return a.second < b.second;
  });
  std::vector<QueueItem> out;
  for (auto& [item, index] : ranked) {
    if (limit && out.size() == limit) break;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace judge::label
