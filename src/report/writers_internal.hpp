// SPDX-License-Identifier: MIT
// What the report writers' files share among themselves (not public).
#pragma once
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "judge/measure/measure.hpp"
#include "judge/report/writers.hpp"

namespace judge::report {

/// `x` as a JSON number, or null when it is NaN (a metric with no pairs).
nlohmann::ordered_json json_number(double x);

/// One table as an HTML <h3> title and <table> (html.cpp).
void write_html_table(std::ostream& out, const Section& section);

/// judge validate's "validate" object of the JSON report: folds, seed, judge, reflection, embeddings, k,
/// conditions, calibration (when measured), items and learning_curve (cross_validation.cpp).
nlohmann::ordered_json cross_validation_json(const measure::CrossValidation& cv);

/// judge validate's <section class="validate"> of the HTML report: its tables and the learning-curve chart;
/// nothing without measurement.cross_validation (cross_validation.cpp).
void write_cross_validation_html(std::ostream& out, const measure::Measurement& measurement);

}  // namespace judge::report
