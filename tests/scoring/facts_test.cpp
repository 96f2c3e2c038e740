// SPDX-License-Identifier: MIT
#include "judge/scoring/facts.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "judge/memory/memory.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/heuristic.hpp"

using namespace judge;

namespace {

// Five cells (numbered 1-5): a markdown title, then four code cells with no markdown between them.
const char* const k_notebook = R"(# %% [markdown]
# # Churn model
# %%
import pandas as pd
import xgboost as xgb
# %%
df = pd.read_csv("churn.csv")
df.isnull().sum()
# %%
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
X_train, X_test, y_train, y_test = train_test_split(X, y)
model = LogisticRegression()
model.fit(X_train, y_train)
# %%
%pip install xgboost==2.0.3
)";

notebook::Notebook sample() { return notebook::parse_jupytext_percent(k_notebook, "churn.py"); }

}  // namespace

// Values counted by hand from k_notebook.
// How `judge notebook show --facts` prints a value: yes/no, a whole count, a share to 4 significant digits
// (1/3 must not print as 0.33, which a learnt threshold "share >= 0.33" would seem to equal).
TEST(Facts, PrintedValues) {
  scoring::FactInfo share{"s", scoring::FactKind::share, "", "structure"};
  EXPECT_EQ(scoring::format_fact(share, 1.0 / 3), "0.3333");
  EXPECT_EQ(scoring::format_fact(share, 0.5), "0.5");
  scoring::FactInfo count{"c", scoring::FactKind::count, "", "structure"};
  EXPECT_EQ(scoring::format_fact(count, 12), "12");
  scoring::FactInfo flag{"b", scoring::FactKind::boolean, "", "structure"};
  EXPECT_EQ(scoring::format_fact(flag, 1), "yes");
  EXPECT_EQ(scoring::format_fact(flag, 0), "no");
}

TEST(Facts, CountedByHand) {
  const auto f = scoring::notebook_facts(sample());
  EXPECT_EQ(f.size(), scoring::fact_vocabulary().size());
  EXPECT_EQ(f.at("code_cells"), 4);
  EXPECT_EQ(f.at("markdown_cells"), 1);
  EXPECT_EQ(f.at("markdown_headings"), 1);
  EXPECT_DOUBLE_EQ(f.at("code_cells_after_code_share"), 0.75);  // cells 3, 4, 5 follow code
  EXPECT_EQ(f.at("import_cells"), 2);
  EXPECT_EQ(f.at("late_import_cells"), 1);     // cell 4 imports after the data is loaded in cell 3
  EXPECT_EQ(f.at("third_party_packages"), 3);  // pandas, xgboost, sklearn
  EXPECT_EQ(f.at("packages_beyond_core"), 1);  // xgboost
  EXPECT_EQ(f.at("uninstalled_packages"), 0);  // cell 5 installs it
  EXPECT_EQ(f.at("install_cells"), 1);
  EXPECT_EQ(f.at("install_magic"), 1);
  EXPECT_EQ(f.at("install_shell"), 0);
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 0);
  EXPECT_EQ(f.at("loads_data"), 1);
  EXPECT_EQ(f.at("missing_value_checks"), 1);
  EXPECT_EQ(f.at("missing_check_before_training"), 1);
  EXPECT_EQ(f.at("trains_model"), 1);
  EXPECT_EQ(f.at("holdout_split"), 1);
  EXPECT_EQ(f.at("pipeline"), 0);
  EXPECT_EQ(f.at("error_cells"), 0);
  EXPECT_EQ(f.at("mlflow_used"), 0);
  EXPECT_EQ(f.at("model_families"), 1);  // linear
}

