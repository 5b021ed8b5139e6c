// Fuzz target: ReadModelFile on arbitrary bytes; on success the model is built
// (Model::FromModelFile) and runs one short text. Errors are expected; crashes, leaks and UB are
// bugs.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "format/model_file.h"
#include "hummingbert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)hb::LooksLikeModelFile(data, size);
  hb::StatusOr<hb::ModelFileContents> contents = hb::ReadModelFile(data, size);
  if (!contents.ok()) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  hb::StatusOr<std::unique_ptr<hb::Model>> model = hb::Model::FromModelFile(bytes);
  if (!model.ok()) return 0;
  hb::RunOptions options;
  options.embeddings = true;
  hb::StatusOr<std::vector<hb::Output>> out =
      (*model)->Run(std::vector<std::string>{"Hello, world! I loved it."}, options);
  (void)out;
  return 0;
}
