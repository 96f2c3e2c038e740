// SPDX-License-Identifier: MIT
#include "judge/verdict/merge.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "judge/util/csv.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/paths.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/shard.hpp"
#include "judge/util/text.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::verdict {

namespace {

constexpr std::size_t k_listed = 20;          // problems of one kind listed before "... and N more"
constexpr std::size_t k_missing_listed = 10;  // missing shards named in their one problem before "and N more"

// One record of a part: where it is, its item, what tells its run apart, and its text in the output.
struct Row {
  int line = 0;
  std::string notebook, dimension;
  std::map<std::string, std::string> provenance;  // key -> value as text: "judge", "provenance.rubric_hash"
  std::optional<std::string> shard;               // "K/N" as recorded
  std::string text;                               // the line (JSON Lines) or the row (CSV), no line break
  bool memory = false;   // judged with memory: the record has episodes or a learnt rule (JSON Lines only)
  bool compared = true;  // its provenance is compared (not an unreadable notebook's record)
};

struct Part {
  std::string name;
  std::string format;  // "jsonl", "csv", "" (empty)
  std::string csv_header;
  std::vector<Row> rows;
};

// Keys judge eval writes into a record only when it judged with memory (judge eval --memory).
bool made_with_memory(const nlohmann::json& j) {
  for (const char* key : {"episodes", "episodes_left_out", "rule_score", "learnt_rule", "labelled_in_memory"})
    if (j.contains(key)) return true;
  return false;
}

// Problems of several kinds, at most k_listed of each listed, then how many more.
class Findings {
 public:
  void add(const std::string& kind, const std::string& where, const std::string& what) {
    if (++m_count[kind] <= k_listed) m_problems.add(where, what);
  }
  util::Problems done() {
    for (const auto& [kind, n] : m_count)
      if (n > k_listed) m_problems.add("...", "and " + std::to_string(n - k_listed) + " more " + kind);
    return m_problems;
  }

 private:
  util::Problems m_problems;
  std::map<std::string, std::size_t> m_count;
};

std::string place(const Part& part, int line) { return part.name + ":" + std::to_string(line); }

// The values of a JSON record that must be the same across the parts of one run.
std::map<std::string, std::string> provenance_of(const nlohmann::json& j) {
  std::map<std::string, std::string> out;
  const auto judge = j.find("judge");
  out["judge"] = judge == j.end() ? "(none)" : judge->is_string() ? judge->get<std::string>() : judge->dump();
  const auto p = j.find("provenance");
  if (p == j.end() || !p->is_object()) {
    out["provenance"] = p == j.end() ? "(none)" : p->dump();
    return out;
  }
  for (auto it = p->begin(); it != p->end(); ++it)
    if (it.key() != "prompt_template_hash")  // differs for a notebook flagged for prompt injection
      out["provenance." + it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  return out;
}

void read_jsonl(const std::string& text, Part& part, Findings& findings) {
  const auto lines = util::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (util::trim(lines[i]).empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(lines[i]);
    } catch (const nlohmann::json::exception& e) {
      findings.add("format problems", place(part, line),
                   std::string("not valid JSON: ") + util::json_error_text(e));
      continue;
    }
    const auto notebook = j.is_object() ? j.find("notebook") : j.end();
    const auto dimension = j.is_object() ? j.find("dimension") : j.end();
    if (!j.is_object() || notebook == j.end() || !notebook->is_string() || dimension == j.end() ||
        !dimension->is_string()) {
      findings.add("format problems", place(part, line),
                   "not a judge eval record (a JSON object with string \"notebook\" and \"dimension\")");
      continue;
    }
    Row r;
    r.line = line;
    r.notebook = notebook->get<std::string>();
    r.dimension = dimension->get<std::string>();
    r.provenance = provenance_of(j);
    // An unreadable notebook was never sent to the judge: its record has no provenance to compare.
    if (const auto status = j.find("status"); status != j.end() && status->is_string())
      r.compared = parse_status(status->get<std::string>()) != Status::unreadable;
    if (const auto shard = j.find("shard"); shard != j.end())
      r.shard = shard->is_string() ? shard->get<std::string>() : shard->dump();
    r.text = std::string(lines[i]);
    r.memory = made_with_memory(j);
    part.rows.push_back(std::move(r));
  }
}

// True when `first_line` is judge eval's table or Markdown grid header rather than CSV records.
bool is_grid(std::string_view first_line) {
  first_line = util::trim(first_line);
  return util::starts_with(first_line, "|") ||
         (util::starts_with(first_line, "notebook ") && first_line.find(',') == std::string_view::npos);
}

void read_csv(const std::string& text, Part& part, Findings& findings) {
  const std::string use_records =
      "a grid for reading; merge takes judge eval " + setting("format") + " jsonl or csv output";
  if (is_grid(util::split_lines(util::trim(text)).front())) {
    findings.add("format problems", part.name,
                 "this is judge eval's table or Markdown output, " + use_records);
    return;
  }
  const auto records = util::parse_csv(text, part.name);  // throws on an unterminated quote, naming the line
  const util::CsvHeader header(records.front());
  const auto nb_col = header.find({"notebook"}), dim_col = header.find({"dimension"}),
             judge_col = header.find({"judge"});
  if (!nb_col || !dim_col) {
    findings.add("format problems", place(part, header.line()),
                 "not judge eval's CSV: no \"notebook\" and \"dimension\" columns");
    return;
  }
  auto row_text = [](const util::CsvRecord& rec) {
    std::string out;
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
      if (i) out += ',';
      out += util::csv_quote(rec.fields[i]);
    }
    return out;
  };
  part.csv_header = row_text(records.front());
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& rec = records[i];
    if (rec.fields.size() != header.size()) {
      findings.add("format problems", place(part, rec.line),
                   "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                       std::to_string(header.size()));
      continue;
    }
    Row r;
    r.line = rec.line;
    r.notebook = util::field(rec, nb_col);
    r.dimension = util::field(rec, dim_col);
    r.provenance["judge"] = judge_col ? util::field(rec, judge_col) : "(none)";
    r.text = row_text(rec);
    part.rows.push_back(std::move(r));
  }
}

