#include "utf8.hpp"

namespace sohoa::ocr {

std::u32string decode_utf8(std::string_view text, bool* valid) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    int extra = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0U) == 0xC0U) {
      extra = 1;
      cp = lead & 0x1FU;
    } else if ((lead & 0xF0U) == 0xE0U) {
      extra = 2;
      cp = lead & 0x0FU;
    } else if ((lead & 0xF8U) == 0xF0U) {
      extra = 3;
      cp = lead & 0x07U;
    } else {
      out.push_back(U'\uFFFD');
      ++pos;
      if (valid != nullptr) {
        *valid = false;
      }
      continue;
    }
    bool well_formed = pos + static_cast<std::size_t>(extra) < text.size();
    for (int idx = 1; well_formed && idx <= extra; ++idx) {
      const auto next = static_cast<unsigned char>(text[pos + static_cast<std::size_t>(idx)]);
      if ((next & 0xC0U) != 0x80U) {
        well_formed = false;
      } else {
        cp = (cp << 6U) | (next & 0x3FU);
      }
    }
    if (!well_formed || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(U'\uFFFD');
      ++pos;
      if (valid != nullptr) {
        *valid = false;
      }
      continue;
    }
    out.push_back(cp);
    pos += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

}  // namespace sohoa::ocr
