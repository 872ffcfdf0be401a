// Design notes
// - A4 landscape: an 11-column table of counts fits at 8 pt with unit names in full.
// - Fonts: DejaVu Sans (and Bold) from fonts-dejavu-core, embedded with libharu's UTF-8 encoder;
//   its ToUnicode map is replaced by the identity (haru_support) so that pdftotext gives back the
//   cells exactly — the tests compare the PDF's numbers with the CSV's. Both fonts are embedded
//   whole (see haru_support: libharu 2.3.0 drops nested composite components such as the marks of
//   "ấ"), ~190 KB each.
// - The writer formats nothing: the caller passes strings, so the PDF, the HTML and the table show
//   the same digits.
// - Bars: green when the rate meets the target (or there is none), orange when below; the target
//   is a dark red vertical mark across its bar, and the legend says so. Scale always 0..100 %, so
//   two charts can be compared by eye.
// - Errors: libharu's handler records the first error (haru::ErrorState); each call's status is
//   checked through ok(), and the first failure is returned with what was being done.

#include "sohoa/ocr/haru_report_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "haru_support.hpp"

namespace sohoa::ocr {
namespace {

constexpr const char* k_regular_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* k_bold_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
constexpr float k_page_width = 841.89F;
constexpr float k_page_height = 595.28F;
constexpr float k_margin = 36.0F;
constexpr float k_bottom = 40.0F;
constexpr float k_first_column = 230.0F;
constexpr float k_row_height = 14.0F;
constexpr float k_cell_pad = 4.0F;
constexpr float k_body_size = 8.0F;
constexpr float k_bar_row = 17.0F;

struct Rgb {
  float r;
  float g;
  float b;
};
constexpr Rgb k_black{0.0F, 0.0F, 0.0F};
constexpr Rgb k_grey_text{0.35F, 0.35F, 0.35F};
constexpr Rgb k_header_fill{0.86F, 0.89F, 0.94F};
constexpr Rgb k_total_fill{0.95F, 0.95F, 0.95F};
constexpr Rgb k_rule{0.6F, 0.6F, 0.6F};
constexpr Rgb k_grid{0.85F, 0.85F, 0.85F};
constexpr Rgb k_met{0.18F, 0.55F, 0.34F};
constexpr Rgb k_below{0.93F, 0.55F, 0.13F};
constexpr Rgb k_target{0.70F, 0.05F, 0.05F};

enum class Align { left, right, centre };

// Splits "a\nb" into lines.
std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find('\n', start);
    lines.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      return lines;
    }
    start = end + 1;
  }
}

class Writer {
 public:
  Writer(std::string regular, std::string bold)
      : m_regular_path(std::move(regular)), m_bold_path(std::move(bold)) {}

  tl::expected<void, std::string> write(const ReportDocument& document,
                                        const std::filesystem::path& path) {
    for (const auto* font : {&m_regular_path, &m_bold_path}) {
      if (const auto problem = haru::truetype_problem(*font); !problem.empty()) {
        return tl::unexpected("report font " + *font + ": " + problem +
                              " (install Debian's fonts-dejavu-core)");
      }
    }
    m_doc.reset(HPDF_New(haru::record_error, &m_error));
    if (!m_doc) {
      return tl::unexpected(std::string("libharu cannot create a document (out of memory)"));
    }
    m_doing = "setting up the document";
    ok(HPDF_SetCompressionMode(doc(), HPDF_COMP_ALL));
    ok(HPDF_UseUTFEncodings(doc()));
    m_doing = "loading the font " + m_regular_path;
    m_regular = haru::load_utf8_font(doc(), m_regular_path);
    m_doing = "loading the font " + m_bold_path;
    m_bold = haru::load_utf8_font(doc(), m_bold_path);
    if (m_regular == nullptr || m_bold == nullptr) {
      return failure();
    }
    m_doing = "writing the title";
    new_page();
    text(m_bold, 15.0F, k_margin, m_y - 15.0F, document.title, Align::left, content_width());
    m_y -= 24.0F;
    for (const auto& line : document.subtitle) {
      text(m_regular, 9.5F, k_margin, m_y - 10.0F, line, Align::left, content_width(), k_grey_text);
      m_y -= 14.0F;
    }
    m_y -= 6.0F;
    m_page_label = document.page_label;
    for (const auto& section : document.sections) {
      m_doing = "writing the section " + section.heading;
      add_section(section);
    }
    finish_page();
    if (m_failed) {
      return failure();
    }
    const std::string target = path.string();
    m_doing = "saving " + target;
    ok(HPDF_SaveToFile(doc(), target.c_str()));
    if (m_failed) {
      return failure();
    }
    return {};
  }

