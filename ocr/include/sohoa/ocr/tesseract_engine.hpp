#pragma once
// Tesseract (C++ API) behind core::OcrEngine. One TessBaseAPI per engine, one engine per worker
// thread; OpenMP inside Tesseract must be limited to one thread (the factory sets
// OMP_THREAD_LIMIT=1 unless the caller set it) so that workers, not OpenMP, use the cores.

#include <filesystem>
#include <memory>
#include <string>

#include "sohoa/core/contracts.hpp"

namespace sohoa::ocr {

class TesseractEngineFactory final : public core::OcrEngineFactory {
 public:
  // `languages` like "vie+eng"; `tessdata` empty = Tesseract's default (TESSDATA_PREFIX or the
  // Debian path). Throws core::Fatal when a language's traineddata (or osd) is missing, naming
  // the Debian package (tesseract-ocr-vie, ...).
  explicit TesseractEngineFactory(std::string languages, std::filesystem::path tessdata = {});
  std::unique_ptr<core::OcrEngine> create() const override;
  std::string languages() const override { return m_languages; }

 private:
  std::string m_languages;
  std::filesystem::path m_tessdata;
};

// Tesseract's version string, "5.3.0".
std::string tesseract_version();

}  // namespace sohoa::ocr
