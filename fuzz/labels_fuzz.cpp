// SPDX-License-Identifier: MIT
// Fuzz target: the labels reader (labels::read_labels; CSV, JSON Lines or a JSON array, chosen by content),
// checked against the built-in rubric, then every rater policy of labels::resolve. The input is written to a
// file in a scratch folder, removed after each run. Bad input must end in judge::Error listing FILE:LINE
// problems; any other exception, crash or leak is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "judge/labels/labels.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const judge::fuzz::Scratch scratch("labels");
  // The name matters only when the content does not decide (JSON Lines for .jsonl, else CSV).
  const auto path = scratch.write(size % 2 == 0 ? "labels.csv" : "labels.jsonl",
                                  {reinterpret_cast<const char*>(data), size});
  judge::labels::LabelCheck check;
  check.rubric = &judge::rubric::default_rubric();
  try {
    const auto set = judge::labels::read_labels(path, check);
    for (const char* policy : {"mean", "median", "majority"}) (void)judge::labels::resolve(set, policy);
    if (!set.labels.empty() && !set.labels.front().rater.empty())
      (void)judge::labels::resolve(set, set.labels.front().rater);
  } catch (const judge::Error&) {
  }
  return 0;
}
