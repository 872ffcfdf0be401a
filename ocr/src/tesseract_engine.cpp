// Design notes
// - One TessBaseAPI per engine, initialised once in create() with OEM_LSTM_ONLY (Debian's
//   tessdata are the "fast" LSTM models) and used only by the thread that owns the engine.
//   Orientation uses a second TessBaseAPI with the legacy "osd" model, started on first use: a
//   run that never asks for orientation never pays for it.
// - Quiet: Tesseract writes its messages ("Estimating resolution as ...", "Empty page!!", ...)
//   through tprintf to the global parameter `debug_file`, else stderr. It is set to /dev/null
//   once per process, before the first engine starts, with std::call_once (a global parameter:
//   setting it from every engine would race). Leptonica, which Tesseract calls, is silenced with
//   setMsgSeverity. The resolution is always given (SetSourceResolution, clamped to Tesseract's
//   credible range [70, 2400]) so Tesseract never estimates it; orientation detection reads it
//   from the image instead, so it gets a Leptonica Pix that carries it.
// - OpenMP: Debian's libtesseract links libgomp, and Tesseract's LSTM opens parallel regions
//   (num_threads(4)) for every line. With workers on every core that is pure loss: measured on an
//   A4 page at load 8 on 2 cores, 7-9 s of CPU per page with OpenMP free against 1.3 s with it
//   off. libgomp reads OMP_THREAD_LIMIT when it is loaded, before main(), so the factory's
//   setenv("OMP_THREAD_LIMIT", "1", 0) alone would only reach child processes. When the variable
//   was unset the factory therefore also calls omp_set_max_active_levels(0) (looked up with
//   dlsym in the loaded libgomp: OpenMP's headers and link flags stay out of the build), which
//   makes parallel regions inactive for the threads it reaches. That is not all of them: with
//   the engines on the Runner's worker threads, libgomp still started its own threads and an
//   ingest of the sample batch took 30 s wall and 19 s of system time, against 10 s and 1 s with
//   OMP_THREAD_LIMIT=1 in the environment. So the sohoa executable sets the variable and
//   re-executes itself (apps/cli/main.cpp); this call is the fallback for other embedders.
//   A caller who set OMP_THREAD_LIMIT keeps exactly what it asked for.
// - Text: words come from the ResultIterator at RIL_WORD; GetUTF8Text's buffer is copied into a
//   std::string at once and freed. Blocks are Tesseract's paragraphs (RIL_PARA), which begin at
//   each block too. Words that are empty or whitespace are dropped, and line/block numbers count
//   only lines/paragraphs that kept a word, so OcrWord::line and OcrPage::text agree.
//   OcrWord::baseline is the text line's baseline at the word's horizontal centre (lines are
//   nearly, not exactly, horizontal after deskew).
// - Orientation: DetectOrientationScript reports `orient_deg`, the clockwise rotation the page
//   HAS; the clockwise turn that makes it upright is (360 - orient_deg) % 360 (checked by a test
//   that turns an upright page each way). Its confidence is a margin between the best and the
//   second-best orientation; a page is trusted at k_min_orientation_confidence and above (see the
//   constant for the measurements).

#include "sohoa/ocr/tesseract_engine.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"
#include "sohoa/ocr/vietnamese_corrector.hpp"

