// Converting a Hugging Face checkpoint into one hummingbert model file (.hbm): the engine behind
// `hummingbert convert` natively and `npx hummingbert convert` (the same code in wasm, in Node).
//
// Usage:
//
//   #include "hummingbert_convert.h"
//
//   hb::ConvertOptions options;  // dtype "int8" by default
//   hb::StatusOr<std::string> file = hb::ConvertHuggingFaceDir("my-model", options);
//   if (!file.ok()) { fprintf(stderr, "%s\n", file.status().ToString().c_str()); return 1; }
//   // write *file to my-model.hbm; load it with Model::FromModelFile.
//
// The bytes depend only on the input files and the options (no timestamps, no paths), so native
// and wasm conversions of the same folder are byte-identical. Thread safety: the functions share
// no state and may run concurrently.
#ifndef HB_HUMMINGBERT_CONVERT_H_
#define HB_HUMMINGBERT_CONVERT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "hummingbert.h"

namespace hb {

struct ConvertOptions {
  // "int8" (default): int8 encoder weights and word embeddings, the smallest file (~26% of the
  // fp32 checkpoint for BERT-base); "fp16": half the fp32 size; "fp32": lossless.
  std::string dtype = "int8";
  // > 0: extend the learned position table to this many rows by repeating it (Longformer's
  // initialisation) and raise the default max_length to it; pair with attention_window.
  int max_positions = 0;
  // > 0: store sliding-window attention of this width (+ global [CLS]) as the model's default
  // pattern; 0 keeps dense (what every BERT checkpoint is trained with).
  int attention_window = 0;
};

// Optional DeeBERT exit heads (exit_config.json + exit_heads.safetensors). Both empty: none.
struct ExitHeadFiles {
  std::string_view exit_config_json;
  std::string_view exit_heads_safetensors;
};

// What a conversion read and wrote, for the CLI summary.
struct ConvertSummary {
  uint64_t input_bytes = 0;   // all input files together
  uint64_t output_bytes = 0;  // the model file
  int num_exit_heads = 0;
};

// Converts files already in memory (views must stay valid during the call). Returns the model
// file bytes. Errors: kInvalidArgument (unknown dtype, listing the valid ones), kInvalidModel /
// kUnsupported from the checkpoint (prefixed with the file name), kInvalidModel when only one of
// the two exit head files is given, kResourceExhausted (out of memory).
StatusOr<std::string> ConvertHuggingFaceFiles(const HuggingFaceFiles& files,
                                              const ConvertOptions& options,
                                              const ExitHeadFiles& exit_heads = {},
                                              ConvertSummary* summary = nullptr);

// Reads a Hugging Face model folder (config.json, model.safetensors, vocab.txt, optional
// tokenizer_config.json / tokenizer.json / special_tokens_map.json, optional exit_config.json +
// exit_heads.safetensors) and converts it. Native only in practice (the wasm module has no file
// system); errors as above plus kNotFound / kIoError for files.
StatusOr<std::string> ConvertHuggingFaceDir(const std::string& dir, const ConvertOptions& options,
                                            ConvertSummary* summary = nullptr);

}  // namespace hb

#endif  // HB_HUMMINGBERT_CONVERT_H_
