// `sohoa verify-package DIR...`: checks information packages made by `sohoa export`.

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/storage/export.hpp"

namespace sohoa::app {
namespace {

class VerifyPackageCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "verify-package",
        "Check an exported package: structure, XML against sohoa's schemas, every size and SHA-256; "
        "exit 3 if anything is wrong");
    command->add_option("DIR", m_dirs, "Package folders")->required();
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    nlohmann::json json = nlohmann::json::array();
    bool all_ok = true;
    for (const auto& dir : m_dirs) {
      const storage::PackageReport report = storage::verify_package(dir);
      all_ok = all_ok && report.problems.empty();
      nlohmann::json problems = nlohmann::json::array();
      for (const auto& problem : report.problems) {
        problems.push_back({{"path", problem.path}, {"problem", problem.message}});
        if (!m_json) {
          fmt::print(context.out, "{}: {}: {}\n", dir.string(), problem.path.empty() ? "(package)" : problem.path,
                     problem.message);
        }
      }
      json.push_back({{"package", dir.string()},
                      {"dossier", report.dossier},
                      {"files_checked", report.files_checked},
                      {"ok", report.problems.empty()},
                      {"problems", problems}});
      if (!m_json) {
        fmt::print(context.out, "{}: dossier {}, {} file(s) checked: {}\n", dir.string(),
                   report.dossier.empty() ? "?" : report.dossier, report.files_checked,
                   report.problems.empty() ? "intact" : fmt::format("{} problem(s)", report.problems.size()));
      }
    }
    if (m_json) {
      print_json(context.out, json);
    }
    return all_ok ? exit_ok : exit_failures;
  }

 private:
  std::vector<std::filesystem::path> m_dirs;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_verify_package_command() { return std::make_unique<VerifyPackageCommand>(); }

}  // namespace sohoa::app
