// Design notes
// - Schema versions live in PRAGMA user_version; `k_migrations[n]` takes a catalog from version n
//   to n+1 inside one transaction. PRAGMA application_id marks the file as ours, so a random SQLite
//   database is refused instead of being "migrated". A newer user_version is refused: we never
//   write into a schema we do not know.
// - Connection settings: WAL (readers do not block the writer), synchronous=FULL (a committed
//   dossier survives a power cut; the PDF was fsynced before), foreign_keys=ON (pages cascade with
//   their dossier), busy_timeout (a reader and the ingest job can share the file).
// - Full text: `page_text` is an FTS5 table whose rowid is pages.id; a trigger deletes the text
//   with its page, so replacing a dossier (delete + insert) cannot leave stale text behind.
// - Tokenizer "sohoa": the built-in unicode61 with remove_diacritics 2 (case and diacritics
//   folded, "ệ" -> "e") plus đ -> d, which unicode61 leaves alone because đ is a letter of its own,
//   not d + a mark. ð (U+00F0, eth) -> d as well: OCR engines often read Đ as Ð. Token offsets still
//   point into the original text, so snippet() shows the text with its diacritics. FTS5 runs the
//   same tokenizer over the query's strings, so the query is folded the same way. The tokenizer is
//   registered on every connection we open; a connection without it (the sqlite3 shell) can read
//   every table but page_text.
// - Search (the query language, ranking, the metadata and exact indexes) lives in search.cpp,
//   search_query.cpp and search_index.hpp; this file only calls index_page_text() when it stores a
//   page and registers the ranking helper with the tokenizer.
// - Statements are prepared once per connection and cached by their SQL text; a Statement object
//   resets its statement when it goes out of scope, so a cached statement is never left mid-step.

#include "sohoa/storage/catalog.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"
#include "search_index.hpp"

