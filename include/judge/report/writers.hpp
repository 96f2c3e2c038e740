// SPDX-License-Identifier: MIT
#pragma once
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "judge/measure/gates.hpp"
#include "judge/measure/measure.hpp"

namespace judge::report {

/// Writes a measurement and its gate results in one format.
using WriteFn = void (*)(std::ostream& out, const measure::Measurement& measurement,
                         const std::vector<measure::GateResult>& gates);

/// One report format: the plug point that judge report's and judge validate's --format choices come from.
/// Adding a format is one entry in formats() and its writer.
struct Format {
  std::string_view name;
  WriteFn write;
};

/// Every report format, in the order --format lists them:
///  - "table": aligned text per judge (metrics per dimension, then comparison and calibration when present);
///  - "json": one object, schema_version 1, keys in a fixed order (see docs in write_json); NaN is null; each
///    judge's "flagged" lists its flagged notebooks ({item, flags, injection_cells, scores: [{dimension,
///    status, score, human (when labelled: a number or "N/A")}]});
///  - "markdown": the same tables in GitHub Markdown;
///  - "html": one self-contained page (write_html);
///  - "junit": JUnit XML, one testsuite per judge, one testcase per dimension plus "(mean)"; a failed gate
///    becomes a <failure> of its dimension's testcase (or of "(mean)");
///  - "csv": one row per judge and dimension plus a "(mean)" row per judge (RFC 4180).
/// A measurement with a cross-validation part (judge validate) gets it too: in front of the tables (table,
/// markdown), as a section before the judges' (html), as a "validate" object after "gates" (json); csv and
/// junit write the conditions as judges.
const std::vector<Format>& formats();

/// The names of formats(), in order: the CLI's --format choices.
std::vector<std::string> format_names();

/// "table|json|markdown|html|junit|csv": the names joined by `separator`.
std::string format_list(std::string_view separator = "|");

/// Writes the measurement in `format` (a name of formats()). Throws judge::Error (usage) for another name.
void write_report(std::ostream& out, const measure::Measurement& measurement,
                  const std::vector<measure::GateResult>& gates, const std::string& format);

/// The measurement as one HTML file with no external resource: inline CSS, an inline SVG chart of MAE per
/// dimension with confidence-interval whiskers (raw and calibrated when calibrated), confusion matrices, and
/// the largest disagreements with the judge's rationale beside the human feedback; for judge validate the
/// cross-validation section (summary, learning-curve table and chart) before the judges'. All text is
/// HTML-escaped.
void write_html(std::ostream& out, const measure::Measurement& measurement,
                const std::vector<measure::GateResult>& gates);

/// A table of text cells: used by the text, Markdown and HTML writers.
struct Section {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// As text, the last column goes on a line of its own under each row, indented (a long text, such as a
  /// learnt rule, that would widen every row); Markdown and HTML keep it a column.
  bool last_below = false;
  /// As text, a first column too wide beside the others wraps at its spaces (a list of notebooks, every one
  /// kept) rather than being elided in its middle (a path).
  bool wrap_first = false;
  /// As text, the first column holds notebook paths: a table too wide elides them in their middle (to 40
  /// columns at least) before it splits its other columns into blocks, so a row stays on one line.
  bool paths_first = false;
};

/// Writes one table as text ("table": the title wrapped at 100 columns; first column left-aligned, the others
/// right-aligned; a column empty on every row left out; within 120 columns, util::format_table: a wider
/// table in blocks of its columns, a first column too wide elided or wrapped), GitHub Markdown ("markdown")
/// or an HTML <h3> title and <table> ("html"). Throws judge::Error (usage) for another format.
void write_section(std::ostream& out, const Section& section, const std::string& format);

/// The tables of one judge's measurement, in display order; the last lists the flagged notebooks
/// (JudgeMeasurement::flagged: notebook, injection cells and flags on its first row, then a row per record
/// with the judge's score and the resolved human score) when there are any.
std::vector<Section> sections(const measure::Measurement& measurement,
                              const measure::JudgeMeasurement& judge);

/// judge validate's tables, in display order: the summary (per dimension, a row per condition: its MAE with
/// its confidence interval and its paired change from baseline, "*" = significant), the N/A agreement per
/// condition (when any pair involves an N/A), the learnt rules in the folds, the near-duplicate groups and,
/// with a learning curve, its table. Empty without measurement.cross_validation.
std::vector<Section> cross_validation_sections(const measure::Measurement& measurement);

/// judge validate's conclusion, one line a condition compared with baseline, for the end of the text and
/// Markdown output: its mean of MAEs against baseline's, the paired change with its interval and whether it
/// is significant, and the dimensions it makes significantly better and significantly worse ("both: mean of
/// MAEs 0.308 -> 0.187, change -0.140 [-0.19, -0.08], significant; significantly better on
/// library_installation, cell_organization; significantly worse on none"). Empty without
/// measurement.cross_validation or a compared condition.
std::vector<std::string> cross_validation_conclusion(const measure::Measurement& measurement);

/// `s` with & < > " ' replaced by entities (XML and HTML text and attributes).
std::string xml_escape(const std::string& s);

/// `x` with `digits` decimals; "n/a" for NaN. Every fixed-decimal number of the reports goes through it: a
/// value that rounds to zero prints without a sign ("0.000", never "-0.000").
std::string format_number(double x, int digits = 3);

/// ", N records judged with a memory holding the notebook's own labels (...)" for a judge with records judge
/// eval --memory marked labelled_in_memory; "" otherwise.
std::string in_sample_note(const measure::JudgeMeasurement& judge);

/// ", N notebooks flagged (prompt injection)" for a judge with flagged notebooks; "" otherwise.
std::string flagged_note(const measure::JudgeMeasurement& judge);

/// " (no score at all on labelled dimensions a, b: misspelt, or not judged?)" for a judge with label
/// dimensions it never scored (JudgeMeasurement::dimensions_without_scores); "" when there are none.
std::string without_scores_note(const measure::JudgeMeasurement& judge);

}  // namespace judge::report
