#include "sohoa/core/png.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace sohoa::core {
namespace {

std::uint32_t big_endian32(const std::uint8_t* bytes) {
  return (static_cast<std::uint32_t>(bytes[0]) << 24U) | (static_cast<std::uint32_t>(bytes[1]) << 16U) |
         (static_cast<std::uint32_t>(bytes[2]) << 8U) | bytes[3];
}

}  // namespace

tl::expected<PngStream, std::string> png_stream(const std::vector<std::uint8_t>& png) {
  constexpr std::array<std::uint8_t, 8> signature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (png.size() < signature.size() || !std::equal(signature.begin(), signature.end(), png.begin())) {
    return tl::unexpected(std::string("not a PNG file"));
  }
  PngStream result;
  std::size_t at = signature.size();
  while (at + 12 <= png.size()) {
    const std::size_t length = big_endian32(png.data() + at);
    const std::string_view type(reinterpret_cast<const char*>(png.data() + at + 4), 4);
    const std::uint8_t* data = png.data() + at + 8;
    if (length > png.size() - at - 12) {
      return tl::unexpected(std::string("truncated PNG chunk"));
    }
    if (type == "IHDR") {
      const std::uint8_t colour_type = length == 13 ? data[9] : 0xFF;
      if (length != 13 || data[8] != 8 || (colour_type != 0 && colour_type != 2) || data[12] != 0) {
        return tl::unexpected(std::string("PNG is not 8-bit grey or RGB without interlace"));
      }
      result.width = static_cast<int>(big_endian32(data));
      result.height = static_cast<int>(big_endian32(data + 4));
      result.colours = colour_type == 0 ? 1 : 3;
    } else if (type == "tRNS") {
      result.transparency_key = true;
    } else if (type == "IDAT") {
      result.deflated.insert(result.deflated.end(), data, data + length);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + length;
  }
  if (result.colours == 0 || result.deflated.empty()) {
    return tl::unexpected(std::string("PNG without header or image data"));
  }
  return result;
}

}  // namespace sohoa::core
