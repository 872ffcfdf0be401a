#pragma once
// One sohoa subcommand per file under commands/: it declares its options on the CLI11 app and
// runs its job. cli.cpp owns the global options, the catch boundary and the exit codes;
// commands.cpp holds the one list of commands.

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "sohoa/core/clock.hpp"

namespace sohoa::app {

struct CommandContext {
  std::filesystem::path archive;  // from --archive, $SOHOA_ARCHIVE or ./archive
  std::ostream& out;              // results
  std::ostream& err;              // progress, errors
  bool err_is_terminal = false;   // a live progress line may be drawn on `err`
};

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand and its options to `app`, binding them to members. Returns it.
  virtual CLI::App* add_to(CLI::App& app) = 0;
  // Runs after a successful parse when this subcommand was given. Returns the exit code;
  // throws core::UsageError, core::Fatal or storage::QueryError for the catch boundary.
  virtual int run(const CommandContext& context) = 0;
};

// Every command, in the order `sohoa --help` lists them.
std::vector<std::unique_ptr<Command>> all_commands();

std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_ingest_command();
std::unique_ptr<Command> make_search_command();
std::unique_ptr<Command> make_show_command();
std::unique_ptr<Command> make_text_command();
std::unique_ptr<Command> make_verify_command();
std::unique_ptr<Command> make_summary_command();
std::unique_ptr<Command> make_register_command();
std::unique_ptr<Command> make_targets_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_verify_package_command();
std::unique_ptr<Command> make_serve_command();
std::unique_ptr<Command> make_user_command();
std::unique_ptr<Command> make_audit_command();

// Helpers shared by the commands.
// The clock commands stamp times with: $SOHOA_FIXED_TIME ("2026-01-15T09:30:05Z") when set, so
// that the same input gives byte-identical PDFs and packages; else the system clock.
// Throws core::UsageError for a malformed value. (Defined in commands/export.cpp.)
std::unique_ptr<core::Clock> make_cli_clock();
void add_json_flag(CLI::App* command, bool& json);
void print_json(std::ostream& out, const nlohmann::json& json);
// `text` on one line (newlines and tabs as spaces), cut at `width` bytes on a UTF-8 boundary.
std::string one_line(std::string text, std::size_t width);

}  // namespace sohoa::app
