// SPDX-License-Identifier: MIT
#include "judge/labels/labels.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "judge/rubric/rubric.hpp"
#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"

namespace judge::labels {

std::string Label::id() const { return item + "#" + dimension + "#" + rater; }

std::optional<double> parse_score_text(std::string_view text, bool& ok) {
  text = util::trim(text);
  ok = true;
  // N/A in any case ("NA", "Na", "n/a"): a spreadsheet's spelling is no reason to refuse a label.
  if (text.empty() || util::to_lower(text) == "na" || util::to_lower(text) == "n/a") return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // NaN, infinities and magnitudes no rating scale has are refused, never read as scores.
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      std::fabs(value) > 1e6) {
    ok = false;
    return std::nullopt;
  }
  return value;
}

std::string normal_item(std::string_view item) {
  std::string out;
  const bool absolute = !item.empty() && (item.front() == '/' || item.front() == '\\');
  std::size_t start = 0;
  while (start <= item.size()) {
    std::size_t end = item.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = item.size();
    const std::string_view part = item.substr(start, end - start);
    if (!part.empty() && part != ".") {
      if (!out.empty() || absolute) out += '/';
      out += part;
    }
    start = end + 1;
  }
  return out.empty() ? std::string(item) : out;
}

std::string format_score(double score) {
  std::ostringstream os;
  os << score;
  return os.str();
}