TEST(Facts, UninstalledPackageAndNoCode) {
  auto nb =
      notebook::parse_jupytext_percent("# %%\nimport statsmodels.api as sm\nimport numpy as np\n", "a.py");
  scoring::FactNotes notes;
  auto f = scoring::notebook_facts(nb, &notes);
  EXPECT_EQ(f.at("packages_beyond_core"), 1);
  EXPECT_EQ(f.at("uninstalled_packages"), 1);
  EXPECT_EQ(notes, (scoring::FactNotes{{"packages_beyond_core", "statsmodels"},
                                       {"uninstalled_packages", "statsmodels"}}));
  EXPECT_EQ(f.at("code_cells_after_code_share"), 1);  // the only code cell has no markdown before it
  // A trailing comment is no module; pip's - and _ are the same name.
  nb = notebook::parse_jupytext_percent(
      "# %%\n%pip install ibm-watson-machine-learning==1.0.53\n# %%\nimport pandas as pd # data processing, "
      "CSV file I/O\n"
      "from ibm_watson_machine_learning import APIClient\n",
      "c.py");
  f = scoring::notebook_facts(nb);
  EXPECT_EQ(f.at("packages_beyond_core"), 1);  // ibm_watson_machine_learning; not "CSV"
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  nb = notebook::parse_jupytext_percent("# %% [markdown]\n# Only text here.\n", "b.py");
  f = scoring::notebook_facts(nb);
  EXPECT_EQ(f.at("code_cells"), 0);
  EXPECT_EQ(f.at("code_cells_after_code_share"), 0);
  EXPECT_EQ(f.at("trains_model"), 0);
}

// Training that only happens inside a helper starts where the helper is first called: the missing-value
// check in cell 3 (the calling cell, read before the call) comes before training, the one in cell 4 would
// not. And "X_val" names a split only where it starts a name, not inside "sex_val" or "max_val".
TEST(Facts, TrainingInAHelperStartsAtItsCallAndSplitsAreWholeNames) {
  auto nb = notebook::parse_jupytext_percent(R"(# %%
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv("homes.csv")
sex_val = df["sex"].max()
max_val = df["price"].max()
# %%
def score_dataset(X_train, X_test, y_train, y_test):
    model = RandomForestRegressor(random_state=0)
    model.fit(X_train, y_train)
    return model.score(X_test, y_test)
# %%
cols = [c for c in df.columns if df[c].isnull().any()]
print(score_dataset(df.drop(cols, axis=1), df, df.price, df.price))
# %%
df.isnull().sum()
)",
                                             "helper.py");
  auto f = scoring::notebook_facts(nb);
  EXPECT_EQ(f.at("trains_model"), 1);
  EXPECT_EQ(f.at("missing_check_before_training"), 1);
  EXPECT_EQ(f.at("holdout_split"), 0);  // neither sex_val nor max_val is a validation frame
  // With the check only after the call (cell 4), it does not come first.
  nb = notebook::parse_jupytext_percent(R"(# %%
import pandas as pd
from sklearn.linear_model import LinearRegression
df = pd.read_csv("homes.csv")
# %%
def fit_it(X, y):
    return LinearRegression().fit(X, y)
# %%
model = fit_it(df[["rooms"]], df.price)
X_val = df.sample(10)
# %%
df.isnull().sum()
)",
                                        "late.py");
  f = scoring::notebook_facts(nb);
  EXPECT_EQ(f.at("missing_check_before_training"), 0);
  EXPECT_EQ(f.at("holdout_split"), 1);  // X_val starts a name in cell 3
}

// Which call starts training when every fit sits in a def: a call of a def that fits (itself, or through a
// def that calls it), by its whole name. Each notebook has the missing-value check in cell 4, after a cell
// that could be mistaken for the start of training, and before the real first call in cell 5.
TEST(Facts, TrainingStartsAtTheFirstCallOfADefThatFitsByItsWholeName) {
  const auto check_comes_first = [](const std::string& cells_2_and_3) {
    const std::string text =
        "# %%\nimport pandas as pd\nfrom sklearn.ensemble import RandomForestRegressor\n"
        "df = pd.read_csv(\"homes.csv\")\n" +
        cells_2_and_3 + "# %%\ndf.isnull().sum()\n# %%\nmodel = train(df)\n";
    const auto f = scoring::notebook_facts(notebook::parse_jupytext_percent(text, "helper.py"));
    EXPECT_EQ(f.at("trains_model"), 1) << text;
    return f.at("missing_check_before_training");
  };
  // A def that does not fit (load) is no training, though it sits in the same cell as one that does.
  EXPECT_EQ(
      check_comes_first("# %%\ndef load(path):\n    return pd.read_csv(path)\n\n"
                        "def train(df):\n    m = RandomForestRegressor()\n    m.fit(df[[\"a\"]], df.y)\n"
                        "    return m\n# %%\ndf = load(\"more.csv\")\n"),
      1);
  // "train(" inside another name (pretrain) or as a method (model.train) is not the helper.
  EXPECT_EQ(check_comes_first("# %%\ndef train(df):\n    m = RandomForestRegressor()\n"
                              "    m.fit(df[[\"a\"]], df.y)\n    return m\n"
                              "# %%\nweights = pretrain(df)\nnet.train()\n"),
            1);
  // A def calling the helper is training too: the call of run() in cell 5 starts it, not cell 3 (a def);
  // the recursive call inside fit_all's own body is no call either.
  const std::string wrapped = R"(# %%
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv("homes.csv")
# %%
def fit_all(frames):
    if not frames:
        return []
    m = RandomForestRegressor()
    m.fit(frames[0][["a"]], frames[0].y)
    return [m] + fit_all(frames[1:])
# %%
def run(df):
    return fit_all([df])
# %%
df.isnull().sum()
# %%
models = run(df)
)";
  auto f = scoring::notebook_facts(notebook::parse_jupytext_percent(wrapped, "wrapped.py"));
  EXPECT_EQ(f.at("missing_check_before_training"), 1);
}

