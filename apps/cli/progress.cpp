#include "progress.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace sohoa::app {
namespace {

// "batch/A/3.jpg" or "batch/manifest.csv line 4"
std::string where(const IngestProblem& problem) {
  return problem.line > 0 ? fmt::format("{} line {}", problem.file, problem.line) : problem.file;
}

}  // namespace

std::string format_duration(double seconds) {
  const auto total = static_cast<long>(std::lround(std::max(0.0, seconds)));
  if (total < 60) {
    return fmt::format("{}s", total);
  }
  if (total < 3600) {
    return fmt::format("{}m {:02}s", total / 60, total % 60);
  }
  return fmt::format("{}h {:02}m", total / 3600, (total % 3600) / 60);
}

ConsoleObserver::ConsoleObserver(std::ostream& out, bool live, bool quiet)
    : m_out(out), m_live(live), m_quiet(quiet) {}

void ConsoleObserver::clear_live_line() {
  if (m_line_open) {
    m_out << "\r\033[K";
    m_line_open = false;
  }
}

void ConsoleObserver::on_start(int dossiers, int pages) {
  std::lock_guard lock(m_mutex);
  if (!m_quiet) {
    fmt::print(m_out, "Processing {} pages in {} dossiers\n", pages, dossiers);
    m_out.flush();
  }
}

void ConsoleObserver::on_progress(const pipeline::Progress& progress) {
  std::lock_guard lock(m_mutex);
  m_last = progress;
  if (m_quiet || !m_live) {
    return;
  }
  const double minutes = std::chrono::duration<double>(progress.elapsed).count() / 60.0;
  const double rate = minutes > 0 ? progress.pages_done / minutes : 0.0;
  const int left = progress.pages_total - progress.pages_done;
  const std::string eta = rate > 0 ? format_duration(left / rate * 60.0) : "?";
  m_out << "\r\033[K"
        << fmt::format("[{}/{} pages] {}/{} dossiers  {:.1f} pages/min  ETA {}", progress.pages_done,
                       progress.pages_total, progress.dossiers_done, progress.dossiers_total, rate,
                       eta);
  m_out.flush();
  m_line_open = true;
}

void ConsoleObserver::on_dossier(const std::string& code, const std::string& status, int pages) {
  std::lock_guard lock(m_mutex);
  if (m_quiet) {
    return;
  }
  clear_live_line();
  const int done = m_last.pages_done;
  if (m_live || m_last.pages_total == 0) {  // found before any page was processed
    fmt::print(m_out, "{:<28} {} ({} pages)\n", code, status, pages);
  } else {
    fmt::print(m_out, "{:<28} {} ({} pages; {}/{} pages done)\n", code, status, pages, done,
               m_last.pages_total);
  }
  m_out.flush();
}

void ConsoleObserver::on_problem(const IngestProblem& problem) {
  std::lock_guard lock(m_mutex);
  clear_live_line();
  fmt::print(m_out, "error: {}: {}\n", where(problem), problem.message);
  m_out.flush();
}

void ConsoleObserver::finish() {
  std::lock_guard lock(m_mutex);
  clear_live_line();
  m_out.flush();
}

void print_summary(std::ostream& out, const IngestSummary& summary) {
  fmt::print(out, "\nBatch {} finished in {}: {} pages archived, {:.1f} pages/min\n",
             summary.batch_id, format_duration(summary.elapsed_seconds), summary.pages_archived,
             summary.pages_per_minute);
  fmt::print(out, "  dossiers: {} archived, {} replaced, {} already archived, {} failed (of {})\n",
             summary.dossiers_archived, summary.dossiers_replaced, summary.dossiers_skipped,
             summary.dossiers_failed, summary.dossiers_total);
  fmt::print(out, "  pages:    {} archived, {} failed, {} to rescan\n", summary.pages_archived,
             summary.pages_failed, summary.rescan.size());
  if (!summary.failures_by_reason.empty()) {
    std::string reasons;
    for (const auto& [reason, count] : summary.failures_by_reason) {
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", count, reason);
    }
    fmt::print(out, "  failures by reason: {}\n", reasons);
  }
  if (!summary.failures.empty()) {
    fmt::print(out, "\nNot archived (fix the file and run the batch again):\n");
    for (const auto& failure : summary.failures) {
      fmt::print(out, "  {}  {}: {}\n", failure.dossier, where(failure), failure.message);
    }
  }
  if (!summary.rescan.empty()) {
    fmt::print(out, "\nPages to rescan:\n");
    for (const auto& page : summary.rescan) {
      fmt::print(out, "  {} page {} ({}): {}\n", page.dossier, page.page, page.file, page.reason);
    }
  }
  if (summary.pages_blank > 0) {
    fmt::print(out, "\nBlank pages: {}{}\n", summary.pages_blank,
               summary.pages_left_out > 0
                   ? fmt::format(", {} left out of the PDFs (--drop-blank; recorded in the catalog)",
                                 summary.pages_left_out)
                   : std::string());
  }
  if (summary.pages_dpi_assumed > 0) {
    fmt::print(out, "\nNote: {} page(s) carried no resolution in the file; 300 dpi was assumed.\n",
               summary.pages_dpi_assumed);
  }
  if (!summary.warnings.empty()) {
    fmt::print(out, "\nWarnings:\n");
    for (const auto& warning : summary.warnings) {
      fmt::print(out, "  {}: {}\n", where(warning), warning.message);
    }
  }
  if (!summary.recovered.empty()) {
    fmt::print(out, "\nRemoved {} leftover file(s) of an interrupted run.\n", summary.recovered.size());
  }
}

}  // namespace sohoa::app
