// SPDX-License-Identifier: MIT
// The heuristic judge's rules on tiny notebooks built here. Every expected score was worked out by hand from
// the rubric text (rubrics/ml-notebook.yaml, same meaning as ../shared/reference/ml-notebook-rubric.md); the
// comment above each test quotes the rubric sentence it checks.
#include "judge/scoring/heuristic_rules.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/heuristic.hpp"
#include "judge/scoring/heuristic_facts.hpp"
#include "judge/util/error.hpp"

namespace judge::scoring {
namespace {

using notebook::Cell;
using notebook::CellType;
using notebook::Notebook;

/// A notebook from (type, source) pairs, numbered from 1.
Notebook make(std::initializer_list<std::pair<CellType, std::string>> cells) {
  Notebook nb;
  nb.path = "test.ipynb";
  nb.format = notebook::Format::ipynb;
  nb.language = "python";
  int n = 0;
  for (const auto& [type, source] : cells) {
    Cell c;
    c.number = ++n;
    c.type = type;
    c.source = source;
    nb.cells.push_back(c);
  }
  return nb;
}

Cell& with_error(Notebook& nb, int number, const std::string& ename, const std::string& evalue) {
  Cell& c = nb.cells.at(number - 1);
  notebook::Output o;
  o.kind = "error";
  o.text = ename + ": " + evalue;
  o.ename = ename;
  o.evalue = evalue;
  c.outputs.push_back(o);
  return c;
}

Cell& with_stdout(Notebook& nb, int number, const std::string& text) {
  Cell& c = nb.cells.at(number - 1);
  notebook::Output o;
  o.kind = "stream";
  o.text = text;
  c.outputs.push_back(o);
  return c;
}

const Verdict& verdict(const std::vector<Verdict>& all, const std::string& dimension) {
  for (const auto& v : all)
    if (v.dimension == dimension) return v;
  throw std::runtime_error("no verdict for " + dimension);
}

std::vector<Verdict> judge(const Notebook& nb) { return rule_verdicts(nb, rubric::default_rubric()); }

constexpr auto md = CellType::markdown;
constexpr auto code = CellType::code;

// A small, well-made classification notebook, used as the base of several tests.
Notebook good_notebook() {
  return make({
      {md, "# Churn model\nPredict churn from tenure and contract; churned is the target we want to catch."},
      {code, "%pip install mlflow==2.14.1"},
      {code,
       "import joblib\nimport mlflow\nimport pandas as pd\nfrom sklearn.pipeline import Pipeline\n"
       "from sklearn.compose import ColumnTransformer\nfrom sklearn.impute import SimpleImputer\n"
       "from sklearn.preprocessing import OneHotEncoder\nfrom sklearn.dummy import DummyClassifier\n"
       "from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.model_selection import "
       "GridSearchCV, train_test_split\nfrom sklearn.metrics import roc_auc_score, confusion_matrix, "
       "classification_report"},
      {md, "## Explore"},
      {code, "df = pd.read_csv('churn.csv')\ndf.info()\ndf.describe()\ndf.isnull().sum()"},
      {code, "df['churned'].value_counts()\ndf.groupby('contract')['churned'].mean()"},
      {md,
       "We can see that churn is imbalanced and monthly contracts churn more; tenure has a few missing "
       "values that we impute inside the pipeline."},
      {md, "## Train"},
      {code,
       "X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)\n"
       "prep = ColumnTransformer([('num', SimpleImputer(strategy='median'), ['tenure']),\n"
       "    ('cat', OneHotEncoder(handle_unknown='ignore'), ['contract'])])\n"
       "pipe = Pipeline([('prep', prep), ('model', RandomForestClassifier(random_state=0))])\n"
       "base = DummyClassifier().fit(X_train, y_train)\n"
       "search = GridSearchCV(pipe, {'model__max_depth': [3, 5]}, cv=5).fit(X_train, y_train)"},
      {md, "## Evaluate"},
      {code,
       "pred = search.predict(X_test)\nprint(roc_auc_score(y_test, search.predict_proba(X_test)[:, 1]))\n"
       "print(confusion_matrix(y_test, pred))\nprint(classification_report(y_test, pred))"},
      {md, "The forest's ROC-AUC and recall on churners are clearly better than the baseline's score."},
      {md, "## Track, save and reuse"},
      {code,
       "mlflow.set_experiment('churn')\nwith mlflow.start_run():\n    "
       "mlflow.log_params(search.best_params_)\n"
       "    mlflow.log_metric('auc', 0.8)\n    mlflow.sklearn.log_model(search.best_estimator_, 'model', "
       "input_example=X_train.head())"},
      {code,
       "joblib.dump(search.best_estimator_, 'm.joblib')\nm = joblib.load('m.joblib')\n"
       "m.predict(new_customers)"},
  });
}

// Level 3 of every dimension: each sentence of the rubric's "good" level is present in good_notebook().
TEST(HeuristicRules, WellMadeNotebookScoresThreeEverywhere) {
  const auto all = judge(good_notebook());
  ASSERT_EQ(all.size(), 9u);
  for (const auto& v : all) {
    EXPECT_EQ(v.status, Status::scored) << v.dimension;
    EXPECT_EQ(v.score, 3.0) << v.dimension << ": " << v.rationale;
    EXPECT_FALSE(v.rationale.empty()) << v.dimension;
  }
}

// The rubric's 3 for exploration covers missingness: with shape, summary statistics, a distribution and
// findings but no look at missing values it is 2; an info() (non-null counts per column) or a count of
// missing values makes it 3.
TEST(HeuristicRules, ExplorationWithoutMissingValuesIsTwo) {
  auto explored = [](const std::string& look) {
    return judge(make({
        {code, "import pandas as pd\nfrom sklearn.linear_model import LinearRegression"},
        {code, "df = pd.read_csv('rent.csv')\nprint(df.shape)\ndf.describe()" + look},
        {code, "df['rent'].hist()"},
        {md,
         "We can see that rent is skewed to the right, with a long tail of very expensive flats in the "
         "centre."},
        {code,
         "X_train, X_test, y_train, y_test = train_test_split(X, y)\nm = LinearRegression().fit(X_train, "
         "y_train)"},
    }));
  };
  const auto without = verdict(explored(""), "exploratory_data_analysis");
  EXPECT_EQ(without.score, 2.0) << without.rationale;
  EXPECT_NE(without.rationale.find("missing values are not looked at"), std::string::npos)
      << without.rationale;
  EXPECT_EQ(verdict(explored("\ndf.info()"), "exploratory_data_analysis").score, 3.0);
  EXPECT_EQ(verdict(explored("\ndf.isna().sum()"), "exploratory_data_analysis").score, 3.0);
  // An info() in a cell of its own whose only output is an error showed no gaps: still 2.
  auto failed_info = make({
      {code, "import pandas as pd\nfrom sklearn.linear_model import LinearRegression"},
      {code, "frame.info()"},
      {code, "df = pd.read_csv('rent.csv')\nprint(df.shape)\ndf.describe()"},
      {code, "df['rent'].hist()"},
      {md,
       "We can see that rent is skewed to the right, with a long tail of very expensive flats in the "
       "centre."},
      {code,
       "X_train, X_test, y_train, y_test = train_test_split(X, y)\nm = LinearRegression().fit(X_train, "
       "y_train)"},
  });
  with_error(failed_info, 2, "NameError", "name 'frame' is not defined");
  EXPECT_EQ(verdict(judge(failed_info), "exploratory_data_analysis").score, 2.0);
}

// A look that raised shows nothing: a plot whose only output is a NameError explores nothing (1); the same
// plot with its figure shown, or with no outputs at all (a notebook saved without them), is a plot (2).
TEST(HeuristicRules, ExplorationThatFailedShowsNothing) {
  auto with_plot_output = [](const std::string& kind) {
    auto nb = make({
        {code, "import pandas as pd\nfrom sklearn.linear_model import LinearRegression"},
        {code, "df = pd.read_csv('rent.csv')"},
        {code, "stats.plot(kind='scatter', x='gdp', y='rent')"},
        {code, "m = LinearRegression().fit(X, y)"},
    });
    if (kind == "error") with_error(nb, 3, "NameError", "name 'stats' is not defined");
    if (kind == "figure") with_stdout(nb, 3, "<Axes: xlabel='gdp', ylabel='rent'>");
    return verdict(judge(nb), "exploratory_data_analysis");
  };
  EXPECT_EQ(with_plot_output("error").score, 1.0) << with_plot_output("error").rationale;
  EXPECT_EQ(with_plot_output("figure").score, 2.0) << with_plot_output("figure").rationale;
  EXPECT_EQ(with_plot_output("none").score, 2.0) << with_plot_output("none").rationale;
}

// N/A rules: "The notebook contains no code" (library), "The notebook is empty" (cells), model dimensions
// N/A when no model is trained.
TEST(HeuristicRules, EmptyNotebookIsNotApplicableEverywhere) {
  const auto all = judge(make({}));
  for (const auto& v : all) EXPECT_EQ(v.status, Status::not_applicable) << v.dimension;
}

TEST(HeuristicRules, MarkdownOnlyNotebookScoresOnlyOrganisation) {
  const auto all =
      judge(make({{md, "# Decision trees\nA short introduction to trees, with no code at all here."}}));
  for (const auto& v : all) {
    if (v.dimension == "cell_organization")
      EXPECT_EQ(v.status, Status::scored);
    else
      EXPECT_EQ(v.status, Status::not_applicable) << v.dimension;
  }
}

// "No model is trained" -> N/A for feature engineering, training, use, metrics and MLflow.
TEST(HeuristicRules, ExplorationOnlyNotebookHasNoModelDimensions) {
  const auto all = judge(make({{code, "import pandas as pd\ndf = pd.read_csv('sales.csv')\ndf.describe()"}}));
  for (const char* d :
       {"feature_engineering", "model_training", "model_use", "metrics_evaluation", "mlflow_logging"})
    EXPECT_EQ(verdict(all, d).status, Status::not_applicable) << d;
  EXPECT_EQ(verdict(all, "exploratory_data_analysis").status, Status::scored);
}

// Imputation level 2: "statistics over the full data before the split"; the rationale cites both cells.
TEST(HeuristicRules, ImputationBeforeSplitIsALeakageRisk) {
  const auto all = judge(make({
      {code,
       "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
       "from sklearn.linear_model import LinearRegression"},
      {code, "df = pd.read_csv('houses.csv')\ndf.isnull().sum()"},
      {code, "df['area'] = df['area'].fillna(df['area'].median())"},
      {code,
       "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)\n"
       "LinearRegression().fit(X_train, y_train)"},
  }));
  const auto& v = verdict(all, "data_imputation");
  EXPECT_EQ(v.score, 2.0) << v.rationale;
  EXPECT_NE(v.rationale.find("cell 3"), std::string::npos) << v.rationale;
  EXPECT_NE(v.rationale.find("cell 4"), std::string::npos) << v.rationale;
}

// The same fill on a line above the split in the split's own cell leaks too; below the split it does not.
TEST(HeuristicRules, ImputationAboveTheSplitInItsCellIsALeakageRisk) {
  const auto cells = [](const std::string& split_cell) {
    return judge(make({
        {code,
         "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
         "from sklearn.linear_model import LinearRegression"},
        {code, "df = pd.read_csv('houses.csv')\ndf.isnull().sum()"},
        {code, split_cell + "\nLinearRegression().fit(X_train, y_train)"},
    }));
  };
  const auto above = cells(
      "df['area'] = df['area'].fillna(df['area'].median())\n"
      "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)");
  const auto& v = verdict(above, "data_imputation");
  EXPECT_EQ(v.score, 2.0) << v.rationale;
  EXPECT_NE(v.rationale.find("cell 3: fill statistics computed before the split (above it in the same cell)"),
            std::string::npos)
      << v.rationale;
  const auto below = cells(
      "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)\n"
      "X_train['area'] = X_train['area'].fillna(X_train['area'].median())");
  EXPECT_EQ(verdict(below, "data_imputation").score, 3.0) << verdict(below, "data_imputation").rationale;
}

// Clustering is fitted on all the data and scored on it by design: no "fitted on all the data" 1 on training
// or metrics, as a supervised model fitted the same way gets (rubric 1: "training and evaluation on the same
// data").
TEST(HeuristicRules, ClusteringNeedsNoHoldout) {
  const std::string load = "import pandas as pd\ndf = pd.read_csv('customers.csv')\ndf.isnull().sum()";
  const auto clusters = judge(make({
      {code, load},
      {code,
       "from sklearn.cluster import KMeans\nfrom sklearn.metrics import silhouette_score\n"
       "km = KMeans(n_clusters=4, random_state=0).fit(X)\nsilhouette_score(X, km.labels_)"},
  }));
  const auto& training = verdict(clusters, "model_training");
  EXPECT_EQ(training.score, 2.0) << training.rationale;
  EXPECT_NE(training.rationale.find("clustering, fitted on all the data"), std::string::npos)
      << training.rationale;
  EXPECT_EQ(verdict(clusters, "metrics_evaluation").score, 2.0)
      << verdict(clusters, "metrics_evaluation").rationale;
  const auto regression = judge(make({
      {code, load},
      {code,
       "from sklearn.linear_model import LinearRegression\nfrom sklearn.metrics import r2_score\n"
       "m = LinearRegression().fit(X, y)\nr2_score(y, m.predict(X))"},
  }));
  EXPECT_EQ(verdict(regression, "model_training").score, 1.0);
  EXPECT_EQ(verdict(regression, "metrics_evaluation").score, 1.0);
}

// The first two cells of the metrics tests below: data loaded, a logistic regression fitted on a split.
constexpr const char* kLoadChurn = "import pandas as pd\ndf = pd.read_csv('churn.csv')";
constexpr const char* kSplitAndFit =
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
    "model = LogisticRegression().fit(X_train, y_train)";

// metrics_evaluation 3 asks for several metrics on held-out data "compared or interpreted" (rubric): an
// exercise after the metrics that asks for an interpretation is none (as the metrics_interpreted fact reads
// it), so three metric families (accuracy, F1, ROC-AUC) with only an exercise after them score 2; with a
// written conclusion, 3.
TEST(HeuristicRules, AnExerciseIsNoInterpretationOfMetrics) {
  auto with_markdown = [&](const std::string& text) {
    return judge(make({
        {code, kLoadChurn},
        {code, kSplitAndFit},
        {code,
         "from sklearn.metrics import accuracy_score, f1_score, roc_auc_score\n"
         "pred = model.predict(X_test)\nprint(accuracy_score(y_test, pred), f1_score(y_test, pred))\n"
         "print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))"},
        {md, text},
    }));
  };
  const auto exercise = with_markdown(
      "Exercise 3: compute the accuracy and discuss the ROC-AUC of the model "
      "on the test set.");
  EXPECT_EQ(verdict(exercise, "metrics_evaluation").score, 2.0)
      << verdict(exercise, "metrics_evaluation").rationale;
  const auto conclusion = with_markdown(
      "The accuracy of 0.84 is better than the baseline of 0.62, so the model "
      "has learnt something real.");
  EXPECT_EQ(verdict(conclusion, "metrics_evaluation").score, 3.0)
      << verdict(conclusion, "metrics_evaluation").rationale;
}

// metrics_evaluation 2 for one metric family (accuracy) on held-out data, though a markdown cell interprets
// it: the rationale names what is missing for a 3 (several metrics), not an interpretation it has.
TEST(HeuristicRules, InterpretedFewMetricsSayWhatIsMissing) {
  const auto v = judge(make({
      {code, kLoadChurn},
      {code, kSplitAndFit},
      {code,
       "from sklearn.metrics import accuracy_score\nprint(accuracy_score(y_test, model.predict(X_test)))"},
      {md,
       "The accuracy of 0.84 is better than the baseline of 0.62, so the model has learnt something real."},
  }));
  const auto& m = verdict(v, "metrics_evaluation");
  EXPECT_EQ(m.score, 2.0) << m.rationale;
  EXPECT_EQ(m.rationale,
            "cell 3: metrics (accuracy); interpreted in markdown, but few metrics (fewer than three kinds)");
}

// Imputation N/A: "the data has no missing values and the notebook checks or states it" (rubric). Stated in
// markdown after the data is read; an exercise asking to check is no statement, and neither is text before
// any data is read.
TEST(HeuristicRules, StatedCompleteDataIsNotApplicableForImputation) {
  const std::string load = "import pandas as pd\ndf = pd.read_csv('energy.csv')\ndf.describe()";
  const std::string fit =
      "from sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import Ridge\n"
      "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\nRidge().fit(X_train, "
      "y_train)";
  const auto stated = judge(
      make({{code, load}, {md, "No missing values in this dataset, so nothing to impute."}, {code, fit}}));
  const auto& v = verdict(stated, "data_imputation");
  EXPECT_FALSE(v.score.has_value()) << v.rationale;
  EXPECT_NE(v.rationale.find("cell 2: the notebook states"), std::string::npos) << v.rationale;
  const auto asked =
      judge(make({{code, load}, {md, "Exercise 1: check that there are no missing values."}, {code, fit}}));
  EXPECT_EQ(verdict(asked, "data_imputation").score, 1.0);
  const auto before = judge(make({{md, "The data has no missing values."}, {code, load}, {code, fit}}));
  EXPECT_EQ(verdict(before, "data_imputation").score, 1.0);
  // Stated whatever the sentence says beside it, or over a wrapped line
  for (const char* statement :
       {"Good news: there are no missing values, but a few outliers in the fare column.",
        "The table is clean.\nThere are no missing or null values\nin any of the columns."}) {
    const auto complete = judge(make({{code, load}, {md, statement}, {code, fit}}));
    EXPECT_FALSE(verdict(complete, "data_imputation").score.has_value()) << statement;
  }
  // No statement that the data is complete: an exception, missing values named elsewhere in the sentence, a
  // condition, a question, an intention (rubric 1: missing values never checked, present and ignored)
  for (const char* partial :
       {"The dataset has no missing values except in the Age and Cabin columns.",
        "The dataset has no missing values apart from\nthe Cabin column, which we leave as it is.",
        "Age has 177 gaps; there are no missing values in the other columns.",
        "There are no missing values in Fare, but Age has 177 missing entries.",
        "If there are no missing values, we can skip the imputation step entirely.",
        "Let us check whether there are no missing values in the data.",
        "Are there no missing values? We look below.",
        "We should make sure there are no missing values before training."}) {
    const auto v = verdict(judge(make({{code, load}, {md, partial}, {code, fit}})), "data_imputation");
    EXPECT_EQ(v.score, 1.0) << partial << ": " << v.rationale;
  }
}

// Imputation N/A needs complete data: a zero count, a complete info() or a statement after columns with gaps
// were shown and dropped (`drop(columns=...)`, no fill or dropna) speaks of what is left, not of the data
// (rubric N/A: "the data has no missing values"). Outputs as pandas prints them, by hand.
TEST(HeuristicRules, CompletenessShownAfterGapsIsNoNotApplicable) {
  const std::string info =
      "<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 891 entries, 0 to 890\nData columns (total 2 "
      "columns):\n #   Column  Non-Null Count  Dtype\n---  ------  --------------  -----\n"
      " 0   Pclass  891 non-null    int64\n 1   Fare    891 non-null    float64\n";
  const std::string fit =
      "from sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import "
      "LogisticRegression\n"
      "X_train, X_test, y_train, y_test = train_test_split(df[['Pclass', 'Fare']], df['Survived'])\n"
      "LogisticRegression().fit(X_train, y_train)";
  // complete: N/A
  auto complete =
      make({{code, "import pandas as pd\ndf = pd.read_csv('titanic.csv')\ndf.info()"}, {code, fit}});
  with_stdout(complete, 1, info);
  EXPECT_FALSE(verdict(judge(complete), "data_imputation").score.has_value());
  // gaps counted, the columns dropped, then a complete info(), a zero count, a statement: scored
  for (const auto& [after, shown] : std::vector<std::pair<std::string, std::string>>{
           {"df = df.drop(columns=['Age', 'Cabin'])\ndf.info()", info},
           {"df = df.drop(columns=['Age', 'Cabin'])\ndf.isnull().sum()",
            "Pclass    0\nFare      0\ndtype: int64\n"},
           {"df = df.drop(columns=['Age', 'Cabin'])", ""}}) {
    auto nb = make({{code, "import pandas as pd\ndf = pd.read_csv('titanic.csv')\ndf.isnull().sum()"},
                    {code, after},
                    {md, "There are no missing values now."},
                    {code, fit}});
    with_stdout(nb, 1, "Pclass      0\nAge       177\nCabin     687\nFare        0\ndtype: int64\n");
    if (!shown.empty()) with_stdout(nb, 2, shown);
    const auto v = verdict(judge(nb), "data_imputation");
    EXPECT_EQ(v.score, 2.0) << after << ": " << v.rationale;
  }
  // an info() short of the rows shows the gap itself, whatever the markdown says (rubric 1: present and
  // ignored)
  auto gaps = make({{code, "import pandas as pd\ndf = pd.read_csv('titanic.csv')\ndf.info()"},
                    {md, "No missing values in this dataset."},
                    {code, fit}});
  with_stdout(gaps, 1,
              "<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 891 entries, 0 to 890\n"
              " 0   Pclass  891 non-null    int64\n 1   Age     714 non-null    float64\n");
  EXPECT_EQ(verdict(judge(gaps), "data_imputation").score, 1.0)
      << verdict(judge(gaps), "data_imputation").rationale;
}

// Columns dropped for their missing values handle them, as the basics do: "2: the basics are there, but
// refinements an experienced practitioner would expect are missing" (level 3 names imputation fit on training
// data; a dropped column loses its known values too). Unchecked, it is "2: ... without checking which columns
// are affected", no longer "1: present and ignored". The target dropped from the features handles nothing.
TEST(HeuristicRules, ColumnsDroppedForTheirGapsAreBasicHandling) {
  const std::string fit =
      "from sklearn.model_selection import train_test_split\nfrom sklearn.ensemble import "
      "RandomForestClassifier\n"
      "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
      "RandomForestClassifier(random_state=0).fit(X_train, y_train)";
  const std::string load = "import pandas as pd\ndf = pd.read_csv('titanic.csv')";
  auto checked =
      make({{code, load + "\ndf.isnull().sum()"},
            {code, "df = df.drop(columns=['Cabin'])\nX, y = df[['Pclass', 'Fare']], df['Survived']"},
            {code, fit}});
  with_stdout(checked, 1, "Pclass      0\nCabin     687\nFare        0\nSurvived    0\ndtype: int64\n");
  auto v = verdict(judge(checked), "data_imputation");
  EXPECT_EQ(v.score, 2.0) << v.rationale;
  EXPECT_EQ(v.rationale,
            "cell 1: checks missing values; cell 2: drops the columns with missing values, fills none");
  v = verdict(judge(make({{code, load},
                          {code,
                           "df = df.drop(columns=['Cabin'])  # Cabin is mostly missing\n"
                           "X, y = df[['Pclass', 'Fare']], df['Survived']"},
                          {code, fit}})),
              "data_imputation");
  EXPECT_EQ(v.score, 2.0) << v.rationale;
  EXPECT_NE(v.rationale.find("without checking which columns miss values"), std::string::npos) << v.rationale;
  auto target = make({{code, load + "\ndf.isnull().sum()"},
                      {code, "X, y = df.drop('Survived', axis=1), df['Survived']"},
                      {code, fit}});
  with_stdout(target, 1, "Pclass      0\nCabin     687\nFare        0\nSurvived    0\ndtype: int64\n");
  v = verdict(judge(target), "data_imputation");
  EXPECT_EQ(v.rationale, "cell 1: missing values are checked but no handling follows");
}

// Imputation level 3: "checks which columns have missing values ... an imputer inside a pipeline".
TEST(HeuristicRules, ImputerInsideAPipelineAfterACheckIsGood) {
  EXPECT_EQ(verdict(judge(good_notebook()), "data_imputation").score, 3.0);
}

// Imputation level 1: "Missing values are present and ignored" (never checked, never handled).
TEST(HeuristicRules, IgnoredMissingValuesScoreOne) {
  const auto all = judge(make({
      {code,
       "import pandas as pd\nfrom sklearn.linear_model import LinearRegression\n"
       "from sklearn.model_selection import train_test_split"},
      {code,
       "df = pd.read_csv('houses.csv')\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
       "LinearRegression().fit(X_train, y_train)"},
  }));
  EXPECT_EQ(verdict(all, "data_imputation").score, 1.0);
}

// Imputation with a model that handles NaN natively, not said: level 3 needs "uses a model that handles
// missing values natively and says so". Never checked either is level 1, "missing values are present and
// ignored" (the three raters of the shared labels score such notebooks 1); checked but not said is level 2,
// "handles missing values ... without" a stated strategy.
TEST(HeuristicRules, SilentNativeNanModelScoresOneUncheckedTwoChecked) {
  const std::string imports =
      "import pandas as pd\nimport xgboost as xgb\nfrom sklearn.model_selection import train_test_split";
  const std::string fit =
      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
      "xgb.XGBRegressor().fit(X_train, y_train)";
  const auto unchecked =
      judge(make({{code, imports}, {code, "df = pd.read_csv('houses.csv')"}, {code, fit}}));
  EXPECT_EQ(verdict(unchecked, "data_imputation").score, 1.0);
  const auto checked = judge(
      make({{code, imports}, {code, "df = pd.read_csv('houses.csv')\ndf.isnull().sum()"}, {code, fit}}));
  EXPECT_EQ(verdict(checked, "data_imputation").score, 2.0);
  EXPECT_NE(verdict(checked, "data_imputation").rationale.find("cell 2"), std::string::npos);
}

// The same model, said in markdown: "uses a model that handles missing values natively and says so" is level
// 3 once the gaps were looked at; said but never checked, 2 (the gaps are not ignored, but not found either).
TEST(HeuristicRules, NativeNanModelSaidScoresThreeChecked) {
  const std::string imports =
      "import pandas as pd\nimport xgboost as xgb\nfrom sklearn.model_selection import train_test_split";
  const std::string fit =
      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
      "xgb.XGBRegressor().fit(X_train, y_train)";
  const std::string said = "XGBoost handles NaN natively, so we leave the missing values in place.";
  const auto checked = judge(make({{code, imports},
                                   {code, "df = pd.read_csv('houses.csv')\ndf.isnull().sum()"},
                                   {md, said},
                                   {code, fit}}));
  EXPECT_EQ(verdict(checked, "data_imputation").score, 3.0);
  EXPECT_NE(verdict(checked, "data_imputation").rationale.find("cell 3"), std::string::npos);
  const auto unchecked =
      judge(make({{code, imports}, {code, "df = pd.read_csv('houses.csv')"}, {md, said}, {code, fit}}));
  EXPECT_EQ(verdict(unchecked, "data_imputation").score, 2.0);
  // a markdown cell on something else says nothing of it
  const auto other = judge(make({{code, imports},
                                 {code, "df = pd.read_csv('houses.csv')\ndf.isnull().sum()"},
                                 {md, "XGBoost is a native C++ library with a Python wrapper."},
                                 {code, fit}}));
  EXPECT_EQ(verdict(other, "data_imputation").score, 2.0);
}

// Imputation level 3 without a model: "Checks which columns have missing values and handles them with a
// stated strategy" - leaving them missing on purpose, said in markdown after the check.
TEST(HeuristicRules, StatedDecisionToLeaveGapsIsAStrategy) {
  const auto all = judge(make({
      {code, "import pandas as pd\ndf = pd.read_csv('sales.csv')\ndf.isnull().sum()"},
      {md, "Only units has missing values; we leave them missing because zeros would look like real slumps."},
  }));
  EXPECT_EQ(verdict(all, "data_imputation").score, 3.0);
}

// Training level 1: "Training and evaluation on the same data"; metrics level 1: "Metrics on the training
// data"; model use level 1: "predictions on training data are presented as if on new data".
TEST(HeuristicRules, FittingAndScoringOnTheSameRowsScoresOne) {
  const auto all = judge(make({
      {code,
       "from sklearn.datasets import load_iris\nfrom sklearn.neighbors import KNeighborsClassifier\n"
       "from sklearn.metrics import accuracy_score"},
      {code, "X, y = load_iris(return_X_y=True)\nknn = KNeighborsClassifier().fit(X, y)"},
      {code, "print(accuracy_score(y, knn.predict(X)))"},
  }));
  EXPECT_EQ(verdict(all, "model_training").score, 1.0);
  EXPECT_EQ(verdict(all, "metrics_evaluation").score, 1.0);
  EXPECT_EQ(verdict(all, "model_use").score, 1.0);
  // Bundled complete data and no preparation: "there is no data preparation at all" -> N/A.
  EXPECT_EQ(verdict(all, "data_imputation").status, Status::not_applicable);
  EXPECT_NE(verdict(all, "model_training").rationale.find("cell 2"), std::string::npos);
}

// Library level 1: "an import or install fails (ModuleNotFoundError or ImportError in the outputs)".
TEST(HeuristicRules, FailedImportScoresOneAndCitesTheCell) {
  Notebook nb = make({{code, "import pandas as pd"}, {code, "import xgboost"}});
  with_error(nb, 2, "ModuleNotFoundError", "No module named 'xgboost'");
  const auto all = judge(nb);
  const auto& v = verdict(all, "library_installation");
  EXPECT_EQ(v.score, 1.0);
  EXPECT_NE(v.rationale.find("cell 2"), std::string::npos) << v.rationale;
}

// Library level 1: "Something is used without being imported" (used in cell 1, imported in cell 2).
TEST(HeuristicRules, NameUsedBeforeItsImportScoresOne) {
  Notebook nb =
      make({{code, "print(accuracy_score(y, p))"}, {code, "from sklearn.metrics import accuracy_score"}});
  with_error(nb, 1, "NameError", "name 'accuracy_score' is not defined");
  EXPECT_EQ(verdict(judge(nb), "library_installation").score, 1.0);
}

// Library level 1: "Something is used without being imported" (no output needed: pd is never imported).
TEST(HeuristicRules, AliasNeverImportedScoresOne) {
  const auto all = judge(make({{code, "import numpy as np"}, {code, "df = pd.read_csv('a.csv')"}}));
  const auto& v = verdict(all, "library_installation");
  EXPECT_EQ(v.score, 1.0);
  EXPECT_NE(v.rationale.find("cell 2"), std::string::npos) << v.rationale;
}

// Library level 2: "Imports work but are spread through the notebook".
TEST(HeuristicRules, ScatteredImportsScoreTwo) {
  const auto all = judge(make({
      {code, "import pandas as pd"},
      {code, "df = pd.read_csv('a.csv')"},
      {code, "df.describe()"},
      {code, "import numpy as np\nnp.log(df['x'])"},
  }));
  const auto& v = verdict(all, "library_installation");
  EXPECT_EQ(v.score, 2.0);
  EXPECT_NE(v.rationale.find("cell 4"), std::string::npos) << v.rationale;
}

// Library level 2: "a non-standard package is used with no install step or version note".
TEST(HeuristicRules, NonStandardPackageWithoutInstallScoresTwo) {
  const auto all =
      judge(make({{code, "import pandas as pd\nimport catboost"}, {code, "df = pd.read_csv('a.csv')"}}));
  EXPECT_EQ(verdict(all, "library_installation").score, 2.0);
}

// MLflow level 1: "A model is trained and nothing is tracked"; level 2: partial tracking (metrics, no model).
TEST(HeuristicRules, MlflowTrackingLevels) {
  Notebook nb = make({
      {code,
       "from sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import "
       "train_test_split"},
      {code,
       "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
       "m = LogisticRegression().fit(X_train, y_train)"},
  });
  EXPECT_EQ(verdict(judge(nb), "mlflow_logging").score, 1.0);
  Cell tracking;
  tracking.number = 3;
  tracking.source =
      "import mlflow\nwith mlflow.start_run():\n    mlflow.log_metric('acc', m.score(X_test, y_test))";
  nb.cells.push_back(tracking);
  EXPECT_EQ(verdict(judge(nb), "mlflow_logging").score, 2.0);
}

// MLflow level 3: "autologging counts when metrics and the model land": a named experiment whose autologging
// logs parameters, each fit's metrics and the model with an input example.
TEST(HeuristicRules, AutologgingLogsMetricsAndTheModel) {
  Notebook nb = make({
      {code, "import mlflow\nfrom sklearn.linear_model import LogisticRegression"},
      {code,
       "mlflow.set_experiment('churn')\nmlflow.sklearn.autolog(log_input_examples=True)\n"
       "m = LogisticRegression().fit(X_train, y_train)"},
  });
  const auto v = verdict(judge(nb), "mlflow_logging");
  EXPECT_EQ(v.score, 3.0) << v.rationale;
  EXPECT_NE(v.rationale.find("cell 2: metrics logged"), std::string::npos) << v.rationale;
}

// Organisation level 1: "error tracebacks left in the outputs"; also "No narrative at all".
TEST(HeuristicRules, ErrorTracebackLeftInScoresOne) {
  Notebook nb = good_notebook();
  with_error(nb, 6, "KeyError", "'churned'");
  const auto all = judge(nb);
  const auto& v = verdict(all, "cell_organization");
  EXPECT_EQ(v.score, 1.0);
  EXPECT_NE(v.rationale.find("cell 6"), std::string::npos) << v.rationale;
  EXPECT_EQ(verdict(judge(make({{code, "x = 1"}, {code, "y = 2"}})), "cell_organization").score, 1.0);
}

// Feature engineering level 1: "Categorical features are silently dropped".
TEST(HeuristicRules, DroppingObjectColumnsScoresOne) {
  const auto all = judge(make({
      {code,
       "import pandas as pd\nfrom sklearn.ensemble import RandomForestRegressor\n"
       "from sklearn.model_selection import train_test_split"},
      {code,
       "X = df.select_dtypes(exclude=['object'])\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
       "RandomForestRegressor().fit(X_train, y_train)"},
  }));
  EXPECT_EQ(verdict(all, "feature_engineering").score, 1.0);
}

// Model use level 2: "The model only predicts on the test split, without persistence".
TEST(HeuristicRules, PredictingOnlyTheTestSplitScoresTwo) {
  const auto all = judge(make({
      {code, "from sklearn.linear_model import Ridge\nfrom sklearn.model_selection import train_test_split"},
      {code,
       "X_train, X_test, y_train, y_test = train_test_split(X, y)\nm = Ridge().fit(X_train, y_train)\n"
       "m.predict(X_test)"},
  }));
  EXPECT_EQ(verdict(all, "model_use").score, 2.0);
}

// "2: predicts on the test split only": a PyTorch module called on the test split with gradients off is a
// prediction, as `.predict(X_test)` is (no "never used to predict"); an error in that cell is inference that
// fails ("1: ... inference broken").
TEST(HeuristicRules, APyTorchModuleCalledOnTheTestSplitPredicts) {
  auto nb = make({
      {code, "import torch\nimport torch.nn as nn"},
      {code, "net = nn.Sequential(nn.Linear(4, 1))\nopt = torch.optim.SGD(net.parameters(), lr=0.1)"},
      {code,
       "X_train, X_test, y_train, y_test = train_test_split(X, y)\nloss = ((net(X_train) - y_train) ** "
       "2).mean()\n"
       "loss.backward()\nopt.step()"},
      {code, "with torch.no_grad():\n    pred = net(X_test)"},
  });
  auto v = verdict(judge(nb), "model_use");
  EXPECT_EQ(v.score, 2.0);
  EXPECT_NE(v.rationale.find("cell 4: predictions"), std::string::npos) << v.rationale;
  EXPECT_EQ(v.rationale.find("never used to predict"), std::string::npos) << v.rationale;
  with_error(nb, 4, "RuntimeError", "mat1 and mat2 shapes cannot be multiplied");
  v = verdict(judge(nb), "model_use");
  EXPECT_EQ(v.score, 1.0);
  EXPECT_NE(v.rationale.find("cell 4: inference fails"), std::string::npos) << v.rationale;
}

// A dimension the rules do not know is unscored with a reason, never a guess.
TEST(HeuristicRules, UnknownDimensionIsUnscoredWithAReason) {
  rubric::Rubric r = rubric::default_rubric();
  r.dimensions.resize(1);
  r.dimensions[0].id = "story_coherence";
  const auto all = rule_verdicts(good_notebook(), r);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].status, Status::unscored);
  EXPECT_FALSE(all[0].score.has_value());
  EXPECT_NE(all[0].error.find("story_coherence"), std::string::npos);
}