namespace sohoa::ocr {

namespace {

constexpr const char* k_debian_tessdata = "/usr/share/tesseract-ocr/5/tessdata";
constexpr int k_min_credible_dpi = 70;    // Tesseract's kMinCredibleResolution
constexpr int k_max_credible_dpi = 2400;  // Tesseract's kMaxCredibleResolution

// OSD confidence from which a rotation is trusted. Measured with Debian's osd.traineddata on
// 300 dpi pages (tests/fixtures/ocr, turned each way): 33 lines of text on an A4 page 9.0-13.5;
// 11 lines 10.0-12.0; 8 lines of Hershey text 7.7-9.4; 2 long lines 5.8-6.8; 3 short lines 4.0-4.4;
// ONE line 0.0-1.9 (and 0.0 with rotation 0 when it was upside down: wrong); a single word 0.0;
// 3000 random specks 0.1-1.2 (with random rotations); ruled lines only 0.0. 3.0 sits between a
// line of text or noise and three lines. (Tesseract's own hint, "15.0 is reasonably confident",
// would reject even a full A4 page with these models.) Downscaling the page to 150 dpi for speed
// was tried: no faster (0.4-0.5 s per A4 page either way) and less confident, so it is not done.
constexpr float k_min_orientation_confidence = 3.0F;

// TessBaseAPI::Init reads the traineddata's config into parameters, some of them process-wide
// globals: engines (and their OSD instances) start one at a time, about 0.5 s each, once per
// worker.
std::mutex& init_mutex() {
  static std::mutex mutex;
  return mutex;
}

void quiet_tesseract() {
  static std::once_flag once;
  std::call_once(once, [] {
    setMsgSeverity(L_SEVERITY_NONE);
    tesseract::TessBaseAPI api;  // sets the global parameter; no Init needed
    api.SetVariable("debug_file", "/dev/null");
  });
}

// One OpenMP thread per engine unless the caller chose otherwise: see the design notes.
void limit_openmp() {
  static std::mutex mutex;  // getenv/setenv pairs from several factories
  const std::lock_guard<std::mutex> lock(mutex);
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) {
    return;  // the caller's choice; libgomp read it at start-up
  }
  setenv("OMP_THREAD_LIMIT", "1", 0);  // for child processes
  // For this process: libgomp has already read its environment. With max-active-levels 0
  // every parallel region is inactive, i.e. runs on the thread that meets it.
  void* symbol = dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
  if (symbol != nullptr) {
    void (*set_max_active_levels)(int) = nullptr;
    static_assert(sizeof(set_max_active_levels) == sizeof(symbol));
    std::memcpy(&set_max_active_levels, &symbol, sizeof(symbol));
    set_max_active_levels(0);
  }
}

bool is_language_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char chr) {
    return (chr >= 'a' && chr <= 'z') || (chr >= 'A' && chr <= 'Z') || (chr >= '0' && chr <= '9') ||
           chr == '_' || chr == '-' || chr == '/';
  });
}

std::vector<std::string> split_languages(const std::string& languages) {
  if (languages.empty()) {
    throw core::Fatal(
        "no OCR language given: expected Tesseract language names joined by '+', "
        "like \"vie+eng\"");
  }
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t plus = languages.find('+', start);
    const std::string name =
        languages.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    if (!is_language_name(name)) {
      throw core::Fatal("malformed OCR language list \"" + languages +
                        "\": expected Tesseract language names (letters, digits, '_') joined by "
                        "'+', like \"vie+eng\"");
    }
    names.push_back(name);
    if (plus == std::string::npos) {
      break;
    }
    start = plus + 1;
  }
  return names;
}

std::string debian_package(const std::string& language) {
  if (language.find('/') != std::string::npos) {
    return "the Tesseract script data package that provides '" + language + "'";
  }
  std::string package = "tesseract-ocr-";
  for (const char chr : language) {
    package += chr == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(chr)));
  }
  return "the Debian package " + package;
}

std::filesystem::path resolve_tessdata(std::filesystem::path given) {
  if (!given.empty()) {
    return given;
  }
  const char* prefix = std::getenv("TESSDATA_PREFIX");
  if (prefix != nullptr && prefix[0] != '\0') {
    return std::filesystem::path(prefix);
  }
  return std::filesystem::path(k_debian_tessdata);
}

int credible_dpi(double dpi) {
  if (!std::isfinite(dpi)) {
    return 300;
  }
  return std::clamp(static_cast<int>(std::lround(dpi)), k_min_credible_dpi, k_max_credible_dpi);
}

struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// `grey` (CV_8UC1) as an 8 bpp Leptonica image carrying `dpi`. Tesseract's orientation detection
// reads the resolution from the image itself, not from SetSourceResolution.
PixPtr to_pix(const cv::Mat& grey, int dpi) {
  PixPtr pix(pixCreate(grey.cols, grey.rows, 8));
  if (!pix) {
    return pix;
  }
  pixSetResolution(pix.get(), dpi, dpi);
  l_uint32* data = pixGetData(pix.get());
  const auto words_per_line = static_cast<std::size_t>(pixGetWpl(pix.get()));
  const auto width = static_cast<std::size_t>(grey.cols);
  for (int y = 0; y < grey.rows; ++y) {
    const std::uint8_t* in = grey.ptr<std::uint8_t>(y);
    l_uint32* out = data + static_cast<std::size_t>(y) * words_per_line;
    for (std::size_t x = 0; x < width; ++x) {
      // Leptonica's layout: first pixel in the most significant byte of a host-order word.
      out[x >> 2U] |= static_cast<l_uint32>(in[x]) << (8U * (3U - (x & 3U)));
    }
  }
  return pix;
}

