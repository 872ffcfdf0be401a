// End to end on the sample batch (samples/batch), through the sohoa executable as an operator
// and an archivist would use it. The batch is ingested once for the suite (OCR is the slow part).

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "e2e_support.hpp"
#include "sohoa/core/text.hpp"
#include "temp_dir.hpp"

namespace sohoa::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;


json truth_pages() {
  std::ifstream in(source_path("samples/truth/pages.json"));
  return json::parse(in)["pages"];
}

class SampleBatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = make_temp_dir("sohoa-e2e-samples");
    s_archive = s_dir / "archive";
    ASSERT_EQ(run_command(sohoa(s_archive, "init")).exit_code, 0);
    s_first = run_command(sohoa(s_archive, "ingest " + shell_quote(source_path("samples/batch").string()) +
                                               " --jobs 2 --json --operator tester"));
  }
  static void TearDownTestSuite() {
    if (std::getenv("SOHOA_KEEP_TEST_DIRS") == nullptr) {
      fs::remove_all(s_dir);
    }
  }
  static json first_summary() { return json::parse(s_first.out); }
  static json show(const std::string& code) {
    const auto result = run_command(sohoa(s_archive, "show " + shell_quote(code) + " --json"));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }

  static inline fs::path s_dir;
  static inline fs::path s_archive;
  static inline CommandResult s_first;
};

TEST_F(SampleBatch, ArchivesEveryDossierAndPage) {
  ASSERT_EQ(s_first.exit_code, 0) << s_first.err << s_first.out;
  const json summary = first_summary();
  EXPECT_EQ(summary["dossiers"]["archived"], 4);
  EXPECT_EQ(summary["dossiers"]["failed"], 0);
  EXPECT_EQ(summary["pages"]["archived"], truth_pages().size());
  EXPECT_EQ(summary["pages"]["dpi_assumed"], 1);  // the sample PNG stored without a resolution
}

