#include "sohoa/storage/catalog.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sohoa/core/errors.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

DossierRecord make_dossier(const std::string& code, const std::vector<std::string>& texts,
                           const std::string& agency = "Sở Kế hoạch và Đầu tư",
                           const std::string& unit = "Trung tâm PVHCC tỉnh",
                           core::Level level = core::Level::province,
                           const std::string& received = "2025-03-01") {
  DossierRecord dossier;
  dossier.meta.code = code;
  dossier.meta.title = "Hồ sơ " + code;
  dossier.meta.procedure_code = "1.001612.000.00.00.H38";
  dossier.meta.agency = agency;
  dossier.meta.unit = unit;
  dossier.meta.level = level;
  dossier.meta.received_date = received;
  dossier.meta.applicant = "Nguyễn Văn A";
  dossier.page_count = static_cast<int>(texts.size());
  dossier.pdf_path = "files/2025/unit/" + code + ".pdf";
  dossier.pdf_sha256 = std::string(64, 'a');
  dossier.pdf_bytes = 1000;
  dossier.digitized_at = "2025-03-02T08:00:00Z";
  int seq = 0;
  for (const auto& text : texts) {
    PageRecord page;
    page.seq = ++seq;
    page.source_path = "/scans/" + code + "/" + std::to_string(seq) + ".jpg";
    page.source_sha256 = std::string(64, 'b');
    page.dpi = 300;
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

SearchResult search(const Catalog& catalog, const std::string& text) {
  SearchQuery query;
  query.text = text;
  return catalog.search(query);
}

class CatalogTest : public test::TempDirTest {
 protected:
  Catalog open() { return Catalog::open(dir() / "catalog.sqlite", true); }
};

TEST_F(CatalogTest, StoresAndReadsBackADossierWithPagesAndExtraMetadata) {
  auto catalog = open();
  auto dossier = make_dossier("000.00.01.H38-250301-0001", {"trang một", "trang hai"});
  dossier.meta.extra = {{"ghi chú", "bản gốc"}, {"số tờ", "2"}};
  dossier.pages[1].outcome = core::PageOutcome::low_confidence;
  dossier.pages[1].flags = core::flag_low_confidence;
  EXPECT_FALSE(catalog.put_dossier(dossier, false).has_value());

  const auto found = catalog.find_dossier(dossier.meta.code, true);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->meta.title, dossier.meta.title);
  EXPECT_EQ(found->meta.level, core::Level::province);
  EXPECT_EQ(found->meta.extra, dossier.meta.extra);
  EXPECT_EQ(found->pdf_path, dossier.pdf_path);
  ASSERT_EQ(found->pages.size(), 2U);
  EXPECT_EQ(found->pages[1].text, "trang hai");
  EXPECT_EQ(found->pages[1].outcome, core::PageOutcome::low_confidence);
  EXPECT_EQ(found->pages[1].flags, core::flag_low_confidence);

  const auto without_text = catalog.find_dossier(dossier.meta.code, false);
  ASSERT_TRUE(without_text.has_value());
  EXPECT_TRUE(without_text->pages[0].text.empty());
  EXPECT_FALSE(catalog.find_dossier("nope").has_value());
  EXPECT_EQ(catalog.dossier_codes(), std::vector<std::string>{dossier.meta.code});
  const auto all = catalog.all_dossiers();
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].pages.size(), 2U);
}

TEST_F(CatalogTest, ReplaceDeletesOldPagesAndTextAndReturnsTheOldPdf) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("D1", {"giấy phép xây dựng", "bản vẽ"}), false);
  EXPECT_THROW(catalog.put_dossier(make_dossier("D1", {"x"}), false), std::logic_error);

  auto replacement = make_dossier("D1", {"đăng ký kết hôn"});
  replacement.pdf_path = "files/2025/unit/D1.r2.pdf";
  const auto old = catalog.put_dossier(replacement, true);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(*old, "files/2025/unit/D1.pdf");

  EXPECT_EQ(search(catalog, "xây dựng").total, 0);
  EXPECT_EQ(search(catalog, "kết hôn").total, 1);
  const auto found = catalog.find_dossier("D1", true);
  ASSERT_EQ(found->pages.size(), 1U);
  EXPECT_EQ(found->pdf_path, "files/2025/unit/D1.r2.pdf");
}

