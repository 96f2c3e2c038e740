// SPDX-License-Identifier: MIT
#include "judge/memory/memory.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "json_number.hpp"
#include "judge/memory/excerpt.hpp"
#include "judge/memory/fact_rule.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/paths.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"
#include "judge/util/time.hpp"
#include "judge/util/version.hpp"
#include "judge/util/yaml_place.hpp"

namespace judge::memory {

namespace {

using util::Problems;

constexpr int k_schema_version = 1;
// Largest vector a memory folder may hold (embedding models have a few thousand dimensions): a sparse vector
// of size 10^12 would otherwise be allocated whole.
constexpr std::size_t k_max_vector_size = 65536;
const char* const k_manifest = "memory.json";
// A save's memory.json, staged under this name before its other files and renamed to memory.json after them
// (Memory::save).
const char* const k_staged_manifest = "memory.json.next";
const char* const k_guidelines = "guidelines.yaml";
const char* const k_episodes = "episodes.jsonl";
const char* const k_vectors = "vectors.jsonl";
const char* const k_calibration = "calibration.json";

nlohmann::ordered_json optional_score(const std::optional<double>& s) {
  return s ? nlohmann::ordered_json(*s) : nlohmann::ordered_json(nullptr);
}

std::string manifest_text(const Provenance& p,
                          const std::map<std::string, std::vector<std::string>>& vocabulary,
                          const std::map<std::string, BlendWeight>& blend,
                          const std::vector<Forgotten>& forgotten,
                          const std::optional<std::map<std::string, LearntRecord>>& learnt,
                          std::size_t episodes, std::size_t guidelines, const std::string& digest,
                          const std::string& guidelines_digest) {
  nlohmann::ordered_json j;
  j["schema_version"] = k_schema_version;
  j["kind"] = "judge-memory";
  j["tool_version"] = std::string(util::version());
  j["judge"] = p.judge;
  j["reflection"] = p.reflection;
  j["embeddings"] = p.embeddings;
  j["rater_policy"] = p.rater_policy;
  j["k"] = p.k;
  j["labels"] = {{"file", p.labels_file}, {"hash", p.labels_hash}};
  j["rubric"] = {{"id", p.rubric_id}, {"hash", p.rubric_hash}};
  j["created"] = p.created;
  j["updated"] = p.updated;
  j["counts"] = {{"episodes", episodes}, {"guidelines", guidelines}};
  j["digest"] = digest;
  j["guidelines_digest"] = guidelines_digest;
  nlohmann::ordered_json words = nlohmann::ordered_json::object();
  for (const auto& [d, list] : vocabulary) {
    std::string joined;
    for (const auto& w : list) joined += (joined.empty() ? "" : " ") + w;
    words[d] = joined;
  }
  j["excerpt_vocabulary"] = words;
  nlohmann::ordered_json weights = nlohmann::ordered_json::object();
  for (const auto& [d, w] : blend) {
    weights[d] = {{"score", w.score}, {"na", w.na}};
    if (!w.unlearnt.empty()) weights[d]["unlearnt"] = w.unlearnt;
  }
  j["blend_weights"] = weights;
  nlohmann::ordered_json tombstones = nlohmann::ordered_json::array();
  for (const auto& f : forgotten) {
    nlohmann::ordered_json t;
    if (!f.notebook.empty()) t["notebook"] = f.notebook;
    if (!f.label.empty()) t["label"] = f.label;
    t["time"] = f.time;
    if (!f.cites.empty()) {
      nlohmann::ordered_json cites = nlohmann::ordered_json::array();
      for (const auto& c : f.cites)
        cites.push_back({{"dimension", c.dimension}, {"text", c.text}, {"cite", c.cite}});
      t["cites"] = cites;
    }
    tombstones.push_back(t);
  }
  j["forgotten"] = tombstones;
  if (learnt) {
    nlohmann::ordered_json record = nlohmann::ordered_json::object();
    for (const auto& [d, r] : *learnt) {
      record[d] = {{"written", r.written}, {"withheld", r.withheld}};
      if (!r.fragile.empty()) record[d]["rests_on_few_labels"] = r.fragile;
    }
    j["learnt_rules"] = record;
  }
  return j.dump(2) + "\n";
}

std::string guidelines_text(const std::vector<Guideline>& guidelines) {
  // Dimensions in order of first appearance (align writes them in rubric order), guidelines in file order.
  std::vector<std::string> dims;
  for (const auto& g : guidelines)
    if (std::find(dims.begin(), dims.end(), g.dimension) == dims.end()) dims.push_back(g.dimension);
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "schema_version" << YAML::Value << k_schema_version;
  out << YAML::Key << "guidelines" << YAML::Value << YAML::BeginMap;
  for (const auto& d : dims) {
    out << YAML::Key << d << YAML::Value << YAML::BeginSeq;
    for (const auto& g : guidelines) {
      if (g.dimension != d) continue;
      out << YAML::BeginMap << YAML::Key << "text" << YAML::Value << g.text;
      out << YAML::Key << "source" << YAML::Value << g.source;
      out << YAML::Key << "cites" << YAML::Value << YAML::BeginSeq;
      for (const auto& c : g.cites) out << c;
      out << YAML::EndSeq << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap << YAML::EndMap;
  return "# judge memory: semantic memory (guidelines per dimension); format in docs/memory.md.\n"
         "# Edit freely. A guideline you add or want kept as written: `source: manual` (align makes a learnt "
         "rule you edit one).\n" +
         std::string(out.c_str()) + "\n";
}

// Sets each guideline's line to the one it has in the guidelines.yaml that save writes (guidelines_text):
// that text read back, its items in the order guidelines_text writes them (dimensions in order of first
// appearance, guidelines in order within one).
void number_guidelines(std::vector<Guideline>& guidelines) {
  const YAML::Node all = YAML::Load(guidelines_text(guidelines))["guidelines"];
  if (!all.IsMap()) return;
  for (const auto& dim : all) {
    auto item = dim.second.begin();
    for (auto& g : guidelines)
      if (g.dimension == dim.first.Scalar() && item != dim.second.end()) g.line = (item++)->Mark().line + 1;
  }
}

nlohmann::ordered_json episode_json(const Episode& e) {
  nlohmann::ordered_json j;
  j["id"] = e.id;
  j["notebook"] = e.notebook;
  j["dimension"] = e.dimension;
  j["human_score"] = optional_score(e.human_score);
  j["feedback"] = e.feedback;
  j["labels"] = e.labels;
  j["judge"] = {{"status", verdict::to_string(e.judge_status)},
                {"score", optional_score(e.judge_score)},
                {"rationale", e.judge_rationale}};
  if (!e.own_verdict()) j["judge"]["spec"] = e.verdict_judge;
  j["excerpt"] = e.excerpt;
  j["label_fingerprint"] = e.label_fingerprint;
  j["notebook_hash"] = e.notebook_hash;
  j["distilled"] = e.distilled;
  if (!e.facts.empty()) j["facts"] = e.facts;
  return j;
}

nlohmann::ordered_json line_header(const char* kind, const std::string& digest) {
  nlohmann::ordered_json h;
  h["schema_version"] = k_schema_version;
  h["kind"] = kind;
  h["digest"] = digest;
  return h;
}

// The text of a file, or nullopt when it does not exist.
std::optional<std::string> read_if_exists(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  return util::read_file(path);
}

// The `digest` of a JSON Lines file's header line ("" when it has none or is unreadable as JSON).
std::string header_digest(const std::string& text) {
  for (auto line : util::split_lines(text)) {
    if (util::trim(line).empty()) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    return j.is_object() && j.contains("digest") && j["digest"].is_string() ? j["digest"].get<std::string>()
                                                                            : "";
  }
  return "";
}

// True when `j` is an object whose schema_version is 1 (whatever else it holds: a wrong-typed field is no
// exception here).
bool has_schema_version(const nlohmann::json& j) {
  if (!j.is_object()) return false;
  const auto v = j.find("schema_version");
  return v != j.end() && v->is_number() && *v == k_schema_version;
}

// The string at `key` of the JSON object `j` ("" when `j` is no object, or the value is absent or no string).
std::string string_field(const nlohmann::json& j, const char* key) {
  const auto it = j.is_object() ? j.find(key) : j.end();
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// The text of a file, or nullopt when it cannot be opened (it does not exist, or it was renamed away since:
// a save's staged manifest, which the save renames while a reader looks).
std::optional<std::string> read_if_present(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// Whether the staged manifest `staged` (memory.json.next) of a save cut short describes the folder, that
// is, whether the save got past guidelines.yaml (Memory::save's order): guidelines.yaml is the one it wrote
// (its sha256 is the staged `guidelines_digest`), or episodes.jsonl, which it wrote after guidelines.yaml, is
// (its header carries the staged `digest`, and memory.json's, `manifest`, is another). False: the save
// stopped before guidelines.yaml, and the folder is the previous save's (memory.json), whole.
bool staged_save_applies(const std::filesystem::path& dir, const std::string& staged,
                         const std::optional<std::string>& manifest) {
  const auto j = nlohmann::json::parse(staged, nullptr, false);
  const std::string guidelines_digest = string_field(j, "guidelines_digest");
  const std::string digest = string_field(j, "digest");
  if (const auto guidelines = read_if_exists(dir / k_guidelines);
      guidelines && !guidelines_digest.empty() && util::sha256_hex(*guidelines) == guidelines_digest)
    return true;
  const std::string previous =
      manifest ? string_field(nlohmann::json::parse(*manifest, nullptr, false), "digest") : "";
  const auto episodes = read_if_exists(dir / k_episodes);
  return episodes && !digest.empty() && digest != previous && header_digest(*episodes) == digest;
}

// The manifest that describes the folder: a save's staged one when staged_save_applies, else memory.json.
struct Manifest {
  std::filesystem::path path;
  std::string text;
};
std::optional<Manifest> current_manifest(const std::filesystem::path& dir) {
  const auto manifest = read_if_exists(dir / k_manifest);
  if (const auto staged = read_if_present(dir / k_staged_manifest);
      staged && staged_save_applies(dir, *staged, manifest))
    return Manifest{dir / k_staged_manifest, *staged};
  if (!manifest) {
    // Renamed to memory.json between the two reads (a save ending): read again.
    if (auto renamed = read_if_present(dir / k_manifest)) return Manifest{dir / k_manifest, *renamed};
    return std::nullopt;
  }
  return Manifest{dir / k_manifest, *manifest};
}

// sha256 of the save's digest and a calibration's content (calibration_digest).
std::string digest_with(const std::string& save_digest, const std::string& content) {
  return util::sha256_hex(save_digest + "\n" + content);
}

// Whether the calibration.json text matches the save whose digest is `save_digest`: its "digest" is
// digest_with(save_digest, the file's JSON without "digest"). Text that is not a JSON object is left to
// load_calibration, which reports it.
bool calibration_matches(const std::string& text, const std::string& save_digest) {
  auto j = nlohmann::json::parse(text, nullptr, false);  // keys sorted: their order does not count
  if (!j.is_object()) return true;
  const auto recorded = j.value("digest", std::string());
  j.erase("digest");
  return recorded == digest_with(save_digest, j.dump());
}

std::optional<double> read_score(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<double>();
}

// Reads a JSON Lines file whose first line is {"schema_version": 1, "kind": KIND, ...}; calls `row(value,
// "FILE:LINE", problems)` for each further non-empty line. Returns the header.
template <class Row>
nlohmann::json read_jsonl(const std::filesystem::path& path, const std::string& text, const std::string& kind,
                          Problems& problems, Row row) {
  nlohmann::json header;
  Problems in_file(path.string());
  util::for_each_json_line(
      text, in_file,
      [&](const nlohmann::json& j, int line) {
        if (header.is_null()) {
          header = j;
          const auto k = j.is_object() ? j.find("kind") : j.end();
          if (!has_schema_version(j) || k == j.end() || *k != kind)
            in_file.add(line, "expected the header {\"schema_version\": 1, \"kind\": \"" + kind + "\"}");
          return;
        }
        try {
          row(j, path.string() + ":" + std::to_string(line), in_file);
        } catch (const nlohmann::json::exception& e) {
          in_file.add(line, util::json_error_text(e));
        } catch (const Error& e) {  // a number out of range (json_number.hpp)
          in_file.add(line, e.what());
        }
      },
      "not JSON");
  problems.append(in_file);
  if (header.is_null()) problems.add(path.string(), "empty file (expected a header line)");
  return header;
}

// Keys given twice in the map `node` (the file's top level, or one guideline), each a problem at its second
// line. Why: yaml-cpp keeps both and a lookup reads the first, so a hand edit written below the value it
// meant to replace (a second `text:` or `source:` in one guideline) would be ignored without a word. A
// dimension given twice under `guidelines` is not checked: both of its lists are read.
void duplicate_keys(const YAML::Node& node, const std::filesystem::path& path, Problems& problems) {
  if (!node.IsMap()) return;
  std::map<std::string, int> seen;  // key -> 1-based line
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) continue;
    const int line = kv.first.Mark().line + 1;
    if (const auto [it, first] = seen.emplace(kv.first.Scalar(), line); !first)
      problems.add(path.string() + ":" + std::to_string(line),
                   "`" + kv.first.Scalar() + "` is given twice (also on line " + std::to_string(it->second) +
                       "): keep one; the first would be read and this one ignored");
  }
}

std::vector<Guideline> read_guidelines(const std::filesystem::path& path, Problems& problems) {
  std::vector<Guideline> out;
  YAML::Node root;
  const std::string text = util::read_file(path);
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::string note;
    const int line = util::yaml_error_line(text, e.mark.line, e.mark.column, note, e.msg);
    problems.add(path.string() + ":" + std::to_string(line), e.msg + (note.empty() ? "" : " (" + note + ")"));
    return out;
  }
  if (const int line = util::yaml_unclosed_quote_line(text)) {
    problems.add(path.string() + ":" + std::to_string(line),
                 "a quoted text opened on this line is never closed: it runs to the end of the file");
    return out;
  }
  auto where = [&](const YAML::Node& n) { return path.string() + ":" + std::to_string(n.Mark().line + 1); };
  duplicate_keys(root, path, problems);
  if (!root.IsMap() || !root["schema_version"] || !root["schema_version"].IsScalar() ||
      root["schema_version"].Scalar() != "1") {
    problems.add(path.string() + ":1", "expected `schema_version: 1`");
    return out;
  }
  const YAML::Node all = root["guidelines"];
  if (!all || all.IsNull()) return out;
  if (!all.IsMap()) {
    problems.add(where(all), "`guidelines` must map each dimension id to a list of guidelines");
    return out;
  }
  for (const auto& dim : all) {
    if (!dim.first.IsScalar()) {
      problems.add(where(dim.first), "a dimension id must be a single word, not a list or a map");
      continue;
    }
    const std::string d = dim.first.Scalar();
    if (dim.second.IsNull()) continue;
    if (!dim.second.IsSequence()) {
      problems.add(where(dim.second), "guidelines of `" + d + "` must be a list");
      continue;
    }
    for (const auto& item : dim.second) {
      duplicate_keys(item, path, problems);
      if (!item.IsMap() || !item["text"] || !item["text"].IsScalar() ||
          util::trim(item["text"].Scalar()).empty()) {
        problems.add(where(item), "a guideline of `" + d + "` needs a non-empty `text`");
        continue;
      }
      Guideline g;
      g.dimension = d;
      g.line = item.Mark().line + 1;
      g.text = std::string(util::trim(item["text"].Scalar()));
      if (item["source"]) g.source = item["source"].Scalar();
      if (g.source != "manual" && g.source != "reflection" && g.source != "extractive" &&
          g.source != "learnt")
        problems.add(where(item),
                     "`source` must be manual, reflection, extractive or learnt, not \"" + g.source + "\"");
      if (std::string error; is_fact_rule(g.text) && !parse_fact_rule(g.text, error))
        problems.add(where(item), "rule of `" + d + "`: " + error);
      else if (g.source == "learnt" && !is_fact_rule(g.text) && !parse_fact_rule(g.text, error))
        problems.add(where(item), "a `learnt` guideline of `" + d +
                                      "` is a rule, and this one does not parse: " + error +
                                      " (or set `source: manual` to keep it as prose for LLM judges)");
      if (const auto cites = item["cites"]; cites && !cites.IsNull()) {
        if (!cites.IsSequence())
          problems.add(where(cites), "`cites` must be a list of label ids");
        else
          for (const auto& c : cites) g.cites.push_back(c.Scalar());
      }
      out.push_back(std::move(g));
    }
  }
  return out;
}

// Typed reads of memory.json's fields, which people may edit (docs/memory.md, "memory.json"): each read
// checks the value's type (and range), and a value that fails adds a problem "FILE: `KEY` must be ..., not
// VALUE (what to do)" and gives the fallback, so that every problem of the file is reported together. KEY is
// the field's place in the file ("blend_weights.data_imputation.score").
class ManifestFields {
 public:
  // `text`: the file's text, already parsed as JSON, which gives each problem its line.
  ManifestFields(std::string file, const std::string& text)
      : m_file(std::move(file)), m_lines(key_lines(text)), m_problems(m_file) {}
  Problems& problems() { return m_problems; }

  // Adds "FILE:LINE: `KEY` what", LINE that of KEY in the file, or of the nearest enclosing key there (a
  // missing key's object); "FILE: ..." when not even the first part of KEY is in the file.
  void add(const std::string& key, const std::string& what) {
    for (std::string k = key;;) {
      if (const auto it = m_lines.find(k); it != m_lines.end())
        return m_problems.add(it->second, "`" + key + "` " + what);  // listed in line order
      const std::size_t parent = k.find_last_of(".[");
      if (parent == std::string::npos || parent == 0) break;
      k.resize(parent);
    }
    m_problems.add(m_file, "`" + key + "` " + what);
  }

  // The line (1-based) of every key and array element of the JSON `text`, by its place written as add's
  // KEY is ("blend_weights.data_imputation.score", "forgotten[2].notebook"); the text is valid JSON. A key is
  // taken as written between its quotes (judge writes none with escapes); a key with a '.' in it is read as a
  // path, so its line may be another key's (judge writes none: dimension ids have no '.').
  static std::map<std::string, int> key_lines(const std::string& text) {
    struct Open {
      bool array;
      std::string path;
      std::size_t index;
    };
    std::map<std::string, int> out;
    std::vector<Open> stack;
    std::string key;  // the key whose value comes next, in the innermost object
    int line = 1;
    const auto value_path = [&]() -> std::string {
      if (stack.empty()) return {};
      const Open& o = stack.back();
      if (o.array) return o.path + "[" + std::to_string(o.index) + "]";
      return o.path.empty() ? key : o.path + "." + key;
    };
    const auto begin_value = [&] {
      if (!stack.empty() && stack.back().array) out.emplace(value_path(), line);
    };
    // A UTF-8 byte order mark, which the parser passes over, is no value.
    const std::size_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    for (std::size_t i = start; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\n') {
        ++line;
      } else if (c == '"') {
        std::size_t j = i + 1;
        while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
        const std::string str = text.substr(i + 1, j - i - 1);
        std::size_t after = j + 1;
        while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after]))) ++after;
        if (!stack.empty() && !stack.back().array && after < text.size() && text[after] == ':') {
          key = str;  // an object's key; of a key given twice, the last, as the parser takes it
          out[value_path()] = line;
        } else {
          begin_value();
        }
        for (std::size_t k = i; k < j && k < text.size(); ++k) line += text[k] == '\n';
        i = j;
      } else if (c == '{' || c == '[') {
        begin_value();
        stack.push_back({c == '[', value_path(), 0});
      } else if (c == '}' || c == ']') {
        if (!stack.empty()) stack.pop_back();
      } else if (c == ',') {
        if (!stack.empty() && stack.back().array) ++stack.back().index;
      } else if (!std::isspace(static_cast<unsigned char>(c)) && c != ':') {
        begin_value();  // a number, true, false or null: the rest of it adds no place
        while (i + 1 < text.size() && std::string_view(",]}\n").find(text[i + 1]) == std::string_view::npos)
          ++i;
      }
    }
    return out;
  }

  // The value of `name` in `object`, nullptr when absent.
  static const nlohmann::json* find(const nlohmann::json& object, const std::string& name) {
    const auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
  }

  std::string text(const nlohmann::json& object, const std::string& name, const std::string& key,
                   std::string fallback = {}) {
    const nlohmann::json* j = find(object, name);
    if (!j) return fallback;
    if (j->is_string()) return j->get<std::string>();
    add(key, std::string("must be a string, not ").append(shown(*j)).append(" (write it in double quotes)"));
    return fallback;
  }

  std::vector<std::string> texts(const nlohmann::json& object, const std::string& name,
                                 const std::string& key) {
    const nlohmann::json* j = find(object, name);
    std::vector<std::string> out;
    if (!j) return out;
    if (!j->is_array()) {
      add(key, std::string("must be a list of strings, not ").append(shown(*j)));
      return out;
    }
    for (std::size_t i = 0; i < j->size(); ++i)
      if ((*j)[i].is_string())
        out.push_back((*j)[i].get<std::string>());
      else
        add(key + "[" + std::to_string(i) + "]",
            std::string("must be a string, not ").append(shown((*j)[i])));
    return out;
  }

  // The object at `name`, nullptr (and a problem) when it is something else; nullptr when absent, with a
  // problem when `required` (`example` shows its form).
  const nlohmann::json* object(const nlohmann::json& parent, const std::string& name, const std::string& key,
                               const std::string& example, bool required = false) {
    const nlohmann::json* j = find(parent, name);
    if (!j) {
      if (required) add(key, "is missing: it must be an object such as " + example);
      return nullptr;
    }
    if (j->is_object()) return j;
    add(key, "must be an object such as " + example + ", not " + shown(*j));
    return nullptr;
  }

  // A number from 0 to 1 at `name` (0 when absent: not learnt); `what` says what it weighs.
  double weight(const nlohmann::json& parent, const std::string& name, const std::string& key,
                const std::string& what) {
    const nlohmann::json* j = find(parent, name);
    if (!j) return 0;
    if (j->is_number()) {
      const double w = j->get<double>();
      if (w >= 0 && w <= 1) return w;  // NaN fails both
    }
    add(key, std::string("must be a number from 0 to 1, not ").append(shown(*j)) + " (" + what +
                 "; delete it for 0, and judge align measures it again)");
    return 0;
  }

  // `j` as written in the file, cut to 60 bytes.
  static std::string shown(const nlohmann::json& j) {
    const std::string dump = j.dump();
    return dump.size() > 60 ? util::truncate_utf8(dump, 57) + "..." : dump;
  }

 private:
  std::string m_file;
  std::map<std::string, int> m_lines;
  Problems m_problems;
};

}  // namespace