Part read_part(const std::filesystem::path& path, Findings& findings) {
  Part part;
  part.name = path.string();
  const std::string text = util::read_file(path);
  const std::string_view body = util::trim(text);
  if (body.empty()) return part;
  if (util::starts_with(body, "[")) {
    findings.add("format problems", part.name,
                 "a JSON array (judge eval " + setting("format") +
                     " json); merge takes judge eval's JSON Lines or CSV: re-run with " + setting("format") +
                     " jsonl");
    return part;
  }
  part.format = util::starts_with(body, "{") ? "jsonl" : "csv";
  if (part.format == "jsonl")
    read_jsonl(text, part, findings);
  else
    read_csv(text, part, findings);
  return part;
}

// Every part in one format, CSV parts with one header.
void check_formats(const std::vector<Part>& parts, Findings& findings) {
  const Part* first = nullptr;
  for (const auto& p : parts) {
    if (p.format.empty()) continue;
    if (!first) {
      first = &p;
      continue;
    }
    if (p.format != first->format)
      findings.add(
          "format problems", p.name,
          p.format + ", but " + first->name + " is " + first->format + " (give every part in one format)");
    else if (p.format == "csv" && p.csv_header != first->csv_header)
      findings.add("format problems", p.name,
                   "CSV header \"" + p.csv_header + "\" differs from " + first->name + "'s \"" +
                       first->csv_header + "\"");
  }
}

void check_duplicates(const std::vector<Part>& parts, Findings& findings) {
  std::map<std::pair<std::string, std::string>, std::string> first;
  for (const auto& p : parts)
    for (const auto& r : p.rows)
      if (auto [it, fresh] = first.emplace(std::pair(r.notebook, r.dimension), place(p, r.line)); !fresh)
        findings.add("duplicate items", place(p, r.line),
                     "duplicate item " + r.notebook + " / " + r.dimension + ": already in " + it->second);
}

// Every record carries the provenance of the first record (merge_parts), or, `per_judge`, of the first record
// of its judge (check_run_provenance: records of different judges are different runs).
void check_provenance(const std::vector<Part>& parts, Findings& findings, bool per_judge = false) {
  struct Reference {
    const Part* part;
    const Row* row;
  };
  std::map<std::string, Reference> refs;  // judge ("" for all, not per_judge) -> its first record
  for (const auto& p : parts)
    for (const auto& r : p.rows)
      if (r.compared) refs.emplace(per_judge ? r.provenance.at("judge") : "", Reference{&p, &r});
  if (refs.empty()) return;
  for (const auto& p : parts) {
    std::set<std::pair<std::string, std::string>> reported;  // one problem per part, judge and key
    for (const auto& r : p.rows) {
      const std::string group = per_judge ? r.provenance.at("judge") : "";
      const auto found = refs.find(group);
      if (!r.compared || found == refs.end()) continue;
      const auto [ref_part, ref] = found->second;
      std::set<std::string> keys;
      for (const auto& [k, v] : r.provenance) keys.insert(k);
      for (const auto& [k, v] : ref->provenance) keys.insert(k);
      for (const auto& k : keys) {
        const auto a = r.provenance.find(k), b = ref->provenance.find(k);
        const std::string here = a == r.provenance.end() ? "(none)" : a->second;
        const std::string there = b == ref->provenance.end() ? "(none)" : b->second;
        if (here == there || !reported.emplace(group, k).second) continue;
        findings.add("provenance differences", place(p, r.line),
                     k + " is " + here + ", but " + there + " in " + place(*ref_part, ref->line) +
                         " (the parts of one run share judge, model, rubric and settings)");
      }
    }
  }
}

