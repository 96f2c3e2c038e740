// SPDX-License-Identifier: MIT
#include "judge/label/store.hpp"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/text.hpp"
#include "judge/util/time.hpp"

namespace judge::label {

namespace {

std::string score_text(const std::optional<double>& score) {
  if (!score) return "NA";
  if (*score == std::trunc(*score)) return std::to_string(static_cast<long long>(*score));
  std::ostringstream os;
  os << *score;
  return os.str();
}

bool jsonl_name(const std::filesystem::path& path) {
  const std::string ext = util::to_lower(path.extension().string());
  return ext == ".jsonl" || ext == ".ndjson";
}

// The problems of a judge::Error from labels::read_labels, one a line, without the heading line
// ("N problems in labels FILE:") when there is a list under it.
std::vector<std::string> problem_lines(const std::string& message) {
  std::vector<std::string> lines;
  for (const auto line : util::split_lines(message))
    if (!util::trim(line).empty()) lines.emplace_back(util::trim(line));
  if (lines.size() > 1 && util::ends_with(lines.front(), ":")) lines.erase(lines.begin());
  return lines;
}

StoredLabel stored(const labels::Label& l) {
  return {l.item, l.dimension, l.rater, l.score, l.feedback, l.timestamp, LabelStore::version_of(l)};
}

const std::vector<std::string> k_new_columns = {"notebook", "dimension", "rater",
                                                "score",    "feedback",  "timestamp"};

}  // namespace

std::string LabelStore::version_of(const labels::Label& label) {
  return util::sha256_hex(score_text(label.score) + '\x1f' + label.feedback + '\x1f' + label.timestamp)
      .substr(0, 16);
}

LabelStore::LabelStore(std::filesystem::path path, std::string rater, rubric::Rubric rubric,
                       std::filesystem::path notebooks_dir)
    : m_path(std::move(path)),
      m_rater(std::move(rater)),
      m_rubric(std::move(rubric)),
      m_notebooks_dir(std::move(notebooks_dir)) {
  std::lock_guard lock(m_mutex);
  load();
  if (m_json_array)
    throw Error("labels file " + m_path.string() +
                    " is a JSON array of labels, which judge label does not write: convert it to JSON Lines "
                    "(one object a line: jq -c '.[]' " +
                    m_path.string() + " > labels.jsonl) or CSV, or give " + setting("labels") + " a new file",
                ExitCode::usage);
}

void LabelStore::load() {
  m_rows.clear();
  m_problems.clear();
  m_warnings.clear();
  m_header.clear();
  m_columns.clear();
  m_json_array = false;
  std::error_code ec;
  m_exists = std::filesystem::exists(m_path, ec);
  m_text = m_exists ? util::read_file(m_path) : std::string();
  const std::string_view body = util::trim(m_text);
  m_jsonl = body.empty()
                ? jsonl_name(m_path)
                : (util::starts_with(body, "{") || (jsonl_name(m_path) && !util::starts_with(body, "[")));
  if (body.empty()) {  // a new (or empty) file: written with the full set of columns at the first save
    if (!m_jsonl) {
      m_columns = k_new_columns;
      for (const auto& c : m_columns) m_header += (m_header.empty() ? "" : ",") + c;
    }
    return;
  }
  if (util::starts_with(body, "[")) {  // refused at startup; made one on disk meanwhile, it blocks saves
    m_json_array = true;
    m_problems.push_back(
        m_path.string() +
        ": a JSON array of labels; judge label writes CSV or JSON Lines (one object a line): "
        "convert the file, or give --labels a new file");
    return;
  }
  // The labels as judge align reads them, with their problems (which block saves until fixed) collected,
  // not thrown: every label that could be read is shown, also when another row has a problem (a duplicate
  // row hid them all).
  labels::LabelSet set;
  try {
    set = labels::read_labels(m_path, {&m_rubric, m_notebooks_dir}, m_problems);
    m_warnings = set.warnings;
  } catch (const Error& e) {
    m_problems = problem_lines(e.what());
    return;
  }
  std::map<int, const labels::Label*> by_line;
  for (const auto& l : set.labels) by_line[l.line] = &l;
  const auto lines = util::split_lines(m_text);
  // The text of lines [first, end) (1-based, end exclusive) with trailing blank lines left out.
  const auto slice = [&](int first, int end) {
    end = std::min<int>(end, static_cast<int>(lines.size()) + 1);
    while (end > first && util::trim(lines[static_cast<std::size_t>(end - 2)]).empty()) --end;
    std::string out;
    for (int i = first; i < end; ++i) {
      if (i > first) out += '\n';
      out += lines[static_cast<std::size_t>(i - 1)];
    }
    return out;
  };
  const auto label_at = [&](int line) {
    const auto it = by_line.find(line);
    return it == by_line.end() ? std::optional<labels::Label>() : std::optional<labels::Label>(*it->second);
  };
  if (m_jsonl) {
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (!util::trim(lines[i]).empty())
        m_rows.push_back({std::string(lines[i]), label_at(static_cast<int>(i) + 1)});
    return;
  }
  const auto records = util::parse_csv(m_text, m_path.string());
  for (std::size_t r = 0; r < records.size(); ++r) {
    const int end = r + 1 < records.size() ? records[r + 1].line : static_cast<int>(lines.size()) + 1;
    if (r == 0) {
      m_header = slice(records[0].line, end);
      for (const auto& f : records[0].fields) m_columns.push_back(util::to_lower(util::trim(f)));
    } else {
      m_rows.push_back({slice(records[r].line, end), label_at(records[r].line)});
    }
  }
  // Columns a saved label needs and the header lacks go at the end; every row gets an empty field for each.
  for (const char* needed : {"rater", "feedback", "timestamp"}) {
    if (std::find(m_columns.begin(), m_columns.end(), needed) != m_columns.end()) continue;
    m_columns.emplace_back(needed);
    m_header += std::string(",") + needed;
    for (auto& row : m_rows) row.raw += ",";
  }
}

std::vector<std::string> LabelStore::problems() const {
  std::lock_guard lock(m_mutex);
  return m_problems;
}

std::vector<std::string> LabelStore::warnings() const {
  std::lock_guard lock(m_mutex);
  return m_warnings;
}

std::vector<StoredLabel> LabelStore::labels() const {
  std::lock_guard lock(m_mutex);
  std::vector<StoredLabel> out;
  for (const auto& row : m_rows)
    if (row.label) out.push_back(stored(*row.label));
  return out;
}

std::string LabelStore::new_row_text(const labels::Label& l) const {
  if (m_jsonl) {
    nlohmann::ordered_json j{{"notebook", l.item}, {"dimension", l.dimension}, {"rater", l.rater},
                             {"score", nullptr},   {"feedback", l.feedback},   {"timestamp", l.timestamp}};
    if (l.score)
      j["score"] = *l.score == std::trunc(*l.score) ? nlohmann::ordered_json(static_cast<long long>(*l.score))
                                                    : nlohmann::ordered_json(*l.score);
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  std::string out;
  bool item_done = false;
  for (std::size_t i = 0; i < m_columns.size(); ++i) {
    const std::string& c = m_columns[i];
    std::string value;
    if ((c == "notebook" || c == "item") && !item_done)
      value = l.item, item_done = true;
    else if (c == "dimension")
      value = l.dimension;
    else if (c == "rater")
      value = l.rater;
    else if (c == "score")
      value = score_text(l.score);
    else if (c == "feedback")
      value = l.feedback;
    else if (c == "timestamp")
      value = l.timestamp;
    out += (i ? "," : "") + util::csv_quote(value);
  }
  return out;
}

std::string LabelStore::serialise() const {
  std::string out;
  if (!m_jsonl) out += m_header + "\n";
  for (const auto& row : m_rows) out += row.raw + "\n";
  return out;
}

SaveResult LabelStore::save(const SaveRequest& request, bool known_notebook) {
  std::lock_guard lock(m_mutex);
  // Changed on disk since read or written (by hand, another program, another server): read it again.
  std::error_code ec;
  const bool exists = std::filesystem::exists(m_path, ec);
  if (exists != m_exists || (exists && util::read_file(m_path) != m_text)) load();
  SaveResult result;
  if (!m_problems.empty()) {
    result.status = SaveStatus::blocked;
    result.message = "not saved: the labels file " + m_path.string() + " has problems; fix them and reload:";
    for (const auto& p : m_problems) result.message += "\n" + p;
    return result;
  }
  const auto* dimension = m_rubric.find(request.dimension);
  std::string problem;
  if (!known_notebook || request.notebook.empty())
    problem = "unknown notebook \"" + request.notebook + "\"";
  else if (!dimension) {
    problem = "unknown dimension \"" + request.dimension + "\" (rubric " + m_rubric.id;
    if (const std::string hint = rubric::did_you_mean_dimension(m_rubric, request.dimension); !hint.empty()) {
      problem += "; ";
      problem += hint;
    }
    problem += ')';
  } else if (request.score) {
    const double s = *request.score;
    if (s != std::trunc(s) || s < m_rubric.min_score() || s > m_rubric.max_score() ||
        !m_rubric.on_scale(static_cast<int>(s)))
      problem = "score " + labels::format_score(s) + " is off the scale (" +
                std::to_string(m_rubric.min_score()) + ".." + std::to_string(m_rubric.max_score()) +
                (m_rubric.allows_na ? " or N/A)" : ")");
  } else if (!m_rubric.allows_na) {
    problem = "N/A is not on rubric " + m_rubric.id + "'s scale";
  }
  if (!problem.empty()) {
    result.status = SaveStatus::invalid;
    result.message = "not saved: " + problem;
    return result;
  }
  // The file's rows of this notebook in whatever spelling the file uses ("./x.ipynb" for the page's
  // "x.ipynb", labels::normal_item): a new label is written in that spelling, so that the file never names
  // one notebook two ways (read_labels refuses that).
  const std::string key = labels::normal_item(request.notebook);
  Row* row = nullptr;
  std::string spelling = request.notebook;
  for (auto& r : m_rows) {
    if (!r.label || labels::normal_item(r.label->item) != key) continue;
    spelling = r.label->item;
    if (r.label->dimension == request.dimension && r.label->rater == m_rater) row = &r;
  }
  const std::string current = row ? version_of(*row->label) : "";
  if (!request.version && row) {  // a client that sent no version: it did not know of the stored label
    result.status = SaveStatus::stale;
    result.message = "not saved: this label exists (version " + current +
                     "); send its version to change it (GET /api/label gives it)";
    result.label = stored(*row->label);
    return result;
  }
  if (request.version && *request.version != current) {
    result.status = SaveStatus::stale;
    result.message =
        "not saved: this label was changed since the page loaded it (another tab or program); "
        "the stored label is shown now, make the change again if it still applies";
    if (row) result.label = stored(*row->label);
    return result;
  }
  labels::Label l;
  l.item = row ? row->label->item : spelling;
  l.dimension = request.dimension;
  l.rater = m_rater;
  l.score = request.score;
  l.feedback = request.feedback;
  l.timestamp = util::utc_now();
  const auto rows_before = m_rows;
  if (row) {
    row->raw = new_row_text(l);
    row->label = l;
  } else {
    m_rows.push_back({new_row_text(l), l});
  }
  const std::string text = serialise();
  try {
    util::write_file_atomic(m_path, text, util::MissingFolders::refuse);
  } catch (const Error& e) {
    m_rows = rows_before;
    result.status = SaveStatus::blocked;
    result.message = std::string("not saved: ") + e.what();
    return result;
  }
  m_text = text;
  m_exists = true;
  result.status = SaveStatus::saved;
  result.label = stored(l);
  return result;
}

}  // namespace judge::label
