#pragma once
// The contracts the modules meet through. pipeline's Runner sees only these; apps/ wire the
// concrete classes (Tesseract engine, libharu writer, Leptonica reader) in.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "sohoa/core/errors.hpp"
#include "sohoa/core/types.hpp"

namespace sohoa::core {

// Decodes page images. Implementations are stateless: `const` calls are safe from any thread.
class ImageReader {
 public:
  virtual ~ImageReader() = default;
  // Number of pages in the file at `path` (1 for JPEG/PNG, n for a multi-page TIFF).
  // Fails with empty_file, unreadable (corrupt, truncated, not an image), unsupported or io_error.
  virtual PageResult<int> count_pages(const std::filesystem::path& path) const = 0;
  // Page `index` (0-based) of the file. Same failures as count_pages.
  virtual PageResult<PageImage> read_page(const std::filesystem::path& path, int index) const = 0;
};

struct OrientationGuess {
  int rotation_deg = 0;      // clockwise turn that makes the page upright: 0, 90, 180 or 270
  double confidence = 0.0;   // engine-specific; `reliable` is what callers should use
  bool reliable = false;     // enough text to trust `rotation_deg`
};

// One OCR engine. NOT thread-safe: each worker thread owns one, created by the factory on that
// thread, used only there.
class OcrEngine {
 public:
  virtual ~OcrEngine() = default;
  // Which quarter turn makes `grey` (CV_8UC1, text lines already horizontal) upright.
  virtual OrientationGuess detect_orientation(const cv::Mat& grey, double dpi) = 0;
  // Recognises `image` (CV_8UC1, upright, deskewed) scanned at `dpi`. Word boxes are in
  // `image` pixels. Fails with ocr_failed and the engine's reason.
  virtual PageResult<OcrPage> recognize(const cv::Mat& image, double dpi) = 0;
};

class OcrEngineFactory {
 public:
  virtual ~OcrEngineFactory() = default;
  // A new engine for the calling thread. Throws Fatal when the engine cannot start at all
  // (missing language data: the message names the Debian package to install).
  virtual std::unique_ptr<OcrEngine> create() const = 0;
  // "vie+eng"
  virtual std::string languages() const = 0;
};

// What goes into one dossier's PDF.
struct PdfDossier {
  DossierMeta meta;
  const std::vector<ProcessedPage>* pages = nullptr;  // archived pages only, in order; not owned
  std::string languages;                              // OCR languages, "vie+eng"
  std::string producer;                               // "sohoa 0.1.0"
  std::chrono::system_clock::time_point created;      // creation and modification date
};

// Writes searchable PDF/A files. Stateless: `const` calls are safe from any thread.
class PdfWriter {
 public:
  virtual ~PdfWriter() = default;
  // Writes the whole PDF to `path` (the caller's temporary file; the caller commits it).
  // Returns the error text on failure; `path` may then hold garbage the caller removes.
  virtual tl::expected<void, std::string> write(const PdfDossier& dossier,
                                                const std::filesystem::path& path) const = 0;
};

}  // namespace sohoa::core
