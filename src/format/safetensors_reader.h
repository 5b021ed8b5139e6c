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

struct TensorView {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  const uint8_t* data = nullptr;  // not necessarily aligned
  size_t nbytes = 0;
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

  // Null when absent.
  const TensorView* Find(std::string_view name) const;
  const std::vector<TensorView>& tensors() const { return tensors_; }
  // The optional "__metadata__" string map.
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  std::vector<TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
  std::map<std::string, size_t, std::less<>> positions_;  // name -> index in tensors_
};

// Copies a floating-point tensor (F32, F16, BF16; any alignment) to fp32, exactly. Other
// dtypes: kUnsupported; a view whose nbytes does not match its shape: kInvalidArgument.
StatusOr<std::vector<float>> TensorToF32(const TensorView& tensor);

}  // namespace hb

#endif  // HB_FORMAT_SAFETENSORS_READER_H_
