// SPDX-License-Identifier: MIT
// Private to the scoring module: the heuristic rules' vocabulary (what a call means) and the notebook stages
// found from the facts, shared by the dimension rules (heuristic_rules.cpp) and the named facts (facts.cpp).
#pragma once
#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "code_scan.hpp"
#include "judge/scoring/heuristic_facts.hpp"
#include "judge/util/text.hpp"

namespace judge::scoring::detail {

using Tokens = std::vector<std::string_view>;

inline bool contains(std::string_view text, std::string_view token) {
  return text.find(token) != std::string_view::npos;
}
inline bool contains_any(std::string_view text, Tokens tokens) {
  return std::any_of(tokens.begin(), tokens.end(), [&](std::string_view t) { return contains(text, t); });
}
inline bool is_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
/// Whether `text` holds `token` where it starts a name: a token that begins with a letter, digit or '_' must
/// not continue an identifier ("X_val" is in "X_val = ..." but not in "sex_val").
inline bool contains_name(std::string_view text, std::string_view token) {
  if (token.empty() || !is_identifier_char(token.front())) return contains(text, token);
  for (auto at = text.find(token); at != std::string_view::npos; at = text.find(token, at + 1))
    if (at == 0 || !is_identifier_char(text[at - 1])) return true;
  return false;
}
/// Whether lower-case `text` holds `word` (lower case; it may hold spaces) as a whole word: no letter or
/// digit right before or after it ("test" is in "the test set" and "x_test", not in "latest"; "train" is not
/// in "constraint").
inline bool contains_word(std::string_view text, std::string_view word) {
  const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (auto at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const std::size_t after = at + word.size();
    if ((at == 0 || !word_char(text[at - 1])) && (after >= text.size() || !word_char(text[after])))
      return true;
  }
  return false;
}
inline bool contains_any_word(std::string_view text, const Tokens& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return contains_word(text, w); });
}
inline std::optional<int> first_with_name(const NotebookFacts& f, Tokens tokens) {
  for (const auto& c : f.code)
    if (std::any_of(tokens.begin(), tokens.end(),
                    [&](std::string_view t) { return contains_name(c.body, t); }))
      return c.number;
  return std::nullopt;
}

// ---- vocabulary (what a call means; shared by several rules) ----

inline const Tokens k_data_load = {"read_csv(",
                                   "read_excel(",
                                   "read_table(",
                                   "read_parquet(",
                                   "read_json(",
                                   "read_sql",
                                   "read_feather(",
                                   "spark.read",
                                   "spark.table(",
                                   "spark.sql(",
                                   ".load(",
                                   "load_iris(",
                                   "load_digits(",
                                   "load_wine(",
                                   "load_breast_cancer(",
                                   "load_diabetes(",
                                   "fetch_openml(",
                                   "fetch_california_housing(",
                                   "datasets.fetch_",
                                   "load_dataset(",
                                   "datasets.MNIST(",
                                   "datasets.FashionMNIST(",
                                   "datasets.CIFAR10(",
                                   "datasets.CIFAR100(",
                                   "datasets.ImageFolder(",
                                   ".load_data(",
                                   "tfds.load(",
                                   "image_dataset_from_directory(",
                                   "text_dataset_from_directory(",
                                   "audio_dataset_from_directory(",
                                   "flow_from_directory(",
                                   "flow_from_dataframe(",
                                   "make_csv_dataset(",
                                   "CsvDataset(",
                                   "TextLineDataset(",
                                   "TFRecordDataset(",
                                   "loadtxt(",
                                   "genfromtxt(",
                                   "make_classification(",
                                   "make_regression(",
                                   "make_blobs(",
                                   "pd.DataFrame(",
                                   "read_data_asset(",
                                   "read_pickle(",
                                   "read_stata(",
                                   "read_sas(",
                                   "read_spss(",
                                   "read_html(",
                                   "read_orc(",
                                   "read_ipc(",
                                   "read_database(",
                                   "read_delta(",
                                   "scan_csv(",
                                   "scan_parquet(",
                                   "scan_ipc(",
                                   "duckdb.sql(",
                                   "duckdb.query(",
                                   "read_csv_auto(",
                                   ".load_pandas(",
                                   "get_rdataset(",
                                   "load_airline(",
                                   "load_lynx(",
                                   "load_shampoo_sales(",
                                   "load_PBS_dataset(",
                                   "load_longley(",
                                   "load_uschange(",
                                   "load_wineind(",
                                   "load_airpassengers(",
                                   "load_woolyrnq(",
                                   "load_heartrate(",
                                   "load_austres(",
                                   "yf.download(",
                                   "yfinance.download(",
                                   "DataReader(",
                                   "get_data_yahoo(",
                                   "Dataset.load_builtin(",
                                   "Dataset.load_from_df(",
                                   "Dataset.load_from_file(",
                                   "import_file(",
                                   "TabularDataset(",
                                   "fetch_20newsgroups(",
                                   "fetch_covtype(",
                                   "fetch_lfw_",
                                   "fetch_olivetti_faces(",
                                   "fetch_kddcup99(",
                                   "createDataFrame(",
                                   ".run(\"ingest\")",
                                   ".run('ingest')"};
/// Bundled toy data: sklearn's loaders and generators; the series sktime ships (`load_airline()`,
/// `load_shampoo_sales()`, ...) and pmdarima holds in its code (`load_wineind()`, ...). Not surprise's
/// `Dataset.load_builtin(`, which downloads MovieLens or Jester on first use.
inline const Tokens k_builtin_data = {
    "load_iris(",           "load_digits(",      "load_wine(",      "load_breast_cancer(", "load_diabetes(",
    "make_classification(", "make_regression(",  "make_blobs(",     "load_airline(",       "load_lynx(",
    "load_shampoo_sales(",  "load_PBS_dataset(", "load_longley(",   "load_uschange(",      "load_wineind(",
    "load_airpassengers(",  "load_woolyrnq(",    "load_heartrate(", "load_austres("};
inline const Tokens k_estimator = {
    "Regressor(", "Classifier(", "Regression(", "Lasso(", "Ridge(", "ElasticNet(", "SVC(", "SVR(",
    "KNeighbors", "NB(", "DecisionTree", "RandomForest", "GradientBoosting", "XGB", "LGBM", "CatBoost", "MLP",
    "Sequential(", "KMeans(", "lgb.train(", "xgb.train(", "GLM(", "Prophet(", "ARIMA(", "IsolationForest(",
    "Logit(", "keras.Model(", "nn.Module",
    // Beyond sklearn's suffixes: CV estimators and searches (LassoCV(,
    // LogisticRegressionCV(, GridSearchCV(), time-series and statsmodels
    // models (smf.logit(...)), clustering and mixtures, Spark's NaiveBayes,
    // PyTorch modules and optimisers, Keras' functional Model, trainers.
    "CV(", "SARIMAX(", "ExponentialSmoothing(", "AutoReg(", "auto_arima(", "smf.", "WLS(", "GLS(", "Probit(",
    "QuantReg(", "NaiveBayes(", "GaussianMixture(", "DBSCAN(", "AgglomerativeClustering(", "Perceptron(",
    "DiscriminantAnalysis(", "NearestNeighbors(", "OneClassSVM(", "LocalOutlierFactor(", "OneVsRest(",
    "TrainValidationSplit(", "CrossValidator(", "lightgbm.train(", "xgboost.train(", "nn.Linear(",
    "torch.optim.", "optim.Adam", "optim.SGD(", "Model(input", "Trainer(",
    // statsmodels' and econometrics' models beyond the common ones
    "SimpleExpSmoothing(", "Holt(", "ETSModel(", "UnobservedComponents(", "VAR(", "VARMAX(", "ThetaModel(",
    "STLForecast(", "MarkovRegression(", "arch_model(", "Poisson(", "NegativeBinomial(", "RLM(", "PanelOLS(",
    "IV2SLS(",
    // AutoML front-ends and NLP models: PyCaret, H2O, AutoGluon, FLAML; Hugging Face, sentence-transformers,
    // gensim, fastText
    "compare_models(", "H2OAutoML(", "H2OGradientBoostingEstimator(", "H2ORandomForestEstimator(",
    "H2OGeneralizedLinearEstimator(", "H2ODeepLearningEstimator(", "H2OXGBoostEstimator(",
    "TabularPredictor(", "AutoML(", "AutoModelFor", "SentenceTransformer(", "Word2Vec(", "Doc2Vec(",
    "FastText(", "fasttext.train_",
    // Recommenders and pattern mining: Spark ML's FPGrowth (its ALS and LDA are words, k_estimator_words),
    // implicit's and LightFM's models, surprise's algorithms (`algo.fit(trainset)`; its `SVD(` is a word)
    "FPGrowth(", "AlternatingLeastSquares(", "BayesianPersonalizedRanking(", "LogisticMatrixFactorization(",
    "LightFM(", "SVDpp(", "KNNBasic(", "KNNWithMeans(", "KNNWithZScore(", "KNNBaseline(", "SlopeOne(",
    "CoClustering(", "BaselineOnly(", "NormalPredictor(",
    // sktime's forecasters (`ThetaForecaster(`, `NaiveForecaster(`, ...; `.fit(y_train)`) and statistical
    // forecasters of sktime, statsforecast and tbats (its `BATS(` is a word)
    "Forecaster(", "AutoETS(", "AutoTheta(", "TBATS(", "Croston("};
/// Estimators whose name also ends other names, matched only where they start a name: statsmodels' `ols(` /
/// `OLS(` (`smf.ols(`, `sm.OLS(`), not the end of Spark's `setInputCols(` or a helper's `drop_cols(`; Spark
/// ML's `ALS(` and `LDA(` and surprise's `SVD(` (`surprise.SVD(`), not sklearn's `TruncatedSVD(`, a
/// transform; `BATS(`, not the end of `TBATS(` (an estimator of its own).
inline const Tokens k_estimator_words = {"ols(", "OLS(", "ALS(", "LDA(", "SVD(", "BATS("};
/// Whether `text` names an estimator (k_estimator, or a k_estimator_words word where it starts a name).
inline bool names_estimator(std::string_view text) {
  return contains_any(text, k_estimator) ||
         std::any_of(k_estimator_words.begin(), k_estimator_words.end(),
                     [&](std::string_view t) { return contains_name(text, t); });
}
inline const Tokens k_fit = {".fit(",           "lgb.train(",         "xgb.train(",
                             "lightgbm.train(", "xgboost.train(",     "cross_val_score(",
                             "cross_validate(", "cross_val_predict(", ".backward(",
                             ".partial_fit(",   ".fit_predict(",      ".fit_generator(",
                             "auto_arima(",     "trainer.train(",     "compare_models(",
                             "training_frame=", "train_supervised(",  "train_unsupervised(",
                             "Word2Vec(",       "Doc2Vec(",           "FastText(",
                             "tuner.search("};
inline const Tokens k_packaged_training = {"run_training(", ".run(\"train\")", ".run('train')"};
/// Whether code cell `c` fits or trains (a k_fit token, `.train(`: `model.train()`, `booster.train(`, or a
/// packaged training step, k_packaged_training: `run_training(`) in its code, not inside a string
/// (`print("call .fit( first")`), and shows an error: training failed there.
inline bool fails_training(const CodeFacts& c) {
  if (c.error.empty()) return false;
  CodeMask code(c.body);
  const auto in_code = [&](std::string_view token) {
    for (auto at = c.body.find(token); at != std::string::npos; at = c.body.find(token, at + 1))
      if (code.at(at)) return true;
    return false;
  };
  return std::any_of(k_fit.begin(), k_fit.end(), in_code) || in_code(".train(") ||
         std::any_of(k_packaged_training.begin(), k_packaged_training.end(), in_code);
}
/// Databricks runs another notebook as a step of this one: `dbutils.notebook.run("./03_train_model", 3600)`.
inline const Tokens k_notebook_run = {"dbutils.notebook.run("};
inline const Tokens k_holdout = {
    "train_test_split(",         "randomSplit(",  ".run(\"split\")",    ".run('split')",
    "StratifiedShuffleSplit(",   "ShuffleSplit(", "GroupShuffleSplit(", "TimeSeriesSplit(",
    "TrainValidationSplit(",     "random_split(", "split_frame(",       "validation_split",
    "temporal_train_test_split("};
/// A held-out set handed to the fit, to watch the model on data it does not train on: a booster's
/// `eval_set` / `valid_sets`, Keras' `validation_data`, Hugging Face Trainer's `eval_dataset=`
/// (`Trainer(..., train_dataset=ds["train"], eval_dataset=ds["test"])`).
inline const Tokens k_validation_set = {"eval_set", "valid_sets", "validation_data", "eval_dataset="};
inline const Tokens k_cross_validation = {"cross_val_score(",
                                          "cross_validate(",
                                          "KFold(",
                                          "GridSearchCV(",
                                          "RandomizedSearchCV(",
                                          "CrossValidator(",
                                          "cv=",
                                          "cv(",
                                          "cross_val_predict(",
                                          "LeaveOneOut(",
                                          "LeaveOneGroupOut(",
                                          "HalvingRandomSearchCV(",
                                          "HalvingGridSearchCV(",
                                          "BayesSearchCV(",
                                          "nfolds="};
inline const Tokens k_tuning = {"GridSearchCV(",
                                "RandomizedSearchCV(",
                                "fmin(",
                                "optuna",
                                "ParamGridBuilder(",
                                "BayesSearchCV(",
                                "HalvingGridSearchCV(",
                                "HalvingRandomSearchCV(",
                                "tune_model(",
                                "H2OGridSearch(",
                                "H2OAutoML(",
                                "compare_models(",
                                "AutoML(",
                                "flaml",
                                "Hyperband(",
                                "RandomSearch(",
                                "BayesianOptimization(",
                                "tuner.search("};
/// Keras Tuner's tuners (`tuner = kt.Hyperband(build_model, objective="val_accuracy")`): their `.search(`
/// builds and fits the models of the search (model_fit_cells), as `tuner.search(` does (k_fit).
inline const Tokens k_keras_tuners = {"Hyperband(", "RandomSearch(", "BayesianOptimization("};
/// The first code cell that cross-validates a Prophet model, `cross_validation(m, initial="730 days",
/// period="90 days", horizon="90 days")`: a call of `cross_validation(` in code where it starts a name (not
/// its `def`), where the notebook imports it from Prophet's diagnostics (`from prophet.diagnostics import
/// cross_validation`, fbprophet's too) or the call is given a `horizon=`. The name alone may be a helper of
/// the notebook's own.
inline std::optional<int> prophet_cv_cell(const NotebookFacts& f) {
  static constexpr std::string_view call = "cross_validation(";
  const bool imported = f.first_with({"prophet.diagnostics"}).has_value();
  for (const auto& c : f.code) {
    std::optional<CodeMask> code;
    for (auto at = c.body.find(call); at != std::string::npos; at = c.body.find(call, at + 1)) {
      if (at > 0 && is_identifier_char(c.body[at - 1])) continue;
      const std::size_t bol = c.body.rfind('\n', at) == std::string::npos ? 0 : c.body.rfind('\n', at) + 1;
      if (util::ends_with(util::trim(std::string_view(c.body).substr(bol, at - bol)), "def")) continue;
      if (!code) code.emplace(c.body);
      if (!code->at(at)) continue;
      if (imported) return c.number;
      int depth = 0;  // the call's arguments, to its closing `)`
      for (std::size_t i = at + call.size() - 1; i < c.body.size(); ++i) {
        if (c.body[i] == '(') ++depth;
        if (c.body[i] == ')' && --depth == 0) {
          if (contains_any(std::string_view(c.body).substr(at, i - at), {"horizon=", "horizon ="}))
            return c.number;
          break;
        }
      }
    }
  }
  return std::nullopt;
}
/// A seed given as a keyword, set by a call, or as a key of a parameter dict (`params = {"seed": 42}` for
/// `lgb.train(params, ...)`, `{'random_state': 0}` for `RandomForestClassifier(**params)`).
inline const Tokens k_seed = {"random_state=",    "random_state =",   "seed=",
                              "seed =",           "np.random.seed(",  "random.seed(",
                              "set_seed(",        "random_seed=",     "manual_seed",
                              "set_random_seed(", "seed_everything(", "'random_state'",
                              "\"random_state\"", "'seed'",           "\"seed\"",
                              "'random_seed'",    "\"random_seed\"",  "default_rng(",
                              "RandomState(",     "fix_random_seed(", "enable_full_determinism(",
                              "session_id="};
/// Predictions: a model's predict and its kin; a recommender's recommendations (implicit's
/// `.recommend(`, Spark ML's ALS model's `recommendForAllUsers(` and the like); surprise's predictions for
/// a test set of (user, item, rating) triples (`algo.test(testset)`,
/// `algo.test(trainset.build_anti_testset())`).
inline const Tokens k_predict = {
    ".predict(",        "predict_proba(", "predict_classes(",     "score_batch(", "run_scoring",
    ".transform(test",  ".transform(new", "spark_udf(",           ".forecast(",   ".get_forecast(",
    ".get_prediction(", "fit_predict(",   "predict_model(",       ".recommend(",  "recommendFor",
    ".test(testset",    ".test(test_set", ".test(trainset.build_"};
/// Saves of a model: pickles and model formats, MLflow, the registry, and deep-learning checkpoints (Keras'
/// `ModelCheckpoint(` callback and `.save_weights(`, Lightning's `trainer.save_checkpoint(`).
inline const Tokens k_persist = {"joblib.dump(",       "pickle.dump(",     "dill.dump(",
                                 "cloudpickle.dump(",  "save_pretrained(", "push_to_hub(",
                                 "to_disk(",           "log_model(",       "save_model(",
                                 "register_model(",    "store_model(",     "run_publish_model(",
                                 ".run(\"register\")", ".run('register')", ".write().overwrite().save(",
                                 "model.save(",        "torch.save(",      "ModelCheckpoint(",
                                 ".save_weights(",     "save_checkpoint("};
/// Loads of a model, or calls of a deployed one; deep-learning checkpoints read back too (Lightning's
/// `Model.load_from_checkpoint(`, Keras' `.load_weights(`).
inline const Tokens k_load_model = {
    "joblib.load(",          "pickle.load(",   "load_model(",   "models:/",       "spark_udf(",
    "PipelineModel.load(",   "get_artifact(",  "score_batch(",  "run_scoring",    "deployments.",
    "load_state_dict(",      "Word2Vec.load(", "Doc2Vec.load(", "FastText.load(", "KeyedVectors.load(",
    "load_from_checkpoint(", ".load_weights("};
/// Whether `body` calls a bare `dump(` (`from joblib import dump`; `dump(model, "m.joblib")`): a `dump(`
/// that starts a name and follows no `.` (`json.dump(metrics, f)` and `yaml.dump(` save no model).
inline bool calls_bare_dump(std::string_view body) {
  for (auto at = body.find("dump("); at != std::string_view::npos; at = body.find("dump(", at + 1))
    if (at == 0 || (!is_identifier_char(body[at - 1]) && body[at - 1] != '.')) return true;
  return false;
}
/// Whether `body` saves a model: a k_persist call or a bare `dump(` (calls_bare_dump).
inline bool persists_in(std::string_view body) {
  return contains_any(body, k_persist) || calls_bare_dump(body);
}
/// Any MLflow use: a call, an experiment named or given by id (in code, or through the environment:
/// `MLFLOW_EXPERIMENT_NAME`), a client, or a trainer told to report to MLflow (`report_to="mlflow"`).
inline const Tokens k_mlflow_any = {"mlflow.",           "experiment_name",        "experiment_id",
                                    "MlflowClient(",     "MLFLOW_EXPERIMENT_NAME", "report_to=\"mlflow\"",
                                    "report_to='mlflow'"};
inline const Tokens k_pipeline = {"Pipeline(", "make_pipeline(", "ColumnTransformer(",
                                  "make_column_transformer("};
/// MLflow Pipelines (now Recipes) share the class name: `Pipeline(profile=...)` is a recipe, not a chain of
/// transformers (pipeline_cells() leaves it out).
inline const Tokens k_recipe = {"Recipe(", "Pipeline(profile"};
inline const Tokens k_encoding = {
    "get_dummies(",        "OneHotEncoder(",        "LabelEncoder(",   "OrdinalEncoder(", "StringIndexer(",
    "TargetEncoder(",      "MEstimateEncoder(",     "FeatureHasher(",  "cat_features",    ".map({",
    ".astype('category')", ".astype(\"category\")", "factorize(",      "pd.Categorical(", ".cat.codes",
    "BinaryEncoder(",      "WOEEncoder(",           "CountEncoder(",   "HashingEncoder(", "CatBoostEncoder(",
    "LeaveOneOutEncoder(", "DictVectorizer(",       "LabelBinarizer(", "StringLookup(",   "CategoryEncoding(",
    ".to_dummies("};
inline const Tokens k_scaling = {"StandardScaler(",
                                 "MinMaxScaler(",
                                 "RobustScaler(",
                                 "Normalizer(",
                                 "MaxAbsScaler(",
                                 "PowerTransformer(",
                                 "np.log1p",
                                 ".log1p()",
                                 "np.log(",
                                 "(np.log)",
                                 "(np.log,",
                                 "VectorAssembler(",
                                 "QuantileTransformer(",
                                 "minmax_scale(",
                                 "boxcox(",
                                 "np.log10",
                                 "np.log2",
                                 "preprocessing.scale(",
                                 "preprocessing.normalize(",
                                 "transforms.Normalize(",
                                 "T.Normalize(",
                                 "layers.Normalization(",
                                 "Rescaling("};
inline const Tokens k_derived = {"PolynomialFeatures(",
                                 "SelectKBest(",
                                 "mutual_info",
                                 "feature_importances_",
                                 "RFE(",
                                 "PCA(",
                                 "withColumn(",
                                 "FeatureLookup(",
                                 "feature_engineering",
                                 "create_features",
                                 ".run(\"transform\")",
                                 ".run('transform')",
                                 "KBinsDiscretizer(",
                                 ".cut(",
                                 ".qcut("};
inline const Tokens k_impute = {"fillna(",           "dropna(",           "SimpleImputer(", "KNNImputer(",
                                "IterativeImputer(", "Imputer(",          "na.fill(",       "na.drop(",
                                ".interpolate(",     "MissingIndicator(", ".ffill(",        ".bfill(",
                                "fill_null(",        "drop_nulls(",       "fill_nan(",      "nan_to_num(",
                                "replace(np.nan,",   "replace(np.NaN,"};
/// Imputer objects: they fill only once fitted (`imputer.fit_transform(X_train)`), so building one before the
/// split is no leak by itself (fitted_cells()).
inline const Tokens k_imputer = {"SimpleImputer(", "KNNImputer(", "IterativeImputer(", "Imputer(",
                                 "MissingIndicator("};
/// Direct fills and drops: they change the rows where they are called.
inline const Tokens k_direct_fill = {
    "fillna(",    "dropna(",     "na.fill(",  "na.drop(",    ".interpolate(",   ".ffill(",        ".bfill(",
    "fill_null(", "drop_nulls(", "fill_nan(", "nan_to_num(", "replace(np.nan,", "replace(np.NaN,"};
/// Code that counts or tests missing values: pandas, NumPy, Spark, polars, missingno, SQL. Spark's
/// isNotNull() and SQL's IS NOT NULL are left out: they filter rows far more often than they count gaps.
inline const Tokens k_missing_check = {"isnull(", "isna(", "notnull(",    "notna(",   "missingno", "isNull(",
                                       "isnan(",  "msno.", "null_count(", "is_null(", ".hasnans",  "IS NULL"};
inline const Tokens k_missing_native = {"XGB",  "xgb.", "CatBoost", "HistGradientBoosting",
                                        "LGBM", "lgb.", "lightgbm."};
inline const Tokens k_metric = {"accuracy_score(",
                                "precision_score(",
                                "recall_score(",
                                "precision_recall_fscore_support(",
                                "fbeta_score(",
                                "median_absolute_error(",
                                "mean_squared_log_error(",
                                "matthews_corrcoef(",
                                "cohen_kappa_score(",
                                "f1_score(",
                                "roc_auc_score(",
                                "confusion_matrix(",
                                "classification_report(",
                                "mean_squared_error(",
                                "mean_absolute_error(",
                                "r2_score(",
                                "rmse(",
                                "meanabs(",
                                "compute(predictions",
                                "load_metric(",
                                "model_performance(",
                                "medianabs(",
                                "log_loss(",
                                "roc_curve(",
                                "Evaluator(",
                                ".evaluate(",
                                ".score(",
                                "cross_val_score(",
                                "cross_validate(",
                                "mean_absolute_percentage_error(",
                                "average_precision_score(",
                                "ConfusionMatrixDisplay",
                                "explained_variance_score(",
                                "best_score_",
                                ".rsquared",
                                ".run(\"evaluate\")",
                                ".run('evaluate')",
                                "precision_recall_curve(",
                                "balanced_accuracy",
                                "RocCurveDisplay",
                                "PrecisionRecallDisplay",
                                "silhouette_score(",
                                "silhouette_samples(",
                                "davies_bouldin_score(",
                                "calinski_harabasz_score(",
                                "rand_score(",
                                "mutual_info_score(",
                                "v_measure_score(",
                                "homogeneity_score(",
                                "completeness_score(",
                                "brier_score_loss(",
                                "jaccard_score(",
                                "hamming_loss(",
                                "zero_one_loss(",
                                "hinge_loss(",
                                "max_error(",
                                "mean_pinball_loss(",
                                "mean_poisson_deviance(",
                                "mean_gamma_deviance(",
                                "mean_tweedie_deviance(",
                                "d2_absolute_error_score(",
                                "d2_pinball_score(",
                                "d2_tweedie_score(",
                                "ndcg_score(",
                                "dcg_score(",
                                "coverage_error(",
                                "label_ranking_loss(",
                                "det_curve(",
                                "DetCurveDisplay",
                                "performance_metrics(",
                                "accuracy.mae(",
                                "accuracy.mse(",
                                "Accuracy(",
                                "AUROC(",
                                "F1Score(",
                                "FBetaScore(",
                                "Precision(",
                                "Recall(",
                                "AveragePrecision(",
                                "PrecisionRecallCurve(",
                                "ConfusionMatrix(",
                                "MeanSquaredError(",
                                "MeanAbsoluteError(",
                                "MeanAbsolutePercentageError(",
                                "R2Score(",
                                "MatthewsCorrCoef(",
                                "CohenKappa(",
                                "accuracy(",
                                "auroc(",
                                "AUC("};
/// Metric classes of torchmetrics and Keras (`torchmetrics.AUROC(task="binary")`, `BinaryF1Score()`,
/// `keras.metrics.Precision()`): they count in code only, not in a string's text (`print("Recall(%)")`);
/// `AveragePrecision(` is PR-AUC's, no `Precision(`; and an error class that is a loss computes no metric:
/// Keras' losses share the names (`keras.losses.MeanSquaredError()`, `loss=MeanAbsoluteError()`,
/// `loss_fn = MeanSquaredError()`).
inline const Tokens k_metric_classes = {"Accuracy(",          "AUROC(",
                                        "F1Score(",           "FBetaScore(",
                                        "Precision(",         "Recall(",
                                        "AveragePrecision(",  "PrecisionRecallCurve(",
                                        "ConfusionMatrix(",   "MeanSquaredError(",
                                        "MeanAbsoluteError(", "MeanAbsolutePercentageError(",
                                        "R2Score(",           "MatthewsCorrCoef(",
                                        "CohenKappa("};
/// Metric functions whose name also ends other names, matched only where they start a name, in code:
/// torchmetrics' functional `accuracy(` / `auroc(` (`from torchmetrics.functional import accuracy`), not
/// `balanced_accuracy(` nor a helper's `get_accuracy(`, nor its `def accuracy(`; Keras' `AUC(`
/// (`keras.metrics.AUC()`), not a helper's `roc_AUC(`.
inline const Tokens k_metric_calls = {"accuracy(", "auroc(", "AUC("};

/// Metric families, so that "several metrics" counts kinds, not calls. PR-AUC is a family of its own: unlike
/// ROC-AUC it depends on the class balance, which is why imbalanced data calls for it. A model's residuals
/// are a regression's residual look (the rubric's), also without a metric call: `res.resid` plotted. The
/// error rate is accuracy's (`zero_one_loss(`, `hamming_loss(`), the Jaccard index sits with F1 (a function
/// of it), the DET curve with the ROC curve (the same trade-off), the largest and the pinball (quantile)
/// error with the absolute error, D-squared with R-squared, the Brier score with log loss (both score
/// predicted probabilities); rankings (NDCG, coverage error) are a family of their own. A hinge loss, a
/// deviance (`mean_poisson_deviance(`, ...) and Prophet's `performance_metrics(` (a table of several, read
/// by the columns the notebook names) are metrics of no family.
inline const std::vector<std::pair<std::string, Tokens>> k_metric_kinds = {
    {"accuracy",
     {"accuracy_score(", "balanced_accuracy", "Accuracy", "accuracy(", "zero_one_loss(", "hamming_loss("}},
    {"precision/recall/F1",
     {"precision_score(", "recall_score(", "f1_score(", "classification_report(",
      "precision_recall_fscore_support(", "fbeta_score(", "jaccard_score(", "F1Score(", "FBetaScore(",
      "Precision(", "Recall("}},
    {"ROC-AUC",
     {"roc_auc_score(", "roc_curve(", "areaUnderROC", "RocCurveDisplay", "AUROC(", "auroc(", "AUC(",
      "det_curve(", "DetCurveDisplay"}},
    {"PR-AUC",
     {"average_precision_score(", "precision_recall_curve(", "PrecisionRecallDisplay", "areaUnderPR",
      "AveragePrecision(", "PrecisionRecallCurve(", "curve='PR'", "curve=\"PR\""}},
    {"confusion matrix", {"confusion_matrix(", "ConfusionMatrixDisplay", "crosstab(y", "ConfusionMatrix("}},
    {"squared error",
     {"mean_squared_error(", "rmse", "RMSE", "neg_mean_squared_error", "mean_squared_log_error(",
      "MeanSquaredError(", "accuracy.mse("}},
    {"absolute error",
     {"mean_absolute_error(", "mean_absolute_percentage_error(", "MAE", "median_absolute_error(", "meanabs(",
      "medianabs(", "MeanAbsoluteError(", "MeanAbsolutePercentageError(", "max_error(", "mean_pinball_loss(",
      "accuracy.mae("}},
    {"MCC/kappa", {"matthews_corrcoef(", "cohen_kappa_score(", "MatthewsCorrCoef(", "CohenKappa("}},
    {"R-squared",
     {"r2_score(", ".rsquared", "explained_variance_score(", "R2Score(", "d2_absolute_error_score(",
      "d2_pinball_score(", "d2_tweedie_score("}},
    {"log loss", {"log_loss(", "brier_score_loss("}},
    {"clustering",
     {"silhouette_score(", "silhouette_samples(", "davies_bouldin_score(", "calinski_harabasz_score(",
      "rand_score(", "mutual_info_score(", "v_measure_score(", "homogeneity_score(", "completeness_score(",
      "ClusteringEvaluator("}},
    {"ranking", {"ndcg_score(", "dcg_score(", "coverage_error(", "label_ranking_loss("}},
    {"residuals",
     {"residuals", "Residual", "residplot(", "plot_diagnostics("}},  // and a name `resid` (names_residuals)
};
/// Metric names given as strings, by family: sklearn's scorers (`cross_val_score(..., scoring="f1_macro")`,
/// `scoring=["accuracy", "roc_auc"]`), Spark evaluators' `metricName="r2"`, Keras' `metrics=["accuracy"]`.
/// Matched quoted and whole (shows_metric_kind). Not Spark's bare "mse" / "mae": sklearn's trees once took
/// them as `criterion=` values, which are no metric.
inline const std::vector<std::pair<std::string, Tokens>> k_metric_names = {
    {"accuracy", {"accuracy", "balanced_accuracy", "top_k_accuracy"}},
    {"precision/recall/F1",
     {"f1", "f1_macro", "f1_micro", "f1_weighted", "f1_samples", "precision", "precision_macro",
      "precision_micro", "precision_weighted", "recall", "recall_macro", "recall_micro", "recall_weighted",
      "weightedPrecision", "weightedRecall"}},
    {"ROC-AUC",
     {"roc_auc", "roc_auc_ovr", "roc_auc_ovo", "roc_auc_ovr_weighted", "roc_auc_ovo_weighted", "auc", "AUC"}},
    {"PR-AUC", {"average_precision"}},
    {"squared error", {"neg_root_mean_squared_error", "neg_mean_squared_log_error"}},
    {"absolute error",
     {"neg_mean_absolute_error", "neg_median_absolute_error", "neg_mean_absolute_percentage_error"}},
    {"R-squared", {"r2", "explained_variance"}},
    {"log loss", {"neg_log_loss"}},
    {"clustering",
     {"adjusted_rand_score", "rand_score", "adjusted_mutual_info_score", "normalized_mutual_info_score",
      "mutual_info_score", "v_measure_score", "homogeneity_score", "completeness_score", "silhouette"}},
};
/// Estimators a fitted model's `.score(X, y)` reads as accuracy (classifiers) or R-squared (regressors).
inline const Tokens k_classifiers = {"Classifier(", "LogisticRegression(",  "LogisticRegressionCV(", "SVC(",
                                     "NB(",         "DiscriminantAnalysis("};
