// Raw Unicode tables, defined in <build>/generated/unicode_tables_data.cc, which
// cmake/gen_unicode_tables.mjs writes from Debian's unicode-data. Read them through unicode.h.
#ifndef HB_TOKENIZER_UNICODE_TABLES_H_
#define HB_TOKENIZER_UNICODE_TABLES_H_

#include <cstddef>
#include <cstdint>

namespace hb {
namespace unicode_tables {

extern const char kUnicodeVersion[];  // "15.0.0"

// Runs covering U+0000..U+10FFFF, sorted: (first_code_point << 5) | GeneralCategory.
extern const uint32_t kGeneralCategoryRuns[];
extern const size_t kGeneralCategoryRunsSize;
// Runs covering U+0000..U+10FFFF, sorted: (first_code_point << 8) | canonical combining class.
extern const uint32_t kCombiningClassRuns[];
extern const size_t kCombiningClassRunsSize;
// Code points with a canonical decomposition (Hangul syllables excluded: algorithmic), sorted.
// Key i decomposes fully (recursively) to the UTF-16 units
// kDecompositionPool[kDecompositionOffsets[i] .. kDecompositionOffsets[i + 1]).
extern const uint32_t kDecompositionKeys[];
extern const size_t kDecompositionKeysSize;
extern const uint16_t kDecompositionOffsets[];
extern const size_t kDecompositionOffsetsSize;
extern const char16_t kDecompositionPool[];
extern const size_t kDecompositionPoolSize;
// Single-code-point lower-case mappings as runs sorted by start, spans disjoint:
// run = start (bits 0-20) | stride-is-2 (bit 21) | count (bits 22-31); every
// start + k * stride (k < count) maps to itself + kLowercaseDeltas[run].
extern const uint32_t kLowercaseRuns[];
extern const size_t kLowercaseRunsSize;
extern const int32_t kLowercaseDeltas[];
extern const size_t kLowercaseDeltasSize;
// Multi-code-point (unconditional SpecialCasing) lower-case mappings: cp, n, n code points, ...
extern const uint32_t kLowercaseMulti[];
extern const size_t kLowercaseMultiSize;
// White_Space (PropList.txt) as sorted inclusive pairs first, last, first, last, ...
extern const uint32_t kWhiteSpaceRanges[];
extern const size_t kWhiteSpaceRangesSize;

}  // namespace unicode_tables
}  // namespace hb

#endif  // HB_TOKENIZER_UNICODE_TABLES_H_
