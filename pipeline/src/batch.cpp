// Design notes: a broken manifest must never let a dossier be archived with wrong or missing
// metadata, because metadata decides where its PDF is filed and how it is counted. So a bad row
// fails its own dossier (named by file and line), and a manifest that cannot be parsed at all
// fails every dossier of the batch; the operator fixes the file and runs the batch again, which
// then archives only what is missing.

#include "sohoa/pipeline/batch.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <set>

#include "sohoa/core/csv.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"

namespace sohoa::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr const char* k_manifest_name = "manifest.csv";

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

bool is_iso_date(const std::string& text) {
  static const std::regex k_pattern(R"(^(\d{4})-(\d{2})-(\d{2})$)");
  std::smatch match;
  if (!std::regex_match(text, match, k_pattern)) {
    return false;
  }
  const std::chrono::year_month_day date{std::chrono::year{std::stoi(match[1])},
                                         std::chrono::month{static_cast<unsigned>(std::stoi(match[2]))},
                                         std::chrono::day{static_cast<unsigned>(std::stoi(match[3]))}};
  return date.ok();
}

bool is_ignored_name(const std::string& name) {
  return name.empty() || name[0] == '.' || name == "Thumbs.db" || name == "desktop.ini";
}

struct ManifestRow {
  int line = 0;
  core::DossierMeta meta;
  std::vector<std::string> problems;
};

struct Manifest {
  std::map<std::string, ManifestRow> rows;  // by dossier code
  std::vector<BatchProblem> warnings;
  std::string fatal;                        // non-empty: the whole file is unusable
  int fatal_line = 0;
};

Manifest read_manifest(const fs::path& file) {
  Manifest manifest;
  auto table = core::read_csv(file);
  if (!table) {
    manifest.fatal = table.error();
    return manifest;
  }
  if (!table->header.utf8) {
    manifest.fatal = "line 1: the file is not UTF-8 text (save it as CSV UTF-8)";
    return manifest;
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t index = 0; index < table->header.fields.size(); ++index) {
    column.emplace(lower_ascii(trim(table->header.fields[index])), index);
  }
  if (!column.contains("dossier_code")) {
    manifest.fatal = "line 1: no dossier_code column (the header must name the columns: " +
                     std::string("dossier_code,title,procedure_code,...)");
    manifest.fatal_line = 1;
    return manifest;
  }
  const auto& known = manifest_columns();
  for (const auto& record : table->records) {
    auto field = [&](const std::string& name) -> std::string {
      const auto found = column.find(name);
      if (found == column.end() || found->second >= record.fields.size()) {
        return {};
      }
      return core::to_nfc(trim(record.fields[found->second]));
    };
    ManifestRow row;
    row.line = record.line;
    const std::string code = field("dossier_code");
    if (code.empty()) {
      manifest.warnings.push_back({"", file, record.line, "no dossier code; row ignored"});
      continue;
    }
    if (!record.utf8) {
      row.meta.code = code;
      row.problems.push_back("not UTF-8 text (save the manifest as CSV UTF-8)");
    } else {
      if (record.fields.size() > table->header.fields.size()) {
        row.problems.push_back(std::to_string(record.fields.size()) + " fields but the header has " +
                               std::to_string(table->header.fields.size()));
      }
      row.meta.code = code;
      row.meta.title = field("title");
      row.meta.procedure_code = field("procedure_code");
      row.meta.procedure_name = field("procedure_name");
      row.meta.agency = field("agency");
      row.meta.unit = field("unit");
      row.meta.applicant = field("applicant");
      const std::string level = field("level");
      if (!level.empty()) {
        if (auto parsed = core::parse_level(level)) {
          row.meta.level = *parsed;
        } else {
          row.problems.push_back("unknown level '" + level +
                                 "' (use province, district or commune)");
        }
      }
      row.meta.received_date = field("received_date");
      if (!row.meta.received_date.empty() && !is_iso_date(row.meta.received_date)) {
        row.problems.push_back("received_date '" + row.meta.received_date +
                               "' is not a date in the form YYYY-MM-DD");
      }
      for (std::size_t index = 0; index < table->header.fields.size(); ++index) {
        const std::string name = trim(table->header.fields[index]);
        if (std::find(known.begin(), known.end(), lower_ascii(name)) == known.end() &&
            index < record.fields.size()) {
          row.meta.extra.emplace_back(name, core::to_nfc(trim(record.fields[index])));
        }
      }
    }
    auto [existing, inserted] = manifest.rows.try_emplace(code, row);
    if (!inserted) {
      existing->second.problems.push_back("dossier " + code + " is listed again on line " +
                                          std::to_string(record.line));
    }
  }
  return manifest;
}

}  // namespace