inline const Tokens k_regressors = {"Regressor(", "LinearRegression(", "Ridge(",        "RidgeCV(", "Lasso(",
                                    "LassoCV(",   "ElasticNet(",       "ElasticNetCV(", "SVR("};

/// Packages in the usual Python / Jupyter / Databricks ML runtimes (no install step expected), besides the
/// standard library.
inline const std::set<std::string, std::less<>> k_runtime_modules = {
    "numpy",    "pandas",  "matplotlib", "seaborn", "sklearn",     "scipy", "statsmodels",
    "mlflow",   "pyspark", "joblib",     "IPython", "ipywidgets",  "pylab", "plotly",
    "requests", "yaml",    "tqdm",       "PIL",     "mpl_toolkits"};
inline const std::set<std::string, std::less<>> k_databricks_runtime = {"databricks", "hyperopt", "xgboost",
                                                                        "lightgbm",   "delta",    "pyarrow"};
/// The standard library's top-level modules: Python 3's (sys.stdlib_module_names, private ones left out) and
/// the Python 2 names old notebooks still import (urllib2, cPickle, StringIO, ...).
inline const std::set<std::string, std::less<>> k_stdlib = {"abc",
                                                            "aifc",
                                                            "antigravity",
                                                            "argparse",
                                                            "array",
                                                            "ast",
                                                            "asynchat",
                                                            "asyncio",
                                                            "asyncore",
                                                            "atexit",
                                                            "audioop",
                                                            "base64",
                                                            "bdb",
                                                            "binascii",
                                                            "bisect",
                                                            "builtins",
                                                            "bz2",
                                                            "cProfile",
                                                            "calendar",
                                                            "cgi",
                                                            "cgitb",
                                                            "chunk",
                                                            "cmath",
                                                            "cmd",
                                                            "code",
                                                            "codecs",
                                                            "codeop",
                                                            "collections",
                                                            "colorsys",
                                                            "compileall",
                                                            "concurrent",
                                                            "configparser",
                                                            "contextlib",
                                                            "contextvars",
                                                            "copy",
                                                            "copyreg",
                                                            "crypt",
                                                            "csv",
                                                            "ctypes",
                                                            "curses",
                                                            "dataclasses",
                                                            "datetime",
                                                            "dbm",
                                                            "decimal",
                                                            "difflib",
                                                            "dis",
                                                            "distutils",
                                                            "doctest",
                                                            "email",
                                                            "encodings",
                                                            "ensurepip",
                                                            "enum",
                                                            "errno",
                                                            "faulthandler",
                                                            "fcntl",
                                                            "filecmp",
                                                            "fileinput",
                                                            "fnmatch",
                                                            "fractions",
                                                            "ftplib",
                                                            "functools",
                                                            "gc",
                                                            "genericpath",
                                                            "getopt",
                                                            "getpass",
                                                            "gettext",
                                                            "glob",
                                                            "graphlib",
                                                            "grp",
                                                            "gzip",
                                                            "hashlib",
                                                            "heapq",
                                                            "hmac",
                                                            "html",
                                                            "http",
                                                            "idlelib",
                                                            "imaplib",
                                                            "imghdr",
                                                            "imp",
                                                            "importlib",
                                                            "inspect",
                                                            "io",
                                                            "ipaddress",
                                                            "itertools",
                                                            "json",
                                                            "keyword",
                                                            "lib2to3",
                                                            "linecache",
                                                            "locale",
                                                            "logging",
                                                            "lzma",
                                                            "mailbox",
                                                            "mailcap",
                                                            "marshal",
                                                            "math",
                                                            "mimetypes",
                                                            "mmap",
                                                            "modulefinder",
                                                            "msilib",
                                                            "msvcrt",
                                                            "multiprocessing",
                                                            "netrc",
                                                            "nis",
                                                            "nntplib",
                                                            "nt",
                                                            "ntpath",
                                                            "nturl2path",
                                                            "numbers",
                                                            "opcode",
                                                            "operator",
                                                            "optparse",
                                                            "os",
                                                            "ossaudiodev",
                                                            "pathlib",
                                                            "pdb",
                                                            "pickle",
                                                            "pickletools",
                                                            "pipes",
                                                            "pkgutil",
                                                            "platform",
                                                            "plistlib",
                                                            "poplib",
                                                            "posix",
                                                            "posixpath",
                                                            "pprint",
                                                            "profile",
                                                            "pstats",
                                                            "pty",
                                                            "pwd",
                                                            "py_compile",
                                                            "pyclbr",
                                                            "pydoc",
                                                            "pydoc_data",
                                                            "pyexpat",
                                                            "queue",
                                                            "quopri",
                                                            "random",
                                                            "re",
                                                            "readline",
                                                            "reprlib",
                                                            "resource",
                                                            "rlcompleter",
                                                            "runpy",
                                                            "sched",
                                                            "secrets",
                                                            "select",
                                                            "selectors",
                                                            "shelve",
                                                            "shlex",
                                                            "shutil",
                                                            "signal",
                                                            "site",
                                                            "smtpd",
                                                            "smtplib",
                                                            "sndhdr",
                                                            "socket",
                                                            "socketserver",
                                                            "spwd",
                                                            "sqlite3",
                                                            "sre_compile",
                                                            "sre_constants",
                                                            "sre_parse",
                                                            "ssl",
                                                            "stat",
                                                            "statistics",
                                                            "string",
                                                            "stringprep",
                                                            "struct",
                                                            "subprocess",
                                                            "sunau",
                                                            "symtable",
                                                            "sys",
                                                            "sysconfig",
                                                            "syslog",
                                                            "tabnanny",
                                                            "tarfile",
                                                            "telnetlib",
                                                            "tempfile",
                                                            "termios",
                                                            "textwrap",
                                                            "this",
                                                            "threading",
                                                            "time",
                                                            "timeit",
                                                            "tkinter",
                                                            "token",
                                                            "tokenize",
                                                            "tomllib",
                                                            "trace",
                                                            "traceback",
                                                            "tracemalloc",
                                                            "tty",
                                                            "turtle",
                                                            "turtledemo",
                                                            "types",
                                                            "typing",
                                                            "unicodedata",
                                                            "unittest",
                                                            "urllib",
                                                            "uu",
                                                            "uuid",
                                                            "venv",
                                                            "warnings",
                                                            "wave",
                                                            "weakref",
                                                            "webbrowser",
                                                            "winreg",
                                                            "winsound",
                                                            "wsgiref",
                                                            "xdrlib",
                                                            "xml",
                                                            "xmlrpc",
                                                            "zipapp",
                                                            "zipfile",
                                                            "zipimport",
                                                            "zlib",
                                                            "zoneinfo",
                                                            "__future__",
                                                            "cPickle",
                                                            "cStringIO",
                                                            "StringIO",
                                                            "urllib2",
                                                            "urlparse",
                                                            "httplib",
                                                            "ConfigParser",
                                                            "Queue",
                                                            "HTMLParser",
                                                            "commands",
                                                            "thread",
                                                            "sets",
                                                            "md5",
                                                            "exceptions"};

/// Kinds of exploration, in the order the EDA rule lists them.
inline const std::vector<std::pair<std::string, Tokens>> k_exploration_kinds = {
    {"shape/types", {".shape", ".dtypes", ".info(", "printSchema(", ".columns"}},
    {"summary statistics",
     {".describe(", ".mean()", ".median()", ".std()", "quantile(", ".skew(", ".kurt(", "ProfileReport(",
      "profile_report("}},  // and a data frame's summary() (shows_kind)
    {"missing values",
     {"isnull(", "isna(", "missingno", "notnull(", "isNull(", "isnan(", "msno.", "null_count(", "is_null(",
      "IS NULL"}},
    {"distributions",
     {"hist(",        "histplot(",  "distplot(",    "kdeplot(",      "countplot(",    "value_counts(",
      "boxplot(",     "probplot(",  "plot.box",     "plot.hist",     "violinplot(",   "displot(",
      "ecdfplot(",    "stripplot(", "swarmplot(",   "kind='hist'",   "kind=\"hist\"", "kind='box'",
      "kind=\"box\"", "kind='kde'", "kind=\"kde\"", "px.histogram(", "px.box("}},
    // every chart, whatever it shows: a histogram or a heatmap is a plot besides a distribution or a
    // relationship
    {"plots", {".plot(",       ".plot.",      "plt.plot(",  "lineplot(",       "px.",          ".hist(",
               "histplot(",    "distplot(",   "kdeplot(",   "countplot(",      "boxplot(",     "violinplot(",
               "displot(",     "ecdfplot(",   "stripplot(", "swarmplot(",      "heatmap(",     "pairplot(",
               "scatterplot(", "regplot(",    "lmplot(",    "catplot(",        "jointplot(",   "barplot(",
               "relplot(",     "FacetGrid(",  "PairGrid(",  "scatter_matrix(", ".scatter(",    ".bar(",
               ".barh(",       ".pie(",       ".imshow(",   "plt.subplots(",   "plt.subplot(", "plt.figure(",
               "probplot(",    "msno.matrix("}},
    {"relationships",
     {".corr(",     "heatmap(",        "pairplot(",   "scatter(",         "scatterplot(", "crosstab(",
      "PairGrid(",  "scatter_matrix(", "mutual_info", "regplot(",         "lmplot(",      "groupby(",
      ".groupBy(",  "catplot(",        "jointplot(",  "FacetGrid(",       "barplot(",     "corrcoef(",
      ".corrwith(", "pearsonr(",       "spearmanr(",  "chi2_contingency("}},
};
/// Words of markdown that states what exploration found.
inline const Tokens k_finding_words = {
    "we can see",  "we see",          "shows that", "show that", "observ",   "notice",   "appears",
    "seems",       "finding",         "insight",    "conclu",    "correlat", "skew",     "outlier",
    "imbalanc",    "distribution is", "indicat",    "suggest",   "reveal",   "majority", "most of the",
    "more likely", "less likely",     "no missing", "takeaway"};
/// Further words of findings about the data's make-up, beside k_finding_words.
inline const Tokens k_data_finding_words = {"different scale", "no null"};
/// Words of markdown that plans or instructs rather than reports, matched as whole words (contains_word: not
/// "test" in "latest", "train" in "constraint"): a share in it ("80% for training") is no finding
/// (states_finding).
inline const Tokens k_plan_words = {
    "will",   "we'll",     "let's",  "let us",  "going to", "in this notebook",
    "next",   "train",     "trains", "trained", "training", "trainset",
    "test",   "tests",     "tested", "testing", "testset",  "split",
    "splits", "splitting", "we use", "we need", "should",   "you"};
/// Labels that open an exercise or a task, matched at a line's start (opens_with_label): these open one
/// whatever follows ("Your turn", "TODO: ...")...
inline const Tokens k_task_labels = {"your turn", "your task", "todo"};
/// ... and these only as a heading of their own: a number or a letter at most, then a colon, a full stop,
/// a bracket, a dash, `!` or the line's end ("Exercise 2: drop ...", "**Task 3.**", "Question 1)", "To do:";
/// not "Exercise frequency: ..." nor "To do this, we ..."). A question needs its number ("Q1:", "Question
/// 4").
inline const Tokens k_numbered_labels = {"exercise", "exercises", "task",  "tasks", "assignment",
                                         "question", "q",         "to do", "to-do"};
/// Verbs that open an order to the reader, when what they act on follows them (k_order_objects): "Drop every
/// column ...", "Compute the share ...". Not "Note", "Notice" or "See", which open findings ("Notice that
/// ...").
inline const Tokens k_order_verbs = {"drop",      "fill",   "impute", "remove",    "replace",  "compute",
                                     "calculate", "create", "write",  "implement", "complete", "build",
                                     "fit",       "train",  "split",  "encode",    "scale",    "normalize",
                                     "normalise", "plot",   "find",   "select",    "filter",   "convert",
                                     "define",    "apply",  "add",    "try",       "use",      "make"};
inline const Tokens k_order_objects = {"the",  "a",       "an",    "every", "all",     "each", "any",
                                       "your", "these",   "those", "this",  "them",    "it",   "columns",
                                       "rows", "missing", "new",   "some",  "another", "one"};
/// Model families ("baseline" last: a dummy model). statsmodels' linear models count as linear (`ols(` and
/// `OLS(` only where they start a name, as in k_estimator_words). Recommenders are matrix factorisations
/// and their kin, which learn from a user-item matrix (Spark ML's ALS, implicit's, LightFM, surprise's SVD,
/// SlopeOne, ...); surprise's neighbourhood models (`KNNBasic(`, ...) are knn, Spark ML's LDA topic model is
/// clustering (Spark files it there), imblearn's EasyEnsemble and RUSBoost (AdaBoost ensembles) boosting,
/// surprise's `NormalPredictor(` (random ratings drawn from the training distribution) and sktime's
/// `NaiveForecaster(` (the last value, the mean or last season's) baselines.
inline const std::vector<std::pair<std::string, Tokens>> k_model_families = {
    {"linear",
     {"LinearRegression(",
      "LogisticRegression(",
      "LogisticRegressionCV(",
      "Lasso(",
      "LassoCV(",
      "Ridge(",
      "RidgeCV(",
      "RidgeClassifier",
      "ElasticNet(",
      "ElasticNetCV(",
      "SGDClassifier(",
      "SGDRegressor(",
      "HuberRegressor(",
      "PoissonRegressor(",
      "TweedieRegressor(",
      "GammaRegressor(",
      "Perceptron(",
      "BayesianRidge(",
      "ARDRegression(",
      "LassoLars",
      "Lars(",
      "ols(",
      "OLS(",
      "smf.",
      "Logit(",
      "Probit(",
      "GLM(",
      "WLS(",
      "GLS(",
      "QuantReg(",
      "Poisson(",
      "NegativeBinomial(",
      "RLM(",
      "PanelOLS(",
      "IV2SLS("}},
    {"tree", {"DecisionTree"}},
    {"forest", {"RandomForest", "ExtraTrees"}},
    {"boosting",
     {"GradientBoosting", "AdaBoost", "XGB", "LGBM", "CatBoost", "lgb.train(", "xgb.train(", "EasyEnsemble",
      "RUSBoost"}},
    {"svm", {"SVC(", "SVR("}},
    {"knn", {"KNeighbors", "KNNBasic(", "KNNWithMeans(", "KNNWithZScore(", "KNNBaseline("}},
    {"naive bayes", {"NB(", "NaiveBayes("}},
    {"neural net",
     {"MLP", "MultilayerPerceptron", "Sequential(", "nn.Module", "keras.Model(", "Model(input",
      "AutoModelFor", "SentenceTransformer("}},
    {"clustering",
     {"KMeans(", "DBSCAN(", "AgglomerativeClustering(", "GaussianMixture(", "MeanShift(",
      "SpectralClustering(", "Birch(", "OPTICS(", "AffinityPropagation(", "LDA("}},
    {"recommender",
     {"ALS(", "AlternatingLeastSquares(", "BayesianPersonalizedRanking(", "LogisticMatrixFactorization(",
      "LightFM(", "SVD(", "SVDpp(", "SlopeOne(", "CoClustering(", "BaselineOnly("}},
    {"association rules", {"FPGrowth("}},
    {"time series",
     {"ARIMA(",
      "SARIMAX(",
      "ExponentialSmoothing(",
      "Prophet(",
      "AutoReg(",
      "auto_arima(",
      "SimpleExpSmoothing(",
      "Holt(",
      "ETSModel(",
      "UnobservedComponents(",
      "VAR(",
      "VARMAX(",
      "ThetaModel(",
      "STLForecast(",
      "MarkovRegression(",
      "arch_model(",
      "AutoETS(",
      "ThetaForecaster(",
      "AutoTheta(",
      "TBATS(",
      "BATS(",
      "STLForecaster(",
      "PolynomialTrendForecaster(",
      "TrendForecaster(",
      "Croston("}},
    {"baseline", {"DummyClassifier(", "DummyRegressor(", "NormalPredictor(", "NaiveForecaster("}}};
/// Words of markdown that discusses metrics.
inline const Tokens k_metric_words = {"accuracy",  "precision", "recall",   "rmse",       "mse",   "mape",
                                      "f1",        "log loss",  "residual", "silhouette", "mae",   "r2",
                                      "r-squared", "r²",        "auc",      "error",      "score", "baseline",
                                      "better",    "worse",     "improv"};

// ---- evidence that needs more than a token ----

/// Cells that build a pipeline of transformers and a model (sklearn, imblearn, Spark ML): `Pipeline(` other
/// than an MLflow recipe's `Pipeline(profile=...)`, make_pipeline, a column transformer.
inline std::vector<int> pipeline_cells(const NotebookFacts& f) {
  std::vector<int> out;
  for (const auto& c : f.code) {
    bool found = false;
    for (std::string_view token : k_pipeline)
      for (auto at = c.body.find(token); !found && at != std::string::npos; at = c.body.find(token, at + 1))
        found = c.body.compare(at + token.size(), 7, "profile") != 0;
    if (found) out.push_back(c.number);
  }
  return out;
}

/// The identifier that ends right before `at` in `text` ("" when none): `imputer` in "imputer.fit(".
inline std::string_view name_before(std::string_view text, std::size_t at) {
  std::size_t b = at;
  while (b > 0 && is_identifier_char(text[b - 1])) --b;
  return text.substr(b, at - b);
}

/// Whether the call at `at` of `text` (`.info(`, `.debug(`, ...) is made on a logger, not a data frame:
/// `logger.info(`, `logging.info(`, `log.info(`, `self._logger.info(`, `logging.getLogger(__name__).info(`
/// (the name before it, in any case, is `logging` or `log` or ends with `logger`; `df_log.info()` is a
/// frame's).
inline bool logs_at(std::string_view text, std::size_t at) {
  const std::string name = util::to_lower(name_before(text, at));
  if (name.empty() && at > 0 && text[at - 1] == ')') {  // logging.getLogger(__name__).info(...)
    const std::size_t nl = text.rfind('\n', at);
    const std::size_t from = nl == std::string_view::npos ? 0 : nl;
    return text.substr(from, at - from).find("getLogger(") != std::string_view::npos;
  }
  return name == "logging" || name == "log" || util::ends_with(name, "logger");
}

/// The name `line` assigns an object built by one of `tokens` (`scaler` in "self.scaler = StandardScaler()"),
/// "" when none.
inline std::string_view built_name(std::string_view line, const Tokens& tokens) {
  if (!contains_any(line, tokens)) return {};
  const std::size_t eq = line.find(" = ");
  if (eq == std::string_view::npos) return {};
  const std::string_view left = util::trim(line.substr(0, eq));
  return name_before(left, left.size());
}

/// Whether byte `at` of `body` is inside the arguments of an AdaBoost call (`AdaBoostClassifier(
/// DecisionTreeClassifier(max_depth=1), n_estimators=200)`, `AdaBoostRegressor(estimator=...)`): a model
/// built there is the booster's weak learner, part of one boosted model, not a family of its own. Read back
/// to the nearest unclosed `(` (at most 2,000 bytes back; strings are not told apart).
inline bool in_adaboost_arguments(std::string_view body, std::size_t at) {
  int depth = 0;
  const std::size_t stop = at > 2000 ? at - 2000 : 0;
  for (std::size_t i = at; i-- > stop;) {
    if (body[i] == ')' || body[i] == ']' || body[i] == '}') {
      ++depth;
    } else if (body[i] == '(' || body[i] == '[' || body[i] == '{') {
      if (depth > 0) {
        --depth;
        continue;
      }
      if (body[i] != '(') return false;
      std::size_t begin = i;
      while (begin > 0 && is_identifier_char(body[begin - 1])) --begin;
      return util::starts_with(body.substr(begin, i - begin), "AdaBoost");
    }
  }
  return false;
}

/// The names handed to an AdaBoost call anywhere in the notebook (`AdaBoostClassifier(stump,
/// n_estimators=200)`, `AdaBoostRegressor(estimator=tree)`): every identifier of its arguments that is no
/// keyword's name (`stump`, `tree`; read up to 1,000 bytes, strings not told apart). A model assigned to one
/// of them (`stump = DecisionTreeClassifier(max_depth=1)`) is the booster's weak learner.
inline std::set<std::string, std::less<>> adaboost_argument_names(const NotebookFacts& f) {
  std::set<std::string, std::less<>> out;
  for (const auto& c : f.code) {
    const std::string_view body = c.body;
    for (auto at = body.find("AdaBoost"); at != std::string_view::npos; at = body.find("AdaBoost", at + 1)) {
      std::size_t open = at;
      while (open < body.size() && is_identifier_char(body[open])) ++open;
      if (open >= body.size() || body[open] != '(') continue;
      int depth = 0;
      const std::size_t stop = std::min(body.size(), open + 1000);
      for (std::size_t i = open; i < stop; ++i) {
        if (body[i] == '(' || body[i] == '[' || body[i] == '{') ++depth;
        if (body[i] == ')' || body[i] == ']' || body[i] == '}') {
          if (--depth == 0) break;
        }
        if (!is_identifier_char(body[i]) || is_identifier_char(body[i - 1]) || body[i - 1] == '.' ||
            std::isdigit(static_cast<unsigned char>(body[i])))
          continue;
        std::size_t end = i;
        while (end < stop && is_identifier_char(body[end])) ++end;
        std::size_t next = end;
        while (next < stop && body[next] == ' ') ++next;
        const bool keyword = next < stop && body[next] == '=' && (next + 1 >= stop || body[next + 1] != '=');
        if (!keyword) out.emplace(body.substr(i, end - i));
      }
    }
  }
  return out;
}

/// Whether some code cell names a model of a family (a row of k_model_families): one of its tokens, a
/// k_estimator_words word only where it starts a name (`smf.ols(`, not `setInputCols(`), and not as an
/// AdaBoost model's weak learner (in_adaboost_arguments: boosted trees are one model, of the boosting
/// family), built in its call or assigned to a name handed to it (adaboost_argument_names: `stump =
/// DecisionTreeClassifier(max_depth=1)` then `AdaBoostClassifier(stump)`).
inline bool uses_model_family(const NotebookFacts& f, const Tokens& tokens,
                              const std::set<std::string, std::less<>>& weak_learners) {
  return std::any_of(f.code.begin(), f.code.end(), [&](const CodeFacts& c) {
    return std::any_of(tokens.begin(), tokens.end(), [&](std::string_view t) {
      const bool word =
          std::find(k_estimator_words.begin(), k_estimator_words.end(), t) != k_estimator_words.end();
      if (word) return contains_name(c.body, t);
      const std::string_view body = c.body;
      for (auto at = body.find(t); at != std::string::npos; at = body.find(t, at + 1)) {
        if (in_adaboost_arguments(body, at)) continue;
        const std::size_t begin =
            body.rfind('\n', at) == std::string_view::npos ? 0 : body.rfind('\n', at) + 1;
        const std::string_view line = body.substr(begin, body.find('\n', at) - begin);
        const std::string_view name = built_name(line, {t});
        if (!name.empty() && weak_learners.count(name) > 0 && !contains(line, "AdaBoost")) continue;
        return true;
      }
      return false;
    });
  });
}

/// The model families the notebook names (k_model_families rows, "baseline" included). Clustering counts only
/// when no other family is there: beside a supervised model, KMeans' cluster labels or distances are features
/// made for it (a transform, as PCA is), not a candidate model.
inline std::set<std::string> model_families(const NotebookFacts& f) {
  std::set<std::string> out;
  const auto weak_learners = adaboost_argument_names(f);
  for (const auto& [name, tokens] : k_model_families)
    if (uses_model_family(f, tokens, weak_learners)) out.insert(name);
  const bool other = std::any_of(out.begin(), out.end(),
                                 [](const std::string& n) { return n != "clustering" && n != "baseline"; });
  if (other) out.erase("clustering");
  return out;
}

/// Whether every model family the notebook uses is clustering (model_families: KMeans, DBSCAN, mixtures,
/// ...): unsupervised models are fitted on all the data and scored on it (silhouette, inertia), so neither a
/// hold-out split nor metrics on held-out rows is expected of them.
inline bool clustering_only(const NotebookFacts& f) {
  const auto families = model_families(f);
  return families.size() == 1 && *families.begin() == "clustering";
}

/// Whether `body` names a model's residuals as statsmodels does: `resid` as a whole name (`res.resid`,
/// `resid = y - fitted`) or `resid_...` (`resid_pearson`); not a name it only begins (`residence_type`).
inline bool names_residuals(std::string_view body) {
  for (auto at = body.find("resid"); at != std::string_view::npos; at = body.find("resid", at + 1)) {
    if (at > 0 && is_identifier_char(body[at - 1])) continue;
    const char next = at + 5 < body.size() ? body[at + 5] : ' ';
    if (!is_identifier_char(next) || next == '_') return true;
  }
  return false;
}

/// Whether `body` plots residuals: a plotting call (a name `scatter`, `plot`, `hist`, `histplot`,
/// `scatterplot`, `kdeplot`, `distplot`, `displot`, `lineplot` or `histogram` followed by `(`:
/// `plt.scatter(`, `ax.plot(`, `sns.histplot(`, `px.scatter(`) whose arguments, or whose receiver in
/// parentheses (`(y_test - y_pred).plot(kind="hist")`), hold a difference of two operands, neither a literal
/// (each starts with a letter or `_`), one naming predictions (`pred`, `yhat` or `y_hat`, in any case) and
/// the other the labels, not predictions (a word `y`, or `y_`, `true`, `test`, `actual`, `target`, `label`,
/// `valid`, `obs`, in any case): labels minus predictions (`plt.scatter(y_pred, y_test - y_pred)`,
/// `plt.hist(y - model.predict(X))`, `sns.histplot(df["y"] - df["pred"])`). A difference of two predictions
/// (`upper_pred - lower_pred`), of a prediction and no label (a band, `y_pred - sigma`), of no prediction
/// (`X[:, 0] - offset`) or with a number (`1 - y_pred`) is none. The structure is read with strings and
/// comments blanked (a `-` in a title is none); an operand's names are read with its strings (a column
/// `"pred"`).
inline bool plots_residuals(std::string_view body) {
  static const Tokens plots = {"scatter", "plot",     "hist",    "histplot", "scatterplot",
                               "kdeplot", "distplot", "displot", "lineplot", "histogram"};
  if (!contains_any(util::to_lower(body), {"pred", "yhat", "y_hat"})) return false;
  const std::string text = code_text(body);
  // an operand of `text` as `body` has it, in lower case (a column's name in quotes too: `df["pred"]`)
  const auto read = [&](std::string_view operand) {
    return util::to_lower(
        body.substr(static_cast<std::size_t>(operand.data() - text.data()), operand.size()));
  };
  const auto predicted = [](std::string_view lower) {
    return contains_any(lower, {"pred", "yhat", "y_hat"});
  };
  const auto labels = [&](std::string_view lower) {
    return !predicted(lower) &&
           (contains_word(lower, "y") ||
            contains_any(lower, {"y_", "true", "test", "actual", "target", "label", "valid", "obs"}));
  };
  const auto name_start = [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) || ch == '_'; };
  // whether `expr` holds such a difference: the operands read outward from each `-`, over names, dots and
  // bracketed subscripts or calls
  const auto residual_difference = [&](std::string_view expr) {
    for (std::size_t at = expr.find('-'); at != std::string_view::npos; at = expr.find('-', at + 1)) {
      std::size_t left = at;
      while (left > 0 && expr[left - 1] == ' ') --left;
      const std::size_t left_end = left;
      for (int depth = 0; left > 0; --left) {
        const char ch = expr[left - 1];
        if (ch == ')' || ch == ']') {
          ++depth;
        } else if (ch == '(' || ch == '[') {
          if (depth == 0) break;
          --depth;
        } else if (depth == 0 && !is_identifier_char(ch) && ch != '.') {
          break;
        }
      }
      std::size_t right = at + 1;
      while (right < expr.size() && expr[right] == ' ') ++right;
      const std::size_t right_begin = right;
      for (int depth = 0; right < expr.size(); ++right) {
        const char ch = expr[right];
        if (ch == '(' || ch == '[') {
          ++depth;
        } else if (ch == ')' || ch == ']') {
          if (depth == 0) break;
          --depth;
        } else if (depth == 0 && !is_identifier_char(ch) && ch != '.') {
          break;
        }
      }
      const std::string_view a = expr.substr(left, left_end - left);
      const std::string_view b = expr.substr(right_begin, right - right_begin);
      if (a.empty() || b.empty() || !name_start(a.front()) || !name_start(b.front())) continue;
      const std::string first = read(a), second = read(b);
      if ((predicted(first) && labels(second)) || (labels(first) && predicted(second))) return true;
    }
    return false;
  };
  // the text between the `(` at `open` and its closing `)` (to the end when unclosed)
  const auto inside = [&](std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
      if (text[i] == '(') ++depth;
      if (text[i] == ')' && --depth == 0) return std::string_view(text).substr(open + 1, i - open - 1);
    }
    return std::string_view(text).substr(open + 1);
  };
  for (std::size_t open = text.find('('); open != std::string::npos; open = text.find('(', open + 1)) {
    const std::string_view name = name_before(text, open);
    if (std::find(plots.begin(), plots.end(), name) == plots.end()) continue;
    if (residual_difference(inside(open))) return true;
    // the receiver of a method call in parentheses: `(y_test - y_pred).plot(`
    const std::size_t dot = open - name.size();
    if (dot < 2 || text[dot - 1] != '.' || text[dot - 2] != ')') continue;
    int depth = 0;
    for (std::size_t i = dot - 1; i-- > 0;) {
      if (text[i] == ')') {
        ++depth;
      } else if (text[i] == '(' && --depth == 0) {
        if (residual_difference(inside(i))) return true;
        break;
      }
    }
  }
  return false;
}

