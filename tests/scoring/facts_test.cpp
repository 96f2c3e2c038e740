// SPDX-License-Identifier: MIT
#include "judge/scoring/facts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "judge/memory/memory.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/heuristic.hpp"
#include "judge/scoring/heuristic_facts.hpp"
#include "judge/scoring/heuristic_rules.hpp"

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
                                       {"third_party_packages", "numpy, statsmodels"},
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

// Every package count names what it counts, sorted, so a reader can check it: third_party_packages counts
// every imported module outside the standard library (os is in it), nonstandard_packages those outside the
// usual ML runtime too (pandas is in it; lightgbm only on Databricks), repeated_imports a module imported
// again in a later cell (pandas).
TEST(Facts, PackageCountsNameWhatTheyCount) {
  const auto nb = notebook::parse_jupytext_percent(
      "# %%\nimport pytz\nimport pandas as pd\nimport lightgbm\n# %%\nimport pandas as pd\nimport os\n",
      "a.py");
  scoring::FactNotes notes;
  const auto f = scoring::notebook_facts(nb, &notes);
  EXPECT_EQ(f.at("third_party_packages"), 3);
  EXPECT_EQ(f.at("nonstandard_packages"), 2);
  EXPECT_EQ(f.at("repeated_imports"), 1);
  EXPECT_EQ(notes.at("third_party_packages"), "lightgbm, pandas, pytz");
  EXPECT_EQ(notes.at("nonstandard_packages"), "lightgbm, pytz");
  EXPECT_EQ(notes.at("repeated_imports"), "pandas");
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
  // 10 rows sampled from the data the model was fit on: a validation part alone, no training part, is no
  // split
  EXPECT_EQ(f.at("holdout_split"), 0);
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

namespace {

scoring::FactValues facts_of(const std::string& text) {
  return scoring::notebook_facts(notebook::parse_jupytext_percent(text, "variant.py"));
}

// The facts of a notebook whose first cell loads d.csv with pandas, its second holding `code`, then `after`.
scoring::FactValues facts_after_load(const std::string& code, const std::string& after) {
  return facts_of("# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n# %%\n" + code + after);
}

// A notebook of one code cell with one output text (what a run printed).
notebook::Notebook with_output(const std::string& code, const std::string& output) {
  auto nb = notebook::parse_jupytext_percent(
      "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n# %%\n" + code, "out.py");
  notebook::Output o;
  o.kind = "execute_result";
  o.text = output;
  nb.cells.back().outputs.push_back(o);
  return nb;
}

}  // namespace

// Training written in styles other than `estimator.fit(`: each snippet trains a model, so trains_model is 1.
TEST(Facts, TrainingInOtherStylesIsTraining) {
  const std::string load = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n# %%\n";
  for (const char* code : {
           // a PyTorch loop on a bare layer (no nn.Module class, no Sequential)
           "model = nn.Linear(10, 1)\nopt = torch.optim.Adam(model.parameters())\nfor e in range(3):\n"
           "    opt.zero_grad()\n    loss = loss_fn(model(X), y)\n    loss.backward()\n    opt.step()\n",
           // Keras' functional API
           "net = Model(inputs=inp, outputs=out)\nnet.compile(loss='mse')\nnet.fit(X, y, epochs=5)\n",
           // LightGBM and XGBoost under their full module names
           "booster = lightgbm.train(params, lightgbm.Dataset(X, label=y))\n",
           "bst = xgboost.train(params, dtrain, 50)\n",
           // statsmodels: formula API in lower case, state-space models
           "res = smf.logit('churn ~ tenure', data=df).fit()\n",
           "res = SARIMAX(df['sales'], order=(1, 1, 1)).fit()\n",
           // Spark ML naive Bayes in a pipeline
           "model = Pipeline(stages=[assembler, NaiveBayes(labelCol='y')]).fit(train)\n",
           // sklearn CV estimators and searches, clustering, incremental fits
           "scores = cross_val_score(LogisticRegressionCV(), X, y, cv=5)\n",
           "search = GridSearchCV(LassoCV(), grid)\nsearch.fit(X, y)\n",
           "gm = GaussianMixture(n_components=3)\ngm.fit(X)\n",
           "labels = DBSCAN(eps=0.5).fit_predict(X)\n",
           "clf = SGDClassifier()\nclf.partial_fit(X, y, classes=[0, 1])\n",
       }) {
    const auto f = facts_of(load + code);
    EXPECT_EQ(f.at("trains_model"), 1) << code;
    EXPECT_EQ(f.at("orchestrated"), 0) << code;
  }
  // A framework import plus training is a neural network, though the body never says "keras".
  auto f = facts_of(
      "# %%\nfrom tensorflow.keras.models import Model\n# %%\nnet = Model(inputs=a, outputs=b)\nnet.fit(X, "
      "y, "
      "validation_split=0.2)\n");
  EXPECT_EQ(f.at("neural_network"), 1);
  EXPECT_EQ(f.at("holdout_split"), 1);  // Keras holds out validation_split of the rows
  // An MLflow recipe's Pipeline(profile=...) is no pipeline of transformers.
  f = facts_of("# %%\np = Pipeline(profile='local')\np.run('train')\n");
  EXPECT_EQ(f.at("pipeline"), 0);
  EXPECT_EQ(f.at("packaged_training"), 1);
}

// Hold-out splits beyond train_test_split, each in cell 3, after a fill in cell 2.
TEST(Facts, HoldOutSplitsInOtherStyles) {
  for (const char* split : {"train_ds, val_ds = torch.utils.data.random_split(ds, [800, 200])\n",
                            "idx = next(ShuffleSplit(n_splits=1).split(X))\n",
                            "idx = next(GroupShuffleSplit(n_splits=1).split(X, y, groups))\n",
                            "tvs = TrainValidationSplit(estimator=lr, estimatorParamMaps=grid)\n",
                            "train, valid = hf.split_frame(ratios=[0.8])\n"}) {
    const auto f =
        facts_of(std::string("# %%\ndf = pd.read_csv('d.csv')\n# %%\ndf = df.fillna(0)\n# %%\n") + split);
    EXPECT_EQ(f.at("holdout_split"), 1) << split;
    EXPECT_EQ(f.at("imputation_before_split"), 1) << split;
  }
  EXPECT_EQ(facts_of("# %%\nscores = cross_val_predict(model, X, y)\n").at("cross_validation"), 1);
}

// Missing-value checks in pandas, NumPy, Spark, polars, missingno and SQL: one per cell, 8 cells. info()
// shows non-null counts but is a summary, not a count of missing values.
TEST(Facts, MissingValueChecksInOtherStyles) {
  const auto f = facts_of(R"(# %%
import missingno as msno
df = pd.read_csv("d.csv")
# %%
df.isnull().values.any()
# %%
msno.matrix(df)
# %%
sdf.select([F.count(F.when(F.isnan(c), c)).alias(c) for c in sdf.columns]).show()
# %%
pl_df.null_count()
# %%
pl_df.filter(pl.col("x").is_null())
# %%
spark.sql("SELECT COUNT(*) FROM t WHERE age IS NULL")
# %%
df.isna().mean()
# %%
print(df["age"].hasnans)
# %%
df.info()
)");
  EXPECT_EQ(f.at("missing_value_checks"), 8);
  EXPECT_EQ(f.at("summary_checks"), 1);
}

// Code is read without comments, trailing ones too: tokens in a comment, or a check in a printed string, find
// nothing; SQL's IS NULL in a spark.sql string is a check; the drop's "# mostly NaN" still ties it to missing
// values (imputation_cells reads a line's comment on purpose). Counted by hand: the one check is the SQL
// cell, after the fit.
TEST(Facts, TrailingCommentsAndPrintedStringsHoldNoToken) {
  const auto f = facts_of(R"nb(# %%
import pandas as pd
df = pd.read_csv("d.csv")  # then df.isnull().sum() and a GridSearchCV(
# %%
x = 1  # df.isnull().sum()
print("next: df.isna().sum()")
y = 2  # dbutils.fs.ls("/mnt"), mlflow.log_metric("a", 1)
# %%
from sklearn.linear_model import LinearRegression
m = LinearRegression()  # KFold( later, random_state=0
m.fit(X, y)  # joblib.dump(m, "m.pkl")
# %%
spark.sql("SELECT count(*) FROM t WHERE age IS NULL")
# %%
df = df.drop(columns=["Cabin"])  # mostly NaN
)nb");
  EXPECT_EQ(f.at("missing_value_checks"), 1);
  EXPECT_EQ(f.at("missing_check_before_training"), 0);
  EXPECT_EQ(f.at("tuning"), 0);
  EXPECT_EQ(f.at("cross_validation"), 0);
  EXPECT_EQ(f.at("seed_set"), 0);
  EXPECT_EQ(f.at("persists_model"), 0);
  EXPECT_EQ(f.at("persists_with_pickle"), 0);
  EXPECT_EQ(f.at("mlflow_used"), 0);
  EXPECT_EQ(f.at("mlflow_metrics"), 0);
  EXPECT_EQ(f.at("databricks"), 0);
  EXPECT_EQ(f.at("trains_model"), 1);
  EXPECT_EQ(f.at("imputation_cells"), 1);
}

// A triple-quoted docstring holding a single quote ("the frame's shape") is one string: the code after it is
// code (by hand: describe() and isnull().sum() on df, before any model: summary statistics and missing
// values, 2 kinds of exploration, 1 missing-value check), and a `#` inside it starts no comment.
TEST(Facts, DocstringWithAnApostropheEndsAtItsTripleQuote) {
  const auto f = facts_of(R"nb(# %%
import pandas as pd
df = pd.read_csv("d.csv")
def look(frame):
    '''Return the frame's rows with all #columns.'''
    return frame
df.describe()
df.isnull().sum()
)nb");
  EXPECT_EQ(f.at("eda_kinds"), 2);
  EXPECT_EQ(f.at("missing_value_checks"), 1);
  EXPECT_EQ(f.at("summary_checks"), 1);
}

// MLflow autologging logs each fit's metrics (a flavour's training metrics), not under
// mlflow.spark.autolog(), which logs the data sources Spark reads, nor when turned off; log_models=False
// still logs metrics.
TEST(Facts, AutologgingLogsMetrics) {
  const std::string fit =
      "# %%\nfrom sklearn.linear_model import LinearRegression\n"
      "m = LinearRegression()\nm.fit(X, y)\n";
  const auto sklearn = facts_of("# %%\nimport mlflow\nmlflow.sklearn.autolog()\n" + fit);
  EXPECT_EQ(sklearn.at("mlflow_metrics"), 1);
  EXPECT_EQ(sklearn.at("mlflow_model"), 1);
  const auto no_models = facts_of("# %%\nimport mlflow\nmlflow.sklearn.autolog(log_models=False)\n" + fit);
  EXPECT_EQ(no_models.at("mlflow_metrics"), 1);
  EXPECT_EQ(no_models.at("mlflow_model"), 0);
  const auto spark = facts_of("# %%\nimport mlflow\nmlflow.spark.autolog()\n" + fit);
  EXPECT_EQ(spark.at("mlflow_metrics"), 0);
  EXPECT_EQ(spark.at("mlflow_model"), 0);
  const auto off = facts_of("# %%\nimport mlflow\nmlflow.autolog(disable=True)\n" + fit);
  EXPECT_EQ(off.at("mlflow_metrics"), 0);
  // LightGBM's autologging logs the scores of evaluation sets only: none given, no metric.
  const std::string booster =
      "# %%\nimport mlflow\nimport lightgbm as lgb\nmlflow.lightgbm.autolog()\n"
      "b = lgb.train(params, lgb.Dataset(X_train, y_train)";
  EXPECT_EQ(facts_of(booster + ")\n").at("mlflow_metrics"), 0);
  EXPECT_EQ(facts_of(booster + ", valid_sets=[lgb.Dataset(X_val, y_val)])\n").at("mlflow_metrics"), 1);
}

// Autologging turned off (`disable=True`) logs nothing: no parameters, no metrics, no model, nothing
// persisted, whatever the flavour and however the keyword is spaced; `disable=False` turns it on. A call that
// turns model logging off inside one cell leaves another flavour's call of that cell logging its models, and
// a function that only ends in "autolog" is not MLflow's.
TEST(Facts, AutologgingTurnedOffLogsNothing) {
  const std::string fit =
      "# %%\nfrom sklearn.linear_model import LinearRegression\nm = LinearRegression()\nm.fit(X, y)\n";
  for (const char* off :
       {"mlflow.autolog(disable=True)\n", "mlflow.sklearn.autolog(disable=True)\n",
        "mlflow.sklearn.autolog(log_models=True, disable = True)\n",
        "mlflow.autolog(\n    disable=True,\n    silent=True,\n)\n", "setup_autolog()\n",
        // disable=1 is true to Python; tabs and line breaks around '=' are white space
        "mlflow.autolog(disable=1)\n", "mlflow.autolog(disable=\tTrue)\n", "mlflow.autolog(disable\n=True)\n",
        // not a call: inside a string or a comment
        "print('call mlflow.autolog( to log')\n", "\"\"\"Then mlflow.autolog() logs.\"\"\"\n",
        "# mlflow.autolog()\n"}) {
    const auto f = facts_of("# %%\nimport mlflow\n" + std::string(off) + fit);
    EXPECT_EQ(f.at("mlflow_params"), 0) << off;
    EXPECT_EQ(f.at("mlflow_metrics"), 0) << off;
    EXPECT_EQ(f.at("mlflow_model"), 0) << off;
    EXPECT_EQ(f.at("persists_model"), 0) << off;
  }
  const auto on = facts_of("# %%\nimport mlflow\nmlflow.sklearn.autolog(disable=False)\n" + fit);
  EXPECT_EQ(on.at("mlflow_params"), 1);
  EXPECT_EQ(on.at("mlflow_metrics"), 1);
  EXPECT_EQ(on.at("mlflow_model"), 1);
  const auto mixed = facts_of(
      "# %%\nimport mlflow\nmlflow.sklearn.autolog(log_models=False)\nmlflow.keras.autolog()\n" + fit);
  EXPECT_EQ(mixed.at("mlflow_model"), 1);
  // A parameter logged by hand still counts beside autologging turned off.
  const auto by_hand =
      facts_of("# %%\nimport mlflow\nmlflow.autolog(disable=True)\nmlflow.log_param('a', 1)\n");
  EXPECT_EQ(by_hand.at("mlflow_params"), 1);
  EXPECT_EQ(by_hand.at("mlflow_metrics"), 0);
}

// Autologging counts where a model is fitted: turned off again before the fit (in a later cell or further
// down the same one), it logs nothing; turned off after the fit, the fit was logged. A flavour's disable
// turns off that flavour only; mlflow.autolog(disable=True) turns off every flavour. Hand-worked: the fit
// below is sklearn's, so it is logged exactly when sklearn's (or every flavour's) autologging is on at it.
TEST(Facts, AutologgingCountsWhereTheModelIsFitted) {
  const std::string fit =
      "# %%\nfrom sklearn.linear_model import LinearRegression\nm = LinearRegression()\nm.fit(X, y)\n";
  const auto logged = [&](const std::string& code) {
    const auto f = facts_of(code);
    const auto params = f.at("mlflow_params");
    EXPECT_EQ(f.at("mlflow_metrics"), params) << code;
    EXPECT_EQ(f.at("mlflow_model"), params) << code;
    EXPECT_EQ(f.at("persists_model"), params) << code;
    return params;
  };
  const std::string on = "# %%\nimport mlflow\nmlflow.autolog()\n";
  // on, off in a later cell, then the fit: nothing logged
  EXPECT_EQ(logged(on + "# %%\nmlflow.autolog(disable=True)\n" + fit), 0);
  // on, off further down the same cell, then the fit
  EXPECT_EQ(logged("# %%\nimport mlflow\nmlflow.autolog()\nmlflow.autolog(disable=True)\n" + fit), 0);
  // on, the fit, then off (a later cell, or the fit's own cell): the fit was logged
  EXPECT_EQ(logged(on + fit + "# %%\nmlflow.autolog(disable=True)\n"), 1);
  EXPECT_EQ(logged(on + fit + "mlflow.autolog(disable=True)\n"), 1);
  // on, off, on again, then the fit
  EXPECT_EQ(logged(on + "# %%\nmlflow.autolog(disable=True)\n# %%\nmlflow.sklearn.autolog()\n" + fit), 1);
  // a flavour's disable turns off that flavour's autologging, not another's
  const std::string sk = "# %%\nimport mlflow\nmlflow.sklearn.autolog()\n";
  EXPECT_EQ(logged(sk + "# %%\nmlflow.sklearn.autolog(disable=True)\n" + fit), 0);
  EXPECT_EQ(logged(sk + "# %%\nmlflow.keras.autolog(disable=True)\n" + fit), 1);
  // every flavour's disable turns off a flavour's autologging
  EXPECT_EQ(logged(sk + "# %%\nmlflow.autolog(disable=True)\n" + fit), 0);
  // after mlflow.autolog(), a flavour's disable leaves the other flavours' on: it still counts (the fitted
  // model's library is not worked out)
  EXPECT_EQ(logged(on + "# %%\nmlflow.sklearn.autolog(disable=True)\n" + fit), 1);
  // a later call of the same flavour replaces the earlier one's settings before the fit
  const auto replaced = facts_of(sk + "# %%\nmlflow.sklearn.autolog(log_models=False)\n" + fit);
  EXPECT_EQ(replaced.at("mlflow_model"), 0);
  EXPECT_EQ(replaced.at("mlflow_metrics"), 1);
  // no fit at all (trained elsewhere): on unless turned off later
  EXPECT_EQ(logged(on), 1);
  EXPECT_EQ(logged(on + "# %%\nmlflow.autolog(disable=True)\n"), 0);
}

// polars cleans and derives columns with fill_null, drop_nulls and with_columns: that is data preparation.
TEST(Facts, PolarsCleaningIsDataPreparation) {
  const std::string load = "# %%\nimport polars as pl\ndf = pl.read_csv('d.csv')\n";
  EXPECT_EQ(facts_of(load + "print(df.shape)\n").at("data_prep"), 0);
  EXPECT_EQ(facts_of(load + "df = df.drop_nulls()\n").at("data_prep"), 1);
  EXPECT_EQ(facts_of(load + "df = df.with_columns((pl.col('t') / 12).alias('years'))\n").at("data_prep"), 1);
  EXPECT_EQ(facts_of(load + "df = df.with_columns(pl.col('age').fill_null(0))\n").at("imputation_cells"), 1);
}

// A fitted model's summary() (statsmodels, Keras) is no look at the data.
TEST(Facts, AModelSummaryIsNoDataSummary) {
  auto f =
      facts_of("# %%\ndf = pd.read_csv('d.csv')\n# %%\nres = sm.OLS(y, X).fit()\nprint(res.summary())\n");
  EXPECT_EQ(f.at("summary_checks"), 0);
  f = facts_of("# %%\nmodel = Sequential([Dense(1)])\nmodel.summary()\n# %%\nmodel.fit(X, y)\n");
  EXPECT_EQ(f.at("summary_checks"), 0);
  EXPECT_EQ(f.at("eda_kinds"), 0);
  f = facts_of("# %%\nsdf = spark.read.table('t')\nsdf.summary().show()\n");
  EXPECT_EQ(f.at("summary_checks"), 1);
}

// Outputs that show nothing is missing, in the shapes pandas and Spark print them; and outputs that show
// something missing.
TEST(Facts, ShowsNoMissingReadsEveryCountShape) {
  auto shows = [](const std::string& code, const std::string& out) {
    return scoring::notebook_facts(with_output(code, out)).at("shows_no_missing");
  };
  EXPECT_EQ(shows("df.isnull().sum()", "age      0\nprice    0\ndtype: int64"), 1);
  EXPECT_EQ(shows("df.isnull().sum().sum()", "0"), 1);
  EXPECT_EQ(shows("df.isnull().values.any()", "False"), 1);
  EXPECT_EQ(shows("df.isna().any()", "age      False\nprice    False\ndtype: bool"), 1);
  EXPECT_EQ(shows("df.isna().mean()", "age      0.0\nprice    0.0\ndtype: float64"), 1);
  EXPECT_EQ(shows("sdf.select([F.count(F.when(F.col(c).isNull(), c)) for c in sdf.columns]).show()",
                  "+---+-----+\n|age|price|\n+---+-----+\n|  0|    0|\n+---+-----+"),
            1);
  EXPECT_EQ(shows("df.isnull().sum()", "age      0\nprice    3\ndtype: int64"), 0);
  EXPECT_EQ(shows("df.isna().mean()", "age      0.0\nprice    0.25\ndtype: float64"), 0);
  EXPECT_EQ(shows("df.isnull().values.any()", "True"), 0);
  EXPECT_EQ(shows("sdf.select([F.count(F.when(F.col(c).isNull(), c)) for c in sdf.columns]).show()",
                  "+---+-----+\n|age|price|\n+---+-----+\n|  0|   12|\n+---+-----+"),
            0);
  EXPECT_EQ(shows("df.notnull().all()", "age      True\nprice    True"), 0);  // True here means complete
  EXPECT_EQ(shows("df.head()", "   age\n0    0"), 0);                         // no missing-value check
  EXPECT_EQ(shows("df['age'].isnull().sum()", "0"), 0);                       // one column, not the frame
  EXPECT_EQ(shows("len(df[df['age'].isnull()])", "0"), 0);
  EXPECT_EQ(shows("df[df['x'].isnull()]", "    x  flag\n61 NaN     0"), 0);  // rows listed, not counted
}

// Counts printed beside a missing-value count are not read as gaps: each printed Series ends with its
// `dtype:` footer, and the output's pieces go to the statements that printed them, in order (by hand: the
// label counts 900/100, the distinct counts 52/731 and 12 duplicate rows are no missing values).
TEST(Facts, ShowsNoMissingReadsOnlyTheMissingValueCountsOutput) {
  auto shows = [](const std::string& code, const std::string& out) {
    return scoring::notebook_facts(with_output(code, out)).at("shows_no_missing");
  };
  EXPECT_EQ(shows("print(df.y.value_counts())\nprint(df.isnull().sum())",
                  "0    900\n1    100\nName: y, dtype: int64\nage       0\nincome    0\ndtype: int64"),
            1);
  EXPECT_EQ(shows("print(df.isnull().sum())\nprint(df.nunique())",
                  "age       0\nincome    0\ndtype: int64\nage       52\nincome    731\ndtype: int64"),
            1);
  EXPECT_EQ(
      shows("print(df.isnull().sum())\ndf.duplicated().sum()", "age       0\nincome    0\ndtype: int64\n12"),
      1);
  // the missing-value count's own piece still speaks: 3 prices missing
  EXPECT_EQ(shows("print(df.nunique())\nprint(df.isnull().sum())",
                  "age       52\nprice    731\ndtype: int64\nage       0\nprice     3\ndtype: int64"),
            0);
  // pieces and statements that do not pair up (a print in a loop) are read whole, as before
  EXPECT_EQ(shows("for c in df:\n    print(c, df[c].nunique())\nprint(df.isnull().sum())",
                  "age 52\nage       0\ndtype: int64"),
            0);
}

// The rubric's N/A reads "the data has no missing values and the notebook checks or states it": a statement
// in markdown after the data is read sets shows_no_missing as a zero count does; one before the data is read,
// an exception or an intention does not (the statements of
// HeuristicRules.StatedCompleteDataIsNotApplicable...).
TEST(Facts, ShowsNoMissingTakesAStatementAfterTheDataIsRead) {
  const std::string load = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n";
  const auto shows = [](const std::string& text) { return facts_of(text).at("shows_no_missing"); };
  EXPECT_EQ(shows(load + "# %% [markdown]\n# No missing values in this dataset, so nothing to impute.\n"), 1);
  EXPECT_EQ(shows("# %% [markdown]\n# No missing values in this dataset.\n" + load), 0);
  EXPECT_EQ(shows(load + "# %% [markdown]\n# The dataset has no missing values except in the Age column.\n"),
            0);
  EXPECT_EQ(shows(load + "# %% [markdown]\n# We should make sure there are no missing values.\n"), 0);
  EXPECT_EQ(shows(load), 0);
  // As data_imputation's rule asks of a statement: nothing filled for gaps, no output showing one.
  EXPECT_EQ(
      shows(load +
            "# %%\ndf = df.fillna(df.mean())\n# %% [markdown]\n# Now there are no missing values in the "
            "data.\n"),
      0);
  auto gaps = notebook::parse_jupytext_percent(
      load + "# %%\ndf.isnull().sum()\n# %% [markdown]\n# No missing values in this dataset.\n", "gaps.py");
  notebook::Output o;
  o.kind = "execute_result";
  o.text = "Age      177\nCabin    687\ndtype: int64";
  for (auto& c : gaps.cells)
    if (c.source.find("isnull") != std::string::npos) c.outputs.push_back(o);
  EXPECT_EQ(scoring::notebook_facts(gaps).at("shows_no_missing"), 0);
}

// pandas' info() prints the row count on its index line and each column's non-null count: complete when every
// count equals the rows (output shapes as pandas prints them, by hand).
TEST(Facts, ShowsNoMissingReadsInfoCounts) {
  auto shows = [](const std::string& code, const std::string& out) {
    return scoring::notebook_facts(with_output(code, out)).at("shows_no_missing");
  };
  const std::string head =
      "<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 1470 entries, 0 to 1469\nData columns (total 2 "
      "columns):\n #   Column  Non-Null Count  Dtype \n---  ------  --------------  ----- \n";
  EXPECT_EQ(
      shows("df.info()", head + " 0   Age     1470 non-null   int64 \n 1   Dept    1470 non-null   object"),
      1);
  EXPECT_EQ(
      shows("df.info()", head + " 0   Age     1470 non-null   int64 \n 1   Dept    1391 non-null   object"),
      0);
  EXPECT_EQ(shows("df.info()",
                  "<class 'pandas.core.frame.DataFrame'>\nInt64Index: 12 entries, 3 to 40\n"
                  " 0   x   12 non-null   float64"),
            1);
  // a short info() (no per-column counts), or counts without an index line, show nothing
  EXPECT_EQ(shows("df.info(verbose=False)",
                  "<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 1470 entries, 0 to 1469\n"
                  "Columns: 35 entries, Age to YearsWithCurrManager\ndtypes: int64(26), object(9)"),
            0);
  EXPECT_EQ(shows("df.info()", " 0   Age     1470 non-null   int64"), 0);
  EXPECT_EQ(shows("df.describe()", head + " 0   Age     1470 non-null   int64"), 0);  // no info() call
  // two frames' info(), each read against its own rows
  const std::string test_head = "<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 418 entries, 0 to 417\n";
  EXPECT_EQ(shows("train.info()\ntest.info()", head + " 0   Age     1470 non-null   int64\n" + test_head +
                                                   " 0   Age     418 non-null   int64"),
            1);
  EXPECT_EQ(shows("train.info()\ntest.info()", head + " 0   Age     1470 non-null   int64\n" + test_head +
                                                   " 0   Age     332 non-null   int64"),
            0);
}

namespace {

// Titanic's missing values as `df.isnull().sum()` prints them (by hand from the data: 177 ages, 687 cabins
// and 2 ports of embarkation missing of 891 rows), and as `df.info()` prints the same frame's cabins.
const char* const k_titanic_counts =
    "PassengerId      0\nSurvived         0\nAge            177\nCabin          687\nEmbarked         2\n"
    "dtype: int64\n";
const char* const k_titanic_info =
    "<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 891 entries, 0 to 890\nData columns (total 3 "
    "columns):\n #   Column       Non-Null Count  Dtype  \n---  ------       --------------  -----  \n"
    " 0   PassengerId  891 non-null    int64  \n 1   Survived     891 non-null    int64  \n"
    " 2   Cabin        204 non-null    object \n";

// imputation_cells of a notebook that reads titanic.csv (cell 1), runs `check` printing `printed` (cell 2),
// then `code` (its cells from 3 on).
double imputation_cells_after(const std::string& check, const std::string& printed, const std::string& code) {
  auto nb = notebook::parse_jupytext_percent(
      "# %%\nimport pandas as pd\ndf = pd.read_csv('titanic.csv')\n# %%\n" + check + "\n# %%\n" + code,
      "drop.py");
  notebook::Output o;
  o.kind = "stream";
  o.text = printed;
  nb.cells.at(1).outputs.push_back(o);
  return scoring::notebook_facts(nb).at("imputation_cells");
}

}  // namespace

// A column drop handles missing values when it is tied to them: the columns are chosen by their gaps (a
// missing-value test in the call, a name that says so, a name assigned from such a test), the line says so
// (its comment, its target), or a column it names is shown with gaps by the check in its cell or the code
// cell before. A drop of an id or of the target is no handling, nor a drop of rows (`drop("Cabin")`, axis 0),
// nor a target dropped from rows picked by its gaps. Each notebook below has one drop cell, so 1 or 0, by
// hand.
TEST(Facts, ColumnsDroppedForTheirMissingValuesAreImputationCells) {
  const std::string counts = "df.isnull().sum()";
  for (const char* tied :
       {"df = df.drop(columns=[\"Cabin\"])", "df.drop([\"Cabin\"], axis=1, inplace=True)",
        "df = df.drop(\"Cabin\", axis=1)", "df = df.drop(['Cabin', 'PassengerId'], axis='columns')",
        "df = df.drop(columns=df.columns[df.isna().mean() > 0.5])", "X = X.drop(cols_with_missing, axis=1)",
        "df = df.drop(columns=null_cols)", "df = df.drop(columns=[\"Deck\"])  # mostly NaN",
        "df_no_missing = df.drop(columns=[\"Deck\"])",
        "to_drop = [c for c in df.columns if df[c].isnull().mean() > 0.4]\n# %%\n"
        "df = df.drop(columns=to_drop)"})
    EXPECT_EQ(imputation_cells_after(counts, k_titanic_counts, tied), 1) << tied;
  EXPECT_EQ(imputation_cells_after("df.info()", k_titanic_info, "df = df.drop(columns=['Cabin'])"), 1);
  // the check and the drop in one cell (its output is the check's)
  EXPECT_EQ(imputation_cells_after("print(df.isnull().sum())\ndf = df.drop(columns=['Cabin'])",
                                   k_titanic_counts, "df.head()"),
            1);
  for (const char* untied :
       {"X = df.drop(\"Survived\", axis=1)", "df = df.drop(columns=[\"PassengerId\"])",
        "df = df.drop(\"Cabin\")", "test = df[df.Survived.isnull()].drop(\"Survived\", axis=1)",
        "to_drop = [c for c in df.columns if df[c].isnull().mean() > 0.4]\nto_drop = [\"PassengerId\"]\n"
        "df = df.drop(columns=to_drop)"})
    EXPECT_EQ(imputation_cells_after(counts, k_titanic_counts, untied), 0) << untied;
  // a column the check shows complete is not dropped for gaps
  EXPECT_EQ(imputation_cells_after(counts, "PassengerId  0\nCabin  0\ndtype: int64\n",
                                   "df = df.drop(columns=['Cabin'])"),
            0);
}

// Fills and fitted statistics before the split (cell 4 splits): a mean fill with more arguments, a forward
// fill, an imputer and a scaler fitted by name. An imputer and a scaler only built before the split and
// fitted on the training rows after it are no leak.
TEST(Facts, FillsAndFitsBeforeTheSplit) {
  auto f = facts_of(R"(# %%
df = pd.read_csv("d.csv")
# %%
df["age"].fillna(df["age"].mean(), inplace=True)
df["price"] = df["price"].ffill()
# %%
imp = KNNImputer()
sc = MinMaxScaler()
imp.fit(df[num])
df[num] = imp.transform(df[num])
sc.fit(df[num])
# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
)");
  EXPECT_EQ(f.at("imputation_cells"), 2);  // cells 2 and 3
  EXPECT_EQ(f.at("fill_before_split"), 1);
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  EXPECT_EQ(f.at("transform_before_split"), 1);
  EXPECT_EQ(f.at("scaling"), 1);
  f = facts_of(R"(# %%
df = pd.read_csv("d.csv")
imputer = SimpleImputer(strategy="median")
scaler = StandardScaler()
# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
# %%
X_train = scaler.fit_transform(imputer.fit_transform(X_train))
X_test = scaler.transform(imputer.transform(X_test))
)");
  EXPECT_EQ(f.at("imputation_cells"), 1);  // cell 1 builds the imputer
  EXPECT_EQ(f.at("fill_before_split"), 0);
  EXPECT_EQ(f.at("imputation_before_split"), 0);
  EXPECT_EQ(f.at("transform_before_split"), 0);
  // A Spark StringIndexer fitted on the whole frame before randomSplit.
  f = facts_of(
      "# %%\ndf = spark.read.table('t')\ndf = StringIndexer(inputCol='c', "
      "outputCol='ci').fit(df).transform(df)\n"
      "# %%\ntrain, test = df.randomSplit([0.8, 0.2])\n");
  EXPECT_EQ(f.at("transform_before_split"), 1);
  EXPECT_EQ(f.at("encoding"), 1);
  // The same indexer beside a pipeline fitted on the training part: the pipeline does not undo it.
  f = facts_of(
      "# %%\ndf = spark.read.table('t')\ndf = StringIndexer(inputCol='y', "
      "outputCol='label').fit(df).transform(df)\n"
      "# %%\ntrain, test = df.randomSplit([0.8, 0.2])\n"
      "# %%\npipe = Pipeline(stages=[StringIndexer(inputCol='c', outputCol='ci'), rf])\nm = "
      "pipe.fit(train)\n");
  EXPECT_EQ(f.at("transform_before_split"), 1);
  EXPECT_EQ(f.at("pipeline"), 1);
  // A transform fitted in the split's own cell, above the split, is fitted before it; below it, after.
  EXPECT_EQ(
      facts_of("# %%\ndf = pd.read_csv('d.csv')\n# %%\nX = TfidfVectorizer().fit_transform(df['text'])\n"
               "X_train, X_test, y_train, y_test = train_test_split(X, df.label, test_size=0.2)\n")
          .at("transform_before_split"),
      1);
  EXPECT_EQ(facts_of("# %%\ndf = pd.read_csv('d.csv')\n# %%\n"
                     "X_train, X_test, y_train, y_test = train_test_split(X, df.label, test_size=0.2)\n"
                     "sc = StandardScaler()\nX_train = sc.fit_transform(X_train)\n")
                .at("transform_before_split"),
            0);
  // ... by name too; a fit in a def above the split, or in a string, is none there
  EXPECT_EQ(
      facts_of(
          "# %%\ndf = pd.read_csv('d.csv')\n# %%\nsc = StandardScaler()\nsc.fit(X)\nX = sc.transform(X)\n"
          "X_train, X_test, y_train, y_test = train_test_split(X, y)\n")
          .at("transform_before_split"),
      1);
  EXPECT_EQ(facts_of("# %%\ndf = pd.read_csv('d.csv')\n# %%\ndef prep(X):\n    return pd.get_dummies(X)\n"
                     "print('we call pd.get_dummies( after the split')\n"
                     "X_train, X_test, y_train, y_test = train_test_split(X, y)\nX_train = prep(X_train)\n")
                .at("transform_before_split"),
            0);
  // A pipeline fitted on the training part alone fits nothing before the split.
  f = facts_of(
      "# %%\ndf = pd.read_csv('d.csv')\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
      "# %%\npipe = make_pipeline(StandardScaler(), LogisticRegression())\npipe.fit(X_train, y_train)\n");
  EXPECT_EQ(f.at("transform_before_split"), 0);
}

// A transform fitted inside a def happens where the def is called: a helper defined before the split and
// called on the training rows after it fits nothing before the split; called before the split, it does.
TEST(Facts, ATransformInsideADefFitsWhereTheDefIsCalled) {
  const char* const after = R"(# %%
def encode(df, col):
    ohe = OneHotEncoder()
    return ohe.fit_transform(df[[col]])
# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
# %%
X_train_c = encode(X_train, "season")
)";
  EXPECT_EQ(facts_of(after).at("transform_before_split"), 0);
  const char* const before = R"(# %%
def encode(df, col):
    ohe = OneHotEncoder()
    return ohe.fit_transform(df[[col]])
# %%
df_c = encode(df, "season")
# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
)";
  EXPECT_EQ(facts_of(before).at("transform_before_split"), 1);
  // Defined and never called: fitted nowhere.
  EXPECT_EQ(facts_of("# %%\ndef encode(df):\n    return pd.get_dummies(df)\n# %%\n"
                     "X_train, X_test, y_train, y_test = train_test_split(X, y)\n")
                .at("transform_before_split"),
            0);
}

