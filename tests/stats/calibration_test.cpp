// SPDX-License-Identifier: MIT
#include "judge/stats/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>
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

TEST(Calibration, MedianIsotonicByHand) {
  // x=1 holds y 3,3,1 (median 3, mean 7/3) and x=2 holds y 2: both violate the order and are pooled, to the
  // median of {3,3,1,2} = 2.5 under absolute loss and the mean 9/4 under squared loss.
  const std::vector<double> x{1, 1, 1, 2}, y{3, 3, 1, 2};
  EXPECT_EQ(IsotonicMap::fit(x, y, IsotonicLoss::absolute).knots_y(), (std::vector<double>{2.5, 2.5}));
  EXPECT_EQ(IsotonicMap::fit(x, y, IsotonicLoss::squared).knots_y(), (std::vector<double>{2.25, 2.25}));
  // Without violations each x keeps the median of its own labels: an integer judge stays integer.
  const std::vector<double> x2{1, 1, 1, 2, 2, 3}, y2{1, 1, 3, 2, 2, 3};
  EXPECT_EQ(IsotonicMap::fit(x2, y2, IsotonicLoss::absolute).knots_y(), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(parse_isotonic_loss("isotonic-median"), IsotonicLoss::absolute);
  EXPECT_STREQ(isotonic_method_name(IsotonicLoss::squared), "isotonic");
  EXPECT_THROW(parse_isotonic_loss("platt"), std::invalid_argument);
}

TEST(Calibration, MedianIsotonicReachesTheLinearProgramOptimum) {
  // The least-absolute-deviations isotonic fit solved independently as a linear program (scipy linprog):
  // minimise sum t_i subject to t_i >= |y_i - f_{x_i}| and f non-decreasing over the unique x. Optimal
  // fits need not be unique, so the total absolute error is compared.
  JUDGE_REQUIRE_PYTHON("scipy");
  Rng rng(5);
  std::vector<double> x, y;
  for (int i = 0; i < 80; ++i) {
    x.push_back(1 + static_cast<double>(rng.below(5)));
    y.push_back(1 + static_cast<double>(rng.below(3)) + (x.back() > 3 ? 1 : 0) - (rng.below(4) == 0 ? 1 : 0));
  }
  std::ostringstream py;
  py.precision(17);
  py << "from scipy.optimize import linprog\nx=[";
  for (double v : x) py << v << ",";
  py << "]\ny=[";
  for (double v : y) py << v << ",";
  py << "]\nux=sorted(set(x));m=len(ux);n=len(x)\n"
        "c=[0]*m+[1]*n;A=[];b=[]\n"
        "for i in range(n):\n"
        "  j=ux.index(x[i])\n"
        "  r=[0]*(m+n);r[j]=1;r[m+i]=-1;A.append(r);b.append(y[i])\n"
        "  r=[0]*(m+n);r[j]=-1;r[m+i]=-1;A.append(r);b.append(-y[i])\n"
        "for j in range(m-1):\n"
        "  r=[0]*(m+n);r[j]=1;r[j+1]=-1;A.append(r);b.append(0)\n"
        "res=linprog(c,A_ub=A,b_ub=b,bounds=[(None,None)]*(m+n),method='highs')\n"
        "print(res.fun)\n";
  const auto expected = judge::test::python_numbers(py.str());
  ASSERT_EQ(expected.size(), 1u);
  const auto map = IsotonicMap::fit(x, y, IsotonicLoss::absolute);
  double loss = 0;
  for (std::size_t i = 0; i < x.size(); ++i) loss += std::fabs(y[i] - map(x[i]));
  EXPECT_NEAR(loss, expected[0], 1e-6);
  for (std::size_t i = 1; i < map.knots_y().size(); ++i) EXPECT_LE(map.knots_y()[i - 1], map.knots_y()[i]);
}