/// The metric families a cell computes by hand, without a metric call: per logical line, outside strings and
/// comments, a line that names predictions (a name holding `pred`: `y_pred`, `preds`, `predicted`,
/// `model.predict(`; or `yhat` / `y_hat`) and reduces (`mean(`, `.mean()`, `sum(`, `average(`):
/// - R-squared: one minus a ratio with a squared difference (`1 - np.sum((y - y_pred) ** 2) / np.sum((y -
///   y.mean()) ** 2)`);
/// - squared error: otherwise a difference squared (`-` and `**2`, `** 2`, `square(` or `pow(`):
///   `np.sqrt(np.mean((y_test - y_pred) ** 2))`;
/// - absolute error: a difference's absolute value (`-` and `abs(`, `absolute(`): `np.mean(np.abs(y -
///   yhat))`;
/// - accuracy: an equality or inequality of two names (`==` or `!=` followed by a name or a bracket, not a
///   literal nor a constant in capitals, or pandas' `.eq(`): `(y_pred == y_test).mean()`, `correct +=
///   (predicted == labels).sum().item()`, `(y_pred != y).mean()` (the error rate), `pred.eq(y).mean()`.
/// Row by row errors that are not reduced (`df["err"] = (df.pred - df.y) ** 2`) and counts of one class
/// (`(y_pred == 1).sum()`, `(y_pred == FRAUD).sum()`) are none.
inline std::set<std::string> hand_written_metric_kinds(std::string_view body) {
  std::set<std::string> out;
  if (!contains(body, "pred") && !contains(body, "yhat") && !contains(body, "y_hat")) return out;
  const std::string text = code_text(body);
  const auto ends = logical_line_ends(text);
  // a name or a bracket starts at `next` (after spaces): not True/False/None, nor a constant in capitals
  const auto names_other_value = [](std::string_view line, std::size_t next) {
    while (next < line.size() && line[next] == ' ') ++next;
    if (next >= line.size()) return false;
    if (line[next] == '(' || line[next] == '[') return true;
    if (!std::isalpha(static_cast<unsigned char>(line[next])) && line[next] != '_') return false;
    std::size_t stop = next;
    while (stop < line.size() && is_identifier_char(line[stop])) ++stop;
    const std::string_view word = line.substr(next, stop - next);
    if (word == "True" || word == "False" || word == "None") return false;
    return word.size() < 2 || std::any_of(word.begin(), word.end(), [](char ch) {
             return std::islower(static_cast<unsigned char>(ch));
           });
  };
  for (std::size_t k = 0; k < ends.size(); ++k) {
    const auto [begin, end] = logical_line_range(ends, k);
    const std::string_view line = std::string_view(text).substr(begin, end - begin);
    if (!contains_any(line, {"pred", "yhat", "y_hat"})) continue;
    if (!contains_any(line, {"mean(", ".mean()", "sum(", "average("})) continue;
    const bool difference = contains(line, "-");
    if (difference && contains_any(line, {"**2", "** 2", "square(", "pow("})) {
      const std::size_t one = std::min(line.find("1 -"), line.find("1-"));
      const bool ratio = one != std::string_view::npos && line.find('/', one) != std::string_view::npos &&
                         (one == 0 || !is_identifier_char(line[one - 1]));
      out.insert(ratio ? "R-squared" : "squared error");
    }
    if (difference && contains_any(line, {"abs(", "absolute("})) out.insert("absolute error");
    bool accuracy = false;
    for (std::string_view op : {"==", "!="})
      for (auto at = line.find(op); !accuracy && at != std::string_view::npos; at = line.find(op, at + 2))
        accuracy = names_other_value(line, at + 2);
    for (auto at = line.find(".eq("); !accuracy && at != std::string_view::npos;
         at = line.find(".eq(", at + 4))
      accuracy = names_other_value(line, at + 4);
    if (accuracy) out.insert("accuracy");
  }
  return out;
}

/// Whether `body` holds `name` as a whole quoted string ('f1' or "f1", not 'f1_macro' for "f1").
inline bool quotes_name(std::string_view body, std::string_view name) {
  for (char q : {'\'', '"'}) {
    const std::string quoted = q + std::string(name) + q;
    if (contains(body, quoted)) return true;
  }
  return false;
}

/// The metric families of fitted models' `.score(X, y)`, by code cell number (cells without one left out):
/// sklearn scores a classifier by accuracy and a regressor (a pipeline ending in one too) by R-squared. The
/// model is the one the name was last assigned (`clf = RandomForestClassifier(...)`, on one line, in this
/// cell or an earlier one); a name assigned anything else (a multi-line pipeline, KMeans, whose score is its
/// negative inertia) or a search with its own `scoring=` gives no family. One pass over the cells (it is
/// computed once, Stages::score_kinds).
inline std::map<int, std::set<std::string>> model_score_kinds(const NotebookFacts& f) {
  std::map<int, std::set<std::string>> out;
  std::map<std::string, std::string, std::less<>> kind_of;  // name -> family, as assigned so far
  for (const auto& c : f.code) {
    for (std::string_view line : util::split_lines(c.body)) {
      const auto classifier = built_name(line, k_classifiers);
      const auto regressor = built_name(line, k_regressors);
      const std::string_view name = classifier.empty() ? regressor : classifier;
      if (name.empty()) continue;
      const bool one_kind = classifier.empty() != regressor.empty() && !contains(line, "scoring");
      kind_of[std::string(name)] = one_kind ? (classifier.empty() ? "R-squared" : "accuracy") : "";
    }
    for (auto at = c.body.find(".score("); at != std::string::npos; at = c.body.find(".score(", at + 1))
      if (const auto it = kind_of.find(name_before(c.body, at)); it != kind_of.end() && !it->second.empty())
        out[c.number].insert(it->second);
  }
  return out;
}

/// One MLflow autologging call in a cell body: `mlflow.autolog(...)`, `mlflow.sklearn.autolog(...)`, ...
struct AutologCall {
  /// The name right before `.autolog(`: "mlflow" (mlflow.autolog), "sklearn", "spark", "lightgbm", "ml"
  /// (mlflow.pyspark.ml.autolog), ...; "" for a bare `autolog(...)` (`from mlflow import autolog`).
  std::string_view flavour;
  std::string_view arguments;  ///< the text between its parentheses (to the end of the body when unclosed)
  std::size_t at = 0;          ///< where `autolog(` begins in the body
  bool on = true;              ///< it turns autologging on: no `disable=True` (or `disable=1`)

  /// Whether the call passes keyword argument `name` the value `value` (`disable=True`, `log_models =
  /// False`): `name` as a whole word, then `=` (not `==`), then `value` as a whole word, white space (tabs
  /// and line breaks too) allowed around `=`.
  bool passes(std::string_view name, std::string_view value) const {
    const std::string_view a = arguments;
    for (auto at = a.find(name); at != std::string_view::npos; at = a.find(name, at + 1)) {
      if (at > 0 && is_identifier_char(a[at - 1])) continue;
      std::size_t i = at + name.size();
      while (i < a.size() && std::isspace(static_cast<unsigned char>(a[i]))) ++i;
      if (i >= a.size() || a[i] != '=' || (i + 1 < a.size() && a[i + 1] == '=')) continue;
      ++i;
      while (i < a.size() && std::isspace(static_cast<unsigned char>(a[i]))) ++i;
      if (a.substr(i, value.size()) == value &&
          (i + value.size() == a.size() || !is_identifier_char(a[i + value.size()])))
        return true;
    }
    return false;
  }
};

/// Every MLflow autologging call in `body`, in order: every `autolog(` call in code (not in a string or a
/// comment: `print('mlflow.autolog()')`; a name of its own, not the end of another such as `setup_autolog(`),
/// whether it turns autologging on or off (AutologCall::on).
inline std::vector<AutologCall> autolog_calls(std::string_view body) {
  constexpr std::string_view k_call = "autolog(";
  std::vector<AutologCall> out;
  CodeMask code(body);
  for (auto at = body.find(k_call); at != std::string_view::npos; at = body.find(k_call, at + 1)) {
    if (!code.at(at)) continue;
    AutologCall call;
    call.at = at;
    if (at > 0 && body[at - 1] == '.') {
      std::size_t b = at - 1;
      while (b > 0 && is_identifier_char(body[b - 1])) --b;
      call.flavour = body.substr(b, at - 1 - b);
    } else if (at > 0 && is_identifier_char(body[at - 1])) {
      continue;  // setup_autolog(: another function
    }
    // The arguments: to the `)` that closes the call, outside strings and comments (scan_code, from the `(`).
    const std::string_view from = body.substr(at + k_call.size() - 1);
    const std::size_t close =
        scan_code(from, [&](std::size_t i, int depth) { return from[i] == ')' && depth == 0; });
    call.arguments = from.substr(1, close > 0 ? close - 1 : 0);
    call.on = !call.passes("disable", "True") && !call.passes("disable", "1");
    out.push_back(call);
  }
  return out;
}

/// The calls in `body` that turn MLflow autologging on (autolog_calls): all but those passing
/// `disable=True` (or `disable=1`, as Python reads it), which turn it off.
inline std::vector<AutologCall> autologging_on(std::string_view body) {
  auto out = autolog_calls(body);
  out.erase(std::remove_if(out.begin(), out.end(), [](const AutologCall& c) { return !c.on; }), out.end());
  return out;
}

/// The calls that turn MLflow autologging on (autologging_on) and are still in effect where it matters, with
/// their code cells, in order. Read in cell order, as written (a def's body where the def is), each
/// `autolog(` call replaces the settings of the earlier calls it covers, as MLflow does: a flavour's call
/// (`mlflow.sklearn.autolog(...)`) that flavour's, `mlflow.autolog(...)` (or a bare `autolog(...)`) every
/// flavour's; so a later `disable=True` turns them off. A call counts once a model is fitted after it (k_fit,
/// or a packaged training step, k_packaged_training: in a later cell, or further down its own) while it is
/// in effect: what that fit logs is settled, and turning autologging off afterwards undoes none of it
/// (`mlflow.autolog()`, `m.fit(X, y)`, `mlflow.autolog(disable=True)` logged the fit). A call no fit follows
/// counts unless a later call replaces it (the model may be trained where the notebook does not show it).
/// A flavour's call leaves `mlflow.autolog()`'s in effect for the other flavours: after it,
/// `mlflow.sklearn.autolog(disable=True)` still leaves autologging on (which library the fitted model is
/// from is not worked out).
/// Which calls log what is each fact's to say (first_params_log, first_metrics_autolog,
/// first_model_autolog); this is the one place that says whether a call turns autologging on.
inline std::vector<std::pair<int, AutologCall>> autologging_in_effect(const NotebookFacts& f) {
  std::vector<std::pair<int, AutologCall>> out;
  std::vector<std::pair<int, AutologCall>> pending;  // in effect, no fit after them yet
  const auto fits = [](std::string_view code) {
    return contains_any(code, k_fit) || contains_any(code, k_packaged_training);
  };
  const auto fitted = [&] {
    out.insert(out.end(), pending.begin(), pending.end());
    pending.clear();
  };
  const auto every_flavour = [](std::string_view flavour) { return flavour.empty() || flavour == "mlflow"; };
  for (const auto& c : f.code) {
    const auto calls = autolog_calls(c.body);
    if (calls.empty() && pending.empty()) continue;
    std::size_t from = 0;
    for (const auto& call : calls) {
      if (!pending.empty() && fits(std::string_view(c.body).substr(from, call.at - from))) fitted();
      pending.erase(std::remove_if(pending.begin(), pending.end(),
                                   [&](const std::pair<int, AutologCall>& p) {
                                     return every_flavour(call.flavour) || p.second.flavour == call.flavour;
                                   }),
                    pending.end());
      if (call.on) pending.emplace_back(c.number, call);
      from = call.at;
    }
    if (!pending.empty() && fits(std::string_view(c.body).substr(from))) fitted();
  }
  fitted();
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

/// The first code cell with a call that turns MLflow autologging on where it matters (autologging_in_effect)
/// that `counts` accepts.
template <typename Counts>
std::optional<int> first_autolog(const NotebookFacts& f, Counts counts) {
  for (const auto& [cell, call] : autologging_in_effect(f))
    if (counts(call)) return cell;
  return std::nullopt;
}

/// The first cell that logs parameters: `log_param(...)`/`log_params(...)`, or MLflow autologging on where a
/// model is fitted (autologging_in_effect: every model flavour's autologging logs the fit's parameters). Not
/// `mlflow.spark.autolog()`, which logs the data sources Spark reads (their path, format and version, as
/// tags: MLflow's mlflow.spark.autolog documentation) and no parameter.
inline std::optional<int> first_params_log(const NotebookFacts& f) {
  const auto logged = f.first_with({"log_param"});
  const auto autologged = first_autolog(f, [](const AutologCall& call) { return call.flavour != "spark"; });
  return logged && autologged ? std::min(logged, autologged) : logged ? logged : autologged;
}

/// The first cell where MLflow autologging logs the model (`mlflow.autolog()`, `mlflow.sklearn.autolog()`,
/// ...): not a call that turns model logging off (`log_models=False`) or autologging off (`disable=True`),
/// nor `mlflow.spark.autolog()`, which logs the data sources Spark reads and no model.
inline std::optional<int> first_model_autolog(const NotebookFacts& f) {
  return first_autolog(f, [](const AutologCall& call) {
    return call.flavour != "spark" && !call.passes("log_models", "False");
  });
}

/// The first cell where MLflow autologging logs metrics (`mlflow.autolog()`, `mlflow.sklearn.autolog()`,
/// `mlflow.keras.autolog(log_models=False)`, ...: a flavour's autologging logs each fit's training metrics,
/// and sklearn's also the metric functions called after it). Not `mlflow.spark.autolog()`, which logs the
/// data sources Spark reads and no metric, nor autologging turned off (`disable=True`); and LightGBM's and
/// XGBoost's autologging log only the scores of evaluation sets, so they count when the notebook gives a
/// booster one (`valid_sets`, `eval_set`, `evals=`): `lgb.train(params, train_set)` under
/// `mlflow.lightgbm.autolog()` logs no metric.
inline std::optional<int> first_metrics_autolog(const NotebookFacts& f) {
  const bool evaluated = f.first_with({"valid_sets", "eval_set", "evals="}).has_value();
  return first_autolog(f, [&](const AutologCall& call) {
    if (call.flavour == "spark") return false;
    return evaluated || (call.flavour != "lightgbm" && call.flavour != "xgboost");
  });
}

/// The text of a markdown line after its marks: leading spaces, `#`, `>`, `*`, `_`, `-`, `+`, HTML tags
/// (`<h3>`, `<b>`, `<p align="left">`) and a list number ("1. ", "2) ").
inline std::string_view markdown_text(std::string_view line) {
  std::size_t i = 0;
  for (;;) {
    while (i < line.size() && std::string_view(" \t#>*_-+").find(line[i]) != std::string_view::npos) ++i;
    const std::size_t close =
        i + 1 < line.size() && line[i] == '<' && std::isalpha(static_cast<unsigned char>(line[i + 1]))
            ? line.find('>', i)
            : std::string_view::npos;
    if (close == std::string_view::npos) break;
    i = close + 1;
  }
  std::size_t digits = i;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  if (digits > i && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
      line[digits + 1] == ' ')
    i = digits + 2;
  while (i < line.size() && line[i] == ' ') ++i;
  return line.substr(i);
}

/// Whether a markdown line's text (markdown_text, lower case) opens with a task label (k_task_labels, or a
/// k_numbered_labels heading).
inline bool opens_with_label(std::string_view text) {
  const auto word_at = [&](std::string_view w) {
    return util::starts_with(text, w) &&
           (text.size() == w.size() || !std::isalnum(static_cast<unsigned char>(text[w.size()])));
  };
  if (std::any_of(k_task_labels.begin(), k_task_labels.end(), word_at)) return true;
  for (std::string_view label : k_numbered_labels) {
    if (!word_at(label)) continue;
    std::size_t i = label.size();
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t number = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    const bool numbered = i > number;
    if (!numbered && (label == "question" || label == "q")) continue;
    // one letter instead ("Exercise b:", "## Task A"), then the emphasis closing ("**Task 3**:")
    if (!numbered && i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) &&
        (i + 1 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 1]))))
      ++i;
    while (i < text.size() && (text[i] == '*' || text[i] == '_' || text[i] == ' ')) ++i;
    // a dash may be UTF-8's en or em dash (0xE2 0x80 0x93 / 0x94); an HTML heading closes ("<h3>Task</h3>")
    if (i == text.size() || std::string_view(":.)-!").find(text[i]) != std::string_view::npos ||
        static_cast<unsigned char>(text[i]) == 0xE2 || util::starts_with(text.substr(i), "</"))
      return true;
  }
  return false;
}

/// Whether a markdown line's text (markdown_text, lower case) opens with an order to the reader: a
/// k_order_verbs verb, then what it acts on (k_order_objects): "drop every column ...", "use the next cell".
inline bool opens_with_order(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return false;
  const std::string_view verb = text.substr(0, space);
  std::string_view object = util::trim(text.substr(space + 1));
  object = object.substr(0, std::min(object.find_first_of(" ,.;:"), object.size()));
  return std::find(k_order_verbs.begin(), k_order_verbs.end(), verb) != k_order_verbs.end() &&
         std::find(k_order_objects.begin(), k_order_objects.end(), object) != k_order_objects.end();
}

/// The part of markdown text (lower case) that may report what was seen, a prefix of it; instructions are
/// no findings. Nothing when the text is an exercise or a task (its first line opens with a label,
/// opens_with_label: "Exercise 2: drop every column where more than 30% of values are missing") or an order
/// (its first line that is no heading opens with one, opens_with_order: "Drop every column ..."; a heading
/// that orders, "## Drop sparse columns", heads a report); else the text before its first line that opens
/// with a label ("... yielded better results.\n# Your turn\nCompare ..." reports up to "# Your turn").
inline std::string_view reported_part(std::string_view lower) {
  bool first = true, ordered = true;  // the first line; the first line that is no heading, still to come
  for (std::size_t at = 0; at < lower.size();) {
    const std::size_t eol = std::min(lower.find('\n', at), lower.size());
    const std::string_view line = util::trim(lower.substr(at, eol - at));
    if (!line.empty()) {
      const std::string_view text = markdown_text(line);
      if (opens_with_label(text)) return lower.substr(0, first ? 0 : at);
      const bool heading = util::starts_with(line, "#") || util::starts_with(line, "<h") ||
                           (util::starts_with(line, "**") && util::ends_with(line, "**"));
      if (ordered && !heading) {
        if (opens_with_order(text)) return {};
        ordered = false;
      }
      first = false;
    }
    at = eol + 1;
  }
  return lower;
}

/// The number of words of `text` (runs of characters other than spaces, tabs and line breaks).
inline std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char ch : text) {
    const bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
    words += !space && !in_word;
    in_word = !space;
  }
  return words;
}

/// Whether markdown cell `m` states what exploration found, in its part that may report (reported_part: no
/// exercise, task or order to the reader), of 12 words or more: a finding word (k_finding_words), or a share
/// of the data in numbers (`about 4% nulls`, `1.7% of the rows`) in text that plans nothing (no
/// k_plan_words word: "we will use 80% for training" is no finding).
inline bool states_finding(const MarkdownFacts& m) {
  if (m.words < 12) return false;
  const std::string_view text = reported_part(m.lower);
  if (count_words(text) < 12) return false;
  if (contains_any(text, k_finding_words) || contains_any(text, k_data_finding_words)) return true;
  bool percentage = false;
  for (auto at = text.find('%'); at != std::string_view::npos && !percentage; at = text.find('%', at + 1))
    percentage = at > 0 && std::isdigit(static_cast<unsigned char>(text[at - 1]));
  return percentage && !contains_any_word(text, k_plan_words);
}

/// Whether markdown cell `m` discusses metrics, in its part that may report (reported_part: an exercise's
/// "compute the accuracy and discuss the ROC-AUC", a task's "interpret the F1 score" discuss nothing): 10
/// words or more there, one of them a metric word (k_metric_words).
inline bool interprets_metrics(const MarkdownFacts& m) {
  if (m.words < 10) return false;
  const std::string_view text = reported_part(m.lower);
  return count_words(text) >= 10 && contains_any(text, k_metric_words);
}

/// Whether `text` fits an object built by `tokens`: built and fitted on one line (`SimpleImputer().fit(X)`),
/// or `name.fit(` / `name.fit_transform(` of a name assigned one here or in `names`, which collects the names
/// `text` assigns (so a notebook's cells are read in order with one set).
inline bool fits_in(std::string_view text, const Tokens& tokens, std::set<std::string, std::less<>>& names) {
  bool fitted = false;
  for (std::string_view line : util::split_lines(text)) {
    const bool builds = contains_any(line, tokens);
    const bool fits = contains_any(line, {".fit(", ".fit_transform("});
    if (builds && fits) fitted = true;
    if (const auto name = built_name(line, tokens); !name.empty()) names.insert(std::string(name));
    for (const char* call : {".fit(", ".fit_transform("})
      for (auto at = line.find(call); !fitted && at != std::string_view::npos; at = line.find(call, at + 1))
        if (names.count(name_before(line, at))) fitted = true;
  }
  return fitted;
}

/// Cells where an object built by one of `tokens` (an imputer, a scaler, an encoder) is fitted to data:
/// `Token(...).fit(` / `.fit_transform(` on one line, or `name.fit(` / `name.fit_transform(` of a name once
/// assigned `name = ...Token(...)` (in that cell or an earlier one). Building the object is no fit: it may be
/// fitted on the training split later.
inline std::vector<int> fitted_cells(const NotebookFacts& f, const Tokens& tokens) {
  std::vector<int> out;
  std::set<std::string, std::less<>> names;
  for (const auto& c : f.code)
    if (fits_in(c.body, tokens, names)) out.push_back(c.number);
  return out;
}

/// Whether `body` encodes labels as numbers with pandas' replace: a dict from quoted labels to numbers
/// (`df["sex"].replace({"male": 0, "female": 1})`) or a list of quoted labels and a list of numbers
/// (`.replace(["no", "yes"], [0, 1])`). A replace of labels by labels, or of a marker by NaN (`.replace("?",
/// np.nan)`), encodes nothing. Linear in the body.
inline bool replaces_labels_with_numbers(std::string_view body) {
  const auto number_at = [&](std::size_t i) {
    while (i < body.size() && body[i] == ' ') ++i;
    if (i < body.size() && body[i] == '-') ++i;
    return i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]));
  };
  for (auto at = body.find(".replace("); at != std::string_view::npos; at = body.find(".replace(", at + 1)) {
    std::size_t i = at + 9;
    while (i < body.size() && body[i] == ' ') ++i;
    if (i >= body.size()) break;
    // the arguments, read up to 1,000 bytes (a run of unclosed calls stays linear)
    const std::size_t close = body.substr(0, std::min(body.size(), i + 1000)).find(')', i);
    const std::string_view args = body.substr(
        i, close == std::string_view::npos ? std::min<std::size_t>(1000, body.size() - i) : close - i);
    if (args.front() == '{') {
      // a quoted key, then `:` and a number
      for (std::size_t k = 1; k < args.size(); ++k) {
        if (args[k] != ':' || (args[k - 1] != '\'' && args[k - 1] != '"')) continue;
        if (number_at(i + k + 1)) return true;
      }
    } else if (args.front() == '[' && args.size() > 1 && (args[1] == '\'' || args[1] == '"')) {
      const std::size_t list_end = args.find(']');
      if (list_end == std::string_view::npos) continue;
      std::size_t k = list_end + 1;
      while (k < args.size() && (args[k] == ' ' || args[k] == ',')) ++k;
      if (k < args.size() && args[k] == '[' && number_at(i + k + 1)) return true;
    }
  }
  return false;
}

/// Code cells that encode categories: a k_encoding token, or labels replaced by numbers
/// (replaces_labels_with_numbers).
inline std::vector<int> encoding_cells(const NotebookFacts& f) {
  std::vector<int> out;
  for (const auto& c : f.code)
    if (contains_any(c.body, k_encoding) || replaces_labels_with_numbers(c.body)) out.push_back(c.number);
  return out;
}

/// Encoders and scalers: objects fitted to the data they transform.
inline const Tokens k_transformer = {"Encoder(",     "Scaler(",    "Indexer(",     "Normalizer(",
                                     "Transformer(", "Binarizer(", "Discretizer(", "Vectorizer("};

/// Whether code cell `c` counts or tests missing values: a k_missing_check token in code, not in a string
/// (`print("then df.isnull()")` checks nothing; comments are blanked from every body), but SQL's `IS NULL`,
/// which Python code holds in a string (`spark.sql("... WHERE x IS NULL")`), as shows_kind reads it.
inline bool checks_missing(const CodeFacts& c) {
  CodeMask code(c.body);
  for (std::string_view token : k_missing_check)
    for (auto at = c.body.find(token); at != std::string::npos; at = c.body.find(token, at + 1))
      if (token == "IS NULL" || code.at(at)) return true;
  // SQL written in lower case: `duckdb.sql("select count(*) from df where price is null")`, a %sql cell
  if ((c.sql || contains(c.body, ".sql(") || contains(c.body, "duckdb.")) &&
      contains_word(util::to_lower(c.body), "is null"))
    return true;
  return false;
}

/// The code cells that count or test missing values (checks_missing), in order. missing_value_checks,
/// missing_check_before_training and the data_imputation rule read them.
inline std::vector<int> missing_check_cells(const NotebookFacts& f) {
  std::vector<int> out;
  for (const auto& c : f.code)
    if (checks_missing(c)) out.push_back(c.number);
  return out;
}

/// Whether markdown cell `m` says the model handles missing values natively ("LightGBM handles NaN natively,
/// so we leave the gaps as they are"): a missing word (missing, nan, null, gaps) and a word of native
/// handling (natively, native, "handles them", "handle them", "handles missing", "handle missing").
inline bool states_native_missing_handling(const MarkdownFacts& m) {
  return contains_any_word(m.lower, {"missing", "nan", "nans", "null", "nulls", "gaps"}) &&
         (contains_any_word(m.lower, {"natively", "native"}) ||
          contains_any(m.lower, {"handles them", "handle them", "handles missing", "handle missing",
                                 "handles nan", "handle nan"}));
}

/// The brackets of one logical line of code (strings and comments skipped), matched in one pass so that
/// what a call's value flows into can be read in time linear in the line: for each byte that opens a
/// bracket, where it closes (npos when unclosed); for each byte, the innermost bracket open around it (npos
/// at the top level).
struct LineBrackets {
  std::vector<std::size_t> close, around;
  explicit LineBrackets(std::string_view line) : close(line.size(), npos), around(line.size(), npos) {
    const std::vector<bool> code = code_bytes(line);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < line.size(); ++i) {
      around[i] = open.empty() ? npos : open.back();
      if (!code[i]) continue;
      const char ch = line[i];
      if (ch == '(' || ch == '[' || ch == '{') {
        open.push_back(i);
      } else if ((ch == ')' || ch == ']' || ch == '}') && !open.empty()) {
        close[open.back()] = i;
        open.pop_back();
      }
    }
  }
  static constexpr std::size_t npos = std::string_view::npos;
};

/// Whether the bracket opening at `at` of `line` is a call's or a subscript's: after a name, `)` or `]`
/// (else it groups, or starts a list, a tuple or a dict).
inline bool calls_or_subscripts(std::string_view line, std::size_t at) {
  std::size_t b = at;
  while (b > 0 && line[b - 1] == ' ') --b;
  return b > 0 && (is_identifier_char(line[b - 1]) || line[b - 1] == ')' || line[b - 1] == ']');
}

/// The calls that only look at a value (a plot, a print, a count, a statistical test): a frame dropped inside
/// one keeps nothing.
inline bool looks_only(std::string_view line, std::size_t open) {
  std::size_t b = open;
  while (b > 0 && (is_identifier_char(line[b - 1]) || line[b - 1] == '.')) --b;
  const std::string_view name = line.substr(b, open - b);
  for (std::string_view prefix : {"sns.", "plt.", "px.", "go.", "msno.", "stats.", "scipy.stats."})
    if (util::starts_with(name, prefix)) return true;
  const std::string_view last =
      name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
  for (std::string_view look :
       {"print",    "display",  "len",     "sum",      "max",       "min",
        "plot",     "hist",     "boxplot", "scatter",  "histplot",  "distplot",
        "kdeplot",  "adfuller", "kpss",    "plot_acf", "plot_pacf", "seasonal_decompose",
        "describe", "mean",     "median",  "std",      "var",       "corr",
        "head",     "tail",     "shape",   "info"})
    if (last == look) return true;
  return false;
}

