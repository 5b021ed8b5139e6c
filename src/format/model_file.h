// The hummingbert model file (`.hbm`): one self-contained file with the config, the tokenizer
// vocabulary and settings, label names, exit heads and all tensors (fp32, fp16 or int8), so a
// browser fetches and loads one small file. The format is specified in format/MODEL_FILE.md.
//
// Design goals:
//  - A documented, inspectable container: a valid safetensors file (stock `safetensors` Python
//    opens it), with our settings as JSON strings in `__metadata__` and tensors under stable
//    names of our own.
//  - Deterministic bytes: sorted JSON keys, no timestamps or paths, so native and wasm writers
//    produce identical files from identical inputs.
//  - Every tensor starts 64-byte aligned in the file (space-padded header, explicit `_pad.N`
//    tensors where needed), ready for zero-copy use later.
//  - Versioned: `format_version` "1"; readers accept versions up to theirs and ignore unknown
//    metadata keys and tensors, so optional additions (sparse attention settings, pruned shapes)
//    do not break old readers. Breaking changes bump the version.
//  - The reader trusts nothing: container checks by SafetensorsReader, then the metadata, and
//    every tensor's presence, dtype and exact shape against the config; scales must be finite.
// Reading is incremental (format/model_file_stream.h): the header is parsed as soon as it is
// complete and every tensor's bytes then go straight into the final weight vectors.
// Non-goals: memory mapping, streaming writes, sharded files, compression (the web server's
// gzip/brotli does that), storing the HF tokenizer.json (we keep only the settings we use).
#ifndef HB_FORMAT_MODEL_FILE_H_
#define HB_FORMAT_MODEL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/half_float.h"
#include "base/status.h"
#include "format/safetensors_reader.h"
#include "model/bert_weights.h"
#include "tokenizer/bert_tokenizer.h"

namespace hb {

// The newest format_version this code reads. Writers emit 1 for plain models (readable by every
// release) and 2 only for compressed ones (per-layer shapes, low-rank or shared layers,
// factorized embeddings; see MODEL_FILE.md "Versioning").
constexpr int kModelFileFormatVersion = 2;
// Every tensor's first byte is at a multiple of this offset from the start of the file.
constexpr size_t kModelFileAlignment = 64;

// How a model file stores its weights (metadata "dtype"):
//  kFp32: everything F32.
//  kFp16: encoder dense weights and the embedding tables F16; LayerNorm, biases, heads F32.
//  kInt8: encoder dense weights I8 per output channel and word embeddings I8 per row, each with
//         an F32 scale; position / token-type embeddings F16; LayerNorm, biases, heads F32.
enum class ModelDtype : int { kFp32 = 0, kFp16 = 1, kInt8 = 2 };

// "fp32", "fp16", "int8".
const char* ModelDtypeName(ModelDtype dtype);
// Parses one of the names above; kInvalidArgument listing them otherwise.
StatusOr<ModelDtype> ParseModelDtype(std::string_view name);

struct WriteOptions {
  ModelDtype dtype = ModelDtype::kInt8;
  // Metadata "producer". Keep it free of build dates and paths: it is part of the bytes.
  std::string producer = "hummingbert";
};

// Serializes a model. Weights are stored as they are: with dtype kInt8 every encoder dense layer
// must be quantized (quant/quantize_weights.h QuantizeModel), with kFp32/kFp16 none may be;
// fp32 values are rounded to fp16 where the dtype stores F16 (exact after QuantizeModel).
// Deterministic: the same inputs give the same bytes on every platform.
// Errors: kInvalidArgument (weights that do not match their config, e.g. a vector of the wrong
// size, a missing classifier, unsorted exit heads, or a dtype the weights do not have, naming the
// tensor), kResourceExhausted (out of memory or a file over 4 GiB on 32-bit).
StatusOr<std::string> WriteModelFile(const BertWeights& weights, const TokenizerSettings& settings,
                                     std::string_view vocab_txt, const WriteOptions& options);

struct ModelFileContents {
  BertWeights weights;  // int8 fields filled where the file stores I8
  TokenizerSettings settings;
  std::string vocab_txt;  // the vocab.txt bytes, one token per line
  std::string dtype;      // metadata "dtype": "fp32", "fp16" or "int8"
  int format_version = 0;
};

// Parses and validates a model file (bytes are copied; `data` need not outlive the call): a
// ModelFileStreamReader fed the whole file at once, so the peak is the file plus the weights.
// Errors: kInvalidModel (truncated or malformed container, not a hummingbert file, malformed
// metadata JSON, a missing tensor, wrong dtype, a shape that does not match the config, a
// non-finite or negative scale, a missing vocabulary; messages name the part and the numbers),
// kUnsupported (format_version newer than kModelFileFormatVersion, unknown activation),
// kResourceExhausted (out of memory), kInvalidArgument (null data with a non-zero size). Bytes
// after the last tensor are an error too (a valid file ends with its last tensor).
StatusOr<ModelFileContents> ReadModelFile(const uint8_t* data, size_t size);

// Where one tensor's bytes go while a model file is read (see ModelFileStreamReader): the
// data-section bytes [begin, end) are written to `bytes`, inside the vector that ends up in
// ModelFileContents, so nothing is copied twice. F16/BF16 tensors are stored in the upper half
// of their fp32 vector and widened in place by CompleteTensor.
struct TensorDestination {
  const TensorView* tensor = nullptr;  // in the header's SafetensorsReader
  uint64_t begin = 0, end = 0;
  uint8_t* bytes = nullptr;
  std::vector<float>* floats = nullptr;  // set for F16/BF16 (widened) and scales (checked)
  bool scales = false;                   // values must be finite and >= 0
};

// The metadata of a parsed header (format, version, dtype, config, tokenizer, exit heads,
// attention) into `out`, then every tensor the config needs checked (presence, dtype, shape)
// and its destination allocated in out->weights / out->vocab_txt. Tensors the model does not
// use (`_pad.N`, unknown names) get none (a null `tensor`). `plan` is indexed like
// header.tensors(). `out` must not move while the destinations are in use. Errors as
// ReadModelFile, without the "model file: " prefix.
Status PlanModelFileTensors(const SafetensorsReader& header, ModelFileContents* out,
                            std::vector<TensorDestination>* plan);
// Called once all of a destination's bytes are written: widens F16/BF16 to fp32 and checks
// scales (kInvalidModel naming the tensor and index).
Status CompleteTensor(const TensorDestination& d);

// A cheap sniff (no full parse) to tell a model file from other inputs, e.g. an HF
// model.safetensors: true if the bytes start like safetensors whose header (as much of it as
// the bytes hold, so a truncated file still counts) has the metadata entry
// "format": "hummingbert". ReadModelFile still validates everything.
bool LooksLikeModelFile(const uint8_t* data, size_t size);

}  // namespace hb

#endif  // HB_FORMAT_MODEL_FILE_H_
