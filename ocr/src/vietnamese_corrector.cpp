// Design notes
// ------------
// - The syllable set is Debian's hunspell-vi (6,600 syllables, no affixes), queried through
//   libhunspell, which also accepts capitalised and all-caps forms ("CỘNG", "Hà").
// - Tesseract's `vie` model mostly errs inside one vowel: the wrong tone (ố for ồ), the wrong hat
//   (o for ô), or a look-alike from another language (ö for ô, ï for i). So a candidate differs
//   from the OCR word in one letter, within the same base vowel (a/ă/â, e/ê, i, o/ô/ơ, u/ư, y) or
//   d/đ. Cost = hat changed + tone changed, a tone added or dropped costing more than a tone
//   swapped (see correct_word); a foreign letter is first read as its nearest
//   Vietnamese letter (ö → ô, cost 0 from there). The nearest valid candidate wins only when it
//   is the single one at that cost: "tôi" misread "töi" is fixed, but a word whose nearest
//   syllables tie (e.g. two tones equally far) is left as Tesseract wrote it.
// - Numbers, codes and dates never change: any digit or inner punctuation skips the word, and
//   plain ASCII words (English, abbreviations, a syllable that lost all its marks) are skipped
//   because restoring marks from nothing is a guess.

#include "sohoa/ocr/vietnamese_corrector.hpp"
#include "sohoa/core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include <hunspell/hunspell.hxx>


