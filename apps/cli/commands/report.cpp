#include <fstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "report_render.hpp"
#include "sohoa/core/clock.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/ocr/haru_report_writer.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/storage/targets.hpp"

namespace sohoa::app {
namespace {

class ReportCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "report",
        "Digitization rates: for the period, dossiers received (register), digitized (archived), "
        "rate, target, gap (dossiers still to digitize to reach the target), resolution on time "
        "(early / on time / late / pending), and archived dossiers missing from the register");
    command->add_option("--period", m_period,
                        "2026 | 2026-Q3 | 2026-09 | 2026-09-15 | FROM..TO (default: all time)");
    command->add_option("--by", m_by, "level | unit | agency | procedure | month")
        ->capture_default_str();
    command->add_option("--format", m_format, "table | csv | json | html | pdf")
        ->capture_default_str()
        ->check(CLI::IsMember({"table", "csv", "json", "html", "pdf"}));
    command->add_option("--out", m_out, "Write to FILE (required for pdf; default stdout)");
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    if (m_json) {
      m_format = "json";
    }
    storage::ReportQuery query;
    query.period = storage::parse_period(m_period);
    query.by = storage::parse_report_by(m_by);
    if (m_format == "pdf" && m_out.empty()) {
      throw core::UsageError("--format pdf needs --out FILE.pdf");
    }
    const auto archive = storage::Archive::open(context.archive);
    const auto& catalog = archive.catalog();
    const auto targets = storage::load_targets(catalog);
    ReportSet reports;
    reports.main = storage::build_report(catalog, query, targets);

    std::string text;
    if (m_format == "table") {
      text = report_table(reports.main);
    } else if (m_format == "csv") {
      text = report_csv(reports.main);
    } else if (m_format == "json") {
      text = report_json(reports.main).dump(2) + "\n";
    } else {
      auto level_query = query;
      level_query.by = storage::ReportBy::level;
      reports.by_level = storage::build_report(catalog, level_query, targets);
      auto unit_query = query;
      unit_query.by = storage::ReportBy::unit;
      reports.by_unit = storage::build_report(catalog, unit_query, targets);
      reports.made_on = core::iso_date(core::SystemClock().now());
      const auto document = report_document(reports);
      if (m_format == "pdf") {
        const auto written = ocr::write_report_pdf(document, m_out);
        if (!written) {
          throw core::Fatal("cannot write the report " + m_out + ": " + written.error());
        }
        fmt::print(context.err, "Report written to {}\n", m_out);
        return exit_ok;
      }
      text = report_html(document);
    }
    if (m_out.empty()) {
      context.out << text;
      return exit_ok;
    }
    std::ofstream file(m_out, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      throw core::Fatal("cannot write the report " + m_out);
    }
    fmt::print(context.err, "Report written to {}\n", m_out);
    return exit_ok;
  }

 private:
  std::string m_period;
  std::string m_by = "level";
  std::string m_format = "table";
  std::string m_out;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace sohoa::app
