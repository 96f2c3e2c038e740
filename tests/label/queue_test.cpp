// SPDX-License-Identifier: MIT
#include "judge/label/queue.hpp"

#include <gtest/gtest.h>

using namespace judge::label;

namespace {
QueueSignals signals(const std::string& nb, const std::string& dim, int index) {
  QueueSignals s;
  s.notebook = nb;
  s.dimension = dim;
  s.dimension_index = index;
  s.scale_width = 2;  // a 1..3 scale
  return s;
}
}  // namespace

TEST(LabelQueue, ValueIsTheSumOfTheThreeTermsEachScaledToOne) {
  auto s = signals("a.ipynb", "model_use", 0);
  s.uncertainty = 0.5;
  s.uncertainty_why = "heuristic 3 vs openai:m 2";
  s.similarity = 0.25;
  s.dimension_mae = 1.0;
  s.dimension_labels = 4;
  const auto q = queue_item(s);
  EXPECT_DOUBLE_EQ(q.uncertainty, 0.5);
  EXPECT_DOUBLE_EQ(q.novelty, 0.75);    // 1 - 0.25
  EXPECT_DOUBLE_EQ(q.difficulty, 0.5);  // MAE 1 on a scale 2 wide
  EXPECT_DOUBLE_EQ(q.value, 1.75);
  EXPECT_EQ(
      q.reason,
      "value 1.75: judge unsure 0.50 (heuristic 3 vs openai:m 2); novelty 0.75 (closest labelled example: "
      "similarity 0.25); model_use judge-human MAE 1.00 over 4 labels (0.50)");
}

TEST(LabelQueue, WithoutSignalsAnItemIsNovelAndItsDimensionUnknown) {
  const auto q = queue_item(signals("a.ipynb", "model_use", 0));
  EXPECT_DOUBLE_EQ(q.value, 2.0);  // 0 uncertainty + novelty 1 + difficulty 1
  EXPECT_NE(q.reason.find("no labelled example of model_use in memory"), std::string::npos);
  EXPECT_NE(q.reason.find("no label of model_use yet"), std::string::npos);
}

TEST(LabelQueue, TermsAreClampedToZeroOne) {
  auto s = signals("a", "d", 0);
  s.uncertainty = 3;
  s.similarity = -0.5;  // cosine can be negative: still at most 1 novel
  s.dimension_mae = 5;
  EXPECT_DOUBLE_EQ(queue_item(s).value, 3.0);
  s.similarity = 1.2;
  s.uncertainty = -1;
  s.dimension_mae = 0;
  EXPECT_DOUBLE_EQ(queue_item(s).value, 0.0);
}

TEST(LabelQueue, OrderIsByValueThenNotebookThenRubricOrder) {
  std::vector<QueueSignals> items;
  auto low = signals("a.ipynb", "model_use", 5);
  low.similarity = 0.9;  // value 0.1 + 1 = 1.1
  items.push_back(low);
  items.push_back(signals("b.ipynb", "model_use", 5));       // 2.0
  items.push_back(signals("b.ipynb", "model_training", 4));  // 2.0, earlier in the rubric
  items.push_back(signals("a.ipynb", "model_training", 4));  // 2.0, earlier notebook
  const auto q = order_queue(items);
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0].notebook + "/" + q[0].dimension, "a.ipynb/model_training");
  EXPECT_EQ(q[1].notebook + "/" + q[1].dimension, "b.ipynb/model_training");
  EXPECT_EQ(q[2].notebook + "/" + q[2].dimension, "b.ipynb/model_use");
  EXPECT_EQ(q[3].notebook + "/" + q[3].dimension, "a.ipynb/model_use");
  EXPECT_EQ(order_queue(items, 2).size(), 2u);
  // The input's order does not matter.
  std::reverse(items.begin(), items.end());
  const auto again = order_queue(items);
  for (std::size_t i = 0; i < q.size(); ++i)
    EXPECT_EQ(again[i].notebook + again[i].dimension, q[i].notebook + q[i].dimension);
}
