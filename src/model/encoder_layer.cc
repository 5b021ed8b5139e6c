// The encoder layer: four GEMMs with fused epilogues (bias, activation, residual), attention and
// two LayerNorms. Every buffer is [tokens x width] over the packed batch.
#include "model/encoder_layer.h"

#include "model/attention.h"
#include "model/parallel_gemm.h"

namespace hb {

PackedLinear PackLinear(const LinearWeights& linear) {
  PackedLinear p;
  p.w = PackWeightsF32(linear.w.data(), static_cast<size_t>(linear.out),
                       static_cast<size_t>(linear.in));
  p.b = linear.b;
  return p;
}

void EncoderWorkspace::Reserve(size_t tokens, const LayerShape& shape) {
  const size_t h = static_cast<size_t>(shape.hidden);
  qkv.resize(tokens * 3 * h);
  ctx.resize(tokens * h);
  attn_out.resize(tokens * h);
  ffn_hidden.resize(tokens * static_cast<size_t>(shape.intermediate));
}

void EncoderLayerForward(const PackedEncoderLayer& layer, const LayerShape& shape,
                         const PackedBatch& batch, float* x, EncoderWorkspace& ws,
                         ThreadPool* pool) {
  const size_t t = batch.num_tokens();
  const size_t h = static_cast<size_t>(shape.hidden);
  const size_t inter = static_cast<size_t>(shape.intermediate);
  ws.Reserve(t, shape);

  GemmEpilogue ep;
  ep.bias = layer.qkv.b.data();
  ParallelGemmF32Packed(pool, t, x, h, layer.qkv.w, ws.qkv.data(), 3 * h, ep);

  DenseSelfAttention(batch, shape.hidden, shape.heads, ws.qkv.data(), ws.ctx.data(), pool);

  ep = GemmEpilogue{};
  ep.bias = layer.attention_output.b.data();
  ep.residual = x;
  ep.ldr = h;
  ParallelGemmF32Packed(pool, t, ws.ctx.data(), h, layer.attention_output.w, ws.attn_out.data(), h, ep);
  LayerNorm(t, h, ws.attn_out.data(), h, ws.attn_out.data(), h, layer.attention_norm.gamma.data(),
            layer.attention_norm.beta.data(), shape.eps);

  ep = GemmEpilogue{};
  ep.bias = layer.ffn_in.b.data();
  ep.activation = shape.activation;
  ParallelGemmF32Packed(pool, t, ws.attn_out.data(), h, layer.ffn_in.w, ws.ffn_hidden.data(), inter, ep);

  ep = GemmEpilogue{};
  ep.bias = layer.ffn_out.b.data();
  ep.residual = ws.attn_out.data();
  ep.ldr = h;
  ParallelGemmF32Packed(pool, t, ws.ffn_hidden.data(), inter, layer.ffn_out.w, x, h, ep);
  LayerNorm(t, h, x, h, x, h, layer.ffn_norm.gamma.data(), layer.ffn_norm.beta.data(), shape.eps);
}

}  // namespace hb
