// Embind for hb::Model and hb::Tokenizer: handles that own the C++ objects, loaded from bytes.
// Every method returns {ok: true, value} or {ok: false, code, message} (result_conversion.h);
// js/src/ turns the latter into a HummingbertError. JS frees a handle with .delete().
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hummingbert.h"
#include "result_conversion.h"

namespace hb::wasm {
namespace {

using emscripten::class_;
using emscripten::val;

// Texts arrive as JS strings or Uint8Array (UTF-8 bytes); `pairs` is null or an array of the
// same length whose entries are a second text or null.
struct TextBatch {
  std::vector<std::string> firsts, seconds;
  std::vector<TextPair> inputs;
};

TextBatch ToTextBatch(const val& texts, const val& pairs) {
  TextBatch b;
  const size_t n = texts["length"].as<size_t>();
  const bool has_pairs = !pairs.isNull() && !pairs.isUndefined();
  b.firsts.reserve(n);
  b.seconds.reserve(n);
  std::vector<bool> has_second(n, false);
  for (size_t i = 0; i < n; ++i) {
    b.firsts.push_back(BytesFromJs(texts[i]));
    val second = has_pairs ? pairs[i] : val::null();
    has_second[i] = !second.isNull() && !second.isUndefined();
    b.seconds.push_back(BytesFromJs(second));
  }
  // Views are taken after both vectors stopped growing.
  for (size_t i = 0; i < n; ++i)
    b.inputs.push_back(TextPair{b.firsts[i], b.seconds[i], has_second[i]});
  return b;
}

// Model and Tokenizer both tokenize one text or a pair (pair: null/undefined for one text).
template <class T>
val TokenizeWith(const T& t, val text, val pair, const TokenizeOptions& options) {
  return GuardResult([&] {
    const std::string a = BytesFromJs(text);
    const bool has_pair = !pair.isNull() && !pair.isUndefined();
    const std::string b = BytesFromJs(pair);
    StatusOr<Encoding> e = has_pair ? t.TokenizePair(a, b, options) : t.Tokenize(a, options);
    if (!e.ok()) return ErrorResult(e.status());
    return OkResult(EncodingToJs(*e));
  });
}

class ModelHandle {
 public:
  explicit ModelHandle(std::unique_ptr<Model> model) : model_(std::move(model)) {}

  // Each argument is a string or Uint8Array (null/undefined for the optional files). The bytes
  // are copied into the wasm heap once, and freed when this returns: the Model keeps its own
  // (converted) weights.
  static val Load(val config_json, val safetensors, val vocab_txt, val tokenizer_config_json,
                  val tokenizer_json, val special_tokens_map_json, val exit_config_json,
                  val exit_heads_safetensors, const LoadOptions& options) {
    return GuardResult([&] {
      HuggingFaceFolder folder;  // owns the bytes copied out of JS
      folder.config_json = BytesFromJs(config_json);
      folder.safetensors = BytesFromJs(safetensors);
      folder.vocab_txt = BytesFromJs(vocab_txt);
      folder.tokenizer_config_json = BytesFromJs(tokenizer_config_json);
      folder.tokenizer_json = BytesFromJs(tokenizer_json);
      folder.special_tokens_map_json = BytesFromJs(special_tokens_map_json);
      folder.exit_config_json = BytesFromJs(exit_config_json);
      folder.exit_heads_safetensors = BytesFromJs(exit_heads_safetensors);
      const HuggingFaceFiles files = folder.View();
      StatusOr<std::unique_ptr<Model>> model = Model::FromHuggingFaceFiles(files, options);
      if (!model.ok()) return ErrorResult(model.status());
      // JS owns the new handle (freed by its .delete()).
      return OkResult(val(ModelHandle(std::move(model).value())));
    });
  }

  // A hummingbert model file (.hbm) as a Uint8Array: copied into the heap once, parsed, and the
  // copy freed when this returns (the Model keeps its own weights).
  static val FromModelFile(val bytes, const LoadOptions& options) {
    return GuardResult([&] {
      const std::string file = BytesFromJs(bytes);
      StatusOr<std::unique_ptr<Model>> model = Model::FromModelFile(file, options);
      if (!model.ok()) return ErrorResult(model.status());
      return OkResult(val(ModelHandle(std::move(model).value())));
    });
  }

  val Info() const {
    return GuardResult([&] { return OkResult(InfoToJs(model_->info())); });
  }

  // pair: null/undefined for a single text.
  val Tokenize(val text, val pair, const TokenizeOptions& options) const {
    return TokenizeWith(*model_, text, pair, options);
  }

  // texts: array of strings/Uint8Array; pairs: null or an array of the same length.
  val Run(val texts, val pairs, const RunOptions& options) const {
    return GuardResult([&] {
      const TextBatch batch = ToTextBatch(texts, pairs);
      StatusOr<std::vector<Output>> outs = model_->Run(batch.inputs, options);
      if (!outs.ok()) return ErrorResult(outs.status());
      val results = val::array();
      for (size_t i = 0; i < outs->size(); ++i) results.set(i, OutputToJs((*outs)[i]));
      return OkResult(results);
    });
  }