namespace sohoa::storage {

namespace {

constexpr int k_application_id = 0x534F4841;  // "SOHA"
constexpr int k_busy_timeout_ms = 10000;
constexpr int k_archived_outcome_limit = 10;  // PageOutcome values below this are archived pages

// k_migrations[n] upgrades a catalog from user_version n to n + 1.
constexpr std::array<const char*, 6> k_migrations = {
    // 0 -> 1: batches, dossiers, pages, page_text, events.
    R"sql(
CREATE TABLE batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  operator TEXT NOT NULL DEFAULT '',
  station TEXT NOT NULL DEFAULT '',
  source_dir TEXT NOT NULL DEFAULT '',
  dossiers_archived INTEGER NOT NULL DEFAULT 0,
  dossiers_failed INTEGER NOT NULL DEFAULT 0,
  dossiers_skipped INTEGER NOT NULL DEFAULT 0,
  pages_archived INTEGER NOT NULL DEFAULT 0,
  pages_failed INTEGER NOT NULL DEFAULT 0,
  pages_flagged INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE dossiers (
  code TEXT PRIMARY KEY NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  procedure_code TEXT NOT NULL DEFAULT '',
  procedure_name TEXT NOT NULL DEFAULT '',
  agency TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT '',
  received_date TEXT NOT NULL DEFAULT '',
  applicant TEXT NOT NULL DEFAULT '',
  extra_json TEXT NOT NULL DEFAULT '{}',
  page_count INTEGER NOT NULL DEFAULT 0,
  pdf_path TEXT NOT NULL,
  pdf_sha256 TEXT NOT NULL DEFAULT '',
  pdf_bytes INTEGER NOT NULL DEFAULT 0,
  digitized_at TEXT NOT NULL DEFAULT '',
  batch_id INTEGER REFERENCES batches(id)
);
CREATE INDEX dossiers_by_received ON dossiers(received_date);
CREATE INDEX dossiers_by_unit ON dossiers(unit);
CREATE INDEX dossiers_by_agency ON dossiers(agency);
CREATE INDEX dossiers_by_procedure ON dossiers(procedure_code);
CREATE INDEX dossiers_by_level ON dossiers(level);
CREATE TABLE pages (
  id INTEGER PRIMARY KEY,
  dossier_code TEXT NOT NULL REFERENCES dossiers(code) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  source_path TEXT NOT NULL DEFAULT '',
  source_index INTEGER NOT NULL DEFAULT 0,
  source_sha256 TEXT NOT NULL DEFAULT '',
  rotation_deg INTEGER NOT NULL DEFAULT 0,
  skew_deg REAL NOT NULL DEFAULT 0,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  dpi REAL NOT NULL DEFAULT 0,
  ocr_confidence REAL NOT NULL DEFAULT 0,
  outcome INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,
  UNIQUE (dossier_code, seq)
);
CREATE INDEX pages_by_source ON pages(source_sha256);
CREATE VIRTUAL TABLE page_text USING fts5(text, tokenize = 'sohoa');
CREATE TRIGGER pages_delete_text AFTER DELETE ON pages BEGIN
  DELETE FROM page_text WHERE rowid = old.id;
END;
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  dossier_code TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_dossier ON events(dossier_code);
)sql",
    // 1 -> 2: the register of received dossiers (the denominator of digitization rates) and the
    // digitization targets (register.cpp, targets.cpp, report.cpp).
    R"sql(
CREATE TABLE register (
  dossier_code TEXT PRIMARY KEY NOT NULL,
  procedure_code TEXT NOT NULL DEFAULT '',
  procedure_name TEXT NOT NULL DEFAULT '',
  agency TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT '',
  received_date TEXT NOT NULL,
  due_date TEXT NOT NULL DEFAULT '',
  resolved_date TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  extra_json TEXT NOT NULL DEFAULT '{}',
  source_file TEXT NOT NULL DEFAULT '',
  source_line INTEGER NOT NULL DEFAULT 0,
  imported_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX register_by_received ON register(received_date);
CREATE TABLE targets (
  scope TEXT NOT NULL CHECK (scope IN ('level', 'unit')),
  name TEXT NOT NULL,
  percent REAL NOT NULL CHECK (percent >= 0 AND percent <= 100),
  PRIMARY KEY (scope, name)
);
)sql",
    // 2 -> 3: search over the dossier's metadata and an exact index (search_index.hpp).
    search_detail::k_search_migration,
    // 3 -> 4: the web app's accounts (accounts.cpp), what each batch failed to archive, and the
    // events log read by user for `sohoa audit`.
    R"sql(
CREATE TABLE users (
  name TEXT PRIMARY KEY NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'archivist', 'official', 'operator')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY NOT NULL,
  user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_name);
CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  user_name TEXT NOT NULL,
  address TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_user ON login_failures(user_name, at);
CREATE INDEX login_failures_by_address ON login_failures(address, at);
CREATE TABLE batch_failures (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  dossier_code TEXT NOT NULL DEFAULT '',
  page INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batch_failures_by_batch ON batch_failures(batch_id);
CREATE INDEX events_by_actor ON events(actor);
)sql",
    // 4 -> 5: prefix indexes for `word*` queries (search_index.hpp).
    search_detail::k_prefix_migration,
    // 5 -> 6: covering indexes for `sohoa report` (report.cpp): a period's register rows and
    // dossiers are read from the index alone, without a table lookup per row (a year by unit
    // at 250,000 dossiers and 620,000 register rows: 1.2 s -> 0.14 s, bench/search).
    R"sql(
CREATE INDEX register_for_report ON register(
  received_date, level, unit, agency, procedure_code, due_date, resolved_date, dossier_code);
CREATE INDEX dossiers_for_report ON dossiers(
  received_date, level, unit, agency, procedure_code, code);
)sql",
};
constexpr int k_schema_version = static_cast<int>(k_migrations.size());

// ---- the "sohoa" tokenizer ---------------------------------------------------------------------

struct SohoaTokenizer {
  fts5_tokenizer inner_api{};
  Fts5Tokenizer* inner = nullptr;
};

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

struct FoldContext {
  void* context = nullptr;
  TokenCallback callback = nullptr;
  std::string buffer;
};

bool is_d_like(unsigned char lead, unsigned char next) {
  // đ U+0111, Đ U+0110, ð U+00F0, Ð U+00D0
  return (lead == 0xC4 && (next == 0x91 || next == 0x90)) ||
         (lead == 0xC3 && (next == 0xB0 || next == 0x90));
}