// Retrieval index: per dimension, the positions of its episodes and an inverted list per vector component.
// Why: offline vectors are sparse (an excerpt hits ~100-300 of 1024 buckets), so scoring all episodes through
// the query's non-zero components touches only a fraction of the data a dense scan would; dense provider
// vectors simply make full lists, which is a brute-force scan.
struct Memory::Index {
  struct Dimension {
    std::vector<std::size_t> episodes;  // positions in m_episodes, in id order
    std::vector<std::vector<std::pair<std::uint32_t, float>>>
        postings;  // component -> (local position, value)
  };
  std::map<std::string, Dimension> by_dimension;
};

Memory::Memory(const std::string& embeddings_spec, const llm::ProviderSettings& embedding_settings)
    : m_embedder(make_embedder(embeddings_spec, embedding_settings)), m_index(std::make_unique<Index>()) {
  m_provenance.embeddings = m_embedder->spec();
}
Memory::~Memory() = default;
Memory::Memory(Memory&&) noexcept = default;
Memory& Memory::operator=(Memory&&) noexcept = default;

void Memory::rebuild_index() {
  auto index = std::make_unique<Index>();
  for (std::size_t i = 0; i < m_episodes.size(); ++i) {
    auto& dim = index->by_dimension[m_episodes[i].dimension];
    const auto local = static_cast<std::uint32_t>(dim.episodes.size());
    dim.episodes.push_back(i);
    const Vector& v = m_episodes[i].vector;
    if (dim.postings.size() < v.size()) dim.postings.resize(v.size());
    for (std::size_t c = 0; c < v.size(); ++c)
      if (v[c] != 0.0f) dim.postings[c].emplace_back(local, v[c]);
  }
  m_index = std::move(index);
}

