#pragma once
// Page image stages on OpenCV: the pure functions the Runner calls for each page.
// All functions are thread-safe (no shared state) and never print.

#include <opencv2/core/mat.hpp>

#include "sohoa/core/types.hpp"

namespace sohoa::pipeline {

// `pixels` (CV_8UC1 or CV_8UC3 BGR) as CV_8UC1 grey. Returns `pixels` itself when already grey.
cv::Mat to_grey(const cv::Mat& pixels);

struct SkewEstimate {
  bool found = false;           // enough text lines to measure; otherwise angle is 0
  double angle_deg = 0.0;       // text-line angle in the image, counter-clockwise positive
  bool lines_vertical = false;  // text lines run top-to-bottom: the page is a quarter turn off
};

// Estimates the skew of the text lines of `grey` (CV_8UC1, any size) within ±`max_deg`, measured
// on the text, not on borders, rules or photos. Also tells whether the lines run vertically.
SkewEstimate estimate_skew(const cv::Mat& grey, double dpi, double max_deg = 15.0);

// `image` turned clockwise by `clockwise_deg` (0, 90, 180, 270), lossless.
cv::Mat rotate_quarter(const cv::Mat& image, int clockwise_deg);

// `image` rotated by `-angle_deg` (so text measured at `angle_deg` becomes level). The canvas grows
// so nothing is cut; new area is white. Bilinear/cubic for grey and colour; for a bilevel image
// (0/255) the result is 0/255 again. Returns `image` unchanged for |angle| < 0.05°.
cv::Mat deskew(const cv::Mat& image, double angle_deg, core::ColourKind kind);

// True when the page (CV_8UC1, upright) carries no text or marks worth keeping: empty backs,
// separator sheets, scanner noise.
bool is_blank(const cv::Mat& grey, double dpi);

// The image Tesseract sees: grey, background-normalised, resampled from `dpi` to ~300 dpi when
// below it. `scale` receives ocr-image pixels per archive-image pixel.
cv::Mat make_ocr_image(const cv::Mat& grey, double dpi, double& scale);

// The archive image for the PDF: JPEG at `jpeg_quality` for grey and colour, packed 1-bit rows for
// bilevel (the PDF writer compresses those with CCITT G4).
core::EncodedImage encode_archive_image(const cv::Mat& pixels, core::ColourKind kind, double dpi,
                                        int jpeg_quality = 85);

}  // namespace sohoa::pipeline
