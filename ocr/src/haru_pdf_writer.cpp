// Design notes
// ------------
// * One libharu document per call of write(); nothing is shared between calls, so the writer is
//   stateless and `const`-callable from any thread (libharu keeps no global state).
// * Errors (STYLE.md §8): HPDF_New gets an error handler that only records the first error_no /
//   detail_no in a per-document struct (no setjmp/longjmp); every status and every returned handle
//   is checked and turned into "libharu error 0x%04X (detail N) while <step>".
// * Page images: JPEG bytes go in as they are (DCTDecode, grey or colour). Bilevel rows (1 = black,
//   MSB first) go through HPDF_Image_LoadRaw1BitImageFromMem, which CCITT G4-encodes them at load
//   time. Two libharu 2.3.0 traps, both caught by rendering back with pdftoppm in the tests: the
//   /Filter /CCITTFaxDecode is only written when HPDF_COMP_IMAGE is on (else the G4 bytes are
//   labelled as raw bits), and `black_is1` is copied into /DecodeParms /BlackIs1, which describes
//   the *decoded* G4 data, in which 1 bits come out white — so our 1 = black rows need
//   black_is1 = HPDF_FALSE. top_is_first = HPDF_TRUE (our rows are top first). libharu keeps
//   the *encoded* image of every page in memory until HPDF_SaveToFile; we never keep a decoded one.
// * Text layer, after Tesseract's pdfrenderer: render mode 3 (invisible), one BT..ET per page. A
//   line's words share one font size and one baseline so that extractors put them on one line. The
//   font size makes the font's ascent reach the line's top above the baseline and its descent reach
//   the line's bottom below it (the larger of the two), so the highlight a viewer draws (ascent to
//   descent) covers the word on the image. The OCR baseline is used when it is plausible (inside the
//   line box, or a little below it); else the bottom of the line box. Each word gets its own text
//   matrix at its box's left edge and a horizontal scaling that makes its advance width equal to
//   the box width: Tz within libharu's allowed 10..300 %, the rest in the text matrix. Words but the
//   last of a line carry a trailing space glyph (as Tesseract does) so extractors see a real space.
// * Font: a TrueType font loaded once per document with libharu's UTF-8 encoder (Type0 /
//   Identity-H; the codes are UTF-16 code units, a CIDToGIDMap finds the glyphs). libharu 2.3.0's
//   own ToUnicode CMap for it is broken, so we rewrite it as the identity (see replace_to_unicode).
//   The default is DejaVu Serif, not DejaVu Sans: for an invisible layer glyph shapes do not matter
//   and advance widths are scaled to the boxes anyway, and measured per PDF (one small page, font
//   and content Flate-compressed) the font costs: DejaVuSans 94 KB, DejaVuSansCondensed 93 KB
//   (fonts-dejavu-extra, not installed by default), DejaVuSerif 62 KB, DejaVuSansMono 48 KB (but it
//   lacks 48 Vietnamese letters such as "ả ấ ầ ẩ ẫ", so extraction would still work while the PDF
//   would reference missing glyphs). Those figures were for the whole font; now each document
//   gets a subset (font_subset.cpp: the cmap narrowed to the characters its words use, unused
//   metrics zeroed, glyph names and licence text dropped) handed to libharu through a memfd, so
//   the embedded font program is ~7 KB compressed and libharu's /W array and CIDToGIDMap only
//   describe used characters (measured: a 2-page Vietnamese test dossier, 40.9 KB with its text
//   layer, 35.5 KB without).
//   The constructor checks the font's sfnt header and table directory because libharu 2.3.0
//   crashes on a file that is not TrueType.
// * Metadata: the Info dictionary is written by hand so that non-ASCII values are UTF-16BE strings
//   with a BOM (libharu 2.3.0 would write raw UTF-8 bytes, which readers show as PDFDocEncoding
//   mojibake). The XMP packet is our own uncompressed /Type /Metadata /Subtype /XML stream
//   referenced from the catalogue; HPDF_PDFA_SetPDFAConformance is NOT used, so there is exactly
//   one metadata stream. Info and XMP are built from the same values.
// * sohoa XMP namespace: prefix `sohoa`, URI "urn:sohoa:metadata:1.0:". Properties (all Text unless
//   said): dossierCode, title, procedureCode, procedureName, agency, unit, level
//   (province|district|commune), receivedDate (YYYY-MM-DD), applicant, pageCount (Integer),
//   ocrLanguages ("vie+eng"), extra (bag Text, "name=value" for each unknown manifest column, in
//   order). The namespace is declared in a PDF/A extension schema block inside the packet (PDF/A-1
//   §6.7.8). Empty values are left out.
// * Info custom keys: DossierCode, ProcedureCode, Agency, Unit, Level, ReceivedDate, PageCount,
//   OcrLanguages (only when not empty). There is no /Author / dc:creator: the applicant is personal
//   data and is only kept under sohoa:applicant.
// * /ID in the trailer: the first 16 bytes of a SHA-256 over the created time, the metadata and
//   every page's image bytes and words — the same input gives the same file id (STYLE.md §12).
// * PDF version 1.4 (PDF/A-1). Content streams and the font file are Flate-compressed.
// * PDF/A-1b §6.2.2: one OutputIntent (/S /GTS_PDFA1) whose DestOutputProfile is Debian's sRGB
//   ICC v2 profile (icc-profiles-free), Flate-compressed, /N 3; DeviceGray and DeviceRGB images
//   are then allowed. No transparency, no encryption, no /Interpolate (tests check each).
// * Archival record (core/archival.hpp): each field as sohoa:<name> (pageCount once), described in
//   the extension schema; Dublin Core where one fits: dc:identifier (dossier code), dc:subject
//   (keywords), dc:date (start date).