 private:
  HPDF_Doc doc() const { return m_doc.get(); }
  static float content_width() { return k_page_width - 2 * k_margin; }

  void ok(HPDF_STATUS status) {
    if ((status != HPDF_OK || m_error.error_no != HPDF_OK) && !m_failed) {
      m_failed = true;
      m_failed_doing = m_doing;
    }
  }
  tl::unexpected<std::string> failure() const {
    std::array<char, 80> code{};
    std::snprintf(code.data(), code.size(), "libharu error 0x%04X (detail %u) while ",
                  static_cast<unsigned>(m_error.error_no), static_cast<unsigned>(m_error.detail_no));
    return tl::unexpected(std::string(code.data()) +
                          (m_failed_doing.empty() ? m_doing : m_failed_doing));
  }

  void new_page() {
    if (m_page != nullptr) {
      finish_page();
    }
    m_page = HPDF_AddPage(doc());
    if (m_page == nullptr) {
      ok(HPDF_INVALID_PAGE);
      return;
    }
    ++m_page_number;
    ok(HPDF_Page_SetSize(m_page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE));
    m_y = k_page_height - k_margin;
  }

  void finish_page() {
    if (m_page == nullptr) {
      return;
    }
    text(m_regular, 7.5F, k_page_width - k_margin - 100.0F, 20.0F,
         m_page_label + " " + std::to_string(m_page_number), Align::right, 100.0F, k_grey_text);
  }

  // Room for `height` more points on this page, else a new page.
  bool ensure(float height) {
    if (m_y - height < k_bottom) {
      new_page();
      return true;
    }
    return false;
  }

  float width_of(HPDF_Font font, float size, const std::string& value) const {
    const HPDF_TextWidth width = HPDF_Font_TextWidth(
        font, reinterpret_cast<const HPDF_BYTE*>(value.data()), static_cast<HPDF_UINT>(value.size()));
    return static_cast<float>(width.width) / 1000.0F * size;
  }

  // `value` cut on a UTF-8 boundary with "…" until it fits `max_width` at `size`.
  std::string fit(HPDF_Font font, float& size, std::string value, float max_width) const {
    while (size > 6.0F && width_of(font, size, value) > max_width) {
      size -= 0.5F;
    }
    if (width_of(font, size, value) <= max_width) {
      return value;
    }
    while (!value.empty() && width_of(font, size, value + "…") > max_width) {
      value.pop_back();
      while (!value.empty() && (static_cast<unsigned char>(value.back()) & 0xC0U) == 0x80U) {
        value.pop_back();
      }
      if (!value.empty() && static_cast<unsigned char>(value.back()) >= 0xC0U) {
        value.pop_back();
      }
    }
    return value + "…";
  }

  void text(HPDF_Font font, float size, float x, float baseline, const std::string& value,
            Align align, float box_width, Rgb colour = k_black) {
    if (value.empty() || m_page == nullptr) {
      return;
    }
    float actual_size = size;
    const std::string shown = fit(font, actual_size, value, box_width);
    const float width = width_of(font, actual_size, shown);
    float left = x;
    if (align == Align::right) {
      left = x + box_width - width;
    } else if (align == Align::centre) {
      left = x + (box_width - width) / 2.0F;
    }
    ok(HPDF_Page_SetRGBFill(m_page, colour.r, colour.g, colour.b));
    ok(HPDF_Page_BeginText(m_page));
    ok(HPDF_Page_SetFontAndSize(m_page, font, actual_size));
    ok(HPDF_Page_TextOut(m_page, left, baseline, shown.c_str()));
    ok(HPDF_Page_EndText(m_page));
  }

