#pragma once
// `sohoa serve`: one process serving the archive to browsers — the pages under web/ (built into
// the binary) and the JSON API under /api/ that docs/web-api.md specifies: sessions in the
// catalog, a role per route, CSRF tokens, login throttling, security headers, body limits.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sohoa/core/clock.hpp"
#include "sohoa/storage/accounts.hpp"

namespace sohoa::web {

struct ServerConfig {
  std::filesystem::path archive;
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0: any free port (Server::bind says which)
  int threads = 64;                // connections served at once (the rest wait)
  // Where the server reports what goes wrong on its side (a 500, a failed render); the default
  // drops the messages. Called from the request threads, one message at a time.
  std::function<void(const std::string&)> log;
};

// One row of the route table, as tests and docs see it. `path` is the documented form
// ("/api/dossiers/{code}/pages/{seq}/image"); `roles` are the roles allowed; an `open` route
// (only POST /api/login) needs no session.
struct RouteInfo {
  std::string method;  // "GET", "POST"
  std::string path;
  std::vector<storage::Role> roles;
  bool open = false;
};

// Every API route, in the order docs/web-api.md lists them. The server routes by this table only.
const std::vector<RouteInfo>& api_routes();

// Session lifetime and login throttling (docs/web-api.md).
inline constexpr int k_session_seconds = 8 * 3600;
inline constexpr int k_session_idle_seconds = 3600;
inline constexpr int k_login_window_seconds = 15 * 60;
inline constexpr int k_login_failures_allowed = 5;
inline constexpr std::size_t k_body_limit_bytes = 64 * 1024;

class Server {
 public:
  // Opens the archive (throws core::Fatal when there is none). `clock` stamps sessions, throttling
  // and events; it must outlive the server and be safe to call from any thread.
  Server(ServerConfig config, const core::Clock& clock);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // Binds the listening socket. Returns the port (the one chosen when config.port is 0). Throws
  // core::Fatal when the address cannot be bound.
  int bind();
  // Serves until stop(); call after bind(). Returns false when the server could not listen.
  bool run();
  // Makes run() return (from any thread); connections in progress are cut.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace sohoa::web
