#pragma once
// Helpers the page stages share (internal to sohoa_pipeline: imaging.cpp, cleanup.cpp).

#include <opencv2/core/mat.hpp>

namespace sohoa::pipeline::detail {

// `dpi`, or 300 when it is not finite or outside [20, 10000] (what every stage works with).
double sane_dpi(double dpi);

// `grey` reduced (INTER_AREA, one factor on both axes so angles stay exact) to about `work_dpi`;
// `grey` itself when it is already within 5 % of that or the result would have no pixels.
cv::Mat reduce_to(const cv::Mat& grey, double dpi, double work_dpi);

}  // namespace sohoa::pipeline::detail
