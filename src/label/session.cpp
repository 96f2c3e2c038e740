// SPDX-License-Identifier: MIT
#include "judge/label/session.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "judge/labels/labels.hpp"
#include "judge/measure/scores.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/scoring/heuristic.hpp"
#include "judge/scoring/redact.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/jsonl.hpp"
#include "judge/util/paths.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"

namespace judge::label {

namespace {

using json = nlohmann::ordered_json;

// The PNG and JPEG outputs of an .ipynb file's text as data URLs, by (cell number, output index), numbered
// as notebook::parse_ipynb numbers them (object cells in order, worksheets one after another; object outputs
// in order). The notebook model keeps a placeholder for them ("[image/png output, 12 KiB]"): a judge reads
// text, a person looks at the picture. Empty when the text is not JSON of that shape.
std::map<std::pair<int, int>, std::string> ipynb_images(const std::string& text) {
  std::map<std::pair<int, int>, std::string> images;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return images;
  std::vector<const nlohmann::json*> cell_lists;
  if (doc.contains("cells")) {
    cell_lists.push_back(&doc["cells"]);
  } else if (doc.contains("worksheets") && doc["worksheets"].is_array()) {
    for (const auto& sheet : doc["worksheets"])
      if (sheet.is_object() && sheet.contains("cells")) cell_lists.push_back(&sheet["cells"]);
  }
  const auto joined = [](const nlohmann::json& v) {
    std::string s;
    if (v.is_string()) s = v.get<std::string>();
    if (v.is_array())
      for (const auto& part : v)
        if (part.is_string()) s += part.get<std::string>();
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == ' '; }),
            s.end());
    return s;
  };
  int number = 0;
  for (const auto* cells : cell_lists) {
    if (!cells->is_array()) continue;
    for (const auto& cell : *cells) {
      if (!cell.is_object()) continue;
      ++number;
      if (!cell.contains("outputs") || !cell["outputs"].is_array()) continue;
      int index = 0;
      for (const auto& out : cell["outputs"]) {
        if (!out.is_object()) continue;
        const nlohmann::json* bundle = out.contains("data") && out["data"].is_object() ? &out["data"] : &out;
        for (const auto& [key, mime] : {std::pair{"image/png", "image/png"},
                                        {"image/jpeg", "image/jpeg"},
                                        {"png", "image/png"},
                                        {"jpeg", "image/jpeg"}}) {
          if (!bundle->contains(key)) continue;
          const std::string data = joined((*bundle)[key]);
          if (!data.empty()) {
            images[{number, index}] = std::string("data:") + mime + ";base64," + data;
            break;
          }
        }
        ++index;
      }
    }
  }
  return images;
}

json score_json(const std::optional<double>& score) { return score ? json(*score) : json(nullptr); }

json label_to_json(const StoredLabel& l) {
  return json{{"rater", l.rater},
              {"score", score_json(l.score)},
              {"feedback", l.feedback},
              {"timestamp", l.timestamp},
              {"version", l.version}};
}

// The notebook file an entry's name lives in ("ARCHIVE.dbc!/inside" lives in ARCHIVE.dbc).
std::string file_of(const std::filesystem::path& dir, const std::string& name) {
  const auto bang = name.find("!/");
  return (dir / (bang == std::string::npos ? name : name.substr(0, bang))).string();
}

}  // namespace

std::string default_rater() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  return "expert";
}

Session::~Session() = default;

