// SPDX-License-Identifier: MIT
// The offline judge's rules: one function per dimension of the ml-notebook rubric (rubrics/ml-notebook.yaml),
// each reading the facts gathered once per notebook (heuristic_facts.hpp) and the notebook's stages (below).
//
// Why rules and not a model: the judge must run offline, be explainable ("cell 7: ...") and carry over to
// notebooks it has never seen, so every rule follows a sentence of the rubric text (noted beside it) and
// looks only at code, outputs and markdown, never at file names.
#include "judge/scoring/heuristic_rules.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "judge/scoring/heuristic_facts.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"
#include "rule_vocabulary.hpp"

namespace judge::scoring {
namespace {

using namespace detail;

std::string cell_ref(int number) { return "cell " + std::to_string(number); }
std::string cell_list(const std::vector<int>& cells, std::size_t max = 4) {
  std::string out = cells.size() == 1 ? "cell " : "cells ";
  for (std::size_t i = 0; i < cells.size() && i < max; ++i) out += (i ? ", " : "") + std::to_string(cells[i]);
  if (cells.size() > max) out += ", ...";
  return out;
}

/// One dimension's result: a score on 1-3, or N/A (nullopt), with the evidence behind it.
struct Finding {
  std::optional<double> score;
  std::vector<std::string> notes;
  void note(std::string text) { notes.push_back(std::move(text)); }
};

Finding not_applicable(std::string why) {
  Finding r;
  r.note("N/A: " + std::move(why));
  return r;
}

Finding scored(double score, std::vector<std::string> notes) { return Finding{score, std::move(notes)}; }

// ---- 1. library_installation ----
// 3: imports grouped near the top, non-standard packages installed (pinned), nothing fails to import.
// 2: imports scattered, or a non-standard package with no install step. 1: an import fails / a name is used
// without its import. N/A: no code.
Finding library_installation(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  for (const auto& c : f.code) {
    if (contains_any(c.error, {"ModuleNotFoundError", "ImportError"}))
      return scored(1, {cell_ref(c.number) + ": import fails (" + c.error + ")"});
    if (contains(c.error, "NameError") && imported_anywhere(f, undefined_name(c.error)))
      return scored(1, {cell_ref(c.number) + ": a library is used before its import (" + c.error + ")"});
  }
  // Conventional aliases used with no import anywhere: the notebook cannot run from the top.
  for (const char* alias : {"pd", "np", "plt", "sns"})
    if (auto used = first_use(f, alias); f.python && used && !imported_anywhere(f, alias))
      return scored(1, {cell_ref(*used) + ": " + alias + " is used but never imported"});

  std::vector<int> import_cells, install_cells;
  bool wildcard = false, nested = false, pinned = false;
  for (const auto& c : f.code) {
    if (c.install) install_cells.push_back(c.number);
    if (!c.modules.empty()) import_cells.push_back(c.number);
    pinned = pinned || c.pinned;
    wildcard = wildcard || c.wildcard_import;
    nested = nested || c.nested_import;
  }
  if (import_cells.empty() && install_cells.empty())
    return scored(3, {"no imports needed beyond the language"});

  int score = 3;
  std::vector<std::string> notes;
  auto flaw = [&](std::string what) {
    score = 2;
    notes.push_back(std::move(what));
  };
  const auto late = late_imports(f, s);
  if (!late.empty())
    flaw("imports scattered: " + cell_list(late) + " import after the work has started");
  else if (nested)
    flaw("imports inside functions or loops");
  else
    notes.push_back("imports grouped at the top (" + cell_list(import_cells) + ")");
  const auto packages = package_problems(f);
  if (!install_cells.empty()) {
    notes.push_back(cell_list(install_cells) + ": install step" + (pinned ? " with pinned versions" : ""));
  } else if (!packages.nonstandard.empty()) {
    std::string names;
    for (std::size_t i = 0; i < packages.nonstandard.size() && i < 4; ++i)
      names += (i ? ", " : "") + packages.nonstandard[i];
    flaw("non-standard packages (" + names + ") with no install step or version note");
  }
  if (!packages.repeated.empty()) flaw(packages.repeated.front() + " imported more than once");
  if (wildcard) flaw("wildcard import hides where names come from");
  return scored(score, notes);
}

// ---- 2. exploratory_data_analysis ----
// 3: target, features, missing values and relationships, with written findings. 2: some exploration without
// conclusions, or the target/missing values not looked at (missing values: counted or tested, or an info()).
// 1: none or only head(). N/A: no data set is worked with (orchestration, batch scoring of a deployed model).
Finding exploratory_data_analysis(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  if (!s.data_load && !s.data_work) return not_applicable("no data set is loaded");
  const int stop = s.modelling.value_or(1 << 30);
  std::vector<std::string> found;
  std::vector<int> cells;
  for (const auto& [kind, cell] : exploration_before_modelling(f, s)) {
    found.push_back(kind + " (" + cell_ref(cell) + ")");
    cells.push_back(cell);
  }
  // Findings written down: markdown after an exploration cell that states what was seen.
  bool findings = false;
  for (const auto& m : f.markdown) {
    if (cells.empty() || m.number < *std::min_element(cells.begin(), cells.end())) continue;
    if (m.number >= stop) break;
    if (states_finding(m)) findings = true;
  }
  std::string summary;
  for (std::size_t i = 0; i < found.size(); ++i) summary += (i ? ", " : "") + found[i];
  const bool only_glance = found.empty() || (found.size() == 1 && found[0].rfind("shape/types", 0) == 0);
  if (only_glance && s.orchestrated)
    return not_applicable("data is only passed on to packaged steps or a deployed model, not analysed here");
  if (only_glance) {
    return scored(1, {found.empty() ? "no exploration before modelling (at most a head())"
                                    : "only " + summary + " before modelling"});
  }
  std::vector<std::string> notes = {"looks at " + summary};
  // Missingness is part of the rubric's 3: missing values counted or tested, or an info(), whose per-column
  // non-null counts show the gaps (describe()'s count row covers only numeric columns).
  bool missingness = std::any_of(found.begin(), found.end(),
                                 [](const std::string& kind) { return kind.starts_with("missing values"); });
  for (const auto& c : f.code) {
    if (missingness || c.number >= stop) break;
    missingness = !c.only_error && shows_kind(c, {"shape/types", {".info("}}, s);
  }
  if (found.size() >= 3 && findings && missingness) {
    notes.push_back("findings are written down in markdown");
    return scored(3, notes);
  }
  if (found.size() >= 3 && findings) {
    notes.push_back(
        "findings are written down, but missing values are not looked at (isnull().sum(), info())");
    return scored(2, notes);
  }
  notes.push_back(findings ? "coverage is partial" : "no findings written down");
  return scored(2, notes);
}

// ---- 3. data_imputation ----
// 3: checks which columns miss values, a stated strategy fit on training data only (pipeline / after the
// split) or a native-NaN model said so. 2: handled with leakage risk, unchecked, or a blanket rule (the
// columns with gaps dropped, none filled: missing_drop_cells).
// 1: missing values ignored (never checked, even with a native-NaN model), or rows dropped wholesale
// unchecked. N/A: no data preparation, or the data is shown (a zero count, an info() of complete columns) or
// stated to be complete, and no output shows a gap.

Finding data_imputation(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  if (!s.data_load && !s.data_work) return not_applicable("no data is loaded or prepared");
  if (s.orchestrated)
    return not_applicable("data preparation happens in called packages or the deployed model");
  const auto checks = missing_check_cells(f);
  if (!s.trained && !s.data_prep && checks.empty())
    return not_applicable("no data preparation in this notebook");
  const auto fills = cells_filling_or_dropping(f, k_impute);  // not-null row picks too
  const auto handling = imputation_cells(f);  // fills and drops of columns for their missing values
  // The data is complete only if no output shows a gap: a check after columns with gaps were dropped shows
  // what is left, not the data (a drop not seen as handling, `df.drop(columns=cols)`, leaves `handling`
  // empty).
  const bool complete = handling.empty() && !shows_missing(f);
  for (const auto& c : f.code)
    if (complete && output_shows_no_missing(c))
      return not_applicable(cell_ref(c.number) + ": the missing-value count shows no missing values");
    else if (complete && info_shows_no_missing(c))
      return not_applicable(cell_ref(c.number) + ": info() counts every column complete");
  // Stated, not shown: "No missing values in this dataset" after the data is read (rubric N/A: "checks or
  // states it"); "no missing values except in Age" or "if there are no missing values" states nothing
  // (states_no_missing).
  for (const auto& m : f.markdown)
    if (complete && s.data_load && m.number > *s.data_load && states_no_missing(m))
      return not_applicable(cell_ref(m.number) + ": the notebook states the data has no missing values");
  if (s.builtin_data_only && handling.empty())
    return not_applicable("only a bundled, complete toy data set is used and nothing is prepared");

  if (handling.empty()) {
    // A model that handles NaN natively and a markdown cell that says so (rubric 3: "uses a model that
    // handles missing values natively and says so"): 3 once the gaps were looked at, 2 without a check.
    if (s.model && f.first_with(k_missing_native))
      for (const auto& m : f.markdown)
        if (states_native_missing_handling(m))
          return checks.empty()
                     ? scored(2, {cell_ref(m.number) +
                                  ": the notebook says its model handles missing values natively; they are "
                                  "never checked"})
                     : scored(3, {cell_list(checks) + ": missing values are checked; " + cell_ref(m.number) +
                                  ": the notebook says its model handles them natively"});
    // A model that handles NaN natively without saying so: with no check either, the gaps are ignored
    // (rubric 1: present and ignored), even if the model copes with them.
    if (s.model && f.first_with(k_missing_native))
      return checks.empty()
                 ? scored(1, {"missing values are never checked; the model's native NaN handling is relied "
                              "on without saying so"})
                 : scored(2, {cell_list(checks) +
                              ": missing values are checked, no handling follows; relies on a model that "
                              "handles NaN natively without saying so"});
    if (!checks.empty()) {
      // Leaving the gaps on purpose is a strategy too, when it is stated and no model is trained on them.
      for (const auto& m : f.markdown)
        if (!s.trained && m.number > checks.front() && contains(m.lower, "missing") &&
            contains_any(m.lower, {"leave", "left", "keep", "kept", "because", "rather than"}))
          return scored(
              3, {cell_list(checks) + ": missing values are checked; cell " + std::to_string(m.number) +
                  ": the notebook states why they are left as they are"});
      return scored(2, {cell_list(checks) + ": missing values are checked but no handling follows"});
    }
    return scored(1, {"missing values are never checked or handled"});
  }
  std::vector<std::string> notes;
  double score = checks.empty() ? 2 : 3;
  // Columns dropped for their gaps, nothing filled: the basics, not the best practice (rubric 3 names
  // imputation fit on training data; a column dropped loses its known values too).
  const bool only_dropped = fills.empty();
  if (only_dropped) score = 2;
  const std::string how = only_dropped ? "drops the columns with missing values, fills none" : "handles them";
  if (!checks.empty())
    notes.push_back(cell_list(checks) + ": checks missing values; " + cell_list(handling) + ": " + how);
  else if (only_dropped)
    notes.push_back(cell_list(handling) + ": " + how + ", without checking which columns miss values");
  else
    notes.push_back(cell_list(handling) + ": missing values handled without checking which columns");
  // Statistics learned from the data before the split leak the test rows into the fill.
  const auto statistic = fill_statistic_cells(f, s);
  const bool in_pipeline = imputer_in_pipeline(f);
  const auto leaked = before_split_outside_pipeline(f, statistic, s, in_pipeline, FillKind::statistic);
  const bool fit_on_train = f.first_with({".fit(X_train", ".fit_transform(X_train", ".fit(x_train",
                                          ".fit_transform(x_train", ".fit(train", ".fit_transform(train"})
                                .has_value() &&
                            !statistic.empty();
  if (!leaked.empty()) {
    score = std::min(score, 2.0);
    std::string note = cell_ref(leaked.front());
    note += ": fill statistics computed before the split (";
    note += leaked.front() == *s.holdout ? "above it in the same cell" : cell_ref(*s.holdout);
    note += "), so test rows leak into them";
    notes.push_back(note);
  } else if (in_pipeline) {
    notes.push_back("imputer inside a pipeline, fitted on training data only");
  } else if (fit_on_train) {
    notes.push_back("imputer fitted on the training split only");
  }
  std::vector<int> blanket_drop;  // a dropna by every column that drops (dropna_use), or Spark's na.drop()
  for (const auto& c : f.code)
    if (dropna_use(c.body).blanket) blanket_drop.push_back(c.number);
  if (!blanket_drop.empty()) {
    score = checks.empty() ? 1 : std::min(score, 2.0);
    notes.push_back(cell_ref(blanket_drop.front()) + ": blanket dropna() on every column");
  }
  if (f.first_with({"add_indicator=True", "MissingIndicator(", "_was_missing", "_missing'] ="}))
    notes.push_back("adds missing-value indicators");
  return scored(score, notes);
}

// ---- 4. feature_engineering ----
// 3: categoricals encoded with unseen categories handled, scaling where needed, fitted on training data only
// in a pipeline / column transformer. 2: basic encoding or scaling without regard to leakage or unseen
// categories. 1: categoricals silently dropped, nominal label codes fed to a linear model, or nothing done.
// N/A: no model is trained on engineered features.
Finding feature_engineering(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  if (!s.trained) return not_applicable("no model is trained on the features");
  if (s.packaged && !s.model && encoding_cells(f).empty() && scaling_cells(f).empty() &&
      !f.first_with(k_derived))
    return not_applicable("features are built inside called packages; no feature code here");
  const auto encoders = encoding_cells(f);
  const auto scalers = scaling_cells(f);
  const std::vector<int> derived = derived_feature_cells(f, s);
  const auto pipes = pipeline_cells(f);
  const auto dropped =
      f.cells_with({"exclude=['object']", "exclude=[\"object\"]", "exclude='object'", "exclude=\"object\""});
  std::vector<std::string> notes;
  for (const auto& c : f.code)
    if (!c.error.empty() && contains_any(c.body, {"prepare", "feature", "get_dummies(", "Encoder("}) &&
        s.fit && c.number <= *s.fit)
      return scored(1, {cell_ref(c.number) + ": feature preparation fails (" + c.error + ")"});
  if (!dropped.empty()) {
    return scored(
        1, {cell_ref(dropped.front()) + ": every categorical (object) column is dropped instead of encoded"});
  }
  if (encoders.empty() && scalers.empty() && derived.empty())
    return scored(1, {"raw columns go straight into the model: no encoding, scaling or derived features"});
  const bool linear = f.first_with({"LinearRegression(", "LogisticRegression(", "Lasso(", "Ridge(", "SVC(",
                                    "KNeighbors", "SGD"})
                          .has_value();
  const bool tree =
      f.first_with({"Forest", "Tree", "XGB", "LGBM", "lgb.", "CatBoost", "GradientBoosting"}).has_value();
  if (auto le = f.first_with({"LabelEncoder("}); le && linear && !tree)
    return scored(1, {cell_ref(*le) + ": nominal features label-encoded for a linear model"});

  const bool unseen =
      f.first_with({"handle_unknown='ignore'", "handle_unknown=\"ignore\"", "handle_unknown='infrequent",
                    "handleInvalid='keep'", "handleInvalid=\"keep\"", "cat_features"})
          .has_value();
  const std::vector<int> fitted_before_split = transform_before_split_cells(f, s);
  if (!encoders.empty()) notes.push_back(cell_list(encoders) + ": categorical encoding");
  if (!scalers.empty()) notes.push_back(cell_list(scalers) + ": scaling/assembling");
  if (!derived.empty()) notes.push_back(cell_list(derived) + ": derived or selected features");
  if (!pipes.empty() && unseen && fitted_before_split.empty()) {
    notes.push_back(cell_ref(pipes.front()) +
                    ": fitted inside a pipeline on training data, unseen categories handled");
    return scored(3, notes);
  }
  if (!fitted_before_split.empty())
    notes.push_back(cell_list(fitted_before_split) + ": transformations fitted before the split");
  else if (!pipes.empty())
    notes.push_back("pipeline used, but unseen categories are not handled");
  else
    notes.push_back("no pipeline: train and new data are transformed separately");
  return scored(2, notes);
}

// ---- 5. model_training ----
// 3: held-out split or CV, tuning on training data only, a baseline or several candidates, seeds fixed.
// 2: one model, simple split, defaults. 1: trained and evaluated on the same data, or training fails.
// N/A: no model is trained. Clustering alone needs no split (it is fitted on all the data by design).
Finding model_training(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  if (!s.trained) return not_applicable("no model is trained");
  for (const auto& c : f.code)
    if (fails_training(c)) return scored(1, {cell_ref(c.number) + ": training fails (" + c.error + ")"});
  if (s.packaged && !s.model)
    return scored(
        2, {cell_ref(*s.fit) + ": training runs inside a called package; split, baseline and tuning are "
                               "not visible"});
  const auto validation = validation_set_cell(f);
  const bool unsupervised = clustering_only(f);
  if (!s.holdout && !s.cv && !validation && !unsupervised)
    return scored(1, {cell_ref(*s.fit) + ": the model is fitted on all the data; no hold-out split or "
                                         "cross-validation"});
  std::vector<std::string> notes;
  notes.push_back(s.holdout    ? cell_ref(*s.holdout) + ": hold-out split"
                  : s.cv       ? cell_ref(*s.cv) + ": cross-validation"
                  : validation ? cell_ref(*validation) + ": validation set passed to the fit"
                               : cell_ref(*s.fit) +
                                     ": clustering, fitted on all the data as unsupervised "
                                     "models are");
  const std::set<std::string> families = model_families(f);
  const auto tuning = f.first_with(k_tuning);
  const bool seeded = f.first_with(k_seed).has_value();
  if (tuning) notes.push_back(cell_ref(*tuning) + ": hyperparameter search");
  notes.push_back(std::to_string(families.size()) +
                  (families.size() == 1 ? " model family" : " model families"));
  if (!seeded) notes.push_back("no random seed");
  if (tuning && families.size() >= 2 && seeded) return scored(3, notes);
  notes.push_back(families.size() < 2 ? "no baseline or alternative model" : "no tuning on training data");
  return scored(2, notes);
}

// ---- 6. model_use ----
// 3: saved with its preprocessing (pipeline), loaded back, used on new/held-out data. 2: predicts on the test
// split only, or saved and never reloaded. 1: predicting on training data as if new, inference broken.
// N/A: no model trained or loaded.
Finding model_use(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  if (!s.trained && !s.loaded_model) return not_applicable("no model is trained or loaded");
  const auto predicts = predict_cells(f);
  std::optional<int> saved;
  for (const auto& c : f.code)
    if (persists_in(c.body)) {
      saved = c.number;
      break;
    }
  const auto autologged = first_model_autolog(f);
  const auto persisted = saved && autologged ? std::min(saved, autologged) : saved ? saved : autologged;
  const auto pipes = pipeline_cells(f);
  // the first pipeline's cell, or 0 (cells count from 1): a plain int, as GCC 12 at -O3 misreads an optional
  // here
  const int pipeline = pipes.empty() ? 0 : pipes.front();
  std::vector<std::string> notes;
  if (s.trained && !s.holdout && !s.cv) {
    // Predictions on the very rows the model was fitted on (".fit(X, y)" then ".predict(X)").
    for (int n : predicts) {
      const auto& body = f.cell(n)->body;
      for (std::string_view arg : {"predict(X)", "predict(x)", "predict(X_scaled)", "predict(features)"})
        // a clustering's fit_predict(X) labels the rows it is fitted on, as it should
        if (contains(body, arg) && !contains(body, "new") && !contains(body, "fit_" + std::string(arg)))
          return scored(1, {cell_ref(n) + ": predicts on the data the model was trained on"});
    }
  }
  for (const auto& c : f.code)
    if (!c.error.empty() && std::binary_search(predicts.begin(), predicts.end(), c.number))
      return scored(1, {cell_ref(c.number) + ": inference fails (" + c.error + ")"});
  if (persisted) notes.push_back(cell_ref(*persisted) + ": model saved");
  if (s.loaded_model) notes.push_back(cell_ref(*s.loaded_model) + ": model loaded back or called");
  if (!predicts.empty()) notes.push_back(cell_list(predicts) + ": predictions");
  if (persisted && s.loaded_model && *s.loaded_model >= *persisted && pipeline && !predicts.empty() &&
      predicts.back() >= *s.loaded_model) {
    notes.push_back(cell_ref(pipeline) + ": preprocessing travels with the model in a pipeline");
    return scored(3, notes);
  }
  if (predicts.empty() && !s.loaded_model)
    notes.push_back("the model is never used to predict");
  else if (!persisted)
    notes.push_back("the model is not saved and not applied to new data");
  else if (!s.loaded_model)
    notes.push_back("saved but never loaded back");
  else if (!pipeline)
    notes.push_back("preprocessing is not saved with the model");
  return scored(2, notes);
}

// ---- 7. metrics_evaluation ----
// 3: several suitable metrics on held-out data, compared or interpreted. 2: one sensible metric on held-out
// data. 1: metrics on training data, or a trained model never evaluated. N/A: no model trained.
Finding metrics_evaluation(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  if (!s.trained) return not_applicable("no model is trained or evaluated");
  const auto metric_cells = detail::metric_cells(f, s);
  if (metric_cells.empty()) return scored(1, {"the trained model is never evaluated with a metric"});
  // Clustering is scored on the data it grouped (silhouette, inertia): no hold-out is expected of it. A
  // held-out set handed to the fit (k_validation_set) is what a trainer's evaluate() and a booster's
  // evals_result_ measure.
  if (!s.holdout && !s.cv && !validation_set_cell(f) && !clustering_only(f))
    return scored(1,
                  {cell_list(metric_cells) + ": metrics computed on the training data (no hold-out split)"});
  std::vector<std::string> kinds;
  for (const auto& kind : k_metric_kinds)
    for (int n : metric_cells)
      if (shows_metric_kind(*f.cell(n), kind, s)) {
        kinds.push_back(kind.first);
        break;
      }
  for (const auto& kind : k_metric_kinds)
    if (const auto& name = kind.first;
        std::find(kinds.begin(), kinds.end(), name) == kinds.end() && uses_metric_kind(f, kind, s) &&
        (std::string_view(name) == "residuals" || std::string_view(name) == "confusion matrix"))
      kinds.push_back(name);
  bool interpreted = false;  // as the metrics_interpreted fact reads it: instructions interpret nothing
  for (const auto& m : f.markdown)
    if (m.number > metric_cells.front() && interprets_metrics(m)) interpreted = true;
  std::string list;
  for (std::size_t i = 0; i < kinds.size(); ++i) list += (i ? ", " : "") + kinds[i];
  std::vector<std::string> notes = {cell_list(metric_cells) + ": metrics" +
                                    (list.empty() ? "" : " (" + list + ")")};
  if (kinds.size() >= 3 && interpreted) {
    notes.push_back("several metrics on held-out data, interpreted in markdown");
    return scored(3, notes);
  }
  // What is missing for a 3: several metric families, their interpretation (or a comparison), or both.
  if (kinds.size() >= 3)
    notes.push_back("several metrics but no interpretation or baseline comparison");
  else if (interpreted)
    notes.push_back("interpreted in markdown, but few metrics (fewer than three kinds)");
  else
    notes.push_back("few metrics, no interpretation or baseline comparison");
  return scored(2, notes);
}

// ---- 8. mlflow_logging ----
// 3: named experiment/runs log parameters, computed metrics and the model with a signature or input example
// (autolog counts); registered where deployed. 2: partial tracking. 1: a model is trained and nothing is
// tracked. N/A: no model is trained.
Finding mlflow_logging(const NotebookFacts& f, const Stages& s) {
  if (!s.has_code) return not_applicable("the notebook has no code");
  if (!s.trained) return not_applicable("no model is trained");
  const auto recipe = f.first_with(k_recipe);
  const auto any_mlflow = f.first_with(k_mlflow_any);
  if (!any_mlflow && !recipe) return scored(1, {"a model is trained but nothing is tracked with MLflow"});
  if (recipe && f.first_with({".run(\"register\")", ".run('register')", ".run(\"train\")", ".run('train')"}))
    return scored(3, {cell_ref(*recipe) + ": an MLflow recipe tracks parameters, metrics and the model and "
                                          "registers it"});
  const auto experiment = f.first_with({"set_experiment(", "start_run(", "experiment_id"});
  const auto params = first_params_log(f);
  const auto logged_metrics = f.first_with({"log_metric", "mlflow.evaluate("});
  const auto autologged_metrics = first_metrics_autolog(f);
  const auto metrics = logged_metrics && autologged_metrics ? std::min(logged_metrics, autologged_metrics)
                       : logged_metrics                     ? logged_metrics
                                                            : autologged_metrics;
  const auto logged = f.first_with({"log_model("});
  const auto autologged = first_model_autolog(f);
  const auto model = logged && autologged ? std::min(logged, autologged) : logged ? logged : autologged;
  const auto signature =
      f.first_with({"signature", "input_example", "register_model(", "registered_model_name"});
  std::vector<std::string> notes;
  auto say = [&](const std::optional<int>& c, const std::string& what) {
    notes.push_back(c ? cell_ref(*c) + ": " + what : "no " + what);
  };
  say(experiment, "experiment/run");
  say(params, "parameters logged");
  say(metrics, "metrics logged");
  say(model, "model logged");
  if (experiment && params && metrics && model && signature) {
    notes.push_back(cell_ref(*signature) + ": signature, input example or registry");
    return scored(3, notes);
  }
  return scored(2, notes);
}

// ---- 9. cell_organization ----
// 3: markdown introduces each stage, focused cells, top-to-bottom order, no scratch/dead cells or errors.
// 2: thin narrative, some long or scratch cells, a few leftovers. 1: no narrative, giant/chaotic cells, or
// error tracebacks left in the outputs. N/A: the notebook is empty.
Finding cell_organization(const NotebookFacts& f, const Stages&) {
  if (f.code.empty() && f.markdown.empty()) return not_applicable("the notebook is empty");
  std::vector<int> errors, warnings, placeholders, long_cells, dead;
  std::size_t comment_headers = 0, commented_code = 0;
  for (const auto& c : f.code) {
    if (!c.error.empty()) errors.push_back(c.number);
    if (c.warning) warnings.push_back(c.number);
    if (c.placeholder) placeholders.push_back(c.number);
    if (c.lines > 60) long_cells.push_back(c.number);
    if (c.dead) dead.push_back(c.number);
    comment_headers += c.comment_header;
    commented_code += c.commented_code;
  }
  if (!errors.empty())
    return scored(1, {cell_list(errors) + ": error tracebacks left in the outputs (" +
                      f.cell(errors.front())->error + ")"});
  std::size_t words = 0, headings = 0, prose = 0;
  for (const auto& m : f.markdown) {
    words += m.words;
    headings += m.heading;
    prose += m.words >= 12;
  }
  const std::size_t code = f.code.size();
  if (words < 10 && headings < 2) {  // no narrative (at most a stray title)
    if (code > 0 && comment_headers * 2 >= code && long_cells.empty() && f.empty_code_cells == 0)
      return scored(2, {"no markdown narrative, but each cell starts with a comment header"});
    std::vector<std::string> notes = {"no markdown narrative"};
    if (!long_cells.empty()) notes.push_back(cell_list(long_cells) + ": over-long cells");
    if (f.empty_code_cells) notes.push_back(std::to_string(f.empty_code_cells) + " empty code cells");
    return scored(1, notes);
  }
  std::vector<std::string> notes;
  notes.push_back(std::to_string(f.markdown.size()) + " markdown cells (" + std::to_string(headings) +
                  " with headings) for " + std::to_string(code) + " code cells");
  bool good = code > 0 && f.markdown.size() * 2 >= code && (headings >= 2 || prose >= 3);
  auto flaw = [&](bool present, std::string what) {
    if (!present) return;
    good = false;
    notes.push_back(std::move(what));
  };
  flaw(!placeholders.empty(), cell_list(placeholders) + ": unfilled placeholders left in");
  flaw(!warnings.empty(), cell_list(warnings) + ": warnings left in the outputs");
  flaw(!long_cells.empty(), cell_list(long_cells) + ": over-long cells");
  flaw(!dead.empty(), cell_list(dead) + ": commented-out (dead) cells");
  flaw(commented_code > code / 2 + 2, std::to_string(commented_code) + " lines of commented-out code");
  flaw(f.empty_code_cells > 1, std::to_string(f.empty_code_cells) + " empty code cells");
  if (code == 0) notes.push_back("all text, no code to organise");
  if (good) {
    notes.push_back("markdown introduces the stages; focused cells; no errors or leftovers");
    return scored(3, notes);
  }
  if (f.markdown.size() * 2 < code) notes.push_back("narrative is thin");
  return scored(2, notes);
}

using Rule = Finding (*)(const NotebookFacts&, const Stages&);

const std::map<std::string, Rule, std::less<>>& rules() {
  static const std::map<std::string, Rule, std::less<>> k_rules = {
      {"library_installation", library_installation},
      {"exploratory_data_analysis", exploratory_data_analysis},
      {"data_imputation", data_imputation},
      {"feature_engineering", feature_engineering},
      {"model_training", model_training},
      {"model_use", model_use},
      {"metrics_evaluation", metrics_evaluation},
      {"mlflow_logging", mlflow_logging},
      {"cell_organization", cell_organization},
  };
  return k_rules;
}

std::string join(const std::vector<std::string>& notes) {
  std::string out;
  for (std::size_t i = 0; i < notes.size(); ++i) out += (i ? "; " : "") + notes[i];
  return out;
}

/// The rules score on 1-3; on another scale a rule score s takes the same position, linearly:
/// lo + (s - 1) * (hi - lo) / 2. Empty when all three positions are points of the scale (1..3, 1..5, 0..4,
/// ...), else why the rules cannot score on it (points {1, 5}: the middle would be 3, not a point).
std::string scale_problem(const rubric::Rubric& rubric) {
  if (rubric.scale.empty()) return "";
  const int lo = rubric.min_score(), hi = rubric.max_score();
  if ((hi - lo) % 2 == 0 && rubric.on_scale(lo + (hi - lo) / 2)) return "";
  std::string points;
  for (const auto& p : rubric.scale) points += (points.empty() ? "" : ", ") + std::to_string(p.score);
  return "the heuristic judge's rules score on 1-3 and need a scale whose lowest, middle and highest points "
         "they can map to; this rubric's scale (" +
         points + ") has no middle point; use an LLM judge";
}

}  // namespace

std::vector<std::string> rule_gaps(const rubric::Rubric& rubric) {
  if (auto off_scale = scale_problem(rubric); !off_scale.empty()) return {off_scale};
  std::vector<std::string> unknown;
  for (const auto& d : rubric.dimensions)
    if (!rules().count(d.id)) unknown.push_back("'" + d.id + "'");
  const std::string known = " (it knows the nine ml-notebook dimensions)";
  if (unknown.empty()) return {};
  if (unknown.size() == rubric.dimensions.size() && unknown.size() > 1)
    return {"the heuristic judge has no rules for any of this rubric's " + std::to_string(unknown.size()) +
            " dimensions" + known + ": every item will be unscored; use an LLM judge (" + setting("judge") +
            ")"};
  if (unknown.size() == 1)
    return {"the heuristic judge has no rules for dimension " + unknown.front() + known +
            "; its items will be unscored"};
  std::string list;
  for (const auto& id : unknown) list += (list.empty() ? "" : ", ") + id;
  return {"the heuristic judge has no rules for dimensions " + list + known +
          "; their items will be unscored"};
}

std::vector<Verdict> rule_verdicts(const notebook::Notebook& nb, const rubric::Rubric& rubric) {
  return rule_verdicts(gather_facts(nb), rubric);
}

std::vector<Verdict> rule_verdicts(const NotebookFacts& facts, const rubric::Rubric& rubric) {
  const Stages stages = find_stages(facts);
  const std::string off_scale = scale_problem(rubric);
  std::vector<Verdict> out;
  for (const auto& d : rubric.dimensions) {
    Verdict v;
    v.dimension = d.id;
    const auto rule = rules().find(d.id);
    if (rule == rules().end() || !off_scale.empty()) {
      v.status = Status::unscored;
      v.error = !off_scale.empty() ? off_scale
                                   : "the heuristic judge has no rules for dimension '" + d.id +
                                         "' (it knows the nine ml-notebook "
                                         "dimensions); use an LLM judge for this rubric";
      out.push_back(std::move(v));
      continue;
    }
    Finding r = rule->second(facts, stages);
    if (!r.score && !rubric.allows_na) r.score = 1;  // a rubric without N/A: "not done" is the lowest point
    if (r.score) {
      const double lo = rubric.scale.empty() ? 1 : rubric.min_score();
      const double hi = rubric.scale.empty() ? 3 : rubric.max_score();
      v.status = Status::scored;
      v.score = lo + (*r.score - 1) * (hi - lo) / 2;
    } else {
      v.status = Status::not_applicable;
    }
    v.rationale = join(r.notes);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace judge::scoring
