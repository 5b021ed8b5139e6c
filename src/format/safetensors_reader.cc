// Safetensors parsing and validation (see safetensors_reader.h for the design goals). The reader
// trusts nothing in the header: the header length, every dtype, dimension and offset is checked
// against the buffer with overflow-checked arithmetic before a TensorView is created.
#include "format/safetensors_reader.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "base/checked_math.h"
#include "base/half_float.h"
#include "format/json_util.h"

namespace hb {
namespace {

using json = Json;

// Real checkpoints have headers of a few hundred KB and at most a few thousand tensors; the
// limits only stop hostile files from making us allocate gigabytes for the JSON DOM.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr size_t kMaxTensors = 100'000;
constexpr size_t kMaxRank = 8;

struct DTypeInfo {
  const char* name;
  DType dtype;
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {"F32", DType::kF32, 4},   {"F16", DType::kF16, 2}, {"BF16", DType::kBF16, 2},
    {"F64", DType::kF64, 8},   {"I8", DType::kI8, 1},   {"U8", DType::kU8, 1},
    {"I16", DType::kI16, 2},   {"I32", DType::kI32, 4}, {"I64", DType::kI64, 8},
    {"BOOL", DType::kBool, 1},
};

std::string SupportedDTypeList() {
  std::string s;
  for (const DTypeInfo& info : kDTypes) {
    if (!s.empty()) s += ", ";
    s += info.name;
  }
  return s;
}

std::string Quote(const std::string& name) {
  // Names come from the file: keep messages one line and bounded in length.
  return "'" + Shorten(name, 200) + "'";
}

// Reads data_offsets: exactly two non-negative integers.
Status ParseOffsets(const std::string& name, const json& entry, uint64_t* begin, uint64_t* end) {
  auto it = entry.find("data_offsets");
  if (it == entry.end()) return InvalidModel("tensor " + Quote(name) + " has no 'data_offsets'");
  if (!it->is_array() || it->size() != 2) {
    return InvalidModel("tensor " + Quote(name) +
                        ": 'data_offsets' must be an array [begin, end], got " + JsonBrief(*it));
  }
  int64_t v[2];
  for (int i = 0; i < 2; ++i) {
    if (!JsonToInt64((*it)[i], &v[i]) || v[i] < 0) {
      return InvalidModel("tensor " + Quote(name) +
                          ": 'data_offsets' must hold non-negative integers, got " +
                          JsonBrief((*it)[i]));
    }
  }
  *begin = static_cast<uint64_t>(v[0]);
  *end = static_cast<uint64_t>(v[1]);
  return Status::Ok();
}

Status ParseShape(const std::string& name, const json& entry, std::vector<int64_t>* shape) {
  auto it = entry.find("shape");
  if (it == entry.end()) return InvalidModel("tensor " + Quote(name) + " has no 'shape'");
  if (!it->is_array()) {
    return InvalidModel("tensor " + Quote(name) + ": 'shape' must be an array, got " +
                        JsonBrief(*it));
  }
  if (it->size() > kMaxRank) {
    return InvalidModel("tensor " + Quote(name) + " has rank " + std::to_string(it->size()) +
                        "; at most " + std::to_string(kMaxRank) + " dimensions are supported");
  }
  shape->clear();
  for (const json& dim : *it) {
    int64_t d;
    if (!JsonToInt64(dim, &d) || d < 0) {
      return InvalidModel("tensor " + Quote(name) +
                          ": dimensions must be non-negative integers, got " + JsonBrief(dim));
    }
    shape->push_back(d);
  }
  return Status::Ok();
}

struct Extent {
  uint64_t begin, end;
  size_t index;
};

}  // namespace

const char* DTypeName(DType dtype) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.dtype == dtype) return info.name;
  }
  return "UNKNOWN";
}

size_t DTypeSize(DType dtype) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.dtype == dtype) return info.size;
  }
  return 0;
}

int64_t TensorView::num_elements() const {
  uint64_t n;
  if (!CheckedProduct(shape.data(), shape.size(), std::numeric_limits<int64_t>::max(), &n)) {
    return -1;  // a negative dimension or an overflow: only possible for hand-made views
  }
  return static_cast<int64_t>(n);
}

namespace {

Status TensorPastEnd(const std::string& name, uint64_t begin, uint64_t end, uint64_t data_size) {
  return InvalidModel("tensor " + Quote(name) + " claims bytes [" + std::to_string(begin) + ", " +
                      std::to_string(end) + ") but the data section has only " +
                      std::to_string(data_size) + " bytes (truncated file?)");
}

// Runs `parse`, turning exceptions (out of memory in the JSON DOM) into a Status.
template <typename F>
auto Guarded(F parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while reading the safetensors header");
  } catch (const std::exception& e) {
    return Internal(std::string("unexpected exception reading safetensors: ") + e.what());
  }
}

}  // namespace

