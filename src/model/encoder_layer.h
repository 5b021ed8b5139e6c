// One post-LayerNorm transformer encoder layer (BERT and DistilBERT share it):
//   x = LN(x + Wo Attention(Wqkv x)),  x = LN(x + W2 act(W1 x)).
#ifndef HB_MODEL_ENCODER_LAYER_H_
#define HB_MODEL_ENCODER_LAYER_H_

#include <vector>

#include "base/thread_pool.h"
#include "kernels/kernels.h"
#include "model/attention_pattern.h"
#include "model/bert_weights.h"
#include "model/linear.h"
#include "model/packed_batch.h"

namespace hb {

struct PackedEncoderLayer {
  PackedLinear qkv, attention_output, ffn_in, ffn_out;
  LayerNormWeights attention_norm, ffn_norm;
};

struct LayerShape {
  int hidden = 0;
  int heads = 0;      // of this layer (pruned layers have fewer)
  int head_size = 0;  // hidden / the model's num_heads; Q, K, V and the context are heads x it
  int intermediate = 0;
  Activation activation = Activation::kGeluErf;
  float eps = 1e-12f;
};

// Scratch buffers reused across layers of one forward pass. After EncoderLayerForward, ctx holds
// the attention context [tokens x heads * head_size] and ffn_hidden the activated FFN hidden
// state [tokens x intermediate] of that layer (what pruning scores heads and neurons by).
struct EncoderWorkspace {
  std::vector<float> qkv, ctx, attn_out, ffn_hidden;
  void Reserve(size_t tokens, const LayerShape& shape);
};

// x: [tokens x hidden], updated in place. pool may be null (one thread). pattern: null or
// dense runs DenseSelfAttention, a sliding window SparseSelfAttention.
void EncoderLayerForward(const PackedEncoderLayer& layer, const LayerShape& shape,
                         const PackedBatch& batch, float* x, EncoderWorkspace& ws,
                         ThreadPool* pool, const AttentionPattern* pattern = nullptr);

}  // namespace hb

#endif  // HB_MODEL_ENCODER_LAYER_H_
