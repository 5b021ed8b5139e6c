// Fuzz target: ReadModelFile on arbitrary bytes, and the same bytes streamed in chunks of a size
// taken from the input, which must agree on success (a file with two defects may name either
// first, depending on which chunk reveals which); on success the
// model is built (Model::FromModelFile) and runs one short text. Errors are expected; crashes,
// leaks, UB and a streamed read that disagrees are bugs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "format/model_file.h"
#include "format/model_file_stream.h"
#include "hummingbert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)hb::LooksLikeModelFile(data, size);
  hb::StatusOr<hb::ModelFileContents> contents = hb::ReadModelFile(data, size);
  {
    hb::ModelFileStreamReader stream;
    const size_t chunk = size ? 1 + data[size - 1] % 97 : 1;
    for (size_t i = 0; i < size; i += chunk) {
      if (!stream.Append(data + i, std::min(chunk, size - i)).ok()) break;  // Finish repeats it
    }
    hb::StatusOr<hb::ModelFileContents> streamed = stream.Finish();
    if (streamed.ok() != contents.ok()) __builtin_trap();
  }
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
