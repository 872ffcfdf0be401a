// Design notes
// - One FTS5 row per page carries the page text and its dossier's title, code, applicant,
//   procedure (name and code), agency and unit (search_index.hpp). A query word may be found in
//   the text or in the metadata and the row still matches as a whole ("Nguyễn Văn An giấy phép"
//   finds the applicant's permit). The metadata is repeated on every page of a dossier: about
//   10% more index, measured by bench/search, for one MATCH instead of merging two rankings.
// - Ranking: bm25 with column weights (code 8, title and applicant 4, procedure 2, text, agency
//   and unit 1), behind tiers: a dossier whose code equals a word of the query; then pages where
//   the plain words stand together in the user's order, in the page text, then in a metadata
//   field; then pages whose text holds a word; then pages matched only through metadata
//   (sohoa_rank, one pass over FTS5's instance list). Without the text tiers a short page
//   matched only by its dossier's title beat the page that holds the words. sohoa_rank computes
//   bm25 as SQLite's bm25() does, but estimates each word's document frequency from a sample of
//   its rows: bm25() reads a common word's whole doclist on every query.
// - Dossier hits (the default) group the matching pages in SQL: GROUP BY dossier with min(rank),
//   whose bare columns (SQLite's documented min()/max() rule) give the best page; the other
//   matching pages come from group_concat; count(*) OVER () gives the number of dossiers in the
//   same pass. The snippet is made only for the hits returned, one rowid lookup each.
// - Ranking window: scoring every match of a common word costs time in proportion to the matches
//   (at 1,000,000 pages, seconds). FTS5 reads a doclist newest rowid first and stops at a LIMIT,
//   so one cheap query finds the rowid of the k_rank_window-th newest matching page (filters
//   applied); when there is one, only pages from that rowid on are scored and grouped, and the
//   total is an estimate scaled from the window to the whole rowid span (total_is_estimate).
//   Under k_rank_window matches (every rare word, code, name, and any archive of a few thousand
//   pages) ranking and totals are exact. Deeper --offset widens the window.
// - --exact runs the same expression on page_text_exact (unicode61, diacritics kept); both tables
//   share page_text's stored text.
// - Any SQLite error while matching that is a plain SQLITE_ERROR is reported as a QueryError in
//   our words; I/O and corruption stay core::Fatal.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "search_index.hpp"
#include "search_query.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"
#include "sohoa/storage/catalog.hpp"
#include "sql.hpp"

