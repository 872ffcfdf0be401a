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
// - Vietnamese read as English (issue 3, measured on ../shared/corpus/synth_vie): with "vie+eng"
//   Tesseract tries each word first in the language that won the word before and keeps it when
//   good enough, so after a name or a stray mark read in English it reads whole runs of
//   Vietnamese with the English model, which has no tone marks ("dau giai duoc" for "đầu giải
//   được"). With the corrector on (it holds the syllable list), on a page of mostly Vietnamese
//   words, the runs of English-read words the corrector picks (VietnameseCorrector::
//   runs_to_read_again: bare syllables, not beside a foreign word) are read again, one run at a
//   time, by a second engine with "vie" alone (PSM_SINGLE_BLOCK on the run's box: a skewed line's
//   box holds pieces of its neighbours, which single-line mode reads as one garbled line). A word
//   is replaced only by the word over the same ink when that adds marks and nothing else
//   (VietnameseCorrector::marks_added): letters never change, and digits and names stay.
//   synth_vie CER 2.05 % (--no-correct) -> 1.62 % with this and the filter below; the real
//   English sets unchanged (bench/README.md).
// - Blocks of junk: a seal, a photo or a signature read as text gives a block of short, uncertain
//   "words"; such a block is dropped (see k_min_junk_words). page.mean_confidence still counts
//   them: it is what tells an upside-down pass (mostly junk) and a poor scan.
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
#include <optional>
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

// A second Tesseract of an engine (orientation, or one language alone) started with `language`
// and set to `mode`; throws core::Fatal(`failure`) when Tesseract cannot start.
std::unique_ptr<tesseract::TessBaseAPI> start_api(const std::filesystem::path& tessdata,
                                                  const char* language,
                                                  tesseract::OcrEngineMode engine,
                                                  tesseract::PageSegMode mode,
                                                  const std::string& failure) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  const std::lock_guard<std::mutex> lock(init_mutex());
  if (api->Init(tessdata.c_str(), language, engine) != 0) {
    throw core::Fatal(failure);
  }
  api->SetPageSegMode(mode);
  return api;
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

// A seal, a photograph or a signature read as text gives a block of short, uncertain
// "words" (`—_ PIE Fee aX / f aN Bd \ : {`): a block of at least k_min_junk_words words, fewer
// than k_max_readable_share of them readable (two letters or more: a syllable, or letters and
// digits read with k_min_word_confidence) and a mean confidence under k_max_junk_confidence, is
// dropped.
constexpr std::size_t k_min_junk_words = 4;
constexpr double k_max_readable_share = 0.25;
constexpr double k_max_junk_confidence = 60.0;
constexpr float k_min_word_confidence = 70.0F;

// The box around a run of words, with room for tone marks above and below.
cv::Rect run_area(const std::vector<core::OcrWord>& words, const std::vector<std::size_t>& run,
                  cv::Size image) {
  cv::Rect area;
  for (const std::size_t index : run) {
    const core::Box& box = words[index].box;
    area |= cv::Rect(box.x, box.y, box.width, box.height);
  }
  const int height = std::max(area.height, 1);
  const int margin_y = height / 3;
  const int margin_x = height / 2;
  area.x -= margin_x;
  area.y -= margin_y;
  area.width += 2 * margin_x;
  area.height += 2 * margin_y;
  return area & cv::Rect(0, 0, image.width, image.height);
}

// The word at `iter` (RIL_WORD): its text in NFC, box, confidence and the baseline of its line
// at the word's centre; nothing for an empty or blank word.
std::optional<core::OcrWord> word_at(const tesseract::ResultIterator& iter) {
  constexpr auto k_word = tesseract::RIL_WORD;
  if (iter.Empty(k_word)) {
    return std::nullopt;
  }
  const std::unique_ptr<char[]> raw(iter.GetUTF8Text(k_word));
  int left = 0;
  int top = 0;
  int right = 0;
  int bottom = 0;
  if (!raw || is_blank_text(raw.get()) || !iter.BoundingBox(k_word, &left, &top, &right, &bottom)) {
    return std::nullopt;
  }
  core::OcrWord word;
  word.text = core::to_nfc(raw.get());
  word.box = core::Box{left, top, right - left, bottom - top};
  word.confidence = std::clamp(iter.Confidence(k_word), 0.0F, 100.0F);
  word.baseline = bottom;
  int x1 = 0;
  int y1 = 0;
  int x2 = 0;
  int y2 = 0;
  if (iter.Baseline(tesseract::RIL_TEXTLINE, &x1, &y1, &x2, &y2)) {
    const double centre = 0.5 * (left + right);
    const double slope = x2 != x1 ? static_cast<double>(y2 - y1) / (x2 - x1) : 0.0;
    word.baseline = static_cast<int>(std::lround(y1 + slope * (centre - x1)));
  }
  return word;
}

