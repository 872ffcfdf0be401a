#pragma once
// Searchable PDF/A writer on libharu: each page is the archive image at its scanned size, under
// an invisible text layer whose words sit on the image's words; metadata in Info and XMP.

#include <filesystem>

#include "sohoa/core/contracts.hpp"

namespace sohoa::ocr {

class HaruPdfWriter final : public core::PdfWriter {
 public:
  // `font` is the TrueType (.ttf, glyf outlines) font of the invisible text layer; it should cover
  // Vietnamese. Empty = DejaVu Serif from Debian's fonts-dejavu-core (the smallest
  // Vietnamese-complete font there: ~60 KB per PDF, as libharu 2.3.0 embeds it nearly whole).
  // Throws core::Fatal when the font is missing or is not a TrueType font.
  explicit HaruPdfWriter(std::filesystem::path font = {});

  // Writes `dossier` (every page of *dossier.pages, in order) as one PDF at `path`: each page is
  // the archive image (JPEG as is; bilevel as CCITT G4) at width/dpi x height/dpi inches, under
  // invisible text whose words lie on the OCR word boxes; Info (UTF-16 for non-ASCII) and an XMP
  // packet carry the dossier metadata (namespace "urn:sohoa:metadata:1.0:", prefix sohoa). The
  // same input gives the same bytes. Fails, with a message naming the page and libharu's error and
  // detail numbers, when pages is null or empty, a page has no image or a truncated bilevel image,
  // a JPEG is corrupt, the font cannot be loaded, or `path` cannot be written (nothing is written
  // then except, possibly, a partial file the caller removes). Whole PDF is built in memory and
  // saved at the end (libharu). Thread-safe: concurrent calls share nothing.
  tl::expected<void, std::string> write(const core::PdfDossier& dossier,
                                        const std::filesystem::path& path) const override;

 private:
  std::filesystem::path m_font;
};

}  // namespace sohoa::ocr
