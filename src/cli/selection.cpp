// SPDX-License-Identifier: MIT
#include "judge/cli/selection.hpp"

#include <filesystem>
#include <iostream>
#include <iterator>

#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/problems.hpp"
#include "judge/util/text.hpp"

namespace judge::cli {

std::vector<std::string> read_path_list(const std::string& source) {
  const bool stdin_list = source == "-";
  const std::string name = stdin_list ? "standard input" : source;
  std::string text;
  if (stdin_list)
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  else
    text = util::read_file(source);
  std::vector<std::string> paths;
  util::Problems problems(name);
  const auto lines = util::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];  // without its '\r'
    if (util::trim(line).empty()) continue;
    std::error_code ec;
    if (!std::filesystem::exists(line, ec)) {
      problems.add(static_cast<int>(i) + 1, std::string(line) + ": no such file or folder");
      continue;
    }
    paths.emplace_back(line);
  }
  problems.throw_if_any(problems.count() + " in the notebook paths of " + setting("paths_from") + " " + name +
                            " (one path a line):",
                        ExitCode::usage);
  return paths;
}

void keep_shard(const util::Shard& shard, std::vector<notebook::Notebook>& notebooks,
                std::vector<notebook::ReadError>& unreadable) {
  const std::size_t before = notebooks.size() + unreadable.size();
  std::erase_if(notebooks,
                [&](const auto& nb) { return util::shard_of(nb.path, shard.count) != shard.index; });
  std::erase_if(unreadable,
                [&](const auto& e) { return util::shard_of(e.path, shard.count) != shard.index; });
  const std::size_t kept = notebooks.size() + unreadable.size();
  std::cerr << "judge: shard " << shard.text() << ": " << kept << " of " << before << " notebook"
            << (before == 1 ? "" : "s") << (kept == 0 ? " (nothing to score)" : "") << "\n";
}

void record_shard(const util::Shard& shard, std::vector<verdict::EvalRecord>& records) {
  for (auto& r : records) r.verdict.extra["shard"] = shard.text();
}

}  // namespace judge::cli
