// Longer inputs for a model with learned absolute positions: grow the position table by
// repeating it (as Longformer initialised its 4096 positions from RoBERTa's 512).
#ifndef HB_MODEL_EXTEND_POSITIONS_H_
#define HB_MODEL_EXTEND_POSITIONS_H_

#include "base/status.h"
#include "model/bert_weights.h"

namespace hb {

// Extends weights.position_embeddings to n rows: row r becomes old row r % old_n, and
// config.max_position_embeddings becomes n. n equal to the current size is a no-op. Repeated
// positions are only a starting point: a model is expected to attend locally (sliding window)
// or be fine-tuned at the new length. Errors: kInvalidArgument when n is smaller than the
// current table or above 1 << 20, or the table does not match the config.
Status ExtendPositions(BertWeights& weights, int n);

}  // namespace hb

#endif  // HB_MODEL_EXTEND_POSITIONS_H_
