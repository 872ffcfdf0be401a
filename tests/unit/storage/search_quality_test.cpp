// Runs the declarative search-quality files tests/search/*.test (format: tests/search/README.md):
// builds each file's archive in a fresh catalog and checks every query's dossiers in rank order.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sohoa/storage/catalog.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) {
    words.push_back(word);
  }
  return words;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '\\' && pos + 1 < text.size() && text[pos + 1] == 'n') {
      out.push_back('\n');
      ++pos;
    } else {
      out.push_back(text[pos]);
    }
  }
  return out;
}

struct QueryCase {
  int line = 0;
  SearchQuery query;
  std::string expect_kind;  // expect, expect-top, expect-set, expect-error
  std::vector<std::string> expected;
  std::string expected_error;
  std::vector<int> expected_pages;
  bool has_pages = false;
};

class SearchQualityTest : public test::TempDirTest {};

void run_file(const fs::path& file, const fs::path& work) {
  std::ifstream in(file);
  ASSERT_TRUE(in) << file;
  auto catalog = Catalog::open(work / (file.stem().string() + ".sqlite"), true);
  std::vector<DossierRecord> dossiers;
  std::vector<QueryCase> cases;
  std::string line;
  int line_number = 0;
  const std::string name = file.filename().string();
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto colon = line.find(':');
    const std::string key = line.rfind("dossier ", 0) == 0 ? "dossier"
                            : colon == std::string::npos ? line
                                                         : line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') {
      value.erase(0, 1);
    }
    const std::string where = name + ":" + std::to_string(line_number);
    if (key == "dossier") {
      DossierRecord dossier;
      dossier.meta.code = line.substr(8);
      dossier.pdf_path = "files/" + dossier.meta.code + ".pdf";
      dossiers.push_back(dossier);
      continue;
    }
    if (key == "query") {
      QueryCase query_case;
      query_case.line = line_number;
      query_case.query.text = value;
      cases.push_back(query_case);
      continue;
    }
    if (cases.empty()) {
      ASSERT_FALSE(dossiers.empty()) << where << ": a field before any dossier";
      auto& meta = dossiers.back().meta;
      if (key == "title") {
        meta.title = value;
      } else if (key == "applicant") {
        meta.applicant = value;
      } else if (key == "procedure") {
        meta.procedure_name = value;
      } else if (key == "procedure_code") {
        meta.procedure_code = value;
      } else if (key == "agency") {
        meta.agency = value;
      } else if (key == "unit") {
        meta.unit = value;
      } else if (key == "level") {
        meta.level = core::parse_level(value).value_or(core::Level::unknown);
      } else if (key == "received") {
        meta.received_date = value;
      } else if (key == "page") {
        PageRecord page;
        page.seq = static_cast<int>(dossiers.back().pages.size()) + 1;
        page.text = unescape(value);
        dossiers.back().pages.push_back(page);
        dossiers.back().page_count = page.seq;
      } else {
        FAIL() << where << ": unknown dossier field '" << key << "'";
      }
      continue;
    }
    auto& current = cases.back();
    if (key == "options") {
      for (const auto& option : split_words(value)) {
        if (option == "exact") {
          current.query.exact = true;
        } else if (option == "by-page") {
          current.query.by_page = true;
        } else {
          FAIL() << where << ": unknown option '" << option << "'";
        }
      }
    } else if (key == "expect" || key == "expect-top" || key == "expect-set") {
      current.expect_kind = key;
      current.expected = value == "none" ? std::vector<std::string>{} : split_words(value);
    } else if (key == "expect-pages") {
      current.has_pages = true;
      for (const auto& page : split_words(value)) {
        current.expected_pages.push_back(std::stoi(page));
      }
    } else if (key == "expect-error") {
      current.expect_kind = key;
      current.expected_error = value;
    } else {
      FAIL() << where << ": unknown line '" << line << "'";
    }
  }
  ASSERT_FALSE(cases.empty()) << name << " has no query";
  for (const auto& dossier : dossiers) {
    catalog.put_dossier(dossier, false);
  }
  for (const auto& query_case : cases) {
    const std::string where = name + ":" + std::to_string(query_case.line) + ": " +
                              query_case.query.text;
    ASSERT_FALSE(query_case.expect_kind.empty()) << where << ": no expect line";
    if (query_case.expect_kind == "expect-error") {
      try {
        (void)catalog.search(query_case.query);
        ADD_FAILURE() << where << ": no error";
      } catch (const QueryError& error) {
        EXPECT_NE(std::string(error.what()).find(query_case.expected_error), std::string::npos)
            << where << ": " << error.what();
      }
      continue;
    }
    SearchResult result;
    try {
      result = catalog.search(query_case.query);
    } catch (const QueryError& error) {
      ADD_FAILURE() << where << ": " << error.what();
      continue;
    }
    std::vector<std::string> found;
    for (const auto& hit : result.hits) {
      found.push_back(hit.dossier);
    }
    if (query_case.expect_kind == "expect-top") {
      found.resize(std::min(found.size(), query_case.expected.size()));
    }
    auto expected = query_case.expected;
    if (query_case.expect_kind == "expect-set") {
      std::sort(found.begin(), found.end());
      std::sort(expected.begin(), expected.end());
    }
    EXPECT_EQ(found, expected) << where;
    if (query_case.has_pages) {
      ASSERT_FALSE(result.hits.empty()) << where;
      EXPECT_EQ(result.hits[0].pages, query_case.expected_pages) << where;
    }
  }
}

TEST_F(SearchQualityTest, EveryDeclarativeSearchFileHolds) {
  const fs::path folder = test::source_path("tests/search");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".test") {
      ++files;
      SCOPED_TRACE(entry.path().filename().string());
      run_file(entry.path(), dir());
    }
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace sohoa::storage