void Memory::set_embedder(std::unique_ptr<Embedder> embedder) {
  m_embedder = std::move(embedder);
  m_provenance.embeddings = m_embedder->spec();
  for (auto& e : m_episodes) e.vector.clear();
  rebuild_index();
}

std::string Memory::excerpt(const notebook::Notebook& nb, const std::string& dimension) const {
  auto it = m_vocabulary.find(dimension);
  return memory::excerpt(nb, it == m_vocabulary.end() ? std::vector<std::string>{} : it->second);
}

void Memory::set_guidelines(std::vector<Guideline> guidelines) {
  m_guidelines = std::move(guidelines);
  number_guidelines(m_guidelines);
  index_fact_rules();
}

void Memory::index_fact_rules() {
  m_fact_rules.clear();
  for (const auto& g : m_guidelines) {
    std::string error;
    if (!is_fact_rule(g.text)) continue;
    if (auto rule = parse_fact_rule(g.text, error)) {
      // A learnt rule edited by hand is a person's now, as the next align keeps it (as manual).
      rule->source = edited_by_hand(g) ? "manual" : g.source;
      rule->line = g.line;
      m_fact_rules[g.dimension].push_back(std::move(*rule));
    }
  }
}

void Memory::set_episodes(std::vector<Episode> episodes) {
  std::sort(episodes.begin(), episodes.end(), [](const Episode& a, const Episode& b) { return a.id < b.id; });
  m_episodes = std::move(episodes);
  rebuild_index();
}

