// Design notes
// - The register is keyed by dossier code: a re-import is an upsert (INSERT ... ON CONFLICT DO
//   UPDATE), so importing the same export twice, or this week's export after last week's, never
//   makes two rows for one dossier. Rows from earlier imports that are absent from the new file
//   stay: an export is usually a period's extract, not the whole register.
// - A bad row is skipped and named (file:line, reason), the good rows land: one mistyped date in
//   a 10,000-row export must not block the official's report. The CLI exits 3 when rows were
//   skipped, so a script notices.
// - A code that appears twice in one file is ambiguous (which row is right?): the first is kept,
//   the later one is reported, so the outcome does not depend on the order rows are stored.
// - received_date is required: without it a dossier cannot be counted in any period.

#include "sohoa/storage/register.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dates.hpp"
#include "sohoa/core/csv.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"
#include "sql.hpp"

namespace sohoa::storage {
namespace {

enum class Column {
  dossier_code,
  procedure_code,
  procedure_name,
  agency,
  unit,
  level,
  received_date,
  due_date,
  resolved_date,
  status,
};

const std::map<std::string, Column, std::less<>> k_columns = {
    {"dossier_code", Column::dossier_code},   {"procedure_code", Column::procedure_code},
    {"procedure_name", Column::procedure_name}, {"agency", Column::agency},
    {"unit", Column::unit},                   {"level", Column::level},
    {"received_date", Column::received_date}, {"due_date", Column::due_date},
    {"resolved_date", Column::resolved_date}, {"status", Column::status},
};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string lower_ascii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string extra_to_json(const std::vector<std::pair<std::string, std::string>>& extra) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto& [key, value] : extra) {
    object[key] = value;
  }
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

RegisterParse parse_register_csv(const std::filesystem::path& path) {
  const std::string file = path.string();
  auto table = core::read_csv(path);
  if (!table) {
    throw core::UsageError(fmt::format("cannot read the register {}: {}", file, table.error()));
  }
  // Which field holds which column; unknown headers keep their name for `extra`.
  std::vector<std::optional<Column>> kinds;
  std::vector<std::string> names;
  std::set<Column> present;
  for (const auto& raw : table->header.fields) {
    std::string name = trim(core::to_nfc(raw));
    const auto known = k_columns.find(lower_ascii(name));
    if (known != k_columns.end()) {
      kinds.emplace_back(known->second);
      present.insert(known->second);
    } else {
      kinds.emplace_back(std::nullopt);
    }
    names.push_back(std::move(name));
  }
  for (auto required : {Column::dossier_code, Column::received_date}) {
    if (present.count(required) == 0) {
      throw core::UsageError(fmt::format(
          "{}:{}: the register has no '{}' column (the header row must name its columns: "
          "dossier_code,procedure_code,procedure_name,agency,unit,level,received_date,due_date,"
          "resolved_date,status)",
          file, table->header.line == 0 ? 1 : table->header.line,
          required == Column::dossier_code ? "dossier_code" : "received_date"));
    }
  }

  RegisterParse parse;
  std::map<std::string, int> seen;  // code -> line of its first row
  for (const auto& record : table->records) {
    auto problem = [&](std::string code, std::string reason, std::string message) {
      parse.problems.push_back(
          RegisterProblem{file, record.line, std::move(code), std::move(reason), std::move(message)});
    };
    if (!record.utf8) {
      problem("", "not-utf8", "the row is not UTF-8 text (save the export as UTF-8)");
      continue;
    }
    RegisterEntry entry;
    entry.line = record.line;
    std::string level_text;
    for (std::size_t field_idx = 0; field_idx < record.fields.size(); ++field_idx) {
      std::string value = trim(core::to_nfc(record.fields[field_idx]));
      if (field_idx >= kinds.size()) {
        if (!value.empty()) {
          entry.extra.emplace_back(fmt::format("column_{}", field_idx + 1), std::move(value));
        }
        continue;
      }
      if (!kinds[field_idx]) {
        entry.extra.emplace_back(names[field_idx], std::move(value));
        continue;
      }
      switch (*kinds[field_idx]) {
        case Column::dossier_code: entry.dossier_code = std::move(value); break;
        case Column::procedure_code: entry.procedure_code = std::move(value); break;
        case Column::procedure_name: entry.procedure_name = std::move(value); break;
        case Column::agency: entry.agency = std::move(value); break;
        case Column::unit: entry.unit = std::move(value); break;
        case Column::level: level_text = std::move(value); break;
        case Column::received_date: entry.received_date = std::move(value); break;
        case Column::due_date: entry.due_date = std::move(value); break;
        case Column::resolved_date: entry.resolved_date = std::move(value); break;
        case Column::status: entry.status = std::move(value); break;
      }
    }
    const std::string& code = entry.dossier_code;
    if (code.empty()) {
      problem("", "missing-code", "no dossier_code");
      continue;
    }
    if (entry.received_date.empty()) {
      problem(code, "bad-date", "no received_date (YYYY-MM-DD)");
      continue;
    }
    std::string bad_date;
    for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"received_date", &entry.received_date},
                                      {"due_date", &entry.due_date},
                                      {"resolved_date", &entry.resolved_date}}) {
      if (!value->empty() && !dates::parse(*value)) {
        bad_date = fmt::format("bad {} '{}' (use YYYY-MM-DD, a real day)", name, *value);
        break;
      }
    }
    if (!bad_date.empty()) {
      problem(code, "bad-date", bad_date);
      continue;
    }
    const auto level = core::parse_level(level_text);
    if (!level) {
      problem(code, "unknown-level",
              level_text.empty()
                  ? std::string("no level (province, district or commune)")
                  : fmt::format("unknown level '{}' (province, district or commune)", level_text));
      continue;
    }
    entry.level = *level;
    const auto [first, inserted] = seen.emplace(code, record.line);
    if (!inserted) {
      problem(code, "duplicate-code",
              fmt::format("dossier {} is already on line {} of this file; this row is skipped", code,
                          first->second));
      continue;
    }
    parse.entries.push_back(std::move(entry));
  }
  return parse;
}

