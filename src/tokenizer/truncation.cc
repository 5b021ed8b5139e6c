// Port of tokenizers' TruncationStrategy::LongestFirst length rule (utils/truncation.rs).
#include "tokenizer/truncation.h"

#include <algorithm>
#include <utility>

namespace hb {

KeepLengths LongestFirst(size_t len_a, size_t len_b, size_t budget) {
  if (len_a + len_b <= budget) return {len_a, len_b};
  size_t n1 = len_a, n2 = len_b;  // n1: the shorter one
  const bool swap = n1 > n2;
  if (swap) std::swap(n1, n2);
  n2 = n1 > budget ? n1 : std::max(n1, budget - n1);
  if (n1 + n2 > budget) {  // both are cut: the longer one keeps the odd token
    n1 = budget / 2;
    n2 = n1 + budget % 2;
  }
  if (swap) std::swap(n1, n2);
  return {std::min(len_a, n1), std::min(len_b, n2)};
}

}  // namespace hb
