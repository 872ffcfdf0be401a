// Design notes:
// - Order of publication (never lose, never duplicate): the PDF is written to "<path>.tmp",
//   fsynced and renamed (AtomicFile::commit), and only then is the dossier's catalog transaction
//   run. A crash before the rename leaves a .tmp; a crash between rename and catalog leaves an
//   unreferenced PDF. Both are removed by Archive::recover() at the start of the next run, which
//   then redoes the dossier: the catalog is the truth and never points at a partial file.
// - A dossier is known as archived by its pages' source hashes: re-running a batch skips a
//   dossier whose files hash the same, and refuses (without --replace) one whose files differ.
// - A replacement is written under a new name (<code>.rN.pdf) so the old file stays until the
//   catalog has switched to the new one; only then is the old file removed.
// - Dossiers with a failed page are not archived; their sources are left where they are (and
//   unreadable ones copied to quarantine/ with the reason), so fixing the file and re-running the
//   batch completes them.

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "jobs.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/core/hash.hpp"
#include "sohoa/ocr/haru_pdf_writer.hpp"
#include "sohoa/ocr/leptonica_reader.hpp"
#include "sohoa/ocr/tesseract_engine.hpp"
#include "sohoa/pipeline/batch.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/storage/atomic_file.hpp"

namespace sohoa::app {
namespace fs = std::filesystem;
namespace {

std::string year_of(const core::DossierMeta& meta, const core::Clock& clock) {
  if (meta.received_date.size() >= 4) {
    return meta.received_date.substr(0, 4);
  }
  return core::iso_date(clock.now()).substr(0, 4);
}

}  // namespace

std::string rescan_reason(std::uint32_t flags, double confidence, double dpi) {
  std::vector<std::string> reasons;
  if ((flags & core::flag_cut_off) != 0) {
    reasons.emplace_back("text runs off an edge of the scan: cut off, place the sheet fully");
  }
  if ((flags & core::flag_too_dark) != 0) {
    reasons.emplace_back("too dark: rescan lighter");
  }
  if ((flags & core::flag_too_light) != 0) {
    reasons.emplace_back("too light, faint ink: rescan darker");
  }
  if ((flags & core::flag_blurred) != 0) {
    reasons.emplace_back("blurred: rescan with the sheet flat on the glass");
  }
  if ((flags & core::flag_low_confidence) != 0) {
    reasons.emplace_back(fmt::format("low OCR confidence ({:.0f}%)", confidence));
  }
  if ((flags & core::flag_low_resolution) != 0) {
    reasons.emplace_back(
        fmt::format("scanned at {:.0f} dpi, below the 200 dpi minimum: rescan at 300 dpi", dpi));
  }
  if ((flags & core::flag_orientation_uncertain) != 0) {
    reasons.emplace_back("too little text to tell which way is up: kept as scanned, check it");
  }
  std::string out;
  for (const auto& reason : reasons) {
    out += (out.empty() ? "" : "; ") + reason;
  }
  return out;
}

namespace {

// Everything the sink needs, shared by the worker threads under one mutex.
class ArchivingSink final : public pipeline::DossierSink {
 public:
  ArchivingSink(storage::Archive& archive, const core::PdfWriter& writer, const IngestConfig& config,
                const core::Clock& clock, std::int64_t batch_id, IngestSummary& summary,
                IngestObserver* observer, std::string languages,
                const pipeline::RunnerConfig& runner_config)
      : m_archive(archive),
        m_writer(writer),
        m_config(config),
        m_clock(clock),
        m_batch_id(batch_id),
        m_summary(summary),
        m_observer(observer),
        m_languages(std::move(languages)),
        m_runner_config(runner_config) {}

  void on_dossier(const pipeline::DossierJob& job, std::vector<core::ProcessedPage> pages) override {
    {
      std::lock_guard lock(m_mutex);
      for (const auto& page : pages) {
        m_summary.seconds.decode += page.seconds.decode;
        m_summary.seconds.prepare += page.seconds.prepare;
        m_summary.seconds.ocr += page.seconds.ocr;
        m_summary.seconds.archive += page.seconds.archive;
      }
    }
    const bool failed = std::any_of(pages.begin(), pages.end(), [](const core::ProcessedPage& page) {
      return !core::is_archived(page.outcome);
    });
    if (failed) {
      record_failed(job, pages);
      return;
    }
    publish(job, pages);
  }

