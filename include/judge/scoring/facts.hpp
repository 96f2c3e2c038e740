// SPDX-License-Identifier: MIT
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "judge/notebook/notebook.hpp"
#include "judge/scoring/heuristic_facts.hpp"

namespace judge::scoring {

/// How a fact's value reads: a yes/no (1 or 0), a count (0, 1, 2, ...) or a share (0 to 1).
enum class FactKind { boolean, count, share };

/// One named fact of the offline judge's vocabulary (docs/facts.md lists them all).
struct FactInfo {
  std::string name;         ///< snake_case, e.g. "trains_model"
  FactKind kind;            ///< how the value reads
  std::string description;  ///< what it means and how it is detected, one sentence
  /// structure, libraries, data, features, training, use, metrics, mlflow, or scope (whether there is data
  /// or a model at all: what N/A decisions turn on)
  std::string topic;
};

/// Whether `fact` bears on `dimension` of the ml-notebook rubric (the facts of the topics its rubric text
/// speaks of; scope facts for every dimension with an N/A case). A dimension of another rubric: every fact.
/// Learnt rules of a dimension use only the facts that bear on it, which keeps chance splits on unrelated
/// evidence out of rules fitted on a few dozen labels.
bool fact_informs(const FactInfo& fact, std::string_view dimension);

/// The vocabulary, in a fixed order (mostly grouped by topic; exploration's facts sit among data's). Besides
/// these, a learnt rule may use `rule_score`: the heuristic rules' own score for the dimension being judged
/// (0 when they say N/A).
const std::vector<FactInfo>& fact_vocabulary();

/// A notebook's facts: every name of fact_vocabulary() mapped to its value (booleans 0 or 1).
using FactValues = std::map<std::string, double>;

/// What stands behind some counts, for people: fact name -> the items counted, sorted, comma-separated (for
/// now the package facts: third_party_packages, nonstandard_packages, packages_beyond_core,
/// uninstalled_packages and repeated_imports; "packages_beyond_core" -> "statsmodels, xgboost"). Facts with
/// nothing counted are absent.
using FactNotes = std::map<std::string, std::string>;

/// The facts of `nb`, computed from the same static evidence as the heuristic rules (code without comments,
/// imports, installs, outputs, markdown); with `notes`, also what some counts count. Never throws for odd
/// content.
FactValues notebook_facts(const notebook::Notebook& nb, FactNotes* notes = nullptr);

/// The same, from evidence already gathered from `nb` (gather_facts(nb)): the heuristic judge gathers it
/// once for its rules and its facts.
FactValues notebook_facts(const notebook::Notebook& nb, const NotebookFacts& evidence,
                          FactNotes* notes = nullptr);

/// "yes"/"no" for booleans, the number otherwise (shares with two decimals).
std::string format_fact(const FactInfo& info, double value);

}  // namespace judge::scoring
