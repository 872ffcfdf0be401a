// Design notes
// - Machine formats (CSV, JSON) carry raw numbers with '.' decimals; the printable formats (PDF,
//   HTML) are in Vietnamese with Vietnamese number style (1.234 and 30,5 %), built once as an
//   ocr::ReportDocument so that the HTML and the PDF cannot disagree.
// - Rates are rounded to one decimal for display only; the counts are exact everywhere.
// - The printable report always has the level and the unit views (what an official forwards
//   upward), plus the requested grouping when it is agency, procedure or month.

#include "report_render.hpp"

#include <cmath>

#include <fmt/format.h>

namespace sohoa::app {
namespace {

using storage::Report;
using storage::ReportBy;
using storage::ReportRow;

std::string percent_plain(double value) { return fmt::format("{:.1f}", value); }

std::string level_vi(core::Level level) {
  switch (level) {
    case core::Level::province: return "Cấp tỉnh";
    case core::Level::district: return "Cấp huyện";
    case core::Level::commune: return "Cấp xã";
    case core::Level::unknown: return "Không rõ cấp";
  }
  return "Không rõ cấp";
}

// 1234567 -> "1.234.567"
std::string count_vi(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t idx = 0; idx < digits.size(); ++idx) {
    if (idx > 0 && (digits.size() - idx) % 3 == 0) {
      out.push_back('.');
    }
    out.push_back(digits[idx]);
  }
  return value < 0 ? "-" + out : out;
}

// 30.25 -> "30,3 %"; 50 -> "50 %" when `trim_zero`.
std::string percent_vi(double value, bool trim_zero = false) {
  std::string text = fmt::format("{:.1f}", value);
  if (trim_zero && text.size() > 2 && text.substr(text.size() - 2) == ".0") {
    text.resize(text.size() - 2);
  }
  for (auto& c : text) {
    if (c == '.') {
      c = ',';
    }
  }
  return text + " %";
}

// "2026-07-01" -> "01/07/2026"
std::string date_vi(const std::string& iso) {
  if (iso.size() != 10) {
    return iso;
  }
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string period_vi(const storage::Period& period) {
  const std::string& text = period.text;
  if (text == "all") {
    return "Toàn bộ thời gian";
  }
  std::string name;
  if (text.size() == 4) {
    name = "Năm " + text;
  } else if (text.size() == 7 && (text[5] == 'Q' || text[5] == 'q')) {
    static const char* const k_roman[] = {"I", "II", "III", "IV"};
    name = fmt::format("Quý {} năm {}", k_roman[text[6] - '1'], text.substr(0, 4));
  } else if (text.size() == 7) {
    name = fmt::format("Tháng {} năm {}", text.substr(5, 2), text.substr(0, 4));
  }
  const std::string range =
      period.from.empty() ? "đến " + date_vi(period.to)
      : period.to == "9999-12-31" ? "từ " + date_vi(period.from)
                                  : "từ " + date_vi(period.from) + " đến " + date_vi(period.to);
  return name.empty() ? "Từ " + range.substr(range.find(' ') + 1) : name + " (" + range + ")";
}

std::string row_label_en(const Report& report, const ReportRow& row) {
  if (report.query.by == ReportBy::procedure && !row.name.empty()) {
    return row.key + " " + row.name;
  }
  return row.key.empty() ? "(none)" : row.key;
}

std::string row_label_vi(ReportBy by, const ReportRow& row) {
  switch (by) {
    case ReportBy::level: return level_vi(row.level);
    case ReportBy::month:
      return row.key.size() == 7 ? "Tháng " + row.key.substr(5, 2) + "/" + row.key.substr(0, 4)
                                 : "(không rõ ngày)";
    case ReportBy::procedure:
      if (!row.name.empty()) {
        return row.key + " " + row.name;
      }
      [[fallthrough]];
    default: return row.key.empty() ? "(không rõ)" : row.key;
  }
}

const char* group_heading_vi(ReportBy by) {
  switch (by) {
    case ReportBy::level: return "Cấp";
    case ReportBy::unit: return "Đơn vị tiếp nhận";
    case ReportBy::agency: return "Cơ quan";
    case ReportBy::procedure: return "Thủ tục hành chính";
    case ReportBy::month: return "Tháng tiếp nhận";
  }
  return "";
}

std::vector<std::string> cells_vi(const std::string& label, const ReportRow& row) {
  return {label,
          count_vi(row.received),
          count_vi(row.digitized),
          percent_vi(row.rate),
          row.target ? percent_vi(*row.target, true) : "—",
          row.target ? count_vi(row.gap) : "—",
          count_vi(row.early),
          count_vi(row.on_time),
          count_vi(row.late),
          count_vi(row.pending),
          count_vi(row.unregistered)};
}

ocr::ReportTable table_vi(ReportBy by, const std::vector<ReportRow>& rows, const ReportRow* total) {
  ocr::ReportTable table;
  table.columns = {group_heading_vi(by), "Tiếp nhận", "Đã\nsố hóa", "Tỷ lệ\nsố hóa", "Chỉ tiêu",
                   "Còn thiếu\nđể đạt", "Trước\nhạn", "Đúng\nhạn", "Trễ\nhạn", "Đang\ngiải quyết",
                   "Số hóa, chưa\ncó trong sổ"};
  for (const auto& row : rows) {
    table.rows.push_back(cells_vi(row_label_vi(by, row), row));
    table.emphasis.push_back(false);
  }
  if (total != nullptr) {
    table.rows.push_back(cells_vi("Tổng cộng", *total));
    table.emphasis.push_back(true);
  }
  return table;
}

void add_chart(ocr::ReportSection& section, ReportBy by, const std::vector<ReportRow>& rows,
               const std::string& title) {
  section.chart_title = title;
  section.legend_rate = "Tỷ lệ số hóa (xanh: đạt, cam: chưa đạt)";
  section.legend_target = "Chỉ tiêu";
  for (const auto& row : rows) {
    section.bars.push_back(ocr::ReportBar{row_label_vi(by, row), row.rate, row.target,
                                          percent_vi(row.rate)});
  }
}

nlohmann::json row_json(const ReportRow& row) {
  nlohmann::json json = {{"key", row.key},
                         {"received", row.received},
                         {"digitized", row.digitized},
                         {"unregistered", row.unregistered},
                         {"rate_percent", std::round(row.rate * 10.0) / 10.0},
                         {"target_percent", nullptr},
                         {"gap", row.gap},
                         {"on_time",
                          {{"early", row.early},
                           {"on_time", row.on_time},
                           {"late", row.late},
                           {"pending", row.pending}}}};
  if (!row.name.empty()) {
    json["name"] = row.name;
  }
  if (row.level != core::Level::unknown) {
    json["level"] = core::to_string(row.level);
  }
  if (row.target) {
    json["target_percent"] = std::round(*row.target * 10.0) / 10.0;
  }
  return json;
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) {
    return value;
  }
  std::string quoted = "\"";
  for (char c : value) {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string svg_chart(const ocr::ReportSection& section) {
  constexpr int k_label = 300;
  constexpr int k_bar = 480;
  constexpr int k_value = 80;
  constexpr int k_row = 22;
  constexpr int k_top = 24;
  const int width = k_label + k_bar + k_value;
  const int height = k_top + k_row * static_cast<int>(section.bars.size()) + 6;
  auto x_of = [&](double percent) {
    return k_label + k_bar * std::clamp(percent, 0.0, 100.0) / 100.0;
  };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"{2}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n",
      width, height, html_escape(section.chart_title));
  for (int tick = 0; tick <= 100; tick += 25) {
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#d9d9d9\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#595959\" "
                       "font-size=\"10\">{4} %</text>\n",
                       x_of(tick), k_top - 4, height - 4, k_top - 8, tick);
  }
  int y = k_top;
  for (const auto& bar : section.bars) {
    const bool below = bar.target.has_value() && bar.percent + 1e-9 < *bar.target;
    svg += fmt::format("<text x=\"0\" y=\"{}\">{}</text>\n", y + 15, html_escape(bar.label));
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>\n",
                       k_label, y + 4, x_of(bar.percent) - k_label, k_row - 8,
                       below ? "#ed8c21" : "#2e8c57");
    if (bar.target) {
      svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#b30d0d\" "
                         "stroke-width=\"3\"><title>Chỉ tiêu {3}</title></line>\n",
                         x_of(*bar.target), y + 1, y + k_row - 1, html_escape(percent_vi(*bar.target, true)));
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}</text>\n", x_of(100.0) + 8, y + 15,
                       html_escape(bar.value_text));
    y += k_row;
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace

