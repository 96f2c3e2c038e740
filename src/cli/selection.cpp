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
  std::error_code ec;
  if (stdin_list)
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  else if (std::filesystem::is_directory(source, ec))  // reads as empty: say what was meant instead
    throw Error(
        source + ": is a folder, but " + setting("paths_from") +
            " takes a file that lists notebook paths, one a line; to score the notebooks in a folder, "
            "name the folder itself: judge eval " +
            source,
        ExitCode::usage);
  else
    text = util::read_file(source);
  std::vector<std::string> paths;
  util::Problems problems(name);
  const auto lines = util::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];  // without its '\r'
    if (util::trim(line).empty()) continue;
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

bool NotebookFilter::keep(const std::string& name) {
  ++m_seen;
  const bool mine = !m_shard || util::shard_of(name, m_shard->count) == m_shard->index;
  m_kept += mine;
  return mine;
}

void NotebookFilter::report() const {
  if (!m_shard) return;
  std::cerr << "judge: shard " << m_shard->text() << ": " << m_kept << " of " << m_seen << " notebook"
            << (m_seen == 1 ? "" : "s") << (m_kept == 0 ? " (nothing to score)" : "") << "\n";
}

void record_shard(const util::Shard& shard, verdict::EvalRecord& record) {
  record.verdict.extra["shard"] = shard.text();
}

}  // namespace judge::cli
