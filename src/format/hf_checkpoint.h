// Loads a Hugging Face checkpoint (config.json + model.safetensors) into BertWeights.
#ifndef HB_FORMAT_HF_CHECKPOINT_H_
#define HB_FORMAT_HF_CHECKPOINT_H_

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "format/safetensors_reader.h"
#include "model/bert_weights.h"

namespace hb {

// Maps HF tensor names (with or without the "bert." / "distilbert." prefix; LayerNorm
// "weight/bias" or legacy "gamma/beta") to BertWeights, fusing Q/K/V. Every tensor the config
// needs must be present with exactly the expected shape; a missing or mis-shaped tensor gives
// kInvalidModel naming it and both shapes. Float dtypes (F32/F16/BF16) are converted to fp32;
// other dtypes give kUnsupported. Extra tensors are ignored. A hand-made config with
// non-positive sizes or a classifier without labels gives kInvalidArgument; out of memory,
// kResourceExhausted.
StatusOr<BertWeights> LoadBertWeights(const BertConfig& config, const SafetensorsReader& tensors);

}  // namespace hb

#endif  // HB_FORMAT_HF_CHECKPOINT_H_
