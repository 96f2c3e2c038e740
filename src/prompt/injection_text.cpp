// SPDX-License-Identifier: MIT
// Text a model reads but a person does not see, and the tokens of the injection patterns (injection.cpp).
#include "injection_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "judge/util/text.hpp"

namespace judge::prompt::detail {

namespace {

bool ascii_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// ASCII classes without the C locale's function calls (the scan reads every byte of every cell).
constexpr bool ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool ascii_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool ascii_alnum(unsigned char c) { return ascii_digit(c) || ascii_alpha(c); }
constexpr bool ascii_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr char ascii_lower(char c) {
  return ascii_upper(static_cast<unsigned char>(c)) ? static_cast<char>(c + 32) : c;
}

// Decodes the UTF-8 character at text[i]; an invalid or cut sequence gives its first byte as U+DC80+byte
// (a lone surrogate, never produced by valid text) and length 1.
char32_t decode_at(std::string_view text, std::size_t i, std::size_t& length) {
  const auto b = static_cast<unsigned char>(text[i]);
  length = 1;
  if (b < 0x80) return b;
  std::size_t n = b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
  if (n == 0 || i + n > text.size()) return 0xDC00 + b;
  char32_t cp = b & (0x3F >> (n - 1));
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) return 0xDC00 + b;
    cp = (cp << 6) | (c & 0x3F);
  }
  length = n;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp >= 0xDC80 && cp <= 0xDCFF) {  // an invalid byte kept as it was
    out += static_cast<char>(cp - 0xDC00);
  } else if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string code_point_name(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// Characters that take no room: zero-width space, non-joiner and joiner, word joiner, BOM, Mongolian vowel
// separator, invisible operators, combining grapheme joiner, Hangul fillers, and the LRM/RLM/ALM marks.
bool zero_width(char32_t c) {
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x180E ||
         (c >= 0x2061 && c <= 0x2064) || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x3164 ||
         c == 0xFFA0 || c == 0x200E || c == 0x200F || c == 0x061C;
}
// Embeddings, overrides and isolates: they reorder what is shown (Trojan Source, CVE-2021-42574).
bool bidi_control(char32_t c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }
bool variation_selector(char32_t c) { return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF); }
bool tag_character(char32_t c) { return c >= 0xE0000 && c <= 0xE007F; }

// Look-alikes of ASCII letters and punctuation, mapped to them so that "іgnоre" (Cyrillic і and о) reads as
// "ignore". Cyrillic and Greek letters that are drawn like Latin ones, curly quotes, dashes, odd spaces.
char32_t ascii_lookalike(char32_t c) {
  static constexpr std::array<std::pair<char32_t, char>, 44> k_map{{
      {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'}, {0x0445, 'x'},
      {0x0456, 'i'}, {0x0458, 'j'}, {0x0455, 's'}, {0x0501, 'd'}, {0x04BB, 'h'}, {0x0410, 'A'}, {0x0412, 'B'},
      {0x0415, 'E'}, {0x041A, 'K'}, {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'},
      {0x0422, 'T'}, {0x0425, 'X'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0405, 'S'}, {0x03BF, 'o'}, {0x03B1, 'a'},
      {0x03B9, 'i'}, {0x039F, 'O'}, {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0397, 'H'}, {0x0399, 'I'},
      {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'}, {0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A7, 'X'}, {0x03A5, 'Y'},
      {0x0396, 'Z'}, {0x0261, 'g'},
  }};
  for (const auto& [from, to] : k_map)
    if (from == c) return static_cast<char32_t>(to);
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;  // fullwidth forms
  if (c >= 0x1D400 && c <= 0x1D6A3) {                 // mathematical bold, italic, script, ... letters
    const auto k = (c - 0x1D400) % 52;
    return k < 26 ? U'A' + k : U'a' + (k - 26);
  }
  if (c >= 0x1D7CE && c <= 0x1D7FF) return U'0' + (c - 0x1D7CE) % 10;  // mathematical digits
  if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032) return U'\'';
  if (c == 0x201C || c == 0x201D || c == 0x201F || c == 0x2033) return U'"';
  if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212) return U'-';
  if (c == 0x00A0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0x1680)
    return U' ';
  return c;
}

// An HTML character reference at text[i] ('&'): the character and the reference's length, or nullopt.
std::optional<char32_t> character_reference(std::string_view text, std::size_t i, std::size_t& length) {
  const auto semi = text.substr(0, std::min(text.size(), i + 17)).find(';', i);  // "&ZeroWidthSpace;" is 16
  if (semi == std::string_view::npos) return std::nullopt;
  const std::string_view body = text.substr(i + 1, semi - i - 1);
  length = semi - i + 1;
  if (body.size() >= 2 && body[0] == '#') {
    const bool hex = body[1] == 'x' || body[1] == 'X';
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 7) return std::nullopt;
    char32_t v = 0;
    for (char d : digits) {
      const int x = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                    : hex && std::isxdigit(static_cast<unsigned char>(d))
                        ? std::tolower(static_cast<unsigned char>(d)) - 'a' + 10
                        : -1;
      if (x < 0) return std::nullopt;
      v = v * (hex ? 16 : 10) + static_cast<char32_t>(x);
    }
    if (v == 0 || v > 0x10FFFF) return std::nullopt;
    return v;
  }
  static constexpr std::array<std::pair<std::string_view, char32_t>, 10> k_named{
      {{"amp", U'&'},
       {"lt", U'<'},
       {"gt", U'>'},
       {"quot", U'"'},
       {"apos", U'\''},
       {"nbsp", U' '},
       {"zwj", 0x200D},
       {"zwnj", 0x200C},
       {"shy", 0x00AD},
       {"ZeroWidthSpace", 0x200B}}};
  for (const auto& [name, cp] : k_named)
    if (body == name) return cp;
  return std::nullopt;
}

