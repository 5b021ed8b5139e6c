// A model opened for editing by the compression operations: fp32 weights (int8 dequantized),
// the tokenizer, and the dtype it came in, plus the way back to model file bytes.
#ifndef HB_COMPRESS_EDITABLE_MODEL_H_
#define HB_COMPRESS_EDITABLE_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "format/model_file.h"
#include "model/bert_weights.h"
#include "tokenizer/bert_tokenizer.h"

namespace hb {

struct EditableModel {
  BertWeights weights;  // fp32 everywhere
  TokenizerSettings settings;
  std::string vocab_txt;
  ModelDtype dtype = ModelDtype::kFp32;  // what the input stored (fp32 for HF folders)
};

// A model file's bytes. Errors: those of ReadModelFile.
StatusOr<EditableModel> OpenModelFile(std::string_view bytes);
// A model file or a Hugging Face folder. Errors: kNotFound / kIoError, loading errors.
StatusOr<EditableModel> OpenModelPath(const std::string& path);

// Model file bytes with `dtype` ("" keeps model.dtype); the weights are quantized in place.
// Returns the dtype used in *dtype_name.
StatusOr<std::string> SaveModelFile(EditableModel& model, const std::string& dtype,
                                    std::string* dtype_name);

// Weights of the embeddings and encoder layers (shared layers counted once, heads excluded).
int64_t CountParameters(const BertWeights& weights);

}  // namespace hb

#endif  // HB_COMPRESS_EDITABLE_MODEL_H_