// A transform def called in the cell that defines it, or only through a wrapper def, still fits where that
// call runs; a model's `.fit(` in a def beside a transform def is no transform.
TEST(Facts, ATransformDefCalledInItsCellOrByAWrapperFitsThere) {
  const std::string split = "# %%\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n";
  EXPECT_EQ(facts_of("# %%\ndef encode(df):\n    return pd.get_dummies(df)\ndf = encode(df)\n" + split)
                .at("transform_before_split"),
            1);
  EXPECT_EQ(facts_of("# %%\ndef encode(df):\n    return pd.get_dummies(df)\n# %%\ndef prep(df):\n"
                     "    return encode(df.dropna())\n# %%\ndf = prep(df)\n" +
                     split)
                .at("transform_before_split"),
            1);
  EXPECT_EQ(facts_of("# %%\ndef encode(df):\n    return pd.get_dummies(df)\ndef train(X, y):\n"
                     "    return LinearRegression().fit(X, y)\n# %%\nm = train(X, y)\n" +
                     split + "# %%\nX_train = encode(X_train)\n")
                .at("transform_before_split"),
            0);
}

// Install lines: a pinned and an unpinned package on one line, a requirements file (it may name anything),
// a %%bash cell, mamba, and distribution names that differ from the module's.
TEST(Facts, InstallLinesInOtherStyles) {
  auto f = facts_of("# %%\n%pip install xgboost==1.7.6 lightgbm\n# %%\nimport xgboost\nimport lightgbm\n");
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 1);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  f = facts_of("# %%\n%pip install -r requirements.txt\n# %%\nimport shap\nimport xgboost\n");
  EXPECT_EQ(f.at("packages_beyond_core"), 2);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 0);
  f = facts_of("# %%\n%%bash\npip install shap==0.44.0\n# %%\nimport shap\n");
  EXPECT_EQ(f.at("install_shell"), 1);
  EXPECT_EQ(f.at("install_magic"), 0);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  f = facts_of("# %%\n!mamba install -y -c conda-forge shap\n# %%\nimport shap\n");
  EXPECT_EQ(f.at("install_cells"), 1);
  EXPECT_EQ(f.at("install_shell"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 1);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  f = facts_of("# %%\n!pip install -q imbalanced-learn beautifulsoup4\n# %%\nimport imblearn\nimport bs4\n");
  EXPECT_EQ(f.at("packages_beyond_core"), 2);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  f = facts_of("# %%\n!pip install --user shap==0.44.0 --upgrade|tail -n 1\n# %%\nimport shap\n");
  EXPECT_EQ(f.at("install_unpinned"), 0);  // the pipe ends the package list
  // a line continued with a backslash is one install line; a quoted version's `>` ends nothing; conda's
  // single `=` pins
  f = facts_of(
      "# %%\n!pip install -q \\\n    transformers==4.40.0 \\\n    datasets==2.19.0\n"
      "# %%\nimport transformers\nimport datasets\n");
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 0);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  f = facts_of(
      "# %%\n%pip install \"accelerate>=0.21\" \"peft==0.7.1\"\n# %%\nimport accelerate\nimport peft\n");
  EXPECT_EQ(f.at("install_pinned"), 1);    // peft
  EXPECT_EQ(f.at("install_unpinned"), 1);  // accelerate: a lower bound is no pin
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  f = facts_of("# %%\n!pip install boto3>=1.28 sagemaker==2.0\n# %%\nimport boto3\nimport sagemaker\n");
  EXPECT_EQ(f.at("install_pinned"), 1);  // a version's `>` ends nothing
  f = facts_of("# %%\n!pip install -q \\\n    optuna==3.6.1\n# %%\nimport pandas as pd\n");
  EXPECT_EQ(f.at("tuning"), 0);  // a package named on a continued install line is no code
  f = facts_of("# %%\n!pip install shap==0.44.0 > /dev/null\n# %%\nimport shap\n");
  EXPECT_EQ(f.at("install_unpinned"), 0);  // the redirection ends the list
  f = facts_of("# %%\n!conda install -y -c conda-forge lightgbm=4.3.0\n# %%\nimport lightgbm\n");
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 0);
  f = facts_of("# %%\n!pip install --upgrade pip\n# %%\nimport shap\n");
  EXPECT_EQ(f.at("install_unpinned"), 0);  // upgrading pip installs no package
  EXPECT_EQ(f.at("uninstalled_packages"), 1);
  // `2>&1` redirects a stream (the 2 is no package); `uninstall` is not `install`; a spaced `== 2` pins.
  f = facts_of("# %%\n!pip install xgboost==2 imbalanced-learn==1 2>&1 | tail -1\n# %%\nimport xgboost\n");
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 0);
  f = facts_of("# %%\n!pip uninstall -y tensorflow && pip install xgboost==2.0.3\n# %%\nimport xgboost\n");
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 0);
  f = facts_of("# %%\n!pip install \"xgboost == 2\" --upgrade-strategy eager\n# %%\nimport xgboost\n");
  EXPECT_EQ(f.at("install_pinned"), 1);
  EXPECT_EQ(f.at("install_unpinned"), 0);
}

// Exploration and findings in other words: a displot, np.corrcoef, and markdown that "indicates".
TEST(Facts, ExplorationInOtherStyles) {
  const auto f = facts_of(R"(# %%
df = pd.read_csv("d.csv")
# %%
sns.displot(df["price"])
# %%
np.corrcoef(df["a"], df["b"])
# %% [markdown]
# The price distribution indicates a long right tail, and most of the listings are cheap flats in the centre.
# %%
LinearRegression().fit(X, y)
)");
  EXPECT_EQ(f.at("eda_kinds"), 3);  // distributions and plots (a displot is a chart), relationships
  EXPECT_EQ(f.at("eda_findings"), 1);
}

// The standard library is every module Python ships, not only the common ones: asyncio, concurrent.futures
// and sqlite3 need no install, nor do Python 2's cPickle and StringIO in an old notebook.
TEST(Facts, StandardLibraryModulesAreNoPackages) {
  const auto f = facts_of(
      "# %%\nimport asyncio\nfrom concurrent.futures import ThreadPoolExecutor\nimport sqlite3\n"
      "import cPickle\nfrom StringIO import StringIO\n# %%\nimport shap\n");
  EXPECT_EQ(f.at("third_party_packages"), 1);  // shap
  EXPECT_EQ(f.at("packages_beyond_core"), 1);
  EXPECT_EQ(f.at("nonstandard_packages"), 1);
  EXPECT_EQ(f.at("uninstalled_packages"), 1);
}

// mpl_toolkits (mplot3d, axes_grid1) is installed by matplotlib itself, as pylab is: core, never uninstalled.
TEST(Facts, MatplotlibToolkitsComeWithMatplotlib) {
  const auto f = facts_of(
      "# %%\nimport matplotlib.pyplot as plt\nfrom mpl_toolkits.mplot3d import Axes3D\n# %%\n"
      "ax = plt.figure().add_subplot(projection='3d')\n");
  EXPECT_EQ(f.at("packages_beyond_core"), 0);
  EXPECT_EQ(f.at("nonstandard_packages"), 0);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
}

// statsmodels' ols( names an estimator only where it starts a name: Spark's setInputCols( / setOutputCols(
// and a helper's drop_cols( end in "ols(" but name no model, so fitting an imputer or a scaler with them is
// no training.
TEST(Facts, ColumnSettersNameNoEstimator) {
  auto f = facts_of(
      "# %%\ndf = spark.read.parquet('d.parquet')\n# %%\n"
      "imputer = Imputer().setInputCols(cols).setOutputCols(cols)\nfilled = imputer.fit(df).transform(df)\n");
  EXPECT_EQ(f.at("trains_model"), 0);
  f = facts_of(
      "# %%\ndf = pd.read_csv('d.csv')\n# %%\nX = drop_cols(df, ['id'])\nscaler = StandardScaler()\n"
      "scaler.fit(X)\n");
  EXPECT_EQ(f.at("trains_model"), 0);
  // the formula API and the array API still train
  for (const char* code : {"res = smf.ols('y ~ x', data=df).fit()\n", "res = ols('y ~ x', data=df).fit()\n",
                           "res = sm.OLS(y, X).fit()\n"}) {
    f = facts_of(std::string("# %%\ndf = pd.read_csv('d.csv')\n# %%\n") + code);
    EXPECT_EQ(f.at("trains_model"), 1) << code;
  }
}

// Metric families beyond the metric calls: sklearn scorer names given as strings (`scoring="f1_macro"`,
// quoted whole: "f1" is no "f10"), PR-AUC as a family of its own, clustering metrics, and a model's
// `.score(X, y)`, which is accuracy for a classifier and R-squared for a regressor (by the estimator its
// name was assigned; KMeans' score is neither).
TEST(Facts, MetricFamiliesFromScorerNamesClusteringAndModelScores) {
  const std::string load = "# %%\ndf = pd.read_csv('d.csv')\n# %%\n";
  auto f = facts_of(load +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "clf = LogisticRegression()\n"
                    "# %%\nprint(cross_val_score(clf, X, y, scoring=\"accuracy\").mean())\n"
                    "print(cross_val_score(clf, X, y, scoring='f1_macro').mean())\n"
                    "# %%\ncv = cross_validate(clf, X, y, scoring=['roc_auc', 'average_precision'])\n");
  EXPECT_EQ(f.at("metric_cells"), 2);
  EXPECT_EQ(f.at("metric_kinds"), 4);  // accuracy, P/R/F1, ROC-AUC, PR-AUC
  f = facts_of(load +
               "print(cross_val_score(reg, X, y, scoring='neg_root_mean_squared_error'))\n"
               "print(cross_val_score(reg, X, y, scoring='r2'))\n"
               "print(cross_val_score(reg, X, y, scoring='neg_mean_absolute_error'))\n"
               "df['f10'] = 1\n");
  EXPECT_EQ(f.at("metric_kinds"), 3);  // squared error, R-squared, absolute error; 'f10' is no 'f1'
  f = facts_of(load + "ap = average_precision_score(y_test, p)\nauc = roc_auc_score(y_test, p)\n");
  EXPECT_EQ(f.at("metric_kinds"), 2);
  f = facts_of(load +
               "km = KMeans(n_clusters=3, n_init=10)\nlabels = km.fit_predict(X)\n# %%\n"
               "print(silhouette_score(X, labels), davies_bouldin_score(X, labels))\n# %%\n"
               "print(calinski_harabasz_score(X, labels), adjusted_rand_score(y, labels))\n# %%\n"
               "print(km.score(X))\n");
  EXPECT_EQ(f.at("metric_cells"), 3);  // cells 3, 4 and the km.score cell 5
  EXPECT_EQ(f.at("metric_kinds"), 1);  // clustering; KMeans' score is its negative inertia, no family
  f = facts_of(load +
               "gb = GradientBoostingClassifier(random_state=0)\ngb.fit(X_train, y_train)\n"
               "# %%\nprint(gb.score(X_test, y_test))\n"
               "# %%\nlr = LinearRegression().fit(X_train, y_train)\nprint(lr.score(X_test, y_test))\n");
  EXPECT_EQ(f.at("metric_cells"), 2);
  EXPECT_EQ(f.at("metric_kinds"), 2);  // accuracy (a classifier's score), R-squared (a regressor's)
}