void note_once(std::vector<std::string>& notes, std::string text) {
  if (std::find(notes.begin(), notes.end(), text) == notes.end()) notes.push_back(std::move(text));
}

}  // namespace

Normalized normalize(std::string_view raw, bool code) {
  Normalized n;
  n.text.reserve(raw.size());
  char32_t last_shown = 0;       // the last character written to n.text (after mapping)
  std::size_t zero_run = 0;      // zero-width characters since last_shown
  char32_t zero_first = 0;       // the first of them
  std::size_t selector_run = 0;  // variation selectors in a row
  bool flag_sequence = false;    // after U+1F3F4 (black flag): tags spell a subdivision flag
  std::string tags;              // the text of the tag characters outside flag sequences

  auto shown = [&](char32_t cp) {
    if (zero_run > 0) {
      if (ascii_letter(last_shown) && ascii_letter(cp))
        note_once(n.invisible, "zero-width character " + code_point_name(zero_first) + " inside a word");
      if (zero_run >= 3)
        note_once(n.invisible, "run of " + std::to_string(zero_run) + " zero-width characters");
    }
    zero_run = 0;
    selector_run = 0;
    flag_sequence = cp == 0x1F3F4;
    append_utf8(n.text, cp);
    last_shown = cp;
  };

  for (std::size_t i = 0; i < raw.size();) {
    const auto byte = static_cast<unsigned char>(raw[i]);
    if (byte < 0x80 && byte != '&' && byte != '\\' && zero_run == 0) {  // a run of plain ASCII: as it is
      std::size_t j = i + 1;
      while (j < raw.size() && static_cast<unsigned char>(raw[j]) < 0x80 && raw[j] != '&' && raw[j] != '\\')
        ++j;
      n.text.append(raw, i, j - i);
      last_shown = static_cast<unsigned char>(raw[j - 1]);
      selector_run = 0;
      flag_sequence = false;
      i = j;
      continue;
    }
    std::size_t length = 1;
    char32_t cp;
    if (raw[i] == '&') {
      if (auto ref = character_reference(raw, i, length))
        cp = *ref;
      else
        cp = U'&', length = 1;
    } else if (code && raw[i] == '\\' && i + 1 < raw.size() &&
               (raw[i + 1] == 'n' || raw[i + 1] == 't' || raw[i + 1] == 'r')) {
      cp = U' ', length = 2;
    } else {
      cp = decode_at(raw, i, length);
    }
    i += length;

    if (cp == 0x00AD) continue;  // soft hyphen: a line-break hint, invisible but harmless
    if (zero_width(cp)) {
      if (zero_run++ == 0) zero_first = cp;
      continue;
    }
    if (bidi_control(cp)) {
      note_once(n.invisible, "bidirectional control character " + code_point_name(cp));
      continue;
    }
    if (variation_selector(cp)) {
      if (++selector_run == 3) note_once(n.invisible, "run of variation selectors (hidden bytes)");
      continue;
    }
    if (tag_character(cp)) {
      if (!flag_sequence && cp >= 0xE0020 && cp <= 0xE007E) tags += static_cast<char>(cp - 0xE0000);
      continue;
    }
    shown(ascii_lookalike(cp));
  }
  if (zero_run >= 3) note_once(n.invisible, "run of " + std::to_string(zero_run) + " zero-width characters");
  if (!tags.empty()) {
    n.invisible.push_back(std::to_string(tags.size()) + " Unicode tag characters spelling \"" +
                          excerpt(tags, 40) + "\"");
    n.tag_text = tags;
  }
  return n;
}

