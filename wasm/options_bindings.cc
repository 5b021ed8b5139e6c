// Options cross from JS as plain objects with every field present (js/src/ fills defaults and
// validates types and ranges first). Enums cross as their integer values: offset units
// (hb::OffsetUnit: 0 code points, 1 UTF-16, 2 bytes) and early-exit rules (hb::EarlyExit:
// 0 model default, 1 off, 2 entropy, 3 max-prob, 4 patience).
#include <emscripten/bind.h>

#include "hummingbert.h"

namespace hb::wasm {
namespace {

using emscripten::value_object;

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
      .field("offsetUnit", &GetOffsetUnit<TokenizeOptions>, &SetOffsetUnit<TokenizeOptions>);

  value_object<RunOptions>("RunOptions")
      .field("maxLength", &RunOptions::max_length)
      .field("embeddings", &RunOptions::embeddings)
      .field("normalize", &RunOptions::normalize)
      .field("offsetUnit", &GetOffsetUnit<RunOptions>, &SetOffsetUnit<RunOptions>)
      .field("earlyExit", &GetEarlyExit, &SetEarlyExit)
      .field("exitThreshold", &RunOptions::exit_threshold)
      .field("exitPatience", &RunOptions::exit_patience);

  value_object<LoadOptions>("LoadOptions")
      .field("dtype", &LoadOptions::dtype)
      .field("numThreads", &LoadOptions::num_threads);

  value_object<StandaloneTokenizerOptions>("StandaloneTokenizerOptions")
      .field("lowercase", &StandaloneTokenizerOptions::lowercase)
      .field("maxLength", &StandaloneTokenizerOptions::max_length);
}

}  // namespace
}  // namespace hb::wasm
