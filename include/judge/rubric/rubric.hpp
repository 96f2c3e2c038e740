// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace judge::rubric {

/// One point of the scale ("3", "good").
struct ScalePoint {
  int score = 0;
  std::string name;
  std::string meaning;  ///< what the point means across dimensions
};

/// A dimension's description of one scale point.
struct LevelText {
  int score = 0;
  std::string description;
};

struct Dimension {
  std::string id;                 ///< snake_case identifier, e.g. "model_training"
  std::string title;              ///< human title, e.g. "Model Training"
  std::string description;        ///< what the dimension covers
  std::vector<LevelText> levels;  ///< one per scale point, highest first
  std::string not_applicable;     ///< when N/A applies; empty when the rubric has no N/A
  /// Words that mark a notebook cell as relevant to the dimension (lower case; matched as substrings of the
  /// cell's lower-cased source and outputs): what an LLM judge's prompt keeps first when a notebook is over
  /// its token budget (prompt::dimension_keywords). Optional; may be empty.
  std::vector<std::string> keywords;
  const LevelText* level(int score) const;
};

/// A rubric: a scale (integer points, optional N/A) and the dimensions scored on it.
/// File format: docs/rubric-format.md; the default is rubrics/ml-notebook.yaml, compiled into the binary.
struct Rubric {
  std::string id;
  std::string title;
  std::string description;
  std::vector<ScalePoint> scale;  ///< sorted by score, ascending
  bool allows_na = false;
  std::vector<Dimension> dimensions;
  std::string source;  ///< file path, or "<built-in>"
  std::string hash;    ///< sha256 of the file text (provenance)

  int min_score() const { return scale.front().score; }
  int max_score() const { return scale.back().score; }
  bool on_scale(int score) const;
  const Dimension* find(const std::string& id) const;
};

/// Parses rubric YAML text. Collects every problem (missing field, duplicate id, level off the scale, ...)
/// and throws one judge::Error listing them all as "NAME:LINE: what is wrong", one per line.
Rubric parse_rubric(const std::string& yaml_text, const std::string& name);

/// Reads and parses a rubric file; errors as parse_rubric (or the file cannot be read). The built-in rubric's
/// id ("ml-notebook", the name every output prints) is the built-in rubric (default_rubric()) when no file of
/// that name exists: a file on disk wins. The one place a rubric named on the command line or in a
/// configuration is loaded, so every command that takes a rubric file takes the name.
Rubric load_rubric(const std::filesystem::path& path);

/// The built-in rubric (rubrics/ml-notebook.yaml as compiled in).
const Rubric& default_rubric();

/// The did-you-mean of an unknown dimension `id`: "did you mean \"model_training\"?" naming the dimensions of
/// `rubric` a few edits from it (util::closest_names; "\"a\" or \"b\"" for two, "\"a\", \"b\" or \"c\"" for
/// three), "" when none is near. select_dimensions and judge label's saves word it so.
std::string did_you_mean_dimension(const Rubric& rubric, std::string_view id);

/// Restricts `rubric` to the comma-separated dimension ids in `list` (in rubric order; spaces around an id
/// are ignored). Throws judge::Error (usage) naming an unknown id, the ids a few edits away
/// (util::closest_names: "did you mean \"model_training\"?") and listing the valid ones.
Rubric select_dimensions(const Rubric& rubric, const std::string& list);

}  // namespace judge::rubric
