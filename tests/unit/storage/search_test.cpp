// Catalog::search: dossier grouping, paging, the query language, exact mode, ranking tiers,
// messages for bad queries, and a schema-1 catalog migrated forward.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sohoa/storage/catalog.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

struct Meta {
  std::string title = "Hồ sơ";
  std::string applicant = "Nguyễn Văn A";
  std::string procedure_name = "Thủ tục mẫu";
  std::string procedure_code = "1.000001.000.00.00.H38";
  std::string agency = "Sở Nội vụ";
  std::string unit = "Trung tâm PVHCC tỉnh";
  core::Level level = core::Level::province;
  std::string received = "2025-03-01";
};

DossierRecord make_dossier(const std::string& code, const std::vector<std::string>& texts,
                           const Meta& meta = {}) {
  DossierRecord dossier;
  dossier.meta.code = code;
  dossier.meta.title = meta.title;
  dossier.meta.applicant = meta.applicant;
  dossier.meta.procedure_name = meta.procedure_name;
  dossier.meta.procedure_code = meta.procedure_code;
  dossier.meta.agency = meta.agency;
  dossier.meta.unit = meta.unit;
  dossier.meta.level = meta.level;
  dossier.meta.received_date = meta.received;
  dossier.page_count = static_cast<int>(texts.size());
  dossier.pdf_path = "files/x/" + code + ".pdf";
  int seq = 0;
  for (const auto& text : texts) {
    PageRecord page;
    page.seq = ++seq;
    page.text = text;
    dossier.pages.push_back(page);
  }
  return dossier;
}

std::vector<std::string> dossiers_of(const SearchResult& result) {
  std::vector<std::string> codes;
  for (const auto& hit : result.hits) {
    codes.push_back(hit.dossier);
  }
  return codes;
}

std::vector<std::string> sorted(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  return codes;
}

class SearchTest : public test::TempDirTest {
 protected:
  void SetUp() override {
    test::TempDirTest::SetUp();
    m_catalog = std::make_unique<Catalog>(Catalog::open(dir() / "catalog.sqlite", true));
  }
  Catalog& catalog() { return *m_catalog; }
  void put(const DossierRecord& dossier) { m_catalog->put_dossier(dossier, false); }
  SearchResult find(const std::string& text, bool exact = false) {
    SearchQuery query;
    query.text = text;
    query.exact = exact;
    return m_catalog->search(query);
  }
  std::string error_for(const std::string& text) {
    try {
      find(text);
    } catch (const QueryError& error) {
      return error.what();
    }
    return "(no error)";
  }

 private:
  std::unique_ptr<Catalog> m_catalog;
};

TEST_F(SearchTest, OneHitPerDossierWithItsBestPageAndEveryMatchingPage) {
  put(make_dossier("D1", {"mở đầu", "biên bản họp", "phụ lục", "biên bản biên bản bàn giao"}));
  put(make_dossier("D2", {"biên bản nghiệm thu"}));
  const auto result = find("bien ban");
  EXPECT_EQ(result.total, 2);
  ASSERT_EQ(result.hits.size(), 2U);
  EXPECT_EQ(result.hits[0].dossier, "D1");
  EXPECT_EQ(result.hits[0].page, 4) << "the page with the words twice";
  EXPECT_EQ(result.hits[0].pages, (std::vector<int>{2, 4}));
  EXPECT_NE(result.hits[0].snippet.find("«biên» «bản»"), std::string::npos)
      << result.hits[0].snippet;
  EXPECT_EQ(result.hits[1].pages, std::vector<int>{1});
}

TEST_F(SearchTest, ByPageGivesOneHitPerPageAndOffsetPages) {
  put(make_dossier("D1", {"biên bản họp", "biên bản bàn giao"}));
  put(make_dossier("D2", {"biên bản nghiệm thu"}));
  SearchQuery query;
  query.text = "biên bản";
  query.by_page = true;
  const auto all = catalog().search(query);
  EXPECT_EQ(all.total, 3);
  ASSERT_EQ(all.hits.size(), 3U);
  for (const auto& hit : all.hits) {
    EXPECT_EQ(hit.pages, std::vector<int>{hit.page});
  }
  query.limit = 2;
  query.offset = 2;
  const auto last = catalog().search(query);
  EXPECT_EQ(last.total, 3);
  ASSERT_EQ(last.hits.size(), 1U);
  EXPECT_EQ(last.hits[0].dossier, all.hits[2].dossier);
  EXPECT_EQ(last.hits[0].page, all.hits[2].page);
  query.offset = 10;
  const auto past = catalog().search(query);
  EXPECT_TRUE(past.hits.empty());
  EXPECT_EQ(past.total, 3) << "the total is known past the end";
  query.offset = -1;
  EXPECT_THROW(catalog().search(query), QueryError);
}

