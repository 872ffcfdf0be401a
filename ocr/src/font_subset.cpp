// Design notes
// ------------
// * Not a renumbering subsetter: glyph ids stay as in the font, so the PDF's CIDToGIDMap can point
//   at them directly; glyphs the document does not use keep a loca entry but no glyf data, and
//   their hmtx side bearings are zeroed (zeros compress to almost nothing). What is left of DejaVu
//   Serif for a page of Vietnamese is a few KB once Flate-compressed.
// * Every advance is half an em. The text layer is invisible and stretches each word to its OCR
//   box with the horizontal scaling anyway, so real advances would only make the arithmetic
//   depend on the glyphs; equal ones make a word n/2 em wide before scaling, the PDF's widths a
//   single /DW 500 (consistent with the font program, as PDF/A-1 6.3.6 wants), and each
//   character of a word an equal share of its box.
// * Tables: only those a viewer reads from an embedded TrueType program (cmap narrowed to the
//   used characters, glyf, head, hhea, hmtx, loca, maxp) plus OS/2, name (records 0-6: no licence
//   text) and post (format 3: no glyph names, 34 KB in DejaVu Serif). No hinting: cvt, fpgm,
//   prep and each glyph's instructions go (hinting only sharpens small glyphs on screen, and these
//   are never drawn); measured on a 3-page Vietnamese form dossier, the compressed program fell
//   from 15.5 KB to 7.5 KB).
// * The table directory is rewritten with 4-byte aligned tables and correct checksums;
//   head.checkSumAdjustment is recomputed, so the font is a valid sfnt for any reader.

#include "font_subset.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <map>
#include <optional>
#include <string_view>

namespace sohoa::ocr {

namespace {

using Bytes = std::vector<std::uint8_t>;

struct Table {
  std::uint32_t tag = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

std::uint32_t make_tag(std::string_view text) {
  return (std::uint32_t{static_cast<unsigned char>(text[0])} << 24U) |
         (std::uint32_t{static_cast<unsigned char>(text[1])} << 16U) |
         (std::uint32_t{static_cast<unsigned char>(text[2])} << 8U) |
         std::uint32_t{static_cast<unsigned char>(text[3])};
}

class Reader {
 public:
  explicit Reader(const Bytes& bytes) : m_bytes(bytes) {}
  bool has(std::size_t at, std::size_t count) const {
    return at <= m_bytes.size() && count <= m_bytes.size() - at;
  }
  std::uint32_t u16(std::size_t at) const {
    return (std::uint32_t{m_bytes[at]} << 8U) | m_bytes[at + 1];
  }
  std::uint32_t u32(std::size_t at) const { return (u16(at) << 16U) | u16(at + 2); }

