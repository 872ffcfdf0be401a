// Design notes
// ------------
// Skew (estimate_skew):
//  - Measured on a copy reduced to ~150 dpi (INTER_AREA), binarised with Otsu so ink is foreground.
//  - Connected components that cannot be characters or words are dropped before measuring: page
//    borders and dark scanner edges, photos, seals, table grids and rules are all larger than a
//    word in at least one direction. What is left is (mostly) text, so the angle is the angle of
//    the text lines, not of the paper or a frame.
//  - The ink pixels are kept as a point list and, for each candidate angle, projected onto the
//    normal of a text line at that angle (the image itself is never rotated). The criterion is
//    Leptonica's "differential square sum": the sum of squared differences of adjacent bins of
//    the projection histogram. It peaks when the line tops and bottoms fall into single bins and
//    is insensitive to slowly varying ink (a grey picture that survived the filter).
//  - Search: 0.5° steps over ±max on a subsample at half resolution (both the horizontal
//    orientation and the quarter-turned one), then 0.1° and 0.02° steps on every point at full
//    working resolution, then a parabola through the best three samples. Splitting each point
//    between its two nearest bins (linear binning) makes the criterion smooth in the angle, which
//    is what lets the parabola resolve a few hundredths of a degree.
//  - Sign: an angle a means the text was turned counter-clockwise by a as seen on screen (text
//    lines climbing to the right have a > 0), the same as cv::getRotationMatrix2D(c, a, 1) or
//    PIL's Image.rotate(a) applied to a level page. With y pointing down, a point (x, y) lies at
//    distance y·cos a + x·sin a from a line through the origin at that angle.
// Blank pages (is_blank):
//  - Reduced to ~100 dpi with a min filter first (so a thin pen stroke stays dark), margins of 4%
//    ignored, threshold relative to the paper's own brightness (its median), specks smaller than
//    ~1.2 mm ignored, thin bands touching the inner border ignored (scanner edges). The page has
//    content when it holds one long component (a signature, a joined word: >= 5 mm) or three
//    mark-sized ones within ~1 cm of each other (letters of a word); dust is scattered, not grouped.

#include "sohoa/pipeline/imaging.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "imaging_detail.hpp"
#include "sohoa/core/jpeg_storage.hpp"
#include "sohoa/core/png.hpp"

