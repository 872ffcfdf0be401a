// HaruPdfWriter: semantic checks of the written PDF with the tools an archivist would use
// (qpdf, poppler's pdftotext/pdfinfo/pdftoppm), never byte goldens (STYLE.md §16).

#include "sohoa/ocr/haru_pdf_writer.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <charconv>
#include <cmath>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "temp_dir.hpp"

namespace sohoa::ocr {
namespace {

using core::EncodedImage;
using core::OcrWord;
using core::PdfDossier;
using core::ProcessedPage;

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout
  std::string errors;  // stderr: the tools' warnings about the file land here
};

CommandResult run(const std::string& command) {
  CommandResult result;
  const auto errors_path = test::make_temp_dir("sohoa-cmd") / "stderr";
  FILE* pipe = popen((command + " 2>'" + errors_path.string() + "'").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), got);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.errors = test::read_file(errors_path);
  std::filesystem::remove_all(errors_path.parent_path());
  return result;
}

bool have_tool(const std::string& name) {
  return run("command -v " + name + " >/dev/null").exit_code == 0;
}

#define REQUIRE_TOOL(name)                                              \
  do {                                                                  \
    if (!have_tool(name)) {                                             \
      GTEST_SKIP() << name << " is not installed (Debian: qpdf / poppler-utils)"; \
    }                                                                   \
  } while (false)

std::string quote(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// A word on the page, its box in image pixels; the line's baseline is set by make_page.
struct WordSpec {
  std::string text;
  core::Box box;
  int line = 0;
};

// Lines of words laid out left to right, 1/10 inch high, with gaps of a word space.
std::vector<WordSpec> layout_lines(const std::vector<std::vector<std::string>>& lines, double dpi) {
  std::vector<WordSpec> words;
  const int height = static_cast<int>(dpi / 10);
  int y = static_cast<int>(dpi / 4);
  for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    int x = static_cast<int>(dpi / 4);
    for (const std::string& text : lines[line_idx]) {
      // Roughly proportional to the number of code points.
      int code_points = 0;
      for (char ch : text) {
        code_points += (static_cast<unsigned char>(ch) & 0xC0U) != 0x80U ? 1 : 0;
      }
      const int width = code_points * height * 6 / 10;
      words.push_back({text, core::Box{x, y, width, height}, static_cast<int>(line_idx)});
      x += width + height / 2;
    }
    y += height * 2;
  }
  return words;
}

// An archive image with a black bar on each word box (white elsewhere).
cv::Mat draw_words(int width, int height, const std::vector<WordSpec>& words) {
  cv::Mat pixels(height, width, CV_8UC1, cv::Scalar(255));
  for (const WordSpec& word : words) {
    cv::rectangle(pixels, cv::Rect(word.box.x, word.box.y, word.box.width, word.box.height),
                  cv::Scalar(0), cv::FILLED);
  }
  return pixels;
}

EncodedImage encode_jpeg(const cv::Mat& pixels, double dpi) {
  EncodedImage image;
  image.format = EncodedImage::Format::jpeg;
  cv::imencode(".jpg", pixels, image.bytes, {cv::IMWRITE_JPEG_QUALITY, 85});
  image.width = pixels.cols;
  image.height = pixels.rows;
  image.channels = pixels.channels();
  image.dpi = dpi;
  return image;
}

// Packs a CV_8UC1 image: 1 bit per pixel, 1 = black (< 128), MSB first, rows padded to bytes.
EncodedImage encode_bilevel(const cv::Mat& pixels, double dpi) {
  EncodedImage image;
  image.format = EncodedImage::Format::bilevel;
  const int row_bytes = (pixels.cols + 7) / 8;
  image.bytes.assign(static_cast<std::size_t>(row_bytes) * static_cast<std::size_t>(pixels.rows), 0);
  for (int row = 0; row < pixels.rows; ++row) {
    for (int col = 0; col < pixels.cols; ++col) {
      if (pixels.at<std::uint8_t>(row, col) < 128) {
        image.bytes[static_cast<std::size_t>(row * row_bytes + col / 8)] |=
            static_cast<std::uint8_t>(0x80U >> static_cast<unsigned>(col % 8));
      }
    }
  }
  image.width = pixels.cols;
  image.height = pixels.rows;
  image.channels = 1;
  image.dpi = dpi;
  return image;
}

ProcessedPage make_page(int seq, int width, int height, double dpi, const std::vector<WordSpec>& words,
                        bool bilevel = false) {
  ProcessedPage page;
  page.seq = seq;
  page.width = width;
  page.height = height;
  page.dpi = dpi;
  const cv::Mat pixels = draw_words(width, height, words);
  page.kind = bilevel ? core::ColourKind::bilevel : core::ColourKind::grey;
  page.archive_image = bilevel ? encode_bilevel(pixels, dpi) : encode_jpeg(pixels, dpi);
  for (const WordSpec& spec : words) {
    OcrWord word;
    word.text = spec.text;
    word.box = spec.box;
    word.confidence = 90.0F;
    word.line = spec.line;
    // Text without descenders: the baseline is the bottom of the box, less a pixel.
    word.baseline = spec.box.y + spec.box.height - 1;
    page.ocr.words.push_back(word);
  }
  return page;
}

core::DossierMeta vietnamese_meta() {
  core::DossierMeta meta;
  meta.code = "000.00.01.H38-260112-0001";
  meta.title = "Hồ sơ đăng ký kinh doanh hộ cá thể";
  meta.procedure_code = "1.001612.000.00.00.H38";
  meta.procedure_name = "Đăng ký thành lập hộ kinh doanh";
  meta.agency = "Sở Kế hoạch và Đầu tư";
  meta.unit = "Trung tâm Phục vụ hành chính công tỉnh";
  meta.level = core::Level::province;
  meta.received_date = "2026-01-12";
  meta.applicant = "Nguyễn Văn A & <Cty>";
  meta.extra = {{"ghi_chu", "bản gốc"}};
  return meta;
}

PdfDossier make_dossier(const std::vector<ProcessedPage>& pages) {
  PdfDossier dossier;
  dossier.meta = vietnamese_meta();
  dossier.pages = &pages;
  dossier.languages = "vie+eng";
  dossier.producer = "sohoa 0.1.0";
  dossier.created = std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + std::chrono::hours{9} +
                    std::chrono::minutes{30} + std::chrono::seconds{5};
  return dossier;
}

const std::vector<std::vector<std::string>> k_vietnamese_lines = {
    {"Cộng", "hòa", "xã", "hội", "chủ", "nghĩa", "Việt", "Nam"},
    {"Đăng", "ký", "kinh", "doanh"},
};

