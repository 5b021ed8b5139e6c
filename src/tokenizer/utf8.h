// Strict UTF-8 decoding (no overlongs, surrogates, truncated sequences or code points past
// U+10FFFF) and encoding, plus the offset units a token span can be reported in.
#ifndef HB_TOKENIZER_UTF8_H_
#define HB_TOKENIZER_UTF8_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hb {

// Decodes all of text into code points (appended to *out). kInvalidArgument on the first
// malformed sequence, naming its byte offset and what is wrong with it; *out is then partial.
Status DecodeUtf8(std::string_view text, std::u32string* out);

// Appends the UTF-8 encoding of c (a valid scalar value) to *out.
inline void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

inline int Utf8Length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }
inline int Utf16Length(char32_t c) { return c < 0x10000 ? 1 : 2; }

}  // namespace hb

#endif  // HB_TOKENIZER_UTF8_H_
