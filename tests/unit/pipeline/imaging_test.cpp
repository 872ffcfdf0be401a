#include "sohoa/pipeline/imaging.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "temp_dir.hpp"

namespace sohoa::pipeline {
namespace {

using core::ColourKind;

// A4 portrait at `dpi`, white.
cv::Mat blank_a4(double dpi) {
  return {cv::Size(static_cast<int>(std::lround(8.27 * dpi)),
                   static_cast<int>(std::lround(11.69 * dpi))),
          CV_8UC1, cv::Scalar(255)};
}

// `line_count` lines of pseudo-words at ~11 pt, starting `top_in` inches from the top, between
// 1-inch margins. Deterministic for a given `seed`.
void draw_text_lines(cv::Mat& page, double dpi, int line_count, double top_in = 1.0,
                     unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> word_length(2, 9);
  std::uniform_int_distribution<int> letter(0, 25);
  const double font_scale = dpi / 300.0 * 1.1;
  const int thickness = std::max(1, static_cast<int>(std::lround(dpi / 150.0)));
  const int line_step = static_cast<int>(0.19 * dpi);
  const int left = static_cast<int>(1.0 * dpi);
  const int right = page.cols - static_cast<int>(1.0 * dpi);
  for (int line_idx = 0; line_idx < line_count; ++line_idx) {
    std::string text;
    int baseline_width = 0;
    while (true) {
      std::string word;
      const int length = word_length(rng);
      for (int letter_idx = 0; letter_idx < length; ++letter_idx) {
        word.push_back(static_cast<char>('a' + letter(rng)));
      }
      const std::string candidate = text.empty() ? word : text + " " + word;
      int base = 0;
      const cv::Size size =
          cv::getTextSize(candidate, cv::FONT_HERSHEY_SIMPLEX, font_scale, thickness, &base);
      if (left + size.width > right) {
        break;
      }
      text = candidate;
      baseline_width = size.width;
    }
    ASSERT_GT(baseline_width, 0);
    const int y = static_cast<int>(top_in * dpi) + line_idx * line_step;
    cv::putText(page, text, cv::Point(left, y), cv::FONT_HERSHEY_SIMPLEX, font_scale,
                cv::Scalar(0), thickness, cv::LINE_AA);
  }
}

cv::Mat text_page(double dpi, int line_count = 40) {
  cv::Mat page = blank_a4(dpi);
  draw_text_lines(page, dpi, line_count);
  return page;
}

// `page` turned counter-clockwise by `angle_deg` on screen about its centre, same size, white fill.
// OpenCV's convention; the test SkewSign checks by hand that +angle makes lines climb to the right.
cv::Mat turn(const cv::Mat& page, double angle_deg) {
  const cv::Mat matrix = cv::getRotationMatrix2D(
      cv::Point2f(static_cast<float>(page.cols) / 2.0F, static_cast<float>(page.rows) / 2.0F),
      angle_deg, 1.0);
  cv::Mat turned;
  cv::warpAffine(page, turned, matrix, page.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar::all(255));
  return turned;
}

// Centroid (x, y) of the dark pixels of `image` within columns [from, to); (-1, -1) when none.
cv::Point2d ink_centroid(const cv::Mat& image, int from, int to) {
  double sum_x = 0.0;
  double sum_y = 0.0;
  double count = 0.0;
  for (int row = 0; row < image.rows; ++row) {
    for (int col = from; col < to; ++col) {
      if (image.at<std::uint8_t>(row, col) < 128) {
        sum_x += col;
        sum_y += row;
        count += 1.0;
      }
    }
  }
  return count > 0.0 ? cv::Point2d(sum_x / count, sum_y / count) : cv::Point2d(-1.0, -1.0);
}

double dark_mass(const cv::Mat& image) {
  cv::Mat inverted;
  cv::subtract(cv::Scalar(255), image, inverted);
  return cv::sum(inverted)[0];
}

TEST(SkewSign, TextClimbingToTheRightHasAPositiveAngle) {
  const double dpi = 200.0;
  // One line of text, turned by +7 with the helper: check by hand that it now climbs to the right
  // (its right end is higher on screen, i.e. at smaller row numbers, than its left end).
  cv::Mat one_line = blank_a4(dpi);
  draw_text_lines(one_line, dpi, 1, 5.8);
  const cv::Mat climbing = turn(one_line, 7.0);
  const int third = climbing.cols / 3;
  const cv::Point2d left = ink_centroid(climbing, 0, third);
  const cv::Point2d right = ink_centroid(climbing, 2 * third, climbing.cols);
  ASSERT_GT(left.x, 0.0);
  ASSERT_GT(right.x, 0.0);
  EXPECT_LT(right.y, left.y);  // rows grow downwards: the right end is higher on screen
  EXPECT_NEAR((left.y - right.y) / (right.x - left.x), std::tan(7.0 * CV_PI / 180.0), 0.02);

  const SkewEstimate estimate = estimate_skew(turn(text_page(dpi), 7.0), dpi);
  ASSERT_TRUE(estimate.found);
  EXPECT_FALSE(estimate.lines_vertical);
  EXPECT_NEAR(estimate.angle_deg, 7.0, 0.15);
}

TEST(EstimateSkew, MeasuresTextLinesWithinATenthOfADegree) {
  const double dpi = 200.0;
  const cv::Mat level = text_page(dpi);
  std::vector<double> errors;
  for (const double angle : {-14.0, -9.0, -4.5, -1.0, 0.0, 0.3, 2.0, 7.0, 12.5}) {
    const SkewEstimate estimate = estimate_skew(turn(level, angle), dpi);
    ASSERT_TRUE(estimate.found) << angle;
    EXPECT_FALSE(estimate.lines_vertical) << angle;
    EXPECT_NEAR(estimate.angle_deg, angle, 0.15);
    errors.push_back(std::abs(estimate.angle_deg - angle));
  }
  std::sort(errors.begin(), errors.end());
  const double median = errors[errors.size() / 2];
  std::cout << "skew error: median " << median << " deg, worst " << errors.back() << " deg\n";
  EXPECT_LE(median, 0.1);
}

TEST(EstimateSkew, WorksOnColourAndAt300Dpi) {
  const double dpi = 300.0;
  cv::Mat colour;
  cv::cvtColor(turn(text_page(dpi, 25), -3.2), colour, cv::COLOR_GRAY2BGR);
  const SkewEstimate estimate = estimate_skew(colour, dpi);
  ASSERT_TRUE(estimate.found);
  EXPECT_NEAR(estimate.angle_deg, -3.2, 0.15);
}

TEST(EstimateSkew, QuarterTurnedPageHasVerticalLines) {
  const double dpi = 150.0;
  const cv::Mat skewed = turn(text_page(dpi), 2.5);
  for (const int quarter : {90, 270}) {
    const SkewEstimate estimate = estimate_skew(rotate_quarter(skewed, quarter), dpi);
    ASSERT_TRUE(estimate.found) << quarter;
    EXPECT_TRUE(estimate.lines_vertical) << quarter;
    // Turning back by a quarter leaves the same 2.5° skew (see the header).
    EXPECT_NEAR(estimate.angle_deg, 2.5, 0.15) << quarter;
  }
  const SkewEstimate upside_down = estimate_skew(rotate_quarter(skewed, 180), dpi);
  ASSERT_TRUE(upside_down.found);
  EXPECT_FALSE(upside_down.lines_vertical);
  EXPECT_NEAR(upside_down.angle_deg, 2.5, 0.15);
}

TEST(EstimateSkew, BordersPhotosAndRulesDoNotBiasTheTextAngle) {
  const double dpi = 200.0;
  // Text skewed by 3°, then level things the scanner or the layout adds: a thick dark frame
  // (scanner edge / paper border), a large photo, a long rule and a table grid, all at 0°.
  cv::Mat page = turn(text_page(dpi, 30), 3.0);
  cv::rectangle(page, cv::Rect(0, 0, page.cols, page.rows), cv::Scalar(0), 40);
  cv::rectangle(page, cv::Rect(300, 1500, 900, 600), cv::Scalar(60), cv::FILLED);
  cv::line(page, cv::Point(150, 1420), cv::Point(page.cols - 150, 1420), cv::Scalar(0), 5);
  for (int row = 0; row < 4; ++row) {
    cv::line(page, cv::Point(200, 2150 + row * 40), cv::Point(1450, 2150 + row * 40),
             cv::Scalar(0), 3);
  }
  for (int col = 0; col < 6; ++col) {
    cv::line(page, cv::Point(200 + col * 250, 2150), cv::Point(200 + col * 250, 2270),
             cv::Scalar(0), 3);
  }
  const SkewEstimate estimate = estimate_skew(page, dpi);
  ASSERT_TRUE(estimate.found);
  EXPECT_FALSE(estimate.lines_vertical);
  EXPECT_NEAR(estimate.angle_deg, 3.0, 0.15);
}

TEST(EstimateSkew, TooLittleTextIsNotFound) {
  const double dpi = 200.0;
  EXPECT_FALSE(estimate_skew(blank_a4(dpi), dpi).found);
  EXPECT_FALSE(estimate_skew(cv::Mat(), dpi).found);
  cv::Mat photo_only = blank_a4(dpi);
  cv::rectangle(photo_only, cv::Rect(200, 300, 1000, 700), cv::Scalar(40), cv::FILLED);
  const SkewEstimate estimate = estimate_skew(photo_only, dpi);
  EXPECT_FALSE(estimate.found);
  EXPECT_EQ(estimate.angle_deg, 0.0);
  cv::Mat one_word = blank_a4(dpi);
  cv::putText(one_word, "ok", cv::Point(400, 400), cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0), 2);
  EXPECT_FALSE(estimate_skew(one_word, dpi).found);
}

TEST(EstimateSkew, TinyImagesAndOddResolutionsAreHandled) {
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(3, 2), cv::Size(40, 7)}) {
    const cv::Mat tiny(size, CV_8UC1, cv::Scalar(0));
    for (const double dpi : {300.0, 1200.0, 0.0, -5.0, 1e9}) {
      EXPECT_FALSE(estimate_skew(tiny, dpi).found) << size << " " << dpi;
      EXPECT_NO_THROW((void)is_blank(tiny, dpi)) << size << " " << dpi;  // too small to judge
    }
  }
  // A page whose file claims a nonsense resolution is measured as if it were 300 dpi.
  const SkewEstimate estimate = estimate_skew(turn(text_page(300.0, 20), 1.5), 0.0);
  ASSERT_TRUE(estimate.found);
  EXPECT_NEAR(estimate.angle_deg, 1.5, 0.15);
}

