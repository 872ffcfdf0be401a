// Design notes
// ------------
// * Package layout: E-ARK CSIP 2.0 (METS.xml at the root, metadata/descriptive,
//   metadata/preservation, representations/rep1/data, schemas/). Descriptive metadata is sohoa's
//   dossier record, not EAD: it holds the same fields as the PDF's XMP (one <field> per
//   property, with where the value came from: manifest, default or sohoa) and each page's source
//   file with its SHA-256.
// * PREMIS events come from the catalog's `events` table (ingest, replace, verify, export, ...),
//   read here with SQLite directly (read-only) so that the catalog's interface does not grow for
//   one reader; plus the events every archived dossier went through by construction (capture of
//   its sources, OCR and PDF creation at its digitized time) and the fixity check this export
//   performs. Agents: the operator (a person, when known), sohoa, Tesseract, libharu.
// * Schemas: our own XSDs for the subset written (export_schemas.hpp), compiled in. verify_package
//   validates against the compiled copies, so a package whose schemas/ were edited cannot weaken
//   its own validation.
// * Deterministic output: no random ids; times come from the catalog and ExportOptions::now.
// * --zip writes a stored (uncompressed: the PDF is compressed already) ZIP with fixed timestamps
//   (1980-01-01), entries in sorted order, so the same package gives the same bytes.

#include "sohoa/storage/export.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <sqlite3.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "export_schemas.hpp"
#include "sohoa/core/archival.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/core/hash.hpp"

namespace sohoa::storage {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_pdf_dir = "representations/rep1/data/";
constexpr const char* k_dossier_xml = "metadata/descriptive/dossier.xml";
constexpr const char* k_premis_xml = "metadata/preservation/PREMIS.xml";

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\t' || ch == '\n') {
          out += ch;
        }
    }
  }
  return out;
}

std::string package_name(const std::string& code) {
  return fs::path(Archive::dossier_pdf_path("0000", "x", code)).stem().string();
}

bool write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out);
}

struct EventRow {
  std::string at;
  std::string actor;
  std::string action;
  std::string detail;
};

std::vector<EventRow> catalog_events(const Archive& archive, const std::string& code) {
  sqlite3* db = nullptr;
  const std::string file = (archive.root() / "catalog.sqlite").string();
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw core::Fatal("cannot read the catalog " + file);
  }
  std::vector<EventRow> rows;
  sqlite3_stmt* stmt = nullptr;
  // Who viewed or downloaded the dossier in the web app is the access log (sohoa audit), not its
  // preservation history: those events stay out of the package.
  const char* sql =
      "SELECT at, actor, action, detail FROM events WHERE dossier_code = ? "
      "AND action NOT IN ('view', 'download') ORDER BY id";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, code.c_str(), -1, SQLITE_TRANSIENT);
    auto column = [stmt](int idx) {
      const auto* text = sqlite3_column_text(stmt, idx);
      return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
    };
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      rows.push_back({column(0), column(1), column(2), column(3)});
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

struct PremisEvent {
  std::string type;
  std::string at;
  std::string detail;
  std::string outcome;
  std::vector<std::string> agents;  // agent ids
  std::vector<std::string> objects; // object ids
};

std::string premis_event_type(const std::string& action) {
  static const std::map<std::string, std::string> types = {
      {"ingest", "ingestion"}, {"replace", "replacement"}, {"verify", "fixity check"},
      {"export", "dissemination"}, {"ingest-failed", "ingestion"}};
  const auto found = types.find(action);
  return found == types.end() ? action : found->second;
}

