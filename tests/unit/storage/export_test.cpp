// Information packages: what `sohoa export` writes and what `sohoa verify-package` rejects.

#include "sohoa/storage/export.hpp"

#include <gtest/gtest.h>

#include "sohoa/core/hash.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_code = "000.00.04.H38-260302-0001";
constexpr const char* k_pdf = "representations/rep1/data/000.00.04.H38-260302-0001.pdf";

class ExportTest : public test::TempDirTest {
 protected:
  void SetUp() override {
    test::TempDirTest::SetUp();
    m_root = dir() / "archive";
    auto archive = Archive::init(m_root);
    const std::string relative = "files/2026/u/" + std::string(k_code) + ".pdf";
    const std::string pdf_bytes = "%PDF-1.4\nnot really a PDF, but bytes to hash\n%%EOF\n";
    fs::create_directories((m_root / relative).parent_path());
    test::write_file(m_root / relative, pdf_bytes);
    DossierRecord dossier;
    dossier.meta.code = k_code;
    dossier.meta.title = "Đăng ký thành lập doanh nghiệp tư nhân";
    dossier.meta.procedure_name = "Đăng ký doanh nghiệp";
    dossier.meta.received_date = "2026-03-02";
    dossier.meta.extra = {{"retention", "06"}, {"so_bien_nhan", "BN-1"}};
    dossier.pdf_path = relative;
    dossier.pdf_sha256 = *core::sha256_file(m_root / relative);
    dossier.pdf_bytes = static_cast<std::int64_t>(pdf_bytes.size());
    dossier.digitized_at = "2026-06-01T08:00:00Z";
    for (int seq = 1; seq <= 2; ++seq) {
      PageRecord page;
      page.seq = seq;
      page.source_path = "/scans/" + std::to_string(seq) + ".jpg";
      page.source_sha256 = std::string(63, '0') + std::to_string(seq);
      dossier.pages.push_back(page);
    }
    dossier.page_count = 2;
    archive.catalog().put_dossier(dossier, false);
    archive.catalog().add_event("2026-06-01T08:00:00Z", "Lê Thị Hoa", "ingest", k_code, "2 pages");
    m_options.out = dir() / "out";
    m_options.now = "2026-06-02T09:00:00Z";
    m_options.agent = "sohoa 0.1.0";
  }

  fs::path exported() {
    const auto archive = Archive::open(m_root);
    const auto package = export_dossier(archive, k_code, m_options);
    EXPECT_TRUE(package.has_value()) << (package ? "" : package.error());
    return package ? package->dir : fs::path();
  }

  static std::string problems_of(const PackageReport& report) {
    std::string out;
    for (const auto& problem : report.problems) {
      out += problem.path + ": " + problem.message + "\n";
    }
    return out;
  }

  fs::path m_root;
  ExportOptions m_options;
};

TEST_F(ExportTest, PackageHasTheCsipLayoutAndVerifies) {
  const fs::path package = exported();
  ASSERT_EQ(package.filename(), k_code);
  for (const char* file : {"METS.xml", "metadata/descriptive/dossier.xml", "metadata/preservation/PREMIS.xml",
                           k_pdf, "schemas/sohoa-mets.xsd", "schemas/sohoa-premis.xsd"}) {
    EXPECT_TRUE(fs::is_regular_file(package / file)) << file;
  }
  EXPECT_EQ(test::read_file(package / k_pdf), test::read_file(m_root / "files/2026/u" / (std::string(k_code) + ".pdf")));
  const PackageReport report = verify_package(package);
  EXPECT_TRUE(report.problems.empty()) << problems_of(report);
  EXPECT_EQ(report.dossier, k_code);
  EXPECT_EQ(report.files_checked, 3);
}