// Its speed is measured by bench/quality (pre-processing as a share of OCR time), not here.
TEST(EstimateSkew, FindsTheAngleOfAFullA4PageAt300Dpi) {
  const double dpi = 300.0;
  const cv::Mat page = turn(text_page(dpi, 50), 4.0);
  const SkewEstimate estimate = estimate_skew(page, dpi);
  EXPECT_TRUE(estimate.found);
  EXPECT_FALSE(estimate.lines_vertical);
  EXPECT_NEAR(estimate.angle_deg, 4.0, 0.15);
}

TEST(Deskew, SkewedPageMeasuresLevelAfterDeskew) {
  const double dpi = 200.0;
  for (const double angle : {-6.0, 9.5}) {
    const cv::Mat skewed = turn(text_page(dpi, 30), angle);
    const SkewEstimate before = estimate_skew(skewed, dpi);
    ASSERT_TRUE(before.found);
    const cv::Mat fixed = deskew(skewed, before.angle_deg, ColourKind::grey);
    const SkewEstimate after = estimate_skew(fixed, dpi);
    ASSERT_TRUE(after.found);
    EXPECT_NEAR(after.angle_deg, 0.0, 0.15) << angle;
  }
}

TEST(Deskew, CanvasGrowsSoNothingIsCut) {
  // Ink right in the four corners: a rotation on a same-size canvas would cut it off.
  cv::Mat image(400, 300, CV_8UC1, cv::Scalar(255));
  for (const cv::Point corner : {cv::Point(0, 0), cv::Point(280, 0), cv::Point(0, 380),
                                 cv::Point(280, 380)}) {
    cv::rectangle(image, cv::Rect(corner, cv::Size(20, 20)), cv::Scalar(0), cv::FILLED);
  }
  const double angle = 10.0;
  const cv::Mat rotated = deskew(image, angle, ColourKind::grey);
  const double rad = angle * CV_PI / 180.0;
  EXPECT_NEAR(rotated.cols, 300 * std::cos(rad) + 400 * std::sin(rad), 1.5);
  EXPECT_NEAR(rotated.rows, 300 * std::sin(rad) + 400 * std::cos(rad), 1.5);
  EXPECT_NEAR(dark_mass(rotated), dark_mass(image), dark_mass(image) * 0.03);
  // New area is white: the canvas corners lie outside the turned image.
  EXPECT_EQ(rotated.at<std::uint8_t>(0, 0), 255);
  EXPECT_EQ(rotated.at<std::uint8_t>(0, rotated.cols - 1), 255);
  EXPECT_EQ(rotated.at<std::uint8_t>(rotated.rows - 1, 0), 255);
  EXPECT_EQ(rotated.at<std::uint8_t>(rotated.rows - 1, rotated.cols - 1), 255);
}