Tokens tokenize(std::string_view text) {
  Tokens tokens;
  auto lower_text = std::make_unique<std::string>(text);
  for (char& ch : *lower_text) ch = ascii_lower(ch);
  tokens.lower = std::move(lower_text);
  const std::string_view lower = *tokens.lower;
  std::vector<Token>& out = tokens.list;
  out.reserve(text.size() / 5);
  std::size_t newlines = 0;
  bool first = true, comment = false;
  auto word_char = [](unsigned char c) { return ascii_alnum(c) || c == '_' || c >= 0x80; };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++newlines;
      ++i;
      continue;
    }
    if (ascii_space(c)) {
      ++i;
      continue;
    }
    if (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/')) {  // a comment starts a sentence
      comment = true;
      i += c == '#' ? 1 : 2;
      continue;
    }
    if (c == '*' || c == '`' || c == '~' || c == '>' || c == '|' || c == '\\') {
      ++i;
      continue;
    }
    Token t;
    t.line_start = first || newlines > 0 || comment;
    comment = false;
    t.paragraph_start = first || newlines > 1;
    first = false;
    newlines = 0;
    t.begin = i;
    if (word_char(c)) {
      std::size_t j = i;
      bool digits_only = true;
      while (j < text.size()) {
        const auto d = static_cast<unsigned char>(text[j]);
        if (word_char(d)) {
          digits_only = digits_only && ascii_digit(d);
          ++j;
        } else if (digits_only && d == '.' && j + 1 < text.size() &&
                   ascii_digit(static_cast<unsigned char>(text[j + 1]))) {
          ++j;  // "3.5": a number with a fraction
          while (j < text.size() && ascii_digit(static_cast<unsigned char>(text[j]))) ++j;
          break;
        } else if ((d == '\'' || d == '-') && !digits_only && j + 1 < text.size() &&
                   ascii_alnum(static_cast<unsigned char>(text[j + 1]))) {
          ++j;  // "don't", "pre-approved", "gpt-4"
        } else if (d == '\\' && j + 2 < text.size() && text[j + 1] == '_' &&
                   word_char(static_cast<unsigned char>(text[j + 2]))) {
          ++j;  // markdown's escaped underscore: "DATA\_OVERRIDE" is one word
        } else {
          break;
        }
      }
      std::size_t b = i, e = j;
      while (b < e && text[b] == '_') ++b;
      while (e > b && text[e - 1] == '_') --e;
      i = j;
      if (b == e) continue;
      t.begin = b;
      t.end = e;
      const std::string_view w = text.substr(b, e - b);
      const bool number = std::all_of(
          w.begin(), w.end(), [](char x) { return ascii_digit(static_cast<unsigned char>(x)) || x == '.'; });
      t.kind = number ? Token::Kind::number : Token::Kind::word;
      t.lower = lower.substr(b, e - b);
      if (number) {
        if (w.find('.') == std::string_view::npos && w.size() <= 2 && std::stoi(std::string(w)) <= 10)
          t.small_int = std::stoi(std::string(w));
      } else {
        std::size_t letters = 0, capitals = 0;
        for (char x : w) {
          letters += ascii_alpha(static_cast<unsigned char>(x));
          capitals += ascii_upper(static_cast<unsigned char>(x));
        }
        t.upper = letters >= 2 && capitals == letters;
      }
    } else {
      t.kind = Token::Kind::punct;
      t.lower = lower.substr(i, 1);
      t.end = ++i;
    }
    out.push_back(std::move(t));
  }
  return tokens;
}

// ---- hidden HTML ----

