// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"

namespace judge::memory {

/// True for a common English word that carries no topic ("the", "with", "notebook", ...), lower case.
bool is_stop_word(const std::string& word);

/// The words that say what a dimension is about: tokens (HashedTfidfEmbedder::tokens) of its id, title,
/// description, level texts and N/A text, 3+ characters, stop words removed; sorted, unique.
std::vector<std::string> dimension_vocabulary(const rubric::Dimension& dimension);

/// The part of `nb` that matters for a dimension: markdown headings first as an outline ("[outline]"), then
/// the cells holding the most distinct words of `vocabulary` (ties: document order), each as
/// "[cell N type]\nsource" (source cut at 900 bytes) plus "[error] ENAME: EVALUE" lines, printed in
/// document order, at most `max_chars` bytes in all (a cell that does not fit is skipped). Deterministic.
std::string excerpt(const notebook::Notebook& nb, const std::vector<std::string>& vocabulary,
                    std::size_t max_chars = 4000);

}  // namespace judge::memory
