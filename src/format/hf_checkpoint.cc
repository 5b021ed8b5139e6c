// HF BERT / DistilBERT tensor names -> BertWeights (see hf_checkpoint.h).
//
// Design goals: one table-free walk over the weights the config needs, each looked up with and
// without the model prefix ("bert." / "distilbert."), checked for dtype and exact shape, and
// converted to fp32; Q, K and V are fused here so the encoder runs one GEMM for all three.
// Non-goals: heads we do not run (MLM, NSP, QA), quantized checkpoints, sharded checkpoints
// (model.safetensors.index.json); extra tensors are ignored, as HF does with a warning.
#include "format/hf_checkpoint.h"

#include <new>
#include <string>
#include <utility>
#include <vector>

namespace hb {
namespace {

class Loader {
 public:
  Loader(const SafetensorsReader& reader, std::string prefix, const std::string& other_prefix)
      : reader_(reader), prefix_(std::move(prefix)) {
    // A checkpoint of the other family is a common mix-up (config.json from one model,
    // model.safetensors from another); say so instead of only naming the first missing tensor.
    for (const TensorView& t : reader.tensors()) {
      if (t.name.rfind(other_prefix, 0) == 0) {
        missing_hint_ = "; the checkpoint has '" + other_prefix +
                        "' tensors, so config.json may belong to a different model";
        break;
      }
    }
  }

  // The tensor `name` below the model prefix, or at the top level (HF stores heads such as
  // "classifier.weight" unprefixed, and base-model checkpoints drop the prefix). Null if absent.
  const TensorView* Find(const std::string& name) const {
    if (const TensorView* t = reader_.Find(prefix_ + name)) return t;
    return reader_.Find(name);
  }

  // Loads a required tensor of exactly `shape` as fp32. `hint` explains where the expected
  // shape comes from when that is not obvious (e.g. the number of labels).
  Status Load(const std::string& name, const std::vector<int64_t>& shape, std::vector<float>* out,
              const std::string& hint = "") const {
    const TensorView* t = Find(name);
    if (t == nullptr) {
      return InvalidModel("missing tensor '" + name + "' (looked for '" + prefix_ + name +
                          "' and '" + name + "')" + missing_hint_);
    }
    return Convert(*t, shape, out, hint);
  }

  // Linear layer `name`.{weight,bias}: weight [out x in], bias [out].
  Status LoadLinear(const std::string& name, int out, int in, LinearWeights* w,
                    const std::string& hint = "") const {
    w->out = out;
    w->in = in;
    HB_RETURN_IF_ERROR(Load(name + ".weight", {out, in}, &w->w, hint));
    return Load(name + ".bias", {out}, &w->b, hint);
  }

  bool HasLinear(const std::string& name) const { return Find(name + ".weight") != nullptr; }

  // LayerNorm `name`.{weight,bias}, or the legacy TF-converted {gamma,beta}.
  Status LoadNorm(const std::string& name, int hidden, LayerNormWeights* norm) const {
    for (const auto& [scale, shift] : {std::pair{".weight", ".bias"}, {".gamma", ".beta"}}) {
      const TensorView* gamma = Find(name + scale);
      if (gamma == nullptr) continue;
      HB_RETURN_IF_ERROR(Convert(*gamma, {hidden}, &norm->gamma, ""));
      return Load(name + shift, {hidden}, &norm->beta);
    }
    return InvalidModel("missing tensor '" + name + ".weight' (looked for '" + prefix_ + name +
                        ".weight' and '" + name + ".weight', and legacy '.gamma')" + missing_hint_);
  }

 private:
  static Status Convert(const TensorView& t, const std::vector<int64_t>& shape,
                        std::vector<float>* out, const std::string& hint) {
    if (t.dtype != DType::kF32 && t.dtype != DType::kF16 && t.dtype != DType::kBF16) {
      return Unsupported("tensor '" + t.name + "' has dtype " + DTypeName(t.dtype) +
                         "; weights must be F32, F16 or BF16");
    }
    if (t.shape != shape) {
      return InvalidModel("tensor '" + t.name + "' has shape " + ShapeString(t.shape) +
                          " but the config needs " + ShapeString(shape) + hint);
    }
    HB_ASSIGN_OR_RETURN(*out, TensorToF32(t));
    return Status::Ok();
  }