namespace {

using util::CsvHeader;
using util::CsvRecord;
using util::field;
using util::json_text;
using util::Problems;

const std::vector<std::string> k_columns = {"notebook", "item",  "dimension", "score",
                                            "feedback", "rater", "timestamp"};

/// judge eval's score records given as labels (--labels and --scores swapped, or one file as both): a judge
/// and a status, and no rater. Read as labels they would be a rater agreeing with whoever the scores are.
constexpr const char* k_scores_not_labels =
    "a judge and a status, and no rater: these are judge eval's scores (give them as --scores); labels name "
    "no judge";

/// A labels file in the CSV of a spreadsheet set to another separator (';' in locales whose decimal mark is a
/// comma, a tab in "tab-separated values"): its first line that is not blank holds ';' or tabs and, read as
/// comma separated, none of the required columns (notebook or item, dimension, score), so every one would be
/// reported missing. Reports that once, on that line, and returns true; false otherwise. Reads the text, not
/// the records, as a file quoted throughout ("notebook";"score", R's write.csv2) is no CSV parse_csv reads.
bool other_separator(std::string_view text, Problems& problems) {
  if (util::starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  int line = 0;
  std::string_view header;
  for (const auto l : util::split_lines(text)) {
    ++line;
    if (!util::trim(l).empty()) {
      header = l;
      break;
    }
  }
  const auto semicolons = std::count(header.begin(), header.end(), ';');
  const auto tabs = std::count(header.begin(), header.end(), '\t');
  if (semicolons == 0 && tabs == 0) return false;
  for (std::size_t start = 0; start <= header.size();) {
    const std::size_t comma = std::min(header.find(',', start), header.size());
    std::string_view name = util::trim(header.substr(start, comma - start));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    const std::string column = util::to_lower(util::trim(name));
    if (column == "notebook" || column == "item" || column == "dimension" || column == "score") return false;
    start = comma + 1;
  }
  problems.add(line, std::string("the file seems to use ") + (semicolons >= tabs ? "';'" : "tabs") +
                         " as its separator; judge reads comma-separated CSV: save it with ',' between the "
                         "fields");
  return true;
}

/// The problem of a required column missing from `header`, one of `names` ("notebook", "item"): "column
/// \"scroe\": did you mean \"score\"?" when a column of the header that is none of the known ones is a slip
/// of the fingers from one of them (util::closest_typos), else "missing column \"score\"" (the first name)
/// and `alternative` (" (or \"item\")").
std::string missing_column(const std::vector<std::string>& names, const CsvRecord& header,
                           const std::string& alternative) {
  for (const auto& text : header.fields) {
    const std::string column = util::to_lower(util::trim(text));
    if (std::find(k_columns.begin(), k_columns.end(), column) != k_columns.end()) continue;
    if (const auto close = util::closest_typos(column, names); !close.empty()) {
      std::string message = "column \"";
      message += util::trim(text);
      message += "\": did you mean \"";
      message += close.front();
      message += "\"?";
      return message;
    }
  }
  std::string message = "missing column \"";
  message += names.front();
  message += '"';
  message += alternative;
  return message;
}

/// CSV: a header row naming the columns, then one label per record.
void read_csv(const std::string& text, LabelSet& set, Problems& problems, std::vector<int>& empty_scores) {
  std::vector<CsvRecord> records;
  try {
    records = util::parse_csv(text, set.source);
  } catch (const Error&) {
    if (other_separator(text, problems)) return;
    throw;
  }
  if (records.empty()) {
    problems.add(1, "empty file: expected a header row with notebook (or item), dimension, score");
    return;
  }
  const CsvHeader header(records[0]);
  const auto item_col = header.find({"notebook", "item"}), dim_col = header.find({"dimension"}),
             score_col = header.find({"score"}), feedback_col = header.find({"feedback"}),
             rater_col = header.find({"rater"}), time_col = header.find({"timestamp"});
  if (!item_col && !dim_col && !score_col && other_separator(text, problems)) return;
  if (!item_col)
    problems.add(header.line(), missing_column({"notebook", "item"}, records[0], " (or \"item\")"));
  if (!dim_col) problems.add(header.line(), missing_column({"dimension"}, records[0], ""));
  if (!score_col) problems.add(header.line(), missing_column({"score"}, records[0], ""));
  if (!item_col || !dim_col || !score_col) return;
  if (header.find({"judge"}) && header.find({"status"}) && !rater_col) {
    problems.add(header.line(), k_scores_not_labels);
    return;
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != header.size())
      problems.add(rec.line, "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                                 std::to_string(header.size()));
    Label l;
    l.line = rec.line;
    l.item = std::string(util::trim(field(rec, item_col)));
    l.dimension = std::string(util::trim(field(rec, dim_col)));
    bool ok = true;
    l.score = parse_score_text(field(rec, score_col), ok);
    if (!ok) problems.add(rec.line, "score \"" + field(rec, score_col) + "\" is not a number (or NA)");
    if (util::trim(field(rec, score_col)).empty()) empty_scores.push_back(rec.line);
    l.feedback = field(rec, feedback_col);
    l.rater = std::string(util::trim(field(rec, rater_col)));
    l.timestamp = std::string(util::trim(field(rec, time_col)));
    set.labels.push_back(std::move(l));
  }
}

/// One label from a JSON object with the same keys as the CSV columns; score null (or "NA") is N/A.
/// `scores_said`: whether the file was found to hold score records already (said once, at the first).
void read_json_label(const nlohmann::json& j, int line, LabelSet& set, Problems& problems,
                     std::vector<int>& empty_scores, bool& scores_said) {
  if (j.is_object() && j.contains("judge") && j.contains("status") && !j.contains("rater")) {
    if (!scores_said) problems.add(line, k_scores_not_labels);
    scores_said = true;
    return;
  }
  Label l;
  l.line = line;
  auto item = json_text(j, "notebook");
  if (!item) item = json_text(j, "item");
  const auto dimension = json_text(j, "dimension");
  if (!item) problems.add(line, "missing key \"notebook\" (or \"item\")");
  if (!dimension) problems.add(line, "missing key \"dimension\"");
  if (!j.contains("score")) problems.add(line, "missing key \"score\"");
  if (!item || !dimension || !j.contains("score")) return;
  l.item = *item;
  l.dimension = *dimension;
  const auto& score = j["score"];
  bool ok = score.is_number() || score.is_null() || score.is_string();
  if (score.is_number())
    l.score = score.get<double>();
  else if (score.is_string()) {
    l.score = parse_score_text(score.get<std::string>(), ok);
    if (util::trim(score.get<std::string>()).empty()) empty_scores.push_back(line);
  }
  if (!ok) problems.add(line, "score " + score.dump() + " is not a number (or null)");
  l.feedback = json_text(j, "feedback").value_or("");
  l.rater = json_text(j, "rater").value_or("");
  l.timestamp = json_text(j, "timestamp").value_or("");
  set.labels.push_back(std::move(l));
}

/// JSON Lines: one object per line.
void read_jsonl(const std::string& text, LabelSet& set, Problems& problems, std::vector<int>& empty_scores) {
  bool scores_said = false;
  util::for_each_json_object(text, problems, [&](const nlohmann::json& j, int line) {
    read_json_label(j, line, set, problems, empty_scores, scores_said);
  });
}

/// One JSON array of objects; a label's "line" is its element number (1-based).
void read_json_array(const std::string& text, LabelSet& set, Problems& problems,
                     std::vector<int>& empty_scores) {
  nlohmann::json array;
  try {
    array = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    problems.add(1, std::string("not valid JSON: ") + util::json_error_text(e));
    return;
  }
  if (!array.is_array()) {
    problems.add(1, "expected a JSON array of label objects");
    return;
  }
  bool scores_said = false;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const int element = static_cast<int>(i) + 1;
    if (array[i].is_object())
      read_json_label(array[i], element, set, problems, empty_scores, scores_said);
    else
      problems.add(element, "expected a JSON object");
  }
}

/// The file a notebook id names: "ARCHIVE.dbc!/inside" lives in ARCHIVE.dbc.
std::filesystem::path notebook_file(const std::filesystem::path& dir, const std::string& item) {
  const auto bang = item.find("!/");
  return dir / (bang == std::string::npos ? item : item.substr(0, bang));
}

/// Where a notebook that is not in `dir` is, when it is in a folder below `dir` (at most 3 levels, 20,000
/// entries looked at): the folder the labels' paths would then be relative to, for a "did you mean". Empty
/// when it is not found there.
std::filesystem::path folder_holding(const std::filesystem::path& dir, const std::string& item) {
  namespace fs = std::filesystem;
  const fs::path wanted = fs::path(item).lexically_normal();
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (std::size_t seen = 0; !ec && it != end && seen < 20000; it.increment(ec), ++seen) {
    if (it.depth() >= 3) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory(ec)) continue;
    if (fs::exists(it->path() / wanted, ec)) return it->path();
  }
  return {};
}

