// SPDX-License-Identifier: MIT
// Fuzz target: the rubric loader (rubric::parse_rubric, the YAML text of a rubric file), then
// rubric::select_dimensions with the first dimension read. Bad input must end in judge::Error listing
// NAME:LINE problems; any other exception, crash or leak is a bug.
#include <cstddef>
#include <cstdint>

#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = judge::fuzz::as_text(data, size);
  try {
    const auto rubric = judge::rubric::parse_rubric(text, "fuzz.yaml");
    (void)rubric.min_score();
    (void)rubric.max_score();
    for (const auto& d : rubric.dimensions) (void)d.level(rubric.max_score());
    if (!rubric.dimensions.empty())
      (void)judge::rubric::select_dimensions(rubric, " " + rubric.dimensions.front().id + " ");
  } catch (const judge::Error&) {
  }
  return 0;
}
