#include "command.hpp"

namespace sohoa::app {

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_init_command());
  commands.push_back(make_ingest_command());
  commands.push_back(make_search_command());
  commands.push_back(make_show_command());
  commands.push_back(make_text_command());
  commands.push_back(make_verify_command());
  commands.push_back(make_summary_command());
  commands.push_back(make_register_command());
  commands.push_back(make_targets_command());
  commands.push_back(make_report_command());
  commands.push_back(make_export_command());
  commands.push_back(make_verify_package_command());
  commands.push_back(make_serve_command());
  commands.push_back(make_user_command());
  commands.push_back(make_audit_command());
  return commands;
}

void add_json_flag(CLI::App* command, bool& json) {
  command->add_flag("--json", json, "Print the result as JSON (for scripts)");
}

void print_json(std::ostream& out, const nlohmann::json& json) { out << json.dump(2) << '\n'; }

std::string one_line(std::string text, std::size_t width) {
  for (auto& c : text) {
    if (c == '\n' || c == '\t') {
      c = ' ';
    }
  }
  if (text.size() > width) {
    std::size_t cut = width;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
      --cut;
    }
    text = text.substr(0, cut) + "…";
  }
  return text;
}

}  // namespace sohoa::app