int fold_token(void* context, int flags, const char* token, int size, int start, int end) {
  auto* fold = static_cast<FoldContext*>(context);
  bool needs_fold = false;
  for (int byte_idx = 0; byte_idx + 1 < size; ++byte_idx) {
    if (is_d_like(static_cast<unsigned char>(token[byte_idx]),
                  static_cast<unsigned char>(token[byte_idx + 1]))) {
      needs_fold = true;
      break;
    }
  }
  if (!needs_fold) {
    return fold->callback(fold->context, flags, token, size, start, end);
  }
  try {
    fold->buffer.clear();
    for (int byte_idx = 0; byte_idx < size; ++byte_idx) {
      if (byte_idx + 1 < size && is_d_like(static_cast<unsigned char>(token[byte_idx]),
                                           static_cast<unsigned char>(token[byte_idx + 1]))) {
        fold->buffer.push_back('d');
        ++byte_idx;
      } else {
        fold->buffer.push_back(token[byte_idx]);
      }
    }
  } catch (...) {
    return SQLITE_NOMEM;
  }
  return fold->callback(fold->context, flags, fold->buffer.data(),
                        static_cast<int>(fold->buffer.size()), start, end);
}

int sohoa_create(void* context, const char** /*args*/, int /*arg_count*/, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(context);
  SohoaTokenizer* tokenizer = nullptr;
  try {
    tokenizer = new SohoaTokenizer;
  } catch (...) {
    return SQLITE_NOMEM;
  }
  void* inner_context = nullptr;
  int rc = api->xFindTokenizer(api, "unicode61", &inner_context, &tokenizer->inner_api);
  if (rc == SQLITE_OK) {
    std::array<const char*, 2> inner_args = {"remove_diacritics", "2"};
    rc = tokenizer->inner_api.xCreate(inner_context, inner_args.data(),
                                      static_cast<int>(inner_args.size()), &tokenizer->inner);
  }
  if (rc != SQLITE_OK) {
    delete tokenizer;
    return rc;
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(tokenizer);
  return SQLITE_OK;
}

void sohoa_delete(Fts5Tokenizer* handle) {
  auto* tokenizer = reinterpret_cast<SohoaTokenizer*>(handle);
  if (tokenizer != nullptr) {
    if (tokenizer->inner != nullptr) {
      tokenizer->inner_api.xDelete(tokenizer->inner);
    }
    delete tokenizer;
  }
}

int sohoa_tokenize(Fts5Tokenizer* handle, void* context, int flags, const char* text, int size,
                   TokenCallback callback) {
  auto* tokenizer = reinterpret_cast<SohoaTokenizer*>(handle);
  FoldContext fold;
  fold.context = context;
  fold.callback = callback;
  return tokenizer->inner_api.xTokenize(tokenizer->inner, &fold, flags, text, size, fold_token);
}

fts5_tokenizer k_sohoa_tokenizer = {sohoa_create, sohoa_delete, sohoa_tokenize};

// ---- query text ---------------------------------------------------------------------------------

// The first `max_bytes` of `text`, cut on a UTF-8 boundary, with "…" when cut.
std::string shorten(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return std::string(text.substr(0, cut)) + "…";
}

std::string extra_to_json(const std::vector<std::pair<std::string, std::string>>& extra) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto& [key, value] : extra) {
    object[key] = value;
  }
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> extra_from_json(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> extra;
  const auto object = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!object.is_object()) {
    return extra;
  }
  for (const auto& [key, value] : object.items()) {
    extra.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return extra;
}

}  // namespace

// ---- connection ----------------------------------------------------------------------------------

namespace detail {

struct Connection {
  sqlite3* db = nullptr;
  std::filesystem::path file;
  fts5_api* fts = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements;

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto& [sql, stmt] : statements) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db);
  }

  [[noreturn]] void fatal(const std::string& what) const {
    throw core::Fatal(fmt::format("catalog {}: {}: {}", file.string(), what,
                                  db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
  }

  sqlite3_stmt* prepare(const std::string& sql) {
    auto found = statements.find(sql);
    if (found != statements.end()) {
      return found->second;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      fatal("cannot prepare a statement");
    }
    statements.emplace(sql, stmt);
    return stmt;
  }

  void exec(const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      fatal(fmt::format("cannot run '{}'", shorten(sql, 40)));
    }
  }
};

}  // namespace detail

struct Catalog::Impl : detail::Connection {};

namespace {

using detail::Connection;

// A cached statement in use; reset (and its bindings cleared) when it goes out of scope.
class Statement {
 public:
  Statement(Connection& impl, const std::string& sql) : m_impl(impl), m_stmt(impl.prepare(sql)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }

