// Design notes
// - Targets live in the catalog (table `targets`, scope 'level' or 'unit'), so every report made
//   from an archive uses the targets that archive was given; the JSON file is how they are set in
//   bulk and kept under version control (samples/targets.json).
// - A unit override wins over its level's target; the report weighs targets by received dossiers
//   when a row mixes units (report.cpp).

#include "sohoa/storage/targets.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"
#include "sql.hpp"

namespace sohoa::storage {
namespace {

void check_percent(double percent, const std::string& what) {
  if (!std::isfinite(percent) || percent < 0.0 || percent > 100.0) {
    throw core::UsageError(fmt::format("{}: a target is a percent from 0 to 100, not {}", what, percent));
  }
}

}  // namespace

std::optional<double> Targets::for_unit(const std::string& unit, core::Level level) const {
  if (const auto found = by_unit.find(unit); found != by_unit.end()) {
    return found->second;
  }
  if (const auto found = by_level.find(level); found != by_level.end()) {
    return found->second;
  }
  return std::nullopt;
}

Targets parse_targets_json(std::string_view text, const std::string& origin) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    throw core::UsageError(fmt::format(
        "{}: not a targets file (JSON like {{\"levels\": {{\"province\": 50}}, \"units\": {{}}}})",
        origin));
  }
  Targets targets;
  auto percent_of = [&](const nlohmann::json& value, const std::string& what) {
    if (!value.is_number()) {
      throw core::UsageError(fmt::format("{}: the target of {} must be a number", origin, what));
    }
    const double percent = value.get<double>();
    check_percent(percent, fmt::format("{}: {}", origin, what));
    return percent;
  };
  for (const auto& [key, value] : json.items()) {
    if (key != "levels" && key != "units") {
      throw core::UsageError(fmt::format("{}: unknown key '{}' (use \"levels\" and \"units\")", origin, key));
    }
    if (!value.is_object()) {
      throw core::UsageError(fmt::format("{}: \"{}\" must be an object", origin, key));
    }
  }
  if (json.contains("levels")) {
    for (const auto& [name, value] : json["levels"].items()) {
      const auto level = core::parse_level(name);
      if (!level) {
        throw core::UsageError(fmt::format(
            "{}: unknown level '{}' (province, district or commune)", origin, name));
      }
      targets.by_level[*level] = percent_of(value, name);
    }
  }
  if (json.contains("units")) {
    for (const auto& [name, value] : json["units"].items()) {
      targets.by_unit[core::to_nfc(name)] = percent_of(value, name);
    }
  }
  return targets;
}

Targets load_targets(const Catalog& catalog) {
  Targets targets;
  sql::Query query(catalog.connection(), "SELECT scope, name, percent FROM targets");
  while (query.step()) {
    if (query.text(0) == "level") {
      if (const auto level = core::parse_level(query.text(1))) {
        targets.by_level[*level] = query.real(2);
      }
    } else {
      targets.by_unit[query.text(1)] = query.real(2);
    }
  }
  return targets;
}

namespace {

void put_target(sqlite3* db, std::string_view scope, std::string_view name, double percent) {
  sql::Query query(db,
                   "INSERT INTO targets (scope, name, percent) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT (scope, name) DO UPDATE SET percent = excluded.percent");
  query.bind(1, scope).bind(2, name).bind(3, percent).run();
}

}  // namespace

void replace_targets(Catalog& catalog, const Targets& targets) {
  sqlite3* db = catalog.connection();
  sql::WriteTransaction transaction(db);
  sql::Query(db, "DELETE FROM targets").run();
  for (const auto& [level, percent] : targets.by_level) {
    check_percent(percent, std::string(core::to_string(level)));
    put_target(db, "level", core::to_string(level), percent);
  }
  for (const auto& [unit, percent] : targets.by_unit) {
    check_percent(percent, unit);
    put_target(db, "unit", unit, percent);
  }
  transaction.commit();
}

void set_level_target(Catalog& catalog, core::Level level, double percent) {
  check_percent(percent, std::string(core::to_string(level)));
  put_target(catalog.connection(), "level", core::to_string(level), percent);
}

void set_unit_target(Catalog& catalog, const std::string& unit, double percent) {
  check_percent(percent, unit);
  put_target(catalog.connection(), "unit", core::to_nfc(unit), percent);
}

bool remove_unit_target(Catalog& catalog, const std::string& unit) {
  sqlite3* db = catalog.connection();
  sql::Query(db, "DELETE FROM targets WHERE scope = 'unit' AND name = ?1").bind(1, core::to_nfc(unit)).run();
  return sqlite3_changes(db) > 0;
}

}  // namespace sohoa::storage