#include "sohoa/ocr/haru_pdf_writer.hpp"

#include "haru_support.hpp"

#include <hpdf.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include <set>

#include "font_subset.hpp"
#include "sohoa/core/archival.hpp"
#include "sohoa/core/clock.hpp"
#include "sohoa/core/hash.hpp"

namespace sohoa::ocr {

namespace {

constexpr const char* k_default_font = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
constexpr const char* k_default_icc = "/usr/share/color/icc/sRGB.icc";

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Why `icc` is not an RGB profile PDF/A-1 accepts; empty when it is.
std::string icc_problem(const std::vector<std::uint8_t>& icc) {
  if (icc.size() < 128) {
    return "missing, unreadable or shorter than an ICC header";
  }
  if (!(icc[36] == 'a' && icc[37] == 'c' && icc[38] == 's' && icc[39] == 'p')) {
    return "no ICC signature";
  }
  if (!(icc[16] == 'R' && icc[17] == 'G' && icc[18] == 'B' && icc[19] == ' ')) {
    return "not an RGB profile";
  }
  if (icc[8] != 2) {
    return "ICC version " + std::to_string(icc[8]) + " (PDF/A-1, on PDF 1.4, wants version 2)";
  }
  return "";
}
constexpr std::string_view k_sohoa_ns = "urn:sohoa:metadata:1.0:";

// First libharu error of one document, recorded by the error handler.
struct HaruErrorState {
  HPDF_STATUS error_no = HPDF_OK;
  HPDF_STATUS detail_no = HPDF_OK;
};

void record_haru_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* state = static_cast<HaruErrorState*>(user_data);
  if (state != nullptr && state->error_no == HPDF_OK) {
    state->error_no = error_no;
    state->detail_no = detail_no;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<HPDF_Doc_Rec, DocDeleter>;

using Result = tl::expected<void, std::string>;

// Locale-independent number for messages.
std::string number(long long value) { return std::to_string(value); }

// ---- text helpers ---------------------------------------------------------------------------

// Decodes UTF-8 into code points; malformed sequences become U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    int extra = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0U) == 0xC0U) {
      extra = 1;
      cp = lead & 0x1FU;
    } else if ((lead & 0xF0U) == 0xE0U) {
      extra = 2;
      cp = lead & 0x0FU;
    } else if ((lead & 0xF8U) == 0xF0U) {
      extra = 3;
      cp = lead & 0x07U;
    } else {
      out.push_back(U'\uFFFD');
      ++pos;
      continue;
    }
    bool valid = pos + static_cast<std::size_t>(extra) < text.size();
    for (int idx = 1; valid && idx <= extra; ++idx) {
      const auto next = static_cast<unsigned char>(text[pos + static_cast<std::size_t>(idx)]);
      if ((next & 0xC0U) != 0x80U) {
        valid = false;
      } else {
        cp = (cp << 6U) | (next & 0x3FU);
      }
    }
    if (!valid || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(U'\uFFFD');
      ++pos;
      continue;
    }
    out.push_back(cp);
    pos += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// What libharu 2.3.0's UTF-8 encoder can show: it handles the BMP only (a 4-byte sequence cuts
// the rest of the string off) and control characters cut it too. Controls are dropped; characters
// beyond the BMP become U+FFFD.
std::string showable_text(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (char32_t cp : decode_utf8(utf8)) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      continue;
    }
    if (cp > 0xFFFF) {
      cp = U'\uFFFD';
    }
    const auto value = static_cast<std::uint32_t>(cp);
    if (value < 0x80) {
      out += static_cast<char>(value);
    } else if (value < 0x800) {
      out += static_cast<char>(0xC0U | (value >> 6U));
      out += static_cast<char>(0x80U | (value & 0x3FU));
    } else {
      out += static_cast<char>(0xE0U | (value >> 12U));
      out += static_cast<char>(0x80U | ((value >> 6U) & 0x3FU));
      out += static_cast<char>(0x80U | (value & 0x3FU));
    }
  }
  return out;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

// UTF-16BE with a byte order mark, as PDF text strings want for non-ASCII text.
std::vector<HPDF_BYTE> utf16be_with_bom(std::string_view utf8) {
  std::vector<HPDF_BYTE> out{0xFE, 0xFF};
  auto put = [&out](std::uint32_t unit) {
    out.push_back(static_cast<HPDF_BYTE>((unit >> 8U) & 0xFFU));
    out.push_back(static_cast<HPDF_BYTE>(unit & 0xFFU));
  };
  for (char32_t cp : decode_utf8(utf8)) {
    auto value = static_cast<std::uint32_t>(cp);
    if (value >= 0x10000) {
      value -= 0x10000;
      put(0xD800U + (value >> 10U));
      put(0xDC00U + (value & 0x3FFU));
    } else {
      put(value);
    }
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab, LF and CR are not allowed in XML 1.0.
        if (byte < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
          break;
        }
        out += ch;
    }
  }
  return out;
}

std::string lowercase_ascii(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') {
      ch = static_cast<char>(ch - 'A' + 'a');
    }
  }
  return out;
}