const Episode* Memory::find_episode(const std::string& id) const {
  auto it = std::lower_bound(m_episodes.begin(), m_episodes.end(), id,
                             [](const Episode& e, const std::string& key) { return e.id < key; });
  return it != m_episodes.end() && it->id == id ? &*it : nullptr;
}

std::vector<std::string> Memory::live_labels() const {
  std::set<std::string> ids;
  for (const auto& e : m_episodes) ids.insert(e.labels.begin(), e.labels.end());
  return {ids.begin(), ids.end()};
}

bool Memory::is_forgotten(const std::string& notebook, const std::string& label_id) const {
  return std::any_of(m_forgotten.begin(), m_forgotten.end(), [&](const Forgotten& f) {
    return f.notebook.empty() ? f.label == label_id : f.notebook == notebook;
  });
}

bool Memory::edited_by_hand(const Guideline& g) const {
  if (g.source != "learnt" || !m_learnt) return false;
  const auto it = m_learnt->find(g.dimension);
  return it == m_learnt->end() ||
         std::find(it->second.written.begin(), it->second.written.end(), g.text) == it->second.written.end();
}

const std::vector<FactRule>& Memory::fact_rules(const std::string& dimension) const {
  static const std::vector<FactRule> k_none;
  const auto it = m_fact_rules.find(dimension);
  return it == m_fact_rules.end() ? k_none : it->second;
}

std::vector<Guideline> Memory::guidelines(const std::string& dimension) const {
  std::vector<Guideline> out;
  for (const auto& g : m_guidelines)
    if (g.dimension == dimension) out.push_back(g);
  return out;
}

std::vector<Retrieved> Memory::retrieve(const std::string& dimension, const std::string& query_text, int k,
                                        const Skip& skip) const {
  if (k <= 0 || !m_index->by_dimension.count(dimension)) return {};
  return retrieve(dimension, m_embedder->embed({query_text}).front(), k, skip);
}