TEST_F(CatalogTest, SearchIgnoresCaseAndDiacriticsIncludingDBothWays) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("D1", {"Giấy chứng nhận Đăng ký kinh doanh hộ cá thể"}), false);
  catalog.put_dossier(make_dossier("D2", {"dang ky kinh doanh viet khong dau"}), false);
  catalog.put_dossier(make_dossier("D3", {"Quyết định cấp phép xây dựng"}), false);

  for (const char* query : {"dang ky kinh doanh", "Đăng ký", "ĐĂNG KÝ", "đăng KÝ kinh DOANH"}) {
    const auto result = search(catalog, query);
    auto codes = dossiers_of(result);
    std::sort(codes.begin(), codes.end());
    EXPECT_EQ(codes, (std::vector<std::string>{"D1", "D2"})) << query;
  }
  EXPECT_EQ(dossiers_of(search(catalog, "quyet dinh")), std::vector<std::string>{"D3"});
  EXPECT_EQ(dossiers_of(search(catalog, "XÂY DỰNG")), std::vector<std::string>{"D3"});
  // NFD input (macOS, some keyboards) finds NFC text.
  EXPECT_EQ(dossiers_of(search(catalog, "quye\xcc\x82\xcc\x81t")), std::vector<std::string>{"D3"});
}

TEST_F(CatalogTest, OcrEthIsFoldedLikeD) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("D1", {"\xc3\x90\xe1\xba\xa0I H\xe1\xbb\x8c" "C"}), false);  // ÐẠI HỌC
  EXPECT_EQ(dossiers_of(search(catalog, "đại học")), std::vector<std::string>{"D1"});
}

TEST_F(CatalogTest, SnippetShowsTheOriginalTextWithMarks) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("D1", {"Giấy chứng nhận Đăng ký kinh doanh"}), false);
  const auto result = search(catalog, "dang ky");
  ASSERT_EQ(result.hits.size(), 1U);
  EXPECT_NE(result.hits[0].snippet.find("«Đăng» «ký»"), std::string::npos) << result.hits[0].snippet;
  EXPECT_NE(result.hits[0].snippet.find("Giấy chứng nhận"), std::string::npos);
  EXPECT_EQ(result.hits[0].page, 1);
  EXPECT_EQ(result.hits[0].title, "Hồ sơ D1");
  EXPECT_EQ(result.hits[0].pdf, "files/2025/unit/D1.pdf");
  EXPECT_GT(result.hits[0].score, 0.0);
}

TEST_F(CatalogTest, LongPageSnippetIsShortenedWithEllipsis) {
  auto catalog = open();
  std::string text;
  for (int word_idx = 0; word_idx < 200; ++word_idx) {
    text += "chữ ";
  }
  text += "mục tiêu";
  for (int word_idx = 0; word_idx < 200; ++word_idx) {
    text += " chữ";
  }
  catalog.put_dossier(make_dossier("D1", {text}), false);
  const auto result = search(catalog, "muc tieu");
  ASSERT_EQ(result.hits.size(), 1U);
  const auto& snippet = result.hits[0].snippet;
  EXPECT_NE(snippet.find("«mục» «tiêu»"), std::string::npos) << snippet;
  EXPECT_LT(snippet.size(), 200U);
  EXPECT_NE(snippet.find("…"), std::string::npos);
}

TEST_F(CatalogTest, PhraseNeedsAdjacentWordsInOrderWhileWordsDoNot) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("ADJ", {"đăng ký kinh doanh"}), false);
  catalog.put_dossier(make_dossier("APART", {"kinh tế và đăng ký doanh nghiệp"}), false);

  auto words = dossiers_of(search(catalog, "đăng ký kinh doanh"));
  std::sort(words.begin(), words.end());
  EXPECT_EQ(words, (std::vector<std::string>{"ADJ", "APART"}));
  EXPECT_EQ(dossiers_of(search(catalog, "\"đăng ký kinh doanh\"")),
            std::vector<std::string>{"ADJ"});
  EXPECT_EQ(dossiers_of(search(catalog, "\"kinh doanh")), std::vector<std::string>{"ADJ"})
      << "an unbalanced quote runs to the end";
  EXPECT_EQ(search(catalog, "\"doanh kinh\"").total, 0);
  // Implicit AND: every word must be on the page.
  EXPECT_EQ(search(catalog, "đăng ký hôn").total, 0);
}

