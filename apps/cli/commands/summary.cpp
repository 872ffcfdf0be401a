#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"

namespace sohoa::app {
namespace {

class SummaryCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand("summary", "What the archive holds");
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    const auto result = run_summary(context.archive);
    auto& out = context.out;
    if (m_json) {
      print_json(out, to_json(result));
      return exit_ok;
    }
    fmt::print(out, "Archive {}\n", std::filesystem::absolute(context.archive).string());
    fmt::print(out, "  dossiers: {}   pages: {}   PDF bytes: {}   batches: {}\n", result.dossiers,
               result.pages, result.pdf_bytes, result.batches);
    std::string levels;
    for (const auto& [name, count] : result.dossiers_by_level) {
      levels += fmt::format("{}{} {}", levels.empty() ? "" : ", ", count,
                            name.empty() ? "unknown" : name);
    }
    fmt::print(out, "  by level: {}\n  pages flagged for rescan: {}\n  last ingest: {}\n",
               levels.empty() ? "-" : levels, result.flagged_pages,
               result.last_ingest.empty() ? "-" : result.last_ingest);
    return exit_ok;
  }

 private:
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_summary_command() { return std::make_unique<SummaryCommand>(); }

}  // namespace sohoa::app