// The rules' 1-3 positions map linearly onto another scale with the same dimensions (1-5: 1, 3, 5).
TEST(HeuristicRules, OtherScalesGetTheSamePositions) {
  rubric::Rubric r = rubric::default_rubric();
  r.scale.clear();
  for (int i = 1; i <= 5; ++i) r.scale.push_back({i, std::to_string(i), ""});
  const auto good = rule_verdicts(good_notebook(), r);
  EXPECT_EQ(verdict(good, "model_training").score, 5.0);
  Notebook nb = make({{code, "x = 1"}});
  EXPECT_EQ(verdict(rule_verdicts(nb, r), "cell_organization").score, 1.0);
}

// A scale without a middle point for the rules' 2 (points {1, 5}; 1..4) gets no scores at all, with the
// reason: a 3 on {1, 5} would be off the scale.
TEST(HeuristicRules, ScaleWithoutAMiddlePointIsUnscoredWithTheReason) {
  for (const std::vector<int>& points : {std::vector<int>{1, 5}, std::vector<int>{1, 2, 3, 4}}) {
    rubric::Rubric r = rubric::default_rubric();
    r.scale.clear();
    for (int p : points) r.scale.push_back({p, std::to_string(p), ""});
    const auto all = rule_verdicts(good_notebook(), r);
    ASSERT_EQ(all.size(), r.dimensions.size());
    for (const auto& v : all) {
      EXPECT_EQ(v.status, Status::unscored) << v.dimension;
      EXPECT_FALSE(v.score.has_value()) << v.dimension;
      EXPECT_NE(v.error.find("rules score on 1-3"), std::string::npos) << v.error;
    }
  }
  EXPECT_NE(rule_verdicts(good_notebook(),
                          [] {
                            rubric::Rubric r = rubric::default_rubric();
                            r.scale = {{1, "a", ""}, {5, "b", ""}};
                            return r;
                          }())[0]
                .error.find("this rubric's scale (1, 5) has no middle point"),
            std::string::npos);
}

