// Design notes
// ------------
// * One libharu document per call of write(); nothing is shared between calls, so the writer is
//   stateless and `const`-callable from any thread (libharu keeps no global state).
// * Errors (STYLE.md §8): HPDF_New gets an error handler that only records the first error_no /
//   detail_no in a per-document struct (no setjmp/longjmp); every status and every returned handle
//   is checked and turned into "libharu error 0x%04X (detail N) while <step>".
// * Page images: JPEG bytes go in as they are (DCTDecode, grey or colour; wrapped in Flate when
//   that saves 3 % or more, as OCRmyPDF does, lossless); so do a PNG's deflated
//   rows (its IDAT chunks, FlateDecode with /Predictor 15, no second compression: the /Filter key
//   is written by the dictionary's write_fn, as libharu drops it for a stream it does not filter
//   itself). Bilevel rows (1 = black,
//   MSB first) go through HPDF_Image_LoadRaw1BitImageFromMem, which CCITT G4-encodes them at load
//   time. Two libharu 2.3.0 traps, both caught by rendering back with pdftoppm in the tests: the
//   /Filter /CCITTFaxDecode is only written when HPDF_COMP_IMAGE is on (else the G4 bytes are
//   labelled as raw bits), and `black_is1` is copied into /DecodeParms /BlackIs1, which describes
//   the *decoded* G4 data, in which 1 bits come out white — so our 1 = black rows need
//   black_is1 = HPDF_FALSE. top_is_first = HPDF_TRUE (our rows are top first). libharu keeps
//   the *encoded* image of every page in memory until HPDF_SaveToFile; we never keep a decoded one.
// * The image is the scan as scanned; the page is the processed page (turned, deskewed). The
//   image's `cm` turns it into place (ProcessedPage::archive_turn_deg, about the page centre), so
//   a skewed JPEG scan keeps its bytes and no page is resampled for the archive; the OCR words,
//   found on the processed page, lie on the image as drawn. Around the turned image the page is
//   filled with the scan's border colour (ProcessedPage::archive_fill), as a resampling deskew
//   fills, so the scan's tilted edges do not show (they drew skew checkers and OCR to them).
//   Dark scanner bands and punched holes (ProcessedPage::archive_cleanup) are clipped off in
//   image space (`W* n`: the paper's polygon, each hole an ellipse of the unit square), so they
//   show the page's colour, then the paper's; the image's bytes are the scan's all the same.
// * Text layer (text_layer.cpp): render mode 3 (invisible), one BT..ET per page, each word at its
//   OCR box (its own text matrix, horizontal scaling, and a font variant whose ascent and descent
//   give the box's height), a space glyph between the words of a line. libharu cannot show text
//   in a font it did not make, so the operators are written into the page's content stream
//   directly (HPDF_PageAttr::stream) and the fonts are registered with HPDF_Page_GetLocalFontName.
// * Text-layer font, written by us rather than by libharu (which embeds one font per descriptor,
//   writes a broken ToUnicode CMap for UTF-8 fonts, and crashes on a file that is not TrueType):
//   one FontFile2 per document, the subset of font_subset.cpp (only the glyphs of the characters
//   the dossier's words use; measured ~5 KB compressed for a page of Vietnamese); codes are CIDs
//   1..n given to the used characters in code point order (Identity-H), a CIDToGIDMap stream maps
//   them to glyph ids (0 for a character the font lacks: it still extracts), a ToUnicode CMap back
//   to the characters (surrogate pairs beyond the BMP); /DW 500 is every glyph's width in the
//   subset. Each font variant is a Type0 font, a CIDFontType2 and a FontDescriptor (three small
//   dictionaries) sharing those four objects; only the variants a page uses are written.
//   The default font is DejaVu Serif (fonts-dejavu-core): it covers Vietnamese, and glyph
//   shapes do not matter for invisible text. The constructor checks the font's sfnt header and
//   table directory, so a bad font fails at startup rather than per dossier.
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
#include <numbers>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <hpdf_pages.h>

#include "font_subset.hpp"
#include "text_layer.hpp"
#include "sohoa/core/archival.hpp"
#include "sohoa/core/clock.hpp"
#include "sohoa/core/hash.hpp"
#include "sohoa/core/jpeg_storage.hpp"
#include "sohoa/core/png.hpp"
#include "sohoa/core/text.hpp"

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

