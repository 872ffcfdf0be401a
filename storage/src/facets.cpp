// Design notes
// - Each list is the union of the archived dossiers and the register, so a filter offers a unit
//   that has received dossiers but digitized none yet (the ones a report shows behind target).

#include "sohoa/storage/facets.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sohoa/core/types.hpp"
#include "sql.hpp"

namespace sohoa::storage {
namespace {

std::vector<std::string> distinct(const Catalog& catalog, const char* column) {
  sql::Query query(catalog.connection(),
                   fmt::format("SELECT {0} FROM dossiers WHERE {0} != '' UNION "
                               "SELECT {0} FROM register WHERE {0} != '' ORDER BY 1",
                               column));
  std::vector<std::string> values;
  while (query.step()) {
    values.push_back(query.text(0));
  }
  return values;
}

}  // namespace

Facets load_facets(const Catalog& catalog) {
  Facets facets;
  const auto levels = distinct(catalog, "level");
  for (const auto level : {core::Level::province, core::Level::district, core::Level::commune}) {
    const std::string name(core::to_string(level));
    if (std::find(levels.begin(), levels.end(), name) != levels.end()) {
      facets.levels.push_back(name);
    }
  }
  facets.units = distinct(catalog, "unit");
  facets.agencies = distinct(catalog, "agency");
  {
    sql::Query query(catalog.connection(),
                     "SELECT procedure_code, max(procedure_name) FROM ("
                     "SELECT procedure_code, procedure_name FROM dossiers UNION ALL "
                     "SELECT procedure_code, procedure_name FROM register) "
                     "WHERE procedure_code != '' GROUP BY procedure_code ORDER BY procedure_code");
    while (query.step()) {
      facets.procedures.emplace_back(query.text(0), query.text(1));
    }
  }
  {
    sql::Query query(catalog.connection(),
                     "SELECT coalesce(min(received_date), ''), coalesce(max(received_date), '') "
                     "FROM (SELECT received_date FROM dossiers WHERE received_date != '' UNION ALL "
                     "SELECT received_date FROM register WHERE received_date != '')");
    if (query.step()) {
      facets.first_received = query.text(0);
      facets.last_received = query.text(1);
    }
  }
  return facets;
}

}  // namespace sohoa::storage
