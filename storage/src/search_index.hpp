#pragma once
// Private to storage/: the full-text index behind Catalog::search (search.cpp) — its schema
// migration, how a page is indexed, and the FTS5 ranking function registered on each connection.

#include <cstdint>
#include <string_view>

#include "sohoa/core/types.hpp"

struct sqlite3;
struct fts5_api;

namespace sohoa::storage::search_detail {

// The delete trigger both migrations below end with: it removes a page from both indexes (the
// exact one first: it needs the old text). A macro so the two SQL strings concatenate.
#define SOHOA_PAGES_DELETE_TEXT_TRIGGER                                                         \
  "CREATE TRIGGER pages_delete_text BEFORE DELETE ON pages BEGIN\n"                             \
  "  INSERT INTO page_text_exact (page_text_exact, rowid, text, title, code, applicant,\n"      \
  "                               procedure, agency, unit)\n"                                   \
  "    SELECT 'delete', rowid, text, title, code, applicant, procedure, agency, unit\n"         \
  "    FROM page_text WHERE rowid = old.id;\n"                                                  \
  "  DELETE FROM page_text WHERE rowid = old.id;\n"                                             \
  "END;\n"

// The migration that gives search the dossier's metadata and an exact (diacritics kept) index:
//  - page_text becomes fts5(text, title, code, applicant, procedure, agency, unit) with the
//    "sohoa" tokenizer: each page row carries its dossier's fields, so one MATCH ranks words
//    found in the text or the metadata together and field filters are column filters;
//  - page_text_exact: the same columns with unicode61 remove_diacritics 0 (case folded,
//    diacritics and đ kept), external content = page_text, so the text is stored once (filled
//    by INSERT ... SELECT: FTS5's 'rebuild' cannot read another FTS5 table as its content);
//  - the delete trigger removes a page from both (the exact one first: it needs the old text).
inline constexpr const char* k_search_migration = R"sql(
DROP TRIGGER pages_delete_text;
ALTER TABLE page_text RENAME TO page_text_old;
CREATE VIRTUAL TABLE page_text USING fts5(
  text, title, code, applicant, procedure, agency, unit, tokenize = 'sohoa');
INSERT INTO page_text (rowid, text, title, code, applicant, procedure, agency, unit)
  SELECT p.id, o.text, d.title, d.code, d.applicant,
         trim(d.procedure_name || ' ' || d.procedure_code), d.agency, d.unit
  FROM page_text_old o JOIN pages p ON p.id = o.rowid JOIN dossiers d ON d.code = p.dossier_code;
DROP TABLE page_text_old;
CREATE VIRTUAL TABLE page_text_exact USING fts5(
  text, title, code, applicant, procedure, agency, unit, content = 'page_text',
  tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO page_text_exact (rowid, text, title, code, applicant, procedure, agency, unit)
  SELECT rowid, text, title, code, applicant, procedure, agency, unit FROM page_text;
)sql" SOHOA_PAGES_DELETE_TEXT_TRIGGER;

// The migration that gives the folded index prefix indexes of 2 and 3 characters, so `tr*` or
// `bả*` read one prefix doclist instead of merging those of every word that starts so (at
// 100,000 pages a 2-character prefix took 0.4-1.6 s without them; bench/search). page_text is
// rebuilt from its own stored text; page_text_exact reads its content from page_text by name
// and is not touched.
inline constexpr const char* k_prefix_migration = R"sql(
DROP TRIGGER pages_delete_text;
ALTER TABLE page_text RENAME TO page_text_old;
CREATE VIRTUAL TABLE page_text USING fts5(
  text, title, code, applicant, procedure, agency, unit, tokenize = 'sohoa', prefix = '2 3');
INSERT INTO page_text (rowid, text, title, code, applicant, procedure, agency, unit)
  SELECT rowid, text, title, code, applicant, procedure, agency, unit FROM page_text_old;
DROP TABLE page_text_old;
)sql" SOHOA_PAGES_DELETE_TEXT_TRIGGER;

// Indexes page `page_id` (pages.id) of the dossier `meta` with its NFC `text` in both full-text
// tables. Runs inside the caller's transaction; throws core::Fatal on a database error.
void index_page_text(sqlite3* db, std::int64_t page_id, const core::DossierMeta& meta,
                     std::string_view text);

// Registers the ranking function search.cpp uses (sohoa_rank) on `api`'s connection.
// Returns an SQLite result code.
int register_search_functions(fts5_api* api);

}  // namespace sohoa::storage::search_detail