// A model's residuals are a residual look, also plotted with no metric call (statsmodels' `res.resid`); a
// column that only starts with "resid" (`residence_type`, `residual sugar`) is none.
TEST(Facts, ResidualsAreAModelsResidualsNotAColumnStartingWithResid) {
  const std::string load = "# %%\ndf = pd.read_csv('d.csv')\n# %%\n";
  EXPECT_EQ(facts_of(load + "res = smf.ols('y ~ x', data=df).fit()\n# %%\nplt.scatter(res.fittedvalues, "
                            "res.resid)\n")
                .at("metric_kinds"),
            1);
  EXPECT_EQ(facts_of(load + "df['residence_type'].value_counts()\ndf['residual sugar'].hist()\n")
                .at("metric_kinds"),
            0);
}

// Clustering, time-series and statsmodels models are model families of their own (or linear), and they
// predict by forecasting or labelling the rows.
TEST(Facts, ClusteringTimeSeriesAndStatsmodelsModelsAreFamiliesThatPredict) {
  const std::string load = "# %%\ndf = pd.read_csv('d.csv')\n# %%\n";
  const std::vector<std::pair<std::string, double>> cases = {
      {"labels = KMeans(n_clusters=3).fit_predict(X)\ndb = DBSCAN(eps=0.5).fit_predict(X)\n", 1},
      {"gm = GaussianMixture(3)\ngm.fit(X)\nag = AgglomerativeClustering(3)\nlabels = ag.fit_predict(X)\n",
       1},
      {"res = ARIMA(y, order=(1, 1, 1)).fit()\nfc = res.forecast(12)\n", 1},
      {"res = SARIMAX(y, order=(1, 0, 0)).fit()\nfc = res.get_forecast(12)\n", 1},
      {"res = ExponentialSmoothing(y).fit()\nfc = res.forecast(6)\nar = AutoReg(y, lags=2).fit()\n"
       "p = ar.predict(10, 12)\n",
       1},
      {"m = Prophet()\nm.fit(df)\nfuture = m.make_future_dataframe(30)\nfc = m.predict(future)\n", 1},
      {"res = smf.ols('y ~ x', data=df).fit()\nlog = sm.Logit(y, X).fit()\nfitted = res.predict(df)\n", 1},
      {"res = ols('y ~ x', data=df).fit()\nglm = sm.GLM(y, X).fit()\npred = glm.get_prediction(X)\n", 1},
  };
  for (const auto& [code, families] : cases) {
    const auto f = facts_of(load + code);
    EXPECT_EQ(f.at("trains_model"), 1) << code;
    EXPECT_EQ(f.at("model_families"), families) << code;
    EXPECT_EQ(f.at("predicts"), 1) << code;
  }
  EXPECT_EQ(facts_of(load + "km = KMeans(4).fit(X)\nres = ARIMA(y, order=(1, 0, 0)).fit()\n"
                            "ols_res = sm.OLS(y, X).fit()\n")
                .at("model_families"),
            2);  // time series, linear: beside them KMeans makes features, as in the next case
  EXPECT_EQ(facts_of(load + "X['cluster'] = KMeans(8).fit_predict(X)\nm = XGBRegressor().fit(X, y)\n")
                .at("model_families"),
            1);  // boosting; the cluster labels are a feature
  // Spark's setInputCols( ends in "ols(" but names no model
  EXPECT_EQ(facts_of(load + "a = VectorAssembler().setInputCols(cols)\nm = RandomForestClassifier().fit(d)\n")
                .at("model_families"),
            1);
}

// Seeds in PyTorch, TensorFlow, Keras and Python's random; torchvision's Normalize is scaling; torchvision,
// Keras and TFDS data sets are data loads, downloaded (not bundled) so no builtin toy data.
TEST(Facts, DeepLearningSeedsScalingAndDataSets) {
  for (const char* seed :
       {"torch.manual_seed(0)\n", "torch.cuda.manual_seed_all(0)\n", "tf.random.set_seed(42)\n",
        "keras.utils.set_random_seed(1)\n", "random.seed(7)\n"})
    EXPECT_EQ(facts_of(std::string("# %%\n") + seed).at("seed_set"), 1) << seed;
  auto f = facts_of(
      "# %%\ntf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])\n"
      "train = datasets.FashionMNIST('data', train=True, download=True, transform=tf)\n");
  EXPECT_EQ(f.at("scaling"), 1);
  EXPECT_EQ(f.at("loads_data"), 1);
  EXPECT_EQ(f.at("builtin_data_only"), 0);
  for (const char* load : {"train = datasets.MNIST('data', download=True)\n",
                           "(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\n",
                           "(x_train, y_train), (x_test, y_test) = mnist.load_data()\n",
                           "ds = tfds.load('mnist', split='train')\n"}) {
    f = facts_of(std::string("# %%\n") + load);
    EXPECT_EQ(f.at("loads_data"), 1) << load;
    EXPECT_EQ(f.at("builtin_data_only"), 0) << load;
  }
  // matplotlib's colour Normalize is no feature scaling
  EXPECT_EQ(facts_of("# %%\nnorm = mcolors.Normalize(vmin=0, vmax=1)\n").at("scaling"), 0);
}

// MLflow autologging logs the model, so the model is persisted too; not with log_models=False, and not by
// mlflow.spark.autolog(), which logs the data sources Spark reads (and no parameters either).
TEST(Facts, AutologgedModelsArePersisted) {
  const std::string fit = "# %%\ndf = pd.read_csv('d.csv')\nm = RandomForestClassifier().fit(X, y)\n";
  for (const char* autolog : {"mlflow.autolog()\n", "mlflow.sklearn.autolog()\n"}) {
    const auto f = facts_of("# %%\n" + std::string(autolog) + fit);
    EXPECT_EQ(f.at("mlflow_model"), 1) << autolog;
    EXPECT_EQ(f.at("persists_model"), 1) << autolog;
  }
  for (const char* autolog : {"mlflow.spark.autolog()\n", "mlflow.sklearn.autolog(log_models=False)\n"}) {
    const auto f = facts_of("# %%\n" + std::string(autolog) + fit);
    EXPECT_EQ(f.at("mlflow_model"), 0) << autolog;
    EXPECT_EQ(f.at("persists_model"), 0) << autolog;
  }
  // sklearn's autologging logs the fit's parameters; Spark's logs the data sources read (path, format and
  // version, as tags), no parameter
  EXPECT_EQ(facts_of("# %%\nmlflow.sklearn.autolog(log_models=False)\n" + fit).at("mlflow_params"), 1);
  EXPECT_EQ(facts_of("# %%\nmlflow.spark.autolog()\n" + fit).at("mlflow_params"), 0);
}

// LightGBM handles NaN natively, as XGBoost does.
TEST(Facts, LightGBMHandlesMissingValuesNatively) {
  const std::string load = "# %%\ndf = pd.read_csv('d.csv')\n# %%\n";
  EXPECT_EQ(facts_of(load + "m = LGBMClassifier()\nm.fit(X, y)\n").at("native_nan_model"), 1);
  EXPECT_EQ(facts_of(load + "m = LGBMRegressor()\nm.fit(X, y)\n").at("native_nan_model"), 1);
  EXPECT_EQ(facts_of(load + "booster = lgb.train(params, lgb.Dataset(X, y))\n").at("native_nan_model"), 1);
  EXPECT_EQ(facts_of(load + "m = RandomForestClassifier()\nm.fit(X, y)\n").at("native_nan_model"), 0);
}

// metrics_interpreted reads markdown after the first metric cell as eda_findings does: an exercise, task or
// order discusses nothing, whatever metric words it holds; a conclusion does, also one a later exercise
// label ends, if what it reports has 10 words. Word counts by hand: the exercise has 16, the task 16, the
// order 14, the conclusions 18 and 14, "Accuracy is 0.84." 3 (its exercise after it left out).
TEST(Facts, InstructionsAreNoInterpretationOfMetrics) {
  auto interpreted = [](const std::string& markdown) {
    std::string text =
        "# %%\nfrom sklearn.metrics import accuracy_score\nprint(accuracy_score(y_test, pred))\n"
        "# %% [markdown]\n";
    for (std::size_t at = 0; at < markdown.size();) {
      const std::size_t eol = std::min(markdown.find('\n', at), markdown.size());
      text += "# ";
      text.append(markdown, at, eol - at);
      text += "\n";
      at = eol + 1;
    }
    return facts_of(text).at("metrics_interpreted");
  };
  EXPECT_EQ(
      interpreted("Exercise 3: compute the accuracy and discuss the ROC-AUC of the model on the test set."),
      0);
  EXPECT_EQ(
      interpreted("## Task: interpret the F1 score and say whether the model is better than the baseline"),
      0);
  EXPECT_EQ(interpreted("Compute the precision and recall of the model and compare them with the baseline."),
            0);
  EXPECT_EQ(interpreted("The accuracy of 0.84 is better than the baseline of 0.62, so the model has learnt "
                        "something real."),
            1);
  EXPECT_EQ(interpreted("The accuracy is 0.84, well above the 0.62 baseline of always predicting the "
                        "majority.\n# Your turn\nCompute the recall."),
            1);
  EXPECT_EQ(
      interpreted("Accuracy is 0.84.\n## Exercise 4: discuss the precision and recall of the model here"), 0);
}

// Findings stated with numbers about the data (a share of the rows, a share of missing values) or about the
// columns' scales are findings, though they use none of the usual words; a plan with a share in it is none.
TEST(Facts, FindingsStatedInNumbersAreFindingsPlansAreNot) {
  const auto finding = [](const std::string& text) {
    return facts_of(
               "# %%\ndf = pd.read_csv('d.csv')\n# %%\ndf.isnull().sum()\ndf.describe()\n"
               "# %% [markdown]\n# " +
               text + "\n# %%\nmodel = LogisticRegression()\nmodel.fit(X, y)\n")
        .at("eda_findings");
  };
  EXPECT_EQ(finding("`emp_length` has about 4% nulls; the other columns are complete. Defaults are roughly "
                    "12% of loans."),
            1);
  EXPECT_EQ(finding("Fraud is 1.7% of the rows, and three features have 1-3% missing values in them."), 1);
  EXPECT_EQ(finding("Features live on very different scales (proline in the hundreds, hue below 2)."), 1);
  EXPECT_EQ(finding("We will use 80% of the rows for training and keep the rest for the final check."), 0);
  EXPECT_EQ(finding("In this notebook we train a logistic regression on 100% of the cleaned loan records."),
            0);
  EXPECT_EQ(finding("Now a logistic regression model is fitted on the features listed in the cell above."),
            0);
}

// A %scala cell in a Python notebook imports Scala packages (`org.apache...`), no Python module.
TEST(Facts, OtherLanguageCellsImportNoPythonPackages) {
  const auto nb = notebook::parse_databricks_source(
      "# Databricks notebook source\nimport pandas as pd\n\n# COMMAND ----------\n\n"
      "# MAGIC %scala\n# MAGIC import org.apache.spark.sql.functions._\n# MAGIC val df = "
      "spark.table(\"t\")\n",
      "n.py");
  const auto f = scoring::notebook_facts(nb);
  EXPECT_EQ(f.at("third_party_packages"), 1);  // pandas
  EXPECT_EQ(f.at("packages_beyond_core"), 0);
  EXPECT_EQ(f.at("nonstandard_packages"), 0);
  EXPECT_EQ(f.at("uninstalled_packages"), 0);
  // A Scala notebook's own imports are no Python modules either.
  const auto scala = notebook::parse_databricks_source(
      "// Databricks notebook source\nimport org.apache.spark.ml.Pipeline\nval p = new Pipeline()\n",
      "s.scala");
  EXPECT_EQ(scoring::notebook_facts(scala).at("third_party_packages"), 0);
}

// Import aliases are read as the names they stand for, in every cell: a split through `tts`, an estimator
// through `LR`, `npy.log(` as NumPy's log. Only whole names outside strings and comments are replaced, not
// attributes or keyword arguments.
TEST(Facts, ImportAliasesAreReadAsTheirNames) {
  auto f = facts_of(R"(# %%
import pandas as pd
import numpy as npy
from sklearn.model_selection import train_test_split as tts
from sklearn.linear_model import LinearRegression as LR
# %%
df = pd.read_csv("d.csv")
df = df.fillna(df.mean())
df["area"] = npy.log(df["area"])
# %%
X_tr, X_te, y_tr, y_te = tts(X, y, test_size=0.25)
LR().fit(X_tr, y_tr)
)");
  EXPECT_EQ(f.at("holdout_split"), 1);
  EXPECT_EQ(f.at("fill_before_split"), 1);
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  EXPECT_EQ(f.at("scaling"), 1);  // np.log(
  EXPECT_EQ(f.at("trains_model"), 1);
  const auto nb = notebook::parse_jupytext_percent(R"(# %%
from sklearn.model_selection import train_test_split as tts
from sklearn.ensemble import (RandomForestClassifier as RFC,  # a forest as the model
    GradientBoostingClassifier)
import numpy as npy
# %%
a = tts(X, y)  # tts in a comment
b = obj.tts + "tts" + f(tts=1)
m = RFC(n_estimators=10)
z = npy.log(x)
)",
                                                   "aliases.py");
  const auto facts = scoring::gather_facts(nb);
  EXPECT_EQ(facts.aliases,
            (std::map<std::string, std::string, std::less<>>{
                {"RFC", "RandomForestClassifier"}, {"npy", "np"}, {"tts", "train_test_split"}}));
  // The comment is left as written (no alias is read in it), then blanked, a space a byte, from the body
  // every token search reads.
  EXPECT_EQ(facts.code.at(1).body_with_comments,
            "a = train_test_split(X, y)  # tts in a comment\nb = obj.tts + \"tts\" + f(tts=1)\n"
            "m = RandomForestClassifier(n_estimators=10)\nz = np.log(x)\n");
  EXPECT_EQ(facts.code.at(1).body, "a = train_test_split(X, y)" + std::string(20, ' ') +
                                       "\nb = obj.tts + \"tts\" + f(tts=1)\n"
                                       "m = RandomForestClassifier(n_estimators=10)\nz = np.log(x)\n");
  // npy is read as np, which is imported: no "np is used but never imported".
  scoring::HeuristicJudge judge;
  for (const auto& v : judge.score(nb, rubric::default_rubric(), {}))
    if (v.dimension == "library_installation") {
      EXPECT_NE(v.score, 1.0) << v.rationale;
    }
  // An alias the code binds again (`split = 0.2`) is a name of its own: left as written.
  f = facts_of(
      "# %%\nfrom sklearn.model_selection import train_test_split as split\n# %%\nsplit = 0.2\n"
      "df = df.fillna(0)\n# %%\nparts = split(X, y)\n");
  EXPECT_EQ(f.at("holdout_split"), 0);
}

// An imputer given to a pipeline is fitted on the training rows; a dropna or fillna before the split outside
// that pipeline still changes rows before it.
TEST(Facts, AnImputerInAPipelineExemptsOnlyItself) {
  const std::string split_and_pipeline =
      "# %%\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
      "# %%\npipe = Pipeline([(\"impute\", SimpleImputer()), (\"model\", LogisticRegression())])\n"
      "pipe.fit(X_train, y_train)\n";
  auto f =
      facts_of("# %%\ndf = pd.read_csv(\"d.csv\")\ndf = df.dropna(subset=[\"y\"])\n" + split_and_pipeline);
  EXPECT_EQ(f.at("imputer_in_pipeline"), 1);
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  EXPECT_EQ(f.at("fill_before_split"), 0);  // dropping rows computes no statistic
  f = facts_of("# %%\ndf = pd.read_csv(\"d.csv\")\ndf[\"a\"] = df[\"a\"].fillna(df[\"a\"].mean())\n" +
               split_and_pipeline);
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  EXPECT_EQ(f.at("fill_before_split"), 1);
  f = facts_of("# %%\ndf = pd.read_csv(\"d.csv\")\n" + split_and_pipeline);
  EXPECT_EQ(f.at("imputer_in_pipeline"), 1);
  EXPECT_EQ(f.at("imputation_before_split"), 0);
  EXPECT_EQ(f.at("fill_before_split"), 0);
}

// In the split's own cell, a fill or drop on a line above the split token is before the split; one below it
// is after (docs/facts.md: `df.dropna(subset=["y"])` before the split counts).
TEST(Facts, AFillAboveTheSplitInItsOwnCellIsBeforeTheSplit) {
  auto f = facts_of(
      "# %%\nX = pd.read_csv(\"d.csv\")\nX.dropna(axis=0, subset=[\"y\"], inplace=True)\ny = X.pop(\"y\")\n"
      "X_train, X_valid, y_train, y_valid = train_test_split(X, y)\n");
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  EXPECT_EQ(f.at("fill_before_split"), 0);  // dropping rows computes no statistic
  f = facts_of(
      "# %%\nX = pd.read_csv(\"d.csv\")\nX[\"a\"] = X[\"a\"].fillna(X[\"a\"].median())\n"
      "X_train, X_test = train_test_split(X)\n");
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  EXPECT_EQ(f.at("fill_before_split"), 1);
  f = facts_of(
      "# %%\nX = pd.read_csv(\"d.csv\")\nimp = SimpleImputer()\nimp.fit(X)\n"
      "X_train, X_test = train_test_split(imp.transform(X))\n");
  EXPECT_EQ(f.at("fill_before_split"), 1);  // fitted on every row, then split
  // Below the split in the same cell: after it.
  f = facts_of(
      "# %%\nX = pd.read_csv(\"d.csv\")\nX_train, X_test = train_test_split(X)\n"
      "X_train = X_train.fillna(X_train.mean())\n");
  EXPECT_EQ(f.at("imputation_before_split"), 0);
  EXPECT_EQ(f.at("fill_before_split"), 0);
}

// A split token in a string literal or a comment on a line above a fill, in the split's own cell, splits
// nothing: the split is the train_test_split( call below the fill, so the mean fill is before it.
TEST(Facts, ASplitTokenInAStringOrCommentAboveAFillIsNoSplit) {
  auto f = facts_of(
      "# %%\nprint(\"train_test_split next\")\nX = X.fillna(X.mean())\n"
      "X_train, X_test = train_test_split(X)\n");
  EXPECT_EQ(f.at("fill_before_split"), 1);
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  f = facts_of(
      "# %%\n# split with train_test_split after the fill\nX = X.fillna(X.mean())\n"
      "X_train, X_test = train_test_split(X)\n");
  EXPECT_EQ(f.at("fill_before_split"), 1);
  f = facts_of(
      "# %%\nX = X.fillna(X.mean())  # before train_test_split\n"
      "X_train, X_test = train_test_split(X)\n");
  EXPECT_EQ(f.at("fill_before_split"), 1);
  // The real split above the fill, a string naming it below: after the split.
  f = facts_of(
      "# %%\nX_train, X_test = train_test_split(X)\nprint('train_test_split done')\n"
      "X_train = X_train.fillna(X_train.mean())\n");
  EXPECT_EQ(f.at("fill_before_split"), 0);
}

// A split by assigned parts in the same cell as a later train_test_split of the training part: a fill of the
// training part between them is after the split, not before it. A split token in a trailing comment is read
// as code is not (scan_code) only where it matters: here the cell splits by parts.
TEST(Facts, AFillBetweenASplitByPartsAndATrainTestSplitIsAfterTheSplit) {
  const auto f = facts_of(
      "# %%\ndf = pd.read_csv(\"d.csv\")\n# %%\ntrain, test = df[:800], df[800:]\n"
      "train = train.fillna(train.mean())\n"
      "X_tr, X_val, y_tr, y_val = train_test_split(train.drop('y', axis=1), train.y)\n");
  EXPECT_EQ(f.at("holdout_split"), 1);
  EXPECT_EQ(f.at("fill_before_split"), 0);
  EXPECT_EQ(f.at("imputation_before_split"), 0);
}

// A column whose name holds NA (vgsales' NA_Sales) names no missing value: dropping it handles none.
TEST(Facts, AColumnNamedWithNAIsNoMissingValue) {
  const auto f = facts_of(
      "# %%\ndf = pd.read_csv(\"vgsales.csv\")\nX = df.drop(columns=['NA_Sales', 'Global_Sales'])\n");
  EXPECT_EQ(f.at("imputation_cells"), 0);
  EXPECT_EQ(
      facts_of("# %%\ndf = pd.read_csv(\"d.csv\")\nX = df.drop(columns=null_cols)\n").at("imputation_cells"),
      1);
}

// A mean used as a fill value, a share of missing values, a feature list over the columns and a groupby
// that builds features are no exploration; the same calls looking at the data are.
TEST(Facts, FillValuesAndFeatureBuildingAreNoExploration) {
  auto f = facts_of(R"(# %%
df = pd.read_csv("d.csv")
df = df.fillna(df.mean())
train["Age"] = train["Age"].fillna(train["Age"].median())
df.isna().mean()
features = [c for c in df.columns if c != "y"]
rfm = df.groupby("id").agg(n=("order", "count"))
df["m"] = df.groupby("g")["x"].transform("mean")
# %%
LinearRegression().fit(X, y)
)");
  EXPECT_EQ(f.at("eda_kinds"), 1);  // missing values (isna) only
  f = facts_of(R"(# %%
df = pd.read_csv("d.csv")
print(df["y"].mean())
print(df.columns)
df.groupby("target").mean()
# %%
LinearRegression().fit(X, y)
)");
  EXPECT_EQ(f.at("eda_kinds"), 3);  // summary statistics, shape/types, relationships
}

// Every chart is a plot, besides the distribution or relationship it may show.
TEST(Facts, ChartsArePlots) {
  const std::vector<std::pair<std::string, double>> charts = {
      {"sns.histplot(df.x)", 2},      // distributions, plots
      {"sns.heatmap(df.corr())", 2},  // relationships, plots
      {"sns.countplot(x='y', data=df)", 2},
      {"sns.boxplot(x='g', y='x', data=df)", 2},
      {"sns.scatterplot(x='a', y='b', data=df)", 2},
      {"sns.pairplot(df)", 2},
      {"plt.hist(df.x)", 2},
      {"plt.scatter(df.a, df.b)", 2},
      {"plt.bar(k, v)", 1},  // plots
      {"fig, ax = plt.subplots()", 1},
  };
  for (const auto& [chart, kinds] : charts) {
    const auto f = facts_of("# %%\ndf = pd.read_csv('d.csv')\n# %%\n" + chart + "\n# %%\nmodel.fit(X, y)\n");
    EXPECT_EQ(f.at("eda_kinds"), kinds) << chart;
  }
}

