// BERT pre-tokenization: split normalized text on whitespace (dropped) and around every
// punctuation character (kept as a one-character word), as the Rust BertPreTokenizer.
#ifndef HB_TOKENIZER_PRE_TOKENIZER_H_
#define HB_TOKENIZER_PRE_TOKENIZER_H_

#include <cstddef>
#include <string>
#include <vector>

namespace hb {

// ASCII 33-47, 58-64, 91-96, 123-126 (so $ + < = > ^ ` | ~ count, as in BERT), or category P*.
bool IsBertPunctuation(char32_t c);

// A word: normalized code points [begin, end).
struct WordSpan {
  size_t begin;
  size_t end;
};

// Appends the words of text (whitespace = White_Space property, as Rust's char::is_whitespace).
void SplitWords(const std::u32string& text, std::vector<WordSpan>* words);

}  // namespace hb

#endif  // HB_TOKENIZER_PRE_TOKENIZER_H_
