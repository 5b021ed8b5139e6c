// Sharing and unsharing layer weights (compress/layer_sharing.h).
#include "compress/layer_sharing.h"

#include <string>

#include "compress/pruning.h"

namespace hb {

void UnshareLayers(BertWeights& weights) {
  BertConfig& c = weights.config;
  for (int i = 0; i < c.num_layers; ++i) {
    const int s = c.LayerSource(i);
    if (s == i) continue;
    weights.layers[static_cast<size_t>(i)] = weights.layers[static_cast<size_t>(s)];
    c.layers[static_cast<size_t>(i)] = c.layers[static_cast<size_t>(s)];
  }
}

Status ShareLayers(BertWeights& weights, const std::vector<int>& sources) {
  BertConfig& c = weights.config;
  if (sources.size() != static_cast<size_t>(c.num_layers)) {
    return InvalidArgument("the sharing map has " + std::to_string(sources.size()) +
                           " entries but the model has " + std::to_string(c.num_layers) +
                           " layers");
  }
  for (size_t i = 0; i < sources.size(); ++i) {
    const int s = sources[i];
    if (s < 0 || s > static_cast<int>(i) || sources[static_cast<size_t>(s)] != s) {
      return InvalidArgument("layer " + std::to_string(i) + " cannot share layer " +
                             std::to_string(s) +
                             ": a layer can only run the weights of itself or of an earlier "
                             "layer that keeps its own");
    }
  }
  UnshareLayers(weights);
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i] == static_cast<int>(i)) continue;
    LayerConfig shared;
    shared.shared_with = sources[i];
    MutableLayerConfig(c, static_cast<int>(i)) = shared;
    weights.layers[i] = EncoderLayerWeights{};
  }
  return Status::Ok();
}

}  // namespace hb
