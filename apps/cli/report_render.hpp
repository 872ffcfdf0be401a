#pragma once
// The digitization report in each output format: a terminal table, CSV, JSON, a self-contained
// HTML page with SVG charts, and the document model the PDF writer lays out. Every format shows
// the same counts; the PDF and the HTML are made from the same ReportDocument.

#include <string>

#include <nlohmann/json.hpp>

#include "sohoa/ocr/haru_report_writer.hpp"
#include "sohoa/storage/report.hpp"

namespace sohoa::app {

// The reports a printable document is made of: by level, by unit, and the requested grouping
// when it is another one.
struct ReportSet {
  storage::Report main;      // the grouping the user asked for
  storage::Report by_level;
  storage::Report by_unit;
  std::string made_on;       // YYYY-MM-DD
};

std::string report_table(const storage::Report& report);  // aligned columns, English headers
std::string report_csv(const storage::Report& report);    // header row, one row per group, "total"
nlohmann::json report_json(const storage::Report& report);

// The Vietnamese printable report (title, period, a table per level and per unit, bar charts of
// rate vs target, the unregistered dossiers).
ocr::ReportDocument report_document(const ReportSet& reports);
// `document` as one HTML file (inline CSS and SVG, no scripts, nothing fetched).
std::string report_html(const ocr::ReportDocument& document);

}  // namespace sohoa::app
