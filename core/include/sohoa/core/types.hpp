#pragma once
// Domain types shared by every module: dossiers, pages, page images, OCR results, outcomes.
// Plain values; no behaviour beyond conversions. Coordinates are pixels of the *archive image*
// (the corrected page as stored in the PDF), origin top-left, unless a comment says otherwise.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace sohoa::core {

// Administrative level of the unit that received a dossier. Persisted by name.
enum class Level { unknown, province, district, commune };

std::string_view to_string(Level level);
// Returns the level for "province", "district" or "commune" (case-insensitive, trimmed); nullopt
// for anything else, including the empty string.
std::optional<Level> parse_level(std::string_view text);

// What happened to one page. Persisted as its number in the catalog (pages.outcome): the numbers
// are fixed in storage order and never reused. Values below 10 mean the page is archived.
enum class PageOutcome : int {
  ok = 0,
  blank = 1,            // archived; no text found on it (back of a sheet, separator)
  low_confidence = 2,   // archived; OCR confidence says it should be rescanned
  unreadable = 10,      // the file could not be decoded (corrupt, truncated, not an image)
  empty_file = 11,      // zero bytes
  unsupported = 12,     // an image, but of a kind we do not take (e.g. 16-bit, 0 px)
  ocr_failed = 13,      // the OCR engine failed on the page
  io_error = 14,        // could not read the file (permissions, vanished)
};

std::string_view to_string(PageOutcome outcome);
bool is_archived(PageOutcome outcome);

// Page flags: bit set, persisted in pages.flags.
enum PageFlag : std::uint32_t {
  flag_dpi_assumed = 1U << 0,           // the file carried no resolution: 300 dpi assumed
  flag_orientation_uncertain = 1U << 1, // too little text to decide 0/90/180/270: kept as scanned
  flag_blank = 1U << 2,
  flag_low_confidence = 1U << 3,
  flag_low_resolution = 1U << 4,        // below 200 dpi, the legal minimum
  flag_too_dark = 1U << 5,              // paper too dark for the ink to stand out
  flag_too_light = 1U << 6,             // ink too faint
  flag_blurred = 1U << 7,               // text strokes without sharp edges
  flag_cut_off = 1U << 8,               // text runs into an edge of the scan
  flag_left_out = 1U << 9,              // blank page recorded but left out of the PDF (--drop-blank)
};
std::string describe_flags(std::uint32_t flags);  // "dpi-assumed,blank" or ""
// The flags that put an archived page on the list of pages to rescan.
constexpr std::uint32_t k_rescan_flags =
    flag_orientation_uncertain | flag_low_confidence | flag_low_resolution | flag_too_dark |
    flag_too_light | flag_blurred | flag_cut_off;

enum class ColourKind { bilevel, grey, colour };
std::string_view to_string(ColourKind kind);

// A decoded page. `pixels` is CV_8UC1 (bilevel as 0/255, or grey) or CV_8UC3 (BGR, alpha already
// composited onto white).
struct PageImage {
  cv::Mat pixels;
  ColourKind kind = ColourKind::grey;
  double dpi = 300.0;        // horizontal resolution, as stored in the file
  bool dpi_assumed = false;  // the file had none; `dpi` is 300
};