Status SafetensorsReader::CheckHeaderLength(const uint8_t* first_bytes, uint64_t file_size,
                                            uint64_t* header_size) {
  if (file_size < 8) {
    return InvalidModel("file is too small to be safetensors: " + std::to_string(file_size) +
                        " bytes, but the header length alone takes 8");
  }
  *header_size = 0;
  for (int i = 7; i >= 0; --i) *header_size = (*header_size << 8) | first_bytes[i];
  const uint64_t available = file_size - 8;
  if (*header_size > available) {
    return InvalidModel("safetensors header length is " + std::to_string(*header_size) +
                        " bytes but only " + std::to_string(available) +
                        " bytes follow it (truncated file, or not a safetensors file)");
  }
  if (*header_size > kMaxHeaderBytes) {
    return ResourceExhausted("safetensors header is " + std::to_string(*header_size) +
                             " bytes; at most " + std::to_string(kMaxHeaderBytes) +
                             " are supported");
  }
  return Status::Ok();
}

StatusOr<SafetensorsReader> SafetensorsReader::Parse(const uint8_t* data, size_t size) {
  return Guarded([&]() -> StatusOr<SafetensorsReader> {
    if (data == nullptr && size != 0) return InvalidArgument("null data with a non-zero size");
    uint64_t header_size = 0;
    HB_RETURN_IF_ERROR(CheckHeaderLength(data, size, &header_size));
    // header_size <= size - 8, so it fits in size_t even on 32-bit wasm.
    const std::string_view header_text(reinterpret_cast<const char*>(data + 8),
                                       static_cast<size_t>(header_size));
    const uint64_t data_size = size - 8 - header_size;
    HB_ASSIGN_OR_RETURN(SafetensorsReader reader, ParseHeaderImpl(header_text, &data_size));
    const uint8_t* data_section = data + 8 + header_size;
    // end <= data_size < size for every tensor, so offsets fit in size_t.
    for (TensorView& view : reader.tensors_) view.data = data_section + view.offset;
    return reader;
  });
}

StatusOr<SafetensorsReader> SafetensorsReader::ParseHeader(std::string_view header_json) {
  return Guarded([&] { return ParseHeaderImpl(header_json, nullptr); });
}

Status SafetensorsReader::CheckDataSize(uint64_t data_size) const {
  for (const TensorView& t : tensors_) {
    const uint64_t end = t.offset + t.nbytes;
    if (end > data_size) return TensorPastEnd(t.name, t.offset, end, data_size);
  }
  return Status::Ok();
}

