// SPDX-License-Identifier: MIT
// Retrieval of the top 5 among 100,000 episodes of one dimension with the offline hashed TF-IDF embeddings,
// query embedding included (target: under 10 ms a query). Episode excerpts are synthetic: 150 words drawn
// (fixed seed) from 5,000 made-up identifiers, Zipf-like, like code and prose in notebook cells.
#include <benchmark/benchmark.h>

#include <random>

#include "judge/memory/memory.hpp"

namespace {

std::vector<std::string> make_texts(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<double> weights;
  for (int i = 1; i <= 5000; ++i) weights.push_back(1.0 / i);
  std::discrete_distribution<int> word(weights.begin(), weights.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string t;
    for (int w = 0; w < 150; ++w) t += "tok" + std::to_string(word(rng)) + (w % 7 == 0 ? ".fit(x) " : " ");
    out.push_back(std::move(t));
  }
  return out;
}

judge::memory::Memory& memory_of(std::size_t n) {
  static judge::memory::Memory m = [n] {
    judge::memory::Memory mem;
    const auto texts = make_texts(n, 42);
    mem.embedder().fit(texts);
    const auto vectors = mem.embedder().embed(texts);
    std::vector<judge::memory::Episode> eps(n);
    for (std::size_t i = 0; i < n; ++i) {
      eps[i].id = "nb" + std::to_string(i) + "#data_imputation";
      eps[i].dimension = "data_imputation";
      eps[i].vector = vectors[i];
    }
    mem.set_episodes(std::move(eps));
    return mem;
  }();
  return m;
}

void BM_Retrieve100k(benchmark::State& state) {
  const auto& m = memory_of(100000);
  const auto queries = make_texts(64, 7);
  std::size_t q = 0;
  for (auto _ : state) {
    auto hits = m.retrieve("data_imputation", queries[q++ % queries.size()], 5);
    benchmark::DoNotOptimize(hits);
  }
}
BENCHMARK(BM_Retrieve100k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