TEST(Deskew, ColourKeepsItsChannelsAndTinyAnglesAreANoOp) {
  const cv::Mat colour(120, 80, CV_8UC3, cv::Scalar(10, 200, 30));
  const cv::Mat rotated = deskew(colour, -4.0, ColourKind::colour);
  EXPECT_EQ(rotated.type(), CV_8UC3);
  EXPECT_GT(rotated.cols, colour.cols);
  const cv::Mat same = deskew(colour, 0.03, ColourKind::colour);
  EXPECT_EQ(same.data, colour.data);
}

TEST(Deskew, BilevelStaysBlackAndWhite) {
  cv::Mat page = turn(text_page(150.0, 20), 5.0);
  cv::threshold(page, page, 128, 255, cv::THRESH_BINARY);
  const cv::Mat fixed = deskew(page, 5.0, ColourKind::bilevel);
  cv::Mat grey_levels = (fixed > 0) & (fixed < 255);
  EXPECT_EQ(cv::countNonZero(grey_levels), 0);
  EXPECT_GT(cv::countNonZero(fixed == 0), 1000);
  EXPECT_GT(cv::countNonZero(fixed == 255), 1000);
}

TEST(RotateQuarter, TurnsClockwiseAndIsLossless) {
  cv::Mat image(3, 5, CV_8UC1, cv::Scalar(255));
  image.at<std::uint8_t>(0, 0) = 0;  // top-left
  const cv::Mat turned = rotate_quarter(image, 90);
  ASSERT_EQ(turned.rows, 5);
  ASSERT_EQ(turned.cols, 3);
  EXPECT_EQ(turned.at<std::uint8_t>(0, 2), 0);  // clockwise: top-left goes to top-right
  const cv::Mat back = rotate_quarter(turned, 270);
  EXPECT_EQ(cv::norm(back, image, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(rotate_quarter(rotate_quarter(image, 180), -180), image, cv::NORM_INF), 0.0);
  EXPECT_EQ(rotate_quarter(image, 360).data, image.data);
  EXPECT_THROW((void)rotate_quarter(image, 45), std::invalid_argument);
}

TEST(IsBlank, EmptyAndNoisyPagesAreBlank) {
  const double dpi = 300.0;
  const cv::Mat white = blank_a4(dpi);
  EXPECT_TRUE(is_blank(white, dpi));

  cv::Mat noisy = blank_a4(dpi);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> xs(0, noisy.cols - 1);
  std::uniform_int_distribution<int> ys(0, noisy.rows - 1);
  std::uniform_int_distribution<int> radius(1, 4);
  for (int speck = 0; speck < 20; ++speck) {
    cv::circle(noisy, cv::Point(xs(rng), ys(rng)), radius(rng), cv::Scalar(0), cv::FILLED);
  }
  // A dark scanner edge along the left side, wider than the ignored margin, and a grey paper tint.
  cv::rectangle(noisy, cv::Rect(0, 0, static_cast<int>(0.07 * noisy.cols), noisy.rows),
                cv::Scalar(30), cv::FILLED);
  cv::Mat tinted;
  noisy.convertTo(tinted, CV_8UC1, 0.9, 5.0);
  EXPECT_TRUE(is_blank(tinted, dpi));
  EXPECT_TRUE(is_blank(cv::Mat(), dpi));
}

TEST(IsBlank, PagesWithAFewLinesOrASignatureAreNotBlank) {
  for (const double dpi : {200.0, 300.0}) {
    cv::Mat three_lines = blank_a4(dpi);
    draw_text_lines(three_lines, dpi, 3, 4.0);
    EXPECT_FALSE(is_blank(three_lines, dpi)) << dpi;

    // A thin pen stroke about 1.2 x 0.4 inch, like a short signature, and nothing else.
    cv::Mat signature = blank_a4(dpi);
    std::vector<cv::Point> stroke;
    for (int step = 0; step <= 60; ++step) {
      const double t = step / 60.0;
      stroke.emplace_back(static_cast<int>(dpi * (5.0 + 1.2 * t)),
                          static_cast<int>(dpi * (8.0 + 0.2 * std::sin(t * 12.0))));
    }
    cv::polylines(signature, stroke, false, cv::Scalar(40), std::max(1, static_cast<int>(dpi / 150)),
                  cv::LINE_AA);
    EXPECT_FALSE(is_blank(signature, dpi)) << dpi;
  }
}

// The blank check looks at the page the OCR reads next: it must not thicken its strokes (it once
// eroded the caller's pixels in place, and every page reached Tesseract in bold).
TEST(IsBlank, LeavesThePageItLooksAtUntouched) {
  for (const double dpi : {200.0, 300.0}) {
    cv::Mat page = blank_a4(dpi);
    draw_text_lines(page, dpi, 3, 4.0);
    const cv::Mat before = page.clone();
    (void)is_blank(page, dpi);
    EXPECT_EQ(cv::norm(page, before, cv::NORM_INF), 0.0) << dpi;
  }
}

// Greyish paper with sensor noise, uneven lighting and JPEG artefacts, like a cheap scan.
cv::Mat cheap_scan(const cv::Mat& page) {
  cv::Mat values;
  page.convertTo(values, CV_32F);
  cv::GaussianBlur(values, values, cv::Size(0, 0), 0.8);
  cv::Mat noise(values.size(), CV_32F);
  cv::RNG rng(5);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 12.0);
  values = values * 0.8 + 30.0 + noise;
  for (int row = 0; row < values.rows; ++row) {
    values.row(row) -= 25.0 * row / values.rows;
  }
  cv::Mat scan;
  values.convertTo(scan, CV_8U);
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", scan, jpeg, {cv::IMWRITE_JPEG_QUALITY, 60});
  return cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
}

