// Design notes
// - The file is read into memory with std::ifstream and decoded with Leptonica's pixReadMem*
//   functions. Reading the bytes ourselves separates "cannot read the file" (io_error, with
//   strerror) from "cannot decode it" (unreadable), and lets us refuse a zero-byte file before
//   Leptonica guesses at it.
// - The format comes from the magic bytes (findFileFormatBuffer), never from the extension: a
//   text file named .jpg is "not an image", a PNG named .tif is read as PNG. Formats Leptonica
//   knows but we do not take (BMP, GIF, WebP, JPEG 2000, PNM, PostScript, PDF) are `unsupported`.
// - Truncation is an error, never a partial page: Leptonica's JPEG reader fails on libjpeg's
//   "premature end of data" warning unless asked to continue (we do not ask, and check `nwarn`
//   too); libpng fails through its own longjmp inside Leptonica; libtiff fails the strip read.
// - libjpeg and libpng, as Leptonica sets them up, print their messages to stderr with no way to
//   turn them off from outside. So JPEG and PNG files are checked for structural wholeness first
//   (JPEG: marker segments through EOI; PNG: chunk chain through IEND with every CRC) and a
//   truncated or bit-rotten file is refused before it reaches them. What is left is damage
//   inside a whole JPEG's entropy-coded data, which libjpeg may still comment on.
// - Pix -> cv::Mat: 1 bpp becomes 0/255 CV_8UC1 with kind `bilevel` (Leptonica's 1 = black);
//   colormaps are removed; 2/4 bpp are expanded and 16 bpp reduced to 8 (most significant byte);
//   32 bpp becomes BGR CV_8UC3, or grey CV_8UC1 when every pixel has R == G == B (a grey scan
//   saved as colour: smaller archive image, same content); alpha is composited onto white, the
//   colour of paper. Pixel words are read with shifts, so the code does not depend on the host's
//   byte order.
// - Resolution: pixGetXRes. 0 (no pHYs/JFIF density/TIFF tag) or anything outside [50, 4800] dpi
//   is treated as missing: 300 dpi with dpi_assumed = true.
// - Silence: Leptonica prints its errors to stderr, and libtiff prints warnings and errors through
//   process-wide handlers (Leptonica installs none). Both are switched off once, under
//   std::call_once. libtiff's headers are not installed with Leptonica, so its two handler setters
//   are looked up with dlsym in the already loaded libtiff (a dependency of Leptonica).
// - Thread safety: no state besides that one-time setup; every call owns its buffers and Pix.

#include "sohoa/ocr/leptonica_reader.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <leptonica/allheaders.h>

namespace sohoa::ocr {

namespace {

using core::ColourKind;
using core::PageError;
using core::PageImage;
using core::PageOutcome;
using core::PageResult;

constexpr double k_default_dpi = 300.0;
constexpr int k_min_plausible_dpi = 50;
constexpr int k_max_plausible_dpi = 4800;

// libtiff: typedef void (*TIFFErrorHandler)(const char* module, const char* fmt, va_list ap);
using TiffHandler = void (*)(const char*, const char*, va_list);
using TiffSetHandler = TiffHandler (*)(TiffHandler);

void silence_tiff_handler(const char* setter_name) {
  void* symbol = dlsym(RTLD_DEFAULT, setter_name);
  if (symbol == nullptr) {
    return;  // libtiff not loaded: nothing can print through it
  }
  TiffSetHandler setter = nullptr;
  static_assert(sizeof(setter) == sizeof(symbol));
  std::memcpy(&setter, &symbol, sizeof(setter));
  setter(nullptr);
}

void silence_libraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    setMsgSeverity(L_SEVERITY_NONE);
    silence_tiff_handler("TIFFSetWarningHandler");
    silence_tiff_handler("TIFFSetErrorHandler");
  });
}

struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

PageError error(PageOutcome outcome, std::string message) {
  return PageError{outcome, std::move(message)};
}

