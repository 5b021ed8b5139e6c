// Embedding layer: word + position (+ token type) embeddings, then LayerNorm.
#ifndef HB_MODEL_EMBEDDINGS_H_
#define HB_MODEL_EMBEDDINGS_H_

#include <optional>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "model/bert_weights.h"
#include "model/linear.h"
#include "model/packed_batch.h"

namespace hb {

struct EmbeddingWeights {
  int hidden = 0;
  int vocab = 0;
  int max_positions = 0;
  int type_vocab = 0;  // 0: no token type embeddings (DistilBERT)
  float eps = 1e-12f;
  std::vector<float> word, position, token_type;
  std::vector<int8_t> word_q;      // int8 rows instead of `word` (dequantized on lookup)
  std::vector<float> word_scale;   // [vocab] with word_q
  LayerNormWeights norm;
  // Factorized word embeddings (ALBERT style): word rows are `word_size` wide and this projects
  // them to hidden (one GEMM over the batch). Absent: rows are hidden wide.
  std::optional<PackedLinear> word_projection;
  int word_size() const { return word_projection ? word_projection->in() : hidden; }
};

// Writes [tokens x hidden] into out. kInvalidArgument when an id, type id or position is out of
// the tables' range (tokens come from callers of the low-level API too, not only the tokenizer).
// pool (may be null) only serves the projection of factorized embeddings.
Status EmbedTokens(const EmbeddingWeights& weights, const PackedBatch& batch, float* out,
                   ThreadPool* pool = nullptr);

}  // namespace hb

#endif  // HB_MODEL_EMBEDDINGS_H_
