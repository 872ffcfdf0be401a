#pragma once
// Digitization reports: per level, unit, agency, procedure or month, for a period, how many
// dossiers were received (register), how many of them are digitized (archived), the rate against
// the target, the gap, and whether they were resolved on time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sohoa/core/types.hpp"
#include "sohoa/storage/catalog.hpp"
#include "sohoa/storage/targets.hpp"

namespace sohoa::storage {

// A closed range of received dates, inclusive. `from` empty and `to` "9999-12-31": all time.
struct Period {
  std::string from;  // YYYY-MM-DD
  std::string to;    // YYYY-MM-DD
  std::string text;  // as the user wrote it ("2026-Q3"), or "all"
};

// Parses "2026", "2026-Q3" (Q1..Q4), "2026-09", "2026-09-15", or "A..B" where A and B are any of
// those (A's first day to B's last day; either side may be left empty for an open end); "" or
// "all" is all time. Throws core::UsageError with the accepted forms for anything else, including
// A after B.
Period parse_period(std::string_view text);

enum class ReportBy { level, unit, agency, procedure, month };
std::string_view to_string(ReportBy by);
// "level", "unit", "agency", "procedure", "month"; core::UsageError otherwise.
ReportBy parse_report_by(std::string_view text);

struct ReportQuery {
  Period period{"", "9999-12-31", "all"};
  ReportBy by = ReportBy::level;
};

struct ReportRow {
  std::string key;    // level name, unit, agency, procedure code or "YYYY-MM"; "" = not given
  std::string name;   // procedure name (by procedure); else empty
  core::Level level = core::Level::unknown;  // by level and by unit; unknown otherwise
  std::int64_t received = 0;      // in the register with a received date in the period, plus
                                  // `unregistered`
  std::int64_t digitized = 0;     // of those, archived (registered or not)
  std::int64_t unregistered = 0;  // archived, not in the register, received in the period
  double rate = 0.0;              // percent digitized of received; 0 when nothing was received
  std::optional<double> target;   // percent; weighted by received when the row mixes units with
                                  // different targets; nullopt when a unit in it has no target
  std::int64_t gap = 0;           // dossiers still to digitize to reach the target (0 when met or
                                  // no target): ceil(target * received) - digitized
  std::int64_t early = 0;         // resolved before the due date
  std::int64_t on_time = 0;       // resolved on the due date
  std::int64_t late = 0;          // resolved after the due date
  std::int64_t pending = 0;       // not resolved yet
};

struct UnregisteredDossier {
  std::string code;
  std::string title;
  std::string unit;
  core::Level level = core::Level::unknown;
  std::string received_date;
};

struct Report {
  ReportQuery query;
  std::vector<ReportRow> rows;  // level: province, district, commune, unknown; unit: by level then
                                // name; agency/procedure: by key; month: chronological
  ReportRow total;              // over every row (its target and gap are computed on the total,
                                // not summed)
  std::vector<UnregisteredDossier> unregistered;  // by received date, then code
};

// Builds the report from the register, the archived dossiers and `targets`. Reads only; throws
// core::Fatal on a database failure.
Report build_report(const Catalog& catalog, const ReportQuery& query, const Targets& targets);

}  // namespace sohoa::storage
