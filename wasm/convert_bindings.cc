// Embind for hb::ConvertHuggingFaceFiles: the engine of `npx hummingbert convert` (the same code
// as the native `hummingbert convert`, so both write byte-identical model files). Returns
// {ok: true, value: {bytes: Uint8Array, inputBytes, outputBytes, numExitHeads}} or
// {ok: false, code, message}. The input files are copied into the heap for the call only.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "hummingbert_convert.h"
#include "result_conversion.h"

namespace hb::wasm {
namespace {

using emscripten::typed_memory_view;
using emscripten::val;

// Arguments as ModelHandle.load (strings or Uint8Array, null for absent optional files), then
// the dtype ("int8", "fp16" or "fp32"; the core lists the valid ones when it is wrong).
val ConvertFiles(val config_json, val safetensors, val vocab_txt, val tokenizer_config_json,
                 val tokenizer_json, val special_tokens_map_json, val exit_config_json,
                 val exit_heads_safetensors, std::string dtype) {
  return GuardResult([&] {
    const std::string config = BytesFromJs(config_json);
    const std::string weights = BytesFromJs(safetensors);
    const std::string vocab = BytesFromJs(vocab_txt);
    const std::string tok_config = BytesFromJs(tokenizer_config_json);
    const std::string tok_json = BytesFromJs(tokenizer_json);
    const std::string special = BytesFromJs(special_tokens_map_json);
    const std::string exit_config = BytesFromJs(exit_config_json);
    const std::string exit_heads = BytesFromJs(exit_heads_safetensors);
    HuggingFaceFiles files;
    files.config_json = config;
    files.safetensors = weights;
    files.vocab_txt = vocab;
    files.tokenizer_config_json = tok_config;
    files.tokenizer_json = tok_json;
    files.special_tokens_map_json = special;
    ConvertOptions options;
    options.dtype = std::move(dtype);
    ExitHeadFiles heads{exit_config, exit_heads};
    ConvertSummary summary;
    StatusOr<std::string> file = ConvertHuggingFaceFiles(files, options, heads, &summary);
    if (!file.ok()) return ErrorResult(file.status());
    val o = val::object();
    // new Uint8Array(view) copies out of the heap before *file is freed.
    o.set("bytes", val::global("Uint8Array")
                       .new_(val(typed_memory_view(file->size(),
                                                   reinterpret_cast<const uint8_t*>(file->data())))));
    o.set("inputBytes", static_cast<double>(summary.input_bytes));
    o.set("outputBytes", static_cast<double>(summary.output_bytes));
    o.set("numExitHeads", summary.num_exit_heads);
    return OkResult(o);
  });
}

EMSCRIPTEN_BINDINGS(hummingbert_convert) {
  emscripten::function("convertHuggingFaceFiles", &ConvertFiles);
}

}  // namespace
}  // namespace hb::wasm
