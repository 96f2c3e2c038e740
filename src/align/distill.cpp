// SPDX-License-Identifier: MIT
#include "judge/align/distill.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "judge/memory/excerpt.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/text.hpp"

namespace judge::align {

namespace {

std::size_t estimated_tokens(const Record& r) { return (r.label_id.size() + r.feedback.size() + 24) / 4 + 1; }

std::string score_key(const std::optional<double>& s) {
  if (!s) return "NA";
  std::ostringstream out;
  out << *s;
  return out.str();
}

std::string notebook_of(const std::string& label_id) { return label_id.substr(0, label_id.find('#')); }

// Words that negate what follows them in the clause; a contraction ending in "n't" does too.
bool is_negation(const std::string& word) {
  static const std::set<std::string> cues{"no",      "not",  "never", "without", "none",   "nothing",
                                          "missing", "lack", "lacks", "lacking", "cannot", "nor"};
  return cues.count(word) > 0 || word.ends_with("n't");
}

// Words that end a clause, and so the scope of a negation, like ';' or ':'.
bool ends_clause(const std::string& word) {
  return word == "but" || word == "however" || word == "although" || word == "though" || word == "whereas";
}

// Calls on_word with each lower-cased word of a sentence (letters, digits, '_' and an inner apostrophe, ' or
// U+2019: "isn't"), and on_break with each other character, after the word it ends.
template <class OnWord, class OnBreak>
void scan_words(std::string_view sentence, OnWord on_word, OnBreak on_break) {
  std::string word;
  for (std::size_t i = 0; i <= sentence.size(); ++i) {
    const char c = i < sentence.size() ? sentence[i] : ' ';
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      continue;
    }
    const bool apostrophe = c == '\'' || sentence.substr(i, 3) == "\xE2\x80\x99";  // ' or U+2019
    if (apostrophe && !word.empty() && i + 1 < sentence.size()) {
      word += '\'';
      if (c != '\'') i += 2;
      continue;
    }
    if (!word.empty()) on_word(std::move(word));
    word.clear();
    on_break(c);
  }
}

// The lower-cased words of a sentence (scan_words).
std::vector<std::string> words_of(std::string_view sentence) {
  std::vector<std::string> out;
  scan_words(
      sentence, [&](std::string w) { out.push_back(std::move(w)); }, [](char) {});
  return out;
}

// Whether a sentence of feedback only praises: it has a word of approval (k_praise) and none of negation
// (is_negation), contrast (ends_clause) or fault (k_fault). Why: feedback that gives a low score often grants
// something first ("Features come through a Feature Store training set, which is the right mechanism. But
// ..."); such a sentence says what did not cost the points, so it is no example of the low score. A sentence
// saying what should have been done ("The proper approach is to fit the imputer on the training split")
// names a fault: words such as "would", "must", "approach" keep it an example. The lists
// are general words of review, about no notebook and no team's standard; a sentence with both kinds
// ("right, but leaks") is not praise only, so a doubtful sentence stays an example.
bool only_praises(std::string_view sentence) {
  static const std::set<std::string> k_praise{
      "right",         "correct", "correctly", "good",     "proper",     "properly",   "appropriate",
      "appropriately", "sound",   "solid",     "sensible", "sensibly",   "reasonable", "justified",
      "excellent",     "great",   "nice",      "thorough", "thoroughly", "careful",    "carefully"};
  static const std::set<std::string> k_fault{
      "wrong",   "incorrect", "incorrectly", "poor",    "poorly",   "bad",      "leak",        "leaks",
      "leaked",  "leakage",   "only",        "fail",    "fails",    "failed",   "broken",      "crash",
      "crashes", "error",     "errors",      "instead", "yet",      "should",   "unjustified", "would",
      "must",    "need",      "needs",       "needed",  "expected", "approach", "fix"};
  bool approves = false;
  for (const auto& w : words_of(sentence)) {
    if (is_negation(w) || ends_clause(w) || k_fault.count(w)) return false;
    approves = approves || k_praise.count(w) > 0;
  }
  return approves;
}

// How many content words after a negation its phrases take ("no model trained").
constexpr std::size_t k_negation_reach = 2;

// The phrases a sentence supports, in order, each once. Why the negation rule: "No model is trained" must not
// count as "model trained". Plain phrases are pairs of adjacent content words (lower-cased words of 3+
// letters, digits or underscores that are not stop words). A negation word (is_negation) instead yields its
// own phrases with the next one and two content words ("no model", "no model trained"), and no content word
// from it to the end of its clause (';', ':', '(', ')', but, however, although, though, whereas; not ',',
// which also joins lists: "no search, cross-validation or baseline") starts or ends a plain pair. So a phrase
// never drops the negation it is under.
std::vector<std::string> phrases(std::string_view sentence) {
  std::vector<std::string> out;
  auto add = [&](const std::string& key) {
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  };
  std::string previous;  // the last plain content word, "" at a negation and within its scope
  std::string negation;  // the open negation and the content words it took so far; "" when none is open
  std::size_t taken = 0;
  auto on_word = [&](std::string word) {
    if (const auto q = word.find('\''); q != std::string::npos && !word.ends_with("n't"))
      word.erase(q);  // "model's" -> "model"
    if (is_negation(word)) {
      negation = word;
      taken = 0;
      previous.clear();
    } else if (ends_clause(word)) {
      negation.clear();
    } else if (word.size() >= 3 && !memory::is_stop_word(word)) {
      if (negation.empty()) {
        if (!previous.empty()) add(previous + " " + word);
        previous = word;
      } else if (taken < k_negation_reach) {
        negation += " " + word;
        add(negation);
        ++taken;
      }
    }
  };
  scan_words(sentence, on_word, [&](char c) {
    if (c == ';' || c == ':' || c == '(' || c == ')') negation.clear();
  });
  return out;
}

// Sentences: cut after '.', '!' or '?' followed by white space and an upper-case letter or a quote/backtick,
// so "e.g. the" and ".fillna(0)" do not cut.
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && std::isspace(static_cast<unsigned char>(text[i + 1])) &&
        (std::isupper(static_cast<unsigned char>(text[i + 2])) || text[i + 2] == '`' || text[i + 2] == '"')) {
      out.emplace_back(util::trim(std::string_view(text).substr(start, i + 1 - start)));
      start = i + 2;
    }
  }
  const auto rest = util::trim(std::string_view(text).substr(std::min(start, text.size())));
  if (!rest.empty()) out.emplace_back(rest);
  return out;
}

