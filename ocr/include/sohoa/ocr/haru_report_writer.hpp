#pragma once
// A printable report on libharu: a title, lines under it, then sections of a table and a bar
// chart of rates against targets. The caller formats every cell (so each format of a report shows
// the same strings); this writer only lays them out. Used for the quarterly digitization report.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace sohoa::ocr {

struct ReportBar {
  std::string label;
  double percent = 0.0;             // bar length, 0..100 (clamped)
  std::optional<double> target;     // percent; drawn as a vertical mark across the bar
  std::string value_text;           // printed after the bar ("30,0 %")
};

struct ReportTable {
  std::vector<std::string> columns;             // header cells
  std::vector<std::vector<std::string>> rows;   // cells; column 0 left-aligned, the rest right
  std::vector<bool> emphasis;                   // per row: bold (a total), same size as rows or empty
};

struct ReportSection {
  std::string heading;
  std::optional<ReportTable> table;
  std::string chart_title;          // empty: no chart
  std::vector<ReportBar> bars;
  std::string legend_rate;          // "Tỷ lệ đã số hóa"
  std::string legend_target;        // "Chỉ tiêu"
  std::vector<std::string> notes;   // small text under the section
};

struct ReportDocument {
  std::string title;
  std::vector<std::string> subtitle;  // period, date made, ...
  std::vector<ReportSection> sections;
  std::string page_label = "Trang";  // "Trang 2"
};

// Writes `document` as an A4 landscape PDF at `path`, text in the TrueType fonts `regular` and
// `bold` (empty: DejaVu Sans and DejaVu Sans Bold from fonts-dejavu-core, which cover
// Vietnamese), embedded, extractable (pdftotext gives the strings back). A cell too wide for its
// column is shrunk, then cut with "…". Fails with a message (libharu's error number and what was
// being done) when a font is missing or not TrueType or the file cannot be written. Thread-safe:
// concurrent calls share nothing.
tl::expected<void, std::string> write_report_pdf(const ReportDocument& document,
                                                 const std::filesystem::path& path,
                                                 const std::filesystem::path& regular = {},
                                                 const std::filesystem::path& bold = {});

}  // namespace sohoa::ocr
