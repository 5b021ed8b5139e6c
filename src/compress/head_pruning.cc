// Removing attention heads: head k owns rows [k d, (k+1) d) of each of Q, K and V, and the same
// columns of the attention output projection (d = head size).
#include <vector>

#include "compress/pruning.h"

namespace hb {

Status PruneHeads(BertWeights& weights, int layer, const std::vector<int>& keep) {
  BertConfig& c = weights.config;
  EncoderLayerWeights& l = weights.layers[static_cast<size_t>(layer)];
  const int heads = c.LayerHeads(layer), d = c.head_size(), h = c.hidden_size;
  HB_RETURN_IF_ERROR(CheckPrunable(keep, heads, "head", layer, {&l.qkv, &l.attention_output}));
  // Q, K and V are stacked: head k of V is group 2 * heads + k of d rows.
  std::vector<int> groups;
  for (int part = 0; part < 3; ++part) {
    for (int k : keep) groups.push_back(part * heads + k);
  }
  l.qkv.w = GatherRows(l.qkv.w, h, groups, d);
  l.qkv.b = GatherRows(l.qkv.b, 1, groups, d);
  l.qkv.out = 3 * static_cast<int>(keep.size()) * d;
  const int width = static_cast<int>(keep.size()) * d;
  l.attention_output.w = GatherColumns(l.attention_output.w, h, l.attention_output.in, keep, d);
  l.attention_output.in = width;
  MutableLayerConfig(c, layer).num_heads = static_cast<int>(keep.size());
  return Status::Ok();
}

}  // namespace hb
