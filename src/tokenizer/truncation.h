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
// tokens). If only the longer one must be cut, the shorter is kept whole. If both must be cut,
// the longer keeps budget/2 and the shorter budget - budget/2 (the first when they tie), as the
// goldens show (lengths 7/15, budget 1 -> 1/0; 30/20, budget 9 -> 4/5). The legacy Python loop
// (drop one token at a time from the longer, from the second on ties) can differ by one.
KeepLengths LongestFirst(size_t len_a, size_t len_b, size_t budget);

}  // namespace hb

#endif  // HB_TOKENIZER_TRUNCATION_H_