TEST(IsBlank, CheapScanOfAnEmptySheetIsBlankButOneShortWordIsNot) {
  const double dpi = 300.0;
  EXPECT_TRUE(is_blank(cheap_scan(blank_a4(dpi)), dpi));
  cv::Mat word = blank_a4(dpi);
  cv::putText(word, "Ky ten", cv::Point(1200, 2000), cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 2.0,
              cv::Scalar(0), 2, cv::LINE_AA);
  EXPECT_FALSE(is_blank(cheap_scan(word), dpi));
}

TEST(MakeOcrImage, UpsamplesBelow300Dpi) {
  const cv::Mat page(1000, 800, CV_8UC1, cv::Scalar(255));
  double scale = 0.0;
  const cv::Mat upsampled = make_ocr_image(page, 200.0, scale);
  EXPECT_DOUBLE_EQ(scale, 1.5);
  EXPECT_EQ(upsampled.cols, 1200);
  EXPECT_EQ(upsampled.rows, 1500);
  EXPECT_EQ(upsampled.type(), CV_8UC1);

  const cv::Mat same = make_ocr_image(page, 300.0, scale);
  EXPECT_DOUBLE_EQ(scale, 1.0);
  EXPECT_EQ(same.size(), page.size());
  const cv::Mat high = make_ocr_image(page, 600.0, scale);
  EXPECT_DOUBLE_EQ(scale, 1.0);
  EXPECT_EQ(high.size(), page.size());
}