// Facts: comment lines, line magics and imports are kept out of the code body that rules search.
TEST(HeuristicFacts, BodyExcludesCommentsImportsAndMagics) {
  const auto f =
      gather_facts(make({{code, "# df.fillna(0)\n%matplotlib inline\nimport numpy as np\nx = np.log(2)"},
                         {code, "!pip install xgboost==2.0.3"},
                         {code, ""}}));
  ASSERT_EQ(f.code.size(), 2u);
  EXPECT_EQ(f.code[0].body, "x = np.log(2)\n");
  EXPECT_EQ(f.code[0].modules, std::vector<std::string>{"numpy"});
  EXPECT_EQ(f.code[0].commented_code, 1u);
  EXPECT_TRUE(f.code[1].install);
  EXPECT_TRUE(f.code[1].pinned);
  EXPECT_EQ(f.empty_code_cells, 1u);
  EXPECT_TRUE(f.cells_with({"fillna("}).empty());
}

// A Databricks `%sql` cell and an IPython `%%sql` cell are SQL work on data; a `%pip` cell is an install
// step.
TEST(HeuristicFacts, MagicCellsAreRecognised) {
  Notebook nb = make(
      {{code, "%sql\nSELECT * FROM trips"}, {code, "%%sql\nSELECT 1"}, {code, "%pip install pandas==2.2.2"}});
  nb.cells[0].magic = "sql";
  nb.cells[2].magic = "pip";
  const auto f = gather_facts(nb);
  ASSERT_EQ(f.code.size(), 3u);
  EXPECT_TRUE(f.code[0].sql);
  EXPECT_TRUE(f.code[1].sql);
  EXPECT_FALSE(f.code[2].sql);
  EXPECT_TRUE(f.code[2].install);
  EXPECT_TRUE(f.code[2].pinned);
}

}  // namespace
}  // namespace judge::scoring

