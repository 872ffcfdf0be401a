#pragma once
// The invisible text layer of a PDF page: where each OCR word goes and the content-stream
// operators that put it there (internal to sohoa_ocr; no libharu here).

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sohoa/core/types.hpp"

namespace sohoa::ocr {

// The text layer's font comes in variants that share one embedded font program and differ only in
// the ascent and descent their font descriptor declares (1/1000 em). A variant's box (ascent to
// descent) is k_variant_step^variant times an em high; see text_layer.cpp.
struct FontVariant {
  int ascent = 0;   // > 0
  int descent = 0;  // < 0
};
FontVariant font_variant(int variant);

// One word, or the space after it, as the page shows it (PDF points, origin bottom left).
struct PlacedWord {
  std::vector<std::uint32_t> codes;  // character codes (CIDs) of the word
  int variant = 0;                   // font variant
  double font_size = 0.0;            // points
  double x = 0.0;                    // left edge
  double baseline = 0.0;
  double scaling = 100.0;       // horizontal scaling (Tz), percent
  double space_scaling = -1.0;  // Tz of the space shown after the word; < 0: no space
};

// Places the words of one page (reading order, archive-image pixels at `dpi`, page `page_height`
// points high): one font size per OCR block, each word stretched over its box's width and shown
// with the variant (and baseline) whose ascent-to-descent box covers its box's height; a space,
// stretched over the gap, after each word but the last of its line. `codes` maps every character
// of the words' text to its code; words whose text is empty are left out.
std::vector<PlacedWord> place_words(std::span<const core::OcrWord> words, double dpi,
                                    double page_height,
                                    const std::map<char32_t, std::uint32_t>& codes);

// The variants `placed` uses.
std::set<int> variants_used(const std::vector<PlacedWord>& placed);

// The BT..ET block that shows `placed` invisibly (render mode 3), 2-byte codes, each word moved to
// by a Td from the previous one; `font_names` gives
// the page resource name of each variant used, `space_code` the code of U+0020. Numbers are
// written locale-independently.
std::string text_operators(const std::vector<PlacedWord>& placed,
                           const std::map<int, std::string>& font_names, std::uint32_t space_code);

// The characters the text layer shows for `text`, as code points of its NFC form: control
// characters are dropped.
std::vector<char32_t> shown_characters(std::string_view text);

}  // namespace sohoa::ocr
