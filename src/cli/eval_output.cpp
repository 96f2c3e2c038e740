// SPDX-License-Identifier: MIT
#include "judge/cli/eval_output.hpp"

#include <iostream>
#include <sstream>
#include <utility>

namespace judge::cli {

EvalOutput::EvalOutput(const std::string& file, std::string format, std::vector<std::string> dimensions,
                       bool with_memory)
    : m_format(std::move(format)),
      m_dimensions(std::move(dimensions)),
      m_with_memory(with_memory),
      m_streams(verdict::streams(m_format)) {
  if (!file.empty()) m_file = std::make_unique<util::AtomicFile>(file, util::MissingFolders::refuse);
  if (m_streams) write(verdict::stream_header(m_format, m_with_memory));
}

void EvalOutput::write(const std::string& text) {
  if (text.empty()) return;
  if (m_file)
    m_file->write(text);
  else
    std::cout << text;
}

void EvalOutput::add(verdict::EvalRecord record) {
  ++m_tally.records;
  m_tally.unscored += record.verdict.status == verdict::Status::unscored;
  m_tally.unreadable += record.verdict.status == verdict::Status::unreadable;
  if (!verdict::injection_cells(record.verdict).empty()) m_flagged.push_back(record);
  if (m_streams)
    write(verdict::stream_line(record, m_format, m_with_memory));
  else
    m_kept.push_back(std::move(record));
}

void EvalOutput::flush() {
  if (!m_file) std::cout.flush();
}

void EvalOutput::finish() {
  if (!m_streams) {
    std::ostringstream buf;
    verdict::write_records(buf, m_kept, m_dimensions, m_format, m_with_memory);
    write(buf.str());
    m_kept.clear();
  }
  if (m_file)
    m_file->commit();
  else
    std::cout.flush();
}

}  // namespace judge::cli
