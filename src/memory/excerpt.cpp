// SPDX-License-Identifier: MIT
#include "judge/memory/excerpt.hpp"

#include <algorithm>
#include <set>

#include "judge/memory/embedding.hpp"
#include "judge/util/text.hpp"

namespace judge::memory {

namespace {

constexpr std::size_t k_outline_chars = 600;  // budget of the headings outline
constexpr std::size_t k_cell_chars = 900;     // longest cell source kept

const std::set<std::string>& stop_words() {
  static const std::set<std::string> words{
      "the",     "and",    "for",      "are",     "but",       "not",    "with",    "where",   "when",
      "that",    "this",   "its",      "their",   "they",      "from",   "into",    "than",    "then",
      "there",   "what",   "which",    "who",     "has",       "have",   "had",     "was",     "were",
      "been",    "being",  "any",      "all",     "each",      "every",  "one",     "two",     "some",
      "such",    "only",   "also",     "can",     "may",       "does",   "done",    "use",     "used",
      "uses",    "using",  "notebook", "step",    "steps",     "way",    "ways",    "before",  "after",
      "without", "other",  "more",     "most",    "less",      "own",    "out",     "how",     "why",
      "per",     "them",   "these",    "those",   "very",      "just",   "like",    "get",     "gets",
      "got",     "via",    "none",     "nothing", "something", "while",  "both",    "either",  "neither",
      "same",    "still",  "instead",  "rather",  "yet",       "though", "well",    "here",    "would",
      "could",   "should", "will",     "about",   "above",     "below",  "because", "between", "over",
      "under",   "again",  "further",  "once"};
  return words;
}

}  // namespace

bool is_stop_word(const std::string& word) { return stop_words().count(word) > 0; }

std::vector<std::string> dimension_vocabulary(const rubric::Dimension& d) {
  std::string text = d.id + " " + d.title + " " + d.description + " " + d.not_applicable;
  for (const auto& l : d.levels) text += " " + l.description;
  for (char& c : text)
    if (c == '_') c = ' ';
  std::set<std::string> vocab;
  for (auto& t : HashedTfidfEmbedder::tokens(text))
    if (t.size() >= 3 && !stop_words().count(t) && t.find('.') == std::string::npos) vocab.insert(t);
  return {vocab.begin(), vocab.end()};
}

namespace {

std::string cell_text(const notebook::Cell& c) {
  std::string out = "[cell " + std::to_string(c.number) + " " + notebook::to_string(c.type) +
                    (c.magic.empty() ? "" : " %" + c.magic) + "]\n" +
                    util::truncate_utf8(c.source, k_cell_chars);
  for (const auto& o : c.outputs)
    if (o.kind == "error") out += "\n[error] " + o.ename + ": " + o.evalue;
  return out + "\n";
}

}  // namespace

std::string excerpt(const notebook::Notebook& nb, const std::vector<std::string>& vocabulary,
                    std::size_t max_chars) {
  std::string outline;
  for (const auto& c : nb.cells) {
    if (c.type != notebook::CellType::markdown) continue;
    for (auto line : util::split_lines(c.source)) {
      line = util::trim(line);
      if (!line.empty() && line.front() == '#' && outline.size() + line.size() < k_outline_chars)
        outline += std::string(line) + "\n";
    }
  }
  // Rank cells by how many distinct words of the dimension's vocabulary they hold (ties: document order),
  // take the best until the budget is spent, then print them in document order.
  const std::set<std::string> vocab(vocabulary.begin(), vocabulary.end());
  std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (overlap, cell index)
  for (std::size_t i = 0; i < nb.cells.size(); ++i) {
    std::set<std::string> hits;
    const auto& c = nb.cells[i];
    std::string text = c.source + " " + c.magic;
    for (const auto& o : c.outputs)
      if (o.kind == "error") text += " " + o.ename + " error";
    for (auto& t : HashedTfidfEmbedder::tokens(text))
      if (vocab.count(t)) hits.insert(t);
    if (!hits.empty()) ranked.emplace_back(hits.size(), i);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::size_t used = outline.size();
  std::vector<std::size_t> chosen;
  for (const auto& [overlap, i] : ranked) {
    const std::size_t size = cell_text(nb.cells[i]).size();
    if (used + size > max_chars) continue;
    used += size;
    chosen.push_back(i);
  }
  std::sort(chosen.begin(), chosen.end());
  std::string out = outline.empty() ? "" : "[outline]\n" + outline;
  for (std::size_t i : chosen) out += cell_text(nb.cells[i]);
  return out;
}

}  // namespace judge::memory