TEST_F(CatalogTest, FiltersJoinTheDossierFields) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("P1", {"hộ tịch"}, "Sở Tư pháp", "TT tỉnh",
                                   core::Level::province, "2025-01-10"),
                      false);
  catalog.put_dossier(make_dossier("C1", {"hộ tịch"}, "Sở Tư pháp", "UBND xã An Phú",
                                   core::Level::commune, "2025-06-20"),
                      false);
  catalog.put_dossier(make_dossier("C2", {"hộ tịch"}, "Sở Nội vụ", "UBND xã An Phú",
                                   core::Level::commune, "2025-08-01"),
                      false);

  SearchQuery query;
  query.text = "ho tich";
  query.level = core::Level::commune;
  auto codes = dossiers_of(catalog.search(query));
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"C1", "C2"}));

  query.agency = "Sở Tư pháp";
  EXPECT_EQ(dossiers_of(catalog.search(query)), std::vector<std::string>{"C1"});

  query = SearchQuery{};
  query.text = "hộ tịch";
  query.from = "2025-02-01";
  query.to = "2025-07-31";
  EXPECT_EQ(dossiers_of(catalog.search(query)), std::vector<std::string>{"C1"});

  query = SearchQuery{};
  query.text = "hộ tịch";
  query.unit = "TT tỉnh";
  EXPECT_EQ(dossiers_of(catalog.search(query)), std::vector<std::string>{"P1"});
  query.procedure = "another";
  EXPECT_EQ(catalog.search(query).total, 0);
}

TEST_F(CatalogTest, EmptyTextListsFilteredDossiersNewestFirstWithTheirFirstPage) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("OLD", {"một hai ba bốn năm sáu bảy tám chín mười mười một "
                                           "mười hai mười ba",
                                           "trang hai"},
                                   "Sở A", "U", core::Level::commune, "2024-01-01"),
                      false);
  catalog.put_dossier(make_dossier("NEW", {"ngắn"}, "Sở A", "U", core::Level::commune, "2025-01-01"),
                      false);
  catalog.put_dossier(make_dossier("OTHER", {"khác"}, "Sở B", "U", core::Level::commune,
                                   "2025-05-01"),
                      false);
  SearchQuery query;
  query.text = "  ";
  query.agency = "Sở A";
  const auto result = catalog.search(query);
  EXPECT_EQ(result.total, 2);
  ASSERT_EQ(dossiers_of(result), (std::vector<std::string>{"NEW", "OLD"}));
  EXPECT_EQ(result.hits[1].page, 1);
  EXPECT_EQ(result.hits[1].snippet, "một hai ba bốn năm sáu bảy tám chín mười mười một…");
  EXPECT_EQ(result.hits[0].snippet, "ngắn");

  SearchQuery everything;
  everything.limit = 1;
  const auto all = catalog.search(everything);
  EXPECT_EQ(all.total, 3);
  EXPECT_EQ(dossiers_of(all), std::vector<std::string>{"OTHER"});
}

TEST_F(CatalogTest, TotalCountsAllMatchingDossiersOrPagesBeyondTheLimit) {
  auto catalog = open();
  for (int dossier_idx = 0; dossier_idx < 5; ++dossier_idx) {
    catalog.put_dossier(make_dossier("D" + std::to_string(dossier_idx),
                                     {"biên bản họp", "biên bản bàn giao", "phụ lục"}),
                        false);
  }
  SearchQuery query;
  query.text = "bien ban";
  query.limit = 3;
  const auto result = catalog.search(query);
  EXPECT_EQ(result.total, 5) << "one hit per dossier";
  EXPECT_EQ(result.hits.size(), 3U);
  query.by_page = true;
  EXPECT_EQ(catalog.search(query).total, 10);
  query.limit = 0;
  EXPECT_EQ(catalog.search(query).total, 10);
  EXPECT_TRUE(catalog.search(query).hits.empty());
  query.limit = -1;
  EXPECT_THROW(catalog.search(query), QueryError);
}

