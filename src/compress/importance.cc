// Importance scores (compress/importance.h). Activation scores run the model once over the
// sample, layer by layer (BertEncoder::ObserveLayers), and project each head's context through
// its slice of the output projection with the fp32 GEMM kernel.
#include "compress/importance.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "kernels/kernels.h"
#include "model/bert_encoder.h"

namespace hb {
namespace {

// Euclidean norms of the columns of a [rows x cols] matrix.
std::vector<double> ColumnNorms(const std::vector<float>& w, int rows, int cols) {
  std::vector<double> sq(static_cast<size_t>(cols), 0.0);
  for (size_t i = 0; i < static_cast<size_t>(rows); ++i) {
    for (size_t j = 0; j < static_cast<size_t>(cols); ++j) {
      const double x = w[i * static_cast<size_t>(cols) + j];
      sq[j] += x * x;
    }
  }
  for (double& x : sq) x = std::sqrt(x);
  return sq;
}

double Norm(const float* x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += static_cast<double>(x[i]) * x[i];
  return std::sqrt(s);
}

std::vector<LayerImportance> EmptyScores(const BertConfig& c) {
  std::vector<LayerImportance> scores(static_cast<size_t>(c.num_layers));
  for (int i = 0; i < c.num_layers; ++i) {
    if (c.LayerSource(i) != i) continue;
    scores[static_cast<size_t>(i)].heads.assign(static_cast<size_t>(c.LayerHeads(i)), 0.0);
    scores[static_cast<size_t>(i)].neurons.assign(static_cast<size_t>(c.LayerIntermediate(i)), 0.0);
  }
  return scores;
}

}  // namespace

StatusOr<std::vector<LayerImportance>> ActivationImportance(const BertWeights& weights,
                                                            const std::vector<Encoding>& encodings,
                                                            ThreadPool* pool) {
  if (encodings.empty()) return InvalidArgument("no texts to compute importance on");
  const BertConfig& c = weights.config;
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertEncoder> encoder, BertEncoder::Create(weights));
  std::vector<LayerImportance> scores = EmptyScores(c);
  std::vector<std::vector<double>> out_norms(scores.size());  // ||W_out[:, n]|| per layer
  for (int i = 0; i < c.num_layers; ++i) {
    if (c.LayerSource(i) != i) continue;
    const LinearWeights& out = weights.layers[static_cast<size_t>(i)].ffn_out;
    out_norms[static_cast<size_t>(i)] = ColumnNorms(out.w, out.out, out.in);
  }
  const size_t h = static_cast<size_t>(c.hidden_size), d = static_cast<size_t>(c.head_size());
  std::vector<float> projected;
  auto observe = [&](int layer, const LayerShape& shape, const EncoderWorkspace& ws) {
    const size_t src = static_cast<size_t>(c.LayerSource(layer));
    const LinearWeights& wo = weights.layers[src].attention_output;
    LayerImportance& s = scores[src];
    const size_t tokens = ws.ctx.size() / (static_cast<size_t>(shape.heads) * d);
    const size_t width = static_cast<size_t>(shape.heads) * d;
    const size_t f = static_cast<size_t>(shape.intermediate);
    projected.resize(tokens * h);
    for (size_t k = 0; k < static_cast<size_t>(shape.heads); ++k) {
      // [tokens x d] context of head k times W_o[:, k d:(k+1) d]^T -> [tokens x hidden].
      GemmF32TransB(tokens, h, d, ws.ctx.data() + k * d, width, wo.w.data() + k * d, width,
                    projected.data(), h, GemmEpilogue{});
      for (size_t t = 0; t < tokens; ++t) s.heads[k] += Norm(projected.data() + t * h, h);
    }
    const std::vector<double>& norms = out_norms[src];
    for (size_t t = 0; t < tokens; ++t) {
      const float* act = ws.ffn_hidden.data() + t * f;
      for (size_t n = 0; n < f; ++n) s.neurons[n] += std::abs(act[n]) * norms[n];
    }
  };
  constexpr size_t kBatch = 32;
  for (size_t b = 0; b < encodings.size(); b += kBatch) {
    PackedBatch batch;
    for (size_t i = b; i < std::min(encodings.size(), b + kBatch); ++i) batch.Add(encodings[i]);
    HB_RETURN_IF_ERROR(encoder->ObserveLayers(batch, observe, pool));
  }
  return scores;  // sums: the same ranking as means
}

std::vector<LayerImportance> WeightImportance(const BertWeights& weights) {
  const BertConfig& c = weights.config;
  std::vector<LayerImportance> scores = EmptyScores(c);
  const size_t h = static_cast<size_t>(c.hidden_size), d = static_cast<size_t>(c.head_size());
  for (int i = 0; i < c.num_layers; ++i) {
    if (c.LayerSource(i) != i) continue;
    const EncoderLayerWeights& l = weights.layers[static_cast<size_t>(i)];
    LayerImportance& s = scores[static_cast<size_t>(i)];
    const size_t heads = s.heads.size();
    const std::vector<double> wo =
        ColumnNorms(l.attention_output.w, l.attention_output.out, l.attention_output.in);
    for (size_t k = 0; k < heads; ++k) {
      const float* v = l.qkv.w.data() + (2 * heads + k) * d * h;  // V rows of head k
      double o = 0;
      for (size_t j = 0; j < d; ++j) o += wo[k * d + j] * wo[k * d + j];
      s.heads[k] = Norm(v, d * h) * std::sqrt(o);
    }
    const std::vector<double> out = ColumnNorms(l.ffn_out.w, l.ffn_out.out, l.ffn_out.in);
    for (size_t n = 0; n < s.neurons.size(); ++n) {
      s.neurons[n] = Norm(l.ffn_in.w.data() + n * h, h) * out[n];
    }
  }
  return scores;
}

}  // namespace hb
