#include "jobs.hpp"

#include "sohoa/core/archival.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/storage/archive.hpp"

namespace sohoa::app {
namespace fs = std::filesystem;

std::string version() { return SOHOA_VERSION; }

fs::path run_init(const fs::path& archive) {
  const auto created = storage::Archive::init(archive);
  return fs::absolute(created.root());
}

storage::SearchResult run_search(const fs::path& archive, const storage::SearchQuery& query) {
  const auto opened = storage::Archive::open(archive);
  return opened.catalog().search(query);
}

nlohmann::json to_json(const storage::SearchResult& result, const fs::path& archive) {
  nlohmann::json hits = nlohmann::json::array();
  for (const auto& hit : result.hits) {
    hits.push_back({{"dossier", hit.dossier},
                    {"page", hit.page},
                    {"title", hit.title},
                    {"snippet", hit.snippet},
                    {"score", hit.score},
                    {"pdf", (fs::absolute(archive) / hit.pdf).string()},
                    {"pages", hit.pages}});
  }
  return {{"query", result.query},
          {"total", result.total},
          {"total_is_estimate", result.total_is_estimate},
          {"hits", hits}};
}

storage::DossierRecord run_show(const fs::path& archive, const std::string& code) {
  const auto opened = storage::Archive::open(archive);
  auto dossier = opened.catalog().find_dossier(code);
  if (!dossier) {
    throw core::UsageError("no dossier " + code + " in the archive at " + archive.string());
  }
  return *dossier;
}

nlohmann::json to_json(const storage::DossierRecord& dossier, const fs::path& archive) {
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& page : dossier.pages) {
    pages.push_back({{"page", page.seq},
                     {"source", page.source_path},
                     {"source_index", page.source_index},
                     {"source_sha256", page.source_sha256},
                     {"rotation", page.rotation_deg},
                     {"skew", page.skew_deg},
                     {"width", page.width},
                     {"height", page.height},
                     {"dpi", page.dpi},
                     {"confidence", page.ocr_confidence},
                     {"outcome", core::to_string(page.outcome)},
                     {"flags", core::describe_flags(page.flags)}});
  }
  nlohmann::json extra = nlohmann::json::object();
  for (const auto& [key, value] : dossier.meta.extra) {
    extra[key] = value;
  }
  nlohmann::json archival = nlohmann::json::object();
  for (const auto& item : core::archival_fields(dossier.meta, dossier.page_count)) {
    archival[item.name] = {{"value", item.value}, {"from_manifest", item.from_manifest}};
  }
  const auto& meta = dossier.meta;
  return {{"dossier", meta.code},
          {"archival", archival},
          {"title", meta.title},
          {"procedure_code", meta.procedure_code},
          {"procedure_name", meta.procedure_name},
          {"agency", meta.agency},
          {"unit", meta.unit},
          {"level", core::to_string(meta.level)},
          {"received_date", meta.received_date},
          {"applicant", meta.applicant},
          {"extra", extra},
          {"page_count", dossier.page_count},
          {"pdf", (fs::absolute(archive) / dossier.pdf_path).string()},
          {"sha256", dossier.pdf_sha256},
          {"bytes", dossier.pdf_bytes},
          {"digitized_at", dossier.digitized_at},
          {"batch", dossier.batch_id},
          {"pages", pages}};
}

std::vector<std::pair<int, std::string>> run_text(const fs::path& archive, const std::string& code,
                                                  int page) {
  const auto opened = storage::Archive::open(archive);
  auto dossier = opened.catalog().find_dossier(code, true);
  if (!dossier) {
    throw core::UsageError("no dossier " + code + " in the archive at " + archive.string());
  }
  std::vector<std::pair<int, std::string>> texts;
  for (const auto& record : dossier->pages) {
    if (page == 0 || record.seq == page) {
      texts.emplace_back(record.seq, record.text);
    }
  }
  if (texts.empty()) {
    throw core::UsageError("dossier " + code + " has no page " + std::to_string(page) + " (it has " +
                           std::to_string(dossier->pages.size()) + ")");
  }
  return texts;
}

storage::FixityReport run_verify(const fs::path& archive,
                                 const std::function<void(int, int)>& progress) {
  const auto opened = storage::Archive::open(archive);
  return storage::verify_archive(opened, progress);
}

nlohmann::json to_json(const storage::FixityReport& report) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& problem : report.problems) {
    problems.push_back({{"dossier", problem.dossier},
                        {"path", problem.path},
                        {"problem", storage::to_string(problem.kind)},
                        {"expected_sha256", problem.expected},
                        {"actual_sha256", problem.actual}});
  }
  return {{"files_checked", report.files_checked},
          {"bytes_checked", report.bytes_checked},
          {"ok", report.problems.empty()},
          {"problems", problems}};
}

storage::ArchiveSummary run_summary(const fs::path& archive) {
  return storage::Archive::open(archive).catalog().summary();
}

nlohmann::json to_json(const storage::ArchiveSummary& summary) {
  nlohmann::json levels = nlohmann::json::object();
  for (const auto& [level, count] : summary.dossiers_by_level) {
    levels[level.empty() ? "unknown" : level] = count;
  }
  return {{"dossiers", summary.dossiers},
          {"pages", summary.pages},
          {"pdf_bytes", summary.pdf_bytes},
          {"batches", summary.batches},
          {"flagged_pages", summary.flagged_pages},
          {"dossiers_by_level", levels},
          {"last_ingest", summary.last_ingest}};
}


nlohmann::json batches_json(const storage::Catalog& catalog, int limit) {
  nlohmann::json batches = nlohmann::json::array();
  for (const auto& batch : catalog.batches()) {
    if (static_cast<int>(batches.size()) >= limit) {
      break;
    }
    nlohmann::json by_reason = nlohmann::json::object();
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& failure : catalog.batch_failures(batch.id)) {
      by_reason[failure.reason] = by_reason.value(failure.reason, 0) + 1;
      failures.push_back({{"dossier", failure.dossier},
                          {"page", failure.page},
                          {"reason", failure.reason},
                          {"message", failure.message}});
    }
    nlohmann::json rescan = nlohmann::json::array();
    for (const auto& flagged : catalog.flagged_pages(batch.id)) {
      rescan.push_back({{"dossier", flagged.dossier},
                        {"page", flagged.page.seq},
                        {"reason", rescan_reason(flagged.page.flags, flagged.page.ocr_confidence,
                                                 flagged.page.dpi)}});
    }
    batches.push_back({{"id", batch.id},
                       {"started_at", batch.started_at},
                       {"finished_at", batch.finished_at},
                       {"operator", batch.operator_name},
                       {"station", batch.station},
                       {"dossiers", batch.dossiers_archived},
                       {"dossiers_failed", batch.dossiers_failed},
                       {"dossiers_skipped", batch.dossiers_skipped},
                       {"pages", batch.pages_archived},
                       {"failed", batch.pages_failed},
                       {"flagged", batch.pages_flagged},
                       {"failures_by_reason", by_reason},
                       {"failures", failures},
                       {"rescan", rescan}});
  }
  return {{"batches", batches}};
}

nlohmann::json to_json(const std::vector<storage::EventRecord>& events) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& event : events) {
    rows.push_back({{"at", event.at},
                    {"actor", event.actor},
                    {"action", event.action},
                    {"dossier", event.dossier},
                    {"detail", event.detail}});
  }
  return {{"events", rows}};
}

}  // namespace sohoa::app
