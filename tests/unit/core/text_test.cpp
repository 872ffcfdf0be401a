#include "sohoa/core/text.hpp"

#include <gtest/gtest.h>

namespace sohoa::core {
namespace {

TEST(Fold, RemovesDiacriticsCaseAndMapsDStroke) {
  EXPECT_EQ(fold("Đăng ký KINH DOANH"), "dang ky kinh doanh");
  EXPECT_EQ(fold("Ủy ban nhân dân xã Đông Hòa"), "uy ban nhan dan xa dong hoa");
  EXPECT_EQ(fold("đường"), "duong");
}

TEST(StripMarks, RemovesDiacriticsButKeepsCase) {
  EXPECT_EQ(strip_marks("Đăng KÝ kinh doanh"), "Dang KY kinh doanh");
  EXPECT_EQ(strip_marks("ĐỖ THỊ DIỆU HIẾN"), "DO THI DIEU HIEN");
  EXPECT_EQ(strip_marks("vẫn"), "van");
  EXPECT_NE(strip_marks("vẫn"), strip_marks("VAN"));
  EXPECT_EQ(strip_marks("H38-260302, 12/3"), "H38-260302, 12/3");
}

TEST(Fold, KeepsDigitsAndPunctuation) {
  EXPECT_EQ(fold("000.00.04.H38-220330-0001"), "000.00.04.h38-220330-0001");
}

TEST(Fold, DecomposedAndComposedInputFoldAlike) {
  // "ệ" as e + circumflex + dot below (NFD) and as one code point (NFC).
  EXPECT_EQ(fold("Vi\u0065\u0302\u0323t"), fold("Vi\u1EC7t"));
  EXPECT_EQ(fold("Vi\u1EC7t"), "viet");
}

TEST(Nfc, ComposesDecomposedVietnamese) {
  EXPECT_EQ(to_nfc("Vi\u0065\u0302\u0323t"), "Vi\u1EC7t");
  EXPECT_EQ(to_nfc("Vi\u1EC7t"), "Vi\u1EC7t");
}

TEST(Utf8, RejectsMalformedBytes) {
  EXPECT_TRUE(is_valid_utf8("Hồ sơ"));
  EXPECT_FALSE(is_valid_utf8("H\xF4 s\xA1"));  // Windows-1258 bytes
  EXPECT_FALSE(is_valid_utf8("\xC3"));           // truncated sequence
}

TEST(Utf8, CodePointsRoundTripAndBadBytesBecomeReplacementCharacters) {
  const std::string text = "Đăng ký 😀";
  bool valid = true;
  const std::u32string points = to_code_points(text, &valid);
  EXPECT_TRUE(valid);
  EXPECT_EQ(points, U"Đăng ký 😀");
  EXPECT_EQ(to_utf8(points), text);

  EXPECT_EQ(to_code_points("t\xC3", &valid), U"t\uFFFD");
  EXPECT_FALSE(valid);
  const std::u32string surrogate{U'a', char32_t{0xD800}, U'b'};  // not a Unicode scalar value
  EXPECT_EQ(to_utf8(surrogate), "a\uFFFDb");
}

}  // namespace
}  // namespace sohoa::core

namespace sohoa::core {
namespace {

TEST(NaturalLess, NumbersCompareByValue) {
  EXPECT_TRUE(natural_less("2.jpg", "10.jpg"));
  EXPECT_FALSE(natural_less("10.jpg", "2.jpg"));
  EXPECT_TRUE(natural_less("page-9.tif", "page-10.tif"));
  EXPECT_TRUE(natural_less("a.png", "b.png"));
  EXPECT_FALSE(natural_less("x", "x"));
}

}  // namespace
}  // namespace sohoa::core
