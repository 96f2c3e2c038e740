// SPDX-License-Identifier: MIT
#include "judge/verdict/record.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <string_view>

#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"
#include "judge/util/table.hpp"

namespace judge::verdict {

namespace {

std::string score_text(const Verdict& v) {
  if (v.status == Status::not_applicable) return "N/A";
  if (v.status != Status::scored || !v.score) return "?";
  const double s = *v.score;
  char buf[32];
  if (std::fabs(s - std::round(s)) < 1e-9)
    std::snprintf(buf, sizeof buf, "%d", static_cast<int>(std::lround(s)));
  else
    std::snprintf(buf, sizeof buf, "%.2f", s);
  return buf;
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '|', '/');
  return text;
}

// "\nflagged for prompt injection (check their scores): NB (cells 1, 3), ...\n", or "" when none is flagged.
std::string flagged_line(const std::vector<EvalRecord>& records) {
  const std::string list = flagged_notebooks(records);
  return list.empty() ? "" : "\nflagged for prompt injection (check their scores): " + list + "\n";
}

}  // namespace

std::string flagged_notebooks(const std::vector<EvalRecord>& records, std::size_t* count) {
  std::vector<std::string> seen;
  std::string list;
  for (const auto& r : records) {
    const auto cells = injection_cells(r.verdict);
    if (cells.empty() || std::find(seen.begin(), seen.end(), r.notebook) != seen.end()) continue;
    seen.push_back(r.notebook);
    std::string numbers;
    for (const int c : cells) numbers += (numbers.empty() ? "" : ", ") + std::to_string(c);
    list +=
        (list.empty() ? "" : "; ") + r.notebook + " (cell" + (cells.size() > 1 ? "s " : " ") + numbers + ")";
  }
  if (count) *count = seen.size();
  return list;
}

nlohmann::ordered_json to_json(const EvalRecord& r) {
  nlohmann::ordered_json j;
  j["notebook"] = r.notebook;
  j["dimension"] = r.verdict.dimension;
  j["status"] = to_string(r.verdict.status);
  if (r.verdict.status == Status::scored && r.verdict.score)
    j["score"] = *r.verdict.score;
  else
    j["score"] = nullptr;
  j["rationale"] = r.verdict.rationale;
  j["judge"] = r.judge;
  if (failed(r.verdict.status)) j["error"] = r.verdict.error;
  for (auto it = r.verdict.extra.begin(); it != r.verdict.extra.end(); ++it) j[it.key()] = it.value();
  return j;
}

namespace {

using Records = std::vector<EvalRecord>;
using Dimensions = std::vector<std::string>;

std::string jsonl_line(const EvalRecord& r, bool) { return to_json(r).dump() + "\n"; }

void write_jsonl(std::ostream& out, const Records& records, const Dimensions&, bool) {
  for (const auto& r : records) out << jsonl_line(r, false);
}

void write_json(std::ostream& out, const Records& records, const Dimensions&, bool) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& r : records) arr.push_back(to_json(r));
  out << arr.dump(2) << "\n";
}

std::string csv_header(bool with_memory) {
  return with_memory ? "notebook,dimension,status,score,rationale,judge,labelled_in_memory\n"
                     : "notebook,dimension,status,score,rationale,judge\n";
}

std::string csv_line(const EvalRecord& r, bool with_memory) {
  const Verdict& v = r.verdict;
  const std::string score = v.status == Status::scored           ? score_text(v)
                            : v.status == Status::not_applicable ? "NA"
                                                                 : "";
  std::string line = util::csv_quote(r.notebook) + "," + v.dimension + "," + to_string(v.status) + "," +
                     score + "," + util::csv_quote(failed(v.status) ? v.error : v.rationale) + "," +
                     util::csv_quote(r.judge);
  if (with_memory) {
    const auto it = v.extra.find("labelled_in_memory");
    line += it != v.extra.end() && it->is_boolean() && it->get<bool>() ? ",true" : ",false";
  }
  return line + "\n";
}

void write_csv(std::ostream& out, const Records& records, const Dimensions&, bool with_memory) {
  out << csv_header(with_memory);
  for (const auto& r : records) out << csv_line(r, with_memory);
}

/// Notebook x dimension grid, notebooks in first-seen order: the header row (notebook, then `dimensions`)
/// and one row of score texts per notebook.
std::vector<std::vector<std::string>> grid(const Records& records, const Dimensions& dimensions) {
  std::vector<std::string> notebooks;
  std::map<std::pair<std::string, std::string>, std::string> cell;
  for (const auto& r : records) {
    if (std::find(notebooks.begin(), notebooks.end(), r.notebook) == notebooks.end())
      notebooks.push_back(r.notebook);
    cell[{r.notebook, r.verdict.dimension}] = score_text(r.verdict);
  }
  std::vector<std::vector<std::string>> rows{{"notebook"}};
  for (const auto& d : dimensions) rows.front().push_back(d);
  for (const auto& nb : notebooks) {
    std::vector<std::string> row{nb};
    for (const auto& d : dimensions) {
      auto it = cell.find({nb, d});
      row.push_back(it == cell.end() ? "" : it->second);
    }
    rows.push_back(row);
  }
  return rows;
}

void write_markdown(std::ostream& out, const Records& records, const Dimensions& dimensions, bool) {
  const auto rows = grid(records, dimensions);
  auto line = [&](const std::vector<std::string>& cols) {
    out << "|";
    for (const auto& c : cols) out << " " << one_line(c) << " |";
    out << "\n";
  };
  line(rows.front());
  out << "|";
  for (std::size_t i = 0; i < rows.front().size(); ++i) out << (i == 0 ? "---|" : "---:|");
  out << "\n";
  for (std::size_t r = 1; r < rows.size(); ++r) line(rows[r]);
  out << flagged_line(records);
}