std::vector<Retrieved> Memory::retrieve(const std::string& dimension, const Vector& query, int k,
                                        const Skip& skip) const {
  auto it = m_index->by_dimension.find(dimension);
  if (k <= 0 || it == m_index->by_dimension.end()) return {};
  const auto& dim = it->second;
  std::vector<float> scores(dim.episodes.size(), 0.0f);
  const std::size_t n = std::min(query.size(), dim.postings.size());
  for (std::size_t c = 0; c < n; ++c) {
    if (query[c] == 0.0f) continue;
    for (const auto& [local, value] : dim.postings[c]) scores[local] += query[c] * value;
  }
  // Top k by score, ties to the lower position (= lower episode id): one pass keeping the best k sorted.
  const std::size_t top = std::min<std::size_t>(static_cast<std::size_t>(k), scores.size());
  std::vector<std::uint32_t> best;
  best.reserve(top + 1);
  for (std::uint32_t i = 0; i < scores.size(); ++i) {
    if (best.size() == top && scores[i] <= scores[best.back()]) continue;
    if (skip && skip(m_episodes[dim.episodes[i]])) continue;
    auto at = std::upper_bound(best.begin(), best.end(), i,
                               [&](std::uint32_t a, std::uint32_t b) { return scores[a] > scores[b]; });
    best.insert(at, i);
    if (best.size() > top) best.pop_back();
  }
  std::vector<Retrieved> out;
  for (std::uint32_t i : best) out.push_back({&m_episodes[dim.episodes[i]], scores[i]});
  return out;
}

void Memory::save(const std::filesystem::path& dir) const {
  std::string episodes;
  for (const auto& e : m_episodes) episodes += episode_json(e).dump() + "\n";
  std::string vectors;
  for (const auto& e : m_episodes) {
    // Sparse form (index + value) when fewer than half the components are non-zero, else dense (value).
    nlohmann::ordered_json j;
    j["id"] = e.id;
    std::vector<std::uint32_t> index;
    std::vector<float> value;
    for (std::size_t c = 0; c < e.vector.size(); ++c)
      if (e.vector[c] != 0.0f) {
        index.push_back(static_cast<std::uint32_t>(c));
        value.push_back(e.vector[c]);
      }
    j["size"] = e.vector.size();
    if (index.size() * 2 < e.vector.size()) {
      j["index"] = index;
      j["value"] = value;
    } else {
      j["value"] = e.vector;
    }
    vectors += j.dump() + "\n";
  }
  // The order makes every point a save may be cut short at safe (docs/memory.md, "Crash safety"): the
  // manifest is staged first (memory.json.next), then guidelines.yaml, episodes.jsonl and vectors.jsonl are
  // replaced, and last the staged manifest is renamed to memory.json. Until guidelines.yaml is replaced the
  // folder is the previous save's, whole (the staged manifest is ignored: staged_save_applies); from then on
  // the staged manifest describes the folder: its learnt-rule record is the one guidelines.yaml was written
  // with (so no learnt rule looks edited by hand), its tombstones hold, and its digest tells episodes.jsonl
  // and vectors.jsonl not yet replaced, which load refuses and align repairs.
  const std::string digest = util::sha256_hex(episodes + vectors);
  const std::string guidelines = guidelines_text(m_guidelines);
  nlohmann::ordered_json vh = line_header("judge-vectors", digest);
  vh["embeddings"] = m_embedder->spec();
  vh["state"] = m_embedder->state();
  util::write_file_atomic(
      dir / k_staged_manifest,
      manifest_text(m_provenance, m_vocabulary, m_blend, m_forgotten, m_learnt, m_episodes.size(),
                    m_guidelines.size(), digest, util::sha256_hex(guidelines)));
  util::write_file_atomic(dir / k_guidelines, guidelines);
  util::write_file_atomic(dir / k_episodes, line_header("judge-episodes", digest).dump() + "\n" + episodes);
  util::write_file_atomic(dir / k_vectors, vh.dump() + "\n" + vectors);
  util::replace_file(dir / k_staged_manifest, dir / k_manifest);
}