namespace sohoa::storage {

namespace search_detail {

namespace {

constexpr int k_max_query_tokens = 64;
constexpr int k_max_limit = 10000;
constexpr int k_snippet_words = 12;
constexpr double k_tier_step = 1000.0;  // far above any bm25 magnitude
constexpr std::int64_t k_rank_window = 2000;  // newest matching pages ranked (see the notes)
constexpr std::int64_t k_window_pages_per_hit = 8;

// Column weights of the score, in page_text's column order: text, title, code, applicant,
// procedure, agency, unit.
constexpr std::array<double, 7> k_column_weights = {1.0, 4.0, 8.0, 4.0, 2.0, 1.0, 1.0};
constexpr double k_bm25_k1 = 1.2;  // SQLite's bm25() constants
constexpr double k_bm25_b = 0.75;
constexpr int k_idf_sample = 4000;  // rows read per phrase to estimate its document frequency

// Per query: each phrase's inverse document frequency and the average row length.
struct RankData {
  std::vector<double> idf;
  double average_tokens = 1.0;
};

// Counts rows of one phrase, oldest first, until k_idf_sample; remembers the last rowid read.
struct PhraseSample {
  int rows = 0;
  sqlite3_int64 last_rowid = 0;
};

int sample_phrase(const Fts5ExtensionApi* api, Fts5Context* fts, void* user_data) {
  auto* sample = static_cast<PhraseSample*>(user_data);
  sample->last_rowid = api->xRowid(fts);
  return ++sample->rows >= k_idf_sample ? SQLITE_DONE : SQLITE_OK;
}

// IDFs as SQLite's bm25() computes them, except that a phrase's document count is estimated
// from its first k_idf_sample rows when it has more: bm25() reads every row of every phrase
// (a common word's whole doclist, ~0.1 s at 1,000,000 pages) on each query. Rowids are page
// ids, dense from `min_rowid` to `max_rowid`, so the sample's share of that span scales it.
RankData* rank_data(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_int64 min_rowid,
                    sqlite3_int64 max_rowid, int* rc) {
  if (auto* cached = static_cast<RankData*>(api->xGetAuxdata(fts, 0)); cached != nullptr) {
    return cached;
  }
  auto data = std::make_unique<RankData>();
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  if ((*rc = api->xRowCount(fts, &rows)) != SQLITE_OK ||
      (*rc = api->xColumnTotalSize(fts, -1, &tokens)) != SQLITE_OK) {
    return nullptr;
  }
  rows = std::max<sqlite3_int64>(rows, 1);
  data->average_tokens = std::max(1.0, static_cast<double>(tokens) / static_cast<double>(rows));
  const double span = static_cast<double>(std::max<sqlite3_int64>(max_rowid - min_rowid + 1, 1));
  for (int phrase = 0; phrase < api->xPhraseCount(fts); ++phrase) {
    PhraseSample sample;
    if ((*rc = api->xQueryPhrase(fts, phrase, &sample, sample_phrase)) != SQLITE_OK) {
      return nullptr;
    }
    double hits = sample.rows;
    if (sample.rows >= k_idf_sample) {
      const double covered =
          static_cast<double>(std::max<sqlite3_int64>(sample.last_rowid - min_rowid + 1, 1));
      hits = std::min(static_cast<double>(rows), hits * span / covered);
    }
    const double idf = std::log((static_cast<double>(rows) - hits + 0.5) / (hits + 0.5));
    data->idf.push_back(idf <= 0.0 ? 1e-6 : idf);
  }
  auto* raw = data.release();
  if ((*rc = api->xSetAuxdata(fts, raw, [](void* ptr) { delete static_cast<RankData*>(ptr); })) !=
      SQLITE_OK) {
    return nullptr;
  }
  return raw;
}

// sohoa_rank(n, min_rowid, max_rowid): -bm25 (column weights k_column_weights, IDFs from
// rank_data) minus k_tier_step times the tier: 3 when the first `n` phrases (n >= 2) stand
// together in the page text, 2 when they stand together in a metadata column, 1 when any phrase
// is found in the page text, 0 otherwise (only metadata matches). Lower ranks first, like
// bm25(); the tier puts pages whose own text holds the words above pages that match only
// through their dossier's fields.
void rank_function(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context,
                   int arg_count, sqlite3_value** args) {
  if (arg_count != 3) {
    sqlite3_result_error(context, "sohoa_rank takes 3 arguments", -1);
    return;
  }
  int rc = SQLITE_OK;
  const RankData* data = rank_data(api, fts, sqlite3_value_int64(args[1]),
                                   sqlite3_value_int64(args[2]), &rc);
  int inst_count = 0;
  int row_tokens = 0;
  if (data == nullptr || (rc = api->xInstCount(fts, &inst_count)) != SQLITE_OK ||
      (rc = api->xColumnSize(fts, -1, &row_tokens)) != SQLITE_OK) {
    sqlite3_result_error_code(context, rc == SQLITE_OK ? SQLITE_ERROR : rc);
    return;
  }
  const int wanted = std::min(sqlite3_value_int(args[0]), api->xPhraseCount(fts));
  try {
    std::vector<double> frequency(data->idf.size(), 0.0);
    std::vector<std::tuple<int, int, int>> found;  // phrase, column, token offset
    bool in_text = false;
    for (int inst_idx = 0; inst_idx < inst_count; ++inst_idx) {
      int phrase = 0;
      int column = 0;
      int offset = 0;
      if (api->xInst(fts, inst_idx, &phrase, &column, &offset) != SQLITE_OK) {
        continue;
      }
      in_text = in_text || column == 0;
      if (phrase >= 0 && static_cast<std::size_t>(phrase) < frequency.size() && column >= 0 &&
          static_cast<std::size_t>(column) < k_column_weights.size()) {
        frequency[static_cast<std::size_t>(phrase)] +=
            k_column_weights[static_cast<std::size_t>(column)];
      }
      if (phrase < wanted) {
        found.emplace_back(phrase, column, offset);
      }
    }
    double score = 0.0;
    const double length_norm =
        k_bm25_k1 * (1.0 - k_bm25_b + k_bm25_b * row_tokens / data->average_tokens);
    for (std::size_t phrase = 0; phrase < frequency.size(); ++phrase) {
      score += data->idf[phrase] * frequency[phrase] * (k_bm25_k1 + 1.0) /
               (frequency[phrase] + length_norm);
    }
    int tier = in_text ? 1 : 0;
    if (wanted >= 2) {
      std::sort(found.begin(), found.end());
      for (const auto& [phrase, column, offset] : found) {
        if (phrase != 0) {
          break;
        }
        int next = offset + api->xPhraseSize(fts, 0);
        bool chain = true;
        for (int phrase_idx = 1; phrase_idx < wanted && chain; ++phrase_idx) {
          chain = std::binary_search(found.begin(), found.end(),
                                     std::make_tuple(phrase_idx, column, next));
          next += api->xPhraseSize(fts, phrase_idx);
        }
        if (chain) {
          tier = std::max(tier, column == 0 ? 3 : 2);
        }
      }
    }
    sqlite3_result_double(context, -score - k_tier_step * tier);
  } catch (...) {
    sqlite3_result_error_nomem(context);
  }
}

// The "sohoa" tokenizer of a connection, to count the tokens of query terms.
class QueryTokenizer {
 public:
  explicit QueryTokenizer(sqlite3* db) {
    sqlite3_stmt* stmt = nullptr;
    fts5_api* api = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
      sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
      sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    void* user_data = nullptr;
    if (api == nullptr ||
        api->xFindTokenizer(api, "sohoa", &user_data, &m_api) != SQLITE_OK ||
        m_api.xCreate(user_data, nullptr, 0, &m_tokenizer) != SQLITE_OK) {
      sql::fail(db, "cannot find the full-text tokenizer");
    }
  }
  QueryTokenizer(const QueryTokenizer&) = delete;
  QueryTokenizer& operator=(const QueryTokenizer&) = delete;
  ~QueryTokenizer() { m_api.xDelete(m_tokenizer); }

