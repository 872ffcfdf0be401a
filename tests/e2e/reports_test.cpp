// End to end: the official's side. An archive holding the four sample dossiers (put straight into
// the catalog: OCR is not what is tested here) plus one dossier missing from the register, the
// sample register and targets imported through the sohoa executable, and the report in every
// format, whose numbers must agree.

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"
#include "sohoa/core/csv.hpp"
#include "sohoa/storage/archive.hpp"
#include "temp_dir.hpp"

namespace sohoa::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

class Reports : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = make_temp_dir("sohoa-e2e-reports");
    s_archive = s_dir / "archive";
    ASSERT_EQ(run_command(sohoa(s_archive, "init")).exit_code, 0);
    {
      auto archive = storage::Archive::open(s_archive);
      const auto manifest = core::read_csv(source_path("samples/batch/manifest.csv"));
      ASSERT_TRUE(manifest.has_value());
      for (const auto& record : manifest->records) {
        // dossier_code,title,procedure_code,procedure_name,agency,unit,level,received_date,...
        storage::DossierRecord dossier;
        dossier.meta.code = record.fields[0];
        dossier.meta.title = record.fields[1];
        dossier.meta.agency = record.fields[4];
        dossier.meta.unit = record.fields[5];
        dossier.meta.level = core::parse_level(record.fields[6]).value();
        dossier.meta.received_date = record.fields[7];
        dossier.pdf_path = "files/x/" + dossier.meta.code + ".pdf";
        archive.catalog().put_dossier(dossier, false);
      }
      storage::DossierRecord stray;
      stray.meta.code = "000.42.31.H38-260610-0009";
      stray.meta.unit = "Bộ phận một cửa xã Hòa Tâm";
      stray.meta.level = core::Level::commune;
      stray.meta.received_date = "2026-06-10";
      stray.pdf_path = "files/x/stray.pdf";
      archive.catalog().put_dossier(stray, false);
    }
    s_import = run_command(sohoa(s_archive, "register import " +
                                                shell_quote(source_path("samples/register.csv").string())));
    s_targets = run_command(sohoa(s_archive, "targets set --file " +
                                                 shell_quote(source_path("samples/targets.json").string())));
  }
  static void TearDownTestSuite() {
    if (std::getenv("SOHOA_KEEP_TEST_DIRS") == nullptr) {
      fs::remove_all(s_dir);
    }
  }
  static json report_json(const std::string& arguments) {
    const auto result = run_command(sohoa(s_archive, "report --format json " + arguments));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }

  static inline fs::path s_dir;
  static inline fs::path s_archive;
  static inline CommandResult s_import;
  static inline CommandResult s_targets;
};

// "1.234" -> 1234
long long vi_count(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    }
  }
  return digits.empty() ? -1 : std::stoll(digits);
}

// The numbers of the first line of `text` that starts with `label` (after spaces).
std::vector<std::string> cells_after(const std::string& text, const std::string& label) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto start = line.find_first_not_of(' ');
    if (start != std::string::npos && line.compare(start, label.size(), label) == 0) {
      std::vector<std::string> cells;
      std::istringstream words(line.substr(start + label.size()));
      std::string word;
      while (words >> word) {
        cells.push_back(word);
      }
      return cells;
    }
  }
  return {};
}

TEST_F(Reports, TheSampleRegisterImportsCleanlyAndReimportUpdates) {
  ASSERT_EQ(s_import.exit_code, 0) << s_import.err;
  EXPECT_NE(s_import.out.find("144 row(s): 144 added, 0 updated, 0 skipped"), std::string::npos)
      << s_import.out;
  const auto again = run_command(sohoa(s_archive, "register import --json " +
                                                      shell_quote(source_path("samples/register.csv").string())));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const json result = json::parse(again.out);
  EXPECT_EQ(result["added"], 0);
  EXPECT_EQ(result["updated"], 144);
  EXPECT_EQ(result["register_total"], 144);
}

