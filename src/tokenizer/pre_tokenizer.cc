// Whitespace and punctuation splitting in one pass.
#include "tokenizer/pre_tokenizer.h"

#include "tokenizer/unicode.h"

namespace hb {

bool IsBertPunctuation(char32_t c) {
  if (c < 0x80) {
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
           (c >= 123 && c <= 126);
  }
  return IsPunctuationCategory(GetGeneralCategory(c));
}

void SplitWords(const std::u32string& text, std::vector<WordSpan>* words) {
  const size_t n = text.size();
  size_t start = 0;  // start of the current word
  for (size_t i = 0; i < n; ++i) {
    const char32_t c = text[i];
    if (IsWhiteSpace(c)) {
      if (i > start) words->push_back({start, i});
      start = i + 1;
    } else if (IsBertPunctuation(c)) {
      if (i > start) words->push_back({start, i});
      words->push_back({i, i + 1});
      start = i + 1;
    }
  }
  if (n > start) words->push_back({start, n});
}

}  // namespace hb
