// Fuzz target: SafetensorsReader::Parse on arbitrary bytes, then TensorToF32 and Find on every
// tensor. Errors are expected; crashes, leaks, UB and out-of-bounds reads are bugs.
#include <cstddef>
#include <cstdint>

#include "format/safetensors_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hb::StatusOr<hb::SafetensorsReader> reader = hb::SafetensorsReader::Parse(data, size);
  if (!reader.ok()) return 0;
  for (const hb::TensorView& t : reader->tensors()) {
    if (reader->Find(t.name) == nullptr) __builtin_trap();  // every listed tensor is findable
    (void)t.num_elements();
    (void)hb::DTypeName(t.dtype);
    hb::StatusOr<std::vector<float>> f = hb::TensorToF32(t);
    if (f.ok()) {
      volatile float sink = 0;
      for (float v : *f) sink = sink + v;  // touch every element
      (void)sink;
    }
  }
  (void)reader->metadata().size();
  return 0;
}