std::string report_table(const Report& report) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({std::string(storage::to_string(report.query.by)), "received", "digitized", "rate",
                  "target", "gap", "early", "on time", "late", "pending", "unregistered"});
  auto cells = [](const std::string& label, const ReportRow& row) {
    return std::vector<std::string>{
        label, std::to_string(row.received), std::to_string(row.digitized),
        percent_plain(row.rate) + "%", row.target ? percent_plain(*row.target) + "%" : "-",
        row.target ? std::to_string(row.gap) : "-", std::to_string(row.early),
        std::to_string(row.on_time), std::to_string(row.late), std::to_string(row.pending),
        std::to_string(row.unregistered)};
  };
  for (const auto& row : report.rows) {
    rows.push_back(cells(row_label_en(report, row), row));
  }
  rows.push_back(cells("total", report.total));
  // Widths in code points, so Vietnamese names line up.
  auto length = [](const std::string& text) {
    std::size_t count = 0;
    for (unsigned char c : text) {
      count += (c & 0xC0U) != 0x80U ? 1 : 0;
    }
    return count;
  };
  std::vector<std::size_t> widths(rows[0].size(), 0);
  for (auto& row : rows) {
    if (length(row[0]) > 48) {
      std::size_t cut = 0;
      std::size_t points = 0;
      while (cut < row[0].size() && points < 47) {
        ++cut;
        while (cut < row[0].size() && (static_cast<unsigned char>(row[0][cut]) & 0xC0U) == 0x80U) {
          ++cut;
        }
        ++points;
      }
      row[0] = row[0].substr(0, cut) + "…";
    }
    for (std::size_t col = 0; col < row.size(); ++col) {
      widths[col] = std::max(widths[col], length(row[col]));
    }
  }
  std::string out = fmt::format("Digitization, period {} ({} .. {}), by {}\n", report.query.period.text,
                                report.query.period.from.empty() ? "start" : report.query.period.from,
                                report.query.period.to, storage::to_string(report.query.by));
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const auto& row = rows[row_idx];
    std::string line;
    for (std::size_t col = 0; col < row.size(); ++col) {
      const std::string pad(widths[col] - length(row[col]), ' ');
      line += col == 0 ? row[col] + pad : "  " + pad + row[col];
    }
    out += line + "\n";
    if (row_idx == 0 || row_idx + 2 == rows.size()) {
      out += std::string(length(line), '-') + "\n";
    }
  }
  if (!report.unregistered.empty()) {
    out += fmt::format("\n{} archived dossier(s) not in the register (counted as received and "
                       "digitized):\n",
                       report.unregistered.size());
    for (const auto& dossier : report.unregistered) {
      out += fmt::format("  {}  {}  {}\n", dossier.code, dossier.received_date, dossier.unit);
    }
  }
  return out;
}

