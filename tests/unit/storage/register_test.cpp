#include "sohoa/storage/register.hpp"

#include <string>

#include <gtest/gtest.h>

#include "sohoa/core/errors.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

class RegisterTest : public test::TempDirTest {
 protected:
  Catalog open() { return Catalog::open(dir() / "catalog.sqlite", true); }
};

TEST_F(RegisterTest, ImportsColumnsInAnyOrderAndKeepsUnknownOnes) {
  auto catalog = open();
  const auto file = dir() / "export.csv";
  test::write_file(file,
                   "status,Unit,dossier_code,received_date,level,so_bien_nhan,due_date\n"
                   "Đang xử lý,Bộ phận một cửa xã Hòa Hiệp,C-1,2026-05-20,commune,HH-7,2026-05-25\n"
                   "Đã trả,TTPVHCC tỉnh,C-2,2026-05-21,province,BN-8,\n");
  const auto result = import_register(catalog, file, "2026-06-01T00:00:00Z");
  EXPECT_EQ(result.rows, 2);
  EXPECT_EQ(result.added, 2);
  EXPECT_TRUE(result.skipped.empty());
  const auto entries = register_entries(catalog);
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].dossier_code, "C-1");
  EXPECT_EQ(entries[0].unit, "Bộ phận một cửa xã Hòa Hiệp");
  EXPECT_EQ(entries[0].level, core::Level::commune);
  EXPECT_EQ(entries[0].due_date, "2026-05-25");
  EXPECT_EQ(entries[0].status, "Đang xử lý");
  ASSERT_EQ(entries[0].extra.size(), 1U);
  EXPECT_EQ(entries[0].extra[0].first, "so_bien_nhan");
  EXPECT_EQ(entries[0].extra[0].second, "HH-7");
  EXPECT_EQ(entries[1].level, core::Level::province);
}

TEST_F(RegisterTest, ReimportUpdatesInsteadOfDuplicating) {
  auto catalog = open();
  const auto file = dir() / "export.csv";
  test::write_file(file, "dossier_code,received_date,level,resolved_date\nC-1,2026-05-20,commune,\n");
  import_register(catalog, file, "t1");
  test::write_file(file, "dossier_code,received_date,level,resolved_date\n"
                         "C-1,2026-05-20,commune,2026-05-24\nC-2,2026-05-22,commune,\n");
  const auto second = import_register(catalog, file, "t2");
  EXPECT_EQ(second.added, 1);
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(second.register_total, 2);
  const auto entries = register_entries(catalog);
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].resolved_date, "2026-05-24");
}

TEST_F(RegisterTest, BadRowsAreNamedByFileAndLineAndTheGoodRowsLand) {
  auto catalog = open();
  const auto file = test::source_path("tests/fixtures/register/bad_rows.csv");
  const auto result = import_register(catalog, file, "t");
  EXPECT_EQ(result.rows, 7);
  EXPECT_EQ(result.added, 2);  // lines 2 and 8
  ASSERT_EQ(result.skipped.size(), 5U);
  const std::vector<std::pair<int, std::string>> expected = {
      {3, "missing-code"}, {4, "bad-date"}, {5, "unknown-level"}, {6, "duplicate-code"},
      {7, "bad-date"}};
  for (std::size_t idx = 0; idx < expected.size(); ++idx) {
    EXPECT_EQ(result.skipped[idx].line, expected[idx].first) << result.skipped[idx].message;
    EXPECT_EQ(result.skipped[idx].reason, expected[idx].second) << result.skipped[idx].message;
    EXPECT_EQ(result.skipped[idx].file, file.string());
  }
  EXPECT_NE(result.skipped[1].message.find("2026-02-30"), std::string::npos);
  EXPECT_NE(result.skipped[2].message.find("ward"), std::string::npos);
  EXPECT_NE(result.skipped[3].message.find("line 2"), std::string::npos);
  EXPECT_NE(result.skipped[4].message.find("resolved_date"), std::string::npos);
  const auto entries = register_entries(catalog);
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].dossier_code, "000.15.30.H38-260110-0003");
  EXPECT_EQ(entries[1].dossier_code, "000.41.31.H38-260105-0001");
  EXPECT_EQ(entries[1].received_date, "2026-01-05");  // the first row of the duplicate code wins
}

TEST_F(RegisterTest, AFileWithoutTheCodeColumnCannotBeImported) {
  auto catalog = open();
  const auto file = dir() / "export.csv";
  test::write_file(file, "ma_ho_so,received_date\nC-1,2026-05-20\n");
  try {
    import_register(catalog, file, "t");
    FAIL() << "expected a UsageError";
  } catch (const core::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("dossier_code"), std::string::npos) << error.what();
  }
  EXPECT_THROW(import_register(catalog, dir() / "missing.csv", "t"), core::UsageError);
  EXPECT_TRUE(register_entries(catalog).empty());
}

}  // namespace
}  // namespace sohoa::storage
