// A bounds-checked reader of the safetensors format (HF `model.safetensors`): an 8-byte
// little-endian header length, a JSON header mapping tensor names to dtype, shape and
// [begin, end) data offsets, then the data.
//
// Design goals: zero-copy views over caller-owned bytes; every offset, shape and size is checked
// against the buffer before use, with overflow-checked arithmetic, so a hostile file yields a
// Status naming the tensor and the problem, never an out-of-bounds read.
// Non-goals: writing (the model file writer owns that), memory mapping.
#ifndef HB_FORMAT_SAFETENSORS_READER_H_
#define HB_FORMAT_SAFETENSORS_READER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hb {

enum class DType : int { kF32, kF16, kBF16, kF64, kI8, kU8, kI16, kI32, kI64, kBool };

// "F32", "F16", ... as in safetensors headers.
const char* DTypeName(DType dtype);
size_t DTypeSize(DType dtype);

// "[2, 3]": a shape as error messages print it.
std::string ShapeString(const std::vector<int64_t>& shape);

struct TensorView {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  const uint8_t* data = nullptr;  // not necessarily aligned; null after ParseHeader
  size_t nbytes = 0;
  uint64_t offset = 0;  // first byte within the data section (after the header)
  // Product of the shape (1 for a scalar); -1 if a dimension is negative or the product
  // overflows int64 (possible only for hand-made views: Parse validates every shape).
  int64_t num_elements() const;
};

class SafetensorsReader {
 public:
  // Parses and validates the header. `data` must outlive the reader (no copy is made).
  // Errors: kInvalidModel (truncated, not JSON, bad shapes/offsets, overlapping tensors),
  // kUnsupported (unknown dtype), kResourceExhausted (header over 100 MB, over 100k tensors, or
  // out of memory), kInvalidArgument (null data with a non-zero size).
  static StatusOr<SafetensorsReader> Parse(const uint8_t* data, size_t size);

  // The header alone, for readers that receive the data later (format/model_file_stream.h):
  // `header_json` is the text after the 8-byte length. Every check of Parse that does not need
  // the data runs (dtypes, shapes, offsets, sizes, overlaps, limits); the data section is then
  // expected to be data_size() bytes, and views have a null `data`. Errors as Parse.
  static StatusOr<SafetensorsReader> ParseHeader(std::string_view header_json);

  // Checks the 8-byte header length of a file of `file_size` bytes, as Parse does: kInvalidModel
  // when the file is under 8 bytes or the header runs past its end, kResourceExhausted over the
  // header size limit. `first_bytes` holds min(file_size, 8) bytes.
  static Status CheckHeaderLength(const uint8_t* first_bytes, uint64_t file_size,
                                  uint64_t* header_size);
  // The error Parse gives when the data section is `data_size` bytes but a tensor (the first in
  // header order) needs more; Ok when every tensor fits.
  Status CheckDataSize(uint64_t data_size) const;
  // Bytes the tensors span: the largest end offset (0 without tensors).
  uint64_t data_size() const { return data_size_; }
  // Indices into tensors() in file order (by data offset): how a streaming reader meets them.
  const std::vector<size_t>& file_order() const { return file_order_; }

  // Null when absent.
  const TensorView* Find(std::string_view name) const;
  const std::vector<TensorView>& tensors() const { return tensors_; }
  // The optional "__metadata__" string map.
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  // ParseHeader, also checking offsets against the data size when it is known (Parse), in the
  // same pass so that the first problem in header order is the one reported.
  static StatusOr<SafetensorsReader> ParseHeaderImpl(std::string_view header_json,
                                                     const uint64_t* data_size);

  std::vector<TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
  std::map<std::string, size_t, std::less<>> positions_;  // name -> index in tensors_
  uint64_t data_size_ = 0;
  std::vector<size_t> file_order_;
};

// Copies a floating-point tensor (F32, F16, BF16; any alignment) to fp32, exactly. Other
// dtypes: kUnsupported; a view whose nbytes does not match its shape: kInvalidArgument.
StatusOr<std::vector<float>> TensorToF32(const TensorView& tensor);

}  // namespace hb

#endif  // HB_FORMAT_SAFETENSORS_READER_H_