// Databricks notebooks run as steps (dbutils.notebook.run) are called steps: a notebook that only runs
// others is orchestration, a step named for training is packaged training, and a notebook's path is no data
// load. An MLflow recipe's ingest step still loads data.
TEST(Facts, NotebookRunsAreCalledSteps) {
  const char* const nightly = R"(# %%
params = {"run_date": dbutils.widgets.get("run_date")}
# %%
ingest_status = dbutils.notebook.run("./01_ingest_events", 3600, params)
# %%
train_status = dbutils.notebook.run("./03_train_churn_model", 7200, params)
)";
  auto f = facts_of(nightly);
  EXPECT_EQ(f.at("loads_data"), 0);
  EXPECT_EQ(f.at("orchestrated"), 1);
  EXPECT_EQ(f.at("packaged_training"), 1);
  EXPECT_EQ(f.at("trains_model"), 1);
  scoring::HeuristicJudge judge;
  for (const auto& v :
       judge.score(notebook::parse_jupytext_percent(nightly, "nightly.py"), rubric::default_rubric(), {}))
    if (v.dimension == "exploratory_data_analysis") {
      EXPECT_EQ(v.status, verdict::Status::not_applicable) << v.rationale;
    }
  // No step named for training ("constraints" holds "train" but is no training step).
  f = facts_of(
      "# %%\ndbutils.notebook.run(\"./01_ingest_events\", 3600)\n"
      "dbutils.notebook.run(\"./02_constraints\", 60)\n");
  EXPECT_EQ(f.at("orchestrated"), 1);
  EXPECT_EQ(f.at("packaged_training"), 0);
  EXPECT_EQ(f.at("trains_model"), 0);
  // A notebook that runs a setup notebook and then works with data itself is no orchestration.
  f = facts_of("# %%\ndbutils.notebook.run(\"./setup\", 60)\ndf = spark.read.table(\"t\")\ndf.describe()\n");
  EXPECT_EQ(f.at("orchestrated"), 0);
  EXPECT_EQ(f.at("loads_data"), 1);
  EXPECT_EQ(facts_of("# %%\nr = Recipe(profile='local')\nr.run(\"ingest\")\n").at("loads_data"), 1);
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
  // How much exploration a notebook does bears on exploratory_data_analysis, not on data_imputation.
  EXPECT_TRUE(scoring::fact_informs(info("eda_kinds"), "exploratory_data_analysis"));
  EXPECT_FALSE(scoring::fact_informs(info("eda_kinds"), "data_imputation"));
  EXPECT_FALSE(scoring::fact_informs(info("eda_findings"), "feature_engineering"));
  EXPECT_TRUE(scoring::fact_informs(info("missing_value_checks"), "data_imputation"));
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
  // A rule that scores a notebook the rules alone call N/A says so, without the N/A note's "N/A: " lead.
  scoring::HeuristicJudge na_judge;
  memory::Memory na_then_score;
  na_then_score.set_guidelines({{"data_imputation", "when always -> score 1", {}, "learnt"}});
  scoring::MemoryUse na_use;
  na_use.memory = &na_then_score;
  const auto empty = notebook::parse_jupytext_percent("# %%\nprint('hello')\n", "hello.py");
  const auto scored = na_judge.score(empty, rubric, na_use);
  ASSERT_EQ(std::count_if(scored.begin(), scored.end(),
                          [](const verdict::Verdict& v) { return v.dimension == "data_imputation"; }),
            1);
  for (const auto& v : scored)
    if (v.dimension == "data_imputation") {
      EXPECT_EQ(v.score, 1.0);
      EXPECT_EQ(
          v.rationale,
          "the rules alone said N/A (no data is loaded or prepared); learnt rule: when always -> score 1");
    }
  m.set_guidelines(
      {{"model_training", "when trains_model, not seed_set -> score 1 (edited by hand)", {}, "learnt"}});
  c.use_guidelines = false;  // the "episodic" condition: rules are semantic memory
  EXPECT_EQ(score_of(c).score, plain.score);
  m.set_guidelines({{"model_training", "when seed_set -> score 1", {}, "manual"}});  // does not match
  c.use_guidelines = true;
  EXPECT_EQ(score_of(c).score, plain.score);
  // A `keep` rule first stops the rules after it. A learnt rule that changes nothing is not recorded; a
  // person's that holds is, changed or not, as it makes the verdict final (no blend, no calibration).
  m.set_guidelines({{"model_training", "when trains_model -> keep", {}, "learnt"},
                    {"model_training", "when trains_model -> score 1", {}, "learnt"}});
  const auto kept = score_of(c);
  EXPECT_EQ(kept.score, plain.score);
  EXPECT_FALSE(kept.extra.contains("learnt_rule"));
  m.set_guidelines({{"model_training", "when trains_model -> keep", {}, "manual"},
                    {"model_training", "when trains_model -> score 1", {}, "learnt"}});
  const auto final_kept = score_of(c);
  EXPECT_EQ(final_kept.score, plain.score);
  EXPECT_EQ(final_kept.extra.at("rule_source"), "manual");
  EXPECT_EQ(final_kept.extra.at("learnt_rule"), "when trains_model -> keep");
  // A rule a person wrote says so in the rationale.
  m.set_guidelines({{"model_training", "when trains_model -> score 1", {}, "manual"}});
  EXPECT_NE(score_of(c).rationale.find("; rule (manual): when trains_model -> score 1"), std::string::npos)
      << score_of(c).rationale;
}

namespace {

// Gathers a notebook's facts, names them and scores it by the rules (what judge eval and judge notebook show
// --facts do). How long that takes on long notebooks is a benchmark's business, not a test's: these tests
// check that the one-pass code paths written for long notebooks (Stages::score_kinds, logical_line_ends,
// add_bound_names) give the right values.
void read_whole(const std::string& percent_text) {
  const auto nb = notebook::parse_jupytext_percent(percent_text, "long.py");
  const auto evidence = scoring::gather_facts(nb);
  EXPECT_FALSE(scoring::notebook_facts(nb, evidence).empty());
  EXPECT_FALSE(scoring::rule_verdicts(evidence, rubric::default_rubric()).empty());
}

}  // namespace

// Many cells that each score a model (`m.score(`): each score finds its own estimator (a regressor: R²).
TEST(Facts, ModelScoresOfALongNotebookAreFoundInOnePass) {
  std::string text = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n";
  for (int i = 0; i < 200; ++i) {
    std::string m = "m";
    m += std::to_string(i);
    text += "# %%\n" + m + " = RandomForestRegressor()\n" + m + ".fit(X_train, y_train)\nprint(" + m +
            ".score(X_test, y_test))\n";
  }
  read_whole(text);
  EXPECT_EQ(facts_of(text).at("metric_kinds"), 1);
}

// A long cell whose exploration tokens all prepare data (a groupby-wise feature on every line): each token's
// logical line is found, and nothing counts as exploration.
TEST(Facts, ExplorationTokensOfALongCellFindTheirLinesInOnePass) {
  std::string text = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n";
  for (int i = 0; i < 1000; ++i) {
    text += "df['m";
    text += std::to_string(i);
    text += "'] = df.groupby('a')['x'].transform('mean')\n";
  }
  read_whole(text);
  EXPECT_EQ(facts_of(text).at("eda_kinds"), 0);  // features built group-wise, nothing explored
}

// The names a notebook binds are gathered once, not once per import alias: 400 aliases over 200 cells each
// still resolve (none is bound again).
TEST(Facts, ImportAliasesOfALongNotebookAreCheckedInOnePass) {
  std::string text = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n";
  for (int i = 0; i < 200; ++i) {
    const std::string n = std::to_string(i);
    text += "# %%\nfrom sklearn.model_selection import train_test_split as tts" + n + "\nimport numpy as np" +
            n + "\nX_train, X_test, y_train, y_test = tts" + n + "(X, y)\ndf['l'] = np" + n +
            ".log(df.x)\nprint(df.shape)\n";
  }
  read_whole(text);
  const auto f = scoring::gather_facts(notebook::parse_jupytext_percent(text, "long.py"));
  EXPECT_EQ(f.aliases.size(), 400);
  EXPECT_EQ(f.aliases.at("tts199"), "train_test_split");
}

// A function's or a lambda's parameter, or a comprehension's variable, named like an alias binds the name
// again, as an assignment does: the alias is left as written, and `split(X, y)` there is no hold-out split.
TEST(Facts, AnAliasBoundAsAParameterOrComprehensionVariableIsLeftAsWritten) {
  const std::string imports = "# %%\nfrom sklearn.model_selection import train_test_split as split\n# %%\n";
  for (const std::string code :
       {"def evaluate(model, *, split=None):\n    parts = split(X, y)\n",
        "def evaluate(model, split: Callable = None):\n    parts = split(X, y)\n",
        "g = lambda data, split: split(data)\n", "parts = [split(X, y) for split in splitters]\n"}) {
    const auto nb = notebook::parse_jupytext_percent(imports + code, "shadow.py");
    EXPECT_TRUE(scoring::gather_facts(nb).aliases.empty()) << code;
    EXPECT_EQ(scoring::notebook_facts(nb).at("holdout_split"), 0) << code;
  }
  // A parameter's default value or annotation binds nothing; a name in a string binds nothing.
  for (const std::string code : {"def evaluate(model, parts=split(X, y)):\n    return parts\n",
                                 "print('waiting for split in a moment', 'lambda split: 0')\n"
                                 "parts = split(X, y)\n"}) {
    const auto nb = notebook::parse_jupytext_percent(imports + code, "shadow.py");
    EXPECT_EQ(scoring::gather_facts(nb).aliases.size(), 1) << code;
    EXPECT_EQ(scoring::notebook_facts(nb).at("holdout_split"), 1) << code;
  }
}

// An `=` in a trailing comment assigns nothing (the one code scanner leaves comments out): `df.columns` on a
// line whose comment holds `=` is still a look at the columns, and an alias called on such a line is not
// bound again by it.
TEST(Facts, AnEqualsSignInACommentIsNoAssignment) {
  auto f = facts_of(R"(# %%
df = pd.read_csv("d.csv")
df.columns  # names = list(df)
# %%
LinearRegression().fit(X, y)
)");
  EXPECT_EQ(f.at("eda_kinds"), 1);  // shape/types
  const auto nb = notebook::parse_jupytext_percent(
      "# %%\nfrom sklearn.model_selection import train_test_split as split\n# %%\n"
      "split(X, y)  # split = 0.2 was too small\n",
      "comment.py");
  EXPECT_EQ(scoring::gather_facts(nb).aliases.size(), 1);
  EXPECT_EQ(scoring::notebook_facts(nb).at("holdout_split"), 1);
}

// An attribute or an item assigned changes an object and binds no name (`P.rcParams["figure.figsize"] = ...`
// leaves P matplotlib.pyplot's alias; a name in a subscript, `results[split] = 1`, is not bound either); a
// name unpacked into, in brackets or not, is bound again.
TEST(Facts, AnAttributeOrItemAssignedBindsNoName) {
  const std::string imports =
      "# %%\nimport matplotlib.pyplot as P\nfrom sklearn.model_selection import train_test_split as split\n"
      "# %%\n";
  const auto changed = notebook::parse_jupytext_percent(
      imports + "P.rcParams[\"figure.figsize\"] = (8, 6)\nP.style.x = None\nresults[split] = 1\n", "a.py");
  EXPECT_EQ(scoring::gather_facts(changed).aliases.size(), 2);
  for (const char* bound : {"x, (split, y) = f()\n", "[split, *rest] = parts\n", "P = 3\nsplit = 0.2\n"}) {
    const auto nb = notebook::parse_jupytext_percent(imports + bound, "b.py");
    EXPECT_EQ(scoring::gather_facts(nb).aliases.size(), std::string(bound).starts_with("P") ? 0u : 1u)
        << bound;
  }
}

// A bracket left open early in a long cell makes the rest of it one logical line: each of its 2,000
// group-wise features is read against that line, whose assignment and fills are found once (speed:
// bench/scoring_detectors_bench.cpp).
TEST(Facts, TokensOfOneLongLogicalLineAreReadRight) {
  std::string text = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\nparts = [\n";
  for (int i = 0; i < 2000; ++i) text += "    df.groupby('a')['x'].transform('mean'),\n";
  text += "]\n";
  EXPECT_EQ(facts_of(text).at("eda_kinds"), 0);  // a groupby that transforms group-wise builds features
  text += "# %%\ndf.groupby('b').size()\n";
  EXPECT_EQ(facts_of(text).at("eda_kinds"), 1);  // relationships
}

// Cross-validation written as a loop: each fold of a splitter into several folds fitted in the loop's body
// (or in a comprehension over the folds). Picking a fold's rows and fitting after the loop is a hold-out;
// one split (`n_splits=1`) is no cross-validation; a string's split() is no splitter.
TEST(Facts, AFitInALoopOverFoldsIsCrossValidation) {
  const std::string load = "# %%\ndf = pd.read_csv('d.csv')\n# %%\n";
  const std::vector<std::pair<std::string, double>> cases = {
      {"tscv = TimeSeriesSplit(n_splits=5)\nfor fold, (tr, te) in enumerate(tscv.split(y)):\n"
       "    res = ARIMA(y.iloc[tr], order=(1, 1, 1)).fit()\n    fc = res.forecast(len(te))\n",
       1},
      {"for tr, te in ShuffleSplit(n_splits=5, test_size=0.2).split(X):\n    m = Ridge()\n"
       "    m.fit(X[tr], y[tr])\n",
       1},
      {"cv = TimeSeriesSplit(4)\nscores = [Ridge().fit(X[tr], y[tr]).score(X[te], y[te])\n"
       "          for tr, te in cv.split(X)]\n",
       1},
      {"tscv = TimeSeriesSplit(3)\n# %%\ndef evaluate(X, y):\n    for tr, te in tscv.split(X):\n"
       "        model.fit(X[tr], y[tr])\n",
       1},
      {"tscv = TimeSeriesSplit(3)\nfor tr, te in tscv.split(X):\n    X_tr, X_te = X[tr], X[te]\n"
       "m = Ridge().fit(X_tr, y[tr])\n",
       0},
      {"sss = StratifiedShuffleSplit(n_splits=1, test_size=0.2)\nfor tr, te in sss.split(X, y):\n"
       "    m = LogisticRegression().fit(X[tr], y[tr])\n",
       0},
      {"ss = ShuffleSplit(1, test_size=0.2)\nfor tr, te in ss.split(X):\n    m = Ridge().fit(X[tr], y[tr])\n",
       0},
      {"for tr, te in ShuffleSplit(n_splits=1, test_size=0.2).split(X):\n    m = Ridge().fit(X[tr], y[tr])\n",
       0},
      {"for tr, te in sklearn.model_selection.TimeSeriesSplit(3).split(X):\n    m = Ridge().fit(X[tr], "
       "y[tr])\n",
       1},
      // LeavePOut(1) leaves each row out in turn: its 1 is no number of splits
      {"lpo = LeavePOut(1)\nfor tr, te in lpo.split(X):\n    m = Ridge().fit(X[tr], y[tr])\n", 1},
      {"for line in open('KFold.txt').read().split('\\n'):\n    m = Ridge().fit(X, y)\n", 0},
      {"cv = TimeSeriesSplit(3)\ncv = 'a,b'\nfor a, b in cv.split(','):\n    m = Ridge().fit(X, y)\n", 0},
      {"for name, value in line.split('='):\n    m = Ridge().fit(X, y)\n", 0},
  };
  for (const auto& [code, cv] : cases) EXPECT_EQ(facts_of(load + code).at("cross_validation"), cv) << code;
}

namespace {

// A PyTorch notebook up to a trained module `model` (an MLP of its own class) and its training loop, which
// calls the module while it trains: no prediction yet.
const char* const k_torch_training = R"(# %%
import torch
import torch.nn as nn
# %%
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)


model = MLP()
opt = torch.optim.Adam(model.parameters())
# %%
model.train()
for xb, yb in loader:
    loss = loss_fn(model(xb), yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
)";

double torch_predicts(const std::string& more) {
  std::string text = k_torch_training;
  text += more;
  return facts_of(text).at("predicts");
}

}  // namespace

// A PyTorch module the notebook builds or loads, called on data in evaluation, predicts: inside `with
// torch.no_grad():` / `torch.inference_mode()` / `torch.set_grad_enabled(...)` other than True, in a def
// decorated with one, or after `model.eval()`.
TEST(Facts, APyTorchModuleCalledInEvaluationPredicts) {
  EXPECT_EQ(torch_predicts(""), 0);  // only trained
  for (const char* evaluation :
       {"# %%\nmodel.eval()\nwith torch.no_grad():\n    logits = model(X_test)\n",
        "# %%\nwith torch.no_grad(): out = model(X_test)\n",
        "# %%\nmodel.eval()\n# %%\npreds = model(X_test).argmax(1)\n",
        "# %%\nmodel.train(False)\npreds = model(X_test)\n",
        "# %%\n@torch.no_grad()\ndef predict(x):\n    return model(x).argmax(1)\n",
        "# %%\ndef run_epoch(loader, train=True):\n    for xb, yb in loader:\n"
        "        with torch.set_grad_enabled(train):\n            logits = model(xb)\n",
        "# %%\nwith torch.inference_mode():\n    for xb, _ in test_loader:\n        "
        "outputs.append(model(xb))\n"})
    EXPECT_EQ(torch_predicts(evaluation), 1) << evaluation;
  // modules built or loaded otherwise: nn layers, torch.load, a class imported and its weights loaded
  for (const char* code :
       {"# %%\nimport torch\nnet = nn.Sequential(nn.Linear(4, 8), nn.ReLU())\n"
        "for xb, yb in loader:\n    loss = ((net(xb) - yb) ** 2).mean()\n    loss.backward()\n"
        "with torch.no_grad():\n    y = net(x)\n",
        "# %%\nimport torch\nnet = torch.load('m.pt')\nnet.eval()\ny = net(x)\n",
        "# %%\nimport torch\nfrom mylib import Net\nnet = Net()\n"
        "net.load_state_dict(torch.load('w.pt'))\nwith torch.no_grad():\n    y = net(x)\n"})
    EXPECT_EQ(facts_of(code).at("predicts"), 1) << code;
}

// A name assigned again holds a new module: built afresh (`model = MLP()`), it is in training mode whatever
// the old one's was, and its weights are untrained until the code trains or loads them, so its call in
// evaluation is no use of the trained model; the same module under another name (`.to(...)`, a deep copy)
// keeps the mode and the weights. A def's call is read as written: the def runs later.
TEST(Facts, AModuleBuiltAgainIsNotTheTrainedModel) {
  for (const char* untrained :
       {"# %%\nmodel.eval()\n# %%\nmodel = MLP()\npreds = model(X_test)\n",
        "# %%\nmodel.eval()\nmodel = MLP()\nwith torch.no_grad():\n    preds = model(X_test)\n",
        "# %%\nmodel = MLP()\nmodel.eval()\npreds = model(X_test)\n",
        "# %%\nmodel = nn.Linear(4, 2).to('cpu')\nmodel.eval()\nwith torch.no_grad():\n    preds = "
        "model(X_test)\n",
        "# %%\nmodel = MLP()\nn = sum(p.numel() for p in model.parameters())\nmodel.eval()\n"
        "with torch.no_grad():\n    preds = model(X_test)\n"})
    EXPECT_EQ(torch_predicts(untrained), 0) << untrained;
  for (const char* trained :
       {"# %%\nmodel = MLP()\nmodel.load_state_dict(torch.load('best.pt'))\nmodel.eval()\npreds = "
        "model(X_test)\n",
        "# %%\nmodel = MLP()\ntrain(model, loader)\nmodel.eval()\npreds = model(X_test)\n",
        "# %%\nmodel = MLP()\nopt = torch.optim.SGD(model.parameters(), "
        "lr=0.1)\nfit_epochs(10)\nmodel.eval()\n"
        "preds = model(X_test)\n",
        "# %%\nmodel.eval()\nmodel = model.to('cpu')\npreds = model(X_test)\n",
        "# %%\nmodel.eval()\nbest = copy.deepcopy(model)\npreds = best(X_test)\n",
        "# %%\nnet = MLP()\n@torch.no_grad()\ndef predict(x):\n    return net(x)\n"
        "opt = torch.optim.Adam(net.parameters())\n",
        // a data-parallel wrapper holds the same (trained) module
        "# %%\nmodel = MLP()\nmodel.load_state_dict(torch.load('best.pt'))\nmodel = nn.DataParallel(model)\n"
        "model.eval()\nwith torch.no_grad():\n    out = model(x)\n"})
    EXPECT_EQ(torch_predicts(trained), 1) << trained;
  // a torchvision model: pretrained weights are trained ones, a model built without them is not
  const std::string vision = "# %%\nimport torch\nimport torchvision\nfrom torchvision import models\n";
  EXPECT_EQ(facts_of(vision + "net = models.resnet18(weights='IMAGENET1K_V1')\nnet.eval()\ny = net(x)\n")
                .at("predicts"),
            1);
  EXPECT_EQ(facts_of(vision + "net = models.resnet18()\nnet.eval()\ny = net(x)\n").at("predicts"), 0);
}

// No prediction: a module called while it trains (after train() again, after a no_grad block has closed, or
// with gradients set on), an eval() inside a def that holds to that def only, a function's or a class's call
// in a no_grad block, a loss or an activation built from nn. in one, and a notebook that does not import
// torch.
TEST(Facts, OtherCallsOfAPyTorchNotebookPredictNothing) {
  for (const char* training :
       {"# %%\nmodel.eval()\nacc = 0.9\nmodel.train()\nout = model(xb)\n",
        "# %%\nwith torch.no_grad():\n    w = model.fc.weight.clone()\nout = model(xb)\nloss = out.sum()\n",
        "# %%\nwith torch.set_grad_enabled(True):\n    out = model(xb)\n",
        "# %%\ndef freeze():\n    model.eval()\n    return 1\n# %%\nout = model(xb)\n",
        "# %%\ndef score(x):\n    return x.sum()\nwith torch.no_grad():\n    s = score(X_test)\n"
        "    m = MLP()\n    t = torch.tensor(X_test)\n",
        "# %%\ncriterion = nn.CrossEntropyLoss()\nact = nn.ReLU()\nwith torch.no_grad():\n"
        "    l = criterion(logits, y)\n    a = act(h)\n"})
    EXPECT_EQ(torch_predicts(training), 0) << training;
  EXPECT_EQ(facts_of("# %%\nimport tensorflow as tf\nmodel = make_model()\nmodel.eval()\ny = model(x)\n")
                .at("predicts"),
            0);
}

// Instructions are no findings: an exercise or a task, or text opening with an order, states nothing seen,
// whatever finding words or shares it holds; a task after a report ("# Your turn") leaves the report read. A
// heading that orders ("## Drop sparse columns") does not make the text under it an order, and "Exercise"
// that begins a sentence about exercise is no exercise.
TEST(Facts, InstructionsAreNoFindings) {
  const auto finding = [](const std::string& markdown) {
    std::string text =
        "# %%\ndf = pd.read_csv('d.csv')\n# %%\ndf.isnull().sum()\ndf.describe()\n# %% [markdown]\n";
    for (std::size_t at = 0; at <= markdown.size();) {  // each line commented, as jupytext writes markdown
      const std::size_t eol = std::min(markdown.find('\n', at), markdown.size());
      text += "# ";
      text.append(markdown, at, eol - at);
      text += "\n";
      at = eol + 1;
    }
    text += "# %%\nmodel = LogisticRegression()\nmodel.fit(X, y)\n";
    return facts_of(text).at("eda_findings");
  };
  EXPECT_EQ(finding("Exercise 2: drop every column where more than 30% of values are missing, then count the "
                    "columns left."),
            0);
  EXPECT_EQ(
      finding("## Exercise 3\nPlot the age distribution and describe any skew or outliers you notice in "
              "the passengers."),
      0);
  EXPECT_EQ(finding("**Task 1:** look at the fare column; about 20% of fares are zero, explain why that "
                    "could be."),
            0);
  EXPECT_EQ(finding("Drop every column where more than 30% of the values are missing before fitting "
                    "anything at all."),
            0);
  EXPECT_EQ(finding("Your turn: find the columns where over 40% of the values are missing and explain them."),
            0);
  EXPECT_EQ(
      finding("## Step 3\nExercise: compute the share of the rows where more than 30% of the values are "
              "missing."),
      0);  // the report before the exercise is a heading of 3 words
  // findings
  // the report before a later task is read, the task is not
  EXPECT_EQ(
      finding("The cabin column is 77% empty and the deck column is 68% empty, so both carry little.\n\n"
              "# Your turn\nDrop every column where more than 30% of the values are missing."),
      1);
  EXPECT_EQ(finding("## Drop sparse columns\nThe cabin column is 77% empty and the deck column is 68% empty, "
                    "so both carry little."),
            1);
  EXPECT_EQ(finding("Exercise frequency: 30% of the respondents exercise daily, the other 70% less than "
                    "once a week."),
            1);
  // "To do" is a label as a heading of its own, not the start of a sentence
  EXPECT_EQ(finding("To do: find the columns where over 40% of the values are missing and explain them all."),
            0);
  EXPECT_EQ(finding("To do this comparison we looked at the fares: about 15% of fares are zero, and the "
                    "majority of passengers are in third class."),
            1);
  // "Task" heads a task as a heading of its own: "Task:", "### Task", "**Task 3:**", "## Task A", an HTML
  // heading; not a sentence about the task
  for (const char* task :
       {"Task: look at the fare column; about 20% of fares are zero, explain why that could be.",
        "### Task\nLook at the fare column; about 20% of fares are zero, explain why that could be.",
        "**Task 3:** look at the fare column; about 20% of fares are zero, explain why that could be.",
        "## Task A\nLook at the fare column; about 20% of fares are zero, explain why that could be.",
        "<h3>Task</h3>\nLook at the fare column; about 20% of fares are zero, explain why that could be.",
        "<b>Task 2:</b> look at the fare column; about 20% of fares are zero, explain why that could be."})
    EXPECT_EQ(finding(task), 0) << task;
  for (const char* report :
       {"The task is to predict survival; about 38% of the passengers survived and the majority did not.",
        "Task A is harder than the others: about 20% of its fares are zero, which suggests free tickets.",
        "<p>The task at hand shows that about 20% of fares are zero and the majority are in third "
        "class.</p>"})
    EXPECT_EQ(finding(report), 1) << report;
}

