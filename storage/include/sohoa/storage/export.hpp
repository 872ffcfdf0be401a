#pragma once
// Archival information packages (AIP), after E-ARK CSIP 2.0: one folder per dossier,
//   <out>/<dossier code>/
//     METS.xml                                   fileSec: every file with SIZE, SHA-256, MIMETYPE
//     metadata/descriptive/dossier.xml           the dossier record (Dublin Core + archival fields)
//     metadata/preservation/PREMIS.xml           PREMIS v3: objects (the PDF and every source scan,
//                                                with SHA-256), events, agents
//     representations/rep1/data/<code>.pdf       the archived PDF/A, byte for byte
//     schemas/sohoa-mets.xsd, sohoa-premis.xsd, sohoa-dossier.xsd
// The schemas are sohoa's own XSDs for the subset of METS 1.12 / PREMIS 3.0 that sohoa writes
// (same namespaces and element names; the official XSDs are not available offline), and are
// compiled into the program: verify_package validates against its own copies, never the package's.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "sohoa/storage/archive.hpp"

namespace sohoa::storage {

struct ExportOptions {
  std::filesystem::path out;  // packages go to out/<code>/ (and out/<code>.zip with `zip`)
  bool zip = false;           // also write a ZIP (stored, no compression) of each package
  std::string now;            // ISO UTC time of the export (for the fixity-check event)
  std::string agent;          // "sohoa 0.1.0"
  std::string actor;          // operator name, "" when unknown
};

struct ExportedPackage {
  std::string dossier;
  std::filesystem::path dir;
  std::filesystem::path zip;  // empty without --zip
  int files = 0;              // files listed in METS
  std::int64_t bytes = 0;     // total bytes of those files
};

// Writes the package of dossier `code`. Re-hashes the archived PDF first: a PDF that does not
// match the catalog is not exported (error). An existing out/<code>/ is replaced only once the
// new one is complete (written to out/<code>.tmp/, then renamed). Returns the package, or an
// error naming the dossier and the problem (unknown code, missing or changed PDF, I/O).
// Throws core::Fatal when the catalog cannot be read.
tl::expected<ExportedPackage, std::string> export_dossier(const Archive& archive, const std::string& code,
                                                         const ExportOptions& options);

struct PackageProblem {
  std::string path;     // relative to the package root; "" for the package as a whole
  std::string message;  // what is wrong: "SHA-256 differs from METS", "not valid: ...", ...
};

struct PackageReport {
  std::string dossier;  // from METS OBJID, "" when unreadable
  int files_checked = 0;
  std::vector<PackageProblem> problems;  // empty = the package is intact
};

// Checks the package folder `dir`: the CSIP structure above; METS.xml, PREMIS.xml and
// dossier.xml are well-formed and valid against sohoa's schemas; every file METS lists exists
// with its SIZE and SHA-256; no file is there that METS does not list (schemas/ aside); PREMIS's
// fixity of the PDF agrees with METS; the PDF is named after the METS OBJID. Never throws for a
// bad package; each problem names its file.
PackageReport verify_package(const std::filesystem::path& dir);

}  // namespace sohoa::storage
