#pragma once
// Private to storage/: a small RAII wrapper over one SQLite statement and a transaction, for the
// register, targets and report code that runs its SQL on Catalog::connection(). Errors throw
// core::Fatal naming the catalog file and SQLite's message.

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <sqlite3.h>

#include "sohoa/core/errors.hpp"

namespace sohoa::storage::sql {

[[noreturn]] inline void fail(sqlite3* db, std::string_view what) {
  const char* file = sqlite3_db_filename(db, "main");
  throw core::Fatal(fmt::format("catalog {}: {}: {}", file != nullptr ? file : "?", what,
                                sqlite3_errmsg(db)));
}

class Query {
 public:
  Query(sqlite3* db, std::string_view text) : m_db(db) {
    if (sqlite3_prepare_v2(db, text.data(), static_cast<int>(text.size()), &m_stmt, nullptr) !=
        SQLITE_OK) {
      fail(db, "cannot prepare a statement");
    }
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() { sqlite3_finalize(m_stmt); }

  Query& bind(int index, std::string_view value) {
    check(sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  Query& bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
  }
  Query& bind(int index, double value) {
    check(sqlite3_bind_double(m_stmt, index, value));
    return *this;
  }
  // True when a row is available, false when done; throws core::Fatal on an error.
  bool step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc != SQLITE_DONE) {
      fail(m_db, "a statement failed");
    }
    return false;
  }
  void run() {
    while (step()) {
    }
  }
  // Ready to run again with new bindings.
  void reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }
  std::string text(int column) const {
    const auto* data = sqlite3_column_text(m_stmt, column);
    return data == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(data),
                                         static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
  double real(int column) const { return sqlite3_column_double(m_stmt, column); }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) {
      fail(m_db, "cannot bind a value");
    }
  }
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolled back when destroyed uncommitted.
class WriteTransaction {
 public:
  explicit WriteTransaction(sqlite3* db) : m_db(db) { exec("BEGIN IMMEDIATE"); }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction() {
    if (!m_done) {
      sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  void commit() {
    exec("COMMIT");
    m_done = true;
  }

 private:
  void exec(const char* text) {
    if (sqlite3_exec(m_db, text, nullptr, nullptr, nullptr) != SQLITE_OK) {
      fail(m_db, text);
    }
  }
  sqlite3* m_db;
  bool m_done = false;
};

}  // namespace sohoa::storage::sql
