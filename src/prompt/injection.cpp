// SPDX-License-Identifier: MIT
// Detecting text in a notebook that tries to instruct the judge (prompt injection).
#include <regex>

#include "judge/prompt/prompt.hpp"
#include "judge/util/text.hpp"

namespace judge::prompt {

namespace {

// Phrasings seen in injection attempts against LLM graders; listed in docs/prompt.md. Matched
// case-insensitively within one line; [^.\n]{0,N} allows a few words in between.
const std::vector<std::regex>& patterns() {
  static const auto flags = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;
  static const std::vector<std::regex> k_patterns = {
      std::regex(R"(\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(instructions?|prompts?|rules|rubric|guidelines)\b)",
                 flags),
      std::regex(R"(\b(give|assign|award)\b[^.\n]{0,40}\b(score|grade|rating|marks?|points?)\s+of\s+\d)", flags),
      std::regex(R"(\b(rate|score|grade)\s+(this|the)\s+(notebook|submission|code|work)\b[^.\n]{0,20}\d)", flags),
      std::regex(R"(\b(this|the)\s+notebook\s+(deserves|should\s+(get|receive|be\s+given))\b)", flags),
      std::regex(R"(\byou\s+are\s+(now\s+)?(the|an?)\s+(grader|judge|evaluator|reviewer|assessor|language\s+model)\b)",
                 flags),
      std::regex(R"(\b(note|message|instructions?)\s+(to|for)\s+(the\s+)?(ai|llm|grader|judge|evaluator|assistant)\b)",
                 flags),
      std::regex(R"(\bsystem\s+prompt\b|\bnew\s+instructions\s*:)", flags),
  };
  return k_patterns;
}

// The text of a cell that is prose rather than code: markdown and raw cells whole; for code cells the
// comments ("#", "//", "--" to the end of the line; a marker inside a string literal also counts).
std::string prose_of(const notebook::Cell& cell) {
  if (cell.type != notebook::CellType::code) return cell.source;
  std::string out;
  for (auto line : util::split_lines(cell.source)) {
    for (const char* marker : {"#", "//", "--"}) {
      if (auto pos = line.find(marker); pos != std::string_view::npos) {
        out.append(line.substr(pos));
        out += '\n';
        break;
      }
    }
  }
  return out;
}

}  // namespace

std::vector<InjectionFinding> detect_injection(const notebook::Notebook& nb) {
  std::vector<InjectionFinding> findings;
  for (const auto& cell : nb.cells) {
    const std::string text = prose_of(cell);
    for (const auto& re : patterns()) {
      std::smatch m;
      if (std::regex_search(text, m, re)) {
        findings.push_back({cell.number, m.str().substr(0, 80)});
        break;  // one finding per cell is enough to flag it
      }
    }
  }
  return findings;
}

}  // namespace judge::prompt
