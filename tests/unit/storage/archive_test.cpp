#include "sohoa/storage/archive.hpp"

#include <gtest/gtest.h>

#include "sohoa/core/errors.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

using ArchiveTest = test::TempDirTest;

DossierRecord dossier_at(const std::string& code, const std::string& pdf_path) {
  DossierRecord dossier;
  dossier.meta.code = code;
  dossier.meta.unit = "UBND xã Đông Hòa";
  dossier.pdf_path = pdf_path;
  dossier.pdf_sha256 = std::string(64, '0');
  PageRecord page;
  page.seq = 1;
  page.text = "Đơn đề nghị";
  dossier.pages.push_back(page);
  dossier.page_count = 1;
  return dossier;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const core::Fatal& error) {
    return error.what();
  }
  return "(no Fatal)";
}

TEST_F(ArchiveTest, InitCreatesTheLayoutAndIsIdempotent) {
  const auto root = dir() / "archive";
  {
    auto archive = Archive::init(root);
    archive.catalog().put_dossier(dossier_at("D1", "files/2025/u/D1.pdf"), false);
  }
  for (const char* sub : {"files", "quarantine", "exports"}) {
    EXPECT_TRUE(std::filesystem::is_directory(root / sub)) << sub;
  }
  EXPECT_TRUE(std::filesystem::is_regular_file(root / "catalog.sqlite"));
  auto again = Archive::init(root);
  EXPECT_EQ(again.catalog().dossier_codes(), std::vector<std::string>{"D1"});
}