std::string trim_right(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\f' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

struct BoxF {
  double x_min = 0;
  double y_min = 0;
  double x_max = 0;
  double y_max = 0;
};

double area(const BoxF& box) {
  return std::max(0.0, box.x_max - box.x_min) * std::max(0.0, box.y_max - box.y_min);
}

double iou(const BoxF& lhs, const BoxF& rhs) {
  const BoxF inter{std::max(lhs.x_min, rhs.x_min), std::max(lhs.y_min, rhs.y_min),
                   std::min(lhs.x_max, rhs.x_max), std::min(lhs.y_max, rhs.y_max)};
  const double both = area(inter);
  return both / (area(lhs) + area(rhs) - both);
}

struct BboxWord {
  std::string text;
  BoxF box;  // points, origin top-left
};

// The value of attribute `name` in `tag` (`name="1.5"`), as a number; NaN when absent.
double attribute(const std::string& tag, const std::string& name) {
  const std::string key = name + "=\"";
  const std::size_t at = tag.find(key);
  double value = std::nan("");
  if (at != std::string::npos) {
    const char* first = tag.data() + at + key.size();
    std::from_chars(first, tag.data() + tag.size(), value);
  }
  return value;
}

std::vector<BboxWord> pdftotext_bbox(const std::filesystem::path& pdf, int page) {
  const auto result = run("pdftotext -enc UTF-8 -bbox -f " + std::to_string(page) + " -l " +
                          std::to_string(page) + " " + quote(pdf) + " -");
  std::vector<BboxWord> words;
  const std::string& html = result.output;
  for (std::size_t open = html.find("<word "); open != std::string::npos; open = html.find("<word ", open + 1)) {
    const std::size_t tag_end = html.find('>', open);
    const std::size_t close = html.find("</word>", tag_end);
    if (tag_end == std::string::npos || close == std::string::npos) {
      break;
    }
    const std::string tag = html.substr(open, tag_end - open);
    words.push_back({html.substr(tag_end + 1, close - tag_end - 1),
                     BoxF{attribute(tag, "xMin"), attribute(tag, "yMin"), attribute(tag, "xMax"),
                          attribute(tag, "yMax")}});
  }
  return words;
}

class HaruPdfWriterTest : public test::TempDirTest {
 protected:
  // The first nine columns of `pdfimages -list` for the first image of `pdf` (page num type width
  // height color comp bpc enc); the header takes two lines. Empty when pdfimages fails.
  static std::vector<std::string> first_image_columns(const std::filesystem::path& pdf) {
    const auto list = run("pdfimages -list " + quote(pdf));
    std::istringstream lines(list.output);
    std::string header;
    std::string rule;
    std::getline(lines, header);
    std::getline(lines, rule);
    std::vector<std::string> fields{std::istream_iterator<std::string>(lines), std::istream_iterator<std::string>()};
    if (list.exit_code != 0 || fields.size() < 9U) {
      return {};
    }
    fields.resize(9);
    return fields;
  }

  std::filesystem::path write_pdf(const std::vector<ProcessedPage>& pages, const std::string& name = "out.pdf") {
    const PdfDossier dossier = make_dossier(pages);
    const auto path = dir() / name;
    const auto written = m_writer.write(dossier, path);
    EXPECT_TRUE(written.has_value()) << (written ? std::string() : written.error());
    return path;
  }

  HaruPdfWriter m_writer;
};

TEST_F(HaruPdfWriterTest, PassesQpdfCheckWithoutWarnings) {
  REQUIRE_TOOL("qpdf");
  const std::vector<ProcessedPage> pages = {
      make_page(1, 900, 600, 300, layout_lines(k_vietnamese_lines, 300)),
      make_page(2, 600, 400, 200, layout_lines(k_vietnamese_lines, 200), true)};
  const auto pdf = write_pdf(pages);
  const auto check = run("qpdf --check " + quote(pdf));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output.find("WARNING"), std::string::npos) << check.output;
  EXPECT_EQ(check.errors, "");
}

TEST_F(HaruPdfWriterTest, TextRoundTripsVietnameseInReadingOrder) {
  REQUIRE_TOOL("pdftotext");
  const std::vector<ProcessedPage> pages = {make_page(1, 900, 600, 300, layout_lines(k_vietnamese_lines, 300))};
  const auto pdf = write_pdf(pages);
  const auto text = run("pdftotext -enc UTF-8 " + quote(pdf) + " -");
  ASSERT_EQ(text.exit_code, 0) << text.errors;
  EXPECT_EQ(trim_right(text.output), "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐăng ký kinh doanh");
  EXPECT_EQ(text.errors, "") << "poppler must not complain about the font";
}

TEST_F(HaruPdfWriterTest, WordBoxesLieOnTheImageWordsAt300And200Dpi) {
  REQUIRE_TOOL("pdftotext");
  for (const double dpi : {300.0, 200.0}) {
    SCOPED_TRACE("dpi " + std::to_string(dpi));
    const auto specs = layout_lines(k_vietnamese_lines, dpi);
    const std::vector<ProcessedPage> pages = {make_page(1, static_cast<int>(dpi * 3), static_cast<int>(dpi * 2), dpi, specs)};
    const auto pdf = write_pdf(pages, "dpi" + std::to_string(static_cast<int>(dpi)) + ".pdf");
    const auto found = pdftotext_bbox(pdf, 1);
    ASSERT_EQ(found.size(), specs.size());
    const double scale = 72.0 / dpi;
    for (std::size_t idx = 0; idx < specs.size(); ++idx) {
      const core::Box& box = specs[idx].box;
      const BoxF expected{box.x * scale, box.y * scale, (box.x + box.width) * scale,
                          (box.y + box.height) * scale};
      EXPECT_EQ(found[idx].text, specs[idx].text);
      EXPECT_GE(iou(found[idx].box, expected), 0.8)
          << specs[idx].text << " got " << found[idx].box.x_min << "," << found[idx].box.y_min << " "
          << found[idx].box.x_max << "," << found[idx].box.y_max << " want " << expected.x_min << ","
          << expected.y_min << " " << expected.x_max << "," << expected.y_max;
      // Horizontally the word spans its box exactly (the scaling fits the advance width).
      EXPECT_NEAR(found[idx].box.x_min, expected.x_min, 0.5);
      EXPECT_NEAR(found[idx].box.x_max, expected.x_max, 0.5);
    }
  }
}

// Three lines of a real birth-registration form as Tesseract boxed them at 300 dpi
// (samples/batch/000.41.31.H38-260520-0004/1.jpg): ink-tight boxes of very different heights on
// one line (capitals with marks, x-height words, a dash 6 px high, descenders), two blocks.
struct RealWord {
  const char* text;
  int x, y, width, height, line, block, baseline;
};
const std::vector<RealWord> k_form_lines = {
    {"Độc", 923, 316, 98, 49, 0, 0, 355},    {"lập", 1042, 316, 80, 48, 0, 0, 355},
    {"-", 1143, 338, 14, 6, 0, 0, 355},      {"Tự", 1177, 319, 74, 45, 0, 0, 355},
    {"do", 1266, 318, 62, 37, 0, 0, 355},    {"-", 1349, 338, 14, 6, 0, 0, 355},
    {"Hạnh", 1385, 318, 143, 46, 0, 0, 355}, {"phúc", 1547, 316, 129, 48, 0, 0, 355},
    {"Nơi", 356, 826, 87, 38, 1, 1, 864},    {"cư", 462, 836, 60, 28, 1, 1, 864},
    {"trú:", 537, 823, 87, 41, 1, 1, 864},   {"thôn", 646, 823, 112, 41, 1, 1, 864},
    {"Đông", 778, 823, 131, 51, 1, 1, 864},  {"Phước,", 929, 823, 164, 46, 1, 1, 864},
    {"xã", 1115, 824, 55, 40, 1, 1, 864},    {"Hòa", 1191, 823, 98, 41, 1, 1, 864},
    {"Quan", 357, 898, 131, 45, 2, 1, 937},  {"hệ", 507, 895, 57, 50, 2, 1, 937},
    {"với", 583, 895, 73, 41, 2, 1, 937},    {"người", 675, 895, 140, 51, 2, 1, 937},
    {"được", 833, 897, 119, 48, 2, 1, 937},  {"khai", 971, 897, 106, 39, 2, 1, 937},
    {"sinh:", 1097, 897, 115, 39, 2, 1, 937},
};

ProcessedPage form_page(double dpi) {
  std::vector<WordSpec> specs;
  for (const RealWord& word : k_form_lines) {
    specs.push_back({word.text, core::Box{word.x, word.y, word.width, word.height}, word.line});
  }
  ProcessedPage page = make_page(1, 2481, 1100, dpi, specs);
  for (std::size_t idx = 0; idx < k_form_lines.size(); ++idx) {
    page.ocr.words[idx].block = k_form_lines[idx].block;
    page.ocr.words[idx].baseline = k_form_lines[idx].baseline;
  }
  return page;
}

