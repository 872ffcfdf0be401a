#pragma once
// Private to apps/web: what a route handler gets (the request, this thread's archive, the caller)
// and the route table. server.cpp routes and guards; api.cpp and sessions.cpp answer.

#include <optional>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "sohoa/storage/accounts.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/web/server.hpp"

namespace sohoa::web {

// An answer other than 200: the status and a message for the caller (English, no internals).
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message) : std::runtime_error(message), m_status(status) {}
  int status() const { return m_status; }

 private:
  int m_status;
};

// The logged-in user behind a request.
struct Caller {
  std::string user;
  storage::Role role = storage::Role::official;
  std::string csrf;
  std::string session_hash;  // SHA-256 of the cookie's value
};

// What every request shares: set up once, read by every thread.
struct Shared {
  Shared(ServerConfig server_config, const core::Clock& server_clock)
      : config(std::move(server_config)), clock(server_clock) {}
  ServerConfig config;
  const core::Clock& clock;
  std::counting_semaphore<64> hashing{2};    // argon2id runs at once (64 MiB each)
  std::counting_semaphore<64> rendering{2};  // page renders at once
  std::string dummy_hash;                    // verified against for an unknown user name
  void log(const std::string& message) const {
    if (config.log) {
      config.log(message);
    }
  }
};

// Holds one count of `semaphore` while it lives.
class SemaphoreTurn {
 public:
  explicit SemaphoreTurn(std::counting_semaphore<64>& semaphore) : m_semaphore(semaphore) {
    m_semaphore.acquire();
  }
  SemaphoreTurn(const SemaphoreTurn&) = delete;
  SemaphoreTurn& operator=(const SemaphoreTurn&) = delete;
  ~SemaphoreTurn() { m_semaphore.release(); }

 private:
  std::counting_semaphore<64>& m_semaphore;
};

// One request being answered.
struct Exchange {
  const httplib::Request& request;
  httplib::Response& response;
  storage::Archive& archive;  // this thread's, for the duration of the request
  Shared& shared;
  std::optional<Caller> caller;     // set for every route but the open one
  std::vector<std::string> params;  // the path's {code}, {seq}, ... in order
};

using Handler = void (*)(Exchange& exchange);

struct Route {
  RouteInfo info;
  Handler handler;
};

// Matches `path` against a route's documented form (`pattern`, "/api/dossiers/{code}/pdf"),
// segment by segment: "{code}" takes any one non-empty segment, "{seq}" 1 to 6 digits, others
// must be equal. Returns the parameters in order, or nullopt. (No std::regex: its recursive
// matcher grows the stack with the length of the input, and paths come from anyone.)
std::optional<std::vector<std::string>> match_path(std::string_view pattern, std::string_view path);

// The route table (api.cpp); api_routes() is its `info` column.
const std::vector<Route>& route_table();

// Handlers defined in sessions.cpp.
void handle_login(Exchange& exchange);
void handle_logout(Exchange& exchange);
void handle_me(Exchange& exchange);

// The caller of `request` from its session cookie, or nullopt (no cookie, unknown, expired or
// disabled: the session is then deleted). Touches the session's last use. (sessions.cpp)
std::optional<Caller> find_caller(const httplib::Request& request, storage::Archive& archive,
                                  const Shared& shared);

// Answers helpers (server.cpp).
void reply_json(httplib::Response& response, const nlohmann::json& body, int status = 200);
void reply_error(httplib::Response& response, int status, const std::string& message);
std::int64_t unix_now(const core::Clock& clock);
std::string iso_now(const core::Clock& clock);

}  // namespace sohoa::web