// Every word the API has just recognised, boxes in image pixels.
std::vector<core::OcrWord> recognised_words(tesseract::TessBaseAPI& api) {
  std::vector<core::OcrWord> words;
  const std::unique_ptr<tesseract::ResultIterator> iter(api.GetIterator());
  if (!iter) {
    return words;
  }
  do {
    if (auto word = word_at(*iter)) {
      words.push_back(std::move(*word));
    }
  } while (iter->Next(tesseract::RIL_WORD));
  return words;
}

// The word of `candidates` over the same ink as `box`: most of each lies over the other,
// horizontally.
const core::OcrWord* same_place(const core::Box& box,
                                const std::vector<core::OcrWord>& candidates) {
  for (const core::OcrWord& candidate : candidates) {
    const int overlap = std::min(box.x + box.width, candidate.box.x + candidate.box.width) -
                        std::max(box.x, candidate.box.x);
    const int overlap_y = std::min(box.y + box.height, candidate.box.y + candidate.box.height) -
                          std::max(box.y, candidate.box.y);
    if (overlap > 0 && 10 * overlap >= 7 * std::max(box.width, candidate.box.width) &&
        2 * overlap_y >= std::min(box.height, candidate.box.height)) {
      return &candidate;
    }
  }
  return nullptr;
}

class TesseractEngine final : public core::OcrEngine {
 public:
  TesseractEngine(std::filesystem::path tessdata, const std::string& languages,
                  std::unique_ptr<VietnameseCorrector> corrector)
      : m_tessdata(std::move(tessdata)),
        m_corrector(std::move(corrector)),
        m_other_languages(split_languages(languages).size() > 1) {
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
  tesseract::TessBaseAPI& vie_api();
  void drop_blocks_without_words(std::vector<core::OcrWord>& words) const;
  bool reads_as_a_word(const core::OcrWord& word) const;
  void retry_in_vietnamese(const cv::Mat& image, double dpi,
                           const std::vector<bool>& other_language,
                           std::vector<core::OcrWord>& words);

  std::filesystem::path m_tessdata;
  tesseract::TessBaseAPI m_api;
  std::unique_ptr<tesseract::TessBaseAPI> m_osd;     // started on first detect_orientation
  std::unique_ptr<tesseract::TessBaseAPI> m_vie;     // vie alone, started on first retry
  std::unique_ptr<VietnameseCorrector> m_corrector;  // null: words as Tesseract wrote them
  bool m_other_languages = false;                    // a language besides the first ("vie+eng")
};

void TesseractEngine::drop_blocks_without_words(std::vector<core::OcrWord>& words) const {
  std::vector<bool> drop(words.size(), false);
  for (std::size_t first = 0; first < words.size();) {
    std::size_t end = first;
    double confidence = 0.0;
    while (end < words.size() && words[end].block == words[first].block) {
      confidence += static_cast<double>(words[end].confidence);
      ++end;
    }
    const auto count = static_cast<double>(end - first);
    if (end - first < k_min_junk_words || confidence >= k_max_junk_confidence * count) {
      first = end;
      continue;  // most blocks: the words themselves need no look
    }
    const auto readable =
        std::count_if(words.begin() + static_cast<std::ptrdiff_t>(first),
                      words.begin() + static_cast<std::ptrdiff_t>(end),
                      [this](const core::OcrWord& word) { return reads_as_a_word(word); });
    if (static_cast<double>(readable) < k_max_readable_share * count) {
      std::fill(drop.begin() + static_cast<std::ptrdiff_t>(first),
                drop.begin() + static_cast<std::ptrdiff_t>(end), true);
    }
    first = end;
  }
  // The words kept, their lines and blocks numbered again without the gaps.
  std::vector<core::OcrWord> kept;
  kept.reserve(words.size());
  int line = -1;
  int block = -1;
  int old_line = -1;
  int old_block = -1;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (drop[i]) {
      continue;
    }
    const bool new_block = kept.empty() || words[i].block != old_block;
    block += new_block ? 1 : 0;
    line += new_block || words[i].line != old_line ? 1 : 0;
    old_block = words[i].block;
    old_line = words[i].line;
    kept.push_back(std::move(words[i]));
    kept.back().block = block;
    kept.back().line = line;
  }
  words = std::move(kept);
}

