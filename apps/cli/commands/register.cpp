#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/clock.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/storage/register.hpp"

namespace sohoa::app {
namespace {

class RegisterCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "register", "The register of received dossiers (the one-stop system's export)");
    command->require_subcommand(1);
    m_import = command->add_subcommand(
        "import",
        "Load a register CSV (UTF-8, header row; columns dossier_code, procedure_code, "
        "procedure_name, agency, unit, level, received_date, due_date, resolved_date, status in any "
        "order; other columns are kept). Re-importing a code updates it. Bad rows (no code, bad "
        "date, unknown level, a code twice in the file) are named with their line and skipped; "
        "the good rows land and the exit status is 3.");
    m_import->add_option("FILE", m_file, "The register CSV")->required();
    add_json_flag(m_import, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    auto archive = storage::Archive::open(context.archive);
    const auto result = storage::import_register(archive.catalog(), m_file,
                                                 core::iso_utc(core::SystemClock().now()));
    if (m_json) {
      nlohmann::json skipped = nlohmann::json::array();
      for (const auto& problem : result.skipped) {
        skipped.push_back({{"file", problem.file},
                           {"line", problem.line},
                           {"dossier", problem.dossier_code},
                           {"reason", problem.reason},
                           {"message", problem.message}});
      }
      print_json(context.out, {{"file", result.file},
                               {"rows", result.rows},
                               {"added", result.added},
                               {"updated", result.updated},
                               {"skipped", skipped},
                               {"register_total", result.register_total}});
    } else {
      for (const auto& problem : result.skipped) {
        fmt::print(context.err, "{}:{}: skipped{}: {}\n", problem.file, problem.line,
                   problem.dossier_code.empty() ? "" : " " + problem.dossier_code, problem.message);
      }
      fmt::print(context.out,
                 "Register {}: {} row(s): {} added, {} updated, {} skipped. The register holds {} "
                 "dossier(s).\n",
                 result.file, result.rows, result.added, result.updated, result.skipped.size(),
                 result.register_total);
    }
    return result.skipped.empty() ? exit_ok : exit_failures;
  }

 private:
  CLI::App* m_import = nullptr;
  std::string m_file;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_register_command() { return std::make_unique<RegisterCommand>(); }

}  // namespace sohoa::app
