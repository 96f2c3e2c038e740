// SPDX-License-Identifier: MIT
#include "judge/scoring/records.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>

#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"

namespace judge::scoring {

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
    const auto cells = r.verdict.extra.find("injection_cells");
    if (cells == r.verdict.extra.end() || std::find(seen.begin(), seen.end(), r.notebook) != seen.end())
      continue;
    seen.push_back(r.notebook);
    std::string numbers;
    for (const auto& c : *cells) numbers += (numbers.empty() ? "" : ", ") + c.dump();
    list +=
        (list.empty() ? "" : "; ") + r.notebook + " (cell" + (cells->size() > 1 ? "s " : " ") + numbers + ")";
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
  if (r.verdict.status == Status::unscored || r.verdict.status == Status::unreadable)
    j["error"] = r.verdict.error;
  for (auto it = r.verdict.extra.begin(); it != r.verdict.extra.end(); ++it) j[it.key()] = it.value();
  return j;
}


void write_records(std::ostream& out, const std::vector<EvalRecord>& records, const std::vector<std::string>& dimensions,
                   const std::string& format) {
  if (format == "jsonl") {
    for (const auto& r : records) out << to_json(r).dump() << "\n";
  } else if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& r : records) arr.push_back(to_json(r));
    out << arr.dump(2) << "\n";
  } else if (format == "csv") {
    out << "notebook,dimension,status,score,rationale,judge\n";
    for (const auto& r : records) {
      std::string score = r.verdict.status == Status::scored ? score_text(r.verdict)
                          : r.verdict.status == Status::not_applicable ? "NA" : "";
      const bool failed = r.verdict.status == Status::unscored || r.verdict.status == Status::unreadable;
      out << util::csv_quote(r.notebook) << "," << r.verdict.dimension << "," << to_string(r.verdict.status)
          << "," << score << "," << util::csv_quote(failed ? r.verdict.error : r.verdict.rationale) << ","
          << util::csv_quote(r.judge) << "\n";
    }
  } else if (format == "table" || format == "markdown") {
    // Notebook x dimension grid, notebooks in first-seen order.
    std::vector<std::string> notebooks;
    std::map<std::pair<std::string, std::string>, std::string> cell;
    for (const auto& r : records) {
      if (std::find(notebooks.begin(), notebooks.end(), r.notebook) == notebooks.end()) notebooks.push_back(r.notebook);
      cell[{r.notebook, r.verdict.dimension}] = score_text(r.verdict);
    }
    const bool md = format == "markdown";
    std::vector<std::string> header{"notebook"};
    for (const auto& d : dimensions) header.push_back(d);
    std::vector<std::vector<std::string>> rows;
    for (const auto& nb : notebooks) {
      std::vector<std::string> row{nb};
      for (const auto& d : dimensions) {
        auto it = cell.find({nb, d});
        row.push_back(it == cell.end() ? "" : it->second);
      }
      rows.push_back(row);
    }
    if (md) {
      auto line = [&](const std::vector<std::string>& cols) {
        out << "|";
        for (const auto& c : cols) out << " " << one_line(c) << " |";
        out << "\n";
      };
      line(header);
      out << "|";
      for (std::size_t i = 0; i < header.size(); ++i) out << (i == 0 ? "---|" : "---:|");
      out << "\n";
      for (const auto& r : rows) line(r);
      out << flagged_line(records);
    } else {
      // Dimension columns are narrow: header abbreviated to the first letters of each word part.
      std::vector<std::string> shown = header;
      for (std::size_t i = 1; i < shown.size(); ++i) {
        std::string abbr;
        bool start = true;
        for (char c : shown[i]) {
          if (c == '_') { start = true; continue; }
          if (start) abbr += c;
          start = false;
        }
        shown[i] = abbr.size() >= 2 ? abbr : shown[i].substr(0, 4);
      }
      std::vector<std::size_t> width(shown.size(), 0);
      for (std::size_t i = 0; i < shown.size(); ++i) width[i] = shown[i].size();
      for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
      auto line = [&](const std::vector<std::string>& cols) {
        for (std::size_t i = 0; i < cols.size(); ++i) {
          if (i == 0)
            out << cols[i] << std::string(width[i] - cols[i].size(), ' ');
          else
            out << "  " << std::string(width[i] - cols[i].size(), ' ') << cols[i];
        }
        out << "\n";
      };
      line(shown);
      for (const auto& r : rows) line(r);
      out << "\ncolumns: ";
      for (std::size_t i = 1; i < shown.size(); ++i) out << (i > 1 ? ", " : "") << shown[i] << "=" << header[i];
      out << "\n" << flagged_line(records);
    }
  } else {
    throw Error("unknown --format \"" + format + "\" (table, jsonl, json, csv, markdown)", ExitCode::usage);
  }
}

}  // namespace judge::scoring
