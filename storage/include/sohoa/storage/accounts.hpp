#pragma once
// The web app's accounts in the catalog: users (name, role, password hash), their sessions and
// the failed logins that throttle guessing. Storage keeps strings and numbers only: hashing
// passwords and making tokens is the web module's job (sohoa/web/passwords.hpp).
// Same threading rule as the Catalog they are given: one Catalog per thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sohoa/storage/catalog.hpp"

namespace sohoa::storage {

// What a user may do in the web app (docs/web-api.md has the table of routes per role).
enum class Role { admin, archivist, official, operator_ };
std::string_view to_string(Role role);  // "admin", "archivist", "official", "operator"
std::optional<Role> parse_role(std::string_view text);

struct UserRecord {
  std::string name;
  Role role = Role::official;
  std::string password_hash;  // libsodium's crypto_pwhash_str string ("$argon2id$...")
  bool disabled = false;
  std::string created_at;     // ISO UTC
};

// Adds `user`. Throws core::UsageError when the name is empty, longer than 64 bytes, has control
// characters, or is taken.
void add_user(Catalog& catalog, const UserRecord& user);
std::optional<UserRecord> find_user(const Catalog& catalog, const std::string& name);
std::vector<UserRecord> list_users(const Catalog& catalog);  // by name
// Both throw core::UsageError for an unknown user, and end the user's sessions (a new password
// or a disabled account logs every browser out).
void set_password_hash(Catalog& catalog, const std::string& name, const std::string& hash);
void set_disabled(Catalog& catalog, const std::string& name, bool disabled);

// A logged-in browser. `id_hash` is the SHA-256 of the cookie's value: the catalog never holds a
// token that would let its reader act as the user. Times are Unix seconds.
struct SessionRecord {
  std::string id_hash;
  std::string user;
  std::string csrf;
  std::int64_t created = 0;
  std::int64_t last_seen = 0;
};

void add_session(Catalog& catalog, const SessionRecord& session);
std::optional<SessionRecord> find_session(const Catalog& catalog, const std::string& id_hash);
void touch_session(Catalog& catalog, const std::string& id_hash, std::int64_t now);
void delete_session(Catalog& catalog, const std::string& id_hash);
// Deletes sessions created before `created_before` or last seen before `seen_before`.
void delete_expired_sessions(Catalog& catalog, std::int64_t created_before,
                             std::int64_t seen_before);

// Failed logins, for throttling. `address` is the client's IP address.
void add_login_failure(Catalog& catalog, const std::string& user, const std::string& address,
                       std::int64_t at);
struct LoginFailures {
  std::int64_t by_user = 0;     // failures naming `user` since the time asked
  std::int64_t by_address = 0;  // failures from `address` since then
};
LoginFailures count_login_failures(const Catalog& catalog, const std::string& user,
                                   const std::string& address, std::int64_t since);
// Forgets failures older than `before` (they no longer count).
void delete_login_failures_before(Catalog& catalog, std::int64_t before);

}  // namespace sohoa::storage
