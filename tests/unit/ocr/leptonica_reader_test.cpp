// LeptonicaImageReader: formats, resolutions, colour kinds, and every way a scan file can be bad.
// Fixtures: tests/fixtures/ocr (made by make_fixtures.cpp, which says what each holds); the rest
// are written here with OpenCV or cut from the fixtures.

#include "sohoa/ocr/leptonica_reader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "temp_dir.hpp"

namespace sohoa::ocr {
namespace {

using core::ColourKind;
using core::PageOutcome;
using test::read_file;
using test::source_path;
using test::write_file;

std::filesystem::path fixture(const std::string& name) {
  return source_path("tests/fixtures/ocr/" + name);
}

class LeptonicaReaderTest : public test::TempDirTest {
 protected:
  // Copies fixture `name` to dir()/`relative`, optionally keeping only its first `keep` bytes.
  std::filesystem::path copy_fixture(const std::string& name, const std::string& relative,
                                     std::size_t keep = std::string::npos) {
    const std::string bytes = read_file(fixture(name));
    const auto path = dir() / std::filesystem::u8path(relative);
    write_file(path, bytes.substr(0, keep));
    return path;
  }

  LeptonicaImageReader m_reader;
};

TEST_F(LeptonicaReaderTest, ColourJpegKeepsColourAndItsResolution) {
  const auto count = m_reader.count_pages(fixture("colour_200dpi.jpg"));
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 1);

  const auto page = m_reader.read_page(fixture("colour_200dpi.jpg"), 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->kind, ColourKind::colour);
  EXPECT_EQ(page->pixels.type(), CV_8UC3);
  EXPECT_EQ(page->pixels.cols, 96);
  EXPECT_EQ(page->pixels.rows, 64);
  EXPECT_DOUBLE_EQ(page->dpi, 200.0);
  EXPECT_FALSE(page->dpi_assumed);
  // Left half red, right half blue, in BGR order (JPEG: give a tolerance).
  const auto left = page->pixels.at<cv::Vec3b>(32, 10);
  const auto right = page->pixels.at<cv::Vec3b>(32, 85);
  EXPECT_GT(left[2], 180);
  EXPECT_LT(left[0], 70);
  EXPECT_GT(right[0], 180);
  EXPECT_LT(right[2], 70);
}

TEST_F(LeptonicaReaderTest, GreyPngWithPhysIs300DpiGrey) {
  const auto page = m_reader.read_page(fixture("grey_300dpi.png"), 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->kind, ColourKind::grey);
  EXPECT_EQ(page->pixels.type(), CV_8UC1);
  EXPECT_EQ(page->pixels.size(), cv::Size(80, 60));
  EXPECT_DOUBLE_EQ(page->dpi, 300.0);
  EXPECT_FALSE(page->dpi_assumed);
  EXPECT_EQ(page->pixels.at<std::uint8_t>(5, 0), 0);
  EXPECT_EQ(page->pixels.at<std::uint8_t>(5, 79), 3 * 79);
}

TEST_F(LeptonicaReaderTest, AlphaIsCompositedOntoWhite) {
  const auto page = m_reader.read_page(fixture("alpha.png"), 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->kind, ColourKind::colour);
  ASSERT_EQ(page->pixels.type(), CV_8UC3);
  // Transparent black must read as paper white, not black.
  EXPECT_EQ(page->pixels.at<cv::Vec3b>(15, 5), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(page->pixels.at<cv::Vec3b>(15, 35), cv::Vec3b(0, 0, 255));
}

TEST_F(LeptonicaReaderTest, PngWithoutResolutionAssumes300Dpi) {
  // OpenCV writes no pHYs chunk at all.
  const auto path = dir() / "no_dpi.png";
  ASSERT_TRUE(cv::imwrite(path.string(), cv::Mat(20, 30, CV_8UC1, cv::Scalar(200))));
  const auto page = m_reader.read_page(path, 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_DOUBLE_EQ(page->dpi, 300.0);
  EXPECT_TRUE(page->dpi_assumed);
  EXPECT_EQ(page->pixels.at<std::uint8_t>(10, 10), 200);

  // A pHYs chunk of 0 x 0, unit unknown, is no resolution either.
  const auto zero = m_reader.read_page(fixture("zero_dpi.png"), 0);
  ASSERT_TRUE(zero) << zero.error().message;
  EXPECT_DOUBLE_EQ(zero->dpi, 300.0);
  EXPECT_TRUE(zero->dpi_assumed);
}

TEST_F(LeptonicaReaderTest, RgbWithEqualChannelsIsGrey) {
  const auto page = m_reader.read_page(fixture("grey_as_rgb.png"), 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->kind, ColourKind::grey);
  ASSERT_EQ(page->pixels.type(), CV_8UC1);
  EXPECT_EQ(page->pixels.at<std::uint8_t>(3, 20), 160);
}

TEST_F(LeptonicaReaderTest, PaletteAndSixteenBitAreExpanded) {
  const auto palette = m_reader.read_page(fixture("palette.png"), 0);
  ASSERT_TRUE(palette) << palette.error().message;
  EXPECT_EQ(palette->kind, ColourKind::colour);
  ASSERT_EQ(palette->pixels.type(), CV_8UC3);
  EXPECT_EQ(palette->pixels.at<cv::Vec3b>(5, 2), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(palette->pixels.at<cv::Vec3b>(5, 15), cv::Vec3b(0, 160, 0));

  const auto deep = m_reader.read_page(fixture("grey16.png"), 0);
  ASSERT_TRUE(deep) << deep.error().message;
  EXPECT_EQ(deep->kind, ColourKind::grey);
  ASSERT_EQ(deep->pixels.type(), CV_8UC1);
  EXPECT_EQ(deep->pixels.at<std::uint8_t>(4, 4), 0xAB);
}

TEST_F(LeptonicaReaderTest, MultiPageG4TiffGivesEveryBilevelPage) {
  const auto path = fixture("pages_g4.tif");
  const auto count = m_reader.count_pages(path);
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 3);
  for (int page_idx = 0; page_idx < 3; ++page_idx) {
    SCOPED_TRACE(page_idx);
    const auto page = m_reader.read_page(path, page_idx);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->kind, ColourKind::bilevel);
    ASSERT_EQ(page->pixels.type(), CV_8UC1);
    EXPECT_EQ(page->pixels.cols, 300 + 10 * page_idx);
    EXPECT_EQ(page->pixels.rows, 200 + 10 * page_idx);
    EXPECT_DOUBLE_EQ(page->dpi, 300.0);
    // Black square at [10, 50) on white: polarity must be right.
    EXPECT_EQ(page->pixels.at<std::uint8_t>(30, 30), 0);
    EXPECT_EQ(page->pixels.at<std::uint8_t>(100, 100), 255);
    EXPECT_EQ(cv::countNonZero(page->pixels == 0), 40 * 40);
  }
  const auto beyond = m_reader.read_page(path, 3);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().outcome, PageOutcome::unreadable);
  EXPECT_NE(beyond.error().message.find("no page 4"), std::string::npos) << beyond.error().message;
  const auto negative = m_reader.read_page(path, -1);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().outcome, PageOutcome::unreadable);
}

