// SPDX-License-Identifier: MIT
#include "judge/labels/labels.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "judge/labels/csv.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/text.hpp"

namespace judge::labels {

std::string Label::id() const { return item + "#" + dimension + "#" + rater; }

std::optional<double> parse_score_text(std::string_view text, bool& ok) {
  text = util::trim(text);
  ok = true;
  if (text.empty() || text == "NA" || text == "N/A" || text == "na" || text == "n/a") return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    ok = false;
    return std::nullopt;
  }
  return value;
}

namespace {

struct Problems {
  std::string source;
  std::vector<std::string> list;
  void add(int line, const std::string& what) { list.push_back(source + ":" + std::to_string(line) + ": " + what); }
};

std::string score_string(double s) {
  std::ostringstream os;
  os << s;
  return os.str();
}

/// CSV: a header row naming the columns, then one label per record.
void read_csv(const std::string& text, LabelSet& set, Problems& problems) {
  const auto records = parse_csv(text, set.source);
  if (records.empty()) {
    problems.add(1, "empty file: expected a header row with notebook (or item), dimension, score");
    return;
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < records[0].fields.size(); ++i)
    column.emplace(util::to_lower(util::trim(records[0].fields[i])), i);
  auto find = [&](const char* name) -> std::optional<std::size_t> {
    auto it = column.find(name);
    if (it == column.end()) return std::nullopt;
    return it->second;
  };
  auto item_col = find("notebook");
  if (!item_col) item_col = find("item");
  const auto dim_col = find("dimension"), score_col = find("score");
  const auto feedback_col = find("feedback"), rater_col = find("rater"), time_col = find("timestamp");
  const int header_line = records[0].line;
  if (!item_col) problems.add(header_line, "missing column \"notebook\" (or \"item\")");
  if (!dim_col) problems.add(header_line, "missing column \"dimension\"");
  if (!score_col) problems.add(header_line, "missing column \"score\"");
  if (!item_col || !dim_col || !score_col) return;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    auto field = [&](std::optional<std::size_t> col) -> std::string {
      return col && *col < rec.fields.size() ? rec.fields[*col] : std::string();
    };
    if (rec.fields.size() < records[0].fields.size())
      problems.add(rec.line, "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                                 std::to_string(records[0].fields.size()));
    Label l;
    l.line = rec.line;
    l.item = std::string(util::trim(field(item_col)));
    l.dimension = std::string(util::trim(field(dim_col)));
    bool ok = true;
    l.score = parse_score_text(field(score_col), ok);
    if (!ok) problems.add(rec.line, "score \"" + field(score_col) + "\" is not a number (or NA)");
    l.feedback = field(feedback_col);
    l.rater = std::string(util::trim(field(rater_col)));
    l.timestamp = std::string(util::trim(field(time_col)));
    set.labels.push_back(std::move(l));
  }
}

/// JSON Lines: one object per line with the same keys as the CSV columns; score null (or "NA") is N/A.
void read_jsonl(const std::string& text, LabelSet& set, Problems& problems) {
  const auto lines = util::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (util::trim(lines[i]).empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(lines[i]);
    } catch (const nlohmann::json::parse_error& e) {
      problems.add(line, std::string("not valid JSON: ") + e.what());
      continue;
    }
    if (!j.is_object()) {
      problems.add(line, "expected a JSON object");
      continue;
    }
    auto text_of = [&](const char* key) -> std::optional<std::string> {
      auto it = j.find(key);
      if (it == j.end() || it->is_null()) return std::nullopt;
      if (it->is_string()) return it->get<std::string>();
      return it->dump();
    };
    Label l;
    l.line = line;
    auto item = text_of("notebook");
    if (!item) item = text_of("item");
    const auto dimension = text_of("dimension");
    if (!item) problems.add(line, "missing key \"notebook\" (or \"item\")");
    if (!dimension) problems.add(line, "missing key \"dimension\"");
    if (!j.contains("score")) problems.add(line, "missing key \"score\"");
    if (!item || !dimension || !j.contains("score")) continue;
    l.item = *item;
    l.dimension = *dimension;
    const auto& score = j["score"];
    if (score.is_number()) {
      l.score = score.get<double>();
    } else if (score.is_null() || score.is_string()) {
      bool ok = true;
      l.score = score.is_null() ? std::nullopt : parse_score_text(score.get<std::string>(), ok);
      if (!ok) problems.add(line, "score " + score.dump() + " is not a number (or null)");
    } else {
      problems.add(line, "score " + score.dump() + " is not a number (or null)");
    }
    l.feedback = text_of("feedback").value_or("");
    l.rater = text_of("rater").value_or("");
    l.timestamp = text_of("timestamp").value_or("");
    set.labels.push_back(std::move(l));
  }
}

/// The file a notebook id names: "ARCHIVE.dbc!/inside" lives in ARCHIVE.dbc.
std::filesystem::path notebook_file(const std::filesystem::path& dir, const std::string& item) {
  const auto bang = item.find("!/");
  return dir / (bang == std::string::npos ? item : item.substr(0, bang));
}