TEST_F(CatalogTest, PageWithTheTermTwiceRanksAboveOnce) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("ONCE", {"đất đai nhà ở công trình khác"}), false);
  catalog.put_dossier(make_dossier("TWICE", {"đất đai nhà ở công trình đất"}), false);
  catalog.put_dossier(make_dossier("NONE", {"hộ khẩu thường trú tạm trú khác"}), false);
  const auto result = search(catalog, "dat");
  ASSERT_EQ(dossiers_of(result), (std::vector<std::string>{"TWICE", "ONCE"}));
  EXPECT_GT(result.hits[0].score, result.hits[1].score);
}

TEST_F(CatalogTest, HostileQueriesGiveResultsOrQueryErrorOnly) {
  auto catalog = open();
  catalog.put_dossier(make_dossier("D1", {"and or not near col x drop table dossiers"}), false);
  const std::vector<std::string> hostile = {
      "\"", "\"\"", "(", ")", "*", "AND", "OR NOT", "NEAR(a b)", "col:x", "^", "-", "a -b",
      "\x01\x02\x7f", std::string("text\0with nul", 13), "'; DROP TABLE dossiers; --", "\xff\xfe broken utf8",
      "NOT", "x*", "{col}: x", "a\"b", "đ\"\"đ", std::string(10000, 'a'),
      [] {
        std::string many;
        for (int word_idx = 0; word_idx < 5000; ++word_idx) {
          many += "a ";
        }
        return many;
      }()};
  for (const auto& text : hostile) {
    SearchQuery query;
    query.text = text;
    try {
      (void)catalog.search(query);
    } catch (const QueryError& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.find("fts5"), std::string::npos) << message;
      EXPECT_EQ(message.find("syntax"), std::string::npos) << message;
      EXPECT_LT(message.size(), 300U);
    }
  }
  // The catalog survived.
  EXPECT_EQ(catalog.dossier_codes(), std::vector<std::string>{"D1"});
  // Operators are plain words.
  EXPECT_EQ(search(catalog, "AND").total, 1);
  EXPECT_EQ(search(catalog, "col:x").total, 1);
  EXPECT_EQ(search(catalog, "'; DROP TABLE dossiers; --").total, 1);
  EXPECT_EQ(search(catalog, "NEAR(a b)").total, 0);
}

TEST_F(CatalogTest, QueryWithNoWordsSaysWhatToDo) {
  auto catalog = open();
  for (const char* text : {"\"", "\"\"", "*", "( ) ^ -", "« »"}) {
    try {
      search(catalog, text);
      ADD_FAILURE() << "no QueryError for " << text;
    } catch (const QueryError& error) {
      EXPECT_NE(std::string(error.what()).find("nothing to search for"), std::string::npos)
          << error.what();
    }
  }
}

TEST_F(CatalogTest, TooManyWordsIsAQueryError) {
  auto catalog = open();
  std::string many;
  for (int word_idx = 0; word_idx < 100; ++word_idx) {
    many += "chữ ";
  }
  EXPECT_THROW(search(catalog, many), QueryError);
}

TEST_F(CatalogTest, ReopeningKeepsDataAndTheTokenizerWorks) {
  {
    auto catalog = open();
    catalog.put_dossier(make_dossier("D1", {"Đăng ký"}), false);
  }
  auto catalog = Catalog::open(dir() / "catalog.sqlite", false);
  EXPECT_EQ(search(catalog, "dang").total, 1);
}

TEST_F(CatalogTest, NewerSchemaIsRefusedWithVersions) {
  { open(); }
  {
    // Bump user_version as a future sohoa would, using a second connection through the catalog
    // file itself (no sqlite3 in tests): rewrite the header field (offset 60, big-endian).
    auto bytes = test::read_file(dir() / "catalog.sqlite");
    ASSERT_GT(bytes.size(), 64U);
    bytes[60] = 0;
    bytes[61] = 0;
    bytes[62] = 0;
    bytes[63] = 99;
    test::write_file(dir() / "catalog.sqlite", bytes);
  }
  try {
    Catalog::open(dir() / "catalog.sqlite", false);
    FAIL() << "no Fatal";
  } catch (const core::Fatal& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("newer sohoa (schema 99)"), std::string::npos) << message;
    EXPECT_NE(message.find("knows up to "), std::string::npos) << message;
  }
}