void write_table(std::ostream& out, const Records& records, const Dimensions& dimensions, bool) {
  const auto rows = grid(records, dimensions);
  const auto& header = rows.front();
  // Dimension columns are narrow: header abbreviated to the first letters of each word part.
  std::vector<std::string> shown = header;
  for (std::size_t i = 1; i < shown.size(); ++i) {
    std::string abbr;
    bool start = true;
    for (char c : shown[i]) {
      if (c == '_') {
        start = true;
        continue;
      }
      if (start) abbr += c;
      start = false;
    }
    shown[i] = abbr.size() >= 2 ? abbr : shown[i].substr(0, 4);
  }
  // Within a terminal (util::format_table): when the table is too wide, the folder every notebook path
  // starts with is said once above it and left out of the rows, then a path still too long is elided in its
  // middle (the JSON, JSON Lines and CSV formats keep it whole) and a rubric of many dimensions goes in
  // blocks; the legend and the flagged notebooks wrapped.
  std::vector<std::vector<std::string>> table{shown};
  table.insert(table.end(), rows.begin() + 1, rows.end());
  util::TableLayout layout;
  layout.shrink_first = true;  // a notebook's scores on its line: its path elided first (to 40 at least)
  layout.min_first = 40;
  std::size_t path_width = 0, scores_width = 0;
  for (std::size_t r = 1; r < table.size(); ++r)
    path_width = std::max(path_width, util::display_width(table[r][0]));
  for (std::size_t i = 1; i < table.front().size(); ++i) {
    std::size_t w = 0;
    for (const auto& row : table) w = std::max(w, util::display_width(row[i]));
    scores_width += 2 + w;
  }
  if (table.size() > 1 && path_width + scores_width > layout.width) {
    // The longest start every path shares, cut after its last '/' ("" when they share no folder).
    std::string folder = table[1][0];
    for (std::size_t r = 2; r < table.size(); ++r) {
      std::size_t n = 0;
      while (n < folder.size() && n < table[r][0].size() && folder[n] == table[r][0][n]) ++n;
      folder.resize(n);
    }
    const auto slash = folder.rfind('/');
    folder.resize(slash == std::string::npos ? 0 : slash + 1);
    if (!folder.empty()) {
      for (std::size_t r = 1; r < table.size(); ++r) table[r][0].erase(0, folder.size());
      out << util::wrap_text("notebooks under " + folder + ":", layout.width, "  ");
    }
  }
  out << util::format_table(table, layout);
  std::string legend = "columns: ";
  for (std::size_t i = 1; i < shown.size(); ++i) legend += (i > 1 ? ", " : "") + shown[i] + "=" + header[i];
  out << "\n" << util::wrap_text(legend, layout.width, "  ");
  const std::string flagged = flagged_notebooks(records);
  if (!flagged.empty())
    out << "\n"
        << util::wrap_text("flagged for prompt injection (check their scores): " + flagged, layout.width,
                           "  ");
}

/// One output format of judge eval: its name and writer; a format written a record at a time also has its
/// header (text before the first record) and its line writer. Adding a format is one entry here.
std::string no_header(bool) { return ""; }

// A format's writer, and for a streaming one its header and line writers; the bool of each is with_memory
// (write_records).
struct RecordFormat {
  std::string_view name;
  void (*write)(std::ostream&, const Records&, const Dimensions&, bool);
  std::string (*header)(bool) = nullptr;                   // streaming formats: before the first record
  std::string (*line)(const EvalRecord&, bool) = nullptr;  // streaming formats: one record, with its newline
};

constexpr RecordFormat k_formats[] = {
    {"table", write_table},       {"jsonl", write_jsonl, no_header, jsonl_line},
    {"json", write_json},         {"csv", write_csv, csv_header, csv_line},
    {"markdown", write_markdown},
};

const RecordFormat* find_format(std::string_view name) {
  for (const auto& f : k_formats)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& record_formats() {
  static const std::vector<std::string> k_names = [] {
    std::vector<std::string> out;
    for (const auto& f : k_formats) out.emplace_back(f.name);
    return out;
  }();
  return k_names;
}

void write_records(std::ostream& out, const std::vector<EvalRecord>& records,
                   const std::vector<std::string>& dimensions, const std::string& format, bool with_memory) {
  if (const RecordFormat* f = find_format(format)) return f->write(out, records, dimensions, with_memory);
  std::string known;
  for (const auto& f : k_formats) known += (known.empty() ? "" : ", ") + std::string(f.name);
  throw Error("unknown " + setting("format") + " \"" + format + "\" (" + known + ")", ExitCode::usage);
}

bool streams(const std::string& format) {
  const RecordFormat* f = find_format(format);
  return f && f->line;
}

std::string stream_header(const std::string& format, bool with_memory) {
  const RecordFormat* f = find_format(format);
  if (!f || !f->line) throw Error("internal: format " + format + " is not written a record at a time");
  return f->header(with_memory);
}

std::string stream_line(const EvalRecord& record, const std::string& format, bool with_memory) {
  const RecordFormat* f = find_format(format);
  if (!f || !f->line) throw Error("internal: format " + format + " is not written a record at a time");
  return f->line(record, with_memory);
}

}  // namespace judge::verdict
