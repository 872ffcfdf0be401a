#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/archival.hpp"

namespace sohoa::app {
namespace {

class ShowCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand("show", "A dossier's metadata, pages and PDF");
    command->add_option("CODE", m_code, "Dossier code")->required();
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    const auto dossier = run_show(context.archive, m_code);
    auto& out = context.out;
    if (m_json) {
      print_json(out, to_json(dossier, context.archive));
      return exit_ok;
    }
    const auto& meta = dossier.meta;
    auto field = [&out](const std::string& name, const std::string& value) {
      fmt::print(out, "{:<15} {}\n", name, value.empty() ? "-" : value);
    };
    field("Dossier", meta.code);
    field("Title", meta.title);
    field("Procedure", meta.procedure_code.empty()
                           ? meta.procedure_name
                           : meta.procedure_code + "  " + meta.procedure_name);
    field("Agency", meta.agency);
    field("Unit", meta.unit);
    field("Level", std::string(core::to_string(meta.level)));
    field("Received", meta.received_date);
    field("Applicant", meta.applicant);
    for (const auto& [key, value] : meta.extra) {
      if (!core::is_archival_column(key)) {
        field(key, value);
      }
    }
    // The archival record (core/archival.hpp): coded values with their meaning, defaults marked.
    for (const auto& item : core::archival_fields(meta, dossier.page_count)) {
      const std::string meaning = core::archival_code_label(item.name, item.value);
      const bool computed = item.name == "pageCount" || item.name == "confidenceLevel";
      field(item.label, item.value.empty() ? std::string()
                                           : item.value + (meaning.empty() ? "" : "  " + meaning) +
                                                 (item.from_manifest || computed ? "" : "  (default)"));
    }
    field("Digitized", dossier.digitized_at + "  (batch " + std::to_string(dossier.batch_id) + ")");
    field("PDF", (std::filesystem::absolute(context.archive) / dossier.pdf_path).string());
    field("SHA-256", dossier.pdf_sha256);
    field("Size", fmt::format("{} bytes, {} pages", dossier.pdf_bytes, dossier.page_count));
    fmt::print(out, "\n{:>4}  {:>8}  {:>7}  {:>10}  {:<15} {}\n", "page", "rotation", "skew",
               "confidence", "outcome", "flags / source");
    for (const auto& row : dossier.pages) {
      std::string source = std::filesystem::path(row.source_path).filename().string();
      if (row.source_index > 0) {
        source += fmt::format(" [page {}]", row.source_index + 1);
      }
      const std::string flags = core::describe_flags(row.flags);
      fmt::print(out, "{:>4}  {:>7}°  {:>6.2f}°  {:>9.0f}%  {:<15} {}{}\n", row.seq,
                 row.rotation_deg, row.skew_deg, row.ocr_confidence, core::to_string(row.outcome),
                 flags.empty() ? "" : flags + "  ", source);
      if ((row.flags & core::k_rescan_flags) != 0) {
        fmt::print(out, "{:>6}rescan: {}\n", "",
                   rescan_reason(row.flags, row.ocr_confidence, row.dpi));
      }
    }
    return exit_ok;
  }

 private:
  std::string m_code;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_show_command() { return std::make_unique<ShowCommand>(); }

}  // namespace sohoa::app