bool is_blank_text(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char chr) {
    return chr == ' ' || chr == '\t' || chr == '\n' || chr == '\r' || chr == '\f' || chr == '\v';
  });
}

class TesseractEngine final : public core::OcrEngine {
 public:
  TesseractEngine(std::filesystem::path tessdata, const std::string& languages,
                  std::unique_ptr<VietnameseCorrector> corrector)
      : m_tessdata(std::move(tessdata)), m_corrector(std::move(corrector)) {
    if (m_api.Init(m_tessdata.c_str(), languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
      throw core::Fatal("Tesseract could not start with languages \"" + languages + "\" from " +
                        m_tessdata.string() + " (is a .traineddata file damaged?)");
    }
    m_api.SetPageSegMode(tesseract::PSM_AUTO);
  }

  TesseractEngine(const TesseractEngine&) = delete;
  TesseractEngine& operator=(const TesseractEngine&) = delete;
  ~TesseractEngine() override = default;

  core::OrientationGuess detect_orientation(const cv::Mat& grey, double dpi) override;
  core::PageResult<core::OcrPage> recognize(const cv::Mat& image, double dpi) override;

 private:
  tesseract::TessBaseAPI& osd_api();

  std::filesystem::path m_tessdata;
  tesseract::TessBaseAPI m_api;
  std::unique_ptr<tesseract::TessBaseAPI> m_osd;  // started on first detect_orientation
  std::unique_ptr<VietnameseCorrector> m_corrector;  // null: words as Tesseract wrote them
};

tesseract::TessBaseAPI& TesseractEngine::osd_api() {
  if (!m_osd) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    const std::lock_guard<std::mutex> lock(init_mutex());
    if (api->Init(m_tessdata.c_str(), "osd", tesseract::OEM_TESSERACT_ONLY) != 0) {
      throw core::Fatal("Tesseract could not start orientation detection from " +
                        m_tessdata.string() + ": reinstall the Debian package tesseract-ocr-osd");
    }
    api->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    m_osd = std::move(api);
  }
  return *m_osd;
}

core::OrientationGuess TesseractEngine::detect_orientation(const cv::Mat& grey, double dpi) {
  core::OrientationGuess guess;
  if (grey.empty() || grey.type() != CV_8UC1) {
    return guess;
  }
  tesseract::TessBaseAPI& api = osd_api();
  const int resolution = credible_dpi(dpi);
  const PixPtr pix = to_pix(grey, resolution);
  if (!pix) {
    return guess;
  }
  api.SetImage(pix.get());
  api.SetSourceResolution(resolution);
  int orient_deg = 0;
  float orient_conf = 0.0F;
  const char* script = nullptr;
  float script_conf = 0.0F;
  const bool found = api.DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
  api.Clear();
  if (!found || orient_deg % 90 != 0) {
    return guess;
  }
  guess.rotation_deg = ((360 - orient_deg) % 360 + 360) % 360;
  guess.confidence = static_cast<double>(orient_conf);
  guess.reliable = orient_conf >= k_min_orientation_confidence;
  return guess;
}

