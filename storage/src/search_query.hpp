#pragma once
// Private to storage/: the search query language, parsed into an FTS5 expression and SQL filters.
// Pure (no SQLite): the caller passes a token counter (the "sohoa" tokenizer) so terms that hold
// no word are dropped exactly as the index would drop them.
//
// Syntax (documented to users in `sohoa search --help`):
//   word            must appear (case, diacritics and đ/d do not matter unless exact)
//   "two words"     adjacent, in this order; an unbalanced quote runs to the end
//   pref*           any word starting with "pref" (at least 2 characters before the *)
//   -word -"a b"    must not appear
//   a OR b          either; OR (upper case) joins the terms on each side, anything else is a word
//   code:X          dossier code equals X (case-insensitive); code:X* starts with X
//   applicant:X procedure:X agency:X unit:X   the words of X appear in that field (X may be
//                   "quoted" or end with *); procedure matches the procedure's name or code
//   level:X         province|district|commune (also tinh|huyen|xa)
//   received:R      R = YYYY, YYYY-MM, YYYY-MM-DD, or FROM..TO with either side open
//   Unknown "name:" prefixes are plain words. Parentheses and other punctuation are not
//   operators. Bare words of several tokens (codes, "1.011442.000", "ký-hiệu") are phrases.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sohoa::storage::search_detail {

// Number of index tokens in `text` (0 = punctuation only).
using TokenCounter = std::function<int(std::string_view)>;

struct ParsedQuery {
  std::string fts;               // FTS5 MATCH expression; empty when only SQL filters were given
  int adjacent_phrases = 0;      // the first N phrases of `fts` are the plain words in the user's
                                 // order; a row where they stand together ranks first (N >= 2)
                                 // (sohoa_rank in search.cpp)
  std::vector<std::string> codes;  // words that look like dossier codes (ranked first when equal)
  std::string level;             // "province" | "district" | "commune" | ""
  std::string received_from;     // ISO prefix, inclusive, "" = open
  std::string received_to;       // inclusive upper bound ("2026-03-31", "2026-12-31"), "" = open
  std::string code_equals;       // code: filter, exact (case-insensitive)
  std::string code_prefix;       // code:X* filter
  int tokens = 0;                // index tokens in the query
};

// Parses `text` (already NFC, control characters replaced by spaces). Throws QueryError with a
// message for a person when the query cannot be run: nothing to search for, only exclusions,
// a bad level or date, a field given twice, a prefix shorter than 2 characters, more than
// `max_tokens` tokens.
ParsedQuery parse_query(std::string_view text, const TokenCounter& count_tokens, int max_tokens);

// `text` as an FTS5 string: in double quotes, inner quotes doubled.
std::string fts_string(std::string_view text);

}  // namespace sohoa::storage::search_detail
