#pragma once
// The catalog: batches, dossiers, pages, page text (full-text index), events, in SQLite (WAL).
// One Catalog per thread; the ingest job writes from one thread at a time (it serialises commits).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sohoa/core/types.hpp"

struct sqlite3;

namespace sohoa::storage {

struct BatchRecord {
  std::int64_t id = 0;
  std::string started_at;  // ISO UTC
  std::string finished_at; // ISO UTC, empty while running (or after a crash)
  std::string operator_name;
  std::string station;
  std::string source_dir;
  int dossiers_archived = 0;
  int dossiers_failed = 0;
  int dossiers_skipped = 0;  // already archived, nothing to do
  int pages_archived = 0;
  int pages_failed = 0;
  int pages_flagged = 0;
};

struct PageRecord {
  int seq = 0;                  // 1-based in the dossier
  std::string source_path;      // as found at ingest (absolute)
  int source_index = 0;         // page index inside a multi-page source file
  std::string source_sha256;
  int rotation_deg = 0;
  double skew_deg = 0.0;
  int width = 0;
  int height = 0;
  double dpi = 0.0;
  double ocr_confidence = 0.0;
  core::PageOutcome outcome = core::PageOutcome::ok;
  std::uint32_t flags = 0;
  std::string text;             // OCR text, NFC
};

struct DossierRecord {
  core::DossierMeta meta;
  int page_count = 0;
  std::string pdf_path;         // relative to the archive root, '/'-separated
  std::string pdf_sha256;
  std::int64_t pdf_bytes = 0;
  std::string digitized_at;     // ISO UTC
  std::int64_t batch_id = 0;
  std::vector<PageRecord> pages;
};

struct SearchQuery {
  std::string text;             // the query language (see Catalog::search)
  std::string agency;           // exact match on the field when non-empty
  std::string unit;
  std::string procedure;        // procedure code
  std::optional<core::Level> level;
  std::string from;             // received_date >= from (ISO), when non-empty
  std::string to;               // received_date <= to
  int limit = 20;
  int offset = 0;               // hits to skip (paging)
  bool by_page = false;         // one hit per page instead of one per dossier
  bool exact = false;           // diacritics and đ must match as typed (case still ignored)
};

struct SearchHit {
  std::string dossier;
  int page = 0;                 // the best matching page (the page, with by_page)
  std::string title;
  std::string snippet;          // original text around the match, matches marked «like this»
  double score = 0.0;           // -bm25, higher is better (see Catalog::search for the tiers)
  std::string pdf;              // relative to the archive root
  std::vector<int> pages;       // every matching page of the dossier, ascending ({page} by_page)
};

struct SearchResult {
  std::string query;
  std::int64_t total = 0;       // all matching dossiers (pages, with by_page), not just the hits
  bool total_is_estimate = false;  // more pages matched than are ranked (Catalog::search): `total`
                                   // is scaled from the newest matches, to three digits
  std::vector<SearchHit> hits;  // best first
};

struct ArchiveSummary {
  std::int64_t dossiers = 0;
  std::int64_t pages = 0;
  std::int64_t pdf_bytes = 0;
  std::int64_t batches = 0;
  std::int64_t flagged_pages = 0;  // archived pages with a core::k_rescan_flags flag
  std::vector<std::pair<std::string, std::int64_t>> dossiers_by_level;  // ("province", n), ...
  std::string last_ingest;      // ISO UTC, empty when none
};

// A row of the events log: who did what to which dossier, and when.
struct EventRecord {
  std::int64_t id = 0;
  std::string at;        // ISO UTC
  std::string actor;     // operator, web user, or "sohoa"
  std::string action;    // "ingest", "replace", "view", "download", "login", "logout", ...
  std::string dossier;   // dossier code, empty when the event is not about one
  std::string detail;
};

struct EventFilter {
  std::string actor;   // exact, when non-empty
  std::string action;  // exact, when non-empty
  int limit = 100;     // at most this many, newest first (capped at 10000)
};

// A dossier or page of a batch that was not archived, and why.
struct BatchFailure {
  std::string dossier;
  int page = 0;          // 0: the whole dossier
  std::string reason;    // closed set: a PageOutcome name, "manifest", "empty", "conflict"
  std::string message;   // for a person
};

// An archived page with a rescan flag (core::k_rescan_flags).
struct FlaggedPage {
  std::string dossier;
  PageRecord page;       // without text
};

// One archived file as the catalog knows it (for fixity and crash recovery).
struct StoredFile {
  std::string dossier;
  std::string pdf_path;         // relative to the archive root, '/'-separated
  std::string pdf_sha256;
  std::int64_t pdf_bytes = 0;
};

// A search the user typed that cannot be run; the message says what to change.
class QueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Catalog {
 public:
  // Opens (creating and migrating when `create`) the catalog at `file`. Throws core::Fatal when
  // the file is not a sohoa catalog, is from a newer version, or cannot be opened.
  static Catalog open(const std::filesystem::path& file, bool create);
  Catalog(Catalog&&) noexcept;
  Catalog& operator=(Catalog&&) noexcept;
  ~Catalog();