std::string scale_name(const rubric::Rubric& rubric, const std::optional<double>& s) {
  if (!s) return "N/A";
  for (const auto& p : rubric.scale)
    if (p.score == *s) return "Score " + score_key(s) + " (" + p.name + ")";
  return "Score " + score_key(s);
}

// How many times a phrase's share of its own score's labels must be its share of any other score's labels.
constexpr std::size_t k_min_lift = 2;

// The number of labels whose feedback has `phrase` or a phrase related to it: one that begins with it or that
// it begins with, word for word ("no error" and "no error outputs": the longer is the shorter said more
// precisely). A phrase inside another after a negation ("model trained" in "no model trained") is its
// opposite, so only prefixes relate. `phrases` maps each phrase of one score to what it needs here, its
// labels.
template <typename PhraseMap>
std::size_t labels_with_related(const PhraseMap& phrases, const std::string& phrase) {
  std::set<std::string> labels;
  auto add = [&](const std::string& key) {
    if (const auto it = phrases.find(key); it != phrases.end())
      labels.insert(it->second.labels.begin(), it->second.labels.end());
  };
  for (std::size_t space = phrase.find(' '); space != std::string::npos; space = phrase.find(' ', space + 1))
    add(phrase.substr(0, space));  // the shorter phrases it begins with
  add(phrase);
  const std::string longer = phrase + " ";  // the phrases that begin with it: one run of the sorted map
  for (auto it = phrases.lower_bound(longer); it != phrases.end() && it->first.starts_with(longer); ++it)
    labels.insert(it->second.labels.begin(), it->second.labels.end());
  return labels.size();
}

// Whether a phrase in `own` of the `own_total` labels of its score stands out against another score where
// `other` of its `other_total` labels have it or a related phrase: own / own_total >= k_min_lift * other /
// other_total (cross-multiplied, so in whole numbers). Why: a guideline tells a judge something only when its
// phrase is characteristic of its score; "code cells", in 15 of 20 bad and 9 of 13 average labels, is
// neither. This is the growth rate of an emerging pattern (Dong and Li, "Efficient mining of emerging
// patterns: discovering trends and differences", KDD 1999), the contrast (lift) that discriminative keyphrase
// and n-gram selection ranks by, with the threshold 2 ("twice as frequent"). It is asked against each other
// score on its own, not against all others pooled, so that a phrase passes under one score of a dimension at
// most: if p passed under s and a related q under t, then share_s(p) >= 2 share_t(q) >= 4 share_s(p), a
// contradiction.
bool stands_out(std::size_t own, std::size_t own_total, std::size_t other, std::size_t other_total) {
  return own * other_total >= k_min_lift * other * own_total;
}

}  // namespace