namespace sohoa::ocr {
namespace {

// Rows: a ă â e ê i o ô ơ u ư y; columns: no tone, grave, acute, hook, tilde, dot.
constexpr int k_families = 12;
constexpr int k_tones = 6;
constexpr std::array<std::array<char32_t, k_tones>, k_families> k_lower = {{
    {U'a', U'à', U'á', U'ả', U'ã', U'ạ'}, {U'ă', U'ằ', U'ắ', U'ẳ', U'ẵ', U'ặ'},
    {U'â', U'ầ', U'ấ', U'ẩ', U'ẫ', U'ậ'}, {U'e', U'è', U'é', U'ẻ', U'ẽ', U'ẹ'},
    {U'ê', U'ề', U'ế', U'ể', U'ễ', U'ệ'}, {U'i', U'ì', U'í', U'ỉ', U'ĩ', U'ị'},
    {U'o', U'ò', U'ó', U'ỏ', U'õ', U'ọ'}, {U'ô', U'ồ', U'ố', U'ổ', U'ỗ', U'ộ'},
    {U'ơ', U'ờ', U'ớ', U'ở', U'ỡ', U'ợ'}, {U'u', U'ù', U'ú', U'ủ', U'ũ', U'ụ'},
    {U'ư', U'ừ', U'ứ', U'ử', U'ữ', U'ự'}, {U'y', U'ỳ', U'ý', U'ỷ', U'ỹ', U'ỵ'},
}};
constexpr std::array<std::array<char32_t, k_tones>, k_families> k_upper = {{
    {U'A', U'À', U'Á', U'Ả', U'Ã', U'Ạ'}, {U'Ă', U'Ằ', U'Ắ', U'Ẳ', U'Ẵ', U'Ặ'},
    {U'Â', U'Ầ', U'Ấ', U'Ẩ', U'Ẫ', U'Ậ'}, {U'E', U'È', U'É', U'Ẻ', U'Ẽ', U'Ẹ'},
    {U'Ê', U'Ề', U'Ế', U'Ể', U'Ễ', U'Ệ'}, {U'I', U'Ì', U'Í', U'Ỉ', U'Ĩ', U'Ị'},
    {U'O', U'Ò', U'Ó', U'Ỏ', U'Õ', U'Ọ'}, {U'Ô', U'Ồ', U'Ố', U'Ổ', U'Ỗ', U'Ộ'},
    {U'Ơ', U'Ờ', U'Ớ', U'Ở', U'Ỡ', U'Ợ'}, {U'U', U'Ù', U'Ú', U'Ủ', U'Ũ', U'Ụ'},
    {U'Ư', U'Ừ', U'Ứ', U'Ử', U'Ữ', U'Ự'}, {U'Y', U'Ỳ', U'Ý', U'Ỷ', U'Ỹ', U'Ỵ'},
}};
// The families sharing a base letter (the hat may change within a group).
constexpr std::array<int, k_families> k_group = {0, 0, 0, 1, 1, 2, 3, 3, 3, 4, 4, 5};

// Latin letters Vietnamese does not use, read as the nearest Vietnamese letter.
struct Foreign {
  char32_t letter;
  char32_t reading;
};
constexpr std::array<Foreign, 34> k_foreign = {{
    {U'ä', U'â'}, {U'å', U'ă'}, {U'ā', U'a'}, {U'ǎ', U'ă'}, {U'ë', U'ê'}, {U'ē', U'e'},
    {U'ě', U'ê'}, {U'ï', U'i'}, {U'î', U'i'}, {U'ī', U'i'}, {U'ö', U'ô'}, {U'ø', U'ơ'},
    {U'ō', U'o'}, {U'ő', U'ố'}, {U'ǒ', U'ô'}, {U'ü', U'ư'}, {U'û', U'u'}, {U'ū', U'u'},
    {U'ű', U'ứ'}, {U'ÿ', U'y'}, {U'Ä', U'Â'}, {U'Å', U'Ă'}, {U'Ë', U'Ê'}, {U'Ï', U'I'},
    {U'Î', U'I'}, {U'Ö', U'Ô'}, {U'Ø', U'Ơ'}, {U'Ő', U'Ố'}, {U'Ü', U'Ư'}, {U'Û', U'U'},
    {U'Ē', U'E'}, {U'ŏ', U'ơ'}, {U'ĕ', U'e'}, {U'ĭ', U'i'},
}};

struct VowelPos {
  int family = -1;
  int tone = 0;
  bool upper = false;
};

std::optional<VowelPos> vowel(char32_t chr) {
  for (int family = 0; family < k_families; ++family) {
    for (int tone = 0; tone < k_tones; ++tone) {
      const auto f = static_cast<std::size_t>(family);
      const auto t = static_cast<std::size_t>(tone);
      if (k_lower[f][t] == chr) {
        return VowelPos{family, tone, false};
      }
      if (k_upper[f][t] == chr) {
        return VowelPos{family, tone, true};
      }
    }
  }
  return std::nullopt;
}

std::optional<char32_t> foreign_reading(char32_t chr) {
  for (const Foreign& entry : k_foreign) {
    if (entry.letter == chr) {
      return entry.reading;
    }
  }
  return std::nullopt;
}

bool is_ascii_letter(char32_t chr) {
  return (chr >= U'a' && chr <= U'z') || (chr >= U'A' && chr <= U'Z');
}

bool is_letter(char32_t chr) {
  return is_ascii_letter(chr) || chr == U'đ' || chr == U'Đ' || vowel(chr).has_value() ||
         foreign_reading(chr).has_value();
}

std::u32string decode(std::string_view text, bool& ok) {
  ok = true;
  return core::to_code_points(text, &ok);
}

std::string encode(const std::u32string& text) { return core::to_utf8(text); }

// Bytes of `chr` in UTF-8.
std::size_t utf8_length(char32_t chr) {
  return chr < 0x80 ? 1 : chr < 0x800 ? 2 : chr < 0x10000 ? 3 : 4;
}

}  // namespace

std::string_view word_letters(std::string_view word) {
  bool ok = false;
  const std::u32string chars = decode(word, ok);
  if (!ok) {
    return {};
  }
  std::size_t begin = 0;  // bytes
  std::size_t first = 0;  // code points
  while (first < chars.size() && !is_letter(chars[first])) {
    begin += utf8_length(chars[first++]);
  }
  std::size_t end = word.size();
  std::size_t last = chars.size();
  while (last > first && !is_letter(chars[last - 1])) {
    end -= utf8_length(chars[--last]);
  }
  return word.substr(begin, end - begin);
}

std::unique_ptr<VietnameseCorrector> VietnameseCorrector::load(
    const std::filesystem::path& dictionary) {
  std::filesystem::path aff = dictionary;
  aff += ".aff";
  std::filesystem::path dic = dictionary;
  dic += ".dic";
  std::error_code error;
  if (!std::filesystem::is_regular_file(aff, error) || !std::filesystem::is_regular_file(dic, error)) {
    return nullptr;
  }
  auto hunspell = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
  // The syllables without their marks ("duc" for đức, dục, đục...), from the word list itself
  // (one word a line after the count; hunspell has no call that lists them).
  std::unordered_set<std::string> bare;
  std::ifstream list(dic);
  std::string line;
  std::getline(list, line);  // the count
  while (std::getline(list, line)) {
    const std::string word = line.substr(0, line.find('/'));
    std::string folded = core::fold(word);
    if (!folded.empty() && std::all_of(folded.begin(), folded.end(), [](char chr) {
          return chr >= 'a' && chr <= 'z';
        })) {
      bare.insert(std::move(folded));
    }
  }
  return std::unique_ptr<VietnameseCorrector>(
      new VietnameseCorrector(std::move(hunspell), std::move(bare)));
}

VietnameseCorrector::VietnameseCorrector(std::unique_ptr<Hunspell> hunspell,
                                         std::unordered_set<std::string> bare)
    : m_hunspell(std::move(hunspell)), m_bare(std::move(bare)) {}

bool VietnameseCorrector::could_be_bare_syllable(std::string_view letters) const {
  return !letters.empty() && m_bare.contains(core::fold(letters));
}

VietnameseCorrector::~VietnameseCorrector() = default;

std::vector<std::vector<std::size_t>> VietnameseCorrector::runs_to_read_again(
    const std::vector<core::OcrWord>& words, const std::vector<bool>& read_in_english) const {
  std::vector<std::vector<std::size_t>> runs;
  const auto in_vietnamese =
      static_cast<std::size_t>(std::count(read_in_english.begin(), read_in_english.end(), false));
  if (read_in_english.size() != words.size() || 2 * in_vietnamese < words.size()) {
    return runs;  // an English page: its words are what they look like
  }
  const auto bare = [&](std::size_t index) {
    return read_in_english[index] && could_be_bare_syllable(word_letters(words[index].text));
  };
  const auto foreign = [&](std::size_t index) {
    return read_in_english[index] && !word_letters(words[index].text).empty() && !bare(index);
  };
  const auto ends_a_phrase = [&](std::size_t index) {
    constexpr std::string_view k_phrase_ends = ".,;:!?)]}";
    return !words[index].text.empty() &&
           k_phrase_ends.find(words[index].text.back()) != std::string_view::npos;
  };
  for (std::size_t first = 0; first < words.size();) {
    if (!bare(first)) {
      ++first;
      continue;
    }
    std::size_t end = first + 1;
    while (end < words.size() && bare(end) && words[end].line == words[first].line) {
      ++end;
    }
    const bool foreign_before = first > 0 && words[first - 1].line == words[first].line &&
                                foreign(first - 1) && !ends_a_phrase(first - 1);
    const bool foreign_after = end < words.size() && words[end].line == words[first].line &&
                               foreign(end) && !ends_a_phrase(end - 1);
    if (!foreign_before && !foreign_after) {
      std::vector<std::size_t>& run = runs.emplace_back();
      for (std::size_t index = first; index < end; ++index) {
        run.push_back(index);
      }
    }
    first = end;
  }
  return runs;
}

std::optional<std::string> VietnameseCorrector::marks_added(std::string_view read,
                                                            std::string_view again) const {
  std::string text = correct_word(again);
  if (text == read || core::strip_marks(text) != core::strip_marks(read) ||
      !is_syllable(word_letters(text))) {
    return std::nullopt;
  }
  return text;
}

bool VietnameseCorrector::is_syllable(std::string_view syllable) const {
  if (syllable.empty()) {
    return false;
  }
  if (m_hunspell->spell(std::string(syllable))) {
    return true;
  }
  // Both tone placements are correct Vietnamese ("hòa" and "hoà"); the dictionary has one.
  bool ok = false;
  std::u32string chars = decode(syllable, ok);
  if (!ok) {
    return false;
  }
  std::size_t toned = chars.size();
  VowelPos tone;
  for (std::size_t pos = 0; pos < chars.size(); ++pos) {
    const auto here = vowel(chars[pos]);
    if (here && here->tone != 0) {
      if (toned != chars.size()) {
        return false;  // two tone marks: never a syllable
      }
      toned = pos;
      tone = *here;
    }
  }
  if (toned == chars.size()) {
    return false;
  }
  const auto& from = tone.upper ? k_upper : k_lower;
  chars[toned] = from[static_cast<std::size_t>(tone.family)][0];
  for (std::size_t pos = 0; pos < chars.size(); ++pos) {
    const auto here = vowel(chars[pos]);
    if (pos == toned || !here) {
      continue;
    }
    std::u32string moved = chars;
    const auto& table = here->upper ? k_upper : k_lower;
    moved[pos] = table[static_cast<std::size_t>(here->family)][static_cast<std::size_t>(tone.tone)];
    if (m_hunspell->spell(encode(moved))) {
      return true;
    }
  }
  return false;
}

std::string VietnameseCorrector::correct_word(std::string_view word) const {
  const std::string_view letters = word_letters(word);
  if (letters.empty()) {
    return std::string(word);
  }
  if (std::any_of(word.begin(), word.end(), [](char chr) { return chr >= '0' && chr <= '9'; })) {
    return std::string(word);  // numbers, codes, dates
  }
  bool ok = false;
  const std::u32string core = decode(letters, ok);
  bool marked = false;
  for (const char32_t chr : core) {
    if (!is_letter(chr)) {
      return std::string(word);  // inner punctuation: an abbreviation or a code
    }
    marked = marked || !is_ascii_letter(chr);
  }
  if (!marked || is_syllable(encode(core))) {
    return std::string(word);
  }

  // Foreign letters are first read as Vietnamese ones (the baseline for costs).
  std::u32string base = core;
  int foreign = 0;
  for (char32_t& chr : base) {
    if (const auto reading = foreign_reading(chr)) {
      chr = *reading;
      ++foreign;
    }
  }
  struct Candidate {
    std::u32string text;
    int cost = 0;
  };
  std::vector<Candidate> valid;
  if (foreign > 0 && is_syllable(encode(base))) {
    valid.push_back({base, 0});
  }
  for (std::size_t pos = 0; pos < base.size(); ++pos) {
    const char32_t chr = base[pos];
    if (chr == U'd' || chr == U'đ' || chr == U'D' || chr == U'Đ') {
      std::u32string other = base;
      other[pos] = chr == U'd' ? U'đ' : chr == U'đ' ? U'd' : chr == U'D' ? U'Đ' : U'D';
      if (is_syllable(encode(other))) {
        valid.push_back({std::move(other), 2});
      }
      continue;
    }
    const auto here = vowel(chr);
    if (!here) {
      continue;
    }
    const auto& table = here->upper ? k_upper : k_lower;
    for (int family = 0; family < k_families; ++family) {
      if (k_group[static_cast<std::size_t>(family)] != k_group[static_cast<std::size_t>(here->family)]) {
        continue;
      }
      for (int tone = 0; tone < k_tones; ++tone) {
        // Half-units: a hat 2, a tone for another tone 2, a tone added or dropped 3 (Tesseract
        // seldom invents a mark where there was none, nor loses one it half saw).
        const int tone_cost = tone == here->tone ? 0 : (tone == 0 || here->tone == 0) ? 3 : 2;
        const int cost = (family != here->family ? 2 : 0) + tone_cost;
        if (cost == 0) {
          continue;
        }
        std::u32string other = base;
        other[pos] = table[static_cast<std::size_t>(family)][static_cast<std::size_t>(tone)];
        if (is_syllable(encode(other))) {
          valid.push_back({std::move(other), cost});
        }
      }
    }
  }
  if (valid.empty()) {
    return std::string(word);
  }
  int best = valid.front().cost;
  for (const Candidate& candidate : valid) {
    best = std::min(best, candidate.cost);
  }
  const Candidate* chosen = nullptr;
  for (const Candidate& candidate : valid) {
    if (candidate.cost == best) {
      if (chosen != nullptr && chosen->text != candidate.text) {
        return std::string(word);  // a tie: keep what Tesseract wrote
      }
      chosen = &candidate;
    }
  }
  const auto before = static_cast<std::size_t>(letters.data() - word.data());
  return std::string(word.substr(0, before)) + encode(chosen->text) +
         std::string(word.substr(before + letters.size()));
}

}  // namespace sohoa::ocr