  // A problem found before any page was processed (manifest, empty folder, conflict):
  // `pages` is the dossier's page count, `newly_failed` those not yet counted as failed.
  void fail_dossier(const std::string& code, std::vector<IngestProblem> problems, int pages,
                    int newly_failed) {
    std::lock_guard lock(m_mutex);
    ++m_summary.dossiers_failed;
    m_summary.pages_failed += newly_failed;
    for (auto& problem : problems) {
      report(std::move(problem));
    }
    if (m_observer != nullptr) {
      m_observer->on_dossier(code, "failed", pages);
    }
  }

  void page_failed_early(const core::SourcePage& source, int seq, const std::string& code,
                         const core::PageError& error) {
    std::lock_guard lock(m_mutex);
    ++m_summary.pages_failed;
    quarantine(source.path, error);
    report({code, seq, source.path.string(), 0, std::string(core::to_string(error.outcome)),
            error.message});
  }

 private:
  void report(IngestProblem problem) {
    ++m_summary.failures_by_reason[problem.reason];
    if (m_observer != nullptr) {
      m_observer->on_problem(problem);
    }
    m_summary.failures.push_back(std::move(problem));
  }

  void quarantine(const fs::path& source, const core::PageError& error) {
    if (error.outcome == core::PageOutcome::io_error) {
      return;  // nothing readable to copy
    }
    if (m_quarantined.insert(source.string()).second) {
      m_archive.quarantine(m_batch_id, source, error.message);
    }
  }

  void record_failed(const pipeline::DossierJob& job, const std::vector<core::ProcessedPage>& pages) {
    std::lock_guard lock(m_mutex);
    ++m_summary.dossiers_failed;
    int failed_pages = 0;
    for (const auto& page : pages) {
      if (core::is_archived(page.outcome)) {
        continue;
      }
      ++failed_pages;
      quarantine(page.source.path, {page.outcome, page.error});
      report({job.meta.code, page.seq, page.source.path.string(), 0,
              std::string(core::to_string(page.outcome)), page.error});
    }
    m_summary.pages_failed += failed_pages;
    m_archive.catalog().add_event(core::iso_utc(m_clock.now()), actor(), "ingest-failed",
                                  job.meta.code,
                                  fmt::format("{} of {} pages failed; not archived", failed_pages,
                                              pages.size()));
    if (m_observer != nullptr) {
      m_observer->on_dossier(job.meta.code, "failed", static_cast<int>(pages.size()));
    }
  }