std::string report_csv(const Report& report) {
  std::string out =
      "by,key,name,level,received,digitized,unregistered,rate_percent,target_percent,gap,early,"
      "on_time,late,pending\n";
  auto line = [&](const std::string& by, const ReportRow& row) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", by, csv_field(row.key),
                       csv_field(row.name),
                       row.level == core::Level::unknown ? "" : core::to_string(row.level),
                       row.received, row.digitized, row.unregistered, percent_plain(row.rate),
                       row.target ? percent_plain(*row.target) : "", row.target ? std::to_string(row.gap) : "",
                       row.early, row.on_time, row.late, row.pending);
  };
  for (const auto& row : report.rows) {
    line(std::string(storage::to_string(report.query.by)), row);
  }
  line("total", report.total);
  return out;
}

nlohmann::json report_json(const Report& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : report.rows) {
    rows.push_back(row_json(row));
  }
  nlohmann::json unregistered = nlohmann::json::array();
  for (const auto& dossier : report.unregistered) {
    unregistered.push_back({{"dossier", dossier.code},
                            {"title", dossier.title},
                            {"unit", dossier.unit},
                            {"level", core::to_string(dossier.level)},
                            {"received_date", dossier.received_date}});
  }
  return {{"period",
           {{"text", report.query.period.text},
            {"from", report.query.period.from},
            {"to", report.query.period.to}}},
          {"by", storage::to_string(report.query.by)},
          {"rows", rows},
          {"total", row_json(report.total)},
          {"unregistered", unregistered}};
}