/// Whether the value that ends at `end` (one past its last byte) of `line` is reduced to a statistic, a
/// count or a look by the calls chained right after it (`.mean()`, `.count()`, `.shape`, polars' `.height`,
/// `.plot(...)`), read
/// along the chain only (what a call's arguments hold does not count).
inline bool reduced_after(std::string_view line, const LineBrackets& br, std::size_t end) {
  std::size_t i = end;
  while (i < line.size() && line[i] == '[' && br.close[i] != LineBrackets::npos) i = br.close[i] + 1;
  // A chain is read up to 64 calls: a line of thousands of chained calls (generated code) would otherwise
  // be read again from each call, quadratic in the line.
  for (int links = 0; i < line.size() && line[i] == '.' && links < 64; ++links) {
    std::size_t j = i + 1;
    while (j < line.size() && is_identifier_char(line[j])) ++j;
    const std::string_view name = line.substr(i + 1, j - i - 1);
    for (std::string_view reduce :
         {"mean",  "median",   "mode",   "sum",  "count",   "std",    "var",          "min",
          "max",   "quantile", "shape",  "size", "nunique", "unique", "value_counts", "describe",
          "corr",  "plot",     "hist",   "head", "tail",    "show",   "collect",      "toPandas",
          "first", "take",     "isnull", "isna", "height",  "len",    "is_empty"})
      if (name == reduce) return true;
    while (j < line.size() && (line[j] == '(' || line[j] == '[') && br.close[j] != LineBrackets::npos)
      j = br.close[j] + 1;
    i = j;
  }
  return false;
}

/// Whether the expression whose innermost enclosing bracket is `around` (LineBrackets::around of its first
/// byte) and which ends at `end` keeps its value in `line`: not reduced after it (reduced_after), in no call
/// that only looks (looks_only), and flowing into a call that takes it (`train_test_split(df.dropna())`,
/// `pd.concat([a.dropna(), b])`), or at the top level into what the statement assigns (`target`, not a
/// subscript when `whole_target`: `df.loc[mask, "c"] = ...` assigns a column) or returns.
inline bool value_kept(std::string_view line, const LineBrackets& br, std::size_t around, std::size_t end,
                       std::string_view target, bool whole_target) {
  if (reduced_after(line, br, end)) return false;
  for (std::size_t o = around; o != LineBrackets::npos; o = br.around[o]) {
    if (line[o] == '(' && calls_or_subscripts(line, o)) return !looks_only(line, o);
    if (line[o] == '[' && calls_or_subscripts(line, o)) return false;  // an index: rows of something else
  }
  const std::string_view head = util::trim(line);
  if (util::starts_with(head, "return ") || util::starts_with(head, "yield ")) return true;
  return !target.empty() && !(whole_target && target.find('[') != std::string_view::npos);
}

/// What the `dropna(` (and Spark `na.drop(`) calls of `body` do: `drops` when one changes data (given
/// `inplace=True`, or its value is kept: value_kept, `df = df.dropna(...)`, `X = X.dropna().reset_index()`,
/// `train_test_split(df.dropna())`, a Spark chain `df = (sdf.filter(...).dropna(...).select(...))`), and
/// `blanket` when such a drop goes by every column: each argument is one of `how="any"` (or `"any"`),
/// `inplace=True`, `axis=0` (or `0`, `"index"`, `"rows"`), `subset=None` (not `subset=[...]`, `thresh=`,
/// `how="all"`, a column drop `axis=1`, nor Scala's `cols = Seq(...)`). One in a plot's or a statistic's call
/// (`sns.histplot(df.Age.dropna())`), reduced (`df.Age.dropna().mean()`, `sdf.na.drop().count()`) or only
/// displayed (`df.dropna()` alone) drops nothing kept. Linear in the body.
struct DropnaUse {
  bool drops = false;
  bool blanket = false;
};
inline DropnaUse dropna_use(std::string_view body) {
  DropnaUse use;
  if (body.find("dropna(") == std::string_view::npos && body.find("na.drop(") == std::string_view::npos)
    return use;
  const auto ends = logical_line_ends(body);
  for (std::size_t k = 0; k < ends.size(); ++k) {
    const auto [begin, end] = logical_line_range(ends, k);
    const std::string_view line = body.substr(begin, end - begin);
    if (line.find("dropna(") == std::string_view::npos && line.find("na.drop(") == std::string_view::npos)
      continue;
    const LineBrackets br(line);
    const std::vector<bool> code = code_bytes(line);
    const std::string_view target = assignment_target(line);
    for (std::string_view token : {"dropna(", "na.drop("})
      for (auto at = line.find(token); at != std::string_view::npos; at = line.find(token, at + 1)) {
        if (!code[at] || (token == "dropna(" && at >= 3 && line.compare(at - 3, 3, "na.") == 0)) continue;
        const std::size_t open = at + token.size() - 1;  // the `(`
        const std::size_t close = br.close[open];
        const std::string_view args =
            line.substr(open + 1, close == LineBrackets::npos ? 0 : close - open - 1);
        std::string squeezed;  // the arguments without spaces, double quotes read as single
        for (char ch : args)
          if (ch != ' ') squeezed += ch == '"' ? '\'' : ch;
        const bool drops =
            squeezed.find("inplace=True") != std::string::npos ||
            (close != LineBrackets::npos && value_kept(line, br, br.around[at], close + 1, target, false));
        if (!drops) continue;
        use.drops = true;
        // Blanket: every argument is one a drop by every row's gaps may have (no subset, threshold, "all"
        // or column list: `subset=[...]`, `thresh=3`, `how="all"`, Scala's `cols = Seq(...)`).
        static const std::set<std::string, std::less<>> k_any = {
            "",  "how='any'",  "'any'", "inplace=True", "axis=0", "axis='index'", "axis='rows'",
            "0", "subset=None"};
        bool blanket = true;
        for (std::size_t from = 0; from <= squeezed.size();) {
          const std::size_t comma = std::min(squeezed.find(',', from), squeezed.size());
          blanket = blanket && k_any.count(std::string_view(squeezed).substr(from, comma - from)) > 0;
          from = comma + 1;
        }
        if (blanket) {
          use.blanket = true;
          return use;  // a drop, and a blanket one: nothing more to learn
        }
      }
  }
  return use;
}

/// Whether `body` (code, comments removed) drops rows with missing values by keeping the not-null ones, as
/// `dropna(subset=[...])` does: a not-null test (`.notna()`, `.notnull()`, `pd.notna(`, `~` before
/// `.isna()` / `.isnull()`, Spark's `isNotNull()`) in a row pick (`df[df["y"].notna()]`,
/// `df.loc[~df.y.isna()]`), or a Spark or polars `.filter(` / `.where(` given `isNotNull()`, polars'
/// `is_not_null()` or `~...is_null()` (`df.filter(pl.col("y").is_not_null())`), or a condition string
/// saying `IS NOT NULL` (`sdf.filter("y is not null")`), whose rows are kept as value_kept reads it: assigned
/// whole (`df = df[df.y.notna()]`; not `df.loc[df.y.notna(), "c"] = ...`, which sets a column), passed on
/// or returned; not reduced (`len(df[df.y.notna()])`, `sdf.filter(...).count()`). pandas' `.where(` keeps
/// every row (it blanks the others); a mask assigned by itself (`keep = df["y"].notna()`) drops nothing yet.
/// A cell that also keeps the null rows (`test = full[full.y.isnull()]` beside `train =
/// full[~full.y.isnull()]`, a competition's train and test rows told apart by their missing target)
/// partitions the rows and drops none. Linear in the body.
/// Whether a missing-value test compared with false starts at byte `at` of `line`: `.isnull() == False`,
/// `.isna()==0`, `.isnull() != True` (spaces optional): a not-null test written out.
inline bool negated_null_test_at(std::string_view line, std::size_t at) {
  std::size_t i = at;
  if (line.compare(i, 9, ".isnull()") == 0)
    i += 9;
  else if (line.compare(i, 7, ".isna()") == 0)
    i += 7;
  else
    return false;
  const auto skip_spaces = [&] {
    while (i < line.size() && line[i] == ' ') ++i;
  };
  skip_spaces();
  const bool equals = line.compare(i, 2, "==") == 0;
  if (!equals && line.compare(i, 2, "!=") != 0) return false;
  i += 2;
  skip_spaces();
  const std::string_view rest = line.substr(i);
  const auto word = [&](std::string_view w) {
    return util::starts_with(rest, w) && (rest.size() == w.size() || !is_identifier_char(rest[w.size()]));
  };
  return equals ? word("False") || word("0") : word("True") || word("1");
}

inline bool drops_null_rows(std::string_view body) {
  if (!contains_any(
          body, {"notna(", "notnull(", "isNotNull()", "is_not_null()", "isna()", "isnull()", "is_null()"}) &&
      util::to_lower(body).find("is not null") == std::string::npos)
    return false;
  const auto ends = logical_line_ends(body);
  bool found = false;
  for (std::size_t k = 0; k < ends.size(); ++k) {
    const auto [begin, end] = logical_line_range(ends, k);
    const std::string_view line = body.substr(begin, end - begin);
    const std::string_view target = assignment_target(line);
    if (target.empty() && !util::starts_with(util::trim(line), "return ")) continue;
    const bool tests = contains_any(line, {"notna(", "notnull(", "isNotNull()", "is_not_null()", "isna()",
                                           "isnull()", "is_null()"}) ||
                       util::to_lower(line).find("is not null") != std::string::npos;
    if (!tests) continue;
    const LineBrackets br(line);
    const std::vector<bool> code = code_bytes(line);
    // The row pick around byte `at`: the innermost subscript `[`, or a Spark filter's or where's `(`.
    const auto pick_around = [&](std::size_t at, bool spark_only) -> std::size_t {
      for (std::size_t o = br.around[at]; o != LineBrackets::npos; o = br.around[o]) {
        if (line[o] == '[' && calls_or_subscripts(line, o)) return spark_only ? LineBrackets::npos : o;
        if (line[o] == '(' &&
            (util::ends_with(line.substr(0, o), ".filter") || util::ends_with(line.substr(0, o), ".where")))
          return o;
      }
      return LineBrackets::npos;
    };
    // The pick's own value: from its frame's name before the bracket to the bracket's close.
    const auto kept = [&](std::size_t pick) {
      const std::size_t close = br.close[pick];
      return close != LineBrackets::npos && value_kept(line, br, br.around[pick], close + 1, target, true);
    };
    // A kept pick of the null rows (`test = full[full.y.isnull()]`): the cell partitions them.
    for (std::string_view test : {".isnull()]", ".isna()]"})
      for (auto at = line.find(test); at != std::string_view::npos; at = line.find(test, at + 1)) {
        const std::size_t pick = br.around[at];
        if (!code[at] || pick == LineBrackets::npos || line[pick] != '[' || !calls_or_subscripts(line, pick))
          continue;
        if (line.substr(pick, at - pick).find('~') == std::string_view::npos && kept(pick)) return false;
      }
    for (std::size_t i = 0; i < line.size() && !found; ++i) {
      if (!code[i]) {
        // a Spark filter's condition string: `sdf.filter("y IS NOT NULL")`, at its opening quote
        if (i > 0 && code[i - 1] && (line[i] == '"' || line[i] == '\'')) {
          const std::size_t pick = pick_around(i, true);
          std::size_t stop = i + 1;
          while (stop < line.size() && !code[stop]) ++stop;
          if (pick != LineBrackets::npos &&
              util::to_lower(line.substr(i, stop - i)).find("is not null") != std::string::npos && kept(pick))
            found = true;
        }
        continue;
      }
      std::size_t pick = LineBrackets::npos;
      if (line.compare(i, 7, ".notna(") == 0 || line.compare(i, 9, ".notnull(") == 0 ||
          line.compare(i, 9, "pd.notna(") == 0 || line.compare(i, 11, "pd.notnull(") == 0)
        pick = pick_around(i, false);
      else if (line.compare(i, 12, ".isNotNull()") == 0 || line.compare(i, 14, ".is_not_null()") == 0)
        pick = pick_around(i, false);
      else if (negated_null_test_at(line, i))
        pick = pick_around(i, false);
      else if (line[i] == '~') {
        // `~df.y.isna()`: the negated missing-value test, up to the end of the bracket it is in
        const std::size_t in = br.around[i];
        const std::size_t stop =
            in == LineBrackets::npos || br.close[in] == LineBrackets::npos ? line.size() : br.close[in];
        if (contains_any(line.substr(i, stop - i), {".isna()", ".isnull()", ".is_null()"}))
          pick = pick_around(i, false);
      }
      // pandas' where() keeps every row; Spark's and polars' filter take isNotNull(), is_not_null() and
      // a negated is_null()
      if (pick != LineBrackets::npos && line[pick] == '(' && line.compare(i, 12, ".isNotNull()") != 0 &&
          line.compare(i, 14, ".is_not_null()") != 0 &&
          !(line[i] == '~' && contains(line.substr(i, br.close[pick] - i), ".is_null()")))
        pick = LineBrackets::npos;
      if (pick != LineBrackets::npos && kept(pick)) found = true;
    }
  }
  return found;
}

/// The column an expression ending at the end of `text` names: the last quoted string of a closing subscript
/// (`df["Age"]`, `df.loc[mask, "Age"]`), else the attribute after the last `.` (`df.Age`); empty when
/// neither.
inline std::string_view column_named(std::string_view text) {
  text = util::trim(text);
  if (!text.empty() && text.back() == ']') {
    const std::size_t close_quote = text.find_last_of("'\"");
    if (close_quote == std::string_view::npos || close_quote == 0) return {};
    const std::size_t open_quote = text.find_last_of(text[close_quote], close_quote - 1);
    if (open_quote == std::string_view::npos || text.rfind('[') > close_quote) return {};
    return text.substr(open_quote + 1, close_quote - open_quote - 1);
  }
  std::size_t b = text.size();
  while (b > 0 && is_identifier_char(text[b - 1])) --b;
  return b > 0 && text[b - 1] == '.' ? text.substr(b) : std::string_view{};
}

/// The column a missing-value test in `text` tests: the column named right before its first `.isnull()` /
/// `.isna()` (column_named); empty when none is.
inline std::string_view tested_column(std::string_view text) {
  std::size_t at = std::string_view::npos;
  for (std::string_view test : {".isnull()", ".isna()"}) at = std::min(at, text.find(test));
  return at == std::string_view::npos ? std::string_view{} : column_named(text.substr(0, at));
}

/// The parts of a split that `name` (an assignment target) names, by its words (split at `_`, `,`, spaces,
/// brackets, digits and a capital after a small letter): the training part (a word train or training:
/// `X_train`, `trainDF`) and a part held out (test, valid, val, validation, holdout, dev or eval:
/// `X_test`, `df_valid`, `testDF`, `X_dev`, `lgb_eval`); not `trainer` or `contest`. XGBoost's DMatrix names
/// read so too after their `d` (`dtrain`, `dvalid`, `dtest`). `key` is what else the name says, which a
/// split's two parts share: its other words, a frame's word (df, data, set, dataset, frame) left out (`x` of
/// `X_train` and `X_test`,
/// "" of `train`, `test_df` and `df_valid`). A name with a word of a measure (k_measure_words: `train_size`,
/// `test_scores`, `val_loss`, `n_test`) names what is measured of a part, not a part: `measure` is set.
struct SplitParts {
  bool train = false, held_out = false;
  bool validation = false;  ///< the held-out word names a validation set (not test or holdout)
  bool measure = false;
  std::string key;
};
/// Words of a name that measure a part rather than name it (split_parts_named).
inline const Tokens k_measure_words = {"size",  "sizes",    "len",    "length", "n",     "num",
                                       "count", "counts",   "score",  "scores", "loss",  "losses",
                                       "acc",   "accuracy", "error",  "errors", "ratio", "pct",
                                       "frac",  "fraction", "percent"};
inline SplitParts split_parts_named(std::string_view name) {
  static const Tokens k_train = {"train", "training"};
  static const Tokens k_held_out = {"test", "valid", "val", "validation", "holdout", "dev", "eval"};
  static const Tokens k_frame = {"df", "data", "set", "dataset", "frame"};
  const auto in = [](const Tokens& t, std::string_view w) {
    return std::find(t.begin(), t.end(), w) != t.end();
  };
  SplitParts out;
  std::string word;
  const auto end_word = [&]() {
    if (word.empty()) return;
    // XGBoost's DMatrix names: dtrain, dvalid, dtest
    if (word.size() > 1 && word.front() == 'd' &&
        (in(k_train, std::string_view(word).substr(1)) || in(k_held_out, std::string_view(word).substr(1))))
      word.erase(0, 1);
    if (in(k_train, word)) {
      out.train = true;
    } else if (in(k_held_out, word)) {
      out.held_out = true;
      out.validation = out.validation || (word != "test" && word != "holdout");
    } else if (!in(k_frame, word)) {
      out.measure = out.measure || in(k_measure_words, word);
      if (!out.key.empty()) out.key += ' ';
      out.key += word;
    }
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto ch = static_cast<unsigned char>(name[i]);
    if (i > 0 && std::isupper(ch) && std::islower(static_cast<unsigned char>(name[i - 1]))) end_word();
    if (std::isalpha(ch))
      word += static_cast<char>(std::tolower(ch));
    else
      end_word();
  }
  end_word();
  return out;
}

/// Whether `name` names a split part, training or held out (split_parts_named).
inline bool names_split_part(std::string_view name) {
  const SplitParts parts = split_parts_named(name);
  return parts.train || parts.held_out;
}

/// Whether `name` names what a model is measured by rather than data: a word loss, losses, score, scores,
/// error, errors, acc, accuracy, metric or metrics (words split at `_` and digits: `loss`, `val_scores`;
/// not `X_num` or `size`).
inline bool names_a_measure(std::string_view name) {
  return contains_any_word(util::to_lower(name), {"loss", "losses", "score", "scores", "error", "errors",
                                                  "acc", "accuracy", "metric", "metrics"});
}

/// Whether a line of `body` fills the missing values of a column through a mask of its missing rows: an
/// assignment to the rows a missing-value test picks, in the column tested or in every column
/// (`df.loc[df.Age.isnull(), "Age"] = df.Age.median()`, `df.loc[df["x"].isna(), "x"] = 0`), or
/// `np.where(` choosing by such a test, assigned to the column tested (`df["Age"] = np.where(df.Age.isna(),
/// med, df.Age)`); in NumPy, the NaN entries of the array tested assigned (`X[np.isnan(X)] = 0`) or np.where
/// by them assigned to it (`X = np.where(np.isnan(X), med, X)`), unless the array is named as a measure
/// (names_a_measure: `loss[torch.isnan(loss)] = 0` zeroes a loss, not data). A missing-value indicator is no
/// fill: `df.loc[df.Cabin.isnull(), "CabinMissing"] = 1`, `df["HasCabin"] = np.where(df.Cabin.isnull(), 0,
/// 1)`.
inline bool fills_by_mask(std::string_view body) {
  if (!contains_any(body, {"isnull()", "isna()", "isnan("})) return false;
  for (std::string_view line : util::split_lines(body)) {
    if (!contains_any(line, {"isnull()", "isna()", "isnan("})) continue;
    const std::string_view target = assignment_target(line);
    if (target.empty()) continue;
    // NumPy: the NaN entries of an array assigned (`X[np.isnan(X)] = 0`), or np.where choosing by them,
    // assigned to the array tested (`X = np.where(np.isnan(X), med, X)`)
    if (const std::size_t nan = line.find("isnan("); nan != std::string_view::npos) {
      const std::string_view array = util::trim(target.substr(0, std::min(target.find('['), target.size())));
      std::size_t arg = nan + 6;
      while (arg < line.size() && line[arg] == ' ') ++arg;
      std::size_t arg_end = arg;
      while (arg_end < line.size() && (is_identifier_char(line[arg_end]) || line[arg_end] == '.')) ++arg_end;
      // a measure's NaNs zeroed (`loss[torch.isnan(loss)] = 0`, `scores[np.isnan(scores)] = 0`) fill no data
      const bool same = !array.empty() && line.substr(arg, arg_end - arg) == array && !names_a_measure(array);
      if (same && ((nan < target.size() && target.find('[') < nan) ||
                   (nan > target.size() && contains(line.substr(target.size()), "where("))))
        return true;
    }
    if (!contains_any(line, {"isnull()", "isna()"})) continue;
    if (contains(target, ".loc[") && contains_any(target, {"isnull()", "isna()"})) {
      const std::string_view tested = tested_column(target);
      const std::size_t open = target.find(".loc[");
      const bool columns = target.find(',', open) != std::string_view::npos;
      if (!columns || tested.empty() || column_named(target) == tested) return true;
      continue;
    }
    const std::string_view value = line.substr(target.size() + 1);
    for (std::string_view call : {"np.where(", "numpy.where("}) {
      const std::size_t at = value.find(call);
      if (at == std::string_view::npos) continue;
      const std::size_t comma = value.find(',', at);
      if (comma == std::string_view::npos) continue;
      const std::string_view test = value.substr(at, comma - at);
      if (!contains_any(test, {"isnull()", "isna()"})) continue;
      const std::string_view tested = tested_column(test);
      if (tested.empty() || column_named(target) == tested) return true;
    }
  }
  return false;
}

/// Whether `body` holds one of `tokens` (k_impute, k_direct_fill: fills and drops of missing values). Their
/// drop token `dropna(` (and Spark's `na.drop(`) is read as a drop only where it drops (dropna_use), and
/// stands for the other drop of rows too, the not-null row pick (drops_null_rows).
inline bool fills_or_drops(std::string_view body, const Tokens& tokens) {
  bool drop_token = false;
  for (std::string_view t : tokens) {
    if (t == "dropna(" || t == "na.drop(")
      drop_token = true;
    else if (contains(body, t))
      return true;
  }
  if (fills_by_mask(body)) return true;
  return drop_token && (dropna_use(body).drops || drops_null_rows(body));
}

/// Code cells that hold one of `tokens` as fills_or_drops reads them.
inline std::vector<int> cells_filling_or_dropping(const NotebookFacts& f, const Tokens& tokens) {
  std::vector<int> out;
  for (const auto& c : f.code)
    if (fills_or_drops(c.body, tokens)) out.push_back(c.number);
  return out;
}

/// Cells that fill or drop rows: a direct fill/drop call, or a fitted imputer (an imputer only built there
/// fills nothing yet).
inline std::vector<int> filling_cells(const NotebookFacts& f) {
  const auto fitted = fitted_cells(f, k_imputer);
  std::vector<int> out;
  for (const auto& c : f.code)
    if (fills_or_drops(c.body, k_direct_fill) ||
        std::find(fitted.begin(), fitted.end(), c.number) != fitted.end())
      out.push_back(c.number);
  return out;
}

/// Whether `body` asks for a summary of the data (summary_of_data: a data frame's summary() only;
/// data_summary: also info() and describe()), not of a fitted model: `summary(` whose receiver is one of
/// `models` (names assigned an estimator or a fit) or is named like a model or a result (`model.summary()`,
/// `results.summary()`) is left out.
inline bool summary_of_data(std::string_view body, const std::set<std::string, std::less<>>& models) {
  CodeMask code(body);
  for (auto at = body.find("summary("); at != std::string_view::npos; at = body.find("summary(", at + 1)) {
    if (!code.at(at)) continue;                                // print("df.summary()"), # df.summary()
    if (at > 0 && is_identifier_char(body[at - 1])) continue;  // print_summary(, model_summary(
    if (at == 0 || body[at - 1] != '.') return true;           // summary(df)
    const std::string lower = util::to_lower(name_before(body, at - 1));
    if (lower.empty()) continue;  // fit(...).summary()
    static const std::set<std::string, std::less<>> k_model_like = {"res", "reg", "est", "lm", "ols",
                                                                    "net", "fit", "m",   "mod"};
    if (models.count(lower) || k_model_like.count(lower) ||
        contains_any(lower, {"model", "result", "fitted", "clf", "regressor", "classifier"}))
      continue;
    return true;
  }
  return false;
}
inline bool data_summary(std::string_view body, const std::set<std::string, std::less<>>& models) {
  CodeMask code(body);
  for (std::string_view token : {".info(", ".describe("})
    for (auto at = body.find(token); at != std::string_view::npos; at = body.find(token, at + 1))
      // not print("df.info()") nor a trailing # df.describe(), nor a log line (logs_at)
      if (code.at(at) && !(token == ".info(" && logs_at(body, at))) return true;
  return summary_of_data(body, models);
}

/// Names assigned a model or a fit result (`model = Sequential(`, `res = smf.ols(...).fit()`), lower case.
inline std::set<std::string, std::less<>> model_names(const NotebookFacts& f) {
  std::set<std::string, std::less<>> names;
  for (const auto& c : f.code)
    for (std::string_view line : util::split_lines(c.body)) {
      const std::size_t eq = line.find(" = ");
      if (eq == std::string_view::npos ||
          !(names_estimator(line.substr(eq)) || contains_any(line.substr(eq), k_fit)))
        continue;
      const std::string_view left = util::trim(line.substr(0, eq));
      if (const auto name = name_before(left, left.size()); !name.empty()) names.insert(util::to_lower(name));
    }
  return names;
}

/// Whether a `dbutils.notebook.run(` call at `at` of `body` runs a notebook whose name says it trains: its
/// path (a string literal) has a word beginning with "train" or "retrain" (`./03_train_model`,
/// `training/fit`), not one that only holds it (`constraints`).
inline bool runs_training_notebook(std::string_view body, std::size_t at) {
  std::size_t open = at + k_notebook_run.front().size();
  while (open < body.size() && body[open] == ' ') ++open;
  if (open >= body.size() || (body[open] != '"' && body[open] != '\'')) return false;
  const std::size_t close = body.find(body[open], open + 1);
  if (close == std::string_view::npos) return false;
  const std::string path = util::to_lower(body.substr(open + 1, close - open - 1));
  for (std::size_t i = 0; i < path.size(); ++i)
    if ((i == 0 || !std::isalpha(static_cast<unsigned char>(path[i - 1]))) &&
        (path.compare(i, 5, "train") == 0 || path.compare(i, 7, "retrain") == 0))
      return true;
  return false;
}

/// The first cell where training runs in a called step: a package's or recipe's training step
/// (k_packaged_training), or a Databricks notebook run whose name says it trains (runs_training_notebook).
inline std::optional<int> packaged_training_cell(const NotebookFacts& f) {
  for (const auto& c : f.code) {
    if (contains_any(c.body, k_packaged_training)) return c.number;
    for (auto at = c.body.find(k_notebook_run.front()); at != std::string::npos;
         at = c.body.find(k_notebook_run.front(), at + 1))
      if (runs_training_notebook(c.body, at)) return c.number;
  }
  return std::nullopt;
}

// ---- statements: assignments, loops and blocks, read by logical line ----

/// The indent of `line`: the spaces and tabs before its text.
inline std::size_t indent_of(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i;
}

/// Logical line `k` of `body` (logical_line_ends gave `ends` for it) as text.
inline std::string_view logical_line_text(std::string_view body, const std::vector<std::size_t>& ends,
                                          std::size_t k) {
  const auto [begin, end] = logical_line_range(ends, k);
  return body.substr(begin, end - begin);
}

/// The dotted name that `value` (an assignment's right side) begins by calling: `nn.Sequential` in
/// "nn.Sequential(...)", `MLP` in "MLP().to(device)"; empty when it begins otherwise.
inline std::string_view leading_call(std::string_view value) {
  value = util::trim(value);
  std::size_t n = 0;
  while (n < value.size() && (is_identifier_char(value[n]) || value[n] == '.')) ++n;
  std::size_t open = n;
  while (open < value.size() && value[open] == ' ') ++open;
  if (n == 0 || open >= value.size() || value[open] != '(') return {};
  return value.substr(0, n);
}

/// The last name of a dotted name (`Module` of `nn.Module`).
inline std::string_view last_name(std::string_view dotted) {
  const std::size_t dot = dotted.rfind('.');
  return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

/// An assignment to one plain name: the name (`model` in "model = MLP()") and the text after its `=`. Both
/// empty when `line` assigns nothing, or something else (`self.model = ...`, `a, b = ...`, `d["k"] = ...`,
/// `x += 1`).
struct Assignment {
  std::string_view name, value;
};
inline Assignment plain_assignment(std::string_view line) {
  const std::string_view target = assignment_target(line);
  const std::string_view name = util::trim(target);
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) ||
      !std::all_of(name.begin(), name.end(), is_identifier_char))
    return {};
  return {name, line.substr(target.size() + 1)};
}

/// Calls `visit(at, name)` for each name of `text` outside strings and comments (scan_code) that is no
/// attribute (after `.`) and no number: `at` is where it starts in `text`.
template <typename Visit>
void for_each_plain_name(std::string_view text, Visit visit) {
  scan_code(text, [&](std::size_t i, int) {
    if (!is_identifier_char(text[i]) || std::isdigit(static_cast<unsigned char>(text[i])) ||
        (i > 0 && (is_identifier_char(text[i - 1]) || text[i - 1] == '.')))
      return false;
    std::size_t n = i;
    while (n < text.size() && is_identifier_char(text[n])) ++n;
    visit(i, text.substr(i, n - i));
    return false;
  });
}

// ---- cross-validation written as a loop over folds ----

/// sklearn's splitters into folds, by the end of their class name (StratifiedKFold, GroupKFold,
/// RepeatedKFold, StratifiedShuffleSplit, ... end in one of these).
inline const Tokens k_fold_splitters = {"KFold",     "TimeSeriesSplit",  "ShuffleSplit",   "LeaveOneOut",
                                        "LeavePOut", "LeaveOneGroupOut", "LeavePGroupsOut"};

/// Whether `call` (a leading_call) builds a splitter into folds (k_fold_splitters), and `value`, the text
/// from it on, asks for more than one split: not `n_splits=1`, nor 1 as its first argument
/// (`ShuffleSplit(1, test_size=0.2)` splits once: a hold-out). LeavePOut's and LeavePGroupsOut's first
/// argument is how many are left out (`LeavePOut(1)` leaves out each row in turn).
inline bool builds_folds(std::string_view call, std::string_view value) {
  const std::string_view last = last_name(call);
  if (call.empty() || !std::any_of(k_fold_splitters.begin(), k_fold_splitters.end(),
                                   [&](std::string_view t) { return util::ends_with(last, t); }))
    return false;
  if (util::starts_with(last, "Leave")) return true;
  const std::size_t open = value.find('(');
  std::string_view args = util::trim(value.substr(open + 1));
  for (std::string_view key : {"n_splits=", "n_splits ="}) {
    if (const std::size_t at = args.find(key); at != std::string_view::npos) {
      args = util::trim(args.substr(at + key.size()));
      break;
    }
  }
  return !(util::starts_with(args, "1") &&
           (args.size() == 1 || !std::isdigit(static_cast<unsigned char>(args[1]))));
}

/// Whether the call that ends right before `at` of `line` builds a splitter into several folds
/// (builds_folds):
/// `.split(` at `at` in "for tr, te in TimeSeriesSplit(5).split(X):"; not "ShuffleSplit(n_splits=1).split(X)"
/// nor "open(path).read().split(".
inline bool built_folds_before(std::string_view line, std::size_t at) {
  if (at == 0 || line[at - 1] != ')') return false;
  std::size_t open = at - 1;  // back to the `(` the call's `)` closes
  for (int depth = 0; open > 0; --open) {
    depth += (line[open] == ')') - (line[open] == '(');
    if (depth == 0) break;
  }
  std::size_t begin = open;
  while (begin > 0 && (is_identifier_char(line[begin - 1]) || line[begin - 1] == '.')) --begin;
  while (begin < open && line[begin] == '.') ++begin;
  return builds_folds(line.substr(begin, open - begin), line.substr(begin, at - begin));
}

