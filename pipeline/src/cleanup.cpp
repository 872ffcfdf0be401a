// Design notes
// ------------
// Scanner borders (find_scan_cleanup):
//  - Measured on a copy at ~100 dpi. "Dark" is under 60% of the paper's brightness (the page's
//    90th percentile), closed by 3 px so a scanner's noisy band is one run: black and dark grey
//    lids count; a light grey lid is close to paper and left alone.
//  - Per edge, the depth of the dark run that starts at the edge, for each column (row) along it:
//    the band's profile. A scanner band ends at a straight line, the paper's edge (tilted when the
//    paper is); content touching the band (a photo printed to the edge, cut-off text, the other
//    edges' bands at the corners) only makes it deeper in places. So the edge is the profile's
//    lower envelope: a line started at the median depth, refitted by least squares on the points
//    no more than 1 mm deeper than it, four times. Points shallower than the line are never
//    dropped, so a gap in the band pulls the line outwards (less is cut), never into the paper.
//  - The paper is the scan's rectangle cut by each band's line, moved half a working pixel
//    outwards (Sutherland–Hodgman against each half-plane): a convex polygon.
// Punched holes: components of the dark mask inside the paper that are discs (bounding box about
//  square, filling about π/4 of it) 4–9 mm across (filing holes are 5–8 mm) with the centre
//  within 20 mm of the paper's edge. Round dark marks of that size so near the edge are not text.
// The scan itself is never changed: the PDF clips it.

#include "sohoa/pipeline/cleanup.hpp"

#include "imaging_detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace sohoa::pipeline {
namespace {

using detail::reduce_to;
using detail::sane_dpi;

constexpr double k_work_dpi = 100.0;
constexpr double k_dark_share = 0.6;     // dark: under this share of the paper's brightness
constexpr double k_min_paper = 100.0;    // a page darker than this is not paper on a lid
constexpr double k_band_reach = 0.6;     // share of the edge the band's line must be reached on
constexpr double k_hole_min_mm = 4.0;
constexpr double k_hole_max_mm = 9.0;
constexpr double k_hole_reach_mm = 20.0;  // from the paper's edge to a hole's centre
constexpr double k_hole_shadow_mm = 0.5;

// The band's line along one edge: depth = offset + slope · t, in working pixels, t the pixel
// index along the edge.
struct BandLine {
  bool found = false;
  double offset = 0.0;
  double slope = 0.0;
  [[nodiscard]] double at(double t) const { return offset + slope * t; }
};

enum class Edge { top, bottom, left, right };

// The depth of the dark run from `edge` at each position along it, capped at `cap`.
std::vector<int> band_profile(const cv::Mat& dark, Edge edge, int cap) {
  const bool across_columns = edge == Edge::top || edge == Edge::bottom;
  const int length = across_columns ? dark.cols : dark.rows;
  const int span = across_columns ? dark.rows : dark.cols;
  std::vector<int> depth(static_cast<std::size_t>(length), 0);
  for (int pos = 0; pos < length; ++pos) {
    int run = 0;
    while (run < span && run < cap) {
      const int inward = (edge == Edge::top || edge == Edge::left) ? run : span - 1 - run;
      const std::uint8_t value = across_columns ? dark.at<std::uint8_t>(inward, pos)
                                                : dark.at<std::uint8_t>(pos, inward);
      if (value == 0) {
        break;
      }
      ++run;
    }
    depth[static_cast<std::size_t>(pos)] = run;
  }
  return depth;
}

BandLine fit_band(const std::vector<int>& depth, double mm_px, int cap) {
  BandLine line;
  const std::size_t count = depth.size();
  if (count < 8) {
    return line;
  }
  std::vector<int> sorted = depth;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(count / 2), sorted.end());
  line.offset = sorted[count / 2];
  for (int round = 0; round < 4; ++round) {
    double sum_t = 0.0;
    double sum_d = 0.0;
    double sum_tt = 0.0;
    double sum_td = 0.0;
    double used = 0.0;
    for (std::size_t pos = 0; pos < count; ++pos) {
      const double t = static_cast<double>(pos);
      const double d = depth[pos];
      if (d > line.at(t) + mm_px || (d == 0.0 && line.at(t) < 0.0)) {
        continue;  // content or another band reaching deeper, or paper running off the scan
      }
      sum_t += t;
      sum_d += d;
      sum_tt += t * t;
      sum_td += t * d;
      used += 1.0;
    }
    const double denom = used * sum_tt - sum_t * sum_t;
    if (used < 0.5 * static_cast<double>(count) || denom <= 0.0) {
      return BandLine{};
    }
    line.slope = (used * sum_td - sum_t * sum_d) / denom;
    line.offset = (sum_d - line.slope * sum_t) / used;
  }
  const double last = static_cast<double>(count - 1);
  const double deepest = std::max(line.at(0.0), line.at(last));
  if (deepest < mm_px || deepest >= cap - 1) {
    return line;  // no band, or dark reaching a third of the way in: not a scanner's band
  }
  std::size_t reached = 0;
  for (std::size_t pos = 0; pos < count; ++pos) {
    reached += depth[pos] >= line.at(static_cast<double>(pos)) - mm_px ? 1 : 0;
  }
  line.found = static_cast<double>(reached) >= k_band_reach * static_cast<double>(count);
  return line;
}