namespace {

struct Rgba {
  double r = 0, g = 0, b = 0, a = 1;
};

std::optional<Rgba> parse_color(std::string value) {
  value = util::to_lower(util::trim(value));
  if (value.empty()) return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, std::array<int, 3>>, 16> k_named{{
      {"white", {255, 255, 255}},
      {"snow", {255, 250, 250}},
      {"ivory", {255, 255, 240}},
      {"ghostwhite", {248, 248, 255}},
      {"whitesmoke", {245, 245, 245}},
      {"floralwhite", {255, 250, 240}},
      {"mintcream", {245, 255, 250}},
      {"seashell", {255, 245, 238}},
      {"honeydew", {240, 255, 240}},
      {"azure", {240, 255, 255}},
      {"aliceblue", {240, 248, 255}},
      {"black", {0, 0, 0}},
      {"red", {255, 0, 0}},
      {"green", {0, 128, 0}},
      {"blue", {0, 0, 255}},
      {"gray", {128, 128, 128}},
  }};
  if (value == "transparent") return Rgba{0, 0, 0, 0};
  for (const auto& [name, rgb] : k_named)
    if (value == name) return Rgba{double(rgb[0]), double(rgb[1]), double(rgb[2]), 1};
  if (value[0] == '#') {
    std::string hex = value.substr(1);
    if (!std::all_of(hex.begin(), hex.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
      return std::nullopt;
    if (hex.size() == 3 || hex.size() == 4) {
      std::string wide;
      for (char c : hex) wide += std::string(2, c);
      hex = wide;
    }
    if (hex.size() != 6 && hex.size() != 8) return std::nullopt;
    Rgba c;
    c.r = std::stoi(hex.substr(0, 2), nullptr, 16);
    c.g = std::stoi(hex.substr(2, 2), nullptr, 16);
    c.b = std::stoi(hex.substr(4, 2), nullptr, 16);
    if (hex.size() == 8) c.a = std::stoi(hex.substr(6, 2), nullptr, 16) / 255.0;
    return c;
  }
  const auto open = value.find('(');
  if (open == std::string::npos || value.back() != ')') return std::nullopt;
  const std::string fn = value.substr(0, open);
  std::string args = value.substr(open + 1, value.size() - open - 2);
  std::replace(args.begin(), args.end(), ',', ' ');
  std::replace(args.begin(), args.end(), '/', ' ');
  std::vector<double> v;
  std::vector<bool> percent;
  for (std::size_t p = 0; p < args.size();) {
    while (p < args.size() && args[p] == ' ') ++p;
    if (p >= args.size()) break;
    std::size_t q = p;
    while (q < args.size() && args[q] != ' ') ++q;
    std::string part = args.substr(p, q - p);
    const bool pc = !part.empty() && part.back() == '%';
    if (pc) part.pop_back();
    try {
      v.push_back(std::stod(part));
    } catch (...) {
      return std::nullopt;
    }
    percent.push_back(pc);
    p = q;
  }
  if (v.size() < 3) return std::nullopt;
  Rgba c;
  if (v.size() >= 4) c.a = percent[3] ? v[3] / 100 : v[3];
  if (fn == "rgb" || fn == "rgba") {
    c.r = percent[0] ? v[0] * 2.55 : v[0];
    c.g = percent[1] ? v[1] * 2.55 : v[1];
    c.b = percent[2] ? v[2] * 2.55 : v[2];
    return c;
  }
  if (fn == "hsl" || fn == "hsla") {  // lightness decides white; hue and saturation give the rest
    const double s = v[1] / 100, l = v[2] / 100, h = std::fmod(v[0], 360) / 60;
    const double chroma = (1 - std::fabs(2 * l - 1)) * s, x = chroma * (1 - std::fabs(std::fmod(h, 2) - 1));
    double r = 0, g = 0, b = 0;
    if (h < 1)
      r = chroma, g = x;
    else if (h < 2)
      r = x, g = chroma;
    else if (h < 3)
      g = chroma, b = x;
    else if (h < 4)
      g = x, b = chroma;
    else if (h < 5)
      r = x, b = chroma;
    else
      r = chroma, b = x;
    const double m = l - chroma / 2;
    c.r = (r + m) * 255, c.g = (g + m) * 255, c.b = (b + m) * 255;
    return c;
  }
  return std::nullopt;
}

bool whitish(const Rgba& c) { return c.a > 0.05 && c.r >= 240 && c.g >= 240 && c.b >= 240; }
bool same_color(const Rgba& a, const Rgba& b) {
  return std::fabs(a.r - b.r) + std::fabs(a.g - b.g) + std::fabs(a.b - b.b) < 24;
}

// A CSS length in px, or nullopt: "0" and "0px" -> 0; em, rem and % relative to a 16px font.
std::optional<double> css_px(const std::string& value) {
  std::size_t used = 0;
  double v;
  try {
    v = std::stod(value, &used);
  } catch (...) {
    return std::nullopt;
  }
  const std::string unit = std::string(util::trim(value.substr(used)));
  if (unit.empty() || unit == "px") return v;
  if (unit == "pt") return v * 4 / 3;
  if (unit == "em" || unit == "rem") return v * 16;
  if (unit == "%") return v * 0.16;
  if (unit == "vw" || unit == "vh") return v * 10;
  return std::nullopt;
}

using Attributes = std::vector<std::pair<std::string, std::string>>;  // names in lower case

// The words of a CSS value, split at spaces outside parentheses ("rgb(0, 0, 0) no-repeat" -> 2 words).
std::vector<std::string> css_words(const std::string& value) {
  std::vector<std::string> words(1);
  int depth = 0;
  for (char c : value) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (c == ' ' && depth == 0) {
      if (!words.back().empty()) words.emplace_back();
    } else {
      words.back() += c;
    }
  }
  return words;
}

// What an element's attributes do to the text inside it.
struct ElementStyle {
  std::string hides;          // why its text is not seen ("" when it is)
  std::optional<Rgba> color;  // its text colour, when set
  bool background = false;    // it sets a background that is not white (white text on it is seen)
};

// The declarations of a style attribute, split at ';' ("color: red; top: 0" -> "color: red", " top: 0").
std::vector<std::string> css_declarations(const std::string& style) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : style) {
    if (c == ';') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

ElementStyle element_style(const Attributes& attrs) {
  ElementStyle s;
  std::vector<std::pair<std::string, std::string>> css;
  std::optional<Rgba> back;
  for (const auto& [name, value] : attrs) {
    if (name == "hidden") {
      s.hides = "hidden attribute";
    } else if (name == "color") {
      s.color = parse_color(value);
    } else if (name == "bgcolor") {
      back = parse_color(value);
      s.background = !back || !whitish(*back);
    } else if (name == "style") {
      for (const auto& decl : css_declarations(value)) {
        const auto colon = decl.find(':');
        if (colon == std::string::npos) continue;
        std::string prop = util::to_lower(util::trim(decl.substr(0, colon)));
        std::string val = util::to_lower(util::trim(decl.substr(colon + 1)));
        if (auto bang = val.find("!important"); bang != std::string::npos)
          val = std::string(util::trim(val.substr(0, bang)));
        css.emplace_back(prop, val);
      }
    }
  }
  auto get = [&](const std::string& prop) -> std::string {
    for (auto it = css.rbegin(); it != css.rend(); ++it)
      if (it->first == prop) return it->second;
    return "";
  };
  auto px = [&](const std::string& prop) { return css_px(get(prop)); };
  auto number = [](const std::string& v) -> std::optional<double> {
    try {
      std::size_t used = 0;
      const double x = std::stod(v, &used);
      return v.substr(used) == "%" ? x / 100 : x;
    } catch (...) {
      return std::nullopt;
    }
  };
  if (const auto c = get("color"); !c.empty()) s.color = parse_color(c);
  for (const char* prop : {"background-color", "background"}) {
    const std::string v = get(prop);
    if (v.empty() || v == "none" || v == "transparent" || v == "inherit" || v == "initial" || v == "unset")
      continue;
    if (v.find("url(") != std::string::npos || v.find("gradient") != std::string::npos) {
      s.background = true;
      continue;
    }
    for (const auto& part : css_words(v))  // "background: #222 no-repeat": the colour among the words
      if (auto c = parse_color(part)) back = c;
    if (back) s.background = back->a > 0.05 && !whitish(*back);
  }
  const auto overflow_hidden =
      get("overflow") == "hidden" || get("overflow-x") == "hidden" || get("overflow-y") == "hidden";
  const auto position = get("position");
  auto far_off = [&](const char* prop) {
    const auto v = px(prop);
    return v && *v <= -500;
  };
  if (get("display") == "none") {
    s.hides = "display:none";
  } else if (get("visibility") == "hidden" || get("visibility") == "collapse") {
    s.hides = "visibility:hidden";
  } else if (const auto o = number(get("opacity")); o && *o <= 0.05) {
    s.hides = "opacity 0";
  } else if (const auto f = px("font-size"); f && *f < 2) {
    s.hides = "font-size " + get("font-size");
  } else if (s.color && s.color->a <= 0.05) {
    s.hides = "transparent text";
  } else if (overflow_hidden &&
             ((px("height") && *px("height") <= 1) || (px("max-height") && *px("max-height") <= 1) ||
              (px("width") && *px("width") <= 1) || (px("max-width") && *px("max-width") <= 1))) {
    s.hides = "zero size with overflow hidden";
  } else if (((position == "absolute" || position == "fixed") &&
              (far_off("left") || far_off("top") || far_off("right") || far_off("bottom"))) ||
             far_off("text-indent")) {
    s.hides = "moved off-screen";
  } else if ((get("clip").find("rect(0") != std::string::npos &&
              get("clip").find_first_of("123456789") == std::string::npos) ||
             get("clip-path").find("inset(50%") != std::string::npos ||
             get("clip-path").find("inset(100%") != std::string::npos) {
    s.hides = "clipped away";
  } else if (get("transform").find("scale(0)") != std::string::npos ||
             get("transform").find("scale(0,") != std::string::npos) {
    s.hides = "scaled to 0";
  } else if (s.color && back && same_color(*s.color, *back)) {
    s.hides = "text of the same colour as its background";
  }
  return s;
}

bool void_element(const std::string& name) {
  static constexpr std::array<std::string_view, 14> k_void{"area",  "base",   "br",    "col",  "embed",
                                                           "hr",    "img",    "input", "link", "meta",
                                                           "param", "source", "track", "wbr"};
  return std::find(k_void.begin(), k_void.end(), name) != k_void.end();
}

// The markdown with code spans and fenced code blocks replaced by spaces (same length).
std::string without_code(std::string_view markdown) {
  std::string out(markdown);
  std::string fence;  // the open fence ("```" or "~~~"), empty outside a block
  std::size_t line_begin = 0;
  while (line_begin < out.size()) {
    std::size_t line_end = out.find('\n', line_begin);
    if (line_end == std::string::npos) line_end = out.size();
    const std::string_view line = util::trim(std::string_view(out).substr(line_begin, line_end - line_begin));
    const bool is_fence = util::starts_with(line, "```") || util::starts_with(line, "~~~");
    if (!fence.empty() || is_fence) {
      const bool closes = !fence.empty() && util::starts_with(line, fence);
      if (fence.empty())
        fence = std::string(line.substr(0, 3));
      else if (closes)
        fence.clear();
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(line_begin),
                out.begin() + static_cast<std::ptrdiff_t>(line_end), ' ');
    } else {
      for (std::size_t i = line_begin; i < line_end;) {  // `code` and ``code``
        if (out[i] != '`') {
          ++i;
          continue;
        }
        std::size_t n = 0;
        while (i + n < line_end && out[i + n] == '`') ++n;
        const std::string ticks(n, '`');
        const auto close = std::string_view(out).substr(0, line_end).find(ticks, i + n);
        if (close == std::string::npos) {
          i += n;
          continue;
        }
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(i),
                  out.begin() + static_cast<std::ptrdiff_t>(close + n), ' ');
        i = close + n;
      }
    }
    line_begin = line_end + 1;
  }
  return out;
}