void check_labels(const LabelSet& set, const LabelCheck& check, Problems& problems) {
  std::map<std::string, int> first_line;
  for (const auto& l : set.labels) {
    if (l.item.empty()) problems.add(l.line, "empty notebook");
    if (l.dimension.empty()) problems.add(l.line, "empty dimension");
    if (auto [it, inserted] = first_line.emplace(l.id(), l.line); !inserted)
      problems.add(l.line, "duplicate row: " + l.id() + " is already labelled on line " + std::to_string(it->second));
    if (check.rubric) {
      const auto& rubric = *check.rubric;
      if (!l.dimension.empty() && !rubric.find(l.dimension)) {
        std::string known;
        for (const auto& d : rubric.dimensions) known += (known.empty() ? "" : ", ") + d.id;
        problems.add(l.line, "unknown dimension \"" + l.dimension + "\" (rubric " + rubric.id + " has " + known + ")");
      }
      const std::string range = std::to_string(rubric.min_score()) + ".." + std::to_string(rubric.max_score());
      if (l.score) {
        const double s = *l.score;
        if (s != static_cast<int>(s) || !rubric.on_scale(static_cast<int>(s)))
          problems.add(l.line, "score " + score_string(s) + " is off the scale (" + range +
                                   (rubric.allows_na ? " or NA" : "") + ")");
      } else if (!rubric.allows_na) {
        problems.add(l.line, "score is NA but rubric " + rubric.id + " has no N/A (scale " + range + ")");
      }
    }
    if (!check.notebooks_dir.empty() && !l.item.empty()) {
      std::error_code ec;
      if (!std::filesystem::exists(notebook_file(check.notebooks_dir, l.item), ec))
        problems.add(l.line, "notebook not found: " + (check.notebooks_dir / l.item).string());
    }
  }
}

bool is_jsonl(const std::filesystem::path& path) {
  const std::string ext = util::to_lower(path.extension().string());
  return ext == ".jsonl" || ext == ".ndjson";
}

}  // namespace

LabelSet read_labels(const std::filesystem::path& path, const LabelCheck& check) {
  const std::string text = util::read_file(path);
  LabelSet set;
  set.source = path.string();
  set.hash = util::sha256_hex(text);
  Problems problems{set.source, {}};
  if (is_jsonl(path))
    read_jsonl(text, set, problems);
  else
    read_csv(text, set, problems);
  check_labels(set, check, problems);
  if (!problems.list.empty()) {
    std::string message = std::to_string(problems.list.size()) + " problem" +
                          (problems.list.size() == 1 ? "" : "s") + " in labels " + set.source + ":";
    for (const auto& p : problems.list) message += "\n  " + p;
    throw Error(message);
  }
  return set;
}

namespace {

/// True when label a is more recent than label b: by timestamp when both have one, else the later row.
bool more_recent(const Label& a, const Label& b) {
  if (!a.timestamp.empty() && !b.timestamp.empty() && a.timestamp != b.timestamp) return a.timestamp > b.timestamp;
  return a.line > b.line;
}

/// Combines the applicable labels of one (item, dimension) by the policy.
double combine(const std::vector<const Label*>& labels, const std::string& policy) {
  std::vector<double> scores;
  for (const auto* l : labels) scores.push_back(*l->score);
  if (policy == "mean") {
    double sum = 0;
    for (double s : scores) sum += s;
    return sum / static_cast<double>(scores.size());
  }
  if (policy == "median") {
    std::sort(scores.begin(), scores.end());
    const std::size_t n = scores.size();
    return n % 2 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
  }
  // majority: the most frequent score; a tie goes to the value holding the most recent label.
  std::map<double, std::pair<int, const Label*>> votes;  // score -> (count, most recent label)
  for (const auto* l : labels) {
    auto& [count, latest] = votes[*l->score];
    ++count;
    if (!latest || more_recent(*l, *latest)) latest = l;
  }
  const std::pair<int, const Label*>* best = nullptr;
  double best_score = 0;
  for (const auto& [score, vote] : votes) {
    if (!best || vote.first > best->first || (vote.first == best->first && more_recent(*vote.second, *best->second))) {
      best = &vote;
      best_score = score;
    }
  }
  return best_score;
}

}  // namespace

std::vector<ResolvedLabel> resolve(const LabelSet& set, const std::string& policy) {
  const bool by_rater = policy != "mean" && policy != "median" && policy != "majority";
  if (by_rater && std::none_of(set.labels.begin(), set.labels.end(), [&](const Label& l) { return l.rater == policy; })) {
    std::set<std::string> raters;
    for (const auto& l : set.labels) raters.insert(l.rater.empty() ? "(none)" : l.rater);
    std::string known;
    for (const auto& r : raters) known += (known.empty() ? "" : ", ") + r;
    throw Error("--raters \"" + policy + "\" is neither mean, median, majority nor a rater in " + set.source +
                    " (raters: " + known + ")",
                ExitCode::usage);
  }
  // Group by (item, dimension), in the order groups first appear in the file.
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, std::vector<const Label*>> groups;
  for (const auto& l : set.labels) {
    if (by_rater && l.rater != policy) continue;
    auto key = std::make_pair(l.item, l.dimension);
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back(&l);
  }
  std::vector<ResolvedLabel> out;
  out.reserve(order.size());
  for (const auto& key : order) {
    const auto& group = groups[key];
    std::vector<const Label*> applicable, na;
    for (const auto* l : group) (l->score ? applicable : na).push_back(l);
    ResolvedLabel r{key.first, key.second, std::nullopt, {}};
    if (na.size() > applicable.size()) {
      r.sources = na;  // the majority says N/A
    } else {
      r.score = combine(applicable, by_rater ? "mean" : policy);
      r.sources = applicable;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace judge::labels