TEST_F(SearchTest, MetadataIsSearchedWithTheTextAndFieldsFilter) {
  Meta binh;
  binh.applicant = "Trần Thị Bình";
  binh.title = "Đăng ký hộ kinh doanh";
  binh.procedure_name = "Đăng ký thành lập hộ kinh doanh";
  binh.procedure_code = "2.000575.000.00.00.H38";
  binh.agency = "Phòng Tài chính - Kế hoạch";
  binh.unit = "UBND huyện Phú Lương";
  binh.level = core::Level::district;
  binh.received = "2024-05-06";
  put(make_dossier("B1", {"giấy đề nghị", "ngành nghề bán lẻ"}, binh));
  put(make_dossier("A1", {"giấy đề nghị cấp phép, người đề nghị Trần Thị Bình"}));
  // A word in the metadata and a word in the text: the same page matches.
  EXPECT_EQ(dossiers_of(find("tran thi binh ban le")), std::vector<std::string>{"B1"});
  // The name is in B1's applicant field and in A1's text.
  EXPECT_EQ(sorted(dossiers_of(find("tran thi binh"))), (std::vector<std::string>{"A1", "B1"}));
  EXPECT_EQ(dossiers_of(find("applicant:\"tran thi binh\"")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("applicant:binh")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("procedure:2.000575.000.00.00.H38")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("procedure:\"ho kinh doanh\" giay")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("agency:\"tai chinh\" giay")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("unit:\"phu luong\" giay")), std::vector<std::string>{"B1"});
  EXPECT_EQ(find("phu luong").total, 0) << "plain words do not search the unit";
  EXPECT_EQ(dossiers_of(find("giay level:huyen")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("giay level:province")), std::vector<std::string>{"A1"});
  EXPECT_EQ(dossiers_of(find("giay received:2024")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("giay received:2024-05..2024-05")), std::vector<std::string>{"B1"});
  EXPECT_EQ(dossiers_of(find("giay received:2025-01..")), std::vector<std::string>{"A1"});
  EXPECT_EQ(dossiers_of(find("giay received:..2024-05-06")), std::vector<std::string>{"B1"});
  EXPECT_EQ(find("giay received:2024-05-07..2024-12").total, 0);
  EXPECT_EQ(dossiers_of(find("code:b1")), std::vector<std::string>{"B1"}) << "filters alone list";
  EXPECT_EQ(dossiers_of(find("giay code:A*")), std::vector<std::string>{"A1"});
}

TEST_F(SearchTest, PrefixExcludeAndOr) {
  put(make_dossier("K", {"giấy chứng nhận kết hôn"}));
  put(make_dossier("S", {"giấy khai sinh"}));
  put(make_dossier("T", {"giấy chứng tử"}));
  EXPECT_EQ(sorted(dossiers_of(find("chung*"))), (std::vector<std::string>{"K", "T"}));
  EXPECT_EQ(sorted(dossiers_of(find("giay -\"ket hon\""))), (std::vector<std::string>{"S", "T"}));
  EXPECT_EQ(sorted(dossiers_of(find("giay -sinh -tu"))), std::vector<std::string>{"K"});
  EXPECT_EQ(sorted(dossiers_of(find("sinh OR tu giay"))), (std::vector<std::string>{"S", "T"}));
  EXPECT_EQ(find("sinh or tu").total, 0) << "lower-case or is a word";
  EXPECT_EQ(sorted(dossiers_of(find("OR giay"))).size(), 0U) << "a leading OR is the word or";
}

