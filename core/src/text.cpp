// Design notes: folding is done code point by code point with ICU's NFD decomposition: every
// combining mark (general category Mn) is dropped, đ/Đ (which have no decomposition) map to d,
// and the rest is lower-cased with ICU's simple case mapping. This matches what the search index
// does to page text, so a query folded here finds what the index folded.

#include "sohoa/core/text.hpp"

#include <array>
#include <cstddef>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace sohoa::core {
namespace {

const icu::Normalizer2& nfc_normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  return *icu::Normalizer2::getNFCInstance(status);
}

const icu::Normalizer2& nfd_normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  return *icu::Normalizer2::getNFDInstance(status);
}

}  // namespace

std::string to_nfc(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString normalized = nfc_normalizer().normalize(source, status);
  std::string out;
  if (U_FAILURE(status)) {
    source.toUTF8String(out);
    return out;
  }
  normalized.toUTF8String(out);
  return out;
}

namespace {

// `utf8` decomposed (NFD) without its combining marks, đ/Đ as d/D; lower-cased too when `lower`.
icu::UnicodeString without_marks(std::string_view utf8, bool lower) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  const icu::UnicodeString decomposed = nfd_normalizer().normalize(source, status);
  icu::UnicodeString out;
  for (int32_t index = 0; index < decomposed.length();) {
    const UChar32 cp = decomposed.char32At(index);
    index += U16_LENGTH(cp);
    if (u_charType(cp) == U_NON_SPACING_MARK) {
      continue;
    }
    if (cp == 0x0110 || cp == 0x0111) {  // Đ đ
      out.append(static_cast<UChar32>(cp == 0x0110 && !lower ? 'D' : 'd'));
      continue;
    }
    out.append(lower ? u_tolower(cp) : cp);
  }
  return out;
}

}  // namespace

std::string fold(std::string_view utf8) {
  std::string out;
  without_marks(utf8, /*lower=*/true).toUTF8String(out);
  return out;
}

std::string strip_marks(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out;
  nfc_normalizer().normalize(without_marks(utf8, /*lower=*/false), status).toUTF8String(out);
  return out;
}

bool is_valid_utf8(std::string_view bytes) {
  int32_t index = 0;
  const auto length = static_cast<int32_t>(bytes.size());
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  while (index < length) {
    UChar32 cp = 0;
    U8_NEXT(data, index, length, cp);
    if (cp < 0) {
      return false;
    }
  }
  return true;
}

std::u32string to_code_points(std::string_view text, bool* valid) {
  std::u32string out;
  out.reserve(text.size());
  int32_t index = 0;
  const auto length = static_cast<int32_t>(text.size());
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  while (index < length) {
    UChar32 cp = 0;
    U8_NEXT(data, index, length, cp);
    if (cp < 0) {
      cp = 0xFFFD;
      if (valid != nullptr) {
        *valid = false;
      }
    }
    out.push_back(static_cast<char32_t>(cp));
  }
  return out;
}

std::string to_utf8(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (const char32_t code_point : code_points) {
    auto cp = static_cast<UChar32>(code_point);
    if (cp < 0 || cp > 0x10FFFF || U_IS_SURROGATE(cp)) {
      cp = 0xFFFD;
    }
    std::array<uint8_t, U8_MAX_LENGTH> bytes{};
    int32_t size = 0;
    U8_APPEND_UNSAFE(bytes.data(), size, cp);
    out.append(reinterpret_cast<const char*>(bytes.data()), static_cast<std::size_t>(size));
  }
  return out;
}

}  // namespace sohoa::core

#include <memory>
#include <unicode/coll.h>

namespace sohoa::core {
namespace {

std::unique_ptr<icu::Collator> make_numeric_collator() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> collator(icu::Collator::createInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !collator) {
    return nullptr;
  }
  collator->setAttribute(UCOL_NUMERIC_COLLATION, UCOL_ON, status);
  return collator;
}

}  // namespace

bool natural_less(std::string_view left, std::string_view right) {
  // Collator::compare is safe to call from several threads on one const instance.
  static const std::unique_ptr<icu::Collator> k_collator = make_numeric_collator();
  if (!k_collator) {
    return left < right;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UCollationResult result = k_collator->compareUTF8(
      icu::StringPiece(left.data(), static_cast<int32_t>(left.size())),
      icu::StringPiece(right.data(), static_cast<int32_t>(right.size())), status);
  if (U_FAILURE(status)) {
    return left < right;
  }
  if (result == UCOL_EQUAL) {
    return left < right;  // a strict weak order that tells apart names the collator deems equal
  }
  return result == UCOL_LESS;
}

}  // namespace sohoa::core