 private:
  const Bytes& m_bytes;
};

void put16(Bytes& out, std::uint32_t value) {
  out.push_back(static_cast<std::uint8_t>((value >> 8U) & 0xFFU));
  out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
}

void put32(Bytes& out, std::uint32_t value) {
  put16(out, value >> 16U);
  put16(out, value & 0xFFFFU);
}

void set16(Bytes& out, std::size_t at, std::uint32_t value) {
  out[at] = static_cast<std::uint8_t>((value >> 8U) & 0xFFU);
  out[at + 1] = static_cast<std::uint8_t>(value & 0xFFU);
}

std::uint32_t checksum(const Bytes& data) {
  std::uint32_t sum = 0;
  for (std::size_t at = 0; at < data.size(); at += 4) {
    std::uint32_t word = 0;
    for (std::size_t idx = 0; idx < 4; ++idx) {
      word = (word << 8U) | (at + idx < data.size() ? data[at + idx] : 0U);
    }
    sum += word;
  }
  return sum;
}

// Unicode -> glyph id from the font's (3,1) format-4 or (3,10)/(0,x) format-12 subtable.
std::optional<std::map<char32_t, std::uint32_t>> read_cmap(const Bytes& font, const Table& cmap,
                                                           const std::set<char32_t>& used) {
  const Reader in(font);
  if (!in.has(cmap.offset, 4)) {
    return std::nullopt;
  }
  const std::uint32_t count = in.u16(cmap.offset + 2);
  std::optional<std::size_t> format4;
  std::optional<std::size_t> format12;
  for (std::uint32_t idx = 0; idx < count; ++idx) {
    const std::size_t rec = cmap.offset + 4 + idx * 8;
    if (!in.has(rec, 8)) {
      return std::nullopt;
    }
    const std::size_t sub = cmap.offset + in.u32(rec + 4);
    if (!in.has(sub, 8)) {
      continue;
    }
    const std::uint32_t platform = in.u16(rec);
    const std::uint32_t format = in.u16(sub);
    if (format == 4 && (platform == 3 || platform == 0)) {
      format4 = sub;
    } else if (format == 12 && (platform == 3 || platform == 0)) {
      format12 = sub;
    }
  }
  std::map<char32_t, std::uint32_t> out;
  if (format12) {
    const std::size_t sub = *format12;
    const std::uint32_t groups = in.u32(sub + 12);
    if (!in.has(sub + 16, std::size_t{groups} * 12)) {
      return std::nullopt;
    }
    for (char32_t ch : used) {
      for (std::uint32_t group = 0; group < groups; ++group) {
        const std::size_t at = sub + 16 + std::size_t{group} * 12;
        const std::uint32_t start = in.u32(at);
        const std::uint32_t end = in.u32(at + 4);
        if (ch >= start && ch <= end) {
          out[ch] = in.u32(at + 8) + (ch - start);
          break;
        }
      }
    }
    return out;
  }
  if (!format4) {
    return std::nullopt;
  }
  const std::size_t sub = *format4;
  const std::uint32_t segments = in.u16(sub + 6) / 2;
  const std::size_t ends = sub + 14;
  const std::size_t starts = ends + std::size_t{segments} * 2 + 2;
  const std::size_t deltas = starts + std::size_t{segments} * 2;
  const std::size_t range_offsets = deltas + std::size_t{segments} * 2;
  if (!in.has(ends, std::size_t{segments} * 8 + 2)) {
    return std::nullopt;
  }
  for (char32_t ch : used) {
    if (ch > 0xFFFF) {
      continue;
    }
    for (std::uint32_t seg = 0; seg < segments; ++seg) {
      const std::uint32_t end = in.u16(ends + seg * 2);
      if (ch > end) {
        continue;
      }
      const std::uint32_t start = in.u16(starts + seg * 2);
      if (ch < start) {
        break;
      }
      const std::uint32_t delta = in.u16(deltas + seg * 2);
      const std::uint32_t range_offset = in.u16(range_offsets + seg * 2);
      std::uint32_t glyph = 0;
      if (range_offset == 0) {
        glyph = (ch + delta) & 0xFFFFU;
      } else {
        const std::size_t at = range_offsets + seg * 2 + range_offset + (ch - start) * 2;
        if (!in.has(at, 2)) {
          return std::nullopt;
        }
        glyph = in.u16(at);
        if (glyph != 0) {
          glyph = (glyph + delta) & 0xFFFFU;
        }
      }
      if (glyph != 0) {
        out[ch] = glyph;
      }
      break;
    }
  }
  return out;
}

// A (3,1) format-4 cmap with one segment per character (plus the final 0xFFFF segment).
Bytes build_cmap(const std::map<char32_t, std::uint32_t>& mapping) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> entries;
  for (const auto& [ch, glyph] : mapping) {
    if (ch <= 0xFFFE) {
      entries.emplace_back(static_cast<std::uint32_t>(ch), glyph);
    }
  }
  const auto segments = static_cast<std::uint32_t>(entries.size() + 1);
  std::uint32_t search_range = 2;
  std::uint32_t entry_selector = 0;
  while (search_range * 2 <= segments * 2) {
    search_range *= 2;
    ++entry_selector;
  }
  Bytes sub;
  put16(sub, 4);
  put16(sub, 0);  // length, set below
  put16(sub, 0);  // language
  put16(sub, segments * 2);
  put16(sub, search_range);
  put16(sub, entry_selector);
  put16(sub, segments * 2 - search_range);
  for (const auto& entry : entries) {
    put16(sub, entry.first);
  }
  put16(sub, 0xFFFF);
  put16(sub, 0);  // reservedPad
  for (const auto& entry : entries) {
    put16(sub, entry.first);
  }
  put16(sub, 0xFFFF);
  for (const auto& [ch, glyph] : entries) {
    put16(sub, (glyph - ch) & 0xFFFFU);
  }
  put16(sub, 1);
  for (std::size_t idx = 0; idx < segments; ++idx) {
    put16(sub, 0);
  }
  set16(sub, 2, static_cast<std::uint32_t>(sub.size()));
  Bytes cmap;
  put16(cmap, 0);  // version
  put16(cmap, 1);  // one subtable
  put16(cmap, 3);
  put16(cmap, 1);
  put32(cmap, 12);
  cmap.insert(cmap.end(), sub.begin(), sub.end());
  return cmap;
}

// The `name` table with only the records of name ids 0 to 6; unchanged when malformed.
Bytes trim_name_table(const Bytes& table) {
  const Reader in(table);
  if (!in.has(0, 6)) {
    return table;
  }
  const std::uint32_t count = in.u16(2);
  const std::uint32_t storage = in.u16(4);
  if (!in.has(6, std::size_t{count} * 12)) {
    return table;
  }
  std::vector<std::array<std::uint32_t, 6>> kept;  // platform, encoding, language, id, length, offset
  for (std::uint32_t idx = 0; idx < count; ++idx) {
    const std::size_t rec = 6 + std::size_t{idx} * 12;
    const std::array<std::uint32_t, 6> record = {in.u16(rec),     in.u16(rec + 2), in.u16(rec + 4),
                                                 in.u16(rec + 6), in.u16(rec + 8), in.u16(rec + 10)};
    if (record[3] <= 6 && in.has(storage + record[5], record[4])) {
      kept.push_back(record);
    }
  }
  Bytes out;
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(kept.size()));
  put16(out, static_cast<std::uint32_t>(6 + kept.size() * 12));
  Bytes strings;
  for (const auto& record : kept) {
    for (std::size_t idx = 0; idx < 4; ++idx) {
      put16(out, record[idx]);
    }
    put16(out, record[4]);
    put16(out, static_cast<std::uint32_t>(strings.size()));
    strings.insert(strings.end(), table.begin() + storage + record[5], table.begin() + storage + record[5] + record[4]);
  }
  out.insert(out.end(), strings.begin(), strings.end());
  return out;
}

// Bytes of one composite-glyph component record with `flags`: flags and glyph index, the two
// arguments (words or bytes), then a scale, an x and y scale, or a 2x2 matrix, or nothing.
std::size_t component_size(std::uint32_t flags) {
  std::size_t size = 4 + ((flags & 0x0001U) != 0 ? 4 : 2);
  if ((flags & 0x0008U) != 0) {
    size += 2;
  } else if ((flags & 0x0040U) != 0) {
    size += 4;
  } else if ((flags & 0x0080U) != 0) {
    size += 8;
  }
  return size;
}

// `glyph` (one glyf entry) without its hinting instructions; unchanged when malformed.
Bytes without_instructions(const Bytes& glyph) {
  const Reader in(glyph);
  if (!in.has(0, 10)) {
    return glyph;
  }
  const auto contours = static_cast<std::int16_t>(in.u16(0));
  if (contours >= 0) {
    // Simple glyph: header, endPtsOfContours[n], instructionLength, instructions, flags, points.
    const std::size_t length_at = 10 + static_cast<std::size_t>(contours) * 2;
    if (!in.has(length_at, 2) || !in.has(length_at + 2, in.u16(length_at))) {
      return glyph;
    }
    Bytes out(glyph.begin(), glyph.begin() + static_cast<std::ptrdiff_t>(length_at));
    put16(out, 0);
    out.insert(out.end(), glyph.begin() + static_cast<std::ptrdiff_t>(length_at + 2 + in.u16(length_at)),
               glyph.end());
    return out;
  }
  // Composite glyph: components, then instructions when the last one has WE_HAVE_INSTRUCTIONS.
  std::size_t at = 10;
  while (in.has(at, 4)) {
    const std::uint32_t flags = in.u16(at);
    const std::size_t flags_at = at;
    at += component_size(flags);
    if ((flags & 0x0020U) == 0) {
      if ((flags & 0x0100U) == 0 || at > glyph.size()) {
        return glyph;
      }
      Bytes out(glyph.begin(), glyph.begin() + static_cast<std::ptrdiff_t>(at));
      set16(out, flags_at, flags & ~0x0100U);
      return out;
    }
  }
  return glyph;
}

}  // namespace

