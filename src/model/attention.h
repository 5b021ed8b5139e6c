// Dense multi-head self-attention over a packed batch: each sequence attends only to itself.
#ifndef HB_MODEL_ATTENTION_H_
#define HB_MODEL_ATTENTION_H_

#include <cstddef>
#include <vector>

#include "base/thread_pool.h"
#include "model/packed_batch.h"

namespace hb {

// qkv: [tokens x 3*hidden] (Q, K, V side by side, as the fused projection writes them).
// ctx: [tokens x hidden], head h in columns [h*d, (h+1)*d). (sequence, head) pairs are spread
// over the pool (may be null); each writes its own columns of ctx.
// int8: Q K^T and P V as int8 GEMMs (per-row Q and K, 7-bit P, per-column V), what int8
// models run; otherwise fp32 throughout.
void DenseSelfAttention(const PackedBatch& batch, int hidden, int heads, const float* qkv,
                        float* ctx, ThreadPool* pool, bool int8 = false);

}  // namespace hb

#endif  // HB_MODEL_ATTENTION_H_