/// The labels of one notebook that is not under the notebooks folder: indices into LabelSet::labels.
struct MissingNotebook {
  std::string item;
  std::vector<std::size_t> labels;
};

/// Every problem of the labels but notebooks not found, which are returned (first-seen order) for
/// report_missing to word.
std::vector<MissingNotebook> check_labels(const LabelSet& set, const LabelCheck& check, Problems& problems) {
  std::map<std::string, int> first_line;
  std::map<std::string, std::pair<std::string, int>> spelling;  // normal path -> first spelling and its line
  std::set<std::string> said;                                   // spellings already refused
  std::filesystem::path folder;  // the notebooks folder, absolute and without links in its own path
  if (!check.notebooks_dir.empty()) {
    std::error_code ec;
    folder = std::filesystem::weakly_canonical(check.notebooks_dir, ec);
    if (ec) folder.clear();
  }
  std::vector<MissingNotebook> missing;
  std::map<std::string, std::size_t> missing_index;  // item -> index into `missing`
  std::set<std::string> found;
  for (std::size_t i = 0; i < set.labels.size(); ++i) {
    const Label& l = set.labels[i];
    if (l.item.empty()) problems.add(l.line, "empty notebook");
    if (l.dimension.empty()) problems.add(l.line, "empty dimension");
    if (!l.item.empty()) {
      // Relative to the notebooks folder when one is given, so that an absolute path of the same file is
      // the same notebook.
      const std::string key = folder.empty() || std::filesystem::path(l.item).is_absolute()
                                  ? normal_item(l.item)
                                  : normal_item((folder / l.item).generic_string());
      const auto [it, first] = spelling.emplace(key, std::make_pair(l.item, l.line));
      if (!first && it->second.first != l.item && said.insert(l.item).second)
        problems.add(l.line, "notebook " + l.item + " is " + it->second.first + " (line " +
                                 std::to_string(it->second.second) +
                                 ") spelt another way: one notebook, two names; write its path one way");
    }
    if (auto [it, inserted] = first_line.emplace(l.id(), l.line); !inserted)
      problems.add(l.line,
                   "duplicate row: " + l.id() + " is already labelled on line " + std::to_string(it->second));
    if (check.rubric) {
      const auto& rubric = *check.rubric;
      if (!l.dimension.empty() && !rubric.find(l.dimension)) {
        std::string known;
        for (const auto& d : rubric.dimensions) known += (known.empty() ? "" : ", ") + d.id;
        const std::string hint = rubric::did_you_mean_dimension(rubric, l.dimension);
        problems.add(l.line, "unknown dimension \"" + l.dimension + "\" (" +
                                 (hint.empty() ? "" : hint + " ") + "rubric " + rubric.id + " has " + known +
                                 ")");
      }
      const std::string range =
          std::to_string(rubric.min_score()) + ".." + std::to_string(rubric.max_score());
      if (l.score) {
        const double s = *l.score;
        // Range first: casting a double beyond int (1e10) is undefined behaviour (found by fuzz_labels).
        if (s < rubric.min_score() || s > rubric.max_score()) {
          problems.add(l.line, "score " + format_score(s) + " is off the scale (" + range +
                                   (rubric.allows_na ? " or NA" : "") + ")");
        } else if (s != std::trunc(s) || !rubric.on_scale(static_cast<int>(s))) {
          std::string points;  // within the range but between its points (2.5, or 2 of a 1/3/5 scale)
          for (const auto& p : rubric.scale) points += (points.empty() ? "" : ", ") + std::to_string(p.score);
          problems.add(l.line, "score " + format_score(s) + " is not a point of the scale (" + points +
                                   (rubric.allows_na ? " or NA" : "") + ")");
        }
      } else if (!rubric.allows_na) {
        problems.add(l.line, "score is NA but rubric " + rubric.id + " has no N/A (scale " + range + ")");
      }
    }
    if (!check.notebooks_dir.empty() && !l.item.empty() && !found.count(l.item)) {
      std::error_code ec;
      if (std::filesystem::exists(notebook_file(check.notebooks_dir, l.item), ec)) {
        found.insert(l.item);
      } else {
        auto [it, added] = missing_index.emplace(l.item, missing.size());
        if (added) missing.push_back({l.item, {}});
        missing[it->second].labels.push_back(i);
      }
    }
  }
  return missing;
}

