// Design notes
// ------------
// * Why not a real subsetter: libharu 2.3.0 already rebuilds `glyf` with only the glyphs it
//   flagged as used (composites' components included), but it flags every glyph its cmap lookup
//   finds, and with the UTF-8 encoder it looks up the whole BMP. So we only have to narrow the
//   cmap: glyph ids stay valid, the CIDToGIDMap libharu writes stays right, and the widths libharu
//   writes for used characters come from the untouched hmtx entries.
// * Unused hmtx entries are zeroed because libharu embeds hmtx whole (4 bytes per glyph); zeros
//   compress to almost nothing. Glyph 0 keeps its metrics: libharu takes /DW from it.
// * The table directory is rewritten with 4-byte aligned tables and correct checksums;
//   head.checkSumAdjustment is recomputed, so the font is a valid sfnt for any reader.

#include "font_subset.hpp"

#include <algorithm>
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

}  // namespace

tl::expected<std::vector<std::uint8_t>, std::string> subset_font_cmap(
    const std::vector<std::uint8_t>& font, const std::set<char32_t>& used) {
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
      at += 4 + ((flags & 0x0001U) != 0 ? 4 : 2);
      if ((flags & 0x0008U) != 0) {
        at += 2;
      } else if ((flags & 0x0040U) != 0) {
        at += 4;
      } else if ((flags & 0x0080U) != 0) {
        at += 8;
      }
      if ((flags & 0x0020U) == 0) {
        break;
      }
    }
  }

  Bytes new_hmtx(font.begin() + hmtx.offset, font.begin() + hmtx.offset + hmtx.length);
  for (std::uint32_t glyph = 1; glyph < glyphs; ++glyph) {
    if (keep[glyph]) {
      continue;
    }
    if (glyph < metrics) {
      set16(new_hmtx, glyph * 4, 0);
      set16(new_hmtx, glyph * 4 + 2, 0);
    } else {
      set16(new_hmtx, metrics * 4 + (glyph - metrics) * 2, 0);
    }
  }

  std::map<std::uint32_t, Bytes> contents;
  for (const auto& [tag, table] : tables) {
    contents[tag] = Bytes(font.begin() + table.offset, font.begin() + table.offset + table.length);
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
  set16(contents[make_tag("head")], 8, 0);
  set16(contents[make_tag("head")], 10, 0);

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
  return out;
}

}  // namespace sohoa::ocr
