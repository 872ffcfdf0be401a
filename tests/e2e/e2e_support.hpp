#pragma once
// Helpers shared by the end-to-end tests, which drive the sohoa executable (SOHOA_EXE).

#include <filesystem>
#include <string>
#include <vector>

#include "process.hpp"

namespace sohoa::test {

// The sohoa command line with `--archive ARCHIVE` and `arguments` (already shell-quoted).
inline std::string sohoa(const std::filesystem::path& archive, const std::string& arguments) {
  return std::string(SOHOA_EXE) + " --archive " + shell_quote(archive.string()) + " " + arguments;
}

// Regular files under `dir`, recursively, with `extension` (".pdf").
inline std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir,
                                                      const std::string& extension) {
  std::vector<std::filesystem::path> found;
  if (!std::filesystem::exists(dir)) {
    return found;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == extension) {
      found.push_back(entry.path());
    }
  }
  return found;
}

}  // namespace sohoa::test
