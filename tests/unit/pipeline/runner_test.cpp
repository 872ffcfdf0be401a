#include "sohoa/pipeline/runner.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace sohoa::pipeline {
namespace {

// A page of text-like bars; "files" named bad*.png fail to decode, faint*.png have pale bars.
class FakeReader final : public core::ImageReader {
 public:
  core::PageResult<int> count_pages(const std::filesystem::path& /*path*/) const override { return 1; }
  core::PageResult<core::PageImage> read_page(const std::filesystem::path& path, int /*index*/) const override {
    if (path.filename().string().rfind("bad", 0) == 0) {
      return tl::unexpected(core::PageError{core::PageOutcome::unreadable, "corrupt or truncated PNG"});
    }
    core::PageImage image;
    image.pixels = cv::Mat(600, 400, CV_8UC1, cv::Scalar(255));
    const bool faint = path.filename().string().rfind("faint", 0) == 0;
    for (int line = 0; line < 12; ++line) {
      for (int word = 0; word < 5; ++word) {
        cv::rectangle(image.pixels, cv::Rect(40 + word * 65, 60 + line * 40, 50, 14),
                      cv::Scalar(faint ? 215 : 0), cv::FILLED);
      }
    }
    image.kind = core::ColourKind::grey;
    image.dpi = 150;
    return image;
  }
};

class FakeEngine final : public core::OcrEngine {
 public:
  explicit FakeEngine(std::set<std::thread::id>& threads, std::mutex& mutex) : m_threads(threads), m_mutex(mutex) {}
  core::OrientationGuess detect_orientation(const cv::Mat& /*grey*/, double /*dpi*/) override {
    return {0, 10.0, true};
  }
  core::PageResult<core::OcrPage> recognize(const cv::Mat& image, double dpi) override {
    {
      std::lock_guard lock(m_mutex);
      m_threads.insert(std::this_thread::get_id());
    }
    core::OcrPage page;
    core::OcrWord word;
    word.text = "chữ";
    word.box = {0, 0, image.cols / 2, image.rows / 2};
    word.confidence = 90;
    page.words.push_back(word);
    page.text = "chữ@" + std::to_string(static_cast<int>(dpi));
    page.mean_confidence = 90;
    return page;
  }

 private:
  std::set<std::thread::id>& m_threads;
  std::mutex& m_mutex;
};

class FakeFactory final : public core::OcrEngineFactory {
 public:
  std::unique_ptr<core::OcrEngine> create() const override {
    if (fail) {
      throw core::Fatal("Tesseract language data 'vie' not found: install tesseract-ocr-vie");
    }
    return std::make_unique<FakeEngine>(threads, mutex);
  }
  std::string languages() const override { return "vie+eng"; }
  bool fail = false;
  mutable std::set<std::thread::id> threads;
  mutable std::mutex mutex;
};

class RecordingSink final : public DossierSink {
 public:
  void on_dossier(const DossierJob& job, std::vector<core::ProcessedPage> pages) override {
    std::lock_guard lock(m_mutex);
    ++calls[job.meta.code];
    results[job.meta.code] = std::move(pages);
  }
  std::map<std::string, int> calls;
  std::map<std::string, std::vector<core::ProcessedPage>> results;