PageResult<std::vector<std::uint8_t>> read_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return tl::unexpected(error(PageOutcome::io_error, "cannot read: is a directory"));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int saved = errno;
    return tl::unexpected(error(
        PageOutcome::io_error,
        std::string("cannot open: ") + (saved != 0 ? std::strerror(saved) : "unknown error")));
  }
  std::vector<std::uint8_t> bytes;
  std::array<char, 1 << 16> chunk{};
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got));
  }
  if (in.bad()) {
    const int saved = errno;
    return tl::unexpected(
        error(PageOutcome::io_error,
              std::string("cannot read: ") + (saved != 0 ? std::strerror(saved) : "read error")));
  }
  if (bytes.empty()) {
    return tl::unexpected(error(PageOutcome::empty_file, "empty file (0 bytes)"));
  }
  return bytes;
}

enum class Family { jpeg, png, tiff };

struct Format {
  Family family = Family::jpeg;
  std::string_view name;
};

std::string_view other_format_name(int format) {
  switch (format) {
    case IFF_BMP:
      return "BMP";
    case IFF_PNM:
      return "PNM";
    case IFF_PS:
      return "PostScript";
    case IFF_GIF:
      return "GIF";
    case IFF_JP2:
      return "JPEG 2000";
    case IFF_WEBP:
      return "WebP";
    case IFF_LPDF:
      return "PDF";
    case IFF_SPIX:
      return "Leptonica SPIX";
    default:
      return {};
  }
}

PageResult<Format> detect_format(const std::vector<std::uint8_t>& bytes) {
  constexpr std::size_t k_magic_bytes = 12;  // findFileFormatBuffer reads this many
  const std::string_view head(reinterpret_cast<const char*>(bytes.data()),
                              std::min<std::size_t>(bytes.size(), 8));
  if (head.substr(0, 5) == "%PDF-") {
    return tl::unexpected(error(PageOutcome::unsupported,
                                "a PDF file, not a scanned image: export its pages as TIFF, JPEG "
                                "or PNG"));
  }
  if (bytes.size() < k_magic_bytes) {
    return tl::unexpected(
        error(PageOutcome::unreadable,
              "not an image (too short: " + std::to_string(bytes.size()) + " bytes)"));
  }
  l_int32 format = IFF_UNKNOWN;
  if (findFileFormatBuffer(bytes.data(), &format) != 0) {
    format = IFF_UNKNOWN;
  }
  if (format == IFF_JFIF_JPEG) {
    return Format{Family::jpeg, "JPEG"};
  }
  if (format == IFF_PNG) {
    return Format{Family::png, "PNG"};
  }
  if (L_FORMAT_IS_TIFF(format)) {
    return Format{Family::tiff, "TIFF"};
  }
  const std::string_view other = other_format_name(format);
  if (!other.empty()) {
    return tl::unexpected(
        error(PageOutcome::unsupported,
              std::string(other) + " images are not taken: scan to TIFF, JPEG or PNG"));
  }
  return tl::unexpected(
      error(PageOutcome::unreadable, "not an image (unknown format; TIFF, JPEG or PNG expected)"));
}

PageError corrupt(const Format& format) {
  return error(PageOutcome::unreadable, "corrupt or truncated " + std::string(format.name));
}

std::uint32_t read_be32(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24U) | (std::uint32_t{bytes[1]} << 16U) |
         (std::uint32_t{bytes[2]} << 8U) | std::uint32_t{bytes[3]};
}

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t entry = 0; entry < 256; ++entry) {
    std::uint32_t crc = entry;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1U) != 0 ? 0xEDB88320U ^ (crc >> 1U) : crc >> 1U;
    }
    table[entry] = crc;
  }
  return table;
}

// PNG's CRC-32 of `size` bytes at `data`.
std::uint32_t png_crc(const std::uint8_t* data, std::size_t size) {
  static constexpr auto k_table = make_crc_table();
  std::uint32_t crc = 0xFFFFFFFFU;
  for (std::size_t idx = 0; idx < size; ++idx) {
    crc = k_table[(crc ^ data[idx]) & 0xFFU] ^ (crc >> 8U);
  }
  return crc ^ 0xFFFFFFFFU;
}

