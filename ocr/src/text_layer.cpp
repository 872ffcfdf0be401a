// Design notes
// ------------
// * What a reader measures: pdftotext (poppler) and viewers box a word from its first glyph's
//   origin to its last glyph's advance, and vertically from the baseline minus the font's ascent
//   to the baseline minus its descent, both times the font size; words are put on one line when
//   their baselines are close and their font sizes equal within ~5 % (measured with poppler 22.12:
//   a 8 pt word among 12 pt ones starts a new block, 9..14 pt words mid-line do not). So the font
//   size is one per OCR block (the median height of its lines), and the vertical fit is done with
//   the font's ascent and descent instead: the font comes in variants (text_layer.hpp) whose
//   descriptors declare boxes of k_variant_step^n em, and each word is shown with the variant
//   nearest (in ratio) to its OCR box height over the block's font size, its baseline set so that
//   the variant's box is centred on the OCR box. With a step of 1.15 the height is off by at most
//   ~7 %, so the box overlap (IoU) stays above 0.9 when the OCR box is right. Baselines of a line
//   then differ by a fraction of the font size (a dash sits higher than a word with a descender),
//   which poppler still reads as one line (it allows about half the font size).
// * Horizontally each word gets its own text matrix at its box's left edge and a horizontal
//   scaling (Tz) that makes its n glyphs (each half an em, font_subset.cpp) exactly as wide as its
//   box. After every word but the last of a line a space glyph is shown, scaled to cover the gap to
//   the next word: extractors see a real space (not a guess from the gap), and a viewer's
//   selection runs on without holes. Lines are not joined by anything: the next line's text
//   matrix starts a new line for every extractor.
// * Numbers are written with std::to_chars (locale-independent): positions to 1/10 point (a third
//   of a pixel at 300 dpi) as Td moves from the previous word, scalings to 1/10 percent, font sizes
//   to 1/100 point; measured on a page of a form, 18 % less Flate-compressed content than absolute
//   Tm matrices with two decimals.

#include "text_layer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "font_subset.hpp"
#include "sohoa/core/text.hpp"

namespace sohoa::ocr {

namespace {

constexpr double k_variant_step = 1.15;
constexpr int k_min_variant = -30;       // 1.15^-30: 1.5 % of an em (a dot, a dash)
constexpr int k_max_variant = 10;        // 4 em
constexpr double k_ascent_share = 0.85;  // of a variant's box above the baseline
constexpr double k_min_gap = 0.2;         // of the font size, between the words of a line
constexpr double k_max_narrowing = 0.15;  // of a word's width, to make that gap

// `value` with at most `decimals` decimals, trailing zeros dropped.
std::string number(double value, int decimals) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  std::string text(buffer.data(), result.ptr);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') {
      text.pop_back();
    }
  }
  return text == "-0" ? "0" : text;
}

std::string hex_codes(const std::vector<std::uint32_t>& codes) {
  std::string out = "<";
  for (std::uint32_t code : codes) {
    std::array<char, 8> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04X", code & 0xFFFFU);
    out += buffer.data();
  }
  return out + ">";
}

struct Line {
  std::size_t start = 0;
  std::size_t end = 0;
  int top = 0;
  int bottom = 0;
};

std::vector<Line> split_lines(std::span<const core::OcrWord> words) {
  std::vector<Line> lines;
  std::size_t start = 0;
  while (start < words.size()) {
    Line line{start, start + 1, words[start].box.y, words[start].box.y + words[start].box.height};
    while (line.end < words.size() && words[line.end].line == words[start].line) {
      ++line.end;
    }
    for (std::size_t idx = start; idx < line.end; ++idx) {
      line.top = std::min(line.top, words[idx].box.y);
      line.bottom = std::max(line.bottom, words[idx].box.y + words[idx].box.height);
    }
    lines.push_back(line);
    start = line.end;
  }
  return lines;
}

// Block -> font size in pixels: the median height of the block's lines.
std::map<int, double> block_font_sizes(std::span<const core::OcrWord> words,
                                       const std::vector<Line>& lines) {
  std::map<int, std::vector<int>> heights;
  for (const Line& line : lines) {
    heights[words[line.start].block].push_back(std::max(line.bottom - line.top, 1));
  }
  std::map<int, double> sizes;
  for (auto& [block, values] : heights) {
    std::sort(values.begin(), values.end());
    sizes[block] = values[values.size() / 2];
  }
  return sizes;
}

}  // namespace

FontVariant font_variant(int variant) {
  const double height = 1000.0 * std::pow(k_variant_step, variant);
  return {std::max(1, static_cast<int>(std::lround(height * k_ascent_share))),
          -std::max(1, static_cast<int>(std::lround(height * (1.0 - k_ascent_share))))};
}

