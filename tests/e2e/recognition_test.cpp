// Recognition through the sohoa executable, on pages where what the pipeline does before and
// after Tesseract matters (tests/fixtures/ocr/README.md says where each page comes from).

#include <string>

#include <gtest/gtest.h>

#include "e2e_support.hpp"
#include "temp_dir.hpp"

namespace sohoa::test {
namespace {
namespace fs = std::filesystem;

class Recognition : public TempDirTest {
 protected:
  // The text of a one-page dossier made of `fixture`, ingested with `options`.
  std::string ingest_text(const std::string& fixture, const std::string& options) {
    const fs::path root = dir() / ("run" + std::to_string(++m_runs));
    const std::string code = "000.00.00.H00-000000-0001";
    fs::create_directories(root / "batch" / code);
    fs::copy_file(source_path("tests/fixtures/ocr/" + fixture), root / "batch" / code / fixture);
    const fs::path archive = root / "archive";
    EXPECT_EQ(run_command(sohoa(archive, "init")).exit_code, 0);
    const auto ingest = run_command(sohoa(
        archive, "ingest " + shell_quote((root / "batch").string()) + " --jobs 1 " + options));
    EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
    const auto text = run_command(sohoa(archive, "text " + code));
    EXPECT_EQ(text.exit_code, 0) << text.err;
    return text.out;
  }

 private:
  int m_runs = 0;
};

// Part of a generated page (vie_synth_015): after German names read in English ("Johann Wolfgang
// von Goethe."), Tesseract's vie+eng reads the next line of Vietnamese with its English model too,
// without a mark. sohoa reads such runs again in Vietnamese alone.
TEST_F(Recognition, VietnameseReadInEnglishAfterForeignNamesGetsItsMarksBack) {
  const std::string plain = ingest_text("names_then_vietnamese.jpg", "--no-correct");
  EXPECT_NE(plain.find("giai duoc trao hang nam, tu nam"), std::string::npos) << plain;

  const std::string text = ingest_text("names_then_vietnamese.jpg", "");
  EXPECT_NE(text.find("giải được trao hàng năm, từ năm"), std::string::npos) << text;
  EXPECT_EQ(text.find("giai duoc"), std::string::npos) << text;
  // Names and numbers read in English stay as they were.
  EXPECT_NE(text.find("Johann Wolfgang von Goethe."), std::string::npos) << text;
  EXPECT_NE(text.find("Frankfurt am"), std::string::npos) << text;
  EXPECT_NE(text.find("ngày 28 tháng 8"), std::string::npos) << text;
}

}  // namespace
}  // namespace sohoa::test
