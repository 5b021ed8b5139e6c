// Per-layer shapes of compressed models (BertConfig::layers, embedding_size; see bert_config.h):
// accessors that resolve shared layers, and the validation both model file directions use.
#include <string>

#include "format/bert_config.h"

namespace hb {
namespace {

const LayerConfig* Entry(const BertConfig& c, int i) {
  if (i < 0 || static_cast<size_t>(i) >= c.layers.size()) return nullptr;
  const LayerConfig& l = c.layers[static_cast<size_t>(i)];
  if (l.shared_with >= 0 && l.shared_with < i) return Entry(c, l.shared_with);
  return &l;
}

const char* const kLinearNames[kNumLayerLinears] = {"qkv", "attention_output", "ffn_in", "ffn_out"};

}  // namespace

int BertConfig::LayerSource(int i) const {
  if (i < 0 || static_cast<size_t>(i) >= layers.size()) return i;
  const int s = layers[static_cast<size_t>(i)].shared_with;
  return s >= 0 && s < i ? s : i;
}

int BertConfig::LayerHeads(int i) const {
  const LayerConfig* l = Entry(*this, i);
  return l != nullptr && l->num_heads > 0 ? l->num_heads : num_heads;
}

int BertConfig::LayerIntermediate(int i) const {
  const LayerConfig* l = Entry(*this, i);
  return l != nullptr && l->intermediate_size > 0 ? l->intermediate_size : intermediate_size;
}

int BertConfig::LayerRank(int i, LayerLinear linear) const {
  const LayerConfig* l = Entry(*this, i);
  return l != nullptr ? l->ranks[static_cast<int>(linear)] : 0;
}

bool BertConfig::compressed() const {
  if (embedding_size > 0) return true;
  for (int i = 0; i < static_cast<int>(layers.size()); ++i) {
    const LayerConfig& l = layers[static_cast<size_t>(i)];
    if (l.shared_with >= 0 || LayerHeads(i) != num_heads ||
        LayerIntermediate(i) != intermediate_size) {
      return true;
    }
    for (int r : l.ranks) {
      if (r > 0) return true;
    }
  }
  return false;
}

const char* LayerLinearName(LayerLinear linear) { return kLinearNames[static_cast<int>(linear)]; }

Status ValidateLayerConfigs(const BertConfig& c, int64_t max_dim) {
  if (c.embedding_size < 0 || c.embedding_size > max_dim) {
    return InvalidArgument("embedding_size must be in [0, " + std::to_string(max_dim) + "], got " +
                           std::to_string(c.embedding_size));
  }
  if (c.layers.empty()) return Status::Ok();
  if (c.layers.size() != static_cast<size_t>(c.num_layers)) {
    return InvalidArgument("'layers' has " + std::to_string(c.layers.size()) +
                           " entries but the model has " + std::to_string(c.num_layers) +
                           " layers");
  }
  for (int i = 0; i < c.num_layers; ++i) {
    const LayerConfig& l = c.layers[static_cast<size_t>(i)];
    const std::string where = "layer " + std::to_string(i) + ": ";
    if (l.shared_with >= 0) {
      if (l.shared_with >= i || c.layers[static_cast<size_t>(l.shared_with)].shared_with >= 0) {
        return InvalidArgument(where +
                               "shared_with must name an earlier layer that has its own "
                               "weights, got " +
                               std::to_string(l.shared_with));
      }
      continue;
    }
    if (l.shared_with != -1) {
      return InvalidArgument(where + "shared_with must be -1 or a layer index, got " +
                             std::to_string(l.shared_with));
    }
    if (l.num_heads < 0 || l.num_heads > c.num_heads) {
      return InvalidArgument(where + "num_heads must be in [1, " + std::to_string(c.num_heads) +
                             "], got " + std::to_string(l.num_heads));
    }
    if (l.intermediate_size < 0 || l.intermediate_size > max_dim) {
      return InvalidArgument(where + "intermediate_size must be in [1, " + std::to_string(max_dim) +
                             "], got " + std::to_string(l.intermediate_size));
    }
    for (int k = 0; k < kNumLayerLinears; ++k) {
      if (l.ranks[k] < 0 || l.ranks[k] > max_dim) {
        return InvalidArgument(where + "the rank of " + kLinearNames[k] + " must be in [0, " +
                               std::to_string(max_dim) + "], got " + std::to_string(l.ranks[k]));
      }
    }
  }
  return Status::Ok();
}

}  // namespace hb
