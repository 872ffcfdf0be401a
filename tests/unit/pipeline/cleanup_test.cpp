#include "sohoa/pipeline/cleanup.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "sohoa/pipeline/imaging.hpp"

namespace sohoa::pipeline {
namespace {

constexpr double k_dpi = 300.0;

double mm(double millimetres) { return millimetres / 25.4 * k_dpi; }

// The clean-up of a scan as the runner asks for it: measured on its grey.
core::ScanCleanup cleanup_of(const cv::Mat& scan) { return find_scan_cleanup(to_grey(scan), scan, k_dpi); }

// An A4 page at 300 dpi on paper of brightness `paper`, with lines of word-like marks.
cv::Mat page_with_text(int paper = 245) {
  cv::Mat page(cv::Size(2480, 3508), CV_8UC1, cv::Scalar(paper));
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> word(40, 220);
  for (int y = 300; y < 3100; y += 60) {
    for (int x = 300; x < 2100;) {
      const int width = word(rng);
      cv::rectangle(page, cv::Rect(x, y, std::min(width, 2180 - x), 28), cv::Scalar(30), cv::FILLED);
      x += width + 30;
    }
  }
  return page;
}

// Where `cleanup` cuts: true when (x, y) is outside the paper polygon or in a hole.
bool hidden(const core::ScanCleanup& cleanup, double x, double y) {
  for (const auto& hole : cleanup.holes) {
    if (std::hypot(x - hole.x, y - hole.y) <= hole.radius) {
      return true;
    }
  }
  if (cleanup.paper.empty()) {
    return false;
  }
  std::vector<cv::Point2f> polygon;
  for (const auto& point : cleanup.paper) {
    polygon.emplace_back(static_cast<float>(point.x), static_cast<float>(point.y));
  }
  return cv::pointPolygonTest(polygon, cv::Point2f(static_cast<float>(x), static_cast<float>(y)), false) < 0;
}

TEST(ScanCleanup, ACleanPageIsLeftAlone) {
  const cv::Mat page = page_with_text();
  const core::ScanCleanup cleanup = cleanup_of(page);
  EXPECT_TRUE(cleanup.empty());
}

TEST(ScanCleanup, ATiltedDarkBandIsCutAtThePapersEdgeAndAPhotoTouchingItIsKept) {
  cv::Mat page = page_with_text();
  // The scanner's lid below the paper: 12 mm deep at the left, 20 mm at the right (the paper
  // is tilted), black with noise.
  const int left_top = page.rows - static_cast<int>(mm(12));
  const int right_top = page.rows - static_cast<int>(mm(20));
  const std::vector<cv::Point> band{{0, left_top}, {page.cols, right_top}, {page.cols, page.rows}, {0, page.rows}};
  cv::fillConvexPoly(page, band, cv::Scalar(20));
  cv::Mat noise(page.size(), CV_8UC1);
  cv::randu(noise, 0, 25);
  cv::Mat band_mask(page.size(), CV_8UC1, cv::Scalar(0));
  cv::fillConvexPoly(band_mask, band, cv::Scalar(255));
  cv::add(page, noise, page, band_mask);
  const auto edge_at = [&](double x) { return left_top + (right_top - left_top) * x / page.cols; };
  // A dark photo printed to the paper's edge, from x 100 to 700: it joins the band.
  const std::vector<cv::Point> photo{{100, static_cast<int>(edge_at(100) - mm(60))},
                                     {700, static_cast<int>(edge_at(100) - mm(60))},
                                     {700, static_cast<int>(edge_at(700)) + 2},
                                     {100, static_cast<int>(edge_at(100)) + 2}};
  cv::fillConvexPoly(page, photo, cv::Scalar(40));

  const core::ScanCleanup cleanup = cleanup_of(page);
  ASSERT_FALSE(cleanup.paper.empty());
  EXPECT_TRUE(cleanup.holes.empty());
  // Each point of the band 1 mm below its top edge is cut; each point of the paper 1 mm above it
  // is kept, the photo's bottom row included.
  for (int x = 0; x < page.cols; x += 20) {
    EXPECT_TRUE(hidden(cleanup, x + 0.5, edge_at(x) + mm(1))) << "band at x " << x;
    EXPECT_FALSE(hidden(cleanup, x + 0.5, edge_at(x) - mm(1))) << (x >= 100 && x <= 700 ? "photo" : "paper")
                                                               << " at x " << x;
  }
  // The other edges have no band: the paper reaches them.
  EXPECT_FALSE(hidden(cleanup, 0.5, 0.5));
  EXPECT_FALSE(hidden(cleanup, page.cols - 0.5, 0.5));
  EXPECT_NEAR(cleanup.paper_rgb[0], 245, 3);
}

TEST(ScanCleanup, PunchedHolesNearTheEdgeAreCoveredButRoundMarksInTheTextAreNot) {
  cv::Mat page = page_with_text();
  // Two filing holes, 6 mm across, 12 mm from the left edge; a bold 6 mm dot amid the text;
  // a 2 mm bullet near the edge.
  const cv::Point upper(static_cast<int>(mm(12)), page.rows / 2 - static_cast<int>(mm(40)));
  const cv::Point lower(static_cast<int>(mm(12)), page.rows / 2 + static_cast<int>(mm(40)));
  cv::circle(page, upper, static_cast<int>(mm(3)), cv::Scalar(15), cv::FILLED);
  cv::circle(page, lower, static_cast<int>(mm(3)), cv::Scalar(15), cv::FILLED);
  const cv::Point dot(page.cols / 2, page.rows / 2);
  cv::rectangle(page, cv::Rect(dot.x - 100, dot.y - 100, 200, 200), cv::Scalar(245), cv::FILLED);
  cv::circle(page, dot, static_cast<int>(mm(3)), cv::Scalar(15), cv::FILLED);
  cv::circle(page, cv::Point(static_cast<int>(mm(12)), 400), static_cast<int>(mm(1)), cv::Scalar(15), cv::FILLED);

  const core::ScanCleanup cleanup = cleanup_of(page);
  EXPECT_TRUE(cleanup.paper.empty()) << "no band: the whole scan is paper";
  ASSERT_EQ(cleanup.holes.size(), 2U);
  for (const cv::Point centre : {upper, lower}) {
    EXPECT_TRUE(hidden(cleanup, centre.x, centre.y));
    EXPECT_TRUE(hidden(cleanup, centre.x + mm(3.2), centre.y)) << "the hole's rim";
  }
  for (const auto& hole : cleanup.holes) {
    EXPECT_GT(hole.radius, mm(3));
    EXPECT_LT(hole.radius, mm(4.5));
  }
  EXPECT_FALSE(hidden(cleanup, dot.x, dot.y)) << "the dot in the text";
  EXPECT_FALSE(hidden(cleanup, mm(12), 400)) << "the bullet";
}

TEST(ScanCleanup, ADarkPhotographOrAMostlyDarkPageIsNotTakenForABorder) {
  cv::Mat photo(cv::Size(1200, 900), CV_8UC3, cv::Scalar(60, 70, 80));
  cv::circle(photo, cv::Point(600, 450), 200, cv::Scalar(90, 90, 90), cv::FILLED);
  EXPECT_TRUE(cleanup_of(photo).empty());
  EXPECT_TRUE(cleanup_of(cv::Mat()).empty());
}

TEST(ScanCleanup, AColourScanGetsItsPapersColour) {
  cv::Mat grey = page_with_text(255);
  cv::rectangle(grey, cv::Rect(0, 0, static_cast<int>(mm(10)), grey.rows), cv::Scalar(10), cv::FILLED);
  cv::Mat colour;
  cv::cvtColor(grey, colour, cv::COLOR_GRAY2BGR);
  colour.setTo(cv::Scalar(215, 235, 250), grey == 255);  // cream paper (B, G, R)
  const core::ScanCleanup cleanup = cleanup_of(colour);
  ASSERT_FALSE(cleanup.paper.empty());
  EXPECT_NEAR(cleanup.paper_rgb[0], 250, 3);
  EXPECT_NEAR(cleanup.paper_rgb[1], 235, 3);
  EXPECT_NEAR(cleanup.paper_rgb[2], 215, 3);
  EXPECT_TRUE(hidden(cleanup, mm(9), grey.rows / 2.0));
  EXPECT_FALSE(hidden(cleanup, mm(11), grey.rows / 2.0));
}

}  // namespace
}  // namespace sohoa::pipeline
