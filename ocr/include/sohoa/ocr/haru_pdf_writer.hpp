#pragma once
// Searchable PDF/A writer on libharu: each page is the archive image at its scanned size, under
// an invisible text layer whose words sit on the image's words; metadata in Info and XMP.

#include <filesystem>

#include "sohoa/core/contracts.hpp"

namespace sohoa::ocr {

class HaruPdfWriter final : public core::PdfWriter {
 public:
  // `font` is the TrueType font of the text layer (it must cover Vietnamese); empty = DejaVu Sans
  // from Debian's fonts-dejavu-core. Throws core::Fatal when the font is missing.
  explicit HaruPdfWriter(std::filesystem::path font = {});
  tl::expected<void, std::string> write(const core::PdfDossier& dossier,
                                        const std::filesystem::path& path) const override;

 private:
  std::filesystem::path m_font;
};

}  // namespace sohoa::ocr