  Statement& text(int index, std::string_view value) {
    check(sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  // Binds NULL for an empty `value` (an absent filter).
  Statement& text_or_null(int index, std::string_view value) {
    if (value.empty()) {
      check(sqlite3_bind_null(m_stmt, index));
      return *this;
    }
    return text(index, value);
  }
  Statement& integer(int index, std::int64_t value) {
    check(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
  }
  Statement& real(int index, double value) {
    check(sqlite3_bind_double(m_stmt, index, value));
    return *this;
  }
  Statement& null(int index) {
    check(sqlite3_bind_null(m_stmt, index));
    return *this;
  }

  // The raw sqlite3_step result.
  int step_rc() { return sqlite3_step(m_stmt); }
  // True when a row is available, false when done; throws core::Fatal on an error.
  bool step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      return false;
    }
    m_impl.fatal("a statement failed");
  }
  void run() {
    while (step()) {
    }
  }

  std::string column_text(int column) const {
    const auto* data = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(data),
                                                         static_cast<std::size_t>(size));
  }
  std::int64_t column_int(int column) const { return sqlite3_column_int64(m_stmt, column); }
  double column_real(int column) const { return sqlite3_column_double(m_stmt, column); }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) {
      m_impl.fatal("cannot bind a value");
    }
  }

  Connection& m_impl;
  sqlite3_stmt* m_stmt;
};

// BEGIN IMMEDIATE ... COMMIT; rolled back when destroyed uncommitted.
class Transaction {
 public:
  explicit Transaction(Connection& impl) : m_impl(impl) { m_impl.exec("BEGIN IMMEDIATE"); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!m_done) {
      sqlite3_exec(m_impl.db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  void commit() {
    m_impl.exec("COMMIT");
    m_done = true;
  }

 private:
  Connection& m_impl;
  bool m_done = false;
};

std::int64_t pragma_int(Connection& impl, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(impl.db, sql, -1, &stmt, nullptr);
  std::int64_t value = 0;
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(stmt);
  if ((rc & 0xFF) == SQLITE_NOTADB) {
    throw core::Fatal(fmt::format("{} is not a sohoa catalog (not an SQLite database)",
                                  impl.file.string()));
  }
  if (rc != SQLITE_OK) {
    impl.fatal("cannot read the catalog");
  }
  return value;
}

void register_tokenizer(Connection& impl) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl.db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    impl.fatal("this SQLite has no FTS5");
  }
  fts5_api* api = nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2) {
    throw core::Fatal(fmt::format("catalog {}: this SQLite has no usable FTS5", impl.file.string()));
  }
  if (api->xCreateTokenizer(api, "sohoa", api, &k_sohoa_tokenizer, nullptr) != SQLITE_OK) {
    impl.fatal("cannot register the full-text tokenizer");
  }
  impl.fts = api;
  if (search_detail::register_search_functions(api) != SQLITE_OK) {
    impl.fatal("cannot register the search ranking function");
  }
}

void migrate(Connection& impl, bool create) {
  const auto version = pragma_int(impl, "PRAGMA user_version");
  const auto application = pragma_int(impl, "PRAGMA application_id");
  if (version > k_schema_version) {
    throw core::Fatal(fmt::format(
        "catalog {} was written by a newer sohoa (schema {}); this one knows up to {}: "
        "use a newer sohoa",
        impl.file.string(), version, k_schema_version));
  }
  if (version == 0) {
    const auto tables = pragma_int(impl, "SELECT count(*) FROM sqlite_schema");
    if (tables > 0 || application != 0 || !create) {
      throw core::Fatal(fmt::format("{} is not a sohoa catalog", impl.file.string()));
    }
  } else if (application != k_application_id) {
    throw core::Fatal(fmt::format("{} is not a sohoa catalog (application id {})",
                                  impl.file.string(), application));
  }
  if (version == k_schema_version) {
    return;
  }
  Transaction transaction(impl);
  for (auto step = version; step < k_schema_version; ++step) {
    impl.exec(k_migrations.at(static_cast<std::size_t>(step)));
  }
  impl.exec(fmt::format("PRAGMA application_id = {}", k_application_id).c_str());
  impl.exec(fmt::format("PRAGMA user_version = {}", k_schema_version).c_str());
  transaction.commit();
}

const char* const k_dossier_columns =
    "code, title, procedure_code, procedure_name, agency, unit, level, received_date, applicant, "
    "extra_json, page_count, pdf_path, pdf_sha256, pdf_bytes, digitized_at, "
    "coalesce(batch_id, 0)";

