// Options cross from JS as plain objects with every field present (js/src/ fills defaults and
// validates types and ranges first). Enums cross as their integer values: offset units
// (hb::OffsetUnit: 0 code points, 1 UTF-16, 2 bytes) and early-exit rules (hb::EarlyExit:
// 0 model default, 1 off, 2 entropy, 3 max-prob, 4 patience), attention modes (hb::AttentionMode:
// 0 model default, 1 dense, 2 sliding window) and long inputs (hb::LongInput: 0 truncate,
// 1 chunk). Global attention positions cross as a JS array of integers.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <vector>

#include "hummingbert.h"

namespace hb::wasm {
namespace {

using emscripten::val;
using emscripten::value_object;

int GetAttentionMode(const RunOptions& o) { return static_cast<int>(o.attention.mode); }
void SetAttentionMode(RunOptions& o, int mode) {
  o.attention.mode = static_cast<AttentionMode>(mode);
}
int GetAttentionWindow(const RunOptions& o) { return o.attention.window; }
void SetAttentionWindow(RunOptions& o, int window) { o.attention.window = window; }
val GetGlobalPositions(const RunOptions& o) {
  val a = val::array();
  for (size_t i = 0; i < o.attention.global_positions.size(); ++i)
    a.set(i, o.attention.global_positions[i]);
  return a;
}
void SetGlobalPositions(RunOptions& o, val positions) {
  o.attention.global_positions = emscripten::vecFromJSArray<int>(positions);
}
int GetLongInput(const RunOptions& o) { return static_cast<int>(o.long_input); }
void SetLongInput(RunOptions& o, int mode) { o.long_input = static_cast<LongInput>(mode); }

// Input limits (hb::InputLimits) cross as flat numbers: maxTextBytes, maxBatchSize,
// maxTotalTokens (0: the model's, or at load the built-in default). js/src/ passes integers in
// [0, 2^32 - 1]; a double is taken so no JS number can fail the conversion.
size_t ToSize(double v) { return v >= 0 && v < 4294967296.0 ? static_cast<size_t>(v) : 0; }
template <typename Options, size_t InputLimits::*Field>
double GetLimit(const Options& o) {
  return static_cast<double>(o.limits.*Field);
}
template <typename Options, size_t InputLimits::*Field>
void SetLimit(Options& o, double v) {
  o.limits.*Field = ToSize(v);
}
double GetTokenizeMaxTextBytes(const TokenizeOptions& o) {
  return static_cast<double>(o.max_text_bytes);
}
void SetTokenizeMaxTextBytes(TokenizeOptions& o, double v) { o.max_text_bytes = ToSize(v); }

int GetEarlyExit(const RunOptions& o) { return static_cast<int>(o.early_exit); }
void SetEarlyExit(RunOptions& o, int rule) { o.early_exit = static_cast<EarlyExit>(rule); }

template <typename Options>
int GetOffsetUnit(const Options& o) {
  return static_cast<int>(o.offset_unit);
}
template <typename Options>
void SetOffsetUnit(Options& o, int unit) {
  o.offset_unit = static_cast<OffsetUnit>(unit);
}

EMSCRIPTEN_BINDINGS(hummingbert_options) {
  value_object<TokenizeOptions>("TokenizeOptions")
      .field("maxLength", &TokenizeOptions::max_length)
      .field("addSpecialTokens", &TokenizeOptions::add_special_tokens)
      .field("offsetUnit", &GetOffsetUnit<TokenizeOptions>, &SetOffsetUnit<TokenizeOptions>)
      .field("maxTextBytes", &GetTokenizeMaxTextBytes, &SetTokenizeMaxTextBytes);

  value_object<RunOptions>("RunOptions")
      .field("maxLength", &RunOptions::max_length)
      .field("embeddings", &RunOptions::embeddings)
      .field("normalize", &RunOptions::normalize)
      .field("offsetUnit", &GetOffsetUnit<RunOptions>, &SetOffsetUnit<RunOptions>)
      .field("earlyExit", &GetEarlyExit, &SetEarlyExit)
      .field("exitThreshold", &RunOptions::exit_threshold)
      .field("exitPatience", &RunOptions::exit_patience)
      .field("attentionMode", &GetAttentionMode, &SetAttentionMode)
      .field("attentionWindow", &GetAttentionWindow, &SetAttentionWindow)
      .field("globalPositions", &GetGlobalPositions, &SetGlobalPositions)
      .field("longInput", &GetLongInput, &SetLongInput)
      .field("maxTextBytes", &GetLimit<RunOptions, &InputLimits::max_text_bytes>,
             &SetLimit<RunOptions, &InputLimits::max_text_bytes>)
      .field("maxBatchSize", &GetLimit<RunOptions, &InputLimits::max_batch_size>,
             &SetLimit<RunOptions, &InputLimits::max_batch_size>)
      .field("maxTotalTokens", &GetLimit<RunOptions, &InputLimits::max_total_tokens>,
             &SetLimit<RunOptions, &InputLimits::max_total_tokens>);

  value_object<LoadOptions>("LoadOptions")
      .field("dtype", &LoadOptions::dtype)
      .field("int8Activations", &LoadOptions::int8_activations)
      .field("numThreads", &LoadOptions::num_threads)
      .field("maxTextBytes", &GetLimit<LoadOptions, &InputLimits::max_text_bytes>,
             &SetLimit<LoadOptions, &InputLimits::max_text_bytes>)
      .field("maxBatchSize", &GetLimit<LoadOptions, &InputLimits::max_batch_size>,
             &SetLimit<LoadOptions, &InputLimits::max_batch_size>)
      .field("maxTotalTokens", &GetLimit<LoadOptions, &InputLimits::max_total_tokens>,
             &SetLimit<LoadOptions, &InputLimits::max_total_tokens>);

  value_object<StandaloneTokenizerOptions>("StandaloneTokenizerOptions")
      .field("lowercase", &StandaloneTokenizerOptions::lowercase)
      .field("maxLength", &StandaloneTokenizerOptions::max_length);
}

}  // namespace
}  // namespace hb::wasm
