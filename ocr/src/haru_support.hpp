#pragma once
// Private to ocr/: libharu helpers shared by the dossier PDF writer and the report writer.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <hpdf.h>

namespace sohoa::ocr::haru {

// The first libharu error of a document, recorded by `record_error` (set as its error handler
// with a pointer to this as user data): libharu then returns failures instead of longjmp-ing.
struct ErrorState {
  HPDF_STATUS error_no = HPDF_OK;
  HPDF_STATUS detail_no = 0;
};
void record_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data);

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<HPDF_Doc_Rec, DocDeleter>;

// Loads the TrueType font at `path` (embedded) with libharu's UTF-8 encoder and gives it an
// identity ToUnicode map (libharu 2.3.0 writes a broken one), so text extracts as written.
// Returns nullptr when libharu fails (the error is in the document's ErrorState).
HPDF_Font load_utf8_font(HPDF_Doc doc, const std::string& path);

// Identity ToUnicode CMap for 2-byte codes that are UTF-16 code units (libharu 2.3.0's own is
// broken for UTF-8 fonts).
std::string identity_to_unicode_cmap();

// ToUnicode CMap for 2-byte codes: each code of `codes` (at most 0xFFFF) shows its character
// (beyond the BMP as a UTF-16 surrogate pair).
std::string to_unicode_cmap(const std::map<std::uint32_t, char32_t>& codes);

// Why the file at `path` is not a TrueType font libharu can load (it crashes on some): no sfnt
// header with TrueType outlines, a table outside the file, or a table libharu reads missing.
// Empty when it looks fine.
std::string truetype_problem(const std::filesystem::path& path);

}  // namespace sohoa::ocr::haru