// Either every JSON Lines part of a run was judged with memory or none was: a part scored without --memory
// next to parts scored with it is another run. A run is all records, or, `per_judge`, one judge's records.
// A part none of whose records of the run shows memory is named when another part's does (a memory run
// writes episodes_left_out or episodes into nearly every record).
void check_memory(const std::vector<Part>& parts, Findings& findings, bool per_judge = false) {
  std::map<std::string, std::string> with;  // run -> the first record with memory, as FILE:LINE
  for (const auto& p : parts)
    for (const auto& r : p.rows)
      if (r.memory) with.emplace(per_judge ? r.provenance.at("judge") : "", place(p, r.line));
  for (const auto& p : parts) {
    if (p.format != "jsonl") continue;
    std::map<std::string, bool> shows;  // run -> whether a record of this part shows memory
    for (const auto& r : p.rows) shows[per_judge ? r.provenance.at("judge") : ""] |= r.memory;
    for (const auto& [run, memory] : shows)
      if (!memory && with.count(run))
        findings.add("provenance differences", p.name,
                     std::string(per_judge ? "judge " + run + ": " : "") +
                         "no record was judged with memory, but " + with.at(run) +
                         " was (judge eval --memory): the parts of one run share their memory");
  }
}

// The shards the parts are (see merge_parts); the N when they are shards.
std::optional<std::uint64_t> check_shards(const std::vector<Part>& parts, Findings& findings) {
  std::map<std::uint64_t, std::string> part_of_index;  // K -> the part that is shard K
  std::optional<std::uint64_t> count;
  std::string count_from, unsharded;
  std::size_t empty = 0;
  for (const auto& p : parts) {
    if (p.rows.empty()) {
      ++empty;
      continue;
    }
    const Row& head = p.rows.front();
    for (const auto& r : p.rows)
      if (r.shard != head.shard) {
        findings.add("shard problems", place(p, r.line),
                     "shard " + r.shard.value_or("(none)") + ", but line " + std::to_string(head.line) +
                         " says " + head.shard.value_or("(none)") + " (one file is one part)");
        break;
      }
    if (!head.shard) {
      if (unsharded.empty()) unsharded = p.name;
      continue;
    }
    util::Shard s;
    try {
      s = util::parse_shard(*head.shard);
    } catch (const Error& e) {
      findings.add("shard problems", place(p, head.line), e.what());
      continue;
    }
    if (!count) count = s.count, count_from = p.name;
    if (s.count != *count) {
      findings.add("shard problems", p.name,
                   "shard " + s.text() + ", but " + count_from + " is a shard of " + std::to_string(*count) +
                       " (all parts must come from one --shard K/N split)");
      continue;
    }
    if (auto [it, fresh] = part_of_index.emplace(s.index, p.name); !fresh)
      findings.add("shard problems", p.name,
                   "shard " + s.text() + " again: " + it->second + " is that shard too");
  }
  if (!count) return std::nullopt;
  if (!unsharded.empty())
    findings.add("shard problems", unsharded,
                 "records no shard (not a judge eval --shard part), but " + count_from + " is a shard of " +
                     std::to_string(*count));
  std::vector<std::string> missing;
  for (std::uint64_t k = 1; k <= *count; ++k)
    if (!part_of_index.count(k)) missing.push_back(util::Shard{k, *count}.text());
  if (missing.size() > empty) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < k_missing_listed; ++i)
      list += (list.empty() ? "" : ", ") + missing[i];
    if (missing.size() > k_missing_listed)
      list += " and " + std::to_string(missing.size() - k_missing_listed) + " more";
    findings.add("shard problems", "missing shards",
                 list + ": no part given holds their records (" + std::to_string(empty) +
                     " empty part(s) given, each standing for a shard that held no notebook); run judge "
                     "eval with " +
                     setting("shard") + " K/" + std::to_string(*count) + " for each and give its output");
  }
  return count;
}