Memory Memory::load(const std::filesystem::path& dir, Recovery recovery,
                    const llm::ProviderSettings& embedding_settings) {
  // memory.json, or the staged manifest of a save cut short that got past guidelines.yaml (Memory::save).
  const auto manifest = current_manifest(dir);
  if (!manifest)
    throw Error((dir / k_manifest).string() + ": no memory here (create one with `judge align " +
                setting("memory") + " " + dir.string() + "`)");
  const auto& manifest_path = manifest->path;
  const std::string& manifest_text = manifest->text;
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(manifest_text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(manifest_path.string() + ": not JSON: " + util::json_error_text(e));
  }
  if (!has_schema_version(m)) throw Error(manifest_path.string() + ": expected schema_version 1");
  ManifestFields fields(manifest_path.string(), manifest_text);
  const std::string embeddings = fields.text(m, "embeddings", "embeddings", "hashed-tfidf");
  // An embeddings spec the memory cannot use is one more problem of the file, reported with the others.
  std::optional<Memory> made;
  if (fields.problems().empty()) try {
      made.emplace(embeddings, embedding_settings);
    } catch (const Error& e) {
      fields.add("embeddings", std::string("names no embedder this judge has: ") + e.what());
    }
  if (!made) made.emplace("hashed-tfidf", embedding_settings);
  Memory memory = std::move(*made);
  Provenance& p = memory.m_provenance;
  const std::string digest = fields.text(m, "digest", "digest");  // "" in folders written before digests
  p.judge = fields.text(m, "judge", "judge");
  p.reflection = fields.text(m, "reflection", "reflection");
  p.embeddings = embeddings;
  p.rater_policy = fields.text(m, "rater_policy", "rater_policy", "mean");
  if (const nlohmann::json* k = ManifestFields::find(m, "k")) {
    // The range of the k setting (judge eval -k).
    if (k->is_number() && k->get<double>() >= 1 && k->get<double>() <= k_max_k &&
        k->get<double>() == std::trunc(k->get<double>()))
      p.k = static_cast<int>(k->get<double>());
    else
      fields.add("k", std::string("must be a whole number from 1 to ").append(std::to_string(k_max_k)) +
                          ", not " + ManifestFields::shown(*k) +
                          " (the episodes retrieved per notebook and dimension; delete it for 5)");
  }
  const std::string file_and_hash = R"({"file": "labels.csv", "hash": "SHA-256 OF IT"})";
  if (const auto* labels = fields.object(m, "labels", "labels", file_and_hash, true)) {
    p.labels_file = fields.text(*labels, "file", "labels.file");
    p.labels_hash = fields.text(*labels, "hash", "labels.hash");
  }
  if (const auto* rubric =
          fields.object(m, "rubric", "rubric", R"({"id": "ml-notebook", "hash": "..."})", true)) {
    p.rubric_id = fields.text(*rubric, "id", "rubric.id");
    p.rubric_hash = fields.text(*rubric, "hash", "rubric.hash");
  }
  p.created = fields.text(m, "created", "created");
  p.updated = fields.text(m, "updated", "updated");
  if (const auto* vocabulary = fields.object(m, "excerpt_vocabulary", "excerpt_vocabulary",
                                             R"({"data_imputation": "adds blanket ..."})"))
    for (const auto& [d, joined] : vocabulary->items()) {
      std::vector<std::string> words;
      std::istringstream in(fields.text(*vocabulary, d, "excerpt_vocabulary." + d));
      for (std::string w; in >> w;) words.push_back(w);
      memory.m_vocabulary[d] = std::move(words);
    }
  const std::string weights = R"({"score": 0.5, "na": 0})";
  if (const auto* blend =
          fields.object(m, "blend_weights", "blend_weights", R"({"data_imputation": )" + weights + "}"))
    for (const auto& [d, ignored] : blend->items()) {
      const std::string key = "blend_weights." + d;
      const auto* w = fields.object(*blend, d, key, weights);
      if (!w) continue;
      memory.m_blend[d] = {
          fields.weight(*w, "score", key + ".score",
                        "how much of memory's correction of the rule's score is "
                        "applied: 0 none, 1 all"),
          fields.weight(*w, "na", key + ".na", "1: memory may overturn the rule's N/A call, 0: it may not"),
          fields.text(*w, "unlearnt", key + ".unlearnt")};
    }
  if (const nlohmann::json* forgotten = ManifestFields::find(m, "forgotten")) {
    if (!forgotten->is_array())
      fields.add("forgotten",
                 std::string("must be a list of {\"notebook\": ...} or {\"label\": ...} entries, not ")
                     .append(ManifestFields::shown(*forgotten)));
    else
      for (std::size_t i = 0; i < forgotten->size(); ++i) {
        const std::string key = std::string("forgotten[").append(std::to_string(i)) + "]";
        const auto& t = (*forgotten)[i];
        if (!t.is_object()) {
          fields.add(key,
                     std::string("must be an object such as {\"notebook\": \"ipynb/titanic.ipynb\"}, not ")
                         .append(ManifestFields::shown(t)));
          continue;
        }
        Forgotten f{fields.text(t, "notebook", key + ".notebook"),
                    fields.text(t, "label", key + ".label"),
                    fields.text(t, "time", key + ".time"),
                    {}};
        if (const nlohmann::json* cites = ManifestFields::find(t, "cites")) {
          const std::string form = R"([{"dimension": "...", "text": "...", "cite": "..."}])";
          if (!cites->is_array())
            fields.add(key + ".cites", "must be a list such as " + form +
                                           " (the citations judge memory forget "
                                           "took out of guidelines), not " +
                                           ManifestFields::shown(*cites));
          else
            for (std::size_t c = 0; c < cites->size(); ++c) {
              const std::string ckey = key + ".cites[" + std::to_string(c) + "]";
              const auto& one = (*cites)[c];
              if (!one.is_object()) {
                fields.add(ckey, "must be an object such as " + form.substr(1, form.size() - 2) + ", not " +
                                     ManifestFields::shown(one));
                continue;
              }
              Forgotten::Citation citation{fields.text(one, "dimension", ckey + ".dimension"),
                                           fields.text(one, "text", ckey + ".text"),
                                           fields.text(one, "cite", ckey + ".cite")};
              if (citation.dimension.empty() || citation.text.empty() || citation.cite.empty())
                fields.add(ckey, "needs a `dimension`, a `text` and a `cite`, each a non-empty string");
              else
                f.cites.push_back(std::move(citation));
            }
        }
        if (f.notebook.empty() == f.label.empty())
          fields.add(key,
                     "needs one of `notebook` or `label` (judge memory forget writes them; judge memory "
                     "unforget removes one)");
        else
          memory.m_forgotten.push_back(std::move(f));
      }
  }
  const std::string record = R"({"written": ["..."], "withheld": ["..."]})";
  if (const auto* learnt =
          fields.object(m, "learnt_rules", "learnt_rules", R"({"data_imputation": )" + record + "}")) {
    memory.m_learnt.emplace();  // absent: saved before it was kept
    for (const auto& [d, ignored] : learnt->items())
      if (const auto* r = fields.object(*learnt, d, "learnt_rules." + d, record)) {
        auto& to = (*memory.m_learnt)[d];
        to.written = fields.texts(*r, "written", "learnt_rules." + d + ".written");
        to.withheld = fields.texts(*r, "withheld", "learnt_rules." + d + ".withheld");
        const std::string key = "learnt_rules." + d + ".rests_on_few_labels";
        if (const auto* fragile = fields.object(*r, "rests_on_few_labels", key, R"({"RULE": "WHY"})"))
          for (const auto& [rule, why] : fragile->items()) {
            if (why.is_string() && !why.get<std::string>().empty())
              to.fragile[rule] = why.get<std::string>();
            else
              fields.add(key + "." + rule,
                         std::string("must be a non-empty string (what judge align said of the rule), "
                                     "not ")
                             .append(ManifestFields::shown(why)));
          }
      }
  }
  fields.problems().throw_if_any(
      std::string("memory ").append(dir.string()) + ": " + fields.problems().count() +
          " in memory.json (fix each by hand, see docs/memory.md \"memory.json\"):",
      ExitCode::runtime);

  // Files from one save carry the same digest; none at all is a folder written before digests existed.
  const auto episodes_text = read_if_exists(dir / k_episodes);
  const auto vectors_text = read_if_exists(dir / k_vectors);
  const std::string episodes_digest = episodes_text ? header_digest(*episodes_text) : "missing";
  const std::string vectors_digest = vectors_text ? header_digest(*vectors_text) : "missing";
  const bool consistent =
      episodes_text && vectors_text && episodes_digest == digest && vectors_digest == digest;
  if (!consistent && recovery == Recovery::refuse)
    throw Error("memory " + dir.string() +
                " is inconsistent: memory.json, episodes.jsonl and vectors.jsonl come from different saves "
                "(a save was interrupted?); re-run judge align " +
                setting("memory") + " " + dir.string() + " to repair it");
  memory.m_recovered = !consistent;
  if (!consistent) memory.m_recovery_reason = "it was left inconsistent by an interrupted save";
  if (const auto calibration = read_if_exists(dir / k_calibration))
    memory.m_calibration_stale = !consistent || !calibration_matches(*calibration, digest);
  if (memory.m_calibration_stale && recovery == Recovery::refuse)
    throw Error(
        "memory " + dir.string() +
        " is inconsistent: calibration.json does not match the memory's files (edited by hand, or fitted "
        "on another save of the memory); fit it again with judge align, or delete it");

  Problems problems;
  std::vector<Episode> episodes;
  auto finish = [&]() {
    problems.throw_if_any(
        "memory " + dir.string() + " has " + std::to_string(problems.size()) + " problem(s):",
        ExitCode::runtime);
    memory.set_episodes(std::move(episodes));
    return std::move(memory);
  };
  memory.m_guidelines = read_guidelines(dir / k_guidelines, problems);
  memory.index_fact_rules();
  if (episodes_text)
    read_jsonl(dir / k_episodes, *episodes_text, "judge-episodes", problems,
               [&](const nlohmann::json& j, const std::string&, Problems&) {
                 Episode e;
                 e.id = j.at("id").get<std::string>();
                 e.notebook = j.at("notebook").get<std::string>();
                 e.dimension = j.at("dimension").get<std::string>();
                 e.human_score = read_score(j.at("human_score"));
                 e.feedback = j.value("feedback", "");
                 e.labels = j.value("labels", std::vector<std::string>{});
                 const auto& judge = j.at("judge");
                 // No (or an empty) status: no verdict was recorded, as older saves wrote it.
                 const std::string status = judge.value("status", std::string());
                 const auto parsed =
                     status.empty() ? verdict::Status::unscored : verdict::parse_status(status);
                 if (!parsed)
                   throw Error("judge status \"" + status + "\" is none of " + verdict::status_list());
                 e.judge_status = *parsed;
                 e.judge_score = read_score(judge.value("score", nlohmann::json()));
                 e.judge_rationale = judge.value("rationale", "");
                 e.verdict_judge = judge.value("spec", "");  // absent: the memory's judge
                 e.excerpt = j.value("excerpt", "");
                 e.label_fingerprint = j.value("label_fingerprint", "");
                 e.notebook_hash = j.value("notebook_hash", "");
                 e.distilled = j.value("distilled", false);
                 e.facts = j.value("facts", std::map<std::string, double>{});
                 episodes.push_back(std::move(e));
               });
  if (memory.m_recovered) return finish();  // vectors.jsonl is not trusted: align embeds every episode again
  std::map<std::string, Episode*> by_id;
  for (auto& e : episodes) by_id[e.id] = &e;
  // Episodes and vectors that do not pair up, with digests that agree: a line deleted or added by hand.
  Problems unpaired;
  const auto header =
      read_jsonl(dir / k_vectors, *vectors_text, "judge-vectors", problems,
                 [&](const nlohmann::json& j, const std::string& where, Problems& in_file) {
                   const auto id = j.at("id").get<std::string>();
                   auto it = by_id.find(id);
                   if (it == by_id.end())
                     return unpaired.add(where, "vector of unknown episode \"" + id + "\"");
                   const auto size = detail::json_whole<std::size_t>(j.at("size"), "size");
                   if (size > k_max_vector_size)
                     return in_file.add(where, "size " + std::to_string(size) +
                                                   " is larger than any embedding (at most " +
                                                   std::to_string(k_max_vector_size) + ")");
                   std::vector<float> value;
                   for (const auto& x : j.at("value").get_ref<const nlohmann::json::array_t&>())
                     value.push_back(detail::json_float(x, "value"));
                   if (j.contains("index")) {
                     std::vector<std::size_t> index;
                     for (const auto& x : j.at("index").get_ref<const nlohmann::json::array_t&>())
                       index.push_back(detail::json_whole<std::size_t>(x, "index"));
                     if (index.size() != value.size())
                       return in_file.add(where, "index and value differ in length");
                     Vector v(size, 0.0f);
                     for (std::size_t i = 0; i < index.size(); ++i) {
                       if (index[i] >= size)
                         return in_file.add(where, "index " + std::to_string(index[i]) + " out of range");
                       v[index[i]] = value[i];
                     }
                     it->second->vector = std::move(v);
                   } else {
                     if (value.size() != size)
                       return in_file.add(where, "value has " + std::to_string(value.size()) +
                                                     " entries, size says " + std::to_string(size));
                     it->second->vector = std::move(value);
                   }
                 });
  for (const auto& e : episodes)
    if (e.vector.empty()) unpaired.add((dir / k_vectors).string(), "no vector for episode \"" + e.id + "\"");
  if (!unpaired.empty() && recovery == Recovery::drop_vectors && problems.empty()) {
    // Repaired as an interrupted save is: vectors.jsonl set aside whole (its embedder state too), every
    // episode embedded again by align.
    for (auto& e : episodes) e.vector.clear();
    memory.m_recovered = true;
    memory.m_recovery_reason = "episodes.jsonl and vectors.jsonl hold different episodes (" +
                               unpaired.list().front() + "; a line deleted or added by hand?)";
    return finish();
  }
  problems.append(unpaired);
  if (!unpaired.empty())
    problems.add(
        "episodes.jsonl and vectors.jsonl hold different episodes (a line deleted or added by hand?)",
        "run judge align " + setting("memory") + " " + dir.string() +
            " to repair it (it embeds every episode again)");
  if (header.is_object()) {
    const auto embeddings_field = header.find("embeddings");
    const std::string header_embeddings = embeddings_field != header.end() && embeddings_field->is_string()
                                              ? embeddings_field->get<std::string>()
                                              : "";
    if (header_embeddings != p.embeddings)
      problems.add(
          (dir / k_vectors).string() + ":1",
          "embeddings \"" + header_embeddings + "\" differ from memory.json's \"" + p.embeddings + "\"");
    else if (header.contains("state"))
      try {
        memory.m_embedder->load_state(header["state"]);
      } catch (const Error& e) {
        problems.add((dir / k_vectors).string() + ":1", e.what());
      }
  }
  return finish();
}

