#pragma once
// Vietnamese text helpers on ICU. Thread-safe.

#include <string>
#include <string_view>

namespace sohoa::core {

// Returns `utf8` in Unicode NFC. Invalid UTF-8 sequences become U+FFFD.
std::string to_nfc(std::string_view utf8);

// Returns the search form of `utf8`: lower case, diacritics removed, đ/Đ mapped to d, NFC.
// "Đăng ký KINH DOANH" -> "dang ky kinh doanh". Length in code points may change.
std::string fold(std::string_view utf8);

// `utf8` without its diacritics, đ/Đ as d/D, case kept, NFC: "Đăng KÝ" -> "Dang KY".
std::string strip_marks(std::string_view utf8);

// True when `bytes` is well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

// The code points of UTF-8 `text`. Each ill-formed sequence becomes one U+FFFD and, when `valid`
// is given, sets *valid to false (it is left alone otherwise).
std::u32string to_code_points(std::string_view text, bool* valid = nullptr);

// UTF-8 of `code_points`; a value that is not a Unicode scalar value becomes U+FFFD.
std::string to_utf8(std::u32string_view code_points);

}  // namespace sohoa::core

namespace sohoa::core {

// Natural order for file and folder names: digit runs compare by value ("2.jpg" < "10.jpg"),
// letters by the root collation. Thread-safe.
bool natural_less(std::string_view left, std::string_view right);

}  // namespace sohoa::core
