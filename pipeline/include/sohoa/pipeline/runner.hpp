#pragma once
// The Runner: a pool of worker threads, each with its own OCR engine, that processes the pages of
// many dossiers in parallel and hands each dossier to a sink as soon as all its pages are done.
// It sees only core's contracts: the reader, the engine factory and the sink are injected.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "sohoa/core/contracts.hpp"
#include "sohoa/pipeline/imaging.hpp"

namespace sohoa::pipeline {

struct RunnerConfig {
  int jobs = 2;                     // worker threads, each with one engine
  int jpeg_quality = 85;            // archive image quality for grey and colour pages
  double max_skew_deg = 15.0;       // deskew searches within ±this
  double low_confidence = 60.0;     // mean word confidence below this flags the page for rescan
  double upright_confidence = 75.0; // an OCR pass at least this confident proves the page upright
  double low_resolution_dpi = 200.0;
};

// The work for one dossier: its pages, in order.
struct DossierJob {
  core::DossierMeta meta;
  std::vector<core::SourcePage> pages;
};

// Receives a finished dossier with one ProcessedPage per input page (same order). Called from a
// worker thread, once per dossier, possibly for two dossiers at once: implementations must be
// thread-safe. An exception thrown here stops the run and is rethrown by Runner::run.
class DossierSink {
 public:
  virtual ~DossierSink() = default;
  virtual void on_dossier(const DossierJob& job, std::vector<core::ProcessedPage> pages) = 0;
};

struct Progress {
  int pages_done = 0;
  int pages_total = 0;
  int dossiers_done = 0;
  int dossiers_total = 0;
  std::chrono::steady_clock::duration elapsed{};
};

class Runner {
 public:
  // `reader` and `engines` must outlive the Runner.
  Runner(RunnerConfig config, const core::ImageReader& reader, const core::OcrEngineFactory& engines);

  // Processes every page of `jobs` on `config.jobs` threads and calls `sink` per dossier.
  // `progress` (optional) is called after each page, serialised. Rethrows the first core::Fatal
  // (or other exception) from an engine or the sink after stopping the workers; pages not yet
  // started are then not processed.
  void run(const std::vector<DossierJob>& jobs, DossierSink& sink,
           const std::function<void(const Progress&)>& progress = {}) const;

  // The per-page flow on the calling thread's `engine`: decode, orientation, deskew, blank check,
  // OCR, archive image. Failures are values in the returned page (outcome, error). The page's
  // `seconds` say where its time went.
  core::ProcessedPage process_page(const core::SourcePage& source, int seq,
                                   core::OcrEngine& engine) const;

 private:
  core::ProcessedPage process_page_timed(const core::SourcePage& source, int seq,
                                         core::OcrEngine& engine, double& decode_seconds) const;
  static constexpr int k_min_words_to_trust = 5;
  static constexpr int k_cut_off_marks = 3;             // character-sized marks on an edge
  static constexpr double k_dark_paper = 120.0;         // paper median below this: too dark
  static constexpr double k_faint_contrast = 70.0;      // paper - ink below this: too light
  static constexpr double k_blurred_sharpness = 0.35;   // see ScanQuality::sharpness
  // Sets the low-confidence flag and the reasons the scan is poor (too dark, too light, blurred,
  // cut off) from the OCR confidence and `quality`, measured on `ink` (map_ink of the scan
  // `scan_grey`, whose sharpness is measured here, only for a page of low confidence).
  void diagnose(const InkMap& ink, const cv::Mat& scan_grey, double dpi, ScanQuality quality,
                core::ProcessedPage& page) const;
  // OCR of the upright, deskewed `grey` (resampled to ~300 dpi); boxes in `grey` pixels.
  core::PageResult<core::OcrPage> recognize(const cv::Mat& grey, double dpi,
                                            core::OcrEngine& engine) const;
  // Settles which way is up (turning `grey` and adding to `quarter`, flagging an uncertain page)
  // and returns the OCR of the upright page.
  core::PageResult<core::OcrPage> orient_and_recognize(cv::Mat& grey, double dpi, int& quarter,
                                                       std::uint32_t& flags,
                                                       core::OcrEngine& engine) const;

  RunnerConfig m_config;
  const core::ImageReader& m_reader;
  const core::OcrEngineFactory& m_engines;
};

}  // namespace sohoa::pipeline