  int count(std::string_view text) {
    int count = 0;
    auto counter = [](void* context, int /*flags*/, const char* /*token*/, int /*size*/,
                      int /*start*/, int /*end*/) -> int {
      ++*static_cast<int*>(context);
      return SQLITE_OK;
    };
    m_api.xTokenize(m_tokenizer, &count, FTS5_TOKENIZE_QUERY, text.data(),
                    static_cast<int>(text.size()), counter);
    return count;
  }

 private:
  fts5_tokenizer m_api{};
  Fts5Tokenizer* m_tokenizer = nullptr;
};

// The first `words` space-separated words of `text`, "…" appended when there are more.
std::string leading_words(std::string_view text, int words) {
  std::string out;
  std::size_t pos = 0;
  int taken = 0;
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (pos < text.size()) {
    while (pos < text.size() && space(text[pos])) {
      ++pos;
    }
    if (pos >= text.size()) {
      break;
    }
    if (taken == words) {
      out += "…";
      break;
    }
    std::size_t end = pos;
    while (end < text.size() && !space(text[end])) {
      ++end;
    }
    if (!out.empty()) {
      out.push_back(' ');
    }
    out.append(text.substr(pos, end - pos));
    ++taken;
    pos = end;
  }
  return out;
}

std::string shorten(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return std::string(text.substr(0, cut)) + "…";
}

// SQL conditions on the dossier `d`, with their values bound from parameter 10 on.
class Filters {
 public:
  void add(std::string_view condition_with_placeholder, std::string value) {
    if (value.empty()) {
      return;
    }
    m_values.push_back(std::move(value));
    const auto placeholder = fmt::format("?{}", k_first + m_values.size() - 1);
    std::string condition(condition_with_placeholder);
    for (auto at = condition.find("?_"); at != std::string::npos; at = condition.find("?_")) {
      condition.replace(at, 2, placeholder);
    }
    m_sql += " AND " + condition;
  }
  // "1" and the conditions; to follow WHERE.
  std::string sql() const { return "1" + m_sql; }
  bool empty() const { return m_values.empty(); }
  void bind(sql::Query& query) const {
    for (std::size_t value_idx = 0; value_idx < m_values.size(); ++value_idx) {
      query.bind(static_cast<int>(k_first + value_idx), m_values[value_idx]);
    }
  }

