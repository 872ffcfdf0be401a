// Design notes
// - One pass of SQL per source, grouped by (level, unit, key): the register LEFT JOIN dossiers
//   (received, digitized, on-time counts) and the archived dossiers absent from the register
//   ("unregistered"). Targets are per unit (override, else its level), so the cells keep the unit;
//   the rows are then summed in C++. With the index on register(received_date) a year of a
//   province is one range scan.
// - Unregistered dossiers (archived, not in the register) count as digitized, as ARCHITECTURE.md
//   says, and also as received: they were received, the register export just lacks them. Counting
//   them only as digitized would let a rate pass 100 %. The `unregistered` column shows how many
//   there are so the register can be fixed.
// - A row mixing units with different targets gets the target weighted by received dossiers:
//   required = sum(target_unit * received_unit); gap = ceil(required) - digitized, at least 0. For a
//   level without unit overrides this is just the level's target. The total's gap is computed on
//   the total, not summed over rows (a unit ahead of its target offsets one behind).
// - On time: resolved_date against due_date, both from the register. Not resolved = pending; a
//   resolved dossier without a due date is in no on-time column.

#include "sohoa/storage/report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "dates.hpp"
#include "sohoa/core/errors.hpp"
#include "sql.hpp"

namespace sohoa::storage {
namespace {

constexpr const char* k_period_forms =
    "use YYYY, YYYY-Q1..YYYY-Q4, YYYY-MM, YYYY-MM-DD, or FROM..TO with any of those";

// First and last day of one period term ("2026", "2026-Q3", "2026-09", "2026-09-15").
std::optional<std::pair<std::string, std::string>> term_range(std::string_view text) {
  using namespace std::chrono;
  auto digits = [](std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text.size() < 4 || !digits(text.substr(0, 4))) {
    return std::nullopt;
  }
  const int year_value = std::stoi(std::string(text.substr(0, 4)));
  const year y{year_value};
  if (text.size() == 4) {
    return std::pair{dates::format(y / January / 1), dates::format(y / December / 31)};
  }
  if (text.size() == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q') && text[6] >= '1' &&
      text[6] <= '4') {
    const unsigned quarter = static_cast<unsigned>(text[6] - '0');
    const month first{quarter * 3 - 2};
    const month last{quarter * 3};
    return std::pair{dates::format(y / first / 1), dates::format(y / last / std::chrono::last)};
  }
  if (text.size() == 7 && text[4] == '-' && digits(text.substr(5, 2))) {
    const unsigned month_value = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
    if (month_value < 1 || month_value > 12) {
      return std::nullopt;
    }
    const month m{month_value};
    return std::pair{dates::format(y / m / 1), dates::format(y / m / std::chrono::last)};
  }
  if (const auto day = dates::parse(text)) {
    return std::pair{dates::format(*day), dates::format(*day)};
  }
  return std::nullopt;
}

// The SQL for the grouping key and the name, over table alias `t`.
std::pair<std::string, std::string> key_sql(ReportBy by, const char* t) {
  switch (by) {
    case ReportBy::level:
    case ReportBy::unit: return {"''", "''"};
    case ReportBy::agency: return {fmt::format("{}.agency", t), "''"};
    case ReportBy::procedure:
      return {fmt::format("{}.procedure_code", t), fmt::format("max({}.procedure_name)", t)};
    case ReportBy::month: return {fmt::format("substr({}.received_date, 1, 7)", t), "''"};
  }
  return {"''", "''"};
}

struct Cell {
  std::int64_t received = 0;
  std::int64_t digitized = 0;
  std::int64_t unregistered = 0;
  std::int64_t early = 0;
  std::int64_t on_time = 0;
  std::int64_t late = 0;
  std::int64_t pending = 0;
  std::string name;
};

// Accumulates cells into a row and its target requirement.
struct Accumulator {
  ReportRow row;
  double required = 0.0;     // sum of target * received over cells with a target
  bool target_known = true;  // every cell with received dossiers has a target

  void add(const Cell& cell, std::optional<double> target) {
    row.received += cell.received;
    row.digitized += cell.digitized;
    row.unregistered += cell.unregistered;
    row.early += cell.early;
    row.on_time += cell.on_time;
    row.late += cell.late;
    row.pending += cell.pending;
    if (row.name.empty()) {
      row.name = cell.name;
    }
    if (cell.received > 0) {
      if (target) {
        required += *target / 100.0 * static_cast<double>(cell.received);
      } else {
        target_known = false;
      }
    }
  }