  void publish(const pipeline::DossierJob& job, const std::vector<core::ProcessedPage>& pages) {
    // --drop-blank: blank pages stay in the catalog (flag left-out) but not in the PDF, unless
    // every page is blank (a PDF needs a page).
    std::vector<core::ProcessedPage> kept;
    const auto is_blank = [](const core::ProcessedPage& page) {
      return page.outcome == core::PageOutcome::blank;
    };
    const bool leave_out = m_config.drop_blank && !std::all_of(pages.begin(), pages.end(), is_blank) &&
                           std::any_of(pages.begin(), pages.end(), is_blank);
    if (leave_out) {
      std::copy_if(pages.begin(), pages.end(), std::back_inserter(kept),
                   [&is_blank](const core::ProcessedPage& page) { return !is_blank(page); });
    }
    // Write the PDF outside the lock: it is the slow part and touches only its own file.
    core::PdfDossier pdf{job.meta, leave_out ? &kept : &pages, m_languages, "sohoa " + version(),
                         m_clock.now()};
    const std::string year = year_of(job.meta, m_clock);
    std::optional<storage::DossierRecord> existing;
    {
      std::lock_guard lock(m_mutex);
      existing = m_archive.catalog().find_dossier(job.meta.code);
    }
    std::string relative = storage::Archive::dossier_pdf_path(year, job.meta.unit, job.meta.code);
    for (int revision = 2; existing && existing->pdf_path == relative; ++revision) {
      relative = storage::Archive::dossier_pdf_path(year, job.meta.unit, job.meta.code, revision);
    }
    storage::AtomicFile file(m_archive.absolute(relative));
    if (auto written = m_writer.write(pdf, file.tmp_path()); !written) {
      throw core::Fatal("cannot write the PDF of dossier " + job.meta.code + " (" +
                        file.tmp_path().string() + "): " + written.error());
    }
    auto sha = core::sha256_file(file.tmp_path());
    if (!sha) {
      throw core::Fatal("cannot read back " + file.tmp_path().string() + ": " + sha.error());
    }
    const auto bytes = static_cast<std::int64_t>(fs::file_size(file.tmp_path()));
    file.commit();

    storage::DossierRecord record;
    record.meta = job.meta;
    record.page_count = static_cast<int>(pages.size());
    record.pdf_path = relative;
    record.pdf_sha256 = *sha;
    record.pdf_bytes = bytes;
    record.digitized_at = core::iso_utc(m_clock.now());
    record.batch_id = m_batch_id;
    for (const auto& page : pages) {
      storage::PageRecord row;
      row.seq = page.seq;
      row.source_path = page.source.path.string();
      row.source_index = page.source.index_in_file;
      row.source_sha256 = page.source.file_sha256;
      row.rotation_deg = page.rotation_deg;
      row.skew_deg = page.skew_deg;
      row.width = page.width;
      row.height = page.height;
      row.dpi = page.dpi;
      row.ocr_confidence = page.ocr.mean_confidence;
      row.outcome = page.outcome;
      row.flags = page.flags;
      if (leave_out && is_blank(page)) {
        row.flags |= core::flag_left_out;
      }
      row.text = page.ocr.text;
      record.pages.push_back(std::move(row));
    }

    std::lock_guard lock(m_mutex);
    const auto replaced = m_archive.catalog().put_dossier(record, m_config.replace);
    if (replaced && *replaced != relative) {
      std::error_code ignored;
      fs::remove(m_archive.absolute(*replaced), ignored);
    }
    m_archive.catalog().add_event(record.digitized_at, actor(), replaced ? "replace" : "ingest",
                                  job.meta.code,
                                  fmt::format("{} pages, {} bytes, sha256 {}", pages.size(), bytes,
                                              record.pdf_sha256));
    ++(replaced ? m_summary.dossiers_replaced : m_summary.dossiers_archived);
    m_summary.pages_archived += static_cast<int>(pages.size());
    for (const auto& page : pages) {
      if ((page.flags & core::flag_dpi_assumed) != 0) {
        ++m_summary.pages_dpi_assumed;
      }
      if (page.outcome == core::PageOutcome::blank) {
        ++m_summary.pages_blank;
        m_summary.pages_left_out += leave_out ? 1 : 0;
      }
      if ((page.flags & core::k_rescan_flags) != 0) {
        std::string reason = rescan_reason(page.flags, page.ocr.mean_confidence, page.dpi);
        m_summary.rescan.push_back({job.meta.code, page.seq, page.source.path.string(),
                                    core::describe_flags(page.flags), std::move(reason)});
      }
    }
    if (m_observer != nullptr) {
      m_observer->on_dossier(job.meta.code, replaced ? "replaced" : "archived",
                             static_cast<int>(pages.size()));
    }
  }

  std::string actor() const { return m_config.operator_name.empty() ? "sohoa" : m_config.operator_name; }