/// Where expression `value` first picks rows by position, at random or by a condition: a `.head(` /
/// `.tail(`, a random sample (`.sample(frac=0.8)`), the rows left when another frame's are dropped
/// (`.drop(train.index)`, `.drop(index=train.index)`), a filter by a condition (polars' and Spark's
/// `.filter(` / `.where(` holding a comparison or a membership test, not a not-null test; pandas'
/// `.query("year < 2020")`), or the `[` of a subscript whose first element (before
/// a `,`) is a slice with a bound (`[:800]`, `[-12:]`, `.iloc[:-h]`, `.loc["2023":]`), an index sliced so
/// (`X[idx[:800]]`, a permutation's first rows; not `df[df.columns[:5]]`, which picks columns) or a
/// condition: a comparison (`[df["date"] < cutoff]`, `[df.year == 2020]`, `!=`) or a membership test
/// (`[~df.index.isin( train.index)]`). npos when it picks none. A bare `:` picks every row (`.iloc[:, 1:]`
/// picks columns); what strings hold is not read.
inline std::size_t row_slice_at(std::string_view value) {
  std::size_t found = std::string_view::npos;
  for (std::string_view call : {".head(", ".tail(", ".sample("}) found = std::min(found, value.find(call));
  // A filter by a condition: polars' and Spark's `.filter(` / `.where(` (`df.filter(pl.col("date") <
  // cutoff)`, `sdf.filter(F.col("y") == 2020)`, `~pl.col("id").is_in(ids)`), pandas' `.query("year < 2020")`.
  for (std::string_view call : {".filter(", ".where(", ".query("})
    for (auto at = value.find(call); at != std::string_view::npos; at = value.find(call, at + 1)) {
      int open = 0;
      std::size_t end = at + call.size();
      // the arguments, read up to 1,000 bytes: a condition is short, and a long run of unclosed calls
      // stays linear
      const std::size_t limit = std::min(value.size(), end + 1000);
      for (; end < limit; ++end) {
        if (value[end] == '(') ++open;
        if (value[end] == ')' && open-- == 0) break;
      }
      const std::string_view args = value.substr(at + call.size(), end - at - call.size());
      if (contains_any(args, {"<", ">", "==", "!=", "is_in(", "isin("}) &&
          !contains_any(args, {"isNotNull(", "is_not_null(", "notna(", "notnull("})) {
        found = std::min(found, at);
        break;
      }
    }
  for (auto at = value.find(".drop("); at != std::string_view::npos; at = value.find(".drop(", at + 1)) {
    const std::size_t close = value.substr(0, std::min(value.size(), at + 1000)).find(')', at);
    if (close != std::string_view::npos && util::ends_with(value.substr(0, close), ".index")) {
      found = std::min(found, at);
      break;
    }
  }
  int square = 0;                                                     // square brackets open
  bool first = false, colon = false, bound = false, compare = false;  // in the first element of the outer one
  bool nested = false;     // the first element picks by an index sliced by position (`X[idx[:800]]`)
  bool columns = false;    // the subscript inside it is of column labels (`df[df.columns[:5]]`)
  std::size_t opened = 0;  // where the outer subscript opens
  std::size_t next = 0;    // the byte after the last one visited: a gap before `i` was a string (a bound)
  const std::size_t stop = scan_code(value, [&](std::size_t i, int) {
    const char ch = value[i];
    if (square == 1 && first && i > next) bound = true;
    next = i + 1;
    if (ch == '[' && square++ == 0) {
      first = true, colon = bound = compare = nested = false;
      opened = i;
      return false;
    }
    if (ch == '[' && square == 2 && first) columns = util::ends_with(value.substr(0, i), "columns");
    if (ch == ':' && square == 2 && first && !columns) nested = true;
    if (ch == ']' && square > 0 && --square == 0) return first && ((colon && bound) || compare || nested);
    if (square != 1 || !first) return false;
    if (ch == ',') {
      first = false;
      return (colon && bound) || compare || nested;
    }
    if (ch == ':')
      colon = true;
    else if (ch == '<' || ch == '>' || value.compare(i, 2, "==") == 0 || value.compare(i, 2, "!=") == 0 ||
             value.compare(i, 6, ".isin(") == 0)
      compare = true;
    else if (!std::isspace(static_cast<unsigned char>(ch)))
      bound = true;
    return false;
  });
  return stop < value.size() ? std::min(found, opened) : found;
}

/// The value given to a keyword argument or assigned to a name whose token ends at `after` in `body`:
/// after spaces and one `=` (none when the token holds it, `eval_dataset=`), up to the first `,`, `)`, `]`,
/// `}`, `;` or newline outside brackets and strings, spaces trimmed. Empty when no `=` follows (the name is
/// read, not given a value: `fit(..., eval_set=eval_set)`'s second `eval_set`) or the `=` is a comparison.
/// Reads at most 4,000 bytes of it.
inline std::string_view keyword_value(std::string_view body, std::size_t after) {
  std::size_t at = after;
  if (at == 0 || body[at - 1] != '=') {
    while (at < body.size() && body[at] == ' ') ++at;
    if (at >= body.size() || body[at] != '=' || (at + 1 < body.size() && body[at + 1] == '=')) return {};
    ++at;
  }
  while (at < body.size() && body[at] == ' ') ++at;
  const std::string_view rest = body.substr(at, 4000);
  int before = 0;  // the bracket depth before the byte visited
  const std::size_t end = scan_code(rest, [&](std::size_t i, int depth) {
    const bool stop = before == 0 && std::string_view(",)]};\n").find(rest[i]) != std::string_view::npos;
    before = depth;
    return stop;
  });
  std::string_view value = rest.substr(0, end);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

/// Whether `value`, handed to a fit as its evaluation data (k_validation_set), holds data the model is not
/// trained on: not `None`, and not only training data (a name or string key that names the training part
/// and none that names a held-out one, split_parts_named, and no rows picked from it, row_slice_at:
/// `eval_set=[(X_train, y_train)]`, `valid_sets=[dtrain]` and `eval_dataset=ds["train"]` are training data;
/// `valid_sets=[lgb_train, lgb_eval]`, `X_dev` and `x_train[-10000:]` are held out). A value that names no
/// part (`eval_set=evals`) is taken as held out, as the argument's purpose is. Empty: the token is read, not
/// given (true).
inline bool holds_held_out_data(std::string_view value) {
  if (value == "None") return false;
  // rows picked from the training part are held out of the fit (`validation_data=(x_train[-10000:], ...)`)
  if (row_slice_at(value) != std::string_view::npos) return true;
  bool train = false;
  for (std::size_t i = 0; i < value.size();) {
    if (!is_identifier_char(value[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < value.size() && is_identifier_char(value[j])) ++j;
    const SplitParts parts = split_parts_named(value.substr(i, j - i));
    if (parts.held_out && !parts.measure) return true;
    train = train || (parts.train && !parts.measure);
    i = j;
  }
  return !train;
}

/// The first cell that hands a fit held-out data to watch it on (k_validation_set with a value that
/// holds_held_out_data: `eval_set=[(X_val, y_val)]`, `validation_data=(X_test, y_test)`,
/// `eval_dataset=ds["test"]`; not `eval_dataset=None` or `eval_set=[(X_train, y_train)]`), tokens in code
/// only (not in strings or comments).
inline std::optional<int> validation_set_cell(const NotebookFacts& f) {
  for (const auto& c : f.code) {
    if (!contains_any(c.body, k_validation_set)) continue;
    CodeMask code(c.body);
    for (std::string_view token : k_validation_set)
      for (auto at = c.body.find(token); at != std::string::npos; at = c.body.find(token, at + 1))
        if (code.at(at) && (at == 0 || !is_identifier_char(c.body[at - 1])) &&
            holds_held_out_data(keyword_value(c.body, at + token.size())))
          return c.number;
  }
  return std::nullopt;
}

/// What the rows are picked from, for a row slice at `at` of `value` (row_slice_at): the dotted name, calls
/// and subscripts right before it (`X` in "X[:800]", `X_train.iloc` in "X_train.iloc[:5]", `df["y"]` in
/// `df["y"][:-12]`), not the bounds (`train_size` in "X[:train_size]" is no subject).
inline std::string_view sliced_subject(std::string_view value, std::size_t at) {
  std::size_t b = at;
  while (b > 0) {
    const char ch = value[b - 1];
    if (is_identifier_char(ch) || ch == '.') {
      --b;
    } else if (ch == ')' || ch == ']') {  // back over a call's or a subscript's brackets
      int depth = 0;
      while (b > 0) {
        const char c = value[--b];
        depth += (c == ')' || c == ']') - (c == '(' || c == '[');
        if (depth == 0) break;
      }
    } else {
      break;
    }
  }
  return value.substr(b, at - b);
}

/// Whether `value` (an assignment's right side) is a literal: a number, a string, None, True or False
/// (`val = 3`, `x_val = "abc"`), which holds no data.
inline bool literal_value(std::string_view value) {
  value = util::trim(value);
  if (value.empty()) return true;
  if (value == "None" || value == "True" || value == "False") return true;
  const std::size_t first = value.find_first_not_of("+-rbfuRBFU");  // a sign, a string's prefix (f"", rb'')
  if (first == std::string_view::npos || first > 2) return false;
  const char ch = value[first];
  return ch == '"' || ch == '\'' ||
         (std::isdigit(static_cast<unsigned char>(ch)) && first <= 1 &&
          (first == 0 || value.front() == '-' || value.front() == '+'));
}

/// The plain names an assignment target assigns (`X_train` and `X_test` of "X_train, X_test", `trainRows` of
/// Scala's "val trainRows", `X_val` of "self.X_val"); an element that is an item or a call (`df["x"]`,
/// `X_train.loc[m, "a"]`) assigns no name and is left out.
template <typename Visit>
void for_each_target_name(std::string_view target, Visit visit) {
  std::string_view t = util::trim(target);
  // Scala declares with `val` / `var` (a %scala cell, a Scala notebook): a keyword, no part's name
  if (util::starts_with(t, "val ") || util::starts_with(t, "var ")) t.remove_prefix(4);
  for (std::size_t at = 0; at <= t.size();) {
    const std::size_t comma = std::min(t.find(',', at), t.size());
    std::string_view element = util::trim(t.substr(at, comma - at));
    while (!element.empty() && std::string_view("([*").find(element.front()) != std::string_view::npos)
      element.remove_prefix(1);
    while (!element.empty() && std::string_view(")] ").find(element.back()) != std::string_view::npos)
      element.remove_suffix(1);
    if (!element.empty() && std::all_of(element.begin(), element.end(),
                                        [](char ch) { return is_identifier_char(ch) || ch == '.'; }))
      visit(last_name(element));
    at = comma + 1;
  }
}

/// Statistics assigned to names, for scaling by hand: names assigned a mean (`mu = X.mean(axis=0)`), a
/// standard deviation (`sd = np.std(X, axis=0)`), a minimum or a maximum (`lo = x.min()`).
struct ScaleStatistics {
  std::set<std::string, std::less<>> means, stds, mins, maxes;
};
inline ScaleStatistics scale_statistics(const NotebookFacts& f) {
  ScaleStatistics out;
  for (const auto& c : f.code) {
    if (!contains_any(c.body, {"mean(", "std(", "min(", "max("})) continue;
    for (std::string_view line : util::split_lines(c.body))
      if (const auto a = plain_assignment(line); !a.name.empty()) {
        if (contains(a.value, "mean(")) out.means.emplace(a.name);
        if (contains(a.value, "std(")) out.stds.emplace(a.name);
        if (contains(a.value, "min(")) out.mins.emplace(a.name);
        if (contains(a.value, "max(")) out.maxes.emplace(a.name);
      }
  }
  return out;
}

/// Whether `body` scales a feature by hand: an assignment, outside strings and comments, whose value
/// subtracts and divides by statistics of the data (computed there or named, scale_statistics):
/// standardising (`df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()`, `X = (X - mu) / sd` after `mu =
/// X.mean(axis=0)` and `sd = X.std(axis=0)`) or min-max scaling (`(x - x.min()) / (x.max() - x.min())`); or
/// divides pixels by 255 (`x_train = x_train / 255.0`); or keeps a z-score as the data (`X = zscore(X)`). A
/// statistic printed or compared is none (`print(x.mean() - x.std())`), and so are a measure divided by a
/// range (`nrmse = rmse / (y.max() - y.min())`: nothing is subtracted before the division) and a z-score
/// taken as an outlier test (`z = np.abs(zscore(df))`, a comparison with it).
inline bool scales_by_hand(std::string_view body, const ScaleStatistics& named = {}) {
  if (!contains(body, "/") && !contains(body, "zscore(")) return false;
  const std::string text = code_text(body);
  const auto ends = logical_line_ends(text);
  for (std::size_t k = 0; k < ends.size(); ++k) {
    const auto [begin, end] = logical_line_range(ends, k);
    const std::string_view line = std::string_view(text).substr(begin, end - begin);
    const std::string_view target = assignment_target(line);
    // a z-score kept as the data (`X = zscore(X)`, `return zscore(x)`); not one taken as an outlier test in
    // its statement (`z = np.abs(stats.zscore(df))`, `df[(zscore(df) < 3).all(axis=1)]`) or, assigned to a
    // name, compared with `<` / `>` or taken `abs(` of in the same cell
    if (const std::size_t z = line.find("zscore(");
        z != std::string_view::npos && (z == 0 || !is_identifier_char(line[z - 1]))) {
      const std::string_view rest = target.empty() ? line : line.substr(target.size() + 1);
      const std::string_view name = util::trim(target);
      const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), is_identifier_char);
      bool outlier = contains(rest, "abs(") || contains_any(rest, {"<", ">"});
      if (plain)
        for (auto at = text.find(name); !outlier && at != std::string::npos; at = text.find(name, at + 1)) {
          if ((at > 0 && is_identifier_char(text[at - 1])) ||
              (at + name.size() < text.size() && is_identifier_char(text[at + name.size()])))
            continue;
          std::size_t next = at + name.size();
          while (next < text.size() && text[next] == ' ') ++next;
          outlier = (next < text.size() && (text[next] == '<' || text[next] == '>')) ||
                    util::ends_with(std::string_view(text).substr(0, at), "abs(");
        }
      if (!outlier) return true;
    }
    if (target.empty()) continue;
    const std::string_view value = line.substr(target.size() + 1);
    // pixels: the array itself divided by 255 (`x_train = x_train / 255.0`, `X = X.astype("float32") / 255`,
    // `x_train /= 255`); not a colour (`31 / 255`) nor a size (`/ 2550`)
    const std::string_view array =
        util::trim(target.back() == '/' ? target.substr(0, target.size() - 1) : target);
    for (auto at = value.find("255"); at != std::string_view::npos; at = value.find("255", at + 3)) {
      std::size_t slash = at;
      while (slash > 0 && value[slash - 1] == ' ') --slash;
      const bool divides = (slash > 0 && value[slash - 1] == '/') || (slash == 0 && target.back() == '/');
      const bool whole = at + 3 >= value.size() || !std::isdigit(static_cast<unsigned char>(value[at + 3]));
      if (divides && whole && !array.empty() &&
          (target.back() == '/' || util::starts_with(util::trim(value), array)))
        return true;
    }
    if (!contains(value, "/") || !contains(value, "-")) continue;
    // the statistic subtracted before the division, `(x - mu) / sd`, or the array itself divided by its
    // range, `df["x"] = df["x"] / (df["x"].max() - df["x"].min())`; not a measure divided by a range
    // (`nrmse = rmse / (y.max() - y.min())`), which scales no feature
    if (value.find('-') > value.find('/')) {
      // as the source writes them, strings kept (`df["x"]`), so that another column is not the same
      const std::string_view raw = body.substr(begin, end - begin);
      if (!util::starts_with(util::trim(raw.substr(target.size() + 1)),
                             util::trim(raw.substr(0, target.size()))))
        continue;
    }
    // a mean with a standard deviation, or a minimum with a maximum (computed there or named)
    bool mean = contains(value, "mean("), std = contains(value, "std("), min = contains(value, "min("),
         max = contains(value, "max(");
    for_each_plain_name(value, [&](std::size_t, std::string_view name) {
      mean = mean || named.means.count(name) > 0;
      std = std || named.stds.count(name) > 0;
      min = min || named.mins.count(name) > 0;
      max = max || named.maxes.count(name) > 0;
    });
    if ((mean && std) || (min && max)) return true;
  }
  return false;
}

/// Code cells that scale or assemble features: a k_scaling token, or scaling by hand (scales_by_hand).
inline std::vector<int> scaling_cells(const NotebookFacts& f) {
  const ScaleStatistics named = scale_statistics(f);
  std::vector<int> out;
  for (const auto& c : f.code)
    if (contains_any(c.body, k_scaling) || scales_by_hand(c.body, named)) out.push_back(c.number);
  return out;
}

/// A mean, median or mode computed or named: a method call (`.median(`), a group's (`transform("median")`,
/// `agg('mean')`), NumPy's NaN-skipping ones (`np.nanmedian(`, `np.nanmean(`), Spark's (`F.avg("age")`,
/// `F.mean(`, `approxQuantile("age", [0.5], 0.01)`, `percentile_approx(`).
inline const Tokens k_fill_statistic = {
    ".mean(",  ".median(",  ".mode(",     "'mean')",  "\"mean\")", "'median')",       "\"median\")",
    "'mode')", "\"mode\")", "nanmedian(", "nanmean(", "avg(",      "approxQuantile(", "percentile_approx("};

/// Names assigned a mean, median or mode somewhere in the notebook (`med = df.x.median()`,
/// `age_by_class = df.groupby("Pclass").Age.transform("median")`), each a whole name of an assignment's
/// target whose value computes one (k_fill_statistic) and fills nothing.
inline std::set<std::string, std::less<>> statistic_names(const NotebookFacts& f) {
  std::set<std::string, std::less<>> out;
  for (const auto& c : f.code) {
    if (!contains_any(c.body, k_fill_statistic)) continue;
    const auto ends = logical_line_ends(c.body);
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const auto [begin, end] = logical_line_range(ends, k);
      const std::string_view line = std::string_view(c.body).substr(begin, end - begin);
      const std::string_view target = assignment_target(line);
      if (target.empty()) continue;
      const std::string_view value = line.substr(target.size() + 1);
      if (!contains_any(value, k_fill_statistic) ||
          contains_any(value, {"fillna(", "na.fill(", "fill_null(", "replace("}))
        continue;
      for_each_target_name(target, [&](std::string_view name) { out.emplace(name); });
    }
  }
  return out;
}

/// Whether a line of `text` fills with a mean, median or mode: one computed on the line
/// (`df.x.fillna(df.x.mean(), inplace=True)`, `fillna(df.groupby("c").x.transform("median"))`), a name
/// starting with one (`fillna(median_age)`), or a whole name of `names` (statistic_names: `fillna(med)`
/// after `med = df.x.median()`).
inline bool fills_with_statistic(std::string_view text,
                                 const std::set<std::string, std::less<>>& names = {}) {
  for (std::string_view line : util::split_lines(text)) {
    if (!contains_any(line, {"fillna(", "na.fill(", "fill_null(", "replace("}) && !fills_by_mask(line))
      continue;
    if (contains_any(line, k_fill_statistic) ||
        contains_any(line, {"fillna(mean", "fillna(median", "fillna(mode"}))
      return true;
    // a name of `names` as the fill value: in a fill call's arguments (`fillna(med)`, `replace(np.nan,
    // med)`; not the frame it is called on), or the value a mask fill assigns (`df.loc[...] = med`)
    bool named = false;
    const auto in_value = [&](std::string_view value) {
      for_each_plain_name(
          value, [&](std::size_t, std::string_view name) { named = named || names.count(name) > 0; });
    };
    if (!names.empty()) {
      for (std::string_view call : {"fillna(", "na.fill(", "fill_null(", "replace("})
        for (auto at = line.find(call); at != std::string_view::npos; at = line.find(call, at + 1)) {
          const std::size_t open = at + call.size();
          const std::size_t close = line.substr(0, std::min(line.size(), open + 1000)).find(')', open);
          in_value(line.substr(open, close == std::string_view::npos
                                         ? std::min<std::size_t>(1000, line.size() - open)
                                         : close - open));
        }
      if (const std::string_view target = assignment_target(line); !target.empty() && fills_by_mask(line))
        in_value(line.substr(target.size() + 1));
    }
    if (named) return true;
  }
  return false;
}

/// Whether expression `value` joins a training part to a held-out part (split_parts_named): a concat, append
/// or union (`pd.concat([train, test])`, `train.append(test)`, `train_df.union(test_df)`) naming both.
inline bool joins_split_parts(std::string_view value) {
  if (!contains_any(value, {"concat(", ".append(", ".union(", ".unionByName(", "vstack(", "hstack("}))
    return false;
  bool train = false, held_out = false;
  for_each_plain_name(value, [&](std::size_t, std::string_view name) {
    const SplitParts parts = split_parts_named(name);
    if (parts.measure || parts.train == parts.held_out) return;
    (parts.train ? train : held_out) = true;
  });
  return train && held_out;
}

/// Whether expression `value` is a condition on rows: a comparison at its top level (`np.random.rand(len(df))
/// < 0.8`, `df["date"] >= cutoff`; not inside a call's arguments, `f(x > 0)`) or a membership test
/// (`df.id.isin(ids)`).
inline bool is_condition(std::string_view value) {
  if (contains(value, ".isin(")) return true;
  bool found = false;
  scan_code(value, [&](std::size_t i, int depth) {
    const char ch = value[i];
    found = depth == 0 && (ch == '<' || ch == '>' ||
                           ((ch == '=' || ch == '!') && i + 1 < value.size() && value[i + 1] == '='));
    return found;
  });
  return found;
}

/// Where expression `value` picks rows by a mask: the `[` of a subscript that holds one of `masks` alone
/// or negated (`df[msk]`, `df[~msk]`, `df.loc[~mask]`); npos when none does.
inline std::size_t mask_pick_at(std::string_view value, const std::set<std::string, std::less<>>& masks) {
  if (masks.empty()) return std::string_view::npos;
  for (auto at = value.find('['); at != std::string_view::npos; at = value.find('[', at + 1)) {
    if (!calls_or_subscripts(value, at)) continue;
    const std::size_t close = value.find(']', at);
    if (close == std::string_view::npos) break;
    std::string_view inside = util::trim(value.substr(at + 1, close - at - 1));
    if (!inside.empty() && inside.front() == '~') inside = util::trim(inside.substr(1));
    if (masks.count(inside) > 0) return at;
  }
  return std::string_view::npos;
}

/// The first code cell by which a hold-out is split off without a splitter call: a training part and a
/// held-out part of one split (split_parts_named: names that share their `key`, no measure's name) are both
/// assigned, either
/// - rows picked by position or by a condition (row_slice_at) from data (`train, test = y.iloc[:-12],
///   y.iloc[-12:]`; `X_train, X_test = X[:n_train], X[n_train:]`; `test = df[df["date"] >= "2023-01-01"]`
///   and `train = df[df["date"] < "2023-01-01"]`): what is picked from is a name's (sliced_subject), not a
///   literal's (`[x for x in accs if x > 0.5]`, `"abc"[1:]`), no split part's (`small_train = X_train[:5]`
///   is a part of a part), and no column labels (`df.columns[:5]`); or
/// - the features of a validation frame: `X_train` and `X_val` / `X_valid` / `X_validation` (key `x`, a
///   validation word), each assigned something other than a literal (`X_val = val_df[features]`; not
///   `x_val = 3`).
/// Rows picked back from a frame that joined a training part to a held-out one (`all_data = pd.concat([train,
/// test])`, then `train = all_data[:ntrain]` and `test = all_data[ntrain:]`: a competition's train and test
/// files prepared together and taken apart again) are no split: the test rows were never the training data's.
/// The cell where the second part is assigned. One part alone is no split: names like `test_cols`,
/// `top_val`, `X_test_sample` or `X_val` are often given to a few rows or labels picked for a look, and
/// names that only hold a part's word (`x_values`, `interval`, `validate_email`) are no parts.
inline std::optional<int> assigned_holdout_cell(const NotebookFacts& f) {
  std::set<std::string, std::less<>> train, held_out;  // keys of the parts picked from data so far
  bool x_train = false, x_val = false;                 // a validation frame's features assigned so far
  std::set<std::string, std::less<>> joined;           // names assigned a training part joined to a test part
  std::set<std::string, std::less<>> masks;            // names assigned a condition on rows (mask_names)
  for (const auto& c : f.code) {
    const std::string_view body = c.body;
    if (!contains(body, "=")) continue;
    const auto ends = logical_line_ends(body);
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const auto [begin, end] = logical_line_range(ends, k);
      const std::string_view line = body.substr(begin, end - begin);
      const std::string_view target = assignment_target(line);
      if (target.empty()) continue;
      const std::string_view value = line.substr(target.size() + 1);
      if (joins_split_parts(value))
        for_each_target_name(target, [&](std::string_view name) { joined.emplace(name); });
      if (const auto a = plain_assignment(line); !a.name.empty()) {
        if (is_condition(a.value))
          masks.emplace(a.name);
        else
          masks.erase(std::string(a.name));
      }
      std::optional<bool> sliced;  // whether the value picks rows from data, once a part asks
      bool found = false;
      for_each_target_name(target, [&](std::string_view name) {
        const SplitParts parts = split_parts_named(name);
        if (found || parts.measure || parts.train == parts.held_out) return;
        if (parts.key == "x" && !literal_value(value)) {
          x_train = x_train || parts.train;
          x_val = x_val || parts.validation;
        }
        if (!sliced) {
          const std::size_t at = std::min(row_slice_at(value), mask_pick_at(value, masks));
          const std::string_view subject = at == std::string_view::npos ? "" : sliced_subject(value, at);
          std::size_t name_end = 0;
          while (name_end < subject.size() && is_identifier_char(subject[name_end])) ++name_end;
          sliced = !subject.empty() && !std::isdigit(static_cast<unsigned char>(subject.front())) &&
                   is_identifier_char(subject.front()) && !names_split_part(subject) &&
                   !contains(subject, ".columns") && joined.count(subject.substr(0, name_end)) == 0;
        }
        if (!*sliced) return;
        (parts.train ? train : held_out).insert(parts.key);
        found = (parts.train ? held_out : train).count(parts.key) > 0;
      });
      if (found || (x_train && x_val)) return c.number;
    }
  }
  return std::nullopt;
}

/// Cells that cross-validate in a loop of their own: a `for` statement over a splitter's folds (`for tr, te
/// in tscv.split(X):`, `for k, (tr, te) in enumerate(KFold(5).split(X)):`; the splitter built in the loop's
/// header, or assigned to a name earlier, builds_folds) whose body fits a model (a k_fit call), or a
/// comprehension over the folds that fits (`[m.fit(X[tr], y[tr]).score(X[te], y[te]) for tr, te in
/// kf.split(X)]`). A loop that only picks the folds' rows, the fit after it, is a hold-out (its last fold).
/// Each cell is read once by logical line, and each loop's body once more.
inline std::vector<int> looped_cv_cells(const NotebookFacts& f) {
  std::vector<int> out;
  std::set<std::string, std::less<>> splitters;  // names assigned a splitter into several folds, so far
  for (const auto& c : f.code) {
    const std::string_view body = c.body;
    if (!contains(body, ".split(") && !contains_any(body, k_fold_splitters)) continue;
    const auto ends = logical_line_ends(body);
    bool found = false;
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const auto [begin, end] = logical_line_range(ends, k);
      const std::string_view line = body.substr(begin, end - begin);
      if (const auto a = plain_assignment(line); !a.name.empty()) {
        if (builds_folds(leading_call(a.value), util::trim(a.value)))
          splitters.emplace(a.name);
        else
          splitters.erase(std::string(a.name));
      }
      if (found) continue;  // the splitters assigned later in the cell are still read
      const std::size_t first_split = line.find(".split(");
      if (first_split == std::string_view::npos) continue;
      // the loop: a `for` statement (the line starts with it) or a comprehension (` for ` in it), then ` in `
      const std::size_t indent = indent_of(line);
      const bool statement = line.compare(indent, 4, "for ") == 0;
      const std::size_t for_at = statement ? indent : line.find(" for ");
      const std::size_t in = for_at == std::string_view::npos ? for_at : line.find(" in ", for_at + 1);
      if (in == std::string_view::npos) continue;
      for (auto at = first_split; at != std::string_view::npos; at = line.find(".split(", at + 1)) {
        const bool folds =
            at > in && (splitters.count(name_before(line, at)) > 0 || built_folds_before(line, at));
        if (!folds) continue;
        if (statement) {
          // the loop's body: its header's rest and the lines indented deeper than the header
          std::size_t last = k;
          while (last + 1 < ends.size() && indent_of(logical_line_text(body, ends, last + 1)) > indent)
            ++last;
          const std::size_t body_end = logical_line_range(ends, last).second;
          found = contains_any(body.substr(begin + at, body_end - begin - at), k_fit);
        } else {
          found = contains_any(line, k_fit);  // a comprehension fits in its own line
        }
        break;
      }
    }
    if (found) out.push_back(c.number);
  }
  return out;
}

// ---- PyTorch: a module the notebook builds or loads, called on data in evaluation ----

/// Calls that build or load a whole PyTorch module: TorchScript, the hub, torch.compile, timm. torchvision's
/// `models.` and `nn.` layers, the notebook's own module classes and Hugging Face's `...Model...
/// .from_pretrained(` are read by their shape (builds_torch_module).
inline const Tokens k_torch_module_loaders = {"torch.load",       "torch.jit.load", "torch.jit.script",
                                              "torch.jit.trace",  "torch.hub.load", "torch.compile",
                                              "timm.create_model"};
