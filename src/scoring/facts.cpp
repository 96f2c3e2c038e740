// SPDX-License-Identifier: MIT
// The offline judge's named facts: the evidence the heuristic rules read, as a flat vocabulary that learnt
// rules (memory) can name. Each fact is detected the way the rules detect it (rule_vocabulary.hpp), so a
// fact and the rule text that uses the same evidence never disagree.
#include "judge/scoring/facts.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "judge/scoring/heuristic_facts.hpp"
#include "rule_vocabulary.hpp"

namespace judge::scoring {
namespace {

using namespace detail;

const Tokens k_neural = {"Sequential(",         "keras",        "torch.nn",
                         "nn.Module",           "MLP",          "nn.Linear(",
                         ".backward(",          "AutoModelFor", "SentenceTransformer(",
                         "MultilayerPerceptron"};
/// Deep-learning frameworks: importing one and training a model is training a neural network.
const std::set<std::string, std::less<>> k_neural_modules = {"torch", "tensorflow", "keras",
                                                             "jax",   "flax",       "transformers"};
/// CatBoost's overfitting detector (`od_wait`, with `od_type`) is its early stopping.
const Tokens k_early_stopping = {"EarlyStopping(", "EarlyStoppingCallback(", "early_stopping",
                                 "n_iter_no_change", "od_wait"};
const Tokens k_pickle_persist = {"joblib.dump(",      "pickle.dump(", "dill.dump(",
                                 "cloudpickle.dump(", "torch.save(",  "model.save("};
const Tokens k_mlflow_model = {"log_model("};  // and autologging (first_model_autolog)
/// The core scientific Python stack: what every ML notebook environment (Jupyter, Colab, Kaggle, Databricks)
/// has without an install step. matplotlib's distribution ships pylab and mpl_toolkits (mplot3d, axes_grid1).
const std::set<std::string, std::less<>> k_core_stack = {"numpy",   "pandas",  "scipy",   "matplotlib",
                                                         "seaborn", "sklearn", "pyspark", "mlflow",
                                                         "joblib",  "IPython", "pylab",   "mpl_toolkits"};
/// Distribution names that differ from the module's.
const std::map<std::string, std::string, std::less<>> k_distribution = {{"sklearn", "scikit-learn"},
                                                                        {"cv2", "opencv"},
                                                                        {"PIL", "pillow"},
                                                                        {"yaml", "pyyaml"},
                                                                        {"dotenv", "python-dotenv"},
                                                                        {"skimage", "scikit-image"},
                                                                        {"imblearn", "imbalanced-learn"},
                                                                        {"bs4", "beautifulsoup4"},
                                                                        {"skopt", "scikit-optimize"},
                                                                        {"fitz", "pymupdf"},
                                                                        {"Crypto", "pycryptodome"}};
const Tokens k_install = {"pip install", "pip3 install", "conda install", "mamba install"};

/// The packages an install line names, and whether each pins a version: the words after `install` that are
/// not options (`-q`, `--upgrade`; the value of `-c`/`--index-url`-style options is skipped too).
struct Installed {
  std::string name;
  bool pinned = false;
};
/// The lines of `source`, a line that ends in a backslash joined to the next (`!pip install -q \` then
/// `transformers==4.40.0 \` then `datasets==2.19.0` read as one install line), the backslash dropped.
std::vector<std::string> continued_lines(std::string_view source) {
  std::vector<std::string> out;
  bool open = false;
  for (std::string_view raw : util::split_lines(source)) {
    std::string_view line = raw;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
      line.remove_suffix(1);
    const bool continues = !line.empty() && line.back() == '\\';
    if (continues) line.remove_suffix(1);
    if (open)
      out.back().append(" ").append(line);
    else
      out.emplace_back(line);
    open = continues;
  }
  return out;
}

std::vector<Installed> installed_packages(std::string_view line) {
  std::vector<Installed> out;
  // `install` as a word of its own: not the end of `uninstall`
  std::size_t at = line.find("install ");
  while (at != std::string_view::npos && at > 0 && std::isalpha(static_cast<unsigned char>(line[at - 1])))
    at = line.find("install ", at + 1);
  if (at == std::string_view::npos) return out;
  std::string_view rest = line.substr(at + 8);
  // A pipe, a next command, a comment or a redirection ends the list, outside quotes: `> log.txt` and `2>&1`
  // redirect, a version's `>` (`"accelerate>=0.21"`, `x>0.2`) does not.
  {
    char quote = 0;
    std::size_t end = rest.size();
    for (std::size_t i = 0; i < rest.size() && end == rest.size(); ++i) {
      const char ch = rest[i];
      if (quote) {
        if (ch == quote) quote = 0;
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else if (ch == '|' || ch == ';' || ch == '&' || ch == '#') {
        end = i;
      } else if (ch == '>' && (i + 1 >= rest.size() || rest[i + 1] != '=')) {
        // `> log`, `>log`, `2>&1` (a lone stream number), not a version's `x>1.2` or `boto3>=1.28`
        const bool spaced = i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '\t';
        const bool stream = i > 0 && std::isdigit(static_cast<unsigned char>(rest[i - 1])) &&
                            (i == 1 || rest[i - 2] == ' ' || rest[i - 2] == '\t');
        if (spaced || stream) end = i;
      }
    }
    rest = rest.substr(0, end);
  }
  bool skip_value = false;
  while (!rest.empty()) {
    rest = util::trim(rest);
    const std::size_t end = std::min(rest.find_first_of(" \t"), rest.size());
    std::string_view word = rest.substr(0, end);
    rest = rest.substr(end);
    if (word.empty()) break;
    if (skip_value) {
      skip_value = false;
      continue;
    }
    if (word.front() == '-') {
      // Options with a value: -c CHANNEL, -i URL, --index-url URL, -r FILE (read by the caller), ...
      skip_value = word == "-c" || word == "-i" || word == "--index-url" || word == "--extra-index-url" ||
                   word == "-f" || word == "--find-links" || word == "--channel" || word == "-r" ||
                   word == "--requirement" || word == "-t" || word == "--target" ||
                   word == "--upgrade-strategy";
      continue;
    }
    // `xgboost == 2`: a spaced version pins the package before it; `2>&1`: the 2 is a stream, not a package
    if (word == "==" || word == "~=") {
      if (!out.empty()) out.back().pinned = true;
      skip_value = true;
      continue;
    }
    if (std::all_of(word.begin(), word.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      continue;
    if (word.front() == '&' || word.front() == '|' || word.front() == ';' || word.front() == '>') break;
    while (!word.empty() && (word.front() == '"' || word.front() == '\'')) word.remove_prefix(1);
    while (!word.empty() && (word.back() == '"' || word.back() == '\'')) word.remove_suffix(1);
    if (word.empty() || word == "pip") continue;  // `pip install --upgrade pip` installs no package
    // pinned: `x==1.2`, `x~=1.2`, `x @ url`, or conda's `x=1.2` (a `=` before a digit)
    const std::size_t eq = word.find('=');
    const bool conda_pin = eq != std::string_view::npos && eq > 0 && word[eq - 1] != '>' &&
                           word[eq - 1] != '<' && word[eq - 1] != '!' && eq + 1 < word.size() &&
                           std::isdigit(static_cast<unsigned char>(word[eq + 1]));
    out.push_back({std::string(word),
                   contains(word, "==") || contains(word, "~=") || contains(word, "@") || conda_pin});
  }
  return out;
}

bool any(const NotebookFacts& f, const Tokens& tokens) { return f.first_with(tokens).has_value(); }

/// Whether the value given to the name that ends at `end` of `body` turns a setting off: after an optional
/// closing quote (a dict's key), `=` (not `==`) or `:`, then `False`, `None` or `0` as a whole word.
bool set_off(std::string_view body, std::size_t end) {
  std::size_t i = end;
  if (i < body.size() && (body[i] == '"' || body[i] == '\'')) ++i;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
  if (i >= body.size()) return false;
  const bool assigned = body[i] == '=' && (i + 1 >= body.size() || body[i + 1] != '=');
  if (!assigned && body[i] != ':') return false;
  ++i;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
  std::size_t stop = i;
  while (stop < body.size() && is_identifier_char(body[stop])) ++stop;
  const std::string_view value = body.substr(i, stop - i);
  return (value == "False" || value == "None" || value == "0") && (stop >= body.size() || body[stop] != '.');
}

/// Whether the notebook configures early stopping: a k_early_stopping token in a code cell, unless the name
/// holding it is set off (`MLPClassifier(early_stopping=False)`, `XGBClassifier(early_stopping_rounds=None)`,
/// `{"early_stopping_rounds": None}`, `n_iter_no_change=None`: set_off). A callback built
/// (`EarlyStopping(`) always configures it.
bool configures_early_stopping(const NotebookFacts& f) {
  for (const auto& c : f.code)
    for (std::string_view t : k_early_stopping)
      for (auto at = c.body.find(t); at != std::string::npos; at = c.body.find(t, at + 1)) {
        if (t.back() == '(') return true;
        std::size_t end = at + t.size();
        while (end < c.body.size() && is_identifier_char(c.body[end])) ++end;
        if (!set_off(c.body, end)) return true;
      }
  return false;
}

}  // namespace

const std::vector<FactInfo>& fact_vocabulary() {
  using K = FactKind;
  static const std::vector<FactInfo> k_vocabulary = {
      // structure
      {"code_cells", K::count, "code cells with any source", "structure"},
      {"markdown_cells", K::count, "non-empty markdown cells", "structure"},
      {"markdown_headings", K::count, "markdown cells with a heading (`#`, a bold-only line or `<h..>`)",
       "structure"},
      {"code_cells_after_code_share", K::share,
       "share of the code cells whose previous non-empty cell is a code cell, not markdown (the first cell "
       "counts when it is code; 0 without code)",
       "structure"},
      {"empty_code_cells", K::count, "code cells with no source at all", "structure"},
      {"error_cells", K::count, "code cells with an error output (a traceback)", "structure"},
      {"warning_cells", K::count, "code cells whose stream output shows a Python warning", "structure"},
      {"placeholder_cells", K::count, "cells with unfilled blanks (`____`, INSERT-...-HERE, `# Your code`)",
       "structure"},
      {"dead_cells", K::count, "cells whose every line is commented-out code", "structure"},
      {"commented_code_lines", K::count, "comment lines that hold code (`# df.plot()`)", "structure"},
      {"long_cells", K::count, "code cells of more than 60 non-blank lines", "structure"},
      {"databricks", K::boolean,
       "a Databricks source notebook or archive, an ipynb exported from Databricks, or one that calls "
       "dbutils",
       "structure"},
      // libraries
      {"import_cells", K::count, "code cells with an import statement", "libraries"},
      {"late_import_cells", K::count,
       "import cells outside the preamble (after the work starts, or apart from the first import cells)",
       "libraries"},
      {"nested_import", K::boolean, "an import indented inside a function, loop or branch", "libraries"},
      {"wildcard_import", K::boolean, "`from X import *`", "libraries"},
      {"repeated_imports", K::count, "modules imported again in a later cell", "libraries"},
      {"third_party_packages", K::count, "distinct imported top-level modules outside the standard library",
       "libraries"},
      {"nonstandard_packages", K::count,
       "distinct imported modules outside the standard library and the usual ML runtime (numpy, pandas, "
       "sklearn, matplotlib, mlflow, pyspark, ...; on Databricks also xgboost, hyperopt, ...)",
       "libraries"},
      {"packages_beyond_core", K::count,
       "distinct imported modules outside the standard library and the core scientific stack (numpy, pandas, "
       "scipy, matplotlib, seaborn, sklearn, pyspark, mlflow, joblib, IPython)",
       "libraries"},
      {"uninstalled_packages", K::count,
       "packages_beyond_core that no install line of the notebook names (by module or distribution name)",
       "libraries"},
      {"install_cells", K::count, "cells with a pip/conda install", "libraries"},
      {"install_magic", K::boolean, "an install through the `%pip` / `%conda` magic", "libraries"},
      {"install_shell", K::boolean, "an install through the shell (`!pip`, `%sh pip`)", "libraries"},
      {"install_pinned", K::boolean, "an install line pins a version (`==`) or reads a requirements file",
       "libraries"},
      {"install_unpinned", K::boolean, "an install line names a package without a pinned version",
       "libraries"},
      {"import_fails", K::boolean, "an output shows ModuleNotFoundError or ImportError", "libraries"},
      // data
      {"loads_data", K::boolean, "data is read or built (read_csv, spark.read, load_iris, ...)", "scope"},
      {"builtin_data_only", K::boolean, "every data load is a bundled, complete toy data set", "scope"},
      {"data_prep", K::boolean, "the notebook transforms or cleans data itself", "data"},
      {"eda_kinds", K::count,
       "kinds of exploration before modelling: shape/types, summary statistics, missing values, "
       "distributions, plots (any chart), relationships (0-6); a fill value, a missing share, a feature "
       "list or a groupby that builds features is no exploration",
       "exploration"},
      {"eda_findings", K::boolean, "markdown after exploration states what was seen", "exploration"},
      {"missing_value_checks", K::count, "code cells that count or test missing values (isnull, isna, ...)",
       "data"},
      {"summary_checks", K::boolean, "info(), describe() or summary() is called", "data"},
      {"missing_check_before_training", K::boolean,
       "a missing-value check (or info/describe) comes before training starts or in its cell (the first fit "
       "outside a function definition, or the first call, outside any def, of a function that fits or calls "
       "one "
       "that does)",
       "data"},
      {"shows_no_missing", K::boolean,
       "an isnull().sum() output shows only zero counts, or an info() output only complete columns; or "
       "markdown after the data is read states it has no missing values; and nothing is filled or dropped "
       "for gaps, and no output shows one",
       "data"},
      {"imputation_cells", K::count,
       "cells that fill or drop missing values (fillna, SimpleImputer, dropna, ...) or drop columns for them",
       "data"},
      {"imputer_in_pipeline", K::boolean, "an imputer is given to a Pipeline / ColumnTransformer", "data"},
      {"fill_before_split", K::boolean,
       "fill statistics (imputer, mean/median fill) computed before the hold-out split, outside a pipeline "
       "(an imputer in a pipeline exempts only itself)",
       "data"},
      {"imputation_before_split", K::boolean,
       "rows filled or dropped (fillna, dropna, an imputer) before the hold-out split, outside a pipeline "
       "(an imputer in a pipeline exempts only itself)",
       "data"},
      {"blanket_dropna", K::boolean, "dropna() on every column", "data"},
      {"native_nan_model", K::boolean,
       "a model that handles NaN natively (XGBoost, LightGBM, CatBoost, HistGradientBoosting)", "data"},
      // features
      {"encoding", K::boolean, "categorical encoding (get_dummies, OneHotEncoder, StringIndexer, ...)",
       "features"},
      {"scaling", K::boolean,
       "scaling or assembling (StandardScaler, VectorAssembler, log, a z-score or min-max by hand, ...)",
       "features"},
      {"derived_features", K::boolean,
       "derived or selected features made before the model is fitted (PolynomialFeatures, PCA, withColumn, a "
       "new "
       "column computed from others, ...)",
       "features"},
      {"pipeline", K::boolean, "a Pipeline, make_pipeline or ColumnTransformer", "features"},
      {"unseen_categories_handled", K::boolean,
       "handle_unknown='ignore', handleInvalid='keep' or cat_features", "features"},
      {"transform_before_split", K::boolean,
       "an encoder or scaler fitted before the hold-out split, outside a pipeline", "features"},
      {"categoricals_dropped", K::boolean, "object columns dropped with select_dtypes(exclude=object)",
       "features"},
      // training
      {"trains_model", K::boolean, "a model is fitted in the notebook (or by a called training step)",
       "scope"},
      {"packaged_training", K::boolean,
       "training runs in a called package or recipe step, or a notebook run whose name says it trains",
       "scope"},
      {"orchestrated", K::boolean,
       "no estimator in the notebook's own code; it drives packaged steps or a deployed model, or only runs "
       "other notebooks",
       "scope"},
      {"holdout_split", K::boolean, "a hold-out split (train_test_split, randomSplit, a validation frame)",
       "training"},
      {"cross_validation", K::boolean, "cross-validation or a CV search, or a loop that fits each fold",
       "training"},
      {"tuning", K::boolean, "a hyperparameter search (GridSearchCV, hyperopt fmin, optuna, ...)",
       "training"},
      {"seed_set", K::boolean, "a random seed or random_state is set", "training"},
      {"model_families", K::count, "distinct model families (linear, tree, forest, boosting, svm, ...)",
       "training"},
      {"baseline_model", K::boolean, "a baseline model (DummyClassifier / DummyRegressor, ...)", "training"},
      {"neural_network", K::boolean, "a neural network (keras, torch, MLP)", "training"},
      {"early_stopping", K::boolean, "early stopping is configured", "training"},
      {"training_fails", K::boolean, "a cell that fits or trains shows an error", "training"},
      // model use
      {"predicts", K::boolean,
       "the model predicts (predict, predict_proba, score_batch, spark_udf, a PyTorch module called in "
       "evaluation, ...)",
       "use"},
      {"persists_model", K::boolean, "the model is saved (joblib/pickle dump, log_model, save_model, ...)",
       "use"},
      {"persists_with_pickle", K::boolean, "saved with joblib/pickle/torch.save/model.save", "use"},
      {"loads_model", K::boolean, "a model is loaded back or a deployed model is called", "use"},
      // metrics
      {"metric_cells", K::count, "cells that compute a metric", "metrics"},
      {"metric_kinds", K::count, "metric families used (accuracy, precision/recall/F1, ROC-AUC, ...)",
       "metrics"},
      {"metrics_interpreted", K::boolean, "markdown after the metrics discusses them", "metrics"},
      // MLflow
      {"mlflow_used", K::boolean, "any MLflow call, experiment name or MlflowClient", "mlflow"},
      {"mlflow_run", K::boolean, "set_experiment / start_run", "mlflow"},
      {"mlflow_params", K::boolean, "parameters logged (log_param, autolog)", "mlflow"},
      {"mlflow_metrics", K::boolean, "metrics logged (log_metric, mlflow.evaluate, autolog)", "mlflow"},
      {"mlflow_model", K::boolean, "the model logged (log_model, autolog)", "mlflow"},
      {"mlflow_signature", K::boolean, "a signature, input example or registered model name", "mlflow"},
      {"model_registry", K::boolean,
       "the model is registered (register_model, registered_model_name, models:/)", "mlflow"},
  };
  return k_vocabulary;
}

bool fact_informs(const FactInfo& fact, std::string_view dimension) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> k_topics = {
      {"library_installation", {"libraries"}},
      {"exploratory_data_analysis", {"exploration", "data", "scope"}},
      {"data_imputation", {"data", "scope"}},
      {"feature_engineering", {"features", "data", "scope"}},
      {"model_training", {"training", "scope"}},
      {"model_use", {"use", "training", "scope"}},
      {"metrics_evaluation", {"metrics", "training", "scope"}},
      {"mlflow_logging", {"mlflow", "use", "scope"}},
      {"cell_organization", {"structure"}},
  };
  const auto it = k_topics.find(dimension);
  return it == k_topics.end() ||
         std::find(it->second.begin(), it->second.end(), fact.topic) != it->second.end();
}

FactValues notebook_facts(const notebook::Notebook& nb, FactNotes* notes) {
  return notebook_facts(nb, gather_facts(nb), notes);
}

FactValues notebook_facts(const notebook::Notebook& nb, const NotebookFacts& f, FactNotes* notes) {
  const Stages s = find_stages(f);
  FactValues v;
  for (const auto& info : fact_vocabulary()) v[info.name] = 0;
  auto b = [](bool x) { return x ? 1.0 : 0.0; };

  // structure
  v["code_cells"] = static_cast<double>(f.code.size());
  v["markdown_cells"] = static_cast<double>(f.markdown.size());
  double headings = 0, after_code = 0;
  for (const auto& m : f.markdown) headings += m.heading;
  {
    bool previous_markdown = false;
    for (const auto& c : nb.cells) {
      if (util::trim(c.source).empty()) continue;
      if (c.type == notebook::CellType::markdown) {
        previous_markdown = true;
        continue;
      }
      if (c.type != notebook::CellType::code) continue;
      after_code += !previous_markdown;
      previous_markdown = false;
    }
  }
  v["markdown_headings"] = headings;
  v["code_cells_after_code_share"] = f.code.empty() ? 0 : after_code / static_cast<double>(f.code.size());
  v["empty_code_cells"] = static_cast<double>(f.empty_code_cells);
  for (const auto& c : f.code) {
    v["error_cells"] += !c.error.empty();
    v["warning_cells"] += c.warning;
    v["placeholder_cells"] += c.placeholder;
    v["dead_cells"] += c.dead;
    v["commented_code_lines"] += static_cast<double>(c.commented_code);
    v["long_cells"] += c.lines > 60;
    v["import_cells"] += !c.modules.empty();
    v["install_cells"] += c.install;
    if (contains_any(c.error, {"ModuleNotFoundError", "ImportError"})) v["import_fails"] = 1;
    if (c.nested_import) v["nested_import"] = 1;
    if (c.wildcard_import) v["wildcard_import"] = 1;
  }
  v["databricks"] = b(f.databricks);

  // libraries: install lines, read from the sources (CodeFacts keeps one flag per cell)
  bool requirements = false;  // an install reads a requirements file: it may install anything
  std::string installs;       // every install line, lower case
  for (const auto& c : nb.cells) {
    if (c.type != notebook::CellType::code) continue;
    // A shell cell (`%sh`, `%%bash`, `%%sh`) runs its lines in the shell.
    std::string_view cell_magic = c.magic;
    while (!cell_magic.empty() && cell_magic.front() == '%') cell_magic.remove_prefix(1);
    const std::string_view first_line = util::trim(std::string_view(c.source).substr(0, c.source.find('\n')));
    const bool shell_cell = cell_magic == "sh" || cell_magic == "bash" || cell_magic == "script" ||
                            util::starts_with(first_line, "%%bash") ||
                            util::starts_with(first_line, "%%sh") ||
                            util::starts_with(first_line, "%%script");
    for (const std::string& joined : continued_lines(c.source)) {
      const std::string_view line = util::trim(joined);
      const std::string lower = util::to_lower(line);
      if (!contains_any(lower, k_install)) continue;
      if (line.empty() || line.front() == '#') continue;
      const bool magic = c.magic == "pip" || c.magic == "conda" || util::starts_with(line, "%pip") ||
                         util::starts_with(line, "%conda") || util::starts_with(line, "%mamba");
      const bool shell = util::starts_with(line, "!") || shell_cell || util::starts_with(line, "%sh");
      if (magic) v["install_magic"] = 1;
      if (shell) v["install_shell"] = 1;
      const bool reads_file = contains(line, "-r ") || contains(line, "--requirement") ||
                              contains(lower, "requirements") || contains(line, "environment.y");
      requirements = requirements || reads_file;
      if (reads_file) v["install_pinned"] = 1;
      // Each package named on the line: pinned (`x==1.2`) or not (`x`, `x>=1.2`).
      for (const auto& p : installed_packages(line)) v[p.pinned ? "install_pinned" : "install_unpinned"] = 1;
    }
  }
  {
    // Packages named by an install line anywhere, markdown instructions included (a version note).
    for (const auto& c : nb.cells)
      for (const std::string& joined : continued_lines(c.source))
        if (const std::string lower = util::to_lower(util::trim(joined));
            contains_any(lower, k_install) && !util::starts_with(lower, "#"))
          installs += lower + "\n";
    std::set<std::string> beyond;
    for (const auto& c : f.code)
      for (const auto& m : c.modules)
        if (f.python && !c.other_language && !k_stdlib.count(m) && !k_core_stack.count(m)) beyond.insert(m);
    v["packages_beyond_core"] = static_cast<double>(beyond.size());
    std::string uninstalled;
    for (const auto& m : beyond) {
      const auto dist = k_distribution.find(m);
      // pip treats - and _ alike in names (PEP 503): ibm-watson-machine-learning installs
      // ibm_watson_machine_learning.
      std::string dashed = util::to_lower(m);
      std::replace(dashed.begin(), dashed.end(), '_', '-');
      const bool named = requirements || contains(installs, util::to_lower(m)) ||
                         contains(installs, dashed) ||
                         (dist != k_distribution.end() && contains(installs, util::to_lower(dist->second)));
      v["uninstalled_packages"] += !named;
      if (!named) uninstalled += (uninstalled.empty() ? "" : ", ") + m;
    }
    if (notes) {
      std::string all;
      for (const auto& m : beyond) all += (all.empty() ? "" : ", ") + m;
      if (!all.empty()) (*notes)["packages_beyond_core"] = all;
      if (!uninstalled.empty()) (*notes)["uninstalled_packages"] = uninstalled;
    }
  }
  v["late_import_cells"] = static_cast<double>(late_imports(f, s).size());
  const auto packages = package_problems(f);
  v["repeated_imports"] = static_cast<double>(packages.repeated.size());
  v["nonstandard_packages"] = static_cast<double>(packages.nonstandard.size());
  std::set<std::string> third;
  for (const auto& c : f.code)
    for (const auto& m : c.modules)
      if (f.python && !c.other_language && !k_stdlib.count(m)) third.insert(m);
  v["third_party_packages"] = static_cast<double>(third.size());
  if (notes) {  // the modules each package count counts, by name (sorted), so a reader can check the count
    const auto names = [](const auto& modules) {
      const std::set<std::string> sorted(modules.begin(), modules.end());
      std::string text;
      for (const auto& m : sorted) text += (text.empty() ? "" : ", ") + m;
      return text;
    };
    for (const auto& [fact, modules] : {std::pair{"repeated_imports", names(packages.repeated)},
                                        {"nonstandard_packages", names(packages.nonstandard)},
                                        {"third_party_packages", names(third)}})
      if (!modules.empty()) (*notes)[fact] = modules;
  }

  // data
  v["loads_data"] = b(s.data_load.has_value());
  v["builtin_data_only"] = b(s.builtin_data_only);
  v["data_prep"] = b(s.data_prep);
  {
    const int stop = s.modelling.value_or(1 << 30);
    int first_eda = 1 << 30;
    for (const auto& [kind, cell] : exploration_before_modelling(f, s)) {
      v["eda_kinds"] += 1;
      first_eda = std::min(first_eda, cell);
    }
    for (const auto& m : f.markdown)
      if (m.number > first_eda && m.number < stop && states_finding(m)) v["eda_findings"] = 1;
  }
  const auto checks = missing_check_cells(f);
  v["missing_value_checks"] = static_cast<double>(checks.size());
  std::optional<int> first_summary;
  for (const auto& c : f.code)
    if (!first_summary && data_summary(c.body, s.models)) first_summary = c.number;
  v["summary_checks"] = b(first_summary.has_value());
  {
    std::optional<int>
        first_check;  // set, not a ?: of optionals, which GCC 12 -O2 warns may be uninitialised
    if (!checks.empty()) first_check = checks.front();
    // Training starts at the first fit outside a function definition, or the first call of a def that fits
    // (a def may fit long before it is called). A check in the training cell itself counts: it is read first.
    const int fit = s.modelling.value_or(s.fit.value_or(1 << 30));
    v["missing_check_before_training"] =
        b((first_check && *first_check <= fit) || (first_summary && *first_summary <= fit));
  }
  // The data shows no gap only when, as data_imputation's rule asks, nothing is filled or dropped for gaps
  // and no output shows one: a count of zeros after a fill or beside a count of gaps speaks of the filled
  // data, and a statement after a fill of the filled data too.
  const bool complete = imputation_cells(f).empty() && !shows_missing(f);
  if (complete)
    for (const auto& c : f.code)
      if (output_shows_no_missing(c) || info_shows_no_missing(c)) v["shows_no_missing"] = 1;
  // Or stated, as the rubric's N/A reads ("checks or states it") and data_imputation's rule takes it: a
  // markdown cell after the data is read says it has no missing values (states_no_missing).
  if (complete && s.data_load)
    for (const auto& m : f.markdown)
      if (m.number > *s.data_load && states_no_missing(m)) v["shows_no_missing"] = 1;
  v["imputation_cells"] = static_cast<double>(imputation_cells(f).size());
  const auto pipes = pipeline_cells(f);
  const bool in_pipeline = imputer_in_pipeline(f);
  v["imputer_in_pipeline"] = b(in_pipeline);
  v["fill_before_split"] =
      b(!before_split_outside_pipeline(f, fill_statistic_cells(f, s), s, in_pipeline, FillKind::statistic)
             .empty());
  v["imputation_before_split"] =
      b(!before_split_outside_pipeline(f, filling_cells(f), s, in_pipeline, FillKind::any).empty());
  v["blanket_dropna"] = b(std::any_of(f.code.begin(), f.code.end(),
                                      [](const CodeFacts& c) { return dropna_use(c.body).blanket; }));
  v["native_nan_model"] = b(s.model && any(f, k_missing_native));

  // features
  v["encoding"] = b(!encoding_cells(f).empty());
  v["scaling"] = b(!scaling_cells(f).empty());
  v["derived_features"] = b(!derived_feature_cells(f, s).empty());
  v["pipeline"] = b(!pipes.empty());
  v["unseen_categories_handled"] =
      b(any(f, {"handle_unknown='ignore'", "handle_unknown=\"ignore\"", "handle_unknown='infrequent",
                "handleInvalid='keep'", "handleInvalid=\"keep\"", "cat_features"}));
  v["transform_before_split"] = b(!transform_before_split_cells(f, s).empty());
  v["categoricals_dropped"] =
      b(any(f, {"exclude=['object']", "exclude=[\"object\"]", "exclude='object'", "exclude=\"object\""}));

  // training
  v["trains_model"] = b(s.trained);
  v["packaged_training"] = b(s.packaged);
  v["orchestrated"] = b(s.orchestrated);
  v["holdout_split"] = b(s.holdout.has_value() || validation_set_cell(f));
  v["cross_validation"] = b(s.cv.has_value());
  v["tuning"] = b(any(f, k_tuning));
  v["seed_set"] = b(any(f, k_seed));
  const auto families = model_families(f);
  for (const auto& name : families)
    if (name != "baseline") v["model_families"] += 1;  // baseline_model is its own fact
  v["baseline_model"] = b(families.count("baseline") > 0);
  {
    bool framework = false;
    for (const auto& c : f.code)
      for (const auto& m : c.modules) framework = framework || k_neural_modules.count(m) > 0;
    v["neural_network"] = b(any(f, k_neural) || (framework && s.trained));
  }
  v["early_stopping"] = b(configures_early_stopping(f));
  for (const auto& c : f.code)
    if (fails_training(c)) v["training_fails"] = 1;

  // model use
  v["predicts"] = b(!predict_cells(f).empty());
  v["persists_model"] =
      b(std::any_of(f.code.begin(), f.code.end(), [](const CodeFacts& c) { return persists_in(c.body); }) ||
        first_model_autolog(f));
  v["persists_with_pickle"] =
      b(any(f, k_pickle_persist) || std::any_of(f.code.begin(), f.code.end(),
                                                [](const CodeFacts& c) { return calls_bare_dump(c.body); }));
  v["loads_model"] = b(s.loaded_model.has_value());

  // metrics
  const auto metric_cells = detail::metric_cells(f, s);
  v["metric_cells"] = static_cast<double>(metric_cells.size());
  for (const auto& kind : k_metric_kinds) v["metric_kinds"] += uses_metric_kind(f, kind, s);
  if (!metric_cells.empty())
    for (const auto& m : f.markdown)
      if (m.number > metric_cells.front() && interprets_metrics(m)) v["metrics_interpreted"] = 1;

  // MLflow
  v["mlflow_used"] = b(any(f, k_mlflow_any));
  v["mlflow_run"] = b(any(f, {"set_experiment(", "start_run(", "experiment_id"}));
  v["mlflow_params"] = b(first_params_log(f).has_value());
  v["mlflow_metrics"] = b(any(f, {"log_metric", "mlflow.evaluate("}) || first_metrics_autolog(f));
  v["mlflow_model"] = b(any(f, k_mlflow_model) || first_model_autolog(f));
  v["mlflow_signature"] =
      b(any(f, {"signature", "input_example", "register_model(", "registered_model_name"}));
  v["model_registry"] = b(any(f, {"register_model(", "registered_model_name", "models:/"}));
  return v;
}

std::string format_fact(const FactInfo& info, double value) {
  if (info.kind == FactKind::boolean) return value != 0 ? "yes" : "no";
  char buf[32];
  // a share with 4 significant digits: a learnt threshold such as 0.33 must not look equal to 1/3
  std::snprintf(buf, sizeof buf, info.kind == FactKind::share ? "%.4g" : "%.0f", value);
  return buf;
}

}  // namespace judge::scoring