// A photo-like grey page: text over smooth shading and sensor noise (a fixed seed).
cv::Mat photo_like_page(double dpi) {
  cv::Mat page = text_page(dpi, 10);
  cv::Mat shading(page.size(), CV_8UC1);
  for (int row = 0; row < shading.rows; ++row) {
    shading.row(row).setTo(cv::Scalar(40.0 * row / shading.rows));
  }
  cv::Mat noise(page.size(), CV_8UC1);
  cv::RNG rng(7);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 12.0);
  cv::subtract(page, shading, page);
  cv::add(page, noise, page);
  return page;
}

TEST(EncodeArchiveImage, JpegRoundTripIsClose) {
  const cv::Mat grey = photo_like_page(100.0);
  const core::EncodedImage encoded = encode_archive_image(grey, ColourKind::grey, 100.0, 90);
  EXPECT_EQ(encoded.format, core::EncodedImage::Format::jpeg);
  EXPECT_EQ(encoded.channels, 1);
  EXPECT_EQ(encoded.width, grey.cols);
  EXPECT_EQ(encoded.height, grey.rows);
  EXPECT_DOUBLE_EQ(encoded.dpi, 100.0);
  const cv::Mat decoded = cv::imdecode(encoded.bytes, cv::IMREAD_UNCHANGED);
  ASSERT_EQ(decoded.type(), CV_8UC1);
  cv::Mat diff;
  cv::absdiff(decoded, grey, diff);
  EXPECT_LT(cv::mean(diff)[0], 3.0);

  cv::Mat colour(200, 300, CV_8UC3, cv::Scalar(250, 250, 250));
  cv::rectangle(colour, cv::Rect(50, 50, 100, 80), cv::Scalar(200, 30, 20), cv::FILLED);  // blue
  const core::EncodedImage colour_jpeg = encode_archive_image(colour, ColourKind::colour, 200.0);
  EXPECT_EQ(colour_jpeg.channels, 3);
  const cv::Mat colour_back = cv::imdecode(colour_jpeg.bytes, cv::IMREAD_COLOR);
  ASSERT_EQ(colour_back.type(), CV_8UC3);
  const cv::Vec3b centre = colour_back.at<cv::Vec3b>(90, 100);
  EXPECT_NEAR(centre[0], 200, 12);  // blue stays blue: channel order is right
  EXPECT_NEAR(centre[2], 20, 12);
  cv::absdiff(colour_back, colour, diff);
  const cv::Scalar mean = cv::mean(diff);
  EXPECT_LT((mean[0] + mean[1] + mean[2]) / 3.0, 3.0);

  EXPECT_THROW((void)encode_archive_image(cv::Mat(), ColourKind::grey, 300.0),
               std::invalid_argument);
}

