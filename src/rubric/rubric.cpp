// SPDX-License-Identifier: MIT
#include "judge/rubric/rubric.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string_view>

#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"
#include "judge/util/yaml_place.hpp"

namespace judge::rubric {

extern const std::string_view k_embedded_rubric_yaml;

const LevelText* Dimension::level(int score) const {
  for (const auto& l : levels)
    if (l.score == score) return &l;
  return nullptr;
}

bool Rubric::on_scale(int score) const {
  return std::any_of(scale.begin(), scale.end(), [&](const ScalePoint& p) { return p.score == score; });
}

const Dimension* Rubric::find(const std::string& id) const {
  for (const auto& d : dimensions)
    if (d.id == id) return &d;
  return nullptr;
}

namespace {

using util::Problems;

// The 1-based line of `node` in the rubric file (1 when it has none, e.g. a missing node).
int line_of(const YAML::Node& node) {
  return node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 1;
}

std::string text_of(const YAML::Node& parent, const char* key, Problems& p, bool required) {
  const YAML::Node n = parent[key];
  if (!n) {
    if (required) p.add(line_of(parent), std::string("missing field \"") + key + "\"");
    return {};
  }
  if (!n.IsScalar()) {
    p.add(line_of(n), std::string("field \"") + key + "\" must be text");
    return {};
  }
  return n.as<std::string>();
}

// Reports each key of the mapping `node` that is not in `allowed`, at the key's line, with the allowed keys,
// so a typo ("descripton") is an error rather than a silently ignored field.
void check_keys(const YAML::Node& node, std::initializer_list<std::string_view> allowed,
                const std::string& where, Problems& p) {
  if (!node.IsMap()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    p.add(line_of(it->first), "unknown key \"" + key + "\" in " + where + "; allowed keys: " + list);
  }
}

bool valid_id(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

Rubric parse_rubric(const std::string& yaml_text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    std::string note;
    const int line = util::yaml_error_line(yaml_text, e.mark.line, e.mark.column, note, e.msg);
    throw Error(name + ":" + std::to_string(line) + ": not valid YAML: " + e.msg +
                (note.empty() ? "" : " (" + note + ")"));
  }
  if (const int line = util::yaml_unclosed_quote_line(yaml_text))
    throw Error(name + ":" + std::to_string(line) +
                ": not valid YAML: a quoted text opened on this line is never closed: it runs to the end of "
                "the file");
  Problems p(name);
  Rubric r;
  r.source = name;
  r.hash = util::sha256_hex(yaml_text);
  if (!root.IsMap())
    throw Error(name + ":1: a rubric must be a YAML mapping with \"scale\" and \"dimensions\"");
  check_keys(root, {"schema_version", "id", "title", "description", "not_applicable", "scale", "dimensions"},
             "the rubric", p);
  if (const YAML::Node v = root["schema_version"]; v && !(v.IsScalar() && v.Scalar() == "1"))
    p.add(line_of(v), "unsupported schema_version \"" + (v.IsScalar() ? v.Scalar() : std::string("?")) +
                          "\"; this version of judge reads schema_version 1 (or none, meaning 1)");
  r.id = text_of(root, "id", p, true);
  if (!r.id.empty() && !valid_id(r.id))
    p.add(line_of(root["id"]), "rubric id \"" + r.id + "\" must be lower-case letters, digits, '_' or '-'");
  r.title = text_of(root, "title", p, false);
  r.description = text_of(root, "description", p, false);
  if (root["not_applicable"]) r.allows_na = root["not_applicable"].as<bool>(false);

  const YAML::Node scale = root["scale"];
  if (!scale || !scale.IsSequence() || scale.size() < 2) {
    p.add(line_of(scale ? scale : root), "\"scale\" must be a list of at least two points ({score, name})");
  } else {
    for (const auto& pt : scale) {
      check_keys(pt, {"score", "name", "meaning"}, "a scale point", p);
      ScalePoint sp;
      try {
        sp.score = pt["score"].as<int>();
      } catch (const YAML::Exception&) {
        p.add(line_of(pt), "scale point needs an integer \"score\"");
        continue;
      }
      sp.name = text_of(pt, "name", p, true);
      sp.meaning = text_of(pt, "meaning", p, false);
      if (std::any_of(r.scale.begin(), r.scale.end(),
                      [&](const ScalePoint& o) { return o.score == sp.score; }))
        p.add(line_of(pt), "duplicate scale point " + std::to_string(sp.score));
      r.scale.push_back(sp);
    }
    std::sort(r.scale.begin(), r.scale.end(), [](auto& a, auto& b) { return a.score < b.score; });
  }

  const YAML::Node dims = root["dimensions"];
  if (!dims || !dims.IsSequence() || dims.size() == 0) {
    p.add(line_of(dims ? dims : root), "\"dimensions\" must be a non-empty list");
  } else {
    std::set<std::string> seen;
    for (const auto& dn : dims) {
      if (!dn.IsMap()) {
        p.add(line_of(dn), "each entry of \"dimensions\" must be a mapping with id, description and levels");
        continue;
      }
      Dimension d;
      d.id = text_of(dn, "id", p, true);
      check_keys(dn, {"id", "title", "description", "levels", "not_applicable", "keywords"},
                 "dimension \"" + d.id + "\"", p);
      if (!d.id.empty() && !valid_id(d.id))
        p.add(line_of(dn["id"]),
              "dimension id \"" + d.id + "\" must be lower-case letters, digits, '_' or '-'");
      if (!d.id.empty() && !seen.insert(d.id).second)
        p.add(line_of(dn["id"]), "duplicate dimension id \"" + d.id + "\"");
      d.title = text_of(dn, "title", p, false);
      if (d.title.empty()) d.title = d.id;
      d.description = text_of(dn, "description", p, true);
      d.not_applicable = text_of(dn, "not_applicable", p, false);
      if (!d.not_applicable.empty() && !r.allows_na)
        p.add(line_of(dn["not_applicable"]),
              "dimension \"" + d.id + "\" describes N/A but the rubric sets not_applicable: false");
      if (const YAML::Node kw = dn["keywords"]) {
        if (!kw.IsSequence())
          p.add(line_of(kw), "\"keywords\" of \"" + d.id + "\" must be a list of words");
        else
          for (const auto& w : kw) {
            const std::string word = w.IsScalar() ? util::to_lower(w.as<std::string>()) : std::string();
            if (w.IsSequence() || w.IsMap())
              p.add(line_of(w), "a keyword of \"" + d.id + "\" must be a word, not a " +
                                    (w.IsSequence() ? "list" : "mapping"));
            else if (util::trim(word).empty())  // a blank keyword would match every cell
              p.add(line_of(w), "a keyword of \"" + d.id + "\" must be a non-empty word");
            else
              d.keywords.push_back(word);
          }
      }
      const YAML::Node levels = dn["levels"];
      if (!levels || !levels.IsMap()) {
        p.add(line_of(levels ? levels : dn),
              "dimension \"" + d.id +
                  "\" needs \"levels\": a mapping from each scale score to its description");
      } else {
        for (auto it = levels.begin(); it != levels.end(); ++it) {
          LevelText lt;
          try {
            lt.score = it->first.as<int>();
          } catch (const YAML::Exception&) {
            p.add(line_of(it->first),
                  "level key \"" + it->first.as<std::string>("?") + "\" is not an integer score");
            continue;
          }
          if (!r.scale.empty() && !r.on_scale(lt.score))
            p.add(line_of(it->first),
                  "level " + std::to_string(lt.score) + " of \"" + d.id + "\" is not on the scale");
          lt.description = it->second.IsScalar() ? it->second.as<std::string>() : std::string();
          if (lt.description.empty())
            p.add(line_of(it->second),
                  "level " + std::to_string(lt.score) + " of \"" + d.id + "\" has no description");
          d.levels.push_back(lt);
        }
        for (const auto& sp : r.scale)
          if (!d.level(sp.score))
            p.add(line_of(levels), "dimension \"" + d.id + "\" has no description for scale point " +
                                       std::to_string(sp.score));
        std::sort(d.levels.begin(), d.levels.end(), [](auto& a, auto& b) { return a.score > b.score; });
      }
      r.dimensions.push_back(std::move(d));
    }
  }
  p.throw_if_any("invalid rubric (" + p.count() + "):", ExitCode::runtime);
  return r;
}

Rubric load_rubric(const std::filesystem::path& path) {
  // The built-in rubric's name, as every output prints it, names the built-in rubric; a file of that name
  // wins (it may be meant).
  std::error_code ec;
  if (path.native() == default_rubric().id && !std::filesystem::is_regular_file(path, ec))
    return default_rubric();
  // A misspelt built-in name ("ml-notebok") that names no file either: said so, not "cannot open".
  if (!std::filesystem::exists(path, ec) &&
      !util::closest_typos(path.native(), {default_rubric().id}).empty())
    throw Error("rubric " + path.string() + " does not exist; did you mean \"" + default_rubric().id +
                    "\", the built-in rubric?",
                ExitCode::usage);
  return parse_rubric(util::read_file(path), path.string());
}

const Rubric& default_rubric() {
  static const Rubric r = [] {
    Rubric x = parse_rubric(std::string(k_embedded_rubric_yaml), "<built-in>/rubrics/ml-notebook.yaml");
    return x;
  }();
  return r;
}

std::string did_you_mean_dimension(const Rubric& rubric, std::string_view id) {
  std::vector<std::string> ids;
  for (const auto& d : rubric.dimensions) ids.push_back(d.id);
  const auto close = util::closest_names(id, ids);
  std::string hint;
  for (std::size_t i = 0; i < close.size(); ++i) {
    hint += i == 0 ? "did you mean \"" : (i + 1 == close.size() ? "\" or \"" : "\", \"");
    hint += close[i];
  }
  if (!close.empty()) hint += "\"?";
  return hint;
}

Rubric select_dimensions(const Rubric& rubric, const std::string& list) {
  if (list.empty()) return rubric;
  std::set<std::string> wanted;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = std::string(util::trim(item));  // "a, b" names b
    if (item.empty()) continue;
    if (!rubric.find(item)) {
      std::string valid;
      for (const auto& d : rubric.dimensions) valid += (valid.empty() ? "" : ", ") + d.id;
      std::string message = "unknown dimension \"";
      message += item;
      message += '"';
      if (const std::string hint = did_you_mean_dimension(rubric, item); !hint.empty()) {  // model_trainng
        message += " (";
        message += hint;
        message += ')';
      }
      message += "; the rubric has: ";
      message += valid;
      throw Error(message, ExitCode::usage);
    }
    wanted.insert(item);
  }
  Rubric out = rubric;
  out.dimensions.clear();
  for (const auto& d : rubric.dimensions)
    if (wanted.count(d.id)) out.dimensions.push_back(d);
  return out;
}

}  // namespace judge::rubric
