// Helpers shared by head and neuron pruning (compress/pruning.h).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "compress/pruning.h"

namespace hb {

std::vector<int> TopIndices(const std::vector<double>& scores, int count) {
  std::vector<int> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)];
  });
  order.resize(std::min(order.size(), static_cast<size_t>(std::max(count, 0))));
  std::sort(order.begin(), order.end());
  return order;
}

int CountToRemove(double fraction, int n) {
  const int remove = static_cast<int>(std::floor(fraction * n + 0.5));
  return std::max(0, std::min(remove, n - 1));
}

std::vector<float> GatherRows(const std::vector<float>& w, int in, const std::vector<int>& groups,
                              int group) {
  const size_t row = static_cast<size_t>(in), g = static_cast<size_t>(group);
  std::vector<float> out;
  out.reserve(groups.size() * g * row);
  for (int k : groups) {
    const auto begin = w.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(k) * g * row);
    out.insert(out.end(), begin, begin + static_cast<std::ptrdiff_t>(g * row));
  }
  return out;
}

std::vector<float> GatherColumns(const std::vector<float>& w, int out, int in,
                                 const std::vector<int>& groups, int group) {
  const size_t g = static_cast<size_t>(group);
  std::vector<float> result;
  result.reserve(static_cast<size_t>(out) * groups.size() * g);
  for (size_t i = 0; i < static_cast<size_t>(out); ++i) {
    const float* row = w.data() + i * static_cast<size_t>(in);
    for (int k : groups) {
      const float* src = row + static_cast<size_t>(k) * g;
      result.insert(result.end(), src, src + g);
    }
  }
  return result;
}

Status CheckPrunable(const std::vector<int>& keep, int n, const char* what, int layer,
                     std::initializer_list<const LinearWeights*> linears) {
  const std::string where = "layer " + std::to_string(layer) + ": ";
  if (keep.empty()) return InvalidArgument(where + "at least one " + what + " must be kept");
  for (size_t i = 0; i < keep.size(); ++i) {
    if (keep[i] < 0 || keep[i] >= n || (i > 0 && keep[i] <= keep[i - 1])) {
      return InvalidArgument(where + what + " indices to keep must be increasing in [0, " +
                             std::to_string(n) + ")");
    }
  }
  for (const LinearWeights* l : linears) {
    if (l->low_rank()) {
      return Unsupported(where + "cannot prune a factorized layer; prune first, then factorize");
    }
    if (l->quantized()) return InvalidArgument(where + "pruning needs fp32 weights");
  }
  return Status::Ok();
}

LayerConfig& MutableLayerConfig(BertConfig& config, int layer) {
  if (config.layers.empty()) config.layers.assign(static_cast<size_t>(config.num_layers), {});
  return config.layers[static_cast<size_t>(layer)];
}

}  // namespace hb
