// Structured pruning of one encoder layer: whole attention heads and FFN neurons are cut out of
// the weight matrices, leaving a smaller dense layer (hummingbert_compress.h).
#ifndef HB_COMPRESS_PRUNING_H_
#define HB_COMPRESS_PRUNING_H_

#include <initializer_list>
#include <vector>

#include "base/status.h"
#include "model/bert_weights.h"

namespace hb {

// Keeps the heads `keep` (strictly increasing, within the layer's heads, not empty) of layer
// `layer` (one with its own weights): their rows of Q, K and V (weights and biases) and their
// columns of the attention output projection; config.layers[layer].num_heads becomes
// keep.size(). Errors: kInvalidArgument for a bad `keep`, kUnsupported for a factorized layer.
Status PruneHeads(BertWeights& weights, int layer, const std::vector<int>& keep);

// Keeps the FFN neurons `keep` (same rules) of layer `layer`: rows of the FFN input Linear,
// columns of the FFN output Linear; config.layers[layer].intermediate_size becomes keep.size().
Status PruneNeurons(BertWeights& weights, int layer, const std::vector<int>& keep);

// The `count` indices of the largest scores (ties: the lower index), in increasing order.
std::vector<int> TopIndices(const std::vector<double>& scores, int count);

// How many of n to remove for a fraction in [0, 1): round(fraction * n), keeping at least one.
int CountToRemove(double fraction, int n);

// --- shared by head_pruning.cc and ffn_pruning.cc

// Copies the row groups `groups` (each `group` rows, e.g. a head's head_size rows) of a
// [out x in] row-major matrix, in order; in = 1 does the same for a vector (a bias).
std::vector<float> GatherRows(const std::vector<float>& w, int in, const std::vector<int>& groups,
                              int group);
// Copies the column groups of a [out x in] matrix.
std::vector<float> GatherColumns(const std::vector<float>& w, int out, int in,
                                 const std::vector<int>& groups, int group);
// Checks `keep` against `n` (strictly increasing, in [0, n), not empty) and that `linears`
// are dense fp32. `what`: "head" or "neuron".
Status CheckPrunable(const std::vector<int>& keep, int n, const char* what, int layer,
                     std::initializer_list<const LinearWeights*> linears);
// config.layers with one default entry per layer (created on first use).
LayerConfig& MutableLayerConfig(BertConfig& config, int layer);

}  // namespace hb

#endif  // HB_COMPRESS_PRUNING_H_