/// The lines of `labels` (indices into set.labels, ascending) as ranges of labels next to each other in the
/// file: "2-10" (a range runs from its first label's line to its last's, so a label's feedback may span
/// lines), "2-4,12"; after 5 ranges ",...".
std::string label_lines(const LabelSet& set, const std::vector<std::size_t>& labels) {
  std::string out;
  int ranges = 0;
  for (std::size_t i = 0; i < labels.size();) {
    std::size_t j = i;
    while (j + 1 < labels.size() && labels[j + 1] == labels[j] + 1) ++j;
    if (ranges++ == 5) {
      out += ",...";
      break;
    }
    if (!out.empty()) out += ',';
    out += std::to_string(set.labels[labels[i]].line);
    if (j > i) {
      out += '-';
      out += std::to_string(set.labels[labels[j]].line);
    }
    i = j + 1;
  }
  return out;
}

/// The notebooks shown one a line when some labelled notebooks are not found; the rest are counted.
constexpr std::size_t k_missing_shown = 10;

/// Words the notebooks not found: one problem when none of the labelled notebooks is found (`labelled`
/// notebooks in all), else one per notebook (the first k_missing_shown) naming its labels' lines; or, with
/// check.skip_missing, moves their labels to set.skipped. A "did you mean" names the folder below the
/// notebooks folder that holds the first one not found (folder_holding), for each one it holds.
void report_missing(LabelSet& set, const LabelCheck& check, const std::vector<MissingNotebook>& missing,
                    std::size_t labelled, Problems& problems) {
  if (missing.empty()) return;
  const std::filesystem::path holder =
      folder_holding(check.notebooks_dir, notebook_file({}, missing[0].item));
  const auto where = [&](const std::string& item) {  // "it is in HOLDER: ..." or ""
    std::error_code ec;
    std::string hint;
    if (!holder.empty() && std::filesystem::exists(notebook_file(holder, item), ec)) {
      hint = "it is in ";
      hint += holder.string() + ": is that the notebooks folder?";
    }
    return hint;
  };
  // A misspelt file name: the file of the folder the item names whose name (without its extension, which
  // must be the same) is nearest its own, at most two edits and no more than a third of the name away
  // ("did you mean databricks/nyc_taxi.py?" for databricks/nyk_taxi.py; b.ipynb is no misspelling of
  // a.ipynb).
  const auto similar = [&](const std::string& item) {
    namespace fs = std::filesystem;
    const fs::path file = notebook_file({}, item);
    const std::string stem = file.stem().string();
    std::error_code ec;
    std::string best;
    std::size_t best_distance = 3;
    fs::directory_iterator it(check.notebooks_dir / file.parent_path(), ec), end;
    for (std::size_t seen = 0; !ec && it != end && seen < 20000; it.increment(ec), ++seen) {
      const fs::path name = it->path().filename();
      if (name.extension() != file.extension()) continue;
      const std::size_t d = util::edit_distance(stem, name.stem().string());
      if (d > 0 && 3 * d <= stem.size() &&
          (d < best_distance || (d == best_distance && name.string() < best)))  // ties: the first by name
        best = name.string(), best_distance = d;
    }
    const auto bang = item.find("!/");  // a .dbc member: the archive misspelt, the member as given
    return best.empty() ? std::string()
                        : "did you mean " + (file.parent_path() / best).generic_string() +
                              (bang == std::string::npos ? "" : item.substr(bang)) + "?";
  };
  const auto hint_of = [&](const std::string& item) {
    const std::string in = where(item);
    return in.empty() ? similar(item) : in;
  };
  const std::string dir = check.notebooks_dir.string();
  if (missing.size() == labelled) {
    const MissingNotebook& first = missing[0];
    std::string what = "none of the ";
    if (labelled == 1)
      what = "the labelled notebook was not found under ";
    else
      what += std::to_string(labelled) + " labelled notebooks was found under ";
    what += dir + ": line " + std::to_string(set.labels[first.labels[0]].line) + " names " + first.item +
            ", looked for as " + (check.notebooks_dir / first.item).string();
    if (const std::string hint = hint_of(first.item); !hint.empty()) what += " (" + hint + ")";
    what += ". Check " + setting("notebooks") + ": the notebook paths in the labels file are relative to it";
    problems.add(set.source, what);
    return;
  }
  std::size_t missing_labels = 0;
  for (const auto& m : missing) missing_labels += m.labels.size();
  if (check.skip_missing) {
    std::vector<bool> skip(set.labels.size(), false);
    for (const auto& m : missing)
      for (std::size_t i : m.labels) skip[i] = true;
    std::vector<Label> kept;
    for (std::size_t i = 0; i < set.labels.size(); ++i)
      (skip[i] ? set.skipped : kept).push_back(std::move(set.labels[i]));
    set.labels = std::move(kept);
    return;
  }
  for (std::size_t n = 0; n < missing.size() && n < k_missing_shown; ++n) {
    const MissingNotebook& m = missing[n];
    std::string what = "notebook not found: ";
    what += (check.notebooks_dir / m.item).string() + " (" + util::count_text(m.labels.size(), "label") + ")";
    if (const std::string hint = hint_of(m.item); !hint.empty()) what += "; " + hint;
    problems.add(set.source + ":" + label_lines(set, m.labels), what);
  }
  if (missing.size() > k_missing_shown) {
    std::size_t more_labels = 0;
    for (std::size_t n = k_missing_shown; n < missing.size(); ++n) more_labels += missing[n].labels.size();
    std::string what = "... and ";
    what += std::to_string(missing.size() - k_missing_shown) + " more notebooks not found (" +
            util::count_text(more_labels, "label") + ")";
    problems.add(set.source, what);
  }
  if (check.skip_missing_offered)
    problems.add(set.source, std::to_string(missing.size()) + " of " + std::to_string(labelled) +
                                 " labelled notebooks not found under " + dir + " (" +
                                 util::count_text(missing_labels, "label") + "): check " +
                                 setting("notebooks") + ", or give " + setting("skip_missing_notebooks") +
                                 " to go on without them");
}