std::string build_dossier_xml(const DossierRecord& dossier) {
  const core::DossierMeta& meta = dossier.meta;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dossier xmlns=\"urn:sohoa:metadata:1.0:\" code=\"" +
                    xml_escape(meta.code) + "\">\n";
  auto field = [&xml](const std::string& name, const std::string& value, const char* source) {
    if (!value.empty()) {
      xml += " <field name=\"" + xml_escape(name) + "\" source=\"" + source + "\">" + xml_escape(value) +
             "</field>\n";
    }
  };
  field("dossierCode", meta.code, "manifest");
  field("title", meta.title, "manifest");
  field("procedureCode", meta.procedure_code, "manifest");
  field("procedureName", meta.procedure_name, "manifest");
  field("agency", meta.agency, "manifest");
  field("unit", meta.unit, "manifest");
  field("level", meta.level == core::Level::unknown ? "" : std::string(core::to_string(meta.level)), "manifest");
  field("receivedDate", meta.received_date, "manifest");
  field("applicant", meta.applicant, "manifest");
  for (const core::ArchivalField& item : core::archival_fields(meta, dossier.page_count)) {
    field(item.name, item.value, item.name == "pageCount" || item.name == "confidenceLevel" ? "sohoa"
                                 : item.from_manifest                                      ? "manifest"
                                                                                           : "default");
  }
  for (const auto& [key, value] : meta.extra) {
    if (!core::is_archival_column(key)) {
      field(key, value, "manifest");
    }
  }
  field("digitizedAt", dossier.digitized_at, "sohoa");
  for (const PageRecord& page : dossier.pages) {
    xml += " <source page=\"" + std::to_string(page.seq) + "\" name=\"" +
           xml_escape(fs::path(page.source_path).filename().string()) + "\" index=\"" +
           std::to_string(page.source_index) + "\" sha256=\"" + xml_escape(page.source_sha256) + "\"/>\n";
  }
  xml += "</dossier>\n";
  return xml;
}

