// SPDX-License-Identifier: MIT
#include "judge/measure/scores.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "judge/labels/labels.hpp"
#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"

namespace judge::measure {

namespace {

/// A file of labels given as scores (--labels and --scores swapped): a rater and no judge. Read as scores it
/// would be one unnamed judge agreeing with whoever the labels are.
constexpr const char* k_labels_not_scores =
    "a rater and no judge: this is a labels file (give it as --labels); score records name the judge that "
    "gave them in a judge column (judge eval writes one)";

/// Fills status and score of `r` from the status text (may be empty) and the score cell.
void set_score(ScoreRecord& r, const std::string& status, const std::optional<std::string>& score_text,
               util::Problems& problems) {
  std::optional<double> score;
  bool ok = true;
  if (score_text) score = labels::parse_score_text(*score_text, ok);
  if (!ok) problems.add(r.line, "score \"" + *score_text + "\" is not a number (or NA)");
  if (status.empty()) {
    r.status = score ? verdict::Status::scored : verdict::Status::not_applicable;
  } else if (const auto parsed = verdict::parse_status(status)) {
    r.status = verdict::measured(*parsed);  // unreadable: eval could not read the file; counted as unscored
    if (r.status == verdict::Status::scored && !score && ok)
      problems.add(r.line, "status scored but no score");
    if (*parsed != verdict::Status::scored && score)  // judge eval writes no score with another status
      problems.add(r.line, "status " + status + " but score " + labels::format_score(*score) +
                               ": give status scored, or no score (NA, null)");
  } else {
    problems.add(r.line, "unknown status \"" + status + "\" (" + verdict::status_list() + ")");
  }
  if (r.status == verdict::Status::scored) r.score = score;
}

/// "a;b" -> {"a", "b"}: the CSV form of flags and injection cells (blank parts dropped).
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ";") {
    if (c != ';') {
      cur += c;
      continue;
    }
    if (auto part = util::trim(cur); !part.empty()) out.emplace_back(part);
    cur.clear();
  }
  return out;
}

/// Reads cell numbers ("3", 3) into r.injection_cells; a part that is not a positive whole number is a
/// problem.
void add_cell(ScoreRecord& r, const std::string& text, util::Problems& problems) {
  std::size_t used = 0;
  int n = 0;
  try {
    n = std::stoi(text, &used);
  } catch (...) {
    used = 0;
  }
  if (used != text.size() || n < 1)
    problems.add(r.line, "injection_cells: \"" + text + "\" is not a cell number");
  else
    r.injection_cells.push_back(n);
}

/// True when `first_line` is the header of `judge eval --format table` ("notebook  mt  mu ...", columns
/// separated by spaces) or `--format markdown` ("| notebook | ... |"): a grid for people, not records.
bool is_eval_grid_header(std::string_view first_line) {
  first_line = util::trim(first_line);
  if (util::starts_with(first_line, "|")) return true;
  return util::starts_with(first_line, "notebook ") && first_line.find(',') == std::string_view::npos;
}