// True when the PNG's chunk chain is whole up to IEND and every chunk's CRC matches. libpng, as
// Leptonica calls it, prints its errors to stderr: a damaged file must not reach it.
bool png_is_whole(const std::vector<std::uint8_t>& bytes) {
  std::size_t pos = 8;  // signature, already recognised
  while (bytes.size() - pos >= 12) {
    const std::uint32_t length = read_be32(&bytes[pos]);
    if (length > 0x7FFFFFFFU || bytes.size() - pos - 12 < length) {
      return false;
    }
    const std::uint8_t* type = &bytes[pos + 4];
    if (png_crc(type, std::size_t{length} + 4) != read_be32(type + 4 + length)) {
      return false;
    }
    if (std::memcmp(type, "IEND", 4) == 0) {
      return true;
    }
    pos += std::size_t{length} + 12;
  }
  return false;
}

// True when the JPEG's marker structure is whole: SOI, segments, at least one scan, and EOI
// after the entropy-coded data. libjpeg, as Leptonica calls it, prints its warnings and errors to
// stderr: a truncated file must not reach it. (Damage inside the entropy-coded data of a whole
// file still reaches it; Leptonica then fails the page on libjpeg's warning.)
bool jpeg_is_whole(const std::vector<std::uint8_t>& bytes) {
  constexpr std::uint8_t k_marker = 0xFF;
  constexpr std::uint8_t k_soi = 0xD8;
  constexpr std::uint8_t k_eoi = 0xD9;
  constexpr std::uint8_t k_sos = 0xDA;
  const std::size_t size = bytes.size();
  if (size < 4 || bytes[0] != k_marker || bytes[1] != k_soi) {
    return false;
  }
  const auto is_standalone = [](std::uint8_t marker) {
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);  // TEM, RSTn
  };
  bool seen_scan = false;
  std::size_t pos = 2;
  while (pos < size) {
    if (bytes[pos] != k_marker) {
      return false;
    }
    while (pos < size && bytes[pos] == k_marker) {  // fill bytes
      ++pos;
    }
    if (pos >= size) {
      return false;
    }
    const std::uint8_t marker = bytes[pos++];
    if (marker == k_eoi) {
      return seen_scan;
    }
    if (is_standalone(marker)) {
      continue;
    }
    if (size - pos < 2) {
      return false;
    }
    const std::size_t length = (std::size_t{bytes[pos]} << 8U) | bytes[pos + 1];
    if (length < 2 || size - pos < length) {
      return false;
    }
    pos += length;
    if (marker != k_sos) {
      continue;
    }
    seen_scan = true;
    // Entropy-coded data: ends at the first 0xFF that is not stuffing (00), a restart marker or
    // a fill byte.
    for (;;) {
      if (size - pos < 2) {
        return false;
      }
      if (bytes[pos] == k_marker && bytes[pos + 1] != 0x00 && bytes[pos + 1] != k_marker &&
          !is_standalone(bytes[pos + 1])) {
        break;
      }
      ++pos;
    }
  }
  return false;
}

// Whether the bytes are structurally whole for the libraries that print when they are not.
bool is_whole(const std::vector<std::uint8_t>& bytes, const Format& format) {
  switch (format.family) {
    case Family::jpeg:
      return jpeg_is_whole(bytes);
    case Family::png:
      return png_is_whole(bytes);
    case Family::tiff:
      return true;  // libtiff's messages are switched off; it reports failure by status
  }
  return false;
}

// Number of directories (pages) of an in-memory TIFF, or an error.
PageResult<int> tiff_page_count(std::vector<std::uint8_t>& bytes, const Format& format) {
  FILE* stream = fmemopen(bytes.data(), bytes.size(), "rb");
  if (stream == nullptr) {
    return tl::unexpected(error(PageOutcome::io_error,
                                std::string("cannot open memory stream: ") + std::strerror(errno)));
  }
  l_int32 count = 0;
  const l_ok status = tiffGetCount(stream, &count);
  std::fclose(stream);
  if (status != 0 || count <= 0) {
    return tl::unexpected(corrupt(format));
  }
  return static_cast<int>(count);
}

