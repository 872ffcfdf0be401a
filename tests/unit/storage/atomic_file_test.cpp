#include "sohoa/storage/atomic_file.hpp"

#include <gtest/gtest.h>

#include "sohoa/core/errors.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

using AtomicFileTest = test::TempDirTest;

TEST_F(AtomicFileTest, CommitPublishesTheFileAndRemovesTheTemporary) {
  const auto target = dir() / "files" / "2025" / "a.pdf";
  {
    AtomicFile file(target);
    EXPECT_EQ(file.tmp_path(), target.string() + ".tmp");
    EXPECT_TRUE(std::filesystem::is_directory(target.parent_path()));
    test::write_file(file.tmp_path(), "new content");
    EXPECT_FALSE(std::filesystem::exists(target));
    file.commit();
    EXPECT_FALSE(std::filesystem::exists(file.tmp_path()));
  }
  EXPECT_EQ(test::read_file(target), "new content");
}

TEST_F(AtomicFileTest, UncommittedLeavesNothingAndKeepsTheOldFile) {
  const auto target = dir() / "a.pdf";
  test::write_file(target, "old");
  {
    AtomicFile file(target);
    test::write_file(file.tmp_path(), "half written");
  }
  EXPECT_EQ(test::read_file(target), "old");
  EXPECT_FALSE(std::filesystem::exists(target.string() + ".tmp"));

  const auto fresh = dir() / "b.pdf";
  {
    AtomicFile file(fresh);
    test::write_file(file.tmp_path(), "x");
  }
  EXPECT_FALSE(std::filesystem::exists(fresh));
  EXPECT_FALSE(std::filesystem::exists(fresh.string() + ".tmp"));
}

TEST_F(AtomicFileTest, CommitReplacesAnExistingFile) {
  const auto target = dir() / "a.pdf";
  test::write_file(target, "old");
  AtomicFile file(target);
  test::write_file(file.tmp_path(), "new");
  file.commit();
  EXPECT_EQ(test::read_file(target), "new");
}

TEST_F(AtomicFileTest, CommitWithoutATemporaryIsFatalNamingTheFile) {
  AtomicFile file(dir() / "never-written.pdf");
  try {
    file.commit();
    FAIL() << "no Fatal";
  } catch (const core::Fatal& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("never-written.pdf.tmp"), std::string::npos) << message;
    EXPECT_NE(message.find("No such file"), std::string::npos) << message;
  }
  EXPECT_FALSE(std::filesystem::exists(dir() / "never-written.pdf"));
}

TEST_F(AtomicFileTest, FolderThatCannotBeCreatedIsFatal) {
  test::write_file(dir() / "plain", "a file, not a folder");
  EXPECT_THROW(AtomicFile(dir() / "plain" / "sub" / "a.pdf"), core::Fatal);
}

}  // namespace
}  // namespace sohoa::storage
