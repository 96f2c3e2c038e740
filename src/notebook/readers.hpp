// SPDX-License-Identifier: MIT
// The content tests of the readers in formats.cpp's table, each defined in its format's file.
#pragma once
#include <filesystem>
#include <functional>
#include <string_view>

#include "judge/notebook/formats.hpp"

namespace judge::notebook::detail {

/// ipynb.cpp: maybe when the first non-blank character is '{' (JSON; parse_ipynb says what is wrong).
Sniff sniff_ipynb(std::string_view text);
/// databricks.cpp: yes when the first line is "# Databricks notebook source" ("-- ", "// " forms too).
Sniff sniff_databricks_source(std::string_view text);
/// jupytext.cpp: yes when a line is a percent cell marker ("# %%" alone or followed by a space).
Sniff sniff_jupytext_percent(std::string_view text);

/// A UTF-8 byte order mark, which some Windows editors put before the first line.
inline constexpr std::string_view k_bom = "\xEF\xBB\xBF";

/// The reader for the file `path` (formats.cpp, the one place that decides): the reader whose extension
/// decides, else the first whose content test says yes, else the first that says maybe, else nullptr.
/// `text()` gives the file's text without a byte order mark; it is called at most once, and only when a
/// content test is needed. `walking`: only readers listing the file's extension count (a folder walk).
const Reader* detect(const std::filesystem::path& path, const std::function<std::string_view()>& text,
                     bool walking);

}  // namespace judge::notebook::detail