// a·x + b·y <= c, in full-resolution pixel-corner coordinates.
struct HalfPlane {
  double a = 0.0;
  double b = 0.0;
  double c = 0.0;
  [[nodiscard]] double excess(const core::ScanCleanup::Point& point) const {
    return a * point.x + b * point.y - c;
  }
};

std::vector<core::ScanCleanup::Point> clip(const std::vector<core::ScanCleanup::Point>& polygon,
                                           const HalfPlane& plane) {
  std::vector<core::ScanCleanup::Point> kept;
  for (std::size_t idx = 0; idx < polygon.size(); ++idx) {
    const core::ScanCleanup::Point& from = polygon[idx];
    const core::ScanCleanup::Point& to = polygon[(idx + 1) % polygon.size()];
    const double from_excess = plane.excess(from);
    const double to_excess = plane.excess(to);
    if (from_excess <= 0.0) {
      kept.push_back(from);
    }
    if ((from_excess <= 0.0) != (to_excess <= 0.0)) {
      const double share = from_excess / (from_excess - to_excess);
      kept.push_back({from.x + share * (to.x - from.x), from.y + share * (to.y - from.y)});
    }
  }
  return kept;
}

// The half-plane kept on the paper side of `line` along `edge`; `scale_along` and `scale_in`
// turn working pixels into full ones along the edge and inwards; `span` is the scan's full size
// inwards. The line moves half a working pixel outwards; t is a pixel centre (x / scale - 0.5).
HalfPlane paper_side(const BandLine& line, Edge edge, double scale_along, double scale_in, double span) {
  const double slope = line.slope * scale_in / scale_along;              // full px inwards per full px along
  const double offset = (line.offset - 0.5 * line.slope - 0.5) * scale_in;  // at along = 0
  switch (edge) {
    case Edge::top:  // y >= offset + slope·x
      return {slope, -1.0, -offset};
    case Edge::bottom:  // y <= span - offset - slope·x
      return {slope, 1.0, span - offset};
    case Edge::left:  // x >= offset + slope·y
      return {-1.0, slope, -offset};
    case Edge::right:  // x <= span - offset - slope·y
      break;
  }
  return {1.0, slope, span - offset};
}

// The distance from `point` to the nearest side of the convex `polygon` (clockwise on screen),
// negative outside.
double inside_distance(const std::vector<core::ScanCleanup::Point>& polygon, double x, double y) {
  double nearest = std::numeric_limits<double>::max();
  for (std::size_t idx = 0; idx < polygon.size(); ++idx) {
    const core::ScanCleanup::Point& from = polygon[idx];
    const core::ScanCleanup::Point& to = polygon[(idx + 1) % polygon.size()];
    const double dx = to.x - from.x;
    const double dy = to.y - from.y;
    const double length = std::hypot(dx, dy);
    if (length <= 0.0) {
      continue;
    }
    // Clockwise on screen (y down): the inside is to the right of each side, i.e. at a positive
    // cross product of the side with the point.
    nearest = std::min(nearest, (dx * (y - from.y) - dy * (x - from.x)) / length);
  }
  return nearest;
}

}  // namespace

