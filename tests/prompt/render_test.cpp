// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "judge/prompt/prompt.hpp"

using namespace judge;

namespace {

notebook::Cell cell(int n, notebook::CellType t, std::string src) {
  notebook::Cell c;
  c.number = n;
  c.type = t;
  c.source = std::move(src);
  return c;
}

notebook::Notebook small_notebook() {
  notebook::Notebook nb;
  nb.path = "demo.ipynb";
  nb.format = notebook::Format::ipynb;
  nb.language = "python";
  nb.cells.push_back(cell(1, notebook::CellType::markdown, "# Churn model"));
  auto c2 = cell(2, notebook::CellType::code, "df.plot()");
  c2.outputs.push_back({"display_data", "[image/png output, 12.3 KiB]", "", ""});
  nb.cells.push_back(c2);
  auto c3 = cell(3, notebook::CellType::code, "df['Age']");
  c3.outputs.push_back({"error", "Traceback", "KeyError", "'Age'"});
  nb.cells.push_back(c3);
  return nb;
}

const rubric::Dimension& dim(const std::string& id) { return *rubric::default_rubric().find(id); }

}  // namespace

TEST(PromptRender, EstimateTokensIsBytesOverFourRoundedUp) {
  EXPECT_EQ(prompt::estimate_tokens(""), 0u);
  EXPECT_EQ(prompt::estimate_tokens("abcd"), 1u);
  EXPECT_EQ(prompt::estimate_tokens("abcde"), 2u);
}

TEST(PromptRender, WholeNotebookNumbersCellsAndKeepsPlaceholders) {
  const auto r = prompt::render_notebook(small_notebook(), {&dim("model_training")});
  EXPECT_EQ(r.text,
            "Notebook demo.ipynb (ipynb, python, 3 cells)\n"
            "\n[cell 1: markdown]\n# Churn model\n"
            "\n[cell 2: code]\ndf.plot()\n[output: display_data]\n[image/png output, 12.3 KiB]\n"
            "\n[cell 3: code]\ndf['Age']\n[output: error KeyError: 'Age']\nTraceback\n");
  EXPECT_TRUE(r.cells_cut.empty());
  EXPECT_EQ(r.tokens, (r.text.size() + 3) / 4);
}

// The header names the notebook by Notebook::name when the reader set it (the path as typed otherwise), so a
// prompt does not change with the folder the command runs in.
TEST(PromptRender, HeaderNamesTheNotebookByItsNameWhenSet) {
  auto nb = small_notebook();
  nb.path = "/home/ci/checkout-7/nb/demo.ipynb";
  nb.name = "demo.ipynb";
  const auto r = prompt::render_notebook(nb, {&dim("model_training")});
  EXPECT_EQ(r.text.substr(0, r.text.find('\n')), "Notebook demo.ipynb (ipynb, python, 3 cells)");
}

TEST(PromptRender, OutputsAreTrimmedWithAMarker) {
  auto nb = small_notebook();
  nb.cells[1].outputs[0].text = std::string(100, 'x');
  prompt::RenderOptions opt;
  opt.max_output_bytes = 10;
  const auto r = prompt::render_notebook(nb, {&dim("model_training")}, opt);
  EXPECT_NE(r.text.find("xxxxxxxxxx\n... [truncated 90 chars]"), std::string::npos);
}

TEST(PromptRender, OverBudgetKeepsRelevantCellsAndMarksTheCut) {
  notebook::Notebook nb;
  nb.path = "long.ipynb";
  nb.format = notebook::Format::ipynb;
  // Ten filler cells of 400 bytes, one data-imputation cell in the middle.
  for (int i = 1; i <= 10; ++i)
    nb.cells.push_back(cell(i, notebook::CellType::code, "x = 1  # " + std::string(400, 'a')));
  nb.cells[5].source = "df = df.fillna(df.median())\nprint(df.isna().sum())";
  prompt::RenderOptions opt;
  opt.token_budget = 200;  // 800 bytes: the imputation cell and one filler fit, not all
  const auto r = prompt::render_notebook(nb, {&dim("data_imputation")}, opt);
  EXPECT_LE(r.text.size(), 800u);
  EXPECT_LE(r.tokens, 200u);
  EXPECT_NE(r.text.find("fillna(df.median())"), std::string::npos);
  EXPECT_FALSE(r.cells_cut.empty());
  EXPECT_NE(r.text.find("omitted: over the token budget]"), std::string::npos);
  for (int n : r.cells_cut) EXPECT_NE(n, 6);
}

TEST(PromptRender, CellRunsAreMarkedByRange) {
  notebook::Notebook nb;
  nb.path = "n";
  nb.format = notebook::Format::ipynb;
  nb.cells.push_back(cell(1, notebook::CellType::code, "model.fit(X, y)"));
  for (int i = 2; i <= 6; ++i) nb.cells.push_back(cell(i, notebook::CellType::code, std::string(300, 'z')));
  prompt::RenderOptions opt;
  opt.token_budget = 30;  // 120 bytes: only the header, cell 1 and one marker
  const auto r = prompt::render_notebook(nb, {&dim("model_training")}, opt);
  EXPECT_NE(r.text.find("model.fit(X, y)"), std::string::npos);
  EXPECT_NE(r.text.find("[cells 2-6 omitted: over the token budget]"), std::string::npos);
  EXPECT_EQ(r.cells_cut, (std::vector<int>{2, 3, 4, 5, 6}));
  EXPECT_LE(r.text.size(), 120u);
}

TEST(PromptRender, RelevanceCountsKeywordsCaseInsensitively) {
  const auto kw = prompt::dimension_keywords(dim("mlflow_logging"));
  EXPECT_EQ(prompt::relevance(
                cell(1, notebook::CellType::code, "MLflow.start_run()\nmlflow.log_metric('a', 1)"), kw),
            4u);  // "mlflow" twice, "start_run", "log_metric"
  EXPECT_EQ(prompt::relevance(cell(1, notebook::CellType::code, "print(1)"), kw), 0u);
}

// A custom rubric's keywords steer the budget cutter: the cell naming them is kept, the other is cut. The
// two cells are as long, and only one fits: without the keyword the first in document order would be kept.
TEST(PromptRender, ACustomRubricsKeywordsChooseTheCellsKept) {
  rubric::Dimension charts;
  charts.id = "charts";
  charts.title = "Charts";
  charts.description = "Axes are labelled.";
  charts.keywords = {"set_xlabel("};
  notebook::Notebook nb;
  nb.path = "c.ipynb";
  nb.format = notebook::Format::ipynb;
  const std::string plot = "ax.set_xlabel('age')" + std::string(40, ' ') + "# x";
  nb.cells.push_back(cell(1, notebook::CellType::code, "print('age')" + std::string(48, ' ') + "# x"));
  nb.cells.push_back(cell(2, notebook::CellType::code, plot));
  prompt::RenderOptions opt;
  opt.token_budget = 40;  // 160 bytes: the header, one cell and the marker for the other
  auto r = prompt::render_notebook(nb, {&charts}, opt);
  EXPECT_NE(r.text.find(plot), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("print('age')"), std::string::npos) << r.text;
  EXPECT_EQ(r.cells_cut, (std::vector<int>{1}));
  charts.keywords.clear();  // the same notebook without the keyword: document order
  r = prompt::render_notebook(nb, {&charts}, opt);
  EXPECT_NE(r.text.find("print('age')"), std::string::npos) << r.text;
  EXPECT_EQ(r.cells_cut, (std::vector<int>{2}));
}
