// Conversions between the core's C++ types and plain JS values for the Embind layer. Results
// leave as plain objects whose typed arrays are *copies* (never views of wasm memory, which
// memory growth would detach); errors leave as {ok: false, code, message} values, never as
// exceptions. No logic: anything that decides belongs to src/ or js/.
#ifndef HB_WASM_RESULT_CONVERSION_H_
#define HB_WASM_RESULT_CONVERSION_H_

#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "hummingbert.h"

namespace hb::wasm {

using emscripten::val;

// {ok: true, value}
val OkResult(val value);
// {ok: false, code: "INVALID_MODEL", message}
val ErrorResult(const Status& status);

// Runs f() (which returns a {ok, ...} result) and turns a C++ exception that reaches the binding
// into an error result, so a thrown number or WebAssembly.Exception never reaches JS. The core
// returns Status for bad input; this covers allocation failures in the conversion code itself.
template <typename F>
val GuardResult(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return ErrorResult(ResourceExhausted("out of memory in the WebAssembly module"));
  } catch (const std::exception& e) {
    return ErrorResult(Internal(std::string("unexpected C++ exception: ") + e.what()));
  } catch (...) {
    return ErrorResult(Internal("unexpected C++ exception"));
  }
}

// Bytes of a JS string (UTF-8 encoded) or Uint8Array, copied once into C++ memory.
// null/undefined give an empty string. Other types: JS validates before calling.
std::string BytesFromJs(const val& v);

// New JS typed arrays holding copies of the data.
val CopyToFloat32Array(const float* data, size_t n);
val CopyToFloat32Array(const std::vector<float>& v);
val CopyToInt32Array(const std::vector<int32_t>& v);
val StringsToJs(const std::vector<std::string>& v);

// {ids: Int32Array, typeIds: Int32Array, tokens: string[], offsets: Int32Array [2 * tokens]
//  (begin, end, begin, end, ...), truncated: boolean}
val EncodingToJs(const Encoding& e);
// EncodingToJs fields plus logits/probs (Float32Array, [tokens x labels] row-major for token
// classifiers), label (index, -1 if none), cls/mean/pooler (Float32Array, absent if empty), and
// for early exit exitLayer, layerLogits (Float32Array per head evaluated) and layerNumbers.
val OutputToJs(const Output& o);
// ModelInfo with camelCase keys; labels as string[].
val InfoToJs(const ModelInfo& info);

}  // namespace hb::wasm

#endif  // HB_WASM_RESULT_CONVERSION_H_
