// Test helper: builds safetensors files in memory (valid ones tensor by tensor, and raw ones
// from a hand-written header for malformed cases), so tests need no binary fixtures.
#ifndef HB_TESTS_CPP_FORMAT_SAFETENSORS_BUILDER_H_
#define HB_TESTS_CPP_FORMAT_SAFETENSORS_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hb::testing {

// 8-byte little-endian length + header + data: the layout with nothing checked.
inline std::string RawSafetensors(uint64_t header_length, const std::string& header,
                                  const std::string& data = "") {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((header_length >> (8 * i)) & 0xFF);
  return out + header + data;
}
inline std::string RawSafetensors(const std::string& header, const std::string& data = "") {
  return RawSafetensors(header.size(), header, data);
}

// IEEE binary16 bits of a float that is exactly representable as a half (tests only).
inline uint16_t ExactHalf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint32_t sign = (bits >> 16) & 0x8000;
  const int exponent = static_cast<int>((bits >> 23) & 0xFF) - 127 + 15;
  if ((bits & 0x7FFFFFFF) == 0) return static_cast<uint16_t>(sign);
  // Normal halves only; the exhaustive conversion test covers the rest.
  return static_cast<uint16_t>(sign | (exponent << 10) | ((bits >> 13) & 0x3FF));
}

class SafetensorsBuilder {
 public:
  // Raw bytes with any dtype string and shape (may be inconsistent on purpose).
  SafetensorsBuilder& AddRaw(const std::string& name, const std::string& dtype,
                             const std::vector<int64_t>& shape, const std::string& bytes) {
    entries_.push_back({name, dtype, shape, bytes});
    return *this;
  }
  SafetensorsBuilder& AddF32(const std::string& name, const std::vector<int64_t>& shape,
                             const std::vector<float>& values) {
    std::string bytes(values.size() * 4, '\0');
    for (size_t i = 0; i < values.size(); ++i) {
      uint32_t b;
      std::memcpy(&b, &values[i], 4);
      for (int k = 0; k < 4; ++k) bytes[4 * i + k] = static_cast<char>((b >> (8 * k)) & 0xFF);
    }
    return AddRaw(name, "F32", shape, bytes);
  }
  // F16 or BF16 from raw 16-bit patterns.
  SafetensorsBuilder& Add16(const std::string& name, const std::string& dtype,
                            const std::vector<int64_t>& shape, const std::vector<uint16_t>& bits) {
    std::string bytes(bits.size() * 2, '\0');
    for (size_t i = 0; i < bits.size(); ++i) {
      bytes[2 * i] = static_cast<char>(bits[i] & 0xFF);
      bytes[2 * i + 1] = static_cast<char>(bits[i] >> 8);
    }
    return AddRaw(name, dtype, shape, bytes);
  }
  SafetensorsBuilder& AddI32(const std::string& name, const std::vector<int64_t>& shape,
                             const std::vector<int32_t>& values) {
    std::string bytes(values.size() * 4, '\0');
    std::memcpy(bytes.data(), values.data(), bytes.size());  // tests run on little-endian hosts
    return AddRaw(name, "I32", shape, bytes);
  }
  SafetensorsBuilder& Metadata(const std::string& key, const std::string& value) {
    metadata_[key] = value;
    return *this;
  }
  // Removes a tensor by name (to make "missing tensor" cases from a complete model).
  SafetensorsBuilder& Remove(const std::string& name) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->name == name) {
        entries_.erase(it);
        break;
      }
    }
    return *this;
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const Entry& e : entries_) names.push_back(e.name);
    return names;
  }

  // Header with tensors in insertion order, data packed back to back, header padded with spaces
  // to a multiple of 8 bytes (as the reference writer does).
  std::string Build() const {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata_.empty()) header["__metadata__"] = metadata_;
    std::string data;
    for (const Entry& e : entries_) {
      header[e.name] = {{"dtype", e.dtype},
                        {"shape", e.shape},
                        {"data_offsets", {data.size(), data.size() + e.bytes.size()}}};
      data += e.bytes;
    }
    std::string text = header.dump();
    text.resize((text.size() + 7) / 8 * 8, ' ');
    return RawSafetensors(text, data);
  }

 private:
  struct Entry {
    std::string name, dtype;
    std::vector<int64_t> shape;
    std::string bytes;
  };
  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

inline const uint8_t* Bytes(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

}  // namespace hb::testing

#endif  // HB_TESTS_CPP_FORMAT_SAFETENSORS_BUILDER_H_
