// SPDX-License-Identifier: MIT
// The notebook readers as one table: a format is one row (its Format, name, extensions, content test and
// reader) plus its own source file. Which reader a file gets is decided here once, for reading a file
// (read_file, hence read_path, judge eval, judge notebook show, align) and for walking a folder
// (is_notebook_file).
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "judge/notebook/notebook.hpp"

namespace judge::notebook {

/// What a reader's content test says of a file's text.
enum class Sniff {
  no,     ///< not this format
  maybe,  ///< this format when no reader says `yes` (ipynb: any text whose first non-blank character is '{')
  yes,    ///< this format
};

/// One row of the readers table.
struct Reader {
  Format format;
  const char* name;  ///< to_string(format): "ipynb", "databricks", ...
  /// Extensions (lower case, with the dot) of the files a folder walk takes as this format.
  std::vector<std::string_view> extensions;
  /// true: a file with one of `extensions` is this format whatever its content (no content test).
  bool extension_decides = false;
  /// Content test on a file's text (a UTF-8 byte order mark removed; the first MiB of it in a folder walk);
  /// nullptr: the format is known by its extension only.
  Sniff (*sniff)(std::string_view text) = nullptr;
  /// What a file that is no notebook lacks of this format, for read_file's "not a notebook (...)" message
  /// (e.g. "no .ipynb JSON"); empty for a format without a content test.
  std::string_view lacks;
  /// Parses a file's text (byte order mark removed) into one notebook named `name`; throws judge::Error
  /// ("NAME: reason" or "NAME:LINE: reason") when it is not one.
  Notebook (*parse)(const std::string& text, const std::string& name, const ReadOptions& options) = nullptr;
  /// Reads the file itself, for an archive of several notebooks; used instead of `parse` when set. Never
  /// throws for bad content.
  ReadResult (*read)(const std::filesystem::path& path, const ReadOptions& options) = nullptr;
};

/// Every reader, in the order their content tests are tried.
const std::vector<Reader>& readers();

/// The reader for a file named on the command line: the reader whose extension decides (`.ipynb`, `.dbc`),
/// else the first in table order whose content test of `text` (the file's text) says yes, else the first
/// that says maybe; nullptr when none does (not a notebook). A leading UTF-8 byte order mark is ignored.
const Reader* detect_format(const std::filesystem::path& path, std::string_view text);

}  // namespace judge::notebook