namespace sohoa::pipeline {

double detail::sane_dpi(double dpi) {
  return (std::isfinite(dpi) && dpi >= 20.0 && dpi <= 10'000.0) ? dpi : 300.0;
}

cv::Mat detail::reduce_to(const cv::Mat& grey, double dpi, double work_dpi) {
  const double factor = work_dpi / dpi;
  if (factor >= 0.95) {
    return grey;
  }
  if (grey.cols * factor < 1.0 || grey.rows * factor < 1.0) {
    return grey;  // a sliver: nothing to gain, and OpenCV refuses a zero-sized target
  }
  // Scale factors, not a target size: the same factor on both axes keeps angles exact.
  cv::Mat small;
  cv::resize(grey, small, cv::Size(), factor, factor, cv::INTER_AREA);
  return small;
}

namespace {

using detail::reduce_to;
using detail::sane_dpi;

constexpr double k_skew_work_dpi = 150.0;
constexpr double k_blank_work_dpi = 100.0;
constexpr double k_ocr_dpi = 300.0;
constexpr double k_min_deskew_deg = 0.05;
constexpr std::size_t k_max_skew_points = 400'000;  // beyond this, points are subsampled
constexpr std::size_t k_coarse_points = 30'000;     // about this many points for the coarse sweep
constexpr int k_sharpness_band = 48;                // rows (at 300 dpi) per sharpness band

// Ink pixels of the text-like components, as coordinates relative to the image centre.
struct InkPoints {
  std::vector<float> xs;
  std::vector<float> ys;
  double half_extent = 0.0;  // largest possible |projection|
  int components = 0;        // text-like components kept
};

InkPoints collect_text_ink(const InkMap& map) {
  InkPoints ink;
  // A page without contrast (blank, or only noise): Otsu splits the noise; there is no text.
  if (map.brightest - map.otsu < 20.0 || map.otsu - map.darkest < 20.0) {
    return ink;
  }
  const double work_dpi = map.dpi;
  const cv::Mat& small = map.small;
  const cv::Mat& labels = map.labels;
  const cv::Mat& stats = map.stats;
  const int count = map.count;
  const int max_width = static_cast<int>(1.5 * work_dpi);
  const int max_height = static_cast<int>(0.6 * work_dpi);
  const int min_area = std::max(3, static_cast<int>(work_dpi * work_dpi / 6000.0));
  std::vector<std::uint8_t> keep(static_cast<std::size_t>(count), 0);
  std::size_t kept_pixels = 0;
  for (int label = 1; label < count; ++label) {
    const int width = stats.at<int>(label, cv::CC_STAT_WIDTH);
    const int height = stats.at<int>(label, cv::CC_STAT_HEIGHT);
    const int area = stats.at<int>(label, cv::CC_STAT_AREA);
    if (width <= max_width && height <= max_height && area >= min_area) {
      keep[static_cast<std::size_t>(label)] = 1;
      kept_pixels += static_cast<std::size_t>(area);
      ++ink.components;
    }
  }
  if (kept_pixels == 0) {
    return ink;
  }

  // Deterministic subsampling of very dense pages keeps the cost bounded.
  const std::size_t stride = (kept_pixels + k_max_skew_points - 1) / k_max_skew_points;
  ink.xs.reserve(kept_pixels / stride + 1);
  ink.ys.reserve(kept_pixels / stride + 1);
  const float centre_x = static_cast<float>(small.cols) / 2.0F;
  const float centre_y = static_cast<float>(small.rows) / 2.0F;
  std::size_t seen = 0;
  for (int row = 0; row < labels.rows; ++row) {
    const int* label_row = labels.ptr<int>(row);
    for (int col = 0; col < labels.cols; ++col) {
      if (label_row[col] != 0 && keep[static_cast<std::size_t>(label_row[col])] != 0) {
        if (seen++ % stride == 0) {
          ink.xs.push_back(static_cast<float>(col) - centre_x);
          ink.ys.push_back(static_cast<float>(row) - centre_y);
        }
      }
    }
  }
  ink.half_extent = std::hypot(centre_x, centre_y) + 2.0;
  return ink;
}

// Differential square sum of the projection of every `step`-th point onto the normal of a line at
// `angle_deg`, with bins `1 / bin_scale` pixels high.
double projection_score(const InkPoints& ink, double angle_deg, double bin_scale, std::size_t step,
                        std::vector<float>& bins) {
  const double radians = angle_deg * std::numbers::pi / 180.0;
  const auto cos_a = static_cast<float>(std::cos(radians) * bin_scale);
  const auto sin_a = static_cast<float>(std::sin(radians) * bin_scale);
  const auto offset = static_cast<float>(ink.half_extent * bin_scale + 1.0);
  const auto bin_count = static_cast<std::size_t>(2.0 * ink.half_extent * bin_scale + 4.0);
  bins.assign(bin_count, 0.0F);
  const std::size_t size = ink.xs.size();
  for (std::size_t idx = 0; idx < size; idx += step) {
    const float pos = ink.ys[idx] * cos_a + ink.xs[idx] * sin_a + offset;
    const auto bin = static_cast<std::size_t>(pos);
    const float frac = pos - static_cast<float>(bin);
    bins[bin] += 1.0F - frac;
    bins[bin + 1] += frac;
  }
  double score = 0.0;
  for (std::size_t idx = 1; idx < bin_count; ++idx) {
    const double diff = static_cast<double>(bins[idx]) - static_cast<double>(bins[idx - 1]);
    score += diff * diff;
  }
  return score;
}

struct Sweep {
  double best_angle = 0.0;
  double best_score = 0.0;
  double median_score = 0.0;
};

Sweep sweep(const InkPoints& ink, double base_deg, double from, double to, double step_deg,
            double bin_scale, std::size_t point_step, std::vector<float>& bins) {
  Sweep result;
  std::vector<double> scores;
  const int steps = static_cast<int>(std::lround((to - from) / step_deg));
  for (int idx = 0; idx <= steps; ++idx) {
    const double angle = from + step_deg * idx;
    const double score = projection_score(ink, base_deg + angle, bin_scale, point_step, bins);
    scores.push_back(score);
    if (score > result.best_score) {
      result.best_score = score;
      result.best_angle = angle;
    }
  }
  std::nth_element(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(scores.size() / 2),
                   scores.end());
  result.median_score = scores[scores.size() / 2];
  return result;
}

// Refines `start` (degrees, relative to `base_deg`) with finer sweeps and a parabola.
double refine(const InkPoints& ink, double base_deg, double start, double limit,
              std::vector<float>& bins) {
  const Sweep medium = sweep(ink, base_deg, start - 0.6, start + 0.6, 0.1, 1.0, 1, bins);
  const double fine_step = 0.02;
  const double centre = medium.best_angle;
  std::array<double, 13> scores{};
  int best_idx = 0;
  for (int idx = 0; idx < 13; ++idx) {
    const double angle = centre + fine_step * (idx - 6);
    scores[static_cast<std::size_t>(idx)] = projection_score(ink, base_deg + angle, 1.0, 1, bins);
    if (scores[static_cast<std::size_t>(idx)] > scores[static_cast<std::size_t>(best_idx)]) {
      best_idx = idx;
    }
  }
  double angle = centre + fine_step * (best_idx - 6);
  if (best_idx > 0 && best_idx < 12) {
    const double left = scores[static_cast<std::size_t>(best_idx - 1)];
    const double mid = scores[static_cast<std::size_t>(best_idx)];
    const double right = scores[static_cast<std::size_t>(best_idx + 1)];
    const double denom = left - 2.0 * mid + right;
    if (denom < 0.0) {
      angle += fine_step * std::clamp(0.5 * (left - right) / denom, -0.5, 0.5);
    }
  }
  return std::clamp(angle, -limit, limit);
}

// The colour of the scan's outer frame (median per channel of the 1-pixel border): white for a
// page scanned edge to edge, the scanner lid's grey otherwise. New area after a rotation takes it,
// so no bright wedge appears next to grey paper (a sharp edge that skew checks and OCR would see).
cv::Scalar border_colour(const cv::Mat& image) {
  std::vector<cv::Mat> frame{image.row(0), image.row(image.rows - 1), image.col(0).t(),
                             image.col(image.cols - 1).t()};
  cv::Mat ring;
  cv::hconcat(frame, ring);
  std::vector<cv::Mat> channels;
  cv::split(ring, channels);
  cv::Scalar colour = cv::Scalar::all(255);
  for (std::size_t idx = 0; idx < channels.size() && idx < 4; ++idx) {
    cv::Mat row = channels[idx].reshape(1, 1).clone();
    std::vector<std::uint8_t> values(row.begin<std::uint8_t>(), row.end<std::uint8_t>());
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2),
                     values.end());
    colour[static_cast<int>(idx)] = values[values.size() / 2];
  }
  return colour;
}

}  // namespace

