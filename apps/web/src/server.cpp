// Design notes
// - httplib calls one catch-all handler per method; this file routes by the route table itself
//   (routes.hpp, api.cpp), so the guard — session, role, CSRF — sits in one place in front of every
//   API route, and a route cannot be added without its roles.
// - Static files are served from the table built into the binary by exact path: no file name from
//   a request ever reaches the file system. Dossier files are found through the catalog (api.cpp).
// - Catalogs are one per thread (catalog.hpp): a pool lends each request an open Archive and takes
//   it back, so connections are opened once, not per request.
// - Every answer carries the security headers (set as httplib's default headers, so they are on
//   its own 400/413 answers too), and API answers are not cached.
// - Debian's httplib listens with a backlog of 5: fifty browsers connecting at once overflowed it
//   and some connections were reset (the load test saw it). The listening socket is caught in the
//   socket-options hook and listen() is called again with SOMAXCONN, which Linux applies to a
//   socket already listening. The hook sets SO_REUSEADDR only: httplib's default SO_REUSEPORT would
//   let another process bind the same port beside us.
// - Answers are JSON dumped with invalid UTF-8 replaced (U+FFFD): a query with broken bytes is
//   echoed, not turned into a 500.

#include "sohoa/web/server.hpp"

#include <algorithm>
#include <mutex>

#include <sys/socket.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "routes.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/web/passwords.hpp"
#include "static_files.hpp"

namespace sohoa::web {
namespace fs = std::filesystem;

void reply_json(httplib::Response& response, const nlohmann::json& body, int status) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/json; charset=utf-8");
}

void reply_error(httplib::Response& response, int status, const std::string& message) {
  reply_json(response, {{"error", message}, {"status", status}}, status);
}

std::int64_t unix_now(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
}

std::string iso_now(const core::Clock& clock) { return core::iso_utc(clock.now()); }

const std::vector<RouteInfo>& api_routes() {
  static const std::vector<RouteInfo> routes = [] {
    std::vector<RouteInfo> infos;
    for (const auto& route : route_table()) {
      infos.push_back(route.info);
    }
    return infos;
  }();
  return routes;
}

namespace {

// Lends open archives to request threads (one Catalog per thread at a time).
class ArchivePool {
 public:
  explicit ArchivePool(fs::path root) : m_root(std::move(root)) {
    m_idle.push_back(std::make_unique<storage::Archive>(storage::Archive::open(m_root)));
  }

  class Lease {
   public:
    Lease(ArchivePool& pool, std::unique_ptr<storage::Archive> archive)
        : m_pool(pool), m_archive(std::move(archive)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { m_pool.give_back(std::move(m_archive)); }
    storage::Archive& archive() { return *m_archive; }

   private:
    ArchivePool& m_pool;
    std::unique_ptr<storage::Archive> m_archive;
  };

  Lease lend() {
    {
      std::lock_guard lock(m_mutex);
      if (!m_idle.empty()) {
        auto archive = std::move(m_idle.back());
        m_idle.pop_back();
        return Lease(*this, std::move(archive));
      }
    }
    return Lease(*this, std::make_unique<storage::Archive>(storage::Archive::open(m_root)));
  }

 private:
  void give_back(std::unique_ptr<storage::Archive> archive) {
    std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(archive));
  }