std::string build_premis(const DossierRecord& dossier, const std::string& pdf_href,
                         const std::vector<EventRow>& rows, const ExportOptions& options) {
  // Agents.
  std::vector<std::array<std::string, 4>> agents;  // id, name, type, version
  const std::string sohoa_id = "agent-sohoa";
  agents.push_back({sohoa_id, "sohoa", "software", options.agent});
  agents.push_back({"agent-tesseract", "Tesseract OCR", "software", ""});
  agents.push_back({"agent-libharu", "libharu", "software", "2.3.0"});
  std::map<std::string, std::string> person_ids;
  auto person = [&](const std::string& name) -> std::string {
    if (name.empty()) {
      return "";
    }
    auto found = person_ids.find(name);
    if (found != person_ids.end()) {
      return found->second;
    }
    const std::string id = "agent-person-" + std::to_string(person_ids.size() + 1);
    person_ids[name] = id;
    agents.push_back({id, name, "person", ""});
    return id;
  };

  // Objects: the PDF, then each distinct source file.
  const std::string pdf_id = pdf_href;
  std::vector<std::string> source_ids;
  std::set<std::string> seen_sources;
  std::string objects;
  objects += " <object xsi:type=\"file\">\n  <objectIdentifier><objectIdentifierType>local</objectIdentifierType>"
             "<objectIdentifierValue>" + xml_escape(pdf_id) + "</objectIdentifierValue></objectIdentifier>\n"
             "  <objectCharacteristics><compositionLevel>0</compositionLevel><fixity><messageDigestAlgorithm>"
             "SHA-256</messageDigestAlgorithm><messageDigest>" + xml_escape(dossier.pdf_sha256) +
             "</messageDigest></fixity><size>" + std::to_string(dossier.pdf_bytes) +
             "</size><format><formatDesignation><formatName>PDF/A-1b</formatName><formatVersion>1b"
             "</formatVersion></formatDesignation></format></objectCharacteristics>\n"
             "  <originalName>" + xml_escape(fs::path(dossier.pdf_path).filename().string()) + "</originalName>\n";
  objects += "  <linkingEventIdentifier><linkingEventIdentifierType>local</linkingEventIdentifierType>"
             "<linkingEventIdentifierValue>event-pdf-creation</linkingEventIdentifierValue></linkingEventIdentifier>\n";
  objects += " </object>\n";
  for (const PageRecord& page : dossier.pages) {
    if (!seen_sources.insert(page.source_sha256).second) {
      continue;
    }
    const std::string id = "source-" + page.source_sha256.substr(0, 16);
    source_ids.push_back(id);
    objects += " <object xsi:type=\"file\">\n  <objectIdentifier><objectIdentifierType>local</objectIdentifierType>"
               "<objectIdentifierValue>" + id + "</objectIdentifierValue></objectIdentifier>\n"
               "  <objectCharacteristics><compositionLevel>0</compositionLevel><fixity><messageDigestAlgorithm>"
               "SHA-256</messageDigestAlgorithm><messageDigest>" + xml_escape(page.source_sha256) +
               "</messageDigest></fixity><format><formatDesignation><formatName>" +
               xml_escape(fs::path(page.source_path).extension().string()) +
               "</formatName></formatDesignation></format></objectCharacteristics>\n"
               "  <originalName>" + xml_escape(fs::path(page.source_path).filename().string()) + "</originalName>\n"
               "  <linkingEventIdentifier><linkingEventIdentifierType>local</linkingEventIdentifierType>"
               "<linkingEventIdentifierValue>event-capture</linkingEventIdentifierValue></linkingEventIdentifier>\n"
               " </object>\n";
  }

  // Events.
  std::string operator_name;
  for (const EventRow& row : rows) {
    if ((row.action == "ingest" || row.action == "replace") && !row.actor.empty()) {
      operator_name = row.actor;
    }
  }
  const std::string operator_id = person(operator_name);
  std::vector<std::pair<std::string, PremisEvent>> events;
  auto with_operator = [&](std::vector<std::string> ids) {
    if (!operator_id.empty()) {
      ids.insert(ids.begin(), operator_id);
    }
    return ids;
  };
  events.push_back({"event-capture", {"capture", dossier.digitized_at,
                                      "page images scanned at the one-stop desk; their SHA-256 taken at ingest",
                                      "success", with_operator({}), source_ids}});
  events.push_back({"event-ocr", {"optical character recognition", dossier.digitized_at,
                                  "Tesseract, text in NFC, words with boxes", "success",
                                  {"agent-tesseract", sohoa_id}, source_ids}});
  events.push_back({"event-pdf-creation", {"creation", dossier.digitized_at,
                                           "searchable PDF/A-1b: page images under an invisible text layer",
                                           "success", {sohoa_id, "agent-libharu"}, {pdf_id}}});
  int row_idx = 0;
  for (const EventRow& row : rows) {
    ++row_idx;
    const std::string actor_id = person(row.actor);
    std::vector<std::string> ids{sohoa_id};
    if (!actor_id.empty()) {
      ids.insert(ids.begin(), actor_id);
    }
    events.push_back({"event-catalog-" + std::to_string(row_idx),
                      {premis_event_type(row.action), row.at, row.action + (row.detail.empty() ? "" : ": " + row.detail),
                       row.action == "ingest-failed" ? "failure" : "success", ids, {pdf_id}}});
  }
  events.push_back({"event-export-fixity", {"fixity check", options.now,
                                            "SHA-256 of the PDF recomputed at export, equal to the catalog's",
                                            "success", {sohoa_id}, {pdf_id}}});

  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<premis xmlns=\"http://www.loc.gov/premis/v3\" "
                    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"3.0\">\n";
  xml += objects;
  for (const auto& [id, event] : events) {
    xml += " <event>\n  <eventIdentifier><eventIdentifierType>local</eventIdentifierType><eventIdentifierValue>" +
           id + "</eventIdentifierValue></eventIdentifier>\n  <eventType>" + xml_escape(event.type) +
           "</eventType>\n  <eventDateTime>" + xml_escape(event.at) + "</eventDateTime>\n";
    if (!event.detail.empty()) {
      xml += "  <eventDetailInformation><eventDetail>" + xml_escape(event.detail) +
             "</eventDetail></eventDetailInformation>\n";
    }
    xml += "  <eventOutcomeInformation><eventOutcome>" + event.outcome + "</eventOutcome></eventOutcomeInformation>\n";
    for (const std::string& agent : event.agents) {
      xml += "  <linkingAgentIdentifier><linkingAgentIdentifierType>local</linkingAgentIdentifierType>"
             "<linkingAgentIdentifierValue>" + xml_escape(agent) + "</linkingAgentIdentifierValue></linkingAgentIdentifier>\n";
    }
    for (const std::string& object : event.objects) {
      xml += "  <linkingObjectIdentifier><linkingObjectIdentifierType>local</linkingObjectIdentifierType>"
             "<linkingObjectIdentifierValue>" + xml_escape(object) + "</linkingObjectIdentifierValue></linkingObjectIdentifier>\n";
    }
    xml += " </event>\n";
  }
  for (const auto& [id, name, type, version] : agents) {
    xml += " <agent>\n  <agentIdentifier><agentIdentifierType>local</agentIdentifierType><agentIdentifierValue>" +
           xml_escape(id) + "</agentIdentifierValue></agentIdentifier>\n  <agentName>" + xml_escape(name) +
           "</agentName>\n  <agentType>" + type + "</agentType>\n";
    if (!version.empty()) {
      xml += "  <agentVersion>" + xml_escape(version) + "</agentVersion>\n";
    }
    xml += " </agent>\n";
  }
  xml += "</premis>\n";
  return xml;
}

