// UTF-8 validation follows the Unicode "well-formed byte sequences" table (ch. 3.9, D92), so
// every input the decoder accepts round-trips and means what Python/Rust would read.
#include "tokenizer/utf8.h"

namespace hb {
namespace {

std::string Hex(uint8_t b) {
  static const char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

Status Malformed(size_t offset, const std::string& what) {
  return InvalidArgument("text is not valid UTF-8: " + what + " at byte offset " +
                         std::to_string(offset));
}

}  // namespace

Status DecodeUtf8(std::string_view text, std::u32string* out) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  out->reserve(out->size() + n);
  size_t i = 0;
  while (i < n) {
    const uint8_t b0 = s[i];
    if (b0 < 0x80) {  // ASCII run: the common case
      out->push_back(b0);
      ++i;
      continue;
    }
    int len;
    char32_t c;
    uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2, c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3, c = b0 & 0x0F;
      if (b0 == 0xE0) lo = 0xA0;  // overlong below U+0800
      if (b0 == 0xED) hi = 0x9F;  // surrogates U+D800..U+DFFF
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4, c = b0 & 0x07;
      if (b0 == 0xF0) lo = 0x90;  // overlong below U+10000
      if (b0 == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else if (b0 >= 0x80 && b0 <= 0xBF) {
      return Malformed(i, "unexpected continuation byte " + Hex(b0));
    } else if (b0 == 0xC0 || b0 == 0xC1) {
      return Malformed(i, "overlong encoding (lead byte " + Hex(b0) + ")");
    } else {
      return Malformed(i, "invalid lead byte " + Hex(b0) + " (code point past U+10FFFF)");
    }
    if (i + len > n) return Malformed(i, "truncated " + std::to_string(len) + "-byte sequence");
    const uint8_t b1 = s[i + 1];
    if (b1 < lo || b1 > hi) {
      if (b1 < 0x80 || b1 > 0xBF) return Malformed(i, "truncated sequence");
      if (b0 == 0xED) return Malformed(i, "encoded surrogate");
      if (b0 == 0xF4) return Malformed(i, "code point past U+10FFFF");
      return Malformed(i, "overlong encoding");
    }
    c = (c << 6) | (b1 & 0x3F);
    for (int k = 2; k < len; ++k) {
      const uint8_t b = s[i + k];
      if ((b & 0xC0) != 0x80) return Malformed(i, "truncated sequence");
      c = (c << 6) | (b & 0x3F);
    }
    out->push_back(c);
    i += len;
  }
  return Status::Ok();
}

}  // namespace hb
