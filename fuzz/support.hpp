// SPDX-License-Identifier: MIT
// Helpers shared by the fuzz targets: a private scratch folder for targets whose entry point reads a file or
// a folder, emptied after every input so a long run leaves nothing behind and one input never sees another's
// files.
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace judge::fuzz {

/// The input as a string.
inline std::string as_text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

/// A folder under $TMPDIR (else /tmp) named judge_fuzz_NAME_PID, created on first use and removed with
/// everything in it when the object goes out of scope (one per input).
class Scratch {
 public:
  explicit Scratch(const std::string& name) {
    m_path =
        std::filesystem::temp_directory_path() / ("judge_fuzz_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  /// Writes `bytes` to the file `name` in the folder and returns its path.
  std::filesystem::path write(const std::string& name, std::string_view bytes) const {
    const auto path = m_path / name;
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

}  // namespace judge::fuzz
