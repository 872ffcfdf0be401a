#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"

namespace sohoa::app {
namespace {

class TextCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand("text", "The OCR text of a dossier");
    command->add_option("CODE", m_code, "Dossier code")->required();
    command->add_option("--page", m_page, "Only this page (1-based)")->check(CLI::PositiveNumber);
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    const auto texts = run_text(context.archive, m_code, m_page);
    auto& out = context.out;
    if (m_json) {
      nlohmann::json pages = nlohmann::json::array();
      for (const auto& [seq, body] : texts) {
        pages.push_back({{"page", seq}, {"text", body}});
      }
      print_json(out, {{"dossier", m_code}, {"pages", pages}});
      return exit_ok;
    }
    for (const auto& [seq, body] : texts) {
      if (texts.size() > 1) {
        fmt::print(out, "--- page {} ---\n", seq);
      }
      out << body << (body.empty() || body.back() == '\n' ? "" : "\n");
    }
    return exit_ok;
  }

 private:
  std::string m_code;
  int m_page = 0;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_text_command() { return std::make_unique<TextCommand>(); }

}  // namespace sohoa::app
