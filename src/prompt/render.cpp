// SPDX-License-Identifier: MIT
// Rendering a notebook for a model within a token budget, keeping the cells that matter most.
#include <algorithm>
#include <set>

#include "judge/prompt/prompt.hpp"
#include "judge/util/text.hpp"

namespace judge::prompt {

namespace {

std::size_t count_occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size()))
    ++n;
  return n;
}

std::string render_cell(const notebook::Cell& c, const RenderOptions& options) {
  std::string out = "\n[cell " + std::to_string(c.number) + ": " + notebook::to_string(c.type);
  if (!c.magic.empty()) out += " %" + c.magic;
  out += "]";
  if (!c.title.empty()) out += " " + c.title;
  out += "\n" + c.source;
  if (!c.source.empty() && c.source.back() != '\n') out += "\n";
  for (const auto& o : c.outputs) {
    out += "[output: " + o.kind;
    if (!o.ename.empty()) out += " " + o.ename + ": " + o.evalue;
    out += "]\n" + util::truncate_utf8(o.text, options.max_output_bytes);
    if (out.back() != '\n') out += "\n";
  }
  return out;
}

std::string omitted_marker(int first, int last) {
  return first == last ? "\n[cell " + std::to_string(first) + " omitted: over the token budget]\n"
                       : "\n[cells " + std::to_string(first) + "-" + std::to_string(last) +
                             " omitted: over the token budget]\n";
}

}  // namespace

std::size_t estimate_tokens(std::string_view text) { return (text.size() + 3) / 4; }

std::vector<std::string> dimension_keywords(const rubric::Dimension& dimension) {
  std::set<std::string> words(dimension.keywords.begin(), dimension.keywords.end());
  const std::string text = util::to_lower(dimension.title + " " + dimension.description);
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (c >= 'a' && c <= 'z') {
      word += c;
      continue;
    }
    if (word.size() >= 6) words.insert(word);
    word.clear();
  }
  return {words.begin(), words.end()};
}

std::size_t relevance(const notebook::Cell& cell, const std::vector<std::string>& keywords) {
  std::string text = cell.source;
  for (const auto& o : cell.outputs) text += "\n" + o.text + " " + o.ename;
  text = util::to_lower(text);
  std::size_t n = 0;
  for (const auto& k : keywords) n += count_occurrences(text, k);
  return n;
}

// Why: a budget that cannot hold the whole notebook should still show the model the evidence for the
// dimension it scores. Cells are taken greedily by keyword relevance; the omission markers cost bytes too,
// so when the composed text overshoots, the pass is repeated with that overshoot reserved (a few rounds at
// most: reserving room only removes cells, which merges runs and never adds markers beyond one per cell).
RenderedNotebook render_notebook(const notebook::Notebook& nb,
                                 const std::vector<const rubric::Dimension*>& dimensions,
                                 const RenderOptions& options) {
  const std::string header =
      "Notebook " + (nb.name.empty() ? nb.path : nb.name) + " (" + notebook::to_string(nb.format) +
      (nb.language.empty() ? "" : ", " + nb.language) + ", " + std::to_string(nb.cells.size()) + " cells)\n";
  std::vector<std::string> blocks;
  for (const auto& c : nb.cells) blocks.push_back(render_cell(c, options));

  RenderedNotebook result;
  result.text = header;
  for (const auto& b : blocks) result.text += b;
  const std::size_t budget_bytes = options.token_budget * 4;
  if (result.text.size() <= budget_bytes) {
    result.tokens = estimate_tokens(result.text);
    return result;
  }

  std::vector<std::size_t> score(nb.cells.size(), 0);
  for (const auto* d : dimensions) {
    const auto keywords = dimension_keywords(*d);
    for (std::size_t i = 0; i < nb.cells.size(); ++i) score[i] += relevance(nb.cells[i], keywords);
  }
  std::vector<std::size_t> order(nb.cells.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });

  constexpr std::size_t k_min_shortened = 200;  // bytes; a shorter piece of a cell is not worth showing
  constexpr std::size_t k_marker_room = 40;     // bytes that truncate_utf8's marker and a newline may add
  std::size_t reserve = 0;
  while (true) {
    std::vector<std::string> kept(blocks.size());
    std::vector<bool> shortened(blocks.size(), false);
    std::size_t avail = budget_bytes > header.size() + reserve ? budget_bytes - header.size() - reserve : 0;
    bool cut_one = false;
    for (std::size_t i : order) {
      if (blocks[i].size() <= avail) {
        kept[i] = blocks[i];
      } else if (!cut_one && avail >= k_min_shortened) {
        kept[i] = util::truncate_utf8(blocks[i], avail - k_marker_room) + "\n";
        shortened[i] = cut_one = true;
      } else {
        continue;
      }
      avail -= std::min(avail, kept[i].size());
    }
    result = {};
    result.text = header;
    for (std::size_t i = 0; i < blocks.size();) {
      if (!kept[i].empty()) {
        result.text += kept[i];
        if (shortened[i]) result.cells_shortened.push_back(nb.cells[i].number);
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < blocks.size() && kept[j].empty()) result.cells_cut.push_back(nb.cells[j++].number);
      result.text += omitted_marker(nb.cells[i].number, nb.cells[j - 1].number);
      i = j;
    }
    if (result.text.size() <= budget_bytes || reserve >= budget_bytes) break;
    reserve += result.text.size() - budget_bytes;
  }
  result.tokens = estimate_tokens(result.text);
  return result;
}

}  // namespace judge::prompt