  fs::path m_root;
  std::mutex m_mutex;
  std::vector<std::unique_ptr<storage::Archive>> m_idle;
};

// For answers httplib makes itself (before any handler runs).
std::string plain_message(int status) {
  switch (status) {
    case 400:
      return "malformed request";
    case 404:
      return "not found";
    case 413:
      return "the request body is over 64 KiB";
    case 414:
      return "the request URI is too long";
    case 431:
      return "the request headers are too large";
    default:
      return "the request could not be answered";
  }
}

bool is_state_changing(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

struct Server::Impl {
  Impl(ServerConfig config, const core::Clock& clock)
      : shared(std::move(config), clock), archives(shared.config.archive) {
    shared.dummy_hash = hash_password(random_token());
  }

  void answer(const httplib::Request& request, httplib::Response& response) {
    try {
      if (request.path == "/api" || request.path.starts_with("/api/")) {
        response.set_header("Cache-Control", "no-store");
        answer_api(request, response);
      } else {
        answer_static(request, response);
      }
    } catch (const HttpError& error) {
      reply_error(response, error.status(), error.what());
    } catch (const core::UsageError& error) {
      reply_error(response, 400, error.what());
    } catch (const storage::QueryError& error) {
      reply_error(response, 400, error.what());
    } catch (const std::exception& error) {
      shared.log(fmt::format("{} {}: {}", request.method, request.path, error.what()));
      reply_error(response, 500, "the server could not answer; its log says why");
    }
  }

  void answer_api(const httplib::Request& request, httplib::Response& response) {
    const Route* found = nullptr;
    std::vector<std::string> params;
    std::vector<std::string> allowed;
    for (const auto& route : route_table()) {
      auto matched = match_path(route.info.path, request.path);
      if (!matched) {
        continue;
      }
      allowed.push_back(route.info.method);
      const bool head_of_get = request.method == "HEAD" && route.info.method == "GET";
      if (route.info.method == request.method || head_of_get) {
        found = &route;
        params = std::move(*matched);
      }
    }
    if (found == nullptr) {
      if (allowed.empty()) {
        throw HttpError(404, "no such API route: " + request.path);
      }
      response.set_header("Allow", fmt::format("{}", fmt::join(allowed, ", ")));
      throw HttpError(405, request.method + " is not allowed on " + request.path);
    }
    auto lease = archives.lend();
    Exchange exchange{request, response, lease.archive(), shared, std::nullopt, std::move(params)};
    if (!found->info.open) {
      exchange.caller = find_caller(request, lease.archive(), shared);
      if (!exchange.caller) {
        throw HttpError(401, "log in first (POST /api/login)");
      }
      const auto& roles = found->info.roles;
      if (std::find(roles.begin(), roles.end(), exchange.caller->role) == roles.end()) {
        throw HttpError(403, fmt::format("the role {} may not use {} {}",
                                         storage::to_string(exchange.caller->role),
                                         found->info.method, found->info.path));
      }
      if (is_state_changing(request.method) &&
          !equal_in_constant_time(request.get_header_value("X-CSRF-Token"),
                                  exchange.caller->csrf)) {
        throw HttpError(403, "missing or wrong X-CSRF-Token header");
      }
    }
    found->handler(exchange);
  }

  void answer_static(const httplib::Request& request, httplib::Response& response) {
    if (request.method != "GET" && request.method != "HEAD") {
      response.set_header("Allow", "GET, HEAD");
      throw HttpError(405, request.method + " is not allowed on " + request.path);
    }
    std::string path = request.path;
    if (path == "/") {
      auto lease = archives.lend();
      if (!find_caller(request, lease.archive(), shared)) {
        response.set_redirect("/login.html", 302);
        return;
      }
      path = "/index.html";
    }
    const EmbeddedFile* file = find_static_file(path);
    if (file == nullptr) {
      throw HttpError(404, "no such page: " + request.path);
    }
    response.set_content(std::string(file->content), std::string(content_type_of(path)).c_str());
    response.set_header("Cache-Control", "no-cache");
  }

  Shared shared;
  ArchivePool archives;
  httplib::Server http;
  int port = 0;
  int listen_socket = -1;
};

Server::Server(ServerConfig config, const core::Clock& clock)
    : m_impl(std::make_unique<Impl>(std::move(config), clock)) {
  auto& http = m_impl->http;
  const int threads = std::max(1, m_impl->shared.config.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  http.set_payload_max_length(k_body_limit_bytes);
  http.set_socket_options([impl = m_impl.get()](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl->listen_socket = socket;
  });
  http.set_keep_alive_max_count(1000);
  http.set_default_headers({
      {"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  });
  auto handler = [impl = m_impl.get()](const httplib::Request& request, httplib::Response& response) {
    impl->answer(request, response);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Delete(".*", handler);
  http.Patch(".*", handler);
  http.set_error_handler([](const httplib::Request& /*request*/, httplib::Response& response) {
    if (response.body.empty() && response.status >= 400) {
      const int status = response.status;
      reply_error(response, status, plain_message(status));
    }
  });
}

Server::~Server() = default;

int Server::bind() {
  const auto& config = m_impl->shared.config;
  auto& http = m_impl->http;
  if (config.port == 0) {
    m_impl->port = http.bind_to_any_port(config.host);
  } else {
    m_impl->port = http.bind_to_port(config.host, config.port) ? config.port : -1;
  }
  if (m_impl->port > 0 && m_impl->listen_socket >= 0) {
    ::listen(m_impl->listen_socket, SOMAXCONN);
  }
  if (m_impl->port <= 0) {
    throw core::Fatal(fmt::format("cannot listen on {}:{} (in use, or not an address of this "
                                  "machine)",
                                  config.host, config.port));
  }
  return m_impl->port;
}

bool Server::run() { return m_impl->http.listen_after_bind(); }

void Server::stop() { m_impl->http.stop(); }

}  // namespace sohoa::web
