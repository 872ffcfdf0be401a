// Design notes
// - The route table below is the only list of API routes: server.cpp routes and guards by it, and
//   the security tests walk it, so a route added here is tested for 401 and 403 without more code.
// - Answers are the CLI's JSON (jobs.hpp, report_render.hpp), so a script gets the same fields from
//   `sohoa search --json` and GET /api/search.
// - Path parameters are looked up in the catalog, never joined into a path: a dossier's file is the
//   catalog's relative pdf_path under the archive root, and one that is absolute or climbs out
//   with ".." is treated as missing.
// - Officials may read the report but not the list of unregistered dossiers inside it (codes and
//   titles): their copy has that list empty; the counts stay.
// - A PDF page is not always the dossier's page of the same number: blank pages left out of the
//   PDF (--drop-blank) are skipped when counting.

#include <algorithm>
#include <charconv>
#include <fstream>

#include <fmt/format.h>

#include "jobs.hpp"
#include "pdf_pages.hpp"
#include "report_render.hpp"
#include "routes.hpp"
#include "sohoa/core/hash.hpp"
#include "sohoa/core/types.hpp"
#include "sohoa/storage/facets.hpp"
#include "sohoa/storage/report.hpp"
#include "sohoa/storage/targets.hpp"

namespace sohoa::web {
namespace fs = std::filesystem;
using storage::Role;

namespace {

// --- request parameters ------------------------------------------------------------------------

std::string param(const Exchange& exchange, const char* name) {
  return exchange.request.get_param_value(name);
}

int int_param(const Exchange& exchange, const char* name, int fallback, int low, int high) {
  const std::string text = param(exchange, name);
  if (text.empty()) {
    return fallback;
  }
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    throw HttpError(400, fmt::format("{} must be a whole number from {} to {}", name, low, high));
  }
  return value;
}

bool flag_param(const Exchange& exchange, const char* name) {
  const std::string text = param(exchange, name);
  return text == "1" || text == "true";
}

// --- the archive -------------------------------------------------------------------------------

storage::DossierRecord find_dossier(const Exchange& exchange, bool with_text = false) {
  auto dossier = exchange.archive.catalog().find_dossier(exchange.params.at(0), with_text);
  if (!dossier) {
    throw HttpError(404, "no such dossier");
  }
  return *dossier;
}

// The dossier's PDF under the archive root, or nullopt when the catalog's path would leave it.
std::optional<fs::path> pdf_file(const storage::Archive& archive,
                                 const storage::DossierRecord& dossier) {
  const fs::path relative(dossier.pdf_path);
  if (relative.empty() || relative.is_absolute() || relative.has_root_name()) {
    return std::nullopt;
  }
  for (const auto& part : relative) {
    if (part == "..") {
      return std::nullopt;
    }
  }
  return archive.root() / relative;
}

fs::path existing_pdf(const Exchange& exchange, const storage::DossierRecord& dossier) {
  const auto path = pdf_file(exchange.archive, dossier);
  std::error_code error;
  if (!path || !fs::is_regular_file(*path, error)) {
    throw HttpError(404, "the dossier's PDF is missing from the archive (sohoa verify)");
  }
  return *path;
}

// The 0-based page of the PDF showing page `seq` of `dossier`; 404 when there is none.
int pdf_page_index(const storage::DossierRecord& dossier, int seq) {
  int index = 0;
  for (const auto& page : dossier.pages) {
    const bool in_pdf = core::is_archived(page.outcome) && (page.flags & core::flag_left_out) == 0;
    if (page.seq == seq) {
      if (!in_pdf) {
        throw HttpError(404, fmt::format("page {} is not in the PDF (a blank page left out)", seq));
      }
      return index;
    }
    index += in_pdf ? 1 : 0;
  }
  throw HttpError(404, fmt::format("the dossier has no page {}", seq));
}

int seq_param(const Exchange& exchange) { return std::stoi(exchange.params.at(1)); }

// Writes `action` on `dossier` by the caller to the events log; a HEAD request (a link checker,
// a browser probing the download) reads nothing and is not recorded.
void record_event(Exchange& exchange, const char* action, const std::string& dossier) {
  if (exchange.request.method == "HEAD") {
    return;
  }
  exchange.archive.catalog().add_event(iso_now(exchange.shared.clock), exchange.caller->user,
                                       action, dossier, exchange.request.remote_addr);
}

// --- handlers ----------------------------------------------------------------------------------

void handle_search(Exchange& exchange) {
  storage::SearchQuery query;
  query.text = param(exchange, "q");
  query.agency = param(exchange, "agency");
  query.unit = param(exchange, "unit");
  query.procedure = param(exchange, "procedure");
  query.from = param(exchange, "from");
  query.to = param(exchange, "to");
  if (const auto level = param(exchange, "level"); !level.empty()) {
    query.level = core::parse_level(level);
    if (!query.level) {
      throw HttpError(400, "level must be province, district or commune");
    }
  }
  query.offset = int_param(exchange, "offset", 0, 0, 1000000);
  query.limit = int_param(exchange, "limit", 20, 1, 1000);
  query.by_page = flag_param(exchange, "by_page");
  query.exact = flag_param(exchange, "exact");
  const auto result = exchange.archive.catalog().search(query);
  reply_json(exchange.response, app::to_json(result, exchange.archive.root()));
}

void handle_dossier(Exchange& exchange) {
  const auto dossier = find_dossier(exchange);
  auto json = app::to_json(dossier, exchange.archive.root());
  std::string status = "missing";
  if (const auto path = pdf_file(exchange.archive, dossier)) {
    std::error_code error;
    if (fs::is_regular_file(*path, error)) {
      const auto hash = core::sha256_file(*path);
      status = !hash ? "missing" : *hash == dossier.pdf_sha256 ? "ok" : "mismatch";
    }
  }
  json["fixity"] = {{"status", status}, {"checked_at", iso_now(exchange.shared.clock)}};
  record_event(exchange, "view", dossier.meta.code);
  reply_json(exchange.response, json);
}

void handle_page_image(Exchange& exchange) {
  const int width = int_param(exchange, "width", 1000, 100, 2000);
  const auto dossier = find_dossier(exchange);
  const int index = pdf_page_index(dossier, seq_param(exchange));
  const auto pdf = existing_pdf(exchange, dossier);
  tl::expected<std::string, std::string> png;
  {
    const SemaphoreTurn turn(exchange.shared.rendering);
    png = render_page_png(pdf, index, width);
  }
  if (!png) {
    throw std::runtime_error(dossier.meta.code + ": " + png.error());
  }
  exchange.response.headers.erase("Cache-Control");
  exchange.response.set_header("Cache-Control", "private, max-age=300");
  exchange.response.set_content(std::move(*png), "image/png");
}

void handle_page_words(Exchange& exchange) {
  const auto dossier = find_dossier(exchange);
  const int seq = seq_param(exchange);
  const int index = pdf_page_index(dossier, seq);
  const auto words = page_words(existing_pdf(exchange, dossier), index);
  if (!words) {
    throw std::runtime_error(dossier.meta.code + ": " + words.error());
  }
  auto round = [](double value) { return std::round(value * 10000.0) / 10000.0; };
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& word : *words) {
    rows.push_back({{"text", word.text},
                    {"box", {round(word.box[0]), round(word.box[1]), round(word.box[2]),
                             round(word.box[3])}}});
  }
  reply_json(exchange.response, {{"page", seq}, {"words", rows}});
}

