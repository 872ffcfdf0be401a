// `sohoa export CODE... --out DIR [--zip]`: one information package per dossier
// (storage/export.hpp), and the `SOHOA_FIXED_TIME` clock shared by the commands that stamp times.

#include <cstdlib>
#include <ctime>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/storage/export.hpp"

namespace sohoa::app {

std::unique_ptr<core::Clock> make_cli_clock() {
  const char* fixed = std::getenv("SOHOA_FIXED_TIME");
  if (fixed == nullptr || *fixed == '\0') {
    return std::make_unique<core::SystemClock>();
  }
  std::tm parts{};
  int year = 0;
  int month = 0;
  if (std::sscanf(fixed, "%4d-%2d-%2dT%2d:%2d:%2dZ", &year, &month, &parts.tm_mday, &parts.tm_hour,
                  &parts.tm_min, &parts.tm_sec) != 6) {
    throw core::UsageError(std::string("SOHOA_FIXED_TIME must look like 2026-01-15T09:30:05Z, not ") + fixed);
  }
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  return std::make_unique<core::FixedClock>(std::chrono::system_clock::from_time_t(timegm(&parts)));
}

namespace {

class ExportCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "export", "Write an archival information package (METS, PREMIS, PDF/A) per dossier");
    command->add_option("CODE", m_codes, "Dossier codes")->required();
    command->add_option("--out", m_out, "Folder for the packages (one sub-folder per dossier)")->required();
    command->add_flag("--zip", m_zip, "Also write <code>.zip beside each package folder");
    command->add_option("--operator", m_operator, "Who exports (recorded as the event's actor)");
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    auto archive = storage::Archive::open(context.archive);
    const auto clock = make_cli_clock();
    storage::ExportOptions options;
    options.out = m_out;
    options.zip = m_zip;
    options.now = core::iso_utc(clock->now());
    options.agent = "sohoa " + version();
    options.actor = m_operator;
    nlohmann::json json = nlohmann::json::array();
    int failed = 0;
    for (const std::string& code : m_codes) {
      const auto package = storage::export_dossier(archive, code, options);
      if (!package) {
        ++failed;
        fmt::print(context.err, "error: {}\n", package.error());
        json.push_back({{"dossier", code}, {"error", package.error()}});
        continue;
      }
      archive.catalog().add_event(options.now, m_operator, "export", code, package->dir.string());
      json.push_back({{"dossier", code},
                      {"package", package->dir.string()},
                      {"zip", package->zip.string()},
                      {"files", package->files},
                      {"bytes", package->bytes}});
      if (!m_json) {
        fmt::print(context.out, "{}  {} ({} files, {} bytes){}\n", code, package->dir.string(), package->files,
                   package->bytes, package->zip.empty() ? "" : "  + " + package->zip.string());
      }
    }
    if (m_json) {
      print_json(context.out, json);
    }
    return failed == 0 ? exit_ok : exit_failures;
  }

 private:
  std::vector<std::string> m_codes;
  std::filesystem::path m_out;
  std::string m_operator;
  bool m_zip = false;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_export_command() { return std::make_unique<ExportCommand>(); }

}  // namespace sohoa::app