TEST_F(HaruPdfWriterTest, EveryWordBoxOfARealFormLiesOnItsOcrBox) {
  REQUIRE_TOOL("pdftotext");
  const std::vector<ProcessedPage> pages = {form_page(300)};
  const auto pdf = write_pdf(pages);
  const auto found = pdftotext_bbox(pdf, 1);
  ASSERT_EQ(found.size(), k_form_lines.size());
  const double scale = 72.0 / 300;
  for (std::size_t idx = 0; idx < found.size(); ++idx) {
    const RealWord& word = k_form_lines[idx];
    const BoxF expected{word.x * scale, word.y * scale, (word.x + word.width) * scale,
                        (word.y + word.height) * scale};
    EXPECT_EQ(found[idx].text, word.text);
    // The strictest reading of "the highlight lies on the word": the dash, the x-height words and
    // the capitals with marks all overlap their own ink box, not the line's.
    EXPECT_GE(iou(found[idx].box, expected), 0.85)
        << word.text << " got " << found[idx].box.y_min << ".." << found[idx].box.y_max << " want "
        << expected.y_min << ".." << expected.y_max;
  }
}

TEST_F(HaruPdfWriterTest, RealFormExtractsAsItsLinesWithSpacesBetweenWords) {
  REQUIRE_TOOL("pdftotext");
  const std::vector<ProcessedPage> pages = {form_page(300)};
  const auto pdf = write_pdf(pages);
  const std::string lines =
      "Độc lập - Tự do - Hạnh phúc\n"
      "Nơi cư trú: thôn Đông Phước, xã Hòa\n"
      "Quan hệ với người được khai sinh:";
  for (const std::string mode : {"", "-raw "}) {
    SCOPED_TRACE("pdftotext " + mode);
    const auto text = run("pdftotext -enc UTF-8 " + mode + quote(pdf) + " -");
    ASSERT_EQ(text.exit_code, 0) << text.errors;
    EXPECT_EQ(text.errors, "");
    std::string got = trim_right(text.output);
    // The layout mode separates the two blocks by an empty line; the lines themselves must match.
    if (const std::size_t blank = got.find("\n\n"); blank != std::string::npos) {
      got.erase(blank, 1);
    }
    EXPECT_EQ(got, lines);
  }
}