// Plan words are whole words: "latest" holds no "test", "constraints" no "train", "context" no "next"; a
// share in text that plans ("testing", "x_test", "will") is still no finding.
TEST(Facts, PlanWordsAreWholeWords) {
  const auto finding = [](const std::string& markdown) {
    std::string text = "# %%\ndf = pd.read_csv('d.csv')\n# %%\ndf.isnull().sum()\n# %% [markdown]\n# ";
    text += markdown;
    text += "\n# %%\nmodel = LogisticRegression()\nmodel.fit(X, y)\n";
    return facts_of(text).at("eda_findings");
  };
  EXPECT_EQ(finding("The latest records have 12% of loans in default, against 9% in the earliest years."), 1);
  EXPECT_EQ(finding("Regulatory constraints cap rates: 15% of loans sit at the cap and 3% above it somehow."),
            1);
  EXPECT_EQ(finding("In this context 20% of the rows are refunds and 5% are chargebacks from one merchant."),
            1);
  EXPECT_EQ(finding("We hold out 20% of the rows for testing and fit on the remaining rows of the table."),
            0);
  EXPECT_EQ(finding("About 25% of the rows go to x_test and y_test after the shuffle of the whole table."),
            0);
  EXPECT_EQ(finding("Then 30% of the rows will be kept aside for the final check of the chosen model."), 0);
}

// A hold-out split by position or time, without a splitter call (by hand: the lines below assign a training
// part and a held-out part rows picked by a bounded slice, a comparison, head or tail, or do not). A bound
// named after a part (`train_size`) is no part of a part; one part alone is no split (a few rows or labels
// picked for a look).
TEST(Facts, HoldoutSplitByPositionOrTime) {
  const auto split = [](const std::string& line) {
    std::string text = "# %%\nimport pandas as pd\ny = pd.read_csv('w.csv')\n# %%\n";
    text += line;
    text += "\nmodel.fit(train)\n";
    return facts_of(text).at("holdout_split");
  };
  EXPECT_EQ(split("h = 12\ntrain, test = weekly.iloc[:-h], weekly.iloc[-h:]"), 1);
  EXPECT_EQ(split("X_train, X_test = X[:800], X[800:]"), 1);
  EXPECT_EQ(split("test = df[df[\"date\"] >= \"2023-01-01\"]\ntrain = df[df[\"date\"] < \"2023-01-01\"]"), 1);
  EXPECT_EQ(split("train = y.loc[:\"2022-12-31\"]\ntest = y.loc[\"2023-01-01\":]"), 1);
  EXPECT_EQ(split("df_train = df.iloc[:-30]\n# %%\ndf_valid = df.tail(30)"), 1);
  EXPECT_EQ(split("train_size = int(len(X) * 0.66)\ntrain, test = X[0:train_size], X[train_size:len(X)]"), 1);
  EXPECT_EQ(split("X_train, X_test = X[:n_train], X[n_train:]"), 1);
  EXPECT_EQ(split("trainDF = df[df.year < 2020]\ntestDF = df[df.year >= 2020]"), 1);  // camel case
  EXPECT_EQ(split("X_train = df.iloc[:, 1:]\nX_test = df2.iloc[:, 1:]"), 0);  // every row, some columns
  EXPECT_EQ(split("small_train = X_train[:5]\nsmall_test = X_test[:5]"), 0);  // parts of parts
  EXPECT_EQ(split("trainer = df[:100]\ncontest = df[100:]"), 0);              // no split part's name
  EXPECT_EQ(split("X_train = df[[\"a\", \"b\"]]\nX_test = df[[\"a\"]]"), 0);  // columns
  EXPECT_EQ(split("train = df[\"x:y\"]\ntest = df[\"y:z\"]"), 0);  // a colon in a string is no slice
  // one part alone
  EXPECT_EQ(split("df_valid = df.tail(30)"), 0);
  EXPECT_EQ(split("test_cols = df.columns[:5]"), 0);
  EXPECT_EQ(split("top_val = df[\"price\"].sort_values()[:10]"), 0);
  EXPECT_EQ(split("X_test_sample = X[:5]"), 0);
  EXPECT_EQ(split("test = df[df[\"date\"] >= \"2023-01-01\"]"), 0);
  // Scala's `val` declares, it names no validation part
  EXPECT_EQ(split("val trainRows = df.head(800)\nval schema_json = dbutils.fs.head(\"/tmp/s.json\", 100)"),
            0);
  // parts of one split share the rest of their names, a frame's word aside: indices, a frame and a name alone
  EXPECT_EQ(split("train_idx, test_idx = idx[:800], idx[800:]"), 1);
  EXPECT_EQ(split("train = df[df.year < 2020]\ntest_df = df[df.year >= 2020]"), 1);
  EXPECT_EQ(split("train_X = X.iloc[:800]\nX_test = X.iloc[800:]"), 1);
  // rows picked at random, and the rest; by equality; by membership
  EXPECT_EQ(split("train = df.sample(frac=0.8, random_state=1)\ntest = df.drop(train.index)"), 1);
  EXPECT_EQ(split("train = df.sample(frac=0.8)\ntest = df.drop(index=train.index)"), 1);
  EXPECT_EQ(split("train = df.sample(frac=0.8)\ntest = df[~df.index.isin(train.index)]"), 1);
  EXPECT_EQ(split("train = df[df.fold != 0]\nvalid = df[df.fold == 0]"), 1);
  EXPECT_EQ(split("train = df.filter(pl.col('date') < cutoff)\ntest = df.filter(pl.col('date') >= cutoff)"),
            1);
  EXPECT_EQ(split("train = sdf.where(F.col('year') != 2020)\ntest = sdf.where(F.col('year') == 2020)"), 1);
  EXPECT_EQ(split("train = df.query('year < 2020')\ntest = df.query('year >= 2020')"), 1);
  EXPECT_EQ(split("train = df.filter(pl.col('y').is_not_null())\ntest = df.filter(pl.col('y').is_null())"),
            0);
  EXPECT_EQ(split("train = df.sample(frac=0.8)"), 0);                     // one part alone
  EXPECT_EQ(split("train = df[:800]\ntest = df.drop('id', axis=1)"), 0);  // a column drop picks no rows
  // a competition's train and test files joined for preparation and taken apart again: no split
  EXPECT_EQ(split("all_data = pd.concat([train, test]).reset_index(drop=True)\nntrain = train.shape[0]\n"
                  "train = all_data[:ntrain]\ntest = all_data[ntrain:]"),
            0);
  EXPECT_EQ(split("full = train_df.append(test_df)\ntrain_df = full[full.is_train == 1]\n"
                  "test_df = full[full.is_train == 0]"),
            0);
  // a frame joined from other names is data like any other
  EXPECT_EQ(split("df = pd.concat([jan, feb])\ntrain = df[:800]\ntest = df[800:]"), 1);
}

// IPython's timing and profiling magics run the statement they are given (by hand: the fit below runs).
TEST(Facts, ATimedStatementIsCode) {
  for (const char* line : {"%time model = LogisticRegression().fit(X, y)",
                           "%timeit -n 1 -r 1 model = LogisticRegression().fit(X, y)",
                           "%prun model = LogisticRegression().fit(X, y)"})
    EXPECT_EQ(facts_of(std::string("# %%\nimport pandas as pd\n# %%\n") + line + "\n").at("trains_model"), 1)
        << line;
  EXPECT_EQ(facts_of("# %%\nimport pandas as pd\n# %%\n%matplotlib inline\n%time\n").at("trains_model"), 0);
}

// A seed given as a key of a parameter dict is a seed set (by hand: each line fixes a seed).
TEST(Facts, ASeedInAParameterDictIsSet) {
  for (const char* line : {"params = {'objective': 'binary', 'seed': 42}", "p = {\"random_state\": 0}",
                           "cfg = dict(random_seed=7)", "params = {'random_seed': 7}"})
    EXPECT_EQ(facts_of(std::string("# %%\n") + line + "\nm = lgb.train(params, d)\n").at("seed_set"), 1)
        << line;
  EXPECT_EQ(facts_of("# %%\nparams = {'objective': 'binary'}\nm = lgb.train(params, d)\n").at("seed_set"), 0);
}

// Names that only hold a part's word, or parts that pick no rows of the data, are no hold-out split (by hand:
// each pair below lacks a training part and a held-out part of one split, both picked from data). The pairs
// of each case are what a hold-out by position or time would need: a train part beside a test/val name.
TEST(Facts, NamesThatHoldAPartsWordByChanceAreNoSplit) {
  const auto split = [](const std::string& lines) {
    std::string text = "# %%\nimport pandas as pd\ndf = pd.read_csv('w.csv')\n# %%\n";
    text += lines;
    text += "\nmodel.fit(train)\n";
    return facts_of(text).at("holdout_split");
  };
  // a value that is no part: a measure of the parts (size, score, loss, accuracy), a different rest of the
  // name (`top_val`: the top values; `valid_emails`: emails that are valid)
  EXPECT_EQ(split("train_df = df[:800]\ntest_size_list = sizes[:2]"), 0);
  EXPECT_EQ(split("train_sizes = sizes[:3]\ntest_scores = scores[:3]"), 0);
  EXPECT_EQ(split("train_size = len(df[df.year < 2020])\ntest_size = len(df[df.year >= 2020])"), 0);
  EXPECT_EQ(split("train_loss = losses[:10]\nval_loss = losses[10:]"), 0);
  EXPECT_EQ(split("train = df[df.year < 2020]\ntop_val = df.price.sort_values()[:10]"), 0);
  EXPECT_EQ(split("train = df[:800]\nvalid_emails = df[df.email.str.len() > 3]"), 0);
  // words that only contain a part's word
  EXPECT_EQ(split("train = df[:800]\ninterval = df[800:]\nevaluation = df[900:]\nvalidate_email = df[:5]"),
            0);
  // a development or evaluation part is held out too, and so is a DMatrix name's part (by hand: each pair
  // splits df's rows by position)
  EXPECT_EQ(split("X_train = X[:800]\nX_dev = X[800:]"), 1);
  EXPECT_EQ(split("train_eval = df[:800]\neval_df = df[800:]"), 0);  // train_eval names both: no part
  EXPECT_EQ(split("dtrain = df[:800]\ndtest = df[800:]"), 1);
  // picked from no data: a literal, a list built in place, the column labels
  EXPECT_EQ(split("train = df[:800]\ntest = \"abc\"[1:]"), 0);
  EXPECT_EQ(split("train = df[:800]\nval = [a for a in accs if a > 0.5]"), 0);
  EXPECT_EQ(split("train = df[:800]\nval = 3"), 0);
  EXPECT_EQ(split("train_cols = df.columns[:5]\ntest_cols = df.columns[5:]"), 0);
  // a validation frame: the features' training part and validation part, each assigned something
  EXPECT_EQ(split("X_train = train_df[features]\nX_val = val_df[features]"), 1);
  EXPECT_EQ(split("X_train, X_valid = df_a[cols], df_b[cols]"), 1);
  // ... not a name that begins like one, a name in a string, a literal, or a validation part alone
  EXPECT_EQ(split("X_train = df[features]\nx_values = np.linspace(0, 1, 50)\nX_value = df['x']"), 0);
  EXPECT_EQ(split("X_train = df[features]\nprint('X_val', 'x_val')"), 0);
  EXPECT_EQ(split("X_train = df[features]\nx_val = 3\nX_valid = \"none yet\""), 0);
  EXPECT_EQ(split("X_val = df.sample(10)"), 0);
  EXPECT_EQ(split("X_train = df[features]\nX_test = test_df[features]"),
            0);  // a test file may have no labels
}

// Code in a string or a comment calls nothing: `print('Next: df.info() and df.describe()')` looks at no shape
// nor summary (eda_kinds 0, summary_checks 0, so no check before training either); the same calls in code
// are shape/types (info) and summary statistics (describe). SQL's IS NULL, which Python holds in a string, is
// still a look at missing values. Counted by hand.
TEST(Facts, ExplorationInAStringOrACommentLooksAtNothing) {
  const std::string load = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n# %%\n";
  const std::string fit =
      "\n# %%\nfrom sklearn.linear_model import LinearRegression\n"
      "m = LinearRegression().fit(X, y)\n";
  auto f = facts_of(load + "print('Next: df.info() and df.describe()')\nn = 1  # df.describe()" + fit);
  EXPECT_EQ(f.at("eda_kinds"), 0);
  EXPECT_EQ(f.at("summary_checks"), 0);
  EXPECT_EQ(f.at("missing_check_before_training"), 0);
  f = facts_of(load + "print(\"df.summary() comes later\")" + fit);
  EXPECT_EQ(f.at("summary_checks"), 0);
  f = facts_of(load + "df.info()\ndf.describe()" + fit);
  EXPECT_EQ(f.at("eda_kinds"), 2);  // shape/types, summary statistics
  EXPECT_EQ(f.at("summary_checks"), 1);
  EXPECT_EQ(f.at("missing_check_before_training"), 1);
  f = facts_of(load + "spark.sql(\"SELECT COUNT(*) FROM t WHERE age IS NULL\").show()" + fit);
  EXPECT_EQ(f.at("eda_kinds"), 1);  // missing values
  f = facts_of(load + "n = duckdb.sql(\"select count(*) from df where price is null\").fetchone()" + fit);
  EXPECT_EQ(f.at("missing_value_checks"), 1);
  f = facts_of(load + "spark.sql('select 1')\nprint('the flag column is nullable')" + fit);
  EXPECT_EQ(f.at("missing_value_checks"), 0);
  // An f-string's replacement fields are code; its text, a doubled brace and a format spec are not.
  f = facts_of(load + "print(f'Shape: {df.shape}, missing: {df.isna().sum().sum()}')" + fit);
  EXPECT_EQ(f.at("eda_kinds"), 2);  // shape/types, missing values
  EXPECT_EQ(f.at("missing_check_before_training"), 1);
  f = facts_of(load + "print(f'Mean age: {df[\"age\"].mean():.1f}')" + fit);
  EXPECT_EQ(f.at("eda_kinds"), 1);  // summary statistics
  f = facts_of(load + "print(f'Next: {{df.info()}} and df.describe() {n:>5}')\nprint(rf'{n!r} df.isnull()')" +
               fit);
  EXPECT_EQ(f.at("eda_kinds"), 0);
  EXPECT_EQ(f.at("missing_check_before_training"), 0);
  // quotes inside a triple-quoted f-string's field open strings of their own
  f = facts_of(load + "print(f\"\"\"Count: {labels[\"don't know\"]}\"\"\")\nprint(df.isnull().sum())" + fit);
  EXPECT_EQ(f.at("missing_value_checks"), 1);
  f = facts_of(load + "print(f\"\"\"Score: {res[\"Accuracy\"]:.2f}\"\"\")\nr2 = r2_score(y, p)" + fit);
  EXPECT_EQ(f.at("metric_kinds"), 1);  // R-squared; "Accuracy" is a string in the field
  // a string that only ends in f is no f-string
  f = facts_of(load + "print(elf'{df.info()}')" + fit);
  EXPECT_EQ(f.at("eda_kinds"), 0);
}

// Keras's validation_split holds out the last rows once: a hold-out split, no cross-validation (no folds).
TEST(Facts, KerasValidationSplitIsAHoldOutNotCrossValidation) {
  const auto f = facts_of(
      "# %%\nfrom tensorflow import keras\n(x, y), _ = keras.datasets.mnist.load_data()\n# %%\n"
      "model = keras.Sequential([keras.layers.Dense(10)])\nmodel.compile(loss='mse')\n"
      "model.fit(x, y, epochs=3, validation_split=0.1)\n");
  EXPECT_EQ(f.at("trains_model"), 1);
  EXPECT_EQ(f.at("holdout_split"), 1);
  EXPECT_EQ(f.at("cross_validation"), 0);
}

// A count of zeros speaks of complete data only when nothing is filled or dropped for gaps and no output
// shows one (as data_imputation's rule reads it): a whole-frame check printing 0 after a fill, or beside a
// count of gaps, shows the filled data. Found on notebooks written for the fact audit of 2026-12-07.
TEST(Facts, ShowsNoMissingNotAfterAFillNorBesideAGap) {
  const auto with_outputs = [](const std::string& text, const std::vector<std::string>& outputs) {
    auto nb = notebook::parse_jupytext_percent(text, "filled.py");
    std::size_t next = 0;
    for (auto& c : nb.cells)
      if (c.source.find("isnull()") != std::string::npos && next < outputs.size()) {
        notebook::Output o;
        o.kind = "execute_result";
        o.text = outputs[next++];
        c.outputs.push_back(o);
      }
    return scoring::notebook_facts(nb).at("shows_no_missing");
  };
  const std::string load = "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n";
  // a gap shown, then a fill, then the frame's count of zeros
  EXPECT_EQ(
      with_outputs(load + "# %%\ndf.isnull().sum()\n# %%\ndf['age'] = df['age'].fillna(df['age'].median())"
                          "\n# %%\ndf.isnull().sum().sum()\n",
                   {"age      177\nfare       0\ndtype: int64", "0"}),
      0);
  // the same without the fill: one output shows a gap, another zeros
  EXPECT_EQ(with_outputs(load + "# %%\ndf.isnull().sum()\n# %%\ndf.isnull().sum().sum()\n",
                         {"age      177\nfare       0\ndtype: int64", "0"}),
            0);
  // dropped first, then checked: zeros, but of what the drop left
  EXPECT_EQ(with_outputs(load + "# %%\ndf = df.dropna()\n# %%\ndf.isnull().sum().sum()\n", {"0"}), 0);
  // the check alone, zeros: complete
  EXPECT_EQ(with_outputs(load + "# %%\ndf.isnull().sum().sum()\n", {"0"}), 1);
}

// Keras and tf.data read data from folders and files; a model's load (`joblib.load(`, `pickle.load(`,
// `torch.load(`, a Spark ML `...Model.load(`) reads none, so a notebook that only reloads a model loads no
// data, and one that reloads the model it fitted on iris still uses bundled data only.
TEST(Facts, DataLoadsOfKerasAndTfDataAndNoneOfAModelLoad) {
  for (const char* load :
       {"train_ds = keras.utils.image_dataset_from_directory('data/flowers', validation_split=0.2)\n",
        "ds = tf.keras.preprocessing.image_dataset_from_directory('img')\n",
        "gen = ImageDataGenerator(rescale=1 / 255).flow_from_directory('img/train')\n",
        "ds = tf.data.experimental.make_csv_dataset('rows.csv', batch_size=32)\n",
        "ds = tf.data.TFRecordDataset(['a.tfrecord'])\n", "sdf = spark.read.format('delta').load('/t')\n",
        "arr = np.load('x.npy')\n"}) {
    EXPECT_EQ(facts_of(std::string("# %%\n") + load).at("loads_data"), 1) << load;
  }
  for (const char* model_load :
       {"model = joblib.load('models/rf.joblib')\n", "m = pickle.load(f)\n", "state = torch.load('w.pt')\n",
        "pm = PipelineModel.load('/models/p')\n", "cv = CrossValidatorModel.load('/models/cv')\n",
        "net = torch.hub.load('pytorch/vision', 'resnet18', pretrained=True)\n",
        "embed = hub.load('https://tfhub.dev/google/universal-sentence-encoder/4')\n",
        "m = tf.saved_model.load('export/1')\n", "nlp = spacy.load('en_core_web_sm')\n",
        "w2v = Word2Vec.load('w2v.model')\n", "kv = KeyedVectors.load('vectors.kv')\n"}) {
    EXPECT_EQ(facts_of(std::string("# %%\n") + model_load).at("loads_data"), 0) << model_load;
  }
  const auto f = facts_of(
      "# %%\nfrom sklearn.datasets import load_iris\nX, y = load_iris(return_X_y=True)\n"
      "# %%\nclf = LogisticRegression().fit(X, y)\njoblib.dump(clf, 'clf.joblib')\n"
      "# %%\nrestored = joblib.load('clf.joblib')\nrestored.predict(X[:5])\n");
  EXPECT_EQ(f.at("loads_data"), 1);
  EXPECT_EQ(f.at("builtin_data_only"), 1);
}

// training_fails reads every way of training trains_model reads: a PyTorch step's backward(), a
// clustering's fit_predict(), cross_val_score(), not only `.fit(` and `.train(`.
TEST(Facts, TrainingFailsInEveryTrainingStyle) {
  for (const char* code :
       {"loss = crit(net(X), y.view(-1, 2))\nloss.backward()\n",
        "labels = KMeans(n_clusters=3).fit_predict(df)\n",
        "scores = cross_val_score(RandomForestClassifier(), X, y)\n", "model.fit(X, y)\n"}) {
    auto nb = notebook::parse_jupytext_percent(
        std::string("# %%\nimport torch\nnet = nn.Linear(4, 2)\nmodel = RandomForestClassifier()\n# %%\n") +
            code,
        "fails.py");
    notebook::Output o;
    o.kind = "error";
    o.ename = "ValueError";
    o.evalue = "shapes do not match";
    o.text = "ValueError: shapes do not match";
    nb.cells.back().outputs.push_back(o);
    EXPECT_EQ(scoring::notebook_facts(nb).at("training_fails"), 1) << code;
  }
  // a packaged training step that fails is training that fails; a cell that only names a fit in a string
  // and fails for another reason is not
  for (const auto& [code, fails] : std::vector<std::pair<std::string, int>>{
           {"from training import run_training\nrun_training(table='t')\n", 1},
           {"print('call .fit( first')\nx = undefined_name\n", 0},
           {"help_text = \"model.train() runs an epoch\"\nraise ValueError('x')\n", 0}}) {
    auto nb = notebook::parse_jupytext_percent("# %%\nimport pandas as pd\n# %%\n" + code, "fails.py");
    notebook::Output o;
    o.kind = "error";
    o.ename = "ValueError";
    o.evalue = "x";
    o.text = "ValueError: x";
    nb.cells.back().outputs.push_back(o);
    EXPECT_EQ(scoring::notebook_facts(nb).at("training_fails"), fails) << code;
  }
  // the same step without an error
  EXPECT_EQ(facts_of("# %%\nnet = nn.Linear(4, 2)\n# %%\nloss = crit(net(X), y)\nloss.backward()\n")
                .at("training_fails"),
            0);
}

