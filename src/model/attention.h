// Dense multi-head self-attention over a packed batch: each sequence attends only to itself.
#ifndef HB_MODEL_ATTENTION_H_
#define HB_MODEL_ATTENTION_H_

#include <cstddef>
#include <vector>

#include "model/packed_batch.h"

namespace hb {

// qkv: [tokens x 3*hidden] (Q, K, V side by side, as the fused projection writes them).
// ctx: [tokens x hidden], head h in columns [h*d, (h+1)*d). scores: scratch, resized as needed.
void DenseSelfAttention(const PackedBatch& batch, int hidden, int heads, const float* qkv,
                        float* ctx, std::vector<float>& scores);

}  // namespace hb

#endif  // HB_MODEL_ATTENTION_H_