cv::Mat to_grey(const cv::Mat& pixels) {
  if (pixels.empty() || pixels.channels() == 1) {
    return pixels;
  }
  cv::Mat grey;
  cv::cvtColor(pixels, grey, pixels.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return grey;
}

InkMap map_ink(const cv::Mat& grey_in, double dpi) {
  InkMap map;
  if (grey_in.empty()) {
    return map;
  }
  const cv::Mat grey = to_grey(grey_in);
  dpi = sane_dpi(dpi);
  map.small = reduce_to(grey, dpi, k_skew_work_dpi);
  map.dpi = dpi * static_cast<double>(map.small.cols) / static_cast<double>(grey.cols);
  map.otsu = cv::threshold(map.small, map.binary, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::minMaxLoc(map.small, &map.darkest, &map.brightest);
  cv::Mat centroids;
  map.count = cv::connectedComponentsWithStats(map.binary, map.labels, map.stats, centroids, 8, CV_32S);
  return map;
}

SkewEstimate estimate_skew(const cv::Mat& grey, double dpi, double max_deg) {
  return estimate_skew(map_ink(grey, dpi), max_deg);
}

SkewEstimate estimate_skew(const InkMap& map, double max_deg) {
  SkewEstimate estimate;
  if (map.small.empty()) {
    return estimate;
  }
  max_deg = std::clamp(max_deg, 0.5, 44.0);
  const InkPoints ink = collect_text_ink(map);
  // Fewer than ~a line of characters cannot give a trustworthy angle.
  if (ink.components < 20 || ink.xs.size() < 300) {
    return estimate;
  }

  std::vector<float> bins;
  // Coarse: half resolution, about k_coarse_points points, both orientations.
  const std::size_t coarse_step = std::max<std::size_t>(1, ink.xs.size() / k_coarse_points);
  const Sweep level = sweep(ink, 0.0, -max_deg, max_deg, 0.5, 0.5, coarse_step, bins);
  const Sweep turned = sweep(ink, 90.0, -max_deg, max_deg, 0.5, 0.5, coarse_step, bins);
  const bool vertical = turned.best_score > 1.1 * level.best_score;
  const Sweep& chosen = vertical ? turned : level;
  // Text gives a clear peak; noise, pictures and stray marks give a flat curve.
  if (chosen.best_score < 1.25 * chosen.median_score) {
    return estimate;
  }
  estimate.found = true;
  estimate.lines_vertical = vertical;
  estimate.angle_deg = refine(ink, vertical ? 90.0 : 0.0, chosen.best_angle, max_deg, bins);
  return estimate;
}

cv::Mat rotate_quarter(const cv::Mat& image, int clockwise_deg) {
  const int normalised = ((clockwise_deg % 360) + 360) % 360;
  cv::Mat turned;
  switch (normalised) {
    case 0:
      return image;
    case 90:
      cv::rotate(image, turned, cv::ROTATE_90_CLOCKWISE);
      return turned;
    case 180:
      cv::rotate(image, turned, cv::ROTATE_180);
      return turned;
    case 270:
      cv::rotate(image, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
      return turned;
    default:
      throw std::invalid_argument("rotate_quarter: angle is not a multiple of 90 degrees");
  }
}

std::array<std::uint8_t, 3> fill_rgb(const cv::Mat& image, core::ColourKind kind) {
  if (image.empty() || kind == core::ColourKind::bilevel) {
    return {255, 255, 255};
  }
  const cv::Scalar colour = border_colour(image);
  const auto level = [&](int channel) { return static_cast<std::uint8_t>(colour[channel]); };
  if (image.channels() == 1) {
    return {level(0), level(0), level(0)};
  }
  return {level(2), level(1), level(0)};  // OpenCV's BGR
}

double applied_deskew_deg(double angle_deg) {
  return std::isfinite(angle_deg) && std::abs(angle_deg) >= k_min_deskew_deg ? angle_deg : 0.0;
}

cv::Mat deskew(const cv::Mat& image, double angle_deg, core::ColourKind kind) {
  if (image.empty() || applied_deskew_deg(angle_deg) == 0.0) {
    return image;
  }
  const double radians = angle_deg * std::numbers::pi / 180.0;
  const double abs_cos = std::abs(std::cos(radians));
  const double abs_sin = std::abs(std::sin(radians));
  const double width = image.cols;
  const double height = image.rows;
  const int out_width = static_cast<int>(std::ceil(width * abs_cos + height * abs_sin - 1e-6));
  const int out_height = static_cast<int>(std::ceil(width * abs_sin + height * abs_cos - 1e-6));
  // Clockwise by angle_deg (OpenCV: positive = counter-clockwise) about the pixel-grid centre.
  cv::Mat matrix =
      cv::getRotationMatrix2D(cv::Point2f(static_cast<float>((width - 1.0) / 2.0),
                                          static_cast<float>((height - 1.0) / 2.0)),
                              -angle_deg, 1.0);
  matrix.at<double>(0, 2) += (out_width - width) / 2.0;
  matrix.at<double>(1, 2) += (out_height - height) / 2.0;
  const bool bilevel = kind == core::ColourKind::bilevel;
  cv::Mat rotated;
  cv::warpAffine(image, rotated, matrix, cv::Size(out_width, out_height),
                 bilevel ? cv::INTER_LINEAR : cv::INTER_CUBIC, cv::BORDER_CONSTANT,
                 bilevel ? cv::Scalar::all(255) : border_colour(image));
  if (bilevel) {
    cv::threshold(rotated, rotated, 127, 255, cv::THRESH_BINARY);
  }
  return rotated;
}

bool is_blank(const cv::Mat& grey_in, double dpi) {
  if (grey_in.empty()) {
    return true;
  }
  const cv::Mat grey = to_grey(grey_in);
  dpi = sane_dpi(dpi);
  // Min filter before reducing so a thin stroke keeps its darkness.
  // Into a Mat of its own: `source = grey` would share the caller's pixels, and erode would
  // thicken the very page that goes on to OCR.
  cv::Mat source;
  const int factor = static_cast<int>(std::floor(dpi / k_blank_work_dpi));
  if (factor >= 2) {
    cv::erode(grey, source,
              cv::getStructuringElement(cv::MORPH_RECT, cv::Size(factor, factor)));
  } else {
    source = grey;
  }
  const cv::Mat small = reduce_to(source, dpi, k_blank_work_dpi);
  const double work_dpi = dpi * static_cast<double>(small.cols) / static_cast<double>(grey.cols);

  const int margin_x = static_cast<int>(std::lround(small.cols * 0.04));
  const int margin_y = static_cast<int>(std::lround(small.rows * 0.04));
  if (small.cols - 2 * margin_x < 4 || small.rows - 2 * margin_y < 4) {
    return true;
  }
  const cv::Mat inner =
      small(cv::Rect(margin_x, margin_y, small.cols - 2 * margin_x, small.rows - 2 * margin_y));

  // The paper's brightness: the median of the inner area (a page is mostly paper).
  std::array<int, 256> histogram{};
  for (int row = 0; row < inner.rows; ++row) {
    const std::uint8_t* pixels = inner.ptr<std::uint8_t>(row);
    for (int col = 0; col < inner.cols; ++col) {
      ++histogram[pixels[col]];
    }
  }
  const long half = static_cast<long>(inner.total()) / 2;
  long cumulative = 0;
  int paper = 255;
  for (int level = 0; level < 256; ++level) {
    cumulative += histogram[static_cast<std::size_t>(level)];
    if (cumulative > half) {
      paper = level;
      break;
    }
  }
  if (paper < 60) {
    return false;  // mostly dark: a photo or a negative, not an empty sheet
  }
  const double ink_below = std::min(paper * 0.6, paper - 50.0);
  cv::Mat binary;
  cv::threshold(inner, binary, ink_below, 255, cv::THRESH_BINARY_INV);

  cv::Mat labels;
  cv::Mat stats;
  cv::Mat centroids;
  const int count = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
  const double mark_px = 0.047 * work_dpi;  // 1.2 mm: smaller is dust or noise
  const double long_px = 0.2 * work_dpi;    // 5 mm: a signature stroke, a word
  std::vector<cv::Point2d> marks;
  for (int label = 1; label < count; ++label) {
    const int left = stats.at<int>(label, cv::CC_STAT_LEFT);
    const int top = stats.at<int>(label, cv::CC_STAT_TOP);
    const int width = stats.at<int>(label, cv::CC_STAT_WIDTH);
    const int height = stats.at<int>(label, cv::CC_STAT_HEIGHT);
    const bool touches = left == 0 || top == 0 || left + width == inner.cols ||
                         top + height == inner.rows;
    const bool band = width < inner.cols / 10 || height < inner.rows / 10;
    if (touches && band) {
      continue;  // the rest of a dark scanner edge reaching past the margin
    }
    const int extent = std::max(width, height);
    if (extent >= long_px) {
      return false;
    }
    if (extent >= mark_px) {
      marks.emplace_back(left + width / 2.0, top + height / 2.0);
    }
  }
  // Letters come in groups (words); dust is scattered. Three marks within ~1 cm make a word.
  const double near_px = 0.4 * work_dpi;
  for (const cv::Point2d& mark : marks) {
    int neighbours = 0;
    for (const cv::Point2d& other : marks) {
      if (std::abs(other.x - mark.x) <= near_px && std::abs(other.y - mark.y) <= near_px) {
        ++neighbours;  // counts `mark` itself too
      }
    }
    if (neighbours >= 3) {
      return false;
    }
  }
  return true;
}

ScanQuality assess_scan(const cv::Mat& grey, double dpi, bool with_sharpness) {
  return assess_scan(map_ink(grey, dpi), grey, dpi, with_sharpness);
}

ScanQuality assess_scan(const InkMap& map, const cv::Mat& grey_in, double dpi, bool with_sharpness) {
  ScanQuality quality;
  if (grey_in.empty() || map.small.empty()) {
    return quality;
  }
  const cv::Mat grey = to_grey(grey_in);
  dpi = sane_dpi(dpi);
  const cv::Mat& small = map.small;
  const double work_dpi = map.dpi;
  const double otsu = map.otsu;
  std::array<long, 256> histogram{};
  for (int row = 0; row < small.rows; ++row) {
    const std::uint8_t* pixels = small.ptr<std::uint8_t>(row);
    for (int col = 0; col < small.cols; ++col) {
      ++histogram[pixels[col]];
    }
  }
  auto median_in = [&histogram](int from, int to) {
    long total = 0;
    for (int level = from; level <= to; ++level) {
      total += histogram[static_cast<std::size_t>(level)];
    }
    long seen = 0;
    for (int level = from; level <= to; ++level) {
      seen += histogram[static_cast<std::size_t>(level)];
      if (2 * seen > total) {
        return std::pair<double, long>{static_cast<double>(level), total};
      }
    }
    return std::pair<double, long>{static_cast<double>(to), total};
  };
  const int split = static_cast<int>(otsu);
  const auto [ink, ink_count] = median_in(0, split);
  const auto [paper, paper_count] = median_in(std::min(255, split + 1), 255);
  quality.paper = paper;
  quality.ink = ink;
  quality.has_ink = ink_count > static_cast<long>(small.total() / 1000) && paper - ink >= 15.0 &&
                    paper_count > 0;
  if (!quality.has_ink) {
    return quality;
  }
  // Sharpness: the steepest ink edges (99th percentile of the gradient, at ~300 dpi) against
  // the contrast. A sharp edge goes from ink to paper in a pixel or two; a blurred one in many.
  // The percentile comes from a histogram of whole gradient units (Sobel's magnitude is under
  // 1,443 on 8-bit images): the 8 million values of an A4 page are not copied and sorted.
  // One band of k_sharpness_band rows in three is measured (a Sobel on a band reads the rows
  // around it from the page): lines of text cross every band, and the percentile of a third of
  // an A4 page's edges is the page's (a third of the cost of the Sobel passes).
  if (with_sharpness) {
    const cv::Mat full = reduce_to(grey, dpi, 300.0);
    std::array<long, 1450> gradients{};
    long measured = 0;
    cv::Mat grad_x;
    cv::Mat grad_y;
    cv::Mat magnitude;
    for (int top = 0; top < full.rows; top += 3 * k_sharpness_band) {
      const cv::Mat band = full.rowRange(top, std::min(full.rows, top + k_sharpness_band));
      cv::Sobel(band, grad_x, CV_32F, 1, 0);
      cv::Sobel(band, grad_y, CV_32F, 0, 1);
      cv::magnitude(grad_x, grad_y, magnitude);
      for (int row = 0; row < magnitude.rows; ++row) {
        const float* values = magnitude.ptr<float>(row);
        for (int col = 0; col < magnitude.cols; ++col) {
          ++gradients[std::min<std::size_t>(static_cast<std::size_t>(values[col]), gradients.size() - 1)];
        }
      }
      measured += static_cast<long>(magnitude.total());
    }
    const long wanted = measured * 99 / 100;
    long seen = 0;
    std::size_t percentile = 0;
    while (percentile + 1 < gradients.size() && seen + gradients[percentile] <= wanted) {
      seen += gradients[percentile];
      ++percentile;
    }
    // Sobel's gain is 4 per grey level per pixel.
    quality.sharpness = static_cast<double>(percentile) / (4.0 * (paper - ink));
  }

  // Character-sized marks touching an edge of the scan.
  const cv::Mat& stats = map.stats;
  const int count = map.count;
  const int min_height = static_cast<int>(0.06 * work_dpi);  // ~1.5 mm
  const int max_height = static_cast<int>(0.5 * work_dpi);
  const int max_width = static_cast<int>(1.5 * work_dpi);
  for (int label = 1; label < count; ++label) {
    const int left = stats.at<int>(label, cv::CC_STAT_LEFT);
    const int top = stats.at<int>(label, cv::CC_STAT_TOP);
    const int width = stats.at<int>(label, cv::CC_STAT_WIDTH);
    const int height = stats.at<int>(label, cv::CC_STAT_HEIGHT);
    const bool touches = left == 0 || top == 0 || left + width == small.cols ||
                         top + height == small.rows;
    const bool character = std::max(width, height) >= min_height && height <= max_height &&
                           width <= max_width && std::min(width, height) >= 2;
    quality.edge_marks += (touches && character) ? 1 : 0;
  }
  return quality;
}

cv::Mat make_ocr_image(const cv::Mat& grey_in, double dpi, double& scale) {
  const cv::Mat grey = to_grey(grey_in);
  dpi = sane_dpi(dpi);
  scale = 1.0;
  if (grey.empty() || dpi >= k_ocr_dpi - 1e-6) {
    return grey;
  }
  scale = k_ocr_dpi / dpi;
  const int width = static_cast<int>(std::lround(grey.cols * scale));
  const int height = static_cast<int>(std::lround(grey.rows * scale));
  cv::Mat upsampled;
  cv::resize(grey, upsampled, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  scale = static_cast<double>(width) / static_cast<double>(grey.cols);
  return upsampled;
}

std::optional<core::EncodedImage> unchanged_png(const std::vector<std::uint8_t>& bytes, core::ColourKind kind,
                                                int width, int height, double dpi) {
  if (kind == core::ColourKind::bilevel) {
    return std::nullopt;
  }
  // What the PDF writer can embed as it is (core::png_stream), of the decoded size, of a type
  // that fits the page, and without a transparency key (the reader composites it).
  const auto png = core::png_stream(bytes);
  if (!png || png->width != width || png->height != height || png->transparency_key ||
      (png->colours == 1 && kind != core::ColourKind::grey)) {
    return std::nullopt;
  }
  core::EncodedImage encoded;
  encoded.format = core::EncodedImage::Format::png;
  encoded.bytes = bytes;
  encoded.width = width;
  encoded.height = height;
  encoded.channels = png->colours;
  encoded.dpi = dpi;
  return encoded;
}

core::EncodedImage encode_archive_image(const cv::Mat& pixels, core::ColourKind kind, double dpi,
                                        int jpeg_quality, bool try_lossless) {
  if (pixels.empty()) {
    throw std::invalid_argument("encode_archive_image: empty image");
  }
  core::EncodedImage encoded;
  encoded.width = pixels.cols;
  encoded.height = pixels.rows;
  encoded.dpi = dpi;
  if (kind == core::ColourKind::bilevel) {
    const cv::Mat grey = to_grey(pixels);
    encoded.format = core::EncodedImage::Format::bilevel;
    encoded.channels = 1;
    const auto row_bytes = static_cast<std::size_t>((grey.cols + 7) / 8);
    encoded.bytes.assign(row_bytes * static_cast<std::size_t>(grey.rows), 0);
    for (int row = 0; row < grey.rows; ++row) {
      const std::uint8_t* source = grey.ptr<std::uint8_t>(row);
      std::uint8_t* target = encoded.bytes.data() + row_bytes * static_cast<std::size_t>(row);
      for (int col = 0; col < grey.cols; ++col) {
        if (source[col] < 128) {
          target[col / 8] |= static_cast<std::uint8_t>(0x80U >> (col % 8));
        }
      }
    }
    return encoded;
  }
  const cv::Mat image = kind == core::ColourKind::grey ? to_grey(pixels) : pixels;
  encoded.format = core::EncodedImage::Format::jpeg;
  encoded.channels = image.channels();
  const std::vector<int> jpeg_params{cv::IMWRITE_JPEG_QUALITY, std::clamp(jpeg_quality, 1, 100),
                                     cv::IMWRITE_JPEG_OPTIMIZE, 1};
  if (!cv::imencode(".jpg", image, encoded.bytes, jpeg_params)) {
    throw std::invalid_argument("encode_archive_image: OpenCV could not encode the image as JPEG");
  }
  // Lossless when that is smaller than the JPEG as the PDF stores it (core::jpeg_storage): a
  // clean form (white paper, flat ink) may deflate below its JPEG.
  const std::vector<int> png_params{cv::IMWRITE_PNG_COMPRESSION, 6, cv::IMWRITE_PNG_STRATEGY,
                                    cv::IMWRITE_PNG_STRATEGY_DEFAULT};
  std::vector<std::uint8_t> png;
  if (try_lossless && (image.channels() == 1 || image.channels() == 3) &&
      cv::imencode(".png", image, png, png_params) &&
      png.size() < core::jpeg_storage(encoded.bytes).bytes) {
    encoded.format = core::EncodedImage::Format::png;
    encoded.bytes = std::move(png);
  }
  return encoded;
}

std::optional<core::EncodedImage> unchanged_jpeg(const std::vector<std::uint8_t>& bytes, core::ColourKind kind,
                                                 int width, int height, double dpi) {
  const std::size_t components = kind == core::ColourKind::colour ? 3 : kind == core::ColourKind::grey ? 1 : 0;
  if (components == 0 || bytes.size() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) {
    return std::nullopt;
  }
  // Marker segments up to the first frame header (SOFn): FF xx, then a 2-byte length.
  std::size_t at = 2;
  while (at + 4 <= bytes.size()) {
    if (bytes[at] != 0xFF) {
      return std::nullopt;
    }
    const std::uint8_t marker = bytes[at + 1];
    if (marker == 0xFF) {
      ++at;  // fill byte
      continue;
    }
    const std::size_t length = (static_cast<std::size_t>(bytes[at + 2]) << 8U) | bytes[at + 3];
    if (length < 2 || at + 2 + length > bytes.size()) {
      return std::nullopt;
    }
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      // Only baseline and extended sequential Huffman frames (what every PDF reader decodes).
      if ((marker != 0xC0 && marker != 0xC1) || length < 8) {
        return std::nullopt;
      }
      const std::uint8_t precision = bytes[at + 4];
      const int frame_height = (bytes[at + 5] << 8) | bytes[at + 6];
      const int frame_width = (bytes[at + 7] << 8) | bytes[at + 8];
      // A grey page may come as a 3-component JPEG (a colour scanner's grey document): its own
      // DCT data is still the best archive image.
      const bool components_fit =
          bytes[at + 9] == components || (kind == core::ColourKind::grey && bytes[at + 9] == 3);
      if (precision != 8 || frame_width != width || frame_height != height || !components_fit) {
        return std::nullopt;
      }
      core::EncodedImage encoded;
      encoded.format = core::EncodedImage::Format::jpeg;
      auto repacked = repack_jpeg(bytes);
      if (!repacked) {
        return std::nullopt;  // libjpeg cannot read it: decode it and encode it again
      }
      encoded.bytes = repacked->size() < bytes.size() ? std::move(*repacked) : bytes;
      encoded.width = width;
      encoded.height = height;
      encoded.channels = static_cast<int>(bytes[at + 9]);
      encoded.dpi = dpi;
      return encoded;
    }
    at += 2 + length;
  }
  return std::nullopt;
}

}  // namespace sohoa::pipeline