Session::Session(SessionOptions options, rubric::Rubric rubric)
    : m_options(std::move(options)),
      m_rubric(std::move(rubric)),
      m_heuristic(std::make_unique<scoring::HeuristicJudge>()) {
  std::error_code ec;
  if (!std::filesystem::is_directory(m_options.notebooks_dir, ec))
    throw Error(
        "notebooks folder " + m_options.notebooks_dir.string() +
            (std::filesystem::exists(m_options.notebooks_dir, ec) ? " is not a folder" : " does not exist") +
            " (--notebooks names the folder of notebooks to label)",
        ExitCode::usage);
  if (const auto folder = m_options.labels_file.parent_path();
      !folder.empty() && !std::filesystem::is_directory(folder, ec))
    throw Error("labels file " + m_options.labels_file.string() + ": folder " + folder.string() +
                    " does not exist (create it, or give --labels a file in an existing folder)",
                ExitCode::usage);
  // Notebooks: every one under the folder, in the walk's order; one that cannot be read is kept with why.
  const auto read = notebook::read_path(m_options.notebooks_dir);
  for (const auto& nb : read.notebooks) {
    Entry e;
    e.name = nb.name.empty() ? nb.path : nb.name;
    e.file = file_of(m_options.notebooks_dir, e.name);
    e.nb = nb;
    m_entries.push_back(std::move(e));
  }
  for (const auto& err : read.errors) {
    Entry e;
    e.name = std::filesystem::path(err.path).lexically_relative(m_options.notebooks_dir).generic_string();
    if (e.name.empty() || util::starts_with(e.name, "..")) e.name = err.path;
    e.file = err.path;
    e.error = err.reason;
    m_warnings.push_back("notebook " + err.message() +
                         " (shown as unreadable; it cannot be labelled until it reads)");
    m_entries.push_back(std::move(e));
  }
  std::sort(m_entries.begin(), m_entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  for (auto& e : m_entries) {
    try {
      e.hash = util::sha256_hex(util::read_file(e.file));
    } catch (const Error&) {
    }
  }
  if (m_entries.empty())
    m_warnings.push_back("no notebooks under " + m_options.notebooks_dir.string() +
                         " (.ipynb, .dbc, Databricks or Jupytext sources)");

  m_store =
      std::make_unique<LabelStore>(m_options.labels_file, m_options.rater, m_rubric, m_options.notebooks_dir);
  for (const auto& p : m_store->problems()) m_warnings.push_back("labels: " + p);
  for (const auto& w : m_store->warnings()) m_warnings.push_back("labels: " + w);

  // Scores: each file as judge report reads it, every score checked against the rubric's scale.
  for (const auto& path : m_options.scores_files) {
    const auto set = measure::read_scores(path);
    std::map<std::tuple<std::string, std::string, std::string>, double> spreads;
    util::Problems ignored;  // read_scores reported every problem already
    util::for_each_json_object(util::read_file(path), ignored, [&](const nlohmann::json& j, int) {
      if (j.contains("spread") && j["spread"].is_number())
        spreads[{util::json_text(j, "notebook").value_or(util::json_text(j, "item").value_or("")),
                 util::json_text(j, "dimension").value_or(""), util::json_text(j, "judge").value_or("")}] =
            j["spread"].get<double>();
    });
    util::Problems problems(path.string());
    std::size_t unmatched = 0;
    std::set<std::string> ambiguous;  // record paths that several notebooks' names end with
    for (const auto& r : set.records) {
      if (r.score && (*r.score < m_rubric.min_score() || *r.score > m_rubric.max_score()))
        problems.add(r.line, "score " + labels::format_score(*r.score) + " is off the rubric's scale (" +
                                 std::to_string(m_rubric.min_score()) + ".." +
                                 std::to_string(m_rubric.max_score()) +
                                 "); is it a score file of another rubric?");
      if (!m_rubric.find(r.dimension)) continue;  // a dimension not labelled here
      // The notebook the record names: the longest entry name its path ends with ("runs/nb/x.ipynb" is
      // nb/x.ipynb); failing that, the one entry whose name ends with its path ("./x.ipynb", written by
      // judge eval run in a subfolder, is sub/x.ipynb), unless several do (a name of two notebooks).
      const Entry* best = nullptr;
      std::size_t longer = 0;
      const Entry* longer_entry = nullptr;
      for (const auto& e : m_entries) {
        if (util::ends_with_path(util::notebook_name(r.item), e.name)) {
          if (!best || e.name.size() > best->name.size()) best = &e;
        } else if (util::same_notebook(r.item, e.name)) {
          ++longer;
          longer_entry = &e;
        }
      }
      if (!best && longer == 1) best = longer_entry;
      if (!best) {
        ++unmatched;
        if (longer > 1) ambiguous.insert(std::string(util::notebook_name(r.item)));
        continue;
      }
      ShownVerdict v;
      v.judge = r.judge.empty() ? path.filename().string() : r.judge;
      v.status = verdict::measured(r.status);
      v.score = r.score;
      v.rationale = r.rationale;
      if (const auto it = spreads.find({r.item, r.dimension, r.judge}); it != spreads.end())
        v.spread = it->second;
      m_scores[{best->name, r.dimension}].push_back(std::move(v));
    }
    problems.throw_if_any("scores");
    if (unmatched) {
      std::string w = "scores " + path.string() + ": " + std::to_string(unmatched) +
                      (unmatched == 1 ? " record names" : " records name") + " no notebook under " +
                      m_options.notebooks_dir.string() + " (ignored)";
      if (!ambiguous.empty()) {
        w += "; the names of several notebooks end with ";
        std::size_t shown = 0;
        for (const auto& a : ambiguous) {
          if (shown == 3) {
            w += ", ...";
            break;
          }
          w += (shown++ ? ", " : "") + a;
        }
        w += ": score them with paths from the notebooks folder (judge eval DIR from where judge label runs)";
      }
      m_warnings.push_back(std::move(w));
    }
  }
  if (!m_options.memory_dir.empty()) m_memory.emplace(memory::Memory::load(m_options.memory_dir));
}

std::vector<std::string> Session::warnings() const { return m_warnings; }

const Session::Entry* Session::find(const std::string& name) const {
  for (const auto& e : m_entries)
    if (e.name == name) return &e;
  return nullptr;
}

bool Session::has_notebook(const std::string& name) const {
  const Entry* e = find(name);
  return e && e->nb;
}

bool Session::has_dimension(const std::string& id) const { return m_rubric.find(id) != nullptr; }

std::string Session::dimension_hint(const std::string& id) const {
  return rubric::did_you_mean_dimension(m_rubric, id);
}

std::map<std::string, std::vector<ShownVerdict>> Session::verdicts(const Entry& e) const {
  std::map<std::string, std::vector<ShownVerdict>> out;
  if (!m_options.scores_files.empty()) {
    for (const auto& d : m_rubric.dimensions)
      if (const auto it = m_scores.find({e.name, d.id}); it != m_scores.end()) out[d.id] = it->second;
    return out;
  }
  if (!e.nb) return out;
  std::vector<verdict::Verdict> vs;
  {
    std::lock_guard lock(m_cache_mutex);
    if (const auto it = m_heuristic_cache.find(e.name); it != m_heuristic_cache.end()) vs = it->second;
  }
  if (vs.empty()) {
    scoring::MemoryUse context;
    if (m_memory) {
      context.memory = &*m_memory;
      context.top_k = m_memory->provenance().k;
    }
    context.notebook_hash = e.hash;
    vs = m_heuristic->score(*e.nb, m_rubric, context);
    std::lock_guard lock(m_cache_mutex);
    m_heuristic_cache[e.name] = vs;
  }
  for (const auto& v : vs)
    out[v.dimension].push_back({m_memory ? "heuristic+memory" : "heuristic", v.status, v.score,
                                v.status == verdict::Status::unscored ? v.error : v.rationale, std::nullopt});
  return out;
}

json Session::session_json() const {
  json dims = json::array();
  for (const auto& d : m_rubric.dimensions) {
    json levels = json::array();
    for (const auto& l : d.levels) levels.push_back({{"score", l.score}, {"description", l.description}});
    dims.push_back({{"id", d.id},
                    {"title", d.title},
                    {"description", d.description},
                    {"levels", levels},
                    {"not_applicable", d.not_applicable}});
  }
  json scale = json::array();
  for (const auto& p : m_rubric.scale)
    scale.push_back({{"score", p.score}, {"name", p.name}, {"meaning", p.meaning}});
  return json{{"schema_version", 1},
              {"rater", m_options.rater},
              {"labels_file", m_options.labels_file.string()},
              {"labels_problems", m_store->problems()},
              {"warnings", m_warnings},
              {"rubric",
               {{"id", m_rubric.id},
                {"title", m_rubric.title},
                {"allows_na", m_rubric.allows_na},
                {"min", m_rubric.min_score()},
                {"max", m_rubric.max_score()},
                {"scale", scale},
                {"dimensions", dims}}},
              {"scores", !m_options.scores_files.empty()},
              {"memory", m_memory.has_value()}};
}

json Session::notebooks_json() const {
  std::map<std::string, int> labelled;  // notebook (labels::normal_item) -> dimensions this rater labelled
  for (const auto& l : m_store->labels())
    if (l.rater == m_options.rater) ++labelled[labels::normal_item(l.notebook)];
  json list = json::array();
  for (const auto& e : m_entries) {
    json j{{"name", e.name},
           {"readable", e.nb.has_value()},
           {"labelled", labelled[labels::normal_item(e.name)]},
           {"dimensions", m_rubric.dimensions.size()}};
    if (!e.error.empty()) j["error"] = e.error;
    list.push_back(std::move(j));
  }
  return list;
}

json Session::label_json(const std::string& notebook, const std::string& dimension) const {
  for (const auto& l : m_store->labels())
    if (labels::normal_item(l.notebook) == labels::normal_item(notebook) && l.dimension == dimension &&
        l.rater == m_options.rater)
      return label_to_json(l);
  return nullptr;
}

std::optional<json> Session::notebook_json(const std::string& name) const {
  const Entry* e = find(name);
  if (!e) return std::nullopt;
  json out{{"name", e->name}, {"file", e->file}};
  if (!e->nb) {
    out["error"] = e->error;
    return out;
  }
  notebook::Notebook shown = *e->nb;
  scoring::redact_notebook(shown);  // secrets masked, as a judge's prompt masks them
  std::map<std::pair<int, int>, std::string> images;
  if (shown.format == notebook::Format::ipynb) {
    try {
      images = ipynb_images(util::read_file(e->file));
    } catch (const Error&) {
    }
  }
  std::map<int, std::vector<std::string>> flagged;
  for (const auto& f : prompt::detect_injection(shown))
    flagged[f.cell].push_back(prompt::describe_kind(f.kind) + " (" + f.where + ": " + f.phrase + ")");
  const std::size_t cut = prompt::RenderOptions{}.max_output_bytes;
  json cells = json::array();
  for (const auto& c : shown.cells) {
    json outputs = json::array();
    for (std::size_t i = 0; i < c.outputs.size(); ++i) {
      const auto& o = c.outputs[i];
      json jo{{"kind", o.kind}, {"text", util::truncate_utf8(o.text, cut)}};
      if (!o.ename.empty()) jo["ename"] = o.ename, jo["evalue"] = o.evalue;
      if (const auto it = images.find({c.number, static_cast<int>(i)}); it != images.end())
        jo["image"] = it->second;
      outputs.push_back(std::move(jo));
    }
    json jc{{"number", c.number}, {"type", notebook::to_string(c.type)},
            {"magic", c.magic},   {"title", c.title},
            {"source", c.source}, {"outputs", outputs}};
    if (c.execution_count) jc["execution_count"] = *c.execution_count;
    if (const auto it = flagged.find(c.number); it != flagged.end()) jc["injection"] = it->second;
    cells.push_back(std::move(jc));
  }
  out["format"] = notebook::to_string(shown.format);
  out["language"] = shown.language;
  out["cells"] = cells;

  json verdicts = json::object();
  for (const auto& [dim, list] : this->verdicts(*e)) {
    json jl = json::array();
    for (const auto& v : list) {
      json jv{{"judge", v.judge},
              {"status", verdict::to_string(v.status)},
              {"score", score_json(v.score)},
              {"rationale", v.rationale}};
      if (v.spread) jv["spread"] = *v.spread;
      jl.push_back(std::move(jv));
    }
    verdicts[dim] = jl;
  }
  out["verdicts"] = verdicts;

  json episodes = json::object();
  if (m_memory) {
    const memory::Memory::Skip skip = [&](const memory::Episode& ep) {
      return ep.notebook == e->name || (!e->hash.empty() && ep.notebook_hash == e->hash);
    };
    for (const auto& d : m_rubric.dimensions) {
      json list = json::array();
      for (const auto& r : m_memory->retrieve(d.id, m_memory->excerpt(*e->nb, d.id), m_options.k, skip))
        list.push_back({{"notebook", r.episode->notebook},
                        {"human_score", score_json(r.episode->human_score)},
                        {"feedback", r.episode->feedback},
                        {"similarity", r.similarity}});
      episodes[d.id] = list;
    }
  }
  out["episodes"] = episodes;

  json mine = json::object(), others = json::object();
  for (const auto& l : m_store->labels()) {
    if (l.notebook != e->name) continue;
    if (l.rater == m_options.rater)
      mine[l.dimension] = label_to_json(l);
    else {
      if (!others.contains(l.dimension)) others[l.dimension] = json::array();
      others[l.dimension].push_back(label_to_json(l));
    }
  }
  out["labels"] = mine;
  out["other_labels"] = others;
  return out;
}

std::vector<Session::Neighbour> Session::neighbours(const Entry& e, const std::string& dimension) const {
  {
    std::lock_guard lock(m_cache_mutex);
    if (const auto it = m_neighbour_cache.find({e.name, dimension}); it != m_neighbour_cache.end())
      return it->second;
  }
  const memory::Memory::Skip skip = [&](const memory::Episode& ep) {
    return ep.notebook == e.name || (!e.hash.empty() && ep.notebook_hash == e.hash);
  };
  std::vector<Neighbour> found;
  for (const auto& r : m_memory->retrieve(dimension, m_memory->excerpt(*e.nb, dimension), 3, skip))
    found.push_back({r.similarity, r.episode->human_score});
  std::lock_guard lock(m_cache_mutex);
  m_neighbour_cache[{e.name, dimension}] = found;
  return found;
}

SaveResult Session::save(const SaveRequest& request) {
  return m_store->save(request, has_notebook(request.notebook));
}

std::vector<QueueItem> Session::queue(std::size_t limit) const {
  const double width = std::max(1, m_rubric.max_score() - m_rubric.min_score());
  const auto labels = m_store->labels();
  // Human labels per (notebook, dimension), every rater: the mean score, or N/A when most say N/A.
  std::map<std::pair<std::string, std::string>, std::pair<std::vector<double>, int>> human;  // scores, N/As
  for (const auto& l : labels) {
    auto& [scores, na] = human[{l.notebook, l.dimension}];
    if (l.score)
      scores.push_back(*l.score);
    else
      ++na;
  }
  // The judge's error on each dimension so far: its first verdict against the human label.
  std::map<std::string, std::pair<double, int>> errors;  // dimension -> (sum, count)
  for (const auto& [key, value] : human) {
    const Entry* e = find(key.first);
    if (!e || !e->nb || !m_rubric.find(key.second)) continue;
    const auto vs = verdicts(*e);
    const auto it = vs.find(key.second);
    if (it == vs.end() || it->second.empty() || it->second.front().status == verdict::Status::unscored)
      continue;
    const auto& v = it->second.front();
    const auto& [scores, na] = value;
    const bool human_na = static_cast<int>(scores.size()) < na;
    double err = 0;
    if (human_na != !v.score)
      err = width;
    else if (!human_na) {
      double mean = 0;
      for (double s : scores) mean += s;
      err = std::fabs(*v.score - mean / static_cast<double>(scores.size()));
    }
    errors[key.second].first += err;
    errors[key.second].second += 1;
  }
  std::vector<QueueSignals> items;
  for (const auto& e : m_entries) {
    if (!e.nb) continue;
    const auto vs = verdicts(e);
    for (std::size_t di = 0; di < m_rubric.dimensions.size(); ++di) {
      const auto& d = m_rubric.dimensions[di];
      if (human.count({e.name, d.id})) continue;
      QueueSignals s;
      s.notebook = e.name;
      s.dimension = d.id;
      s.dimension_index = static_cast<int>(di);
      s.scale_width = width;
      if (const auto it = vs.find(d.id); it != vs.end()) {
        const auto& list = it->second;
        for (const auto& v : list)
          if (v.spread && (!s.uncertainty || *v.spread / width > *s.uncertainty)) {
            s.uncertainty = *v.spread / width;
            s.uncertainty_why = v.judge + " samples spread " + std::to_string(*v.spread).substr(0, 4);
          }
        for (std::size_t a = 0; a < list.size(); ++a)
          for (std::size_t b = a + 1; b < list.size(); ++b) {
            const auto &va = list[a], &vb = list[b];
            if (va.status == verdict::Status::unscored || vb.status == verdict::Status::unscored ||
                va.judge == vb.judge)
              continue;
            const double u = (!va.score || !vb.score)
                                 ? (va.score.has_value() != vb.score.has_value() ? 1.0 : 0.0)
                                 : std::fabs(*va.score - *vb.score) / width;
            if (!s.uncertainty || u > *s.uncertainty) {
              s.uncertainty = u;
              const auto shown = [](const ShownVerdict& v) {
                return v.judge + " " + (v.score ? std::to_string(*v.score).substr(0, 4) : std::string("N/A"));
              };
              s.uncertainty_why = shown(va) + " vs " + shown(vb);
            }
          }
      }
      if (m_memory) {
        const auto near = neighbours(e, d.id);
        if (!near.empty()) s.similarity = near.front().similarity;
        // The judge against the people who labelled the notebooks most like this one: the
        // similarity-weighted human score of the closest episodes (weights: positive similarities; N/A when
        // most of that weight says N/A) against the judge's first verdict.
        const auto vit = vs.find(d.id);
        const ShownVerdict* v = vit != vs.end() && !vit->second.empty() ? &vit->second.front() : nullptr;
        double weight = 0, na_weight = 0, sum = 0;
        for (const auto& n : near) {
          const double w = std::max(0.0, n.similarity);
          if (n.human_score)
            weight += w, sum += w * *n.human_score;
          else
            na_weight += w;
        }
        if (v && v->status != verdict::Status::unscored && weight + na_weight > 0) {
          const bool people_na = na_weight > weight;
          const double u = people_na != !v->score ? 1.0
                           : people_na            ? 0.0
                                                  : std::fabs(*v->score - sum / weight) / width;
          if (!s.uncertainty || u > *s.uncertainty) {
            s.uncertainty = u;
            s.uncertainty_why =
                v->judge + " " + (v->score ? std::to_string(*v->score).substr(0, 4) : std::string("N/A")) +
                " vs " + (people_na ? std::string("N/A") : std::to_string(sum / weight).substr(0, 4)) +
                " from people on the " + std::to_string(near.size()) + " closest labelled notebooks";
          }
        }
      }
      if (const auto it = errors.find(d.id); it != errors.end() && it->second.second > 0) {
        s.dimension_mae = it->second.first / it->second.second;
        s.dimension_labels = it->second.second;
      }
      items.push_back(std::move(s));
    }
  }
  return order_queue(items, limit);
}

}  // namespace judge::label
