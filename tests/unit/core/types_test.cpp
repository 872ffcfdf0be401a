#include "sohoa/core/types.hpp"

#include <gtest/gtest.h>

#include "sohoa/core/hash.hpp"
#include "temp_dir.hpp"

namespace sohoa::core {
namespace {

TEST(Level, ParsesTheThreeLevelsAndNothingElse) {
  EXPECT_EQ(parse_level("province"), Level::province);
  EXPECT_EQ(parse_level(" District "), Level::district);
  EXPECT_EQ(parse_level("COMMUNE"), Level::commune);
  EXPECT_EQ(parse_level("ward"), std::nullopt);
  EXPECT_EQ(parse_level(""), std::nullopt);
}

TEST(PageOutcome, NumbersAreFixedInStorageOrder) {
  // These numbers are persisted in catalogs in the field: changing one corrupts old archives.
  EXPECT_EQ(static_cast<int>(PageOutcome::ok), 0);
  EXPECT_EQ(static_cast<int>(PageOutcome::blank), 1);
  EXPECT_EQ(static_cast<int>(PageOutcome::low_confidence), 2);
  EXPECT_EQ(static_cast<int>(PageOutcome::unreadable), 10);
  EXPECT_EQ(static_cast<int>(PageOutcome::empty_file), 11);
  EXPECT_EQ(static_cast<int>(PageOutcome::io_error), 14);
  EXPECT_TRUE(is_archived(PageOutcome::blank));
  EXPECT_FALSE(is_archived(PageOutcome::unreadable));
}

TEST(Flags, DescribeNamesEachSetFlag) {
  EXPECT_EQ(describe_flags(0), "");
  EXPECT_EQ(describe_flags(flag_dpi_assumed | flag_blank), "dpi-assumed,blank");
}

class HashTest : public test::TempDirTest {};

TEST_F(HashTest, Sha256OfKnownContent) {
  const std::string abc = "abc";
  EXPECT_EQ(sha256_hex({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  test::write_file(dir() / "f.txt", abc);
  EXPECT_EQ(sha256_file(dir() / "f.txt").value(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(HashTest, MissingFileIsAnErrorNotAHash) {
  const auto result = sha256_file(dir() / "nope.bin");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace sohoa::core