DossierRecord read_dossier(const Statement& row) {
  DossierRecord record;
  record.meta.code = row.column_text(0);
  record.meta.title = row.column_text(1);
  record.meta.procedure_code = row.column_text(2);
  record.meta.procedure_name = row.column_text(3);
  record.meta.agency = row.column_text(4);
  record.meta.unit = row.column_text(5);
  record.meta.level = core::parse_level(row.column_text(6)).value_or(core::Level::unknown);
  record.meta.received_date = row.column_text(7);
  record.meta.applicant = row.column_text(8);
  record.meta.extra = extra_from_json(row.column_text(9));
  record.page_count = static_cast<int>(row.column_int(10));
  record.pdf_path = row.column_text(11);
  record.pdf_sha256 = row.column_text(12);
  record.pdf_bytes = row.column_int(13);
  record.digitized_at = row.column_text(14);
  record.batch_id = row.column_int(15);
  return record;
}

const char* const k_page_columns =
    "p.seq, p.source_path, p.source_index, p.source_sha256, p.rotation_deg, p.skew_deg, p.width, "
    "p.height, p.dpi, p.ocr_confidence, p.outcome, p.flags";

PageRecord read_page(const Statement& row, int first) {
  PageRecord page;
  page.seq = static_cast<int>(row.column_int(first + 0));
  page.source_path = row.column_text(first + 1);
  page.source_index = static_cast<int>(row.column_int(first + 2));
  page.source_sha256 = row.column_text(first + 3);
  page.rotation_deg = static_cast<int>(row.column_int(first + 4));
  page.skew_deg = row.column_real(first + 5);
  page.width = static_cast<int>(row.column_int(first + 6));
  page.height = static_cast<int>(row.column_int(first + 7));
  page.dpi = row.column_real(first + 8);
  page.ocr_confidence = row.column_real(first + 9);
  page.outcome = static_cast<core::PageOutcome>(row.column_int(first + 10));
  page.flags = static_cast<std::uint32_t>(row.column_int(first + 11));
  return page;
}

BatchRecord read_batch(const Statement& row) {
  BatchRecord batch;
  batch.id = row.column_int(0);
  batch.started_at = row.column_text(1);
  batch.finished_at = row.column_text(2);
  batch.operator_name = row.column_text(3);
  batch.station = row.column_text(4);
  batch.source_dir = row.column_text(5);
  batch.dossiers_archived = static_cast<int>(row.column_int(6));
  batch.dossiers_failed = static_cast<int>(row.column_int(7));
  batch.dossiers_skipped = static_cast<int>(row.column_int(8));
  batch.pages_archived = static_cast<int>(row.column_int(9));
  batch.pages_failed = static_cast<int>(row.column_int(10));
  batch.pages_flagged = static_cast<int>(row.column_int(11));
  return batch;
}

}  // namespace

// ---- Catalog -------------------------------------------------------------------------------------

Catalog Catalog::open(const std::filesystem::path& file, bool create) {
  auto impl = std::make_unique<Impl>();
  impl->file = file;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (sqlite3_open_v2(file.c_str(), &impl->db, flags, nullptr) != SQLITE_OK) {
    impl->fatal("cannot open");
  }
  sqlite3_busy_timeout(impl->db, k_busy_timeout_ms);
  // The first read tells a database from any other file.
  pragma_int(*impl, "PRAGMA user_version");
  register_tokenizer(*impl);
  impl->exec("PRAGMA foreign_keys = ON");
  impl->exec("PRAGMA synchronous = FULL");
  // Reads through a memory map (up to SQLite's 2 GB cap) and a 64 MB page cache for the rest:
  // with the default 2 MB cache, a search at 100,000 pages spent most of its time copying
  // index pages out of the OS cache (bench/search).
  impl->exec("PRAGMA mmap_size = 2147418112");
  impl->exec("PRAGMA cache_size = -65536");
  if (pragma_int(*impl, "PRAGMA user_version") <= k_schema_version) {
    // Switch to WAL only for a catalog we may write (checked again in migrate()).
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(impl->db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr);
    const int rc = sqlite3_step(stmt);
    const std::string mode = rc == SQLITE_ROW ? reinterpret_cast<const char*>(
                                                    sqlite3_column_text(stmt, 0))
                                              : "";
    sqlite3_finalize(stmt);
    if ((rc & 0xFF) == SQLITE_NOTADB) {
      throw core::Fatal(fmt::format("{} is not a sohoa catalog (not an SQLite database)",
                                    file.string()));
    }
    if (mode != "wal") {
      impl->fatal("cannot switch to WAL mode");
    }
  }
  migrate(*impl, create);
  return Catalog(std::move(impl));
}