struct PackedFile {
  std::string href;
  std::string mime;
  std::int64_t size = 0;
  std::string sha256;
};

tl::expected<PackedFile, std::string> describe(const fs::path& root, const std::string& href, const std::string& mime) {
  const auto hash = core::sha256_file(root / href);
  if (!hash) {
    return tl::unexpected(href + ": " + hash.error());
  }
  std::error_code error;
  const auto size = fs::file_size(root / href, error);
  if (error) {
    return tl::unexpected(href + ": " + error.message());
  }
  return PackedFile{href, mime, static_cast<std::int64_t>(size), *hash};
}

std::string mets_file_attrs(const PackedFile& file, const std::string& created) {
  return " MIMETYPE=\"" + file.mime + "\" SIZE=\"" + std::to_string(file.size) + "\" CREATED=\"" +
         xml_escape(created) + "\" CHECKSUM=\"" + file.sha256 + "\" CHECKSUMTYPE=\"SHA-256\"";
}

std::string build_mets(const DossierRecord& dossier, const PackedFile& pdf, const PackedFile& dmd,
                       const PackedFile& premis, const ExportOptions& options) {
  const std::string& now = options.now;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                    " OBJID=\"" + xml_escape(dossier.meta.code) + "\" TYPE=\"Dossier\" LABEL=\"" +
                    xml_escape(dossier.meta.title) +
                    "\" PROFILE=\"https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml\">\n";
  xml += " <mets:metsHdr CREATEDATE=\"" + now + "\" RECORDSTATUS=\"NEW\"><mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" "
         "OTHERTYPE=\"SOFTWARE\"><mets:name>" + xml_escape(options.agent) + "</mets:name></mets:agent></mets:metsHdr>\n";
  xml += " <mets:dmdSec ID=\"dmd-1\" CREATED=\"" + now + "\"><mets:mdRef LOCTYPE=\"URL\" MDTYPE=\"OTHER\" "
         "OTHERMDTYPE=\"sohoa-dossier\"" + mets_file_attrs(dmd, now) + " xlink:type=\"simple\" xlink:href=\"" +
         dmd.href + "\"/></mets:dmdSec>\n";
  xml += " <mets:amdSec><mets:digiprovMD ID=\"premis-1\" CREATED=\"" + now + "\"><mets:mdRef LOCTYPE=\"URL\" "
         "MDTYPE=\"PREMIS\"" + mets_file_attrs(premis, now) + " xlink:type=\"simple\" xlink:href=\"" + premis.href +
         "\"/></mets:digiprovMD></mets:amdSec>\n";
  xml += " <mets:fileSec><mets:fileGrp USE=\"Representations/rep1/data\"><mets:file ID=\"file-1\" ADMID=\"premis-1\"" +
         mets_file_attrs(pdf, dossier.digitized_at) + "><mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"" +
         xml_escape(pdf.href) + "\"/></mets:file></mets:fileGrp></mets:fileSec>\n";
  xml += " <mets:structMap TYPE=\"PHYSICAL\" LABEL=\"CSIP\"><mets:div LABEL=\"" + xml_escape(dossier.meta.code) +
         "\" DMDID=\"dmd-1\" ADMID=\"premis-1\"><mets:div LABEL=\"Representations/rep1\"><mets:fptr FILEID=\"file-1\"/>"
         "</mets:div></mets:div></mets:structMap>\n";
  xml += "</mets:mets>\n";
  return xml;
}

// ---- ZIP (stored) -----------------------------------------------------------------------------

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int idx = 0; idx < bytes; ++idx) {
    out += static_cast<char>((value >> (8 * idx)) & 0xFFU);
  }
}