bool is_jsonl(const std::filesystem::path& path) {
  const std::string ext = util::to_lower(path.extension().string());
  return ext == ".jsonl" || ext == ".ndjson";
}

// "line 4" or "lines 3, 4, 7, 9, 12, ...": the first five of `lines`.
std::string lines_text(const std::vector<int>& lines) {
  std::string out = lines.size() == 1 ? "line " : "lines ";
  for (std::size_t i = 0; i < std::min<std::size_t>(lines.size(), 5); ++i) {
    if (i) out += ", ";
    out += std::to_string(lines[i]);
  }
  if (lines.size() > 5) out += ", ...";
  return out;
}

// An empty score (a CSV cell, or "" in JSON) is N/A like NA, but may be a forgotten score: one warning
// naming the file and the first lines (LabelSet::warnings).
void warn_empty_scores(LabelSet& set, const std::vector<int>& empty_scores) {
  if (empty_scores.empty()) return;
  const std::size_t n = empty_scores.size();
  std::string w = set.source;
  w += ": ";
  w += std::to_string(n);
  w += n == 1 ? " empty score, read as N/A (" : " empty scores, read as N/A (";
  w += lines_text(empty_scores);
  w += "); write NA where N/A is meant, or the score";
  set.warnings.push_back(std::move(w));
}

