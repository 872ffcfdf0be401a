#include "sohoa/ocr/vietnamese_corrector.hpp"

#include <memory>

#include <gtest/gtest.h>

namespace sohoa::ocr {
namespace {

class VietnameseCorrectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_corrector = VietnameseCorrector::load();
    if (!m_corrector) {
      GTEST_SKIP() << "hunspell-vi is not installed (scripts/install-deps)";
    }
  }
  std::unique_ptr<VietnameseCorrector> m_corrector;
};

TEST(VietnameseCorrectorLoad, MissingDictionaryGivesNoCorrector) {
  EXPECT_EQ(VietnameseCorrector::load("/nonexistent/vi_VN"), nullptr);
}

TEST_F(VietnameseCorrectorTest, KnowsVietnameseSyllablesInAnyCase) {
  EXPECT_TRUE(m_corrector->is_syllable("người"));
  EXPECT_TRUE(m_corrector->is_syllable("CỘNG"));
  EXPECT_TRUE(m_corrector->is_syllable("Hòa"));  // the dictionary spells it "hoà"
  EXPECT_TRUE(m_corrector->is_syllable("hoà"));
  EXPECT_EQ(m_corrector->correct_word("hòa"), "hòa");
  EXPECT_FALSE(m_corrector->is_syllable("ngưởi"));
  EXPECT_FALSE(m_corrector->is_syllable("töi"));
}

TEST_F(VietnameseCorrectorTest, TellsWhichWordsCouldBeASyllableThatLostItsMarks) {
  // What the English model makes of Vietnamese: the letters without the marks.
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("duoc"));   // được
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("Duc"));    // Đức, dục
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("nghieng"));
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("được"));
  // English words, names and codes cannot be.
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("Trading"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("Goethe"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("with"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("H38"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable(""));
}

TEST_F(VietnameseCorrectorTest, ReadsLettersVietnameseDoesNotUseAsTheirVietnameseLookAlikes) {
  EXPECT_EQ(m_corrector->correct_word("töi"), "tôi");
  EXPECT_EQ(m_corrector->correct_word("CÖNG"), "CÔNG");
  EXPECT_EQ(m_corrector->correct_word("(töi),"), "(tôi),");
}

TEST_F(VietnameseCorrectorTest, FixesOneWrongMarkWhenOneSyllableIsNearest) {
  // "nghĩa" misread with a hook instead of a tilde is not a syllable; "nghĩa" and "nghía"... are
  // equally near only if both exist: the corrector must return a valid syllable or the original.
  const std::string fixed = m_corrector->correct_word("nghỉa");
  EXPECT_TRUE(fixed == "nghỉa" || m_corrector->is_syllable(fixed)) << fixed;
  EXPECT_EQ(m_corrector->correct_word("ngưởi"), "người");
  EXPECT_EQ(m_corrector->correct_word("Ngưởi"), "Người");
}

TEST_F(VietnameseCorrectorTest, KeepsValidWordsNumbersCodesDatesAndAsciiWords) {
  for (const char* word : {"Nguyễn", "được", "12/05/2024", "H38-260302-0001", "1.001612.000",
                           "ö1", "nguoi", "Tesseract", "UBND", "3,5", "-", "", "ĐT:", "50%"}) {
    EXPECT_EQ(m_corrector->correct_word(word), word) << word;
  }
}

TEST_F(VietnameseCorrectorTest, KeepsTheOriginalWhenTwoSyllablesAreEquallyNear) {
  // "hộc"/"học"/"hốc"... : an invalid "hôc" (no tone, closed syllable needs a tone) is one tone
  // away from several syllables; none stands out.
  EXPECT_EQ(m_corrector->correct_word("hôc"), "hôc");
}

TEST_F(VietnameseCorrectorTest, SurvivesInvalidUtf8) {
  EXPECT_EQ(m_corrector->correct_word("t\xC3"), "t\xC3");
  EXPECT_EQ(m_corrector->correct_word("\xFF\xFE"), "\xFF\xFE");
}

}  // namespace
}  // namespace sohoa::ocr
