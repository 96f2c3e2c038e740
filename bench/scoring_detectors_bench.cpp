// SPDX-License-Identifier: MIT
// The fact detectors that read code statement by statement (the one code scanner's logical lines, assignment
// targets, the names the code binds; PyTorch modules called in evaluation; loops over cross-validation folds;
// instructions and plan words in markdown) on a notebook of N = 500, 5,000 and 20,000 code cells. Each should
// take time linear in the notebook's size: Complexity() fits the timings and names the order it sees, and the
// cells/s counter falls as N grows when a detector turns quadratic (as a copy of the modules' modes per def,
// or a scan back over a long line for each of its tokens, would).
//
// The notebook is made in memory as Jupytext percent text, deterministically. Its code cells cycle through a
// PyTorch module class and its module (a new name each time, so the modules grow with N), a def that switches
// it to evaluation, a no_grad block and a decorated predict def that call it, a training loop, a loop over a
// TimeSeriesSplit's folds that fits, a string's split() in a loop, exploration with an `=` in a comment; a
// markdown cell follows every third, an exercise or a finding. One cell opens a bracket and holds N / 4 lines
// of group-wise features and string splits: one logical line that grows with N.
#include <benchmark/benchmark.h>

#include <string>

#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/facts.hpp"
#include "judge/scoring/heuristic_facts.hpp"
#include "judge/scoring/heuristic_rules.hpp"

namespace {

namespace notebook = judge::notebook;
namespace scoring = judge::scoring;

/// Code cell `i` of the cycle (`n` the name's suffix).
void add_code(std::string& text, long i) {
  const std::string n = std::to_string(i);
  text += "# %%\n";
  switch (i % 8) {
    case 0:
      text += "class Net";
      text += n;
      text += "(nn.Module):\n    def forward(self, x):\n        return self.fc(x)\n\n\nmodel";
      text += n;
      text += " = Net";
      text += n;
      text += "().to(device)\nopt = torch.optim.Adam(model";
      text += n;
      text += ".parameters())\n";
      break;
    case 1:
      text += "def evaluate(loader):\n    model";
      text += std::to_string(i - 1);
      text += ".eval()\n    return [model";
      text += std::to_string(i - 1);
      text += "(xb) for xb, _ in loader]\n";
      break;
    case 2:
      text += "with torch.no_grad():\n    out = model";
      text += std::to_string(i - 2);
      text += "(X_test)\n";
      break;
    case 3:
      text += "@torch.no_grad()\ndef predict(x):\n    return model";
      text += std::to_string(i - 3);
      text += "(x).argmax(1)\n";
      break;
    case 4:
      text += "model";
      text += std::to_string(i - 4);
      text += ".train()\nfor xb, yb in loader:\n    loss = loss_fn(model";
      text += std::to_string(i - 4);
      text += "(xb), yb)\n    loss.backward()\n";
      break;
    case 5:
      text += "tscv";
      text += n;
      text += " = TimeSeriesSplit(n_splits=5)\nfor fold, (tr, te) in enumerate(tscv";
      text += n;
      text +=
          ".split(y)):\n    res = Ridge().fit(X[tr], y[tr])\n    scores.append(res.score(X[te], y[te]))\n";
      break;
    case 6:
      text += "for key, value in line.split('='):\n    table[key] = value  # value = raw text\n";
      break;
    default:
      text += "df = pd.read_csv('d.csv')\ndf.columns  # names = list(df)\ndf.groupby('g')['x'].mean()\n";
  }
}

/// The notebook of `cells` code cells.
std::string notebook_text(long cells) {
  std::string text = "# %%\nimport torch\nimport torch.nn as nn\nimport pandas as pd\n";
  for (long i = 0; i < cells; ++i) {
    add_code(text, i);
    if (i % 3 == 0)
      text += i % 2 ? "# %% [markdown]\n# Exercise 2: drop every column where more than 30% of values are "
                      "missing, then count what is left.\n"
                    : "# %% [markdown]\n# The latest records have 12% of loans in default, against 9% in the "
                      "earliest years.\n";
    if (i == cells / 2) {
      text += "# %%\nparts = [\n";
      for (long k = 0; k < cells / 4; ++k)
        text += "    df.groupby('a')['x'].transform('mean'), s.str.split(','), t.split(' '),\n";
      text += "]\n";
    }
  }
  return text;
}

void Facts(benchmark::State& state) {
  const auto nb = notebook::parse_jupytext_percent(notebook_text(state.range(0)), "long.py");
  for (auto _ : state) benchmark::DoNotOptimize(scoring::notebook_facts(nb));
  state.SetComplexityN(state.range(0));
  state.counters["cells/s"] =
      benchmark::Counter(static_cast<double>(state.range(0)), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(Facts)->Arg(500)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond)->Complexity();

void Rules(benchmark::State& state) {
  const auto nb = notebook::parse_jupytext_percent(notebook_text(state.range(0)), "long.py");
  const auto facts = scoring::gather_facts(nb);
  const auto rubric = judge::rubric::default_rubric();
  for (auto _ : state) benchmark::DoNotOptimize(scoring::rule_verdicts(facts, rubric));
  state.SetComplexityN(state.range(0));
  state.counters["cells/s"] =
      benchmark::Counter(static_cast<double>(state.range(0)), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(Rules)->Arg(500)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond)->Complexity();

}  // namespace

BENCHMARK_MAIN();
