// SPDX-License-Identifier: MIT
// Fuzz target: the .ipynb reader (notebook::parse_ipynb), then the text rendering of what it read. Bad input
// must end in judge::Error (a clear message naming the file); any other exception, crash or leak is a bug.
#include <cstddef>
#include <cstdint>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = judge::fuzz::as_text(data, size);
  try {
    judge::notebook::ReadOptions options;
    options.max_output_chars = 200;
    options.max_outputs_per_cell = 3;
    const auto nb = judge::notebook::parse_ipynb(text, "fuzz.ipynb", options);
    (void)judge::notebook::render_text(nb, {{1, "note"}});
  } catch (const judge::Error&) {
  }
  return 0;
}
