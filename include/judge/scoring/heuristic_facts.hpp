// SPDX-License-Identifier: MIT
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/notebook/notebook.hpp"

namespace judge::scoring {

/// What the heuristic rules know about one code cell (gathered once per notebook).
struct CodeFacts {
  int number = 0;  ///< the cell's number in the notebook (as cited in rationales)
  /// Code without comment lines, import lines and `%`/`!` line magics (of a timing or profiling magic,
  /// `%time model.fit(X, y)`, the statement it runs is kept); import aliases are resolved
  /// (NotebookFacts::aliases), and trailing comments are blanked (each of their bytes a space: `x = 1  #
  /// df.isnull()` reads `x = 1` and spaces), so that no token search reads a comment. String literals are
  /// kept.
  std::string body;
  /// body with its trailing comments, byte for byte where body has spaces: for the one fact that reads what
  /// a line's comment says (a column drop "# mostly NaN" is tied to missing values, missing_drop_cells).
  std::string body_with_comments;
  std::vector<std::string> modules;  ///< top-level modules imported in this cell, in order ("sklearn", ...)
  std::string imports;               ///< the cell's import statements, one a line
  bool wildcard_import = false;      ///< `from X import *`
  bool nested_import = false;        ///< an import indented inside a function, loop or branch
  bool sql = false;                  ///< a SQL cell (`%sql` magic, `%%sql`, `spark.sql(...)`)
  /// The cell runs another language than Python (a `%scala`, `%r`, `%sql`, `%sh` cell magic): its imports are
  /// no Python packages.
  bool other_language = false;
  bool install = false;            ///< pip/conda install (`%pip` cell, `!pip`, `%sh pip`)
  bool pinned = false;             ///< an install line pins a version ("==") or reads a requirements file
  bool comment_header = false;     ///< the cell begins with a comment line
  bool placeholder = false;        ///< unfilled blanks: `____`, "INSERT-...-HERE", `#%%RM_IF`, "# Your code"
  std::size_t commented_code = 0;  ///< comment lines that hold code (`# df.plot()`, `#x = 1`)
  bool dead = false;               ///< every line of the cell is commented out
  std::size_t lines = 0;           ///< non-blank source lines
  std::string error;               ///< "Name: value" of the first error output; empty when none
  bool only_error = false;         ///< the cell has outputs and every one is an error: it showed nothing
  bool warning = false;            ///< an output shows a Python warning (UserWarning, FutureWarning, ...)
  std::string output;              ///< all output text of the cell, joined
};

/// What the heuristic rules know about one markdown cell.
struct MarkdownFacts {
  int number = 0;
  std::size_t words = 0;
  bool heading = false;  ///< has a `#` heading line (or a bold-only title line)
  std::string lower;     ///< the text in lower case
};

/// Static evidence from one notebook, gathered once and shared by all dimension rules.
struct NotebookFacts {
  std::vector<CodeFacts> code;          ///< code cells with any non-blank source, document order
  std::vector<MarkdownFacts> markdown;  ///< non-empty markdown cells, document order
  std::size_t cells = 0;                ///< all cells, including empty ones
  std::size_t empty_code_cells = 0;     ///< code cells with no source at all
  bool databricks = false;              ///< Databricks source/archive, or dbutils calls
  bool python = true;                   ///< the notebook's language is Python (or not stated)
  /// Import aliases resolved in every body (alias -> the name read instead): `tts` -> `train_test_split`
  /// after `from sklearn.model_selection import train_test_split as tts`, `npy` -> `np` after
  /// `import numpy as npy`.
  std::map<std::string, std::string, std::less<>> aliases;

  /// Numbers of the code cells whose body contains any of `tokens` (case-sensitive substrings).
  std::vector<int> cells_with(const std::vector<std::string_view>& tokens) const;
  /// The first such cell, if any.
  std::optional<int> first_with(const std::vector<std::string_view>& tokens) const;
  /// The code cell numbered `number`; nullptr when there is none.
  const CodeFacts* cell(int number) const;
};

/// Gathers the facts of `nb`. Never throws for odd content (any text is accepted).
NotebookFacts gather_facts(const notebook::Notebook& nb);

}  // namespace judge::scoring