// Every notebook has a record of every dimension that some record has; `expected`'s notebooks, no others.
void check_missing(const std::vector<Part>& parts, const std::vector<ExpectedNotebook>& expected,
                   Findings& findings) {
  std::vector<std::string> dimensions;  // first-seen order
  std::map<std::string, std::set<std::string>> of_notebook;
  std::map<std::string, std::string> first_place;
  for (const auto& p : parts)
    for (const auto& r : p.rows) {
      if (std::find(dimensions.begin(), dimensions.end(), r.dimension) == dimensions.end())
        dimensions.push_back(r.dimension);
      of_notebook[r.notebook].insert(r.dimension);
      first_place.emplace(r.notebook, place(p, r.line));
    }
  for (const auto& [nb, dims] : of_notebook) {
    std::string absent;
    for (const auto& d : dimensions)
      if (!dims.count(d)) absent += (absent.empty() ? "" : ", ") + d;
    if (!absent.empty())
      findings.add("missing items", first_place[nb],
                   nb + " has no record of dimension(s) " + absent + " that other notebooks have");
  }
  if (expected.empty()) return;
  std::set<std::string> listed;
  for (const auto& e : expected) {
    listed.insert(e.name);
    if (!of_notebook.count(e.name))
      findings.add("missing notebooks", e.place, e.name + " has no records in the parts");
  }
  for (const auto& [nb, where] : first_place)
    if (!listed.count(nb))
      findings.add("unexpected notebooks", where, nb + " is not among the expected notebooks");
}

}  // namespace

Merged merge_parts(const std::vector<std::filesystem::path>& paths,
                   const std::vector<ExpectedNotebook>& expected, bool allow_empty) {
  Findings findings;
  std::vector<Part> parts;
  std::map<std::string, std::string> given;  // canonical path -> the part's file as first named
  for (const auto& path : paths) {
    if (auto [it, fresh] = given.emplace(util::canonical_file_path(path.string()), path.string()); !fresh) {
      findings.add("parts given twice", path.string(),
                   "the same file as " + it->second + ", given before: give each part once");
      continue;
    }
    parts.push_back(read_part(path, findings));
  }
  if (!allow_empty)
    for (const auto& p : parts)
      if (p.rows.empty() && p.format.empty())
        findings.add(
            "empty parts", p.name,
            "empty: a judge eval that failed leaves an empty file too; when this part is a shard that "
            "held no notebook (judge eval said so), merge with " +
                setting("allow_empty"));
  check_formats(parts, findings);
  check_duplicates(parts, findings);
  check_provenance(parts, findings);
  check_memory(parts, findings);
  Merged merged;
  merged.shard_count = check_shards(parts, findings);
  check_missing(parts, expected, findings);
  findings.done().throw_if_any(
      "the parts cannot be merged as one run (fix, rerun or leave out the parts named):", ExitCode::runtime);

  // Why sort by path: a folder walk reads notebooks sorted so; the merge of a run's parts is then the order
  // one process would have written, whatever machine wrote which part.
  std::vector<std::pair<std::filesystem::path, const Row*>> rows;
  for (const auto& p : parts) {
    merged.parts += 1;
    merged.empty_parts += p.rows.empty();
    if (merged.format.empty()) merged.format = p.format;
    for (const auto& r : p.rows) rows.emplace_back(std::filesystem::path(r.notebook), &r);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (merged.format.empty()) merged.format = "jsonl";
  if (merged.format == "csv")
    for (const auto& p : parts)
      if (!p.csv_header.empty()) {
        merged.text = p.csv_header + "\n";
        break;
      }
  std::set<std::string> notebooks;
  for (const auto& [path, r] : rows) {
    merged.text += r->text + "\n";
    notebooks.insert(r->notebook);
  }
  merged.records = rows.size();
  merged.notebooks = notebooks.size();
  return merged;
}

void check_run_provenance(const std::vector<std::filesystem::path>& files) {
  Findings ignored;  // what merge alone checks (format, empty files): report reads other score files too
  std::vector<Part> parts;
  for (const auto& path : files) parts.push_back(read_part(path, ignored));
  Findings findings;
  check_provenance(parts, findings, true);
  check_memory(parts, findings, true);
  findings.done().throw_if_any(
      "the score files hold the parts of one run of a judge (its records of different notebooks), but the "
      "parts differ in provenance (give the parts of one run only; name two runs of one judge apart with "
      "judge eval " +
          setting("name") + "):",
      ExitCode::runtime);
}

}  // namespace judge::verdict
