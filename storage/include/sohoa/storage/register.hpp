#pragma once
// The register of received dossiers: the one-stop system's export of what each desk received,
// imported into the catalog. It is the denominator of every digitization rate (report.hpp).

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sohoa/core/types.hpp"
#include "sohoa/storage/catalog.hpp"

namespace sohoa::storage {

struct RegisterEntry {
  std::string dossier_code;
  std::string procedure_code;
  std::string procedure_name;
  std::string agency;
  std::string unit;
  core::Level level = core::Level::unknown;
  std::string received_date;  // YYYY-MM-DD, always set
  std::string due_date;       // YYYY-MM-DD or empty
  std::string resolved_date;  // YYYY-MM-DD or empty (not resolved yet)
  std::string status;         // as exported, free text
  std::vector<std::pair<std::string, std::string>> extra;  // unknown columns, in file order
  int line = 0;               // line of the CSV file where the row starts
};

// A row that was not imported, for a person: "register.csv:12: bad due_date '2026-02-30' ...".
struct RegisterProblem {
  std::string file;
  int line = 0;               // 0: about the whole file
  std::string dossier_code;   // empty when the row has none
  std::string reason;         // closed set: missing-code, bad-date, unknown-level, duplicate-code,
                              // not-utf8, missing-column, short-row
  std::string message;
};

struct RegisterParse {
  std::vector<RegisterEntry> entries;     // the good rows, in file order
  std::vector<RegisterProblem> problems;  // the skipped rows, in file order
};

struct RegisterImportResult {
  std::string file;
  int rows = 0;               // data rows in the file
  int added = 0;              // codes new to the register
  int updated = 0;            // codes already there, whose values were replaced
  std::vector<RegisterProblem> skipped;
  std::int64_t register_total = 0;  // entries in the register after the import
};

// Reads a register CSV (UTF-8, header row, RFC 4180). Columns are found by header name in any
// order: dossier_code, procedure_code, procedure_name, agency, unit, level, received_date,
// due_date, resolved_date, status; header names are trimmed and case-insensitive; other columns
// are kept in `extra`. A row is skipped, with a problem naming `path` and its line, when it has no
// dossier code, no or a bad received_date (YYYY-MM-DD, a real day), a bad due_date or
// resolved_date (when given), a level other than province/district/commune, bytes that are not
// UTF-8, or a code already seen earlier in the file (the later row is skipped). Values are NFC and
// trimmed. Throws core::UsageError when the file cannot be read, is not CSV, or its header has no
// dossier_code or received_date column.
RegisterParse parse_register_csv(const std::filesystem::path& path);

// Parses `path` as above and stores its good rows in one transaction: a code already in the
// register has its row replaced (never duplicated), others are added. `imported_at` (ISO UTC) is
// recorded with each row. Throws what parse_register_csv throws, and core::Fatal on a database
// failure (nothing is stored then).
RegisterImportResult import_register(Catalog& catalog, const std::filesystem::path& path,
                                     const std::string& imported_at);

// Every register entry, by dossier code (for tests and exports; `line` is the import's line).
std::vector<RegisterEntry> register_entries(const Catalog& catalog);

}  // namespace sohoa::storage
