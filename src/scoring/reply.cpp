// SPDX-License-Identifier: MIT
// Reading scores from what real models reply: bare JSON, fenced JSON, JSON inside prose, scores as strings.
#include "judge/scoring/reply.hpp"

#include <cmath>
#include <cstdint>

#include "judge/util/text.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::scoring {

namespace {

std::optional<nlohmann::json> parse_object(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

// End of the balanced {...} starting at `start` (skipping braces inside JSON strings), or npos.
std::size_t balanced_end(std::string_view text, std::size_t start) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

const nlohmann::json* find_key(const nlohmann::json& object, const std::string& key) {
  for (auto it = object.begin(); it != object.end(); ++it)
    if (util::to_lower(it.key()) == key) return &*it;
  return nullptr;
}

bool is_na_text(const std::string& s) {
  const std::string t = util::to_lower(util::trim(s));
  // A model's ways of writing N/A, and the status's own spelling (verdict::to_string).
  return t == "n/a" || t == "na" || t == "not applicable" ||
         verdict::parse_status(t) == verdict::Status::not_applicable;
}

}  // namespace

std::optional<nlohmann::json> extract_json_object(std::string_view reply) {
  if (auto j = parse_object(util::trim(reply))) return j;
  for (std::size_t fence = reply.find("```"); fence != std::string_view::npos;) {
    const std::size_t body = reply.find('\n', fence);
    if (body == std::string_view::npos) break;
    const std::size_t close = reply.find("```", body);
    if (close == std::string_view::npos) break;
    if (auto j = parse_object(reply.substr(body + 1, close - body - 1))) return j;
    fence = reply.find("```", close + 3);
  }
  for (std::size_t open = reply.find('{'); open != std::string_view::npos; open = reply.find('{', open + 1)) {
    const std::size_t end = balanced_end(reply, open);
    if (end == std::string_view::npos) break;
    if (auto j = parse_object(reply.substr(open, end - open))) return j;
  }
  return std::nullopt;
}

ParsedVerdict parse_verdict(const nlohmann::json& object, const rubric::Rubric& rubric,
                            const rubric::Dimension& dimension) {
  ParsedVerdict v;
  // "1-3" reads as a range: right for a scale of consecutive points only; else the points, "(1, 5)". The
  // width in 64 bits: a scale from INT_MIN to INT_MAX overflows an int (undefined behaviour).
  const bool consecutive = std::int64_t{rubric.max_score()} - rubric.min_score() + 1 ==
                           static_cast<std::int64_t>(rubric.scale.size());
  std::string scale = std::to_string(rubric.min_score()) + "-" + std::to_string(rubric.max_score());
  if (!consecutive) {
    scale.clear();
    for (const auto& point : rubric.scale)
      scale += (scale.empty() ? "(" : ", ") + std::to_string(point.score);
    scale += ")";
  }
  const bool na_ok = rubric.allows_na && !dimension.not_applicable.empty();
  if (const auto* r = find_key(object, "rationale"); r && r->is_string()) v.rationale = r->get<std::string>();
  const auto* s = find_key(object, "score");
  if (!s) {
    v.error = "the JSON object has no \"score\"";
    return v;
  }
  std::optional<double> number;
  if (s->is_null() || (s->is_string() && is_na_text(s->get<std::string>()))) {
    if (!na_ok) {
      v.error = "N/A is not allowed for " + dimension.id + "; give a score " + scale;
      return v;
    }
    v.ok = v.not_applicable = true;
    return v;
  }
  if (s->is_number()) {
    number = s->get<double>();
  } else if (s->is_string()) {
    const std::string t(util::trim(s->get<std::string>()));
    char* end = nullptr;
    const double d = std::strtod(t.c_str(), &end);
    if (!t.empty() && end == t.c_str() + t.size()) number = d;
  }
  if (!number) {
    v.error =
        "\"score\" is " + s->dump() + ", not a number on the scale " + scale + (na_ok ? " or \"N/A\"" : "");
    return v;
  }
  if (!std::isfinite(*number) || *number < rubric.min_score() || *number > rubric.max_score() ||
      std::fabs(*number - std::round(*number)) > 1e-9 ||
      !rubric.on_scale(static_cast<int>(std::lround(*number)))) {
    v.error = consecutive ? "score " + s->dump() + " is off the scale " + scale + " (whole numbers only)"
                          : "score " + s->dump() + " is not a scale point " + scale;
    return v;
  }
  v.ok = true;
  v.score = static_cast<int>(std::lround(*number));
  return v;
}

ParsedVerdict parse_reply(std::string_view reply, const rubric::Rubric& rubric,
                          const rubric::Dimension& dimension) {
  const auto object = extract_json_object(reply);
  if (!object) {
    ParsedVerdict v;
    v.error = util::trim(reply).empty() ? "the reply is empty" : "the reply holds no JSON object";
    return v;
  }
  return parse_verdict(*object, rubric, dimension);
}

std::vector<ParsedVerdict> parse_batch_reply(std::string_view reply, const rubric::Rubric& rubric,
                                             const std::vector<const rubric::Dimension*>& dimensions) {
  std::vector<ParsedVerdict> out(dimensions.size());
  const auto object = extract_json_object(reply);
  const nlohmann::json* scores = object ? find_key(*object, "scores") : nullptr;
  if (object && !scores) scores = &*object;
  for (std::size_t i = 0; i < dimensions.size(); ++i) {
    const auto* d = dimensions[i];
    if (!scores || !scores->is_object()) {
      out[i].error = object ? "\"scores\" is not an object" : "the reply holds no JSON object";
    } else if (const auto it = scores->find(d->id); it == scores->end() || !it->is_object()) {
      out[i].error = "no entry for dimension " + d->id + " in \"scores\"";
    } else {
      out[i] = parse_verdict(*it, rubric, *d);
    }
  }
  return out;
}

}  // namespace judge::scoring