// "vie+eng" -> {"vi", "en"}; unknown codes are kept as they are; empty -> {"vi"}.
std::vector<std::string> xmp_languages(std::string_view tesseract_languages) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= tesseract_languages.size()) {
    const std::size_t end = std::min(tesseract_languages.find('+', start), tesseract_languages.size());
    const std::string code = lowercase_ascii(tesseract_languages.substr(start, end - start));
    std::string lang = code == "vie" ? "vi" : code == "eng" ? "en" : code;
    if (!lang.empty() && std::find(out.begin(), out.end(), lang) == out.end()) {
      out.push_back(std::move(lang));
    }
    start = end + 1;
  }
  if (out.empty()) {
    out.emplace_back("vi");
  }
  return out;
}

// ---- font metrics: libharu reports them in 1/1000 em; a broken font must not give a zero size ----

double clamp_positive(double value, double minimum) { return value < minimum ? minimum : value; }



// ---- the values that go into both Info and XMP ------------------------------------------------

struct MetaValues {
  std::string title;
  std::string subject;
  std::string keywords;
  std::string creator = "sohoa";
  std::string producer;
  std::string created_iso;  // 2026-11-23T16:12:07Z
  std::string created_pdf;  // D:20261123161207Z
  std::string level;
  std::string page_count;
  std::vector<std::pair<std::string, std::string>> custom;  // Info key -> value (non-empty)
};

MetaValues collect_meta(const core::PdfDossier& dossier, std::size_t page_count) {
  const core::DossierMeta& meta = dossier.meta;
  MetaValues values;
  values.title = meta.title.empty() ? meta.code : meta.title;
  values.subject = meta.procedure_name;
  std::string keywords;
  for (const std::string* part : {&meta.code, &meta.procedure_code, &meta.agency, &meta.unit}) {
    if (!part->empty()) {
      keywords += keywords.empty() ? "" : "; ";
      keywords += *part;
    }
  }
  values.keywords = keywords;
  values.producer = dossier.producer.empty() ? std::string("sohoa") : dossier.producer;
  values.created_iso = core::iso_utc(dossier.created);
  std::string digits;
  for (char ch : values.created_iso) {
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    }
  }
  values.created_pdf = "D:" + digits + "Z";
  values.level = meta.level == core::Level::unknown ? std::string() : std::string(core::to_string(meta.level));
  values.page_count = number(static_cast<long long>(page_count));
  const std::pair<const char*, const std::string*> custom[] = {
      {"DossierCode", &meta.code},         {"ProcedureCode", &meta.procedure_code},
      {"Agency", &meta.agency},            {"Unit", &meta.unit},
      {"Level", &values.level},            {"ReceivedDate", &meta.received_date},
      {"PageCount", &values.page_count},   {"OcrLanguages", &dossier.languages},
  };
  for (const auto& [key, value] : custom) {
    if (!value->empty()) {
      values.custom.emplace_back(key, *value);
    }
  }
  return values;
}

