// SPDX-License-Identifier: MIT
// CSV (RFC 4180) reading and writing, for every long-format file the tool reads or writes (labels, scores).
#pragma once
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace judge::util {

/// One CSV record: its fields (quotes removed, "" unescaped) and the 1-based line it starts on.
struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;
};

/// Parses CSV text per RFC 4180: comma separated, fields optionally in double quotes, a quoted field may
/// hold commas, doubled quotes and line breaks; records end at LF or CRLF; a UTF-8 byte order mark is
/// skipped; blank lines are skipped. Beyond RFC 4180, as hand-written files have them: spaces or tabs
/// around a quoted field are dropped, and a quote inside an unquoted field is text (`uses "fit" here`).
/// Throws judge::Error "NAME:LINE: unterminated quoted field" when a quote is never closed, and "NAME:LINE:
/// text follows the closing quote ..." (LINE where that field opens) when other text follows a closing
/// quote, which is how a missing closing quote usually shows.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& name);

/// `value` as one CSV field: quoted per RFC 4180 (quotes doubled) when it holds a comma, quote or line break.
std::string csv_quote(const std::string& value);

/// The columns of a CSV header row, found by name (ASCII case and surrounding space ignored).
class CsvHeader {
 public:
  explicit CsvHeader(const CsvRecord& header);
  /// Index of the first of `names` that is a column; nullopt when none is.
  std::optional<std::size_t> find(std::initializer_list<std::string_view> names) const;
  std::size_t size() const { return m_size; }
  int line() const { return m_line; }

 private:
  std::map<std::string, std::size_t, std::less<>> m_index;
  std::size_t m_size = 0;
  int m_line = 0;
};

/// Field `column` of `record`; "" when the column is absent or the record is shorter.
std::string field(const CsvRecord& record, std::optional<std::size_t> column);

}  // namespace judge::util
