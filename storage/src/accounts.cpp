// Design notes
// - Tables `users`, `sessions` and `login_failures` come with schema 4 (catalog.cpp). A session
//   row cascades with its user; ending a user's sessions on a new password or when disabling is
//   done here, so no caller can forget it.
// - Session and failure times are Unix seconds (integers compare in SQL without parsing); user
//   creation time is ISO like the rest of the catalog, because a person reads it.

#include "sohoa/storage/accounts.hpp"

#include <array>

#include <fmt/format.h>

#include "sohoa/core/errors.hpp"
#include "sql.hpp"

namespace sohoa::storage {
namespace {

constexpr std::size_t k_max_name_bytes = 64;
constexpr std::array<std::pair<Role, std::string_view>, 4> k_roles = {{
    {Role::admin, "admin"},
    {Role::archivist, "archivist"},
    {Role::official, "official"},
    {Role::operator_, "operator"},
}};

UserRecord read_user(const sql::Query& row) {
  UserRecord user;
  user.name = row.text(0);
  user.role = parse_role(row.text(1)).value_or(Role::official);
  user.password_hash = row.text(2);
  user.disabled = row.integer(3) != 0;
  user.created_at = row.text(4);
  return user;
}

constexpr const char* k_user_columns = "name, role, password_hash, disabled, created_at";

void require_user(const Catalog& catalog, const std::string& name) {
  if (!find_user(catalog, name)) {
    throw core::UsageError(fmt::format("no user '{}' (sohoa user list shows them)", name));
  }
}

void delete_sessions_of(Catalog& catalog, const std::string& name) {
  sql::Query(catalog.connection(), "DELETE FROM sessions WHERE user_name = ?1").bind(1, name).run();
}

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [value, name] : k_roles) {
    if (value == role) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& [value, name] : k_roles) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

void add_user(Catalog& catalog, const UserRecord& user) {
  if (user.name.empty() || user.name.size() > k_max_name_bytes) {
    throw core::UsageError(
        fmt::format("a user name has 1 to {} bytes, not {}", k_max_name_bytes, user.name.size()));
  }
  for (const char c : user.name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      throw core::UsageError("a user name cannot hold control characters");
    }
  }
  if (find_user(catalog, user.name)) {
    throw core::UsageError(fmt::format("user '{}' exists already", user.name));
  }
  sql::Query(catalog.connection(),
             "INSERT INTO users (name, role, password_hash, disabled, created_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, user.name)
      .bind(2, to_string(user.role))
      .bind(3, user.password_hash)
      .bind(4, std::int64_t{user.disabled ? 1 : 0})
      .bind(5, user.created_at)
      .run();
}

std::optional<UserRecord> find_user(const Catalog& catalog, const std::string& name) {
  sql::Query query(catalog.connection(),
                   fmt::format("SELECT {} FROM users WHERE name = ?1", k_user_columns));
  query.bind(1, name);
  if (!query.step()) {
    return std::nullopt;
  }
  return read_user(query);
}

std::vector<UserRecord> list_users(const Catalog& catalog) {
  sql::Query query(catalog.connection(),
                   fmt::format("SELECT {} FROM users ORDER BY name", k_user_columns));
  std::vector<UserRecord> users;
  while (query.step()) {
    users.push_back(read_user(query));
  }
  return users;
}

void set_password_hash(Catalog& catalog, const std::string& name, const std::string& hash) {
  require_user(catalog, name);
  sql::WriteTransaction transaction(catalog.connection());
  sql::Query(catalog.connection(), "UPDATE users SET password_hash = ?2 WHERE name = ?1")
      .bind(1, name)
      .bind(2, hash)
      .run();
  delete_sessions_of(catalog, name);
  transaction.commit();
}

void set_disabled(Catalog& catalog, const std::string& name, bool disabled) {
  require_user(catalog, name);
  sql::WriteTransaction transaction(catalog.connection());
  sql::Query(catalog.connection(), "UPDATE users SET disabled = ?2 WHERE name = ?1")
      .bind(1, name)
      .bind(2, std::int64_t{disabled ? 1 : 0})
      .run();
  if (disabled) {
    delete_sessions_of(catalog, name);
  }
  transaction.commit();
}

void add_session(Catalog& catalog, const SessionRecord& session) {
  sql::Query(catalog.connection(),
             "INSERT INTO sessions (id_hash, user_name, csrf, created, last_seen) "
             "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, session.id_hash)
      .bind(2, session.user)
      .bind(3, session.csrf)
      .bind(4, session.created)
      .bind(5, session.last_seen)
      .run();
}

std::optional<SessionRecord> find_session(const Catalog& catalog, const std::string& id_hash) {
  sql::Query query(catalog.connection(),
                   "SELECT id_hash, user_name, csrf, created, last_seen FROM sessions "
                   "WHERE id_hash = ?1");
  query.bind(1, id_hash);
  if (!query.step()) {
    return std::nullopt;
  }
  return SessionRecord{query.text(0), query.text(1), query.text(2), query.integer(3),
                       query.integer(4)};
}

void touch_session(Catalog& catalog, const std::string& id_hash, std::int64_t now) {
  sql::Query(catalog.connection(), "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1")
      .bind(1, id_hash)
      .bind(2, now)
      .run();
}

void delete_session(Catalog& catalog, const std::string& id_hash) {
  sql::Query(catalog.connection(), "DELETE FROM sessions WHERE id_hash = ?1").bind(1, id_hash).run();
}

void delete_expired_sessions(Catalog& catalog, std::int64_t created_before,
                             std::int64_t seen_before) {
  sql::Query(catalog.connection(), "DELETE FROM sessions WHERE created < ?1 OR last_seen < ?2")
      .bind(1, created_before)
      .bind(2, seen_before)
      .run();
}

void add_login_failure(Catalog& catalog, const std::string& user, const std::string& address,
                       std::int64_t at) {
  sql::Query(catalog.connection(),
             "INSERT INTO login_failures (user_name, address, at) VALUES (?1, ?2, ?3)")
      .bind(1, user)
      .bind(2, address)
      .bind(3, at)
      .run();
}

LoginFailures count_login_failures(const Catalog& catalog, const std::string& user,
                                   const std::string& address, std::int64_t since) {
  sql::Query query(catalog.connection(),
                   "SELECT (SELECT count(*) FROM login_failures WHERE user_name = ?1 AND at >= ?3), "
                   "(SELECT count(*) FROM login_failures WHERE address = ?2 AND at >= ?3)");
  query.bind(1, user).bind(2, address).bind(3, since);
  LoginFailures failures;
  if (query.step()) {
    failures.by_user = query.integer(0);
    failures.by_address = query.integer(1);
  }
  return failures;
}

void delete_login_failures_before(Catalog& catalog, std::int64_t before) {
  sql::Query(catalog.connection(), "DELETE FROM login_failures WHERE at < ?1").bind(1, before).run();
}

}  // namespace sohoa::storage