/// `nn.` layers without weights, applied as functions (`act = nn.ReLU()`): no model, as a loss
/// (`nn.CrossEntropyLoss()`, any `nn.*Loss`) is none.
inline const Tokens k_torch_plain_layers = {
    "ReLU",      "LeakyReLU", "ReLU6",     "ELU",          "SELU",     "GELU",      "SiLU",     "Mish",
    "Sigmoid",   "Tanh",      "Softmax",   "LogSoftmax",   "Softplus", "Softsign",  "Hardtanh", "Dropout",
    "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "Flatten",  "Unflatten", "Identity"};
/// A module's methods that return the module itself (`model = net.to(device)` names a module too).
inline const Tokens k_torch_self_methods = {"to", "cuda", "cpu", "eval", "train", "float", "double", "half"};

/// The PyTorch modules a notebook builds or loads: its classes deriving from a module class (`class
/// MLP(nn.Module):`, a LightningModule, or another such class of the notebook), and the names assigned one.
struct TorchModules {
  std::set<std::string, std::less<>> classes, names;
  bool torchvision = false;  ///< the notebook imports torchvision (its `models.` builders build modules)
};

/// Whether `call` (the leading_call of an assignment's `value`) builds or loads a PyTorch module: a module
/// class of the notebook (`MLP()`), an `nn.`/`torch.nn.` class (`nn.Sequential(...)`; not a loss nor a
/// k_torch_plain_layers layer), torchvision's model
/// builders (`models.resnet18(` when torchvision is imported), a k_torch_module_loaders call, Hugging Face's
/// `AutoModel...from_pretrained(`, or a module's own method (`net.to(device)`, `copy.deepcopy(net)`).
inline bool builds_torch_module(std::string_view call, std::string_view value, const TorchModules& m) {
  if (call.empty()) return false;
  if (m.classes.count(last_name(call))) return true;
  for (std::string_view nn : {"nn.", "torch.nn."})
    if (util::starts_with(call, nn) && call.size() > nn.size() &&
        std::isupper(static_cast<unsigned char>(call[nn.size()]))) {
      const std::string_view layer = call.substr(nn.size());
      return !util::ends_with(layer, "Loss") &&
             std::find(k_torch_plain_layers.begin(), k_torch_plain_layers.end(), layer) ==
                 k_torch_plain_layers.end();
    }
  if (util::starts_with(call, "torchvision.models.") || (m.torchvision && util::starts_with(call, "models.")))
    return true;
  if (std::find(k_torch_module_loaders.begin(), k_torch_module_loaders.end(), call) !=
      k_torch_module_loaders.end())
    return true;
  if (util::ends_with(call, ".from_pretrained") && contains(call, "Model")) return true;
  const std::size_t dot = call.find('.');
  if (dot != std::string_view::npos && m.names.count(call.substr(0, dot)) &&
      std::find(k_torch_self_methods.begin(), k_torch_self_methods.end(), call.substr(dot + 1)) !=
          k_torch_self_methods.end())
    return true;
  if (call == "copy.deepcopy" || call == "deepcopy") {
    const std::string_view arg = util::trim(value.substr(value.find('(') + 1));
    return m.names.count(arg.substr(0, arg.find_first_of(") ,"))) > 0;
  }
  return false;
}

/// The PyTorch modules of a notebook that imports torch (none otherwise): its module classes, the names
/// assigned one (builds_torch_module), the names whose weights are loaded (`net.load_state_dict(`) and those
/// whose parameters an optimiser trains (`optim.Adam(net.parameters(), ...)`). One pass over the cells.
inline TorchModules torch_modules(const NotebookFacts& f) {
  TorchModules m;
  bool torch = false;
  for (const auto& c : f.code)
    for (const auto& module : c.modules) {
      torch = torch || module == "torch";
      m.torchvision = m.torchvision || module == "torchvision";
    }
  if (!torch) return m;
  for (const auto& c : f.code) {
    const std::string_view body = c.body;
    const auto ends = logical_line_ends(body);
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const std::string_view line = util::trim(logical_line_text(body, ends, k));
      if (util::starts_with(line, "class ")) {
        const std::string_view name = name_before(line, std::min(line.find_first_of("(:"), line.size()));
        const std::size_t open = line.find('(');
        bool module = false;
        // each base's last name: `nn.Module`, `pl.LightningModule`, a module class of the notebook
        for_each_plain_name(open == std::string_view::npos ? std::string_view{} : line.substr(open),
                            [&](std::size_t at, std::string_view) {
                              std::size_t n = open + at;
                              while (n < line.size() && (is_identifier_char(line[n]) || line[n] == '.')) ++n;
                              const std::string_view base = last_name(line.substr(open + at, n - open - at));
                              module = module || util::ends_with(base, "Module") || m.classes.count(base) > 0;
                            });
        if (module && !name.empty()) m.classes.emplace(name);
        continue;
      }
      if (const auto a = plain_assignment(line);
          !a.name.empty() && builds_torch_module(leading_call(a.value), util::trim(a.value), m))
        m.names.emplace(a.name);
      for (std::string_view call : {".load_state_dict(", ".parameters()"}) {
        if (call == ".parameters()" && !contains(line, "optim.")) continue;
        for (auto at = line.find(call); at != std::string_view::npos; at = line.find(call, at + 1))
          if (const auto name = name_before(line, at); !name.empty() && name != "self") m.names.emplace(name);
      }
    }
  }
  return m;
}

/// Whether `text` (a `with` statement or a decorator) turns PyTorch's gradients off: `torch.no_grad()`,
/// `torch.inference_mode()`, or `torch.set_grad_enabled(...)` with anything but True
/// (`set_grad_enabled(train)` evaluates when `train` is false). Returns where the marker starts, npos when
/// none.
inline std::size_t gradients_off_at(std::string_view text) {
  for (std::string_view marker : {"no_grad(", "inference_mode("})
    if (const auto at = text.find(marker); at != std::string_view::npos) return at;
  const auto at = text.find("set_grad_enabled(");
  if (at == std::string_view::npos) return at;
  const std::string_view arg = text.substr(at + 17);
  return util::starts_with(util::trim(arg), "True") ? std::string_view::npos : at;
}

/// What an assignment of a PyTorch module name gives it: a module built afresh, whose weights are untrained
/// (a module class of the notebook, an `nn.` layer, a torchvision or timm model without pretrained weights);
/// the same module as another name (`net.to(device)`, `copy.deepcopy(net)`, `torch.compile(net)`, which keep
/// its mode and its weights); or anything else (a loaded module, `torch.load(...)`,
/// `...from_pretrained(...)`; a function's result), whose weights may be trained and which is in no known
/// mode.
struct TorchAssigned {
  enum class Kind { fresh, same, other } kind = Kind::other;
  std::string_view source;  ///< for `same`: the name it is the same module as
};
inline TorchAssigned torch_assigned(std::string_view value, const TorchModules& m) {
  value = util::trim(value);
  const std::string_view call = leading_call(value);
  if (call.empty()) return {};
  const std::size_t dot = call.find('.');
  if (dot != std::string_view::npos && m.names.count(call.substr(0, dot)) &&
      std::find(k_torch_self_methods.begin(), k_torch_self_methods.end(), call.substr(dot + 1)) !=
          k_torch_self_methods.end())
    return {TorchAssigned::Kind::same, call.substr(0, dot)};
  for (std::string_view wrapper :
       {"copy.deepcopy", "deepcopy", "torch.compile", "torch.jit.script", "torch.jit.trace",
        "nn.DataParallel", "torch.nn.DataParallel", "DataParallel", "nn.parallel.DistributedDataParallel",
        "torch.nn.parallel.DistributedDataParallel", "DistributedDataParallel", "DDP"})
    if (call == wrapper) {
      const std::string_view arg = util::trim(value.substr(value.find('(') + 1));
      const std::string_view name = arg.substr(0, std::min(arg.find_first_of(") ,"), arg.size()));
      return m.names.count(name) ? TorchAssigned{TorchAssigned::Kind::same, name} : TorchAssigned{};
    }
  if (!builds_torch_module(call, value, m)) return {};
  const bool pretrained = contains_any(value, {"pretrained=True", "pretrained = True"}) ||
                          (contains_any(value, {"weights=", "weights ="}) &&
                           !contains_any(value, {"weights=None", "weights = None"}));
  const bool built = m.classes.count(last_name(call)) || util::starts_with(call, "nn.") ||
                     util::starts_with(call, "torch.nn.") || util::starts_with(call, "torchvision.models.") ||
                     (m.torchvision && util::starts_with(call, "models.")) || call == "timm.create_model";
  return built && !pretrained ? TorchAssigned{TorchAssigned::Kind::fresh, {}} : TorchAssigned{};
}

/// The parameters a `def` line names (`model` and `loader` of "def evaluate(model, loader=None):"; `self`,
/// `*args` and `**kwargs` left out).
inline std::set<std::string, std::less<>> def_parameters(std::string_view line) {
  std::set<std::string, std::less<>> out;
  const std::size_t open = line.find('(');
  if (open == std::string_view::npos) return out;
  int depth = 0;
  bool name_next = true;
  for (std::size_t i = open + 1; i < line.size() && depth >= 0; ++i) {
    const char ch = line[i];
    if (ch == '(' || ch == '[' || ch == '{') ++depth;
    if (ch == ')' || ch == ']' || ch == '}') --depth;
    if (depth == 0 && ch == ',') name_next = true;
    if (!name_next || !(std::isalpha(static_cast<unsigned char>(ch)) || ch == '_') ||
        (i > 0 && line[i - 1] == '*'))
      continue;
    std::size_t end = i;
    while (end < line.size() && is_identifier_char(line[end])) ++end;
    if (line.substr(i, end - i) != "self") out.emplace(line.substr(i, end - i));
    name_next = false;
    i = end - 1;
  }
  return out;
}

/// The name a `def` line defines (`evaluate` of "def evaluate(model, loader):"), "" when none.
inline std::string_view def_name(std::string_view line) {
  line = util::trim(line);
  if (util::starts_with(line, "async ")) line.remove_prefix(6);
  if (!util::starts_with(line, "def ")) return {};
  line = util::trim(line.substr(4));
  std::size_t end = 0;
  while (end < line.size() && is_identifier_char(line[end])) ++end;
  return line.substr(0, end);
}

/// The defs of the notebook that some code calls (`evaluate(net, test_loader)`, `evaluate(model=net)`, in a
/// loop over models or from another def): a def never called runs nothing. One pass over the code (strings
/// and comments left out).
inline std::set<std::string, std::less<>> called_defs(const NotebookFacts& f) {
  std::set<std::string, std::less<>> defs, out;
  for (const auto& c : f.code)
    for (std::string_view line : util::split_lines(c.body))
      if (const std::string_view name = def_name(line); !name.empty()) defs.emplace(name);
  if (defs.empty()) return out;
  for (const auto& c : f.code) {
    const std::string code = code_text(c.body);
    for (std::size_t at = 0; at < code.size(); ++at) {  // each name, once
      if (!is_identifier_char(code[at]) ||
          (at > 0 && (is_identifier_char(code[at - 1]) || code[at - 1] == '.')))
        continue;
      std::size_t open = at;
      while (open < code.size() && is_identifier_char(code[open])) ++open;
      const std::string_view name = std::string_view(code).substr(at, open - at);
      const std::string_view before = util::trim(std::string_view(code).substr(0, at));
      at = open - 1;
      if (open < code.size() && code[open] == '(' && defs.count(name) && !util::ends_with(before, "def"))
        out.emplace(name);
    }
  }
  return out;
}

/// Cells where a PyTorch module the notebook builds or loads (torch_modules) is called on data for its
/// output in evaluation, as PyTorch predicts: `model(xb)` inside `with torch.no_grad():` /
/// `torch.inference_mode()` / `torch.set_grad_enabled(...)` other than True (gradients_off_at), in a def
/// decorated with one, or after `model.eval()` / `model.train(False)` (until `model.train()`; a switch inside
/// a def holds to the def's end). A module called while it trains (no such block, no eval()) predicts
/// nothing; no other name's call counts (a function, a class, `self.fc1(x)`). One pass over the cells, by
/// logical line, in notebook order (the mode a module was left in goes on into the next cells).
///
/// A name assigned again is a new module: its mode is a new module's, training (`model = MLP()` after
/// `model.eval()`), or the mode of the module it is the same as (`model = model.to(device)`; torch_assigned).
/// A module built afresh (`model = MLP()`, `nn.Sequential(...)`) has untrained weights, and its call in
/// evaluation outside a def uses no trained model, until it is trained or loaded, as far as the code shows:
/// its weights loaded (`load_state_dict(`), its parameters handed on (`optim.Adam(model.parameters())`; not
/// `for p in model.parameters()`), the module handed to a call (`train(model, loader)`,
/// `trainer.fit(model)`), its own `.fit(` or `.train()`, or a call of it while it trains. Inside a def the
/// call is read as it is written (the def runs later, when the module may be trained), and what trains it
/// there counts for the notebook's module; a def's parameters are read as modules inside it (`def
/// evaluate(model, loader):` calling `model(xb)` under `torch.no_grad()` predicts with what it is handed)
/// when the def is called (called_defs: in a loop over models, from another def, with what a training call
/// returned) or the parameter bears a module's name; a def never called runs no module through its
/// parameters.
inline std::vector<int> torch_forward_cells(const NotebookFacts& f) {
  const TorchModules m = torch_modules(f);
  std::vector<int> out;
  if (m.names.empty()) return out;
  const auto called_names = called_defs(f);
  std::set<std::string, std::less<>> evaluating;  // modules switched to evaluation (eval()), at this point
  std::set<std::string, std::less<>> fresh;       // modules built afresh and not trained or loaded since
  // The switches made inside the defs open, each with whether its module was evaluating before it: undone at
  // the def's end (a log, not a copy of `evaluating` per def, which would grow with the notebook).
  std::vector<std::pair<std::string, bool>> undo;
  struct Block {
    std::size_t indent = 0;
    bool gradients_off = false;
    std::optional<std::size_t> undo_from;           ///< a def's: where its switches start in `undo`
    std::set<std::string, std::less<>> parameters;  ///< a def's parameters: modules handed to it, maybe
  };
  for (const auto& c : f.code) {
    const std::string_view body = c.body;
    const auto ends = logical_line_ends(body);
    std::vector<Block> blocks;
    int off = 0;                 // blocks open that turn gradients off
    int defs = 0;                // defs open
    bool decorated_off = false;  // a decorator just read turns them off for the def it decorates
    bool found = false;
    const auto close = [&]() {
      const Block& b = blocks.back();
      off -= b.gradients_off;
      if (b.undo_from) {
        for (; undo.size() > *b.undo_from; undo.pop_back())
          if (undo.back().second)
            evaluating.insert(undo.back().first);
          else
            evaluating.erase(undo.back().first);
        --defs;
      }
      blocks.pop_back();
    };
    const auto set_evaluating = [&](std::string_view name, bool on) {
      const auto it = evaluating.find(name);
      if (defs > 0) undo.emplace_back(std::string(name), it != evaluating.end());
      if (on && it == evaluating.end()) evaluating.emplace(name);
      if (!on && it != evaluating.end()) evaluating.erase(it);
    };
    const auto trained = [&](std::string_view name) {
      if (const auto it = fresh.find(name); it != fresh.end()) fresh.erase(it);
    };
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const std::string_view whole = logical_line_text(body, ends, k);
      const std::size_t indent = indent_of(whole);
      const std::string_view line = whole.substr(indent);
      while (!blocks.empty() && indent <= blocks.back().indent) close();
      if (util::starts_with(line, "@")) {
        decorated_off = decorated_off || gradients_off_at(line) != std::string_view::npos;
        continue;
      }
      if (util::starts_with(line, "def ") || util::starts_with(line, "async def ")) {
        // its parameters are read as modules when it is called, or they bear a module's name
        std::set<std::string, std::less<>> parameters;
        const bool called = called_names.count(def_name(line)) > 0;
        for (auto& p : def_parameters(line))
          if (called || m.names.count(p)) parameters.insert(p);
        blocks.push_back({indent, decorated_off, undo.size(), std::move(parameters)});
        off += decorated_off;
        ++defs;
        decorated_off = false;
        continue;
      }
      decorated_off = false;
      const std::size_t with_off =
          util::starts_with(line, "with ") ? gradients_off_at(line) : std::string_view::npos;
      const std::string_view target = assignment_target(line);
      // a def's parameter is read as a module there (`def evaluate(model, loader):` ... `model(xb)` under
      // `torch.no_grad()`): a module handed to it runs as the def is written
      const auto parameter = [&](std::string_view name) {
        return std::any_of(blocks.begin(), blocks.end(),
                           [&](const Block& b) { return b.parameters.count(name) > 0; });
      };
      for_each_plain_name(line, [&](std::size_t at, std::string_view name) {
        if (!m.names.count(name) && !parameter(name)) return;
        std::size_t next = at + name.size();
        while (next < line.size() && line[next] == ' ') ++next;
        const std::string_view rest = line.substr(next);
        std::size_t before = at;
        while (before > 0 && line[before - 1] == ' ') --before;
        const char prev = before > 0 ? line[before - 1] : ' ';
        if (util::starts_with(rest, "(")) {
          const bool evaluation =
              off > 0 || evaluating.count(name) > 0 || (with_off != std::string_view::npos && at > with_off);
          if (!evaluation) trained(name);  // called while it trains
          found = found || (evaluation && (defs > 0 || !fresh.count(name)));
        } else if (util::starts_with(rest, ".eval()") || util::starts_with(rest, ".train(False)") ||
                   util::starts_with(rest, ".train(mode=False)")) {
          set_evaluating(name, true);
        } else if (util::starts_with(rest, ".train()") || util::starts_with(rest, ".train(True)") ||
                   util::starts_with(rest, ".train(mode=True)")) {
          set_evaluating(name, false);
          trained(name);
        } else if (util::starts_with(rest, ".load_state_dict(") || util::starts_with(rest, ".fit(") ||
                   (util::starts_with(rest, ".parameters()") &&
                    !util::ends_with(util::trim(line.substr(0, at)), " in"))) {
          trained(name);
        } else if (!util::starts_with(rest, ".") && !util::starts_with(rest, "[") &&
                   (prev == '(' || prev == ',' ||
                    (prev == '=' && at > target.size() && before >= 2 &&
                     is_identifier_char(line[before - 2])))) {
          trained(name);  // handed to a call: `train(model, loader)`, `fit(model=net)`
        }
      });
      // A name assigned again holds a new module (after what the line's right side did with the old one).
      if (!target.empty() && !contains(target, ".")) {  // an attribute assigned binds no name
        const std::string_view value = line.substr(target.size() + 1);
        const TorchAssigned assigned = torch_assigned(value, m);
        for_each_target_name(target, [&](std::string_view name) {
          if (!m.names.count(name) || (assigned.kind == TorchAssigned::Kind::same && assigned.source == name))
            return;
          const bool one = util::trim(target) == name;
          set_evaluating(name, one && assigned.kind == TorchAssigned::Kind::same &&
                                   evaluating.count(assigned.source) > 0);
          if (defs > 0) return;  // a def's own name: what it is there is undone with its switches
          if (one && assigned.kind == TorchAssigned::Kind::fresh)
            fresh.emplace(name);
          else if (one && assigned.kind == TorchAssigned::Kind::same && fresh.count(assigned.source))
            fresh.emplace(name);
          else
            trained(name);
        });
      }
      if (with_off != std::string_view::npos) {
        blocks.push_back({indent, true, std::nullopt, {}});
        ++off;
      }
    }
    while (!blocks.empty()) close();
    if (found) out.push_back(c.number);
  }
  return out;
}

/// The cells of two sorted lists of cell numbers, sorted, no repeats.
inline std::vector<int> sorted_union(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

/// Cells where a model predicts: a k_predict call (predict, predict_proba, score_batch, a forecast, ...) or a
/// PyTorch module called in evaluation (torch_forward_cells). Sorted, no repeats.
inline std::vector<int> predict_cells(const NotebookFacts& f) {
  return sorted_union(f.cells_with(k_predict), torch_forward_cells(f));
}

// ---- stages: where data is loaded, the model trained, the split made (computed once from the facts) ----

struct Stages {
  bool has_code = false;
  std::optional<int> data_load;
  bool builtin_data_only = false;   ///< every load is a bundled toy data set (complete by construction)
  std::optional<int> model;         ///< first cell naming an estimator
  std::optional<int> fit;           ///< first cell fitting or training a model
  std::optional<int> last_fit;      ///< last such cell (fit when the notebook fits once, or by a call)
  bool trained = false;             ///< a model is trained in the notebook (or by a packaged step it calls)
  bool packaged = false;            ///< training happens in a called package or recipe, not in visible code
  std::optional<int> holdout;       ///< first hold-out split
  std::optional<int> cv;            ///< first cross-validation / search (a loop over folds too)
  std::optional<int> loaded_model;  ///< a model is loaded back or a deployed model is called
  std::optional<int> modelling;     ///< where modelling starts: the first fit outside a def/class cell
  bool data_work = false;           ///< the notebook inspects or transforms a data frame itself
  bool data_prep = false;           ///< the notebook transforms or cleans data itself
  std::set<std::string, std::less<>> models;  ///< names assigned a model or a fit result (model_names())
  /// Per code cell number, the metric families of its models' `.score(` (model_score_kinds).
  std::map<int, std::set<std::string>> score_kinds;
  /// Per code cell number, the metric families it computes by hand (hand_written_metric_kinds; cells with
  /// none left out).
  std::map<int, std::set<std::string>> hand_metric_kinds;
  /// Names assigned a mean, median or mode (statistic_names).
  std::set<std::string, std::less<>> statistic_names;
  /// The notebook only drives packaged steps or a deployed model: no estimator in its own code.
  bool orchestrated = false;
};

inline bool is_definition(const CodeFacts& c) {
  const std::string_view body = util::trim(c.body);
  return util::starts_with(body, "def ") || util::starts_with(body, "class ") || util::starts_with(body, "@");
}

// A `def NAME(` block of a cell's code: from its line to the next non-blank line indented no deeper.
struct DefBlock {
  std::string name;
  bool method = false;             ///< indented (a method or a nested def): called as `obj.NAME(` too
  std::size_t begin = 0, end = 0;  ///< byte range in the body
};

inline std::vector<DefBlock> def_blocks(std::string_view body) {
  std::vector<DefBlock> blocks;
  const auto indent_of = [&](std::size_t line) {
    std::size_t i = line;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    return i - line;
  };
  for (std::size_t line = 0; line < body.size();) {
    const std::size_t eol = std::min(body.find('\n', line), body.size());
    const std::size_t indent = indent_of(line);
    std::string_view text = body.substr(line + indent, eol - line - indent);
    if (const std::string_view name = def_name(text); !name.empty()) {
      const std::size_t after = static_cast<std::size_t>(name.data() - text.data()) + name.size();
      if (after < text.size() && text[after] == '(') {
        DefBlock b{std::string(name), indent > 0, line, body.size()};
        for (std::size_t next = eol + 1; next < body.size();) {
          const std::size_t next_eol = std::min(body.find('\n', next), body.size());
          const std::size_t i = indent_of(next);
          if (next + i < next_eol && i <= indent) {
            b.end = next;
            break;
          }
          next = next_eol + 1;
        }
        blocks.push_back(std::move(b));
      }
    }
    line = eol + 1;
  }
  return blocks;
}

// The first code cell after `defined_in` (or from it, with `own_cell`) that calls `def_` outside any def of
// its own: the name followed by `(`, not continuing another name (`pretrain(` is no call of train) nor, for a
// top-level def, a method (`net.train()`). A cell's defs are only parsed when the name occurs in it.
inline std::optional<int> first_call(const NotebookFacts& f, const DefBlock& def_, int defined_in,
                                     bool own_cell = false) {
  const std::string call = def_.name + "(";
  for (const auto& c : f.code) {
    if (c.number < defined_in || (c.number == defined_in && !own_cell)) continue;
    std::optional<std::vector<DefBlock>> own;
    for (auto at = c.body.find(call); at != std::string::npos; at = c.body.find(call, at + 1)) {
      const char before = at == 0 ? ' ' : c.body[at - 1];
      if (is_identifier_char(before) || (before == '.' && !def_.method)) continue;
      if (!own) own = def_blocks(c.body);
      if (std::any_of(own->begin(), own->end(),
                      [&](const DefBlock& b) { return at >= b.begin && at < b.end; }))
        continue;
      return c.number;
    }
  }
  return std::nullopt;
}

// A def of the notebook's code, with its cell; `marked` when it does what a caller looks for (fits a model,
// fits a transform).
struct CellDef {
  DefBlock block;
  int cell = 0;
  bool marked = false;
};

/// Every def block of every code cell, in notebook order (a nested def after the def holding it).
inline std::vector<CellDef> cell_defs(const NotebookFacts& f) {
  std::vector<CellDef> defs;
  for (const auto& c : f.code)
    for (auto& b : def_blocks(c.body)) defs.push_back({std::move(b), c.number, false});
  return defs;
}

/// Marks every def whose body calls a marked def by name (a run() wrapper around a helper), to a fixpoint.
inline void mark_callers(const NotebookFacts& f, std::vector<CellDef>& defs) {
  for (bool grew = true; grew;) {
    grew = false;
    for (auto& d : defs) {
      if (d.marked) continue;
      const std::string_view body =
          std::string_view(f.cell(d.cell)->body).substr(d.block.begin, d.block.end - d.block.begin);
      for (const auto& g : defs) {
        if (!g.marked) continue;
        const std::string call = g.block.name + "(";
        for (auto at = body.find(call); at != std::string_view::npos && !d.marked;
             at = body.find(call, at + 1))
          if (at > 0 && !is_identifier_char(body[at - 1]) && (body[at - 1] != '.' || g.block.method))
            d.marked = true;
        if (d.marked) break;
      }
      grew = grew || d.marked;
    }
  }
}

/// Cells that fit an encoding or a scaling to the data: get_dummies (its columns come from the data it is
/// given), any fit_transform, or an encoder or scaler fitted (fitted_cells). An encoder only built there is
/// fitted nowhere yet. A fit written only inside `def` blocks happens where such a def, or a def calling it
/// (a wrapper), is first called from outside any def, in its own cell or a later one (first_call); a def
/// never called that way fits nowhere. Sorted, no repeats.
inline std::vector<int> transform_cells(const NotebookFacts& f) {
  const auto fitted = fitted_cells(f, k_transformer);
  std::set<std::string, std::less<>> transformers;  // names assigned an encoder or scaler
  for (const auto& c : f.code)
    for (std::string_view line : util::split_lines(c.body))
      if (const auto name = built_name(line, k_transformer); !name.empty())
        transformers.insert(std::string(name));
  // A `.fit(` fits a transform when its line builds the transformer or it is called on a transformer's name;
  // a model's `.fit(` is no transform.
  const auto fits_transform = [&](std::string_view body, std::size_t at) {
    const std::size_t bol = body.rfind('\n', at) == std::string_view::npos ? 0 : body.rfind('\n', at) + 1;
    const std::string_view line = body.substr(bol, std::min(body.find('\n', at), body.size()) - bol);
    return contains_any(line, k_transformer) || transformers.count(name_before(body, at)) > 0;
  };
  auto defs = cell_defs(f);
  std::set<int> out;
  for (const auto& c : f.code) {
    if (!contains_any(c.body, {"get_dummies(", ".fit_transform("}) &&
        std::find(fitted.begin(), fitted.end(), c.number) == fitted.end())
      continue;
    // This cell's defs, outermost first: a fit in a nested def is marked on the def holding it.
    const auto first =
        std::partition_point(defs.begin(), defs.end(), [&](const CellDef& d) { return d.cell < c.number; });
    const auto last =
        std::partition_point(first, defs.end(), [&](const CellDef& d) { return d.cell == c.number; });
    std::vector<CellDef*> holding;  // the defs that hold a fit; unused when one is at top level
    bool top_level = first == last;
    for (const char* token : {"get_dummies(", ".fit_transform(", ".fit("})
      for (auto at = c.body.find(token); !top_level && at != std::string::npos;
           at = c.body.find(token, at + 1)) {
        if (std::string_view(token) == ".fit(" && !fits_transform(c.body, at)) continue;
        const auto in = std::find_if(
            first, last, [&](const CellDef& d) { return at >= d.block.begin && at < d.block.end; });
        if (in == last)
          top_level = true;
        else
          holding.push_back(&*in);
      }
    if (top_level)
      out.insert(c.number);
    else
      for (CellDef* d : holding) d->marked = true;
  }
  mark_callers(f, defs);
  for (const auto& d : defs)
    if (d.marked)
      if (const auto at = first_call(f, d.block, d.cell, true)) out.insert(*at);
  return {out.begin(), out.end()};
}

// When every fit sits inside a def (a `score_dataset()` helper), training starts where such a def is first
// called from outside any def. A def fits when its body holds a fit, or calls a def that fits (a run()
// wrapper around the helper); a call inside a def, the def's own recursive call included, is no start.
inline std::optional<int> first_call_of_fitting_definition(const NotebookFacts& f,
                                                           const std::vector<int>& fits) {
  auto defs = cell_defs(f);
  for (auto& d : defs)
    d.marked =
        std::find(fits.begin(), fits.end(), d.cell) != fits.end() &&
        contains_any(
            std::string_view(f.cell(d.cell)->body).substr(d.block.begin, d.block.end - d.block.begin), k_fit);
  mark_callers(f, defs);
  std::optional<int> first;
  for (const auto& d : defs)
    if (d.marked)
      if (const auto at = first_call(f, d.block, d.cell); at && (!first || *at < *first)) first = at;
  return first;
}

/// Whether `body` reads or builds data (a k_data_load token). A model's load that `.load(` also matches reads
/// none: `joblib.load(`, `pickle.load(`, `dill.load(`, `cloudpickle.load(` (as loads_model reads them),
/// `torch.load(` (weights) and a Spark ML model class's `PipelineModel.load(` / `CrossValidatorModel.load(`
/// (a name ending in `Model`); so do a pretrained model's loads: `torch.hub.load(`, TensorFlow Hub's
/// `hub.load(`, `tf.saved_model.load(`, `spacy.load(` and gensim's `Word2Vec.load(` / `Doc2Vec.load(` /
/// `FastText.load(` / `KeyedVectors.load(`. `spark.read.format("delta").load(path)` and `np.load(` read data.
inline bool loads_data_in(std::string_view body) {
  static const Tokens model_owners = {"evaluate", "joblib",   "pickle",      "dill",  "cloudpickle",
                                      "torch",    "hub",      "saved_model", "spacy", "Word2Vec",
                                      "Doc2Vec",  "FastText", "KeyedVectors"};
  for (std::string_view t : k_data_load) {
    if (t != ".load(") {
      if (contains(body, t)) return true;
      continue;
    }
    for (auto at = body.find(t); at != std::string_view::npos; at = body.find(t, at + 1)) {
      std::size_t begin = at;
      while (begin > 0 && is_identifier_char(body[begin - 1])) --begin;
      const std::string_view owner = body.substr(begin, at - begin);
      if (std::find(model_owners.begin(), model_owners.end(), owner) != model_owners.end() ||
          util::ends_with(owner, "Model"))
        continue;
      return true;
    }
  }
  return false;
}

/// Whether every cell of `loads` (the data loads) loads a bundled toy data set (k_builtin_data) and nothing
/// else: no file or table read (`read_`, `spark.`), and each data frame built (`pd.DataFrame(`) built from
/// the toy data: its arguments call a toy loader or name what one was assigned to before, and not assigned
/// anything else since (`iris = load_iris()` then `pd.DataFrame(iris.data, columns=iris.feature_names)`; `X,
/// y = make_classification(...)` then `pd.DataFrame(X)`; not after `X = np.load("x.npy")`). A frame typed
/// in by hand (`pd.DataFrame({"a": [1, None]})`) is other data. Arguments are read up to 1,000 bytes.
inline bool builtin_loads_only(const NotebookFacts& f, const std::vector<int>& loads) {
  if (loads.empty()) return false;
  std::set<std::string, std::less<>> toy;  // names assigned a toy data set so far (and not assigned again)
  // Whether every `DataFrame(` of `text` builds its frame from toy data.
  const auto frames_from_toy = [&](std::string_view text) {
    for (auto at = text.find("DataFrame("); at != std::string_view::npos;
         at = text.find("DataFrame(", at + 1)) {
      const std::size_t open = at + 9;
      int depth = 0;
      std::size_t close = open;
      for (const std::size_t stop = std::min(text.size(), open + 1000); close < stop; ++close) {
        if (text[close] == '(' || text[close] == '[' || text[close] == '{') ++depth;
        if ((text[close] == ')' || text[close] == ']' || text[close] == '}') && --depth == 0) break;
      }
      const std::string_view args = text.substr(open, close - open);
      bool from_toy = contains_any(args, k_builtin_data);
      for_each_plain_name(
          args, [&](std::size_t, std::string_view name) { from_toy = from_toy || toy.count(name) > 0; });
      if (!from_toy) return false;
    }
    return true;
  };
  // In notebook order, statement by statement: a frame is read against the toy names assigned before it.
  for (const auto& c : f.code) {
    const std::string_view body = c.body;
    const bool load = std::find(loads.begin(), loads.end(), c.number) != loads.end();
    if (load && (!(contains_any(body, k_builtin_data) || contains(body, "DataFrame(")) ||
                 contains_any(body, {"read_", "spark."})))
      return false;
    const auto ends = logical_line_ends(body);
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const auto [begin, end] = logical_line_range(ends, k);
      const std::string_view line = body.substr(begin, end - begin);
      if (load && !frames_from_toy(line)) return false;
      if (const std::string_view target = assignment_target(line); !target.empty()) {
        const bool from_toy = contains_any(line.substr(target.size()), k_builtin_data);
        for_each_target_name(target, [&](std::string_view name) {
          if (from_toy)
            toy.emplace(name);
          else if (const auto it = toy.find(name); it != toy.end())
            toy.erase(it);
        });
      }
    }
  }
  return true;
}

