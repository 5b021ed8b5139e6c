// Forward pass of the whole network over a packed batch, the task heads, and early exit: after
// a layer with an exit head, sequences whose head is confident leave, and the batch is
// compacted so the remaining layers only run on the sequences still in it.
#include "model/bert_encoder.h"

#include <algorithm>
#include <cmath>
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

std::vector<float> Linear(ThreadPool* pool, const PackedLinear& linear, const float* x, size_t rows,
                          Activation act) {
  std::vector<float> y(rows * static_cast<size_t>(linear.out()));
  GemmEpilogue ep;
  ep.activation = act;
  ApplyLinear(pool, linear, rows, x, static_cast<size_t>(linear.in()), y.data(),
              static_cast<size_t>(linear.out()), ep);
  return y;
}

// Every sequence needs at least one token (its first token feeds the heads) and the layout must
// be consistent; the public API guarantees this, callers of the internal API may not (fuzzing).
Status ValidateBatch(const PackedBatch& batch) {
  if (batch.starts.empty() || batch.starts.front() != 0 ||
      batch.starts.back() != batch.ids.size() || batch.type_ids.size() != batch.ids.size() ||
      batch.positions.size() != batch.ids.size()) {
    return InvalidArgument("inconsistent packed batch");
  }
  for (size_t s = 0; s < batch.num_sequences(); ++s) {
    if (batch.starts[s + 1] <= batch.starts[s]) {
      return InvalidArgument("sequence " + std::to_string(s) + " of the batch has no tokens");
    }
  }
  return Status::Ok();
}

size_t ArgMax(const float* v, size_t n) {
  return static_cast<size_t>(std::max_element(v, v + n) - v);
}

}  // namespace

bool ShouldExit(const ExitRule& rule, const float* logits, size_t labels,
                const std::vector<int>& previous_predictions) {
  if (labels == 0) return false;
  // A one-logit head (HF scores it with a sigmoid) decides as the two-class softmax over (0, x).
  if (labels == 1) {
    const float two[2] = {0.0f, logits[0]};
    return ShouldExit(rule, two, 2, previous_predictions);
  }
  double mx = logits[0];
  for (size_t i = 1; i < labels; ++i) mx = std::max(mx, static_cast<double>(logits[i]));
  double sum = 0;
  for (size_t i = 0; i < labels; ++i) sum += std::exp(logits[i] - mx);
  switch (rule.kind) {
    case ExitRuleKind::kNone:
      return false;
    case ExitRuleKind::kEntropy: {
      double entropy = 0;
      for (size_t i = 0; i < labels; ++i) {
        const double p = std::exp(logits[i] - mx) / sum;
        if (p > 0) entropy -= p * std::log(p);
      }
      return entropy < rule.threshold;
    }
    case ExitRuleKind::kMaxProb:
      return 1.0 / sum >= rule.threshold;  // the max logit's probability is exp(0) / sum
    case ExitRuleKind::kPatience: {
      const int current = static_cast<int>(ArgMax(logits, labels));
      int run = 1;
      for (auto it = previous_predictions.rbegin();
           it != previous_predictions.rend() && *it == current; ++it) {
        ++run;
      }
      return run >= rule.patience;
    }
  }
  return false;
}

