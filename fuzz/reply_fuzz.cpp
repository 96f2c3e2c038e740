// SPDX-License-Identifier: MIT
// Fuzz target: the judge's reply parser (scoring::parse_reply for one dimension, scoring::parse_batch_reply
// for all of them) against the built-in rubric. Any reply must give verdicts (ok, or an error to send back to
// the model): the parser never throws, whatever the model wrote.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "judge/rubric/rubric.hpp"
#include "judge/scoring/reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  const auto& rubric = judge::rubric::default_rubric();
  const auto& dimension = rubric.dimensions[size % rubric.dimensions.size()];
  (void)judge::scoring::parse_reply(reply, rubric, dimension);
  std::vector<const judge::rubric::Dimension*> all;
  for (const auto& d : rubric.dimensions) all.push_back(&d);
  (void)judge::scoring::parse_batch_reply(reply, rubric, all);
  return 0;
}
