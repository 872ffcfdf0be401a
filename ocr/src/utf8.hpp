#pragma once
// UTF-8 decoding shared by the PDF text layer and the Vietnamese corrector (internal to sohoa_ocr).

#include <string>
#include <string_view>

namespace sohoa::ocr {

// Decodes UTF-8 `text` into code points. A malformed sequence, a surrogate or a value beyond
// U+10FFFF becomes U+FFFD (one per bad lead byte) and, when `valid` is given, sets *valid to false
// (it is left alone otherwise).
std::u32string decode_utf8(std::string_view text, bool* valid = nullptr);

}  // namespace sohoa::ocr
