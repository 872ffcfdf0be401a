#pragma once
// Discovers a batch folder: one subfolder per dossier (folder name = dossier code) holding its
// page images, and an optional manifest.csv describing the dossiers. Reads no image.

#include <filesystem>
#include <string>
#include <vector>

#include "sohoa/core/types.hpp"

namespace sohoa::pipeline {

// Something wrong with the batch, for a person: the file, the manifest line when there is one.
struct BatchProblem {
  std::string dossier;          // empty when it concerns no single dossier
  std::filesystem::path file;
  int line = 0;                 // 1-based manifest line, 0 when none
  std::string message;
};

struct DossierSource {
  core::DossierMeta meta;                    // from the manifest, else only the code
  std::filesystem::path dir;
  std::vector<std::filesystem::path> files;  // the page files, natural order ("2.jpg" < "10.jpg")
  // Problems that stop this dossier from being archived as it is (bad manifest row, empty
  // folder). Non-empty means: report, do not archive.
  std::vector<BatchProblem> problems;
};

struct Batch {
  std::filesystem::path dir;
  bool has_manifest = false;
  std::vector<DossierSource> dossiers;   // natural order of folder names
  std::vector<BatchProblem> warnings;    // do not stop any dossier (stray files, unknown codes...)
};

// The manifest's columns, in the order the README documents them.
const std::vector<std::string>& manifest_columns();

// Discovers the batch at `dir`. Throws core::UsageError when `dir` is missing or not a folder.
// Never throws for problems inside the batch: they are collected.
Batch discover_batch(const std::filesystem::path& dir);

// True when `code` follows the national form V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX.
bool is_national_dossier_code(const std::string& code);

}  // namespace sohoa::pipeline