StatusOr<std::unique_ptr<BertEncoder>> BertEncoder::Create(BertWeights weights, bool u7) {
  try {
    std::unique_ptr<BertEncoder> enc(new BertEncoder());
    const BertConfig& c = weights.config;
    enc->config_ = c;
    EmbeddingWeights& e = enc->embeddings_;
    e.hidden = c.hidden_size;
    e.vocab = c.vocab_size;
    e.max_positions = c.max_position_embeddings;
    e.type_vocab = c.type_vocab_size;
    e.eps = c.layer_norm_eps;
    e.word = std::move(weights.word_embeddings);
    e.word_q = std::move(weights.word_embeddings_q);
    e.word_scale = std::move(weights.word_embeddings_scale);
    e.position = std::move(weights.position_embeddings);
    e.token_type = std::move(weights.token_type_embeddings);
    e.norm = std::move(weights.embedding_norm);
    if (weights.word_projection) e.word_projection = PackLinear(*weights.word_projection, u7);
    if (weights.layers.size() != static_cast<size_t>(c.num_layers)) {
      return InvalidModel("the weights have " + std::to_string(weights.layers.size()) +
                          " layers but the config has " + std::to_string(c.num_layers));
    }
    std::vector<size_t> packed_index(weights.layers.size());
    for (size_t l = 0; l < weights.layers.size(); ++l) {
      const int i = static_cast<int>(l);
      LayerRef ref;
      ref.shape = LayerShape{c.hidden_size,          c.LayerHeads(i), c.head_size(),
                             c.LayerIntermediate(i), c.hidden_act,    c.layer_norm_eps};
      const size_t source = static_cast<size_t>(c.LayerSource(i));
      if (source != l) {  // shared: run the source layer's packed weights
        ref.packed = packed_index[source];
        enc->layers_.push_back(ref);
        continue;
      }
      EncoderLayerWeights& lw = weights.layers[l];
      PackedEncoderLayer pl;
      pl.qkv = PackLinear(lw.qkv, u7);
      pl.attention_output = PackLinear(lw.attention_output, u7);
      pl.ffn_in = PackLinear(lw.ffn_in, u7);
      pl.ffn_out = PackLinear(lw.ffn_out, u7);
      pl.attention_norm = std::move(lw.attention_norm);
      pl.ffn_norm = std::move(lw.ffn_norm);
      ref.packed = packed_index[l] = enc->packed_layers_.size();
      enc->packed_layers_.push_back(std::move(pl));
      enc->layers_.push_back(ref);
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
    if (!weights.exit_heads.empty() && c.task != TaskKind::kSequenceClassification) {
      return InvalidModel("exit heads are only supported on sequence classifiers");
    }
    int last_layer = -1;
    for (const ExitHeadWeights& head : weights.exit_heads) {
      if (head.layer <= last_layer || head.layer >= c.num_layers - 1) {
        return InvalidModel("exit head layers must be increasing and below the last layer (" +
                            std::to_string(c.num_layers - 1) + "), got " +
                            std::to_string(head.layer));
      }
      last_layer = head.layer;
      enc->exit_heads_.push_back(
          PackedExitHead{head.layer, PackLinear(head.pooler), PackLinear(head.classifier)});
    }
    enc->default_exit_rule_ = weights.default_exit_rule;
    enc->default_attention_ = weights.attention;
    return enc;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while packing the model weights");
  }
}

std::vector<int> BertEncoder::exit_layers() const {
  std::vector<int> out;
  for (const PackedExitHead& h : exit_heads_) out.push_back(h.layer);
  return out;
}

std::vector<float> BertEncoder::ClassifyFirstTokens(const PackedBatch& batch, const float* hidden,
                                                    const PackedLinear* exit_pooler,
                                                    const PackedLinear* exit_classifier,
                                                    std::vector<float>* pooled,
                                                    ThreadPool* pool) const {
  const size_t h = static_cast<size_t>(config_.hidden_size);
  const size_t seqs = batch.num_sequences();
  std::vector<float> first = FirstTokens(batch, hidden, h);
  if (exit_pooler) {
    *pooled = Linear(pool, *exit_pooler, first.data(), seqs, Activation::kTanh);
    return Linear(pool, *exit_classifier, pooled->data(), seqs, Activation::kNone);
  }
  if (pre_classifier_) {  // DistilBERT
    std::vector<float> pre = Linear(pool, *pre_classifier_, first.data(), seqs, Activation::kRelu);
    return Linear(pool, *classifier_, pre.data(), seqs, Activation::kNone);
  }
  *pooled = Linear(pool, *pooler_, first.data(), seqs, Activation::kTanh);
  return Linear(pool, *classifier_, pooled->data(), seqs, Activation::kNone);
}

StatusOr<ForwardResult> BertEncoder::Forward(const PackedBatch& batch,
                                             const ForwardOptions& options,
                                             ThreadPool* pool) const {
  try {
    HB_RETURN_IF_ERROR(ValidateBatch(batch));
    const bool exiting = options.exit_rule.kind != ExitRuleKind::kNone;
    if (exiting && exit_heads_.empty()) {
      return InvalidArgument("early exit is unavailable: this model has no exit heads");
    }
    ForwardResult r;
    const size_t h = static_cast<size_t>(config_.hidden_size);
    const size_t tokens = batch.num_tokens();
    const size_t seqs = batch.num_sequences();
    const size_t labels = static_cast<size_t>(config_.num_labels());
    r.hidden.resize(tokens * h);
    HB_RETURN_IF_ERROR(EmbedTokens(embeddings_, batch, r.hidden.data(), pool));
    r.exit_layer.assign(seqs, config_.num_layers);
    EncoderWorkspace ws;

    if (!exiting) {
      for (size_t l = 0; l < layers_.size(); ++l) {
        RunLayer(l, batch, r.hidden.data(), ws, pool, &options.attention);
      }
      switch (config_.task) {
        case TaskKind::kEncoder:
          if (pooler_ && options.want_pooler) {
            std::vector<float> first = FirstTokens(batch, r.hidden.data(), h);
            r.pooled = Linear(pool, *pooler_, first.data(), seqs, Activation::kTanh);
          }
          break;
        case TaskKind::kSequenceClassification:
          r.logits = ClassifyFirstTokens(batch, r.hidden.data(), nullptr, nullptr, &r.pooled, pool);
          r.layer_logits.resize(seqs);
          r.layer_numbers.assign(seqs, std::vector<int>{config_.num_layers});
          for (size_t s = 0; s < seqs; ++s) {
            r.layer_logits[s].assign(r.logits.begin() + s * labels,
                                     r.logits.begin() + (s + 1) * labels);
          }
          break;
        case TaskKind::kTokenClassification:
          r.logits = Linear(pool, *classifier_, r.hidden.data(), tokens, Activation::kNone);
          break;
      }
      return r;
    }

    // Early exit: `cur` holds the sequences still running, compacted; `active[i]` is the
    // original index of cur's sequence i.
    r.logits.assign(seqs * labels, 0.0f);
    r.layer_logits.resize(seqs);
    r.layer_numbers.resize(seqs);
    const bool keep_pooled = pooler_.has_value();
    if (keep_pooled) r.pooled.assign(seqs * h, 0.0f);
    std::vector<std::vector<int>> predictions(seqs);
    std::vector<size_t> active(seqs);
    for (size_t s = 0; s < seqs; ++s) active[s] = s;
    PackedBatch cur = batch;
    std::vector<float> x = r.hidden;
    auto finish = [&](size_t i, size_t orig, const float* logits, const float* pooled, int layer) {
      std::copy(logits, logits + labels, r.logits.begin() + orig * labels);
      if (keep_pooled && pooled) std::copy(pooled, pooled + h, r.pooled.begin() + orig * h);
      std::copy(x.begin() + cur.starts[i] * h, x.begin() + cur.starts[i + 1] * h,
                r.hidden.begin() + batch.starts[orig] * h);
      r.exit_layer[orig] = layer;
    };
    size_t next_head = 0;
    for (size_t l = 0; l < layers_.size() && !active.empty(); ++l) {
      RunLayer(l, cur, x.data(), ws, pool, &options.attention);
      const bool last = l + 1 == layers_.size();
      const PackedExitHead* head = nullptr;
      if (!last && next_head < exit_heads_.size() &&
          exit_heads_[next_head].layer == static_cast<int>(l)) {
        head = &exit_heads_[next_head++];
      }
      if (!head && !last) continue;
      std::vector<float> pooled;
      std::vector<float> logits =
          ClassifyFirstTokens(cur, x.data(), head ? &head->pooler : nullptr,
                              head ? &head->classifier : nullptr, &pooled, pool);
      std::vector<bool> leaves(active.size());
      for (size_t i = 0; i < active.size(); ++i) {
        const size_t orig = active[i];
        const float* lg = logits.data() + i * labels;
        r.layer_logits[orig].insert(r.layer_logits[orig].end(), lg, lg + labels);
        r.layer_numbers[orig].push_back(static_cast<int>(l) + 1);
        leaves[i] = last || ShouldExit(options.exit_rule, lg, labels, predictions[orig]);
        predictions[orig].push_back(labels == 1 ? lg[0] > 0 : static_cast<int>(ArgMax(lg, labels)));
        if (leaves[i]) {
          finish(i, orig, lg, pooled.empty() ? nullptr : pooled.data() + i * h,
                 static_cast<int>(l) + 1);
        }
      }
      if (last) break;
      // Compact: drop the rows of sequences that left, so later layers skip them.
      PackedBatch next;
      std::vector<float> next_x;
      std::vector<size_t> next_active;
      for (size_t i = 0; i < active.size(); ++i) {
        if (leaves[i]) continue;
        const size_t b = cur.starts[i], e = cur.starts[i + 1];
        next.ids.insert(next.ids.end(), cur.ids.begin() + b, cur.ids.begin() + e);
        next.type_ids.insert(next.type_ids.end(), cur.type_ids.begin() + b,
                             cur.type_ids.begin() + e);
        next.positions.insert(next.positions.end(), cur.positions.begin() + b,
                              cur.positions.begin() + e);
        next.starts.push_back(next.ids.size());
        next_x.insert(next_x.end(), x.begin() + b * h, x.begin() + e * h);
        next_active.push_back(active[i]);
      }
      cur = std::move(next);
      x = std::move(next_x);
      active = std::move(next_active);
    }
    return r;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory running a batch of " +
                             std::to_string(batch.num_tokens()) + " tokens");
  }
}

