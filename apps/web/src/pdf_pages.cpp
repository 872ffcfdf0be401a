// Design notes
// - poppler-cpp renders with Splash in RGB; the PNG is RGB so that colour scans stay colour.
// - Word boxes come from poppler's text_list(), which reports boxes in points with the origin at
//   the top-left of the page; dividing by the crop box's size gives fractions a browser can lay
//   over an image of any width.
// - poppler prints warnings about odd PDFs on stderr through its error callback; the server does
//   not want them in its output, so the callback is silenced once.

#include "pdf_pages.hpp"

#include <algorithm>
#include <memory>
#include <span>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include "png.hpp"

namespace sohoa::web {
namespace {

void ignore_poppler_message(const std::string& /*message*/, void* /*closure*/) {}

// A page keeps pointers into its document: the two live and die together.
struct OpenPage {
  std::unique_ptr<poppler::document> document;
  std::unique_ptr<poppler::page> page;
  poppler::rectf rect;  // the crop box, points
};

tl::expected<OpenPage, std::string> open_page(const std::filesystem::path& pdf, int index) {
  static const bool k_quiet = [] {
    poppler::set_debug_error_function(ignore_poppler_message, nullptr);
    return true;
  }();
  static_cast<void>(k_quiet);
  OpenPage open;
  open.document.reset(poppler::document::load_from_file(pdf.string()));
  if (!open.document || open.document->is_locked()) {
    return tl::unexpected("cannot read the PDF " + pdf.filename().string());
  }
  if (index < 0 || index >= open.document->pages()) {
    return tl::unexpected("the PDF has no page " + std::to_string(index + 1));
  }
  open.page.reset(open.document->create_page(index));
  if (!open.page) {
    return tl::unexpected("cannot read page " + std::to_string(index + 1) + " of the PDF");
  }
  open.rect = open.page->page_rect();
  if (open.rect.width() <= 0 || open.rect.height() <= 0) {
    return tl::unexpected("page " + std::to_string(index + 1) + " of the PDF has no size");
  }
  return open;
}

}  // namespace

tl::expected<std::string, std::string> render_page_png(const std::filesystem::path& pdf, int index,
                                                       int width) {
  auto open = open_page(pdf, index);
  if (!open) {
    return tl::unexpected(open.error());
  }
  const auto& rect = open->rect;
  const double dpi = width * 72.0 / rect.width();
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_rgb24);
  const poppler::image image = renderer.render_page(open->page.get(), dpi, dpi);
  if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
    return tl::unexpected("cannot render page " + std::to_string(index + 1) + " of the PDF");
  }
  const auto stride = static_cast<std::size_t>(image.bytes_per_row());
  const std::span<const std::uint8_t> pixels(reinterpret_cast<const std::uint8_t*>(image.const_data()),
                                             stride * static_cast<std::size_t>(image.height()));
  return encode_png(pixels, image.width(), image.height(), 3, stride);
}

tl::expected<std::vector<PageWord>, std::string> page_words(const std::filesystem::path& pdf,
                                                            int index) {
  auto open = open_page(pdf, index);
  if (!open) {
    return tl::unexpected(open.error());
  }
  const auto& rect = open->rect;
  auto fraction = [](double value, double size) { return std::clamp(value / size, 0.0, 1.0); };
  std::vector<PageWord> words;
  for (const auto& box : open->page->text_list()) {
    const auto utf8 = box.text().to_utf8();
    PageWord word;
    word.text.assign(utf8.begin(), utf8.end());
    const auto bbox = box.bbox();
    word.box = {fraction(bbox.left() - rect.left(), rect.width()),
                fraction(bbox.top() - rect.top(), rect.height()),
                fraction(bbox.right() - rect.left(), rect.width()),
                fraction(bbox.bottom() - rect.top(), rect.height())};
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace sohoa::web
