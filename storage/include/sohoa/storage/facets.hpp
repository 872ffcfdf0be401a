#pragma once
// The values a search or a report can be filtered by: the levels, units, agencies and procedures
// found in the archived dossiers and the register, and the range of received dates.

#include <string>
#include <utility>
#include <vector>

#include "sohoa/storage/catalog.hpp"

namespace sohoa::storage {

struct Facets {
  std::vector<std::string> levels;      // province, district, commune (those present), in order
  std::vector<std::string> units;       // sorted, no empty value
  std::vector<std::string> agencies;    // sorted, no empty value
  std::vector<std::pair<std::string, std::string>> procedures;  // (code, name) by code
  std::string first_received;           // YYYY-MM-DD, empty when nothing is dated
  std::string last_received;
};

// Reads only; throws core::Fatal on a database failure.
Facets load_facets(const Catalog& catalog);

}  // namespace sohoa::storage
