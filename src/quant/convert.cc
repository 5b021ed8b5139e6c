// HF folder -> model file without the Model facade (hummingbert_convert.h): read the files,
// LoadBertWeights + LoadExitHeads, QuantizeModel, WriteModelFile. Lives in quant/ so the module
// glob compiles it into hb_model, which already links format/ and tokenizer/.
#include <new>
#include <string>
#include <utility>

#include "base/file_io.h"
#include "format/bert_config.h"
#include "format/exit_heads.h"
#include "format/hf_checkpoint.h"
#include "format/model_file.h"
#include "format/safetensors_reader.h"
#include "hummingbert_convert.h"
#include "model/extend_positions.h"
#include "quant/quantize_weights.h"
#include "tokenizer/bert_tokenizer.h"

namespace hb {
namespace {

Status WithFile(const Status& s, const char* file) {
  return Status(s.code(), std::string(file) + ": " + s.message());
}

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

StatusOr<std::string> Convert(const HuggingFaceFiles& files, const ConvertOptions& options,
                              const ExitHeadFiles& exit, ConvertSummary* summary) {
  HB_ASSIGN_OR_RETURN(ModelDtype dtype, ParseModelDtype(options.dtype));
  StatusOr<BertConfig> config = ParseBertConfig(files.config_json);
  if (!config.ok()) return WithFile(config.status(), "config.json");
  StatusOr<SafetensorsReader> reader =
      SafetensorsReader::Parse(Bytes(files.safetensors), files.safetensors.size());
  if (!reader.ok()) return WithFile(reader.status(), "model.safetensors");
  StatusOr<BertWeights> loaded = LoadBertWeights(*config, *reader);
  if (!loaded.ok()) return WithFile(loaded.status(), "model.safetensors");
  BertWeights weights = std::move(loaded).value();

  if (exit.exit_config_json.empty() != exit.exit_heads_safetensors.empty()) {
    return InvalidModel(
        std::string("exit heads need both exit_config.json and "
                    "exit_heads.safetensors; only ") +
        (exit.exit_config_json.empty() ? "exit_heads.safetensors" : "exit_config.json") +
        " was given");
  }
  if (!exit.exit_config_json.empty()) {
    StatusOr<SafetensorsReader> heads = SafetensorsReader::Parse(
        Bytes(exit.exit_heads_safetensors), exit.exit_heads_safetensors.size());
    if (!heads.ok()) return WithFile(heads.status(), "exit_heads.safetensors");
    HB_RETURN_IF_ERROR(LoadExitHeads(exit.exit_config_json, *heads, &weights));
  }

  HB_ASSIGN_OR_RETURN(TokenizerSettings settings,
                      ParseTokenizerSettings(files.tokenizer_config_json, files.tokenizer_json,
                                             files.special_tokens_map_json));
  // Fail now, not when the file is loaded: the vocabulary must parse and fit the embeddings.
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertTokenizer> tokenizer,
                      BertTokenizer::Create(files.vocab_txt, settings));
  if (tokenizer->vocab_size() > config->vocab_size) {
    return InvalidModel("vocab.txt has " + std::to_string(tokenizer->vocab_size()) +
                        " tokens but the model's embedding table has only " +
                        std::to_string(config->vocab_size) + " rows");
  }
  tokenizer.reset();

  if (options.max_positions > 0) {
    HB_RETURN_IF_ERROR(ExtendPositions(weights, options.max_positions));
    settings.model_max_length = options.max_positions;
  }
  if (options.attention_window != 0) {
    if (options.attention_window < 2) return InvalidArgument("attention_window must be >= 2");
    weights.attention.kind = AttentionKind::kSlidingWindow;
    weights.attention.window = options.attention_window;
  }
  HB_RETURN_IF_ERROR(QuantizeModel(weights, dtype));
  WriteOptions write;
  write.dtype = dtype;
  HB_ASSIGN_OR_RETURN(std::string out, WriteModelFile(weights, settings, files.vocab_txt, write));
  if (summary != nullptr) {
    summary->input_bytes = files.config_json.size() + files.safetensors.size() +
                           files.vocab_txt.size() + files.tokenizer_config_json.size() +
                           files.tokenizer_json.size() + files.special_tokens_map_json.size() +
                           exit.exit_config_json.size() + exit.exit_heads_safetensors.size();
    summary->output_bytes = out.size();
    summary->num_exit_heads = static_cast<int>(weights.exit_heads.size());
  }
  return out;
}

// Reads dir/name into *out when the file exists; leaves *out empty otherwise.
Status ReadOptional(const std::string& dir, const char* name, std::string* out) {
  const std::string path = JoinPath(dir, name);
  if (!FileExists(path)) return Status::Ok();
  HB_ASSIGN_OR_RETURN(*out, ReadFile(path));
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> ConvertHuggingFaceFiles(const HuggingFaceFiles& files,
                                              const ConvertOptions& options,
                                              const ExitHeadFiles& exit_heads,
                                              ConvertSummary* summary) {
  try {
    return Convert(files, options, exit_heads, summary);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory converting the model");
  }
}

StatusOr<std::string> ConvertHuggingFaceDir(const std::string& dir, const ConvertOptions& options,
                                            ConvertSummary* summary) {
  // Check the dtype before reading hundreds of MB.
  HB_RETURN_IF_ERROR(ParseModelDtype(options.dtype).status());
  for (const char* required : {"config.json", "model.safetensors", "vocab.txt"}) {
    if (!FileExists(JoinPath(dir, required))) {
      return NotFound("no " + std::string(required) + " in '" + dir +
                      "' (expected a Hugging Face model folder)");
    }
  }
  std::string config, weights, vocab, tokenizer_config, tokenizer_json, special, exit_config,
      exit_weights;
  HB_ASSIGN_OR_RETURN(config, ReadFile(JoinPath(dir, "config.json")));
  HB_ASSIGN_OR_RETURN(weights, ReadFile(JoinPath(dir, "model.safetensors")));
  HB_ASSIGN_OR_RETURN(vocab, ReadFile(JoinPath(dir, "vocab.txt")));
  HB_RETURN_IF_ERROR(ReadOptional(dir, "tokenizer_config.json", &tokenizer_config));
  HB_RETURN_IF_ERROR(ReadOptional(dir, "tokenizer.json", &tokenizer_json));
  HB_RETURN_IF_ERROR(ReadOptional(dir, "special_tokens_map.json", &special));
  HB_RETURN_IF_ERROR(ReadOptional(dir, "exit_config.json", &exit_config));
  HB_RETURN_IF_ERROR(ReadOptional(dir, "exit_heads.safetensors", &exit_weights));
  HuggingFaceFiles files;
  files.config_json = config;
  files.safetensors = weights;
  files.vocab_txt = vocab;
  files.tokenizer_config_json = tokenizer_config;
  files.tokenizer_json = tokenizer_json;
  files.special_tokens_map_json = special;
  ExitHeadFiles exit;
  exit.exit_config_json = exit_config;
  exit.exit_heads_safetensors = exit_weights;
  return ConvertHuggingFaceFiles(files, options, exit, summary);
}

}  // namespace hb
