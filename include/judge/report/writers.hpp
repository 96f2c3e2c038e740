// SPDX-License-Identifier: MIT
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "judge/report/gates.hpp"
#include "judge/report/report.hpp"

namespace judge::report {

/// Output formats of `judge report`.
///  - "table": aligned text per judge (metrics per dimension, then comparison and calibration when present);
///  - "markdown": the same tables in GitHub Markdown;
///  - "json": one object, schema_version 1, keys in a fixed order (see docs in write_json); NaN is null; each
///    judge's "flagged" lists its flagged notebooks ({item, flags, injection_cells, scores: [{dimension,
///    status, score, human (when labelled: a number or "N/A")}]});
///  - "csv": one row per judge and dimension plus a "(mean)" row per judge (RFC 4180);
///  - "junit": JUnit XML, one testsuite per judge, one testcase per dimension plus "(mean)"; a failed gate
///    becomes a <failure> of its dimension's testcase (or of "(mean)");
///  - "html": one self-contained page (write_html).
/// Throws judge::Error (usage) for another name.
void write_report(std::ostream& out, const Report& report, const std::vector<GateResult>& gates,
                  const std::string& format);

/// The report as one HTML file with no external resource: inline CSS, an inline SVG chart of MAE per
/// dimension with interval whiskers (raw and calibrated when calibrated), confusion matrices, and the
/// largest disagreements with the judge's rationale beside the human feedback. All text is HTML-escaped.
void write_html(std::ostream& out, const Report& report, const std::vector<GateResult>& gates);

/// A table of text cells: used by the text, Markdown and HTML writers.
struct Section {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

/// Writes one table as text ("table": first column left-aligned, the others right-aligned), GitHub Markdown
/// ("markdown") or an HTML <h3> title and <table> ("html"); the writers of judge report and judge validate
/// share it. Throws judge::Error (usage) for another format.
void write_section(std::ostream& out, const Section& section, const std::string& format);

/// The tables of one judge's report, in display order; the last lists the flagged notebooks (JudgeReport::
/// flagged: notebook, injection cells and flags on its first row, then a row per record with the judge's
/// score and the resolved human score) when there are any.
std::vector<Section> sections(const Report& report, const JudgeReport& judge);

/// `s` with & < > " ' replaced by entities (XML and HTML text and attributes).
std::string xml_escape(const std::string& s);

/// `x` with `digits` decimals; "n/a" for NaN.
std::string format_number(double x, int digits = 3);

/// ", N notebooks flagged (prompt injection)" for a judge with flagged notebooks; "" otherwise.
std::string flagged_note(const JudgeReport& judge);

/// " (no score at all on labelled dimensions a, b: misspelt, or not judged?)" for a judge with label
/// dimensions it never scored (JudgeReport::dimensions_without_scores); "" when there are none.
std::string without_scores_note(const JudgeReport& judge);

}  // namespace judge::report
