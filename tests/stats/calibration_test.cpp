// SPDX-License-Identifier: MIT
#include "judge/stats/calibration.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "judge/stats/rng.hpp"
#include "python.hpp"

using namespace judge::stats;

TEST(Calibration, PoolAdjacentViolatorsByHand) {
  // x 1..5, y 1,3,2,4,3: PAV pools (3,2) -> 2.5 and (4,3) -> 3.5: fit 1, 2.5, 2.5, 3.5, 3.5.
  const std::vector<double> x{1, 2, 3, 4, 5}, y{1, 3, 2, 4, 3};
  const auto map = IsotonicMap::fit(x, y);
  EXPECT_EQ(map.knots_y(), (std::vector<double>{1, 2.5, 2.5, 3.5, 3.5}));
  EXPECT_DOUBLE_EQ(map(0.0), 1.0);   // clamped
  EXPECT_DOUBLE_EQ(map(1.5), 1.75);  // interpolated
  EXPECT_DOUBLE_EQ(map(9.0), 3.5);
  // Ties in x pool first: x 1,1,2 with y 3,1,1 -> means 2 at x=1 and 1 at x=2 -> pooled 5/3 both.
  const auto tied = IsotonicMap::fit(std::vector<double>{1, 1, 2}, std::vector<double>{3, 1, 1});
  EXPECT_NEAR(tied(1), 5.0 / 3, 1e-12);
  EXPECT_NEAR(tied(2), 5.0 / 3, 1e-12);
  EXPECT_TRUE(IsotonicMap::fit({}, {}).empty());
  EXPECT_DOUBLE_EQ(IsotonicMap()(2.5), 2.5);
  EXPECT_THROW(IsotonicMap({1, 1}, {1, 2}), std::invalid_argument);
}

TEST(Calibration, MatchesSklearnIsotonicRegression) {
  JUDGE_REQUIRE_PYTHON("sklearn");
  Rng rng(11);
  std::vector<double> x, y;
  for (int i = 0; i < 300; ++i) {
    x.push_back(1 + static_cast<double>(rng.below(13)) / 3);  // judge-like thirds, many ties
    y.push_back(1 + static_cast<double>(rng.below(5)) + 0.3 * x.back());
  }
  std::ostringstream py;
  py.precision(17);
  py << "from sklearn.isotonic import IsotonicRegression\nx=[";
  for (double v : x) py << v << ",";
  py << "]\ny=[";
  for (double v : y) py << v << ",";
  py << "]\nq=[0.5,1.1,1.5,2.2,3.05,4.9,5.5]\nm=IsotonicRegression(out_of_bounds='clip').fit(x,y)\n"
        "print(*m.predict(q))\n";
  const auto expected = judge::test::python_numbers(py.str());
  const auto map = IsotonicMap::fit(x, y);
  const std::vector<double> q{0.5, 1.1, 1.5, 2.2, 3.05, 4.9, 5.5};
  ASSERT_EQ(expected.size(), q.size());
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(map(q[i]), expected[i], 1e-9) << q[i];
}

TEST(Calibration, CrossFitNeverUsesThePairItCalibrates) {
  // Two folds; fold 0 holds judge 1 -> human 3, fold 1 holds judge 1 -> human 1. Each fold is calibrated by
  // the other's map only.
  const std::vector<double> judge{1, 1, 1, 1}, human{3, 3, 1, 1};
  const std::vector<int> fold{0, 0, 1, 1};
  const auto out = cross_fit_isotonic(judge, human, fold, 2);
  EXPECT_EQ(out, (std::vector<double>{1, 1, 3, 3}));
}
