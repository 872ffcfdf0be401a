#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"

namespace sohoa::app {
namespace {

class VerifyCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "verify", "Re-hash every stored PDF against the catalog; exit 3 if any is missing or changed");
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    const bool live = !m_json && context.err_is_terminal;
    auto& err = context.err;
    const auto report = run_verify(context.archive, [&](int done, int total) {
      if (live) {
        err << fmt::format("\r\033[Kverifying {}/{}", done, total) << std::flush;
      }
    });
    if (live) {
      err << "\r\033[K" << std::flush;
    }
    auto& out = context.out;
    if (m_json) {
      print_json(out, to_json(report));
    } else {
      for (const auto& problem : report.problems) {
        fmt::print(out, "{}: {} ({}){}\n", storage::to_string(problem.kind), problem.path,
                   problem.dossier,
                   problem.actual.empty()
                       ? ""
                       : fmt::format(": sha256 {} expected {}", problem.actual, problem.expected));
      }
      fmt::print(out, "{} file(s) checked, {} bytes: {}\n", report.files_checked,
                 report.bytes_checked,
                 report.problems.empty() ? "all intact"
                                         : fmt::format("{} problem(s)", report.problems.size()));
    }
    return report.problems.empty() ? exit_ok : exit_failures;
  }

 private:
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_verify_command() { return std::make_unique<VerifyCommand>(); }

}  // namespace sohoa::app