  ReportRow finish() {
    row.rate = row.received > 0 ? 100.0 * static_cast<double>(row.digitized) /
                                      static_cast<double>(row.received)
                                : 0.0;
    if (target_known && row.received > 0) {
      row.target = 100.0 * required / static_cast<double>(row.received);
      // 1e-9: 0.4 * 10 is 4.000000000000001 in binary and must not need a fifth dossier.
      const auto needed = static_cast<std::int64_t>(std::ceil(required - 1e-9));
      row.gap = std::max<std::int64_t>(0, needed - row.digitized);
    }
    return row;
  }
};

int level_order(core::Level level) {
  switch (level) {
    case core::Level::province: return 0;
    case core::Level::district: return 1;
    case core::Level::commune: return 2;
    case core::Level::unknown: return 3;
  }
  return 3;
}

}  // namespace

Period parse_period(std::string_view text) {
  if (text.empty() || text == "all") {
    return Period{"", "9999-12-31", "all"};
  }
  auto bad = [&]() {
    return core::UsageError(fmt::format("bad period '{}': {}", text, k_period_forms));
  };
  const auto dots = text.find("..");
  if (dots == std::string_view::npos) {
    const auto range = term_range(text);
    if (!range) {
      throw bad();
    }
    return Period{range->first, range->second, std::string(text)};
  }
  const auto from_text = text.substr(0, dots);
  const auto to_text = text.substr(dots + 2);
  Period period{"", "9999-12-31", std::string(text)};
  if (!from_text.empty()) {
    const auto range = term_range(from_text);
    if (!range) {
      throw bad();
    }
    period.from = range->first;
  }
  if (!to_text.empty()) {
    const auto range = term_range(to_text);
    if (!range) {
      throw bad();
    }
    period.to = range->second;
  }
  if (period.from > period.to) {
    throw core::UsageError(fmt::format("bad period '{}': it ends before it starts", text));
  }
  return period;
}

std::string_view to_string(ReportBy by) {
  switch (by) {
    case ReportBy::level: return "level";
    case ReportBy::unit: return "unit";
    case ReportBy::agency: return "agency";
    case ReportBy::procedure: return "procedure";
    case ReportBy::month: return "month";
  }
  return "level";
}

ReportBy parse_report_by(std::string_view text) {
  for (auto by : {ReportBy::level, ReportBy::unit, ReportBy::agency, ReportBy::procedure,
                  ReportBy::month}) {
    if (text == to_string(by)) {
      return by;
    }
  }
  throw core::UsageError(fmt::format(
      "--by must be level, unit, agency, procedure or month, not '{}'", text));
}

Report build_report(const Catalog& catalog, const ReportQuery& query, const Targets& targets) {
  sqlite3* db = catalog.connection();
  // (level, unit, key) -> cell
  std::map<std::tuple<std::string, std::string, std::string>, Cell> cells;
  {
    const auto [key, name] = key_sql(query.by, "r");
    sql::Query registered(
        db, fmt::format(
                "SELECT r.level, r.unit, {0}, {1}, count(*), count(d.code), "
                "sum(r.resolved_date = ''), "
                "sum(r.resolved_date <> '' AND r.due_date <> '' AND r.resolved_date < r.due_date), "
                "sum(r.resolved_date <> '' AND r.due_date <> '' AND r.resolved_date = r.due_date), "
                "sum(r.resolved_date <> '' AND r.due_date <> '' AND r.resolved_date > r.due_date) "
                "FROM register r LEFT JOIN dossiers d ON d.code = r.dossier_code "
                "WHERE r.received_date >= ?1 AND r.received_date <= ?2 "
                "GROUP BY r.level, r.unit, {0}",
                key, name));
    registered.bind(1, query.period.from).bind(2, query.period.to);
    while (registered.step()) {
      Cell& cell = cells[{registered.text(0), registered.text(1), registered.text(2)}];
      cell.name = registered.text(3);
      cell.received += registered.integer(4);
      cell.digitized += registered.integer(5);
      cell.pending += registered.integer(6);
      cell.early += registered.integer(7);
      cell.on_time += registered.integer(8);
      cell.late += registered.integer(9);
    }
  }
  const char* k_unregistered_where =
      "d.received_date >= ?1 AND d.received_date <= ?2 AND "
      "NOT EXISTS (SELECT 1 FROM register r WHERE r.dossier_code = d.code)";
  {
    const auto [key, name] = key_sql(query.by, "d");
    sql::Query unregistered(db, fmt::format("SELECT d.level, d.unit, {0}, {1}, count(*) "
                                            "FROM dossiers d WHERE {2} GROUP BY d.level, d.unit, {0}",
                                            key, name, k_unregistered_where));
    unregistered.bind(1, query.period.from).bind(2, query.period.to);
    while (unregistered.step()) {
      Cell& cell = cells[{unregistered.text(0), unregistered.text(1), unregistered.text(2)}];
      if (cell.name.empty()) {
        cell.name = unregistered.text(3);
      }
      const auto count = unregistered.integer(4);
      cell.received += count;
      cell.digitized += count;
      cell.unregistered += count;
    }
  }

  Report report;
  report.query = query;
  std::map<std::tuple<int, std::string, std::string>, Accumulator> rows;
  Accumulator total;
  for (const auto& [where, cell] : cells) {
    const auto& [level_text, unit, key] = where;
    const core::Level level = core::parse_level(level_text).value_or(core::Level::unknown);
    const auto target = targets.for_unit(unit, level);
    std::tuple<int, std::string, std::string> row_key;
    switch (query.by) {
      case ReportBy::level: row_key = {level_order(level), std::string(core::to_string(level)), ""}; break;
      case ReportBy::unit: row_key = {level_order(level), unit, ""}; break;
      default: row_key = {0, key, ""}; break;
    }
    Accumulator& row = rows[row_key];
    if (query.by == ReportBy::level || query.by == ReportBy::unit) {
      row.row.level = level;
    }
    row.row.key = std::get<1>(row_key);
    row.add(cell, target);
    total.add(cell, target);
  }
  for (auto& [key, row] : rows) {
    report.rows.push_back(row.finish());
  }
  total.row.key = "total";
  total.row.name.clear();
  report.total = total.finish();

  sql::Query list(db, fmt::format("SELECT d.code, d.title, d.unit, d.level, d.received_date "
                                  "FROM dossiers d WHERE {} ORDER BY d.received_date, d.code",
                                  k_unregistered_where));
  list.bind(1, query.period.from).bind(2, query.period.to);
  while (list.step()) {
    report.unregistered.push_back(UnregisteredDossier{
        list.text(0), list.text(1), list.text(2),
        core::parse_level(list.text(3)).value_or(core::Level::unknown), list.text(4)});
  }
  return report;
}

}  // namespace sohoa::storage