// The heuristic says what it is through the Judge interface: no model, no planned calls, and which
// dimensions of a rubric it cannot score (before any notebook is read).
TEST(HeuristicRules, JudgeInterfaceSaysWhatTheHeuristicCannotDo) {
  judge::scoring::HeuristicJudge h;
  EXPECT_FALSE(h.calls_model());
  EXPECT_TRUE(h.learns_fact_rules());
  judge::notebook::Notebook nb;
  EXPECT_TRUE(h.plan(nb, judge::rubric::default_rubric(), {}).empty());
  EXPECT_TRUE(h.cannot_score(judge::rubric::default_rubric()).empty());
  const auto custom = judge::rubric::parse_rubric(R"(id: c
scale: [{score: 1, name: a}, {score: 5, name: e}]
dimensions:
  - {id: model_use, description: d, levels: {1: x, 5: y}}
  - {id: charts, description: d, levels: {1: x, 5: y}}
)",
                                                  "c.yaml");
  // Points 1 and 5 have no middle: one problem for the whole scale, not one per dimension.
  const auto gaps = h.cannot_score(custom);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_NE(gaps[0].find("has no middle point"), std::string::npos) << gaps[0];
  const auto three = judge::rubric::parse_rubric(R"(id: t
scale: [{score: 1, name: a}, {score: 2, name: b}, {score: 3, name: c}]
dimensions:
  - {id: model_use, description: d, levels: {1: x, 2: y, 3: z}}
  - {id: charts, description: d, levels: {1: x, 2: y, 3: z}}
)",
                                                 "t.yaml");
  EXPECT_EQ(
      h.cannot_score(three),
      (std::vector<std::string>{"the heuristic judge has no rules for dimension 'charts' (it knows the nine "
                                "ml-notebook dimensions); its items will be unscored"}));
}