// A Spark evaluator computes the metric it is given, else its default (areaUnderROC for the binary one,
// rmse for regression, f1 for multiclass: pyspark.ml.evaluation's defaults); a regression evaluator's "mae"
// is absolute error.
TEST(Facts, SparkEvaluatorsCountTheMetricTheyCompute) {
  const auto kinds = [](const std::string& code) {
    return facts_of("# %%\nfrom pyspark.ml.evaluation import *\n# %%\n" + code).at("metric_kinds");
  };
  EXPECT_EQ(kinds("auc_pr = BinaryClassificationEvaluator(labelCol='y', metricName='areaUnderPR')"
                  ".evaluate(preds)\n"),
            1);                                                                                // PR-AUC only
  EXPECT_EQ(kinds("auc = BinaryClassificationEvaluator(labelCol='y').evaluate(preds)\n"), 1);  // ROC-AUC
  EXPECT_EQ(kinds("score = RegressionEvaluator(labelCol='y').evaluate(preds)\n"), 1);          // rmse
  EXPECT_EQ(kinds("e = RegressionEvaluator(labelCol='y', metricName='mae')\nscore = e.evaluate(preds)\n"),
            1);  // absolute error, not rmse's squared error
  EXPECT_EQ(kinds("f = MulticlassClassificationEvaluator(labelCol='y').evaluate(preds)\n"), 1);  // f1
  // both of the binary evaluator's metrics, each named
  EXPECT_EQ(kinds("ev = BinaryClassificationEvaluator(labelCol='y')\n"
                  "roc = ev.evaluate(preds, {ev.metricName: 'areaUnderROC'})\n"
                  "pr = ev.evaluate(preds, {ev.metricName: 'areaUnderPR'})\n"),
            2);
}

// An .ipynb exported from Databricks is a Databricks notebook (databricks: its runtime's packages need no
// install) though no cell calls dbutils.
TEST(Facts, AnIpynbExportedFromDatabricksIsDatabricks) {
  const std::string cells =
      R"("cells": [{"cell_type": "code", "metadata": {}, "source": "import xgboost", "outputs": []}]})";
  const auto exported = notebook::parse_ipynb(
      R"({"nbformat": 4, "metadata": {"application/vnd.databricks.v1+notebook": {"language": "python"}}, )" +
          cells,
      "e.ipynb");
  EXPECT_EQ(scoring::notebook_facts(exported).at("databricks"), 1);
  EXPECT_EQ(scoring::notebook_facts(exported).at("nonstandard_packages"), 0);  // xgboost is in the runtime
  const auto plain = notebook::parse_ipynb(R"({"nbformat": 4, "metadata": {}, )" + cells, "p.ipynb");
  EXPECT_EQ(scoring::notebook_facts(plain).at("databricks"), 0);
  EXPECT_EQ(scoring::notebook_facts(plain).at("nonstandard_packages"), 1);
}

// Keeping only the rows where a value is not null drops the others, as dropna(subset=[...]) does: pandas'
// row picks and Spark's filter / where count as a drop of missing values (imputation_cells, and before the
// split imputation_before_split); a mask alone, pandas' where(), a pick only looked at, or a competition's
// train and test rows told apart by a missing target (both picks in one cell) drop nothing.
TEST(Facts, RowsKeptWhereAValueIsNotNullAreADrop) {
  const auto facts = [](const std::string& line) {
    return facts_after_load(
        line, "\n# %%\nX_train, X_test, y_train, y_test = train_test_split(df[['a']], df['y'])\n");
  };
  for (const char* drop :
       {"df = df[df['y'].notna()]", "df = df.loc[df.y.notnull()]", "df = df[~df['y'].isna()]",
        "df = df[df['y'].isnull() == False]", "df = df[df.y.isna()==0]", "df = df[df['y'].isnull() != True]",
        "df = df[pd.notna(df['y'])]", "sdf = sdf.filter(F.col('y').isNotNull())",
        "sdf = sdf.where(col('y').isNotNull())", "sdf = sdf.filter('y IS NOT NULL')"}) {
    const auto f = facts(drop);
    EXPECT_EQ(f.at("imputation_cells"), 1) << drop;
    EXPECT_EQ(f.at("imputation_before_split"), 1) << drop;
  }
  for (const char* none :
       {"keep = df['y'].notna()", "df = df.where(pd.notnull(df), None)", "df[df['y'].notna()].plot()",
        "n = df['y'].notna().sum()", "mean_age = df[df.Age.notna()]['Age'].mean()",
        "n = len(df[df.Age.notna()])", "df.loc[df['Age'].notnull(), 'AgeBand'] = 1",
        "non_null = sdf.filter(col('a').isNotNull()).count()", "n = (df['y'].isnull() == False).sum()",
        "gaps = df[df['y'].isnull() == True]",
        "train = full[~full.y.isnull()]\ntest = full[full.y.isnull()].drop('y', axis=1)"}) {
    const auto f = facts(none);
    EXPECT_EQ(f.at("imputation_cells"), 0) << none;
    EXPECT_EQ(f.at("imputation_before_split"), 0) << none;
  }
}

// A logger's info() logs a message; it shows nothing of the data (summary_checks, eda_kinds and
// missing_check_before_training read a data frame's info()).
TEST(Facts, ALoggersInfoIsNoLookAtTheData) {
  for (const char* line :
       {"logger.info('loaded %d rows', len(df))", "logging.info('start')", "self._logger.info('x')",
        "log.info('y')", "logging.getLogger(__name__).info('z')"}) {
    const auto f = facts_of(std::string("# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n") + line +
                            "\n# %%\nmodel = LogisticRegression().fit(X, y)\n");
    EXPECT_EQ(f.at("summary_checks"), 0) << line;
    EXPECT_EQ(f.at("eda_kinds"), 0) << line;
    EXPECT_EQ(f.at("missing_check_before_training"), 0) << line;
  }
  const auto f = facts_of(
      "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\ndf.info()\n# %%\nmodel = "
      "LogisticRegression().fit(X, y)\n");
  EXPECT_EQ(f.at("summary_checks"), 1);
  EXPECT_EQ(f.at("missing_check_before_training"), 1);
  // a frame whose name ends in _log is a frame
  EXPECT_EQ(facts_of("# %%\ndf_log = np.log1p(df)\ndf_log.info()\n").at("summary_checks"), 1);
}

// Model families of sklearn's cross-validated and less usual estimators, and a log applied through pandas.
TEST(Facts, MoreEstimatorFamiliesAndALogThroughApply) {
  for (const char* model : {"RidgeCV(alphas=[0.1, 1.0])", "LogisticRegressionCV()", "LassoCV()",
                            "ElasticNetCV()", "HuberRegressor()", "PoissonRegressor()"})
    EXPECT_EQ(facts_of(std::string("# %%\nm = ") + model + "\nm.fit(X, y)\n").at("model_families"), 1)
        << model;  // linear
  EXPECT_EQ(facts_of("# %%\nm = AdaBoostClassifier()\nm.fit(X, y)\n").at("model_families"), 1);
  EXPECT_EQ(facts_of("# %%\nm = RidgeCV()\nm.fit(X, y)\nr = RandomForestRegressor()\nr.fit(X, y)\n")
                .at("model_families"),
            2);
  EXPECT_EQ(facts_of("# %%\ndf['amount'] = df['amount'].apply(np.log1p)\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\ndf['amount'] = df['amount'].transform(np.log)\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\ndf[num] = df[num].apply(np.log1p, axis=0)\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\ndf['pop'] = df['pop'].map(np.log10)\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\nmask = np.logical_and(a > 0, b > 0)\n").at("scaling"), 0);
  // an AdaBoost model's weak learner is part of the one boosted model: one family, boosting
  EXPECT_EQ(facts_of("# %%\nm = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=200)\n"
                     "m.fit(X, y)\n")
                .at("model_families"),
            1);
  EXPECT_EQ(
      facts_of("# %%\nm = AdaBoostRegressor(estimator=DecisionTreeRegressor(max_depth=3))\nm.fit(X, y)\n")
          .at("model_families"),
      1);
  // ... and so is a weak learner assigned first and handed over by name; a tree fitted on its own is not
  EXPECT_EQ(facts_of("# %%\nstump = DecisionTreeClassifier(max_depth=1)\n# %%\nm = AdaBoostClassifier(stump, "
                     "n_estimators=200)\nm.fit(X, y)\n")
                .at("model_families"),
            1);
  EXPECT_EQ(
      facts_of("# %%\nbase = DecisionTreeRegressor(max_depth=3)\nm = AdaBoostRegressor(estimator=base)\n"
               "m.fit(X, y)\n")
          .at("model_families"),
      1);
  EXPECT_EQ(facts_of("# %%\ntree = DecisionTreeClassifier(max_depth=3)\ntree.fit(X, y)\nm = "
                     "AdaBoostClassifier(n_estimators=200)\nm.fit(X, y)\n")
                .at("model_families"),
            2);
  // a tree searched over is a candidate of its own
  EXPECT_EQ(facts_of("# %%\ng = GridSearchCV(DecisionTreeClassifier(), {'max_depth': [2, 3]})\ng.fit(X, y)\n"
                     "a = AdaBoostClassifier()\na.fit(X, y)\n")
                .at("model_families"),
            2);
}

// A dropna() drops rows only where its result is kept: given inplace=True, or assigned (a Spark chain in
// grouping parentheses too); one inside a plot's or a statistic's call, reduced to a statistic, or only
// displayed drops nothing. A drop by every column is blanket however its arguments are spelt; subset=,
// thresh=, how="all" or a column drop are not.
TEST(Facts, ADropnaDropsWhereItsResultIsKept) {
  const auto facts = [](const std::string& line) {
    return facts_after_load(
        line, "\n# %%\nX_train, X_test, y_train, y_test = train_test_split(df[['a']], df['y'])\n");
  };
  for (const char* blanket :
       {"df = df.dropna()", "df.dropna(inplace=True)", "df.dropna(axis=0, how='any', inplace = True)",
        "X = X.dropna().reset_index(drop=True)", "X = df.dropna().values"}) {
    const auto f = facts(blanket);
    EXPECT_EQ(f.at("imputation_cells"), 1) << blanket;
    EXPECT_EQ(f.at("imputation_before_split"), 1) << blanket;
    EXPECT_EQ(f.at("blanket_dropna"), 1) << blanket;
  }
  for (const char* some :
       {"df = df.dropna(subset=['y'])", "df = df.dropna(thresh=3)", "df = df.dropna(axis=1)",
        "df = df.dropna(how='all')",
        "df = (sdf.filter(F.col('a') == 0)\n      .dropna(subset=['y'])\n      .select('a', 'y'))"}) {
    const auto f = facts(some);
    EXPECT_EQ(f.at("imputation_cells"), 1) << some;
    EXPECT_EQ(f.at("blanket_dropna"), 0) << some;
  }
  // kept by a call that takes it, or through a chain whose arguments hold a statistic
  // (the split's own line: imputation_before_split reads only the lines above the split token)
  EXPECT_EQ(facts("X_train, X_test = train_test_split(df.dropna(), test_size=0.2)").at("imputation_cells"),
            1);
  for (const char* kept : {"df = pd.concat([df.dropna(), extra])",
                           "df = (df.dropna(subset=['p']).assign(q=lambda d: d.p / d.p.max()))",
                           "sdf = sdf.na.drop(how='any')"}) {
    const auto f = facts(kept);
    EXPECT_EQ(f.at("imputation_cells"), 1) << kept;
    EXPECT_EQ(f.at("imputation_before_split"), 1) << kept;
  }
  EXPECT_EQ(facts("sdf = sdf.na.drop(how='any')").at("blanket_dropna"), 1);
  EXPECT_EQ(facts("df = df.dropna(0, 'all')").at("blanket_dropna"), 0);
  EXPECT_EQ(facts("df = df.dropna(subset=None)").at("blanket_dropna"), 1);
  for (const char* none :
       {"sns.histplot(df['Age'].dropna())", "m = df.Age.dropna().mean()", "n = len(df.dropna())",
        "df.dropna()", "rows = df.dropna().shape[0]", "print('rows:', sdf.na.drop().count())"}) {
    const auto f = facts(none);
    EXPECT_EQ(f.at("imputation_cells"), 0) << none;
    EXPECT_EQ(f.at("imputation_before_split"), 0) << none;
    EXPECT_EQ(f.at("blanket_dropna"), 0) << none;
  }
}

// Metrics computed by hand, without a metric call (by hand: each line reduces a squared difference, an
// absolute difference or an equality of predictions and labels), and the metric functions beyond the common
// ones (sklearn.metrics: precision_recall_fscore_support, fbeta_score, matthews_corrcoef).
TEST(Facts, MetricsComputedByHand) {
  const auto facts = [](const std::string& line) {
    return facts_of(
        "# %%\nimport numpy as np\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
        "model = LinearRegression().fit(X_train, y_train)\ny_pred = model.predict(X_test)\n# %%\n" +
        line + "\n");
  };
  for (const char* line : {"rmse = np.sqrt(np.mean((y_test - y_pred) ** 2))",
                           "mse = ((preds - y_test)**2).sum() / n", "mae = np.mean(np.abs(y_test - y_pred))",
                           "acc = (y_pred == y_test).mean()", "correct += (predicted == labels).sum().item()",
                           "error_rate = (y_pred != y_test).mean()", "acc = y_pred.eq(y_test).mean()",
                           "r2 = 1 - np.sum((y_test - y_pred) ** 2) / np.sum((y_test - y_test.mean()) ** 2)",
                           "p, r, f, _ = precision_recall_fscore_support(y_test, y_pred)",
                           "print(matthews_corrcoef(y_test, y_pred))"}) {
    const auto f = facts(line);
    EXPECT_EQ(f.at("metric_cells"), 1) << line;
    EXPECT_EQ(f.at("metric_kinds"), 1) << line;
  }
  for (const char* line : {"df['err'] = (df.pred - df.y) ** 2", "positives = (y_pred == 1).sum()",
                           "frauds = (y_pred == FRAUD).sum()", "kept = y_pred.eq(1).sum()",
                           "print('mean of (pred - y) ** 2')", "total = np.sum(y_test - 3) ** 2"}) {
    const auto f = facts(line);
    EXPECT_EQ(f.at("metric_cells"), 0) << line;
    EXPECT_EQ(f.at("metric_kinds"), 0) << line;
  }
  EXPECT_EQ(facts("rmse = np.sqrt(np.mean((y_test - y_pred) ** 2))\nmae = np.mean(np.abs(y_test - y_pred))\n"
                  "acc = np.mean(np.round(y_pred) == y_test)")
                .at("metric_kinds"),
            3);
  // R-squared by hand is R-squared's family, not squared error's: with r2_score one family, with an RMSE two
  const std::string r2 = "r2 = 1 - np.sum((y_test - y_pred)**2) / np.sum((y_test - y_test.mean())**2)\n";
  EXPECT_EQ(facts(r2 + "print(r2_score(y_test, y_pred))").at("metric_kinds"), 1);
  EXPECT_EQ(facts(r2 + "rmse = np.sqrt(np.mean((y_test - y_pred) ** 2))").at("metric_kinds"), 2);
}

// Labels replaced by numbers are an encoding; polars' to_dummies() and log1p() encode and scale (by hand:
// each line below does what it says; a replace of a marker by NaN or of labels by labels encodes nothing).
TEST(Facts, EncodingByReplaceAndPolars) {
  const auto facts = [](const std::string& line) {
    return facts_after_load(line, "\nmodel = LogisticRegression().fit(df[['a']], df['y'])\n");
  };
  for (const char* line :
       {"df['sex'] = df['sex'].replace({'male': 0, 'female': 1})", "df = df.replace({\"yes\": 1, \"no\": 0})",
        "df['churn'] = df['churn'].replace(['No', 'Yes'], [0, 1])", "X = df.to_dummies(columns=['city'])"})
    EXPECT_EQ(facts(line).at("encoding"), 1) << line;
  for (const char* line : {"df = df.replace('?', np.nan)", "df['sex'] = df['sex'].replace({'m': 'male'})",
                           "df['x'] = df['x'].replace(['a', 'b'], ['c', 'd'])"})
    EXPECT_EQ(facts(line).at("encoding"), 0) << line;
  EXPECT_EQ(facts("df = df.with_columns(pl.col('income').log1p())").at("scaling"), 1);
}

// A fill value may be a statistic computed on an earlier line, or a group's (by hand: each fill below puts a
// mean or median computed on the whole frame into it, before the split).
TEST(Facts, FillStatisticsNamedOrByGroup) {
  const auto facts = [](const std::string& lines) {
    return facts_after_load(
        lines, "\n# %%\nX_train, X_test, y_train, y_test = train_test_split(df[['a']], df['y'])\n");
  };
  for (const char* lines : {"med = df['age'].median()\ndf['age'] = df['age'].fillna(med)",
                            "df['age'] = df['age'].fillna(df.groupby('pclass')['age'].transform('median'))",
                            "df['age'] = df['age'].replace(np.nan, df['age'].mean())"}) {
    const auto f = facts(lines);
    EXPECT_EQ(f.at("fill_before_split"), 1) << lines;
    EXPECT_EQ(f.at("imputation_before_split"), 1) << lines;
  }
  // a name assigned a statistic fills only as the fill value, not as the frame filled or encoded
  for (const char* lines :
       {"X = (X - X.mean()) / X.std()\nX = X.fillna(0)",
        "df = df.groupby('id').mean().reset_index()\ndf['sex'] = df['sex'].replace({'m': 0, 'f': 1})"})
    EXPECT_EQ(facts(lines).at("fill_before_split"), 0) << lines;
  // a constant fill is a fill, not a statistic
  const auto f = facts("fill_value = 0\ndf['age'] = df['age'].fillna(fill_value)");
  EXPECT_EQ(f.at("fill_before_split"), 0);
  EXPECT_EQ(f.at("imputation_before_split"), 1);
  // replace(np.nan, ...) fills
  EXPECT_EQ(facts("df['x'] = df['x'].replace(np.nan, 0)").at("imputation_cells"), 1);
}

// A def that fits the model it is given, defined before any estimator is named, trains where it is called
// with one (by hand: the loop below fits two models on the training part).
TEST(Facts, ADefFittingTheModelItIsGivenTrainsWhereCalled) {
  const std::string head =
      "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n"
      "X_train, X_test, y_train, y_test = train_test_split(df[['a']], df.y, random_state=0)\n"
      "# %%\ndef fit_and_score(model, X_tr, y_tr, X_te, y_te):\n    model.fit(X_tr, y_tr)\n"
      "    return accuracy_score(y_te, model.predict(X_te))\n";
  const auto f = facts_of(head +
                          "# %%\nfor m in [LogisticRegression(), RandomForestClassifier()]:\n"
                          "    print(fit_and_score(m, X_train, y_train, X_test, y_test))\n");
  EXPECT_EQ(f.at("trains_model"), 1);
  EXPECT_EQ(f.at("model_families"), 2);
  // defined, and an estimator named, but never called: nothing is trained
  EXPECT_EQ(facts_of(head + "# %%\nm = LogisticRegression()\n").at("trains_model"), 0);
}

// Libraries beyond pandas and scikit-learn (by hand: each line does what the fact names; the libraries'
// documented calls): readers, statsmodels and econometrics models, AutoML front-ends, Hugging Face and
// gensim, seeds, tuning, saves and loads of models, metrics, MLflow through the environment.
TEST(Facts, CallsOfMoreLibraries) {
  const auto fact = [](const std::string& code, const char* name) {
    return facts_of("# %%\nimport pandas as pd\n# %%\n" + code + "\n").at(name);
  };
  for (const char* load :
       {"df = pd.read_pickle('d.pkl')", "df = pd.read_stata('d.dta')", "lf = pl.scan_parquet('d.parquet')",
        "df = duckdb.sql(\"SELECT * FROM 'sales.parquet'\").df()",
        "d = sm.datasets.macrodata.load_pandas().data", "fr = h2o.import_file('d.csv')",
        "train = TabularDataset('train.csv')", "news = fetch_20newsgroups(subset='train')"})
    EXPECT_EQ(fact(load, "loads_data"), 1) << load;
  EXPECT_EQ(fact("acc = evaluate.load('accuracy')", "loads_data"), 0);
  for (const char* model :
       {"fit = Holt(train).fit()", "res = VAR(df).fit(2)", "res = sm.Poisson(y, X).fit()",
        "predictor = TabularPredictor(label='y').fit(train)",
        "automl = AutoML()\nautoml.fit(X_train, y_train)", "best = compare_models()",
        "aml = H2OAutoML(max_models=5)\naml.train(y='y', training_frame=fr)",
        "w2v = Word2Vec(sentences, vector_size=50)", "clf = fasttext.train_supervised('train.txt')"})
    EXPECT_EQ(fact(model, "trains_model"), 1) << model;
  EXPECT_EQ(fact("fit = Holt(train).fit()", "model_families"), 1);  // time series
  // a column named H2O names no H2O estimator (a fit of an object of the notebook's own class trains nothing)
  EXPECT_EQ(fact("df['H2O'] = df['water']\nthing = Smoother()\nthing.fit(df)", "trains_model"), 0);
  EXPECT_EQ(fact("opt = torch.optim.SGD(net.parameters(), lr=0.1)\nclass Net(nn.Module):\n    pass\n"
                 "loss.backward()",
                 "model_families"),
            1);  // a neural net, not a linear model
  EXPECT_EQ(fact("from transformers import AutoModelForSequenceClassification, Trainer\n"
                 "model = AutoModelForSequenceClassification.from_pretrained('bert-base-uncased')\n"
                 "trainer = Trainer(model=model)\ntrainer.train()",
                 "neural_network"),
            1);
  for (const char* seed : {"rng = np.random.default_rng(42)", "rs = np.random.RandomState(0)",
                           "s = setup(df, target='y', session_id=123)", "spacy.util.fix_random_seed(0)"})
    EXPECT_EQ(fact(seed, "seed_set"), 1) << seed;
  for (const char* tune :
       {"s = HalvingRandomSearchCV(RandomForestClassifier(), grid).fit(X, y)", "tuned = tune_model(best)",
        "automl = AutoML()\nautoml.fit(X_train, y_train, time_budget=60)"})
    EXPECT_EQ(fact(tune, "tuning"), 1) << tune;
  EXPECT_EQ(fact("s = HalvingRandomSearchCV(RandomForestClassifier(), grid).fit(X, y)", "cross_validation"),
            1);
  for (const char* save : {"model.save_pretrained('./out')", "trainer.push_to_hub()",
                           "nlp.to_disk('ner_model')", "from joblib import dump\ndump(model, 'm.joblib')"})
    EXPECT_EQ(fact(save, "persists_model"), 1) << save;
  EXPECT_EQ(fact("json.dump(metrics, f)", "persists_model"), 0);
  EXPECT_EQ(fact("json.dump(metrics, f)", "persists_with_pickle"), 0);
  EXPECT_EQ(fact("model.load_state_dict(torch.load('model.pt'))", "loads_model"), 1);
  EXPECT_EQ(fact("print(acc.compute(predictions=preds, references=refs))", "metric_cells"), 1);
  EXPECT_EQ(fact("m = XGBClassifier(eval_metric='auc')", "metric_kinds"), 1);  // ROC-AUC
  // "Accuracy" in a string's text computes nothing; Keras' Accuracy metric in code does
  EXPECT_EQ(fact("print('Accuracy of the model:', r2_score(y_test, p))", "metric_kinds"), 1);  // R-squared
  EXPECT_EQ(fact("m = tf.keras.metrics.SparseCategoricalAccuracy()", "metric_kinds"), 1);
  EXPECT_EQ(
      fact(
          "os.environ['MLFLOW_EXPERIMENT_NAME'] = 'nlp'\nargs = TrainingArguments('out', report_to='mlflow')",
          "mlflow_used"),
      1);
  EXPECT_EQ(fact("preds = predict_model(final, data=test)", "predicts"), 1);
  EXPECT_EQ(fact("y_train, y_test = temporal_train_test_split(y, test_size=12)", "holdout_split"), 1);
}