TEST_F(ArchiveTest, OpenWithoutCatalogSaysToRunInit) {
  const auto message = message_of([&] { Archive::open(dir() / "nothing-here"); });
  EXPECT_NE(message.find("no sohoa archive at"), std::string::npos) << message;
  EXPECT_NE(message.find("sohoa init"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(dir() / "nothing-here" / "catalog.sqlite"));
}

TEST_F(ArchiveTest, InitWhereAFileBlocksTheFolderIsFatal) {
  test::write_file(dir() / "blocked", "x");
  EXPECT_THROW(Archive::init(dir() / "blocked"), core::Fatal);
}

TEST_F(ArchiveTest, DossierPdfPathIsRelativeSafeAndKeepsVietnamese) {
  EXPECT_EQ(Archive::dossier_pdf_path("2025", "UBND xã Đông Hòa", "000.00.15.H38-250301-0007"),
            "files/2025/UBND xã Đông Hòa/000.00.15.H38-250301-0007.pdf");
  EXPECT_EQ(Archive::dossier_pdf_path("2025", "", "X"), "files/2025/unknown/X.pdf");
  EXPECT_EQ(Archive::dossier_pdf_path("2025", "a/b\\c", "../../etc/passwd"),
            "files/2025/a_b_c/___.._etc_passwd.pdf");
  EXPECT_EQ(Archive::dossier_pdf_path("2025", "..", "..."), "files/2025/unknown/unknown.pdf");
  EXPECT_EQ(Archive::dossier_pdf_path("2025", "tab\there", ".hidden"),
            "files/2025/tab_here/_hidden.pdf");
  EXPECT_EQ(Archive::dossier_pdf_path("2025", "U", "D1", 2), "files/2025/U/D1.r2.pdf");
  EXPECT_EQ(Archive::dossier_pdf_path("2025", "U", "D1", 1), "files/2025/U/D1.pdf");
  const auto long_path = Archive::dossier_pdf_path("2025", std::string(400, 'x'), "D");
  EXPECT_LT(long_path.size(), 200U);
}

TEST_F(ArchiveTest, MovedArchiveStillOpensAndResolvesItsFiles) {
  const auto first = dir() / "first";
  const auto rel = Archive::dossier_pdf_path("2025", "UBND xã Đông Hòa", "D1");
  {
    auto archive = Archive::init(first);
    test::write_file(archive.absolute(rel), "%PDF-1.7 test");
    archive.catalog().put_dossier(dossier_at("D1", rel), false);
  }
  const auto moved = dir() / "elsewhere" / "moved";
  std::filesystem::create_directories(moved.parent_path());
  std::filesystem::rename(first, moved);

  auto archive = Archive::open(moved);
  const auto dossier = archive.catalog().find_dossier("D1");
  ASSERT_TRUE(dossier.has_value());
  EXPECT_EQ(dossier->pdf_path, rel);
  EXPECT_EQ(test::read_file(archive.absolute(dossier->pdf_path)), "%PDF-1.7 test");
  SearchQuery query;
  query.text = "don de nghi";
  EXPECT_EQ(archive.catalog().search(query).total, 1);
}

TEST_F(ArchiveTest, SecondWriteLockIsRefusedUntilTheFirstIsReleased) {
  auto archive = Archive::init(dir() / "a");
  {
    auto lock = archive.lock_for_writing();
    const auto message = message_of([&] { auto second = archive.lock_for_writing(); });
    EXPECT_NE(message.find("another sohoa process is writing to this archive"), std::string::npos)
        << message;
    EXPECT_NE(message.find(".lock"), std::string::npos) << message;
    auto other_handle = Archive::open(dir() / "a");
    EXPECT_THROW(other_handle.lock_for_writing(), core::Fatal);
  }
  EXPECT_NO_THROW(archive.lock_for_writing());
}

TEST_F(ArchiveTest, RecoverRemovesTemporariesAndOrphansButNotReferencedFiles) {
  auto archive = Archive::init(dir() / "a");
  const auto kept = Archive::dossier_pdf_path("2025", "U", "KEPT");
  test::write_file(archive.absolute(kept), "kept");
  archive.catalog().put_dossier(dossier_at("KEPT", kept), false);
  test::write_file(archive.absolute("files/2025/U/ORPHAN.pdf"), "orphan");
  test::write_file(archive.absolute("files/2025/U/HALF.pdf.tmp"), "half");
  test::write_file(archive.absolute("files/2024/V/notes.txt"), "not ours to judge");
  test::write_file(archive.absolute("exports/other.pdf"), "outside files/");

  auto lock = archive.lock_for_writing();
  const auto removed = archive.recover();
  EXPECT_EQ(removed,
            (std::vector<std::string>{"files/2025/U/HALF.pdf.tmp", "files/2025/U/ORPHAN.pdf"}));
  EXPECT_TRUE(std::filesystem::exists(archive.absolute(kept)));
  EXPECT_TRUE(std::filesystem::exists(archive.absolute("files/2024/V/notes.txt")));
  EXPECT_TRUE(std::filesystem::exists(archive.absolute("exports/other.pdf")));
  EXPECT_FALSE(std::filesystem::exists(archive.absolute("files/2025/U/ORPHAN.pdf")));
  EXPECT_TRUE(archive.recover().empty());
}

TEST_F(ArchiveTest, QuarantineCopiesTheSourceWithItsReasonAndNeverOverwrites) {
  auto archive = Archive::init(dir() / "a");
  const auto source_a = dir() / "in" / "D1" / "page1.jpg";
  const auto source_b = dir() / "in" / "D2" / "page1.jpg";
  test::write_file(source_a, "broken A");
  test::write_file(source_b, "broken B");
  archive.quarantine(7, source_a, "truncated JPEG");
  archive.quarantine(7, source_b, "not an image");

  const auto folder = dir() / "a" / "quarantine" / "7";
  EXPECT_EQ(test::read_file(folder / "page1.jpg"), "broken A");
  EXPECT_EQ(test::read_file(folder / "page1~2.jpg"), "broken B");
  const auto reason = test::read_file(folder / "page1.jpg.reason.txt");
  EXPECT_NE(reason.find("truncated JPEG"), std::string::npos) << reason;
  EXPECT_NE(reason.find(source_a.string()), std::string::npos) << reason;
  EXPECT_NE(test::read_file(folder / "page1~2.jpg.reason.txt").find("not an image"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(source_a)) << "the source is copied, not moved";
}

TEST_F(ArchiveTest, QuarantineOfAVanishedSourceStillRecordsTheReason) {
  auto archive = Archive::init(dir() / "a");
  archive.quarantine(1, dir() / "gone.tif", "io_error");
  const auto reason = test::read_file(dir() / "a" / "quarantine" / "1" / "gone.tif.reason.txt");
  EXPECT_NE(reason.find("io_error"), std::string::npos);
  EXPECT_NE(reason.find("could not be copied"), std::string::npos);
}

}  // namespace
}  // namespace sohoa::storage
