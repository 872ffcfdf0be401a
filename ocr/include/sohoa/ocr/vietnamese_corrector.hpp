#pragma once
// Vietnamese-aware clean-up of OCR words. Vietnamese is written in a closed set of syllables
// (Debian's hunspell-vi lists them); a word with Vietnamese marks outside that set is an OCR
// error. The corrector fixes such a word only when one nearest valid syllable stands out, and
// keeps the original otherwise.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "sohoa/core/types.hpp"

class Hunspell;

namespace sohoa::ocr {

// `word` (UTF-8) from its first to its last letter (a Latin letter, Vietnamese or another
// language's: "(đầu," -> "đầu", "«Hà»" -> "Hà", "01/2024" -> ""); empty when it has none or is
// not well-formed UTF-8.
std::string_view word_letters(std::string_view word);

class VietnameseCorrector {
 public:
  // Loads `dictionary`.aff/.dic (default: Debian's /usr/share/hunspell/vi_VN). Returns nullptr
  // when the files are missing or unreadable (the caller then OCRs without correction).
  static std::unique_ptr<VietnameseCorrector> load(
      const std::filesystem::path& dictionary = "/usr/share/hunspell/vi_VN");
  ~VietnameseCorrector();
  VietnameseCorrector(const VietnameseCorrector&) = delete;
  VietnameseCorrector& operator=(const VietnameseCorrector&) = delete;

  // True when `syllable` (UTF-8, NFC, any case) is a Vietnamese syllable of the dictionary.
  bool is_syllable(std::string_view syllable) const;

  // True when `letters` (UTF-8, any case, with or without marks) are the letters of a syllable
  // of the dictionary once marks are taken off: "duoc", "Duc", "được"; not "Trading".
  bool could_be_bare_syllable(std::string_view letters) const;

  // The words of a page read with "vie+eng" to read again with the Vietnamese model alone, as
  // runs of indexes into `words` (each run side by side on one line, in order). Tesseract tries
  // each word first in the language that won the word before, so after a name read in English it
  // reads Vietnamese with the English model, without marks ("dau giai duoc"). Candidates: words
  // `read_in_english` (one flag per word) whose letters could be a bare syllable, on a page where
  // at least half the words were read in Vietnamese. A run beside a word read in English that
  // cannot be a syllable, with no punctuation between ("Duc Hung Trading", "cua Goethe"), is part
  // of a foreign phrase and left out: the Vietnamese model would add marks to a name spelt
  // without them ("Dục" for "Duc").
  std::vector<std::vector<std::size_t>> runs_to_read_again(
      const std::vector<core::OcrWord>& words, const std::vector<bool>& read_in_english) const;

  // `again` (UTF-8, NFC), a second reading of the word first read as `read` by a model without
  // Vietnamese marks, after correct_word, when it only adds marks: the same letters in the same
  // case once marks are off (core::strip_marks), and a syllable ("dau" -> "đầu", "tu," -> "từ,").
  // std::nullopt when it changes a letter or the case ("van" -> "VAN"), adds nothing, or is no
  // syllable.
  std::optional<std::string> marks_added(std::string_view read, std::string_view again) const;

  // `word` (UTF-8, NFC, one OCR word; leading/trailing punctuation allowed) corrected, or `word`
  // unchanged. Only words that carry a Vietnamese-only letter (ă â đ ê ô ơ ư or a tone mark) or
  // a Latin letter Vietnamese does not use (ö, ï, å, ...) and are not syllables are considered;
  // words with digits or inner punctuation (numbers, codes, dates, "01/2024", "H38-260302") and
  // plain ASCII words (English, abbreviations) are never touched. Each vowel may change its hat
  // (a/ă/â, e/ê, o/ô/ơ, u/ư) and its tone, one letter at a time (d/đ too); the fix is applied
  // only when exactly one valid syllable is nearest. Letter case is kept. Not thread-safe (one
  // corrector per OCR engine).
  std::string correct_word(std::string_view word) const;

 private:
  VietnameseCorrector(std::unique_ptr<Hunspell> hunspell, std::unordered_set<std::string> bare);
  std::unique_ptr<Hunspell> m_hunspell;
  std::unordered_set<std::string> m_bare;  // the syllables folded (core::fold), ASCII letters only
};

}  // namespace sohoa::ocr
