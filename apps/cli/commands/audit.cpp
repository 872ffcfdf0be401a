#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/storage/archive.hpp"

namespace sohoa::app {
namespace {

class AuditCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "audit",
        "The events log, newest first: who viewed or downloaded which dossier in the web app, "
        "logins and failed logins, account changes, ingests and replacements");
    command->add_option("--user", m_filter.actor, "Only this user's (or operator's) events");
    command->add_option("--action", m_filter.action,
                        "Only this action: view, download, login, login-failed, logout, "
                        "user-add, ingest, replace, ...");
    command->add_option("--limit", m_filter.limit, "How many events")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000));
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    const auto archive = storage::Archive::open(context.archive);
    const auto events = archive.catalog().events(m_filter);
    if (m_json) {
      print_json(context.out, to_json(events));
      return exit_ok;
    }
    if (events.empty()) {
      fmt::print(context.out, "No events{}\n",
                 m_filter.actor.empty() && m_filter.action.empty() ? "" : " match");
      return exit_ok;
    }
    fmt::print(context.out, "{:<20}  {:<16} {:<13} {:<26} {}\n", "at", "user", "action", "dossier",
               "detail");
    for (const auto& event : events) {
      fmt::print(context.out, "{:<20}  {:<16} {:<13} {:<26} {}\n", event.at,
                 one_line(event.actor, 16), event.action, event.dossier.empty() ? "-" : event.dossier,
                 one_line(event.detail, 60));
    }
    return exit_ok;
  }

 private:
  storage::EventFilter m_filter;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_audit_command() { return std::make_unique<AuditCommand>(); }

}  // namespace sohoa::app
