// The result of tokenizing one text or text pair.
#ifndef HB_TOKENIZER_ENCODING_H_
#define HB_TOKENIZER_ENCODING_H_

#include <cstdint>
#include <string>
#include <vector>

namespace hb {

// Unit of Encoding::offsets.
enum class OffsetUnit : int {
  kCodePoint = 0,  // Unicode code points, as Python str indices and HF `offset_mapping`
  kUtf16 = 1,      // UTF-16 code units, as JavaScript string indices
  kByte = 2,       // bytes of the UTF-8 input
};

struct Encoding {
  std::vector<int32_t> ids;       // token ids, special tokens included
  std::vector<int32_t> type_ids;  // 0 for the first text (and [CLS]), 1 for the second of a pair
  std::vector<std::string> tokens;
  // [begin, end) of each token in its own input text (the second text's for type 1 tokens);
  // {0, 0} for special tokens, as HF fast tokenizers report them.
  std::vector<std::pair<int32_t, int32_t>> offsets;
  bool truncated = false;  // tokens were dropped to fit max_length
  size_t size() const { return ids.size(); }
};

}  // namespace hb

#endif  // HB_TOKENIZER_ENCODING_H_
