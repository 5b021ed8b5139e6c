// How many tokens of each sequence survive truncation to a token budget, exactly as the Rust
// `tokenizers` truncation that transformers.BertTokenizer (5.x) uses.
#ifndef HB_TOKENIZER_TRUNCATION_H_
#define HB_TOKENIZER_TRUNCATION_H_

#include <cstddef>

namespace hb {

struct KeepLengths {
  size_t a;
  size_t b;
};

// 'longest_first' for a pair of lengths len_a, len_b and a budget (max_length minus the special
// tokens), as tokenizers' truncate_encodings: if only the longer one must be cut, the shorter is
// kept whole (the longer gets max(shorter, budget - shorter)); if both must be cut, the shorter
// keeps budget/2 and the longer budget/2 + budget%2. E.g. 30/20, budget 9 -> 5/4; 6/22 -> 4/5.
// The legacy Python loop (drop one token at a time from the longer, from the second on ties)
// can differ by one token. For pairs the caller first cuts each text to its first max_length
// tokens plus the rest of the word the last one is in, as tokenizers 0.23 does (this also
// decides which side keeps the token of a one-token budget).
KeepLengths LongestFirst(size_t len_a, size_t len_b, size_t budget);

}  // namespace hb

#endif  // HB_TOKENIZER_TRUNCATION_H_