tl::expected<FontSubset, std::string> subset_font(const std::vector<std::uint8_t>& font,
                                                  const std::set<char32_t>& used) {
  const Reader in(font);
  if (!in.has(0, 12)) {
    return tl::unexpected(std::string("font is too short"));
  }
  const std::uint32_t count = in.u16(4);
  if (!in.has(12, std::size_t{count} * 16)) {
    return tl::unexpected(std::string("font table directory is truncated"));
  }
  std::map<std::uint32_t, Table> tables;
  for (std::uint32_t idx = 0; idx < count; ++idx) {
    const std::size_t rec = 12 + std::size_t{idx} * 16;
    Table table{in.u32(rec), in.u32(rec + 8), in.u32(rec + 12)};
    if (!in.has(table.offset, table.length)) {
      return tl::unexpected(std::string("a font table lies outside the file"));
    }
    tables[table.tag] = table;
  }
  for (const char* name : {"cmap", "head", "hhea", "maxp", "loca", "glyf", "hmtx"}) {
    if (tables.count(make_tag(name)) == 0) {
      return tl::unexpected(std::string("font has no ") + name + " table");
    }
  }
  const Table& head = tables[make_tag("head")];
  const Table& hhea = tables[make_tag("hhea")];
  const Table& maxp = tables[make_tag("maxp")];
  const Table& loca = tables[make_tag("loca")];
  const Table& glyf = tables[make_tag("glyf")];
  const Table& hmtx = tables[make_tag("hmtx")];
  if (head.length < 54 || hhea.length < 36 || maxp.length < 6) {
    return tl::unexpected(std::string("font head, hhea or maxp table is truncated"));
  }
  const std::uint32_t glyphs = in.u16(maxp.offset + 4);
  const bool long_loca = in.u16(head.offset + 50) != 0;
  const std::uint32_t metrics = in.u16(hhea.offset + 34);
  if (loca.length < (std::size_t{glyphs} + 1) * (long_loca ? 4 : 2) || metrics == 0 ||
      metrics > glyphs || hmtx.length < std::size_t{metrics} * 4 + std::size_t{glyphs - metrics} * 2) {
    return tl::unexpected(std::string("font loca or hmtx table is truncated"));
  }
  const auto mapping = read_cmap(font, tables[make_tag("cmap")], used);
  if (!mapping) {
    return tl::unexpected(std::string("font has no usable Unicode cmap"));
  }

  // Glyphs to keep: 0, the mapped ones, and composite components, transitively.
  auto glyph_range = [&](std::uint32_t glyph) -> std::pair<std::size_t, std::size_t> {
    const std::size_t start = long_loca ? in.u32(loca.offset + glyph * 4) : in.u16(loca.offset + glyph * 2) * 2;
    const std::size_t end =
        long_loca ? in.u32(loca.offset + (glyph + 1) * 4) : in.u16(loca.offset + (glyph + 1) * 2) * 2;
    return {start, end};
  };
  std::vector<bool> keep(glyphs, false);
  std::vector<std::uint32_t> todo{0};
  for (const auto& entry : *mapping) {
    todo.push_back(entry.second);
  }
  while (!todo.empty()) {
    const std::uint32_t glyph = todo.back();
    todo.pop_back();
    if (glyph >= glyphs || keep[glyph]) {
      continue;
    }
    keep[glyph] = true;
    const auto [start, end] = glyph_range(glyph);
    if (end < start + 10 || !in.has(glyf.offset + start, end - start)) {
      continue;
    }
    const std::size_t base = glyf.offset + start;
    if (static_cast<std::int16_t>(in.u16(base)) >= 0) {
      continue;  // simple glyph
    }
    std::size_t at = base + 10;
    while (in.has(at, 4) && at + 4 <= glyf.offset + end) {
      const std::uint32_t flags = in.u16(at);
      todo.push_back(in.u16(at + 2));
      at += component_size(flags);
      if ((flags & 0x0020U) == 0) {
        break;
      }
    }
  }

  // glyf and loca: the kept glyphs' data, every other glyph empty; long (4-byte) offsets.
  Bytes new_glyf;
  Bytes new_loca;
  for (std::uint32_t glyph = 0; glyph < glyphs; ++glyph) {
    put32(new_loca, static_cast<std::uint32_t>(new_glyf.size()));
    const auto [start, end] = glyph_range(glyph);
    if (keep[glyph] && end > start && in.has(glyf.offset + start, end - start)) {
      const Bytes data = without_instructions(
          Bytes(font.begin() + glyf.offset + start, font.begin() + glyf.offset + end));
      new_glyf.insert(new_glyf.end(), data.begin(), data.end());
      new_glyf.resize((new_glyf.size() + 3) / 4 * 4, 0);
    }
  }
  put32(new_loca, static_cast<std::uint32_t>(new_glyf.size()));

  // Every advance half an em; unused glyphs' side bearings zero (they compress to nothing).
  const std::uint32_t units_per_em = std::max<std::uint32_t>(in.u16(head.offset + 18), 16);
  const std::uint32_t advance = units_per_em / 2;
  Bytes new_hmtx(font.begin() + hmtx.offset, font.begin() + hmtx.offset + hmtx.length);
  for (std::uint32_t glyph = 0; glyph < glyphs; ++glyph) {
    if (glyph < metrics) {
      set16(new_hmtx, glyph * 4, advance);
      if (!keep[glyph]) {
        set16(new_hmtx, glyph * 4 + 2, 0);
      }
    } else if (!keep[glyph]) {
      set16(new_hmtx, metrics * 4 + (glyph - metrics) * 2, 0);
    }
  }

  // Only the tables a PDF viewer reads from an embedded TrueType font (ISO 32000-1 9.9) but the
  // hinting ones (cvt, fpgm, prep), and OS/2.
  std::map<std::uint32_t, Bytes> contents;
  for (const char* name : {"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "OS/2"}) {
    if (const auto table = tables.find(make_tag(name)); table != tables.end()) {
      contents[table->first] = Bytes(font.begin() + table->second.offset,
                                     font.begin() + table->second.offset + table->second.length);
    }
  }
  contents[make_tag("cmap")] = build_cmap(*mapping);
  // libharu embeds `post` and `name` as they are: glyph names (34 KB in DejaVu Serif) and the
  // licence text are not needed to show glyphs. post becomes format 3 (no names); name keeps
  // records 0-6 (copyright, family, style, unique id, full name, version, PostScript name).
  if (auto post = contents.find(make_tag("post")); post != contents.end() && post->second.size() >= 32) {
    post->second.resize(32);
    set16(post->second, 0, 3);
    set16(post->second, 2, 0);
  }
  if (auto name = contents.find(make_tag("name")); name != contents.end()) {
    name->second = trim_name_table(name->second);
  }
  contents[make_tag("hmtx")] = std::move(new_hmtx);
  contents[make_tag("glyf")] = std::move(new_glyf);
  contents[make_tag("loca")] = std::move(new_loca);
  set16(contents[make_tag("head")], 8, 0);
  set16(contents[make_tag("head")], 10, 0);
  set16(contents[make_tag("head")], 50, 1);  // indexToLocFormat: long
  set16(contents[make_tag("hhea")], 10, advance);  // advanceWidthMax

  const auto table_count = static_cast<std::uint32_t>(contents.size());
  Bytes out;
  put32(out, 0x00010000U);
  put16(out, table_count);
  std::uint32_t search_range = 1;
  std::uint32_t entry_selector = 0;
  while (search_range * 2 <= table_count) {
    search_range *= 2;
    ++entry_selector;
  }
  put16(out, search_range * 16);
  put16(out, entry_selector);
  put16(out, table_count * 16 - search_range * 16);
  std::size_t offset = 12 + std::size_t{table_count} * 16;
  std::size_t head_at = 0;
  for (const auto& [tag, data] : contents) {
    put32(out, tag);
    put32(out, checksum(data));
    put32(out, static_cast<std::uint32_t>(offset));
    put32(out, static_cast<std::uint32_t>(data.size()));
    if (tag == make_tag("head")) {
      head_at = offset;
    }
    offset += (data.size() + 3) / 4 * 4;
  }
  for (const auto& [tag, data] : contents) {
    out.insert(out.end(), data.begin(), data.end());
    out.resize((out.size() + 3) / 4 * 4, 0);
  }
  const std::uint32_t adjustment = 0xB1B0AFBAU - checksum(out);
  set16(out, head_at + 8, adjustment >> 16U);
  set16(out, head_at + 10, adjustment & 0xFFFFU);

  FontSubset subset;
  subset.program = std::move(out);
  subset.glyphs = *mapping;
  auto per_mille = [&](std::uint32_t value) {
    return static_cast<int>(std::lround(static_cast<std::int16_t>(value) * 1000.0 / units_per_em));
  };
  subset.bbox = {per_mille(in.u16(head.offset + 36)), per_mille(in.u16(head.offset + 38)),
                 per_mille(in.u16(head.offset + 40)), per_mille(in.u16(head.offset + 42))};
  subset.ascent = per_mille(in.u16(hhea.offset + 4));
  subset.descent = per_mille(in.u16(hhea.offset + 6));
  subset.cap_height = subset.ascent;
  if (const auto os2 = tables.find(make_tag("OS/2"));
      os2 != tables.end() && os2->second.length >= 90 && in.u16(os2->second.offset) >= 2) {
    subset.cap_height = per_mille(in.u16(os2->second.offset + 88));
  }
  return subset;
}

}  // namespace sohoa::ocr
