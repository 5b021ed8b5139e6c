// The fp32 weights of a BERT or DistilBERT encoder and its heads, in one layout for both
// families, validated against the config.
#ifndef HB_MODEL_BERT_WEIGHTS_H_
#define HB_MODEL_BERT_WEIGHTS_H_

#include <optional>
#include <vector>

#include "format/bert_config.h"
#include "model/attention_pattern.h"

namespace hb {

// A PyTorch Linear: y = x W^T + b, W is [out x in] row-major. Either fp32 (`w`) or int8
// symmetric per output channel (`w_q`, `w_scale`: W[j][p] ~= w_scale[j] * w_q[j * in + p]).
struct LinearWeights {
  int out = 0, in = 0;
  std::vector<float> w;        // [out * in]; empty when quantized
  std::vector<int8_t> w_q;     // [out * in]; empty for fp32
  std::vector<float> w_scale;  // [out] with w_q
  std::vector<float> b;        // [out]
  // Low-rank (`hummingbert factorize`): one entry A [rank x in], fp32 or int8, without bias;
  // then y = (x A^T) W^T + b and w / w_q hold [out x rank]. Empty: dense.
  std::vector<LinearWeights> down;
  bool quantized() const { return !w_q.empty(); }
  bool low_rank() const { return !down.empty(); }
  int inner() const { return low_rank() ? down[0].out : in; }  // columns of w / w_q
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

// A DeeBERT-style early-exit head on one encoder layer's output: pooler (dense + tanh on the
// first token) then classifier.
struct ExitHeadWeights {
  int layer = 0;  // 0-based encoder layer whose output the head reads
  LinearWeights pooler;
  LinearWeights classifier;
};

enum class ExitRuleKind : int { kNone = 0, kEntropy = 1, kMaxProb = 2, kPatience = 3 };
struct ExitRule {
  ExitRuleKind kind = ExitRuleKind::kNone;
  float threshold = 0;  // entropy: exit when < threshold (nats); max-prob: when >= threshold
  int patience = 0;     // patience: exit after this many consecutive equal predictions
};

struct BertWeights {
  BertConfig config;
  // Word embeddings are fp32, or int8 with one scale per row (row r ~= scale[r] * q[r]).
  std::vector<float> word_embeddings;  // [vocab x hidden] (x embedding_size when factorized)
  std::vector<int8_t> word_embeddings_q;
  std::vector<float> word_embeddings_scale;  // [vocab]
  std::vector<float> position_embeddings;  // [max_positions x hidden]
  std::vector<float> token_type_embeddings;  // [type_vocab x hidden]; empty for DistilBERT
  LayerNormWeights embedding_norm;
  // Factorized word embeddings (config.embedding_size > 0): the table above is
  // [vocab x embedding_size] and this maps a row to hidden ([hidden x embedding_size]).
  std::optional<LinearWeights> word_projection;
  // One per layer; a shared layer's entry (config.LayerSource(i) != i) is empty and unused.
  std::vector<EncoderLayerWeights> layers;
  std::optional<LinearWeights> pooler;          // BERT: dense + tanh on the first token
  std::optional<LinearWeights> pre_classifier;  // DistilBERT sequence classifier: dense + ReLU
  std::optional<LinearWeights> classifier;      // [num_labels x hidden]
  // Early exit (sequence classifiers only): heads sorted by layer, and the default rule.
  std::vector<ExitHeadWeights> exit_heads;
  ExitRule default_exit_rule;
  // The attention the model was trained with (model file metadata "attention"; dense if absent).
  AttentionPattern attention;
};

}  // namespace hb

#endif  // HB_MODEL_BERT_WEIGHTS_H_
