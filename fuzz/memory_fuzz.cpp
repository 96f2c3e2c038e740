// SPDX-License-Identifier: MIT
// Fuzz target: the memory folder loader (memory::Memory::load). The input holds the folder's four files in
// order, memory.json, guidelines.yaml, episodes.jsonl and vectors.jsonl, separated by lines "===" (a file
// whose part is missing is absent); they are written to a scratch folder, removed after each run. Loaded with
// Recovery::refuse, then (when refused) with Recovery::drop_vectors; then each dimension's guidelines and
// rules are read. Bad input must end in judge::Error naming FILE:LINE; any other exception, crash or leak is
// a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "judge/memory/memory.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"
#include "support.hpp"

namespace {

void read_all(const judge::memory::Memory& memory) {
  for (const auto& d : judge::rubric::default_rubric().dimensions) {
    (void)memory.guidelines(d.id);
    (void)memory.fact_rules(d.id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const judge::fuzz::Scratch scratch("memory");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const char* const k_files[] = {"memory.json", "guidelines.yaml", "episodes.jsonl", "vectors.jsonl"};
  constexpr std::string_view k_separator = "\n===\n";
  std::size_t begin = 0;
  for (const char* file : k_files) {
    if (begin > input.size()) break;
    const auto end = std::min(input.find(k_separator, begin), input.size());
    scratch.write(file, input.substr(begin, end - begin));
    begin = end + k_separator.size();
  }
  try {
    read_all(judge::memory::Memory::load(scratch.path()));
  } catch (const judge::Error&) {
    try {
      read_all(judge::memory::Memory::load(scratch.path(), judge::memory::Recovery::drop_vectors));
    } catch (const judge::Error&) {
    }
  }
  return 0;
}