std::size_t word_count(std::string_view text) {
  std::size_t n = 0;
  for (const auto& t : tokenize(text).list) n += t.kind != Token::Kind::punct;
  return n;
}

}  // namespace

// Bytes an opening tag may take; a longer run from '<' is text (and a '<' never makes the scan quadratic).
constexpr std::size_t k_longest_tag = 4096;
// Elements open at once that are followed; deeper ones are read as text of their parent (bounds the work).
constexpr std::size_t k_deepest = 64;

std::vector<Hidden> hidden_markdown_text(std::string_view markdown) {
  std::vector<Hidden> out;
  std::string text = without_code(markdown);

  // HTML comments, then blanked so that the element scan does not read tags inside them.
  for (std::size_t pos = text.find("<!--"); pos != std::string::npos; pos = text.find("<!--", pos)) {
    auto end = text.find("-->", pos + 4);
    const std::size_t stop = end == std::string::npos ? text.size() : end + 3;
    const std::string inner = text.substr(pos + 4, (end == std::string::npos ? text.size() : end) - pos - 4);
    if (!util::trim(inner).empty()) out.push_back({"HTML comment", std::string(util::trim(inner)), true});
    std::fill(text.begin() + static_cast<std::ptrdiff_t>(pos),
              text.begin() + static_cast<std::ptrdiff_t>(stop), ' ');
    pos = stop;
  }

  // Markdown comments: a link reference definition is not rendered, so "[//]: # (text)" hides its title.
  for (auto line : util::split_lines(text)) {
    line = util::trim(line);
    const auto close = line.find("]:");
    if (!util::starts_with(line, "[") || close == std::string_view::npos) continue;
    std::string_view rest = util::trim(line.substr(close + 2));
    const auto dest_end = util::starts_with(rest, "<") ? rest.find('>') : rest.find(' ');
    rest = dest_end == std::string_view::npos ? std::string_view() : util::trim(rest.substr(dest_end + 1));
    if (rest.size() >= 2 && (rest.front() == '(' || rest.front() == '"' || rest.front() == '\''))
      out.push_back({"markdown comment", std::string(util::trim(rest.substr(1, rest.size() - 2))), true});
  }

  // Elements: a stack of the open ones; text inside a hidden one is collected.
  struct Open {
    std::string name;
    ElementStyle style;
  };
  std::vector<Open> stack;
  std::string run, run_how;
  auto flush = [&] {
    if (word_count(run) >= 2) out.push_back({run_how, excerpt(run, 2000), false});
    run.clear();
  };
  auto hidden_by = [&]() -> std::string {
    for (const auto& o : stack)
      if (!o.style.hides.empty()) return "element hidden by " + o.style.hides;
    const auto colored =
        std::find_if(stack.rbegin(), stack.rend(), [](const Open& o) { return o.style.color.has_value(); });
    const bool on_background =
        std::any_of(stack.begin(), stack.end(), [](const Open& o) { return o.style.background; });
    if (colored != stack.rend() && whitish(*colored->style.color) && !on_background)
      return "white text on the page's white background";
    return "";
  };
  std::string how;                       // hidden_by() of the current stack
  std::size_t next_gt = text.find('>');  // the first '>' at or after the last '<' seen (npos: none left)
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '<' && next_gt != std::string::npos && next_gt < i) next_gt = text.find('>', i);
    const bool tag = text[i] == '<' && i + 1 < text.size() &&
                     (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '/') &&
                     next_gt != std::string::npos && next_gt - i <= k_longest_tag;
    if (!tag) {
      if (!how.empty()) {
        if (how != run_how) {
          flush();
          run_how = how;
        }
        run += text[i];
      }
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    const bool closing = text[j] == '/';
    if (closing) ++j;
    std::string name;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '-'))
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j++])));
    Attributes attrs;
    bool self_closing = false;
    const std::size_t tag_end = std::min(text.size(), i + k_longest_tag);  // a '<' with no '>' soon is text
    while (j < tag_end && text[j] != '>') {
      if (std::isspace(static_cast<unsigned char>(text[j]))) {
        ++j;
        continue;
      }
      if (text[j] == '/') {
        self_closing = true;
        ++j;
        continue;
      }
      std::string attr;
      while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) && text[j] != '=' &&
             text[j] != '>' && text[j] != '/')
        attr += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j++])));
      std::string value;
      if (j < text.size() && text[j] == '=') {
        ++j;
        if (j < text.size() && (text[j] == '"' || text[j] == '\'')) {
          const char q = text[j++];
          while (j < text.size() && text[j] != q) value += text[j++];
          if (j < text.size()) ++j;
        } else {
          while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) && text[j] != '>')
            value += text[j++];
        }
      }
      if (attr.empty()) {
        ++j;  // a stray character such as a quote
        continue;
      }
      self_closing = false;
      attrs.emplace_back(attr, value);
    }
    if (name.empty() || j >= tag_end) {  // not a tag after all (a quote left open): all of it is text
      const std::size_t stop = name.empty() ? i + 1 : j;
      if (!how.empty()) run.append(text, i, stop - i);
      i = stop;
      continue;
    }
    i = j + 1;
    if (closing) {
      const auto match =
          std::find_if(stack.rbegin(), stack.rend(), [&](const Open& o) { return o.name == name; });
      if (match != stack.rend()) stack.erase(std::next(match).base(), stack.end());
    } else if (name == "style" || name == "script") {  // CSS and scripts: not prose, never shown as text
      const auto end = util::to_lower(text).find("</" + name, i);
      i = end == std::string::npos ? text.size() : end;
    } else if (!self_closing && !void_element(name) && stack.size() < k_deepest) {
      stack.push_back({name, element_style(attrs)});
    }
    const std::string now = hidden_by();
    if (now != how) {
      if (!run.empty() && now != run_how) flush();
      how = now;
    }
    if (!how.empty()) run += ' ';
  }
  flush();
  return out;
}

