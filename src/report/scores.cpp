// SPDX-License-Identifier: MIT
#include "judge/report/scores.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "judge/labels/csv.hpp"
#include "judge/labels/labels.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/text.hpp"

namespace judge::report {

namespace {

struct Problems {
  std::string source;
  std::vector<std::string> list;
  void add(int line, const std::string& what) { list.push_back(source + ":" + std::to_string(line) + ": " + what); }
};

/// Fills status and score of `r` from the status text (may be empty) and the score cell.
void set_score(ScoreRecord& r, const std::string& status, const std::optional<std::string>& score_text,
               Problems& problems) {
  std::optional<double> score;
  bool ok = true;
  if (score_text) score = labels::parse_score_text(*score_text, ok);
  if (!ok) problems.add(r.line, "score \"" + *score_text + "\" is not a number (or NA)");
  if (status.empty()) {
    r.status = score ? ScoreStatus::scored : ScoreStatus::not_applicable;
  } else if (status == "scored") {
    r.status = ScoreStatus::scored;
    if (!score && ok) problems.add(r.line, "status scored but no score");
  } else if (status == "not_applicable") {
    r.status = ScoreStatus::not_applicable;
  } else if (status == "unscored") {
    r.status = ScoreStatus::unscored;
  } else {
    problems.add(r.line, "unknown status \"" + status + "\" (scored, not_applicable, unscored)");
  }
  if (r.status == ScoreStatus::scored) r.score = score;
}

void read_csv(const std::string& text, ScoreSet& set, Problems& problems) {
  const auto records = labels::parse_csv(text, set.source);
  if (records.empty()) {
    problems.add(1, "empty file: expected a header row with item (or notebook), dimension, score");
    return;
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < records[0].fields.size(); ++i)
    column.emplace(util::to_lower(util::trim(records[0].fields[i])), i);
  auto find = [&](const char* name) -> std::optional<std::size_t> {
    auto it = column.find(name);
    return it == column.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  };
  auto item_col = find("item");
  if (!item_col) item_col = find("notebook");
  auto rationale_col = find("rationale");
  if (!rationale_col) rationale_col = find("feedback");
  const auto dim_col = find("dimension"), score_col = find("score"), judge_col = find("judge"),
             status_col = find("status");
  const int header = records[0].line;
  if (!item_col) problems.add(header, "missing column \"item\" (or \"notebook\")");
  if (!dim_col) problems.add(header, "missing column \"dimension\"");
  if (!score_col) problems.add(header, "missing column \"score\"");
  if (!item_col || !dim_col || !score_col) return;
  set.records.reserve(records.size() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& rec = records[i];
    auto field = [&](std::optional<std::size_t> col) -> std::string {
      return col && *col < rec.fields.size() ? rec.fields[*col] : std::string();
    };
    ScoreRecord r;
    r.line = rec.line;
    r.item = std::string(util::trim(field(item_col)));
    r.dimension = std::string(util::trim(field(dim_col)));
    r.judge = std::string(util::trim(field(judge_col)));
    r.rationale = field(rationale_col);
    set_score(r, std::string(util::trim(field(status_col))), field(score_col), problems);
    if (r.item.empty() || r.dimension.empty()) problems.add(rec.line, "empty item or dimension");
    set.records.push_back(std::move(r));
  }
}

void read_json_object(const nlohmann::json& j, int line, ScoreSet& set, Problems& problems) {
  if (!j.is_object()) {
    problems.add(line, "expected a JSON object");
    return;
  }
  auto text_of = [&](const char* key) -> std::optional<std::string> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  ScoreRecord r;
  r.line = line;
  auto item = text_of("item");
  if (!item) item = text_of("notebook");
  const auto dimension = text_of("dimension");
  if (!item) problems.add(line, "missing key \"item\" (or \"notebook\")");
  if (!dimension) problems.add(line, "missing key \"dimension\"");
  if (!item || !dimension) return;
  r.item = *item;
  r.dimension = *dimension;
  r.judge = text_of("judge").value_or("");
  r.rationale = text_of("rationale").value_or(text_of("feedback").value_or(""));
  std::optional<std::string> score;
  if (auto it = j.find("score"); it != j.end() && !it->is_null())
    score = it->is_number() ? it->dump() : text_of("score");
  set_score(r, text_of("status").value_or(""), score, problems);
  set.records.push_back(std::move(r));
}

}  // namespace

ScoreSet read_scores(const std::filesystem::path& path) {
  const std::string text = util::read_file(path);
  ScoreSet set;
  set.source = path.string();
  set.hash = util::sha256_hex(text);
  Problems problems{set.source, {}};
  const std::string_view body = util::trim(text);
  if (util::starts_with(body, "[")) {
    try {
      const auto arr = nlohmann::json::parse(text);
      for (std::size_t i = 0; i < arr.size(); ++i) read_json_object(arr[i], static_cast<int>(i) + 1, set, problems);
    } catch (const nlohmann::json::parse_error& e) {
      problems.add(1, std::string("not valid JSON: ") + e.what());
    }
  } else if (util::starts_with(body, "{")) {
    const auto lines = util::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (util::trim(lines[i]).empty()) continue;
      try {
        read_json_object(nlohmann::json::parse(lines[i]), static_cast<int>(i) + 1, set, problems);
      } catch (const nlohmann::json::parse_error& e) {
        problems.add(static_cast<int>(i) + 1, std::string("not valid JSON: ") + e.what());
      }
    }
  } else {
    read_csv(text, set, problems);
  }
  if (!problems.list.empty()) {
    std::string message = std::to_string(problems.list.size()) + " problem" + (problems.list.size() == 1 ? "" : "s") +
                          " in scores " + set.source + ":";
    for (const auto& p : problems.list) message += "\n  " + p;
    throw Error(message);
  }
  return set;
}

}  // namespace judge::report
