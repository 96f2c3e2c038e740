// SPDX-License-Identifier: MIT
// Fuzz target: the Databricks source reader (notebook::parse_databricks_source, under the .py, .sql, .scala
// and .r names that pick its comment form and language) and the Jupytext percent reader
// (notebook::parse_jupytext_percent) on the same input, then the text rendering of what they read. Bad input
// must end in judge::Error; any other exception, crash or leak is a bug.
#include <cstddef>
#include <cstdint>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = judge::fuzz::as_text(data, size);
  static const char* const k_names[] = {"fuzz.py", "fuzz.sql", "fuzz.scala", "fuzz.r"};
  const char* name = k_names[size % 4];
  try {
    const auto nb = judge::notebook::parse_databricks_source(text, name);
    (void)judge::notebook::render_text(nb);
  } catch (const judge::Error&) {
  }
  try {
    const auto nb = judge::notebook::parse_jupytext_percent(text, "fuzz.py");
    (void)judge::notebook::render_text(nb);
  } catch (const judge::Error&) {
  }
  return 0;
}
