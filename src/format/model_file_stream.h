// Reading a model file (.hbm, format/MODEL_FILE.md) as its bytes arrive: from a download, a file
// read in chunks, or all at once (ReadModelFile).
//
// Design goals:
//  - Peak memory ~ the loaded weights: only the safetensors header (8-byte length + JSON) is
//    buffered; once it is complete it is validated like a whole file (SafetensorsReader, then the
//    metadata and every tensor's presence, dtype and shape), each tensor's destination is
//    allocated in the final BertWeights, and later bytes are written straight there. Bytes of no
//    tensor we use (`_pad.N`, unknown tensors) are skipped without being stored.
//  - Same errors as a whole-file read for the same malformed file, reported as early as the
//    bytes allow: header problems when the header is complete, a bad scale when its tensor is,
//    a truncation in Finish, trailing bytes in the Append that brings them.
// Non-goals: seeking (tensors are taken in file order, which is how every writer lays them out),
// resuming after an error.
#ifndef HB_FORMAT_MODEL_FILE_STREAM_H_
#define HB_FORMAT_MODEL_FILE_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "format/model_file.h"
#include "format/safetensors_reader.h"

namespace hb {

class ModelFileStreamReader {
 public:
  ModelFileStreamReader();
  ~ModelFileStreamReader();
  ModelFileStreamReader(const ModelFileStreamReader&) = delete;
  ModelFileStreamReader& operator=(const ModelFileStreamReader&) = delete;

  // The next `size` bytes of the file, in chunks of any size (0 is fine); copied, so `data` need
  // not outlive the call. Errors (prefixed "model file: ", as ReadModelFile's): kInvalidModel,
  // kUnsupported, kResourceExhausted as ReadModelFile, plus kInvalidModel for bytes past the end
  // of the last tensor; kInvalidArgument for null data with a non-zero size. After an error,
  // every later call returns it again.
  Status Append(const uint8_t* data, size_t size);

  // The contents once the whole file was appended. Errors: those of Append; kInvalidModel for a
  // truncated file (naming the part cut and the byte counts); kInvalidArgument when called
  // twice.
  StatusOr<ModelFileContents> Finish();

  // Bytes appended so far.
  uint64_t bytes_received() const { return received_; }
  // True once Finish has returned the contents.
  bool finished() const { return state_ == State::kFinished; }

 private:
  enum class State { kLength, kHeader, kData, kFinished, kFailed };

  Status AppendImpl(const uint8_t* data, size_t size);
  Status StartData();
  Status Route(const uint8_t* data, size_t size);
  Status Fail(const Status& s);

  State state_ = State::kLength;
  Status error_;
  uint64_t received_ = 0;
  uint8_t length_bytes_[8] = {};
  uint64_t header_size_ = 0;
  std::string header_;  // the header JSON while it arrives; freed once parsed
  std::optional<SafetensorsReader> tensors_;
  // Heap-allocated so destinations stay valid if the reader is moved into another owner.
  std::unique_ptr<ModelFileContents> contents_;
  std::vector<TensorDestination> plan_;  // indexed like tensors_->tensors()
  size_t next_ = 0;  // position in tensors_->file_order() of the first tensor not yet complete
  uint64_t data_received_ = 0;  // bytes of the data section so far
};

}  // namespace hb

#endif  // HB_FORMAT_MODEL_FILE_STREAM_H_
