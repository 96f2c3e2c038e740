// SPDX-License-Identifier: MIT
// Internal to the notebook module: cell magics shared by the Databricks source and .dbc readers.
#pragma once
#include <string_view>

#include "judge/notebook/notebook.hpp"

namespace judge::notebook::detail {

/// Fills `cell` (type, magic, source) from cell text whose first line may start with a Databricks/IPython
/// magic. "%md"/"%md-sandbox" make a markdown cell whose source is the text after the magic word (rest of the
/// first line, then the following lines); any other "%name" makes a code cell with magic "name" and the text
/// kept as written; text without a magic is a plain code cell. Leading blank lines are dropped first.
void set_cell_text(Cell& cell, std::string_view text);

}  // namespace judge::notebook::detail
