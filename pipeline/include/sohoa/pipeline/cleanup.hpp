#pragma once
// Scanner borders and punched holes: found on the scan, left out of the archive image by the PDF
// (clipped, the scan's bytes untouched). Pure functions, thread-safe, never print.

#include <opencv2/core/mat.hpp>

#include "sohoa/core/types.hpp"

namespace sohoa::pipeline {

// The dark scanner bands along the edges of a scan at `dpi` and the punched holes near the
// paper's edge, measured on `grey` (CV_8UC1: any grey of the scan that keeps dark dark), as a
// core::ScanCleanup in the scan's pixel coordinates; `pixels` (the scan as decoded, CV_8UC1 or
// CV_8UC3 BGR, `grey`'s size) is read only for the paper's colour:
// - `paper`: the scan's rectangle cut along each edge that has a band (dark: under 60% of the
//   paper's brightness; at least 1 mm deep somewhere and along 60% of the edge), at the straight
//   line where the band ends (a tilted paper edge gives a tilted line). Content reaching into a
//   band (a photo printed to the edge) is never cut: the line follows the band, not the content.
//   Empty when no edge has a band.
// - `holes`: dark discs 4–9 mm across whose centre lies within 20 mm of the paper's edge,
//   radius grown by 0.5 mm (their shadow), each wholly inside the paper.
// - `paper_rgb`: the mean colour of the paper's bright pixels (white for a bilevel scan).
// A light grey scanner lid, a page darker than ~100 of 255 (a photo, a dark copy), an empty
// image, sizes that differ or a `grey` that is not CV_8UC1 give an empty result.
core::ScanCleanup find_scan_cleanup(const cv::Mat& grey, const cv::Mat& pixels, double dpi);

}  // namespace sohoa::pipeline
