#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"

namespace sohoa::app {
namespace {

class InitCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand("init", "Create an archive: catalog.sqlite (WAL) and folders");
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    const auto root = run_init(context.archive);
    if (m_json) {
      print_json(context.out, {{"archive", root.string()}});
    } else {
      fmt::print(context.out, "Archive ready at {}\n", root.string());
    }
    return exit_ok;
  }

 private:
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_init_command() { return std::make_unique<InitCommand>(); }

}  // namespace sohoa::app