TEST_F(ExportTest, MetsListsSha256AndSizeAndPremisHasTheDossiersEvents) {
  const fs::path package = exported();
  const std::string mets = test::read_file(package / "METS.xml");
  const std::string pdf_sha = *core::sha256_file(package / k_pdf);
  EXPECT_NE(mets.find("CHECKSUM=\"" + pdf_sha + "\" CHECKSUMTYPE=\"SHA-256\""), std::string::npos) << mets;
  EXPECT_NE(mets.find("OBJID=\"" + std::string(k_code) + "\""), std::string::npos);
  const std::string premis = test::read_file(package / "metadata/preservation/PREMIS.xml");
  for (const char* type : {"<eventType>capture</eventType>", "<eventType>optical character recognition</eventType>",
                           "<eventType>creation</eventType>", "<eventType>ingestion</eventType>",
                           "<eventType>fixity check</eventType>", "<agentName>Lê Thị Hoa</agentName>",
                           "<agentType>person</agentType>", "<messageDigest>" }) {
    EXPECT_NE(premis.find(type), std::string::npos) << type;
  }
  EXPECT_NE(premis.find("<messageDigest>" + std::string(63, '0') + "2</messageDigest>"), std::string::npos)
      << "the sources' hashes";
  const std::string dossier = test::read_file(package / "metadata/descriptive/dossier.xml");
  EXPECT_NE(dossier.find("<field name=\"retention\" source=\"manifest\">06</field>"), std::string::npos) << dossier;
  EXPECT_NE(dossier.find("<field name=\"accessRegime\" source=\"default\">02</field>"), std::string::npos);
  EXPECT_NE(dossier.find("<field name=\"so_bien_nhan\" source=\"manifest\">BN-1</field>"), std::string::npos);
}

TEST_F(ExportTest, WebViewsAndDownloadsStayOutOfThePackage) {
  {
    auto archive = Archive::open(m_root);
    archive.catalog().add_event("2026-06-01T09:00:00Z", "web-reader", "view", k_code, "10.0.0.7");
    archive.catalog().add_event("2026-06-01T09:01:00Z", "web-reader", "download", k_code, "10.0.0.7");
  }
  const std::string premis = test::read_file(exported() / "metadata/preservation/PREMIS.xml");
  EXPECT_NE(premis.find("Lê Thị Hoa"), std::string::npos) << "the ingest is still there";
  EXPECT_EQ(premis.find("web-reader"), std::string::npos) << premis;
  EXPECT_EQ(premis.find("10.0.0.7"), std::string::npos) << premis;
}

TEST_F(ExportTest, SameExportTwiceGivesTheSameZip) {
  m_options.zip = true;
  exported();
  const std::string first = test::read_file(m_options.out / (std::string(k_code) + ".zip"));
  exported();
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, test::read_file(m_options.out / (std::string(k_code) + ".zip")));
}

TEST_F(ExportTest, AlteredPdfFailsNamingTheFile) {
  const fs::path package = exported();
  test::write_file(package / k_pdf, "%PDF-1.4\nswapped\n");
  const std::string problems = problems_of(verify_package(package));
  EXPECT_NE(problems.find(std::string(k_pdf) + ": SHA-256 differs from METS"), std::string::npos) << problems;
}

TEST_F(ExportTest, SchemaInvalidMetsFailsEvenIfItsHashesAgree) {
  const fs::path package = exported();
  std::string mets = test::read_file(package / "METS.xml");
  mets.replace(mets.find("CHECKSUMTYPE=\"SHA-256\""), 22, "CHECKSUMTYPE=\"MD5\"");
  test::write_file(package / "METS.xml", mets);
  const std::string problems = problems_of(verify_package(package));
  EXPECT_NE(problems.find("METS.xml: not valid against sohoa's schema"), std::string::npos) << problems;
}

TEST_F(ExportTest, MissingExtraAndMalformedFilesAreEachNamed) {
  const fs::path package = exported();
  fs::remove(package / "metadata/descriptive/dossier.xml");
  test::write_file(package / "representations/rep1/data/extra.txt", "x");
  test::write_file(package / "metadata/preservation/PREMIS.xml", "<premis>");
  const std::string problems = problems_of(verify_package(package));
  EXPECT_NE(problems.find("metadata/descriptive/dossier.xml: missing"), std::string::npos) << problems;
  EXPECT_NE(problems.find("representations/rep1/data/extra.txt: in the package but not listed in METS"),
            std::string::npos);
  EXPECT_NE(problems.find("metadata/preservation/PREMIS.xml: not well-formed XML"), std::string::npos);
}

TEST_F(ExportTest, ChangedArchivedPdfIsNotExported) {
  test::write_file(m_root / "files/2026/u" / (std::string(k_code) + ".pdf"), "changed");
  const auto archive = Archive::open(m_root);
  const auto package = export_dossier(archive, k_code, m_options);
  ASSERT_FALSE(package.has_value());
  EXPECT_NE(package.error().find("does not match the catalog"), std::string::npos) << package.error();
  EXPECT_FALSE(fs::exists(m_options.out / k_code));
  EXPECT_FALSE(export_dossier(archive, "NO-SUCH-CODE", m_options).has_value());
}

}  // namespace
}  // namespace sohoa::storage