/// Code cells that fit or train a model (a k_fit token), leaving out cells whose only fits are of a
/// transform: `.fit(` on a line that builds one (k_transformer, k_imputer, PCA: `StandardScaler().fit(X)`),
/// or called on a name assigned one alone (`scaler.fit(X_train)`; a name whose line also builds an estimator
/// or a pipeline, `pipe = make_pipeline(StandardScaler(), LogisticRegression())`, is a model). So fitting a
/// scaler does not start training. A trainer object's `.train(` trains too, whatever its name: `ft =
/// Trainer(model=model, ...)` (Hugging Face's, SFTTrainer, ...) then `ft.train()`; and so does a Keras Tuner
/// tuner's `.search(` (k_keras_tuners: `hb = kt.Hyperband(...)` then `hb.search(x, y)`).
inline std::vector<int> model_fit_cells(const NotebookFacts& f) {
  static const Tokens transforms = [] {
    Tokens t = k_transformer;
    t.insert(t.end(), k_imputer.begin(), k_imputer.end());
    t.emplace_back("PCA(");
    return t;
  }();
  const auto builds_transform = [](std::string_view line) {
    return contains_any(line, transforms) && !names_estimator(line) && !contains_any(line, k_pipeline);
  };
  // Names assigned a transform alone, read in order: a name assigned anything else later is no transform
  // from there on (`model = PCA(2)`, then `model = RandomForestClassifier()`).
  std::set<std::string, std::less<>> names;
  std::set<std::string, std::less<>> trainers;  // names assigned a `...Trainer(` object
  std::set<std::string, std::less<>> tuners;    // names assigned a Keras Tuner tuner (k_keras_tuners)
  std::vector<int> out;
  for (const auto& c : f.code) {
    const bool fits = contains_any(c.body, k_fit);
    bool model = fits && std::any_of(k_fit.begin(), k_fit.end(),
                                     [&](std::string_view t) { return t != ".fit(" && contains(c.body, t); });
    for (std::string_view line : util::split_lines(c.body)) {
      for (auto at = line.find(".train("); !model && at != std::string_view::npos;
           at = line.find(".train(", at + 1))
        model = trainers.count(name_before(line, at)) > 0;
      for (auto at = line.find(".search("); !model && at != std::string_view::npos;
           at = line.find(".search(", at + 1))
        model = tuners.count(name_before(line, at)) > 0;
      if (const std::string_view trainer = built_name(line, {"Trainer("}); !trainer.empty())
        trainers.emplace(trainer);
      if (const std::string_view tuner = built_name(line, k_keras_tuners); !tuner.empty())
        tuners.emplace(tuner);
      if (const std::string_view target = assignment_target(line); !target.empty()) {
        const std::string_view name = built_name(line, transforms);
        if (!name.empty() && builds_transform(line))
          names.insert(std::string(name));
        else
          for_each_target_name(target, [&](std::string_view n) {
            if (const auto it = names.find(n); it != names.end()) names.erase(it);
          });
      }
      if (model || !fits || !contains(line, ".fit(")) continue;
      const bool line_builds = builds_transform(line);
      for (auto at = line.find(".fit("); !model && at != std::string_view::npos;
           at = line.find(".fit(", at + 1))
        model = !line_builds && names.count(name_before(line, at)) == 0;
    }
    if (model) out.push_back(c.number);
  }
  return out;
}

inline Stages find_stages(const NotebookFacts& f) {
  Stages s;
  s.has_code = !f.code.empty();
  std::vector<int> loads;
  for (const auto& c : f.code)
    if (loads_data_in(c.body)) loads.push_back(c.number);
  if (!loads.empty()) s.data_load = loads.front();
  s.builtin_data_only = builtin_loads_only(f, loads);
  for (const auto& c : f.code)
    if (names_estimator(c.body)) {
      s.model = c.number;
      break;
    }
  const auto packaged = packaged_training_cell(f);
  s.packaged = packaged.has_value();
  const auto fits = model_fit_cells(f);
  for (int n : fits)
    if (s.model && n >= *s.model) {
      s.fit = n;
      break;
    }
  // A def that fits the model it is given (`def fit_and_score(model, X, y): model.fit(X, y)`), defined
  // before any estimator is named and called with one later (`fit_and_score(RandomForestClassifier(), ...)`,
  // or in a loop over models): training happens at that call.
  if (!s.fit && s.model)
    if (const auto call = first_call_of_fitting_definition(f, fits); call && *call >= *s.model) s.fit = call;
  if (!s.fit && s.packaged) s.fit = packaged;
  s.last_fit = s.fit;
  for (int n : fits)
    if (s.fit && n > *s.last_fit) s.last_fit = n;
  s.trained = s.fit.has_value();
  s.holdout = first_with_name(f, k_holdout);
  if (const auto assigned = assigned_holdout_cell(f); assigned && (!s.holdout || *assigned < *s.holdout))
    s.holdout = assigned;
  s.cv = f.first_with(k_cross_validation);
  if (const auto looped = looped_cv_cells(f); !looped.empty() && (!s.cv || looped.front() < *s.cv))
    s.cv = looped.front();
  if (const auto prophet = prophet_cv_cell(f); prophet && (!s.cv || *prophet < *s.cv)) s.cv = prophet;
  s.loaded_model = f.first_with(k_load_model);
  for (int n : fits)
    if (!is_definition(*f.cell(n))) {
      s.modelling = n;
      break;
    }
  if (!s.modelling && !fits.empty()) s.modelling = first_call_of_fitting_definition(f, fits);
  s.models = model_names(f);
  s.score_kinds = model_score_kinds(f);
  for (const auto& c : f.code)
    if (auto kinds = hand_written_metric_kinds(c.body); !kinds.empty())
      s.hand_metric_kinds.emplace(c.number, std::move(kinds));
  s.statistic_names = statistic_names(f);
  // Cleaning is preparing: every direct fill or drop of missing values (polars' fill_null too), and polars'
  // with_columns / Spark's withColumns, which make or change columns as withColumn does.
  s.data_prep = f.first_with({"groupby(", ".groupBy(", "merge(", "get_dummies(", "withColumn(",
                              "withColumns(", "with_columns(", "astype(", "pivot", ".drop(", "replace(",
                              ".join(", "concat(", "Imputer(", "Encoder(", "Scaler(", "] = ", "apply("})
                    .has_value() ||
                !cells_filling_or_dropping(f, k_direct_fill).empty();
  s.data_work = f.first_with({".head(",        ".describe(",   ".info(",  ".shape",    "isnull(", "isna(",
                              "value_counts(", "groupby(",     ".plot",   "hist(",     ".corr(",  "fillna(",
                              "dropna(",       "get_dummies(", ".iloc[",  ".loc[",     "pivot",   "merge(",
                              ".unique(",      "nunique(",     "sample(", "crosstab(", "sns.",    "plt.",
                              "withColumn(",   ".groupBy(",    "display("})
                    .has_value() ||
                std::any_of(f.code.begin(), f.code.end(), [](const CodeFacts& c) { return c.sql; });
  // Orchestration: no estimator of its own, and packaged steps or a deployed model driven, or only other
  // notebooks run (no data loaded or worked with here).
  s.orchestrated = !s.model && (s.packaged || s.loaded_model ||
                                (f.first_with(k_notebook_run) && !s.data_load && !s.data_work));
  return s;
}

/// Whether an imputer is given to a Pipeline / ColumnTransformer (fitted per training fold).
inline bool imputer_in_pipeline(const NotebookFacts& f) {
  const auto pipes = pipeline_cells(f);
  return std::any_of(pipes.begin(), pipes.end(),
                     [&](int n) { return contains(f.cell(n)->body, "Imputer("); });
}

/// Where the first hold-out split token (k_holdout, as a name) starts in `body`, in code: a token that starts
/// in a string literal or a comment (`print("train_test_split next")` above a fill) splits nothing
/// (code_bytes); npos when none does (a split by assigned parts, assigned_holdout_cell, has no token).
inline std::size_t first_holdout_token(std::string_view body) {
  std::size_t first = std::string_view::npos;
  const std::vector<bool> code = code_bytes(body);
  for (std::string_view t : k_holdout)
    for (auto at = body.find(t); at != std::string_view::npos && at < first; at = body.find(t, at + 1))
      if (code[at] && (!is_identifier_char(t.front()) || at == 0 || !is_identifier_char(body[at - 1]))) {
        first = at;
        break;
      }
  return first;
}

/// Where the hold-out split starts in a cell's `body`: the first split token (first_holdout_token) or, when
/// earlier, the first logical line assigning a training part (`train, test = df[:800], df[800:]`,
/// `train = train.fillna(...)`: split_parts_named); npos when neither is found. A held-out name alone
/// (`X_test_full = pd.read_csv("test.csv")`, a competition's test file) starts no split.
inline std::size_t split_start(std::string_view body) {
  std::size_t start = first_holdout_token(body);
  const auto ends = logical_line_ends(body);
  for (std::size_t k = 0; k < ends.size(); ++k) {
    const auto [begin, end] = logical_line_range(ends, k);
    if (begin >= start) break;
    std::string_view target = assignment_target(body.substr(begin, end - begin));
    bool part = false;
    while (!target.empty() && !part) {
      const std::size_t comma = std::min(target.find(','), target.size());
      const SplitParts p = split_parts_named(util::trim(target.substr(0, comma)));
      part = p.train && !p.measure;
      target.remove_prefix(std::min(comma + 1, target.size()));
    }
    if (part) return begin;
  }
  return start;
}

/// Cells that fit a transform before the hold-out split (transform_cells): a cell before the split's, and the
/// split's own cell when a transform is fitted in its text above the split (split_start): `X =
/// TfidfVectorizer().fit_transform(df.text)` a line above `train_test_split(X, y)`. In that text a fit is
/// `get_dummies(`, `.fit_transform(`, or a `.fit(` on a line that builds a transformer (k_transformer).
inline std::vector<int> transform_before_split_cells(const NotebookFacts& f, const Stages& s) {
  std::vector<int> out;
  if (!s.holdout) return out;
  for (int n : transform_cells(f)) {
    if (n < *s.holdout) {
      out.push_back(n);
      continue;
    }
    if (n != *s.holdout) continue;
    const std::string_view body = f.cell(n)->body;
    const std::size_t split = split_start(body);
    if (split == std::string_view::npos) continue;
    // names assigned a transformer so far: in earlier cells, or above the split
    std::set<std::string, std::less<>> transformers;
    for (const auto& c : f.code) {
      if (c.number > n) break;
      const std::string_view text = c.number == n ? body.substr(0, split) : std::string_view(c.body);
      for (std::string_view line : util::split_lines(text))
        if (const auto name = built_name(line, k_transformer); !name.empty())
          transformers.insert(std::string(name));
    }
    // a fit in code above the split, outside any def (a def's fit happens where it is called)
    const auto defs = def_blocks(body);
    CodeMask code(body);
    const auto fits_at = [&](std::size_t at) {
      if (at >= split || !code.at(at)) return false;
      return std::none_of(defs.begin(), defs.end(),
                          [&](const DefBlock& d) { return at >= d.begin && at < d.end; });
    };
    bool fits = false;
    for (const char* token : {"get_dummies(", ".fit_transform(", ".fit("})
      for (auto at = body.find(token); !fits && at < split; at = body.find(token, at + 1)) {
        if (!fits_at(at)) continue;
        if (std::string_view(token) != ".fit(") {
          fits = true;
          continue;
        }
        const std::size_t bol = body.rfind('\n', at) == std::string_view::npos ? 0 : body.rfind('\n', at) + 1;
        const std::string_view line = body.substr(bol, std::min(body.find('\n', at), body.size()) - bol);
        fits = contains_any(line, k_transformer) || transformers.count(name_before(body, at)) > 0;
      }
    if (fits) out.push_back(n);
  }
  return out;
}

/// Which fills before_split_outside_pipeline looks for: fill statistics (fill_statistic_cells) or any fill or
/// drop (filling_cells).
enum class FillKind { statistic, any };

/// Cells that compute a fill statistic from the data: an imputer fitted (fitted_cells) or a fill with a mean,
/// median or mode on one line (fills_with_statistic, with the notebook's Stages::statistic_names).
inline std::vector<int> fill_statistic_cells(const NotebookFacts& f, const Stages& s) {
  const auto fitted = fitted_cells(f, k_imputer);
  std::vector<int> out;
  for (const auto& c : f.code)
    if (std::find(fitted.begin(), fitted.end(), c.number) != fitted.end() ||
        fills_with_statistic(c.body, s.statistic_names))
      out.push_back(c.number);
  return out;
}

/// The cells of `cells` (fill_statistic_cells or filling_cells, as `kind` says) before the hold-out split
/// that fill outside a pipeline: a fill or drop written in the cell (fillna, dropna, a `replace(` with a
/// statistic, ...) always; a fitted imputer only when no imputer is given to a pipeline (`in_pipeline`),
/// which is fitted per training fold. An imputer in a pipeline exempts that imputer, not a dropna or fillna
/// elsewhere. The split's own cell counts when its text before the split (split_start) fills:
/// `df.dropna(subset=["y"])` a line above `train_test_split(` in one cell drops rows before the split.
inline std::vector<int> before_split_outside_pipeline(const NotebookFacts& f, const std::vector<int>& cells,
                                                      const Stages& s, bool in_pipeline, FillKind kind) {
  std::vector<int> out;
  if (!s.holdout) return out;
  const auto direct = [](std::string_view text) {
    return fills_or_drops(text, k_direct_fill) || contains(text, "replace(");
  };
  for (int n : cells) {
    std::string_view body = f.cell(n)->body;
    if (n > *s.holdout) continue;
    if (n == *s.holdout) {
      const std::size_t split = split_start(body);
      if (split == std::string_view::npos) continue;
      body = body.substr(0, split);
      std::set<std::string, std::less<>> imputers;  // imputers assigned in earlier cells
      for (const auto& c : f.code)
        if (c.number < n) fits_in(c.body, k_imputer, imputers);
      const bool fitted = fits_in(body, k_imputer, imputers);
      const bool fills = kind == FillKind::statistic ? fills_with_statistic(body, s.statistic_names)
                                                     : fills_or_drops(body, k_direct_fill);
      if (!fills && (!fitted || in_pipeline)) continue;
    }
    if (in_pipeline && !direct(body)) continue;
    out.push_back(n);
  }
  return out;
}

/// Fills and drops of missing values: a statistic on the same statement is a fill value, not a summary.
inline const Tokens k_fill_call = {"fillna(", "na.fill(", "fill_null(", "replace(", "Imputer("};

/// What explores() reads of one logical line, found once however many tokens the line holds (a long line of
/// many tokens is read once, not once a token).
struct ExploredLine {
  std::size_t begin = 0;    ///< where the line starts in the body
  std::string_view target;  ///< its assignment target (assignment_target), empty when none
  bool fills = false;       ///< it calls a k_fill_call
  /// Where its last `.transform(` / `.agg(` starts in the body; npos when it has none.
  std::size_t last_transform = std::string_view::npos, last_agg = std::string_view::npos;
};

inline ExploredLine explored_line(std::string_view body, std::pair<std::size_t, std::size_t> range) {
  ExploredLine l;
  l.begin = range.first;
  const std::string_view line = body.substr(range.first, range.second - range.first);
  l.target = assignment_target(line);
  l.fills = contains_any(line, k_fill_call) || fills_by_mask(line);
  const auto last = [&](std::string_view token) {
    const std::size_t at = line.rfind(token);
    return at == std::string_view::npos ? at : l.begin + at;
  };
  l.last_transform = last(".transform(");
  l.last_agg = last(".agg(");
  return l;
}

/// Whether `token` of exploration kind `kind`, found at `at` of `body`, explores the data rather than
/// prepares it. A mean, median, ... is no summary statistic when its statement fills or replaces values
/// (`df.fillna(df.mean())`) or it is a share of missing values (`df.isna().mean()`, the missing-values kind);
/// `.columns` is no look at the columns when iterated or tested (`[c for c in df.columns if ...]`,
/// `if "y" in df.columns`) or assigned (`cols = df.columns`, `df.columns = names`); a groupby builds
/// features, not a comparison of groups, when its statement fills, assigns a column (`df["m"] =
/// df.groupby(...)...`), transforms group-wise (`.transform(`) or assigns an aggregation (`rfm =
/// df.groupby(...).agg(...)`). `line` is the logical line that holds `at` (explored_line). Constant time but
/// for the name before `.columns`.
inline bool explores(std::string_view kind, std::string_view token, std::string_view body, std::size_t at,
                     const ExploredLine& line) {
  const std::string_view before = body.substr(line.begin, at - line.begin);
  const auto after_token = [&](std::size_t last) { return last != std::string_view::npos && last >= at; };
  if (kind == "summary statistics" &&
      contains_any(token, {"mean", "median", "std", "quantile", "skew", "kurt"})) {
    if (line.fills) return false;
    for (std::string_view test : {"isna()", "isnull()", "notna()", "notnull()"})
      if (util::ends_with(before, test)) return false;
  }
  if (kind == "shape/types" && token == ".info(" && logs_at(body, at)) return false;  // logger.info("...")
  if (kind == "shape/types" && token == ".columns") {
    // what comes before the frame's name: `... for c in` df.columns
    const std::string_view head =
        util::trim(before.substr(0, before.size() - name_before(before, before.size()).size()));
    if (util::ends_with(head, " in") || head == "in" || !line.target.empty()) return false;
  }
  if (kind == "relationships" && (token == "groupby(" || token == ".groupBy(")) {
    if (line.fills || after_token(line.last_transform)) return false;
    if (!line.target.empty() && (contains(line.target, "[") || after_token(line.last_agg))) return false;
  }
  return true;
}

/// The column names that `text` picks by a quoted name in a subscript: a string literal right after `[` or
/// `,` (spaces aside) and right before `]` or `,` (`df["a"]`, `df[["a", "b"]]`, `df.loc[:, "a"]`; not a dict
/// key, `{"m": 0}`, nor a call's string argument, `f("a")`). Escapes inside the literal are not read. Linear
/// in text.size().
inline std::vector<std::string_view> subscript_columns(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char q = text[i];
    if (q != '\'' && q != '"') continue;
    const std::size_t close = text.find(q, i + 1);
    if (close == std::string_view::npos) break;
    std::size_t b = i;
    while (b > 0 && text[b - 1] == ' ') --b;
    std::size_t a = close + 1;
    while (a < text.size() && text[a] == ' ') ++a;
    if (b > 0 && (text[b - 1] == '[' || text[b - 1] == ',') && a < text.size() &&
        (text[a] == ']' || text[a] == ','))
      out.push_back(text.substr(i + 1, close - i - 1));
    i = close;
  }
  return out;
}

/// Whether `line` reads a model's predictions by name (a name with the word pred, preds, prediction or
/// predictions, words split at `_` and case: `y_pred`, `res["pred"]`, `predictions`): a column made from them
/// (`res["error"] = res["actual"] - res["pred"]`, `sub["target"] = y_pred`) is an output, not a feature.
inline bool reads_predictions(std::string_view line) {
  return contains_any_word(util::to_lower(line), {"pred", "preds", "prediction", "predictions", "predicted"});
}

/// Whether the line `df["x"] = EXPR` (a column assigned) rewrites columns it assigns from themselves alone
/// (`df["x"] = np.log1p(df["x"])`, `df["sex"] = df["sex"].map({"m": 0, "f": 1})`, `df[["a", "b"]] =
/// scaler.fit_transform(df[["a", "b"]])`, `df["x"] = df.x.interpolate()`): EXPR picks one of the assigned
/// columns (a subscript, subscript_columns, or an attribute `.x` not followed by a call) and no other column
/// (`df["Fare"] = df.Fare / df.FamilySize` reads another). Such a line changes an existing column; it
/// derives no new one. A method (`.map(`) or a pandas accessor (`.str`, `.dt`, `.values`) is no column.
inline bool rewrites_own_columns(std::string_view target, std::string_view value) {
  const auto assigned = subscript_columns(target);
  if (assigned.empty()) return false;
  const auto is_assigned = [&](std::string_view col) {
    return std::find(assigned.begin(), assigned.end(), col) != assigned.end();
  };
  bool own = false;
  for (std::string_view col : subscript_columns(value)) {
    if (!is_assigned(col)) return false;
    own = true;
  }
  // attributes: a column read as one (`df.Fare`, `df.FamilySize`: not followed by a call) is the column
  // assigned or another; a method (`.map(`) or a pandas accessor (`.str`, `.dt`, `.values`) is neither
  static const Tokens k_accessors = {"str",   "dt",     "cat",   "values",  "loc",   "iloc",
                                     "at",    "iat",    "index", "columns", "shape", "T",
                                     "dtype", "dtypes", "name",  "array",   "size",  "sparse"};
  for (std::size_t at = value.find('.'); at != std::string_view::npos; at = value.find('.', at + 1)) {
    std::size_t end = at + 1;
    while (end < value.size() && is_identifier_char(value[end])) ++end;
    const std::string_view name = value.substr(at + 1, end - at - 1);
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) ||
        (at > 0 && !is_identifier_char(value[at - 1]) && value[at - 1] != ']' && value[at - 1] != ')'))
      continue;
    std::size_t next = end;
    while (next < value.size() && value[next] == ' ') ++next;
    if ((next < value.size() && value[next] == '(') ||
        std::find(k_accessors.begin(), k_accessors.end(), name) != k_accessors.end())
      continue;
    if (!is_assigned(name)) return false;
    own = true;
  }
  return own;
}

/// Code cells that make features for the model: before it is last fitted (Stages::last_fit, so that features
/// added after a first model feed the next; every cell when none is: later columns are outputs, and so are a
/// column of predictions, `df["pred"] = model.predict(X)`, and where every model clusters, a column of
/// cluster labels, `df["segment"] = km.fit_predict(X)`), by a feature call (k_derived: PolynomialFeatures,
/// PCA, withColumn, ...) or a new column computed from others (`df["hour"] = df.Time // 3600 % 24`; not a
/// fill or a type change of an existing one: fillna, astype, replace, to_numeric, to_datetime, interpolate, a
/// fill through a mask of the missing rows (fills_by_mask), nor a column rewritten from itself alone,
/// rewrites_own_columns).
inline std::vector<int> derived_feature_cells(const NotebookFacts& f, const Stages& s) {
  std::vector<int> out;
  // Where every model clusters, the cluster labels are its output (`rfm["segment"] = km.fit_predict(X)`);
  // elsewhere they may be a feature of the next model (`X["Cluster"] = kmeans.fit_predict(X_scaled)`).
  const bool clusters = clustering_only(f);
  for (const auto& c : f.code) {
    if (s.last_fit && c.number > *s.last_fit) break;
    bool made = contains_any(c.body, k_derived);
    for (std::string_view line : util::split_lines(c.body)) {
      if (made) break;
      if (!contains_any(line, {"'] = ", "\"] = ", "']] = ", "\"]] = "}) ||
          contains_any(line, {"fillna(", "astype(", "replace(", "to_numeric(", "to_datetime(", "interpolate(",
                              ".predict(", ".predict_proba("}) ||
          reads_predictions(line) || (clusters && contains_any(line, {"fit_predict(", ".labels_"})) ||
          fills_by_mask(line))
        continue;
      const std::string_view target = assignment_target(line);
      made = target.empty() || !rewrites_own_columns(target, line.substr(target.size() + 1));
    }
    if (made) out.push_back(c.number);
  }
  return out;
}

/// Whether the metric token `token` (of k_metric or k_metric_kinds) found at `at` of `body` computes a metric
/// there: a k_metric_calls function where it starts a name, in code, and not in its `def`; a
/// k_metric_classes class in code, `Precision(` not ending `AveragePrecision(`, and an error class not a
/// loss (its dotted name holds `losses.`, or it is the value of a keyword or a name holding `loss`:
/// `loss=MeanSquaredError()`, `loss_fn = MeanSquaredError()`). Any other token computes one wherever it is.
inline bool metric_token_at(std::string_view body, std::size_t at, std::string_view token, CodeMask& code) {
  const auto listed = [&](const Tokens& tokens) {
    return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
  };
  if (listed(k_metric_calls)) {
    if (at > 0 && is_identifier_char(body[at - 1])) return false;
    const std::size_t bol = body.rfind('\n', at) == std::string_view::npos ? 0 : body.rfind('\n', at) + 1;
    if (util::ends_with(util::trim(body.substr(bol, at - bol)), "def")) return false;
    return code.at(at);
  }
  if (!listed(k_metric_classes)) return true;
  if (!code.at(at)) return false;
  if (token == "Precision(" && util::ends_with(name_before(body, at), "Average")) return false;
  if (!util::ends_with(token, "Error(")) return true;
  std::size_t begin = at;  // the start of the dotted name: `tf.keras.losses.MeanSquaredError(`
  while (begin > 0 && (is_identifier_char(body[begin - 1]) || body[begin - 1] == '.')) --begin;
  if (contains(body.substr(begin, at - begin), "losses.")) return false;
  std::string_view before = body.substr(0, begin);
  while (!before.empty() && (before.back() == ' ' || before.back() == '\t')) before.remove_suffix(1);
  if (before.empty() || before.back() != '=' || (before.size() > 1 && before[before.size() - 2] == '='))
    return true;
  before.remove_suffix(1);
  while (!before.empty() && (before.back() == ' ' || before.back() == '\t')) before.remove_suffix(1);
  return !contains(util::to_lower(name_before(before, before.size())), "loss");
}

/// Whether Keras' `AUC(` at `at` of `body` is the area under the precision-recall curve (`AUC(curve="PR")`,
/// PR-AUC's), not under the ROC curve (its default). The call's arguments are read to its closing `)`.
inline bool auc_of_pr_curve(std::string_view body, std::size_t at) {
  const std::size_t open = body.find('(', at);
  int depth = 0;
  for (std::size_t i = open; i < body.size(); ++i) {
    if (body[i] == '(') ++depth;
    if (body[i] == ')' && --depth == 0) {
      const std::string_view args = body.substr(open, i - open);
      return contains(args, "curve='PR'") || contains(args, "curve=\"PR\"");
    }
  }
  return false;
}

/// Whether code cell `c` computes a metric of family `kind` (a row of k_metric_kinds): one of its tokens
/// where it computes one (metric_token_at), one of its k_metric_names quoted whole, a model's `.score(` of
/// that family (Stages::score_kinds), or for residuals a name `resid` (names_residuals) or a plot of labels
/// minus predictions (plots_residuals).
inline bool shows_metric_kind(const CodeFacts& c, const std::pair<std::string, Tokens>& kind,
                              const Stages& s) {
  // `average_precision_score(` is PR-AUC's, no precision_score(. A class name's `Accuracy` (Keras'
  // `metrics.Accuracy()`, `SparseCategoricalAccuracy`) counts in code only: in a string's text it names a
  // metric computed nowhere (`print("Accuracy of the model:", r2_score(y, p))`, `plt.title("Forecast
  // Accuracy")`). Other tokens count in strings too: a Spark evaluator's `metricName="areaUnderROC"`. Keras'
  // `AUC(curve="PR")` is PR-AUC, no ROC-AUC.
  CodeMask code(c.body);
  const auto has = [&](std::string_view t) {
    for (auto at = c.body.find(t); at != std::string::npos; at = c.body.find(t, at + 1))
      if ((at < 8 || c.body.compare(at - 8, 8, "average_") != 0) && (t != "Accuracy" || code.at(at)) &&
          metric_token_at(c.body, at, t, code) &&
          (t != "AUC(" || kind.first != "ROC-AUC" || !auc_of_pr_curve(c.body, at)))
        return true;
    return false;
  };
  if (std::any_of(kind.second.begin(), kind.second.end(), has)) return true;
  if (kind.first == "residuals") return names_residuals(c.body) || plots_residuals(c.body);
  // A Spark evaluator computes the metric it is given (`metricName="areaUnderPR"`, `.setMetricName("r2")`,
  // read below as a quoted name), else its default: areaUnderROC (binary), rmse (regression), f1
  // (multiclass). A regression evaluator's "mse" and "mae" are its metrics (elsewhere they may be a tree's
  // criterion=).
  const bool regression_evaluator = contains(c.body, "RegressionEvaluator(");
  if (!contains(c.body, "metricName") && !contains(c.body, "MetricName(") &&
      ((kind.first == "ROC-AUC" && contains(c.body, "BinaryClassificationEvaluator(")) ||
       (kind.first == "squared error" && regression_evaluator) ||
       (kind.first == "precision/recall/F1" && contains(c.body, "MulticlassClassificationEvaluator("))))
    return true;
  if (regression_evaluator && ((kind.first == "squared error" && quotes_name(c.body, "mse")) ||
                               (kind.first == "absolute error" && quotes_name(c.body, "mae"))))
    return true;
  for (const auto& [family, names] : k_metric_names)
    if (family == kind.first &&
        std::any_of(names.begin(), names.end(), [&](std::string_view n) { return quotes_name(c.body, n); }))
      return true;
  const auto scored = s.score_kinds.find(c.number);
  if (scored != s.score_kinds.end() && scored->second.count(kind.first) > 0) return true;
  const auto hand = s.hand_metric_kinds.find(c.number);
  return hand != s.hand_metric_kinds.end() && hand->second.count(kind.first) > 0;
}

