// Design notes
// - SIGINT and SIGTERM are blocked before the server's threads start (they inherit the mask) and
//   waited for on this thread with sigwait, which then stops the server: no work in a signal
//   handler. When the server stops by itself (it could not listen), it wakes this thread the same
//   way.
// - The "listening on" line goes to stdout, flushed, once the socket is bound: scripts and the
//   browser tests start `sohoa serve --listen 127.0.0.1:0` and read the port from it.

#include <csignal>
#include <mutex>
#include <thread>

#include <pthread.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/storage/accounts.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/web/server.hpp"

namespace sohoa::app {
namespace {

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0" -> host and port.
std::pair<std::string, int> parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  auto fail = [&text]() -> std::pair<std::string, int> {
    throw core::UsageError("--listen must be HOST:PORT (127.0.0.1:8080; port 0 picks a free one), not '" +
                           text + "'");
  };
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return fail();
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) {
      return fail();
    }
  } catch (const std::exception&) {
    return fail();
  }
  return {host, port};
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

class ServeCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "serve",
        "Serve the archive to browsers: search, dossiers, the digitization dashboard and batches, "
        "behind accounts (sohoa user add). The JSON API under /api/ is in docs/web-api.md. Prints "
        "'listening on http://HOST:PORT' when ready; Ctrl-C stops it. Binds to loopback unless "
        "told otherwise: to serve a network, put a TLS proxy in front.");
    command->add_option("--listen", m_listen, "HOST:PORT to listen on (port 0: any free port)")
        ->capture_default_str();
    command->add_option("--threads", m_threads, "Connections served at once")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    return command;
  }

  int run(const CommandContext& context) override {
    const auto [host, port] = parse_listen(m_listen);
    {
      const auto archive = storage::Archive::open(context.archive);
      if (storage::list_users(archive.catalog()).empty()) {
        fmt::print(context.err,
                   "sohoa serve: no accounts yet: nobody can log in (sohoa user add NAME --role "
                   "admin)\n");
      }
    }
    if (!is_loopback(host)) {
      fmt::print(context.err,
                 "sohoa serve: listening on {} without TLS: put a TLS proxy in front of it\n", host);
    }
    std::mutex log_mutex;
    web::ServerConfig config;
    config.archive = context.archive;
    config.host = host;
    config.port = port;
    config.threads = m_threads;
    config.log = [&context, &log_mutex](const std::string& message) {
      std::lock_guard lock(log_mutex);
      fmt::print(context.err, "sohoa serve: {}\n", message);
      context.err.flush();
    };

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    const core::SystemClock clock;
    web::Server server(config, clock);
    const int bound = server.bind();
    const bool ipv6 = host.find(':') != std::string::npos;
    fmt::print(context.out, "listening on http://{}:{}\n", ipv6 ? "[" + host + "]" : host, bound);
    context.out.flush();

    bool served = true;
    const pthread_t main_thread = pthread_self();
    std::thread worker([&server, &served, main_thread] {
      served = server.run();
      pthread_kill(main_thread, SIGTERM);  // wakes sigwait below when the server stopped itself
    });
    int signal = 0;
    sigwait(&signals, &signal);
    server.stop();
    worker.join();
    if (!served) {
      throw core::Fatal(fmt::format("cannot serve on {}:{}", host, bound));
    }
    fmt::print(context.err, "sohoa serve: stopped\n");
    return exit_ok;
  }

 private:
  std::string m_listen = "127.0.0.1:8080";
  int m_threads = 64;
};

}  // namespace

std::unique_ptr<Command> make_serve_command() { return std::make_unique<ServeCommand>(); }

}  // namespace sohoa::app
