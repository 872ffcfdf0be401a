#include "sohoa/storage/fixity.hpp"

#include <gtest/gtest.h>

#include "sohoa/core/hash.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

class FixityTest : public test::TempDirTest {
 protected:
  // Archives a dossier whose PDF holds `content`, with its true hash in the catalog.
  void add(Archive& archive, const std::string& code, const std::string& content) {
    const auto rel = Archive::dossier_pdf_path("2025", "U", code);
    test::write_file(archive.absolute(rel), content);
    DossierRecord dossier;
    dossier.meta.code = code;
    dossier.pdf_path = rel;
    dossier.pdf_sha256 = core::sha256_file(archive.absolute(rel)).value();
    dossier.pdf_bytes = static_cast<std::int64_t>(content.size());
    archive.catalog().put_dossier(dossier, false);
  }
};

TEST_F(FixityTest, IntactArchiveHasNoProblemsAndReportsProgress) {
  auto archive = Archive::init(dir() / "a");
  add(archive, "D1", "%PDF one");
  add(archive, "D2", "%PDF two!");
  std::vector<std::pair<int, int>> calls;
  const auto report = verify_archive(archive, [&](int done, int total) {
    calls.emplace_back(done, total);
  });
  EXPECT_TRUE(report.problems.empty());
  EXPECT_EQ(report.files_checked, 2);
  EXPECT_EQ(report.bytes_checked, 17);
  EXPECT_EQ(calls, (std::vector<std::pair<int, int>>{{1, 2}, {2, 2}}));
}

TEST_F(FixityTest, DetectsAChangedByteAndAMissingFile) {
  auto archive = Archive::init(dir() / "a");
  add(archive, "CHANGED", "%PDF original bytes");
  add(archive, "GONE", "%PDF soon gone");
  add(archive, "OK", "%PDF fine");
  const auto changed = archive.absolute(Archive::dossier_pdf_path("2025", "U", "CHANGED"));
  auto bytes = test::read_file(changed);
  bytes[5] = static_cast<char>(bytes[5] ^ 0x01);
  test::write_file(changed, bytes);
  std::filesystem::remove(archive.absolute(Archive::dossier_pdf_path("2025", "U", "GONE")));

  const auto report = verify_archive(archive);
  ASSERT_EQ(report.problems.size(), 2U);
  EXPECT_EQ(report.problems[0].dossier, "CHANGED");
  EXPECT_EQ(report.problems[0].kind, FixityProblem::Kind::changed);
  EXPECT_EQ(report.problems[0].path, "files/2025/U/CHANGED.pdf");
  EXPECT_EQ(report.problems[0].actual, core::sha256_file(changed).value());
  EXPECT_NE(report.problems[0].actual, report.problems[0].expected);
  EXPECT_EQ(report.problems[1].dossier, "GONE");
  EXPECT_EQ(report.problems[1].kind, FixityProblem::Kind::missing);
  EXPECT_TRUE(report.problems[1].actual.empty());
  EXPECT_EQ(to_string(FixityProblem::Kind::missing), "missing");
}

TEST_F(FixityTest, AFolderInPlaceOfTheFileIsUnreadable) {
  auto archive = Archive::init(dir() / "a");
  add(archive, "D1", "%PDF");
  const auto path = archive.absolute(Archive::dossier_pdf_path("2025", "U", "D1"));
  std::filesystem::remove(path);
  std::filesystem::create_directories(path);
  const auto report = verify_archive(archive);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_EQ(report.problems[0].kind, FixityProblem::Kind::unreadable);
}

}  // namespace
}  // namespace sohoa::storage