bool write_zip(const fs::path& dir, const fs::path& zip_path) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      names.push_back(fs::relative(entry.path(), dir).generic_string());
    }
  }
  std::sort(names.begin(), names.end());
  const std::string prefix = dir.filename().string() + "/";
  std::string body;
  std::string central;
  for (const std::string& name : names) {
    std::error_code size_error;
    const auto file_size = fs::file_size(dir / name, size_error);
    std::string data(size_error ? 0 : static_cast<std::size_t>(file_size), '\0');
    std::ifstream in(dir / name, std::ios::binary);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    if (size_error || !in) {
      return false;
    }
    const std::string full = prefix + name;
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    const auto offset = static_cast<std::uint32_t>(body.size());
    const auto size = static_cast<std::uint32_t>(data.size());
    std::string local;
    put_le(local, 0x04034b50U, 4);
    put_le(local, 20, 2);
    put_le(local, 0x0800, 2);  // UTF-8 names
    put_le(local, 0, 2);       // stored
    put_le(local, 0, 2);       // 00:00
    put_le(local, 0x21, 2);    // 1980-01-01
    put_le(local, crc, 4);
    put_le(local, size, 4);
    put_le(local, size, 4);
    put_le(local, static_cast<std::uint32_t>(full.size()), 2);
    put_le(local, 0, 2);
    body += local + full + data;
    put_le(central, 0x02014b50U, 4);
    put_le(central, 20, 2);
    put_le(central, 20, 2);
    put_le(central, 0x0800, 2);
    put_le(central, 0, 2);
    put_le(central, 0, 2);
    put_le(central, 0x21, 2);
    put_le(central, crc, 4);
    put_le(central, size, 4);
    put_le(central, size, 4);
    put_le(central, static_cast<std::uint32_t>(full.size()), 2);
    put_le(central, 0, 2);
    put_le(central, 0, 2);
    put_le(central, 0, 2);
    put_le(central, 0, 2);
    put_le(central, 0, 4);
    put_le(central, offset, 4);
    central += full;
  }
  std::string end;
  put_le(end, 0x06054b50U, 4);
  put_le(end, 0, 4);
  put_le(end, static_cast<std::uint32_t>(names.size()), 2);
  put_le(end, static_cast<std::uint32_t>(names.size()), 2);
  put_le(end, static_cast<std::uint32_t>(central.size()), 4);
  put_le(end, static_cast<std::uint32_t>(body.size()), 4);
  put_le(end, 0, 2);
  return write_text(zip_path, body + central + end);
}

// ---- XML checks (libxml2) ---------------------------------------------------------------------

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

void collect_error(void* context, const char* format, ...) __attribute__((format(printf, 2, 3)));
void collect_error(void* context, const char* format, ...) {
  std::array<char, 512> buffer{};
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer.data(), buffer.size(), format, args);
  va_end(args);
  auto* errors = static_cast<std::string*>(context);
  if (errors->size() < 400) {
    *errors += buffer.data();
  }
}