std::vector<std::vector<Record>> make_batches(const std::vector<Record>& records, const BatchLimits& limits) {
  std::vector<std::vector<Record>> batches;
  std::size_t tokens = 0;
  for (const auto& r : records) {
    const std::size_t t = estimated_tokens(r);
    if (batches.empty() || batches.back().size() >= limits.max_records || tokens + t > limits.max_tokens) {
      batches.emplace_back();
      tokens = 0;
    }
    batches.back().push_back(r);
    tokens += t;
  }
  return batches;
}

std::vector<memory::Guideline> distill_extractive(const rubric::Rubric& rubric, const std::string& dimension,
                                                  const std::vector<Record>& records,
                                                  std::size_t max_per_score) {
  struct Phrase {
    std::set<std::string> labels;
    std::set<std::string> notebooks;
    std::vector<std::string> sentences;
  };
  struct Group {
    std::optional<double> score;
    bool low = false;              // below the middle of the scale: its examples must not be praise
    std::set<std::string> labels;  // the labels of this score with feedback
    std::map<std::string, Phrase> phrases;
    std::vector<std::pair<std::string, std::vector<std::string>>>
        sentence_phrases;  // sentence -> its phrases
  };
  std::map<std::string, Group> groups;  // by score key: "1" < "2" < "3" < "NA"
  for (const auto& r : records) {
    if (r.dimension != dimension || util::trim(r.feedback).empty()) continue;
    Group& g = groups[score_key(r.score)];
    g.score = r.score;
    g.low = r.score && 2 * *r.score < double(rubric.min_score() + rubric.max_score());
    g.labels.insert(r.label_id);
    for (const auto& s : sentences(r.feedback)) {
      const auto keys = phrases(s);
      for (const auto& key : keys) {
        Phrase& p = g.phrases[key];
        p.labels.insert(r.label_id);
        p.notebooks.insert(notebook_of(r.label_id));
        p.sentences.push_back(s);
      }
      g.sentence_phrases.emplace_back(s, keys);
    }
  }
  std::vector<memory::Guideline> out;
  for (auto& [key, g] : groups) {
    std::vector<std::pair<std::string, const Phrase*>> candidates;
    for (const auto& [text, p] : g.phrases) {
      if (p.notebooks.size() < 2) continue;
      bool characteristic = true;
      for (const auto& [other_key, other] : groups)
        if (other_key != key && !stands_out(p.labels.size(), g.labels.size(),
                                            labels_with_related(other.phrases, text), other.labels.size()))
          characteristic = false;
      if (characteristic) candidates.emplace_back(text, &p);
    }
    // Most notebooks first; at a tie the longer phrase ("no model trained" before "no model").
    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
      if (a.second->notebooks.size() != b.second->notebooks.size())
        return a.second->notebooks.size() > b.second->notebooks.size();
      return std::count(a.first.begin(), a.first.end(), ' ') >
             std::count(b.first.begin(), b.first.end(), ' ');
    });
    std::map<std::string, double> support;  // sentence -> mean support of its phrases
    for (const auto& [s, keys] : g.sentence_phrases)
      for (const auto& k : keys) support[s] += double(g.phrases[k].notebooks.size()) / double(keys.size());
    std::set<std::string> covered;
    std::size_t taken = 0;
    for (const auto& [phrase, p] : candidates) {
      if (taken >= max_per_score) break;
      std::size_t overlap = 0;
      for (const auto& l : p->labels) overlap += covered.count(l);
      if (overlap * 3 >= p->labels.size() * 2) continue;
      // The example: the most representative sentence that is not praise under a low score; a phrase said
      // only in praise there is no reason for the score, and gives no guideline.
      std::optional<std::string> best;
      for (const auto& s : p->sentences) {
        if (g.low && only_praises(s)) continue;
        if (!best || support[s] > support[*best] ||
            (support[s] == support[*best] &&
             (s.size() < best->size() || (s.size() == best->size() && s < *best))))
          best = s;
      }
      if (!best) continue;
      memory::Guideline gl;
      gl.dimension = dimension;
      gl.source = "extractive";
      gl.text = scale_name(rubric, g.score) + ": feedback often says \"" + phrase + "\" (" +
                std::to_string(p->labels.size()) + " labels), e.g. \"" + *best + "\"";
      gl.cites.assign(p->labels.begin(), p->labels.end());
      covered.insert(p->labels.begin(), p->labels.end());
      out.push_back(std::move(gl));
      ++taken;
    }
  }
  return out;
}

