// Design notes
// - The user's text is never handed to FTS5 as syntax. It is cut into terms (words, "phrases",
//   field:values, OR) by our own rules, and each term is emitted as an FTS5 string (quotes
//   doubled), so no input can reach FTS5's parser as an operator. The operators we emit are fixed
//   strings: AND, OR, NOT, parentheses, a prefix '*' after a string, and column filters.
// - Plain words search the page text and the dossier's title, code, applicant, procedure and
//   agency — not its unit (every page of a unit would match the unit's name); unit: does.
// - OR follows web-search habit: `a OR b c` is (a OR b) AND c. FTS5's own precedence would read it
//   as a OR (b AND c), so every group is parenthesised.
// - Plain words come first in the expression, in the user's order, so the ranking function can
//   find them standing together by phrase number (sohoa_rank in search.cpp).
// - A prefix needs two characters: "a*" would walk a large part of the index for little use.

#include "search_query.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sohoa/core/text.hpp"
#include "sohoa/core/types.hpp"
#include "sohoa/storage/catalog.hpp"

namespace sohoa::storage::search_detail {
namespace {

constexpr std::size_t k_max_query_bytes = 2000;
constexpr int k_min_prefix_chars = 2;
constexpr const char* k_default_columns = "{text title code applicant procedure agency}";

struct Item {
  bool negated = false;
  bool quoted = false;
  bool prefix = false;
  bool is_or = false;
  std::string field;  // "" for a plain term
  std::string text;
};

bool is_space(char c) { return c == ' '; }

// The first `max_bytes` of `text`, cut on a UTF-8 boundary, with "…" when cut.
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

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool is_field(const std::string& name) {
  static const std::vector<std::string> fields = {"code",   "applicant", "procedure", "agency",
                                                  "unit",   "level",     "received"};
  return std::find(fields.begin(), fields.end(), name) != fields.end();
}

// Letters and digits in `text`: ASCII alphanumerics and non-ASCII characters (UTF-8 lead bytes).
int word_chars(std::string_view text) {
  int count = 0;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || byte >= 0xC0U) {
      ++count;
    }
  }
  return count;
}

// Reads a quoted string starting at text[pos] == '"'. Returns the inside; `pos` ends after the
// closing quote (or at the end), and after any '*' that follows (setting `prefix`).
std::string read_quoted(std::string_view text, std::size_t& pos, bool& prefix) {
  std::size_t close = text.find('"', pos + 1);
  if (close == std::string_view::npos) {
    close = text.size();
  }
  std::string inside(text.substr(pos + 1, close - pos - 1));
  pos = std::min(close + 1, text.size());
  while (pos < text.size() && text[pos] == '*') {
    prefix = true;
    ++pos;
  }
  return inside;
}

std::vector<Item> lex(std::string_view text) {
  std::vector<Item> items;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (is_space(text[pos])) {
      ++pos;
      continue;
    }
    Item item;
    if (text[pos] == '-' && pos + 1 < text.size() && !is_space(text[pos + 1])) {
      item.negated = true;
      ++pos;
    }
    if (text[pos] == '"') {
      item.quoted = true;
      item.text = read_quoted(text, pos, item.prefix);
      items.push_back(std::move(item));
      continue;
    }
    std::size_t end = pos;
    while (end < text.size() && !is_space(text[end]) && text[end] != '"') {
      ++end;
    }
    std::string bare(text.substr(pos, end - pos));
    pos = end;
    const auto colon = bare.find(':');
    if (colon != std::string::npos && colon > 0 && is_field(lower_ascii(bare.substr(0, colon)))) {
      std::string value = bare.substr(colon + 1);
      if (value.empty() && pos < text.size() && text[pos] == '"') {
        item.quoted = true;
        value = read_quoted(text, pos, item.prefix);
      }
      if (!value.empty()) {
        item.field = lower_ascii(bare.substr(0, colon));
        bare = value;
      }
    } else if (!item.negated && bare == "OR") {
      item.is_or = true;
    }
    if (!item.quoted) {
      while (!bare.empty() && bare.back() == '*') {
        bare.pop_back();
        item.prefix = true;
      }
    }
    item.text = std::move(bare);
    items.push_back(std::move(item));
  }
  return items;
}