std::string first_line(std::string text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

// Parses `path` and validates it against `xsd`; returns the document or adds a problem.
XmlDocPtr load_valid(const fs::path& root, const std::string& href, const char* xsd,
                     std::vector<PackageProblem>& problems) {
  std::string errors;
  xmlSetGenericErrorFunc(&errors, collect_error);
  XmlDocPtr doc(xmlReadFile((root / href).c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOBLANKS));
  if (!doc) {
    xmlSetGenericErrorFunc(nullptr, nullptr);
    problems.push_back({href, "not well-formed XML: " + first_line(errors)});
    return nullptr;
  }
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(xsd, static_cast<int>(std::strlen(xsd)));
  xmlSchemaPtr schema = xmlSchemaParse(parser);
  xmlSchemaValidCtxtPtr valid = schema == nullptr ? nullptr : xmlSchemaNewValidCtxt(schema);
  errors.clear();
  if (valid != nullptr) {
    xmlSchemaSetValidErrors(valid, collect_error, collect_error, &errors);
  }
  const int result = valid == nullptr ? -1 : xmlSchemaValidateDoc(valid, doc.get());
  if (valid != nullptr) {
    xmlSchemaFreeValidCtxt(valid);
  }
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(parser);
  xmlSetGenericErrorFunc(nullptr, nullptr);
  if (result != 0) {
    problems.push_back({href, "not valid against sohoa's schema: " + first_line(errors)});
  }
  return doc;
}

std::string attribute(xmlNode* node, const char* name, const char* ns = nullptr) {
  xmlChar* value = ns == nullptr ? xmlGetProp(node, reinterpret_cast<const xmlChar*>(name))
                                 : xmlGetNsProp(node, reinterpret_cast<const xmlChar*>(name),
                                                reinterpret_cast<const xmlChar*>(ns));
  if (value == nullptr) {
    return "";
  }
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

bool named(xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

template <typename Visit>
void walk(xmlNode* node, const Visit& visit) {
  for (xmlNode* child = node; child != nullptr; child = child->next) {
    visit(child);
    walk(child->children, visit);
  }
}

std::string text_of(xmlNode* node) {
  xmlChar* value = xmlNodeGetContent(node);
  std::string out = value == nullptr ? "" : reinterpret_cast<const char*>(value);
  xmlFree(value);
  return out;
}

}  // namespace

tl::expected<ExportedPackage, std::string> export_dossier(const Archive& archive, const std::string& code,
                                                         const ExportOptions& options) {
  const auto dossier = archive.catalog().find_dossier(code);
  if (!dossier) {
    return tl::unexpected(code + ": no such dossier in the catalog");
  }
  const fs::path pdf_source = archive.absolute(dossier->pdf_path);
  const auto hash = core::sha256_file(pdf_source);
  if (!hash) {
    return tl::unexpected(code + ": the archived PDF " + dossier->pdf_path + " cannot be read: " + hash.error());
  }
  if (*hash != dossier->pdf_sha256) {
    return tl::unexpected(code + ": the archived PDF " + dossier->pdf_path +
                          " does not match the catalog's SHA-256 (run sohoa verify); not exported");
  }
  const std::string name = package_name(code);
  const fs::path final_dir = options.out / name;
  const fs::path tmp_dir = options.out / (name + ".tmp");
  std::error_code error;
  fs::remove_all(tmp_dir, error);
  const std::string pdf_href = std::string(k_pdf_dir) + name + ".pdf";
  fs::create_directories((tmp_dir / pdf_href).parent_path(), error);
  if (error || !fs::copy_file(pdf_source, tmp_dir / pdf_href, fs::copy_options::overwrite_existing, error)) {
    return tl::unexpected(code + ": cannot write " + (tmp_dir / pdf_href).string() + ": " + error.message());
  }
  const std::vector<EventRow> rows = catalog_events(archive, code);
  bool written = write_text(tmp_dir / k_dossier_xml, build_dossier_xml(*dossier)) &&
                 write_text(tmp_dir / k_premis_xml, build_premis(*dossier, pdf_href, rows, options)) &&
                 write_text(tmp_dir / "schemas" / schemas::k_mets_name, schemas::k_mets) &&
                 write_text(tmp_dir / "schemas" / schemas::k_premis_name, schemas::k_premis) &&
                 write_text(tmp_dir / "schemas" / schemas::k_dossier_name, schemas::k_dossier);
  if (!written) {
    return tl::unexpected(code + ": cannot write the package metadata under " + tmp_dir.string());
  }
  const auto pdf = describe(tmp_dir, pdf_href, "application/pdf");
  const auto dmd = describe(tmp_dir, k_dossier_xml, "text/xml");
  const auto premis = describe(tmp_dir, k_premis_xml, "text/xml");
  for (const auto* item : {&pdf, &dmd, &premis}) {
    if (!*item) {
      return tl::unexpected(code + ": " + item->error());
    }
  }
  if (!write_text(tmp_dir / "METS.xml", build_mets(*dossier, *pdf, *dmd, *premis, options))) {
    return tl::unexpected(code + ": cannot write METS.xml under " + tmp_dir.string());
  }
  fs::remove_all(final_dir, error);
  fs::rename(tmp_dir, final_dir, error);
  if (error) {
    return tl::unexpected(code + ": cannot move the package to " + final_dir.string() + ": " + error.message());
  }
  ExportedPackage package{code, final_dir, {}, 3, pdf->size + dmd->size + premis->size};
  if (options.zip) {
    package.zip = options.out / (name + ".zip");
    if (!write_zip(final_dir, package.zip)) {
      return tl::unexpected(code + ": cannot write " + package.zip.string());
    }
  }
  return package;
}

PackageReport verify_package(const fs::path& dir) {
  PackageReport report;
  auto& problems = report.problems;
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    problems.push_back({"", "not a folder"});
    return report;
  }
  for (const char* required : {"METS.xml", k_dossier_xml, k_premis_xml}) {
    if (!fs::is_regular_file(dir / required, error)) {
      problems.push_back({required, "missing"});
    }
  }
  if (!fs::is_directory(dir / k_pdf_dir, error)) {
    problems.push_back({k_pdf_dir, "missing"});
  }
  if (!fs::is_regular_file(dir / "METS.xml", error)) {
    return report;
  }
  XmlDocPtr mets = load_valid(dir, "METS.xml", schemas::k_mets, problems);
  XmlDocPtr premis;
  if (fs::is_regular_file(dir / k_premis_xml, error)) {
    premis = load_valid(dir, k_premis_xml, schemas::k_premis, problems);
  }
  if (fs::is_regular_file(dir / k_dossier_xml, error)) {
    load_valid(dir, k_dossier_xml, schemas::k_dossier, problems);
  }
  if (!mets) {
    return report;
  }
  xmlNode* root = xmlDocGetRootElement(mets.get());
  report.dossier = attribute(root, "OBJID");
  const char* xlink = "http://www.w3.org/1999/xlink";
  std::set<std::string> listed{"METS.xml"};
  std::string pdf_href;
  std::string pdf_sha;
  walk(root, [&](xmlNode* node) {
    xmlNode* holder = nullptr;
    std::string href;
    if (named(node, "mdRef")) {
      holder = node;
      href = attribute(node, "href", xlink);
    } else if (named(node, "FLocat") && node->parent != nullptr) {
      holder = node->parent;
      href = attribute(node, "href", xlink);
    }
    if (holder == nullptr) {
      return;
    }
    if (href.empty() || href.find("..") != std::string::npos || href.front() == '/') {
      problems.push_back({href, "METS lists a file with a missing or unsafe xlink:href"});
      return;
    }
    listed.insert(href);
    ++report.files_checked;
    const fs::path file = dir / href;
    if (!fs::is_regular_file(file, error)) {
      problems.push_back({href, "listed in METS but missing"});
      return;
    }
    const std::string size = attribute(holder, "SIZE");
    const auto actual_size = fs::file_size(file, error);
    if (size != std::to_string(actual_size)) {
      problems.push_back({href, "size " + std::to_string(actual_size) + " bytes, METS says " + size});
    }
    const auto hash = core::sha256_file(file);
    if (!hash || *hash != attribute(holder, "CHECKSUM")) {
      problems.push_back({href, "SHA-256 differs from METS (" + (hash ? *hash : hash.error()) + ")"});
    }
    if (href.rfind(k_pdf_dir, 0) == 0) {
      pdf_href = href;
      pdf_sha = attribute(holder, "CHECKSUM");
    }
  });
  if (pdf_href.empty()) {
    problems.push_back({k_pdf_dir, "METS lists no PDF under " + std::string(k_pdf_dir)});
  } else if (!report.dossier.empty() && pdf_href != std::string(k_pdf_dir) + package_name(report.dossier) + ".pdf") {
    problems.push_back({pdf_href, "not named after the dossier code " + report.dossier});
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    const std::string relative = fs::relative(entry.path(), dir).generic_string();
    if (relative.rfind("schemas/", 0) != 0 && listed.count(relative) == 0) {
      problems.push_back({relative, "in the package but not listed in METS"});
    }
  }
  if (premis && !pdf_href.empty()) {
    bool found = false;
    walk(xmlDocGetRootElement(premis.get()), [&](xmlNode* node) {
      if (!named(node, "object")) {
        return;
      }
      std::string id;
      std::string digest;
      walk(node->children, [&](xmlNode* child) {
        if (named(child, "objectIdentifierValue")) {
          id = text_of(child);
        } else if (named(child, "messageDigest")) {
          digest = text_of(child);
        }
      });
      if (id == pdf_href) {
        found = true;
        if (digest != pdf_sha) {
          problems.push_back({k_premis_xml, "the PDF's fixity in PREMIS differs from METS"});
        }
      }
    });
    if (!found) {
      problems.push_back({k_premis_xml, "no PREMIS object for " + pdf_href});
    }
  }
  return report;
}

}  // namespace sohoa::storage
