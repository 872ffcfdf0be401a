#pragma once
// Decodes TIFF (multi-page, CCITT G4 included), JPEG and PNG with Leptonica, which also reads the
// file's resolution. Alpha is composited onto white; palette images are expanded; 16-bit depth is
// reduced to 8.

#include "sohoa/core/contracts.hpp"

namespace sohoa::ocr {

// The format is found from the file's first bytes, not its extension.
//
// read_page returns:
//  - bilevel pages (1 bit per pixel) as CV_8UC1 0 (black) / 255 (white), kind `bilevel`;
//  - grey, palette-less 2/4/8/16-bit pages as CV_8UC1, kind `grey`;
//  - colour pages as CV_8UC3 BGR, kind `colour`, except when every pixel has R == G == B: then
//    CV_8UC1, kind `grey`. Palette images become grey or colour by their palette's colours;
//    alpha is composited onto white;
//  - `dpi` = the file's horizontal resolution; when it has none, or one outside [50, 4800], 300
//    with `dpi_assumed` = true.
// Failures (PageError::message is for a person and never contains the path):
//  - empty_file "empty file (0 bytes)";
//  - io_error "cannot open: <strerror>" (missing file, no permission, a directory);
//  - unreadable "not an image (...)" for unknown content, "corrupt or truncated JPEG|PNG|TIFF"
//    when decoding fails (a truncated JPEG is an error, never a half-grey page), "no page N in
//    the file (it has M)" for an `index` out of range;
//  - unsupported for images of a format we do not take (BMP, GIF, WebP, JPEG 2000, PNM, PDF...).
// count_pages reads only the headers of JPEG and PNG files (1 page) and the directory chain of
// TIFF files, so damage inside the image data is reported by read_page.
//
// Threading: stateless; both calls are safe from any number of threads. Leptonica's and
// libtiff's messages are switched off process-wide on first use (they would go to stderr).
class LeptonicaImageReader final : public core::ImageReader {
 public:
  core::PageResult<int> count_pages(const std::filesystem::path& path) const override;
  core::PageResult<core::PageImage> read_page(const std::filesystem::path& path,
                                              int index) const override;
};

}  // namespace sohoa::ocr
