// Lookups over the generated range tables: binary searches with ASCII/Latin-1 fast paths.
#include "tokenizer/unicode.h"

#include <algorithm>

#include "tokenizer/unicode_tables.h"

namespace hb {
namespace {

namespace t = unicode_tables;

// Hangul syllable decomposition constants (Unicode ch. 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr int kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount;
constexpr int kSCount = kLCount * kNCount;

// Value of the run containing c in a (start << shift | value) run table covering all of Unicode.
inline uint32_t RunValue(const uint32_t* runs, size_t size, char32_t c, int shift) {
  const uint32_t key = (static_cast<uint32_t>(c) << shift) | ((1u << shift) - 1);
  const uint32_t* it = std::upper_bound(runs, runs + size, key);
  return it[-1] & ((1u << shift) - 1);  // runs[0] starts at U+0000, so it > runs
}

}  // namespace

const char* UnicodeVersion() { return t::kUnicodeVersion; }

GeneralCategory GetGeneralCategory(char32_t c) {
  if (c > 0x10FFFF) return GeneralCategory::kCn;
  return static_cast<GeneralCategory>(
      RunValue(t::kGeneralCategoryRuns, t::kGeneralCategoryRunsSize, c, 5));
}

int CanonicalCombiningClass(char32_t c) {
  if (c < 0x300 || c > 0x10FFFF) return 0;  // nothing below U+0300 combines
  return static_cast<int>(RunValue(t::kCombiningClassRuns, t::kCombiningClassRunsSize, c, 8));
}

int CanonicalDecomposition(char32_t c, char32_t out[kMaxDecomposition]) {
  if (c < 0xC0) {  // first decomposable code point is U+00C0
    out[0] = c;
    return 1;
  }
  if (c >= kSBase && c < kSBase + kSCount) {
    const int s = static_cast<int>(c - kSBase);
    out[0] = kLBase + s / kNCount;
    out[1] = kVBase + (s % kNCount) / kTCount;
    const int t_index = s % kTCount;
    if (t_index == 0) return 2;
    out[2] = kTBase + t_index;
    return 3;
  }
  const uint32_t* keys = t::kDecompositionKeys;
  const uint32_t* end = keys + t::kDecompositionKeysSize;
  const uint32_t* it = std::lower_bound(keys, end, static_cast<uint32_t>(c));
  if (it == end || *it != c) {
    out[0] = c;
    return 1;
  }
  const size_t i = static_cast<size_t>(it - keys);
  int n = 0;
  for (size_t u = t::kDecompositionOffsets[i]; u < t::kDecompositionOffsets[i + 1]; ++u) {
    char32_t unit = t::kDecompositionPool[u];
    if (unit >= 0xD800 && unit < 0xDC00) {  // the generator only writes valid pairs
      unit = 0x10000 + ((unit - 0xD800) << 10) + (t::kDecompositionPool[++u] - 0xDC00);
    }
    out[n++] = unit;
  }
  return n;
}

int ToLowercase(char32_t c, char32_t out[kMaxLowercase]) {
  if (c < 0x80) {
    out[0] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return 1;
  }
  for (size_t i = 0; i < t::kLowercaseMultiSize; i += 2 + t::kLowercaseMulti[i + 1]) {
    if (t::kLowercaseMulti[i] == c) {
      const int n = static_cast<int>(t::kLowercaseMulti[i + 1]);
      for (int k = 0; k < n; ++k) out[k] = t::kLowercaseMulti[i + 2 + k];
      return n;
    }
  }
  out[0] = c;
  // Last run starting at or before c. Starts occupy the low 21 bits; compare on them.
  const uint32_t* runs = t::kLowercaseRuns;
  const uint32_t* end = runs + t::kLowercaseRunsSize;
  const uint32_t* it =
      std::upper_bound(runs, end, static_cast<uint32_t>(c),
                       [](uint32_t value, uint32_t run) { return value < (run & 0x1FFFFF); });
  if (it == runs) return 1;
  const uint32_t run = it[-1];
  const uint32_t start = run & 0x1FFFFF;
  const uint32_t stride = (run >> 21 & 1) ? 2 : 1;
  const uint32_t count = run >> 22;
  const uint32_t d = static_cast<uint32_t>(c) - start;
  if (d % stride == 0 && d / stride < count) {
    out[0] = static_cast<char32_t>(static_cast<int32_t>(c) + t::kLowercaseDeltas[it - 1 - runs]);
  }
  return 1;
}

bool IsWhiteSpace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  for (size_t i = 0; i < t::kWhiteSpaceRangesSize; i += 2) {  // 11 ranges
    if (c < t::kWhiteSpaceRanges[i]) return false;
    if (c <= t::kWhiteSpaceRanges[i + 1]) return true;
  }
  return false;
}

}  // namespace hb