  void rectangle(float x, float y, float width, float height, Rgb fill) {
    ok(HPDF_Page_SetRGBFill(m_page, fill.r, fill.g, fill.b));
    ok(HPDF_Page_Rectangle(m_page, x, y, width, height));
    ok(HPDF_Page_Fill(m_page));
  }

  void line(float x1, float y1, float x2, float y2, float width, Rgb colour) {
    ok(HPDF_Page_SetRGBStroke(m_page, colour.r, colour.g, colour.b));
    ok(HPDF_Page_SetLineWidth(m_page, width));
    ok(HPDF_Page_MoveTo(m_page, x1, y1));
    ok(HPDF_Page_LineTo(m_page, x2, y2));
    ok(HPDF_Page_Stroke(m_page));
  }

  void add_section(const ReportSection& section) {
    ensure(60.0F);
    m_y -= 8.0F;
    text(m_bold, 11.5F, k_margin, m_y - 12.0F, section.heading, Align::left, content_width());
    m_y -= 20.0F;
    if (section.table) {
      add_table(*section.table);
    }
    if (!section.chart_title.empty() && !section.bars.empty()) {
      add_chart(section);
    }
    for (const auto& note : section.notes) {
      ensure(12.0F);
      text(m_regular, 7.5F, k_margin, m_y - 9.0F, note, Align::left, content_width(), k_grey_text);
      m_y -= 11.0F;
    }
  }

  void table_header(const ReportTable& table, const std::vector<float>& widths) {
    std::size_t header_lines = 1;
    for (const auto& column : table.columns) {
      header_lines = std::max(header_lines, lines_of(column).size());
    }
    const float height = 5.0F + 9.0F * static_cast<float>(header_lines);
    rectangle(k_margin, m_y - height, content_width(), height, k_header_fill);
    float x = k_margin;
    for (std::size_t col = 0; col < table.columns.size(); ++col) {
      const auto lines = lines_of(table.columns[col]);
      for (std::size_t idx = 0; idx < lines.size(); ++idx) {
        text(m_bold, 7.0F, x + k_cell_pad, m_y - 10.0F - 9.0F * static_cast<float>(idx), lines[idx],
             col == 0 ? Align::left : Align::right, widths[col] - 2 * k_cell_pad);
      }
      x += widths[col];
    }
    m_y -= height;
  }

  void add_table(const ReportTable& table) {
    if (table.columns.empty()) {
      return;
    }
    std::vector<float> widths(table.columns.size(), 0.0F);
    widths[0] = table.columns.size() > 1 ? k_first_column : content_width();
    for (std::size_t col = 1; col < widths.size(); ++col) {
      widths[col] = (content_width() - k_first_column) / static_cast<float>(widths.size() - 1);
    }
    ensure(40.0F);
    table_header(table, widths);
    for (std::size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
      if (ensure(k_row_height)) {
        table_header(table, widths);
      }
      const bool bold = row_idx < table.emphasis.size() && table.emphasis[row_idx];
      if (bold) {
        rectangle(k_margin, m_y - k_row_height, content_width(), k_row_height, k_total_fill);
      }
      float x = k_margin;
      const auto& row = table.rows[row_idx];
      for (std::size_t col = 0; col < row.size() && col < widths.size(); ++col) {
        text(bold ? m_bold : m_regular, k_body_size, x + k_cell_pad, m_y - 10.0F, row[col],
             col == 0 ? Align::left : Align::right, widths[col] - 2 * k_cell_pad);
        x += widths[col];
      }
      m_y -= k_row_height;
      line(k_margin, m_y, k_margin + content_width(), m_y, 0.3F, k_rule);
    }
    m_y -= 10.0F;
  }