// A fill through a mask of the missing rows is a fill (by hand: each line puts a median, computed on the
// whole frame before the split, into the rows where the value is missing); its median is no summary
// statistic.
TEST(Facts, AFillThroughAMaskIsAFill) {
  const auto facts = [](const std::string& line) {
    return facts_after_load(
        line, "\n# %%\nX_train, X_test, y_train, y_test = train_test_split(df[['Age']], df['y'])\n");
  };
  for (const char* line : {"df.loc[df.Age.isnull(), 'Age'] = df.Age.median()",
                           "df['Age'] = np.where(df['Age'].isna(), df['Age'].median(), df['Age'])"}) {
    const auto f = facts(line);
    EXPECT_EQ(f.at("imputation_cells"), 1) << line;
    EXPECT_EQ(f.at("imputation_before_split"), 1) << line;
    EXPECT_EQ(f.at("fill_before_split"), 1) << line;
    EXPECT_EQ(f.at("eda_kinds"), 1) << line;  // the missing-value test, not a summary statistic
  }
  for (const char* line : {"df.loc[df.Age > 60, 'Senior'] = 1", "df['Flag'] = np.where(df['Age'] > 60, 1, 0)",
                           "df.loc[df['Cabin'].isnull(), 'CabinMissing'] = 1",
                           "df['HasCabin'] = np.where(df['Cabin'].isnull(), 0, 1)"}) {
    const auto f = facts(line);
    EXPECT_EQ(f.at("imputation_cells"), 0) << line;
    EXPECT_EQ(f.at("fill_before_split"), 0) << line;
  }
}

// Fitting a scaler, an imputer, an encoder or PCA starts no training (by hand: the missing-value check below
// comes after the scaler's fit and before the model's).
TEST(Facts, FittingATransformStartsNoTraining) {
  for (const char* fit : {"scaler = StandardScaler().fit(X)", "scaler = StandardScaler()\nscaler.fit(X)",
                          "imp = SimpleImputer(strategy='median')\nimp.fit(X)", "pca = PCA(5).fit(X)"}) {
    const auto f = facts_of(std::string("# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n# %%\n") +
                            fit + "\n# %%\ndf.isnull().sum()\n# %%\nm = LogisticRegression().fit(X, y)\n");
    EXPECT_EQ(f.at("missing_check_before_training"), 1) << fit;
    EXPECT_EQ(f.at("trains_model"), 1) << fit;
  }
  // a pipeline holding a scaler is a model
  const auto f = facts_of(
      "# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n# %%\n"
      "pipe = make_pipeline(StandardScaler(), LogisticRegression())\npipe.fit(X, y)\n# "
      "%%\ndf.isnull().sum()\n");
  EXPECT_EQ(f.at("trains_model"), 1);
  EXPECT_EQ(f.at("missing_check_before_training"), 0);
  // a name that held a transform and is then assigned a model fits the model
  EXPECT_EQ(
      facts_of("# %%\nmodel = PCA(n_components=2)\nmodel.fit(X)\n# %%\nmodel = RandomForestClassifier()\n"
               "model.fit(X_train, y_train)\n")
          .at("trains_model"),
      1);
  // a scaler fitted, and no model: nothing is trained
  EXPECT_EQ(facts_of("# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\nsc = StandardScaler().fit(df)\n")
                .at("trains_model"),
            0);
}

// Scaling written by hand: a z-score or a min-max, assigned; a statistic printed, a difference of two means,
// an error divided by a range, or a z-score taken as an outlier test, is none.
TEST(Facts, ScalingByHand) {
  EXPECT_EQ(facts_of("# %%\ndf['x'] = (df['x'] - df['x'].mean()) / df['x'].std()\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\nX = (X - np.mean(X, axis=0)) / np.std(X, axis=0)\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\nfor c in num:\n    df[c] = (df[c] - df[c].min()) / (df[c].max() - df[c].min())\n")
                .at("scaling"),
            1);
  // a z-score over two physical lines is one statement
  EXPECT_EQ(facts_of("# %%\nz = (df.age -\n     df.age.mean()) / df.age.std()\n").at("scaling"), 1);
  // statistics assigned to names first, pixels divided by 255, scipy's zscore
  EXPECT_EQ(
      facts_of("# %%\nmu = X.mean(axis=0)\nsd = X.std(axis=0)\n# %%\nX = (X - mu) / sd\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\nx_train = x_train.astype('float32') / 255.0\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\nX = stats.zscore(X)\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\nmu = X.mean(axis=0)\nshare = (X - mu) / total\n").at("scaling"), 0);
  EXPECT_EQ(facts_of("# %%\nprint((df.x - df.x.mean()) / df.x.std())\n").at("scaling"), 0);
  EXPECT_EQ(facts_of("# %%\ngap = df.a.mean() - df.b.mean()\nspread = df.a.std()\n").at("scaling"), 0);
  EXPECT_EQ(facts_of("# %%\nmsg = '(x - x.mean()) / x.std()'\n").at("scaling"), 0);
  EXPECT_EQ(facts_of("# %%\nratio = (df.hi - df.lo) / df.lo  # std( max(\n").at("scaling"), 0);
  // a measure divided by the target's range normalises an error, not a feature
  EXPECT_EQ(facts_of("# %%\nnrmse = rmse / (y.max() - y.min())\n").at("scaling"), 0);
  // a z-score taken as an outlier test scales nothing
  EXPECT_EQ(facts_of("# %%\nz = np.abs(stats.zscore(df[num]))\ndf = df[(z < 3).all(axis=1)]\n").at("scaling"),
            0);
  EXPECT_EQ(facts_of("# %%\nz = stats.zscore(df[num])\noutliers = df[(z > 3).any(axis=1)]\n").at("scaling"),
            0);
  EXPECT_EQ(facts_of("# %%\ndf = df[(np.abs(zscore(df[num])) < 3).all(axis=1)]\n").at("scaling"), 0);
  EXPECT_EQ(facts_of("# %%\nX_std = zscore(X, axis=0)\nmodel.fit(X_std, y)\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\ndf['z'] = zscore(df['income'])\ndf = df[df['a'] > 0]\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\ndef standardise(x):\n    return zscore(x)\n").at("scaling"), 1);
  // a feature divided by its own range is scaled
  EXPECT_EQ(facts_of("# %%\ndf['income'] = df['income'] / (df['income'].max() - df['income'].min())\n")
                .at("scaling"),
            1);
  EXPECT_EQ(
      facts_of("# %%\ndf['income'] = df['debt'] / (df['income'].max() - df['income'].min())\n").at("scaling"),
      0);
}

// polars keeps the not-null rows through filter(): `is_not_null()` or a negated `is_null()`, kept whole; a
// count of them (`.height`) or a column of the test drops nothing.
TEST(Facts, PolarsFilterOfNotNullRowsDrops) {
  const auto with = [](const std::string& line) {
    return facts_of(
        "# %%\nimport polars as pl\ndf = pl.read_csv('d.csv')\n" + line +
        "\n# %%\nX_tr, X_te, y_tr, y_te = train_test_split(X, y)\nm = LinearRegression().fit(X_tr, "
        "y_tr)\n");
  };
  EXPECT_EQ(with("df = df.filter(pl.col('age').is_not_null())").at("imputation_cells"), 1);
  EXPECT_EQ(with("df = df.filter(~pl.col('age').is_null())").at("imputation_cells"), 1);
  EXPECT_EQ(with("df = df.filter(pl.col('age').is_not_null())").at("imputation_before_split"), 1);
  EXPECT_EQ(with("n = df.filter(pl.col('age').is_not_null()).height").at("imputation_cells"), 0);
  EXPECT_EQ(with("df = df.with_columns(pl.col('age').is_null().alias('age_missing'))").at("imputation_cells"),
            0);
  // polars' filter with a positive is_null() keeps the missing rows: no drop
  EXPECT_EQ(with("gaps = df.filter(pl.col('age').is_null())").at("imputation_cells"), 0);
}

// A Hugging Face Trainer of any name trains when its .train( is called, and the eval_dataset handed to it
// is a held-out set (by hand: the notebook below fine-tunes on the train split and evaluates on the test
// split the data set came with).
TEST(Facts, ATrainerOfAnyNameTrainsOnItsHeldOutSet) {
  const std::string setup =
      "# %%\nfrom transformers import AutoModelForSequenceClassification, Trainer\nds = "
      "load_dataset('imdb')\n"
      "model = AutoModelForSequenceClassification.from_pretrained('distilbert-base-uncased')\n"
      "ft = Trainer(model=model, args=args, train_dataset=ds['train'], eval_dataset=ds['test'])\n";
  const auto trained = facts_of(setup + "# %%\nft.train()\n# %%\nprint(ft.evaluate())\n");
  EXPECT_EQ(trained.at("trains_model"), 1);
  EXPECT_EQ(trained.at("holdout_split"), 1);
  // built but never trained: nothing is fitted
  EXPECT_EQ(facts_of(setup).at("trains_model"), 0);
  // .train( of a name that is no trainer (PyTorch's mode switch) trains nothing by itself
  EXPECT_EQ(facts_of("# %%\nimport torch\nnet = torch.nn.Linear(3, 1)\nnet.train()\n").at("trains_model"), 0);
}

// Data handed to a fit to watch it on is a held-out set only when it holds data the fit does not train on
// (by hand: each snippet fits on X_train; the first three also watch X_val or the test split, the others
// watch nothing, or the training data again, which measures nothing held out).
TEST(Facts, AValidationSetIsHeldOutOnlyWhenItHoldsOtherData) {
  const auto holdout = [](const std::string& fit) {
    return facts_of("# %%\nimport xgboost as xgb\nmodel = xgb.XGBClassifier()\n" + fit + "\n")
        .at("holdout_split");
  };
  EXPECT_EQ(holdout("model.fit(X_train, y_train, eval_set=[(X_val, y_val)])"), 1);
  EXPECT_EQ(holdout("model.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_test, y_test)])"), 1);
  EXPECT_EQ(holdout("watch = [(X_v, y_v)]\nmodel.fit(X_train, y_train, eval_set=watch)"), 1);
  EXPECT_EQ(holdout("model.fit(X_train, y_train, eval_set=[(X_train, y_train)], verbose=False)"), 0);
  EXPECT_EQ(holdout("model.fit(X_train, y_train, eval_set=None)"), 0);
  EXPECT_EQ(holdout("booster = xgb.train(params, dtrain, valid_sets = [dtrain])"), 0);
  EXPECT_EQ(holdout("model.fit(X_train, y_train)  # eval_set=[(X_val, y_val)] later"), 0);
  EXPECT_EQ(holdout("print('eval_set=[(X_val, y_val)]')\nmodel.fit(X_train, y_train)"), 0);
  const std::string trainer =
      "# %%\nfrom transformers import Trainer\nft = Trainer(model=m, train_dataset=ds['train'], "
      "eval_dataset=";
  EXPECT_EQ(facts_of(trainer + "None)\nft.train()\n").at("holdout_split"), 0);
  EXPECT_EQ(facts_of(trainer + "ds['train'])\nft.train()\n").at("holdout_split"), 0);
  EXPECT_EQ(facts_of(trainer + "ds['validation'])\nft.train()\n").at("holdout_split"), 1);
  // Keras: validation_data of the test split is held out
  EXPECT_EQ(holdout("model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=5)"), 1);
  // an evaluation or development set, or rows kept back from the training arrays, is held out too
  EXPECT_EQ(holdout("booster = lgb.train(params, lgb_train, valid_sets=[lgb_train, lgb_eval])"), 1);
  EXPECT_EQ(holdout("model.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_dev, y_dev)])"), 1);
  EXPECT_EQ(holdout("model.fit(x_train[:-10000], y_train[:-10000], validation_data=(x_train[-10000:], "
                    "y_train[-10000:]))"),
            1);
}

// A frame built from a bundled toy data set is that toy data (by hand: iris is complete); a frame typed in
// by hand, or a file read beside it, is other data.
TEST(Facts, AFrameBuiltFromToyDataIsToyData) {
  const std::string load =
      "# %%\nimport pandas as pd\nfrom sklearn.datasets import load_iris\niris = load_iris()\n";
  EXPECT_EQ(
      facts_of(load + "df = pd.DataFrame(iris.data, columns=iris.feature_names)\n").at("builtin_data_only"),
      1);
  EXPECT_EQ(
      facts_of(load + "# %%\ndf = pd.DataFrame(iris.data)\ndf['y'] = iris.target\n").at("builtin_data_only"),
      1);
  EXPECT_EQ(facts_of("# %%\nX, y = make_classification(n_samples=200)\ndf = pd.DataFrame(X)\n")
                .at("builtin_data_only"),
            1);
  EXPECT_EQ(facts_of(load + "# %%\nextra = pd.DataFrame({'a': [1, None, 3]})\n").at("builtin_data_only"), 0);
  EXPECT_EQ(
      facts_of(load + "df = pd.DataFrame(iris.data)\nother = pd.read_csv('x.csv')\n").at("builtin_data_only"),
      0);
}

// A hold-out picked by a random permutation's first and last rows, or by a mask and its negation, is a split
// (by hand: each snippet puts some rows in a training part and the others in a test part).
TEST(Facts, HoldoutSplitByPermutationOrMask) {
  const auto split = [](const std::string& line) {
    return facts_of(
               "# %%\nimport numpy as np\nimport pandas as pd\ndf = pd.read_csv('w.csv')\nX = df.values\n# "
               "%%\n" +
               line + "\nmodel.fit(train)\n")
        .at("holdout_split");
  };
  EXPECT_EQ(split("idx = np.random.permutation(len(X))\nX_train, X_test = X[idx[:800]], X[idx[800:]]"), 1);
  EXPECT_EQ(split("msk = np.random.rand(len(df)) < 0.8\ntrain = df[msk]\ntest = df[~msk]"), 1);
  // columns picked by sliced labels, a mask that is no condition, a print of a part: no split
  EXPECT_EQ(split("X_train = df[df.columns[:5]]\nX_test = df[df.columns[5:]]"), 0);
  EXPECT_EQ(split("msk = make_mask(df)\ntrain = df[msk]\ntest = df[~msk]"), 0);
  EXPECT_EQ(split("msk = df.y > 0\nprint(df[msk])"), 0);
}

// derived_features holds where the feature_engineering rule sees derived features: a new column computed
// before the model is fitted, or a feature call; a column made after the fit (an output), a type change, or
// a column rewritten from itself alone is none (by hand from each snippet).
TEST(Facts, DerivedFeaturesAreTheRulesOwn) {
  const auto derived = [](const std::string& before, const std::string& after) {
    return facts_of("# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n" + before +
                    "\n# %%\nmodel = LogisticRegression().fit(df[cols], df.y)\n" + after + "\n")
        .at("derived_features");
  };
  EXPECT_EQ(derived("df['hour'] = (df.Time // 3600) % 24", ""), 1);
  EXPECT_EQ(derived("X = PolynomialFeatures(2).fit_transform(df[cols])", ""), 1);
  EXPECT_EQ(derived("df['amount'] = df['amount'].astype(float)", ""), 0);
  EXPECT_EQ(derived("", "# %%\ndf['pred'] = model.predict(df[cols])"), 0);
  EXPECT_EQ(derived("", "# %%\nimp = pd.Series(model.feature_importances_)"), 0);
  // new columns from other columns
  EXPECT_EQ(derived("df['bmi'] = df['weight'] / df['height'] ** 2", ""), 1);
  EXPECT_EQ(derived("df['ratio'] = df['debt'] / df.income", ""), 1);
  EXPECT_EQ(derived("df['log_fare'] = np.log1p(df['fare'])", ""), 1);
  // a column rewritten from itself alone, interpolated, or filled through a mask of its missing rows: no new
  // column
  EXPECT_EQ(derived("df['fare'] = np.log1p(df['fare'])", ""), 0);
  EXPECT_EQ(derived("df['sex'] = df['sex'].map({'male': 0, 'female': 1})", ""), 0);
  EXPECT_EQ(derived("df['sex'] = df.sex.map({'male': 0, 'female': 1})", ""), 0);
  EXPECT_EQ(derived("df[['a', 'b']] = scaler.fit_transform(df[['a', 'b']])", ""), 0);
  EXPECT_EQ(derived("df['temp'] = df['temp'].interpolate()", ""), 0);
  EXPECT_EQ(derived("df.loc[df['age'].isnull(), 'age'] = df['age'].median()", ""), 0);
  // one of the assigned columns from another: derived
  EXPECT_EQ(derived("df[['a', 'c']] = df[['a', 'b']] * 2", ""), 1);
  // a column added after a first model and before the next is fitted is a feature; a column of predictions is
  // an output
  EXPECT_EQ(derived("", "# %%\ndf['ratio'] = df.a / df.b\n# %%\nmodel2 = XGBRegressor().fit(df[cols], df.y)"),
            1);
  EXPECT_EQ(
      derived("", "# %%\ndf['pred'] = model.predict(df[cols])\n# %%\nm2 = XGBRegressor().fit(df[c], df.y)"),
      0);
  EXPECT_EQ(
      derived("",
              "# %%\ndf['cluster'] = KMeans(4).fit_predict(df[cols])\n# %%\nm2 = XGBRegressor().fit(df, y)"),
      1);
  // a column made from predictions between two fits is an output
  EXPECT_EQ(
      derived("",
              "# %%\nres['error'] = res['actual'] - res['pred']\n# %%\nm2 = XGBRegressor().fit(df[c], df.y)"),
      0);
  EXPECT_EQ(derived("", "# %%\nsub['target'] = y_pred\n# %%\nm2 = XGBRegressor().fit(df[c], df.y)"), 0);
  // another column read as an attribute: derived
  EXPECT_EQ(derived("df['Fare'] = df.Fare / df.FamilySize", ""), 1);
  EXPECT_EQ(derived("df['Age'] = df['Age'] * df.Pclass", ""), 1);
  EXPECT_EQ(derived("df['city'] = df.city.str.lower()", ""), 0);
  // where every model clusters, the cluster labels are the output
  EXPECT_EQ(facts_of("# %%\nimport pandas as pd\ndf = pd.read_csv('d.csv')\nkm = KMeans(4)\n"
                     "df['segment'] = km.fit_predict(df[cols])\n# %%\nkm.fit(df[cols])\n")
                .at("derived_features"),
            0);
}

// Spark's and NumPy's other spellings of a mean or a median, computed before the split and filled with, are
// a fill statistic before the split (by hand: each fills gaps with a statistic of all the rows).
TEST(Facts, SparkAndNumpyStatisticsFilledBeforeTheSplit) {
  const auto before = [](const std::string& fill) {
    return facts_of("# %%\ndf = spark.read.table('t')\n" + fill +
                    "\n# %%\ntrain, test = df.randomSplit([0.8, 0.2], seed=1)\nmodel = lr.fit(train)\n")
        .at("fill_before_split");
  };
  EXPECT_EQ(before("avg_age = df.select(F.avg('age')).first()[0]\ndf = df.na.fill({'age': avg_age})"), 1);
  EXPECT_EQ(before("med = df.approxQuantile('age', [0.5], 0.01)[0]\ndf = df.na.fill({'age': med})"), 1);
  EXPECT_EQ(before("df = df.na.fill({'age': 0})"), 0);  // a constant is no statistic of the data
  EXPECT_EQ(
      facts_of("# %%\nimport numpy as np\ndf = pd.read_csv('d.csv')\ndf['age'] = "
               "df['age'].fillna(np.nanmedian(df['age']))\n# %%\nX_train, X_test = train_test_split(df)\nm = "
               "LinearRegression().fit(X_train, y)\n")
          .at("fill_before_split"),
      1);
}

// A def handed the module predicts with it as it is written: its parameter called under torch.no_grad() or
// after .eval() (by hand: evaluate() runs the network on held-out batches without gradients). A def never
// called runs nothing (by hand: the uncalled evaluate()).
TEST(Facts, AnEvaluationDefPredictsWithTheModuleItIsHanded) {
  const std::string net =
      "# %%\nimport torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(4, 2))\nopt = "
      "torch.optim.Adam(net.parameters())\n";
  EXPECT_EQ(
      facts_of(net + "# %%\ndef evaluate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
                     "        for xb, yb in loader:\n            logits = model(xb)\n    return logits\n"
                     "# %%\nevaluate(net, test_loader)\n")
          .at("predicts"),
      1);
  // the parameter called while it trains (no eval(), gradients on) predicts nothing
  EXPECT_EQ(facts_of(net + "# %%\ndef step(model, xb, yb):\n    loss = loss_fn(model(xb), yb)\n    "
                           "loss.backward()\n# %%\nstep(net, xb, yb)\n")
                .at("predicts"),
            0);
  // a def never called runs nothing through its parameters
  const std::string evaluate =
      "# %%\ndef evaluate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
      "        for xb, yb in loader:\n            logits = model(xb)\n    return logits\n";
  EXPECT_EQ(facts_of(net + evaluate).at("predicts"), 0);
  // called in a loop over modules, from another def, or with what training returned: it predicts
  EXPECT_EQ(facts_of(net + evaluate + "# %%\nfor m in [net]:\n    evaluate(m, test_loader)\n").at("predicts"),
            1);
  EXPECT_EQ(
      facts_of(net + evaluate + "# %%\ndef run(clf):\n    return evaluate(clf, test_loader)\nrun(net)\n")
          .at("predicts"),
      1);
  // a parameter that bears the module's name is read as it
  EXPECT_EQ(facts_of(net + "# %%\ndef predict_all(net, loader):\n    net.eval()\n    with torch.no_grad():\n"
                           "        return [net(xb) for xb, _ in loader]\n")
                .at("predicts"),
            1);
  // handed by keyword
  EXPECT_EQ(facts_of(net + evaluate + "# %%\nout = evaluate(model=net, loader=test_loader)\n").at("predicts"),
            1);
}

// NumPy's NaN entries filled through a mask of the array tested are a fill (by hand: each line replaces X's
// NaNs); a mask of another array, a count of the NaNs, or a measure's NaNs zeroed fill nothing.
TEST(Facts, NumpyMaskFillsAreFills) {
  const auto cells = [](const std::string& line) {
    return facts_of("# %%\nimport numpy as np\nX = np.load('x.npy')\n" + line + "\n").at("imputation_cells");
  };
  EXPECT_EQ(cells("X[np.isnan(X)] = 0"), 1);
  EXPECT_EQ(cells("X[np.isnan(X)] = np.nanmedian(X)"), 1);
  EXPECT_EQ(cells("X = np.where(np.isnan(X), np.nanmean(X, axis=0), X)"), 1);
  EXPECT_EQ(cells("flags[np.isnan(X)] = 1"), 0);
  EXPECT_EQ(cells("n_missing = np.isnan(X).sum()"), 0);
  // a loss's or a score's NaNs zeroed fill no data; an array of numeric features or a size column is data
  EXPECT_EQ(cells("X_num[np.isnan(X_num)] = 0"), 1);
  EXPECT_EQ(cells("size = np.where(np.isnan(size), np.nanmedian(size), size)"), 1);
  EXPECT_EQ(cells("loss[torch.isnan(loss)] = 0"), 0);
  EXPECT_EQ(cells("val_scores = np.where(np.isnan(val_scores), 0, val_scores)"), 0);
}

