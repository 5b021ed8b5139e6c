// The encoder layer: four GEMMs with fused epilogues (bias, activation, residual), attention and
// two LayerNorms. Every buffer is [tokens x width] over the packed batch.
#include "model/encoder_layer.h"

#include <algorithm>

#include "model/attention.h"
#include "model/sparse_attention.h"

namespace hb {
namespace {

// LayerNorm in place over rows split across the pool (rows are independent; below 32 rows the
// hand-off costs more than it saves).
void LayerNormRows(ThreadPool* pool, size_t rows, size_t cols, float* x, const LayerNormWeights& w,
                   float eps) {
  const size_t threads = pool ? static_cast<size_t>(pool->num_threads()) : 1;
  const size_t tasks = std::min(threads, rows / 32);
  if (tasks <= 1) {
    LayerNorm(rows, cols, x, cols, x, cols, w.gamma.data(), w.beta.data(), eps);
    return;
  }
  const size_t per = (rows + tasks - 1) / tasks;
  pool->ParallelFor(tasks, [&](size_t t) {
    const size_t r0 = t * per, r1 = std::min(rows, r0 + per);
    if (r0 < r1) {
      LayerNorm(r1 - r0, cols, x + r0 * cols, cols, x + r0 * cols, cols, w.gamma.data(),
                w.beta.data(), eps);
    }
  });
}

}  // namespace

void EncoderWorkspace::Reserve(size_t tokens, const LayerShape& shape) {
  const size_t h = static_cast<size_t>(shape.hidden);
  const size_t a = static_cast<size_t>(shape.heads) * static_cast<size_t>(shape.head_size);
  qkv.resize(tokens * 3 * a);
  ctx.resize(tokens * a);
  attn_out.resize(tokens * h);
  ffn_hidden.resize(tokens * static_cast<size_t>(shape.intermediate));
}

void EncoderLayerForward(const PackedEncoderLayer& layer, const LayerShape& shape,
                         const PackedBatch& batch, float* x, EncoderWorkspace& ws, ThreadPool* pool,
                         const AttentionPattern* pattern) {
  const size_t t = batch.num_tokens();
  const size_t h = static_cast<size_t>(shape.hidden);
  const size_t inter = static_cast<size_t>(shape.intermediate);
  // The attention width: hidden for an unpruned layer, heads * head_size after pruning. The
  // attention kernels take it as their "hidden" (Q, K, V side by side, then the context).
  const int width = shape.heads * shape.head_size;
  const size_t a = static_cast<size_t>(width);
  ws.Reserve(t, shape);

  ApplyLinear(pool, layer.qkv, t, x, h, ws.qkv.data(), 3 * a, GemmEpilogue{});

  if (pattern == nullptr || pattern->dense()) {
    // int8 attention with int8 activations only: on top of 7-bit (u7) activations it cost the
    // demo model 0.35 more points of SST-2 dev accuracy (84.63% against 84.98%).
    DenseSelfAttention(batch, width, shape.heads, ws.qkv.data(), ws.ctx.data(), pool,
                       layer.qkv.int8() && !layer.qkv.u7);
  } else {
    SparseSelfAttention(batch, width, shape.heads, *pattern, ws.qkv.data(), ws.ctx.data(), pool);
  }

  GemmEpilogue ep;
  ep.residual = x;
  ep.ldr = h;
  ApplyLinear(pool, layer.attention_output, t, ws.ctx.data(), a, ws.attn_out.data(), h, ep);
  LayerNormRows(pool, t, h, ws.attn_out.data(), layer.attention_norm, shape.eps);

  ep = GemmEpilogue{};
  ep.activation = shape.activation;
  ApplyLinear(pool, layer.ffn_in, t, ws.attn_out.data(), h, ws.ffn_hidden.data(), inter, ep);

  ep = GemmEpilogue{};
  ep.residual = ws.attn_out.data();
  ep.ldr = h;
  ApplyLinear(pool, layer.ffn_out, t, ws.ffn_hidden.data(), inter, x, h, ep);
  LayerNormRows(pool, t, h, x, layer.ffn_norm, shape.eps);
}

}  // namespace hb