std::string build_xmp(const core::PdfDossier& dossier, const MetaValues& values) {
  const core::DossierMeta& meta = dossier.meta;
  const std::vector<core::ArchivalField> archival =
      core::archival_fields(meta, static_cast<int>(dossier.pages->size()));
  std::string xmp;
  xmp += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  xmp += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  xmp += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";

  xmp += "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
         "   <pdfaid:part>1</pdfaid:part>\n"
         "   <pdfaid:conformance>B</pdfaid:conformance>\n"
         "  </rdf:Description>\n";

  xmp += "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
         "   <dc:format>application/pdf</dc:format>\n";
  xmp += "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(values.title) +
         "</rdf:li></rdf:Alt></dc:title>\n";
  if (!values.subject.empty()) {
    xmp += "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
           xml_escape(values.subject) + "</rdf:li></rdf:Alt></dc:description>\n";
  }
  xmp += "   <dc:identifier>" + xml_escape(meta.code) + "</dc:identifier>\n";
  if (const std::string keywords = core::archival_value(archival, "keywords"); !keywords.empty()) {
    xmp += "   <dc:subject><rdf:Bag>";
    std::size_t start = 0;
    while (start <= keywords.size()) {
      const std::size_t end = std::min(keywords.find(';', start), keywords.size());
      std::string word = keywords.substr(start, end - start);
      word.erase(0, std::min(word.find_first_not_of(' '), word.size()));
      word.erase(word.find_last_not_of(' ') + 1);
      if (!word.empty()) {
        xmp += "<rdf:li>" + xml_escape(word) + "</rdf:li>";
      }
      start = end + 1;
    }
    xmp += "</rdf:Bag></dc:subject>\n";
  }
  if (const std::string start = core::archival_value(archival, "startDate"); !start.empty()) {
    xmp += "   <dc:date><rdf:Seq><rdf:li>" + xml_escape(start) + "</rdf:li></rdf:Seq></dc:date>\n";
  }
  xmp += "   <dc:language><rdf:Bag>";
  for (const std::string& lang : xmp_languages(dossier.languages)) {
    xmp += "<rdf:li>" + xml_escape(lang) + "</rdf:li>";
  }
  xmp += "</rdf:Bag></dc:language>\n";
  xmp += "  </rdf:Description>\n";

  xmp += "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
  xmp += "   <pdf:Producer>" + xml_escape(values.producer) + "</pdf:Producer>\n";
  if (!values.keywords.empty()) {
    xmp += "   <pdf:Keywords>" + xml_escape(values.keywords) + "</pdf:Keywords>\n";
  }
  xmp += "  </rdf:Description>\n";

  xmp += "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n";
  xmp += "   <xmp:CreateDate>" + values.created_iso + "</xmp:CreateDate>\n";
  xmp += "   <xmp:ModifyDate>" + values.created_iso + "</xmp:ModifyDate>\n";
  xmp += "   <xmp:MetadataDate>" + values.created_iso + "</xmp:MetadataDate>\n";
  xmp += "   <xmp:CreatorTool>" + xml_escape(values.creator) + "</xmp:CreatorTool>\n";
  xmp += "  </rdf:Description>\n";

  xmp += "  <rdf:Description rdf:about=\"\" xmlns:sohoa=\"" + std::string(k_sohoa_ns) + "\">\n";
  const std::pair<const char*, const std::string*> fields[] = {
      {"dossierCode", &meta.code},
      {"title", &meta.title},
      {"procedureCode", &meta.procedure_code},
      {"procedureName", &meta.procedure_name},
      {"agency", &meta.agency},
      {"unit", &meta.unit},
      {"level", &values.level},
      {"receivedDate", &meta.received_date},
      {"applicant", &meta.applicant},
      {"pageCount", &values.page_count},
      {"ocrLanguages", &dossier.languages},
  };
  for (const auto& [name, value] : fields) {
    if (!value->empty()) {
      xmp += "   <sohoa:" + std::string(name) + ">" + xml_escape(*value) + "</sohoa:" + name + ">\n";
    }
  }
  for (const core::ArchivalField& field : archival) {
    if (!field.value.empty() && field.name != "pageCount") {
      xmp += "   <sohoa:" + field.name + ">" + xml_escape(field.value) + "</sohoa:" + field.name + ">\n";
    }
  }
  if (!meta.extra.empty()) {
    xmp += "   <sohoa:extra><rdf:Bag>";
    for (const auto& [key, value] : meta.extra) {
      xmp += "<rdf:li>" + xml_escape(key) + "=" + xml_escape(value) + "</rdf:li>";
    }
    xmp += "</rdf:Bag></sohoa:extra>\n";
  }
  xmp += "  </rdf:Description>\n";

  // PDF/A-1 §6.7.8: a custom namespace must be described by an extension schema.
  xmp += "  <rdf:Description rdf:about=\"\"\n"
         "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
         "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
         "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
         "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
         "    <pdfaSchema:schema>sohoa dossier metadata</pdfaSchema:schema>\n";
  xmp += "    <pdfaSchema:namespaceURI>" + std::string(k_sohoa_ns) + "</pdfaSchema:namespaceURI>\n";
  xmp += "    <pdfaSchema:prefix>sohoa</pdfaSchema:prefix>\n"
         "    <pdfaSchema:property><rdf:Seq>\n";
  const std::array<std::array<const char*, 3>, 12> properties = {{
      {"dossierCode", "Text", "Dossier code (ma ho so)"},
      {"title", "Text", "Dossier title"},
      {"procedureCode", "Text", "Administrative procedure code"},
      {"procedureName", "Text", "Administrative procedure name"},
      {"agency", "Text", "Agency (so/nganh)"},
      {"unit", "Text", "Receiving one-stop unit"},
      {"level", "Text", "Level of the unit: province, district or commune"},
      {"receivedDate", "Text", "Date received, YYYY-MM-DD"},
      {"applicant", "Text", "Applicant"},
      {"pageCount", "Integer", "Number of pages"},
      {"ocrLanguages", "Text", "OCR languages, Tesseract codes"},
      {"extra", "bag Text", "Other manifest columns as name=value"},
  }};
  const std::array<std::array<const char*, 3>, 12> archival_properties = {{
      {"fondsCode", "Text", "Fonds code (phong luu tru)"},
      {"retention", "Text", "Retention: 01 permanent, 02 70 y, 03 50 y, 04 30 y, 05 20 y, 06 10 y, 07 other"},
      {"accessRegime", "Text", "Access regime: 01 public, 02 conditional, 03 secret"},
      {"language", "Text", "Language: 01 Vietnamese, 02 English, 06 Vietnamese-English"},
      {"startDate", "Text", "Start date, YYYY-MM-DD"},
      {"endDate", "Text", "End date, YYYY-MM-DD"},
      {"documentCount", "Integer", "Number of documents"},
      {"sheetCount", "Integer", "Number of sheets"},
      {"keywords", "Text", "Keywords, separated by semicolons"},
      {"notes", "Text", "Notes"},
      {"physicalCondition", "Text", "Physical condition"},
      {"confidenceLevel", "Text", "Confidence level: 01 born-digital, 02 digitized"},
  }};
  std::vector<std::array<const char*, 3>> all_properties(properties.begin(), properties.end());
  all_properties.insert(all_properties.end(), archival_properties.begin(), archival_properties.end());
  for (const auto& [name, type, description] : all_properties) {
    xmp += "     <rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>" + std::string(name) +
           "</pdfaProperty:name><pdfaProperty:valueType>" + type +
           "</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category>"
           "<pdfaProperty:description>" +
           description + "</pdfaProperty:description></rdf:li>\n";
  }
  xmp += "    </rdf:Seq></pdfaSchema:property>\n"
         "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
         "  </rdf:Description>\n";

  xmp += " </rdf:RDF>\n</x:xmpmeta>\n";
  xmp += std::string(1024, ' ') + "\n";
  xmp += "<?xpacket end=\"w\"?>";
  return xmp;
}

