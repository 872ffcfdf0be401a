// Design notes
// - The cookie holds 256 random bits; the catalog holds their SHA-256, so a copy of the catalog
//   does not let its reader log in as anyone. The CSRF token is a second random value stored with
//   the session and handed to the page by /api/login and /api/me, never in a cookie.
// - A session ends 8 h after login or 1 h after its last request. The last use is written at most
//   once a minute, so that reading pages does not turn every request into a database write.
// - Throttling counts failures per user name and per address over 15 minutes, in the catalog (a
//   restart does not reset it). It is checked before the password, so a blocked guesser learns
//   nothing, and a name that does not exist costs the same argon2id time as one that does.
// - At most two password hashes run at once (64 MiB each); other logins wait their turn.

#include <string_view>

#include <fmt/format.h>

#include "routes.hpp"
#include "sohoa/core/hash.hpp"
#include "sohoa/web/passwords.hpp"

namespace sohoa::web {
namespace {

constexpr std::string_view k_cookie_name = "sohoa_session";
constexpr std::int64_t k_touch_seconds = 60;

std::string hash_of(std::string_view token) {
  return core::sha256_hex(
      std::span(reinterpret_cast<const std::uint8_t*>(token.data()), token.size()));
}

// The value of cookie `name` in the request's Cookie headers, or "".
std::string cookie_value(const httplib::Request& request, std::string_view name) {
  const auto count = request.get_header_value_count("Cookie");
  for (std::size_t index = 0; index < count; ++index) {
    const std::string header = request.get_header_value("Cookie", index);
    std::size_t start = 0;
    while (start < header.size()) {
      auto end = header.find(';', start);
      if (end == std::string::npos) {
        end = header.size();
      }
      std::string_view pair(header.data() + start, end - start);
      while (!pair.empty() && pair.front() == ' ') {
        pair.remove_prefix(1);
      }
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
        return std::string(pair.substr(equals + 1));
      }
      start = end + 1;
    }
  }
  return {};
}

std::string session_cookie(const std::string& token, int max_age) {
  return fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}", k_cookie_name, token,
                     max_age);
}

nlohmann::json caller_json(const Caller& caller) {
  return {{"user", caller.user}, {"role", storage::to_string(caller.role)}, {"csrf", caller.csrf}};
}

}  // namespace

std::optional<Caller> find_caller(const httplib::Request& request, storage::Archive& archive,
                                  const Shared& shared) {
  const std::string token = cookie_value(request, k_cookie_name);
  if (token.size() != 64) {
    return std::nullopt;
  }
  auto& catalog = archive.catalog();
  const std::string id_hash = hash_of(token);
  const auto session = storage::find_session(catalog, id_hash);
  if (!session) {
    return std::nullopt;
  }
  const auto now = unix_now(shared.clock);
  const auto user = storage::find_user(catalog, session->user);
  if (now - session->created >= k_session_seconds || now - session->last_seen >= k_session_idle_seconds ||
      !user || user->disabled) {
    storage::delete_session(catalog, id_hash);
    return std::nullopt;
  }
  if (now - session->last_seen >= k_touch_seconds) {
    storage::touch_session(catalog, id_hash, now);
  }
  return Caller{user->name, user->role, session->csrf, id_hash};
}

void handle_login(Exchange& exchange) {
  // A cross-site form can post text/plain but not application/json without a CORS preflight,
  // which this server never grants: requiring JSON keeps other sites from logging a browser in.
  const auto type = exchange.request.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    throw HttpError(415, "send the login as JSON (Content-Type: application/json)");
  }
  const auto body = nlohmann::json::parse(exchange.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("user") ||
      !body.contains("password") || !body["user"].is_string() || !body["password"].is_string()) {
    throw HttpError(400, R"(the body must be JSON: {"user": "...", "password": "..."})");
  }
  const auto name = body["user"].get<std::string>();
  const auto password = body["password"].get<std::string>();
  const std::string& address = exchange.request.remote_addr;
  auto& catalog = exchange.archive.catalog();
  const auto now = unix_now(exchange.shared.clock);

  const auto failures =
      storage::count_login_failures(catalog, name, address, now - k_login_window_seconds);
  if (failures.by_user >= k_login_failures_allowed ||
      failures.by_address >= k_login_failures_allowed) {
    exchange.response.set_header("Retry-After", std::to_string(k_login_window_seconds));
    throw HttpError(429, "too many failed logins: try again in 15 minutes");
  }

  const auto user = storage::find_user(catalog, name);
  bool matches = false;
  {
    const SemaphoreTurn turn(exchange.shared.hashing);
    matches = verify_password(user ? user->password_hash : exchange.shared.dummy_hash, password);
  }
  if (!user || !matches) {
    storage::add_login_failure(catalog, name, address, now);
    catalog.add_event(iso_now(exchange.shared.clock), name, "login-failed", "", address);
    throw HttpError(401, "wrong user name or password");
  }
  if (user->disabled) {
    catalog.add_event(iso_now(exchange.shared.clock), name, "login-refused", "",
                      address + ": account disabled");
    throw HttpError(401, "this account is disabled: ask an administrator");
  }

  storage::delete_expired_sessions(catalog, now - k_session_seconds, now - k_session_idle_seconds);
  storage::delete_login_failures_before(catalog, now - k_login_window_seconds);
  const std::string token = random_token();
  Caller caller{user->name, user->role, random_token(), hash_of(token)};
  storage::add_session(catalog, {caller.session_hash, caller.user, caller.csrf, now, now});
  catalog.add_event(iso_now(exchange.shared.clock), caller.user, "login", "", address);
  exchange.response.set_header("Set-Cookie", session_cookie(token, k_session_seconds));
  reply_json(exchange.response, caller_json(caller));
}

void handle_logout(Exchange& exchange) {
  const auto& caller = *exchange.caller;
  auto& catalog = exchange.archive.catalog();
  storage::delete_session(catalog, caller.session_hash);
  catalog.add_event(iso_now(exchange.shared.clock), caller.user, "logout", "",
                    exchange.request.remote_addr);
  exchange.response.set_header("Set-Cookie", session_cookie("", 0));
  exchange.response.status = 204;
}

void handle_me(Exchange& exchange) { reply_json(exchange.response, caller_json(*exchange.caller)); }

}  // namespace sohoa::web