// Recommenders, Spark ML's other models and imblearn's ensembles are estimators, each of a family (by hand:
// ALS, implicit's AlternatingLeastSquares and surprise's SVD factorise a user-item matrix, a recommender;
// surprise's KNNBasic is a nearest-neighbour model; Spark's LDA topic model is filed under clustering,
// FPGrowth mines association rules; EasyEnsemble is a bag of AdaBoost learners, boosting).
TEST(Facts, RecommendersSparkModelsAndImbalancedEnsemblesAreEstimators) {
  const auto fact = [](const std::string& code, const char* name) {
    return facts_of("# %%\nimport pandas as pd\n# %%\n" + code + "\n").at(name);
  };
  const std::string als =
      "als = ALS(userCol='userId', itemCol='movieId', ratingCol='rating')\nmodel = als.fit(training)\n"
      "recs = model.recommendForAllUsers(10)";
  EXPECT_EQ(fact(als, "trains_model"), 1);
  EXPECT_EQ(fact(als, "model_families"), 1);  // recommender
  EXPECT_EQ(fact(als, "predicts"), 1);        // recommendations for every user
  for (const char* model :
       {"fp = FPGrowth(itemsCol='items', minSupport=0.2)\nm = fp.fit(baskets)",
        "lda = LDA(k=10, maxIter=10)\nm = lda.fit(corpus)",
        "nb = NaiveBayes(smoothing=1.0, modelType='multinomial')\nm = nb.fit(df)",
        "mlp = MultilayerPerceptronClassifier(layers=[4, 5, 3], maxIter=100)\nm = mlp.fit(df)",
        "algo = SVD(random_state=0)\nalgo.fit(trainset)",
        "knn = KNNBasic(sim_options={'user_based': False})\n"
        "knn.fit(trainset)",
        "als = implicit.als.AlternatingLeastSquares(factors=64)\nals.fit(user_items)",
        "eec = EasyEnsembleClassifier(n_estimators=10)\neec.fit(X_train, y_train)"}) {
    EXPECT_EQ(fact(model, "trains_model"), 1) << model;
    EXPECT_EQ(fact(model, "model_families"), 1) << model;
  }
  EXPECT_EQ(fact("mlp = MultilayerPerceptronClassifier(layers=[4, 5, 3])\nm = mlp.fit(df)", "neural_network"),
            1);
  EXPECT_EQ(fact("nb = NaiveBayes()\nm = nb.fit(df)", "neural_network"), 0);
  // surprise: a test set's predictions, and two families compared (a factorisation and a neighbourhood
  // model)
  const std::string surprise =
      "algo = SVD()\nalgo.fit(trainset)\npredictions = algo.test(testset)\nknn = KNNBasic()\n"
      "knn.fit(trainset)";
  EXPECT_EQ(fact(surprise, "predicts"), 1);
  EXPECT_EQ(fact(surprise, "model_families"), 2);
  EXPECT_EQ(fact("algo = SVD()\nalgo.fit(trainset)", "predicts"), 0);
  EXPECT_EQ(
      fact("als = implicit.als.AlternatingLeastSquares()\nals.fit(ui)\nids, s = als.recommend(0, ui[0])",
           "predicts"),
      1);
  // an EasyEnsemble beside an AdaBoost model: one family
  EXPECT_EQ(fact("a = EasyEnsembleClassifier()\na.fit(X, y)\nb = AdaBoostClassifier()\nb.fit(X, y)",
                 "model_families"),
            1);
  // surprise's NormalPredictor draws random ratings: a baseline, no family
  const std::string normal = "base = NormalPredictor()\nbase.fit(trainset)";
  EXPECT_EQ(fact(normal, "baseline_model"), 1);
  EXPECT_EQ(fact(normal, "model_families"), 0);
  EXPECT_EQ(fact("algo = SVD()\nalgo.fit(trainset)", "baseline_model"), 0);
  // sklearn's TruncatedSVD and NumPy's svd are transforms, a name ending in ALS or LDA is none of Spark's
  for (const char* none :
       {"svd = TruncatedSVD(n_components=50)\nZ = svd.fit(X).transform(X)", "u, s, vt = np.linalg.svd(X)",
        "r = compute_ALS(x)\nr.fit(y)", "t = run_LDA(x)\nt.fit(y)"}) {
    EXPECT_EQ(fact(none, "trains_model"), 0) << none;
    EXPECT_EQ(fact(none, "model_families"), 0) << none;
  }
}

// Metrics of torchmetrics and Keras, more of sklearn's and Prophet's, each in its family by its definition
// (by hand: the error rate is one minus accuracy, the Jaccard index a function of F1, the DET curve the ROC
// curve's trade-off, the largest and the pinball error absolute errors, D-squared R-squared's kin, the
// Brier score a probability score as log loss is; a hinge loss and a deviance fit no family). A loss of
// Keras' that shares an error metric's name computes no metric.
TEST(Facts, MetricsOfTorchmetricsKerasAndMoreOfSklearn) {
  const auto facts = [](const std::string& code) {
    return facts_of("# %%\nimport pandas as pd\n# %%\n" + code + "\n");
  };
  const auto expect = [&](const std::string& code, int cells, int kinds) {
    const auto f = facts(code);
    EXPECT_EQ(f.at("metric_cells"), cells) << code;
    EXPECT_EQ(f.at("metric_kinds"), kinds) << code;
  };
  expect("auc = torchmetrics.AUROC(task='binary')\nprint(auc(p, y))", 1, 1);
  expect("auc = BinaryAUROC()\nacc = BinaryAccuracy()\nprint(auc(p, y), acc(p, y))", 1, 2);
  expect("acc = torchmetrics.Accuracy(task='binary')\nprint(acc(p, y))", 1, 1);
  expect(
      "f1 = F1Score(task='multiclass', num_classes=3)\ncm = ConfusionMatrix(task='multiclass', "
      "num_classes=3)",
      1, 2);
  expect("mse = MeanSquaredError()\nprint(mse(p, y))", 1, 1);
  expect(
      "from torchmetrics.functional import accuracy\nprint(accuracy(p, y, task='multiclass', "
      "num_classes=10))",
      1, 1);
  // the functional accuracy and sklearn's accuracy_score are one family
  expect("print(accuracy_score(y, p))\nprint(accuracy(p, y, task='binary'))", 1, 1);
  // AveragePrecision is PR-AUC, no precision
  expect("ap = AveragePrecision(task='binary')", 1, 1);
  EXPECT_EQ(
      facts("ap = AveragePrecision(task='binary')\nprint(average_precision_score(y, s))").at("metric_kinds"),
      1);
  // Keras: precision and recall one family, AUC the ROC curve's unless curve='PR'
  expect(
      "model.compile(optimizer='adam', loss='binary_crossentropy',\n"
      "              metrics=[keras.metrics.Precision(), keras.metrics.Recall(), keras.metrics.AUC()])",
      1, 2);
  expect("m = [keras.metrics.AUC(curve='PR')]", 1, 1);
  EXPECT_EQ(facts("m = [keras.metrics.AUC(curve='PR')]\nprint(roc_auc_score(y, s))").at("metric_kinds"), 2);
  // sklearn: each beside a metric of its family is one kind; hinge loss and deviances are of no family
  for (const char* same :
       {"print(zero_one_loss(y, p), accuracy_score(y, p))", "print(hamming_loss(y, p), accuracy_score(y, p))",
        "print(jaccard_score(y, p), f1_score(y, p))", "print(det_curve(y, s), roc_auc_score(y, s))",
        "print(max_error(y, p), mean_absolute_error(y, p))",
        "print(mean_pinball_loss(y, p, alpha=0.9), mean_absolute_error(y, p))",
        "print(d2_absolute_error_score(y, p), r2_score(y, p))",
        "print(brier_score_loss(y, s), log_loss(y, s))",
        "print(ndcg_score(y, s), dcg_score(y, s), coverage_error(y, s))"})
    expect(same, 1, 1);
  for (const char* none :
       {"print(hinge_loss(y, d))", "print(mean_poisson_deviance(y, p))", "print(mean_gamma_deviance(y, p))",
        "print(mean_tweedie_deviance(y, p, power=1.5))"})
    expect(none, 1, 0);
  expect("print(ndcg_score(y, s), roc_auc_score(y, s))", 1, 2);  // ranking is a family of its own
  // surprise's accuracy module: RMSE and MAE
  expect("accuracy.rmse(predictions)\naccuracy.mae(predictions)", 1, 2);
  // no metric: Keras' losses, a helper's name, a def, a string's text
  expect("model.compile(optimizer='adam', loss=keras.losses.MeanSquaredError())", 0, 0);
  expect("model.compile(loss=MeanAbsoluteError(), optimizer='adam')", 0, 0);
  expect("loss_fn = MeanSquaredError()", 0, 0);
  expect("acc = get_accuracy(model)", 0, 0);
  expect("def accuracy(y, p):\n    return 0", 0, 0);
  expect("plt.ylabel('Precision(%)')", 0, 0);
  // Prophet: its cross_validation cross-validates, performance_metrics computes metrics (a table of
  // several, of no family by itself)
  const auto prophet = facts(
      "from prophet.diagnostics import cross_validation, performance_metrics\n"
      "df_cv = cross_validation(m, initial='730 days', period='90 days', horizon='90 days')\n# %%\n"
      "df_p = performance_metrics(df_cv)");
  EXPECT_EQ(prophet.at("cross_validation"), 1);
  EXPECT_EQ(prophet.at("metric_cells"), 1);
  EXPECT_EQ(prophet.at("metric_kinds"), 0);
  EXPECT_EQ(facts("df_cv = cross_validation(m, horizon='30 days')").at("cross_validation"), 1);
  // a cross_validation of the notebook's own, neither Prophet's import nor a horizon: no cross-validation
  EXPECT_EQ(
      facts("def cross_validation(model, X, y):\n    return 0\n\nscores = cross_validation(model, X, y)")
          .at("cross_validation"),
      0);
}

// Keras Tuner's search builds and fits the models it tries: a hyperparameter search that trains (by hand:
// the hypermodel is a Keras Sequential, fitted by the tuner's search, whatever the tuner's name). A tuner
// built and never searched trains nothing, nor does another name's `.search(`. skopt's BayesSearchCV is a
// cross-validated search, as GridSearchCV is; bayes_opt's BayesianOptimization a search without folds.
TEST(Facts, KerasTunerSearchesTrainAndTune) {
  const std::string hypermodel =
      "# %%\nimport re\nimport keras_tuner as kt\nfrom tensorflow import keras\n\ndef build_model(hp):\n"
      "    model = keras.Sequential([keras.layers.Dense(hp.Int('units', 32, 512, step=32), "
      "activation='relu'),\n"
      "                              keras.layers.Dense(10, activation='softmax')])\n"
      "    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
      "    return model\n# %%\n";
  for (const char* search :
       {"tuner = kt.Hyperband(build_model, objective='val_accuracy', max_epochs=10)\n"
        "tuner.search(x_train, y_train, validation_split=0.2)",
        "rs = kt.RandomSearch(build_model, objective='val_loss', max_trials=5)\nrs.search(x_train, y_train)",
        "bo = kt.BayesianOptimization(build_model, objective='val_loss', max_trials=10)\nbo.search(x, y)"}) {
    const auto f = facts_of(hypermodel + search + "\n");
    EXPECT_EQ(f.at("tuning"), 1) << search;
    EXPECT_EQ(f.at("trains_model"), 1) << search;
    EXPECT_EQ(f.at("neural_network"), 1) << search;
  }
  const auto built = facts_of(hypermodel + "tuner = kt.Hyperband(build_model, objective='val_accuracy')\n");
  EXPECT_EQ(built.at("tuning"), 1);
  EXPECT_EQ(built.at("trains_model"), 0);
  for (const char* other : {"m = re.search('a', s)", "hits = index.search(query)"}) {
    const auto f = facts_of(hypermodel + other + "\n");
    EXPECT_EQ(f.at("trains_model"), 0) << other;
    EXPECT_EQ(f.at("tuning"), 0) << other;
  }
  const auto bayes = facts_of(
      "# %%\nfrom skopt import BayesSearchCV\nopt = BayesSearchCV(SVC(), {'C': (1e-6, 1e+6, "
      "'log-uniform')}, "
      "n_iter=32)\nopt.fit(X_train, y_train)\n");
  EXPECT_EQ(bayes.at("cross_validation"), 1);
  EXPECT_EQ(bayes.at("tuning"), 1);
  EXPECT_EQ(bayes.at("trains_model"), 1);
  const auto black_box = facts_of(
      "# %%\nfrom bayes_opt import BayesianOptimization\nopt = BayesianOptimization(f=black_box, "
      "pbounds=bounds)\nopt.maximize(n_iter=10)\n");
  EXPECT_EQ(black_box.at("tuning"), 1);
  EXPECT_EQ(black_box.at("cross_validation"), 0);
  EXPECT_EQ(black_box.at("trains_model"), 0);
}

// sktime's forecasters are time-series models, its NaiveForecaster a baseline; the series sktime and
// pmdarima ship are bundled toy data, while yfinance, pandas-datareader and surprise's loaders read data
// that is not (surprise's load_builtin downloads MovieLens on first use). By hand, from each library's
// docs.
TEST(Facts, SktimeForecastersAndMoreDataLoads) {
  const auto airline = facts_of(
      "# %%\nfrom sktime.datasets import load_airline\nfrom sktime.forecasting.ets import AutoETS\n"
      "y = load_airline()\n# %%\nets = AutoETS(auto=True, sp=12)\nets.fit(y_train)\ny_pred = "
      "ets.predict(fh)\n");
  EXPECT_EQ(airline.at("loads_data"), 1);
  EXPECT_EQ(airline.at("builtin_data_only"), 1);
  EXPECT_EQ(airline.at("trains_model"), 1);
  EXPECT_EQ(airline.at("model_families"), 1);  // time series
  EXPECT_EQ(airline.at("predicts"), 1);
  const auto fact = [](const std::string& code, const char* name) {
    return facts_of("# %%\nimport pandas as pd\n# %%\n" + code + "\n").at(name);
  };
  for (const char* model : {"f = ThetaForecaster(sp=12)\nf.fit(y_train)", "f = TBATS(sp=12)\nf.fit(y_train)",
                            "f = BATS(sp=12)\nf.fit(y_train)", "f = STLForecaster(sp=12)\nf.fit(y_train)",
                            "f = PolynomialTrendForecaster(degree=1)\nf.fit(y_train)",
                            "f = Croston(smoothing=0.1)\nf.fit(y_train)"}) {
    EXPECT_EQ(fact(model, "trains_model"), 1) << model;
    EXPECT_EQ(fact(model, "model_families"), 1) << model;
  }
  // the naive forecaster is a baseline, no family; beside a forecaster it is one
  const std::string naive = "n = NaiveForecaster(strategy='last', sp=12)\nn.fit(y_train)";
  EXPECT_EQ(fact(naive, "trains_model"), 1);
  EXPECT_EQ(fact(naive, "model_families"), 0);
  EXPECT_EQ(fact(naive, "baseline_model"), 1);
  EXPECT_EQ(fact(naive + "\nf = ThetaForecaster(sp=12)\nf.fit(y_train)", "model_families"), 1);
  EXPECT_EQ(fact("f = ThetaForecaster(sp=12)\nf.fit(y_train)", "baseline_model"), 0);
  EXPECT_EQ(
      fact("ets = AutoETS(sp=12)\nets.fit(y_train)\nxgb = XGBRegressor()\nxgb.fit(X, y)", "model_families"),
      2);
  // a forecasting horizon is no model; a name ending in BATS is no tbats model
  for (const char* none :
       {"fh = ForecastingHorizon(y_test.index, is_relative=False)", "s = compute_BATS(y)\ns.fit(y)"})
    EXPECT_EQ(fact(none, "trains_model"), 0) << none;
  // data: bundled series, and loads of data that is not bundled
  for (const char* bundled : {"y = load_shampoo_sales()", "y = pm.datasets.load_wineind()"}) {
    const auto f = facts_of(std::string("# %%\n") + bundled + "\n");
    EXPECT_EQ(f.at("loads_data"), 1) << bundled;
    EXPECT_EQ(f.at("builtin_data_only"), 1) << bundled;
  }
  for (const char* load :
       {"px = yf.download('AAPL', start='2018-01-01')", "rates = pdr.DataReader('GS10', 'fred', start)",
        "data = Dataset.load_builtin('ml-100k')",
        "data = Dataset.load_from_df(ratings[['userId', 'movieId', 'rating']], reader)"}) {
    const auto f = facts_of(std::string("# %%\n") + load + "\n");
    EXPECT_EQ(f.at("loads_data"), 1) << load;
    EXPECT_EQ(f.at("builtin_data_only"), 0) << load;
  }
  // a bundled series beside downloaded prices: not every load is bundled
  EXPECT_EQ(facts_of("# %%\ny = load_airline()\n# %%\npx = yf.download('AAPL')\n").at("builtin_data_only"),
            0);
}

// Deep-learning checkpoints save a model's weights, and reading one back loads the model (by hand: Keras'
// ModelCheckpoint callback writes the model or its weights as it trains, save_weights and Lightning's
// save_checkpoint write them; load_from_checkpoint and load_weights read them). Reading the weights in
// memory saves and loads nothing.
TEST(Facts, DeepLearningCheckpointsSaveAndLoadTheModel) {
  const auto fact = [](const std::string& code, const char* name) {
    return facts_of("# %%\nimport torch\nfrom tensorflow import keras\n# %%\n" + code + "\n").at(name);
  };
  for (const char* save :
       {"cb = keras.callbacks.ModelCheckpoint('best.keras', save_best_only=True)\nmodel.fit(X, y, "
        "callbacks=[cb])",
        "model.save_weights('model.weights.h5')", "trainer.save_checkpoint('final.ckpt')"}) {
    EXPECT_EQ(fact(save, "persists_model"), 1) << save;
    EXPECT_EQ(fact(save, "persists_with_pickle"), 0) << save;  // no pickle, no model.save(
  }
  for (const char* load :
       {"model = LitCredit.load_from_checkpoint('best.ckpt')", "model.load_weights('model.weights.h5')"})
    EXPECT_EQ(fact(load, "loads_model"), 1) << load;
  for (const char* none : {"w = model.get_weights()", "model.set_weights(w)", "ckpt_dir = 'checkpoints/'"}) {
    EXPECT_EQ(fact(none, "persists_model"), 0) << none;
    EXPECT_EQ(fact(none, "loads_model"), 0) << none;
  }
}

// Early stopping configured, and turned off (by hand: `early_stopping=False` and `early_stopping_rounds=None`
// are the libraries' ways of not stopping early; "auto" lets HistGradientBoosting stop early on large data;
// CatBoost's overfitting detector stops after od_wait rounds without improvement).
TEST(Facts, EarlyStoppingTurnedOffIsNone) {
  const auto fact = [](const std::string& code) {
    return facts_of("# %%\nimport pandas as pd\n# %%\n" + code + "\n").at("early_stopping");
  };
  for (const char* on :
       {"m = MLPClassifier(early_stopping=True)", "m = XGBClassifier(early_stopping_rounds=50)",
        "cb = keras.callbacks.EarlyStopping(monitor='val_loss', patience=3)",
        "b = lgb.train(params, d, callbacks=[lgb.early_stopping(50)])",
        "params = {'early_stopping_rounds': 20}", "m = HistGradientBoostingClassifier(early_stopping='auto')",
        "m = GradientBoostingClassifier(n_iter_no_change=10)",
        "trainer = Trainer(model=m, args=args, callbacks=[EarlyStoppingCallback()])",
        "m = CatBoostClassifier(od_type='Iter', od_wait=40)", "params = {'od_type': 'Iter', 'od_wait': 40}"})
    EXPECT_EQ(fact(on), 1) << on;
  for (const char* off :
       {"m = MLPClassifier(early_stopping=False)", "m = XGBClassifier(early_stopping_rounds=None)",
        "m = SGDClassifier(early_stopping = False)", "params = {'early_stopping_rounds': None}",
        "m = GradientBoostingClassifier(n_iter_no_change=None)",
        "m = HistGradientBoostingClassifier(early_stopping=False)", "m = CatBoostClassifier(od_wait=None)"})
    EXPECT_EQ(fact(off), 0) << off;
  // turned off for one model, on for another
  EXPECT_EQ(
      fact("m = MLPClassifier(early_stopping=False)\n# %%\nx = XGBClassifier(early_stopping_rounds=30)"), 1);
}

// A plot of labels minus predictions is a residual plot (by hand: each plots y - y_pred, against the
// predictions, as a histogram, or over the rows); a plot of predictions against labels, of a difference of
// two predictions, of no prediction, or of one minus a probability shows no residuals.
TEST(Facts, APlotOfLabelsMinusPredictionsShowsResiduals) {
  const auto kinds = [](const std::string& code) {
    return facts_of("# %%\nimport matplotlib.pyplot as plt\n# %%\n" + code + "\n").at("metric_kinds");
  };
  for (const char* plot :
       {"plt.scatter(y_pred, y_test - y_pred, s=8)", "plt.hist(y - model.predict(X), bins=30)",
        "sns.histplot(x=df['y'] - df['pred'])", "ax.scatter(yhat, y_valid.values - yhat)",
        "(y_test - y_pred).plot(kind='hist')", "plt.plot(test.index, test['y'] - preds['yhat'])"})
    EXPECT_EQ(kinds(plot), 1) << plot;  // residuals
  for (const char* none :
       {"plt.scatter(y_test, y_pred)", "plt.plot(t, upper_pred - lower_pred)",
        "plt.scatter(X[:, 0] - offset, y)", "plt.hist(1 - y_pred_proba)", "plt.plot(x, y_pred - sigma, '--')",
        "plt.plot(-y_pred)", "plt.title('y - y_pred')", "e = y_test - y_pred"})
    EXPECT_EQ(kinds(none), 0) << none;
  // beside an error metric: two kinds
  EXPECT_EQ(kinds("print(mean_squared_error(y_test, y_pred))\nplt.scatter(y_pred, y_test - y_pred)"), 2);
}

// Review cases (session 29): each value by hand from the snippet.
TEST(Facts, ReviewedCasesOfThisSessionsFacts) {
  auto shows = [](const std::string& code, const std::string& out) {
    return scoring::notebook_facts(with_output(code, out)).at("shows_no_missing");
  };
  // a header printed before two counts shown at once: 177 ages missing in train, so no "none missing"
  EXPECT_EQ(
      shows("print('Missing values (train, then test):')\ndisplay(train.isnull().sum(), "
            "test.isnull().sum())",
            "Missing values (train, then test):\nAge    177\nFare     0\ndtype: int64\nAge    0\nFare   "
            "0\ndtype: int64"),
      0);
  // a count shown by its name on the last line is still read: all zeros
  EXPECT_EQ(shows("missing = df.isnull().sum()\nprint(df.dtypes)\nmissing",
                  "age    int64\ndtype: object\nage    0\nprice    0\ndtype: int64"),
            1);
  // a name assigned toy data and then real data is no toy data
  EXPECT_EQ(
      facts_of("# %%\ndata = load_iris()\n# %%\nwith open('survey.json') as f:\n    data = json.load(f)\ndf "
               "= pd.DataFrame(data)\n")
          .at("builtin_data_only"),
      0);
  // a booster assigned to its weak learner's name: one family, boosting
  EXPECT_EQ(facts_of("# %%\nmodel = DecisionTreeClassifier(max_depth=1)\nmodel = AdaBoostClassifier(model, "
                     "n_estimators=100)\nmodel.fit(X, y)\n")
                .at("model_families"),
            1);
  // 255 rescales an array only when it divides that array
  EXPECT_EQ(facts_of("# %%\nx_train /= 255\n").at("scaling"), 1);
  EXPECT_EQ(facts_of("# %%\nsize_mb = df.memory_usage().sum() / 2550\n").at("scaling"), 0);
  EXPECT_EQ(facts_of("# %%\nblue = (31 / 255, 119 / 255, 180 / 255)\n").at("scaling"), 0);
  EXPECT_EQ(facts_of("# %%\npct = (df.x.max() - df.x.mean()) / df.x.mean()\n").at("scaling"), 0);
  // a label array named Y is a name, not a constant: accuracy by hand
  EXPECT_EQ(facts_of("# %%\ny_pred = model.predict(X)\nacc = np.mean(y_pred == Y)\n").at("metric_cells"), 1);
}
