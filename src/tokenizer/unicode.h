// Unicode character properties for the tokenizer (general category, canonical combining class,
// canonical decomposition, full lower-case mapping, White_Space), answered from tables generated
// at build time from Debian's unicode-data (unicode_tables.h), never from the platform.
#ifndef HB_TOKENIZER_UNICODE_H_
#define HB_TOKENIZER_UNICODE_H_

#include <cstdint>

namespace hb {

// Order is the generator's (cmake/gen_unicode_tables.mjs kCategories).
// clang-format off
enum class GeneralCategory : uint8_t {
  kCn, kLu, kLl, kLt, kLm, kLo, kMn, kMc, kMe, kNd, kNl, kNo, kPc, kPd, kPs, kPe, kPi, kPf, kPo,
  kSm, kSc, kSk, kSo, kZs, kZl, kZp, kCc, kCf, kCs, kCo,
};
// clang-format on

// Unicode version of the generated tables, e.g. "15.0.0".
const char* UnicodeVersion();

// As of Unicode 8.0, like the tokenizer we match: code points assigned later are kCn.
GeneralCategory GetGeneralCategory(char32_t c);
inline bool IsPunctuationCategory(GeneralCategory g) {
  return g >= GeneralCategory::kPc && g <= GeneralCategory::kPo;
}

int CanonicalCombiningClass(char32_t c);

// Longest full canonical decomposition of one code point (U+1F82 and friends).
constexpr int kMaxDecomposition = 4;
// Writes the full canonical decomposition (NFD of c alone, before reordering) to out and
// returns its length; 1 with out[0] = c when c does not decompose. Hangul is algorithmic.
int CanonicalDecomposition(char32_t c, char32_t out[kMaxDecomposition]);

// Full lower-case mapping without context, as Rust's char::to_lowercase (SpecialCasing's
// unconditional entries: U+0130 -> U+0069 U+0307; final sigma is not applied).
constexpr int kMaxLowercase = 3;
int ToLowercase(char32_t c, char32_t out[kMaxLowercase]);

// White_Space property (PropList.txt), as Rust's char::is_whitespace.
bool IsWhiteSpace(char32_t c);

}  // namespace hb

#endif  // HB_TOKENIZER_UNICODE_H_
