// ExtendPositions: copies the learned position table until it has n rows.
#include "model/extend_positions.h"

#include <string>

namespace hb {

Status ExtendPositions(BertWeights& weights, int n) {
  BertConfig& c = weights.config;
  const int old_n = c.max_position_embeddings;
  const size_t h = static_cast<size_t>(c.hidden_size);
  if (old_n <= 0 || weights.position_embeddings.size() != static_cast<size_t>(old_n) * h) {
    return InvalidArgument("the position table does not match max_position_embeddings = " +
                           std::to_string(old_n));
  }
  if (n < old_n || n > (1 << 20)) {
    return InvalidArgument("max positions must be in [" + std::to_string(old_n) + ", " +
                           std::to_string(1 << 20) + "], got " + std::to_string(n));
  }
  std::vector<float>& table = weights.position_embeddings;
  table.resize(static_cast<size_t>(n) * h);
  for (size_t r = static_cast<size_t>(old_n); r < static_cast<size_t>(n); ++r) {
    const size_t src = r % static_cast<size_t>(old_n);
    std::copy(table.begin() + src * h, table.begin() + (src + 1) * h, table.begin() + r * h);
  }
  c.max_position_embeddings = n;
  return Status::Ok();
}

}  // namespace hb
