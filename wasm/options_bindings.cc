// Options cross from JS as plain objects with every field present (js/src/ fills defaults and
// validates types and ranges first). Offset units cross as their integer values
// (0 code points, 1 UTF-16, 2 bytes: hb::OffsetUnit).
#include <emscripten/bind.h>

#include "hummingbert.h"

namespace hb::wasm {
namespace {

using emscripten::value_object;

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
      .field("offsetUnit", &GetOffsetUnit<RunOptions>, &SetOffsetUnit<RunOptions>);

  value_object<StandaloneTokenizerOptions>("StandaloneTokenizerOptions")
      .field("lowercase", &StandaloneTokenizerOptions::lowercase)
      .field("maxLength", &StandaloneTokenizerOptions::max_length);
}

}  // namespace
}  // namespace hb::wasm
