#include "haru_support.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <hpdf_doc.h>
#include <hpdf_fontdef.h>

namespace sohoa::ocr::haru {

namespace {

// A ToUnicode CMap for 2-byte codes whose mapping is `blocks` (each "N beginbf... endbf...").
std::string to_unicode_cmap_with(const std::string& blocks) {
  return "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
         "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
         "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
         "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
         blocks + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

// `entries` in blocks of at most 100 (the CMap limit), each "count begin<kind> ... end<kind>".
std::string cmap_blocks(const std::vector<std::string>& entries, const std::string& kind) {
  std::string out;
  for (std::size_t start = 0; start < entries.size(); start += 100) {
    const std::size_t count = std::min<std::size_t>(100, entries.size() - start);
    out += std::to_string(count) + " begin" + kind + "\n";
    for (std::size_t idx = start; idx < start + count; ++idx) {
      out += entries[idx];
    }
    out += "end" + kind + "\n";
  }
  return out;
}

}  // namespace

// Identity ToUnicode CMap for 2-byte codes that are UTF-16 code units (surrogates left out).
// bfrange entries may only differ in their last byte.
std::string identity_to_unicode_cmap() {
  std::vector<std::string> ranges;
  for (unsigned high = 0; high <= 0xFF; ++high) {
    if (high >= 0xD8 && high <= 0xDF) {
      continue;
    }
    std::array<char, 40> line{};
    std::snprintf(line.data(), line.size(), "<%02X00> <%02XFF> <%02X00>\n", high, high, high);
    ranges.emplace_back(line.data());
  }
  return to_unicode_cmap_with(cmap_blocks(ranges, "bfrange"));
}

std::string to_unicode_cmap(const std::map<std::uint32_t, char32_t>& codes) {
  std::vector<std::string> entries;
  for (const auto& [code, ch] : codes) {
    std::array<char, 40> line{};
    const auto value = static_cast<std::uint32_t>(ch);
    if (value >= 0x10000) {
      const std::uint32_t offset = value - 0x10000;
      std::snprintf(line.data(), line.size(), "<%04X> <%04X%04X>\n", code, 0xD800U + (offset >> 10U),
                    0xDC00U + (offset & 0x3FFU));
    } else {
      std::snprintf(line.data(), line.size(), "<%04X> <%04X>\n", code, value);
    }
    entries.emplace_back(line.data());
  }
  return to_unicode_cmap_with(cmap_blocks(entries, "bfchar"));
}

void record_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* state = static_cast<ErrorState*>(user_data);
  if (state != nullptr && state->error_no == HPDF_OK) {
    state->error_no = error_no;
    state->detail_no = detail_no;
  }
}

HPDF_Font load_utf8_font(HPDF_Doc doc, const std::string& path) {
  const char* name = HPDF_LoadTTFontFromFile(doc, path.c_str(), HPDF_TRUE);
  if (name == nullptr) {
    return nullptr;
  }
  HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
  if (font == nullptr) {
    return nullptr;
  }
  // libharu 2.3.0 embeds only the glyphs it marked as used, and follows a composite glyph's
  // components one level deep: DejaVu's "ấ" (a + a composite circumflex-acute) lost its marks.
  // Marking every glyph embeds the whole font (~300 KB compressed), which a report can afford.
  HPDF_FontDef definition = HPDF_Doc_FindFontDef(doc, name);
  if (definition == nullptr || definition->attr == nullptr) {
    return nullptr;
  }
  auto* attributes = static_cast<HPDF_TTFontDefAttr>(definition->attr);
  if (attributes->glyph_tbl.flgs != nullptr) {
    std::fill(attributes->glyph_tbl.flgs, attributes->glyph_tbl.flgs + attributes->num_glyphs, 1);
  }
  auto* cmap = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT));
  if (cmap == nullptr || cmap->stream == nullptr) {
    return nullptr;
  }
  HPDF_MemStream_FreeData(cmap->stream);
  const std::string text = identity_to_unicode_cmap();
  if (HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                        static_cast<HPDF_UINT>(text.size())) != HPDF_OK) {
    return nullptr;
  }
  return font;
}

std::string truetype_problem(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return "cannot be read";
  }
  auto u16 = [&bytes](std::size_t at) -> std::uint32_t {
    return (std::uint32_t{bytes[at]} << 8U) | bytes[at + 1];
  };
  auto u32 = [&u16](std::size_t at) -> std::uint32_t { return (u16(at) << 16U) | u16(at + 2); };
  if (bytes.size() < 12) {
    return "too short";
  }
  const std::uint32_t version = u32(0);
  if (version != 0x00010000U && version != 0x74727565U /* 'true' */) {
    return "no TrueType header (CFF .otf and .ttc collections are not supported)";
  }
  const std::size_t tables = u16(4);
  if (bytes.size() < 12 + tables * 16) {
    return "truncated table directory";
  }
  std::vector<std::string> found;
  for (std::size_t idx = 0; idx < tables; ++idx) {
    const std::size_t record = 12 + idx * 16;
    const std::uint64_t offset = u32(record + 8);
    const std::uint64_t length = u32(record + 12);
    if (offset + length > bytes.size()) {
      return "truncated (a table lies past the end of the file)";
    }
    found.emplace_back(reinterpret_cast<const char*>(&bytes[record]), 4);
  }
  for (const char* tag : {"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"}) {
    if (std::find(found.begin(), found.end(), tag) == found.end()) {
      return std::string("no '") + tag + "' table";
    }
  }
  return {};
}

}  // namespace sohoa::ocr::haru
