#pragma once
// Decodes TIFF (multi-page, CCITT G4 included), JPEG and PNG with Leptonica, which also reads the
// file's resolution. Alpha is composited onto white; palette images are expanded; 16-bit depth is
// reduced to 8.

#include "sohoa/core/contracts.hpp"

namespace sohoa::ocr {

class LeptonicaImageReader final : public core::ImageReader {
 public:
  core::PageResult<int> count_pages(const std::filesystem::path& path) const override;
  core::PageResult<core::PageImage> read_page(const std::filesystem::path& path,
                                              int index) const override;
};

}  // namespace sohoa::ocr