TEST_F(LeptonicaReaderTest, TextRenderedTiffFromText2ImageIsBlackOnWhite) {
  // text2image writes PhotometricInterpretation=WhiteIsZero; most of a text page is white.
  const auto page = m_reader.read_page(fixture("vie_lines.tif"), 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->kind, ColourKind::bilevel);
  EXPECT_EQ(page->pixels.size(), cv::Size(1400, 400));
  const double white_share = static_cast<double>(cv::countNonZero(page->pixels)) /
                             static_cast<double>(page->pixels.total());
  EXPECT_GT(white_share, 0.8);
  EXPECT_LT(white_share, 0.999);
}

TEST_F(LeptonicaReaderTest, ZeroByteFileIsEmptyFile) {
  const auto path = dir() / "empty.tif";
  write_file(path, "");
  const auto count = m_reader.count_pages(path);
  ASSERT_FALSE(count);
  EXPECT_EQ(count.error().outcome, PageOutcome::empty_file);
  EXPECT_EQ(count.error().message, "empty file (0 bytes)");
  const auto page = m_reader.read_page(path, 0);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().outcome, PageOutcome::empty_file);
}

TEST_F(LeptonicaReaderTest, TextFileNamedJpgIsNotAnImage) {
  const auto path = dir() / "scan.jpg";
  write_file(path, "Biên bản họp ngày 12/3: không phải ảnh, chỉ là văn bản thuần.\n");
  const auto count = m_reader.count_pages(path);
  ASSERT_FALSE(count);
  EXPECT_EQ(count.error().outcome, PageOutcome::unreadable);
  EXPECT_EQ(count.error().message.rfind("not an image", 0), 0U) << count.error().message;
  const auto page = m_reader.read_page(path, 0);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().outcome, PageOutcome::unreadable);

  const auto tiny = dir() / "tiny.png";
  write_file(tiny, "PNG");
  const auto short_page = m_reader.read_page(tiny, 0);
  ASSERT_FALSE(short_page);
  EXPECT_EQ(short_page.error().outcome, PageOutcome::unreadable);
}

TEST_F(LeptonicaReaderTest, OtherImageFormatsAreUnsupported) {
  const auto path = dir() / "scan.bmp";
  ASSERT_TRUE(cv::imwrite(path.string(), cv::Mat(10, 10, CV_8UC3, cv::Scalar(1, 2, 3))));
  const auto page = m_reader.read_page(path, 0);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().outcome, PageOutcome::unsupported);
  EXPECT_NE(page.error().message.find("BMP"), std::string::npos) << page.error().message;

  const auto pdf = dir() / "scan.pdf";
  write_file(pdf, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n");
  const auto pdf_page = m_reader.read_page(pdf, 0);
  ASSERT_FALSE(pdf_page);
  EXPECT_EQ(pdf_page.error().outcome, PageOutcome::unsupported);
}