  storage::Archive& m_archive;
  const core::PdfWriter& m_writer;
  const IngestConfig& m_config;
  const core::Clock& m_clock;
  std::int64_t m_batch_id;
  IngestSummary& m_summary;
  IngestObserver* m_observer;
  std::string m_languages;
  const pipeline::RunnerConfig& m_runner_config;
  std::mutex m_mutex;
  std::set<std::string> m_quarantined;
};

bool same_pages(const storage::DossierRecord& existing, const std::vector<core::SourcePage>& pages) {
  if (existing.pages.size() != pages.size()) {
    return false;
  }
  for (std::size_t index = 0; index < pages.size(); ++index) {
    if (existing.pages[index].source_sha256 != pages[index].file_sha256 ||
        existing.pages[index].source_index != pages[index].index_in_file) {
      return false;
    }
  }
  return true;
}

}  // namespace

IngestSummary run_ingest(const IngestConfig& config, const core::Clock& clock,
                         IngestObserver* observer) {
  const auto started = std::chrono::steady_clock::now();
  if (config.jobs < 1) {
    throw core::UsageError("--jobs must be at least 1");
  }
  pipeline::Batch batch = pipeline::discover_batch(config.batch);
  storage::Archive archive = storage::Archive::open(config.archive);
  const auto lock = archive.lock_for_writing();

  // Check the engine and the writer before touching anything: a missing language is fatal.
  const ocr::TesseractEngineFactory engines(config.languages, config.tessdata,
                                            config.correct_vietnamese);
  const ocr::LeptonicaImageReader reader;
  const ocr::HaruPdfWriter writer;
  pipeline::RunnerConfig runner_config;
  runner_config.jobs = config.jobs;
  runner_config.jpeg_quality = config.jpeg_quality;

  IngestSummary summary;
  summary.batch_dir = batch.dir.string();
  summary.recovered = archive.recover();
  for (const auto& warning : batch.warnings) {
    summary.warnings.push_back({warning.dossier, 0, warning.file.string(), warning.line, "batch",
                                warning.message});
  }

  storage::BatchRecord batch_record;
  batch_record.started_at = core::iso_utc(clock.now());
  batch_record.operator_name = config.operator_name;
  batch_record.station = config.station;
  batch_record.source_dir = batch.dir.string();
  batch_record.id = archive.catalog().begin_batch(batch_record);
  summary.batch_id = batch_record.id;

  ArchivingSink sink(archive, writer, config, clock, batch_record.id, summary, observer,
                     engines.languages(), runner_config);

  // Plan: hash every source, count its pages, decide what to do with each dossier.
  std::vector<pipeline::DossierJob> jobs;
  summary.dossiers_total = static_cast<int>(batch.dossiers.size());
  for (const auto& dossier : batch.dossiers) {
    const std::string& code = dossier.meta.code;
    if (!dossier.problems.empty()) {
      std::vector<IngestProblem> problems;
      for (const auto& problem : dossier.problems) {
        const bool manifest = problem.line > 0 || problem.file.filename() == "manifest.csv";
        problems.push_back({code, 0, problem.file.string(), problem.line,
                            manifest ? "manifest" : "empty", problem.message});
      }
      const auto files = static_cast<int>(dossier.files.size());
      sink.fail_dossier(code, std::move(problems), files, files);
      continue;
    }
    pipeline::DossierJob job;
    job.meta = dossier.meta;
    bool readable = true;
    for (const auto& file : dossier.files) {
      core::SourcePage source;
      source.path = file;
      const int seq = static_cast<int>(job.pages.size()) + 1;
      auto sha = core::sha256_file(file);
      if (!sha) {
        sink.page_failed_early(source, seq, code, {core::PageOutcome::io_error, sha.error()});
        readable = false;
        continue;
      }
      source.file_sha256 = *sha;
      auto count = reader.count_pages(file);
      if (!count) {
        sink.page_failed_early(source, seq, code, count.error());
        job.pages.push_back(source);  // counts as one failed page
        readable = false;
        continue;
      }
      for (int index = 0; index < *count; ++index) {
        source.index_in_file = index;
        job.pages.push_back(source);
      }
    }
    summary.pages_total += static_cast<int>(job.pages.size());
    if (!readable) {
      sink.fail_dossier(code, {}, static_cast<int>(job.pages.size()), 0);  // pages counted above
      continue;
    }
    if (auto existing = archive.catalog().find_dossier(code)) {
      if (same_pages(*existing, job.pages)) {
        ++summary.dossiers_skipped;
        if (observer != nullptr) {
          observer->on_dossier(code, "already archived", static_cast<int>(job.pages.size()));
        }
        continue;
      }
      if (!config.replace) {
        sink.fail_dossier(code,
                          {{code, 0, dossier.dir.string(), 0, "conflict",
                            "dossier " + code + " is already archived with different pages (" +
                                existing->pdf_path +
                                "); run again with --replace to replace it"}},
                          static_cast<int>(job.pages.size()), 0);
        continue;
      }
    }
    jobs.push_back(std::move(job));
  }

  int pages_to_process = 0;
  for (const auto& job : jobs) {
    pages_to_process += static_cast<int>(job.pages.size());
  }
  if (observer != nullptr) {
    observer->on_start(static_cast<int>(jobs.size()), pages_to_process);
  }
  if (!jobs.empty()) {
    const pipeline::Runner runner(runner_config, reader, engines);
    runner.run(jobs, sink, [observer](const pipeline::Progress& progress) {
      if (observer != nullptr) {
        observer->on_progress(progress);
      }
    });
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  summary.elapsed_seconds = seconds;
  summary.pages_per_minute = seconds > 0 ? summary.pages_archived * 60.0 / seconds : 0.0;
  batch_record.finished_at = core::iso_utc(clock.now());
  batch_record.dossiers_archived = summary.dossiers_archived + summary.dossiers_replaced;
  batch_record.dossiers_failed = summary.dossiers_failed;
  batch_record.dossiers_skipped = summary.dossiers_skipped;
  batch_record.pages_archived = summary.pages_archived;
  batch_record.pages_failed = summary.pages_failed;
  batch_record.pages_flagged = static_cast<int>(summary.rescan.size());
  std::vector<storage::BatchFailure> failures;
  for (const auto& problem : summary.failures) {
    failures.push_back({problem.dossier, problem.page, problem.reason, problem.message});
  }
  archive.catalog().add_batch_failures(batch_record.id, failures);
  archive.catalog().finish_batch(batch_record);
  return summary;
}

int exit_code(const IngestSummary& summary) {
  return summary.dossiers_failed > 0 ? exit_failures : exit_ok;
}

nlohmann::json to_json(const IngestSummary& summary) {
  auto problems = [](const std::vector<IngestProblem>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& problem : list) {
      out.push_back({{"dossier", problem.dossier},
                     {"page", problem.page},
                     {"file", problem.file},
                     {"line", problem.line},
                     {"reason", problem.reason},
                     {"message", problem.message}});
    }
    return out;
  };
  nlohmann::json rescan = nlohmann::json::array();
  for (const auto& page : summary.rescan) {
    rescan.push_back({{"dossier", page.dossier},
                      {"page", page.page},
                      {"file", page.file},
                      {"flags", page.flags},
                      {"reason", page.reason}});
  }
  return {{"batch", summary.batch_id},
          {"batch_dir", summary.batch_dir},
          {"dossiers",
           {{"total", summary.dossiers_total},
            {"archived", summary.dossiers_archived},
            {"replaced", summary.dossiers_replaced},
            {"already_archived", summary.dossiers_skipped},
            {"failed", summary.dossiers_failed}}},
          {"pages",
           {{"total", summary.pages_total},
            {"archived", summary.pages_archived},
            {"failed", summary.pages_failed},
            {"flagged", summary.rescan.size()},
            {"dpi_assumed", summary.pages_dpi_assumed},
            {"blank", summary.pages_blank},
            {"left_out", summary.pages_left_out}}},
          {"failures_by_reason", summary.failures_by_reason},
          {"failures", problems(summary.failures)},
          {"rescan", rescan},
          {"warnings", problems(summary.warnings)},
          {"recovered", summary.recovered},
          {"elapsed_seconds", summary.elapsed_seconds},
          {"pages_per_minute", summary.pages_per_minute},
          {"stage_seconds",
           {{"decode", summary.seconds.decode},
            {"prepare", summary.seconds.prepare},
            {"ocr", summary.seconds.ocr},
            {"archive_image", summary.seconds.archive},
            {"prepare_per_ocr",
             summary.seconds.ocr > 0.0 ? summary.seconds.prepare / summary.seconds.ocr : 0.0}}}};
}

}  // namespace sohoa::app
