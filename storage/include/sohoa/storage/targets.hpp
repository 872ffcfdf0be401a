#pragma once
// Digitization targets: the percent of received dossiers that must be digitized, per level
// (province 50, district 40, commune 30 in the samples), optionally overridden per unit.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sohoa/core/types.hpp"
#include "sohoa/storage/catalog.hpp"

namespace sohoa::storage {

struct Targets {
  std::map<core::Level, double> by_level;  // percent, 0..100
  std::map<std::string, double> by_unit;   // unit name (as in the register) -> percent

  // The target of a unit at `level`: its override, else its level's target, else nullopt.
  std::optional<double> for_unit(const std::string& unit, core::Level level) const;
};

// Parses a targets file: {"levels": {"province": 50, ...}, "units": {"<unit>": 45, ...}}
// ("units" optional). Throws core::UsageError naming `origin` when the text is not such JSON, a
// level is unknown, or a percent is not a number in 0..100.
Targets parse_targets_json(std::string_view text, const std::string& origin);

// The targets stored in the catalog (empty when none was ever set).
Targets load_targets(const Catalog& catalog);

// Replaces every stored target with `targets`, in one transaction.
void replace_targets(Catalog& catalog, const Targets& targets);
// Sets one level's target, or one unit's override, keeping the others. `percent` must be in
// 0..100 (core::UsageError otherwise).
void set_level_target(Catalog& catalog, core::Level level, double percent);
void set_unit_target(Catalog& catalog, const std::string& unit, double percent);
// Removes a unit's override; returns false when it had none.
bool remove_unit_target(Catalog& catalog, const std::string& unit);

}  // namespace sohoa::storage