// ---- encoded text ----

namespace {

bool readable(const std::string& bytes) {
  if (bytes.empty()) return false;
  std::size_t printable = 0, letters = 0;
  for (unsigned char c : bytes) {
    printable += (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t' || c == '\r';
    letters += std::isalpha(c) != 0;
  }
  return letters >= 4 && printable * 10 >= bytes.size() * 9;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> base64_decode(std::string_view s, bool url_safe) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : s) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == (url_safe ? '-' : '+'))
      v = 62;
    else if (c == (url_safe ? '_' : '/'))
      v = 63;
    else
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// The media type of a data: URI that ends right before `pos` ("data:image/png;base64," -> "image/png").
std::string data_uri_type(std::string_view text, std::size_t pos) {
  if (pos < 8 || text.substr(pos - 8, 8) != ";base64,") return "";
  const auto from = pos > 120 ? pos - 120 : 0;
  const auto data = text.substr(from, pos - from).rfind("data:");
  if (data == std::string_view::npos) return "";
  return util::to_lower(text.substr(from + data + 5, pos - 8 - (from + data + 5)));
}

// One escape of `family` at text[i]: its value and length; nullopt when there is none.
std::optional<char32_t> escape_at(std::string_view text, std::size_t i, char family, std::size_t& length) {
  auto hex = [&](std::size_t from, std::size_t n) -> std::optional<char32_t> {
    if (from + n > text.size()) return std::nullopt;
    char32_t v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const int h = hex_value(text[from + k]);
      if (h < 0) return std::nullopt;
      v = v * 16 + static_cast<char32_t>(h);
    }
    return v;
  };
  switch (family) {
    case 'x':
      length = 4;
      return text.substr(i, 2) == "\\x" ? hex(i + 2, 2) : std::nullopt;
    case 'u':
      if (text.substr(i, 2) == "\\U") {
        length = 10;
        return hex(i + 2, 8);
      }
      length = 6;
      return text.substr(i, 2) == "\\u" ? hex(i + 2, 4) : std::nullopt;
    case 'o':
      if (i + 4 > text.size() || text[i] != '\\') return std::nullopt;
      for (std::size_t k = 1; k <= 3; ++k)
        if (text[i + k] < '0' || text[i + k] > '7') return std::nullopt;
      length = 4;
      return static_cast<char32_t>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
    case '%':
      length = 3;
      return text[i] == '%' ? hex(i + 1, 2) : std::nullopt;
    case '&': {
      if (text.substr(i, 2) != "&#") return std::nullopt;
      const auto semi = text.substr(0, std::min(text.size(), i + 12)).find(';', i);
      if (semi == std::string_view::npos) return std::nullopt;
      const bool is_hex = i + 2 < text.size() && (text[i + 2] == 'x' || text[i + 2] == 'X');
      const std::string_view digits = text.substr(i + (is_hex ? 3 : 2), semi - i - (is_hex ? 3 : 2));
      if (digits.empty()) return std::nullopt;
      char32_t v = 0;
      for (char d : digits) {
        const int x = is_hex ? hex_value(d) : (d >= '0' && d <= '9' ? d - '0' : -1);
        if (x < 0) return std::nullopt;
        v = v * (is_hex ? 16 : 10) + static_cast<char32_t>(x);
      }
      length = semi - i + 1;
      return v;
    }
  }
  return std::nullopt;
}

