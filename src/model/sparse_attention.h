// Sliding-window + global self-attention (Longformer semantics, model/attention_pattern.h) over
// a packed batch, without ever forming the n x n score matrix: memory O(n (w + g)), time
// O(n (w + g) d) per head, for a window w and g global tokens.
#ifndef HB_MODEL_SPARSE_ATTENTION_H_
#define HB_MODEL_SPARSE_ATTENTION_H_

#include "base/thread_pool.h"
#include "model/attention_pattern.h"
#include "model/packed_batch.h"

namespace hb {

// Same buffers and layout as DenseSelfAttention (model/attention.h): qkv [tokens x 3*hidden],
// ctx [tokens x hidden]. pattern must be a sliding window with window >= 2. (sequence, head)
// pairs are spread over the pool (may be null); results do not depend on the pool or on the
// other sequences in the batch.
void SparseSelfAttention(const PackedBatch& batch, int hidden, int heads,
                         const AttentionPattern& pattern, const float* qkv, float* ctx,
                         ThreadPool* pool);

// Query rows per band block. A block of B rows reads keys [r0 - w/2, r0 + B + w/2): the score
// tile is B x (B + w) (+ globals), so B trades tile waste (B / (B + w)) against GEMM efficiency.
constexpr size_t kSparseQueryBlock = 64;

}  // namespace hb

#endif  // HB_MODEL_SPARSE_ATTENTION_H_
