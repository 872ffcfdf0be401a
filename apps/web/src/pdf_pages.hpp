#pragma once
// The archived PDFs seen as pages: a page rendered to PNG, and the words of its text layer with
// their boxes. The adapter over poppler-cpp: no other file includes poppler.

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace sohoa::web {

struct PageWord {
  std::string text;           // UTF-8
  std::array<double, 4> box;  // x0, y0, x1, y1 as fractions (0..1) of the page, origin top-left
};

// Page `index` (0-based) of the PDF at `pdf` as a PNG `width` pixels wide (height keeps the
// page's proportions). Fails, with a message, when the file cannot be read as a PDF or has no
// such page. Thread-safe: each call opens its own document.
tl::expected<std::string, std::string> render_page_png(const std::filesystem::path& pdf, int index,
                                                       int width);

// The words of page `index`'s text layer, in the PDF's order. Same failures and threading.
tl::expected<std::vector<PageWord>, std::string> page_words(const std::filesystem::path& pdf,
                                                            int index);

}  // namespace sohoa::web
