// Design notes:
// - Work is a flat list of pages ordered dossier by dossier; workers take the next page from an
//   atomic cursor. Because pages are taken in order, at most about `jobs` dossiers are in flight,
//   so memory (the encoded archive images waiting for their dossier's PDF) is bounded by the
//   number of workers, not by the size of the batch.
// - Each worker creates its own engine on its own thread (Tesseract's API is not thread-safe), so
//   an engine that cannot start (missing language data) fails the run with its Fatal message.
// - Orientation: text lines are found first by the projection-profile skew estimate, which also
//   says whether they run vertically (a quarter turn); then Tesseract's OSD tells 90 from 270.
//   When lines run across, the page is OCRed as it is first: a confident pass (mean word
//   confidence >= upright_confidence) proves it upright, and OSD (~0.45 s of CPU a page, a third
//   of the OCR's cost) runs only for the others; a 180° turn is kept only if the second pass is
//   more confident than the first. When OSD is not reliable the page keeps the orientation it was
//   scanned in and is flagged: a page is never turned at random.
// - Quarter turns commute with the deskew rotation, so the archive image is turned once and
//   rotated once, at full resolution, from the scan.

#include "sohoa/pipeline/runner.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>

#include "sohoa/core/jpeg_storage.hpp"
#include "sohoa/pipeline/cleanup.hpp"
#include "sohoa/pipeline/imaging.hpp"

namespace sohoa::pipeline {
namespace {

core::ProcessedPage failed_page(const core::SourcePage& source, int seq, const core::PageError& error) {
  core::ProcessedPage page;
  page.seq = seq;
  page.source = source;
  page.outcome = error.outcome;
  page.error = error.message;
  return page;
}

// Grey for analysis and OCR. On colour pages each pixel takes its brightest channel: black print
// stays dark while coloured ink (red seals, blue signatures) turns lighter and hides less of the
// text under it. Measured on the sample batch (pdftotext vs truth): batch CER 2.43% with
// luminance grey, 2.08% with this; the two red-seal pages went from 8.6% and 13.0% to 0.9% and
// 7.3%, while one page with a dark-blue signature went from 4.3% to 6.4%.
cv::Mat ink_grey(const cv::Mat& pixels) {
  if (pixels.channels() != 3) {
    return to_grey(pixels);
  }
  // One pass into one buffer: splitting into three planes first cost four page-sized
  // allocations and their page faults (~90 ms on an A4 colour page, more than the skew search).
  cv::Mat brightest(pixels.size(), CV_8UC1);
  for (int row = 0; row < pixels.rows; ++row) {
    const std::uint8_t* in = pixels.ptr<std::uint8_t>(row);
    std::uint8_t* out = brightest.ptr<std::uint8_t>(row);
    for (int col = 0; col < pixels.cols; ++col, in += 3) {
      out[col] = std::max(in[0], std::max(in[1], in[2]));
    }
  }
  return brightest;
}

// The bytes of the file at `path` when it starts like a JPEG (FF D8) or a PNG (89 'P'); empty
// otherwise or unreadable: the scans whose own data may be archived as it is.
std::vector<std::uint8_t> scan_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 2> start{};
  if (!in.read(start.data(), start.size())) {
    return {};
  }
  const auto first = static_cast<unsigned char>(start[0]);
  const auto second = static_cast<unsigned char>(start[1]);
  if (!(first == 0xFF && second == 0xD8) && !(first == 0x89 && second == 'P')) {
    return {};
  }
  in.seekg(0);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void scale_boxes(core::OcrPage& ocr, double scale) {
  if (scale == 1.0) {
    return;
  }
  auto to_archive = [scale](int value) { return static_cast<int>(value / scale + 0.5); };
  for (auto& word : ocr.words) {
    word.box.x = to_archive(word.box.x);
    word.box.y = to_archive(word.box.y);
    word.box.width = to_archive(word.box.width);
    word.box.height = to_archive(word.box.height);
    word.baseline = to_archive(word.baseline);
  }
}

// Forwards to an engine and adds the wall time of each call to `seconds`.
class TimedEngine final : public core::OcrEngine {
 public:
  TimedEngine(core::OcrEngine& inner, double& seconds) : m_inner(inner), m_seconds(seconds) {}
  core::OrientationGuess detect_orientation(const cv::Mat& grey, double dpi) override {
    const auto started = std::chrono::steady_clock::now();
    auto guess = m_inner.detect_orientation(grey, dpi);
    m_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return guess;
  }
  core::PageResult<core::OcrPage> recognize(const cv::Mat& image, double dpi) override {
    const auto started = std::chrono::steady_clock::now();
    auto page = m_inner.recognize(image, dpi);
    m_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return page;
  }