ForgetResult forget(Memory& memory, const std::vector<std::string>& notebooks,
                    const std::vector<std::string>& label_ids) {
  const std::set<std::string> nbs(notebooks.begin(), notebooks.end());
  const std::set<std::string> ids(label_ids.begin(), label_ids.end());
  ForgetResult result;
  std::vector<Episode> kept;
  // The labels forgotten: those given, and those of the notebooks given. Not the other labels of an episode
  // removed for one of its labels (another rater's): they come back at the next align.
  std::set<std::string> gone(ids.begin(), ids.end());
  for (const auto& e : memory.episodes()) {
    const bool cited =
        std::any_of(e.labels.begin(), e.labels.end(), [&](const std::string& l) { return ids.count(l) > 0; });
    if (nbs.count(e.notebook) || cited) {
      ++result.episodes_removed;
      result.dimensions.insert(e.dimension);
      if (nbs.count(e.notebook)) gone.insert(e.labels.begin(), e.labels.end());
    } else
      kept.push_back(e);
  }
  std::set<std::string> live;
  for (const auto& e : kept) live.insert(e.labels.begin(), e.labels.end());
  // A non-manual guideline citing a label now gone goes whole: its text may carry that label's feedback.
  // The episodes of the labels it also cited are marked undistilled, so the next align distills their
  // feedback again, without the forgotten one.
  std::set<std::string> redistill;
  std::vector<Guideline> guidelines;
  std::map<std::pair<std::string, std::string>, std::vector<Forgotten::Citation>> taken;  // by tombstone
  auto learnt = memory.learnt_record();
  for (const auto& g : memory.all_guidelines()) {
    if (g.source != "manual" && !memory.edited_by_hand(g) &&
        std::any_of(g.cites.begin(), g.cites.end(), [&](const std::string& c) { return !live.count(c); })) {
      ++result.guidelines_removed;
      if (g.source == "learnt") ++result.learnt_rules_removed;
      redistill.insert(g.cites.begin(), g.cites.end());
      if (learnt && g.source == "learnt")  // gone by forget, not by a person: the next align need not say so
        std::erase((*learnt)[g.dimension].written, g.text);
      continue;
    }
    // A guideline that stays (a person's) cites the forgotten labels no more; the tombstone of the notebook
    // or label keeps each citation taken, for unforget.
    Guideline rest = g;
    result.citations_removed += std::erase_if(rest.cites, [&](const std::string& c) {
      // A label id is NOTEBOOK#DIMENSION#RATER: a label of a notebook given goes whether or not an episode
      // still held it (one forgotten by --label before).
      const auto rater = c.rfind('#');
      const auto dimension =
          rater == std::string::npos || rater == 0 ? std::string::npos : c.rfind('#', rater - 1);
      const std::string notebook = dimension == std::string::npos ? std::string() : c.substr(0, dimension);
      const bool of_notebook = !notebook.empty() && nbs.count(notebook) > 0;
      if (!gone.count(c) && !of_notebook) return false;
      // Of its notebook's tombstone when that notebook is given (or was forgotten whole by the label's
      // episode), else of its own label's.
      const bool by_label = !of_notebook && ids.count(c) > 0;
      taken[{by_label ? std::string() : notebook, by_label ? c : std::string()}].push_back(
          {g.dimension, g.text, c});
      return true;
    });
    guidelines.push_back(std::move(rest));
  }
  // Which rules rest on few labels was worked out on the labels forget removes some of: no longer known (a
  // refit, align::refit_learnt_rules, works it out again; without one, memory show says nothing stale).
  if (learnt)
    for (const auto& d : result.dimensions)
      if (const auto it = learnt->find(d); it != learnt->end()) it->second.fragile.clear();
  if (learnt) memory.set_learnt_record(std::move(*learnt));
  for (auto& e : kept)
    if (std::any_of(e.labels.begin(), e.labels.end(),
                    [&](const std::string& l) { return redistill.count(l) > 0; }))
      e.distilled = false;
  memory.set_episodes(std::move(kept));
  memory.set_guidelines(std::move(guidelines));
  auto tombstones = memory.forgotten();
  const std::size_t tombstones_before = tombstones.size();
  const std::string now = util::utc_now();
  auto record = [&](const std::string& notebook, const std::string& label) {
    const bool known = std::any_of(tombstones.begin(), tombstones.end(), [&](const Forgotten& f) {
      return f.notebook == notebook && f.label == label;
    });
    if (!known) tombstones.push_back({notebook, label, now, {}});
  };
  for (const auto& nb : notebooks) record(nb, "");
  for (const auto& id : label_ids) record("", id);
  for (const auto& entry : taken) {  // no structured binding: clang 14 cannot capture one
    const auto it = std::find_if(tombstones.begin(), tombstones.end(), [&](const Forgotten& f) {
      return f.notebook == entry.first.first && f.label == entry.first.second;
    });
    if (it == tombstones.end()) continue;  // never: every citation taken belongs to a notebook or label given
    it->cites.insert(it->cites.end(), entry.second.begin(), entry.second.end());
  }
  const bool changed =
      result.episodes_removed > 0 || result.guidelines_removed > 0 || tombstones.size() != tombstones_before;
  memory.set_forgotten(std::move(tombstones));
  if (changed) memory.provenance().updated = now;  // as align stamps the memory it changed
  return result;
}