TEST_F(SearchTest, ExactHonoursDiacriticsAndD) {
  put(make_dossier("X1", {"Đà Nẵng"}));
  put(make_dossier("X2", {"đăng ký"}));
  put(make_dossier("X3", {"dân số"}));
  EXPECT_EQ(sorted(dossiers_of(find("da"))), (std::vector<std::string>{"X1"}));
  EXPECT_EQ(sorted(dossiers_of(find("dan"))), (std::vector<std::string>{"X3"}));
  EXPECT_EQ(find("đà", true).total, 1);
  EXPECT_EQ(dossiers_of(find("ĐÀ", true)), std::vector<std::string>{"X1"}) << "case still folds";
  EXPECT_EQ(find("da", true).total, 0);
  EXPECT_EQ(dossiers_of(find("dân", true)), std::vector<std::string>{"X3"});
  EXPECT_EQ(find("đân", true).total, 0);
  EXPECT_EQ(dossiers_of(find("đăng*", true)), std::vector<std::string>{"X2"});
  const auto hit = find("đăng", true);
  ASSERT_EQ(hit.hits.size(), 1U);
  EXPECT_NE(hit.hits[0].snippet.find("«đăng»"), std::string::npos) << hit.hits[0].snippet;
}

TEST_F(SearchTest, AdjacentWordsRankAboveScatteredOnesEvenWhenScatteredMoreOften) {
  put(make_dossier("SCATTERED", {"xây nhà, dựng cổng, giấy tờ, phép màu; xây dựng lại giấy phép cũ"}));
  put(make_dossier("PHRASE", {"đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ tại xã"}));
  EXPECT_EQ(dossiers_of(find("giay phep xay dung")),
            (std::vector<std::string>{"PHRASE", "SCATTERED"}));
}

TEST_F(SearchTest, ADossierCodeFindsThatDossierFirstAndWhole) {
  put(make_dossier("000.00.04.H38-220330-0001", {"đơn đề nghị"}));
  put(make_dossier("000.00.04.H38-220330-0002",
                   {"kèm theo hồ sơ 000.00.04.H38-220330-0001 và 000.00.04.H38-220330-0001"}));
  const auto result = find("000.00.04.H38-220330-0001");
  ASSERT_EQ(result.hits.size(), 2U);
  EXPECT_EQ(result.hits[0].dossier, "000.00.04.H38-220330-0001");
  EXPECT_EQ(dossiers_of(find("000.00.04.h38-220330-0002")),
            std::vector<std::string>{"000.00.04.H38-220330-0002"});
  EXPECT_EQ(find("220330-0003").total, 0);
  // An ID number is one token: a part of it does not match.
  put(make_dossier("ID", {"CCCD số 001203004567"}));
  EXPECT_EQ(dossiers_of(find("001203004567")), std::vector<std::string>{"ID"});
  EXPECT_EQ(find("203004567").total, 0);
}

TEST_F(SearchTest, BadQueriesGetAMessageThatSaysWhatToDo) {
  put(make_dossier("D1", {"giấy phép"}));
  EXPECT_NE(error_for("level:ward").find("level:province"), std::string::npos);
  EXPECT_NE(error_for("giay received:2026-13").find("received:2026-01..2026-03"), std::string::npos);
  EXPECT_NE(error_for("giay received:2026..2025").find("ends before it starts"), std::string::npos);
  EXPECT_NE(error_for("-giay").find("add a word to look for"), std::string::npos);
  EXPECT_NE(error_for("g*").find("at least 2 letters"), std::string::npos);
  EXPECT_NE(error_for("*").find("nothing to search for"), std::string::npos);
  EXPECT_NE(error_for("( )").find("nothing to search for"), std::string::npos);
  EXPECT_NE(error_for(std::string(3000, 'a')).find("use at most 2000"), std::string::npos);
  EXPECT_NE(error_for("giay level:commune level:province").find("give level: once"),
            std::string::npos);
  EXPECT_NE(error_for("a OR -b").find("cannot join an excluded"), std::string::npos);
  // Odd but harmless input runs.
  EXPECT_EQ(find("(giay) \x01phep\x7f \"giay").total, 1);
  EXPECT_EQ(find("giay\" phep").total, 1);
  EXPECT_EQ(find("{text}: giay").total, 0) << "braces are punctuation: 'text' is a word";
  EXPECT_EQ(find("NEAR(giay) phep").total, 0) << "NEAR is a word";
  EXPECT_EQ(find("(giay) phep)").total, 1);
  EXPECT_EQ(find("giấy AND phép").total, 0) << "AND is a word";
}

