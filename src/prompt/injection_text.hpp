// SPDX-License-Identifier: MIT
// The text side of the prompt-injection detector (injection.cpp): what a model reads that a person does
// not see (invisible characters, hidden HTML, encoded blobs), and the normalised tokens the phrase patterns
// run over. Internal to the prompt module.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace judge::prompt::detail {

/// A text made comparable with the patterns, and what was invisible in it.
struct Normalized {
  /// The text with invisible characters (zero-width, bidirectional controls, Unicode tags, variation
  /// selectors, soft hyphens) removed; fullwidth forms, mathematical letters and Cyrillic/Greek look-alikes
  /// mapped to ASCII letters; curly quotes and exotic spaces made ASCII; HTML character references decoded.
  /// Case is kept (SYSTEM and OVERRIDE are matched in capitals).
  std::string text;
  /// What was invisible and suspicious, one description each ("zero-width character U+200B inside a word
  /// (\"ig?nore\")", "bidirectional control character U+202E", ...); empty when nothing was.
  std::vector<std::string> invisible;
  /// The ASCII text spelt by Unicode tag characters (U+E0020-U+E007E), which render as nothing but which
  /// tokenizers read; "" when there are none outside emoji flag sequences.
  std::string tag_text;
};

/// Normalises UTF-8 `raw` (invalid bytes are kept as they are). `code`: the text is a code cell's source or
/// an output, whose "\n", "\t", "\r" escapes are read as white space.
Normalized normalize(std::string_view raw, bool code);

/// One token of a normalised text.
struct Token {
  enum class Kind { word, number, punct };
  Kind kind = Kind::punct;
  std::string_view
      lower;  ///< words: ASCII lower case; numbers and punctuation: as written (in Tokens::lower)
  std::size_t begin = 0, end = 0;  ///< byte range in the normalised text
  bool upper = false;              ///< a word of 2+ letters, all capitals
  bool line_start = false;         ///< first token of its line, or of a comment (after # or //)
  bool paragraph_start = false;    ///< first token after a blank line (or of the text)
  int small_int = -1;              ///< numbers: the value when an integer 0..10 without a fraction, else -1
};

/// The tokens of a text, with the lower-case copy of the text their `lower` views point into (held by a
/// unique_ptr so that moving Tokens keeps the views valid).
struct Tokens {
  std::unique_ptr<const std::string> lower;
  std::vector<Token> list;
};

/// Splits a normalised text into tokens. Words are runs of letters, digits, '_' and bytes >= 0x80, with an
/// inner apostrophe ("don't") or hyphen ("pre-approved") kept; leading and trailing '_' are dropped. A
/// number is a run of digits, with a fraction when '.' and digits follow. Markdown and comment markup
/// (# // * ` ~ > | \) is dropped; every other non-space character is a punctuation token.
Tokens tokenize(std::string_view text);

/// Text of a markdown cell that a reader of the rendered notebook does not see.
struct Hidden {
  std::string how;   ///< "HTML comment", "markdown comment", "element hidden by display:none", ...
  std::string text;  ///< the hidden text, tags removed
  /// True for comments, which notebooks also use for text put aside: flagged only when the text reads as
  /// addressed to the judge. Hidden elements and invisible styling are flagged whenever they hold two or
  /// more words or numbers.
  bool comment = false;
};

/// The hidden text of a markdown source: HTML comments (<!-- -->), markdown comments ([//]: # (...)) and the
/// text of HTML elements made invisible (hidden attribute; display:none; visibility:hidden; opacity 0;
/// font size under 2px; transparent text; white or near-white text with no coloured background around it;
/// text of the same colour as its background; text moved off-screen or clipped away). Code spans and fenced
/// code blocks are left out (they show HTML rather than render it).
std::vector<Hidden> hidden_markdown_text(std::string_view markdown);

/// A run of encoded characters that decodes to text.
struct Blob {
  std::string how;  ///< "base64", "\\x escapes", "\\u escapes", "octal escapes", "%-escapes", "HTML character
                    ///< references"
  std::string text;  ///< the decoded text
};

/// The encoded blobs of `text` that decode to readable text: base64 runs of 40+ characters (standard or
/// URL-safe alphabet; data: URIs of images, audio, video and fonts left out), and 12+ consecutive \xHH,
/// \uHHHH, \NNN, %HH or &#N; escapes. "Readable": at least 90% printable ASCII, at least 4 letters.
std::vector<Blob> encoded_text(std::string_view text);

/// At most `max_bytes` of `text` on a UTF-8 boundary, white space runs made one space, trimmed.
std::string excerpt(std::string_view text, std::size_t max_bytes);

}  // namespace judge::prompt::detail