TEST_F(HaruPdfWriterTest, WordsAlmostTouchingStillExtractWithASpace) {
  REQUIRE_TOOL("pdftotext");
  // At 300 dpi: a logo 120 px tall above a line of 40 px words, one block (so its font size,
  // the median line height, is the logo's: 28.8 pt), "Linn" and "Electronics," 11 px (2.6 pt)
  // apart; then a block of 40 px text (9.6 pt), "the" and "first" 4 px (1 pt) apart. Both gaps
  // are under a tenth of the font size, which pdftotext -raw read as no space at all.
  const std::vector<WordSpec> words = {
      {"LINN", {300, 100, 600, 120}, 0},
      {"LOGO", {300, 260, 600, 120}, 1},
      {"Linn", {300, 420, 69, 40}, 2},
      {"Electronics,", {380, 420, 173, 40}, 2},
      {"the", {300, 520, 46, 40}, 3},
      {"first", {350, 520, 67, 40}, 3},
  };
  ProcessedPage page = make_page(1, 1200, 600, 300, words);
  page.ocr.words[4].block = 1;
  page.ocr.words[5].block = 1;
  const auto pdf = write_pdf({page});
  for (const std::string mode : {"", "-raw "}) {
    SCOPED_TRACE("pdftotext " + mode);
    const auto text = run("pdftotext -enc UTF-8 " + mode + quote(pdf) + " -");
    EXPECT_NE(text.output.find("Linn Electronics,"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("the first"), std::string::npos) << text.output;
  }
  // The words keep their boxes but for the narrowing, at most 15 % of a word's width.
  const std::vector<BboxWord> boxes = pdftotext_bbox(pdf, 1);
  ASSERT_EQ(boxes.size(), words.size());
  for (std::size_t idx = 0; idx < words.size(); ++idx) {
    const double scale = 72.0 / 300.0;
    EXPECT_NEAR(boxes[idx].box.x_min, words[idx].box.x * scale, 0.1) << words[idx].text;
    const double width = words[idx].box.width * scale;
    EXPECT_GE(boxes[idx].box.x_max - boxes[idx].box.x_min, 0.85 * width - 0.05) << words[idx].text;
    EXPECT_LE(boxes[idx].box.x_max - boxes[idx].box.x_min, width + 0.05) << words[idx].text;
  }
}

TEST_F(HaruPdfWriterTest, DecomposedOcrTextExtractsInNfc) {
  REQUIRE_TOOL("pdftotext");
  // "Tự" with U+01B0 decomposed (u, combining horn, combining dot below) and "Việt" likewise.
  auto specs = layout_lines({{"T" "u\u031B\u0323", "Vi" "e\u0323\u0302" "t"}}, 300);
  const std::vector<ProcessedPage> pages = {make_page(1, 900, 300, 300, specs)};
  const auto pdf = write_pdf(pages);
  const auto text = run("pdftotext -enc UTF-8 " + quote(pdf) + " -");
  EXPECT_EQ(trim_right(text.output), "T\u1EF1 Vi\u1EC7t");
  EXPECT_EQ(text.errors, "");
}

TEST_F(HaruPdfWriterTest, PageSizeInPointsFollowsPixelsAndDpi) {
  REQUIRE_TOOL("pdfinfo");
  const std::vector<ProcessedPage> pages = {make_page(1, 1200, 900, 300, {}),
                                            make_page(2, 400, 500, 200, {}, true)};
  const auto pdf = write_pdf(pages);
  const auto info = run("pdfinfo -f 1 -l 2 " + quote(pdf));
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("Page    1 size:  288 x 216 pts"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("Page    2 size:  144 x 180 pts"), std::string::npos) << info.output;
}

TEST_F(HaruPdfWriterTest, InfoDictionaryShowsVietnameseMetadata) {
  REQUIRE_TOOL("pdfinfo");
  const std::vector<ProcessedPage> pages = {make_page(1, 300, 300, 300, {})};
  const auto pdf = write_pdf(pages);
  const auto info = run("pdfinfo -custom -isodates " + quote(pdf));
  ASSERT_EQ(info.exit_code, 0) << info.output;
  const std::string& out = info.output;
  EXPECT_NE(out.find("Title:           Hồ sơ đăng ký kinh doanh hộ cá thể\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Subject:         Đăng ký thành lập hộ kinh doanh\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Creator:         sohoa\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Producer:        sohoa 0.1.0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("CreationDate:    2026-01-15T09:30:05"), std::string::npos) << out;
  EXPECT_NE(out.find("ModDate:         2026-01-15T09:30:05"), std::string::npos) << out;
  EXPECT_NE(out.find("DossierCode:     000.00.01.H38-260112-0001\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Agency:          Sở Kế hoạch và Đầu tư\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Level:           province\n"), std::string::npos) << out;
  EXPECT_NE(out.find("PageCount:       1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("OcrLanguages:    vie+eng\n"), std::string::npos) << out;
  const auto plain = run("pdfinfo " + quote(pdf));
  EXPECT_NE(plain.output.find("PDF version:     1.4\n"), std::string::npos) << plain.output;
}

TEST_F(HaruPdfWriterTest, TitleFallsBackToTheDossierCode) {
  REQUIRE_TOOL("pdfinfo");
  const std::vector<ProcessedPage> pages = {make_page(1, 300, 300, 300, {})};
  PdfDossier dossier = make_dossier(pages);
  dossier.meta.title.clear();
  const auto pdf = dir() / "untitled.pdf";
  ASSERT_TRUE(m_writer.write(dossier, pdf).has_value());
  const auto info = run("pdfinfo " + quote(pdf));
  EXPECT_NE(info.output.find("Title:           000.00.01.H38-260112-0001\n"), std::string::npos) << info.output;
  const auto xmp = run("pdfinfo -meta " + quote(pdf));
  EXPECT_NE(xmp.output.find("<rdf:li xml:lang=\"x-default\">000.00.01.H38-260112-0001</rdf:li>"),
            std::string::npos)
      << xmp.output;
}

TEST_F(HaruPdfWriterTest, XmpCarriesPdfaIdentificationAndDossierFields) {
  REQUIRE_TOOL("pdfinfo");
  const std::vector<ProcessedPage> pages = {make_page(1, 300, 300, 300, {})};
  const auto pdf = write_pdf(pages);
  const auto meta = run("pdfinfo -meta " + quote(pdf));
  ASSERT_EQ(meta.exit_code, 0) << meta.output;
  const std::string& xmp = meta.output;
  EXPECT_NE(xmp.find("<pdfaid:part>1</pdfaid:part>"), std::string::npos) << xmp;
  EXPECT_NE(xmp.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);
  EXPECT_NE(xmp.find("xmlns:sohoa=\"urn:sohoa:metadata:1.0:\""), std::string::npos);
  EXPECT_NE(xmp.find("<sohoa:dossierCode>000.00.01.H38-260112-0001</sohoa:dossierCode>"), std::string::npos);
  EXPECT_NE(xmp.find("<sohoa:procedureName>Đăng ký thành lập hộ kinh doanh</sohoa:procedureName>"),
            std::string::npos);
  EXPECT_NE(xmp.find("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Hồ sơ đăng ký kinh doanh hộ cá thể"),
            std::string::npos);
  EXPECT_NE(xmp.find("<xmp:CreateDate>2026-01-15T09:30:05Z</xmp:CreateDate>"), std::string::npos);
  EXPECT_NE(xmp.find("<pdf:Producer>sohoa 0.1.0</pdf:Producer>"), std::string::npos);
  EXPECT_NE(xmp.find("<rdf:li>vi</rdf:li><rdf:li>en</rdf:li>"), std::string::npos);
  // Values are XML-escaped.
  EXPECT_NE(xmp.find("<sohoa:applicant>Nguyễn Văn A &amp; &lt;Cty&gt;</sohoa:applicant>"), std::string::npos)
      << xmp;
  EXPECT_NE(xmp.find("<rdf:li>ghi_chu=bản gốc</rdf:li>"), std::string::npos);
}

TEST_F(HaruPdfWriterTest, HasExactlyOneUncompressedMetadataStreamAndAnId) {
  REQUIRE_TOOL("qpdf");
  const std::vector<ProcessedPage> pages = {make_page(1, 300, 300, 300, {})};
  const auto pdf = write_pdf(pages);
  // QDF form: one object per line group, names normalised, no object streams.
  const auto qdf = dir() / "qdf.pdf";
  const auto normalised = run("qpdf --qdf --object-streams=disable " + quote(pdf) + " " + quote(qdf));
  ASSERT_EQ(normalised.exit_code, 0) << normalised.output;
  const std::string text = test::read_file(qdf);
  std::size_t count = 0;
  for (std::size_t pos = text.find("/Type /Metadata"); pos != std::string::npos;
       pos = text.find("/Type /Metadata", pos + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1U);
  const auto raw = test::read_file(pdf);
  EXPECT_NE(raw.find("<pdfaid:part>1</pdfaid:part>"), std::string::npos) << "XMP must not be compressed";
  const auto trailer = run("qpdf --show-object=trailer " + quote(pdf));
  EXPECT_NE(trailer.output.find("/ID [ <"), std::string::npos) << trailer.output;
}

TEST_F(HaruPdfWriterTest, SameInputGivesTheSameBytes) {
  const std::vector<ProcessedPage> pages = {make_page(1, 600, 300, 300, layout_lines(k_vietnamese_lines, 300))};
  const auto first = test::read_file(write_pdf(pages, "a.pdf"));
  const auto second = test::read_file(write_pdf(pages, "b.pdf"));
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST_F(HaruPdfWriterTest, BilevelPageRendersBlackWherePixelsAreBlack) {
  REQUIRE_TOOL("pdftoppm");
  // A black block in the top-left quarter only: catches inverted bits and flipped rows.
  constexpr int k_width = 203;  // not a multiple of 8: rows are padded
  constexpr int k_height = 150;
  cv::Mat pixels(k_height, k_width, CV_8UC1, cv::Scalar(255));
  cv::rectangle(pixels, cv::Rect(10, 10, 80, 50), cv::Scalar(0), cv::FILLED);
  ProcessedPage page = make_page(1, k_width, k_height, 100, {}, true);
  page.archive_image = encode_bilevel(pixels, 100);
  const std::vector<ProcessedPage> pages = {page};
  const auto pdf = write_pdf(pages);
  const auto prefix = dir() / "render";
  const auto render = run("pdftoppm -gray -r 100 -singlefile " + quote(pdf) + " " + quote(prefix));
  ASSERT_EQ(render.exit_code, 0) << render.output;
  const cv::Mat rendered = cv::imread((dir() / "render.pgm").string(), cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(rendered.empty());
  ASSERT_NEAR(rendered.cols, k_width, 1);
  ASSERT_NEAR(rendered.rows, k_height, 1);
  EXPECT_LT(cv::mean(rendered(cv::Rect(15, 15, 70, 40)))[0], 20.0);          // the block
  EXPECT_GT(cv::mean(rendered(cv::Rect(120, 10, 70, 50)))[0], 235.0);        // right of it
  EXPECT_GT(cv::mean(rendered(cv::Rect(10, 90, 80, 50)))[0], 235.0);         // below it
}

TEST_F(HaruPdfWriterTest, ColourJpegPageIsDrawn) {
  REQUIRE_TOOL("pdfimages");
  cv::Mat colour(200, 300, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::rectangle(colour, cv::Rect(20, 20, 100, 50), cv::Scalar(0, 0, 255), cv::FILLED);
  ProcessedPage page = make_page(1, 300, 200, 150, {});
  page.kind = core::ColourKind::colour;
  page.archive_image = encode_jpeg(colour, 150);
  const std::vector<ProcessedPage> pages = {page};
  const auto pdf = write_pdf(pages);
  EXPECT_EQ(first_image_columns(pdf),
            (std::vector<std::string>{"1", "0", "image", "300", "200", "rgb", "3", "8", "jpeg"}));
}

TEST_F(HaruPdfWriterTest, ATurnedScanKeepsItsBytesAndIsDrawnWhereTheProcessedPageHasIt) {
  REQUIRE_TOOL("pdftoppm");
  REQUIRE_TOOL("pdfimages");
  // A 300 x 200 scan at 100 dpi with a block near its top-left corner, on a page turned 90°
  // clockwise and deskewed 3° more: the processed page is the scan turned by 93° on a canvas
  // that holds all of it (what pipeline::deskew(rotate_quarter(...)) makes).
  // The scanner lid's grey around the paper: the page around the turned scan takes it too.
  cv::Mat scan(200, 300, CV_8UC1, cv::Scalar(210));
  cv::rectangle(scan, cv::Rect(20, 20, 80, 40), cv::Scalar(0), cv::FILLED);
  constexpr double k_turn = 93.0;
  const double radians = k_turn * std::acos(-1.0) / 180.0;
  const int width = static_cast<int>(std::ceil(300 * std::abs(std::cos(radians)) + 200 * std::abs(std::sin(radians))));
  const int height = static_cast<int>(std::ceil(300 * std::abs(std::sin(radians)) + 200 * std::abs(std::cos(radians))));
  cv::Mat matrix = cv::getRotationMatrix2D(cv::Point2f(149.5F, 99.5F), -k_turn, 1.0);
  matrix.at<double>(0, 2) += (width - 300) / 2.0;
  matrix.at<double>(1, 2) += (height - 200) / 2.0;
  cv::Mat processed;
  cv::warpAffine(scan, processed, matrix, cv::Size(width, height), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar(210));

  ProcessedPage page = make_page(1, width, height, 100, {});
  page.archive_image = encode_jpeg(scan, 100);
  page.archive_turn_deg = k_turn;
  page.archive_fill = {210, 210, 210};
  const std::vector<ProcessedPage> pages = {page};
  const auto pdf = write_pdf(pages);

  // The scan is in the file as it was given: its size, its JPEG bytes.
  EXPECT_EQ(first_image_columns(pdf),
            (std::vector<std::string>{"1", "0", "image", "300", "200", "gray", "1", "8", "jpeg"}));
  const auto extracted = run("pdfimages -j " + quote(pdf) + " " + quote(dir() / "image"));
  ASSERT_EQ(extracted.exit_code, 0) << extracted.errors;
  const std::string jpeg = test::read_file(dir() / "image-000.jpg");
  EXPECT_TRUE(jpeg == std::string(page.archive_image.bytes.begin(), page.archive_image.bytes.end()))
      << "the JPEG was re-encoded (" << jpeg.size() << " bytes, " << page.archive_image.bytes.size()
      << " given)";

  // Drawn, it is the processed page: the block where the processed page has it.
  const auto render = run("pdftoppm -gray -r 100 -singlefile " + quote(pdf) + " " + quote(dir() / "render"));
  ASSERT_EQ(render.exit_code, 0) << render.errors;
  const cv::Mat rendered = cv::imread((dir() / "render.pgm").string(), cv::IMREAD_GRAYSCALE);
  ASSERT_NEAR(rendered.cols, width, 1);
  ASSERT_NEAR(rendered.rows, height, 1);
  const auto block_centre = [](const cv::Mat& grey) {
    cv::Mat ink;
    cv::threshold(grey, ink, 128, 255, cv::THRESH_BINARY_INV);
    const cv::Moments moments = cv::moments(ink, true);
    return cv::Point2d(moments.m10 / moments.m00, moments.m01 / moments.m00);
  };
  const cv::Point2d want = block_centre(processed);
  const cv::Point2d got = block_centre(rendered(cv::Rect(0, 0, std::min(width, rendered.cols),
                                                         std::min(height, rendered.rows))));
  EXPECT_NEAR(got.x, want.x, 1.5) << "the block is at x " << got.x << ", not " << want.x;
  EXPECT_NEAR(got.y, want.y, 1.5) << "the block is at y " << got.y << ", not " << want.y;
  EXPECT_GT(want.x, width / 2.0) << "a clockwise quarter turn takes the top-left corner to the right";
  // No tilted edge of the scan on the page: its corners (outside the scan) are the lid's grey.
  for (const cv::Point corner : {cv::Point(1, 1), cv::Point(rendered.cols - 2, rendered.rows - 2)}) {
    EXPECT_NEAR(rendered.at<std::uint8_t>(corner), 210, 3) << "corner " << corner;
  }
  EXPECT_LT(cv::mean(cv::abs(rendered(cv::Rect(0, 0, width - 1, height - 1)) -
                             processed(cv::Rect(0, 0, width - 1, height - 1))))[0],
            6.0)
      << "the drawn page differs from the processed page";
}

TEST_F(HaruPdfWriterTest, ScannerBordersAndPunchedHolesAreClippedOffButTheScanKeepsItsBytes) {
  REQUIRE_TOOL("pdftoppm");
  REQUIRE_TOOL("pdfimages");
  // A 300 x 200 scan at 100 dpi: cream paper with a block of text, a black band along the
  // bottom (the scanner's lid, 20 px deep) and a black punched hole at (30, 100), radius 10.
  cv::Mat scan(200, 300, CV_8UC3, cv::Scalar(215, 235, 250));
  cv::rectangle(scan, cv::Rect(100, 40, 150, 60), cv::Scalar(0, 0, 0), cv::FILLED);
  cv::rectangle(scan, cv::Rect(0, 180, 300, 20), cv::Scalar(10, 10, 10), cv::FILLED);
  cv::circle(scan, cv::Point(30, 100), 10, cv::Scalar(10, 10, 10), cv::FILLED);
  ProcessedPage page = make_page(1, 300, 200, 100, {});
  page.kind = core::ColourKind::colour;
  page.archive_image = encode_jpeg(scan, 100);
  page.archive_cleanup.paper = {{0, 0}, {300, 0}, {300, 180}, {0, 180}};
  page.archive_cleanup.holes = {{30.5, 100.5, 12.0}};
  page.archive_cleanup.paper_rgb = {250, 235, 215};
  page.archive_fill = page.archive_cleanup.paper_rgb;
  const std::vector<ProcessedPage> pages = {page};
  const auto pdf = write_pdf(pages);

  const auto extracted = run("pdfimages -j " + quote(pdf) + " " + quote(dir() / "image"));
  ASSERT_EQ(extracted.exit_code, 0) << extracted.errors;
  const std::string jpeg = test::read_file(dir() / "image-000.jpg");
  EXPECT_TRUE(jpeg == std::string(page.archive_image.bytes.begin(), page.archive_image.bytes.end()))
      << "the scan's bytes were changed";

  const auto render = run("pdftoppm -r 100 -singlefile " + quote(pdf) + " " + quote(dir() / "render"));
  ASSERT_EQ(render.exit_code, 0) << render.errors;
  const cv::Mat rendered = cv::imread((dir() / "render.ppm").string(), cv::IMREAD_COLOR);
  ASSERT_EQ(rendered.size(), cv::Size(300, 200));
  const auto near_paper = [](const cv::Vec3b& bgr) {
    return std::abs(bgr[0] - 215) <= 6 && std::abs(bgr[1] - 235) <= 6 && std::abs(bgr[2] - 250) <= 6;
  };
  for (const cv::Point point : {cv::Point(150, 190), cv::Point(2, 198), cv::Point(297, 185), cv::Point(30, 100),
                                cv::Point(38, 100), cv::Point(30, 92)}) {
    EXPECT_TRUE(near_paper(rendered.at<cv::Vec3b>(point))) << "not paper at " << point << ": "
                                                          << rendered.at<cv::Vec3b>(point);
  }
  EXPECT_LT(rendered.at<cv::Vec3b>(70, 175)[1], 40) << "the text block is drawn";
  EXPECT_TRUE(near_paper(rendered.at<cv::Vec3b>(170, 150))) << "the paper just above the band";
  const auto text = run("pdftotext " + quote(pdf) + " -");
  EXPECT_EQ(text.errors, "") << "poppler read the clipping path without complaint";
}

TEST_F(HaruPdfWriterTest, ACleanPagesJpegIsDeflatedTooANoisyOnesIsNot) {
  REQUIRE_TOOL("qpdf");
  REQUIRE_TOOL("pdfimages");
  // A clean page (white, lines of black bars: what a form scanned on a good scanner gives) and
  // the same page with scanner noise over it.
  cv::Mat clean(1200, 900, CV_8UC1, cv::Scalar(255));
  for (int y = 100; y < 1100; y += 40) {
    for (int x = 80; x < 800; x += 90) {
      cv::rectangle(clean, cv::Rect(x, y, 60 + (x * y) % 25, 18), cv::Scalar(0), cv::FILLED);
    }
  }
  cv::Mat noise(clean.size(), CV_16SC1);
  cv::randn(noise, 0, 15);
  cv::Mat noisy;
  clean.convertTo(noisy, CV_16SC1, 0.8, 30);  // grey paper (234), dark grey ink (30)
  noisy += noise;
  noisy.convertTo(noisy, CV_8UC1);
  for (const auto& [name, pixels, wrapped] : {std::tuple{"clean", clean, true}, std::tuple{"noisy", noisy, false}}) {
    SCOPED_TRACE(name);
    ProcessedPage page = make_page(1, 900, 1200, 150, {});
    page.archive_image = encode_jpeg(pixels, 150);
    const auto pdf = write_pdf({page}, std::string(name) + ".pdf");
    const auto list = run("pdfimages -list " + quote(pdf));  // the image's object number
    std::istringstream rows(list.output);
    std::string row;
    std::getline(rows, row);
    std::getline(rows, row);
    std::getline(rows, row);
    std::istringstream fields(row);
    std::vector<std::string> field{std::istream_iterator<std::string>(fields), std::istream_iterator<std::string>()};
    ASSERT_GE(field.size(), 11U) << list.output;
    const auto shown = run("qpdf --show-object=" + field[10] + " " + quote(pdf));
    EXPECT_EQ(shown.output.find("/Filter [ /FlateDecode /DCTDecode ]") != std::string::npos, wrapped) << shown.output;
    EXPECT_EQ(shown.output.find("/DCTDecode") != std::string::npos, true) << shown.output;
    // Either way a reader decodes the JPEG's own pixels.
    const auto extract = run("pdfimages -png " + quote(pdf) + " " + quote(dir() / name));
    ASSERT_EQ(extract.exit_code, 0) << extract.errors;
    const cv::Mat back = cv::imread((dir() / (std::string(name) + "-000.png")).string(), cv::IMREAD_GRAYSCALE);
    const cv::Mat decoded = cv::imdecode(page.archive_image.bytes, cv::IMREAD_GRAYSCALE);
    ASSERT_EQ(back.size(), decoded.size());
    EXPECT_LE(cv::norm(back, decoded, cv::NORM_INF), 2.0);
  }
}

TEST_F(HaruPdfWriterTest, PngPageKeepsItsDeflatedRowsAndRendersExactly) {
  REQUIRE_TOOL("pdfimages");
  REQUIRE_TOOL("pdftoppm");
  cv::Mat grey(200, 300, CV_8UC1, cv::Scalar(255));
  cv::rectangle(grey, cv::Rect(20, 20, 100, 50), cv::Scalar(0), cv::FILLED);
  cv::rectangle(grey, cv::Rect(160, 100, 100, 60), cv::Scalar(128), cv::FILLED);
  ProcessedPage page = make_page(1, 300, 200, 100, {});
  page.kind = core::ColourKind::grey;
  page.archive_image = encode_jpeg(grey, 100);
  page.archive_image.format = EncodedImage::Format::png;
  ASSERT_TRUE(cv::imencode(".png", grey, page.archive_image.bytes));
  const std::vector<ProcessedPage> pages = {page};
  const auto pdf = write_pdf(pages);
  const auto check = run("qpdf --check " + quote(pdf));
  EXPECT_EQ(check.exit_code, 0) << check.output;

  EXPECT_EQ(first_image_columns(pdf),
            (std::vector<std::string>{"1", "0", "image", "300", "200", "gray", "1", "8", "image"}));
  // Not compressed twice: the file is about the PNG's size, not larger.
  EXPECT_LT(std::filesystem::file_size(pdf), page.archive_image.bytes.size() + 20000);

  // The image extracted from the PDF is the page, pixel for pixel.
  const auto prefix = dir() / "extracted";
  const auto extract = run("pdfimages -png " + quote(pdf) + " " + quote(prefix));
  ASSERT_EQ(extract.exit_code, 0) << extract.output;
  const cv::Mat back = cv::imread((dir() / "extracted-000.png").string(), cv::IMREAD_GRAYSCALE);
  ASSERT_EQ(back.size(), grey.size());
  EXPECT_EQ(cv::norm(back, grey, cv::NORM_INF), 0.0);
}

TEST_F(HaruPdfWriterTest, PngThatIsNotEightBitGreyOrRgbIsAnError) {
  cv::Mat grey(20, 30, CV_8UC1, cv::Scalar(255));
  ProcessedPage page = make_page(1, 30, 20, 100, {});
  page.archive_image = encode_jpeg(grey, 100);
  page.archive_image.format = EncodedImage::Format::png;
  ASSERT_TRUE(cv::imencode(".png", cv::Mat(20, 30, CV_16UC1, cv::Scalar(1000)), page.archive_image.bytes));
  const std::vector<ProcessedPage> pages = {page};
  const auto written = m_writer.write(make_dossier(pages), dir() / "bad.pdf");
  ASSERT_FALSE(written.has_value());
  EXPECT_NE(written.error().find("8-bit grey or RGB"), std::string::npos) << written.error();
}

TEST_F(HaruPdfWriterTest, ThreePageDossierGivesThreePagesInOrder) {
  REQUIRE_TOOL("pdfinfo");
  REQUIRE_TOOL("pdftotext");
  std::vector<ProcessedPage> pages;
  for (int seq = 1; seq <= 3; ++seq) {
    pages.push_back(make_page(seq, 600, 300, 300, layout_lines({{"Trang", std::to_string(seq)}}, 300), seq == 2));
  }
  const auto pdf = write_pdf(pages);
  const auto info = run("pdfinfo " + quote(pdf));
  EXPECT_NE(info.output.find("Pages:           3\n"), std::string::npos) << info.output;
  for (int seq = 1; seq <= 3; ++seq) {
    const auto text = run("pdftotext -enc UTF-8 -f " + std::to_string(seq) + " -l " + std::to_string(seq) + " " +
                          quote(pdf) + " -");
    EXPECT_EQ(trim_right(text.output), "Trang " + std::to_string(seq));
    EXPECT_EQ(text.errors, "");
  }
}

TEST_F(HaruPdfWriterTest, CharactersBeyondTheBmpAndControlsDoNotSwallowTheRestOfTheWord) {
  REQUIRE_TOOL("pdftotext");
  // A character beyond the BMP extracts as itself (a surrogate pair in the ToUnicode map), a
  // control character is left out, and the letters after them are kept.
  auto specs = layout_lines({{"A\U0001F600B", "x\ty", "(ok)\\"}}, 300);
  const std::vector<ProcessedPage> pages = {make_page(1, 900, 300, 300, specs)};
  const auto pdf = write_pdf(pages);
  const auto text = run("pdftotext -enc UTF-8 " + quote(pdf) + " -");
  EXPECT_EQ(trim_right(text.output), "A\U0001F600B xy (ok)\\");
  EXPECT_EQ(text.errors, "");
}

TEST_F(HaruPdfWriterTest, PageWithoutWordsIsValidAndHasNoText) {
  REQUIRE_TOOL("qpdf");
  REQUIRE_TOOL("pdftotext");
  const std::vector<ProcessedPage> pages = {make_page(1, 300, 300, 300, {})};
  const auto pdf = write_pdf(pages);
  const auto check = run("qpdf --check " + quote(pdf));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  const auto text = run("pdftotext -enc UTF-8 " + quote(pdf) + " -");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(trim_right(text.output), "");
}

TEST_F(HaruPdfWriterTest, UnwritablePathIsAnErrorNotACrash) {
  const std::vector<ProcessedPage> pages = {make_page(1, 300, 300, 300, {})};
  const auto written = m_writer.write(make_dossier(pages), dir() / "no-such-dir" / "out.pdf");
  ASSERT_FALSE(written.has_value());
  EXPECT_NE(written.error().find("libharu error 0x"), std::string::npos) << written.error();
  EXPECT_NE(written.error().find("while saving"), std::string::npos) << written.error();
}

TEST_F(HaruPdfWriterTest, DossierWithoutPagesIsAnError) {
  const std::vector<ProcessedPage> none;
  EXPECT_FALSE(m_writer.write(make_dossier(none), dir() / "empty.pdf").has_value());
  PdfDossier no_vector = make_dossier(none);
  no_vector.pages = nullptr;
  EXPECT_FALSE(m_writer.write(no_vector, dir() / "null.pdf").has_value());
}

TEST_F(HaruPdfWriterTest, CorruptJpegIsAnError) {
  ProcessedPage page = make_page(1, 300, 300, 300, {});
  page.archive_image.bytes = {0xFF, 0xD8, 0xFF, 0x00, 0x12, 0x34};
  const std::vector<ProcessedPage> pages = {page};
  const auto written = m_writer.write(make_dossier(pages), dir() / "bad.pdf");
  ASSERT_FALSE(written.has_value());
  EXPECT_NE(written.error().find("JPEG image of page 1"), std::string::npos) << written.error();
}

TEST_F(HaruPdfWriterTest, TruncatedBilevelImageIsAnError) {
  ProcessedPage page = make_page(1, 300, 300, 300, {}, true);
  page.archive_image.bytes.resize(page.archive_image.bytes.size() / 2);
  const std::vector<ProcessedPage> pages = {page};
  const auto written = m_writer.write(make_dossier(pages), dir() / "short.pdf");
  ASSERT_FALSE(written.has_value());
  EXPECT_NE(written.error().find("page 1"), std::string::npos) << written.error();
}

TEST_F(HaruPdfWriterTest, MissingFontThrowsFatal) {
  EXPECT_THROW(HaruPdfWriter(dir() / "no-such-font.ttf"), core::Fatal);
}

TEST_F(HaruPdfWriterTest, FileThatIsNotATrueTypeFontThrowsFatal) {
  test::write_file(dir() / "fake.ttf", "not a font, but long enough to have a header");
  EXPECT_THROW(HaruPdfWriter(dir() / "fake.ttf"), core::Fatal);
  // A real font cut short: its tables point past the end of the file.
  const std::string whole = test::read_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  ASSERT_GT(whole.size(), 4096U);
  test::write_file(dir() / "cut.ttf", whole.substr(0, 4096));
  EXPECT_THROW(HaruPdfWriter(dir() / "cut.ttf"), core::Fatal);
}


// ---- PDF/A-1b conformance, property by property (no veraPDF here: each property is parsed out
// of the file with qpdf / poppler) ----

// The QDF form of `pdf` (uncompressed, one object per block, no object streams).
std::string qdf_text(const std::filesystem::path& pdf, const std::filesystem::path& dir) {
  const auto qdf = dir / (pdf.stem().string() + ".qdf");
  run("qpdf --qdf --object-streams=disable " + quote(pdf) + " " + quote(qdf));
  return test::read_file(qdf);
}

// The object number after `key` ("/FontFile2 12 0 R" -> 12) in `text`, or -1.
int object_after(const std::string& text, const std::string& key) {
  const auto at = text.find(key + " ");
  if (at == std::string::npos) {
    return -1;
  }
  int number = -1;
  const char* begin = text.data() + at + key.size() + 1;
  std::from_chars(begin, text.data() + text.size(), number);
  return number;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

class PdfaConformanceTest : public HaruPdfWriterTest {
 protected:
  std::filesystem::path mixed_pdf() {
    m_pages = {make_page(1, 900, 600, 300, layout_lines(k_vietnamese_lines, 300)),
               make_page(2, 600, 400, 200, layout_lines(k_vietnamese_lines, 200), true), form_page(300)};
    m_pages[2].seq = 3;
    return write_pdf(m_pages, "pdfa.pdf");
  }
  std::vector<ProcessedPage> m_pages;
};

TEST_F(PdfaConformanceTest, HasAnSrgbOutputIntentWithTheDebianProfile) {
  REQUIRE_TOOL("qpdf");
  const auto pdf = mixed_pdf();
  const std::string text = qdf_text(pdf, dir());
  EXPECT_NE(text.find("/S /GTS_PDFA1"), std::string::npos) << "no PDF/A output intent";
  EXPECT_NE(text.find("/OutputConditionIdentifier (sRGB IEC61966-2.1)"), std::string::npos);
  const int profile = object_after(text, "/DestOutputProfile");
  ASSERT_GT(profile, 0);
  // Object numbers are the QDF file's.
  const auto qdf = dir() / "pdfa.qdf";
  const auto data = run("qpdf --show-object=" + std::to_string(profile) + " --filtered-stream-data " + quote(qdf));
  EXPECT_TRUE(data.output == test::read_file("/usr/share/color/icc/sRGB.icc")) << "profile bytes differ";
  const auto dict = run("qpdf --show-object=" + std::to_string(profile) + " " + quote(qdf));
  EXPECT_NE(dict.output.find("/N 3"), std::string::npos) << dict.output;
}

TEST_F(PdfaConformanceTest, FontIsEmbeddedOnceAsASubsetOfAFewKilobytes) {
  REQUIRE_TOOL("pdffonts");
  const auto pdf = mixed_pdf();
  const auto fonts = run("pdffonts " + quote(pdf));
  ASSERT_EQ(fonts.exit_code, 0) << fonts.errors;
  // One row per font variant (the form page's words need several box heights), every one the
  // same embedded CID TrueType font.
  std::istringstream rows(fonts.output);
  std::string row;
  std::size_t variants = 0;
  for (int header = 0; header < 2; ++header) {
    std::getline(rows, row);
  }
  while (std::getline(rows, row)) {
    EXPECT_NE(row.find("CID TrueType      Identity-H       yes"), std::string::npos) << row;
    ++variants;
  }
  EXPECT_GE(variants, 2U) << fonts.output;
  const std::string text = qdf_text(pdf, dir());
  // ...and one font program: every descriptor points at the same FontFile2 stream.
  EXPECT_EQ(count_of(text, "/Length1 "), 1U);
  EXPECT_EQ(count_of(text, "/FontFile2 "), variants);
  const int font_file = object_after(text, "/FontFile2");
  ASSERT_GT(font_file, 0);
  EXPECT_EQ(count_of(text, "/FontFile2 " + std::to_string(font_file) + " 0 R"), variants);
  // QDF streams are uncompressed: the font program itself, a subset of DejaVu Serif (~720 KB whole).
  const auto raw = run("qpdf --show-object=" + std::to_string(font_file) + " --raw-stream-data " +
                       quote(dir() / "pdfa.qdf"));
  EXPECT_GT(raw.output.size(), 1000U);
  EXPECT_LT(raw.output.size(), 40000U) << "embedded font program is not a subset";
  // The whole text layer (font, widths, maps, content) stays small too.
  const auto with_text = std::filesystem::file_size(pdf);
  std::vector<ProcessedPage> bare = m_pages;
  for (auto& page : bare) {
    page.ocr.words.clear();
  }
  const auto without_text = std::filesystem::file_size(write_pdf(bare, "bare.pdf"));
  EXPECT_LT(with_text - without_text, 8000U) << "text layer costs " << (with_text - without_text) << " bytes";
}

TEST_F(PdfaConformanceTest, SubsetFontStillShowsEveryVietnameseLetterUsed) {
  REQUIRE_TOOL("pdftotext");
  const std::vector<std::vector<std::string>> lines = {
      {"ả", "ấ", "ầ", "ẩ", "ẫ", "ậ", "ắ", "ằ", "ẳ", "ẵ", "ặ"}, {"Đ", "đ", "ơ", "ư", "Ỹ", "ỹ", "ự", "ữ"}};
  const std::vector<ProcessedPage> pages = {make_page(1, 900, 600, 300, layout_lines(lines, 300))};
  const auto pdf = write_pdf(pages, "letters.pdf");
  const auto text = run("pdftotext -enc UTF-8 " + quote(pdf) + " -");
  EXPECT_EQ(trim_right(text.output), "ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ\nĐ đ ơ ư Ỹ ỹ ự ữ");
  EXPECT_EQ(text.errors, "");
  // Every glyph drawn: rendering the invisible layer as visible would need them; check that
  // poppler finds no missing glyph by rendering (no error output).
  const auto render = run("pdftoppm -r 30 -png " + quote(pdf) + " " + quote(dir() / "letters"));
  EXPECT_EQ(render.errors, "");
}

TEST_F(PdfaConformanceTest, NoEncryptionNoTransparencyNoForbiddenEntries) {
  REQUIRE_TOOL("qpdf");
  const auto pdf = mixed_pdf();
  const auto encryption = run("qpdf --show-encryption " + quote(pdf));
  EXPECT_NE(encryption.output.find("File is not encrypted"), std::string::npos) << encryption.output;
  const std::string text = qdf_text(pdf, dir());
  for (const char* forbidden : {"/Encrypt", "/SMask", "/Group", "/CA ", "/ca ", "/BM ", "/Interpolate true",
                                "/JavaScript", "/JS ", "/Launch", "/EmbeddedFiles", "/LZWDecode", "/Alternates",
                                "/OPI", "/TR ", "/Transparency"}) {
    EXPECT_EQ(text.find(forbidden), std::string::npos) << forbidden;
  }
  EXPECT_EQ(text.rfind("%PDF-1.4", 0), 0U);
  const std::string raw = test::read_file(pdf);
  // PDF/A-1 §6.1.2: a comment of four bytes above 127 right after the header.
  ASSERT_GT(raw.size(), 15U);
  EXPECT_EQ(raw[8], '\n');
  EXPECT_EQ(raw[9], '%');
  for (std::size_t idx = 10; idx < 14; ++idx) {
    EXPECT_GT(static_cast<unsigned char>(raw[idx]), 127U) << idx;
  }
}

TEST_F(PdfaConformanceTest, InfoAndXmpAgreeAndXmpIsWellFormed) {
  REQUIRE_TOOL("pdfinfo");
  REQUIRE_TOOL("xmllint");
  const auto pdf = mixed_pdf();
  const auto xmp = run("pdfinfo -meta " + quote(pdf));
  test::write_file(dir() / "xmp.xml", xmp.output);
  const auto lint = run("xmllint --noout " + quote(dir() / "xmp.xml"));
  EXPECT_EQ(lint.exit_code, 0) << lint.errors;
  const auto info = run("pdfinfo -isodates " + quote(pdf));
  const std::string& meta = xmp.output;
  // Info key -> the XMP element that must say the same (PDF/A-1 §6.7.3).
  EXPECT_NE(info.output.find("Title:           Hồ sơ đăng ký kinh doanh hộ cá thể\n"), std::string::npos);
  EXPECT_NE(meta.find("<rdf:li xml:lang=\"x-default\">Hồ sơ đăng ký kinh doanh hộ cá thể</rdf:li>"), std::string::npos);
  EXPECT_NE(info.output.find("Subject:         Đăng ký thành lập hộ kinh doanh\n"), std::string::npos);
  EXPECT_NE(meta.find("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">Đăng ký thành lập hộ kinh doanh<"),
            std::string::npos);
  EXPECT_NE(info.output.find("Keywords:        000.00.01.H38-260112-0001; 1.001612.000.00.00.H38; "),
            std::string::npos) << info.output;
  EXPECT_NE(meta.find("<pdf:Keywords>000.00.01.H38-260112-0001; 1.001612.000.00.00.H38; "), std::string::npos);
  EXPECT_NE(info.output.find("Creator:         sohoa\n"), std::string::npos);
  EXPECT_NE(meta.find("<xmp:CreatorTool>sohoa</xmp:CreatorTool>"), std::string::npos);
  EXPECT_NE(info.output.find("Producer:        sohoa 0.1.0\n"), std::string::npos);
  EXPECT_NE(meta.find("<pdf:Producer>sohoa 0.1.0</pdf:Producer>"), std::string::npos);
  EXPECT_NE(info.output.find("CreationDate:    2026-01-15T09:30:05"), std::string::npos);
  EXPECT_NE(meta.find("<xmp:CreateDate>2026-01-15T09:30:05Z</xmp:CreateDate>"), std::string::npos);
  EXPECT_NE(info.output.find("ModDate:         2026-01-15T09:30:05"), std::string::npos);
  EXPECT_NE(meta.find("<xmp:ModifyDate>2026-01-15T09:30:05Z</xmp:ModifyDate>"), std::string::npos);
  EXPECT_EQ(info.output.find("Author:"), std::string::npos) << "no Author: the applicant is personal data";
}

TEST_F(PdfaConformanceTest, XmpCarriesTheArchivalRecordWithManifestValuesAndDefaults) {
  REQUIRE_TOOL("pdfinfo");
  const std::vector<ProcessedPage> pages = {make_page(1, 300, 300, 300, {}), make_page(2, 300, 300, 300, {})};
  PdfDossier dossier = make_dossier(pages);
  dossier.meta.extra = {{"retention", "06"}, {"access_regime", "01"}, {"notes", "bản sao"}};
  const auto pdf = dir() / "archival.pdf";
  ASSERT_TRUE(m_writer.write(dossier, pdf).has_value());
  const std::string xmp = run("pdfinfo -meta " + quote(pdf)).output;
  EXPECT_NE(xmp.find("<sohoa:retention>06</sohoa:retention>"), std::string::npos) << xmp;
  EXPECT_NE(xmp.find("<sohoa:accessRegime>01</sohoa:accessRegime>"), std::string::npos);
  EXPECT_NE(xmp.find("<sohoa:notes>bản sao</sohoa:notes>"), std::string::npos);
  // Defaults: language Vietnamese, dates = received date, sheets = pages, digitized.
  EXPECT_NE(xmp.find("<sohoa:language>01</sohoa:language>"), std::string::npos);
  EXPECT_NE(xmp.find("<sohoa:startDate>2026-01-12</sohoa:startDate>"), std::string::npos);
  EXPECT_NE(xmp.find("<sohoa:sheetCount>2</sohoa:sheetCount>"), std::string::npos);
  EXPECT_NE(xmp.find("<sohoa:confidenceLevel>02</sohoa:confidenceLevel>"), std::string::npos);
  EXPECT_NE(xmp.find("<sohoa:physicalCondition>normal</sohoa:physicalCondition>"), std::string::npos);
  // Dublin Core where one fits, and every sohoa property described in the extension schema.
  EXPECT_NE(xmp.find("<dc:identifier>000.00.01.H38-260112-0001</dc:identifier>"), std::string::npos);
  EXPECT_NE(xmp.find("<dc:subject><rdf:Bag><rdf:li>Đăng ký thành lập hộ kinh doanh</rdf:li></rdf:Bag>"),
            std::string::npos);
  EXPECT_NE(xmp.find("<dc:date><rdf:Seq><rdf:li>2026-01-12</rdf:li></rdf:Seq></dc:date>"), std::string::npos);
  for (const char* name : {"retention", "accessRegime", "language", "startDate", "endDate", "documentCount",
                           "sheetCount", "keywords", "notes", "physicalCondition", "confidenceLevel", "fondsCode"}) {
    EXPECT_NE(xmp.find(std::string("<pdfaProperty:name>") + name + "</pdfaProperty:name>"), std::string::npos)
        << name;
  }
}

TEST_F(PdfaConformanceTest, SameDossierWrittenTwiceIsByteIdenticalIncludingFontSubset) {
  const auto first = test::read_file(mixed_pdf());
  const auto again = test::read_file(write_pdf(m_pages, "again.pdf"));
  EXPECT_EQ(first, again);
  PdfDossier later = make_dossier(m_pages);
  later.created += std::chrono::seconds(1);
  ASSERT_TRUE(m_writer.write(later, dir() / "later.pdf").has_value());
  EXPECT_NE(test::read_file(dir() / "later.pdf"), first) << "the injected time must reach the file";
}

TEST_F(PdfaConformanceTest, ProfileThatIsNotIccV2RgbThrowsFatal) {
  test::write_file(dir() / "bad.icc", std::string(200, 'x'));
  EXPECT_THROW(HaruPdfWriter({}, dir() / "bad.icc"), core::Fatal);
  EXPECT_THROW(HaruPdfWriter({}, dir() / "missing.icc"), core::Fatal);
}

}  // namespace
}  // namespace sohoa::ocr
