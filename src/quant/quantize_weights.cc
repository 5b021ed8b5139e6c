// Model-level quantization (see quantize_weights.h): walks the encoder and applies the int8 rule
// of the kernels, so file weights and load-time quantized weights are the same bytes.
#include "quant/quantize_weights.h"

#include <new>
#include <string>
#include <vector>

#include "kernels/int8_kernels.h"

namespace hb {
namespace {

Status CheckLinear(const LinearWeights& l, const std::string& name) {
  const size_t n = static_cast<size_t>(l.out) * static_cast<size_t>(l.inner());
  if (l.out <= 0 || l.inner() <= 0 || (l.quantized() ? l.w_q.size() : l.w.size()) != n) {
    return InvalidArgument("cannot quantize '" + name + "': [" + std::to_string(l.out) + " x " +
                           std::to_string(l.inner()) + "] but it holds " +
                           std::to_string(l.quantized() ? l.w_q.size() : l.w.size()) + " values");
  }
  if (l.low_rank()) {
    if (l.down.size() != 1 || l.down[0].in != l.in) {
      return InvalidArgument("cannot quantize '" + name + "': its low-rank factor does not take " +
                             std::to_string(l.in) + " inputs");
    }
    return CheckLinear(l.down[0], name + ".down");
  }
  return Status::Ok();
}

// Word embedding table width: hidden, or embedding_size when factorized.
size_t WordWidth(const BertConfig& c) {
  return static_cast<size_t>(c.embedding_size > 0 ? c.embedding_size : c.hidden_size);
}

void DequantizeLinear(LinearWeights& l) {
  for (LinearWeights& d : l.down) DequantizeLinear(d);
  if (!l.quantized()) return;
  const size_t k = static_cast<size_t>(l.inner());
  l.w.resize(l.w_q.size());
  for (size_t i = 0; i < l.w_q.size(); ++i)
    l.w[i] = l.w_scale[i / k] * static_cast<float>(l.w_q[i]);
  l.w_q.clear();
  l.w_scale.clear();
}

}  // namespace

void QuantizeLinearInt8(LinearWeights& linear) {
  for (LinearWeights& d : linear.down) QuantizeLinearInt8(d);
  if (linear.quantized() || linear.w.empty()) return;
  const size_t n = static_cast<size_t>(linear.out), k = static_cast<size_t>(linear.inner());
  linear.w_q.resize(n * k);
  linear.w_scale.resize(n);
  QuantizeRowsInt8(n, k, linear.w.data(), k, linear.w_q.data(), k, linear.w_scale.data());
  linear.w.clear();
  linear.w.shrink_to_fit();
}

void QuantizeEmbeddingsInt8(BertWeights& weights) {
  if (!weights.word_embeddings_q.empty() || weights.word_embeddings.empty()) return;
  const size_t rows = static_cast<size_t>(weights.config.vocab_size);
  const size_t h = WordWidth(weights.config);
  weights.word_embeddings_q.resize(rows * h);
  weights.word_embeddings_scale.resize(rows);
  QuantizeRowsInt8(rows, h, weights.word_embeddings.data(), h, weights.word_embeddings_q.data(), h,
                   weights.word_embeddings_scale.data());
  weights.word_embeddings.clear();
  weights.word_embeddings.shrink_to_fit();
}

void RoundToHalfInPlace(std::vector<float>& values) {
  for (float& v : values) v = RoundToHalf(v);
}

namespace {

Status QuantizeChecked(BertWeights& weights, ModelDtype dtype) {
  const BertConfig& c = weights.config;
  const size_t word_size = static_cast<size_t>(c.vocab_size) * WordWidth(c);
  if (weights.word_embeddings_q.empty() && weights.word_embeddings.size() != word_size) {
    return InvalidArgument("cannot quantize the word embeddings: the config needs " +
                           std::to_string(c.vocab_size) + " x " + std::to_string(WordWidth(c)) +
                           " values, the weights hold " +
                           std::to_string(weights.word_embeddings.size()));
  }
  // Validate everything first so an error leaves the weights untouched. Shared layers hold no
  // weights of their own.
  for (size_t i = 0; i < weights.layers.size(); ++i) {
    if (c.LayerSource(static_cast<int>(i)) != static_cast<int>(i)) continue;
    EncoderLayerWeights& l = weights.layers[i];
    const std::string p = "layers." + std::to_string(i) + ".";
    HB_RETURN_IF_ERROR(CheckLinear(l.qkv, p + "qkv"));
    HB_RETURN_IF_ERROR(CheckLinear(l.attention_output, p + "attention_output"));
    HB_RETURN_IF_ERROR(CheckLinear(l.ffn_in, p + "ffn_in"));
    HB_RETURN_IF_ERROR(CheckLinear(l.ffn_out, p + "ffn_out"));
  }
  for (EncoderLayerWeights& l : weights.layers) {
    for (LinearWeights* lin : {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out}) {
      if (dtype == ModelDtype::kInt8) {
        QuantizeLinearInt8(*lin);
      } else {
        RoundToHalfInPlace(lin->w);
        for (LinearWeights& d : lin->down) RoundToHalfInPlace(d.w);
      }
    }
  }
  if (dtype == ModelDtype::kInt8) {
    QuantizeEmbeddingsInt8(weights);
  } else {
    RoundToHalfInPlace(weights.word_embeddings);
  }
  RoundToHalfInPlace(weights.position_embeddings);
  RoundToHalfInPlace(weights.token_type_embeddings);
  return Status::Ok();
}

}  // namespace

void DequantizeModel(BertWeights& weights) {
  for (EncoderLayerWeights& l : weights.layers) {
    for (LinearWeights* lin : {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out}) {
      DequantizeLinear(*lin);
    }
  }
  if (!weights.word_embeddings_q.empty()) {
    const size_t width = WordWidth(weights.config);
    const std::vector<int8_t>& q = weights.word_embeddings_q;
    weights.word_embeddings.resize(q.size());
    for (size_t i = 0; i < q.size(); ++i) {
      weights.word_embeddings[i] =
          weights.word_embeddings_scale[i / width] * static_cast<float>(q[i]);
    }
    weights.word_embeddings_q.clear();
    weights.word_embeddings_scale.clear();
  }
}

Status QuantizeModel(BertWeights& weights, ModelDtype dtype) {
  if (dtype == ModelDtype::kFp32) return Status::Ok();
  try {
    return QuantizeChecked(weights, dtype);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory quantizing the model");
  }
}

}  // namespace hb
