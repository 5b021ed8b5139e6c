// BertNormalizer in two passes: (clean, CJK pad, NFD) then (canonical reorder, drop Mn,
// lower-case), each pass one linear sweep over reused buffers.
#include "tokenizer/normalizer.h"

#include <utility>

#include "tokenizer/unicode.h"

namespace hb {
namespace {

inline void Push(NormalizedText* t, char32_t c, uint32_t origin) {
  t->chars.push_back(c);
  t->origin.push_back(origin);
}

// Canonical ordering (UAX #15): stable sort of each run of non-starters by combining class.
// Runs are short (a few marks), so insertion sort; origins move with their characters.
void CanonicalReorder(NormalizedText* t) {
  const size_t n = t->chars.size();
  for (size_t i = 1; i < n; ++i) {
    const int cc = CanonicalCombiningClass(t->chars[i]);
    if (cc == 0) continue;
    size_t j = i;
    while (j > 0) {
      const int prev = CanonicalCombiningClass(t->chars[j - 1]);
      if (prev <= cc || prev == 0) break;
      std::swap(t->chars[j], t->chars[j - 1]);
      std::swap(t->origin[j], t->origin[j - 1]);
      --j;
    }
  }
}

}  // namespace

bool IsBertChineseChar(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool IsBertControl(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  if (c < 0x80) return c < 0x20 || c == 0x7F;
  const GeneralCategory g = GetGeneralCategory(c);
  return g == GeneralCategory::kCc || g == GeneralCategory::kCf || g == GeneralCategory::kCo;
}

bool IsBertWhitespace(char32_t c) { return IsWhiteSpace(c); }  // \t \n \r are White_Space

std::u32string ToNfd(const std::u32string& s) {
  NormalizedText t;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t d[kMaxDecomposition];
    const int n = CanonicalDecomposition(s[i], d);
    for (int k = 0; k < n; ++k) Push(&t, d[k], static_cast<uint32_t>(i));
  }
  CanonicalReorder(&t);
  return std::move(t.chars);
}

void BertNormalizer::Normalize(const char32_t* text, size_t begin, size_t end, NormalizedText* out,
                               NormalizedText* scratch) const {
  const NormalizerOptions& o = options_;
  // Pass 1: clean-up, CJK padding and (when stripping accents) NFD, into *scratch.
  NormalizedText* pass1 = scratch;
  pass1->clear();
  for (size_t i = begin; i < end; ++i) {
    char32_t c = text[i];
    const uint32_t origin = static_cast<uint32_t>(i);
    if (o.clean_text) {
      if (c == 0 || c == 0xFFFD || IsBertControl(c)) continue;
      if (IsBertWhitespace(c)) c = ' ';
    }
    const bool cjk = o.handle_chinese_chars && c >= 0x3400 && IsBertChineseChar(c);
    if (cjk) Push(pass1, ' ', origin);
    if (o.strip_accents && c >= 0xC0) {
      char32_t d[kMaxDecomposition];
      const int n = CanonicalDecomposition(c, d);
      for (int k = 0; k < n; ++k) Push(pass1, d[k], origin);
    } else {
      Push(pass1, c, origin);
    }
    if (cjk) Push(pass1, ' ', origin);
  }
  if (o.strip_accents) CanonicalReorder(pass1);

  // Pass 2: drop nonspacing marks, lower-case.
  out->chars.reserve(out->chars.size() + pass1->size());
  out->origin.reserve(out->origin.size() + pass1->size());
  for (size_t i = 0; i < pass1->size(); ++i) {
    const char32_t c = pass1->chars[i];
    const uint32_t origin = pass1->origin[i];
    if (c < 0x80) {
      Push(out, (o.lowercase && c >= 'A' && c <= 'Z') ? c + 32 : c, origin);
      continue;
    }
    if (o.strip_accents && GetGeneralCategory(c) == GeneralCategory::kMn) continue;
    if (o.lowercase) {
      char32_t l[kMaxLowercase];
      const int n = ToLowercase(c, l);
      for (int k = 0; k < n; ++k) Push(out, l[k], origin);
    } else {
      Push(out, c, origin);
    }
  }
}

}  // namespace hb
