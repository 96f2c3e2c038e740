// SPDX-License-Identifier: MIT
// Fuzz target: judge.yaml (cli::Config::load with the input as the --config file, an empty environment and no
// flags), then every setting read as its kind. The file is written to a scratch folder, removed after each
// run. Bad input must end in judge::Error naming FILE:LINE; any other exception, crash or leak is a bug.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "judge/cli/config.hpp"
#include "judge/util/error.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const judge::fuzz::Scratch scratch("config");
  const auto path = scratch.write("judge.yaml", {reinterpret_cast<const char*>(data), size});
  const judge::cli::EnvFn no_environment = [](const std::string&) { return std::optional<std::string>(); };
  try {
    const auto config = judge::cli::Config::load(path.string(), {}, no_environment);
    for (const auto& spec : judge::cli::setting_specs()) {
      switch (spec.kind) {
        case judge::cli::SettingKind::whole:
          (void)config.get_whole(spec.name);
          break;
        case judge::cli::SettingKind::number:
          (void)config.get_number(spec.name);
          break;
        case judge::cli::SettingKind::boolean:
          (void)config.get_bool(spec.name);
          break;
        default:
          (void)config.get(spec.name);
          break;
      }
    }
    (void)config.cache_path();
  } catch (const judge::Error&) {
  }
  return 0;
}
