// Dense attention per (sequence, head): S = Q K^T / sqrt(d), softmax, ctx = S V. Q, K and V are
// read in place from the fused QKV buffer through leading dimensions; nothing is transposed.
#include "model/attention.h"

#include <cmath>

#include "kernels/kernels.h"

namespace hb {

void DenseSelfAttention(const PackedBatch& batch, int hidden, int heads, const float* qkv,
                        float* ctx, ThreadPool* pool) {
  const size_t h = static_cast<size_t>(hidden);
  const size_t nh = static_cast<size_t>(heads);
  const size_t d = h / nh;
  const size_t ld_qkv = 3 * h;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  auto one_head = [&](size_t task) {
    const size_t s = task / nh, head = task % nh;
    const size_t start = batch.starts[s];
    const size_t len = batch.length(s);
    if (len == 0) return;
    static thread_local std::vector<float> scores;
    if (scores.size() < len * len) scores.resize(len * len);
    const float* q = qkv + start * ld_qkv + head * d;
    const float* k = q + h;
    const float* v = q + 2 * h;
    GemmEpilogue scaled;
    scaled.alpha = scale;
    GemmF32TransB(len, len, d, q, ld_qkv, k, ld_qkv, scores.data(), len, scaled);
    SoftmaxRows(len, len, scores.data(), len);
    GemmF32(len, d, len, scores.data(), len, v, ld_qkv, ctx + start * h + head * d, h,
            GemmEpilogue{});
  };
  const size_t tasks = batch.num_sequences() * nh;
  if (pool) {
    pool->ParallelFor(tasks, one_head);
  } else {
    for (size_t t = 0; t < tasks; ++t) one_head(t);
  }
}

}  // namespace hb
