// Turns the files of a Hugging Face checkpoint into validated weights and tokenizer settings:
// the one loading path behind Model::FromHuggingFaceFiles, convert and calibrate-exits.
#ifndef HB_MODEL_CHECKPOINT_LOADER_H_
#define HB_MODEL_CHECKPOINT_LOADER_H_

#include "base/status.h"
#include "format/huggingface_files.h"
#include "model/bert_weights.h"
#include "tokenizer/bert_tokenizer.h"

namespace hb {

struct LoadedCheckpoint {
  BertWeights weights;  // exit heads included when the files have them
  TokenizerSettings settings;
};

// Errors carry the file name ("model.safetensors: tensor ..."): kInvalidModel / kUnsupported
// from config.json, the weights, the exit heads (both files or neither), the tokenizer files, or a
// vocab.txt with more tokens than the embedding table; kResourceExhausted on out of memory.
StatusOr<LoadedCheckpoint> LoadHuggingFaceCheckpoint(const HuggingFaceFiles& files);

}  // namespace hb

#endif  // HB_MODEL_CHECKPOINT_LOADER_H_
