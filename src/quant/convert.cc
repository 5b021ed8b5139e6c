// HF folder -> model file without the Model facade (hummingbert_convert.h): the shared
// checkpoint loader, then positions/attention options, QuantizeModel and WriteModelFile. Lives in
// quant/ so the module glob compiles it into hb_model.
#include <new>
#include <string>
#include <utility>

#include "format/huggingface_files.h"
#include "format/model_file.h"
#include "hummingbert_convert.h"
#include "model/checkpoint_loader.h"
#include "model/extend_positions.h"
#include "quant/quantize_weights.h"

namespace hb {
namespace {

StatusOr<std::string> Convert(const HuggingFaceFiles& files, const ConvertOptions& options,
                              ConvertSummary* summary) {
  HB_ASSIGN_OR_RETURN(ModelDtype dtype, ParseModelDtype(options.dtype));
  HB_ASSIGN_OR_RETURN(LoadedCheckpoint loaded, LoadHuggingFaceCheckpoint(files));
  BertWeights& weights = loaded.weights;
  TokenizerSettings& settings = loaded.settings;

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
                           files.exit_config_json.size() + files.exit_heads_safetensors.size();
    summary->output_bytes = out.size();
    summary->num_exit_heads = static_cast<int>(weights.exit_heads.size());
  }
  return out;
}

}  // namespace

StatusOr<std::string> ConvertHuggingFaceFiles(const HuggingFaceFiles& files,
                                              const ConvertOptions& options,
                                              const ExitHeadFiles& exit_heads,
                                              ConvertSummary* summary) {
  try {
    HuggingFaceFiles all = files;
    if (!exit_heads.exit_config_json.empty() || !exit_heads.exit_heads_safetensors.empty()) {
      all.exit_config_json = exit_heads.exit_config_json;
      all.exit_heads_safetensors = exit_heads.exit_heads_safetensors;
    }
    return Convert(all, options, summary);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory converting the model");
  }
}

StatusOr<std::string> ConvertHuggingFaceDir(const std::string& dir, const ConvertOptions& options,
                                            ConvertSummary* summary) {
  // Check the dtype before reading hundreds of MB.
  HB_RETURN_IF_ERROR(ParseModelDtype(options.dtype).status());
  HB_ASSIGN_OR_RETURN(HuggingFaceFolder folder, ReadHuggingFaceFolder(dir));
  return Convert(folder.View(), options, summary);
}

}  // namespace hb
