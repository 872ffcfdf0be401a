#pragma once
// The parts of a PNG file a PDF needs without decoding it, shared by the pipeline (may a scan's
// PNG go into the archive as it is?) and the PDF writer (its IDAT as a FlateDecode stream).

#include <cstdint>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace sohoa::core {

// An 8-bit grey or RGB, non-interlaced PNG: its size, and its zlib stream (the IDAT chunks
// joined), whose PNG-filtered rows FlateDecode with /Predictor 15 reads as they are.
struct PngStream {
  int width = 0;
  int height = 0;
  int colours = 0;  // 1 grey, 3 RGB
  bool transparency_key = false;  // a tRNS chunk (a PDF image would draw the keyed colour)
  std::vector<std::uint8_t> deflated;
};

// `png` as a PngStream; the reason, for a person, when it is not a PNG, is truncated, or is not
// 8-bit grey or RGB without interlace (palette, alpha, 16-bit).
tl::expected<PngStream, std::string> png_stream(const std::vector<std::uint8_t>& png);

}  // namespace sohoa::core