PageResult<int> count_in_buffer(std::vector<std::uint8_t>& bytes, const Format& format) {
  if (!is_whole(bytes, format)) {
    return tl::unexpected(corrupt(format));
  }
  if (format.family == Family::tiff) {
    return tiff_page_count(bytes, format);
  }
  l_int32 file_format = 0;
  l_int32 width = 0;
  l_int32 height = 0;
  if (pixReadHeaderMem(bytes.data(), bytes.size(), &file_format, &width, &height, nullptr, nullptr,
                       nullptr) != 0) {
    return tl::unexpected(corrupt(format));
  }
  if (width <= 0 || height <= 0) {
    return tl::unexpected(error(PageOutcome::unsupported, "image of 0 pixels"));
  }
  return 1;
}

PageResult<PixPtr> decode(std::vector<std::uint8_t>& bytes, const Format& format, int index) {
  PIX* raw = nullptr;
  switch (format.family) {
    case Family::jpeg: {
      l_int32 warnings = 0;
      raw = pixReadMemJpeg(bytes.data(), bytes.size(), 0, 1, &warnings, 0);
      if (raw != nullptr && warnings > 0) {
        pixDestroy(&raw);  // libjpeg filled the missing part with grey
      }
      break;
    }
    case Family::png:
      raw = pixReadMemPng(bytes.data(), bytes.size());
      break;
    case Family::tiff:
      raw = pixReadMemTiff(bytes.data(), bytes.size(), index);
      break;
  }
  if (raw == nullptr) {
    return tl::unexpected(corrupt(format));
  }
  return PixPtr(raw);
}

// Byte `x` of a row of 32-bit host-order words, Leptonica's layout (first pixel in the MSB).
inline std::uint8_t byte_at(const l_uint32* row, int x) {
  const auto index = static_cast<std::size_t>(x);
  return static_cast<std::uint8_t>((row[index >> 2U] >> (8U * (3U - (index & 3U)))) & 0xFFU);
}

inline bool bit_at(const l_uint32* row, int x) {
  const auto index = static_cast<std::size_t>(x);
  return ((row[index >> 5U] >> (31U - (index & 31U))) & 1U) != 0;
}

const l_uint32* row_of(PIX* pix, int y) {
  return pixGetData(pix) + static_cast<std::ptrdiff_t>(y) * pixGetWpl(pix);
}

