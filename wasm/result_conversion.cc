// C++ results -> plain JS values (see result_conversion.h).
#include "result_conversion.h"

#include <emscripten/val.h>

namespace hb::wasm {

using emscripten::typed_memory_view;

val OkResult(val value) {
  val r = val::object();
  r.set("ok", true);
  r.set("value", value);
  return r;
}

val ErrorResult(const Status& status) {
  val r = val::object();
  r.set("ok", false);
  r.set("code", std::string(StatusCodeName(status.code())));
  r.set("message", status.message());
  return r;
}

std::string BytesFromJs(const val& v) {
  if (v.isNull() || v.isUndefined()) return std::string();
  if (v.isString()) return v.as<std::string>();
  // A Uint8Array: one bulk copy from the JS array into the string's buffer. The view is made
  // after the allocation, so memory growth cannot detach it before the copy.
  const size_t n = v["length"].as<size_t>();
  std::string bytes(n, '\0');
  if (n > 0) {
    val(typed_memory_view(n, reinterpret_cast<uint8_t*>(bytes.data()))).call<void>("set", v);
  }
  return bytes;
}

val CopyToFloat32Array(const float* data, size_t n) {
  // new Float32Array(view) copies; the view itself would dangle after memory growth.
  return val::global("Float32Array").new_(val(typed_memory_view(n, data)));
}

val CopyToFloat32Array(const std::vector<float>& v) {
  return CopyToFloat32Array(v.data(), v.size());
}

val CopyToInt32Array(const std::vector<int32_t>& v) {
  return val::global("Int32Array").new_(val(typed_memory_view(v.size(), v.data())));
}

val StringsToJs(const std::vector<std::string>& v) {
  val a = val::array();
  for (size_t i = 0; i < v.size(); ++i) a.set(i, v[i]);
  return a;
}

namespace {

void SetEncodingFields(val& o, const Encoding& e) {
  o.set("ids", CopyToInt32Array(e.ids));
  o.set("typeIds", CopyToInt32Array(e.type_ids));
  o.set("tokens", StringsToJs(e.tokens));
  std::vector<int32_t> flat;
  flat.reserve(e.offsets.size() * 2);
  for (const auto& [begin, end] : e.offsets) {
    flat.push_back(begin);
    flat.push_back(end);
  }
  o.set("offsets", CopyToInt32Array(flat));
  o.set("truncated", e.truncated);
}

}  // namespace

val EncodingToJs(const Encoding& e) {
  val o = val::object();
  SetEncodingFields(o, e);
  return o;
}

val OutputToJs(const Output& out) {
  val o = val::object();
  SetEncodingFields(o, out.encoding);
  o.set("logits", CopyToFloat32Array(out.logits));
  o.set("probs", CopyToFloat32Array(out.probs));
  o.set("label", out.label);
  if (!out.cls.empty()) o.set("cls", CopyToFloat32Array(out.cls));
  if (!out.mean.empty()) o.set("mean", CopyToFloat32Array(out.mean));
  if (!out.pooler.empty()) o.set("pooler", CopyToFloat32Array(out.pooler));
  o.set("exitLayer", out.exit_layer);
  val layer_logits = val::array();
  for (size_t i = 0; i < out.layer_logits.size(); ++i) {
    layer_logits.set(i, CopyToFloat32Array(out.layer_logits[i]));
  }
  o.set("layerLogits", layer_logits);
  o.set("layerNumbers",
        CopyToInt32Array(std::vector<int32_t>(out.layer_numbers.begin(), out.layer_numbers.end())));
  o.set("attention", out.attention);
  return o;
}

val InfoToJs(const ModelInfo& info) {
  val o = val::object();
  o.set("architecture", info.architecture);
  o.set("modelType", info.model_type);
  o.set("task", info.task);
  o.set("vocabSize", info.vocab_size);
  o.set("hiddenSize", info.hidden_size);
  o.set("numLayers", info.num_layers);
  o.set("numHeads", info.num_heads);
  o.set("intermediateSize", info.intermediate_size);
  o.set("maxPositionEmbeddings", info.max_position_embeddings);
  o.set("typeVocabSize", info.type_vocab_size);
  o.set("hiddenAct", info.hidden_act);
  o.set("layerNormEps", info.layer_norm_eps);
  o.set("labels", StringsToJs(info.labels));
  o.set("scoreFunction", info.score_function);
  o.set("hasPooler", info.has_pooler);
  o.set("maxLength", info.max_length);
  o.set("lowercase", info.lowercase);
  o.set("numThreads", info.num_threads);
  val exit_layers = val::array();
  for (size_t i = 0; i < info.exit_layers.size(); ++i) exit_layers.set(i, info.exit_layers[i]);
  o.set("exitLayers", exit_layers);
  o.set("defaultExitRule", info.default_exit_rule);
  o.set("defaultExitThreshold", info.default_exit_threshold);
  o.set("defaultExitPatience", info.default_exit_patience);
  o.set("dtype", info.dtype);
  o.set("int8Activations", info.int8_activations);
  o.set("relaxedSimd", info.int8_quad_kernel);
  o.set("attention", info.attention);
  val limits = val::object();
  limits.set("maxTextBytes", static_cast<double>(info.limits.max_text_bytes));
  limits.set("maxBatchSize", static_cast<double>(info.limits.max_batch_size));
  limits.set("maxTotalTokens", static_cast<double>(info.limits.max_total_tokens));
  o.set("limits", limits);
  return o;
}

}  // namespace hb::wasm
