// config.json of a Hugging Face BERT or DistilBERT checkpoint, normalized to one structure.
#ifndef HB_FORMAT_BERT_CONFIG_H_
#define HB_FORMAT_BERT_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "kernels/kernels.h"

namespace hb {

enum class ModelFamily : int { kBert = 0, kDistilBert = 1 };
enum class TaskKind : int { kEncoder = 0, kSequenceClassification = 1, kTokenClassification = 2 };

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
  int num_labels() const { return static_cast<int>(labels.size()); }
};

// "encoder", "sequence-classification" or "token-classification" (ModelInfo::task and the
// model file's config metadata).
const char* TaskKindName(TaskKind task);

// Parses config.json. Errors: kInvalidModel (not JSON, missing or non-positive sizes, hidden not
// divisible by heads), kUnsupported (architecture, activation or position_embedding_type).
StatusOr<BertConfig> ParseBertConfig(std::string_view config_json);

}  // namespace hb

#endif  // HB_FORMAT_BERT_CONFIG_H_