void handle_page_text(Exchange& exchange) {
  const auto dossier = find_dossier(exchange, true);
  const int seq = seq_param(exchange);
  for (const auto& page : dossier.pages) {
    if (page.seq == seq) {
      reply_json(exchange.response, {{"page", seq}, {"text", page.text}});
      return;
    }
  }
  throw HttpError(404, fmt::format("the dossier has no page {}", seq));
}

void handle_pdf(Exchange& exchange) {
  const auto dossier = find_dossier(exchange);
  const auto path = existing_pdf(exchange, dossier);
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (!*file || error) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::string name = dossier.meta.code;
  for (auto& c : name) {
    const bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       c == '.' || c == '-' || c == '_';
    c = plain ? c : '_';
  }
  record_event(exchange, "download", dossier.meta.code);
  exchange.response.set_header("Content-Disposition",
                               fmt::format("attachment; filename=\"{}.pdf\"", name));
  exchange.response.set_content_provider(
      static_cast<std::size_t>(size), "application/pdf",
      [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::array<char, 64 * 1024> buffer{};
        file->seekg(static_cast<std::streamoff>(offset));
        file->read(buffer.data(),
                   static_cast<std::streamsize>(std::min(length, buffer.size())));
        const auto got = file->gcount();
        if (got <= 0) {
          return false;
        }
        sink.write(buffer.data(), static_cast<std::size_t>(got));
        return true;
      });
}

