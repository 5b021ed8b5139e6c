// Forward pass of the whole network over a packed batch, and the task heads on its output.
#include "model/bert_encoder.h"

#include <cstring>
#include <new>
#include <string>

#include "kernels/kernels.h"

namespace hb {
namespace {

// Gathers the first token of each sequence into [sequences x hidden].
std::vector<float> FirstTokens(const PackedBatch& batch, const float* hidden, size_t h) {
  std::vector<float> out(batch.num_sequences() * h);
  for (size_t s = 0; s < batch.num_sequences(); ++s) {
    std::memcpy(out.data() + s * h, hidden + batch.starts[s] * h, h * sizeof(float));
  }
  return out;
}

std::vector<float> ApplyLinear(const PackedLinear& linear, const float* x, size_t rows,
                               Activation act) {
  std::vector<float> y(rows * static_cast<size_t>(linear.out()));
  GemmEpilogue ep;
  ep.bias = linear.b.data();
  ep.activation = act;
  GemmF32Packed(rows, x, static_cast<size_t>(linear.in()), linear.w, y.data(),
                static_cast<size_t>(linear.out()), ep);
  return y;
}

}  // namespace

StatusOr<std::unique_ptr<BertEncoder>> BertEncoder::Create(BertWeights weights) {
  try {
    std::unique_ptr<BertEncoder> enc(new BertEncoder());
    const BertConfig& c = weights.config;
    enc->config_ = c;
    enc->shape_ = LayerShape{c.hidden_size, c.num_heads, c.intermediate_size, c.hidden_act,
                             c.layer_norm_eps};
    EmbeddingWeights& e = enc->embeddings_;
    e.hidden = c.hidden_size;
    e.vocab = c.vocab_size;
    e.max_positions = c.max_position_embeddings;
    e.type_vocab = c.type_vocab_size;
    e.eps = c.layer_norm_eps;
    e.word = std::move(weights.word_embeddings);
    e.position = std::move(weights.position_embeddings);
    e.token_type = std::move(weights.token_type_embeddings);
    e.norm = std::move(weights.embedding_norm);
    for (EncoderLayerWeights& lw : weights.layers) {
      PackedEncoderLayer pl;
      pl.qkv = PackLinear(lw.qkv);
      pl.attention_output = PackLinear(lw.attention_output);
      pl.ffn_in = PackLinear(lw.ffn_in);
      pl.ffn_out = PackLinear(lw.ffn_out);
      pl.attention_norm = std::move(lw.attention_norm);
      pl.ffn_norm = std::move(lw.ffn_norm);
      enc->layers_.push_back(std::move(pl));
      lw = EncoderLayerWeights{};  // free the unpacked copy as we go: peak stays ~1x
    }
    if (weights.pooler) enc->pooler_ = PackLinear(*weights.pooler);
    if (weights.pre_classifier) enc->pre_classifier_ = PackLinear(*weights.pre_classifier);
    if (weights.classifier) enc->classifier_ = PackLinear(*weights.classifier);
    if (c.task != TaskKind::kEncoder && !enc->classifier_) {
      return InvalidModel("the checkpoint has no classifier weights for " + c.architecture);
    }
    if (c.task == TaskKind::kSequenceClassification && c.family == ModelFamily::kBert &&
        !enc->pooler_) {
      return InvalidModel("BertForSequenceClassification needs pooler weights (bert.pooler.dense)");
    }
    if (c.task == TaskKind::kSequenceClassification && c.family == ModelFamily::kDistilBert &&
        !enc->pre_classifier_) {
      return InvalidModel("DistilBertForSequenceClassification needs pre_classifier weights");
    }
    return enc;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while packing the model weights");
  }
}

StatusOr<ForwardResult> BertEncoder::Forward(const PackedBatch& batch, bool want_pooler,
                                             ThreadPool* pool) const {
  try {
    ForwardResult r;
    const size_t h = static_cast<size_t>(config_.hidden_size);
    const size_t tokens = batch.num_tokens();
    r.hidden.resize(tokens * h);
    HB_RETURN_IF_ERROR(EmbedTokens(embeddings_, batch, r.hidden.data()));
    EncoderWorkspace ws;
    for (const PackedEncoderLayer& layer : layers_) {
      EncoderLayerForward(layer, shape_, batch, r.hidden.data(), ws, pool);
    }
    const size_t seqs = batch.num_sequences();
    const bool need_pooler = pooler_ && (want_pooler || config_.task ==
                                                            TaskKind::kSequenceClassification);
    if (need_pooler) {
      std::vector<float> first = FirstTokens(batch, r.hidden.data(), h);
      r.pooled = ApplyLinear(*pooler_, first.data(), seqs, Activation::kTanh);
    }
    switch (config_.task) {
      case TaskKind::kEncoder:
        break;
      case TaskKind::kSequenceClassification:
        if (pre_classifier_) {  // DistilBERT
          std::vector<float> first = FirstTokens(batch, r.hidden.data(), h);
          std::vector<float> pre = ApplyLinear(*pre_classifier_, first.data(), seqs,
                                               Activation::kRelu);
          r.logits = ApplyLinear(*classifier_, pre.data(), seqs, Activation::kNone);
        } else {
          r.logits = ApplyLinear(*classifier_, r.pooled.data(), seqs, Activation::kNone);
        }
        break;
      case TaskKind::kTokenClassification:
        r.logits = ApplyLinear(*classifier_, r.hidden.data(), tokens, Activation::kNone);
        break;
    }
    return r;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory running a batch of " +
                             std::to_string(batch.num_tokens()) + " tokens");
  }
}

}  // namespace hb