 private:
  core::OcrEngine& m_inner;
  double& m_seconds;
};

}  // namespace

Runner::Runner(RunnerConfig config, const core::ImageReader& reader,
               const core::OcrEngineFactory& engines)
    : m_config(config), m_reader(reader), m_engines(engines) {}

core::PageResult<core::OcrPage> Runner::recognize(const cv::Mat& grey, double dpi,
                                                  core::OcrEngine& engine) const {
  double scale = 1.0;
  const cv::Mat ocr_image = make_ocr_image(grey, dpi, scale);
  auto ocr = engine.recognize(ocr_image, dpi * scale);
  if (ocr) {
    scale_boxes(*ocr, scale);
  }
  return ocr;
}

void Runner::diagnose(const InkMap& ink, const cv::Mat& scan_grey, double dpi,
                      ScanQuality quality, core::ProcessedPage& page) const {
  if (quality.has_ink && quality.edge_marks >= k_cut_off_marks) {
    page.flags |= core::flag_cut_off;
  }
  if (page.ocr.mean_confidence >= m_config.low_confidence) {
    return;
  }
  page.outcome = core::PageOutcome::low_confidence;
  page.flags |= core::flag_low_confidence;
  // Why the OCR was unsure, when the image says so.
  if (!quality.has_ink) {
    return;
  }
  quality.sharpness = assess_scan(ink, scan_grey, dpi).sharpness;
  if (quality.paper < k_dark_paper) {
    page.flags |= core::flag_too_dark;
  } else if (quality.paper - quality.ink < k_faint_contrast) {
    page.flags |= core::flag_too_light;
  }
  if (quality.sharpness < k_blurred_sharpness) {
    page.flags |= core::flag_blurred;
  }
}

core::PageResult<core::OcrPage> Runner::orient_and_recognize(cv::Mat& grey, double dpi, int& quarter,
                                                             std::uint32_t& flags,
                                                             core::OcrEngine& engine) const {
  if (quarter != 0) {
    // Lines run vertically: only orientation detection can tell 90 from 270.
    const core::OrientationGuess guess = engine.detect_orientation(grey, dpi);
    if (guess.reliable) {
      grey = rotate_quarter(grey, guess.rotation_deg);
      quarter = (quarter + guess.rotation_deg) % 360;
    } else {
      flags |= core::flag_orientation_uncertain;
      grey = rotate_quarter(grey, 360 - quarter);
      quarter = 0;
    }
    return recognize(grey, dpi, engine);
  }
  // Lines run across: most pages are upright, and a confident OCR pass proves it.
  auto first = recognize(grey, dpi, engine);
  const bool upright = first && static_cast<int>(first->words.size()) >= k_min_words_to_trust &&
                       first->mean_confidence >= m_config.upright_confidence;
  if (upright) {
    return first;
  }
  const core::OrientationGuess guess = engine.detect_orientation(grey, dpi);
  if (!guess.reliable) {
    if (first && !first->words.empty()) {
      flags |= core::flag_orientation_uncertain;
    }
    return first;
  }
  if (guess.rotation_deg == 0) {
    return first;
  }
  cv::Mat turned = rotate_quarter(grey, guess.rotation_deg);
  auto second = recognize(turned, dpi, engine);
  if (second && (!first || second->mean_confidence > first->mean_confidence)) {
    grey = std::move(turned);
    quarter = guess.rotation_deg;
    return second;
  }
  return first;
}

core::ProcessedPage Runner::process_page(const core::SourcePage& source, int seq,
                                         core::OcrEngine& engine) const {
  const auto started = std::chrono::steady_clock::now();
  double ocr_seconds = 0.0;
  double decode_seconds = 0.0;
  TimedEngine timed(engine, ocr_seconds);
  auto page = process_page_timed(source, seq, timed, decode_seconds);
  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  page.seconds.decode = decode_seconds;
  page.seconds.ocr = ocr_seconds;
  page.seconds.prepare = std::max(0.0, total - decode_seconds - ocr_seconds - page.seconds.archive);
  return page;
}

core::ProcessedPage Runner::process_page_timed(const core::SourcePage& source, int seq,
                                               core::OcrEngine& engine, double& decode_seconds) const {
  const auto decode_started = std::chrono::steady_clock::now();
  auto decoded = m_reader.read_page(source.path, source.index_in_file);
  decode_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - decode_started).count();
  if (!decoded) {
    return failed_page(source, seq, decoded.error());
  }
  core::PageImage& image = *decoded;
  core::ProcessedPage page;
  page.seq = seq;
  page.source = source;
  page.kind = image.kind;
  page.dpi = image.dpi;
  if (image.dpi_assumed) {
    page.flags |= core::flag_dpi_assumed;
  }
  if (image.dpi < m_config.low_resolution_dpi) {
    page.flags |= core::flag_low_resolution;
  }

