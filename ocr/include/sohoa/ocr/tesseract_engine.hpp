#pragma once
// Tesseract (C++ API) behind core::OcrEngine. One TessBaseAPI per engine, one engine per worker
// thread; OpenMP inside Tesseract must be limited to one thread (the factory sets
// OMP_THREAD_LIMIT=1 unless the caller set it) so that workers, not OpenMP, use the cores.
//
// When OMP_THREAD_LIMIT is unset, the factory also makes every OpenMP parallel region run on one
// thread, process-wide (omp_set_max_active_levels(0)), because libgomp read the environment before
// main() and would otherwise run Tesseract's LSTM on 4 threads per engine (5x the CPU per page).

#include <filesystem>
#include <memory>
#include <string>

#include "sohoa/core/contracts.hpp"

namespace sohoa::ocr {

// Engines made by this factory:
//  - recognize(`image`, `dpi`): `image` must be CV_8UC1 (else ocr_failed); `dpi` is clamped to
//    [70, 2400] (0 or absurd values do not fail). Page segmentation is automatic (PSM_AUTO).
//    Words are in reading order with boxes in `image` pixels, confidence 0..100, line and block
//    (Tesseract paragraph) numbers counted over lines/blocks that kept a word; `baseline` is the
//    line's baseline at the word's horizontal centre. Empty/whitespace words are dropped. `text`
//    is NFC: words joined by ' ', lines by '\n', blocks by "\n\n". A blank page is a success
//    with no words, "" and mean_confidence 0.
//  - detect_orientation(`grey`, `dpi`): the CLOCKWISE quarter turn that makes the page upright
//    (a page turned 90 degrees clockwise gives 270). `reliable` is false when Tesseract's OSD
//    finds too little text (about one line or less), for specks and rules, for an empty or
//    non-CV_8UC1 image; then `rotation_deg` should be ignored (it may be 0 or a guess).
//    `confidence` is Tesseract's OSD margin (about 4 for three lines, 10-13 for a full page).
//    The first call loads the "osd" model (about 0.1 s); it throws core::Fatal if that fails.
// Nothing is printed: Tesseract's messages go to /dev/null (its global `debug_file` parameter is
// set once per process) and Leptonica's are switched off.
class TesseractEngineFactory final : public core::OcrEngineFactory {
 public:
  // `languages` like "vie+eng"; `tessdata` empty = Tesseract's default (TESSDATA_PREFIX or the
  // Debian path). Throws core::Fatal when a language's traineddata (or osd) is missing, naming
  // the Debian package (tesseract-ocr-vie, ...), and when `languages` is empty or malformed
  // (names of letters, digits, '_', '-' joined by single '+').
  // `correct_vietnamese`: when `languages` include "vie" and Debian's hunspell-vi is installed,
  // each engine passes every word through VietnameseCorrector::correct_word (invalid syllables
  // with one nearest valid syllable are fixed; numbers, codes and ASCII words never change).
  explicit TesseractEngineFactory(std::string languages, std::filesystem::path tessdata = {},
                                  bool correct_vietnamese = true);
  // A new engine (loads the language models: about 0.5 s). Throws core::Fatal when Tesseract
  // cannot start with them (damaged traineddata). Safe to call from several threads at once.
  std::unique_ptr<core::OcrEngine> create() const override;
  std::string languages() const override { return m_languages; }

 private:
  std::string m_languages;
  std::filesystem::path m_tessdata;  // resolved: the folder holding <lang>.traineddata
  bool m_correct_vietnamese = true;
};

// Tesseract's version string, "5.3.0".
std::string tesseract_version();

}  // namespace sohoa::ocr
