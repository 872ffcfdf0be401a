// The rescan diagnosis (assess_scan) and the deskew fill on grey scans.
#include <cstdint>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "sohoa/pipeline/imaging.hpp"

namespace sohoa::pipeline {
namespace {

// An A5-ish page at 300 dpi with lines of text, paper and ink at the given levels.
cv::Mat page_with_text(int paper, int ink, int left_margin = 120) {
  cv::Mat page(1500, 1100, CV_8UC1, cv::Scalar(paper));
  for (int line = 0; line < 25; ++line) {
    cv::putText(page, "Cong hoa xa hoi chu nghia Viet Nam 2024", cv::Point(left_margin, 150 + 50 * line),
                cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(ink), 3, cv::LINE_AA);
  }
  return page;
}

TEST(AssessScan, ASharpClearPageHasNothingToReport) {
  const ScanQuality quality = assess_scan(page_with_text(245, 20), 300.0);
  EXPECT_TRUE(quality.has_ink);
  EXPECT_GT(quality.paper, 200.0);
  EXPECT_LT(quality.ink, 80.0);
  EXPECT_GT(quality.sharpness, 0.6);
  EXPECT_EQ(quality.edge_marks, 0);
}

TEST(AssessScan, FaintInkDarkPaperAndBlurShowInTheMeasures) {
  const ScanQuality faint = assess_scan(page_with_text(240, 200), 300.0);
  EXPECT_LT(faint.paper - faint.ink, 70.0);
  const ScanQuality dark = assess_scan(page_with_text(100, 10), 300.0);
  EXPECT_LT(dark.paper, 120.0);
  cv::Mat blurred;
  cv::GaussianBlur(page_with_text(245, 20), blurred, cv::Size(), 5.0);
  EXPECT_LT(assess_scan(blurred, 300.0).sharpness, 0.35);
}

TEST(AssessScan, TextRunningOffTheLeftEdgeIsCutOff) {
  const ScanQuality quality = assess_scan(page_with_text(245, 20, -40), 300.0);
  EXPECT_GE(quality.edge_marks, 3);
}

TEST(AssessScan, AnEmptyOrUniformImageHasNoInk) {
  EXPECT_FALSE(assess_scan(cv::Mat(), 300.0).has_ink);
  EXPECT_FALSE(assess_scan(cv::Mat(400, 300, CV_8UC1, cv::Scalar(230)), 300.0).has_ink);
}

TEST(Deskew, AGreyScanIsFilledWithItsOwnGreyNotWhite) {
  const cv::Mat page = page_with_text(200, 20);
  const cv::Mat rotated = deskew(page, 6.0, core::ColourKind::grey);
  EXPECT_NEAR(rotated.at<std::uint8_t>(0, 0), 200, 2);
  EXPECT_NEAR(rotated.at<std::uint8_t>(rotated.rows - 1, rotated.cols - 1), 200, 2);
}

}  // namespace
}  // namespace sohoa::pipeline
