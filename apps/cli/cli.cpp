// The command line: global options, the subcommands from commands.cpp, and the one catch boundary
// that maps errors to the documented exit codes. Nothing important lives here.

#include "cli.hpp"

#include <cstdlib>

#include <unistd.h>

#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/storage/catalog.hpp"

namespace sohoa::app {
namespace {

constexpr const char* k_footer = R"(
Archive: --archive DIR, else $SOHOA_ARCHIVE, else ./archive.

Examples:
  sohoa init
  sohoa ingest samples/batch --jobs 2 --operator "Nguyễn Văn An" --station BC-01
  sohoa search "dang ky kinh doanh" --level province
  sohoa show 000.00.04.H38-260302-0001
  sohoa text 000.00.04.H38-260302-0001 --page 2
  sohoa verify
  sohoa user add lan --role archivist
  sohoa serve --listen 127.0.0.1:8080

Exit status: 0 all good; 2 could not run (bad arguments, no archive, unreadable batch folder,
missing language data); 3 finished with failures (dossiers not archived, fixity mismatches).)";

std::filesystem::path archive_root(const std::string& option) {
  if (!option.empty()) {
    return option;
  }
  if (const char* env = std::getenv("SOHOA_ARCHIVE"); env != nullptr && *env != '\0') {
    return env;
  }
  return "archive";
}

// The one catch boundary's way out: the message, and exit 2 (could not run).
int fail(std::ostream& err, const std::string& message) {
  fmt::print(err, "sohoa: {}\n", message);
  return exit_error;
}

}  // namespace

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"sohoa " + version() +
               " — turns scanned dossiers into an archive of searchable PDF/A files with a "
               "full-text catalog"};
  app.footer(k_footer);
  app.require_subcommand(0, 1);
  std::string archive_option;
  app.add_option("--archive", archive_option, "Archive folder (default $SOHOA_ARCHIVE or ./archive)");
  app.set_version_flag("--version", "sohoa " + version());
  app.fallthrough();

  auto commands = all_commands();
  std::vector<CLI::App*> subcommands;
  for (auto& command : commands) {
    subcommands.push_back(command->add_to(app));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return exit_ok;
  } catch (const CLI::CallForVersion&) {
    out << "sohoa " << version() << '\n';
    return exit_ok;
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      out << app.help();
      return exit_ok;
    }
    fmt::print(err, "sohoa: {}\nRun 'sohoa --help' for the commands and their options.\n",
               error.what());
    return exit_error;
  }

  const CommandContext context{archive_root(archive_option), out, err,
                               isatty(STDERR_FILENO) != 0};
  try {
    for (std::size_t index = 0; index < commands.size(); ++index) {
      if (subcommands[index]->parsed()) {
        return commands[index]->run(context);
      }
    }
    out << app.help();
    return exit_ok;
  } catch (const core::UsageError& error) {
    return fail(err, error.what());
  } catch (const core::Fatal& error) {
    return fail(err, error.what());
  } catch (const storage::QueryError& error) {
    return fail(err, error.what());
  } catch (const std::exception& error) {
    return fail(err, std::string("internal error: ") + error.what());
  }
}

}  // namespace sohoa::app
