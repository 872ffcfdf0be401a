// Design notes
// ------------
// * The record's defaults (see the header) err on the side of keeping: an unknown retention is
//   kept permanently, an unknown access regime is "conditional" (one-stop dossiers carry personal
//   data), the confidence level of a scan is always "02 digitized".
// * Manifest columns are matched by name, camelCase as in XMP or snake_case as spreadsheet users
//   write them; the comparison ignores case, '_' and '-'.

#include "sohoa/core/archival.hpp"

#include <array>

namespace sohoa::core {

namespace {

struct FieldSpec {
  const char* name;
  const char* label;
};

constexpr std::array<FieldSpec, 13> k_fields = {{
    {"fondsCode", "Fonds"},
    {"retention", "Retention"},
    {"accessRegime", "Access"},
    {"language", "Language"},
    {"startDate", "Start date"},
    {"endDate", "End date"},
    {"documentCount", "Documents"},
    {"sheetCount", "Sheets"},
    {"pageCount", "Pages"},
    {"keywords", "Keywords"},
    {"notes", "Notes"},
    {"physicalCondition", "Condition"},
    {"confidenceLevel", "Confidence"},
}};

std::string normalized(std::string_view name) {
  std::string out;
  for (char ch : name) {
    if (ch == '_' || ch == '-' || ch == ' ') {
      continue;
    }
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  return out;
}

const std::string* manifest_value(const DossierMeta& meta, std::string_view name) {
  const std::string wanted = normalized(name);
  for (const auto& [key, value] : meta.extra) {
    if (normalized(key) == wanted && !value.empty()) {
      return &value;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<ArchivalField> archival_fields(const DossierMeta& meta, int page_count) {
  const std::string pages = std::to_string(page_count);
  auto default_of = [&](std::string_view name) -> std::string {
    if (name == "retention") {
      return "01";
    }
    if (name == "accessRegime") {
      return "02";
    }
    if (name == "language") {
      return "01";
    }
    if (name == "startDate" || name == "endDate") {
      return meta.received_date;
    }
    if (name == "documentCount") {
      return "1";
    }
    if (name == "sheetCount" || name == "pageCount") {
      return pages;
    }
    if (name == "keywords") {
      return meta.procedure_name;
    }
    if (name == "physicalCondition") {
      return "normal";
    }
    if (name == "confidenceLevel") {
      return "02";
    }
    return "";
  };
  std::vector<ArchivalField> fields;
  fields.reserve(k_fields.size());
  for (const FieldSpec& spec : k_fields) {
    ArchivalField field{spec.name, spec.label, default_of(spec.name), false};
    // The page count and confidence level describe what sohoa archived, not the manifest.
    const bool fixed = field.name == "pageCount" || field.name == "confidenceLevel";
    if (const std::string* value = manifest_value(meta, spec.name); value != nullptr && !fixed) {
      field.value = *value;
      field.from_manifest = true;
    }
    fields.push_back(std::move(field));
  }
  return fields;
}

std::string archival_value(const std::vector<ArchivalField>& fields, std::string_view name) {
  for (const ArchivalField& field : fields) {
    if (field.name == name) {
      return field.value;
    }
  }
  return "";
}

std::string archival_code_label(std::string_view name, std::string_view code) {
  using Pair = std::pair<std::string_view, std::string_view>;
  static constexpr std::array<Pair, 7> retention = {{{"01", "permanent"},
                                                     {"02", "70 years"},
                                                     {"03", "50 years"},
                                                     {"04", "30 years"},
                                                     {"05", "20 years"},
                                                     {"06", "10 years"},
                                                     {"07", "other"}}};
  static constexpr std::array<Pair, 3> access = {
      {{"01", "public"}, {"02", "conditional"}, {"03", "secret"}}};
  static constexpr std::array<Pair, 3> language = {
      {{"01", "Vietnamese"}, {"02", "English"}, {"06", "Vietnamese-English"}}};
  static constexpr std::array<Pair, 2> confidence = {{{"01", "born-digital"}, {"02", "digitized"}}};
  auto find = [code](const auto& table) -> std::string {
    for (const auto& [key, label] : table) {
      if (key == code) {
        return std::string(label);
      }
    }
    return "";
  };
  if (name == "retention") {
    return find(retention);
  }
  if (name == "accessRegime") {
    return find(access);
  }
  if (name == "language") {
    return find(language);
  }
  if (name == "confidenceLevel") {
    return find(confidence);
  }
  return "";
}

bool is_archival_column(std::string_view name) {
  const std::string wanted = normalized(name);
  for (const FieldSpec& spec : k_fields) {
    if (normalized(spec.name) == wanted) {
      return true;
    }
  }
  return false;
}

}  // namespace sohoa::core
