#pragma once
// The dossier record of the archival standard (Thông tư 05/2025/TT-BNV and its predecessors:
// "hồ sơ" fields), derived from a dossier's manifest metadata with documented defaults. The PDF
// writer puts it in XMP, `sohoa show` prints it, `sohoa export` writes it into the package.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sohoa/core/types.hpp"

namespace sohoa::core {

// One field of the record: its manifest column / XMP property name (sohoa namespace), its value,
// and whether the value came from the manifest (false = the documented default).
struct ArchivalField {
  std::string name;   // "retention", "accessRegime", ...
  std::string label;  // English label for `sohoa show`
  std::string value;
  bool from_manifest = false;
};

// The archival fields, in this order, each read from the manifest column of the same name (an
// extra column of DossierMeta::extra; a snake_case spelling such as `access_regime` is accepted
// too), else its default:
//   fondsCode        ""                      phông lưu trữ
//   retention        "01" (permanent)        01 vĩnh viễn, 02 70 y, 03 50 y, 04 30 y, 05 20 y,
//                                            06 10 y, 07 other; unknown: keep the longest
//   accessRegime     "02" (conditional)      01 public, 02 conditional, 03 secret; dossiers of a
//                                            one-stop desk hold personal data
//   language         "01" (Vietnamese)       01 vi, 02 en, 06 vi-en, ...
//   startDate        received_date           YYYY-MM-DD
//   endDate          received_date
//   documentCount    "1"                     number of documents (văn bản) in the dossier
//   sheetCount       page count              sheets (tờ); simplex scanning assumed
//   pageCount        page count              pages (trang), always the archived pages
//   keywords         procedure name          "; "-separated
//   notes            ""
//   physicalCondition "normal"               tình trạng vật lý
//   confidenceLevel  "02" (digitized)        01 born-digital, 02 digitized
// `page_count` is the number of archived pages.
std::vector<ArchivalField> archival_fields(const DossierMeta& meta, int page_count);

// The value of `name` in `fields`, or "" when absent.
std::string archival_value(const std::vector<ArchivalField>& fields, std::string_view name);

// Human label of a coded value: ("retention", "01") -> "permanent"; "" when unknown.
std::string archival_code_label(std::string_view name, std::string_view code);

// True when `name` (a manifest column) is one of the archival fields (any accepted spelling):
// such columns are shown as archival fields, not as "extra" columns.
bool is_archival_column(std::string_view name);

}  // namespace sohoa::core
