// Opening inputs for the compression operations and writing their results.
#include "compress/editable_model.h"

#include <utility>

#include "base/file_io.h"
#include "format/huggingface_files.h"
#include "model/checkpoint_loader.h"
#include "quant/quantize_weights.h"

namespace hb {
namespace {

int64_t LinearParameters(const LinearWeights& l) {
  int64_t n = int64_t{l.out} * l.inner() + static_cast<int64_t>(l.b.size());
  for (const LinearWeights& d : l.down) n += LinearParameters(d);
  return n;
}

}  // namespace

StatusOr<EditableModel> OpenModelFile(std::string_view bytes) {
  HB_ASSIGN_OR_RETURN(ModelFileContents contents,
                      ReadModelFile(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  EditableModel m;
  HB_ASSIGN_OR_RETURN(m.dtype, ParseModelDtype(contents.dtype));
  m.weights = std::move(contents.weights);
  m.settings = std::move(contents.settings);
  m.vocab_txt = std::move(contents.vocab_txt);
  DequantizeModel(m.weights);
  return m;
}

StatusOr<EditableModel> OpenModelPath(const std::string& path) {
  if (FileExists(path)) {
    HB_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
    if (!LooksLikeModelFile(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())) {
      return InvalidArgument("'" + path +
                             "' is neither a hummingbert model file nor a Hugging "
                             "Face model folder");
    }
    return OpenModelFile(bytes);
  }
  HB_ASSIGN_OR_RETURN(HuggingFaceFolder folder, ReadHuggingFaceFolder(path));
  HB_ASSIGN_OR_RETURN(LoadedCheckpoint loaded, LoadHuggingFaceCheckpoint(folder.View()));
  EditableModel m;
  m.weights = std::move(loaded.weights);
  m.settings = std::move(loaded.settings);
  m.vocab_txt = std::move(folder.vocab_txt);
  return m;
}

StatusOr<std::string> SaveModelFile(EditableModel& model, const std::string& dtype,
                                    std::string* dtype_name) {
  ModelDtype d = model.dtype;
  if (!dtype.empty()) {
    HB_ASSIGN_OR_RETURN(d, ParseModelDtype(dtype));
  }
  HB_RETURN_IF_ERROR(QuantizeModel(model.weights, d));
  WriteOptions options;
  options.dtype = d;
  if (dtype_name != nullptr) *dtype_name = ModelDtypeName(d);
  return WriteModelFile(model.weights, model.settings, model.vocab_txt, options);
}

int64_t CountParameters(const BertWeights& w) {
  int64_t n = static_cast<int64_t>(w.word_embeddings.size() + w.word_embeddings_q.size() +
                                   w.position_embeddings.size() + w.token_type_embeddings.size());
  if (w.word_projection) n += LinearParameters(*w.word_projection);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const int li = static_cast<int>(i);
    if (w.config.LayerSource(li) != li) continue;
    const EncoderLayerWeights& l = w.layers[i];
    for (const LinearWeights* lin : {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out}) {
      n += LinearParameters(*lin);
    }
  }
  return n;
}

}  // namespace hb
