// TesseractEngine: Vietnamese text, word boxes, confidences, orientation, threads, missing data.
// Pages: tests/fixtures/ocr/vie_lines.tif and form_page.tif, rendered by text2image from the
// .gold.txt beside them (README.md there). Positions below were read off text2image's box file
// by hand.

#include "sohoa/ocr/tesseract_engine.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"
#include "sohoa/ocr/leptonica_reader.hpp"
#include "temp_dir.hpp"

namespace sohoa::ocr {
namespace {

using core::OcrPage;
using test::read_file;
using test::source_path;

cv::Mat load_fixture(const std::string& name) {
  const LeptonicaImageReader reader;
  const auto page = reader.read_page(source_path("tests/fixtures/ocr/" + name), 0);
  EXPECT_TRUE(page) << name << ": " << (page ? "" : page.error().message);
  return page ? page->pixels : cv::Mat();
}

std::u32string code_points(const std::string& utf8) {
  std::u32string out;
  for (std::size_t pos = 0; pos < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[pos]);
    int extra = 0;
    char32_t value = lead;
    if (lead >= 0xF0) {
      extra = 3;
      value = lead & 0x07U;
    } else if (lead >= 0xE0) {
      extra = 2;
      value = lead & 0x0FU;
    } else if (lead >= 0xC0) {
      extra = 1;
      value = lead & 0x1FU;
    }
    ++pos;
    for (int idx = 0; idx < extra && pos < utf8.size(); ++idx, ++pos) {
      value = (value << 6U) | (static_cast<unsigned char>(utf8[pos]) & 0x3FU);
    }
    out.push_back(value);
  }
  return out;
}

// Whitespace runs collapsed to one space, ends trimmed.
std::string squeeze(const std::string& text) {
  std::string out;
  bool space = false;
  for (const char chr : text) {
    if (chr == ' ' || chr == '\n' || chr == '\t' || chr == '\r') {
      space = !out.empty();
    } else {
      if (space) {
        out += ' ';
      }
      space = false;
      out += chr;
    }
  }
  return out;
}

// Character error rate of `actual` against `expected`, on code points, whitespace squeezed.
double character_error_rate(const std::string& actual, const std::string& expected) {
  const std::u32string got = code_points(squeeze(actual));
  const std::u32string want = code_points(squeeze(expected));
  std::vector<std::size_t> row(got.size() + 1);
  for (std::size_t col = 0; col <= got.size(); ++col) {
    row[col] = col;
  }
  for (std::size_t want_idx = 1; want_idx <= want.size(); ++want_idx) {
    std::size_t diagonal = row[0];
    row[0] = want_idx;
    for (std::size_t got_idx = 1; got_idx <= got.size(); ++got_idx) {
      const std::size_t above = row[got_idx];
      const std::size_t cost = want[want_idx - 1] == got[got_idx - 1] ? 0 : 1;
      row[got_idx] = std::min({above + 1, row[got_idx - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return static_cast<double>(row[got.size()]) /
         static_cast<double>(std::max<std::size_t>(1, want.size()));
}

const core::OcrWord* find_word(const OcrPage& page, const std::string& text) {
  for (const auto& word : page.words) {
    if (word.text == text) {
      return &word;
    }
  }
  return nullptr;
}

class TesseractEngineTest : public test::TempDirTest {
 protected:
  static void SetUpTestSuite() {
    s_factory = std::make_unique<TesseractEngineFactory>("vie+eng");
    s_engine = s_factory->create();
  }
  static void TearDownTestSuite() {
    s_engine.reset();
    s_factory.reset();
  }

  static std::unique_ptr<TesseractEngineFactory> s_factory;
  static std::unique_ptr<core::OcrEngine> s_engine;
};

std::unique_ptr<TesseractEngineFactory> TesseractEngineTest::s_factory;
std::unique_ptr<core::OcrEngine> TesseractEngineTest::s_engine;

TEST_F(TesseractEngineTest, VietnameseLinesComeBackInNfcWhereTheyWereDrawn) {
  const cv::Mat image = load_fixture("vie_lines.tif");
  ASSERT_FALSE(image.empty());
  const auto page = s_engine->recognize(image, 300);
  ASSERT_TRUE(page) << page.error().message;

  const std::string gold = read_file(source_path("tests/fixtures/ocr/vie_lines.gold.txt"));
  EXPECT_LT(character_error_rate(page->text, gold), 0.03) << page->text;
  EXPECT_EQ(page->text, core::to_nfc(page->text));

  // Decomposed input would not match these NFC literals.
  for (const std::string expected :
       {"Cộng", "hòa", "Việt", "Độc", "Hạnh", "phúc", "Đơn", "nghị", "giấy", "phép"}) {
    ASSERT_EQ(expected, core::to_nfc(expected));
    EXPECT_NE(find_word(*page, expected), nullptr) << expected << " not in: " << page->text;
  }

  // Three lines, in order, one block; words of a line joined by spaces.
  ASSERT_FALSE(page->words.empty());
  EXPECT_EQ(page->words.front().line, 0);
  EXPECT_EQ(page->words.back().line, 2);
  EXPECT_EQ(std::count(page->text.begin(), page->text.end(), '\n'), 2) << page->text;
  EXPECT_EQ(page->text.rfind("Cộng hòa xã hội", 0), 0U) << page->text;

  // "Cộng" was drawn at x 43..186, y 46..105 (top of ộ, bottom of g): box file, y flipped.
  const auto* cong = find_word(*page, "Cộng");
  ASSERT_NE(cong, nullptr);
  EXPECT_NEAR(cong->box.x, 43, 6);
  EXPECT_NEAR(cong->box.y, 46, 6);
  EXPECT_NEAR(cong->box.x + cong->box.width, 186, 6);
  EXPECT_NEAR(cong->box.y + cong->box.height, 105, 6);
  // Baseline: bottom of "C" (y 400 - 306 = 94), above the descender of "g".
  EXPECT_NEAR(cong->baseline, 94, 4);
  // "Đơn" starts the third line at x ~43, some 240 px lower.
  const auto* don = find_word(*page, "Đơn");
  ASSERT_NE(don, nullptr);
  EXPECT_EQ(don->line, 2);
  EXPECT_NEAR(don->box.x, 43, 8);
  EXPECT_GT(don->box.y, cong->box.y + 150);

  for (const auto& word : page->words) {
    EXPECT_GE(word.box.x, 0);
    EXPECT_GE(word.box.y, 0);
    EXPECT_LE(word.box.x + word.box.width, image.cols);
    EXPECT_LE(word.box.y + word.box.height, image.rows);
    EXPECT_GT(word.confidence, 50.0F) << word.text;
    EXPECT_LE(word.confidence, 100.0F);
    // Each box holds ink.
    const cv::Mat inside = image(cv::Rect(word.box.x, word.box.y, word.box.width, word.box.height));
    EXPECT_GT(cv::countNonZero(inside == 0), 20) << word.text;
  }
  EXPECT_GT(page->mean_confidence, 80.0);
  EXPECT_LE(page->mean_confidence, 100.0);
}

TEST_F(TesseractEngineTest, FormPageReadsWithinOnePercentCer) {
  const cv::Mat image = load_fixture("form_page.tif");
  ASSERT_FALSE(image.empty());
  const auto page = s_engine->recognize(image, 300);
  ASSERT_TRUE(page) << page.error().message;
  const std::string gold = read_file(source_path("tests/fixtures/ocr/form_page.gold.txt"));
  EXPECT_LT(character_error_rate(page->text, gold), 0.01) << page->text;
  EXPECT_NE(find_word(*page, "027085001234,"), nullptr) << page->text;
  EXPECT_NE(page->text.find("Duc Hung Trading Private"), std::string::npos) << page->text;
  // Blocks are separated by a blank line and numbered in reading order.
  EXPECT_NE(page->text.find("\n\n"), std::string::npos);
  int last_block = 0;
  int last_line = 0;
  for (const auto& word : page->words) {
    EXPECT_GE(word.block, last_block);
    EXPECT_GE(word.line, last_line);
    last_block = word.block;
    last_line = word.line;
  }
  EXPECT_GE(last_block, 1);
  EXPECT_EQ(last_line, 10);  // 11 lines in the gold text
}

// grey_seal.jpg: the bottom of a grey page (part of ../shared's vie_synth_032, deskewed) with
// three lines of text and a grey seal (two rings and a star) that Tesseract reads as a block of
// symbols and stray letters.
TEST_F(TesseractEngineTest, ASealReadAsABlockOfSymbolsIsLeftOutAndTheTextKept) {
  const cv::Mat image = load_fixture("grey_seal.jpg");
  ASSERT_FALSE(image.empty());
  const TesseractEngineFactory plain_factory("vie+eng", {}, /*correct_vietnamese=*/false);
  const auto plain = plain_factory.create()->recognize(image, 300);
  ASSERT_TRUE(plain) << plain.error().message;
  const auto page = s_engine->recognize(image, 300);
  ASSERT_TRUE(page) << page.error().message;

  const auto last_block = [](const OcrPage& ocr) { return ocr.words.back().block; };
  ASSERT_FALSE(plain->words.empty());
  ASSERT_FALSE(page->words.empty());
  // Without the filter the seal is a block of its own below the text, of short uncertain words.
  const int seal_block = last_block(*plain);
  int seal_words = 0;
  for (const auto& word : plain->words) {
    seal_words += word.block == seal_block ? 1 : 0;
  }
  EXPECT_GE(seal_words, 8) << plain->text;
  // With it, the text is all there, word for word, and the seal's block is gone.
  std::string text_before;
  for (const auto& word : plain->words) {
    if (word.block != seal_block) {
      text_before += word.text + ' ';
    }
  }
  std::string text_after;
  for (const auto& word : page->words) {
    text_after += word.text + ' ';
  }
  EXPECT_EQ(text_after, text_before);
  EXPECT_NE(page->text.find("Library of Congress"), std::string::npos) << page->text;
  // The page's confidence is still that of everything read (it decides orientation and rescans).
  EXPECT_DOUBLE_EQ(page->mean_confidence, plain->mean_confidence);
}

TEST_F(TesseractEngineTest, BlankPageHasNoWords) {
  const cv::Mat white(600, 500, CV_8UC1, cv::Scalar(255));
  const auto page = s_engine->recognize(white, 300);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_TRUE(page->words.empty());
  EXPECT_EQ(page->text, "");
  EXPECT_EQ(page->mean_confidence, 0.0);
}

TEST_F(TesseractEngineTest, ColourOrEmptyImageIsOcrFailed) {
  const auto colour = s_engine->recognize(cv::Mat(50, 50, CV_8UC3, cv::Scalar(255, 255, 255)), 300);
  ASSERT_FALSE(colour);
  EXPECT_EQ(colour.error().outcome, core::PageOutcome::ocr_failed);
  const auto empty = s_engine->recognize(cv::Mat(), 300);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().outcome, core::PageOutcome::ocr_failed);
}

TEST_F(TesseractEngineTest, ImplausibleDpiStillRecognises) {
  // A file claiming 0 or 10000 dpi must not make Tesseract guess or fail.
  const cv::Mat image = load_fixture("vie_lines.tif");
  for (const double dpi : {0.0, 10000.0}) {
    const auto page = s_engine->recognize(image, dpi);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_NE(find_word(*page, "Việt"), nullptr) << dpi;
  }
}

TEST_F(TesseractEngineTest, OrientationTurnsEachTurnedPageBackUpright) {
  const cv::Mat upright = load_fixture("form_page.tif");
  ASSERT_FALSE(upright.empty());
  const auto straight = s_engine->detect_orientation(upright, 300);
  EXPECT_EQ(straight.rotation_deg, 0);
  EXPECT_TRUE(straight.reliable) << straight.confidence;

  struct Turn {
    cv::RotateFlags flag;
    int expected_fix;  // clockwise degrees back to upright
  };
  for (const Turn turn : {Turn{cv::ROTATE_90_CLOCKWISE, 270}, Turn{cv::ROTATE_180, 180},
                          Turn{cv::ROTATE_90_COUNTERCLOCKWISE, 90}}) {
    SCOPED_TRACE(turn.expected_fix);
    cv::Mat turned;
    cv::rotate(upright, turned, turn.flag);
    const auto guess = s_engine->detect_orientation(turned, 300);
    EXPECT_TRUE(guess.reliable) << guess.confidence;
    ASSERT_EQ(guess.rotation_deg, turn.expected_fix);
    // Applying the answer as a clockwise turn gives back the upright page, pixel for pixel.
    cv::Mat fixed;
    if (guess.rotation_deg == 90) {
      cv::rotate(turned, fixed, cv::ROTATE_90_CLOCKWISE);
    } else if (guess.rotation_deg == 180) {
      cv::rotate(turned, fixed, cv::ROTATE_180);
    } else {
      cv::rotate(turned, fixed, cv::ROTATE_90_COUNTERCLOCKWISE);
    }
    ASSERT_EQ(fixed.size(), upright.size());
    EXPECT_EQ(cv::norm(fixed, upright, cv::NORM_INF), 0.0);
  }
}

TEST_F(TesseractEngineTest, LittleOrNoTextIsNotReliable) {
  const cv::Mat lines = load_fixture("vie_lines.tif");
  ASSERT_FALSE(lines.empty());
  // One line of text, upside down: OSD cannot tell, and must say so.
  cv::Mat one_line;
  cv::rotate(lines(cv::Rect(0, 0, lines.cols, 130)), one_line, cv::ROTATE_180);
  const auto line_guess = s_engine->detect_orientation(one_line, 300);
  EXPECT_FALSE(line_guess.reliable) << line_guess.rotation_deg << " " << line_guess.confidence;

  const cv::Mat one_word = lines(cv::Rect(0, 30, 230, 100)).clone();
  EXPECT_FALSE(s_engine->detect_orientation(one_word, 300).reliable);

  const cv::Mat white(800, 600, CV_8UC1, cv::Scalar(255));
  const auto blank = s_engine->detect_orientation(white, 300);
  EXPECT_FALSE(blank.reliable);
  EXPECT_EQ(blank.rotation_deg, 0);

  // Specks, not text.
  cv::Mat specks(1200, 1000, CV_8UC1, cv::Scalar(255));
  cv::RNG rng(7);
  for (int speck = 0; speck < 800; ++speck) {
    cv::rectangle(
        specks,
        cv::Rect(rng.uniform(0, 990), rng.uniform(0, 1180), rng.uniform(2, 10), rng.uniform(2, 18)),
        cv::Scalar(0), cv::FILLED);
  }
  EXPECT_FALSE(s_engine->detect_orientation(specks, 300).reliable);

  EXPECT_FALSE(s_engine->detect_orientation(cv::Mat(), 300).reliable);
}

TEST_F(TesseractEngineTest, TwoEnginesInTwoThreadsAtOnce) {
  const cv::Mat image = load_fixture("vie_lines.tif");
  const auto reference = s_engine->recognize(image, 300);
  ASSERT_TRUE(reference);
  std::vector<std::optional<std::string>> texts(2);
  std::vector<std::thread> threads;
  for (std::size_t thread_idx = 0; thread_idx < texts.size(); ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      const auto engine = s_factory->create();  // created on the thread that uses it
      for (int round = 0; round < 2; ++round) {
        const auto page = engine->recognize(image, 300);
        if (!page || (texts[thread_idx] && *texts[thread_idx] != page->text)) {
          texts[thread_idx] = "failed";
          return;
        }
        texts[thread_idx] = page->text;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const auto& text : texts) {
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, reference->text);
  }
}

TEST_F(TesseractEngineTest, EngineWorkPrintsNothing) {
  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  {
    const auto engine = s_factory->create();
    (void)engine->recognize(cv::Mat(300, 300, CV_8UC1, cv::Scalar(255)), 0);  // empty page, no dpi
    (void)engine->recognize(load_fixture("vie_lines.tif"), 72);
    (void)engine->detect_orientation(cv::Mat(300, 300, CV_8UC1, cv::Scalar(255)), 300);
  }
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST_F(TesseractEngineTest, MissingLanguageDataIsFatalAndNamesThePackage) {
  // An empty tessdata folder.
  try {
    TesseractEngineFactory factory("vie+eng", dir());
    FAIL() << "no Fatal";
  } catch (const core::Fatal& fatal) {
    const std::string message = fatal.what();
    EXPECT_NE(message.find("'vie'"), std::string::npos) << message;
    EXPECT_NE(message.find("tesseract-ocr-vie"), std::string::npos) << message;
    EXPECT_NE(message.find(dir().string()), std::string::npos) << message;
  }
  // Languages present, orientation data missing.
  const std::filesystem::path system_data = "/usr/share/tesseract-ocr/5/tessdata";
  std::filesystem::create_symlink(system_data / "vie.traineddata", dir() / "vie.traineddata");
  std::filesystem::create_symlink(system_data / "eng.traineddata", dir() / "eng.traineddata");
  try {
    TesseractEngineFactory factory("vie+eng", dir());
    FAIL() << "no Fatal";
  } catch (const core::Fatal& fatal) {
    EXPECT_NE(std::string(fatal.what()).find("tesseract-ocr-osd"), std::string::npos)
        << fatal.what();
  }
  // Another language, named with its Debian spelling.
  try {
    TesseractEngineFactory factory("vie+chi_sim", system_data);
    FAIL() << "no Fatal";
  } catch (const core::Fatal& fatal) {
    EXPECT_NE(std::string(fatal.what()).find("tesseract-ocr-chi-sim"), std::string::npos)
        << fatal.what();
  }
}

TEST_F(TesseractEngineTest, TessdataPrefixIsUsedWhenNoFolderIsGiven) {
  const char* old = std::getenv("TESSDATA_PREFIX");
  const std::optional<std::string> saved =
      old != nullptr ? std::optional<std::string>(old) : std::nullopt;
  setenv("TESSDATA_PREFIX", dir().c_str(), 1);
  std::string message;
  try {
    TesseractEngineFactory factory("vie+eng");
  } catch (const core::Fatal& fatal) {
    message = fatal.what();
  }
  if (saved) {
    setenv("TESSDATA_PREFIX", saved->c_str(), 1);
  } else {
    unsetenv("TESSDATA_PREFIX");
  }
  EXPECT_NE(message.find(dir().string()), std::string::npos) << message;
}

TEST_F(TesseractEngineTest, MalformedLanguageListsAreFatal) {
  for (const std::string languages :
       {"", "vie++eng", "vie eng", "../vie", "vie+", "+eng", "vie,eng"}) {
    SCOPED_TRACE(languages);
    EXPECT_THROW(TesseractEngineFactory factory(languages), core::Fatal);
  }
  try {
    TesseractEngineFactory factory("vie eng");
  } catch (const core::Fatal& fatal) {
    EXPECT_NE(std::string(fatal.what()).find("vie+eng"), std::string::npos) << fatal.what();
  }
}

TEST_F(TesseractEngineTest, FactoryLimitsOpenMpOnlyWhenUnset) {
  const char* old = std::getenv("OMP_THREAD_LIMIT");
  const std::optional<std::string> saved =
      old != nullptr ? std::optional<std::string>(old) : std::nullopt;
  // libgomp is loaded with Tesseract; OpenMP's own query tells whether regions may go parallel.
  void* symbol = dlsym(RTLD_DEFAULT, "omp_get_max_active_levels");
  ASSERT_NE(symbol, nullptr);
  int (*max_active_levels)() = nullptr;
  std::memcpy(&max_active_levels, &symbol, sizeof(symbol));

  unsetenv("OMP_THREAD_LIMIT");
  { TesseractEngineFactory factory("vie+eng"); }
  ASSERT_NE(std::getenv("OMP_THREAD_LIMIT"), nullptr);
  EXPECT_STREQ(std::getenv("OMP_THREAD_LIMIT"), "1");
  EXPECT_EQ(max_active_levels(), 0);
  setenv("OMP_THREAD_LIMIT", "3", 1);
  { TesseractEngineFactory factory("vie+eng"); }
  EXPECT_STREQ(std::getenv("OMP_THREAD_LIMIT"), "3");
  if (saved) {
    setenv("OMP_THREAD_LIMIT", saved->c_str(), 1);
  } else {
    unsetenv("OMP_THREAD_LIMIT");
  }
  EXPECT_EQ(s_factory->languages(), "vie+eng");
}

TEST(TesseractVersion, IsFive) {
  const std::string version = tesseract_version();
  EXPECT_EQ(version.rfind("5.", 0), 0U) << version;
}

}  // namespace
}  // namespace sohoa::ocr
