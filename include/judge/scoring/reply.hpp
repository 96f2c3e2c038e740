// SPDX-License-Identifier: MIT
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "judge/rubric/rubric.hpp"

namespace judge::scoring {

/// One dimension's judgement read from a model reply, or why none could be read.
struct ParsedVerdict {
  bool ok = false;
  bool not_applicable = false;
  std::optional<int> score;  ///< set when ok && !not_applicable
  std::string rationale;
  std::string error;  ///< set when !ok: what is wrong, phrased so it can be sent back to the model
};

/// Finds the JSON object in a model reply: the whole text, else the first ``` fenced block that parses, else
/// the first balanced {...} that parses. nullopt when there is none.
std::optional<nlohmann::json> extract_json_object(std::string_view reply);

/// Reads {"score", "rationale"} for `dimension`. Accepted scores: an integer on the rubric's scale, a number
/// with no fraction (2.0), a string holding one ("2"); "N/A", "NA", "not applicable" or null mean N/A and
/// are accepted only when the rubric allows N/A and the dimension has an N/A rule. Anything else is an error.
ParsedVerdict parse_verdict(const nlohmann::json& object, const rubric::Rubric& rubric,
                            const rubric::Dimension& dimension);

/// A single-dimension reply: extract_json_object then parse_verdict.
ParsedVerdict parse_reply(std::string_view reply, const rubric::Rubric& rubric, const rubric::Dimension& dimension);

/// A batch reply {"scores": {ID: {"score", "rationale"}}} (also accepted: the ids at the top level): one
/// ParsedVerdict per dimension, in the order given; a missing id is an error for that dimension.
std::vector<ParsedVerdict> parse_batch_reply(std::string_view reply, const rubric::Rubric& rubric,
                                             const std::vector<const rubric::Dimension*>& dimensions);

}  // namespace judge::scoring
