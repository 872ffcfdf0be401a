#pragma once
// Fixity: re-hash every stored file against the catalog.

#include <functional>
#include <string>
#include <vector>

#include "sohoa/storage/archive.hpp"

namespace sohoa::storage {

struct FixityProblem {
  enum class Kind { missing, changed, unreadable };
  Kind kind = Kind::missing;
  std::string dossier;
  std::string path;      // relative to the archive root
  std::string expected;  // sha256 from the catalog
  std::string actual;    // sha256 found, empty when missing/unreadable
};

std::string_view to_string(FixityProblem::Kind kind);

struct FixityReport {
  int files_checked = 0;
  std::int64_t bytes_checked = 0;
  std::vector<FixityProblem> problems;
};

// Re-hashes every dossier's PDF. `progress(done, total)` is called after each file when given.
FixityReport verify_archive(const Archive& archive,
                            const std::function<void(int, int)>& progress = {});

}  // namespace sohoa::storage