bool TesseractEngine::reads_as_a_word(const core::OcrWord& word) const {
  const std::string_view letters = word_letters(word.text);
  const std::string folded = core::fold(letters);
  if (folded.size() < 2) {
    return false;  // one letter or none tells nothing ("Á", "f", "|")
  }
  if (m_corrector->is_syllable(letters)) {
    return true;
  }
  return word.confidence >= k_min_word_confidence &&
         std::all_of(folded.begin(), folded.end(), [](char chr) {
           return (chr >= 'a' && chr <= 'z') || (chr >= '0' && chr <= '9');
         });
}

tesseract::TessBaseAPI& TesseractEngine::vie_api() {
  if (!m_vie) {
    m_vie = start_api(m_tessdata, "vie", tesseract::OEM_LSTM_ONLY, tesseract::PSM_SINGLE_BLOCK,
                      "Tesseract could not start with language \"vie\" from " +
                          m_tessdata.string() + " (is vie.traineddata damaged?)");
  }
  return *m_vie;
}

void TesseractEngine::retry_in_vietnamese(const cv::Mat& image, double dpi,
                                          const std::vector<bool>& other_language,
                                          std::vector<core::OcrWord>& words) {
  const std::vector<std::vector<std::size_t>> runs =
      m_corrector->runs_to_read_again(words, other_language);
  if (runs.empty()) {
    return;
  }
  tesseract::TessBaseAPI& api = vie_api();
  api.SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step[0]));
  api.SetSourceResolution(credible_dpi(dpi));
  for (const std::vector<std::size_t>& run : runs) {
    const cv::Rect area = run_area(words, run, image.size());
    if (area.area() == 0) {
      continue;
    }
    api.SetRectangle(area.x, area.y, area.width, area.height);
    if (api.Recognize(nullptr) != 0) {
      continue;
    }
    const std::vector<core::OcrWord> again = recognised_words(api);
    for (const std::size_t index : run) {
      core::OcrWord& word = words[index];
      const core::OcrWord* twin = same_place(word.box, again);
      if (twin == nullptr) {
        continue;
      }
      if (auto text = m_corrector->marks_added(word.text, twin->text)) {
        word.text = std::move(*text);
        word.confidence = twin->confidence;
      }
    }
  }
  api.Clear();
}

tesseract::TessBaseAPI& TesseractEngine::osd_api() {
  if (!m_osd) {
    m_osd = start_api(m_tessdata, "osd", tesseract::OEM_TESSERACT_ONLY, tesseract::PSM_OSD_ONLY,
                      "Tesseract could not start orientation detection from " +
                          m_tessdata.string() + ": reinstall the Debian package tesseract-ocr-osd");
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
  std::vector<bool> other_language;  // per word: recognised by a model other than vie
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
      std::optional<core::OcrWord> read = word_at(*iter);
      if (!read) {
        continue;
      }
      core::OcrWord& word = *read;
      if (m_corrector) {
        word.text = m_corrector->correct_word(word.text);
      }

      if (line < 0) {
        line = 0;
        block = 0;
      } else if (new_block) {
        ++block;
        ++line;
      } else if (new_line) {
        ++line;
      }
      new_block = false;
      new_line = false;
      word.line = line;
      word.block = block;
      const char* language = iter->WordRecognitionLanguage();
      other_language.push_back(language != nullptr && std::strcmp(language, "vie") != 0);
      page.words.push_back(std::move(word));
    } while (iter->Next(k_word));
  }
  m_api.Clear();

  // The confidence of everything Tesseract read, junk blocks included: what decides whether a
  // page is upright (an upside-down pass reads mostly junk) and whether it is worth a rescan.
  double confidence_sum = 0.0;
  for (const core::OcrWord& word : page.words) {
    confidence_sum += static_cast<double>(word.confidence);
  }
  if (!page.words.empty()) {
    page.mean_confidence = confidence_sum / static_cast<double>(page.words.size());
  }
  if (m_corrector && m_other_languages) {
    retry_in_vietnamese(image, dpi, other_language, page.words);
  }
  if (m_corrector) {
    drop_blocks_without_words(page.words);
  }
  std::string text;
  for (std::size_t i = 0; i < page.words.size(); ++i) {
    const core::OcrWord& word = page.words[i];
    if (i > 0) {
      const core::OcrWord& previous = page.words[i - 1];
      text += word.block != previous.block ? "\n\n" : word.line != previous.line ? "\n" : " ";
    }
    text += word.text;
  }
  page.text = core::to_nfc(text);
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