/// Whether `body` computes a metric with a k_metric token (where it computes one: metric_token_at).
inline bool calls_metric(std::string_view body) {
  if (!contains_any(body, k_metric)) return false;
  CodeMask code(body);
  for (std::string_view t : k_metric)
    for (auto at = body.find(t); at != std::string_view::npos; at = body.find(t, at + 1))
      if (metric_token_at(body, at, t, code)) return true;
  return false;
}

/// Code cells that compute a metric: a k_metric call (calls_metric), or by hand (Stages::hand_metric_kinds).
inline std::vector<int> metric_cells(const NotebookFacts& f, const Stages& s) {
  std::vector<int> out;
  for (const auto& c : f.code)
    if (calls_metric(c.body) || s.hand_metric_kinds.count(c.number) > 0) out.push_back(c.number);
  return out;
}

/// Whether any code cell computes a metric of family `kind` (shows_metric_kind).
inline bool uses_metric_kind(const NotebookFacts& f, const std::pair<std::string, Tokens>& kind,
                             const Stages& s) {
  return std::any_of(f.code.begin(), f.code.end(),
                     [&](const CodeFacts& c) { return shows_metric_kind(c, kind, s); });
}

/// Whether code cell `c` shows exploration kind `kind` (a row of k_exploration_kinds): one of its tokens, in
/// code (not in a string or a comment, code_bytes; SQL's `IS NULL` in a string too), where it explores the
/// data (explores()), or for summary statistics a data frame's summary() (a fitted model's summary() is no
/// exploration).
inline bool shows_kind(const CodeFacts& c, const std::pair<std::string, Tokens>& kind, const Stages& s) {
  std::vector<std::size_t> ends;                   // the body's logical lines, found at the first token
  std::vector<std::optional<ExploredLine>> lines;  // each read at its first token
  CodeMask code(c.body);
  for (std::string_view token : kind.second)
    for (auto at = c.body.find(token); at != std::string::npos; at = c.body.find(token, at + 1)) {
      if (ends.empty()) {
        ends = logical_line_ends(c.body);
        lines.resize(ends.size());
      }
      // A token in a string or a comment looks at nothing (`print('df.info()')`), but SQL's `IS NULL`,
      // which Python code holds in a string (`spark.sql("... WHERE x IS NULL")`).
      if (token != "IS NULL" && !code.at(at)) continue;
      const std::size_t k = logical_line_number(ends, at);
      if (!lines[k]) lines[k] = explored_line(c.body, logical_line_range(ends, k));
      if (explores(kind.first, token, c.body, at, *lines[k])) return true;
    }
  return kind.first == "summary statistics" && summary_of_data(c.body, s.models);
}

/// The exploration kinds (rows of k_exploration_kinds, in its order) some code cell before modelling shows,
/// each with the first such cell's number. A cell whose every output is an error showed nothing (the plot
/// that raised a NameError), so it explores nothing. exploratory_data_analysis and the eda_kinds fact read
/// this.
inline std::vector<std::pair<std::string, int>> exploration_before_modelling(const NotebookFacts& f,
                                                                             const Stages& s) {
  const int stop = s.modelling.value_or(1 << 30);
  std::vector<std::pair<std::string, int>> out;
  for (const auto& kind : k_exploration_kinds)
    for (const auto& c : f.code) {
      if (c.number >= stop) break;
      if (!c.only_error && shows_kind(c, kind, s)) {
        out.emplace_back(kind.first, c.number);
        break;
      }
    }
  return out;
}

/// The name in a NameError ("NameError: name 'pd' is not defined" -> "pd"); empty when there is none.
inline std::string undefined_name(std::string_view error) {
  const std::size_t open = error.find("name '");
  if (open == std::string_view::npos) return {};
  const std::size_t close = error.find('\'', open + 6);
  return close == std::string_view::npos ? std::string{}
                                         : std::string(error.substr(open + 6, close - open - 6));
}

/// True when some cell imports `name` (as a module, an alias or an imported name), or an alias that the
/// bodies read as `name` (NotebookFacts::aliases: `import numpy as npy` makes `npy.` read `np.`).
inline bool imported_anywhere(const NotebookFacts& f, const std::string& name) {
  if (name.empty()) return false;
  for (const auto& [alias, read_as] : f.aliases)
    if (read_as == name) return true;
  for (const auto& c : f.code)
    for (std::string_view line : util::split_lines(c.imports))
      for (const char* before : {" ", ","}) {
        const std::string token = before + name;
        if (util::ends_with(line, token)) return true;
        for (const char* after : {" ", ",", "."})
          if (contains(line, token + after)) return true;
      }
  return false;
}

/// First code cell that uses `name` as an object (`name.` after a non-identifier character).
inline std::optional<int> first_use(const NotebookFacts& f, const std::string& name) {
  const std::string token = name + ".";
  for (const auto& c : f.code)
    for (std::size_t at = c.body.find(token); at != std::string::npos; at = c.body.find(token, at + 1)) {
      const char before = at == 0 ? ' ' : c.body[at - 1];
      if (!std::isalnum(static_cast<unsigned char>(before)) && before != '_' && before != '.')
        return c.number;
    }
  return std::nullopt;
}

/// Import cells outside the notebook's preamble: the import cells may be at most two adjacent code cells (an
/// install cell before the work restarts the count, so imports right after it belong with it), all before the
/// work (loading data, training) starts.
inline std::vector<int> late_imports(const NotebookFacts& f, const Stages& s) {
  std::vector<std::size_t> import_at;  // positions among code cells
  for (std::size_t i = 0; i < f.code.size(); ++i)
    if (!f.code[i].modules.empty()) import_at.push_back(i);
  if (import_at.empty()) return {};
  const int work = std::min(s.data_load.value_or(1 << 30), s.fit.value_or(1 << 30));
  std::size_t anchor = import_at.front();
  for (std::size_t i = 0; i < f.code.size() && f.code[i].number < work; ++i)
    if (f.code[i].install) anchor = std::max(anchor, i);
  std::vector<int> late;
  for (std::size_t i : import_at)
    if ((i > anchor + 1 && i != import_at.front()) || f.code[i].number > work)
      late.push_back(f.code[i].number);
  return late;
}

/// Python packages that need an install step here (not the standard library or the runtime), and packages
/// imported again in a later cell.
struct PackageProblems {
  std::vector<std::string> nonstandard, repeated;
};

inline PackageProblems package_problems(const NotebookFacts& f) {
  PackageProblems p;
  if (!f.python) return p;
  std::set<std::string> seen;
  auto add = [](std::vector<std::string>& to, const std::string& m) {
    if (std::find(to.begin(), to.end(), m) == to.end()) to.push_back(m);
  };
  for (const auto& c : f.code) {
    const std::set<std::string> here(c.modules.begin(), c.modules.end());
    for (const auto& m : here) {
      if (seen.count(m) && m != "sklearn" && m != "pyspark")
        add(p.repeated, m);  // sub-modules come in pieces
      const bool known =
          k_stdlib.count(m) || k_runtime_modules.count(m) || (f.databricks && k_databricks_runtime.count(m));
      if (!known && !c.other_language) add(p.nonstandard, m);  // a %scala cell imports no Python package
    }
    seen.insert(here.begin(), here.end());
  }
  return p;
}

/// What an output says of missing values: nothing readable, that none is missing, or that some are.
enum class MissingShown { nothing, none, some };

/// What the output `output` of a missing-value count or test `body` shows: none missing when its output holds
/// only zero counts, zero shares or False, one a line ("age  0" from isnull().sum(), a lone "0" from
/// .sum().sum(), "False" from .values.any(), "age  0.0" from isna().mean()) or as the cells of a Spark show()
/// table ("|  0|  0|"); some when it holds any other number, or True. Other text (headers, "dtype: int64") is
/// passed over. A not-null test's booleans are not read, nor are its numbers a gap (`notna().sum()` counts
/// what is there).
inline MissingShown missing_count_read(std::string_view body, std::string_view output) {
  // Counted or tested, not the rows with gaps listed (`df[df.x.isnull()]` prints rows, whose numbers are
  // data).
  if (output.empty() || !contains_any(body, {"sum()", "any()", "all()", "mean()", "count(", "null_count("}))
    return MissingShown::nothing;
  // A lone value speaks for the whole frame only from a whole-frame form; `df.x.isnull().sum()` printing 0
  // is one column (often checked right after filling it).
  const bool whole_frame =
      contains_any(body, {"sum().sum()", "values.any()", "any().any()", "values.sum()", "null_count("});
  bool lone_only = true;
  // A not-null test says True where nothing is missing: its booleans are left unread.
  const bool inverse = contains_any(body, {"notnull(", "notna(", "isNotNull(", "IS NOT NULL"});
  const MissingShown gap = inverse ? MissingShown::nothing : MissingShown::some;
  bool any_value = false;
  for (std::string_view line : util::split_lines(output)) {
    line = util::trim(line);
    if (line.empty() || contains(line, "dtype:") || util::starts_with(line, "+-")) continue;
    std::vector<std::string_view> values;
    if (line.front() == '|') {
      for (std::size_t at = 1; at < line.size();) {
        const std::size_t bar = std::min(line.find('|', at), line.size());
        if (const auto cell = util::trim(line.substr(at, bar - at)); !cell.empty()) values.push_back(cell);
        at = bar + 1;
      }
    } else {
      const std::size_t sp = line.find_last_of(" \t");
      values.push_back(sp == std::string_view::npos ? line : line.substr(sp + 1));
      if (sp != std::string_view::npos) lone_only = false;
    }
    if (line.front() == '|') lone_only = false;
    for (std::string_view value : values) {
      if (!inverse && (value == "False" || value == "True")) {
        if (value == "True") return MissingShown::some;
        any_value = true;
        continue;
      }
      const bool number = !value.empty() && std::isdigit(static_cast<unsigned char>(value.front())) &&
                          value.find_first_not_of("0123456789.") == std::string_view::npos;
      if (!number) continue;
      if (value.find_first_not_of("0.") != std::string_view::npos) return gap;
      any_value = true;
    }
  }
  return any_value && (whole_frame || !lone_only) ? MissingShown::none : MissingShown::nothing;
}

/// The top-level statements of `body` that show a value, each with the part of `output` it printed, in order;
/// empty when they cannot be told apart. A statement shows a value when it is a `print(` or `display(` call
/// of one value and no string (else empty: a header or several values print pieces that cannot be told
/// apart), or is the last statement and a bare expression (Jupyter shows its value). The output is cut after
/// each line of a pandas Series' footer (`dtype: int64`, `Name: y, dtype: int64`); the pieces are the
/// statements' only when there are as many as statements (`print(df.y.value_counts())` then
/// `print(df.isnull().sum())` print two Series). A print inside a loop or a branch makes the statements
/// unknown.
inline std::vector<std::pair<std::string_view, std::string_view>> shown_statement_outputs(
    std::string_view body, std::string_view output) {
  std::vector<std::string_view> statements;
  const auto ends = logical_line_ends(body);
  std::string_view last;
  for (std::size_t k = 0; k < ends.size(); ++k) {
    const auto [begin, end] = logical_line_range(ends, k);
    const std::string_view line = body.substr(begin, end - begin);
    if (util::trim(line).empty()) continue;
    const bool indented = line.front() == ' ' || line.front() == '\t';
    const std::string_view text = util::trim(line);
    const bool shows = contains_any(text, {"print(", "print (", "display(", "display ("});
    if (indented && shows) return {};
    if (indented) continue;
    if (shows) {
      // one value shown, no text: a string (a header printed, `print("Shape:", df.shape)`) or several
      // values (`display(train.isnull().sum(), test.isnull().sum())`) print pieces that cannot be told
      // apart
      const std::size_t open = text.find('(');
      bool several = false;
      scan_code(text.substr(open), [&](std::size_t i, int depth) {
        several = several || (depth == 1 && text[open + i] == ',');
        return several;
      });
      if (several || text.find_first_of("'\"") != std::string_view::npos ||
          !(util::starts_with(text, "print") || util::starts_with(text, "display")))
        return {};
      statements.push_back(text);
    }
    last = text;
  }
  if (!last.empty() && (statements.empty() || statements.back() != last) && assignment_target(last).empty()) {
    static const Tokens k_statement_words = {
        "for ",  "if ",   "while ", "with ", "def ", "class ",  "return ", "import ", "from ", "try:",
        "else:", "elif ", "plt.",   "sns.",  "del ", "assert ", "raise ",  "%",       "!"};
    if (std::none_of(k_statement_words.begin(), k_statement_words.end(),
                     [&](std::string_view w) { return util::starts_with(last, w); }))
      statements.push_back(last);
  }
  if (statements.size() < 2) return {};
  std::vector<std::string_view> pieces;
  std::size_t from = 0;
  for (std::size_t at = 0; at < output.size();) {
    const std::size_t eol = std::min(output.find('\n', at), output.size());
    if (output.substr(at, eol - at).find("dtype:") != std::string_view::npos) {
      pieces.push_back(output.substr(from, eol - from));
      from = eol + 1;
    }
    at = eol + 1;
  }
  if (from < output.size() && !util::trim(output.substr(from)).empty()) pieces.push_back(output.substr(from));
  if (pieces.size() != statements.size()) return {};
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (std::size_t i = 0; i < pieces.size(); ++i) out.emplace_back(statements[i], pieces[i]);
  return out;
}

/// What code cell `c`'s missing-value counts or tests show (missing_count_read): when its statements that
/// show a value can be told apart (shown_statement_outputs), only the output of those that check missing
/// values is read (`df.y.value_counts()` printed beside `df.isnull().sum()` counts labels, not gaps).
inline MissingShown missing_count_shown(const CodeFacts& c) {
  if (!checks_missing(c) || c.output.empty()) return MissingShown::nothing;
  const auto parts = shown_statement_outputs(c.body, c.output);
  // read whole when no statement shown checks missing values itself (`missing = df.isnull().sum()` shown
  // by its name on the last line)
  if (std::none_of(parts.begin(), parts.end(),
                   [](const auto& p) { return contains_any(p.first, k_missing_check); }))
    return missing_count_read(c.body, c.output);
  MissingShown shown = MissingShown::nothing;
  for (const auto& [statement, output] : parts) {
    if (!contains_any(statement, k_missing_check)) continue;
    const MissingShown here = missing_count_read(statement, output);
    if (here == MissingShown::some) return here;
    if (here == MissingShown::none) shown = here;
  }
  return shown;
}

/// Whether a missing-value count or test shows that nothing is missing (missing_count_shown).
inline bool output_shows_no_missing(const CodeFacts& c) {
  return missing_count_shown(c) == MissingShown::none;
}

/// What code cell `c`'s pandas `info()` output shows of missing values: the index line gives the row count
/// ("RangeIndex: 1470 entries, 0 to 1469", any "...Index: N entries"), and each column line after it counts
/// its non-null values ("  0   Age   1470 non-null   int64"): none missing when every column listed (one at
/// least) counts its frame's rows, some when one counts fewer. Several frames' info() in one output are each
/// read against their own index line. A short info() (no per-column counts) shows nothing.
inline MissingShown info_missing_shown(const CodeFacts& c) {
  if (!contains(c.body, ".info(") || c.output.empty()) return MissingShown::nothing;
  std::optional<std::string_view> rows;
  std::size_t columns = 0;
  for (std::string_view line : util::split_lines(c.output)) {
    line = util::trim(line);
    const std::size_t entries = line.find(" entries");
    if (contains(line, "Index: ") && entries != std::string_view::npos) {  // a frame's info() starts
      const std::size_t colon = line.find("Index: ");
      rows = util::trim(line.substr(colon + 7, entries - colon - 7));
      continue;
    }
    const std::size_t non_null = line.find(" non-null");
    if (non_null == std::string_view::npos) continue;
    const std::string_view head = util::trim(line.substr(0, non_null));
    const std::size_t sp = head.find_last_of(" \t");
    const std::string_view count = sp == std::string_view::npos ? head : head.substr(sp + 1);
    if (!rows) return MissingShown::nothing;
    if (count != *rows) {
      // a smaller count is a gap; text is no reading
      const bool numbers = !count.empty() && !rows->empty() &&
                           count.find_first_not_of("0123456789") == std::string_view::npos &&
                           rows->find_first_not_of("0123456789") == std::string_view::npos;
      return numbers && (count.size() < rows->size() || (count.size() == rows->size() && count < *rows))
                 ? MissingShown::some
                 : MissingShown::nothing;
    }
    ++columns;
  }
  return rows && !rows->empty() && columns > 0 ? MissingShown::none : MissingShown::nothing;
}

/// Whether code cell `c` calls pandas' `info()` and its output counts every column complete
/// (info_missing_shown).
inline bool info_shows_no_missing(const CodeFacts& c) { return info_missing_shown(c) == MissingShown::none; }

/// Whether some output of the notebook shows a missing value: a missing-value count or test, or an info()
/// column short of the rows (missing_count_shown, info_missing_shown).
inline bool shows_missing(const NotebookFacts& f) {
  return std::any_of(f.code.begin(), f.code.end(), [](const CodeFacts& c) {
    return missing_count_shown(c) == MissingShown::some || info_missing_shown(c) == MissingShown::some;
  });
}

/// Words of markdown that states the data has no missing values.
inline const Tokens k_no_missing_statement = {"no missing",         "no null",      "no nan",
                                              "nothing is missing", "none missing", "no empty value",
                                              "not missing any"};

/// Words that, in the sentence of a no-missing statement, make it no statement about the whole data: an
/// exception ("except in Age", "apart from Cabin", "in the other columns"), a condition, a question or an
/// intention ("if there are no missing values, ...", "check whether", "make sure", "should").
inline const Tokens k_no_missing_limits = {"except", "apart from", "aside from", "other than", "besides",
                                           "other",  "remaining",  "if",         "whether",    "unless",
                                           "check",  "make sure",  "ensure",     "should",     "must"};
/// Words of missing values: a sentence that names them again beyond its no-missing phrase tells where they
/// are ("no missing values in Fare, but Age has 177 missing").
inline const Tokens k_missing_words = {"missing", "null", "nulls", "nan", "nans", "na", "empty", "gaps"};

/// Whether markdown cell `m` states that the data has no missing values ("No missing values in this
/// dataset"), in its part that may report (reported_part: an exercise's "check that there are no nulls" is no
/// statement), in a sentence (up to `.`, `!`, `?`, `;` or a blank line) that is no question, has no
/// k_no_missing_limits word, and names missing values nowhere else ("no missing values except in Age",
/// "Age has 177 gaps; no missing values in the other columns", "If there are no missing values, ..." state
/// nothing).
inline bool states_no_missing(const MarkdownFacts& m) {
  const std::string_view text = reported_part(m.lower);
  const auto boundary = [&](std::size_t i) {
    return std::string_view(".!?;").find(text[i]) != std::string_view::npos ||
           (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n');
  };
  static const Tokens k_own = {"or", "and", "values", "value", "data", "entries"};
  // Sentence by sentence, each read a bounded number of times: linear in the text however many phrases.
  for (std::size_t begin = 0, end = 0; begin < text.size(); begin = end + 1) {
    end = begin;
    while (end < text.size() && !boundary(end)) ++end;
    const std::string_view sentence = text.substr(begin, end - begin);
    std::size_t at = std::string_view::npos, length = 0;  // its first no-missing phrase
    for (std::string_view phrase : k_no_missing_statement)
      if (const std::size_t found = sentence.find(phrase); found < at) at = found, length = phrase.size();
    if (at == std::string_view::npos || (end < text.size() && text[end] == '?') ||
        contains_any_word(sentence, k_no_missing_limits))
      continue;
    // what follows the phrase, past its own words ("no missing values", "no missing or null values")
    std::string_view after = sentence.substr(at + length);
    for (;;) {
      const std::string_view rest = util::trim(after);
      const std::string_view word = rest.substr(0, std::min(rest.find_first_of(" ,"), rest.size()));
      const auto in = [&](const Tokens& t) { return std::find(t.begin(), t.end(), word) != t.end(); };
      if (word.empty() || !(in(k_missing_words) || in(k_own))) break;
      after = rest.substr(word.size());
    }
    if (!contains_any_word(sentence.substr(0, at), k_missing_words) &&
        !contains_any_word(after, k_missing_words))
      return true;
  }
  return false;
}

// ---- columns dropped for their missing values ----

/// The words of code or text `text`, in lower case, one space between them: split at every character other
/// than a letter and before a capital that follows a small letter (`cols_with_missing` -> "cols with
/// missing", `nullCols` -> "null cols", `NaN` -> "na n"), for contains_word.
inline std::string words_of(std::string_view text) {
  std::string out;
  bool space = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    const bool camel = i > 0 && std::isupper(ch) && std::islower(static_cast<unsigned char>(text[i - 1]));
    if (!std::isalpha(ch) || camel) {
      if (!space) out += ' ';
      space = true;
    }
    if (std::isalpha(ch)) {
      out += static_cast<char>(std::tolower(ch));
      space = false;
    }
  }
  return out;
}

/// Whether code or text `text` names missing values: a k_missing_check call (`isnull(`, `isna(`, ...) or a
/// word of k_missing_words (missing, null, nan, na, empty, ...) among its words (words_of:
/// `cols_with_missing`, `null_cols`, "# mostly NaN").
inline bool names_missing(std::string_view text) {
  return contains_any(text, k_missing_check) || contains_any_word(words_of(text), k_missing_words);
}

/// The trailing comment of a line of code (after a `#` outside strings, scan_code), empty when none.
inline std::string_view trailing_comment(std::string_view line) {
  std::size_t next = 0;  // the byte after the last one visited: a gap from it is a string or the comment
  std::string_view comment;
  const auto gap = [&](std::size_t end) {
    if (next < end && line[next] == '#') comment = line.substr(next, end - next);
  };
  scan_code(line, [&](std::size_t i, int) {
    gap(i);
    next = i + 1;
    return false;
  });
  gap(line.size());
  return comment;
}

/// The string literals of code `text`, without their quotes (`Cabin` and `Deck` of `["Cabin", 'Deck']`).
inline std::vector<std::string_view> string_literals(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t next = 0;
  const auto gap = [&](std::size_t end) {
    if (next + 1 < end && (text[next] == '"' || text[next] == '\'') && text[end - 1] == text[next])
      out.push_back(text.substr(next + 1, end - next - 2));
  };
  scan_code(text, [&](std::size_t i, int) {
    gap(i);
    next = i + 1;
    return false;
  });
  gap(text.size());
  return out;
}

/// The columns that code cell `c`'s output shows with missing values: a missing-value count or test showing
/// some (missing_count_shown), each line led by a column's name with a number other than 0 after it ("Cabin
/// 687", "Cabin  687  77.1"); or an info() showing some (info_missing_shown), each column line counting fewer
/// non-null values than its frame's index line has entries ("10  Cabin  204 non-null  object" under "891
/// entries").
inline std::set<std::string, std::less<>> columns_shown_missing(const CodeFacts& c) {
  std::set<std::string, std::less<>> out;
  const bool counted = missing_count_shown(c) == MissingShown::some;
  const bool info = info_missing_shown(c) == MissingShown::some;
  if (!counted && !info) return out;
  const auto number = [](std::string_view t) {
    return !t.empty() && std::isdigit(static_cast<unsigned char>(t.front())) &&
           t.find_first_not_of("0123456789.") == std::string_view::npos;
  };
  std::string_view rows;
  for (std::string_view line : util::split_lines(c.output)) {
    line = util::trim(line);
    std::vector<std::string_view> tokens;
    for (std::size_t at = 0; at < line.size();) {
      const std::size_t end = std::min(line.find_first_of(" \t", at), line.size());
      if (end > at) tokens.push_back(line.substr(at, end - at));
      at = end + 1;
    }
    if (tokens.size() < 2) continue;
    if (info) {
      const std::size_t entries = line.find(" entries");
      if (const std::size_t colon = line.find("Index: ");
          colon != std::string_view::npos && entries > colon) {
        rows = util::trim(line.substr(colon + 7, entries - colon - 7));
        continue;
      }
      // [index] name... count non-null dtype
      const auto non_null = std::find(tokens.begin(), tokens.end(), "non-null");
      const std::size_t at = static_cast<std::size_t>(non_null - tokens.begin());
      if (non_null == tokens.end() || at < 2 || rows.empty() || !number(tokens[at - 1])) continue;
      const std::string_view count = tokens[at - 1];
      const bool fewer = count.size() < rows.size() || (count.size() == rows.size() && count < rows);
      const std::size_t first = number(tokens[0]) && at >= 3 ? 1 : 0;
      if (fewer && rows.find_first_not_of("0123456789") == std::string_view::npos)
        out.emplace(line.substr(
            static_cast<std::size_t>(tokens[first].data() - line.data()),
            static_cast<std::size_t>(tokens[at - 2].data() + tokens[at - 2].size() - tokens[first].data())));
      continue;
    }
    // name... then numbers, one of them not 0
    std::size_t first_number = 0;
    while (first_number < tokens.size() && !number(tokens[first_number])) ++first_number;
    if (first_number == 0 || first_number == tokens.size()) continue;
    const bool gap = std::any_of(
        tokens.begin() + static_cast<std::ptrdiff_t>(first_number), tokens.end(),
        [&](std::string_view t) { return number(t) && t.find_first_not_of("0.") != std::string_view::npos; });
    if (gap)
      out.emplace(line.substr(0, static_cast<std::size_t>(tokens[first_number - 1].data() +
                                                          tokens[first_number - 1].size() - line.data())));
  }
  return out;
}

/// Cells that drop columns for their missing values: a pandas column drop (`.drop(columns=...)`, `.drop(...,
/// axis=1)` / `axis="columns"`) tied to missing values, which a drop of an id or of the target is not. Tied
/// when
/// - the columns dropped are chosen by their missing values: the call's arguments name missing values
///   (names_missing: `df.drop(columns=df.columns[df.isna().mean() > 0.5])`, `X.drop(cols_with_missing,
///   axis=1)`), or hold a name assigned from such code (`to_drop = [c for c in df if df[c].isnull().any()]`,
///   then `df.drop(columns=to_drop)`; in this cell above the drop, or an earlier one);
/// - the line says so: its assignment target or its trailing comment names missing values (`df_no_na =
///   df.drop(...)`, `# mostly empty`); or
/// - a column it names (`["Cabin"]`, `"Cabin"`) is shown with missing values (columns_shown_missing) by the
///   output of its own cell or of the code cell before it: the drop follows the look at the gaps.
/// Row selections on the line are no tie (`test = full[full.y.isnull()].drop("y", axis=1)` picks rows by a
/// missing target, then drops the target).
inline std::vector<int> missing_drop_cells(const NotebookFacts& f) {
  std::vector<int> out;
  std::set<std::string, std::less<>> chosen;  // names assigned from code that names missing values, so far
  const CodeFacts* previous = nullptr;
  for (const auto& c : f.code) {
    const std::string_view body = c.body;
    const std::string_view with_comments = c.body_with_comments;  // the same offsets, comments kept
    bool found = false;
    std::optional<std::set<std::string, std::less<>>> shown;  // read once a drop names a column
    const auto ends = logical_line_ends(body);
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const std::string_view line = logical_line_text(body, ends, k);
      const std::string_view commented =
          with_comments.size() == body.size() ? logical_line_text(with_comments, ends, k) : line;
      const std::string_view target = assignment_target(line);
      for (auto at = line.find(".drop("); !found && at != std::string_view::npos;
           at = line.find(".drop(", at + 1)) {
        // the arguments: up to the `)` that closes the call, outside strings and comments, read up to 2,000
        // bytes (a run of unclosed calls stays linear)
        const std::string_view call = line.substr(at + 5, 2000);
        const std::size_t close =
            scan_code(call, [&](std::size_t i, int depth) { return call[i] == ')' && depth == 0; });
        const std::string_view args = call.substr(1, close > 0 ? close - 1 : 0);
        if (!contains_any(args, {"columns=", "columns =", "axis=1", "axis = 1", "axis='columns'",
                                 "axis=\"columns\"", "axis = 'columns'", "axis = \"columns\""}))
          continue;
        // The call's code, its string literals blanked: a column named `NA_Sales` names no missing value
        // (a quoted column is tied by the check output below instead).
        const std::vector<bool> is_code = code_bytes(args);
        std::string code(args.size(), ' ');
        for (std::size_t i = 0; i < args.size(); ++i)
          if (is_code[i]) code[i] = args[i];
        bool tied = names_missing(code) || names_missing(trailing_comment(commented)) ||
                    (!target.empty() && names_missing(target));
        for_each_plain_name(
            args, [&](std::size_t, std::string_view name) { tied = tied || chosen.count(name) > 0; });
        if (!tied) {
          for (std::string_view column : string_literals(args)) {
            if (!shown) {
              shown = columns_shown_missing(c);
              if (previous) shown->merge(columns_shown_missing(*previous));
            }
            tied = tied || shown->count(column) > 0;
          }
        }
        found = tied;
      }
      if (!target.empty()) {
        const std::string_view value = line.substr(target.size() + 1);
        const bool missing = names_missing(value);
        for_each_target_name(target, [&](std::string_view name) {
          if (missing)
            chosen.emplace(name);
          else if (const auto it = chosen.find(name); it != chosen.end())
            chosen.erase(it);
        });
      }
    }
    if (found) out.push_back(c.number);
    previous = &c;
  }
  return out;
}

/// Cells that handle missing values: a fill or drop (k_impute: fillna, an imputer, dropna, ...; rows kept
/// only where a value is not null too, fills_or_drops: `df = df[df.y.notna()]`, Spark's
/// `filter(col("y").isNotNull())`), or a drop of columns for their missing values (missing_drop_cells).
/// Sorted, no repeats.
inline std::vector<int> imputation_cells(const NotebookFacts& f) {
  return sorted_union(cells_filling_or_dropping(f, k_impute), missing_drop_cells(f));
}

}  // namespace judge::scoring::detail