ocr::ReportDocument report_document(const ReportSet& reports) {
  ocr::ReportDocument document;
  document.title = "BÁO CÁO KẾT QUẢ SỐ HÓA HỒ SƠ TIẾP NHẬN";
  document.subtitle = {
      "Kỳ báo cáo: " + period_vi(reports.main.query.period),
      "Tỷ lệ số hóa = hồ sơ đã số hóa / hồ sơ tiếp nhận trong kỳ (theo sổ tiếp nhận); "
      "“Còn thiếu để đạt” = số hồ sơ cần số hóa thêm để đạt chỉ tiêu.",
      "Lập ngày " + date_vi(reports.made_on) + " bằng sohoa."};
  const auto& level = reports.by_level;
  {
    ocr::ReportSection section;
    section.heading = "1. Theo cấp hành chính";
    section.table = table_vi(ReportBy::level, level.rows, &level.total);
    add_chart(section, ReportBy::level, level.rows, "Tỷ lệ số hóa so với chỉ tiêu, theo cấp");
    document.sections.push_back(std::move(section));
  }
  int part = 0;
  for (auto level_value : {core::Level::province, core::Level::district, core::Level::commune,
                           core::Level::unknown}) {
    std::vector<ReportRow> rows;
    for (const auto& row : reports.by_unit.rows) {
      if (row.level == level_value) {
        rows.push_back(row);
      }
    }
    if (rows.empty()) {
      continue;
    }
    ++part;
    ocr::ReportSection section;
    section.heading = fmt::format("2.{} Theo đơn vị tiếp nhận — {}", part, level_vi(level_value));
    const ReportRow* level_total = nullptr;
    for (const auto& row : level.rows) {
      if (row.level == level_value) {
        level_total = &row;
      }
    }
    section.table = table_vi(ReportBy::unit, rows, rows.size() > 1 ? level_total : nullptr);
    add_chart(section, ReportBy::unit, rows,
              "Tỷ lệ số hóa so với chỉ tiêu, " + level_vi(level_value));
    document.sections.push_back(std::move(section));
  }
  const auto by = reports.main.query.by;
  if (by != ReportBy::level && by != ReportBy::unit) {
    ocr::ReportSection section;
    section.heading = fmt::format("3. Theo {}", by == ReportBy::agency      ? "cơ quan"
                                                : by == ReportBy::procedure ? "thủ tục hành chính"
                                                                            : "tháng tiếp nhận");
    section.table = table_vi(by, reports.main.rows, &reports.main.total);
    add_chart(section, by, reports.main.rows, "Tỷ lệ số hóa so với chỉ tiêu");
    document.sections.push_back(std::move(section));
  }
  if (!level.unregistered.empty()) {
    ocr::ReportSection section;
    section.heading = "Hồ sơ đã số hóa nhưng chưa có trong sổ tiếp nhận";
    ocr::ReportTable table;
    table.columns = {"Mã hồ sơ", "Ngày tiếp nhận", "Cấp", "Đơn vị tiếp nhận"};
    for (const auto& dossier : level.unregistered) {
      table.rows.push_back({dossier.code, date_vi(dossier.received_date), level_vi(dossier.level),
                            dossier.unit});
    }
    section.table = std::move(table);
    section.notes = {"Các hồ sơ này được tính là đã tiếp nhận và đã số hóa; cần bổ sung vào sổ "
                     "tiếp nhận."};
    document.sections.push_back(std::move(section));
  }
  return document;
}

