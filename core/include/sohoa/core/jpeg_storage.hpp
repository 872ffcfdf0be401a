#pragma once
// How a JPEG is stored in the archive PDF, shared by the pipeline (which encoding of a page is
// the smallest as stored?) and the PDF writer (which stores it so).

#include <cstddef>
#include <cstdint>
#include <span>

namespace sohoa::core {

// A JPEG in the PDF: under /Filter [/FlateDecode /DCTDecode] when Flate makes it at least 3 %
// smaller, else under /DCTDecode alone.
struct JpegStorage {
  bool deflate = false;
  std::size_t bytes = 0;  // as stored (deflated at zlib's default level when `deflate`)
};

// Measures `jpeg` (any bytes; an empty span gives {false, 0}). Deflates it once (~10 ms for
// 500 KB). Thread-safe.
JpegStorage jpeg_storage(std::span<const std::uint8_t> jpeg);

}  // namespace sohoa::core
