#include "sohoa/ocr/vietnamese_corrector.hpp"

#include <memory>
#include <string>
#include <vector>

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
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("duoc"));  // được
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("Duc"));   // Đức, dục
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("nghieng"));
  EXPECT_TRUE(m_corrector->could_be_bare_syllable("được"));
  // English words, names and codes cannot be.
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("Trading"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("Goethe"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("with"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable("H38"));
  EXPECT_FALSE(m_corrector->could_be_bare_syllable(""));
}

// A line of OCR words (one line, one block) and which of them were read in English.
struct ReadLine {
  std::vector<core::OcrWord> words;
  std::vector<bool> english;
  void add(const std::string& text, bool in_english, int line = 0) {
    core::OcrWord word;
    word.text = text;
    word.line = line;
    words.push_back(word);
    english.push_back(in_english);
  }
};

TEST_F(VietnameseCorrectorTest, RunsOfBareSyllablesReadInEnglishAreReadAgain) {
  ReadLine page;
  for (const char* word : {"Ban", "đầu", "giải", "được", "trao", "vào", "ngày"}) {
    page.add(word, false);
  }
  page.add("hang", true, 1);
  page.add("nam,", true, 1);
  page.add("tu", true, 1);
  page.add("1949", true, 1);  // digits: never
  page.add("nam", true, 1);
  page.add("cua", true, 2);  // another line: another run
  using Runs = std::vector<std::vector<std::size_t>>;
  EXPECT_EQ(m_corrector->runs_to_read_again(page.words, page.english),
            (Runs{{7, 8, 9}, {11}, {12}}));
}

TEST_F(VietnameseCorrectorTest, ARunBesideAForeignWordIsLeftAsRead) {
  ReadLine form;
  for (const char* word : {"tên", "viết", "bằng", "tiếng", "nước", "ngoài", "là"}) {
    form.add(word, false);
  }
  form.add("Duc", true);
  form.add("Hung", true);
  form.add("Trading", true);  // cannot be a syllable: "Duc Hung" is a name in a foreign phrase
  form.add("Private", true);
  EXPECT_TRUE(m_corrector->runs_to_read_again(form.words, form.english).empty());

  ReadLine sentence;
  for (const char* word : {"thành", "phố", "của", "Johann", "von", "Goethe.", "Ban", "dau"}) {
    sentence.add(word, std::string(word) != "thành" && std::string(word) != "phố" &&
                           std::string(word) != "của");
  }
  for (const char* word : {"giải", "được", "trao", "hàng", "năm"}) {
    sentence.add(word, false);
  }
  // "Goethe." ends a phrase: "Ban dau" after it is read again; "von" beside "Johann" is not.
  using Runs = std::vector<std::vector<std::size_t>>;
  EXPECT_EQ(m_corrector->runs_to_read_again(sentence.words, sentence.english), (Runs{{6, 7}}));
}

TEST_F(VietnameseCorrectorTest, AnEnglishPageIsNotReadAgain) {
  // English words that are all bare syllables too, and one Vietnamese word: an English page.
  ReadLine page;
  for (const char* word : {"the", "tin", "can", "a", "pan", "the", "van"}) {
    page.add(word, true);
  }
  page.add("và", false);
  EXPECT_TRUE(m_corrector->runs_to_read_again(page.words, page.english).empty());
  // The same words on a page mostly read in Vietnamese are a run to read again.
  for (const char* word : {"trên", "bàn", "có", "một", "cái", "chảo", "nhỏ"}) {
    page.add(word, false);
  }
  EXPECT_EQ(m_corrector->runs_to_read_again(page.words, page.english),
            (std::vector<std::vector<std::size_t>>{{0, 1, 2, 3, 4, 5, 6}}));
}

TEST_F(VietnameseCorrectorTest, ASecondReadingIsTakenOnlyWhenItAddsMarks) {
  EXPECT_EQ(m_corrector->marks_added("dau", "đầu"), "đầu");
  EXPECT_EQ(m_corrector->marks_added("tu,", "từ,"), "từ,");
  EXPECT_EQ(m_corrector->marks_added("Duc", "Đức"), "Đức");
  // Another letter, another case, nothing added, or not a syllable: the first reading stays.
  EXPECT_EQ(m_corrector->marks_added("dau", "đâm"), std::nullopt);
  EXPECT_EQ(m_corrector->marks_added("van", "VAN"), std::nullopt);
  EXPECT_EQ(m_corrector->marks_added("van", "VẪN"), std::nullopt);
  EXPECT_EQ(m_corrector->marks_added("nam", "nam"), std::nullopt);
  EXPECT_EQ(m_corrector->marks_added("tu", "từ."), std::nullopt);
  EXPECT_EQ(m_corrector->marks_added("Goethe", "Göethe"), std::nullopt);
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
  for (const char* word : {"Nguyễn", "được", "12/05/2024", "H38-260302-0001", "1.001612.000", "ö1",
                           "nguoi", "Tesseract", "UBND", "3,5", "-", "", "ĐT:", "50%"}) {
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
