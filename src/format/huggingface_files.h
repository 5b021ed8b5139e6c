// The files of a Hugging Face model folder, as views over bytes already in memory, and a reader
// that fills them from a folder on disk.
#ifndef HB_FORMAT_HUGGINGFACE_FILES_H_
#define HB_FORMAT_HUGGINGFACE_FILES_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace hb {

// Model files already in memory (from JS, a network fetch, an archive). Views must stay valid
// only during the call that takes them.
struct HuggingFaceFiles {
  std::string_view config_json;
  std::string_view safetensors;  // bytes of model.safetensors
  std::string_view vocab_txt;
  std::string_view tokenizer_config_json;    // optional (empty)
  std::string_view tokenizer_json;           // optional
  std::string_view special_tokens_map_json;  // optional
  // Optional early-exit heads (sequence classifiers): exit_config.json + exit_heads.safetensors.
  std::string_view exit_config_json;
  std::string_view exit_heads_safetensors;
};

// A folder's files read into memory; View() points into them.
struct HuggingFaceFolder {
  std::string config_json, safetensors, vocab_txt, tokenizer_config_json, tokenizer_json,
      special_tokens_map_json, exit_config_json, exit_heads_safetensors;
  HuggingFaceFiles View() const;
};

// Reads config.json, model.safetensors and vocab.txt (required) and the optional files when
// present. Errors: kNotFound naming the missing file (kUnsupported for a folder holding only
// pytorch_model.bin), kIoError.
StatusOr<HuggingFaceFolder> ReadHuggingFaceFolder(const std::string& dir);

}  // namespace hb

#endif  // HB_FORMAT_HUGGINGFACE_FILES_H_