std::string parse_level(const std::string& value) {
  const std::string folded = core::fold(value);
  if (folded == "province" || folded == "tinh" || folded == "cap tinh") {
    return "province";
  }
  if (folded == "district" || folded == "huyen" || folded == "cap huyen") {
    return "district";
  }
  if (folded == "commune" || folded == "xa" || folded == "cap xa") {
    return "commune";
  }
  throw QueryError(fmt::format(
      "level:{} is not a level; use level:province, level:district or level:commune",
      shorten(value, 40)));
}

bool digits(std::string_view text, std::size_t from, std::size_t count) {
  if (text.size() < from + count) {
    return false;
  }
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                     text.begin() + static_cast<std::ptrdiff_t>(from + count),
                     [](char c) { return c >= '0' && c <= '9'; });
}

int two_digits(std::string_view text, std::size_t from) {
  return (text[from] - '0') * 10 + (text[from + 1] - '0');
}

// YYYY, YYYY-MM or YYYY-MM-DD; nullopt otherwise. `upper` extends it to the last day it covers.
std::optional<std::string> parse_date_bound(std::string_view text, bool upper) {
  if (text.size() == 4 && digits(text, 0, 4)) {
    return std::string(text) + (upper ? "-12-31" : "");
  }
  if (text.size() >= 7 && digits(text, 0, 4) && text[4] == '-' && digits(text, 5, 2)) {
    const int month = two_digits(text, 5);
    if (month < 1 || month > 12) {
      return std::nullopt;
    }
    if (text.size() == 7) {
      return std::string(text) + (upper ? "-31" : "");
    }
    if (text.size() == 10 && text[7] == '-' && digits(text, 8, 2)) {
      const int day = two_digits(text, 8);
      if (day >= 1 && day <= 31) {
        return std::string(text);
      }
    }
  }
  return std::nullopt;
}

void parse_received(const std::string& value, ParsedQuery& parsed) {
  const auto bad = [&] {
    return QueryError(fmt::format(
        "received:{} is not a date range; write received:2026, received:2026-03, "
        "received:2026-03-15 or received:2026-01..2026-03 (either side may be left open)",
        shorten(value, 40)));
  };
  const auto dots = value.find("..");
  std::string_view from = value;
  std::string_view to = value;
  if (dots != std::string::npos) {
    from = std::string_view(value).substr(0, dots);
    to = std::string_view(value).substr(dots + 2);
    if (from.empty() && to.empty()) {
      throw bad();
    }
  }
  if (!from.empty()) {
    auto bound = parse_date_bound(from, false);
    if (!bound) {
      throw bad();
    }
    parsed.received_from = *bound;
  }
  if (!to.empty()) {
    auto bound = parse_date_bound(to, true);
    if (!bound) {
      throw bad();
    }
    parsed.received_to = *bound;
  }
  if (!parsed.received_from.empty() && !parsed.received_to.empty() &&
      parsed.received_from > parsed.received_to) {
    throw QueryError(fmt::format("received:{} ends before it starts", shorten(value, 40)));
  }
}

bool looks_like_code(const std::string& text, int tokens) {
  return tokens >= 2 && std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         text.find_first_of(".-/") != std::string::npos;
}

std::string term_fts(const Item& item) {
  std::string out = item.field.empty() ? k_default_columns : "{" + item.field + "}";
  out += " : ";
  out += fts_string(item.text);
  if (item.prefix) {
    out += "*";
  }
  return out;
}

std::string group_fts(const std::vector<Item>& group) {
  if (group.size() == 1) {
    return term_fts(group.front());
  }
  std::string out = "(";
  for (std::size_t item_idx = 0; item_idx < group.size(); ++item_idx) {
    out += item_idx == 0 ? " " : " OR ";
    out += term_fts(group[item_idx]);
  }
  return out + " )";
}

}  // namespace

std::string fts_string(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') {
      quoted += "\"\"";
    } else {
      quoted.push_back(c);
    }
  }
  quoted.push_back('"');
  return quoted;
}