const std::vector<std::string>& manifest_columns() {
  static const std::vector<std::string> k_columns{
      "dossier_code", "title", "procedure_code", "procedure_name", "agency",
      "unit",         "level", "received_date",  "applicant"};
  return k_columns;
}

bool is_national_dossier_code(const std::string& code) {
  static const std::regex k_pattern(R"(^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}-\d{6}-\d{4}$)");
  return std::regex_match(code, k_pattern);
}

Batch discover_batch(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw core::UsageError("batch folder " + dir.string() + " does not exist or is not a folder");
  }
  Batch batch;
  batch.dir = fs::absolute(dir);

  Manifest manifest;
  const fs::path manifest_file = batch.dir / k_manifest_name;
  batch.has_manifest = fs::is_regular_file(manifest_file, error);
  if (batch.has_manifest) {
    manifest = read_manifest(manifest_file);
    for (auto& warning : manifest.warnings) {
      batch.warnings.push_back(std::move(warning));
    }
  }

  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(batch.dir, error)) {
    const std::string name = entry.path().filename().string();
    if (is_ignored_name(name)) {
      continue;
    }
    if (entry.is_directory(error)) {
      folders.push_back(entry.path());
    } else if (name != k_manifest_name) {
      batch.warnings.push_back({"", entry.path(), 0,
                                "not inside a dossier folder; ignored (put page images in "
                                "BATCH/<dossier code>/)"});
    }
  }
  if (error) {
    throw core::UsageError("cannot list batch folder " + dir.string() + ": " + error.message());
  }
  std::sort(folders.begin(), folders.end(), [](const fs::path& left, const fs::path& right) {
    return core::natural_less(left.filename().string(), right.filename().string());
  });

  std::set<std::string> seen_codes;
  for (const auto& folder : folders) {
    DossierSource dossier;
    dossier.dir = folder;
    dossier.meta.code = core::to_nfc(folder.filename().string());
    seen_codes.insert(dossier.meta.code);
    if (!manifest.fatal.empty()) {
      dossier.problems.push_back({dossier.meta.code, manifest_file, manifest.fatal_line,
                                  "manifest unusable: " + manifest.fatal});
    } else if (const auto row = manifest.rows.find(dossier.meta.code); row != manifest.rows.end()) {
      dossier.meta = row->second.meta;
      for (const auto& problem : row->second.problems) {
        dossier.problems.push_back({dossier.meta.code, manifest_file, row->second.line, problem});
      }
    } else if (batch.has_manifest) {
      batch.warnings.push_back({dossier.meta.code, folder, 0,
                                "not listed in manifest.csv: no metadata for it"});
    }
    if (!is_national_dossier_code(dossier.meta.code)) {
      batch.warnings.push_back({dossier.meta.code, folder, 0,
                                "dossier code does not follow the national form "
                                "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX; kept as it is"});
    }
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      const std::string name = entry.path().filename().string();
      if (is_ignored_name(name)) {
        continue;
      }
      if (entry.is_regular_file(error)) {
        dossier.files.push_back(entry.path());
      } else {
        batch.warnings.push_back({dossier.meta.code, entry.path(), 0,
                                  "sub-folder inside a dossier folder; ignored"});
      }
    }
    if (error) {
      dossier.problems.push_back({dossier.meta.code, folder, 0, "cannot list: " + error.message()});
      error.clear();
    }
    std::sort(dossier.files.begin(), dossier.files.end(),
              [](const fs::path& left, const fs::path& right) {
                return core::natural_less(left.filename().string(), right.filename().string());
              });
    if (dossier.files.empty() && dossier.problems.empty()) {
      dossier.problems.push_back({dossier.meta.code, folder, 0, "empty dossier folder: no page images"});
    }
    batch.dossiers.push_back(std::move(dossier));
  }
  for (const auto& [code, row] : manifest.rows) {
    if (!seen_codes.contains(code)) {
      batch.warnings.push_back({code, manifest_file, row.line,
                                "dossier " + code + " has no folder in the batch"});
    }
  }
  return batch;
}

}  // namespace sohoa::pipeline