void read_csv(const std::string& text, ScoreSet& set, util::Problems& problems) {
  const auto records = util::parse_csv(text, set.source);
  if (records.empty()) {
    problems.add(1, "the file is empty: no header row (item or notebook, dimension, score)");
    return;
  }
  const util::CsvHeader header(records[0]);
  const auto item_col = header.find({"item", "notebook"}), dim_col = header.find({"dimension"}),
             score_col = header.find({"score"}), judge_col = header.find({"judge"}),
             status_col = header.find({"status"}), rationale_col = header.find({"rationale", "feedback"}),
             flags_col = header.find({"flags"}), cells_col = header.find({"injection_cells"}),
             in_memory_col = header.find({"labelled_in_memory"});
  if ((!item_col || !dim_col || !score_col) &&
      is_eval_grid_header(util::split_lines(text)[header.line() - 1])) {
    const std::string records = "judge eval " + setting("format") + " jsonl (or csv)";
    problems.add(
        header.line(),
        "this is judge eval's table or markdown output, a grid for reading, not score records: use " +
            records);
    return;
  }
  if (!item_col) problems.add(header.line(), "missing column \"item\" (or \"notebook\")");
  if (!dim_col) problems.add(header.line(), "missing column \"dimension\"");
  if (!score_col) problems.add(header.line(), "missing column \"score\"");
  if (!item_col || !dim_col || !score_col) return;
  if (header.find({"rater"}) && !judge_col) {
    problems.add(header.line(), k_labels_not_scores);
    return;
  }
  set.records.reserve(records.size() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& rec = records[i];
    if (rec.fields.size() != header.size())
      problems.add(rec.line, "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                                 std::to_string(header.size()));
    ScoreRecord r;
    r.line = rec.line;
    r.item = std::string(util::trim(util::field(rec, item_col)));
    r.dimension = std::string(util::trim(util::field(rec, dim_col)));
    r.judge = std::string(util::trim(util::field(rec, judge_col)));
    r.rationale = util::field(rec, rationale_col);
    r.flags = split_list(util::field(rec, flags_col));
    for (const auto& cell : split_list(util::field(rec, cells_col))) add_cell(r, cell, problems);
    // judge eval --memory --format csv: true / false (empty: not said, as a JSON record without the key).
    if (const std::string in = util::to_lower(util::trim(util::field(rec, in_memory_col))); in == "true")
      r.labelled_in_memory = true;
    else if (!in.empty() && in != "false")
      problems.add(rec.line, "labelled_in_memory must be true or false, not \"" + in + "\"");
    set_score(r, std::string(util::trim(util::field(rec, status_col))), util::field(rec, score_col),
              problems);
    if (r.item.empty() || r.dimension.empty()) problems.add(rec.line, "empty item or dimension");
    set.records.push_back(std::move(r));
  }
}

// `labels_said`: whether the file was found a labels file already (said once, at its first record).
void read_json_object(const nlohmann::json& j, int line, ScoreSet& set, util::Problems& problems,
                      bool& labels_said) {
  if (!j.is_object()) {
    problems.add(line, "expected a JSON object");
    return;
  }
  ScoreRecord r;
  r.line = line;
  auto item = util::json_text(j, "item");
  if (!item) item = util::json_text(j, "notebook");
  const auto dimension = util::json_text(j, "dimension");
  if (!item) problems.add(line, "missing key \"item\" (or \"notebook\")");
  if (!dimension) problems.add(line, "missing key \"dimension\"");
  if (!item || !dimension) return;
  r.item = *item;
  r.dimension = *dimension;
  if (j.contains("rater") && !j.contains("judge")) {
    if (!labels_said) problems.add(line, k_labels_not_scores);
    labels_said = true;
    return;
  }
  r.judge = util::json_text(j, "judge").value_or("");
  r.rationale = util::json_text(j, "rationale").value_or(util::json_text(j, "feedback").value_or(""));
  set_score(r, util::json_text(j, "status").value_or(""), util::json_text(j, "score"), problems);
  if (const auto flags = j.find("flags"); flags != j.end() && !flags->is_null()) {
    bool ok = flags->is_array();
    for (const auto& f : ok ? *flags : nlohmann::json::array()) {
      ok = ok && f.is_string();
      if (f.is_string()) r.flags.push_back(f.get<std::string>());
    }
    if (!ok) problems.add(line, "flags must be an array of strings");
  }
  if (const auto in = j.find("labelled_in_memory"); in != j.end() && !in->is_null()) {
    if (in->is_boolean())
      r.labelled_in_memory = in->get<bool>();
    else
      problems.add(line, "labelled_in_memory must be true or false");
  }
  if (const auto cells = j.find("injection_cells"); cells != j.end() && !cells->is_null()) {
    if (!cells->is_array()) problems.add(line, "injection_cells must be an array of cell numbers");
    for (const auto& c : cells->is_array() ? *cells : nlohmann::json::array())
      add_cell(r, c.is_number_integer() ? std::to_string(c.get<long long>()) : c.dump(), problems);
  }
  set.records.push_back(std::move(r));
}

/// A second record for the same (item, dimension, judge) is an error naming both lines: which one to
/// measure would be a guess (a file appended to twice, or two runs concatenated).
void check_duplicates(const ScoreSet& set, util::Problems& problems) {
  std::map<std::tuple<std::string, std::string, std::string>, int> first_line;
  for (const auto& r : set.records)
    if (auto [it, inserted] = first_line.emplace(std::tuple(r.item, r.dimension, r.judge), r.line); !inserted)
      problems.add(r.line, "duplicate record: " + r.item + " / " + r.dimension +
                               (r.judge.empty() ? std::string() : " / judge " + r.judge) +
                               " is already scored on line " + std::to_string(it->second));
}

}  // namespace

ScoreSet read_scores(const std::filesystem::path& path) {
  const std::string text = util::read_file(path);
  ScoreSet set;
  set.source = path.string();
  set.files = {set.source};
  set.hash = util::sha256_hex(text);
  util::Problems problems(set.source);
  const std::string_view body = util::trim(text);
  if (body.empty()) {
    problems.add(1, "the file is empty: no scores (judge eval " + setting("format") +
                        " jsonl or csv writes one record per notebook and dimension)");
  } else if (bool labels_said = false; util::starts_with(body, "[")) {
    try {
      const auto arr = nlohmann::json::parse(text);
      for (std::size_t i = 0; i < arr.size(); ++i)
        read_json_object(arr[i], static_cast<int>(i) + 1, set, problems, labels_said);
    } catch (const nlohmann::json::parse_error& e) {
      problems.add(1, std::string("not valid JSON: ") + util::json_error_text(e));
    }
  } else if (util::starts_with(body, "{")) {
    util::for_each_json_object(text, problems, [&](const nlohmann::json& j, int line) {
      read_json_object(j, line, set, problems, labels_said);
    });
  } else if (const auto bad = util::text_file_problem(text)) {
    problems.add(bad->line, bad->what);  // JSON is checked by its parser; a CSV's rationale goes into JSON
  } else {
    read_csv(text, set, problems);
  }
  check_duplicates(set, problems);
  problems.throw_if_any("scores");
  return set;
}

}  // namespace judge::measure
