// Which attention a model runs: dense (every token sees every token of its sequence) or
// Longformer-style sliding window + global tokens, where memory and time grow linearly with the
// sequence length.
#ifndef HB_MODEL_ATTENTION_PATTERN_H_
#define HB_MODEL_ATTENTION_PATTERN_H_

#include <string>
#include <vector>

namespace hb {

enum class AttentionKind : int { kDense = 0, kSlidingWindow = 1 };

// Sliding window semantics (Longformer): token i attends to key j iff |i - j| <= window / 2, or
// j is global, or i is global. A global token's row is full attention over its sequence; every
// row's softmax runs over {band keys} U {global keys}, a global key inside the band counted once.
struct AttentionPattern {
  AttentionKind kind = AttentionKind::kDense;
  int window = 0;                     // sliding window: total width w (w / 2 on each side), >= 2
  bool global_first_token = true;     // [CLS] (position 0) is global
  std::vector<int> global_positions;  // more global positions within each sequence (any order;
                                      // those past a sequence's end are ignored)

  bool dense() const { return kind == AttentionKind::kDense; }
  int half_window() const { return window / 2; }
  // The sorted, deduplicated global positions that fall inside a sequence of `length` tokens.
  std::vector<int> GlobalsFor(int length) const;
  // "dense" or "sliding_window(256)+global(cls,5,9)": how a model file stores the pattern's
  // intent and what ModelInfo reports.
  std::string Describe() const;
};

}  // namespace hb

#endif  // HB_MODEL_ATTENTION_PATTERN_H_
