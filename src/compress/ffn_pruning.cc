// Removing FFN neurons: neuron n is row n of the FFN input Linear (and its bias) and column n of
// the FFN output Linear.
#include <vector>

#include "compress/pruning.h"

namespace hb {

Status PruneNeurons(BertWeights& weights, int layer, const std::vector<int>& keep) {
  BertConfig& c = weights.config;
  EncoderLayerWeights& l = weights.layers[static_cast<size_t>(layer)];
  const int f = c.LayerIntermediate(layer), h = c.hidden_size;
  HB_RETURN_IF_ERROR(CheckPrunable(keep, f, "neuron", layer, {&l.ffn_in, &l.ffn_out}));
  l.ffn_in.w = GatherRows(l.ffn_in.w, h, keep, 1);
  l.ffn_in.b = GatherRows(l.ffn_in.b, 1, keep, 1);
  l.ffn_in.out = static_cast<int>(keep.size());
  l.ffn_out.w = GatherColumns(l.ffn_out.w, h, f, keep, 1);
  l.ffn_out.in = static_cast<int>(keep.size());
  MutableLayerConfig(c, layer).intermediate_size = static_cast<int>(keep.size());
  return Status::Ok();
}

}  // namespace hb