StatusOr<SafetensorsReader> SafetensorsReader::ParseHeaderImpl(std::string_view header_text,
                                                               const uint64_t* data_size) {
  if (header_text.size() > kMaxHeaderBytes) {
    return ResourceExhausted("safetensors header is " + std::to_string(header_text.size()) +
                             " bytes; at most " + std::to_string(kMaxHeaderBytes) +
                             " are supported");
  }
  // Depth 3 is enough (root -> entry -> shape); a few JSON values per tensor.
  JsonLimits limits;
  limits.max_depth = 4;
  limits.max_values = kMaxTensors * 32;
  json header;
  HB_RETURN_IF_ERROR(ParseJson(header_text, "safetensors header", limits, &header));
  if (!header.is_object()) {
    return InvalidModel(std::string("safetensors header is not a JSON object (it is ") +
                        JsonTypeName(header) + ")");
  }
  const size_t num_tensors = header.size() - header.count("__metadata__");
  if (num_tensors > kMaxTensors) {
    return ResourceExhausted("safetensors header lists " + std::to_string(num_tensors) +
                             " tensors; at most " + std::to_string(kMaxTensors) + " are supported");
  }

  SafetensorsReader reader;
  reader.tensors_.reserve(num_tensors);
  std::vector<Extent> extents;
  extents.reserve(num_tensors);
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) {
        return InvalidModel("safetensors '__metadata__' must be an object, got " +
                            JsonBrief(entry));
      }
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) {
          return InvalidModel("safetensors '__metadata__' must map strings to strings; " +
                              Quote(key) + " is " + JsonTypeName(value));
        }
        reader.metadata_.emplace(key, value.get<std::string>());
      }
      continue;
    }
    if (!entry.is_object()) {
      return InvalidModel("tensor " + Quote(name) + ": expected an object with dtype, shape " +
                          "and data_offsets, got " + JsonBrief(entry));
    }
    TensorView view;
    view.name = name;

    auto dtype_it = entry.find("dtype");
    if (dtype_it == entry.end()) return InvalidModel("tensor " + Quote(name) + " has no 'dtype'");
    if (!dtype_it->is_string()) {
      return InvalidModel("tensor " + Quote(name) + ": 'dtype' must be a string, got " +
                          JsonBrief(*dtype_it));
    }
    const std::string& dtype_name = dtype_it->get_ref<const std::string&>();
    const DTypeInfo* info = nullptr;
    for (const DTypeInfo& candidate : kDTypes) {
      if (dtype_name == candidate.name) info = &candidate;
    }
    if (info == nullptr) {
      return Unsupported("tensor " + Quote(name) + " has dtype " + Quote(dtype_name) +
                         ", which is not supported; supported dtypes: " + SupportedDTypeList());
    }
    view.dtype = info->dtype;

    HB_RETURN_IF_ERROR(ParseShape(name, entry, &view.shape));
    uint64_t num_elements, nbytes;
    if (!CheckedProduct(view.shape.data(), view.shape.size(), std::numeric_limits<int64_t>::max(),
                        &num_elements) ||
        !CheckedMul<uint64_t>(num_elements, info->size, &nbytes)) {
      return InvalidModel("tensor " + Quote(name) + " has shape " + ShapeString(view.shape) +
                          ", whose size in bytes overflows 64 bits");
    }

    uint64_t begin, end;
    HB_RETURN_IF_ERROR(ParseOffsets(name, entry, &begin, &end));
    if (begin > end) {
      return InvalidModel("tensor " + Quote(name) + " has data_offsets [" + std::to_string(begin) +
                          ", " + std::to_string(end) + "] with begin after end");
    }
    if (data_size != nullptr && end > *data_size)
      return TensorPastEnd(name, begin, end, *data_size);
    if (end - begin != nbytes) {
      return InvalidModel("tensor " + Quote(name) + " has shape " + ShapeString(view.shape) +
                          " of " + info->name + " (" + std::to_string(nbytes) +
                          " bytes) but its data_offsets [" + std::to_string(begin) + ", " +
                          std::to_string(end) + ") span " + std::to_string(end - begin) + " bytes");
    }
    // Without a known data size the data must still be addressable here (32-bit wasm): a
    // header claiming more cannot describe a file this platform can load.
    if (!FitsIn<size_t>(end)) {
      return ResourceExhausted("tensor " + Quote(name) + " ends at byte " + std::to_string(end) +
                               " of the data section, more than this platform can address");
    }
    view.offset = begin;
    view.nbytes = static_cast<size_t>(nbytes);
    reader.data_size_ = std::max(reader.data_size_, end);
    extents.push_back({begin, end, reader.tensors_.size()});
    reader.tensors_.push_back(std::move(view));
  }

  // Overlapping tensors are never produced by a writer; they would let one tensor alias
  // another. Gaps are allowed (never read). Empty tensors occupy no bytes.
  std::sort(extents.begin(), extents.end(), [](const Extent& a, const Extent& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  const Extent* previous = nullptr;
  for (const Extent& e : extents) {
    if (e.begin == e.end) continue;
    if (previous != nullptr && e.begin < previous->end) {
      return InvalidModel("tensors " + Quote(reader.tensors_[previous->index].name) + " [" +
                          std::to_string(previous->begin) + ", " + std::to_string(previous->end) +
                          ") and " + Quote(reader.tensors_[e.index].name) + " [" +
                          std::to_string(e.begin) + ", " + std::to_string(e.end) + ") overlap");
    }
    previous = &e;
  }
  reader.file_order_.reserve(extents.size());
  for (const Extent& e : extents) reader.file_order_.push_back(e.index);
  for (size_t i = 0; i < reader.tensors_.size(); ++i) {
    reader.positions_.emplace(reader.tensors_[i].name, i);
  }
  return reader;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

const TensorView* SafetensorsReader::Find(std::string_view name) const {
  auto it = positions_.find(name);
  return it == positions_.end() ? nullptr : &tensors_[it->second];
}

namespace {

float BitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

}  // namespace

StatusOr<std::vector<float>> TensorToF32(const TensorView& tensor) {
  if (tensor.dtype != DType::kF32 && tensor.dtype != DType::kF16 && tensor.dtype != DType::kBF16) {
    return Unsupported("tensor " + Quote(tensor.name) + " has dtype " + DTypeName(tensor.dtype) +
                       "; only F32, F16 and BF16 can be converted to fp32");
  }
  const int64_t n = tensor.num_elements();
  uint64_t expected;
  if (n < 0 ||
      !CheckedMul<uint64_t>(static_cast<uint64_t>(n), DTypeSize(tensor.dtype), &expected) ||
      expected != tensor.nbytes || (tensor.data == nullptr && tensor.nbytes != 0)) {
    return InvalidArgument("tensor " + Quote(tensor.name) + ": shape " + ShapeString(tensor.shape) +
                           " does not match its " + std::to_string(tensor.nbytes) + " bytes of " +
                           DTypeName(tensor.dtype));
  }
  try {
    std::vector<float> out(static_cast<size_t>(n));
    const uint8_t* p = tensor.data;
    // Bytes are assembled explicitly: the data is little-endian and not necessarily aligned.
    switch (tensor.dtype) {
      case DType::kF32:
        for (size_t i = 0; i < out.size(); ++i, p += 4) {
          out[i] = BitsToFloat(uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
                               uint32_t{p[3]} << 24);
        }
        break;
      case DType::kF16:
        for (size_t i = 0; i < out.size(); ++i, p += 2) {
          out[i] = HalfBitsToFloat(static_cast<uint16_t>(p[0] | p[1] << 8));
        }
        break;
      default:  // kBF16: the upper half of a binary32
        for (size_t i = 0; i < out.size(); ++i, p += 2) {
          out[i] = BitsToFloat((uint32_t{p[0]} | uint32_t{p[1]} << 8) << 16);
        }
        break;
    }
    return out;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory converting tensor " + Quote(tensor.name) + " to fp32");
  }
}

}  // namespace hb
