// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace judge::labels {

/// One CSV record: its fields (quotes removed, "" unescaped) and the 1-based line it starts on.
struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;
};

/// Parses CSV text per RFC 4180: comma separated, fields optionally in double quotes, a quoted field may
/// hold commas, doubled quotes and line breaks; records end at LF or CRLF; a UTF-8 byte order mark is
/// skipped; blank lines are skipped. Throws judge::Error "NAME:LINE: unterminated quoted field" when a
/// quote is never closed.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& name);

/// `value` as one CSV field: quoted per RFC 4180 (quotes doubled) when it holds a comma, quote or line break.
std::string csv_quote(const std::string& value);

}  // namespace judge::labels
