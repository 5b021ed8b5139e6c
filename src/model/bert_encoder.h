// A loaded BERT/DistilBERT network: embeddings, encoder layers and task heads, with weights
// packed for the GEMM kernels. Immutable after Create; Forward is thread-safe.
#ifndef HB_MODEL_BERT_ENCODER_H_
#define HB_MODEL_BERT_ENCODER_H_

#include <memory>
#include <optional>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "model/bert_weights.h"
#include "model/embeddings.h"
#include "model/encoder_layer.h"
#include "model/packed_batch.h"

namespace hb {

struct ForwardResult {
  std::vector<float> hidden;  // last hidden state [tokens x hidden]
  std::vector<float> pooled;  // [sequences x hidden] when the model has a pooler and it was asked
  // Sequence classifier: [sequences x labels]. Token classifier: [tokens x labels].
  std::vector<float> logits;
};

class BertEncoder {
 public:
  // Takes the weights (validated by LoadBertWeights) and packs them.
  static StatusOr<std::unique_ptr<BertEncoder>> Create(BertWeights weights);

  const BertConfig& config() const { return config_; }
  bool has_pooler() const { return pooler_.has_value(); }

  // Errors: kInvalidArgument for ids/types/positions outside the tables; kResourceExhausted when
  // buffers cannot be allocated.
  // pool may be null (one thread); results are identical for any pool size.
  StatusOr<ForwardResult> Forward(const PackedBatch& batch, bool want_pooler,
                                  ThreadPool* pool = nullptr) const;

 private:
  BertEncoder() = default;
  BertConfig config_;
  LayerShape shape_;
  EmbeddingWeights embeddings_;
  std::vector<PackedEncoderLayer> layers_;
  std::optional<PackedLinear> pooler_;          // BERT: tanh(W h_cls + b)
  std::optional<PackedLinear> pre_classifier_;  // DistilBERT: relu(W h_cls + b)
  std::optional<PackedLinear> classifier_;
};

}  // namespace hb

#endif  // HB_MODEL_BERT_ENCODER_H_
