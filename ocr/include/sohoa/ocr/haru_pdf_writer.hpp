#pragma once
// Searchable PDF/A writer on libharu: each page is the archive image at its scanned size, under
// an invisible text layer whose words sit on the image's words; metadata in Info and XMP.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "sohoa/core/contracts.hpp"

namespace sohoa::ocr {

class HaruPdfWriter final : public core::PdfWriter {
 public:
  // `font` is the TrueType (.ttf, glyf outlines) font of the invisible text layer; it should cover
  // Vietnamese. Empty = DejaVu Serif from Debian's fonts-dejavu-core. Each PDF embeds it once,
  // subset to the characters the dossier's text uses (a few KB).
  // `icc_profile` is the RGB ICC profile of the PDF/A output intent. Empty = sRGB from Debian's
  // icc-profiles-free (/usr/share/color/icc/sRGB.icc, ICC v2 as PDF/A-1 wants).
  // Both files are read once, here. Throws core::Fatal when the font is missing or is not a
  // TrueType font, or the profile is missing or not an RGB ICC profile of version 2.
  explicit HaruPdfWriter(std::filesystem::path font = {}, std::filesystem::path icc_profile = {});

  // Writes `dossier` (every page of *dossier.pages, in order) as one PDF/A-1b at `path`: each page is
  // the archive image (JPEG as is; PNG's deflated rows as they are; bilevel as CCITT G4) at width/dpi x height/dpi inches, under
  // invisible text whose words lie on the OCR word boxes; Info (UTF-16 for non-ASCII) and an XMP
  // packet carry the dossier metadata (namespace "urn:sohoa:metadata:1.0:", prefix sohoa), with
  // the archival record of core::archival_fields; an sRGB OutputIntent. The same input (metadata,
  // pages, `dossier.created`) gives the same bytes. Fails, with a message naming the page and libharu's error and
  // detail numbers, when pages is null or empty, a page has no image or a truncated bilevel image,
  // a JPEG is corrupt, a PNG is not 8-bit grey or RGB, the font cannot be loaded, or `path` cannot be written (nothing is written
  // then except, possibly, a partial file the caller removes). Whole PDF is built in memory and
  // saved at the end (libharu). Thread-safe: concurrent calls share nothing.
  tl::expected<void, std::string> write(const core::PdfDossier& dossier,
                                        const std::filesystem::path& path) const override;

 private:
  std::filesystem::path m_font;
  std::vector<std::uint8_t> m_font_bytes;
  std::vector<std::uint8_t> m_icc_bytes;
};

}  // namespace sohoa::ocr