// ---- one document -----------------------------------------------------------------------------

class Document {
 public:
  Document(const core::PdfDossier& dossier, std::filesystem::path font,
           const std::vector<std::uint8_t>& font_bytes, const std::vector<std::uint8_t>& icc_bytes)
      : m_dossier(dossier), m_font_path(std::move(font)), m_font_bytes(font_bytes), m_icc_bytes(icc_bytes) {}

  Result write(const std::filesystem::path& path) {
    const std::vector<core::ProcessedPage>& pages = *m_dossier.pages;
    m_doc.reset(HPDF_New(record_haru_error, &m_error));
    if (!m_doc) {
      return fail(HPDF_FAILD_TO_ALLOC_MEM, "creating the document");
    }
    if (auto done = setup(); !done) {
      return done;
    }
    for (std::size_t page_idx = 0; page_idx < pages.size(); ++page_idx) {
      if (auto done = add_page(pages[page_idx], page_idx); !done) {
        return done;
      }
    }
    if (auto done = add_metadata(pages.size()); !done) {
      return done;
    }
    const std::string target = path.string();
    return check(HPDF_SaveToFile(m_doc.get(), target.c_str()), "saving " + target);
  }

 private:
  HPDF_Doc doc() const { return m_doc.get(); }

  Result fail(HPDF_STATUS status, const std::string& doing) const {
    const HPDF_STATUS error_no = m_error.error_no != HPDF_OK ? m_error.error_no : status;
    std::array<char, 64> code{};
    std::snprintf(code.data(), code.size(), "libharu error 0x%04X (detail ",
                  static_cast<unsigned>(error_no));
    return tl::unexpected(std::string(code.data()) +
                          number(static_cast<long long>(m_error.detail_no)) + ") while " + doing);
  }

  Result check(HPDF_STATUS status, const std::string& doing) const {
    if (status != HPDF_OK || m_error.error_no != HPDF_OK) {
      return fail(status, doing);
    }
    return {};
  }

  template <typename Handle>
  Result check_handle(Handle handle, const std::string& doing) const {
    if (handle == nullptr || m_error.error_no != HPDF_OK) {
      return fail(HPDF_INVALID_OBJECT, doing);
    }
    return {};
  }

  Result setup() {
    // PDF/A-1 is based on PDF 1.4; libharu has no setter, the field is public in hpdf_doc.h.
    doc()->pdf_version = HPDF_VER_14;
    if (auto done = check(HPDF_SetCompressionMode(doc(), HPDF_COMP_ALL),
                          "setting compression");
        !done) {
      return done;
    }
    if (auto done = check(HPDF_UseUTFEncodings(doc()), "enabling UTF-8 encoding"); !done) {
      return done;
    }
    // libharu 2.3.0 loads fonts from files only: hand it the subset through a memory file.
    const std::string font_file = m_font_path.string();
    auto subset = subset_font_cmap(m_font_bytes, used_characters());
    if (!subset) {
      return tl::unexpected("font " + font_file + ": " + subset.error());
    }
    const int memory_fd = memfd_create("sohoa-font-subset", MFD_CLOEXEC);
    if (memory_fd < 0) {
      return tl::unexpected(std::string("cannot create a memory file for the font subset"));
    }
    struct FdCloser {
      int fd;
      ~FdCloser() { ::close(fd); }
    } closer{memory_fd};
    std::size_t written = 0;
    while (written < subset->size()) {
      const ssize_t count = ::write(memory_fd, subset->data() + written, subset->size() - written);
      if (count <= 0) {
        return tl::unexpected(std::string("cannot write the font subset to a memory file"));
      }
      written += static_cast<std::size_t>(count);
    }
    const std::string subset_file = "/proc/self/fd/" + number(memory_fd);
    const char* font_name = HPDF_LoadTTFontFromFile(doc(), subset_file.c_str(), HPDF_TRUE);
    if (auto done = check_handle(font_name, "loading the font " + font_file); !done) {
      return done;
    }
    m_font = HPDF_GetFont(doc(), font_name, "UTF-8");
    if (auto done = check_handle(m_font, "selecting the font " + font_file + " in UTF-8"); !done) {
      return done;
    }
    if (auto done = replace_to_unicode(); !done) {
      return done;
    }
    m_ascent = clamp_positive(HPDF_Font_GetAscent(m_font) / 1000.0, 0.5);
    m_descent = clamp_positive(-HPDF_Font_GetDescent(m_font) / 1000.0, 0.05);
    return {};
  }

  // Every character the text layer shows (always the space).
  std::set<char32_t> used_characters() const {
    std::set<char32_t> used{U' '};
    for (const core::ProcessedPage& page : *m_dossier.pages) {
      for (const core::OcrWord& word : page.ocr.words) {
        for (char32_t ch : decode_utf8(showable_text(word.text))) {
          used.insert(ch);
        }
      }
    }
    return used;
  }