  const SafetensorsReader& reader_;
  std::string prefix_;
  std::string missing_hint_;
};

// Q, K and V [h x h] each -> qkv [3h x h], rows Q then K then V; biases likewise.
Status LoadFusedQkv(const Loader& loader, const std::string& q, const std::string& k,
                    const std::string& v, int hidden, LinearWeights* qkv) {
  qkv->out = 3 * hidden;
  qkv->in = hidden;
  qkv->w.clear();
  qkv->b.clear();
  qkv->w.reserve(static_cast<size_t>(3) * hidden * hidden);
  qkv->b.reserve(static_cast<size_t>(3) * hidden);
  for (const std::string* name : {&q, &k, &v}) {
    LinearWeights part;
    HB_RETURN_IF_ERROR(loader.LoadLinear(*name, hidden, hidden, &part));
    qkv->w.insert(qkv->w.end(), part.w.begin(), part.w.end());
    qkv->b.insert(qkv->b.end(), part.b.begin(), part.b.end());
  }
  return Status::Ok();
}

Status ValidateConfig(const BertConfig& c) {
  const bool bert = c.family == ModelFamily::kBert;
  if (c.vocab_size <= 0 || c.hidden_size <= 0 || c.num_layers <= 0 || c.num_heads <= 0 ||
      c.intermediate_size <= 0 || c.max_position_embeddings <= 0 ||
      (bert && c.type_vocab_size <= 0) || c.hidden_size > (1 << 20) ||
      c.intermediate_size > (1 << 20)) {
    return InvalidArgument("BertConfig has a non-positive or oversized dimension");
  }
  if (c.task != TaskKind::kEncoder && c.labels.empty()) {
    return InvalidArgument("BertConfig for " + c.architecture + " has no labels");
  }
  return Status::Ok();
}

StatusOr<BertWeights> LoadBert(const BertConfig& c, const Loader& l) {
  BertWeights w;
  w.config = c;
  const int h = c.hidden_size;
  // config.json's embedding_size means a factorized table only together with the projection
  // (an unfactorized checkpoint may still carry embedding_size == hidden_size).
  if (w.config.embedding_size > 0 && !l.HasLinear("embeddings.word_embeddings_projection")) {
    if (w.config.embedding_size != h) {
      return InvalidModel("config.json has embedding_size " +
                          std::to_string(w.config.embedding_size) + " != hidden_size " +
                          std::to_string(h) +
                          " but model.safetensors has no embeddings.word_embeddings_projection");
    }
    w.config.embedding_size = 0;
  }
  if (w.config.embedding_size > 0) {
    const int e = w.config.embedding_size;
    HB_RETURN_IF_ERROR(
        l.Load("embeddings.word_embeddings.weight", {c.vocab_size, e}, &w.word_embeddings));
    HB_RETURN_IF_ERROR(
        l.LoadLinear("embeddings.word_embeddings_projection", h, e, &w.word_projection.emplace()));
  } else {
    HB_RETURN_IF_ERROR(
        l.Load("embeddings.word_embeddings.weight", {c.vocab_size, h}, &w.word_embeddings));
  }
  HB_RETURN_IF_ERROR(l.Load("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
                            &w.position_embeddings));
  HB_RETURN_IF_ERROR(l.Load("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h},
                            &w.token_type_embeddings));
  HB_RETURN_IF_ERROR(l.LoadNorm("embeddings.LayerNorm", h, &w.embedding_norm));
  w.layers.resize(static_cast<size_t>(c.num_layers));
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    EncoderLayerWeights& layer = w.layers[static_cast<size_t>(i)];
    HB_RETURN_IF_ERROR(LoadFusedQkv(l, p + "attention.self.query", p + "attention.self.key",
                                    p + "attention.self.value", h, &layer.qkv));
    HB_RETURN_IF_ERROR(l.LoadLinear(p + "attention.output.dense", h, h, &layer.attention_output));
    HB_RETURN_IF_ERROR(l.LoadNorm(p + "attention.output.LayerNorm", h, &layer.attention_norm));
    HB_RETURN_IF_ERROR(
        l.LoadLinear(p + "intermediate.dense", c.intermediate_size, h, &layer.ffn_in));
    HB_RETURN_IF_ERROR(l.LoadLinear(p + "output.dense", h, c.intermediate_size, &layer.ffn_out));
    HB_RETURN_IF_ERROR(l.LoadNorm(p + "output.LayerNorm", h, &layer.ffn_norm));
  }
  // HF builds BertModel with a pooler (some exports drop it), BertForSequenceClassification
  // needs it, and BertForTokenClassification has none (any pooler tensors are ignored).
  const bool need_pooler = c.task == TaskKind::kSequenceClassification;
  if (need_pooler || (c.task == TaskKind::kEncoder && l.HasLinear("pooler.dense"))) {
    HB_RETURN_IF_ERROR(l.LoadLinear("pooler.dense", h, h, &w.pooler.emplace()));
  }
  if (c.task != TaskKind::kEncoder) {
    HB_RETURN_IF_ERROR(
        l.LoadLinear("classifier", c.num_labels(), h, &w.classifier.emplace(),
                     " (num_labels = " + std::to_string(c.num_labels()) + " from config.json)"));
  }
  return w;
}

StatusOr<BertWeights> LoadDistilBert(const BertConfig& c, const Loader& l) {
  BertWeights w;
  w.config = c;
  const int h = c.hidden_size;
  HB_RETURN_IF_ERROR(
      l.Load("embeddings.word_embeddings.weight", {c.vocab_size, h}, &w.word_embeddings));
  HB_RETURN_IF_ERROR(l.Load("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
                            &w.position_embeddings));
  HB_RETURN_IF_ERROR(l.LoadNorm("embeddings.LayerNorm", h, &w.embedding_norm));
  w.layers.resize(static_cast<size_t>(c.num_layers));
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "transformer.layer." + std::to_string(i) + ".";
    EncoderLayerWeights& layer = w.layers[static_cast<size_t>(i)];
    HB_RETURN_IF_ERROR(LoadFusedQkv(l, p + "attention.q_lin", p + "attention.k_lin",
                                    p + "attention.v_lin", h, &layer.qkv));
    HB_RETURN_IF_ERROR(l.LoadLinear(p + "attention.out_lin", h, h, &layer.attention_output));
    HB_RETURN_IF_ERROR(l.LoadNorm(p + "sa_layer_norm", h, &layer.attention_norm));
    HB_RETURN_IF_ERROR(l.LoadLinear(p + "ffn.lin1", c.intermediate_size, h, &layer.ffn_in));
    HB_RETURN_IF_ERROR(l.LoadLinear(p + "ffn.lin2", h, c.intermediate_size, &layer.ffn_out));
    HB_RETURN_IF_ERROR(l.LoadNorm(p + "output_layer_norm", h, &layer.ffn_norm));
  }
  if (c.task == TaskKind::kSequenceClassification) {
    HB_RETURN_IF_ERROR(l.LoadLinear("pre_classifier", h, h, &w.pre_classifier.emplace()));
  }
  if (c.task != TaskKind::kEncoder) {
    HB_RETURN_IF_ERROR(
        l.LoadLinear("classifier", c.num_labels(), h, &w.classifier.emplace(),
                     " (num_labels = " + std::to_string(c.num_labels()) + " from config.json)"));
  }
  return w;
}

}  // namespace

StatusOr<BertWeights> LoadBertWeights(const BertConfig& config, const SafetensorsReader& tensors) {
  try {
    HB_RETURN_IF_ERROR(ValidateConfig(config));
    if (config.family == ModelFamily::kBert) {
      return LoadBert(config, Loader(tensors, "bert.", "distilbert."));
    }
    return LoadDistilBert(config, Loader(tensors, "distilbert.", "bert."));
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory loading the model weights");
  } catch (const std::exception& e) {
    return Internal(std::string("unexpected exception loading the model weights: ") + e.what());
  }
}

}  // namespace hb
