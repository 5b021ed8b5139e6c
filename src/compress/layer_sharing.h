// Cross-layer parameter sharing (ALBERT style): several layers run one stored set of weights.
#ifndef HB_COMPRESS_LAYER_SHARING_H_
#define HB_COMPRESS_LAYER_SHARING_H_

#include <vector>

#include "base/status.h"
#include "model/bert_weights.h"

namespace hb {

// Gives every layer its own copy of its weights (undoes sharing; config.layers keeps the shapes).
void UnshareLayers(BertWeights& weights);

// Layer i runs the weights of layer sources[i] (one entry per layer; sources[i] == i keeps its
// own, sources[i] < i must keep its own). Weights of layers that become shared are dropped; the
// shapes of a shared layer are its source's. Existing sharing is undone first.
// Errors: kInvalidArgument naming the first bad entry.
Status ShareLayers(BertWeights& weights, const std::vector<int>& sources);

}  // namespace hb

#endif  // HB_COMPRESS_LAYER_SHARING_H_
