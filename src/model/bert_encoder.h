// A loaded BERT/DistilBERT network: embeddings, encoder layers, task heads and early-exit heads,
// with weights packed for the kernels (fp32 or int8 per layer). Immutable after Create; Forward
// is thread-safe.
#ifndef HB_MODEL_BERT_ENCODER_H_
#define HB_MODEL_BERT_ENCODER_H_

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "model/bert_weights.h"
#include "model/embeddings.h"
#include "model/encoder_layer.h"
#include "model/linear.h"
#include "model/packed_batch.h"

namespace hb {

struct ForwardOptions {
  bool want_pooler = false;
  // Early exit (sequence classifiers with exit heads): kNone runs full depth.
  ExitRule exit_rule;
  // Attention of every layer (model/attention_pattern.h); the caller resolves the model default.
  AttentionPattern attention;
};

struct ForwardResult {
  // Last hidden state [tokens x hidden] of the layer each sequence left at (rows in batch order).
  std::vector<float> hidden;
  std::vector<float> pooled;  // [sequences x hidden] when the model has a pooler and it was asked
  // Sequence classifier: [sequences x labels]. Token classifier: [tokens x labels].
  std::vector<float> logits;
  // Per sequence: the 1-based layer it left at, and the logits of every head evaluated on the
  // way (exit heads, then the final classifier), [evaluated x labels] flattened.
  std::vector<int> exit_layer;
  std::vector<std::vector<float>> layer_logits;
  std::vector<std::vector<int>> layer_numbers;  // 1-based layer of each evaluated head
};

class BertEncoder {
 public:
  // Takes the weights (validated by the loader) and packs them.
  // u7: int8 layers use 7-bit asymmetric activations (see PackLinear).
  static StatusOr<std::unique_ptr<BertEncoder>> Create(BertWeights weights, bool u7 = false);

  const BertConfig& config() const { return config_; }
  bool has_pooler() const { return pooler_.has_value(); }
  bool has_exit_heads() const { return !exit_heads_.empty(); }
  const ExitRule& default_exit_rule() const { return default_exit_rule_; }
  // The attention pattern stored with the model (dense for models trained densely).
  const AttentionPattern& default_attention() const { return default_attention_; }
  // Layers (0-based) that carry an exit head, in order.
  std::vector<int> exit_layers() const;
  bool is_int8() const { return !packed_layers_.empty() && packed_layers_[0].qkv.int8(); }

  // Errors: kInvalidArgument for ids/types/positions outside the tables or an exit rule on a
  // model without exit heads; kResourceExhausted when buffers cannot be allocated. pool may be
  // null; results are identical for any pool size and any batch composition.
  StatusOr<ForwardResult> Forward(const PackedBatch& batch, const ForwardOptions& options,
                                  ThreadPool* pool = nullptr) const;

  // The first token's hidden state after every layer: [num_layers][sequences x hidden]. What
  // exit heads read (used to fit them, e.g. by calibrate-exits).
  StatusOr<std::vector<std::vector<float>>> FirstTokenStates(const PackedBatch& batch,
                                                             ThreadPool* pool = nullptr) const;

  // Runs every layer over `batch` (dense attention, no heads, no early exit) and calls
  // observe(layer, shape, ws) after each: ws.ctx and ws.ffn_hidden hold that layer's attention
  // context and FFN activations (model/encoder_layer.h). What pruning ranks heads and neurons by.
  using LayerObserver =
      std::function<void(int layer, const LayerShape& shape, const EncoderWorkspace& ws)>;
  Status ObserveLayers(const PackedBatch& batch, const LayerObserver& observe,
                       ThreadPool* pool = nullptr) const;

 private:
  struct PackedExitHead {
    int layer = 0;
    PackedLinear pooler, classifier;
  };
  BertEncoder() = default;
  // Logits of a sequence classifier from the first-token rows of `hidden`.
  std::vector<float> ClassifyFirstTokens(const PackedBatch& batch, const float* hidden,
                                         const PackedLinear* exit_pooler,
                                         const PackedLinear* exit_classifier,
                                         std::vector<float>* pooled, ThreadPool* pool) const;

  // Layer l runs packed_layers_[layers_[l].packed] (shared layers point at the same entry).
  struct LayerRef {
    size_t packed = 0;
    LayerShape shape;
  };
  void RunLayer(size_t l, const PackedBatch& batch, float* x, EncoderWorkspace& ws,
                ThreadPool* pool, const AttentionPattern* pattern) const {
    EncoderLayerForward(packed_layers_[layers_[l].packed], layers_[l].shape, batch, x, ws, pool,
                        pattern);
  }

  BertConfig config_;
  EmbeddingWeights embeddings_;
  std::vector<PackedEncoderLayer> packed_layers_;
  std::vector<LayerRef> layers_;
  std::optional<PackedLinear> pooler_;          // BERT: tanh(W h_cls + b)
  std::optional<PackedLinear> pre_classifier_;  // DistilBERT: relu(W h_cls + b)
  std::optional<PackedLinear> classifier_;
  std::vector<PackedExitHead> exit_heads_;
  ExitRule default_exit_rule_;
  AttentionPattern default_attention_;
};

// Whether a sequence should leave after a head produced `logits`, given the predictions of the
// heads evaluated before it (for patience). Exposed for tests of the rules.
bool ShouldExit(const ExitRule& rule, const float* logits, size_t labels,
                const std::vector<int>& previous_predictions);

}  // namespace hb

#endif  // HB_MODEL_BERT_ENCODER_H_