llm::ChatRequest reflection_request(const rubric::Rubric& rubric, const rubric::Dimension& dimension,
                                    const std::vector<Record>& batch,
                                    const std::vector<memory::Guideline>& known) {
  std::ostringstream user;
  user << "Dimension: " << dimension.id << " (" << dimension.title << ")\n"
       << util::trim(dimension.description) << "\n\nScale:\n";
  for (const auto& p : rubric.scale) {
    const auto* level = dimension.level(p.score);
    user << "- " << p.score << " (" << p.name << "): " << util::trim(level ? level->description : p.meaning)
         << "\n";
  }
  if (!dimension.not_applicable.empty()) user << "- N/A: " << util::trim(dimension.not_applicable) << "\n";
  if (!known.empty()) {
    user << "\nGuidelines already known (do not repeat them; you may cite new records for them by restating "
            "one):\n";
    for (const auto& g : known) user << "- " << g.text << "\n";
  }
  user << "\nReviewer feedback records (JSON Lines: id, score, feedback):\n";
  for (const auto& r : batch) {
    nlohmann::ordered_json j;
    j["id"] = r.label_id;
    j["score"] = r.score ? nlohmann::ordered_json(*r.score) : nlohmann::ordered_json("NA");
    j["feedback"] = r.feedback;
    user << j.dump() << "\n";
  }
  user
      << "\nWrite the guidelines these records support: each one sentence, general (about no single "
         "notebook), "
         "saying what earns or loses points on this dimension or when it is N/A, and citing the ids of every "
         "record that supports it. Reply with JSON only: {\"guidelines\": [{\"text\": \"...\", \"cites\": "
         "[\"id\", ...]}]}";
  llm::ChatRequest req;
  req.messages = {{"system",
                   "You distill expert reviewers' feedback on machine-learning notebooks into short, general "
                   "guidelines that a judge can apply to other notebooks."},
                  {"user", user.str()}};
  req.temperature = 0;
  req.max_tokens = 2048;
  req.schema_name = "guidelines";
  req.response_schema = nlohmann::json::parse(R"({
    "type": "object", "additionalProperties": false, "required": ["guidelines"],
    "properties": {"guidelines": {"type": "array", "items": {
      "type": "object", "additionalProperties": false, "required": ["text", "cites"],
      "properties": {"text": {"type": "string"}, "cites": {"type": "array", "items": {"type": "string"}}}}}}})");
  return req;
}

std::optional<std::vector<memory::Guideline>> parse_reflection(const std::string& reply,
                                                               const std::string& dimension,
                                                               const std::vector<Record>& batch,
                                                               std::string& error) {
  std::string_view text = util::trim(reply);
  if (util::starts_with(text, "```")) {  // ```json ... ```
    text.remove_prefix(
        std::min(text.size(), text.find('\n') == std::string_view::npos ? text.size() : text.find('\n') + 1));
    if (const auto end = text.rfind("```"); end != std::string_view::npos) text = text.substr(0, end);
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    error = std::string("reply is not JSON: ") + util::json_error_text(e);
    return std::nullopt;
  }
  if (j.is_object() && j.contains("guidelines")) j = j["guidelines"];
  if (!j.is_array()) {
    error = "reply is not a list of guidelines";
    return std::nullopt;
  }
  std::set<std::string> ids;
  for (const auto& r : batch) ids.insert(r.label_id);
  std::vector<memory::Guideline> out;
  for (const auto& item : j) {
    if (!item.is_object() || !item.contains("text") || !item["text"].is_string()) {
      error = "a guideline has no \"text\" string";
      return std::nullopt;
    }
    memory::Guideline g;
    g.dimension = dimension;
    g.source = "reflection";
    g.text = std::string(util::trim(item["text"].get<std::string>()));
    if (item.contains("cites") && item["cites"].is_array())
      for (const auto& c : item["cites"])
        if (c.is_string() && ids.count(c.get<std::string>())) g.cites.push_back(c.get<std::string>());
    std::sort(g.cites.begin(), g.cites.end());
    g.cites.erase(std::unique(g.cites.begin(), g.cites.end()), g.cites.end());
    if (!g.text.empty() && !g.cites.empty()) out.push_back(std::move(g));
  }
  return out;
}

}  // namespace judge::align
