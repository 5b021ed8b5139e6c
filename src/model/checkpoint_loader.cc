// Parses config.json, model.safetensors, the optional exit heads and the tokenizer files, and
// checks them against each other before any packing.
#include "model/checkpoint_loader.h"

#include <cstdint>
#include <memory>
#include <new>
#include <string>

#include "format/bert_config.h"
#include "format/exit_heads.h"
#include "format/hf_checkpoint.h"
#include "format/safetensors_reader.h"

namespace hb {
namespace {

Status WithFile(const Status& s, const char* file) {
  return Status(s.code(), std::string(file) + ": " + s.message());
}

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

}  // namespace

StatusOr<LoadedCheckpoint> LoadHuggingFaceCheckpoint(const HuggingFaceFiles& files) {
  try {
    StatusOr<BertConfig> config = ParseBertConfig(files.config_json);
    if (!config.ok()) return WithFile(config.status(), "config.json");
    StatusOr<SafetensorsReader> reader =
        SafetensorsReader::Parse(Bytes(files.safetensors), files.safetensors.size());
    if (!reader.ok()) return WithFile(reader.status(), "model.safetensors");
    StatusOr<BertWeights> weights = LoadBertWeights(*config, *reader);
    if (!weights.ok()) return WithFile(weights.status(), "model.safetensors");
    LoadedCheckpoint out;
    out.weights = std::move(weights).value();

    if (files.exit_config_json.empty() != files.exit_heads_safetensors.empty()) {
      return InvalidModel(
          std::string("exit heads need both exit_config.json and exit_heads.safetensors; only ") +
          (files.exit_config_json.empty() ? "exit_heads.safetensors" : "exit_config.json") +
          " was given");
    }
    if (!files.exit_config_json.empty()) {
      StatusOr<SafetensorsReader> heads = SafetensorsReader::Parse(
          Bytes(files.exit_heads_safetensors), files.exit_heads_safetensors.size());
      if (!heads.ok()) return WithFile(heads.status(), "exit_heads.safetensors");
      HB_RETURN_IF_ERROR(LoadExitHeads(files.exit_config_json, *heads, &out.weights));
    }

    HB_ASSIGN_OR_RETURN(out.settings,
                        ParseTokenizerSettings(files.tokenizer_config_json, files.tokenizer_json,
                                               files.special_tokens_map_json));
    // The vocabulary must parse and fit the embedding table.
    HB_ASSIGN_OR_RETURN(std::unique_ptr<BertTokenizer> tokenizer,
                        BertTokenizer::Create(files.vocab_txt, out.settings));
    if (tokenizer->vocab_size() > config->vocab_size) {
      return InvalidModel("vocab.txt has " + std::to_string(tokenizer->vocab_size()) +
                          " tokens but the model's embedding table has only " +
                          std::to_string(config->vocab_size) + " rows");
    }
    return out;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while loading the checkpoint");
  }
}

}  // namespace hb
