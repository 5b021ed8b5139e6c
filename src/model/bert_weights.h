// The fp32 weights of a BERT or DistilBERT encoder and its heads, in one layout for both
// families, validated against the config.
#ifndef HB_MODEL_BERT_WEIGHTS_H_
#define HB_MODEL_BERT_WEIGHTS_H_

#include <optional>
#include <vector>

#include "format/bert_config.h"

namespace hb {

// A PyTorch Linear: y = x W^T + b, W is [out x in] row-major.
struct LinearWeights {
  int out = 0, in = 0;
  std::vector<float> w;  // [out * in]
  std::vector<float> b;  // [out]
};

struct LayerNormWeights {
  std::vector<float> gamma, beta;  // [hidden]
};

struct EncoderLayerWeights {
  LinearWeights qkv;  // Q, K and V fused: [3 * hidden x hidden], rows Q then K then V
  LinearWeights attention_output;
  LayerNormWeights attention_norm;  // BERT attention.output.LayerNorm / DistilBERT sa_layer_norm
  LinearWeights ffn_in;             // intermediate.dense / ffn.lin1
  LinearWeights ffn_out;            // output.dense / ffn.lin2
  LayerNormWeights ffn_norm;        // output.LayerNorm / output_layer_norm
};

struct BertWeights {
  BertConfig config;
  std::vector<float> word_embeddings;      // [vocab x hidden]
  std::vector<float> position_embeddings;  // [max_positions x hidden]
  std::vector<float> token_type_embeddings;  // [type_vocab x hidden]; empty for DistilBERT
  LayerNormWeights embedding_norm;
  std::vector<EncoderLayerWeights> layers;
  std::optional<LinearWeights> pooler;          // BERT: dense + tanh on the first token
  std::optional<LinearWeights> pre_classifier;  // DistilBERT sequence classifier: dense + ReLU
  std::optional<LinearWeights> classifier;      // [num_labels x hidden]
};

}  // namespace hb

#endif  // HB_MODEL_BERT_WEIGHTS_H_
