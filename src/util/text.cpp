// SPDX-License-Identifier: MIT
#include "judge/util/text.hpp"

#include <algorithm>
#include <cctype>

namespace judge::util {

std::string strip_ansi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '\x1b') {
      out.push_back(c);
      continue;
    }
    if (i + 1 >= text.size()) break;
    const char next = text[i + 1];
    if (next == '[') {  // CSI: parameters and intermediates, then one final byte in 0x40-0x7e
      std::size_t j = i + 2;
      while (j < text.size() && !(text[j] >= 0x40 && text[j] <= 0x7e)) ++j;
      i = j;
    } else if (next == ']') {  // OSC: until BEL or ESC backslash
      std::size_t j = i + 2;
      while (j < text.size() && text[j] != '\x07' &&
             !(text[j] == '\x1b' && j + 1 < text.size() && text[j + 1] == '\\'))
        ++j;
      i = (j < text.size() && text[j] == '\x1b') ? j + 1 : j;
    } else {
      i += 1;  // two-byte escape
    }
  }
  return out;
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  out += "\n... [truncated " + std::to_string(text.size() - cut) + " chars]";
  return out;
}

std::size_t invalid_utf8_at(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char b = byte(i);
    if (b < 0x80) {
      ++i;
      continue;
    }
    // RFC 3629's table of well-formed sequences: the lead byte fixes the length and the range of the
    // second byte (which rules out overlong forms, surrogates and code points above U+10FFFF).
    std::size_t length = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;  // a continuation byte without a lead, 0xC0, 0xC1 or 0xF5..0xFF
    }
    if (i + length > text.size()) return i;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < length; ++k)
      if ((byte(i + k) & 0xC0) != 0x80) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::optional<TextFileProblem> text_file_problem(std::string_view text) {
  if (const std::size_t at = invalid_utf8_at(text); at != std::string_view::npos) {
    const std::size_t line_start = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
    const std::size_t begin = line_start == std::string_view::npos ? 0 : line_start + 1;
    TextFileProblem p;
    p.line =
        1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    static const char* const k_hex = "0123456789ABCDEF";
    const unsigned char b = static_cast<unsigned char>(text[at]);
    p.what = "not UTF-8: byte 0x";
    p.what += k_hex[b >> 4];
    p.what += k_hex[b & 0xF];
    p.what += " at column ";
    p.what += std::to_string(at - begin + 1);
    const bool utf16 =
        text.size() >= 2 &&
        ((static_cast<unsigned char>(text[0]) == 0xFF && static_cast<unsigned char>(text[1]) == 0xFE) ||
         (static_cast<unsigned char>(text[0]) == 0xFE && static_cast<unsigned char>(text[1]) == 0xFF));
    p.what += utf16
                  ? "; the file is UTF-16 (its byte order mark): save it as UTF-8 (iconv -f utf-16 -t utf-8)"
                  : "; save the file as UTF-8 (for a file from Excel or an older tool: iconv -f "
                    "windows-1252 -t utf-8)";
    return p;
  }
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    // Valid UTF-8, but no text file holds one: UTF-16 without a byte order mark, or a binary file.
    const int line =
        1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
    return TextFileProblem{
        line,
        "a NUL byte: not a text file, or UTF-16 without a byte order mark; save it as UTF-8 "
        "(iconv -f utf-16le -t utf-8)"};
  }
  if (trim(text).find('\r') != std::string_view::npos && text.find('\n') == std::string_view::npos)
    return TextFileProblem{1,
                           "its lines end in a carriage return alone (an old Mac format): save it with LF or "
                           "CRLF line endings (tr '\\r' '\\n' < FILE > NEW)"};
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  std::size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  return text.substr(b, e - b);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string count_text(std::size_t n, std::string_view noun) {
  std::string text = std::to_string(n);
  text += ' ';
  text += noun;
  if (n != 1) text += 's';
  return text;
}

// Wagner-Fischer dynamic programme, one row kept.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Why a band: a distance of at most `max` never leaves the diagonals |i - j| <= max of the Wagner-Fischer
// table (each step off the main diagonal costs an insertion or deletion), so only those 2 * max + 1 cells of
// a row are worked out, the others standing for "more than max" (max + 1, every value capped there). And as
// every path through the table crosses every row, the answer is at least the least cell of any row: once a
// whole band row is over `max`, so is the answer. Lengths more than `max` apart are over it at once. For the
// few edits of a did-you-mean this is a handful of cells a row instead of the whole row.
std::size_t edit_distance_at_most(std::string_view a, std::string_view b, std::size_t max) {
  const std::size_t over = max + 1;
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > max) return over;
  std::vector<std::size_t> row(b.size() + 1, over);
  for (std::size_t j = 0; j <= b.size() && j <= max; ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    const std::size_t first = i > max ? i - max : 1;  // the band of row i: columns first .. last (j >= 1)
    const std::size_t last = std::min(b.size(), i + max);
    std::size_t diagonal = row[first - 1];
    row[first - 1] = first == 1 ? std::min(i, over) : over;  // column 0 is i; left of the band, over max
    std::size_t least = row[first - 1];
    for (std::size_t j = first; j <= last; ++j) {
      const std::size_t above = row[j];  // right of the previous row's band: still over, as initialised
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1), over});
      diagonal = above;
      least = std::min(least, row[j]);
    }
    if (least > max) return over;
  }
  return row[b.size()];
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

namespace {

/// `distance(word, c, max)`: the distance when it is at most `max`, else any value over `max` (a candidate
/// farther than the best so far is left out whatever its distance, so it need not be worked out).
template <class Distance>
std::vector<std::string> closest_by(std::string_view word, const std::vector<std::string>& candidates,
                                    Distance distance) {
  const std::size_t limit = std::min<std::size_t>(3, word.size() / 4);
  std::size_t best = limit + 1;
  std::vector<std::string> closest;
  for (const auto& c : candidates) {
    const std::size_t d = distance(word, c, best);
    if (d > best) continue;
    if (d < best) {
      best = d;
      closest.clear();
    }
    closest.push_back(c);
  }
  return best <= limit ? closest : std::vector<std::string>{};
}

}  // namespace

std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& candidates) {
  return closest_by(word, candidates, edit_distance_at_most);
}

// The optimal string alignment distance (Damerau-Levenshtein without edits of a swapped pair): the
// Wagner-Fischer table of edit_distance, each cell also taking the cell two back on both strings plus one
// when the last two bytes of each are the same two, swapped. Three rows kept.
std::size_t typo_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), above(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) above[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, above);
    std::swap(above, row);
  }
  return above[b.size()];
}

std::vector<std::string> closest_typos(std::string_view word, const std::vector<std::string>& candidates) {
  return closest_by(word, candidates,
                    [](std::string_view a, std::string_view b, std::size_t) { return typo_distance(a, b); });
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace judge::util
