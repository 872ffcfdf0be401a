#include "command.hpp"
#include "jobs.hpp"
#include "progress.hpp"

namespace sohoa::app {
namespace {

class IngestCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "ingest",
        "Turn a batch folder into archived, searchable PDFs.\nBATCH_DIR holds one folder per "
        "dossier (named by its dossier code) with page images (TIFF, JPEG, PNG) in natural order, "
        "and optionally manifest.csv with the columns\n  dossier_code,title,procedure_code,"
        "procedure_name,agency,unit,level,received_date,applicant\n(level: "
        "province|district|commune; dates YYYY-MM-DD; other columns kept as extra metadata). "
        "Re-running a batch archives only what is missing.");
    command->add_option("BATCH_DIR", m_batch, "Batch folder")->required();
    command->add_option("--jobs,-j", m_config.jobs, "Pages processed at once (one OCR engine each)")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    command->add_option("--lang", m_config.languages, "OCR languages (Tesseract names)")
        ->capture_default_str();
    command->add_option("--operator", m_config.operator_name, "Who scanned the batch (recorded)");
    command->add_option("--station", m_config.station, "Scanning station (recorded)");
    command->add_flag("--replace", m_config.replace,
                      "Replace dossiers already archived with different pages (the old PDF is "
                      "kept until the new one is committed)");
    command->add_flag("--drop-blank", m_config.drop_blank,
                      "Leave blank pages (backs, separator sheets) out of the PDF; they stay in "
                      "the catalog, flagged blank,left-out");
    command->add_flag(
        "--no-correct{false}", m_config.correct_vietnamese,
        "Keep Tesseract's words as they are: no Vietnamese syllable correction, no second "
        "reading of English-read runs in Vietnamese, no dropping of junk blocks");
    command->add_flag("--quiet,-q", m_quiet, "No progress lines; errors and the summary only");
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    m_config.archive = context.archive;
    m_config.batch = m_batch;
    const bool live = !m_json && !m_quiet && context.err_is_terminal;
    ConsoleObserver observer(context.err, live, m_quiet || m_json);
    const auto clock = make_cli_clock();
    const IngestSummary result = run_ingest(m_config, *clock, &observer);
    observer.finish();
    if (m_json) {
      print_json(context.out, to_json(result));
    } else {
      print_summary(context.out, result);
    }
    return exit_code(result);
  }

 private:
  IngestConfig m_config;
  std::string m_batch;
  bool m_quiet = false;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_ingest_command() { return std::make_unique<IngestCommand>(); }

}  // namespace sohoa::app