core::ScanCleanup find_scan_cleanup(const cv::Mat& full_grey, const cv::Mat& pixels, double dpi) {
  core::ScanCleanup cleanup;
  if (full_grey.empty() || full_grey.type() != CV_8UC1 || pixels.size() != full_grey.size() ||
      (pixels.channels() != 1 && pixels.channels() != 3)) {
    return cleanup;
  }
  dpi = sane_dpi(dpi);
  const cv::Mat grey = reduce_to(full_grey, dpi, k_work_dpi);
  if (grey.cols < 16 || grey.rows < 16) {
    return cleanup;
  }
  const double scale_x = static_cast<double>(pixels.cols) / grey.cols;
  const double scale_y = static_cast<double>(pixels.rows) / grey.rows;
  const double work_dpi = dpi / scale_x;
  const double mm_px = work_dpi / 25.4;

  std::array<int, 256> histogram{};
  for (int row = 0; row < grey.rows; ++row) {
    const auto* line = grey.ptr<std::uint8_t>(row);
    for (int col = 0; col < grey.cols; ++col) {
      ++histogram[line[col]];
    }
  }
  const auto total = static_cast<long long>(grey.total());
  long long seen = 0;
  int paper_level = 255;
  for (int level = 0; level < 256; ++level) {
    seen += histogram[static_cast<std::size_t>(level)];
    if (seen >= total * 9 / 10) {
      paper_level = level;
      break;
    }
  }
  if (paper_level < k_min_paper) {
    return cleanup;
  }
  cv::Mat dark;
  cv::compare(grey, k_dark_share * paper_level, dark, cv::CMP_LT);
  cv::morphologyEx(dark, dark, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));

  std::vector<core::ScanCleanup::Point> polygon{{0.0, 0.0},
                                                {static_cast<double>(pixels.cols), 0.0},
                                                {static_cast<double>(pixels.cols), static_cast<double>(pixels.rows)},
                                                {0.0, static_cast<double>(pixels.rows)}};
  bool banded = false;
  for (const Edge edge : {Edge::top, Edge::bottom, Edge::left, Edge::right}) {
    const bool horizontal = edge == Edge::top || edge == Edge::bottom;
    const int cap = (horizontal ? grey.rows : grey.cols) / 3;
    const BandLine line = fit_band(band_profile(dark, edge, cap), mm_px, cap);
    if (!line.found) {
      continue;
    }
    banded = true;
    polygon = horizontal ? clip(polygon, paper_side(line, edge, scale_x, scale_y, pixels.rows))
                         : clip(polygon, paper_side(line, edge, scale_y, scale_x, pixels.cols));
  }
  if (polygon.size() < 3) {
    return cleanup;  // the bands met: nothing that looks like paper on a lid
  }

  // Punched holes: dark discs inside the paper, near its edge.
  cv::Mat labels;
  cv::Mat stats;
  cv::Mat centroids;
  const int count = cv::connectedComponentsWithStats(dark, labels, stats, centroids, 8, CV_32S);
  for (int label = 1; label < count; ++label) {
    const int width = stats.at<int>(label, cv::CC_STAT_WIDTH);
    const int height = stats.at<int>(label, cv::CC_STAT_HEIGHT);
    const int area = stats.at<int>(label, cv::CC_STAT_AREA);
    const double across_mm = 2.0 * std::sqrt(area / std::numbers::pi) / mm_px;
    const double fill = static_cast<double>(area) / (static_cast<double>(width) * height);
    if (across_mm < k_hole_min_mm || across_mm > k_hole_max_mm ||
        std::max(width, height) > 1.3 * std::min(width, height) || fill < 0.65 || fill > 0.9) {
      continue;
    }
    const double x = (stats.at<int>(label, cv::CC_STAT_LEFT) + width / 2.0) * scale_x;
    const double y = (stats.at<int>(label, cv::CC_STAT_TOP) + height / 2.0) * scale_y;
    const double radius = (std::max(width, height) / 2.0 + k_hole_shadow_mm * mm_px) * scale_x;
    const double inside = inside_distance(polygon, x, y);
    if (inside < radius || inside > k_hole_reach_mm * mm_px * scale_x) {
      continue;
    }
    cleanup.holes.push_back({x, y, radius});
  }
  if (!banded && cleanup.holes.empty()) {
    return cleanup;
  }
  if (banded) {
    cleanup.paper = std::move(polygon);
  }

  // The paper's colour: the mean of the scan's pixels under the bright working pixels (one
  // scan pixel each, at the working pixel's centre).
  std::array<double, 3> sum{};
  double count_bright = 0.0;
  const double bright = 0.8 * paper_level;
  for (int row = 0; row < grey.rows; ++row) {
    const int scan_row = std::min(pixels.rows - 1, static_cast<int>((row + 0.5) * scale_y));
    for (int col = 0; col < grey.cols; ++col) {
      if (grey.at<std::uint8_t>(row, col) < bright) {
        continue;
      }
      const int scan_col = std::min(pixels.cols - 1, static_cast<int>((col + 0.5) * scale_x));
      if (pixels.channels() == 3) {
        const auto& bgr = pixels.at<cv::Vec3b>(scan_row, scan_col);
        sum[0] += bgr[2];
        sum[1] += bgr[1];
        sum[2] += bgr[0];
      } else {
        const double level = pixels.at<std::uint8_t>(scan_row, scan_col);
        sum[0] += level;
        sum[1] += level;
        sum[2] += level;
      }
      count_bright += 1.0;
    }
  }
  for (std::size_t channel = 0; channel < 3 && count_bright > 0.0; ++channel) {
    cleanup.paper_rgb[channel] =
        static_cast<std::uint8_t>(std::clamp(std::lround(sum[channel] / count_bright), 0L, 255L));
  }
  return cleanup;
}

}  // namespace sohoa::pipeline