void handle_facets(Exchange& exchange) {
  const auto facets = storage::load_facets(exchange.archive.catalog());
  nlohmann::json procedures = nlohmann::json::array();
  for (const auto& [code, name] : facets.procedures) {
    procedures.push_back({{"code", code}, {"name", name}});
  }
  reply_json(exchange.response, {{"levels", facets.levels},
                                 {"units", facets.units},
                                 {"agencies", facets.agencies},
                                 {"procedures", procedures},
                                 {"periods",
                                  {{"first", facets.first_received},
                                   {"last", facets.last_received}}}});
}

void handle_report(Exchange& exchange) {
  storage::ReportQuery query;
  query.period = storage::parse_period(param(exchange, "period"));
  const auto by = param(exchange, "by");
  query.by = storage::parse_report_by(by.empty() ? "level" : by);
  const auto& catalog = exchange.archive.catalog();
  const auto report = storage::build_report(catalog, query, storage::load_targets(catalog));
  auto json = app::report_json(report);
  if (exchange.caller->role == Role::official) {
    json["unregistered"] = nlohmann::json::array();
  }
  reply_json(exchange.response, json);
}

void handle_batches(Exchange& exchange) {
  const int limit = int_param(exchange, "limit", 20, 1, 1000);
  reply_json(exchange.response, app::batches_json(exchange.archive.catalog(), limit));
}

void handle_audit(Exchange& exchange) {
  storage::EventFilter filter;
  filter.limit = int_param(exchange, "limit", 100, 1, 10000);
  filter.actor = param(exchange, "user");
  filter.action = param(exchange, "action");
  reply_json(exchange.response, app::to_json(exchange.archive.catalog().events(filter)));
}

Route route(const char* method, const char* path, std::vector<Role> roles, Handler handler,
            bool open = false) {
  return Route{RouteInfo{method, path, std::move(roles), open}, handler};
}

}  // namespace

std::optional<std::vector<std::string>> match_path(std::string_view pattern, std::string_view path) {
  std::vector<std::string> params;
  while (!pattern.empty() && !path.empty()) {
    const auto pattern_end = std::min(pattern.find('/', 1), pattern.size());
    const auto path_end = std::min(path.find('/', 1), path.size());
    const auto expected = pattern.substr(0, pattern_end);
    const auto segment = path.substr(0, path_end);
    if (expected == "/{code}") {
      if (segment.size() < 2) {
        return std::nullopt;
      }
      params.emplace_back(segment.substr(1));
    } else if (expected == "/{seq}") {
      const auto digits = segment.substr(1);
      if (digits.empty() || digits.size() > 6 ||
          !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
      }
      params.emplace_back(digits);
    } else if (expected != segment) {
      return std::nullopt;
    }
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  if (!pattern.empty() || !path.empty()) {
    return std::nullopt;
  }
  return params;
}

const std::vector<Route>& route_table() {
  static const std::vector<Route> routes = [] {
    const std::vector<Role> everyone = {Role::admin, Role::archivist, Role::official,
                                        Role::operator_};
    const std::vector<Role> readers = {Role::admin, Role::archivist};
    const std::vector<Role> aggregates = {Role::admin, Role::archivist, Role::official};
    return std::vector<Route>{
      route("POST", "/api/login", {}, handle_login, true),
      route("POST", "/api/logout", everyone, handle_logout),
      route("GET", "/api/me", everyone, handle_me),
      route("GET", "/api/search", readers, handle_search),
      route("GET", "/api/dossiers/{code}", readers, handle_dossier),
      route("GET", "/api/dossiers/{code}/pages/{seq}/image", readers, handle_page_image),
      route("GET", "/api/dossiers/{code}/pages/{seq}/words", readers, handle_page_words),
      route("GET", "/api/dossiers/{code}/pages/{seq}/text", readers, handle_page_text),
      route("GET", "/api/dossiers/{code}/pdf", readers, handle_pdf),
      route("GET", "/api/facets", aggregates, handle_facets),
      route("GET", "/api/report", aggregates, handle_report),
      route("GET", "/api/batches", {Role::admin, Role::operator_}, handle_batches),
      route("GET", "/api/audit", {Role::admin}, handle_audit),
    };
  }();
  return routes;
}

}  // namespace sohoa::web