StatusOr<std::vector<std::vector<float>>> BertEncoder::FirstTokenStates(const PackedBatch& batch,
                                                                        ThreadPool* pool) const {
  try {
    HB_RETURN_IF_ERROR(ValidateBatch(batch));
    const size_t h = static_cast<size_t>(config_.hidden_size);
    std::vector<float> x(batch.num_tokens() * h);
    HB_RETURN_IF_ERROR(EmbedTokens(embeddings_, batch, x.data(), pool));
    EncoderWorkspace ws;
    std::vector<std::vector<float>> out;
    for (size_t l = 0; l < layers_.size(); ++l) {
      RunLayer(l, batch, x.data(), ws, pool, nullptr);
      out.push_back(FirstTokens(batch, x.data(), h));
    }
    return out;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory computing layer states");
  }
}

Status BertEncoder::ObserveLayers(const PackedBatch& batch, const LayerObserver& observe,
                                  ThreadPool* pool) const {
  try {
    HB_RETURN_IF_ERROR(ValidateBatch(batch));
    std::vector<float> x(batch.num_tokens() * static_cast<size_t>(config_.hidden_size));
    HB_RETURN_IF_ERROR(EmbedTokens(embeddings_, batch, x.data(), pool));
    EncoderWorkspace ws;
    for (size_t l = 0; l < layers_.size(); ++l) {
      RunLayer(l, batch, x.data(), ws, pool, nullptr);
      observe(static_cast<int>(l), layers_[l].shape, ws);
    }
    return Status::Ok();
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory computing layer activations");
  }
}

}  // namespace hb