TEST_F(SampleBatch, EveryPdfPassesQpdfCheck) {
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(s_archive / "files")) {
    if (entry.path().extension() != ".pdf") {
      continue;
    }
    const auto result = run_command("qpdf --check " + shell_quote(entry.path().string()));
    EXPECT_EQ(result.exit_code, 0) << entry.path() << "\n" << result.out << result.err;
    EXPECT_EQ(result.out.find("WARNING"), std::string::npos) << result.out;
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST_F(SampleBatch, PdfTextMatchesGroundTruthPageByPage) {
  // Character error rate of what `pdftotext` gives back, against the samples' ground truth: below
  // 3% over the batch, and no page lost (a page OCRed upside down or out of order scores ~100%).
  // Page order is checked too: dossier 000.41.31... has 1.jpg, 2.png, 10.jpg.
  // `-raw` reads the text layer in the order sohoa wrote it (the OCR's reading order). Without it,
  // pdftotext rebuilds the layout from the word positions and, now that they lie exactly on the
  // words, splits a two-column letterhead into columns, while the truth files interleave its lines.
  double errors = 0.0;
  double truth_chars = 0.0;
  for (const auto& page : truth_pages()) {
    const std::string code = page["dossier"];
    const int seq = page["seq"];
    const json dossier = show(code);
    const auto text = run_command("pdftotext -raw -enc UTF-8 -f " + std::to_string(seq) + " -l " +
                                  std::to_string(seq) + " " + shell_quote(dossier["pdf"]) + " -");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_EQ(text.err, "") << "pdftotext warned";
    EXPECT_EQ(core::to_nfc(text.out), text.out) << "text layer is not NFC";
    const std::string truth = read_file(source_path("samples/truth/" + std::string(page["truth"])));
    const double cer = character_error_rate(truth, text.out);
    const auto length = static_cast<double>(truth.size());
    errors += cer * length;
    truth_chars += length;
    std::cout << code << " page " << seq << ": CER " << cer * 100 << "%\n";
    EXPECT_LT(cer, 0.15) << code << " page " << seq << "\n--- pdftotext:\n" << text.out;
  }
  const double batch_cer = errors / truth_chars;
  std::cout << "batch CER " << batch_cer * 100 << "%\n";
  EXPECT_LT(batch_cer, 0.03);
}

TEST_F(SampleBatch, QuarterTurnedAndSkewedPagesAreStraightened) {
  for (const auto& page : truth_pages()) {
    const json dossier = show(page["dossier"]);
    const json& row = dossier["pages"][static_cast<std::size_t>(page["seq"].get<int>() - 1)];
    // The sample turned the page counter-clockwise by rotation_ccw; sohoa turns it back clockwise.
    EXPECT_EQ(row["rotation"], page["rotation_ccw"]) << page["file"];
    EXPECT_NEAR(row["skew"].get<double>(), page["skew_deg"].get<double>(), 0.3) << page["file"];
  }
}

TEST_F(SampleBatch, TurnedAndSkewedJpegScansAreArchivedWithTheirOwnDctData) {
  // The PDF turns the scan into place: the page image is the scanner's JPEG, not resampled.
  const std::vector<std::pair<std::string, int>> turned = {
      {"000.00.04.H38-260302-0001", 1},   // 1.jpg, skew +3.5°
      {"000.00.09.H38-260415-0007", 4},   // 2.jpg, turned 90°
      {"000.15.30.H38-250618-0023", 1},   // 1.jpg, turned 90°
      {"000.15.30.H38-250618-0023", 3}};  // 3.jpg, skew -8°
  for (const auto& [code, seq] : turned) {
    const json dossier = show(code);
    const json& row = dossier["pages"][static_cast<std::size_t>(seq - 1)];
    ASSERT_TRUE(row["rotation"].get<int>() != 0 || std::abs(row["skew"].get<double>()) > 1.0)
        << code << " page " << seq << " is no longer a turned page of the samples";
    const fs::path prefix = s_dir / ("image-" + std::to_string(seq));
    const auto extracted = run_command("pdfimages -j -f " + std::to_string(seq) + " -l " +
                                       std::to_string(seq) + " " + shell_quote(dossier["pdf"]) +
                                       " " + shell_quote(prefix.string()));
    ASSERT_EQ(extracted.exit_code, 0) << extracted.err;
    const fs::path source =
        source_path("samples/batch") / code / fs::path(row["source"].get<std::string>()).filename();
    // The scanner's DCT coefficients, re-packed with optimal Huffman tables: the same pixels,
    // fewer bytes.
    const fs::path kept = prefix.string() + "-000.jpg";
    EXPECT_LE(fs::file_size(kept), fs::file_size(source)) << code << " page " << seq;
    const cv::Mat scanned = cv::imread(source.string(), cv::IMREAD_UNCHANGED);
    const cv::Mat archived = cv::imread(kept.string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(archived.size(), scanned.size()) << code << " page " << seq;
    EXPECT_EQ(cv::norm(scanned, archived, cv::NORM_INF), 0.0)
        << code << " page " << seq << ": the PDF's image is not the scan " << source;
  }
}

TEST_F(SampleBatch, DiacriticsFreeQueryFindsEachDossierByAPhraseOfItsText) {
  for (const auto& page : truth_pages()) {
    const std::string phrase = core::fold(page["phrase"].get<std::string>());
    const auto result =
        run_command(sohoa(s_archive, "search " + shell_quote("\"" + phrase + "\"") + " --json"));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const json found = json::parse(result.out);
    ASSERT_GE(found["total"].get<int>(), 1) << "no hit for " << phrase;
    EXPECT_EQ(found["hits"][0]["dossier"], page["dossier"]) << phrase;
    EXPECT_EQ(found["hits"][0]["page"], page["seq"]) << phrase;
  }
}

TEST_F(SampleBatch, SearchFoldsDiacriticsBothWays) {
  for (const char* query : {"dang ky kinh doanh", "đăng ký kinh doanh", "ĐĂNG KÝ KINH DOANH"}) {
    const auto result = run_command(sohoa(s_archive, "search " + shell_quote(query) + " --json"));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const json found = json::parse(result.out);
    ASSERT_GE(found["total"].get<int>(), 1) << query;
    EXPECT_EQ(found["hits"][0]["dossier"], "000.00.04.H38-260302-0001") << query;
    EXPECT_NE(found["hits"][0]["snippet"].get<std::string>().find("«"), std::string::npos);
    EXPECT_TRUE(fs::exists(found["hits"][0]["pdf"].get<std::string>()));
  }
}

TEST_F(SampleBatch, HostileQueriesGetAClearMessageNotACrash) {
  for (const char* query : {"\"", "(", "*", "NEAR(a b", "'; DROP TABLE dossiers; --"}) {
    const auto result = run_command(sohoa(s_archive, "search " + shell_quote(query)));
    EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 2) << query;
    EXPECT_EQ(result.err.find("SQL"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("fts5"), std::string::npos) << result.err;
  }
  const auto summary = run_command(sohoa(s_archive, "summary --json"));
  EXPECT_EQ(json::parse(summary.out)["dossiers"], 4);
}

TEST_F(SampleBatch, SecondIngestAddsNothing) {
  const auto again = run_command(sohoa(s_archive, "ingest " +
                                                      shell_quote(source_path("samples/batch").string()) +
                                                      " --json"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const json summary = json::parse(again.out);
  EXPECT_EQ(summary["dossiers"]["already_archived"], 4);
  EXPECT_EQ(summary["dossiers"]["archived"], 0);
  EXPECT_EQ(summary["pages"]["archived"], 0);
  const json archive = json::parse(run_command(sohoa(s_archive, "summary --json")).out);
  EXPECT_EQ(archive["dossiers"], 4);
  EXPECT_EQ(archive["pages"], truth_pages().size());
}

TEST_F(SampleBatch, VerifyPassesThenNamesAChangedFile) {
  // Work on a copy: the archive is relocatable, and the suite's archive stays intact.
  const fs::path copy = s_dir / "moved archive";
  fs::copy(s_archive, copy, fs::copy_options::recursive);
  const auto clean = run_command(sohoa(copy, "verify --json"));
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_EQ(json::parse(clean.out)["files_checked"], 4);

  const json dossier = show("000.00.09.H38-260415-0007");
  const fs::path original = dossier["pdf"].get<std::string>();
  const fs::path target = copy / fs::relative(original, s_archive);
  {
    std::fstream file(target, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(200);
    file.put('X');
  }
  const auto changed = run_command(sohoa(copy, "verify"));
  EXPECT_EQ(changed.exit_code, 3);
  EXPECT_NE(changed.out.find("changed"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("000.00.09.H38-260415-0007"), std::string::npos) << changed.out;
  fs::remove(target);
  const auto missing = run_command(sohoa(copy, "verify"));
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.out.find("missing"), std::string::npos) << missing.out;
}

TEST_F(SampleBatch, ShowAndTextGiveTheDossier) {
  const json dossier = show("000.41.31.H38-260520-0004");
  EXPECT_EQ(dossier["page_count"], 3);
  EXPECT_EQ(dossier["sha256"].get<std::string>().size(), 64U);
  EXPECT_EQ(dossier["pages"].size(), 3U);
  const auto text = run_command(sohoa(s_archive, "text 000.41.31.H38-260520-0004 --page 2"));
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Sổ đăng ký kết hôn"), std::string::npos) << text.out;
  const auto missing = run_command(sohoa(s_archive, "show NO-SUCH-CODE"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("NO-SUCH-CODE"), std::string::npos);
}

// Two archives made from the same two dossiers (a multi-page TIFF and a colour JPEG, then a grey
// PNG page) with the clock fixed: every PDF is byte-identical, text layer and font subset included.
TEST(SampleDeterminism, SameDossiersIngestedTwiceGiveByteIdenticalPdfs) {
  const fs::path dir = make_temp_dir("sohoa-e2e-determinism");
  const fs::path batch = dir / "batch";
  fs::create_directories(batch);
  for (const char* code : {"000.00.09.H38-260415-0007", "000.41.31.H38-260520-0004"}) {
    fs::copy(source_path("samples/batch") / code, batch / code, fs::copy_options::recursive);
  }
  std::array<std::vector<std::vector<char>>, 2> pdfs;
  for (int run = 0; run < 2; ++run) {
    const fs::path archive = dir / ("archive" + std::to_string(run));
    ASSERT_EQ(run_command(sohoa(archive, "init")).exit_code, 0);
    const auto ingest = run_command("SOHOA_FIXED_TIME=2026-06-01T08:00:00Z " +
                                    sohoa(archive, "ingest " + shell_quote(batch.string()) + " --jobs 2"));
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    std::vector<fs::path> files = files_under(archive / "files", ".pdf");
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      std::ifstream in(file, std::ios::binary);
      pdfs[run].emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  ASSERT_EQ(pdfs[0].size(), 2U);
  ASSERT_EQ(pdfs[1].size(), 2U);
  for (std::size_t idx = 0; idx < 2; ++idx) {
    EXPECT_GT(pdfs[0][idx].size(), 10000U);
    EXPECT_TRUE(pdfs[0][idx] == pdfs[1][idx]) << "PDF " << idx << " differs between the two ingests";
  }
  if (std::getenv("SOHOA_KEEP_TEST_DIRS") == nullptr) {
    fs::remove_all(dir);
  }
}

}  // namespace
}  // namespace sohoa::test
