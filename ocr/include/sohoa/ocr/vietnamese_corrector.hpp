#pragma once
// Vietnamese-aware clean-up of OCR words. Vietnamese is written in a closed set of syllables
// (Debian's hunspell-vi lists them); a word with Vietnamese marks outside that set is an OCR
// error. The corrector fixes such a word only when one nearest valid syllable stands out, and
// keeps the original otherwise.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

class Hunspell;

namespace sohoa::ocr {

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