  // PDF/A-1 §6.2.2: an OutputIntent with the ICC profile the page colours are meant in.
  Result add_output_intent() {
    const std::string doing = "writing the sRGB output intent";
    HPDF_Dict profile = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
    if (auto done = check_handle(profile, doing); !done) {
      return done;
    }
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (auto done = check(HPDF_Dict_AddNumber(profile, "N", 3), doing); !done) {
      return done;
    }
    if (auto done = check(HPDF_Stream_Write(profile->stream, m_icc_bytes.data(),
                                            static_cast<HPDF_UINT>(m_icc_bytes.size())),
                          doing);
        !done) {
      return done;
    }
    HPDF_Dict intent = HPDF_Dict_New(doc()->mmgr);
    if (auto done = check_handle(intent, doing); !done) {
      return done;
    }
    const HPDF_STATUS status =
        HPDF_Dict_AddName(intent, "Type", "OutputIntent") + HPDF_Dict_AddName(intent, "S", "GTS_PDFA1") +
        HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                      HPDF_String_New(doc()->mmgr, "sRGB IEC61966-2.1", nullptr)) +
        HPDF_Dict_Add(intent, "Info", HPDF_String_New(doc()->mmgr, "sRGB IEC61966-2.1", nullptr)) +
        HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    if (auto done = check(status, doing); !done) {
      return done;
    }
    HPDF_Array intents = HPDF_Array_New(doc()->mmgr);
    if (auto done = check_handle(intents, doing); !done) {
      return done;
    }
    if (auto done = check(HPDF_Array_Add(intents, intent), doing); !done) {
      return done;
    }
    return check(HPDF_Dict_Add(doc()->catalog, "OutputIntents", intents), doing);
  }

  // libharu 2.3.0 gives its UTF-8 fonts a ToUnicode CMap that is not one ("begincidrange" mapping
  // everything to 0; poppler warns on every extraction). The codes it shows are UTF-16 code units
  // (the CIDToGIDMap does the glyph lookup), so the right ToUnicode is the identity: rewrite the
  // stream in place.
  Result replace_to_unicode() {
    const std::string doing = "writing the font's ToUnicode map";
    auto* cmap = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(m_font, "ToUnicode", HPDF_OCLASS_DICT));
    if (auto done = check_handle(cmap, doing); !done) {
      return done;
    }
    if (auto done = check_handle(cmap->stream, doing); !done) {
      return done;
    }
    HPDF_MemStream_FreeData(cmap->stream);
    const std::string text = haru::identity_to_unicode_cmap();
    return check(HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                                   static_cast<HPDF_UINT>(text.size())),
                 doing);
  }

  Result add_page(const core::ProcessedPage& page, std::size_t page_idx) {
    const std::string where = "page " + number(static_cast<long long>(page_idx) + 1);
    const core::EncodedImage& image = page.archive_image;
    if (page.width <= 0 || page.height <= 0 || !(page.dpi > 0.0) || image.width <= 0 ||
        image.height <= 0 || image.bytes.empty()) {
      return tl::unexpected(where + ": no archive image (size " + number(page.width) + "x" +
                            number(page.height) + ", " + number(static_cast<long long>(image.bytes.size())) +
                            " bytes)");
    }
    const double page_width = page.width / page.dpi * 72.0;
    const double page_height = page.height / page.dpi * 72.0;

    HPDF_Image pdf_image = nullptr;
    if (image.format == core::EncodedImage::Format::jpeg) {
      pdf_image = HPDF_LoadJpegImageFromMem(doc(), image.bytes.data(),
                                            static_cast<HPDF_UINT>(image.bytes.size()));
      if (auto done = check_handle(pdf_image, "loading the JPEG image of " + where); !done) {
        return done;
      }
    } else {
      const std::size_t row_bytes = (static_cast<std::size_t>(image.width) + 7) / 8;
      if (image.bytes.size() < row_bytes * static_cast<std::size_t>(image.height)) {
        return tl::unexpected(where + ": bilevel image has " +
                              number(static_cast<long long>(image.bytes.size())) + " bytes, " +
                              number(static_cast<long long>(row_bytes) * image.height) +
                              " needed for " + number(image.width) + "x" + number(image.height));
      }
      pdf_image = HPDF_Image_LoadRaw1BitImageFromMem(
          doc(), image.bytes.data(), static_cast<HPDF_UINT>(image.width),
          static_cast<HPDF_UINT>(image.height), static_cast<HPDF_UINT>(row_bytes),
          /*black_is1=*/HPDF_FALSE, /*top_is_first=*/HPDF_TRUE);
      if (auto done = check_handle(pdf_image, "encoding the bilevel image of " + where); !done) {
        return done;
      }
    }
    m_id_input += core::sha256_hex(std::span<const std::uint8_t>(image.bytes));

    HPDF_Page pdf_page = HPDF_AddPage(doc());
    if (auto done = check_handle(pdf_page, "adding " + where); !done) {
      return done;
    }
    if (auto done = check(HPDF_Page_SetWidth(pdf_page, static_cast<HPDF_REAL>(page_width)),
                          "sizing " + where);
        !done) {
      return done;
    }
    if (auto done = check(HPDF_Page_SetHeight(pdf_page, static_cast<HPDF_REAL>(page_height)),
                          "sizing " + where);
        !done) {
      return done;
    }
    if (auto done = check(HPDF_Page_DrawImage(pdf_page, pdf_image, 0, 0,
                                              static_cast<HPDF_REAL>(page_width),
                                              static_cast<HPDF_REAL>(page_height)),
                          "drawing the image of " + where);
        !done) {
      return done;
    }
    return add_text(pdf_page, page, where);
  }

  // Places the words of `page` as invisible text; see the design notes.
  Result add_text(HPDF_Page pdf_page, const core::ProcessedPage& page, const std::string& where) {
    const std::vector<core::OcrWord>& words = page.ocr.words;
    if (words.empty()) {
      return {};
    }
    const double scale = 72.0 / page.dpi;  // image pixels -> points
    const double page_height = page.height * scale;
    const std::string doing = "writing the text of " + where;
    if (auto done = check(HPDF_Page_BeginText(pdf_page), doing); !done) {
      return done;
    }
    if (auto done = check(HPDF_Page_SetTextRenderingMode(pdf_page, HPDF_INVISIBLE), doing); !done) {
      return done;
    }
    std::size_t line_start = 0;
    while (line_start < words.size()) {
      std::size_t line_end = line_start + 1;
      while (line_end < words.size() && words[line_end].line == words[line_start].line) {
        ++line_end;
      }
      if (auto done = add_line(pdf_page, std::span(words).subspan(line_start, line_end - line_start),
                               scale, page_height, doing);
          !done) {
        return done;
      }
      line_start = line_end;
    }
    return check(HPDF_Page_EndText(pdf_page), doing);
  }

  Result add_line(HPDF_Page pdf_page, std::span<const core::OcrWord> line, double scale,
                  double page_height, const std::string& doing) {
    int top = line.front().box.y;
    int bottom = line.front().box.y + line.front().box.height;
    for (const core::OcrWord& word : line) {
      top = std::min(top, word.box.y);
      bottom = std::max(bottom, word.box.y + word.box.height);
    }
    const int line_height = std::max(bottom - top, 1);
    int baseline = line.front().baseline;
    if (baseline <= top || baseline > bottom + line_height / 2) {
      baseline = bottom;
    }
    const double size_px = std::max({(baseline - top) / m_ascent,
                                     (bottom - baseline) / m_descent, 1.0});
    const double font_size = std::min(size_px * scale, static_cast<double>(HPDF_MAX_FONTSIZE));
    if (auto done = check(HPDF_Page_SetFontAndSize(pdf_page, m_font, static_cast<HPDF_REAL>(font_size)),
                          doing);
        !done) {
      return done;
    }
    const double baseline_pt = page_height - baseline * scale;
    for (std::size_t word_idx = 0; word_idx < line.size(); ++word_idx) {
      const core::OcrWord& word = line[word_idx];
      const std::string text = showable_text(word.text);
      if (text.empty()) {
        continue;
      }
      m_id_input += text;
      m_id_input += '\n';
      const auto* bytes = reinterpret_cast<const HPDF_BYTE*>(text.data());
      const HPDF_TextWidth width = HPDF_Font_TextWidth(m_font, bytes, static_cast<HPDF_UINT>(text.size()));
      const double natural = width.width / 1000.0 * font_size;
      const double wanted = std::max(word.box.width, 1) * scale;
      const double stretch = natural > 0.0 ? 100.0 * wanted / natural : 100.0;
      const double tz = std::clamp(stretch, static_cast<double>(HPDF_MIN_HORIZONTALSCALING),
                                   static_cast<double>(HPDF_MAX_HORIZONTALSCALING));
      if (auto done = check(HPDF_Page_SetHorizontalScalling(pdf_page, static_cast<HPDF_REAL>(tz)), doing);
          !done) {
        return done;
      }
      if (auto done = check(HPDF_Page_SetTextMatrix(pdf_page, static_cast<HPDF_REAL>(stretch / tz), 0, 0, 1,
                                                    static_cast<HPDF_REAL>(word.box.x * scale),
                                                    static_cast<HPDF_REAL>(baseline_pt)),
                            doing);
          !done) {
        return done;
      }
      const bool last = word_idx + 1 == line.size();
      const std::string shown = last ? text : text + " ";
      if (auto done = check(HPDF_Page_ShowText(pdf_page, shown.c_str()), doing); !done) {
        return done;
      }
    }
    return {};
  }

  // A text string object: literal when ASCII, UTF-16BE with BOM otherwise.
  void* text_object(const std::string& value) const {
    if (is_ascii(value)) {
      return HPDF_String_New(doc()->mmgr, value.c_str(), nullptr);
    }
    const std::vector<HPDF_BYTE> utf16 = utf16be_with_bom(value);
    return HPDF_Binary_New(doc()->mmgr, const_cast<HPDF_BYTE*>(utf16.data()),
                           static_cast<HPDF_UINT>(utf16.size()));
  }

  Result set_info(HPDF_Dict info, const char* key, const std::string& value) const {
    const std::string doing = std::string("writing the Info entry ") + key;
    void* object = text_object(value);
    if (auto done = check_handle(object, doing); !done) {
      return done;
    }
    return check(HPDF_Dict_Add(info, key, object), doing);
  }

  Result add_metadata(std::size_t page_count) {
    const MetaValues values = collect_meta(m_dossier, page_count);
    // HPDF_New already made the Info dictionary (it sets /Producer); fill it ourselves.
    if (auto done = check(HPDF_SetInfoAttr(doc(), HPDF_INFO_CREATOR, "sohoa"), "creating the Info dictionary");
        !done) {
      return done;
    }
    HPDF_Dict info = doc()->info;
    if (auto done = check_handle(info, "finding the Info dictionary"); !done) {
      return done;
    }
    std::vector<std::pair<const char*, std::string>> entries = {
        {"Title", values.title},          {"Creator", values.creator},
        {"Producer", values.producer},    {"CreationDate", values.created_pdf},
        {"ModDate", values.created_pdf},
    };
    if (!values.subject.empty()) {
      entries.emplace_back("Subject", values.subject);
    }
    if (!values.keywords.empty()) {
      entries.emplace_back("Keywords", values.keywords);
    }
    for (const auto& [key, value] : values.custom) {
      entries.emplace_back(key.c_str(), value);
    }
    for (const auto& [key, value] : entries) {
      if (auto done = set_info(info, key, value); !done) {
        return done;
      }
    }

    const std::string xmp = build_xmp(m_dossier, values);
    HPDF_Dict metadata = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
    const std::string doing = "writing the XMP metadata";
    if (auto done = check_handle(metadata, doing); !done) {
      return done;
    }
    if (auto done = check(HPDF_Dict_AddName(metadata, "Type", "Metadata"), doing); !done) {
      return done;
    }
    if (auto done = check(HPDF_Dict_AddName(metadata, "Subtype", "XML"), doing); !done) {
      return done;
    }
    if (auto done = check(HPDF_Stream_Write(metadata->stream, reinterpret_cast<const HPDF_BYTE*>(xmp.data()),
                                            static_cast<HPDF_UINT>(xmp.size())),
                          doing);
        !done) {
      return done;
    }
    if (auto done = check(HPDF_Dict_Add(doc()->catalog, "Metadata", metadata), doing); !done) {
      return done;
    }
    void* lang = HPDF_String_New(doc()->mmgr, xmp_languages(m_dossier.languages).front().c_str(), nullptr);
    if (auto done = check_handle(lang, "writing the document language"); !done) {
      return done;
    }
    if (auto done = check(HPDF_Dict_Add(doc()->catalog, "Lang", lang), "writing the document language");
        !done) {
      return done;
    }
    if (auto done = add_output_intent(); !done) {
      return done;
    }
    return add_id(values, xmp);
  }

  Result add_id(const MetaValues& values, const std::string& xmp) {
    m_id_input += values.created_iso;
    m_id_input += xmp;
    const std::string hex =
        core::sha256_hex(std::span(reinterpret_cast<const std::uint8_t*>(m_id_input.data()), m_id_input.size()));
    std::array<HPDF_BYTE, 16> id{};
    for (std::size_t idx = 0; idx < id.size(); ++idx) {
      id[idx] = static_cast<HPDF_BYTE>(std::stoi(hex.substr(idx * 2, 2), nullptr, 16));
    }
    const std::string doing = "writing the document ID";
    HPDF_Array array = HPDF_Array_New(doc()->mmgr);
    if (auto done = check_handle(array, doing); !done) {
      return done;
    }
    for (int copy = 0; copy < 2; ++copy) {
      HPDF_Binary part = HPDF_Binary_New(doc()->mmgr, id.data(), static_cast<HPDF_UINT>(id.size()));
      if (auto done = check_handle(part, doing); !done) {
        return done;
      }
      if (auto done = check(HPDF_Array_Add(array, part), doing); !done) {
        return done;
      }
    }
    return check(HPDF_Dict_Add(doc()->trailer, "ID", array), doing);
  }

  const core::PdfDossier& m_dossier;
  std::filesystem::path m_font_path;
  const std::vector<std::uint8_t>& m_font_bytes;
  const std::vector<std::uint8_t>& m_icc_bytes;
  HaruErrorState m_error;  // must outlive m_doc: declared first, destroyed last
  DocPtr m_doc;
  HPDF_Font m_font = nullptr;
  double m_ascent = 0.9;
  double m_descent = 0.2;
  std::string m_id_input;  // page hashes and words, for the deterministic /ID
};

}  // namespace