TEST_F(CatalogTest, FileThatIsNotSqliteIsRefused) {
  test::write_file(dir() / "catalog.sqlite", std::string(4096, 'x'));
  try {
    Catalog::open(dir() / "catalog.sqlite", true);
    FAIL() << "no Fatal";
  } catch (const core::Fatal& error) {
    EXPECT_NE(std::string(error.what()).find("not a sohoa catalog"), std::string::npos)
        << error.what();
  }
  // Left untouched.
  EXPECT_EQ(test::read_file(dir() / "catalog.sqlite"), std::string(4096, 'x'));
}

TEST_F(CatalogTest, MissingCatalogWithoutCreateIsFatal) {
  EXPECT_THROW(Catalog::open(dir() / "none.sqlite", false), core::Fatal);
  EXPECT_FALSE(std::filesystem::exists(dir() / "none.sqlite"));
}

TEST_F(CatalogTest, BatchesEventsAndSummary) {
  auto catalog = open();
  BatchRecord batch;
  batch.started_at = "2025-03-02T08:00:00Z";
  batch.operator_name = "Lan";
  batch.station = "quầy 3";
  batch.source_dir = "/scans/today";
  batch.id = catalog.begin_batch(batch);
  EXPECT_GT(batch.id, 0);
  const auto second = catalog.begin_batch(batch);

  auto dossier = make_dossier("D1", {"a", "b", "c"});
  dossier.batch_id = batch.id;
  dossier.pages[2].flags = core::flag_low_confidence | core::flag_dpi_assumed;  // to rescan
  dossier.pages[0].flags = core::flag_blank | core::flag_dpi_assumed;           // not to rescan
  dossier.pages[1].outcome = core::PageOutcome::unreadable;
  catalog.put_dossier(dossier, false);
  catalog.put_dossier(make_dossier("D2", {"x"}, "A", "U", core::Level::commune), false);
  catalog.put_dossier(make_dossier("D3", {"x"}, "A", "U", core::Level::unknown), false);
  catalog.add_event("2025-03-02T08:01:00Z", "Lan", "ingest", "D1", "3 pages");

  batch.finished_at = "2025-03-02T09:00:00Z";
  batch.dossiers_archived = 3;
  batch.pages_flagged = 1;
  catalog.finish_batch(batch);
  BatchRecord missing;
  missing.id = 999;
  EXPECT_THROW(catalog.finish_batch(missing), std::logic_error);

  const auto batches = catalog.batches();
  ASSERT_EQ(batches.size(), 2U);
  EXPECT_EQ(batches[0].id, second);  // newest first
  EXPECT_EQ(batches[1].finished_at, "2025-03-02T09:00:00Z");
  EXPECT_EQ(batches[1].dossiers_archived, 3);
  EXPECT_EQ(batches[1].station, "quầy 3");

  const auto summary = catalog.summary();
  EXPECT_EQ(summary.dossiers, 3);
  EXPECT_EQ(summary.pages, 4);  // the unreadable page is not archived
  EXPECT_EQ(summary.flagged_pages, 1);  // only the page with a rescan flag
  EXPECT_EQ(summary.pdf_bytes, 3000);
  EXPECT_EQ(summary.batches, 2);
  EXPECT_EQ(summary.last_ingest, "2025-03-02T08:00:00Z");
  EXPECT_EQ(summary.dossiers_by_level,
            (std::vector<std::pair<std::string, std::int64_t>>{
                {"province", 1}, {"commune", 1}, {"unknown", 1}}));
}

TEST_F(CatalogTest, DossierOfAnUnknownBatchIsRefusedAndNothingIsHalfWritten) {
  auto catalog = open();
  auto dossier = make_dossier("D1", {"một", "hai"});
  dossier.batch_id = 42;
  EXPECT_THROW(catalog.put_dossier(dossier, false), core::Fatal);
  EXPECT_FALSE(catalog.find_dossier("D1").has_value());
  EXPECT_EQ(search(catalog, "hai").total, 0);
}

}  // namespace
}  // namespace sohoa::storage
