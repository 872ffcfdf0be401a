#pragma once
// A PNG encoder for rendered pages: 8-bit grey or RGB, one IDAT, no filters (zlib does the work).

#include <cstdint>
#include <span>
#include <string>

namespace sohoa::web {

// `pixels` holds `height` rows of `stride` bytes, each starting with `width` pixels of `channels`
// bytes (1 grey, 3 RGB). Returns the PNG file's bytes. Throws core::Fatal when zlib fails.
std::string encode_png(std::span<const std::uint8_t> pixels, int width, int height, int channels,
                       std::size_t stride);

}  // namespace sohoa::web
