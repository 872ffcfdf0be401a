#include "sohoa/core/csv.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace sohoa::core {
namespace {

class CsvTest : public test::TempDirTest {};

TEST_F(CsvTest, ReadsQuotedFieldsAndKeepsLineNumbers) {
  test::write_file(dir() / "m.csv",
                   "\xEF\xBB\xBF" "code,title\n"
                   "A1,\"Đơn, có dấu phẩy\"\n"
                   "\n"
                   "A2,\"hai\ndòng\"\n"
                   "A3,ba\n");
  const auto table = read_csv(dir() / "m.csv");
  ASSERT_TRUE(table.has_value()) << table.error();
  EXPECT_EQ(table->header.fields, (std::vector<std::string>{"code", "title"}));
  ASSERT_EQ(table->records.size(), 3U);
  EXPECT_EQ(table->records[0].fields[1], "Đơn, có dấu phẩy");
  EXPECT_EQ(table->records[0].line, 2);
  EXPECT_EQ(table->records[1].fields[1], "hai\ndòng");
  EXPECT_EQ(table->records[1].line, 4);
  EXPECT_EQ(table->records[2].line, 6);
}

TEST_F(CsvTest, FlagsRecordsThatAreNotUtf8) {
  test::write_file(dir() / "m.csv", "code,title\nA1,H\xF4 s\xA1\nA2,ok\n");
  const auto table = read_csv(dir() / "m.csv");
  ASSERT_TRUE(table.has_value());
  EXPECT_FALSE(table->records[0].utf8);
  EXPECT_TRUE(table->records[1].utf8);
}

TEST_F(CsvTest, UnclosedQuoteNamesItsLine) {
  test::write_file(dir() / "m.csv", "code,title\nA1,ok\nA2,\"never closed\nA3,x\n");
  const auto table = read_csv(dir() / "m.csv");
  ASSERT_FALSE(table.has_value());
  EXPECT_NE(table.error().find("line 3"), std::string::npos) << table.error();
}

TEST_F(CsvTest, MissingFileIsAnError) {
  EXPECT_FALSE(read_csv(dir() / "none.csv").has_value());
}

}  // namespace
}  // namespace sohoa::core
