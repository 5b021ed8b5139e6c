// Turning a dense weight into two thinner ones from its truncated SVD (compress/svd.h).
#include "compress/factorize.h"

#include <utility>
#include <vector>

namespace hb {

void FactorizeLinear(const Svd& svd, int rank, LinearWeights& linear) {
  std::vector<float> up, down;
  LowRankFactors(svd, linear.w.data(), rank, &up, &down);
  LinearWeights d;
  d.out = rank;
  d.in = linear.in;
  d.w = std::move(down);
  linear.w = std::move(up);
  linear.down.assign(1, std::move(d));
}

void FactorizeEmbeddings(const Svd& svd, int e, BertWeights& weights) {
  const size_t h = static_cast<size_t>(weights.config.hidden_size), r = static_cast<size_t>(e);
  std::vector<float> table, basis;  // table [vocab x e] (= up), basis [e x hidden] (= down)
  LowRankFactors(svd, weights.word_embeddings.data(), e, &table, &basis);
  LinearWeights projection;  // [hidden x e]: row = table_row * basis = projection(table_row)
  projection.out = static_cast<int>(h);
  projection.in = e;
  projection.w.resize(h * r);
  for (size_t c = 0; c < r; ++c) {
    for (size_t j = 0; j < h; ++j) projection.w[j * r + c] = basis[c * h + j];
  }
  projection.b.assign(h, 0.0f);
  weights.word_embeddings = std::move(table);
  weights.word_projection = std::move(projection);
  weights.config.embedding_size = e;
}

}  // namespace hb
