#pragma once
// How an ingest looks on the operator's screen: a live progress line on a terminal (pages done of
// total, pages/min, ETA), plain lines otherwise; each problem as one line when it happens.

#include <chrono>
#include <mutex>
#include <ostream>

#include "jobs.hpp"

namespace sohoa::app {

class ConsoleObserver final : public IngestObserver {
 public:
  // `out` receives problem and dossier lines; `live` chooses the rewritten progress line.
  ConsoleObserver(std::ostream& out, bool live, bool quiet);
  void on_start(int dossiers, int pages) override;
  void on_progress(const pipeline::Progress& progress) override;
  void on_dossier(const std::string& code, const std::string& status, int pages) override;
  void on_problem(const IngestProblem& problem) override;
  void finish();  // ends the live line

 private:
  void clear_live_line();
  std::ostream& m_out;
  bool m_live;
  bool m_quiet;
  bool m_line_open = false;
  pipeline::Progress m_last;
  std::mutex m_mutex;
};

// "1m 12s", "8s", "2h 03m"
std::string format_duration(double seconds);
// The end-of-batch summary for a person.
void print_summary(std::ostream& out, const IngestSummary& summary);

}  // namespace sohoa::app