PageResult<PageImage> to_page_image(PixPtr pix) {
  const int width = pixGetWidth(pix.get());
  const int height = pixGetHeight(pix.get());
  if (width <= 0 || height <= 0) {
    return tl::unexpected(error(PageOutcome::unsupported, "image of 0 pixels"));
  }

  if (pixGetColormap(pix.get()) != nullptr) {
    const l_int32 type =
        pixGetDepth(pix.get()) == 1 ? REMOVE_CMAP_TO_BINARY : REMOVE_CMAP_BASED_ON_SRC;
    PIX* plain = pixRemoveColormap(pix.get(), type);
    if (plain == nullptr) {
      return tl::unexpected(
          error(PageOutcome::unsupported, "palette image that cannot be expanded"));
    }
    pix.reset(plain);
  }

  PageImage image;
  const l_int32 xres = pixGetXRes(pix.get());
  if (xres < k_min_plausible_dpi || xres > k_max_plausible_dpi) {
    image.dpi = k_default_dpi;
    image.dpi_assumed = true;
  } else {
    image.dpi = static_cast<double>(xres);
  }

  const int depth = pixGetDepth(pix.get());
  if (depth == 1) {
    image.kind = ColourKind::bilevel;
    image.pixels.create(height, width, CV_8UC1);
    for (int y = 0; y < height; ++y) {
      const l_uint32* row = row_of(pix.get(), y);
      auto* out = image.pixels.ptr<std::uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        out[x] = bit_at(row, x) ? 0 : 255;
      }
    }
    return image;
  }

  if (depth == 2 || depth == 4 || depth == 16) {
    PIX* eight = depth == 16 ? pixConvert16To8(pix.get(), L_MS_BYTE) : pixConvertTo8(pix.get(), 0);
    if (eight == nullptr) {
      return tl::unexpected(error(PageOutcome::unsupported,
                                  std::to_string(depth) + "-bit image that cannot be reduced"));
    }
    pix.reset(eight);
  }

  if (pixGetDepth(pix.get()) == 8) {
    image.kind = ColourKind::grey;
    image.pixels.create(height, width, CV_8UC1);
    for (int y = 0; y < height; ++y) {
      const l_uint32* row = row_of(pix.get(), y);
      auto* out = image.pixels.ptr<std::uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        out[x] = byte_at(row, x);
      }
    }
    return image;
  }

  if (pixGetDepth(pix.get()) != 32) {
    return tl::unexpected(
        error(PageOutcome::unsupported, std::to_string(pixGetDepth(pix.get())) + "-bit image"));
  }

  if (pixGetSpp(pix.get()) == 4) {
    PIX* opaque = pixAlphaBlendUniform(pix.get(), 0xFFFFFF00U);  // onto white
    if (opaque == nullptr) {
      return tl::unexpected(
          error(PageOutcome::unsupported, "image with alpha that cannot be flattened"));
    }
    pix.reset(opaque);
  }

  bool all_grey = true;
  for (int y = 0; y < height && all_grey; ++y) {
    const l_uint32* row = row_of(pix.get(), y);
    for (int x = 0; x < width; ++x) {
      const l_uint32 word = row[x];
      const l_uint32 red = (word >> 24U) & 0xFFU;
      const l_uint32 green = (word >> 16U) & 0xFFU;
      const l_uint32 blue = (word >> 8U) & 0xFFU;
      if (red != green || green != blue) {
        all_grey = false;
        break;
      }
    }
  }

  if (all_grey) {
    image.kind = ColourKind::grey;
    image.pixels.create(height, width, CV_8UC1);
    for (int y = 0; y < height; ++y) {
      const l_uint32* row = row_of(pix.get(), y);
      auto* out = image.pixels.ptr<std::uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        out[x] = static_cast<std::uint8_t>((row[x] >> 24U) & 0xFFU);
      }
    }
    return image;
  }

  image.kind = ColourKind::colour;
  image.pixels.create(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    const l_uint32* row = row_of(pix.get(), y);
    auto* out = image.pixels.ptr<std::uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      const l_uint32 word = row[x];
      out[3 * x + 0] = static_cast<std::uint8_t>((word >> 8U) & 0xFFU);   // B
      out[3 * x + 1] = static_cast<std::uint8_t>((word >> 16U) & 0xFFU);  // G
      out[3 * x + 2] = static_cast<std::uint8_t>((word >> 24U) & 0xFFU);  // R
    }
  }
  return image;
}

}  // namespace

core::PageResult<int> LeptonicaImageReader::count_pages(const std::filesystem::path& path) const {
  silence_libraries();
  auto bytes = read_bytes(path);
  if (!bytes) {
    return tl::unexpected(bytes.error());
  }
  const auto format = detect_format(*bytes);
  if (!format) {
    return tl::unexpected(format.error());
  }
  return count_in_buffer(*bytes, *format);
}

core::PageResult<core::PageImage> LeptonicaImageReader::read_page(const std::filesystem::path& path,
                                                                  int index) const {
  silence_libraries();
  auto bytes = read_bytes(path);
  if (!bytes) {
    return tl::unexpected(bytes.error());
  }
  const auto format = detect_format(*bytes);
  if (!format) {
    return tl::unexpected(format.error());
  }
  const auto count = count_in_buffer(*bytes, *format);
  if (!count) {
    return tl::unexpected(count.error());
  }
  if (index < 0 || index >= *count) {
    return tl::unexpected(error(PageOutcome::unreadable, "no page " + std::to_string(index + 1) +
                                                             " in the file (it has " +
                                                             std::to_string(*count) + ")"));
  }
  auto pix = decode(*bytes, *format, index);
  if (!pix) {
    return tl::unexpected(pix.error());
  }
  return to_page_image(std::move(*pix));
}

}  // namespace sohoa::ocr