// libharu writes /Filter only for the filters it applies itself; the PNG's deflated rows are
// written as they are (filter NONE), so the key goes in here, just before the dictionary closes.
HPDF_STATUS write_flate_filter(HPDF_Dict /*image*/, HPDF_Stream stream) {
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

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
  for (char32_t cp : core::to_code_points(utf8)) {
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

  // No padding after the packet: an archived file is never edited in place (a change is a new
  // file, a replacement event), so the 1 KB or more that would allow it is dead weight.
  xmp += " </rdf:RDF>\n</x:xmpmeta>\n";
  xmp += "<?xpacket end=\"r\"?>";
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
    const std::set<char32_t> used = used_characters();
    auto subset = subset_font(m_font_bytes, used);
    if (!subset) {
      return tl::unexpected("font " + m_font_path.string() + ": " + subset.error());
    }
    m_subset = std::move(*subset);
    std::uint32_t code = 1;  // 0 stays .notdef
    for (char32_t ch : used) {
      m_codes[ch] = code++;
    }
    return add_font_objects();
  }

  // Every character the text layer shows (always the space).
  std::set<char32_t> used_characters() const {
    std::set<char32_t> used{U' '};
    for (const core::ProcessedPage& page : *m_dossier.pages) {
      for (const core::OcrWord& word : page.ocr.words) {
        for (char32_t ch : shown_characters(word.text)) {
          used.insert(ch);
        }
      }
    }
    return used;
  }

  // The objects every font variant shares: the font program, CIDToGIDMap, ToUnicode and
  // CIDSystemInfo (see the design notes).
  Result add_font_objects() {
    const std::string doing = "embedding the text-layer font";
    m_font_file = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
    m_cid_to_gid = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
    m_to_unicode = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
    m_system_info = HPDF_Dict_New(doc()->mmgr);
    for (HPDF_Dict dict : {m_font_file, m_cid_to_gid, m_to_unicode, m_system_info}) {
      if (auto done = check_handle(dict, doing); !done) {
        return done;
      }
    }
    std::vector<HPDF_BYTE> gids(2 * (m_codes.size() + 1), 0);
    std::map<std::uint32_t, char32_t> characters;
    for (const auto& [ch, code] : m_codes) {
      const auto glyph = m_subset.glyphs.find(ch);
      const std::uint32_t gid = glyph == m_subset.glyphs.end() ? 0 : glyph->second;
      gids[2 * code] = static_cast<HPDF_BYTE>((gid >> 8U) & 0xFFU);
      gids[2 * code + 1] = static_cast<HPDF_BYTE>(gid & 0xFFU);
      characters[code] = ch;
    }
    const std::string to_unicode = haru::to_unicode_cmap(characters);
    const std::vector<std::uint8_t>& program = m_subset.program;
    m_font_file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    m_cid_to_gid->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    m_to_unicode->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    const HPDF_STATUS status =
        HPDF_Dict_AddNumber(m_font_file, "Length1", static_cast<HPDF_INT32>(program.size())) +
        HPDF_Stream_Write(m_font_file->stream, program.data(), static_cast<HPDF_UINT>(program.size())) +
        HPDF_Stream_Write(m_cid_to_gid->stream, gids.data(), static_cast<HPDF_UINT>(gids.size())) +
        HPDF_Stream_Write(m_to_unicode->stream, reinterpret_cast<const HPDF_BYTE*>(to_unicode.data()),
                          static_cast<HPDF_UINT>(to_unicode.size())) +
        HPDF_Xref_Add(doc()->xref, m_system_info) +
        HPDF_Dict_Add(m_system_info, "Registry", HPDF_String_New(doc()->mmgr, "Adobe", nullptr)) +
        HPDF_Dict_Add(m_system_info, "Ordering", HPDF_String_New(doc()->mmgr, "Identity", nullptr)) +
        HPDF_Dict_AddNumber(m_system_info, "Supplement", 0);
    return check(status, doing);
  }

  // The Type0 font of `variant` (text_layer.hpp), made on first use.
  tl::expected<HPDF_Dict, std::string> variant_font(int variant) {
    if (const auto found = m_variants.find(variant); found != m_variants.end()) {
      return found->second;
    }
    const std::string doing = "writing the text-layer font";
    std::string base_font;
    for (char ch : m_font_path.stem().string()) {
      if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-') {
        base_font += ch;
      }
    }
    if (base_font.empty()) {
      base_font = "TextLayer";
    }
    const FontVariant metrics = font_variant(variant);
    HPDF_Dict descriptor = HPDF_Dict_New(doc()->mmgr);
    HPDF_Dict cid_font = HPDF_Dict_New(doc()->mmgr);
    HPDF_Dict font = HPDF_Dict_New(doc()->mmgr);
    HPDF_Array bbox = HPDF_Array_New(doc()->mmgr);
    HPDF_Array descendants = HPDF_Array_New(doc()->mmgr);
    for (void* object : {static_cast<void*>(descriptor), static_cast<void*>(cid_font), static_cast<void*>(font),
                         static_cast<void*>(bbox), static_cast<void*>(descendants)}) {
      if (auto done = check_handle(object, doing); !done) {
        return tl::unexpected(done.error());
      }
    }
    HPDF_STATUS status = HPDF_Xref_Add(doc()->xref, descriptor) + HPDF_Xref_Add(doc()->xref, cid_font) +
                         HPDF_Xref_Add(doc()->xref, font);
    for (int value : m_subset.bbox) {
      status += HPDF_Array_AddNumber(bbox, value);
    }
    status += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor") +
              HPDF_Dict_AddName(descriptor, "FontName", base_font.c_str()) +
              HPDF_Dict_AddNumber(descriptor, "Flags", 4) + HPDF_Dict_Add(descriptor, "FontBBox", bbox) +
              HPDF_Dict_AddNumber(descriptor, "ItalicAngle", 0) +
              HPDF_Dict_AddNumber(descriptor, "Ascent", metrics.ascent) +
              HPDF_Dict_AddNumber(descriptor, "Descent", metrics.descent) +
              HPDF_Dict_AddNumber(descriptor, "CapHeight", m_subset.cap_height) +
              HPDF_Dict_AddNumber(descriptor, "StemV", 80) + HPDF_Dict_Add(descriptor, "FontFile2", m_font_file);
    status += HPDF_Dict_AddName(cid_font, "Type", "Font") + HPDF_Dict_AddName(cid_font, "Subtype", "CIDFontType2") +
              HPDF_Dict_AddName(cid_font, "BaseFont", base_font.c_str()) +
              HPDF_Dict_Add(cid_font, "CIDSystemInfo", m_system_info) +
              HPDF_Dict_Add(cid_font, "FontDescriptor", descriptor) +
              HPDF_Dict_AddNumber(cid_font, "DW", k_subset_advance) +
              HPDF_Dict_Add(cid_font, "CIDToGIDMap", m_cid_to_gid);
    status += HPDF_Array_Add(descendants, cid_font);
    status += HPDF_Dict_AddName(font, "Type", "Font") + HPDF_Dict_AddName(font, "Subtype", "Type0") +
              HPDF_Dict_AddName(font, "BaseFont", base_font.c_str()) +
              HPDF_Dict_AddName(font, "Encoding", "Identity-H") + HPDF_Dict_Add(font, "DescendantFonts", descendants) +
              HPDF_Dict_Add(font, "ToUnicode", m_to_unicode);
    if (auto done = check(status, doing); !done) {
      return tl::unexpected(done.error());
    }
    m_variants[variant] = font;
    return font;
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

  // An image XObject holding `png`'s deflated rows as they are: FlateDecode with /DecodeParms
  // << /Predictor 15 ... >> (PNG row filters), as HPDF_Image_LoadJpegImage builds its dictionary.
  tl::expected<HPDF_Image, std::string> png_image(const core::PngStream& png, const std::string& doing) {
    HPDF_Dict image = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
    HPDF_Dict parameters = HPDF_Dict_New(doc()->mmgr);
    if (auto done = check_handle(image, doing); !done) {
      return tl::unexpected(done.error());
    }
    if (auto done = check_handle(parameters, doing); !done) {
      return tl::unexpected(done.error());
    }
    image->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    image->filter = HPDF_STREAM_FILTER_NONE;
    image->write_fn = write_flate_filter;
    const HPDF_STATUS status =
        HPDF_Dict_AddNumber(parameters, "Predictor", 15) +
        HPDF_Dict_AddNumber(parameters, "Colors", png.colours) +
        HPDF_Dict_AddNumber(parameters, "BitsPerComponent", 8) +
        HPDF_Dict_AddNumber(parameters, "Columns", png.width) +
        HPDF_Dict_AddName(image, "Type", "XObject") + HPDF_Dict_AddName(image, "Subtype", "Image") +
        HPDF_Dict_AddNumber(image, "Width", png.width) + HPDF_Dict_AddNumber(image, "Height", png.height) +
        HPDF_Dict_AddName(image, "ColorSpace", png.colours == 1 ? "DeviceGray" : "DeviceRGB") +
        HPDF_Dict_AddNumber(image, "BitsPerComponent", 8) + HPDF_Dict_Add(image, "DecodeParms", parameters) +
        HPDF_Stream_Write(image->stream, png.deflated.data(), static_cast<HPDF_UINT>(png.deflated.size()));
    if (auto done = check(status, doing); !done) {
      return tl::unexpected(done.error());
    }
    return image;
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
      if (core::jpeg_storage(image.bytes).deflate) {
        pdf_image->filter |= HPDF_STREAM_FILTER_FLATE_DECODE;  // /Filter [/FlateDecode /DCTDecode]
      }
    } else if (image.format == core::EncodedImage::Format::png) {
      auto png = core::png_stream(image.bytes);
      if (!png) {
        return tl::unexpected(where + ": " + png.error());
      }
      if (png->width != image.width || png->height != image.height) {
        return tl::unexpected(where + ": PNG of " + number(png->width) + "x" + number(png->height) +
                              ", " + number(image.width) + "x" + number(image.height) + " expected");
      }
      auto loaded = png_image(*png, "storing the PNG image of " + where);
      if (!loaded) {
        return tl::unexpected(loaded.error());
      }
      pdf_image = *loaded;
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
    if (auto done = draw_image(pdf_page, pdf_image, page, "drawing the image of " + where); !done) {
      return done;
    }
    return add_text(pdf_page, page, where);
  }

  // Draws the archive image of `page`: the unit square of image space scaled to the image's size
  // at the page's dpi, turned clockwise by page.archive_turn_deg about its centre, centred on the
  // page (PDF space is y-up, so a clockwise turn is the rotation by minus that angle). With no
  // turn and an image of the page's size, this is the page-filling `w 0 0 h 0 0 cm`.
  Result draw_image(HPDF_Page pdf_page, HPDF_Image pdf_image, const core::ProcessedPage& page,
                    const std::string& doing) {
    const double image_width = page.archive_image.width / page.dpi * 72.0;
    const double image_height = page.archive_image.height / page.dpi * 72.0;
    const double radians = -page.archive_turn_deg * std::numbers::pi / 180.0;
    // Exact zeros for quarter turns, so a turned page's matrix is clean.
    const auto clean = [](double value) { return std::abs(value) < 1e-12 ? 0.0 : value; };
    const double cos_a = clean(std::cos(radians));
    const double sin_a = clean(std::sin(radians));
    const double a = image_width * cos_a;
    const double b = image_width * sin_a;
    const double c = -image_height * sin_a;
    const double d = image_height * cos_a;
    const double e = page.width / page.dpi * 72.0 / 2.0 - (a + c) / 2.0;
    const double f = page.height / page.dpi * 72.0 / 2.0 - (b + d) / 2.0;
    m_id_input += std::to_string(page.archive_turn_deg);
    if (auto done = check(HPDF_Page_GSave(pdf_page), doing); !done) {
      return done;
    }
    const core::ScanCleanup& cleanup = page.archive_cleanup;
    if (page.archive_turn_deg != 0.0 || !cleanup.empty()) {
      // The page around the turned scan takes the scan's border colour (archive_fill), or the
      // paper's where borders and holes are clipped off.
      const auto channel = [&](std::size_t idx) {
        return static_cast<HPDF_REAL>(page.archive_fill[idx] / 255.0);
      };
      if (auto done = check(HPDF_Page_SetRGBFill(pdf_page, channel(0), channel(1), channel(2)), doing);
          !done) {
        return done;
      }
      if (auto done = check(HPDF_Page_Rectangle(pdf_page, 0, 0,
                                                static_cast<HPDF_REAL>(page.width / page.dpi * 72.0),
                                                static_cast<HPDF_REAL>(page.height / page.dpi * 72.0)),
                            doing);
          !done) {
        return done;
      }
      if (auto done = check(HPDF_Page_Fill(pdf_page), doing); !done) {
        return done;
      }
    }
    if (auto done = check(HPDF_Page_Concat(pdf_page, static_cast<HPDF_REAL>(a), static_cast<HPDF_REAL>(b),
                                           static_cast<HPDF_REAL>(c), static_cast<HPDF_REAL>(d),
                                           static_cast<HPDF_REAL>(e), static_cast<HPDF_REAL>(f)),
                          doing);
        !done) {
      return done;
    }
    if (auto done = clip_cleanup(pdf_page, page, doing); !done) {
      return done;
    }
    if (auto done = check(HPDF_Page_ExecuteXObject(pdf_page, pdf_image), doing); !done) {
      return done;
    }
    return check(HPDF_Page_GRestore(pdf_page), doing);
  }

  // In image space (the unit square, y up), clips the image to the paper of
  // page.archive_cleanup minus its holes (even-odd: the holes lie wholly inside the paper).
  Result clip_cleanup(HPDF_Page pdf_page, const core::ProcessedPage& page, const std::string& doing) {
    const core::ScanCleanup& cleanup = page.archive_cleanup;
    if (cleanup.empty()) {
      return {};
    }
    const double width = page.archive_image.width;
    const double height = page.archive_image.height;
    const auto unit_x = [&](double x) { return static_cast<HPDF_REAL>(x / width); };
    const auto unit_y = [&](double y) { return static_cast<HPDF_REAL>(1.0 - y / height); };
    std::vector<core::ScanCleanup::Point> paper = cleanup.paper;
    if (paper.empty()) {
      paper = {{0.0, 0.0}, {width, 0.0}, {width, height}, {0.0, height}};
    }
    for (std::size_t idx = 0; idx < paper.size(); ++idx) {
      const HPDF_STATUS status = idx == 0 ? HPDF_Page_MoveTo(pdf_page, unit_x(paper[idx].x), unit_y(paper[idx].y))
                                          : HPDF_Page_LineTo(pdf_page, unit_x(paper[idx].x), unit_y(paper[idx].y));
      m_id_input += std::to_string(paper[idx].x) + ',' + std::to_string(paper[idx].y) + ';';
      if (auto done = check(status, doing); !done) {
        return done;
      }
    }
    if (auto done = check(HPDF_Page_ClosePath(pdf_page), doing); !done) {
      return done;
    }
    for (const core::ScanCleanup::Hole& hole : cleanup.holes) {
      m_id_input += std::to_string(hole.x) + ',' + std::to_string(hole.y) + ',' + std::to_string(hole.radius) + ';';
      if (auto done = check(HPDF_Page_Ellipse(pdf_page, unit_x(hole.x), unit_y(hole.y),
                                              static_cast<HPDF_REAL>(hole.radius / width),
                                              static_cast<HPDF_REAL>(hole.radius / height)),
                            doing);
          !done) {
        return done;
      }
    }
    if (auto done = check(HPDF_Page_Eoclip(pdf_page), doing); !done) {
      return done;
    }
    return check(HPDF_Page_EndPath(pdf_page), doing);
  }

  // Places the words of `page` as invisible text; see text_layer.cpp.
  Result add_text(HPDF_Page pdf_page, const core::ProcessedPage& page, const std::string& where) {
    const std::vector<core::OcrWord>& words = page.ocr.words;
    for (const core::OcrWord& word : words) {
      m_id_input += word.text;
      m_id_input += '\n';
    }
    const double page_height = page.height / page.dpi * 72.0;
    const std::vector<PlacedWord> placed = place_words(words, page.dpi, page_height, m_codes);
    if (placed.empty()) {
      return {};
    }
    const std::string doing = "writing the text of " + where;
    std::map<int, std::string> names;
    for (int variant : variants_used(placed)) {
      auto font = variant_font(variant);
      if (!font) {
        return tl::unexpected(font.error());
      }
      const char* name = HPDF_Page_GetLocalFontName(pdf_page, *font);
      if (auto done = check_handle(name, doing); !done) {
        return done;
      }
      names[variant] = name;
    }
    // libharu has no operator for a font it did not make: write the text object ourselves.
    const std::string operators = text_operators(placed, names, m_codes.at(U' '));
    auto* attributes = static_cast<HPDF_PageAttr>(pdf_page->attr);
    return check(HPDF_Stream_WriteStr(attributes->stream, operators.c_str()), doing);
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
  FontSubset m_subset;
  std::map<char32_t, std::uint32_t> m_codes;  // character -> its code (CID) in the text layer
  HPDF_Dict m_font_file = nullptr;
  HPDF_Dict m_cid_to_gid = nullptr;
  HPDF_Dict m_to_unicode = nullptr;
  HPDF_Dict m_system_info = nullptr;
  std::map<int, HPDF_Dict> m_variants;  // font variant -> its Type0 font
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