HaruPdfWriter::HaruPdfWriter(std::filesystem::path font, std::filesystem::path icc_profile)
    : m_font(font.empty() ? std::filesystem::path(k_default_font) : std::move(font)) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(m_font, error)) {
    throw core::Fatal("PDF text-layer font not found: " + m_font.string() +
                      " (install Debian's fonts-dejavu-core, or pass a TrueType font that covers "
                      "Vietnamese)");
  }
  // libharu 2.3.0 crashes on a file that is not a TrueType font, so look before it does.
  if (const std::string problem = haru::truetype_problem(m_font); !problem.empty()) {
    throw core::Fatal("PDF text-layer font " + m_font.string() + " is not usable: " + problem +
                      " (pass a TrueType .ttf font that covers Vietnamese)");
  }
  m_font_bytes = read_file_bytes(m_font);
  const std::filesystem::path icc = icc_profile.empty() ? std::filesystem::path(k_default_icc) : icc_profile;
  m_icc_bytes = read_file_bytes(icc);
  if (const std::string problem = icc_problem(m_icc_bytes); !problem.empty()) {
    throw core::Fatal("PDF/A output intent profile " + icc.string() + " is not usable: " + problem +
                      " (install Debian's icc-profiles-free, or pass an sRGB ICC profile)");
  }
}

tl::expected<void, std::string> HaruPdfWriter::write(const core::PdfDossier& dossier,
                                                     const std::filesystem::path& path) const {
  if (dossier.pages == nullptr || dossier.pages->empty()) {
    return tl::unexpected(std::string("dossier ") + dossier.meta.code + " has no pages to write");
  }
  Document document(dossier, m_font, m_font_bytes, m_icc_bytes);
  return document.write(path);
}

}  // namespace sohoa::ocr
