#pragma once
// Page image stages on OpenCV: the pure functions the Runner calls for each page.
// All functions are thread-safe (no shared state) and never print.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "sohoa/core/types.hpp"

namespace sohoa::pipeline {

// `pixels` (CV_8UC1 or CV_8UC3 BGR; CV_8UC4 BGRA is accepted too) as CV_8UC1 grey. Returns
// `pixels` itself (sharing its buffer) when already grey or empty.
cv::Mat to_grey(const cv::Mat& pixels);

// The scan at the measuring resolution (~150 dpi), split into ink and paper (Otsu) and into
// connected marks: what estimate_skew and assess_scan read. The Runner makes it once per page for
// both (the marks of a noisy scan are most of their cost). Empty for an empty image.
struct InkMap {
  cv::Mat small;            // CV_8UC1, the scan reduced to `dpi`
  double dpi = 0.0;         // of `small`
  double otsu = 0.0;        // the ink/paper threshold (Otsu's)
  double darkest = 0.0;     // the range of `small`
  double brightest = 0.0;
  cv::Mat binary;           // 255 where `small` is ink (at or under `otsu`)
  cv::Mat labels;           // CV_32S, the 8-connected mark of each pixel of `binary`, 0 = paper
  cv::Mat stats;            // cv::connectedComponentsWithStats's box and area of each label
  int count = 0;            // labels, paper's 0 included
};
// `grey` (CV_8UC1; colour is converted) measured at ~150 dpi.
InkMap map_ink(const cv::Mat& grey, double dpi);

struct SkewEstimate {
  bool found = false;           // enough text lines to measure; otherwise angle is 0
  double angle_deg = 0.0;       // text-line angle in the image, counter-clockwise positive
  bool lines_vertical = false;  // text lines run top-to-bottom: the page is a quarter turn off
};

// Estimates the skew of the text lines of `grey` (CV_8UC1; CV_8UC3 is converted) within
// ±`max_deg` (clamped to [0.5, 44]), measured on the text, not on borders, rules or photos
// (components larger than a word are ignored). Also tells whether the lines run vertically.
// Angle convention: `angle_deg` is how far the text was turned counter-clockwise on screen from
// level (lines climbing to the right are positive), like cv::getRotationMatrix2D(c, angle, 1) or
// PIL's Image.rotate(angle) applied to a level page; deskew(image, angle_deg, kind) undoes it.
// When `lines_vertical`, the lines run at 90° + `angle_deg`; after rotate_quarter(90 or 270) the
// remaining skew is `angle_deg` again (a quarter turn does not change it). 180° upside-down pages
// are not detected here (horizontal lines either way). Returns found=false, angle 0 for an empty
// image, a page without contrast, or fewer than ~20 character-sized marks / no clear line peak.
// `dpi` outside [20, 10000] or non-finite is taken as 300 (by every function here). Cost: 40-90
// ms CPU for an A4 page at 300 dpi, most of it map_ink's (the second overload skips that).
SkewEstimate estimate_skew(const cv::Mat& grey, double dpi, double max_deg = 15.0);
SkewEstimate estimate_skew(const InkMap& ink, double max_deg = 15.0);

// `image` turned clockwise by `clockwise_deg` (0, 90, 180, 270; negative and >= 360 values are
// taken modulo 360), lossless. 0 returns `image` itself (shared buffer). Throws
// std::invalid_argument when `clockwise_deg` is not a multiple of 90 (a programmer error).
cv::Mat rotate_quarter(const cv::Mat& image, int clockwise_deg);

// `image` rotated by `-angle_deg` (so text measured at `angle_deg` becomes level). The canvas grows
// so nothing is cut. Bicubic for grey and colour; for a bilevel image (0/255) bilinear then
// re-thresholded at 127, so the result is 0/255 again. New area is white for a bilevel image,
// else the median colour of the image's 1-pixel border (white for a white scan, the scanner
// lid's grey for a grey one). Returns `image` itself (shared buffer) for |angle| < 0.05°, a
// non-finite angle, or an empty image. Output size is
// ceil(w·|cos| + h·|sin|) x ceil(w·|sin| + h·|cos|).
cv::Mat deskew(const cv::Mat& image, double angle_deg, core::ColourKind kind);

// The colour deskew() fills new area with, as R, G, B: the median of `image`'s outermost pixels
// (the paper of a page scanned edge to edge, the scanner lid's grey otherwise); white for bilevel.
std::array<std::uint8_t, 3> fill_rgb(const cv::Mat& image, core::ColourKind kind);

// The angle deskew() turns by: `angle_deg`, or 0 when that is under 0.05° or not finite.
double applied_deskew_deg(double angle_deg);

// True when the page (CV_8UC1, upright) carries no text or marks worth keeping: empty backs,
// separator sheets, scanner noise and dust, dark scanner edges (a 4% band on each side is
// ignored, and thin dark bands reaching in from it). False as soon as there is one mark >= ~5 mm
// (a signature stroke, a word) or three marks >= ~1.2 mm within ~1 cm (letters). An empty image is
// blank; a mostly dark page (median < 60) is not. The threshold follows the paper's brightness, so
// grey recycled paper is fine; very faint pencil may be missed.
bool is_blank(const cv::Mat& grey, double dpi);

// What the scan looks like, for the rescan list (measured on a copy at ~150 dpi).
struct ScanQuality {
  double paper = 255.0;     // median brightness of the paper (0..255)
  double ink = 0.0;         // median brightness of the ink
  double sharpness = 1.0;   // steepest ink edges (grey levels per pixel at 300 dpi) over the
                            // ink-paper contrast: ~1 for a sharp scan, ~0.25 for a blur of 5 px
  int edge_marks = 0;       // character-sized marks touching an edge of the scan (cut-off text)
  bool has_ink = false;     // enough ink to judge anything
};
// Measures `grey` (CV_8UC1, upright or not). An empty or uniform image gives has_ink = false.
// Without `with_sharpness` the gradient pass at 300 dpi (most of the cost) is skipped and
// sharpness stays 1.
ScanQuality assess_scan(const cv::Mat& grey, double dpi, bool with_sharpness = true);
// The same from `ink`, map_ink(grey, dpi) (`grey` is read for the sharpness only).
ScanQuality assess_scan(const InkMap& ink, const cv::Mat& grey, double dpi,
                        bool with_sharpness = true);

// The image Tesseract sees: grey, resampled (bicubic) from `dpi` to 300 dpi when below it, else
// unchanged (shares the buffer; no downsampling above 300 for now; no background normalisation
// yet). `scale` receives ocr-image pixels per archive-image pixel: 300/`dpi` (exactly the ratio of
// the rounded sizes) or 1. Colour input is converted to grey.
cv::Mat make_ocr_image(const cv::Mat& grey, double dpi, double& scale);

// The archive image for the PDF: for grey and colour, JPEG at `jpeg_quality` (clamped to 1..100,
// optimised Huffman tables), or PNG (lossless, 8-bit) when the PNG is smaller than the JPEG as the
// PDF stores it (core::jpeg_storage: maybe under Flate too) — a clean form, not a photo;
// packed 1-bit rows for bilevel (the PDF writer compresses those with CCITT G4): (width + 7) / 8
// bytes per row, 1 = black (pixel < 128), most significant bit first. `grey` kind is encoded as a
// 1-channel image (colour input converted); `colour` keeps the Mat's channels (3 = BGR, written as a
// normal YCbCr JPEG or an RGB PNG that decoders read as RGB). width, height, channels and `dpi` are filled in.
// Throws std::invalid_argument for an empty image (a programmer error: decode rejects those).
// `try_lossless` false: JPEG only (the caller has a lossless candidate of its own).
core::EncodedImage encode_archive_image(const cv::Mat& pixels, core::ColourKind kind, double dpi,
                                        int jpeg_quality = 85, bool try_lossless = true);

// The archive image of a page taken from its scan `bytes` as they are when they are an 8-bit,
// non-interlaced PNG of `width` x `height` pixels, RGB (or grey for a `grey` page), without a
// transparency key: the scan's own deflated rows, no second encoding. std::nullopt otherwise
// (another size or type, 16-bit, palette, alpha, interlaced, bilevel page, truncated).
std::optional<core::EncodedImage> unchanged_png(const std::vector<std::uint8_t>& bytes, core::ColourKind kind,
                                                int width, int height, double dpi);

// The same JPEG, losslessly smaller: the same quantised DCT coefficients (so the same pixels
// for every decoder) with Huffman tables optimised for this image, and no markers but the
// frame's (EXIF, thumbnails and comments dropped). std::nullopt when libjpeg cannot read `bytes`.
std::optional<std::vector<std::uint8_t>> repack_jpeg(const std::vector<std::uint8_t>& bytes);

// The archive image of a page, taken from its scan `bytes` when they are a baseline or
// extended-sequential 8-bit JPEG of `width` x `height` pixels with 3 components for `colour` or 1
// (or 3: a grey document scanned in colour) for `grey`: the scanner's DCT coefficients as they
// are (no second lossy encoding), re-packed by repack_jpeg when that is smaller. std::nullopt
// otherwise (not a JPEG, another size, progressive or 12-bit, CMYK, a 1-component file for a
// colour page, bilevel, or a JPEG that libjpeg cannot read).
std::optional<core::EncodedImage> unchanged_jpeg(const std::vector<std::uint8_t>& bytes, core::ColourKind kind,
                                                 int width, int height, double dpi);

}  // namespace sohoa::pipeline