RegisterImportResult import_register(Catalog& catalog, const std::filesystem::path& path,
                                     const std::string& imported_at) {
  RegisterParse parse = parse_register_csv(path);
  RegisterImportResult result;
  result.file = path.string();
  result.rows = static_cast<int>(parse.entries.size() + parse.problems.size());
  result.skipped = std::move(parse.problems);

  sqlite3* db = catalog.connection();
  sql::WriteTransaction transaction(db);
  sql::Query exists(db, "SELECT 1 FROM register WHERE dossier_code = ?1");
  sql::Query upsert(
      db,
      "INSERT INTO register (dossier_code, procedure_code, procedure_name, agency, unit, level, "
      "received_date, due_date, resolved_date, status, extra_json, source_file, source_line, "
      "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
      "ON CONFLICT (dossier_code) DO UPDATE SET procedure_code = excluded.procedure_code, "
      "procedure_name = excluded.procedure_name, agency = excluded.agency, unit = excluded.unit, "
      "level = excluded.level, received_date = excluded.received_date, "
      "due_date = excluded.due_date, resolved_date = excluded.resolved_date, "
      "status = excluded.status, extra_json = excluded.extra_json, "
      "source_file = excluded.source_file, source_line = excluded.source_line, "
      "imported_at = excluded.imported_at");
  const std::string source = path.filename().string();
  for (const auto& entry : parse.entries) {
    exists.bind(1, entry.dossier_code);
    const bool known = exists.step();
    exists.reset();
    ++(known ? result.updated : result.added);
    upsert.bind(1, entry.dossier_code)
        .bind(2, entry.procedure_code)
        .bind(3, entry.procedure_name)
        .bind(4, entry.agency)
        .bind(5, entry.unit)
        .bind(6, core::to_string(entry.level))
        .bind(7, entry.received_date)
        .bind(8, entry.due_date)
        .bind(9, entry.resolved_date)
        .bind(10, entry.status)
        .bind(11, extra_to_json(entry.extra))
        .bind(12, source)
        .bind(13, static_cast<std::int64_t>(entry.line))
        .bind(14, imported_at);
    upsert.run();
    upsert.reset();
  }
  transaction.commit();
  sql::Query count(db, "SELECT count(*) FROM register");
  if (count.step()) {
    result.register_total = count.integer(0);
  }
  return result;
}

std::vector<RegisterEntry> register_entries(const Catalog& catalog) {
  std::vector<RegisterEntry> entries;
  sql::Query query(catalog.connection(),
                   "SELECT dossier_code, procedure_code, procedure_name, agency, unit, level, "
                   "received_date, due_date, resolved_date, status, extra_json, source_line "
                   "FROM register ORDER BY dossier_code");
  while (query.step()) {
    RegisterEntry entry;
    entry.dossier_code = query.text(0);
    entry.procedure_code = query.text(1);
    entry.procedure_name = query.text(2);
    entry.agency = query.text(3);
    entry.unit = query.text(4);
    entry.level = core::parse_level(query.text(5)).value_or(core::Level::unknown);
    entry.received_date = query.text(6);
    entry.due_date = query.text(7);
    entry.resolved_date = query.text(8);
    entry.status = query.text(9);
    const auto extra = nlohmann::ordered_json::parse(query.text(10), nullptr, false);
    if (extra.is_object()) {
      for (const auto& [key, value] : extra.items()) {
        entry.extra.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
    entry.line = static_cast<int>(query.integer(11));
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace sohoa::storage