TEST_F(SearchTest, ManyMatchesAreRankedAmongTheNewestAndTheTotalIsAnEstimate) {
  // 110 dossiers of 20 pages (2,200 pages, over the 2,000-page ranking window) all say
  // "biên bản"; the newest has it three times on page 5; one dossier in ten also says "phụ lục".
  for (int dossier_idx = 0; dossier_idx < 110; ++dossier_idx) {
    std::vector<std::string> texts;
    for (int page_idx = 1; page_idx <= 20; ++page_idx) {
      std::string text = "biên bản số " + std::to_string(page_idx) + " của hồ sơ";
      if (dossier_idx == 109 && page_idx == 5) {
        text = "biên bản biên bản biên bản";
      }
      if (dossier_idx % 10 == 0) {
        text += " phụ lục";
      }
      texts.push_back(text);
    }
    put(make_dossier(fmt::format("D{:04}", dossier_idx), texts));
  }
  const auto many = find("bien ban");
  EXPECT_TRUE(many.total_is_estimate);
  EXPECT_NEAR(static_cast<double>(many.total), 110.0, 110.0 * 0.05) << "scaled from the window";
  ASSERT_EQ(many.hits.size(), 20U);
  EXPECT_EQ(many.hits[0].dossier, "D0109");
  EXPECT_EQ(many.hits[0].page, 5);

  const auto few = find("bien ban phu luc");
  EXPECT_FALSE(few.total_is_estimate) << "220 matching pages are ranked and counted exactly";
  EXPECT_EQ(few.total, 11);

  SearchQuery deep;
  deep.text = "biên bản";
  deep.offset = 300;  // 320 hits asked for need 2,560 pages: the window covers everything
  deep.limit = 20;
  const auto past = catalog().search(deep);
  EXPECT_FALSE(past.total_is_estimate);
  EXPECT_EQ(past.total, 110);
  EXPECT_TRUE(past.hits.empty());
}

TEST_F(SearchTest, ReplacingADossierReplacesItsTextInBothIndexes) {
  put(make_dossier("D1", {"giấy phép xây dựng"}));
  catalog().put_dossier(make_dossier("D1", {"đăng ký kết hôn"}), true);
  EXPECT_EQ(find("xây", true).total, 0);
  EXPECT_EQ(find("xay").total, 0);
  EXPECT_EQ(find("kết", true).total, 1);
  EXPECT_EQ(find("ket").total, 1);
}

TEST_F(SearchTest, ASchemaOneCatalogMigratesAndSearchesItsMetadata) {
  const auto file = dir() / "v1.sqlite";
  std::filesystem::copy_file(test::source_path("tests/fixtures/storage/catalog_v1.sqlite"), file);
  {
    auto catalog = Catalog::open(file, false);
    SearchQuery query;
    query.text = "applicant:\"tran thi binh\"";
    const auto by_applicant = catalog.search(query);
    ASSERT_EQ(by_applicant.hits.size(), 1U);
    EXPECT_EQ(by_applicant.hits[0].dossier, "000.00.20.H38-240506-0001");
    EXPECT_EQ(by_applicant.hits[0].pages, (std::vector<int>{1, 2}));
    query.text = "xây";
    query.exact = true;
    const auto exact = catalog.search(query);
    ASSERT_EQ(exact.hits.size(), 1U);
    EXPECT_EQ(exact.hits[0].dossier, "000.00.20.H38-240506-0002");
    EXPECT_NE(exact.hits[0].snippet.find("«XÂY»"), std::string::npos) << exact.hits[0].snippet;
    // Replacing a migrated dossier leaves no stale text.
    auto replacement = *catalog.find_dossier("000.00.20.H38-240506-0002", true);
    replacement.pages[0].text = "đơn mới";
    replacement.meta.title = "Hồ sơ mới";
    catalog.put_dossier(replacement, true);
    EXPECT_EQ(catalog.search(query).total, 0);
  }
  // Reopening finds the migrated schema as it is.
  auto again = Catalog::open(file, false);
  SearchQuery query;
  query.text = "tap hoa binh an";
  EXPECT_EQ(again.search(query).total, 1);
}

}  // namespace
}  // namespace sohoa::storage