core::PageResult<core::OcrPage> TesseractEngine::recognize(const cv::Mat& image, double dpi) {
  if (image.empty()) {
    return tl::unexpected(core::PageError{core::PageOutcome::ocr_failed, "empty image"});
  }
  if (image.type() != CV_8UC1) {
    return tl::unexpected(
        core::PageError{core::PageOutcome::ocr_failed, "OCR needs an 8-bit grey image"});
  }
  m_api.SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step[0]));
  m_api.SetSourceResolution(credible_dpi(dpi));
  if (m_api.Recognize(nullptr) != 0) {
    m_api.Clear();
    return tl::unexpected(
        core::PageError{core::PageOutcome::ocr_failed, "Tesseract could not recognise the page"});
  }

  core::OcrPage page;
  std::string text;
  double confidence_sum = 0.0;
  const std::unique_ptr<tesseract::ResultIterator> iter(m_api.GetIterator());
  if (iter) {
    constexpr auto k_word = tesseract::RIL_WORD;
    bool new_block = false;
    bool new_line = false;
    int line = -1;
    int block = -1;
    do {
      if (iter->Empty(k_word)) {
        continue;
      }
      new_block = new_block || iter->IsAtBeginningOf(tesseract::RIL_PARA);
      new_line = new_line || iter->IsAtBeginningOf(tesseract::RIL_TEXTLINE);
      const std::unique_ptr<char[]> raw(iter->GetUTF8Text(k_word));
      if (!raw || is_blank_text(raw.get())) {
        continue;
      }
      core::OcrWord word;
      word.text = core::to_nfc(raw.get());
      if (m_corrector) {
        word.text = m_corrector->correct_word(word.text);
      }
      int left = 0;
      int top = 0;
      int right = 0;
      int bottom = 0;
      if (!iter->BoundingBox(k_word, &left, &top, &right, &bottom)) {
        continue;
      }
      word.box = core::Box{left, top, right - left, bottom - top};
      word.confidence = std::clamp(iter->Confidence(k_word), 0.0F, 100.0F);
      int x1 = 0;
      int y1 = 0;
      int x2 = 0;
      int y2 = 0;
      word.baseline = bottom;
      if (iter->Baseline(tesseract::RIL_TEXTLINE, &x1, &y1, &x2, &y2)) {
        const double centre = 0.5 * (left + right);
        const double slope = x2 != x1 ? static_cast<double>(y2 - y1) / (x2 - x1) : 0.0;
        word.baseline = static_cast<int>(std::lround(y1 + slope * (centre - x1)));
      }

      if (line < 0) {
        line = 0;
        block = 0;
      } else if (new_block) {
        ++block;
        ++line;
        text += "\n\n";
      } else if (new_line) {
        ++line;
        text += '\n';
      } else {
        text += ' ';
      }
      new_block = false;
      new_line = false;
      word.line = line;
      word.block = block;
      text += word.text;
      confidence_sum += static_cast<double>(word.confidence);
      page.words.push_back(std::move(word));
    } while (iter->Next(k_word));
  }
  m_api.Clear();

  page.text = core::to_nfc(text);
  if (!page.words.empty()) {
    page.mean_confidence = confidence_sum / static_cast<double>(page.words.size());
  }
  return page;
}

}  // namespace

TesseractEngineFactory::TesseractEngineFactory(std::string languages,
                                               std::filesystem::path tessdata,
                                               bool correct_vietnamese)
    : m_languages(std::move(languages)),
      m_tessdata(resolve_tessdata(std::move(tessdata))),
      m_correct_vietnamese(correct_vietnamese) {
  limit_openmp();
  std::vector<std::string> needed = split_languages(m_languages);
  needed.emplace_back("osd");
  for (const std::string& language : needed) {
    const auto file = m_tessdata / (language + ".traineddata");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      throw core::Fatal("Tesseract language data '" + language + "' not found in " +
                        m_tessdata.string() + ": install " + debian_package(language) +
                        (language == "osd" ? " (orientation detection)" : ""));
    }
  }
  quiet_tesseract();
}

std::unique_ptr<core::OcrEngine> TesseractEngineFactory::create() const {
  quiet_tesseract();
  const std::lock_guard<std::mutex> lock(init_mutex());
  std::unique_ptr<VietnameseCorrector> corrector;
  const std::vector<std::string> languages = split_languages(m_languages);
  if (m_correct_vietnamese &&
      std::find(languages.begin(), languages.end(), "vie") != languages.end()) {
    corrector = VietnameseCorrector::load();
  }
  return std::make_unique<TesseractEngine>(m_tessdata, m_languages, std::move(corrector));
}

std::string tesseract_version() {
  return tesseract::TessBaseAPI::Version();
}

}  // namespace sohoa::ocr
