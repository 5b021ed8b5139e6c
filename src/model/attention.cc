// Dense attention per (sequence, head): S = Q K^T / sqrt(d), softmax, ctx = S V. Q, K and V are
// read in place from the fused QKV buffer through leading dimensions; nothing is transposed.
#include "model/attention.h"

#include <cmath>

#include "kernels/kernels.h"

namespace hb {

void DenseSelfAttention(const PackedBatch& batch, int hidden, int heads, const float* qkv,
                        float* ctx, std::vector<float>& scores) {
  const size_t h = static_cast<size_t>(hidden);
  const size_t d = h / static_cast<size_t>(heads);
  const size_t ld_qkv = 3 * h;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  for (size_t s = 0; s < batch.num_sequences(); ++s) {
    const size_t start = batch.starts[s];
    const size_t len = batch.length(s);
    if (len == 0) continue;
    if (scores.size() < len * len) scores.resize(len * len);
    for (size_t head = 0; head < static_cast<size_t>(heads); ++head) {
      const float* q = qkv + start * ld_qkv + head * d;
      const float* k = q + h;
      const float* v = q + 2 * h;
      GemmEpilogue scaled;
      scaled.alpha = scale;
      GemmF32TransB(len, len, d, q, ld_qkv, k, ld_qkv, scores.data(), len, scaled);
      SoftmaxRows(len, len, scores.data(), len);
      GemmF32(len, d, len, scores.data(), len, v, ld_qkv, ctx + start * h + head * d, h,
              GemmEpilogue{});
    }
  }
}

}  // namespace hb
