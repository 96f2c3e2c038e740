// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace judge::notebook {

/// What a cell holds. Databricks `%md` cells and Jupytext `[markdown]` cells are `markdown`; `%sql`, `%sh`,
/// `%pip`, `%run` cells are `code` with `magic` set; v3 `heading` cells become `markdown` ("# " prefixed).
enum class CellType { code, markdown, raw };

/// "code", "markdown" or "raw".
const char* to_string(CellType type);

/// The file format a notebook was read from; one reader each (formats.hpp: the table of readers).
enum class Format { ipynb, databricks, jupytext, dbc };

/// The format's name as judge prints it: "ipynb", "databricks", "jupytext" or "dbc".
const char* to_string(Format format);

/// One output of a code cell, already trimmed to what a judge needs.
struct Output {
  /// nbformat output_type: "stream", "display_data", "execute_result" or "error".
  std::string kind;
  /// Text shown to a judge: stream text, text/plain of results, or a placeholder such as
  /// "[image/png output, 12.3 KiB]" for binary data; ANSI escape codes removed; cut with a visible marker
  /// ("... [truncated N chars]") past ReadOptions::max_output_chars.
  std::string text;
  /// For kind == "error": the exception name and value (e.g. "KeyError", "'Age'").
  std::string ename;
  std::string evalue;
};

/// One cell, numbered from 1 in document order (the number judges and rationales cite).
struct Cell {
  int number = 0;
  CellType type = CellType::code;
  /// Cell source with comment prefixes removed: Databricks `# MAGIC ` and Jupytext markdown `# `. A markdown
  /// cell loses its `%md` line marker (the source is the markdown text); a code cell with a magic keeps it as
  /// written (`%pip install x`, `%sql SELECT ...`), as the same cell in a Jupyter notebook would.
  std::string source;
  /// The cell magic without '%' for Databricks/IPython cell magics ("md", "pip", "sql", "sh", "run",
  /// "python", "scala", "r", ...); empty for plain code.
  std::string magic;
  /// Databricks `# DBTITLE` or Jupytext `# %% title`; empty when absent.
  std::string title;
  std::optional<int> execution_count;
  std::vector<Output> outputs;
};

/// A notebook in one neutral shape, whatever file it came from.
struct Notebook {
  /// Path as the user gave it; a notebook inside a `.dbc` archive is "ARCHIVE.dbc!/path/inside".
  std::string path;
  /// The notebook named independently of where the command runs and how its path was typed (read_path
  /// sets it): relative to the folder argument it was found under ("sub/x.ipynb"), or the file name for a
  /// file argument ("x.ipynb"); "ARCHIVE.dbc!/path/inside" likewise. Prompts name the notebook by it, so a
  /// cached reply replays from any checkout. Empty: not set (use `path`).
  std::string name;
  /// The format of the file it was read from.
  Format format = Format::ipynb;
  /// For ipynb: "MAJOR.MINOR" of nbformat (e.g. "4.5", "3.0"); empty otherwise.
  std::string nbformat;
  /// Kernel or notebook language, lower case ("python", "r", "scala", "sql", "julia"); empty if unknown.
  std::string language;
  /// For ipynb: exported from a Databricks workspace (its notebook metadata holds
  /// "application/vnd.databricks.v1+notebook", as Databricks writes it); false otherwise.
  bool databricks_export = false;
  std::vector<Cell> cells;

  std::size_t count(CellType type) const;
};

/// How outputs are trimmed when reading.
struct ReadOptions {
  /// Longest text kept per output, in bytes (cut on a UTF-8 boundary, marker appended).
  std::size_t max_output_chars = 1500;
  /// Most outputs kept per cell; the rest are summarised in one marker output.
  std::size_t max_outputs_per_cell = 8;
};

/// A file or archive member that could not be read as a notebook.
struct ReadError {
  std::string path;    ///< as Notebook::path would be: the file, or "ARCHIVE.dbc!/member"
  std::string reason;  ///< what is wrong, e.g. "not valid JSON (is the file truncated?)"
  /// "PATH: REASON", one line.
  std::string message() const { return path + ": " + reason; }
};

/// Result of reading one path: notebooks read (a `.dbc` archive yields several) and the files or archive
/// members that could not be read, in the order met.
struct ReadResult {
  std::vector<Notebook> notebooks;
  std::vector<ReadError> errors;
};

/// True when `path` is a file that judge takes as a notebook when it walks a folder (detect_format with
/// `walking`): `*.ipynb`; `*.dbc`; a `*.py` (or `.scala`, `.sql`, `.r`) whose first line is "# Databricks
/// notebook source" (or the language's comment form); a `*.py` with a Jupytext percent marker line ("# %%").
/// A plain `.py` with neither marker is not one.
bool is_notebook_file(const std::filesystem::path& path);

/// Reads one file (any supported format, decided by detect_format: extension and content). Never throws for
/// bad content: a file that cannot be read is reported in ReadResult::errors (its path and the reason).
ReadResult read_file(const std::filesystem::path& path, const ReadOptions& options = {});

/// Reads every notebook under `path`: a file is read directly (even without a marker, if its format can be
/// detected); a folder is walked recursively in sorted order, taking files for which is_notebook_file holds
/// and skipping hidden folders and `.ipynb_checkpoints`. Sets each notebook's Notebook::name.
ReadResult read_path(const std::filesystem::path& path, const ReadOptions& options = {});

/// Parses ipynb JSON text (nbformat 2, 3 or 4.x). `name` is used in error messages and Notebook::path.
/// Throws judge::Error("NAME: reason") when the text is not a notebook.
Notebook parse_ipynb(const std::string& text, const std::string& name, const ReadOptions& options = {});

/// Parses a Databricks source notebook (`# Databricks notebook source`, `# COMMAND ----------`, `# MAGIC`,
/// `# DBTITLE 1,Title`; or the `-- ` (SQL) and `// ` (Scala) comment forms). One cell per separator-delimited
/// chunk, empty cells kept; `.r` names give language "r". Code is never parsed (a template still reads).
/// Throws judge::Error("NAME:1: reason") when the first line is not a Databricks header.
Notebook parse_databricks_source(const std::string& text, const std::string& name,
                                 const ReadOptions& options = {});

/// Parses a Jupytext percent script (`# %%`, `# %% Title [markdown] {"meta": 1}`, `[md]`, `[raw]`, `# %%%`
/// sub-cells). Markdown and raw cells lose their `# ` prefixes; a leading `# ---` YAML header with `jupyter:`
/// is metadata (its `language:` is the notebook's), without it a raw cell. Throws judge::Error("NAME:
/// reason") when there is no marker line. `options` is unused (a percent script has no outputs); it makes the
/// signature that of every text reader (formats.hpp).
Notebook parse_jupytext_percent(const std::string& text, const std::string& name,
                                const ReadOptions& options = {});

/// Renders a notebook as `judge notebook show` prints it: a header line "PATH (FORMAT [NBFORMAT], LANGUAGE,
/// N cells)", then per cell "--- cell N [TYPE %MAGIC] TITLE", its source, and each output as
/// ">>> KIND [ENAME: EVALUE]" followed by its trimmed text. `cell_notes` (cell number -> one line) adds
/// "!!! NOTE" right under a cell's "--- cell N" line.
std::string render_text(const Notebook& nb, const std::map<int, std::string>& cell_notes = {});

}  // namespace judge::notebook