ParsedQuery parse_query(std::string_view text, const TokenCounter& count_tokens, int max_tokens) {
  if (text.size() > k_max_query_bytes) {
    throw QueryError(fmt::format("the search is {} characters long; use at most {}", text.size(),
                                 k_max_query_bytes));
  }
  ParsedQuery parsed;
  const auto items = lex(text);
  std::vector<std::vector<Item>> positive;
  std::vector<Item> negative;
  bool join_next = false;
  bool seen_level = false;
  bool seen_received = false;
  bool seen_code = false;
  for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    Item item = items[item_idx];
    if (item.is_or) {
      const bool has_next = item_idx + 1 < items.size() && !items[item_idx + 1].is_or;
      if (!positive.empty() && has_next && !join_next) {
        join_next = true;
        continue;
      }
      item.is_or = false;  // a leading, trailing or doubled OR is the word "or"
    }
    const bool joined = join_next;
    join_next = false;
    if (item.field == "level" || item.field == "received" || item.field == "code") {
      if (item.negated || joined) {
        throw QueryError(fmt::format("{}: filters cannot be excluded with - or joined with OR",
                                     item.field));
      }
      bool& seen = item.field == "level" ? seen_level : item.field == "received" ? seen_received
                                                                                 : seen_code;
      if (seen) {
        throw QueryError(fmt::format("give {}: once", item.field));
      }
      seen = true;
      if (item.field == "level") {
        parsed.level = parse_level(item.text);
      } else if (item.field == "received") {
        parse_received(item.text, parsed);
      } else if (item.prefix) {
        parsed.code_prefix = item.text;
      } else {
        parsed.code_equals = item.text;
      }
      continue;
    }
    const int tokens = count_tokens(item.text);
    if (tokens == 0) {
      continue;  // punctuation only: the index holds nothing to match it
    }
    if (item.prefix && word_chars(item.text) < k_min_prefix_chars) {
      throw QueryError(fmt::format("'{}*' is too short: give at least {} letters before *",
                                   shorten(item.text, 40), k_min_prefix_chars));
    }
    parsed.tokens += tokens;
    if (item.field.empty() && !item.quoted && !item.negated && looks_like_code(item.text, tokens)) {
      parsed.codes.push_back(item.text);
    }
    if (item.negated) {
      if (joined) {
        throw QueryError("OR joins two things to look for; it cannot join an excluded -term");
      }
      negative.push_back(std::move(item));
    } else if (joined && !positive.empty()) {
      positive.back().push_back(std::move(item));
    } else {
      positive.push_back({std::move(item)});
    }
  }
  if (parsed.tokens > max_tokens) {
    throw QueryError(fmt::format("the search '{}' has {} words; use at most {}",
                                 shorten(text, 60), parsed.tokens, max_tokens));
  }
  const bool has_filters = !parsed.level.empty() || !parsed.received_from.empty() ||
                           !parsed.received_to.empty() || !parsed.code_equals.empty() ||
                           !parsed.code_prefix.empty();
  if (positive.empty()) {
    if (!negative.empty()) {
      throw QueryError(fmt::format(
          "'{}' only says what to leave out; add a word to look for", shorten(text, 60)));
    }
    if (!has_filters) {
      throw QueryError(fmt::format("nothing to search for in '{}': type at least one word",
                                   shorten(text, 60)));
    }
    return parsed;
  }
  // Plain words (and quoted phrases) first, in the user's order, then the rest.
  std::vector<const std::vector<Item>*> ordered;
  for (const auto& group : positive) {
    if (group.size() == 1 && group.front().field.empty() && !group.front().prefix) {
      ordered.push_back(&group);
    }
  }
  parsed.adjacent_phrases = ordered.size() >= 2 ? static_cast<int>(ordered.size()) : 0;
  for (const auto& group : positive) {
    if (!(group.size() == 1 && group.front().field.empty() && !group.front().prefix)) {
      ordered.push_back(&group);
    }
  }
  std::string expression;
  for (const auto* group : ordered) {
    if (!expression.empty()) {
      expression += " AND ";
    }
    expression += group_fts(*group);
  }
  if (!negative.empty()) {
    expression = "( " + expression + " ) NOT ( " + group_fts(negative) + " )";
  }
  parsed.fts = std::move(expression);
  return parsed;
}

}  // namespace sohoa::storage::search_detail