  void add_chart(const ReportSection& section) {
    const float label_width = k_first_column;
    const float value_width = 70.0F;
    const float bar_left = k_margin + label_width;
    const float bar_width = content_width() - label_width - value_width;
    auto x_of = [&](double percent) {
      return bar_left + bar_width * static_cast<float>(std::clamp(percent, 0.0, 100.0) / 100.0);
    };
    auto axis = [&]() {
      // Title, legend and the 0..100 % scale, at the top of the chart (repeated after a break).
      text(m_bold, 9.0F, k_margin, m_y - 10.0F, section.chart_title, Align::left, label_width + 200.0F);
      const float legend_x = k_margin + content_width() - 260.0F;
      rectangle(legend_x, m_y - 10.0F, 10.0F, 8.0F, k_met);
      rectangle(legend_x + 11.0F, m_y - 10.0F, 10.0F, 8.0F, k_below);
      text(m_regular, 8.0F, legend_x + 25.0F, m_y - 9.5F, section.legend_rate, Align::left, 120.0F);
      line(legend_x + 155.0F, m_y - 12.0F, legend_x + 155.0F, m_y - 1.0F, 2.0F, k_target);
      text(m_regular, 8.0F, legend_x + 161.0F, m_y - 9.5F, section.legend_target, Align::left, 100.0F);
      m_y -= 24.0F;
      for (int tick = 0; tick <= 100; tick += 25) {
        text(m_regular, 7.0F, x_of(tick) - 20.0F, m_y + 2.0F, std::to_string(tick) + " %",
             Align::centre, 40.0F, k_grey_text);
      }
    };
    ensure(24.0F + 2 * k_bar_row);
    axis();
    for (const auto& bar : section.bars) {
      if (ensure(k_bar_row)) {
        axis();
      }
      const float top = m_y;
      for (int tick = 0; tick <= 100; tick += 25) {
        line(x_of(tick), top, x_of(tick), top - k_bar_row, 0.4F, k_grid);
      }
      text(m_regular, k_body_size, k_margin, top - 11.5F, bar.label, Align::left, label_width - 8.0F);
      const bool below = bar.target.has_value() && bar.percent + 1e-9 < *bar.target;
      const float length = x_of(bar.percent) - bar_left;
      if (length > 0.0F) {
        rectangle(bar_left, top - k_bar_row + 3.0F, length, k_bar_row - 6.0F, below ? k_below : k_met);
      }
      if (bar.target) {
        line(x_of(*bar.target), top - 1.0F, x_of(*bar.target), top - k_bar_row + 1.0F, 2.0F, k_target);
      }
      text(m_regular, k_body_size, x_of(100.0) + 6.0F, top - 11.5F, bar.value_text, Align::left,
           value_width - 6.0F);
      m_y -= k_bar_row;
    }
    line(bar_left, m_y, bar_left + bar_width, m_y, 0.5F, k_rule);
    m_y -= 12.0F;
  }

  std::string m_regular_path;
  std::string m_bold_path;
  haru::ErrorState m_error;
  haru::DocPtr m_doc;
  HPDF_Font m_regular = nullptr;
  HPDF_Font m_bold = nullptr;
  HPDF_Page m_page = nullptr;
  int m_page_number = 0;
  std::string m_page_label;
  float m_y = 0.0F;
  bool m_failed = false;
  std::string m_doing;
  std::string m_failed_doing;
};

}  // namespace

tl::expected<void, std::string> write_report_pdf(const ReportDocument& document,
                                                 const std::filesystem::path& path,
                                                 const std::filesystem::path& regular,
                                                 const std::filesystem::path& bold) {
  Writer writer(regular.empty() ? k_regular_font : regular.string(),
                bold.empty() ? k_bold_font : bold.string());
  return writer.write(document, path);
}

}  // namespace sohoa::ocr
