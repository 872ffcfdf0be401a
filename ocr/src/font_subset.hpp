#pragma once
// In-memory TrueType subsetting for the PDF text layer (internal to sohoa_ocr).

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace sohoa::ocr {

// A TrueType font cut down to the characters a document shows, ready to embed as a PDF FontFile2.
struct FontSubset {
  std::vector<std::uint8_t> program;         // the font program (sfnt, TrueType outlines)
  std::map<char32_t, std::uint32_t> glyphs;  // character -> glyph id, for the characters it has
  // Metrics in 1/1000 em, from head, hhea and OS/2, for the PDF font descriptor.
  std::array<int, 4> bbox{};  // xMin yMin xMax yMax
  int ascent = 800;
  int descent = -200;
  int cap_height = 700;
};

// Every glyph advance of FontSubset::program is this many 1/1000 em (see font_subset.cpp).
constexpr int k_subset_advance = 500;

// Returns `font` cut down to the characters of `used` (beyond the BMP too) that it has: glyph ids
// are unchanged; the glyf data of every glyph not reachable from them (directly or as a
// composite's component) is dropped, and so is its cmap entry; every glyph advance becomes half an
// em (k_subset_advance); only the tables a PDF viewer needs are kept (no GSUB/GPOS/kern, no glyph
// names, name records 0-6 only). Fails with a message when the font's cmap, head, hhea, maxp,
// loca, glyf or hmtx table is missing or malformed.
tl::expected<FontSubset, std::string> subset_font(const std::vector<std::uint8_t>& font,
                                                  const std::set<char32_t>& used);

}  // namespace sohoa::ocr
