// Design notes
// - No row filters: page renders are mostly flat paper and ink, which deflate packs well as is,
//   and the filter search would cost more time than the bytes it saves on a thumbnail.
// - zlib level 6 (its default): level 9 gained ~3 % on page renders for twice the time.

#include "png.hpp"

#include <array>
#include <vector>

#include <zlib.h>

#include "sohoa/core/errors.hpp"

namespace sohoa::web {
namespace {

void put_u32(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>((value >> 24U) & 0xFFU));
  out.push_back(static_cast<char>((value >> 16U) & 0xFFU));
  out.push_back(static_cast<char>((value >> 8U) & 0xFFU));
  out.push_back(static_cast<char>(value & 0xFFU));
}

void put_chunk(std::string& out, const char* type, const std::string& data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.append(type, 4);
  out += data;
  const auto* bytes = reinterpret_cast<const Bytef*>(out.data() + start);
  put_u32(out, static_cast<std::uint32_t>(crc32(0L, bytes, static_cast<uInt>(out.size() - start))));
}

}  // namespace

std::string encode_png(std::span<const std::uint8_t> pixels, int width, int height, int channels,
                       std::size_t stride) {
  const auto row_bytes = static_cast<std::size_t>(width) * static_cast<std::size_t>(channels);
  std::vector<std::uint8_t> raw;
  raw.reserve((row_bytes + 1) * static_cast<std::size_t>(height));
  for (int row = 0; row < height; ++row) {
    raw.push_back(0);  // filter type: none
    const auto* begin = pixels.data() + static_cast<std::size_t>(row) * stride;
    raw.insert(raw.end(), begin, begin + row_bytes);
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, raw.data(),
                static_cast<uLong>(raw.size()), Z_DEFAULT_COMPRESSION) != Z_OK) {
    throw core::Fatal("cannot compress a page image");
  }
  packed.resize(packed_size);

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  put_u32(header, static_cast<std::uint32_t>(width));
  put_u32(header, static_cast<std::uint32_t>(height));
  header.push_back(8);                                // bit depth
  header.push_back(static_cast<char>(channels == 1 ? 0 : 2));  // grey or RGB
  header.append(3, '\0');                             // deflate, filter set 0, no interlace
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", packed);
  put_chunk(png, "IEND", {});
  return png;
}

}  // namespace sohoa::web