  std::int64_t begin_batch(const BatchRecord& batch);   // returns the new id
  void finish_batch(const BatchRecord& batch);          // updates counts and finished_at by id

  // The dossier with `code`, with its pages (texts included when `with_text`), or nullopt.
  std::optional<DossierRecord> find_dossier(const std::string& code, bool with_text = false) const;
  std::vector<std::string> dossier_codes() const;       // all, sorted
  std::vector<DossierRecord> all_dossiers() const;      // without pages' text, sorted by code
  std::vector<StoredFile> stored_files() const;         // every dossier's PDF, sorted by code

  // Stores `dossier` with its pages and texts in one transaction. When a dossier with the same
  // code exists it is replaced only if `replace` (otherwise throws std::logic_error: the caller
  // checks first). Returns the replaced dossier's pdf_path, if any.
  std::optional<std::string> put_dossier(const DossierRecord& dossier, bool replace);

  void add_event(const std::string& at, const std::string& actor, const std::string& action,
                 const std::string& dossier_code, const std::string& detail);

  // Full-text search over page text and each dossier's title, code, applicant, procedure (name
  // and code) and agency; case- and diacritics-insensitive (đ = d) unless `query.exact`.
  // Implemented in search.cpp; the language is parsed by search_query.hpp. Throws QueryError,
  // with a message for a person, for a query that cannot be run — never an SQL error.
  //  - `query.text`: words (all required), "phrases", prefix*, -exclude, a OR b, and field
  //    filters code: applicant: procedure: agency: unit: level: received:FROM..TO (documented
  //    in search_query.hpp and `sohoa search --help`). A word of several tokens (a dossier code,
  //    "1.011442.000", "ký-hiệu") is a phrase, so codes and ID numbers match whole.
  //  - Order: a dossier whose code equals a word of the query first; then pages where the plain
  //    words stand together in the order typed; then bm25 (score = -bm25, higher is better;
  //    ties by dossier code, page).
  //  - Default: one hit per dossier — its best page, that page's snippet (about 12 words of the
  //    original text, matches marked «like this»), and `pages`, every matching page; `total`
  //    counts matching dossiers. `by_page`: one hit per page; `total` counts pages.
  //  - `offset` skips hits; `hits` holds at most `limit` (capped at 10000).
  //  - When more than 2,000 pages match (at least 8 per hit asked for, offset included), only
  //    the newest 2,000 matching pages (by ingest order) are ranked and `total` is an estimate
  //    (`total_is_estimate`); fewer matches are ranked and counted exactly.
  //  - Only SQL filters (or blank text): one hit per dossier matching them, its first page,
  //    snippet = its first ~12 words, score 0, newest received first, then by code.
  //  - A negative `limit` or `offset` is a QueryError; so are more than 64 words, a query over
  //    2000 bytes, only exclusions, a prefix of one letter, a bad level: or received: value.
  //  - Database failures that are not about the query (I/O, corruption) throw core::Fatal.
  SearchResult search(const SearchQuery& query) const;

  // The events log, newest first, filtered by `filter`.
  std::vector<EventRecord> events(const EventFilter& filter) const;

  ArchiveSummary summary() const;
  std::vector<BatchRecord> batches() const;              // newest first
  // What could not be archived in batch `batch_id` (stored once, when the batch ends), and its
  // archived pages that should be rescanned; both in dossier, page order.
  void add_batch_failures(std::int64_t batch_id, const std::vector<BatchFailure>& failures);
  std::vector<BatchFailure> batch_failures(std::int64_t batch_id) const;
  std::vector<FlaggedPage> flagged_pages(std::int64_t batch_id) const;

  // The open SQLite connection, for storage's own register, targets and report code (register.cpp,
  // targets.cpp, report.cpp), which keep their SQL beside their logic. Owned by this Catalog and
  // valid while it lives; same threading rule as the Catalog. Not for use outside storage/.
  sqlite3* connection() const;

 private:
  struct Impl;
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace sohoa::storage