  // As scanned: the archive image of a grey page, and what the rescan diagnosis measures.
  const cv::Mat scan_grey = ink_grey(image.pixels);
  // Text-line direction and skew, on grey.
  cv::Mat grey = scan_grey;
  int quarter = 0;
  // The scan's ink at ~150 dpi, read by the skew estimate and by the scan's diagnosis.
  const InkMap ink = map_ink(scan_grey, image.dpi);
  const SkewEstimate skew = estimate_skew(ink, m_config.max_skew_deg);
  if (skew.found && skew.lines_vertical) {
    // The skew after a quarter turn is the angle measured from the vertical (estimate_skew).
    quarter = 90;
    grey = rotate_quarter(grey, quarter);
  }
  // Rounded to 0.01°, the precision the catalog shows (and no "-0.00°").
  const double skew_deg = skew.found ? std::round(skew.angle_deg * 100.0) / 100.0 + 0.0 : 0.0;
  const core::ColourKind grey_kind =
      image.kind == core::ColourKind::bilevel ? core::ColourKind::bilevel : core::ColourKind::grey;
  grey = deskew(grey, skew_deg, grey_kind);

  page.skew_deg = skew_deg;

  // Sharpness costs most of the measurement and only explains a low confidence: measured then.
  const ScanQuality quality = assess_scan(ink, scan_grey, image.dpi, /*with_sharpness=*/false);
  // A page that looks blank but still holds faint marks (pale ink, a weak copy) is OCRed: only
  // an OCR that finds no word makes it blank, so --drop-blank never drops faint text.
  if (!quality.has_ink && is_blank(grey, image.dpi)) {
    page.outcome = core::PageOutcome::blank;
    page.flags |= core::flag_blank;
    if (quarter != 0) {  // no text to tell the way up by: keep the scan's orientation
      grey = rotate_quarter(grey, 360 - quarter);
      quarter = 0;
    }
  } else {
    auto pass = orient_and_recognize(grey, image.dpi, quarter, page.flags, engine);
    if (!pass) {
      return failed_page(source, seq, pass.error());
    }
    page.ocr = std::move(*pass);
    if (page.ocr.words.empty() && skew.found) {
      // Lines of marks the OCR cannot read (too faint, too blurred): a page to rescan, not blank.
      diagnose(ink, scan_grey, image.dpi, quality, page);
    } else if (page.ocr.words.empty()) {
      page.outcome = core::PageOutcome::blank;
      page.flags |= core::flag_blank;
      page.flags &= ~static_cast<std::uint32_t>(core::flag_orientation_uncertain);
    } else {
      diagnose(ink, scan_grey, image.dpi, quality, page);
    }
  }
  page.rotation_deg = quarter;

