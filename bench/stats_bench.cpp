// SPDX-License-Identifier: MIT
// Bootstrap speed: 10,000 resamples x 9 dimensions x 50 notebooks (target: under 10 ms), and the other stats
// building blocks. bench/bootstrap_vs_scipy.py runs the BootstrapMae case on the same data it gives
// scipy.stats.bootstrap (file named by JUDGE_BENCH_ERRORS: 50 rows of 9 absolute errors) and prints the
// ratio.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "judge/stats/bootstrap.hpp"
#include "judge/stats/calibration.hpp"
#include "judge/stats/metrics.hpp"

using namespace judge::stats;

namespace {

/// 50 x 9 absolute errors: from JUDGE_BENCH_ERRORS when set (whitespace-separated, row per item), else made
/// up.
ItemTable errors_table() {
  constexpr std::size_t items = 50, dims = 9;
  ItemTable t(items, dims);
  if (const char* path = std::getenv("JUDGE_BENCH_ERRORS")) {
    std::ifstream in(path);
    for (std::size_t i = 0; i < items; ++i)
      for (std::size_t d = 0; d < dims; ++d) {
        double e = 0;
        in >> e;
        t.add(i, d, e);
      }
    return t;
  }
  Rng rng(1);
  for (std::size_t i = 0; i < items; ++i)
    for (std::size_t d = 0; d < dims; ++d) t.add(i, d, static_cast<double>(rng.below(3)));
  return t;
}

void BootstrapMae(benchmark::State& state) {
  const ItemTable t = errors_table();
  BootstrapOptions options{10000, 0.95, static_cast<unsigned>(state.range(0))};
  for (auto _ : state) benchmark::DoNotOptimize(bootstrap_ratio(t, options, Rng(7)));
}
BENCHMARK(BootstrapMae)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->ArgName("threads");

void PairedBootstrapMae(benchmark::State& state) {
  const ItemTable a = errors_table();
  ItemTable b = a;
  for (auto& s : b.sum) s *= 0.9;
  for (auto _ : state) benchmark::DoNotOptimize(paired_bootstrap(a, b, {10000, 0.95, 0}, Rng(7)));
}
BENCHMARK(PairedBootstrapMae)->Unit(benchmark::kMillisecond);

void AgreementHanna(benchmark::State& state) {  // one HANNA-sized dimension: 1,056 pairs on 1..5
  Rng rng(3);
  std::vector<double> j(1056), h(1056);
  for (std::size_t i = 0; i < j.size(); ++i) {
    j[i] = 1 + static_cast<double>(rng.below(13)) / 3;
    h[i] = 1 + static_cast<double>(rng.below(13)) / 3;
  }
  for (auto _ : state) benchmark::DoNotOptimize(agreement(j, h, {1, 5}));
}
BENCHMARK(AgreementHanna)->Unit(benchmark::kMicrosecond);

void IsotonicFit(benchmark::State& state) {
  Rng rng(4);
  std::vector<double> x(1056), y(1056);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = 1 + static_cast<double>(rng.below(13)) / 3;
    y[i] = 1 + static_cast<double>(rng.below(5));
  }
  for (auto _ : state) benchmark::DoNotOptimize(IsotonicMap::fit(x, y));
}
BENCHMARK(IsotonicFit)->Unit(benchmark::kMicrosecond);

// The worst case for pool-adjacent-violators: 100,000 strictly decreasing pairs, every block merged into one;
// labels on a 1..5 grid of thirds (13 values), as judge labels are. Arg 0: squared loss, 1: absolute loss.
void IsotonicFitDecreasing(benchmark::State& state) {
  const auto loss = state.range(0) ? IsotonicLoss::absolute : IsotonicLoss::squared;
  std::vector<double> x(100'000), y(100'000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<double>(i);
    y[i] = 5 - static_cast<double>(i * 13 / x.size()) / 3;
  }
  for (auto _ : state) benchmark::DoNotOptimize(IsotonicMap::fit(x, y, loss));
}
BENCHMARK(IsotonicFitDecreasing)->Arg(0)->Arg(1)->ArgName("median")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