TEST(EncodeArchiveImage, ACleanGreyFormIsStoredLosslesslyWhenThatIsSmaller) {
  const cv::Mat form = text_page(150.0, 30);
  std::vector<std::uint8_t> jpeg;
  ASSERT_TRUE(cv::imencode(".jpg", form, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85}));
  const core::EncodedImage encoded = encode_archive_image(form, ColourKind::grey, 150.0, 85);
  EXPECT_EQ(encoded.format, core::EncodedImage::Format::png);
  EXPECT_LT(encoded.bytes.size(), jpeg.size());
  EXPECT_EQ(encoded.channels, 1);
  const cv::Mat decoded = cv::imdecode(encoded.bytes, cv::IMREAD_UNCHANGED);
  ASSERT_EQ(decoded.type(), CV_8UC1);
  EXPECT_EQ(cv::norm(decoded, form, cv::NORM_INF), 0.0);  // every pixel as it was

  // A photo-like page (shading, noise) stays JPEG: there the JPEG is the smaller.
  const core::EncodedImage photo = encode_archive_image(photo_like_page(150.0), ColourKind::grey, 150.0, 85);
  EXPECT_EQ(photo.format, core::EncodedImage::Format::jpeg);

}

// A page-like colour image with some detail, so Huffman tables matter.
cv::Mat textured_colour_page() {
  cv::Mat colour(240, 320, CV_8UC3, cv::Scalar(240, 240, 240));
  cv::rectangle(colour, cv::Rect(20, 20, 60, 30), cv::Scalar(30, 30, 200), cv::FILLED);  // red seal
  for (int line = 0; line < 8; ++line) {
    cv::putText(colour, "Giay chung nhan so " + std::to_string(line), cv::Point(20, 80 + 20 * line),
                cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(20, 20, 20), 1);
  }
  return colour;
}