std::string report_html(const ocr::ReportDocument& document) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      html_escape(document.title) +
      "</title>\n<style>\n"
      "body{font-family:\"DejaVu Sans\",Arial,sans-serif;margin:24px;color:#111;max-width:1100px}\n"
      "h1{font-size:20px;margin:0 0 6px}h2{font-size:16px;margin:26px 0 8px}\n"
      "p.sub{color:#555;margin:2px 0;font-size:13px}\n"
      "table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}\n"
      "th{background:#dbe3f0;font-weight:bold;padding:4px 8px;text-align:right;white-space:pre-line}\n"
      "th:first-child,td:first-child{text-align:left}\n"
      "td{padding:3px 8px;text-align:right;border-bottom:1px solid #bbb}\n"
      "tr.total td{font-weight:bold;background:#f2f2f2}\n"
      "p.chart{font-weight:bold;font-size:13px;margin:8px 0 2px}\n"
      ".legend{font-size:12px;color:#333}.legend span{display:inline-block;width:12px;height:10px;"
      "margin:0 4px 0 12px}\n"
      "p.note{color:#555;font-size:12px}\n"
      "@media print{body{margin:0}}\n</style>\n</head>\n<body>\n";
  html += "<h1>" + html_escape(document.title) + "</h1>\n";
  for (const auto& line : document.subtitle) {
    html += "<p class=\"sub\">" + html_escape(line) + "</p>\n";
  }
  for (const auto& section : document.sections) {
    html += "<section>\n<h2>" + html_escape(section.heading) + "</h2>\n";
    if (section.table) {
      html += "<table>\n<thead><tr>";
      for (const auto& column : section.table->columns) {
        html += "<th>" + html_escape(column) + "</th>";
      }
      html += "</tr></thead>\n<tbody>\n";
      for (std::size_t row_idx = 0; row_idx < section.table->rows.size(); ++row_idx) {
        const bool total = row_idx < section.table->emphasis.size() && section.table->emphasis[row_idx];
        html += total ? "<tr class=\"total\">" : "<tr>";
        for (const auto& cell : section.table->rows[row_idx]) {
          html += "<td>" + html_escape(cell) + "</td>";
        }
        html += "</tr>\n";
      }
      html += "</tbody>\n</table>\n";
    }
    if (!section.chart_title.empty() && !section.bars.empty()) {
      html += "<p class=\"chart\">" + html_escape(section.chart_title) + "</p>\n";
      html += "<div class=\"legend\"><span style=\"background:#2e8c57\"></span><span "
              "style=\"background:#ed8c21;margin-left:0\"></span>" +
              html_escape(section.legend_rate) +
              "<span style=\"background:#b30d0d;width:3px\"></span>" +
              html_escape(section.legend_target) + "</div>\n";
      html += svg_chart(section);
    }
    for (const auto& note : section.notes) {
      html += "<p class=\"note\">" + html_escape(note) + "</p>\n";
    }
    html += "</section>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace sohoa::app
