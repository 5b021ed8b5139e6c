// How much each attention head and FFN neuron contributes: the scores pruning ranks by
// (hummingbert_compress.h PruneOptions says which criterion when).
#ifndef HB_COMPRESS_IMPORTANCE_H_
#define HB_COMPRESS_IMPORTANCE_H_

#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "model/bert_weights.h"
#include "tokenizer/encoding.h"

namespace hb {

// Scores of one layer with its own weights (a shared layer adds its scores to its source's).
struct LayerImportance {
  std::vector<double> heads;    // [heads of the layer]
  std::vector<double> neurons;  // [intermediate size of the layer]
};

// From activations on `encodings` (fp32 dense weights; the model is run in batches):
//   head k:   mean over tokens of || W_o[:, k d:(k+1) d] ctx_k ||  (its share of the output)
//   neuron n: mean over tokens of |act_n| * || W_out[:, n] ||
// Errors: kInvalidArgument (no encodings), the model's errors.
StatusOr<std::vector<LayerImportance>> ActivationImportance(const BertWeights& weights,
                                                            const std::vector<Encoding>& encodings,
                                                            ThreadPool* pool);

// From the weights alone: head k: ||W_v rows of k||_F * ||W_o[:, k]||_F; neuron n:
// ||W_in[n, :]|| * ||W_out[:, n]||.
std::vector<LayerImportance> WeightImportance(const BertWeights& weights);

}  // namespace hb

#endif  // HB_COMPRESS_IMPORTANCE_H_