TEST_F(LeptonicaReaderTest, TruncatedJpegIsAnErrorNotAGreyHalfPage) {
  // A bigger, noisier JPEG than the fixture so that half of it cuts through the scan data.
  cv::Mat noise(400, 300, CV_8UC3);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
  const auto whole = dir() / "whole.jpg";
  ASSERT_TRUE(cv::imwrite(whole.string(), noise));
  const std::string bytes = read_file(whole);
  const auto cut = dir() / "cut.jpg";
  write_file(cut, bytes.substr(0, bytes.size() / 2));

  ASSERT_TRUE(m_reader.read_page(whole, 0));
  const auto page = m_reader.read_page(cut, 0);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().outcome, PageOutcome::unreadable);
  EXPECT_EQ(page.error().message, "corrupt or truncated JPEG");
}

TEST_F(LeptonicaReaderTest, TruncatedPngIsAnError) {
  cv::Mat noise(200, 200, CV_8UC1);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
  const auto whole = dir() / "whole.png";
  ASSERT_TRUE(cv::imwrite(whole.string(), noise));
  const std::string bytes = read_file(whole);
  const auto cut = dir() / "cut.png";
  write_file(cut, bytes.substr(0, bytes.size() / 2));

  const auto page = m_reader.read_page(cut, 0);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().outcome, PageOutcome::unreadable);
  EXPECT_EQ(page.error().message, "corrupt or truncated PNG");
}

TEST_F(LeptonicaReaderTest, TruncatedTiffIsAnError) {
  const std::string bytes = read_file(fixture("form_page.tif"));
  const auto cut = dir() / "cut.tif";
  write_file(cut, bytes.substr(0, bytes.size() / 2));
  const auto page = m_reader.read_page(cut, 0);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().outcome, PageOutcome::unreadable);
  EXPECT_EQ(page.error().message, "corrupt or truncated TIFF");
}

TEST_F(LeptonicaReaderTest, BadFilesPrintNothing) {
  const std::string jpeg = read_file(fixture("colour_200dpi.jpg"));
  const std::string tiff = read_file(fixture("form_page.tif"));
  write_file(dir() / "a.jpg", jpeg.substr(0, jpeg.size() / 2));
  write_file(dir() / "b.tif", tiff.substr(0, tiff.size() / 2));
  write_file(dir() / "c.tif", "II*\0garbage garbage garbage");
  write_file(dir() / "d.png", std::string("\x89PNG\r\n\x1a\n", 8) + "garbage garbage");

  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  for (const char* name : {"a.jpg", "b.tif", "c.tif", "d.png"}) {
    EXPECT_FALSE(m_reader.count_pages(dir() / name) && m_reader.read_page(dir() / name, 0)) << name;
  }
  const std::string out = testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, "");
  EXPECT_EQ(out, "");
}

TEST_F(LeptonicaReaderTest, MissingFileAndDirectoryAreIoErrors) {
  const auto missing = m_reader.read_page(dir() / "gone.tif", 0);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().outcome, PageOutcome::io_error);
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos)
      << missing.error().message;

  const auto folder = m_reader.count_pages(dir());
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().outcome, PageOutcome::io_error);

  if (geteuid() != 0) {  // root reads anything
    const auto locked = copy_fixture("grey_300dpi.png", "locked.png");
    ::chmod(locked.c_str(), 0);
    const auto page = m_reader.read_page(locked, 0);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().outcome, PageOutcome::io_error);
    EXPECT_NE(page.error().message.find("Permission denied"), std::string::npos);
  }
}

TEST_F(LeptonicaReaderTest, VietnamesePathWithSpacesReads) {
  const auto path = copy_fixture("grey_300dpi.png", "Hồ sơ 01/trang 1.png");
  const auto count = m_reader.count_pages(path);
  ASSERT_TRUE(count) << count.error().message;
  const auto page = m_reader.read_page(path, 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->pixels.size(), cv::Size(80, 60));
}

TEST_F(LeptonicaReaderTest, ReadsFromManyThreadsAtOnce) {
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (std::size_t thread_idx = 0; thread_idx < good.size(); ++thread_idx) {
    threads.emplace_back([this, thread_idx, &good] {
      for (int round = 0; round < 10; ++round) {
        const auto page = m_reader.read_page(fixture("pages_g4.tif"), round % 3);
        const auto jpeg = m_reader.read_page(fixture("colour_200dpi.jpg"), 0);
        if (page && jpeg && page->pixels.cols == 300 + 10 * (round % 3)) {
          ++good[thread_idx];
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const int count : good) {
    EXPECT_EQ(count, 10);
  }
}

}  // namespace
}  // namespace sohoa::ocr