TEST(RepackJpeg, SamePixelsFewerBytes) {
  std::vector<std::uint8_t> scan;
  ASSERT_TRUE(cv::imencode(".jpg", textured_colour_page(), scan, {cv::IMWRITE_JPEG_QUALITY, 76}));
  const auto repacked = repack_jpeg(scan);
  ASSERT_TRUE(repacked.has_value());
  EXPECT_LT(repacked->size(), scan.size()) << "optimal Huffman tables are smaller than the standard ones";
  const cv::Mat before = cv::imdecode(scan, cv::IMREAD_UNCHANGED);
  const cv::Mat after = cv::imdecode(*repacked, cv::IMREAD_UNCHANGED);
  ASSERT_EQ(after.size(), before.size());
  ASSERT_EQ(after.type(), before.type());
  EXPECT_EQ(cv::norm(before, after, cv::NORM_INF), 0.0) << "the DCT coefficients changed";
  EXPECT_FALSE(repack_jpeg({0x89, 'P', 'N', 'G'}).has_value());
  EXPECT_FALSE(repack_jpeg({}).has_value());
}

TEST(UnchangedJpeg, AScanKeepsItsOwnDctData) {
  const cv::Mat colour = textured_colour_page();
  std::vector<std::uint8_t> scan;
  ASSERT_TRUE(cv::imencode(".jpg", colour, scan, {cv::IMWRITE_JPEG_QUALITY, 70}));
  const auto kept = unchanged_jpeg(scan, ColourKind::colour, 320, 240, 200.0);
  ASSERT_TRUE(kept.has_value());
  // The scanner's DCT data (the same pixels), not a second encoding; re-packed smaller.
  EXPECT_LE(kept->bytes.size(), scan.size());
  EXPECT_EQ(cv::norm(cv::imdecode(scan, cv::IMREAD_UNCHANGED),
                     cv::imdecode(kept->bytes, cv::IMREAD_UNCHANGED), cv::NORM_INF),
            0.0);
  EXPECT_EQ(kept->format, core::EncodedImage::Format::jpeg);
  EXPECT_EQ(kept->channels, 3);
  EXPECT_EQ(kept->width, 320);
  EXPECT_EQ(kept->height, 240);
  EXPECT_EQ(kept->dpi, 200.0);

  std::vector<std::uint8_t> grey_scan;
  ASSERT_TRUE(cv::imencode(".jpg", to_grey(colour), grey_scan));
  EXPECT_TRUE(unchanged_jpeg(grey_scan, ColourKind::grey, 320, 240, 300.0).has_value());
}

TEST(UnchangedPng, AnEightBitGreyOrRgbScanKeepsItsOwnRows) {
  const cv::Mat colour = textured_colour_page();
  std::vector<std::uint8_t> rgb;
  ASSERT_TRUE(cv::imencode(".png", colour, rgb));
  const auto kept = unchanged_png(rgb, ColourKind::colour, 320, 240, 300.0);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->bytes, rgb);  // the scanner's file, not a second encoding
  EXPECT_EQ(kept->format, core::EncodedImage::Format::png);
  EXPECT_EQ(kept->channels, 3);
  std::vector<std::uint8_t> grey;
  ASSERT_TRUE(cv::imencode(".png", to_grey(colour), grey));
  EXPECT_EQ(unchanged_png(grey, ColourKind::grey, 320, 240, 300.0)->channels, 1);
  EXPECT_TRUE(unchanged_png(rgb, ColourKind::grey, 320, 240, 300.0).has_value())
      << "a grey page scanned as an RGB PNG keeps its data";

  // A grey file for a colour page, another size, alpha, 16-bit, a bilevel page, a cut file.
  EXPECT_FALSE(unchanged_png(grey, ColourKind::colour, 320, 240, 300.0).has_value());
  EXPECT_FALSE(unchanged_png(rgb, ColourKind::colour, 321, 240, 300.0).has_value());
  cv::Mat with_alpha;
  cv::cvtColor(colour, with_alpha, cv::COLOR_BGR2BGRA);
  std::vector<std::uint8_t> rgba;
  ASSERT_TRUE(cv::imencode(".png", with_alpha, rgba));
  EXPECT_FALSE(unchanged_png(rgba, ColourKind::colour, 320, 240, 300.0).has_value());
  cv::Mat deep;
  to_grey(colour).convertTo(deep, CV_16U, 256.0);
  std::vector<std::uint8_t> sixteen;
  ASSERT_TRUE(cv::imencode(".png", deep, sixteen));
  EXPECT_FALSE(unchanged_png(sixteen, ColourKind::grey, 320, 240, 300.0).has_value());
  EXPECT_FALSE(unchanged_png(grey, ColourKind::bilevel, 320, 240, 300.0).has_value());
  // A transparency key (tRNS after IHDR; 8 signature + 25 IHDR bytes): the reader composites it.
  std::vector<std::uint8_t> keyed(grey.begin(), grey.begin() + 33);
  const std::vector<std::uint8_t> trns{0, 0, 0, 2, 't', 'R', 'N', 'S', 0, 255, 0, 0, 0, 0};
  keyed.insert(keyed.end(), trns.begin(), trns.end());
  keyed.insert(keyed.end(), grey.begin() + 33, grey.end());
  EXPECT_FALSE(unchanged_png(keyed, ColourKind::grey, 320, 240, 300.0).has_value());
  const std::vector<std::uint8_t> cut(rgb.begin(), rgb.begin() + static_cast<std::ptrdiff_t>(rgb.size() / 2));
  EXPECT_FALSE(unchanged_png(cut, ColourKind::colour, 320, 240, 300.0).has_value());
}

