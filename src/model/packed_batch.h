// A batch of token sequences packed end to end, without padding: dense layers run over all
// tokens at once, attention runs within each sequence (the "varlen" layout). No work is spent on
// pad tokens, and a text's results do not depend on what else is in the batch.
#ifndef HB_MODEL_PACKED_BATCH_H_
#define HB_MODEL_PACKED_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tokenizer/encoding.h"

namespace hb {

struct PackedBatch {
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;
  std::vector<int32_t> positions;    // position id of each token within its sequence
  std::vector<size_t> starts = {0};  // sequence s holds tokens [starts[s], starts[s + 1])

  size_t num_tokens() const { return ids.size(); }
  size_t num_sequences() const { return starts.size() - 1; }
  size_t length(size_t s) const { return starts[s + 1] - starts[s]; }

  void Add(const Encoding& encoding) {
    for (size_t i = 0; i < encoding.ids.size(); ++i) {
      ids.push_back(encoding.ids[i]);
      type_ids.push_back(encoding.type_ids.empty() ? 0 : encoding.type_ids[i]);
      positions.push_back(static_cast<int32_t>(i));
    }
    starts.push_back(ids.size());
  }
};

}  // namespace hb

#endif  // HB_MODEL_PACKED_BATCH_H_
