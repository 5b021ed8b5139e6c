// config.json of a Hugging Face BERT or DistilBERT checkpoint, normalized to one structure.
#ifndef HB_FORMAT_BERT_CONFIG_H_
#define HB_FORMAT_BERT_CONFIG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "kernels/kernels.h"

namespace hb {

enum class ModelFamily : int { kBert = 0, kDistilBert = 1 };
enum class TaskKind : int { kEncoder = 0, kSequenceClassification = 1, kTokenClassification = 2 };

// How a sequence classifier's logits become scores (Output::probs), as HF's text-classification
// pipeline decides it from problem_type and the label count: regression -> the logits as they
// are; multi-label or a single label -> a sigmoid per label; otherwise a softmax.
enum class ScoreFunction : int { kSoftmax = 0, kSigmoid = 1, kNone = 2 };

// The four Linear layers of an encoder layer, in file order (LayerConfig::ranks).
enum class LayerLinear : int { kQkv = 0, kAttentionOutput = 1, kFfnIn = 2, kFfnOut = 3 };
constexpr int kNumLayerLinears = 4;
// "qkv", "attention_output", "ffn_in", "ffn_out" (the model file's tensor names).
const char* LayerLinearName(LayerLinear linear);

// One encoder layer of a compressed model (`hummingbert prune` / `factorize`, shared layers;
// model file format_version 2). The defaults describe an uncompressed layer.
struct LayerConfig {
  // Attention heads kept (1..BertConfig::num_heads); 0: num_heads. The head size stays
  // hidden_size / BertConfig::num_heads, so Q, K, V have heads * head_size rows each and the
  // attention output projection takes heads * head_size inputs.
  int num_heads = 0;
  int intermediate_size = 0;  // FFN width; 0: BertConfig::intermediate_size
  // >= 0: this layer runs the weights of that earlier layer (ALBERT-style cross-layer sharing,
  // stored once); its own shape fields are unused. -1: its own weights.
  int shared_with = -1;
  // Low-rank factorization per Linear (LayerLinear order): r > 0 stores W [out x in] as two
  // Linears in -> r -> out; 0: dense.
  int ranks[kNumLayerLinears] = {0, 0, 0, 0};
};

struct BertConfig {
  ModelFamily family = ModelFamily::kBert;
  TaskKind task = TaskKind::kEncoder;
  std::string architecture;  // as written in config.json, e.g. "BertForSequenceClassification"
  int vocab_size = 0;
  int hidden_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  int intermediate_size = 0;
  int max_position_embeddings = 0;
  int type_vocab_size = 0;  // 0 for DistilBERT (no token type embeddings)
  int pad_token_id = 0;
  Activation hidden_act = Activation::kGeluErf;
  float layer_norm_eps = 1e-12f;
  std::vector<std::string> labels;  // id2label by id; "LABEL_i" when absent; empty for encoders
  // config.json's problem_type: "", "regression", "single_label_classification" or
  // "multi_label_classification" ("" = not given).
  std::string problem_type;
  // Compression (all optional; a Hugging Face checkpoint has none). Empty or one per layer.
  std::vector<LayerConfig> layers;
  // > 0: factorized word embeddings (ALBERT style): a [vocab x embedding_size] table and a
  // projection to hidden_size. 0: a [vocab x hidden_size] table.
  int embedding_size = 0;

  int num_labels() const { return static_cast<int>(labels.size()); }
  ScoreFunction score_function() const;
  int head_size() const { return num_heads > 0 ? hidden_size / num_heads : 0; }
  // The layer whose weights layer i runs (i itself unless shared).
  int LayerSource(int i) const;
  // Shapes of layer i (of its source when shared).
  int LayerHeads(int i) const;
  int LayerIntermediate(int i) const;
  int LayerRank(int i, LayerLinear linear) const;
  // Whether any compression field is set (the model file then needs format_version 2).
  bool compressed() const;
};

// Checks `layers` and `embedding_size` against the sizes: one entry per layer, heads in
// [1, num_heads], positive sizes and ranks up to `max_dim`, shared_with naming an earlier layer
// that is not shared itself. Errors: kInvalidArgument naming the layer and field.
Status ValidateLayerConfigs(const BertConfig& config, int64_t max_dim);

// "encoder", "sequence-classification" or "token-classification" (ModelInfo::task and the
// model file's config metadata).
const char* TaskKindName(TaskKind task);
// "softmax", "sigmoid" or "none" (ModelInfo::score_function).
const char* ScoreFunctionName(ScoreFunction f);
// Whether `problem_type` is one HF defines ("" included).
bool IsKnownProblemType(const std::string& problem_type);

// Parses config.json. Errors: kInvalidModel (not JSON, missing or non-positive sizes, hidden not
// divisible by heads), kUnsupported (architecture, activation or position_embedding_type).
StatusOr<BertConfig> ParseBertConfig(std::string_view config_json);

}  // namespace hb

#endif  // HB_FORMAT_BERT_CONFIG_H_