namespace {

// The notebook of a label id NOTEBOOK#DIMENSION#RATER; "" when the id has not that form.
std::string notebook_of_label_id(const std::string& id) {
  const auto rater = id.rfind('#');
  if (rater == std::string::npos || rater == 0) return "";
  const auto dimension = id.rfind('#', rater - 1);
  return dimension == std::string::npos ? "" : id.substr(0, dimension);
}

}  // namespace

UnforgetResult unforget(Memory& memory, const std::vector<std::string>& notebooks,
                        const std::vector<std::string>& label_ids) {
  const std::set<std::string> nbs(notebooks.begin(), notebooks.end());
  const std::set<std::string> ids(label_ids.begin(), label_ids.end());
  auto tombstones = memory.forgotten();
  const std::size_t before = tombstones.size();
  const auto goes = [&](const Forgotten& f) {
    return !f.notebook.empty()
               ? nbs.count(f.notebook) > 0
               : ids.count(f.label) > 0 || std::any_of(nbs.begin(), nbs.end(), [&](const std::string& nb) {
                   return f.label.starts_with(nb + "#");
                 });
  };
  // A cite a tombstone may restore: a label of its notebook, or its own label (a hand-edited one that is
  // neither is not put back).
  const auto belongs = [](const Forgotten& f, const std::string& cite) {
    return f.notebook.empty() ? cite == f.label : cite.starts_with(f.notebook + "#");
  };
  std::vector<Forgotten::Citation> back;                          // the citations of the tombstones removed
  std::vector<std::pair<std::string, Forgotten::Citation>> held;  // kept out still: notebook, citation
  std::set<std::string> notebooks_kept;                           // notebooks whose tombstone stays
  for (const auto& f : tombstones)
    if (!f.notebook.empty() && !goes(f)) notebooks_kept.insert(f.notebook);
  std::erase_if(tombstones, [&](const Forgotten& f) {
    if (!goes(f)) return false;
    for (const auto& c : f.cites) {
      if (!belongs(f, c.cite)) continue;
      // A label re-admitted whose notebook stays forgotten is still out: its citations wait in the notebook's
      // tombstone, for the unforget that re-admits the notebook.
      const std::string nb = f.label.empty() ? std::string() : notebook_of_label_id(f.label);
      if (!nb.empty() && notebooks_kept.count(nb))
        held.emplace_back(nb, c);
      else
        back.push_back(c);
    }
    return true;
  });
  for (auto& [nb, c] : held)
    for (auto& f : tombstones)
      if (f.notebook == nb) f.cites.push_back(std::move(c));
  UnforgetResult result;
  result.tombstones = before - tombstones.size();
  if (!back.empty()) {
    auto guidelines = memory.all_guidelines();
    for (const auto& c : back) {
      const auto g = std::find_if(guidelines.begin(), guidelines.end(), [&](const Guideline& x) {
        return x.dimension == c.dimension && x.text == c.text;
      });
      if (g == guidelines.end() || std::find(g->cites.begin(), g->cites.end(), c.cite) != g->cites.end()) {
        result.not_restored.push_back(c);
        continue;
      }
      g->cites.push_back(c.cite);
      ++result.citations_restored;
    }
    if (result.citations_restored > 0) memory.set_guidelines(std::move(guidelines));
  }
  memory.set_forgotten(std::move(tombstones));
  if (result.tombstones > 0) memory.provenance().updated = util::utc_now();
  return result;
}

std::string calibration_digest(const std::filesystem::path& dir, const std::string& content) {
  const auto manifest = current_manifest(dir);
  if (!manifest) return "";
  return digest_with(string_field(nlohmann::json::parse(manifest->text, nullptr, false), "digest"), content);
}

void settle_save(const std::filesystem::path& dir) {
  const auto staged = read_if_present(dir / k_staged_manifest);
  if (!staged) return;
  if (staged_save_applies(dir, *staged, read_if_exists(dir / k_manifest))) {
    util::replace_file(dir / k_staged_manifest, dir / k_manifest);
    return;
  }
  std::error_code ec;
  std::filesystem::remove(dir / k_staged_manifest, ec);
  if (ec)
    throw Error((dir / k_staged_manifest).string() +
                ": cannot delete the manifest of a save cut short: " + ec.message());
}

std::vector<std::string> match_notebook(const std::string& given_path,
                                        const std::vector<std::string>& candidates) {
  // Both sides without a leading "./" (util::notebook_name, as util::same_notebook compares them).
  const std::string_view given = util::notebook_name(given_path);
  for (const auto& c : candidates)
    if (util::notebook_name(c) == given) return {c};
  std::set<std::string> out;
  for (const auto& c : candidates)
    if (util::ends_with_path(util::notebook_name(c), given)) out.insert(c);
  if (out.empty())  // a longer path, e.g. as given to judge eval: examples/notebooks/x.ipynb names x.ipynb
    for (const auto& c : candidates)
      if (util::ends_with_path(given, util::notebook_name(c))) out.insert(c);
  return {out.begin(), out.end()};
}

}  // namespace judge::memory