struct Box {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

struct OcrWord {
  std::string text;        // UTF-8, NFC
  Box box;                 // archive-image pixels
  float confidence = 0.0F; // 0..100
  int line = 0;            // index of the text line in reading order, 0-based, page-wide
  int block = 0;           // index of the text block (paragraph region) in reading order
  int baseline = 0;        // y of the line's baseline, archive-image pixels
};

struct OcrPage {
  std::vector<OcrWord> words;  // reading order
  std::string text;            // UTF-8 NFC; words joined by spaces, lines by '\n', blocks by "\n\n"
  double mean_confidence = 0.0; // mean word confidence 0..100; 0 when there are no words
};

// The archive image of a page, encoded for the PDF.
struct EncodedImage {
  // bilevel: packed 1 bit/pixel rows, 1 = black, MSB first. png: a PNG file, 8-bit grey or RGB,
  // not interlaced (lossless; the PDF keeps its filtered rows under FlateDecode with /Predictor 15).
  enum class Format { jpeg, bilevel, png };
  Format format = Format::jpeg;
  std::vector<std::uint8_t> bytes;
  int width = 0;
  int height = 0;
  int channels = 1;  // 1 grey/bilevel, 3 colour
  double dpi = 300.0;
};

// One page of a source file (a multi-page TIFF holds several).
struct SourcePage {
  std::filesystem::path path;  // absolute
  int index_in_file = 0;       // 0-based
  std::string file_sha256;     // of the whole source file, lowercase hex
};

// What the archive image leaves out of the scan: the dark bands a scanner leaves around the
// paper, and punched holes (dark discs near the paper's edge), in the scan's own pixel
// coordinates (x right, y down, before any turn). The scan's bytes stay as they are: the PDF
// draws the scan clipped to `paper` minus the `holes`, on a page of the paper's colour.
struct ScanCleanup {
  struct Point {
    double x = 0.0;
    double y = 0.0;
  };
  struct Hole {
    double x = 0.0;
    double y = 0.0;
    double radius = 0.0;
  };
  std::vector<Point> paper;  // convex polygon, clockwise on screen; empty: the whole scan
  std::vector<Hole> holes;   // each wholly inside `paper`
  std::array<std::uint8_t, 3> paper_rgb{255, 255, 255};  // the paper's colour, R, G, B
  [[nodiscard]] bool empty() const { return paper.empty() && holes.empty(); }
};

// The result of processing one page. When `outcome` is not archived, only `source`, `seq`,
// `outcome` and `error` are meaningful.
struct ProcessedPage {
  int seq = 0;  // 1-based position in the dossier
  SourcePage source;
  PageOutcome outcome = PageOutcome::ok;
  std::uint32_t flags = 0;
  std::string error;         // why it failed, for a person; empty when archived
  int rotation_deg = 0;      // clockwise quarter turn applied to make the page upright: 0/90/180/270
  double skew_deg = 0.0;     // text skew found in the scan, counter-clockwise positive, then removed
  ColourKind kind = ColourKind::grey;
  int width = 0;             // the page as processed (turned, deskewed), pixels: the PDF page
  int height = 0;
  double dpi = 300.0;
  // The scan, stored as scanned (its JPEG bytes when it is one): never resampled. The PDF shows it
  // turned clockwise by `archive_turn_deg` (the quarter turn plus the deskew angle) about the
  // page's centre, which puts it where the processed page, and so the OCR words, have it.
  EncodedImage archive_image;
  double archive_turn_deg = 0.0;
  // The page's colour around the turned scan (R, G, B): the scan's border, as a resampling
  // deskew would fill, so no tilted edge of the scan shows on the page; the paper's colour when
  // `archive_cleanup` clips something off. White when neither.
  std::array<std::uint8_t, 3> archive_fill{255, 255, 255};
  // Scanner borders and punched holes the PDF does not show (the page there is archive_fill,
  // which is then the paper's colour).
  ScanCleanup archive_cleanup;
  // Where the page's time went (wall seconds on its worker): reading and decoding the file; the
  // OCR engine (recognition and orientation detection); the archive image (its borders and holes
  // found, the scan's JPEG re-packed, or the page encoded); everything else — skew, deskew, blank
  // and quality checks, the OCR image — which is the pre-processing.
  struct Seconds {
    double decode = 0.0;
    double prepare = 0.0;
    double ocr = 0.0;
    double archive = 0.0;
  } seconds;
  OcrPage ocr;
};

// Descriptive metadata of a dossier, from the batch manifest (all optional but the code).
struct DossierMeta {
  std::string code;
  std::string title;
  std::string procedure_code;
  std::string procedure_name;
  std::string agency;
  std::string unit;
  Level level = Level::unknown;
  std::string received_date;  // ISO YYYY-MM-DD or empty
  std::string applicant;
  std::vector<std::pair<std::string, std::string>> extra;  // unknown manifest columns, in order
};

// A warning collected on the way; never printed by the stage that found it.
struct Warning {
  std::string dossier;
  int page = 0;  // 0: about the dossier or the batch
  std::string code;
  std::string message;
};

}  // namespace sohoa::core
