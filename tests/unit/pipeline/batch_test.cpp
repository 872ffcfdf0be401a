#include "sohoa/pipeline/batch.hpp"

#include <gtest/gtest.h>

#include "sohoa/core/errors.hpp"
#include "temp_dir.hpp"

namespace sohoa::pipeline {
namespace {

class BatchTest : public test::TempDirTest {
 protected:
  void touch(const std::string& relative, const std::string& bytes = "x") {
    test::write_file(dir() / relative, bytes);
  }
  static const DossierSource& find(const Batch& batch, const std::string& code) {
    for (const auto& dossier : batch.dossiers) {
      if (dossier.meta.code == code) {
        return dossier;
      }
    }
    throw std::runtime_error("no dossier " + code);
  }
};

constexpr const char* k_header =
    "dossier_code,title,procedure_code,procedure_name,agency,unit,level,received_date,applicant,"
    "so_bien_nhan\n";

TEST_F(BatchTest, PagesComeInNaturalOrder) {
  for (const char* name : {"10.jpg", "2.jpg", "1.jpg", "page 3.png"}) {
    touch(std::string("A-1/") + name);
  }
  const Batch batch = discover_batch(dir());
  ASSERT_EQ(batch.dossiers.size(), 1U);
  std::vector<std::string> names;
  for (const auto& file : batch.dossiers[0].files) {
    names.push_back(file.filename().string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"1.jpg", "2.jpg", "10.jpg", "page 3.png"}));
}

TEST_F(BatchTest, ManifestFillsMetadataAndKeepsUnknownColumns) {
  touch("000.00.04.H38-260915-0001/1.jpg");
  touch("manifest.csv", std::string(k_header) +
                            "000.00.04.H38-260915-0001,\"Đơn đăng ký, kinh doanh\",1.001612.000.00.00.H38,"
                            "Đăng ký hộ kinh doanh,Sở Kế hoạch và Đầu tư,Trung tâm Phục vụ hành chính công tỉnh,"
                            "province,2026-09-15,Nguyễn Văn An,BN-0042\n");
  const Batch batch = discover_batch(dir());
  const auto& dossier = find(batch, "000.00.04.H38-260915-0001");
  EXPECT_TRUE(dossier.problems.empty());
  EXPECT_EQ(dossier.meta.title, "Đơn đăng ký, kinh doanh");
  EXPECT_EQ(dossier.meta.level, core::Level::province);
  EXPECT_EQ(dossier.meta.received_date, "2026-09-15");
  EXPECT_EQ(dossier.meta.applicant, "Nguyễn Văn An");
  ASSERT_EQ(dossier.meta.extra.size(), 1U);
  EXPECT_EQ(dossier.meta.extra[0], (std::pair<std::string, std::string>{"so_bien_nhan", "BN-0042"}));
  EXPECT_TRUE(batch.warnings.empty());
}

TEST_F(BatchTest, BadRowsFailTheirDossierNamingTheLine) {
  for (const char* code : {"A-1", "A-2", "A-3", "A-4"}) {
    touch(std::string(code) + "/1.png");
  }
  touch("manifest.csv", std::string("dossier_code,level,received_date\n") +
                            "A-1,ward,2026-01-02\n"   // line 2: unknown level
                            "A-2,commune,15/09/2026\n"  // line 3: not ISO
                            "A-3,commune,2026-02-30\n"  // line 4: no such day
                            "A-4,district,2026-03-01\n");
  const Batch batch = discover_batch(dir());
  ASSERT_EQ(find(batch, "A-1").problems.size(), 1U);
  EXPECT_EQ(find(batch, "A-1").problems[0].line, 2);
  EXPECT_NE(find(batch, "A-1").problems[0].message.find("unknown level 'ward'"), std::string::npos);
  EXPECT_EQ(find(batch, "A-2").problems.at(0).line, 3);
  EXPECT_EQ(find(batch, "A-3").problems.at(0).line, 4);
  EXPECT_TRUE(find(batch, "A-4").problems.empty());
  EXPECT_EQ(find(batch, "A-4").meta.level, core::Level::district);
}

TEST_F(BatchTest, NonUtf8RowFailsOnlyItsDossier) {
  touch("A-1/1.png");
  touch("A-2/1.png");
  touch("manifest.csv", "dossier_code,title\nA-1,H\xF4 s\xA1 \xF0\n" "A-2,Hồ sơ\n");
  const Batch batch = discover_batch(dir());
  ASSERT_EQ(find(batch, "A-1").problems.size(), 1U);
  EXPECT_NE(find(batch, "A-1").problems[0].message.find("not UTF-8"), std::string::npos);
  EXPECT_EQ(find(batch, "A-1").problems[0].line, 2);
  EXPECT_TRUE(find(batch, "A-2").problems.empty());
}

TEST_F(BatchTest, UnparsableManifestFailsEveryDossier) {
  touch("A-1/1.png");
  touch("manifest.csv", "dossier_code,title\nA-1,\"never closed\n");
  const Batch batch = discover_batch(dir());
  ASSERT_EQ(find(batch, "A-1").problems.size(), 1U);
  EXPECT_NE(find(batch, "A-1").problems[0].message.find("never closes"), std::string::npos);
}

TEST_F(BatchTest, DuplicateManifestCodeIsAProblem) {
  touch("A-1/1.png");
  touch("manifest.csv", "dossier_code,title\nA-1,one\nA-1,two\n");
  const Batch batch = discover_batch(dir());
  ASSERT_EQ(find(batch, "A-1").problems.size(), 1U);
  EXPECT_NE(find(batch, "A-1").problems[0].message.find("listed again on line 3"), std::string::npos);
}

TEST_F(BatchTest, EmptyFolderAndStrayFilesAreReported) {
  std::filesystem::create_directories(dir() / "EMPTY");
  touch("stray.jpg");
  touch("A-1/.DS_Store");
  touch("A-1/1.png");
  const Batch batch = discover_batch(dir());
  ASSERT_EQ(find(batch, "EMPTY").problems.size(), 1U);
  EXPECT_NE(find(batch, "EMPTY").problems[0].message.find("empty dossier folder"), std::string::npos);
  EXPECT_EQ(find(batch, "A-1").files.size(), 1U);  // hidden files are not pages
  bool stray_reported = false;
  for (const auto& warning : batch.warnings) {
    stray_reported = stray_reported || warning.file.filename() == "stray.jpg";
  }
  EXPECT_TRUE(stray_reported);
}

TEST_F(BatchTest, VietnameseAndSpacesInPathsAreKept) {
  touch("Hồ sơ số 1/trang 1.png");
  const Batch batch = discover_batch(dir());
  ASSERT_EQ(batch.dossiers.size(), 1U);
  EXPECT_EQ(batch.dossiers[0].meta.code, "Hồ sơ số 1");
  EXPECT_EQ(batch.dossiers[0].files[0].filename().string(), "trang 1.png");
}

TEST_F(BatchTest, MissingBatchFolderIsAUsageError) {
  EXPECT_THROW(discover_batch(dir() / "nope"), core::UsageError);
}

TEST(DossierCode, NationalFormIsRecognised) {
  EXPECT_TRUE(is_national_dossier_code("000.00.04.H38-220330-0001"));
  EXPECT_FALSE(is_national_dossier_code("HS-2026-01"));
}

}  // namespace
}  // namespace sohoa::pipeline
