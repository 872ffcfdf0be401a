#pragma once
// The jobs behind the commands. Each takes a plain config struct and returns plain results; the
// CLI (cli.cpp) parses argv into the config and prints the result, tests call the jobs directly.
//
// Exit codes (documented in the README and `sohoa --help`):
//   0  everything done
//   2  could not run: bad arguments, no archive, unreadable batch folder, missing language data
//   3  finished, but something failed: pages or dossiers not archived, fixity mismatches

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sohoa/core/clock.hpp"
#include "sohoa/core/types.hpp"
#include "sohoa/pipeline/runner.hpp"
#include "sohoa/storage/catalog.hpp"
#include "sohoa/storage/fixity.hpp"

namespace sohoa::app {

enum ExitCode : int { exit_ok = 0, exit_error = 2, exit_failures = 3 };

std::string version();  // "0.1.0"

// --- ingest ------------------------------------------------------------------------------------

struct IngestConfig {
  std::filesystem::path archive;
  std::filesystem::path batch;
  int jobs = 2;
  std::string languages = "vie+eng";
  std::string operator_name;
  std::string station;
  bool replace = false;
  int jpeg_quality = 85;
  std::filesystem::path tessdata;  // empty: Tesseract's default
  bool drop_blank = false;           // leave blank pages out of the PDF (still recorded)
  bool correct_vietnamese = true;    // VietnameseCorrector on the OCR words (--no-correct: off)
};

// Why a page with these flags should be rescanned, for a person ("" when it need not be).
std::string rescan_reason(std::uint32_t flags, double confidence, double dpi);

// A dossier or page that was not archived, or a problem with the batch, for a person.
struct IngestProblem {
  std::string dossier;
  int page = 0;         // 0: the whole dossier
  std::string file;     // the file at fault (source image or manifest)
  int line = 0;         // manifest line, 0 when none
  std::string reason;   // closed set: a PageOutcome name, "manifest", "empty", "conflict", ...
  std::string message;
};

struct FlaggedPage {
  std::string dossier;
  int page = 0;
  std::string file;
  std::string flags;    // "low-confidence,dpi-assumed"
  std::string reason;   // for a person
};

struct IngestSummary {
  std::int64_t batch_id = 0;
  std::string batch_dir;
  int dossiers_total = 0;
  int dossiers_archived = 0;
  int dossiers_replaced = 0;
  int dossiers_skipped = 0;  // already archived with the same pages
  int dossiers_failed = 0;
  int pages_total = 0;
  int pages_archived = 0;
  int pages_failed = 0;
  int pages_dpi_assumed = 0;
  int pages_blank = 0;       // archived blank (flag blank)
  int pages_left_out = 0;    // of those, left out of the PDF (--drop-blank)
  std::map<std::string, int> failures_by_reason;
  std::vector<IngestProblem> failures;
  std::vector<FlaggedPage> rescan;      // archived, but should be rescanned
  std::vector<IngestProblem> warnings;  // did not stop anything
  std::vector<std::string> recovered;   // leftovers of an interrupted run, removed at start
  double elapsed_seconds = 0.0;
  double pages_per_minute = 0.0;
  core::ProcessedPage::Seconds seconds;  // summed over the pages processed (worker time)
};

// Live events while a batch runs. Called from worker threads, serialised by the job.
class IngestObserver {
 public:
  virtual ~IngestObserver() = default;
  virtual void on_start(int /*dossiers*/, int /*pages*/) {}
  virtual void on_progress(const pipeline::Progress& /*progress*/) {}
  virtual void on_dossier(const std::string& /*code*/, const std::string& /*status*/, int /*pages*/) {}
  virtual void on_problem(const IngestProblem& /*problem*/) {}
};

// Runs a batch into the archive. Throws core::Fatal / core::UsageError when it cannot run at all.
IngestSummary run_ingest(const IngestConfig& config, const core::Clock& clock,
                         IngestObserver* observer = nullptr);
int exit_code(const IngestSummary& summary);
nlohmann::json to_json(const IngestSummary& summary);

// --- the other commands ------------------------------------------------------------------------

// Creates the archive (idempotent). Returns its absolute root.
std::filesystem::path run_init(const std::filesystem::path& archive);

storage::SearchResult run_search(const std::filesystem::path& archive, const storage::SearchQuery& query);
nlohmann::json to_json(const storage::SearchResult& result, const std::filesystem::path& archive);

// Throws core::UsageError when no dossier has `code`.
storage::DossierRecord run_show(const std::filesystem::path& archive, const std::string& code);
nlohmann::json to_json(const storage::DossierRecord& dossier, const std::filesystem::path& archive);

// The OCR text of `code`, one entry per archived page (page 0 = all). Throws core::UsageError for
// an unknown code or page.
std::vector<std::pair<int, std::string>> run_text(const std::filesystem::path& archive,
                                                  const std::string& code, int page);

storage::FixityReport run_verify(const std::filesystem::path& archive,
                                 const std::function<void(int, int)>& progress = {});
nlohmann::json to_json(const storage::FixityReport& report);

storage::ArchiveSummary run_summary(const std::filesystem::path& archive);
nlohmann::json to_json(const storage::ArchiveSummary& summary);

// The newest `limit` batches of `catalog`, each with its failures by reason and its pages to
// rescan: {"batches": [{"id", "started_at", "finished_at", "operator", "station", "dossiers",
// "dossiers_failed", "dossiers_skipped", "pages", "failed", "flagged", "failures_by_reason",
// "failures": [{"dossier", "page", "reason", "message"}], "rescan": [{"dossier", "page",
// "reason"}]}]} (docs/web-api.md).
nlohmann::json batches_json(const storage::Catalog& catalog, int limit);

// {"events": [{"at", "actor", "action", "dossier", "detail"}]}, in the order given.
nlohmann::json to_json(const std::vector<storage::EventRecord>& events);

}  // namespace sohoa::app