  // The page is `grey`'s size: the scan turned once and deskewed once. The archive image is the
  // scan itself, which the PDF turns into place (archive_turn_deg): a JPEG scan keeps its DCT data
  // (no second lossy encoding, and no resampling for any scan; smaller, and the scanner's
  // quality), others are encoded from the pixels as decoded (colour, or the grey OCR looked at).
  page.width = grey.cols;
  page.height = grey.rows;
  const auto archive_started = std::chrono::steady_clock::now();
  const auto archive_seconds = [&archive_started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - archive_started).count();
  };
  page.archive_turn_deg = quarter + applied_deskew_deg(skew_deg);
  // Scanner borders and punched holes, clipped off the archive image by the PDF (the scan's bytes
  // stay as they are). The OCR saw them: painted over with paper, the one corpus page with a
  // scanner band (real_tess/unlv_8071_093) came back from Tesseract with its last lines read
  // before the columns, CER 4.7 % -> 8.0 %.
  const core::ScanCleanup cleanup = find_scan_cleanup(scan_grey, image.pixels, image.dpi);
  const cv::Mat& archive = image.kind == core::ColourKind::colour ? image.pixels : scan_grey;
  page.archive_cleanup = cleanup;
  if (!cleanup.empty()) {
    page.archive_fill = cleanup.paper_rgb;
  } else if (page.archive_turn_deg != 0.0) {
    page.archive_fill = fill_rgb(archive, image.kind);
  }
  std::optional<core::EncodedImage> scanned;
  std::optional<core::EncodedImage> scanned_png;
  if (source.index_in_file == 0) {
    const std::vector<std::uint8_t> bytes = scan_bytes(source.path);
    scanned = unchanged_jpeg(bytes, image.kind, archive.cols, archive.rows, image.dpi);
    if (!scanned) {
      scanned_png = unchanged_png(bytes, image.kind, archive.cols, archive.rows, image.dpi);
    }
  }
  if (scanned) {
    page.archive_image = std::move(*scanned);
    page.seconds.archive = archive_seconds();
    return page;
  }
  // A PNG scan's own rows unless its JPEG is smaller; no second lossless encoding of it.
  page.archive_image = encode_archive_image(archive, image.kind, image.dpi, m_config.jpeg_quality,
                                            /*try_lossless=*/!scanned_png);
  const std::size_t stored = page.archive_image.format == core::EncodedImage::Format::jpeg
                                ? core::jpeg_storage(page.archive_image.bytes).bytes
                                : page.archive_image.bytes.size();
  if (scanned_png && scanned_png->bytes.size() <= stored) {
    page.archive_image = std::move(*scanned_png);
  }
  page.seconds.archive = archive_seconds();
  return page;
}

void Runner::run(const std::vector<DossierJob>& jobs, DossierSink& sink,
                 const std::function<void(const Progress&)>& progress) const {
  struct Task {
    std::size_t dossier = 0;
    std::size_t page = 0;
  };
  std::vector<Task> tasks;
  std::vector<std::vector<core::ProcessedPage>> results(jobs.size());
  std::vector<std::atomic<int>> remaining(jobs.size());
  for (std::size_t dossier = 0; dossier < jobs.size(); ++dossier) {
    results[dossier].resize(jobs[dossier].pages.size());
    remaining[dossier] = static_cast<int>(jobs[dossier].pages.size());
    for (std::size_t page = 0; page < jobs[dossier].pages.size(); ++page) {
      tasks.push_back({dossier, page});
    }
  }

  const auto started = std::chrono::steady_clock::now();
  std::atomic<std::size_t> cursor{0};
  std::atomic<bool> stop{false};
  std::mutex progress_mutex;
  Progress state;
  state.pages_total = static_cast<int>(tasks.size());
  state.dossiers_total = static_cast<int>(jobs.size());
  std::exception_ptr failure;

  auto worker = [&]() {
    try {
      auto engine = m_engines.create();
      while (!stop) {
        const std::size_t next = cursor++;
        if (next >= tasks.size()) {
          break;
        }
        const Task task = tasks[next];
        const DossierJob& job = jobs[task.dossier];
        results[task.dossier][task.page] =
            process_page(job.pages[task.page], static_cast<int>(task.page) + 1, *engine);
        const bool dossier_done = --remaining[task.dossier] == 0;
        Progress snapshot;
        {
          std::lock_guard lock(progress_mutex);
          ++state.pages_done;
          state.dossiers_done += dossier_done ? 1 : 0;
          state.elapsed = std::chrono::steady_clock::now() - started;
          snapshot = state;
          if (progress) {
            progress(snapshot);
          }
        }
        if (dossier_done) {
          sink.on_dossier(job, std::move(results[task.dossier]));
          results[task.dossier] = {};
        }
      }
    } catch (...) {
      std::lock_guard lock(progress_mutex);
      if (!failure) {
        failure = std::current_exception();
      }
      stop = true;
    }
  };

  if (tasks.empty()) {
    return;
  }
  // Parallelism is across pages, one worker per core: OpenCV's own pool inside each worker would
  // only oversubscribe the cores (a process-wide setting).
  cv::setNumThreads(1);
  const int thread_count = std::max(1, std::min<int>(m_config.jobs, static_cast<int>(tasks.size())));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(thread_count));
  for (int index = 0; index < thread_count; ++index) {
    threads.emplace_back(worker);
  }
  for (auto& thread : threads) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

}  // namespace sohoa::pipeline
