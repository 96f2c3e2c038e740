// SPDX-License-Identifier: MIT
#include "judge/memory/calibration.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "json_number.hpp"
#include "judge/stats/rule_tree.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/jsonl.hpp"

namespace judge::memory {

namespace {

constexpr const char* k_calibration_file = "calibration.json";

// Whether the memory's rules decide the judge's scored verdict of `e` as eval's would: the first rule
// matching its recorded facts (with rule_score the judge's score) gives another score or N/A, or is a
// person's (whose verdict is final, changed or not: scoring::apply_calibration leaves it). True, to be safe,
// when the dimension has rules and the episode no recorded facts (an older memory's, or a notebook not read
// again).
bool rules_move(const memory::Memory& memory, const Episode& e) {
  const auto& rules = memory.fact_rules(e.dimension);
  if (rules.empty()) return false;
  if (e.facts.empty()) return true;
  auto facts = e.facts;
  facts["rule_score"] = *e.judge_score;
  for (const auto& r : rules)
    if (r.matches(facts))
      return r.source != "learnt" || stats::apply_action(r.then, e.judge_score) != e.judge_score;
  return false;
}

}  // namespace

Calibration fit_calibration(const memory::Memory& memory, stats::IsotonicLoss loss) {
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> pairs;
  for (const auto& e : memory.episodes())
    if (e.own_verdict() && e.judge_status == verdict::Status::scored && e.judge_score && e.human_score &&
        !rules_move(memory, e)) {
      pairs[e.dimension].first.push_back(*e.judge_score);
      pairs[e.dimension].second.push_back(*e.human_score);
    }
  Calibration c;
  c.judge = memory.provenance().judge;
  c.loss = loss;
  for (const auto& [d, xy] : pairs) {
    c.maps[d] = stats::IsotonicMap::fit(xy.first, xy.second, loss);
    c.pairs[d] = xy.first.size();
  }
  return c;
}

void save_calibration(const std::filesystem::path& memory_dir, const Calibration& calibration) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;
  j["map"] = stats::isotonic_method_name(calibration.loss);
  j["judge"] = calibration.judge;
  j["dimensions"] = nlohmann::ordered_json::object();
  for (const auto& [d, m] : calibration.maps) {
    const auto n = calibration.pairs.find(d);
    j["dimensions"][d] = {
        {"n", n == calibration.pairs.end() ? 0 : n->second}, {"x", m.knots_x()}, {"y", m.knots_y()}};
  }
  // Tied to the memory saved in memory_dir (over its keys sorted, so key order and spacing do not count):
  // Memory::load detects a calibration edited or left from another save.
  if (auto digest = calibration_digest(memory_dir, nlohmann::json::parse(j.dump()).dump()); !digest.empty())
    j["digest"] = std::move(digest);
  util::write_file_atomic(memory_dir / k_calibration_file, j.dump(2) + "\n");
}

std::optional<Calibration> load_calibration(const std::filesystem::path& memory_dir) {
  const auto path = memory_dir / k_calibration_file;
  if (!std::filesystem::exists(path)) return std::nullopt;
  Calibration c;
  try {
    const auto j = nlohmann::json::parse(util::read_file(path));
    // Compared as JSON (1 == 1.0, no cast): a schema_version of 1e300 or "1" is refused, not cast to int.
    if (!j.is_object() || !j.contains("schema_version") || j.at("schema_version") != 1)
      throw Error("schema_version must be 1");
    try {
      c.loss = stats::parse_isotonic_loss(j.value("map", ""));
    } catch (const std::invalid_argument&) {
      throw Error("map must be \"isotonic\" or \"isotonic-median\"");
    }
    c.judge = j.value("judge", "");
    for (const auto& [d, v] : j.at("dimensions").items()) {
      c.maps[d] =
          stats::IsotonicMap(v.at("x").get<std::vector<double>>(), v.at("y").get<std::vector<double>>());
      c.pairs[d] = v.contains("n") ? detail::json_whole<std::size_t>(v.at("n"), "dimensions." + d + ".n") : 0;
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(path.string() + ": " + util::json_error_text(e));
  } catch (const std::exception& e) {
    throw Error(path.string() + ": " + e.what());
  }
  return c;
}

std::optional<Calibration> refit_calibration(const std::filesystem::path& memory_dir,
                                             const memory::Memory& memory,
                                             const std::optional<Calibration>& old) {
  if (!old) return std::nullopt;
  auto fitted = fit_calibration(memory, old->loss);
  if (fitted.maps.empty()) {
    remove_calibration(memory_dir);
    return std::nullopt;
  }
  save_calibration(memory_dir, fitted);
  return fitted;
}

void remove_calibration(const std::filesystem::path& memory_dir) {
  std::error_code ec;
  std::filesystem::remove(memory_dir / k_calibration_file, ec);
  if (ec) throw Error((memory_dir / k_calibration_file).string() + ": cannot delete: " + ec.message());
}

}  // namespace judge::memory