TEST(Facts, EveryFactIsDocumented) {
  std::ifstream in(std::string(JUDGE_SOURCE_DIR) + "/docs/facts.md");
  ASSERT_TRUE(in) << "docs/facts.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& info : scoring::fact_vocabulary())
    EXPECT_NE(text.str().find("`" + info.name + "`"), std::string::npos)
        << info.name << " is not in docs/facts.md";
}

TEST(Facts, ScopeFactsInformEveryDimensionWithAnNACase) {
  const auto& v = scoring::fact_vocabulary();
  auto info = [&](const std::string& name) {
    for (const auto& f : v)
      if (f.name == name) return f;
    return scoring::FactInfo{};
  };
  EXPECT_TRUE(scoring::fact_informs(info("trains_model"), "data_imputation"));
  EXPECT_FALSE(scoring::fact_informs(info("trains_model"), "cell_organization"));
  EXPECT_TRUE(scoring::fact_informs(info("uninstalled_packages"), "library_installation"));
  EXPECT_FALSE(scoring::fact_informs(info("uninstalled_packages"), "model_use"));
  EXPECT_TRUE(scoring::fact_informs(info("uninstalled_packages"), "a_custom_dimension"));
}

// The heuristic judge applies the rules written in memory, as written: a person's edit is what it applies.
TEST(Facts, HeuristicJudgeAppliesAnEditedRule) {
  const auto rubric = rubric::default_rubric();
  const auto nb = sample();
  scoring::HeuristicJudge judge;
  auto score_of = [&](const scoring::MemoryUse& c) {
    for (const auto& v : judge.score(nb, rubric, c))
      if (v.dimension == "model_training") return v;
    return verdict::Verdict{};
  };
  const auto plain = score_of({});
  ASSERT_EQ(plain.status, verdict::Status::scored);
  ASSERT_NE(plain.score, 1.0);  // so the rule below visibly changes it
  memory::Memory m;
  m.set_guidelines(
      {{"model_training", "when trains_model, not seed_set -> score 1 (edited by hand)", {}, "learnt"},
       {"model_training", "when always -> N/A", {}, "manual"}});  // first match wins
  scoring::MemoryUse c;
  c.memory = &m;
  const auto ruled = score_of(c);
  EXPECT_EQ(ruled.status, verdict::Status::scored);
  EXPECT_EQ(ruled.score, 1.0);
  EXPECT_NE(ruled.rationale.find("learnt rule: when trains_model, not seed_set -> score 1"),
            std::string::npos);
  EXPECT_EQ(ruled.extra.at("rule_score"), *plain.score);
  c.use_guidelines = false;  // the "episodic" condition: rules are semantic memory
  EXPECT_EQ(score_of(c).score, plain.score);
  m.set_guidelines({{"model_training", "when seed_set -> score 1", {}, "manual"}});  // does not match
  c.use_guidelines = true;
  EXPECT_EQ(score_of(c).score, plain.score);
  // A `keep` rule first stops the rules after it; a verdict no rule changed records no rule.
  m.set_guidelines({{"model_training", "when trains_model -> keep", {}, "manual"},
                    {"model_training", "when trains_model -> score 1", {}, "learnt"}});
  const auto kept = score_of(c);
  EXPECT_EQ(kept.score, plain.score);
  EXPECT_FALSE(kept.extra.contains("learnt_rule"));
  // A rule a person wrote says so in the rationale.
  m.set_guidelines({{"model_training", "when trains_model -> score 1", {}, "manual"}});
  EXPECT_NE(score_of(c).rationale.find("; rule (manual): when trains_model -> score 1"), std::string::npos)
      << score_of(c).rationale;
}
