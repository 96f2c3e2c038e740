// SPDX-License-Identifier: MIT
// Fuzz target: Databricks .dbc archives (notebook::read_dbc). The input is written to a .dbc file in a
// scratch folder, removed after each run. read_dbc never throws for bad content: every problem is a
// ReadError.
#include <cstddef>
#include <cstdint>

#include "judge/notebook/dbc.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const judge::fuzz::Scratch scratch("dbc");
  const auto path = scratch.write("fuzz.dbc", {reinterpret_cast<const char*>(data), size});
  judge::notebook::ReadOptions options;
  options.max_output_chars = 200;
  options.max_outputs_per_cell = 3;
  const auto result = judge::notebook::read_dbc(path, options);
  for (const auto& nb : result.notebooks) (void)judge::notebook::render_text(nb);
  return 0;
}