std::vector<char32_t> shown_characters(std::string_view text) {
  std::vector<char32_t> out;
  for (char32_t ch : core::to_code_points(core::to_nfc(text))) {
    if (ch >= 0x20 && !(ch >= 0x7F && ch <= 0x9F)) {
      out.push_back(ch);
    }
  }
  return out;
}

std::vector<PlacedWord> place_words(std::span<const core::OcrWord> words, double dpi,
                                    double page_height,
                                    const std::map<char32_t, std::uint32_t>& codes) {
  const double scale = 72.0 / dpi;  // image pixels -> points
  const double advance = k_subset_advance / 1000.0;
  const std::vector<Line> lines = split_lines(words);
  const std::map<int, double> sizes = block_font_sizes(words, lines);
  std::vector<PlacedWord> placed;
  for (const Line& line : lines) {
    const double size_px = sizes.at(words[line.start].block);
    const double font_size = size_px * scale;
    const std::size_t line_start = placed.size();
    for (std::size_t idx = line.start; idx < line.end; ++idx) {
      const core::OcrWord& word = words[idx];
      PlacedWord out;
      for (char32_t ch : shown_characters(word.text)) {
        if (const auto code = codes.find(ch); code != codes.end()) {
          out.codes.push_back(code->second);
        }
      }
      if (out.codes.empty()) {
        continue;
      }
      const double height = std::max(word.box.height, 1);
      const double ratio = std::log(height / size_px) / std::log(k_variant_step);
      out.variant = std::clamp(static_cast<int>(std::lround(ratio)), k_min_variant, k_max_variant);
      const FontVariant metrics = font_variant(out.variant);
      const double centre = word.box.y + height / 2.0;
      const double baseline = centre + (metrics.ascent + metrics.descent) / 2000.0 * size_px;
      out.font_size = font_size;
      out.x = word.box.x * scale;
      out.baseline = page_height - baseline * scale;
      const double natural = static_cast<double>(out.codes.size()) * advance * font_size;
      out.scaling = 100.0 * std::max(word.box.width, 1) * scale / natural;
      placed.push_back(std::move(out));
    }
    // A space after each word but the last, from its right edge to the next word's left edge.
    // Extractors read a gap under a share of the font size as no space even after a space glyph
    // (poppler's raw order: 0.15; pdftotext -raw joined "the first" 1 pt apart in 10 pt text): a
    // word that close to the next is narrowed at its right end, by at most k_max_narrowing of its
    // width, to leave k_min_gap (a margin over poppler's share for the positions' rounding).
    for (std::size_t idx = line_start; idx + 1 < placed.size(); ++idx) {
      PlacedWord& word = placed[idx];
      const double natural = static_cast<double>(word.codes.size()) * advance * word.font_size;
      const double width = natural * word.scaling / 100.0;
      const double wanted = std::max(placed[idx + 1].x - k_min_gap * word.font_size - word.x,
                                     (1.0 - k_max_narrowing) * width);
      if (wanted < width) {
        word.scaling = 100.0 * wanted / natural;
      }
      const double right = word.x + natural * word.scaling / 100.0;
      const double gap = std::max(placed[idx + 1].x - right, 0.01 * word.font_size);
      word.space_scaling = 100.0 * gap / (advance * word.font_size);
    }
  }
  return placed;
}

std::set<int> variants_used(const std::vector<PlacedWord>& placed) {
  std::set<int> used;
  for (const PlacedWord& word : placed) {
    used.insert(word.variant);
  }
  return used;
}

std::string text_operators(const std::vector<PlacedWord>& placed,
                           const std::map<int, std::string>& font_names, std::uint32_t space_code) {
  std::string out = "BT\n3 Tr\n";
  int variant = 0;
  double font_size = -1.0;
  const std::string space = hex_codes({space_code});
  // Positions in tenths of a point; each word's Td is relative to the previous word's start, from
  // the rounded positions, so rounding never accumulates.
  long x_tenths = 0;
  long y_tenths = 0;
  for (const PlacedWord& word : placed) {
    if (word.variant != variant || word.font_size != font_size) {
      variant = word.variant;
      font_size = word.font_size;
      out += "/" + font_names.at(variant) + " " + number(font_size, 2) + " Tf\n";
    }
    const long x = std::lround(word.x * 10.0);
    const long y = std::lround(word.baseline * 10.0);
    out += number(static_cast<double>(x - x_tenths) / 10.0, 1) + " " +
           number(static_cast<double>(y - y_tenths) / 10.0, 1) + " Td " + number(word.scaling, 1) +
           " Tz " + hex_codes(word.codes) + " Tj";
    x_tenths = x;
    y_tenths = y;
    if (word.space_scaling >= 0.0) {
      out += " " + number(word.space_scaling, 1) + " Tz " + space + " Tj";
    }
    out += "\n";
  }
  return out + "ET\n";
}

}  // namespace sohoa::ocr
