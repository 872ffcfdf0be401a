#pragma once
// In-memory TrueType subsetting for the PDF text layer (internal to sohoa_ocr).

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace sohoa::ocr {

// Returns a copy of the TrueType font `font` whose cmap maps only the characters of `used` that
// the font has (one format-4 (3,1) subtable), and whose horizontal metrics of every glyph not
// reachable from them (directly or as a composite's component) are zero; glyph ids and every
// other table are unchanged. libharu 2.3.0 embeds the glyphs (and writes /W and CIDToGIDMap
// entries for) every character of the cmap, so giving it this font makes the embedded font a
// subset. Characters beyond the BMP are ignored. Fails with a message when the font's cmap,
// head, hhea, maxp, loca, glyf or hmtx table is missing or malformed.
tl::expected<std::vector<std::uint8_t>, std::string> subset_font_cmap(
    const std::vector<std::uint8_t>& font, const std::set<char32_t>& used);

}  // namespace sohoa::ocr