const char* escape_name(char family) {
  switch (family) {
    case 'x':
      return "\\x escapes";
    case 'u':
      return "\\u escapes";
    case 'o':
      return "octal escapes";
    case '%':
      return "%-escapes";
    default:
      return "HTML character references";
  }
}

}  // namespace

std::vector<Blob> encoded_text(std::string_view text) {
  std::vector<Blob> out;
  auto base64_char = [](char c) {
    return ascii_alnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '-' || c == '_';
  };
  for (std::size_t i = 0; i < text.size();) {
    if (!base64_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && base64_char(text[j])) ++j;
    const std::string_view run = text.substr(i, j - i);
    const bool standard = run.find_first_of("+/") != std::string_view::npos;
    const bool url_safe = run.find_first_of("-_") != std::string_view::npos;
    const std::string type = data_uri_type(text, i);
    const bool media = util::starts_with(type, "image/") || util::starts_with(type, "audio/") ||
                       util::starts_with(type, "video/") || util::starts_with(type, "font/") ||
                       type == "application/octet-stream" || type == "application/pdf" ||
                       type == "application/zip";
    if (run.size() >= 40 && !(standard && url_safe) && !media) {
      if (auto bytes = base64_decode(run.substr(0, run.size() - (run.size() % 4 == 1 ? 1 : 0)), url_safe);
          bytes && readable(*bytes))
        out.push_back({"base64", *bytes});
    }
    i = j;
  }
  for (char family : {'x', 'u', 'o', '%', '&'}) {
    const char lead = family == '%' ? '%' : family == '&' ? '&' : '\\';
    for (std::size_t i = text.find(lead); i < text.size();) {
      if (text[i] != lead) {
        i = text.find(lead, i);
        continue;
      }
      std::size_t length = 0, count = 0, j = i;
      std::string decoded;
      while (j < text.size()) {
        const auto v = escape_at(text, j, family, length);
        if (!v) break;
        append_utf8(decoded, *v);
        ++count;
        j += length;
      }
      if (count >= 12 && readable(decoded)) out.push_back({escape_name(family), decoded});
      i = count > 0 ? j : i + 1;
    }
  }
  return out;
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= max_bytes + 4) break;
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace judge::prompt::detail
