#pragma once
// Test support: a fresh temporary directory per test, removed afterwards (kept when
// SOHOA_KEEP_TEST_DIRS is set, for looking at what a test produced).

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace sohoa::test {

std::filesystem::path make_temp_dir(const std::string& prefix);

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  const std::filesystem::path& dir() const { return m_dir; }

 private:
  std::filesystem::path m_dir;
};

// <source>/<relative>
std::filesystem::path source_path(const std::string& relative);

// Writes `bytes` to `path`, creating parent folders.
void write_file(const std::filesystem::path& path, const std::string& bytes);
std::string read_file(const std::filesystem::path& path);

}  // namespace sohoa::test
