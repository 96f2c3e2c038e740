// SPDX-License-Identifier: MIT
// Near-duplicate guidelines merged into one (align when it saves guidelines, the LLM memory section when it
// cuts them to a budget).
#include "judge/memory/merge.hpp"

#include <algorithm>
#include <cctype>

#include "judge/memory/fact_rule.hpp"

namespace judge::memory {

namespace {

constexpr double k_near_duplicate = 0.8;

std::set<std::string> word_set(const std::string& text) {
  std::set<std::string> out;
  std::string word;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)))
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!word.empty()) {
      out.insert(word);
      word.clear();
    }
  }
  return out;
}

double jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 1;
  std::size_t common = 0;
  for (const auto& w : a) common += b.count(w);
  return double(common) / double(a.size() + b.size() - common);
}

}  // namespace

std::vector<Guideline> merge_guidelines(std::vector<Guideline> guidelines,
                                        const std::set<std::string>& valid_labels) {
  std::vector<Guideline> out;
  std::vector<std::set<std::string>> words;
  for (auto& g : guidelines) {
    std::erase_if(g.cites, [&](const std::string& c) { return !valid_labels.count(c); });
    if (g.cites.empty() && g.source != "manual") continue;
    const auto w = word_set(g.text);
    bool merged = false;
    // Only the same text is merged into a rule, or merges a rule or a person's guideline away: two rules
    // share most words and still say different things ("... -> score 1" and "... -> score 2"), and a manual
    // guideline is never dropped for a near one (a distilled one may merge into it).
    const bool exact_only = is_fact_rule(g.text) || g.source == "manual";
    for (std::size_t i = 0; i < out.size() && !merged; ++i) {
      if (out[i].dimension != g.dimension || jaccard(words[i], w) < k_near_duplicate) continue;
      if ((exact_only || is_fact_rule(out[i].text)) && out[i].text != g.text) continue;
      std::set<std::string> all(out[i].cites.begin(), out[i].cites.end());
      all.insert(g.cites.begin(), g.cites.end());
      out[i].cites.assign(all.begin(), all.end());
      merged = true;
    }
    if (merged) continue;
    std::sort(g.cites.begin(), g.cites.end());
    g.cites.erase(std::unique(g.cites.begin(), g.cites.end()), g.cites.end());
    out.push_back(std::move(g));
    words.push_back(w);
  }
  return out;
}

}  // namespace judge::memory