// A custom rubric whose dimensions the heuristic does not know is one warning, not one per dimension: the
// dimensions without a rule are listed in one line, and a rubric with none it knows says so.
TEST(HeuristicRules, GapsOfManyDimensionsAreOneLine) {
  judge::scoring::HeuristicJudge h;
  std::string text =
      "id: m\nscale: [{score: 1, name: a}, {score: 2, name: b}, {score: 3, name: c}]\ndimensions:\n";
  for (const char* id : {"model_use", "charts", "prose", "tests"})
    text += std::string("  - {id: ") + id + ", description: d, levels: {1: x, 2: y, 3: z}}\n";
  EXPECT_EQ(
      h.cannot_score(judge::rubric::parse_rubric(text, "m.yaml")),
      (std::vector<std::string>{"the heuristic judge has no rules for dimensions 'charts', 'prose', 'tests' "
                                "(it knows the nine ml-notebook dimensions); their items will be unscored"}));
  std::string none =
      "id: n\nscale: [{score: 1, name: a}, {score: 2, name: b}, {score: 3, name: c}]\ndimensions:\n";
  for (const char* id : {"charts", "prose"})
    none += std::string("  - {id: ") + id + ", description: d, levels: {1: x, 2: y, 3: z}}\n";
  EXPECT_EQ(
      h.cannot_score(judge::rubric::parse_rubric(none, "n.yaml")),
      (std::vector<std::string>{"the heuristic judge has no rules for any of this rubric's 2 dimensions (it "
                                "knows the nine ml-notebook dimensions): every item will be unscored; use "
                                "an LLM judge (" +
                                judge::setting("judge") + ")"}));
}