Catalog::Catalog(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;
Catalog::~Catalog() = default;

std::int64_t Catalog::begin_batch(const BatchRecord& batch) {
  Statement stmt(*m_impl,
                 "INSERT INTO batches (started_at, finished_at, operator, station, source_dir) "
                 "VALUES (?1, ?2, ?3, ?4, ?5)");
  stmt.text(1, batch.started_at)
      .text(2, batch.finished_at)
      .text(3, batch.operator_name)
      .text(4, batch.station)
      .text(5, batch.source_dir)
      .run();
  return sqlite3_last_insert_rowid(m_impl->db);
}

void Catalog::finish_batch(const BatchRecord& batch) {
  Statement stmt(*m_impl,
                 "UPDATE batches SET finished_at = ?2, dossiers_archived = ?3, dossiers_failed = ?4, "
                 "dossiers_skipped = ?5, pages_archived = ?6, pages_failed = ?7, pages_flagged = ?8 "
                 "WHERE id = ?1");
  stmt.integer(1, batch.id)
      .text(2, batch.finished_at)
      .integer(3, batch.dossiers_archived)
      .integer(4, batch.dossiers_failed)
      .integer(5, batch.dossiers_skipped)
      .integer(6, batch.pages_archived)
      .integer(7, batch.pages_failed)
      .integer(8, batch.pages_flagged)
      .run();
  if (sqlite3_changes(m_impl->db) == 0) {
    throw std::logic_error(fmt::format("finish_batch: no batch with id {}", batch.id));
  }
}

std::optional<DossierRecord> Catalog::find_dossier(const std::string& code, bool with_text) const {
  std::optional<DossierRecord> record;
  {
    Statement stmt(*m_impl, fmt::format("SELECT {} FROM dossiers WHERE code = ?1", k_dossier_columns));
    stmt.text(1, code);
    if (!stmt.step()) {
      return std::nullopt;
    }
    record = read_dossier(stmt);
  }
  const std::string sql =
      with_text ? fmt::format("SELECT {}, t.text FROM pages p LEFT JOIN page_text t ON t.rowid = p.id "
                              "WHERE p.dossier_code = ?1 ORDER BY p.seq",
                              k_page_columns)
                : fmt::format("SELECT {} FROM pages p WHERE p.dossier_code = ?1 ORDER BY p.seq",
                              k_page_columns);
  Statement pages(*m_impl, sql);
  pages.text(1, code);
  while (pages.step()) {
    PageRecord page = read_page(pages, 0);
    if (with_text) {
      page.text = pages.column_text(12);
    }
    record->pages.push_back(std::move(page));
  }
  return record;
}

std::vector<std::string> Catalog::dossier_codes() const {
  std::vector<std::string> codes;
  Statement stmt(*m_impl, "SELECT code FROM dossiers ORDER BY code");
  while (stmt.step()) {
    codes.push_back(stmt.column_text(0));
  }
  return codes;
}

std::vector<DossierRecord> Catalog::all_dossiers() const {
  std::vector<DossierRecord> dossiers;
  {
    Statement stmt(*m_impl, fmt::format("SELECT {} FROM dossiers ORDER BY code", k_dossier_columns));
    while (stmt.step()) {
      dossiers.push_back(read_dossier(stmt));
    }
  }
  Statement pages(*m_impl, fmt::format("SELECT p.dossier_code, {} FROM pages p "
                                       "ORDER BY p.dossier_code, p.seq",
                                       k_page_columns));
  std::size_t dossier_idx = 0;
  while (pages.step()) {
    const std::string code = pages.column_text(0);
    while (dossier_idx < dossiers.size() && dossiers[dossier_idx].meta.code < code) {
      ++dossier_idx;
    }
    if (dossier_idx < dossiers.size() && dossiers[dossier_idx].meta.code == code) {
      dossiers[dossier_idx].pages.push_back(read_page(pages, 1));
    }
  }
  return dossiers;
}

std::vector<StoredFile> Catalog::stored_files() const {
  std::vector<StoredFile> files;
  Statement stmt(*m_impl,
                 "SELECT code, pdf_path, pdf_sha256, pdf_bytes FROM dossiers ORDER BY code");
  while (stmt.step()) {
    files.push_back(StoredFile{stmt.column_text(0), stmt.column_text(1), stmt.column_text(2),
                               stmt.column_int(3)});
  }
  return files;
}

std::optional<std::string> Catalog::put_dossier(const DossierRecord& dossier, bool replace) {
  const auto& meta = dossier.meta;
  Transaction transaction(*m_impl);
  std::optional<std::string> replaced;
  {
    Statement stmt(*m_impl, "SELECT pdf_path FROM dossiers WHERE code = ?1");
    stmt.text(1, meta.code);
    if (stmt.step()) {
      replaced = stmt.column_text(0);
    }
  }
  if (replaced.has_value()) {
    if (!replace) {
      throw std::logic_error("put_dossier: dossier " + meta.code + " is already archived");
    }
    // Cascades to pages, whose trigger removes their text.
    Statement stmt(*m_impl, "DELETE FROM dossiers WHERE code = ?1");
    stmt.text(1, meta.code).run();
  }
  {
    Statement stmt(*m_impl,
                   "INSERT INTO dossiers (code, title, procedure_code, procedure_name, agency, unit, "
                   "level, received_date, applicant, extra_json, page_count, pdf_path, pdf_sha256, "
                   "pdf_bytes, digitized_at, batch_id) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    stmt.text(1, meta.code)
        .text(2, meta.title)
        .text(3, meta.procedure_code)
        .text(4, meta.procedure_name)
        .text(5, meta.agency)
        .text(6, meta.unit)
        .text(7, core::to_string(meta.level))
        .text(8, meta.received_date)
        .text(9, meta.applicant)
        .text(10, extra_to_json(meta.extra))
        .integer(11, dossier.page_count)
        .text(12, dossier.pdf_path)
        .text(13, dossier.pdf_sha256)
        .integer(14, dossier.pdf_bytes)
        .text(15, dossier.digitized_at);
    if (dossier.batch_id > 0) {
      stmt.integer(16, dossier.batch_id);
    } else {
      stmt.null(16);
    }
    stmt.run();
  }
  for (const auto& page : dossier.pages) {
    {
      Statement stmt(*m_impl,
                     "INSERT INTO pages (dossier_code, seq, source_path, source_index, source_sha256, "
                     "rotation_deg, skew_deg, width, height, dpi, ocr_confidence, outcome, flags) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
      stmt.text(1, meta.code)
          .integer(2, page.seq)
          .text(3, page.source_path)
          .integer(4, page.source_index)
          .text(5, page.source_sha256)
          .integer(6, page.rotation_deg)
          .real(7, page.skew_deg)
          .integer(8, page.width)
          .integer(9, page.height)
          .real(10, page.dpi)
          .real(11, page.ocr_confidence)
          .integer(12, static_cast<int>(page.outcome))
          .integer(13, page.flags)
          .run();
    }
    const auto page_id = sqlite3_last_insert_rowid(m_impl->db);
    search_detail::index_page_text(m_impl->db, page_id, meta, core::to_nfc(page.text));
  }
  transaction.commit();
  return replaced;
}

void Catalog::add_event(const std::string& at, const std::string& actor, const std::string& action,
                        const std::string& dossier_code, const std::string& detail) {
  Statement stmt(*m_impl,
                 "INSERT INTO events (at, actor, action, dossier_code, detail) "
                 "VALUES (?1, ?2, ?3, ?4, ?5)");
  stmt.text(1, at).text(2, actor).text(3, action).text(4, dossier_code).text(5, detail).run();
}

ArchiveSummary Catalog::summary() const {
  ArchiveSummary summary;
  {
    Statement stmt(*m_impl,
                   "SELECT count(*), coalesce(sum(pdf_bytes), 0), coalesce(max(digitized_at), '') "
                   "FROM dossiers");
    if (stmt.step()) {
      summary.dossiers = stmt.column_int(0);
      summary.pdf_bytes = stmt.column_int(1);
      summary.last_ingest = stmt.column_text(2);
    }
  }
  {
    Statement stmt(*m_impl, fmt::format("SELECT count(*), coalesce(sum((flags & {}) != 0), 0) "
                                        "FROM pages WHERE outcome < {}",
                                        core::k_rescan_flags, k_archived_outcome_limit));
    if (stmt.step()) {
      summary.pages = stmt.column_int(0);
      summary.flagged_pages = stmt.column_int(1);
    }
  }
  {
    Statement stmt(*m_impl, "SELECT count(*) FROM batches");
    if (stmt.step()) {
      summary.batches = stmt.column_int(0);
    }
  }
  std::unordered_map<std::string, std::int64_t> by_level;
  {
    Statement stmt(*m_impl, "SELECT level, count(*) FROM dossiers GROUP BY level");
    while (stmt.step()) {
      by_level[stmt.column_text(0)] += stmt.column_int(1);
    }
  }
  for (auto level : {core::Level::province, core::Level::district, core::Level::commune}) {
    const auto found = by_level.find(std::string(core::to_string(level)));
    if (found != by_level.end()) {
      summary.dossiers_by_level.emplace_back(found->first, found->second);
      by_level.erase(found);
    }
  }
  std::int64_t unknown = 0;
  for (const auto& [level, count] : by_level) {
    unknown += count;
  }
  if (unknown > 0) {
    summary.dossiers_by_level.emplace_back("unknown", unknown);
  }
  return summary;
}

std::vector<EventRecord> Catalog::events(const EventFilter& filter) const {
  if (filter.limit < 0) {
    throw QueryError("the number of events to list cannot be negative");
  }
  Statement stmt(*m_impl,
                 "SELECT id, at, actor, action, dossier_code, detail FROM events "
                 "WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2) "
                 "ORDER BY id DESC LIMIT ?3");
  stmt.text_or_null(1, filter.actor)
      .text_or_null(2, filter.action)
      .integer(3, std::min(filter.limit, 10000));
  std::vector<EventRecord> events;
  while (stmt.step()) {
    events.push_back({stmt.column_int(0), stmt.column_text(1), stmt.column_text(2),
                      stmt.column_text(3), stmt.column_text(4), stmt.column_text(5)});
  }
  return events;
}

void Catalog::add_batch_failures(std::int64_t batch_id, const std::vector<BatchFailure>& failures) {
  Transaction transaction(*m_impl);
  for (const auto& failure : failures) {
    Statement stmt(*m_impl,
                   "INSERT INTO batch_failures (batch_id, dossier_code, page, reason, message) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)");
    stmt.integer(1, batch_id)
        .text(2, failure.dossier)
        .integer(3, failure.page)
        .text(4, failure.reason)
        .text(5, failure.message)
        .run();
  }
  transaction.commit();
}

std::vector<BatchFailure> Catalog::batch_failures(std::int64_t batch_id) const {
  Statement stmt(*m_impl,
                 "SELECT dossier_code, page, reason, message FROM batch_failures "
                 "WHERE batch_id = ?1 ORDER BY dossier_code, page, id");
  stmt.integer(1, batch_id);
  std::vector<BatchFailure> failures;
  while (stmt.step()) {
    failures.push_back({stmt.column_text(0), static_cast<int>(stmt.column_int(1)),
                        stmt.column_text(2), stmt.column_text(3)});
  }
  return failures;
}

std::vector<FlaggedPage> Catalog::flagged_pages(std::int64_t batch_id) const {
  Statement stmt(*m_impl, fmt::format("SELECT d.code, {} FROM pages p JOIN dossiers d ON "
                                      "d.code = p.dossier_code WHERE d.batch_id = ?1 AND "
                                      "(p.flags & {}) != 0 AND p.outcome < {} ORDER BY d.code, p.seq",
                                      k_page_columns, core::k_rescan_flags,
                                      k_archived_outcome_limit));
  stmt.integer(1, batch_id);
  std::vector<FlaggedPage> pages;
  while (stmt.step()) {
    pages.push_back({stmt.column_text(0), read_page(stmt, 1)});
  }
  return pages;
}

sqlite3* Catalog::connection() const { return m_impl->db; }

std::vector<BatchRecord> Catalog::batches() const {
  std::vector<BatchRecord> batches;
  Statement stmt(*m_impl,
                 "SELECT id, started_at, finished_at, operator, station, source_dir, "
                 "dossiers_archived, dossiers_failed, dossiers_skipped, pages_archived, "
                 "pages_failed, pages_flagged FROM batches ORDER BY id DESC");
  while (stmt.step()) {
    batches.push_back(read_batch(stmt));
  }
  return batches;
}

}  // namespace sohoa::storage