TEST_F(Reports, BadRegisterRowsAreNamedAndTheRestLands) {
  const auto file = source_path("tests/fixtures/register/bad_rows.csv").string();
  const auto result = run_command(sohoa(s_dir / "bad-archive", "init") + " && " +
                                  sohoa(s_dir / "bad-archive", "register import " + shell_quote(file)));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find(file + ":3: skipped: no dossier_code"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(file + ":4: skipped 000.41.31.H38-260230-0001: bad received_date"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(":5: skipped 000.41.31.H38-260107-0001: unknown level 'ward'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(":6: skipped 000.41.31.H38-260105-0001: dossier"), std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("7 row(s): 2 added, 0 updated, 5 skipped"), std::string::npos) << result.out;
}

TEST_F(Reports, TheSecondQuarterCountsTheSampleDossiers) {
  ASSERT_EQ(s_targets.exit_code, 0) << s_targets.err;
  const json report = report_json("--period 2026-Q2 --by level");
  // Digitized in 2026-Q2: 000.00.09.H38-260415-0007 (province), 000.41.31.H38-260520-0004
  // (commune) and the unregistered 000.42.31.H38-260610-0009 (commune).
  EXPECT_EQ(report["total"]["digitized"], 3);
  EXPECT_EQ(report["total"]["unregistered"], 1);
  ASSERT_EQ(report["unregistered"].size(), 1U);
  EXPECT_EQ(report["unregistered"][0]["dossier"], "000.42.31.H38-260610-0009");
  for (const auto& row : report["rows"]) {
    EXPECT_NE(row["key"], "district");  // abolished on 2025-07-01
    const double target = row["key"] == "province" ? 50.0 : 30.0;
    EXPECT_EQ(row["target_percent"], target);
    const long long received = row["received"];
    const long long needed = static_cast<long long>(std::ceil(target / 100.0 * received - 1e-9));
    EXPECT_EQ(row["gap"], std::max(0LL, needed - row["digitized"].get<long long>())) << row;
  }
}

TEST_F(Reports, AUnitOverrideChangesOnlyThatUnit) {
  const std::string unit = "Bộ phận một cửa xã Hòa Hiệp";
  ASSERT_EQ(run_command(sohoa(s_archive, "targets set --unit " + shell_quote(unit) + " 45")).exit_code, 0);
  const json report = report_json("--period 2026 --by unit");
  int checked = 0;
  for (const auto& row : report["rows"]) {
    if (row["key"] == unit) {
      EXPECT_EQ(row["target_percent"], 45.0);
      ++checked;
    } else if (row["level"] == "commune") {
      EXPECT_EQ(row["target_percent"], 30.0);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3);
  const auto shown = run_command(sohoa(s_archive, "targets show --json"));
  EXPECT_EQ(json::parse(shown.out)["units"][unit], 45.0);
  ASSERT_EQ(run_command(sohoa(s_archive, "targets set --unit " + shell_quote(unit) + " --remove")).exit_code, 0);
}

TEST_F(Reports, EveryFormatGivesTheSameNumbers) {
  for (const std::string by : {"level", "unit", "month"}) {
    const std::string args = "--period 2025-07..2026-06 --by " + by;
    const json expected = report_json(args)["total"];
    ASSERT_GT(expected["received"].get<long long>(), 20) << by;

    const auto csv = run_command(sohoa(s_archive, "report --format csv " + args));
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const auto total_line = csv.out.substr(csv.out.rfind("\ntotal,") + 1);
    std::vector<std::string> fields;
    std::istringstream split(total_line);
    for (std::string field; std::getline(split, field, ',');) {
      fields.push_back(field);
    }
    ASSERT_GE(fields.size(), 10U) << csv.out;
    EXPECT_EQ(std::stoll(fields[4]), expected["received"]) << by;
    EXPECT_EQ(std::stoll(fields[5]), expected["digitized"]) << by;
    EXPECT_EQ(std::stoll(fields[9]), expected["gap"]) << by;

    const auto html_file = s_dir / ("report-" + by + ".html");
    const auto pdf_file = s_dir / ("report-" + by + ".pdf");
    ASSERT_EQ(run_command(sohoa(s_archive, "report --format html --out " + shell_quote(html_file.string()) + " " + args)).exit_code, 0);
    ASSERT_EQ(run_command(sohoa(s_archive, "report --format pdf --out " + shell_quote(pdf_file.string()) + " " + args)).exit_code, 0);

    // HTML: the first total row (the by-level table) has received, digitized, rate, target, gap.
    const std::string html = read_file(html_file);
    const auto row = html.find("<tr class=\"total\">");
    ASSERT_NE(row, std::string::npos);
    std::vector<std::string> cells;
    const std::string row_html = html.substr(row, html.find("</tr>", row) - row);
    for (auto open = row_html.find("<td>"); open != std::string::npos;
         open = row_html.find("<td>", open + 1)) {
      cells.push_back(row_html.substr(open + 4, row_html.find("</td>", open) - open - 4));
    }
    ASSERT_EQ(cells.size(), 11U) << row_html;
    EXPECT_EQ(cells[0], "Tổng cộng");
    EXPECT_EQ(vi_count(cells[1]), expected["received"]) << by;
    EXPECT_EQ(vi_count(cells[2]), expected["digitized"]) << by;
    EXPECT_EQ(vi_count(cells[5]), expected["gap"]) << by;
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);

    // PDF: pdftotext gives the same total row back.
    const auto text = run_command("pdftotext -layout " + shell_quote(pdf_file.string()) + " -");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("BÁO CÁO KẾT QUẢ SỐ HÓA"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("01/07/2025 đến 30/06/2026"), std::string::npos) << text.out;
    const auto pdf_cells = cells_after(text.out, "Tổng cộng");
    ASSERT_GE(pdf_cells.size(), 5U) << text.out;
    EXPECT_EQ(vi_count(pdf_cells[0]), expected["received"]) << by;
    EXPECT_EQ(vi_count(pdf_cells[1]), expected["digitized"]) << by;
    const auto fonts = run_command("pdffonts " + shell_quote(pdf_file.string()));
    EXPECT_NE(fonts.out.find("DejaVuSans"), std::string::npos) << fonts.out;
  }
}

TEST_F(Reports, BadPeriodsAndGroupingsAreRefusedPlainly) {
  for (const std::string args : {"--period 2026-Q5", "--period 2026-13", "--period 2026-06..2026-01",
                                 "--by applicant", "--format pdf"}) {
    const auto result = run_command(sohoa(s_archive, "report " + args));
    EXPECT_EQ(result.exit_code, 2) << args;
    EXPECT_EQ(result.err.rfind("sohoa: ", 0), 0U) << args << ": " << result.err;
  }
}

}  // namespace
}  // namespace sohoa::test