 private:
  std::unique_ptr<Model> model_;
};

// A streaming .hbm load (hb::ModelFileLoader): JS writes each chunk into a staging buffer in
// the wasm heap (allocated once per loader) and calls append(n); finish() gives a ModelHandle.
// The staging buffer and everything read so far are freed on error, after finish() and by
// .delete(), whichever comes first.
class ModelFileLoaderHandle {
 public:
  ModelFileLoaderHandle(std::unique_ptr<ModelFileLoader> loader, size_t staging_bytes)
      : loader_(std::move(loader)), staging_(staging_bytes) {}

  static val Create(const LoadOptions& options, size_t staging_bytes) {
    return GuardResult([&] {
      if (staging_bytes == 0) return ErrorResult(InvalidArgument("staging size must be > 0"));
      StatusOr<std::unique_ptr<ModelFileLoader>> loader = ModelFileLoader::Create(options);
      if (!loader.ok()) return ErrorResult(loader.status());
      return OkResult(val(ModelFileLoaderHandle(std::move(loader).value(), staging_bytes)));
    });
  }

  // Byte offset of the staging buffer in HEAPU8 (0 once freed) and its size.
  size_t StagingPointer() const { return reinterpret_cast<size_t>(staging_.data()); }
  size_t StagingSize() const { return staging_.size(); }

  // Consumes the first n bytes of the staging buffer.
  val Append(size_t n) {
    return GuardResult([&] {
      if (!error_.ok()) return ErrorResult(error_);
      if (!loader_) return ErrorResult(InvalidArgument("append after finish"));
      if (n > staging_.size()) {
        return ErrorResult(InvalidArgument("append(" + std::to_string(n) +
                                           ") is more than the staging buffer's " +
                                           std::to_string(staging_.size()) + " bytes"));
      }
      const Status s = loader_->Append(staging_.data(), n);
      if (!s.ok()) return Failed(s);
      return OkResult(val::undefined());
    });
  }

  val Finish() {
    return GuardResult([&] {
      if (!error_.ok()) return ErrorResult(error_);
      if (!loader_) return ErrorResult(InvalidArgument("finish called twice"));
      StatusOr<std::unique_ptr<Model>> model = loader_->Finish();
      Release();
      if (!model.ok()) return Failed(model.status());
      return OkResult(val(ModelHandle(std::move(model).value())));
    });
  }

 private:
  val Failed(const Status& s) {
    error_ = s;
    Release();
    return ErrorResult(s);
  }
  void Release() {
    loader_.reset();
    staging_ = std::vector<uint8_t>();
  }

  std::unique_ptr<ModelFileLoader> loader_;
  std::vector<uint8_t> staging_;
  Status error_;
};

class TokenizerHandle {
 public:
  explicit TokenizerHandle(std::unique_ptr<Tokenizer> t) : tokenizer_(std::move(t)) {}

  static val FromVocab(val vocab_txt, const StandaloneTokenizerOptions& options) {
    return GuardResult([&] {
      const std::string vocab = BytesFromJs(vocab_txt);
      StatusOr<std::unique_ptr<Tokenizer>> t = Tokenizer::FromVocab(vocab, options);
      if (!t.ok()) return ErrorResult(t.status());
      return OkResult(val(TokenizerHandle(std::move(t).value())));
    });
  }

  val Tokenize(val text, val pair, const TokenizeOptions& options) const {
    return TokenizeWith(*tokenizer_, text, pair, options);
  }

 private:
  std::unique_ptr<Tokenizer> tokenizer_;
};

EMSCRIPTEN_BINDINGS(hummingbert_model) {
  class_<ModelHandle>("ModelHandle")
      .class_function("load", &ModelHandle::Load)
      .class_function("fromModelFile", &ModelHandle::FromModelFile)
      .function("info", &ModelHandle::Info)
      .function("tokenize", &ModelHandle::Tokenize)
      .function("run", &ModelHandle::Run);
  class_<ModelFileLoaderHandle>("ModelFileLoader")
      .class_function("create", &ModelFileLoaderHandle::Create)
      .function("stagingPointer", &ModelFileLoaderHandle::StagingPointer)
      .function("stagingSize", &ModelFileLoaderHandle::StagingSize)
      .function("append", &ModelFileLoaderHandle::Append)
      .function("finish", &ModelFileLoaderHandle::Finish);
  class_<TokenizerHandle>("TokenizerHandle")
      .class_function("fromVocab", &TokenizerHandle::FromVocab)
      .function("tokenize", &TokenizerHandle::Tokenize);
}

}  // namespace
}  // namespace hb::wasm
