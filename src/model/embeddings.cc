// Embedding lookup: one row copy and two vector adds per token, then a batched LayerNorm.
#include "model/embeddings.h"

#include <cstring>
#include <string>
#include <vector>

#include "kernels/kernels.h"

namespace hb {

Status EmbedTokens(const EmbeddingWeights& w, const PackedBatch& batch, float* out,
                   ThreadPool* pool) {
  const size_t h = static_cast<size_t>(w.hidden);
  // Word rows are gathered into `rows` ([tokens x word_size]): `out` itself, or a scratch
  // buffer projected into `out` for factorized embeddings.
  const size_t e = static_cast<size_t>(w.word_size());
  std::vector<float> narrow(w.word_projection ? batch.num_tokens() * e : 0);
  float* rows = w.word_projection ? narrow.data() : out;
  for (size_t t = 0; t < batch.num_tokens(); ++t) {
    const int32_t id = batch.ids[t];
    const int32_t pos = batch.positions[t];
    const int32_t type = batch.type_ids[t];
    if (id < 0 || id >= w.vocab) {
      return InvalidArgument("token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                             std::to_string(w.vocab) + ")");
    }
    if (pos < 0 || pos >= w.max_positions) {
      return InvalidArgument("position " + std::to_string(pos) +
                             " is outside the position table (max_position_embeddings = " +
                             std::to_string(w.max_positions) + ")");
    }
    // DistilBERT has no token type table: type ids are ignored, as in HF.
    if (w.type_vocab > 0 && (type < 0 || type >= w.type_vocab)) {
      return InvalidArgument("token type id " + std::to_string(type) + " is outside [0, " +
                             std::to_string(w.type_vocab) + ") (type_vocab_size)");
    }
    float* row = rows + t * e;
    if (w.word_q.empty()) {
      std::memcpy(row, w.word.data() + static_cast<size_t>(id) * e, e * sizeof(float));
    } else {
      const int8_t* q = w.word_q.data() + static_cast<size_t>(id) * e;
      const float scale = w.word_scale[static_cast<size_t>(id)];
      for (size_t j = 0; j < e; ++j) row[j] = scale * static_cast<float>(q[j]);
    }
  }
  if (w.word_projection) {
    ApplyLinear(pool, *w.word_projection, batch.num_tokens(), rows, e, out, h, GemmEpilogue{});
  }
  for (size_t t = 0; t < batch.num_tokens(); ++t) {
    float* row = out + t * h;
    const int32_t pos = batch.positions[t];
    const int32_t type = batch.type_ids[t];
    // HF's order: (word + token type) + position.
    if (w.type_vocab > 0) AddInPlace(row, w.token_type.data() + static_cast<size_t>(type) * h, h);
    AddInPlace(row, w.position.data() + static_cast<size_t>(pos) * h, h);
  }
  LayerNorm(batch.num_tokens(), h, out, h, out, h, w.norm.gamma.data(), w.norm.beta.data(), w.eps);
  return Status::Ok();
}

}  // namespace hb