 private:
  std::mutex m_mutex;
};

std::vector<DossierJob> make_jobs(int dossiers, int pages_each) {
  std::vector<DossierJob> jobs;
  for (int dossier = 0; dossier < dossiers; ++dossier) {
    DossierJob job;
    job.meta.code = "D" + std::to_string(dossier);
    for (int page = 0; page < pages_each; ++page) {
      job.pages.push_back({"/batch/" + job.meta.code + "/" + std::to_string(page + 1) + ".png", 0, "sha"});
    }
    jobs.push_back(job);
  }
  return jobs;
}

TEST(Runner, EveryDossierReachesTheSinkOnceWithItsPagesInOrder) {
  FakeReader reader;
  FakeFactory factory;
  RunnerConfig config;
  config.jobs = 2;
  const Runner runner(config, reader, factory);
  RecordingSink sink;
  int last_done = 0;
  runner.run(make_jobs(5, 3), sink, [&](const Progress& progress) {
    EXPECT_EQ(progress.pages_done, last_done + 1);  // serialised, one call per page
    last_done = progress.pages_done;
    EXPECT_EQ(progress.pages_total, 15);
  });
  EXPECT_EQ(last_done, 15);
  ASSERT_EQ(sink.calls.size(), 5U);
  for (const auto& [code, count] : sink.calls) {
    EXPECT_EQ(count, 1) << code;
    const auto& pages = sink.results[code];
    ASSERT_EQ(pages.size(), 3U);
    for (std::size_t index = 0; index < pages.size(); ++index) {
      EXPECT_EQ(pages[index].seq, static_cast<int>(index) + 1);
      EXPECT_EQ(pages[index].source.path.filename().string(), std::to_string(index + 1) + ".png");
      EXPECT_EQ(pages[index].outcome, core::PageOutcome::ok);
    }
  }
  EXPECT_EQ(factory.threads.size(), 2U) << "pages were not spread over both workers";
}

TEST(Runner, LowResolutionPagesAreOcredAt300DpiAndBoxesMappedBack) {
  FakeReader reader;
  FakeFactory factory;
  const Runner runner(RunnerConfig{}, reader, factory);
  auto engine = factory.create();
  const core::ProcessedPage page = runner.process_page({"/b/1.png", 0, "sha"}, 1, *engine);
  EXPECT_EQ(page.ocr.text, "chữ@300");  // 150 dpi scan resampled for OCR
  EXPECT_NE(page.flags & core::flag_low_resolution, 0U);
  // The fake engine boxed half the OCR image: half the archive image once mapped back.
  EXPECT_NEAR(page.ocr.words[0].box.width, page.width / 2, 1);
  EXPECT_NEAR(page.ocr.words[0].box.height, page.height / 2, 1);
  // The archive image stays the grey scan at 150 dpi (JPEG or lossless, whichever is smaller).
  EXPECT_NE(page.archive_image.format, core::EncodedImage::Format::bilevel);
  EXPECT_EQ(page.archive_image.width, page.width);
}

// An engine that takes a known time per call, to see where a page's time is counted.
class SlowEngine final : public core::OcrEngine {
 public:
  core::OrientationGuess detect_orientation(const cv::Mat& /*grey*/, double /*dpi*/) override {
    return {0, 10.0, true};
  }
  core::PageResult<core::OcrPage> recognize(const cv::Mat& /*image*/, double /*dpi*/) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    core::OcrPage page;
    core::OcrWord word;
    word.text = "chữ";
    word.box = {10, 10, 40, 14};
    word.confidence = 90;
    page.words.push_back(word);
    page.text = "chữ";
    page.mean_confidence = 90;
    return page;
  }
};

TEST(Runner, APageSaysWhereItsTimeWentOcrApartFromPreProcessing) {
  FakeReader reader;
  FakeFactory factory;
  const Runner runner(RunnerConfig{}, reader, factory);
  SlowEngine engine;
  const core::ProcessedPage page = runner.process_page({"/b/1.png", 0, "sha"}, 1, engine);
  ASSERT_EQ(page.outcome, core::PageOutcome::ok);
  // The engine's 300 ms are OCR time, not pre-processing (a lower bound: sleeps can overrun).
  EXPECT_GE(page.seconds.ocr, 0.300);
  EXPECT_GE(page.seconds.prepare, 0.0);
  EXPECT_GE(page.seconds.decode, 0.0);
  EXPECT_GT(page.seconds.archive, 0.0) << "encoding the archive image is timed apart";
  EXPECT_LT(page.seconds.prepare, page.seconds.ocr)
      << "the engine's time was counted as pre-processing";
}

TEST(Runner, APaleButWrittenPageIsOcredNotTakenForBlank) {
  // Pale marks fall under the blank check's ink threshold; the OCR decides, and it reads words,
  // so --drop-blank cannot leave this page out of the PDF.
  FakeReader reader;
  FakeFactory factory;
  const Runner runner(RunnerConfig{}, reader, factory);
  auto engine = factory.create();
  const core::ProcessedPage page = runner.process_page({"/b/faint1.png", 0, "sha"}, 1, *engine);
  EXPECT_EQ(page.outcome, core::PageOutcome::ok);
  EXPECT_EQ(page.flags & core::flag_blank, 0U);
  EXPECT_FALSE(page.ocr.words.empty());
}

TEST(Runner, AFailedPageIsAValueAndTheDossierStillReachesTheSink) {
  FakeReader reader;
  FakeFactory factory;
  const Runner runner(RunnerConfig{}, reader, factory);
  DossierJob job;
  job.meta.code = "D";
  job.pages = {{"/b/1.png", 0, "a"}, {"/b/bad.png", 0, "b"}, {"/b/3.png", 0, "c"}};
  RecordingSink sink;
  runner.run({job}, sink);
  const auto& pages = sink.results["D"];
  ASSERT_EQ(pages.size(), 3U);
  EXPECT_EQ(pages[1].outcome, core::PageOutcome::unreadable);
  EXPECT_EQ(pages[1].error, "corrupt or truncated PNG");
  EXPECT_EQ(pages[0].outcome, core::PageOutcome::ok);
  EXPECT_EQ(pages[2].outcome, core::PageOutcome::ok);
}

TEST(Runner, AnEngineThatCannotStartStopsTheRunWithItsMessage) {
  FakeReader reader;
  FakeFactory factory;
  factory.fail = true;
  const Runner runner(RunnerConfig{}, reader, factory);
  RecordingSink sink;
  try {
    runner.run(make_jobs(2, 2), sink);
    FAIL() << "no exception";
  } catch (const core::Fatal& error) {
    EXPECT_NE(std::string(error.what()).find("tesseract-ocr-vie"), std::string::npos);
  }
  EXPECT_TRUE(sink.calls.empty());
}

}  // namespace
}  // namespace sohoa::pipeline