TEST(UnchangedJpeg, AnythingElseIsEncodedAgain) {
  cv::Mat colour(120, 160, CV_8UC3, cv::Scalar(240, 240, 240));
  std::vector<std::uint8_t> scan;
  ASSERT_TRUE(cv::imencode(".jpg", colour, scan));
  // Another size, a grey file for a colour page, bilevel, a PNG, a progressive JPEG, nothing.
  EXPECT_FALSE(unchanged_jpeg(scan, ColourKind::colour, 170, 120, 300.0).has_value());
  std::vector<std::uint8_t> grey_file;
  ASSERT_TRUE(cv::imencode(".jpg", to_grey(colour), grey_file));
  EXPECT_FALSE(unchanged_jpeg(grey_file, ColourKind::colour, 160, 120, 300.0).has_value());
  // (A grey page scanned in colour keeps its 3-component data: it is the scanner's.)
  const auto grey_page = unchanged_jpeg(scan, ColourKind::grey, 160, 120, 300.0);
  ASSERT_TRUE(grey_page.has_value());
  EXPECT_EQ(grey_page->channels, 3);
  EXPECT_FALSE(unchanged_jpeg(scan, ColourKind::bilevel, 160, 120, 300.0).has_value());
  std::vector<std::uint8_t> png;
  ASSERT_TRUE(cv::imencode(".png", colour, png));
  EXPECT_FALSE(unchanged_jpeg(png, ColourKind::colour, 160, 120, 300.0).has_value());
  std::vector<std::uint8_t> progressive;
  ASSERT_TRUE(cv::imencode(".jpg", colour, progressive, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  EXPECT_FALSE(unchanged_jpeg(progressive, ColourKind::colour, 160, 120, 300.0).has_value());
  EXPECT_FALSE(unchanged_jpeg({}, ColourKind::colour, 160, 120, 300.0).has_value());
  const std::vector<std::uint8_t> truncated(scan.begin(), scan.begin() + 20);
  EXPECT_FALSE(unchanged_jpeg(truncated, ColourKind::colour, 160, 120, 300.0).has_value());
}

TEST(EncodeArchiveImage, BilevelPacksOneBitPerPixelBlackIsOneMsbFirst) {
  cv::Mat image(2, 10, CV_8UC1, cv::Scalar(255));
  // Row 0: black at x = 0, 7, 8.  Row 1: black at x = 1 and 9; x = 2 is grey 127 (< 128: black),
  // x = 3 is grey 128 (white).
  image.at<std::uint8_t>(0, 0) = 0;
  image.at<std::uint8_t>(0, 7) = 0;
  image.at<std::uint8_t>(0, 8) = 0;
  image.at<std::uint8_t>(1, 1) = 0;
  image.at<std::uint8_t>(1, 9) = 0;
  image.at<std::uint8_t>(1, 2) = 127;
  image.at<std::uint8_t>(1, 3) = 128;
  const core::EncodedImage encoded = encode_archive_image(image, ColourKind::bilevel, 300.0);
  EXPECT_EQ(encoded.format, core::EncodedImage::Format::bilevel);
  EXPECT_EQ(encoded.width, 10);
  EXPECT_EQ(encoded.height, 2);
  EXPECT_EQ(encoded.channels, 1);
  const std::vector<std::uint8_t> expected{0b1000'0001, 0b1000'0000, 0b0110'0000, 0b0100'0000};
  EXPECT_EQ(encoded.bytes, expected);
}

}  // namespace
}  // namespace sohoa::pipeline
