// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <string>

#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"

namespace judge::memory {

/// The part of `nb` that matters for `dimension`: the cells whose words overlap most with the dimension's
/// vocabulary (its id, title, description, level texts and N/A text, stop words removed), kept in document
/// order, each as "[cell N type] source" plus its error outputs, until `max_chars` bytes. Markdown headings
/// of every cell come first as an outline (they say how the notebook is organised). Deterministic.
std::string excerpt(const notebook::Notebook& nb, const rubric::Dimension& dimension, std::size_t max_chars = 4000);

}  // namespace judge::memory
