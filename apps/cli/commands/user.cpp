// Design notes
// - A password is read from the terminal twice with echo off, or once from stdin with
//   --password-stdin (scripts, tests); never from an argument, which other users see in `ps`.
// - Each change is written to the events log (actor: the login name running the command), so
//   `sohoa audit` shows who was given which role and when.

#include <cstdlib>
#include <iostream>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/storage/accounts.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/web/passwords.hpp"

namespace sohoa::app {
namespace {

std::string local_actor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "sohoa";
}

// One line from the terminal with echo off; core::UsageError when there is no terminal.
std::string prompt_hidden(const std::string& prompt, std::ostream& err) {
  const int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    throw core::UsageError("no terminal to ask for the password: use --password-stdin");
  }
  fmt::print(err, "{}", prompt);
  err.flush();
  termios saved{};
  const bool quiet = tcgetattr(tty, &saved) == 0;
  if (quiet) {
    termios no_echo = saved;
    no_echo.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(tty, TCSAFLUSH, &no_echo);
  }
  std::string line;
  char c = 0;
  while (read(tty, &c, 1) == 1 && c != '\n') {
    line += c;
  }
  if (quiet) {
    tcsetattr(tty, TCSAFLUSH, &saved);
  }
  close(tty);
  fmt::print(err, "\n");
  return line;
}

std::string read_password(bool from_stdin, std::ostream& err) {
  std::string password;
  if (from_stdin) {
    if (!std::getline(std::cin, password)) {
      throw core::UsageError("--password-stdin: nothing on stdin");
    }
  } else {
    password = prompt_hidden("Password: ", err);
    if (prompt_hidden("Password again: ", err) != password) {
      throw core::UsageError("the two passwords differ; nothing changed");
    }
  }
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  if (password.size() < web::k_min_password_bytes) {
    throw core::UsageError(fmt::format("a password needs at least {} characters",
                                       web::k_min_password_bytes));
  }
  return password;
}

class UserCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "user",
        "Accounts of the web app (sohoa serve). Roles: admin (everything, users, audit), archivist "
        "(search and open dossiers), official (dashboard and report: numbers only), operator "
        "(batches). Passwords are stored as argon2id hashes.");
    command->require_subcommand(1);
    m_add = command->add_subcommand("add", "Create an account (asks for the password twice)");
    m_add->add_option("NAME", m_name, "Login name")->required();
    m_add->add_option("--role", m_role, "admin | archivist | official | operator")
        ->required()
        ->check(CLI::IsMember({"admin", "archivist", "official", "operator"}));
    m_add->add_flag("--password-stdin", m_stdin, "Read the password from the first line of stdin");
    m_passwd = command->add_subcommand("passwd", "Set a new password (logs the user out everywhere)");
    m_passwd->add_option("NAME", m_name, "Login name")->required();
    m_passwd->add_flag("--password-stdin", m_stdin, "Read the password from the first line of stdin");
    m_disable = command->add_subcommand("disable", "Refuse the user's logins and end their sessions");
    m_disable->add_option("NAME", m_name, "Login name")->required();
    m_enable = command->add_subcommand("enable", "Let a disabled user log in again");
    m_enable->add_option("NAME", m_name, "Login name")->required();
    m_list = command->add_subcommand("list", "The accounts: name, role, state, created");
    add_json_flag(m_list, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    auto archive = storage::Archive::open(context.archive);
    auto& catalog = archive.catalog();
    const core::SystemClock clock;
    auto log = [&](const std::string& action, const std::string& detail) {
      catalog.add_event(core::iso_utc(clock.now()), local_actor(), action, "",
                        m_name + (detail.empty() ? "" : ": " + detail));
    };
    if (m_list->parsed()) {
      list(catalog, context);
    } else if (m_add->parsed()) {
      if (storage::find_user(catalog, m_name)) {
        throw core::UsageError(fmt::format("user '{}' exists already", m_name));
      }
      storage::UserRecord user;
      user.name = m_name;
      user.role = *storage::parse_role(m_role);
      user.password_hash = web::hash_password(read_password(m_stdin, context.err));
      user.created_at = core::iso_utc(clock.now());
      storage::add_user(catalog, user);
      log("user-add", m_role);
      fmt::print(context.out, "User {} added ({})\n", m_name, m_role);
    } else if (m_passwd->parsed()) {
      if (!storage::find_user(catalog, m_name)) {
        throw core::UsageError(fmt::format("no user '{}' (sohoa user list shows them)", m_name));
      }
      storage::set_password_hash(catalog, m_name,
                                 web::hash_password(read_password(m_stdin, context.err)));
      log("user-passwd", "");
      fmt::print(context.out, "Password of {} changed; their sessions ended\n", m_name);
    } else if (m_disable->parsed()) {
      storage::set_disabled(catalog, m_name, true);
      log("user-disable", "");
      fmt::print(context.out, "User {} disabled; their sessions ended\n", m_name);
    } else if (m_enable->parsed()) {
      storage::set_disabled(catalog, m_name, false);
      log("user-enable", "");
      fmt::print(context.out, "User {} enabled\n", m_name);
    }
    return exit_ok;
  }

 private:
  void list(const storage::Catalog& catalog, const CommandContext& context) const {
    const auto users = storage::list_users(catalog);
    if (m_json) {
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& user : users) {
        rows.push_back({{"name", user.name},
                        {"role", storage::to_string(user.role)},
                        {"disabled", user.disabled},
                        {"created_at", user.created_at}});
      }
      print_json(context.out, {{"users", rows}});
      return;
    }
    if (users.empty()) {
      fmt::print(context.out, "No users yet (sohoa user add NAME --role admin)\n");
      return;
    }
    fmt::print(context.out, "{:<20} {:<10} {:<9} {}\n", "name", "role", "state", "created");
    for (const auto& user : users) {
      fmt::print(context.out, "{:<20} {:<10} {:<9} {}\n", user.name, storage::to_string(user.role),
                 user.disabled ? "disabled" : "active", user.created_at);
    }
  }

  CLI::App* m_add = nullptr;
  CLI::App* m_passwd = nullptr;
  CLI::App* m_disable = nullptr;
  CLI::App* m_enable = nullptr;
  CLI::App* m_list = nullptr;
  std::string m_name;
  std::string m_role;
  bool m_stdin = false;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_user_command() { return std::make_unique<UserCommand>(); }

}  // namespace sohoa::app