 private:
  static constexpr std::size_t k_first = 10;
  std::string m_sql;
  std::vector<std::string> m_values;
};

std::string like_prefix(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out + "%";
}

Filters make_filters(const SearchQuery& query, const ParsedQuery& parsed) {
  Filters filters;
  filters.add("d.agency = ?_", query.agency);
  filters.add("d.unit = ?_", query.unit);
  filters.add("d.procedure_code = ?_", query.procedure);
  if (query.level.has_value()) {
    filters.add("d.level = ?_", std::string(core::to_string(*query.level)));
  }
  filters.add("d.level = ?_", parsed.level);
  filters.add("d.received_date >= ?_", query.from);
  filters.add("d.received_date <= ?_", query.to);
  filters.add("d.received_date >= ?_", parsed.received_from);
  filters.add("d.received_date <= ?_", parsed.received_to);
  filters.add("d.code = ?_ COLLATE NOCASE", parsed.code_equals);
  if (!parsed.code_prefix.empty()) {
    filters.add("d.code LIKE ?_ ESCAPE '\\'", like_prefix(parsed.code_prefix));
  }
  return filters;
}

std::vector<int> parse_seqs(std::string_view list) {
  std::vector<int> seqs;
  std::size_t pos = 0;
  while (pos < list.size()) {
    auto comma = list.find(',', pos);
    if (comma == std::string_view::npos) {
      comma = list.size();
    }
    int seq = 0;
    std::from_chars(list.data() + pos, list.data() + comma, seq);
    seqs.push_back(seq);
    pos = comma + 1;
  }
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  return seqs;
}

// Dossiers matching only SQL filters (or none): newest received first, their first page.
SearchResult list_dossiers(sqlite3* db, const SearchQuery& query, const Filters& filters,
                           int limit) {
  SearchResult result;
  result.query = query.text;
  {
    sql::Query count(db, "SELECT count(*) FROM dossiers d WHERE " + filters.sql());
    filters.bind(count);
    if (count.step()) {
      result.total = count.integer(0);
    }
  }
  sql::Query stmt(db,
                  "SELECT d.code, coalesce(p.seq, 0), d.title, coalesce(t.text, ''), d.pdf_path "
                  "FROM dossiers d "
                  "LEFT JOIN pages p ON p.dossier_code = d.code AND p.seq = "
                  "(SELECT min(seq) FROM pages WHERE dossier_code = d.code) "
                  "LEFT JOIN page_text t ON t.rowid = p.id WHERE " +
                      filters.sql() +
                      " ORDER BY d.received_date DESC, d.code LIMIT ?1 OFFSET ?2");
  stmt.bind(1, static_cast<std::int64_t>(limit));
  stmt.bind(2, static_cast<std::int64_t>(query.offset));
  filters.bind(stmt);
  while (stmt.step()) {
    SearchHit hit;
    hit.dossier = stmt.text(0);
    hit.page = static_cast<int>(stmt.integer(1));
    hit.title = stmt.text(2);
    hit.snippet = leading_words(stmt.text(3), k_snippet_words);
    hit.pdf = stmt.text(4);
    if (hit.page > 0) {
      hit.pages.push_back(hit.page);
    }
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace

void index_page_text(sqlite3* db, std::int64_t page_id, const core::DossierMeta& meta,
                     std::string_view text) {
  std::string procedure = meta.procedure_name;
  if (!meta.procedure_code.empty()) {
    procedure += (procedure.empty() ? "" : " ") + meta.procedure_code;
  }
  for (const char* table : {"page_text", "page_text_exact"}) {
    sql::Query insert(db, fmt::format("INSERT INTO {} (rowid, text, title, code, applicant, "
                                      "procedure, agency, unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                      table));
    insert.bind(1, page_id)
        .bind(2, text)
        .bind(3, meta.title)
        .bind(4, meta.code)
        .bind(5, meta.applicant)
        .bind(6, procedure)
        .bind(7, meta.agency)
        .bind(8, meta.unit)
        .run();
  }
}

int register_search_functions(fts5_api* api) {
  return api->xCreateFunction(api, "sohoa_rank", nullptr, rank_function, nullptr);
}

}  // namespace search_detail

SearchResult Catalog::search(const SearchQuery& query) const {
  using namespace search_detail;
  sqlite3* db = connection();
  if (query.limit < 0) {
    throw QueryError(fmt::format("the number of results must be 0 or more, not {}", query.limit));
  }
  if (query.offset < 0) {
    throw QueryError(fmt::format("the offset must be 0 or more, not {}", query.offset));
  }
  const int limit = std::min(query.limit, k_max_limit);

  // Control characters (and invalid UTF-8, via NFC) never reach FTS5.
  std::string text = core::to_nfc(query.text);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      c = ' ';
    }
  }
  ParsedQuery parsed;
  if (text.find_first_not_of(' ') != std::string::npos) {
    QueryTokenizer tokenizer(db);
    parsed = parse_query(text, [&](std::string_view term) { return tokenizer.count(term); },
                         k_max_query_tokens);
  }
  const Filters filters = make_filters(query, parsed);
  if (parsed.fts.empty()) {
    return list_dossiers(db, query, filters, limit);
  }

  SearchResult result;
  result.query = query.text;
  const char* table = query.exact ? "page_text_exact" : "page_text";
  std::int64_t min_rowid = 0;
  std::int64_t max_rowid = 0;
  {
    // Two subqueries: SQLite reads one end of the rowid b-tree for a lone min() or max(), but
    // scans the table for both in one SELECT.
    sql::Query span(db, "SELECT coalesce((SELECT min(id) FROM pages), 0), "
                        "coalesce((SELECT max(id) FROM pages), 0)");
    if (span.step()) {
      min_rowid = span.integer(0);
      max_rowid = span.integer(1);
    }
  }
  const std::string rank = fmt::format("sohoa_rank({0}, {1}, {2}, {3})", table,
                                       parsed.adjacent_phrases, min_rowid, max_rowid);
  std::string code_tier;
  for (std::size_t code_idx = 0; code_idx < parsed.codes.size() && code_idx < 8; ++code_idx) {
    code_tier += fmt::format("{}lower(?{})", code_tier.empty() ? "" : ", ", 30 + code_idx);
  }
  if (!code_tier.empty()) {
    code_tier = "(lower(p.dossier_code) IN (" + code_tier + ")) DESC, ";
  }
  // The dossiers table is joined while ranking only when a filter needs it; otherwise only for
  // the hits returned (carrying titles through the grouping cost more than the ranking).
  const std::string joins =
      std::string(" FROM m JOIN pages p ON p.id = m.id") +
      (filters.empty() ? "" : " JOIN dossiers d ON d.code = p.dossier_code") + " WHERE " +
      filters.sql();

  // A MATCH that SQLite refuses is the query's fault; anything else is the catalog's.
  const auto run = [&](auto&& body) {
    try {
      body();
    } catch (const core::Fatal&) {
      if (sqlite3_errcode(db) == SQLITE_ERROR) {
        throw QueryError(fmt::format(
            "cannot search for '{}': see `sohoa search --help` for the query language",
            shorten(text, 60)));
      }
      throw;
    }
  };
  // The ranking window: the rowid of the window-th newest matching page, 0 when there are fewer.
  const std::int64_t window =
      std::max(k_rank_window, (query.offset + limit) * (query.by_page ? 1 : k_window_pages_per_hit));
  std::int64_t first_rowid = 0;
  run([&] {
    sql::Query edge(db, filters.empty()
                            ? fmt::format("SELECT rowid FROM {0} WHERE {0} MATCH ?1 ORDER BY "
                                          "rowid DESC LIMIT 1 OFFSET ?2",
                                          table)
                            : fmt::format("SELECT {0}.rowid FROM {0} JOIN pages p ON p.id = "
                                          "{0}.rowid JOIN dossiers d ON d.code = p.dossier_code "
                                          "WHERE {0} MATCH ?1 AND {1} ORDER BY {0}.rowid DESC "
                                          "LIMIT 1 OFFSET ?2",
                                          table, filters.sql()));
    edge.bind(1, parsed.fts).bind(2, window - 1);
    filters.bind(edge);
    if (edge.step()) {
      first_rowid = edge.integer(0);
    }
  });
  // Scales a count made in the window to the whole archive (1 when the window is everything).
  double scale = 1.0;
  if (first_rowid > 0) {
    if (max_rowid >= first_rowid) {
      scale = static_cast<double>(max_rowid - min_rowid + 1) /
              static_cast<double>(max_rowid - first_rowid + 1);
    }
    result.total_is_estimate = true;
  }
  const auto estimate = [&](std::int64_t counted) {
    if (!result.total_is_estimate) {
      return counted;
    }
    // Three significant digits: the estimate is not exact and should not look it.
    auto value = static_cast<double>(counted) * scale;
    double unit = 1.0;
    while (value / unit >= 1000.0) {
      unit *= 10.0;
    }
    return std::max(counted, static_cast<std::int64_t>(std::llround(value / unit) * unit));
  };
  const std::string matches = fmt::format(
      "WITH m AS MATERIALIZED (SELECT rowid AS id, {0} AS rank FROM {1} WHERE {1} MATCH ?1 AND "
      "rowid >= ?4) ",
      rank, table);
  const std::string ranked =
      query.by_page
          ? "SELECT p.dossier_code AS code, m.rank AS best, m.id AS id, p.seq AS seq, '' AS seqs, "
            "count(*) OVER () AS n" +
                joins + " ORDER BY " + code_tier + "m.rank, p.dossier_code, p.seq"
          : "SELECT p.dossier_code AS code, min(m.rank) AS best, m.id AS id, p.seq AS seq, "
            "group_concat(p.seq) AS seqs, count(*) OVER () AS n" +
                joins + " GROUP BY p.dossier_code ORDER BY " + code_tier + "best, p.dossier_code";
  std::string outer_tier = code_tier;
  for (auto at = outer_tier.find("p.dossier_code"); at != std::string::npos;
       at = outer_tier.find("p.dossier_code")) {
    outer_tier.replace(at, 14, "h.code");
  }
  const std::string sql = matches + ", h AS (" + ranked +
                          " LIMIT ?2 OFFSET ?3) SELECT h.code, h.best, h.id, h.seq, h.seqs, "
                          "d.title, d.pdf_path, h.n FROM h JOIN dossiers d ON d.code = h.code "
                          "ORDER BY " +
                          outer_tier + "h.best, h.code, h.seq";

  struct Row {
    std::int64_t page_id = 0;
  };
  std::vector<Row> rows;
  run([&] {
    sql::Query stmt(db, sql);
    stmt.bind(1, parsed.fts)
        .bind(2, static_cast<std::int64_t>(limit))
        .bind(3, static_cast<std::int64_t>(query.offset))
        .bind(4, first_rowid);
    for (std::size_t code_idx = 0; code_idx < parsed.codes.size() && code_idx < 8; ++code_idx) {
      stmt.bind(static_cast<int>(30 + code_idx), parsed.codes[code_idx]);
    }
    filters.bind(stmt);
    while (stmt.step()) {
      SearchHit hit;
      hit.dossier = stmt.text(0);
      double rank_value = stmt.real(1);
      while (rank_value < -k_tier_step / 2) {
        rank_value += k_tier_step;  // the score shown is bm25's alone
      }
      hit.score = -rank_value;
      rows.push_back(Row{stmt.integer(2)});
      hit.page = static_cast<int>(stmt.integer(3));
      hit.pages = query.by_page ? std::vector<int>{hit.page} : parse_seqs(stmt.text(4));
      hit.title = stmt.text(5);
      hit.pdf = stmt.text(6);
      result.total = estimate(stmt.integer(7));
      result.hits.push_back(std::move(hit));
    }
  });
  if (result.hits.empty()) {
    // Nothing on this page of results (limit 0, or an offset past the end): count separately.
    run([&] {
      sql::Query count(db, matches + (query.by_page ? "SELECT count(*)"
                                                    : "SELECT count(DISTINCT p.dossier_code)") +
                               joins);
      count.bind(1, parsed.fts).bind(4, first_rowid);
      filters.bind(count);
      if (count.step()) {
        result.total = estimate(count.integer(0));
      }
    });
    return result;
  }
  run([&] {
    sql::Query snippet(db, fmt::format("SELECT snippet({0}, 0, '«', '»', '…', {1}) FROM {0} "
                                       "WHERE {0} MATCH ?1 AND rowid = ?2",
                                       table, k_snippet_words));
    for (std::size_t hit_idx = 0; hit_idx < rows.size(); ++hit_idx) {
      snippet.bind(1, parsed.fts).bind(2, rows[hit_idx].page_id);
      if (snippet.step()) {
        result.hits[hit_idx].snippet = snippet.text(0);
      }
      snippet.reset();
    }
  });
  return result;
}

}  // namespace sohoa::storage