// A warning when some labels name a rater and others name none (an empty cell, or no key): those count as a
// rater of no name, which --raters RATER leaves out and mean mixes in, likely not what was meant.
void warn_missing_raters(LabelSet& set) {
  std::vector<int> lines;
  bool named = false;
  for (const auto& l : set.labels) {
    if (l.rater.empty())
      lines.push_back(l.line);
    else
      named = true;
  }
  if (!named || lines.empty()) return;
  const std::size_t n = lines.size();
  std::string w = set.source;
  w += ": ";
  w += std::to_string(n);
  w += n == 1 ? " label names no rater (" : " labels name no rater (";
  w += lines_text(lines);
  w +=
      ") while the others do: they count as a rater without a name (--raters RATER leaves them out); fill in "
      "the rater";
  set.warnings.push_back(std::move(w));
}

}  // namespace

namespace {

// read_labels's reading and checks, the problems collected in `problems` (set.source) instead of thrown.
LabelSet read_and_check(const std::filesystem::path& path, const LabelCheck& check, Problems& problems) {
  std::error_code ec;
  if (!check.notebooks_dir.empty() && !std::filesystem::is_directory(check.notebooks_dir, ec))
    throw Error(
        "notebooks folder " + check.notebooks_dir.string() +
            (std::filesystem::exists(check.notebooks_dir, ec) ? " is not a folder" : " does not exist"),
        ExitCode::usage);
  const std::string text = util::read_file(path);
  LabelSet set;
  set.source = path.string();
  set.hash = util::sha256_hex(text);
  std::vector<int> empty_scores;  // lines
  // The content decides, whatever the file is named (a .json file of JSON Lines is common).
  const std::string_view body = util::trim(text);
  // Labels travel into JSON (memory, reports), which holds UTF-8 only: another encoding is refused here.
  if (const auto bad = util::text_file_problem(text))
    problems.add(bad->line, bad->what);
  else if (body.empty())
    problems.add(1,
                 "the file is empty: no labels (CSV with a header row notebook, dimension, score, or JSON "
                 "Lines)");
  else if (util::starts_with(body, "["))
    read_json_array(text, set, problems, empty_scores);
  else if (util::starts_with(body, "{") || is_jsonl(path))
    read_jsonl(text, set, problems, empty_scores);
  else
    read_csv(text, set, problems, empty_scores);
  warn_empty_scores(set, empty_scores);
  warn_missing_raters(set);
  const auto missing = check_labels(set, check, problems);
  std::set<std::string> labelled;
  for (const auto& l : set.labels)
    if (!l.item.empty()) labelled.insert(l.item);
  report_missing(set, check, missing, labelled.size(), problems);
  return set;
}

}  // namespace

LabelSet read_labels(const std::filesystem::path& path, const LabelCheck& check) {
  Problems problems(path.string());
  LabelSet set = read_and_check(path, check, problems);
  problems.throw_if_any("labels");
  return set;
}

LabelSet read_labels(const std::filesystem::path& path, const LabelCheck& check,
                     std::vector<std::string>& problems) {
  Problems found(path.string());
  LabelSet set = read_and_check(path, check, found);
  problems = found.list();
  return set;
}

void check_against_rubric(const LabelSet& set, const LabelCheck& check) {
  if (!check.rubric) return;
  Problems problems(set.source);
  check_labels(set, {check.rubric, {}}, problems);
  problems.throw_if_any("labels");
}

namespace {

/// True when label a is more recent than label b: by timestamp when both have one, else the later row.
bool more_recent(const Label& a, const Label& b) {
  if (!a.timestamp.empty() && !b.timestamp.empty() && a.timestamp != b.timestamp)
    return a.timestamp > b.timestamp;
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
    if (!best || vote.first > best->first ||
        (vote.first == best->first && more_recent(*vote.second, *best->second))) {
      best = &vote;
      best_score = score;
    }
  }
  return best_score;
}

}  // namespace

std::vector<ResolvedLabel> resolve(const LabelSet& set, const std::string& policy) {
  const bool by_rater = policy != "mean" && policy != "median" && policy != "majority";
  if (by_rater &&
      std::none_of(set.labels.begin(), set.labels.end(), [&](const Label& l) { return l.rater == policy; })) {
    std::set<std::string> raters;
    for (const auto& l : set.labels) raters.insert(l.rater.empty() ? "(none)" : l.rater);
    std::string known;
    for (const auto& r : raters) known += (known.empty() ? "" : ", ") + r;
    throw Error(setting("raters") + " \"" + policy + "\" is neither mean, median, majority nor a rater in " +
                    set.source + " (raters: " + known + ")",
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
