// A minimal JSON Lines writer for the CLI: compact output, floats with 9 significant digits
// (enough to round-trip fp32), strings escaped per RFC 8259.
#ifndef HB_CLI_JSON_WRITER_H_
#define HB_CLI_JSON_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hb::cli {

class JsonObjectWriter {
 public:
  void Key(std::string_view key) {
    out_ += first_ ? "" : ",";
    first_ = false;
    String(key);
    out_ += ':';
  }
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Field(std::string_view key, int64_t value) {
    Key(key);
    out_ += std::to_string(value);
  }
  void Field(std::string_view key, const std::vector<int32_t>& values) {
    Key(key);
    out_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      out_ += std::to_string(values[i]);
    }
    out_ += ']';
  }
  void Field(std::string_view key, const float* values, size_t n) {
    Key(key);
    Floats(values, n);
  }
  // A [rows x cols] matrix as an array of arrays.
  void Field(std::string_view key, const float* values, size_t rows, size_t cols) {
    Key(key);
    out_ += '[';
    for (size_t r = 0; r < rows; ++r) {
      if (r) out_ += ',';
      Floats(values + r * cols, cols);
    }
    out_ += ']';
  }
  void Field(std::string_view key, const std::vector<std::string>& values) {
    Key(key);
    out_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      String(values[i]);
    }
    out_ += ']';
  }
  void Field(std::string_view key, const std::vector<std::pair<int32_t, int32_t>>& pairs) {
    Key(key);
    out_ += '[';
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (i) out_ += ',';
      out_ += '[' + std::to_string(pairs[i].first) + ',' + std::to_string(pairs[i].second) + ']';
    }
    out_ += ']';
  }
  // A value already serialized as JSON.
  void Raw(std::string_view key, std::string_view json) {
    Key(key);
    out_ += json;
  }
  std::string Finish() { return "{" + out_ + "}"; }

 private:
  void Floats(const float* v, size_t n) {
    out_ += '[';
    char buf[32];
    for (size_t i = 0; i < n; ++i) {
      if (i) out_ += ',';
      std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(v[i]));
      out_ += buf;
    }
    out_ += ']';
  }
  void String(std::string_view s) {
    out_ += '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out_ += buf;
          } else {
            out_ += static_cast<char>(c);
          }
      }
    }
    out_ += '"';
  }
  std::string out_;
  bool first_ = true;
};

}  // namespace hb::cli

#endif  // HB_CLI_JSON_WRITER_H_
