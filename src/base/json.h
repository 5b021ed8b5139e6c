// A small JSON DOM, parser and writer for the model and tokenizer files (config.json,
// tokenizer*.json, safetensors headers, model file metadata).
//
// The API follows the subset of nlohmann-json that the format code used, with the same data
// model, so the parsers read the same way and the writers produce the same bytes:
//  * numbers keep their lexical kind: a non-negative integer token is unsigned, a negative one
//    signed, anything with a fraction or exponent (or out of 64-bit range) a double;
//  * objects are sorted by key (byte order); a repeated key keeps the last value;
//  * dump() writes compact JSON (or indented with dump(n)); doubles print the shortest form that
//    reads back exactly ("1e-12", "0.5", "2.0"), non-finite ones as null.
// The parser (ParseJson) is strict RFC 8259 with UTF-8 validation, and bounds nesting depth and
// the number of values, so hostile input gives a Status, never a deep recursion or a huge DOM.
#ifndef HB_BASE_JSON_H_
#define HB_BASE_JSON_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/status.h"

namespace hb {

// Thrown only for programming errors (a type mismatch in get<T>()/value(), invalid UTF-8 in
// dump()); the parsers check types before reading.
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Json {
 public:
  enum class Type : uint8_t { kNull, kBool, kInt, kUint, kFloat, kString, kArray, kObject };
  using Object = std::map<std::string, Json, std::less<>>;
  using Array = std::vector<Json>;
  using exception = JsonError;
  // How dump() treats strings that are not valid UTF-8.
  enum class Utf8 : uint8_t { kStrict, kReplace };  // throw JsonError / write U+FFFD

  Json() = default;
  Json(std::nullptr_t) {}                            // NOLINT: implicit, like the other scalars
  Json(bool b) : type_(Type::kBool) { num_.b = b; }  // NOLINT
  template <typename T,
            std::enable_if_t<std::is_integral<T>::value && !std::is_same<T, bool>::value,
                             int> = 0>
  Json(T v) {  // NOLINT
    if (std::is_signed<T>::value) {
      type_ = Type::kInt;
      num_.i = static_cast<int64_t>(v);
    } else {
      type_ = Type::kUint;
      num_.u = static_cast<uint64_t>(v);
    }
  }
  template <typename T, std::enable_if_t<std::is_floating_point<T>::value, int> = 0>
  Json(T v) : type_(Type::kFloat) {  // NOLINT
    num_.f = static_cast<double>(v);
  }
  Json(const char* s) : type_(Type::kString), str_(s) {}             // NOLINT
  Json(std::string s) : type_(Type::kString), str_(std::move(s)) {}  // NOLINT
  template <typename T>
  Json(const std::vector<T>& v) : type_(Type::kArray), arr_(new Array) {  // NOLINT
    arr_->reserve(v.size());
    for (const T& x : v) arr_->emplace_back(x);
  }
  // As in nlohmann-json: a list of [string, value] pairs is an object, anything else an array.
  Json(std::initializer_list<Json> list);

  Json(const Json& other);
  Json(Json&& other) noexcept = default;
  Json& operator=(Json other) noexcept {
    swap(other);
    return *this;
  }
  ~Json() = default;
  void swap(Json& other) noexcept;

  static Json array() { return Json(Type::kArray); }
  static Json object() { return Json(Type::kObject); }
  // Parses text; throws JsonError on invalid JSON (for trusted text only; use ParseJson below).
  static Json parse(std::string_view text);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_boolean() const { return type_ == Type::kBool; }
  bool is_number() const {
    return type_ == Type::kInt || type_ == Type::kUint || is_number_float();
  }
  bool is_number_integer() const { return type_ == Type::kInt || type_ == Type::kUint; }
  bool is_number_unsigned() const { return type_ == Type::kUint; }
  bool is_number_float() const { return type_ == Type::kFloat; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }
  bool is_structured() const { return is_array() || is_object(); }

  // null: 0; array, object: the number of elements; scalars: 1.
  size_t size() const;
  bool empty() const { return size() == 0; }

  // Array elements (empty for anything else), so `for (const Json& x : array)` works.
  const Json* begin() const { return is_array() ? arr_->data() : nullptr; }
  const Json* end() const { return is_array() ? arr_->data() + arr_->size() : nullptr; }
  // Object lookup: the value, or end() when absent or when this is not an object.
  const Json* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != end(); }
  size_t count(std::string_view key) const { return contains(key) ? 1 : 0; }
  // Object members (empty for anything else), sorted by key: `for (auto& [k, v] : j.items())`.
  const Object& items() const;

  // Read-only access; a missing key or index (or a wrong type) gives a null value.
  const Json& operator[](std::string_view key) const;
  const Json& operator[](size_t index) const;
  // Object member, inserted as null if absent; a null value becomes an empty object first.
  Json& operator[](std::string_view key);
  // Appends to an array; a null value becomes an empty array first.
  void push_back(Json value);

  // The value as T (bool, integers, float/double, std::string). Numbers convert between each
  // other; any other mismatch throws JsonError.
  template <typename T>
  T get() const;
  // The stored string; throws JsonError if this is not a string.
  template <typename T>
  T get_ref() const {
    static_assert(std::is_same<T, const std::string&>::value, "only const std::string&");
    return GetString();
  }
  // Object member `key` as a string, or `default_value` when absent; throws if not a string.
  std::string value(std::string_view key, const char* default_value) const;

  // Compact JSON (indent < 0) or one member per line indented by `indent` spaces.
  std::string dump(int indent = -1, Utf8 utf8 = Utf8::kStrict) const;

 private:
  explicit Json(Type t);
  const std::string& GetString() const;
  double GetNumber() const;
  void Dump(std::string* out, int indent, int level, Utf8 utf8) const;

  Type type_ = Type::kNull;
  union {
    bool b;
    int64_t i;
    uint64_t u;
    double f;
  } num_{};
  std::string str_;
  std::unique_ptr<Array> arr_;
  std::unique_ptr<Object> obj_;
};

template <>
inline std::string Json::get<std::string>() const {
  return GetString();
}
template <>
bool Json::get<bool>() const;
template <>
int64_t Json::get<int64_t>() const;
template <>
uint64_t Json::get<uint64_t>() const;
template <>
inline double Json::get<double>() const {
  return GetNumber();
}
template <>
inline float Json::get<float>() const {
  return static_cast<float>(GetNumber());
}
template <>
inline int Json::get<int>() const {
  return static_cast<int>(get<int64_t>());
}

struct JsonLimits {
  int max_depth = 64;            // nesting of arrays/objects; the root is depth 0
  size_t max_values = 1u << 22;  // keys + values + containers, a bound on the DOM's memory
};

// Parses `text` into *out. On failure returns false and sets *error to a one-line description,
// and *limit_exceeded to whether a limit (rather than the syntax) was the problem:
//   "parse error at line 1, column 9: expected ',' or '}'"   (a syntax or UTF-8 error)
//   "has more than N JSON values", "is nested deeper than N levels"   (limits)
// Throws only std::bad_alloc.
bool ParseJsonText(std::string_view text, const JsonLimits& limits, Json* out, std::string* error,
                   bool* limit_exceeded);

// ParseJsonText as a Status (all kInvalidModel): "<what> is not valid JSON: <error>" or
// "<what> has more than N JSON values" / "<what> is nested deeper than N levels";
// std::bad_alloc becomes kResourceExhausted. Never throws.
Status ParseJson(std::string_view text, std::string_view what, const JsonLimits& limits, Json* out);

}  // namespace hb

#endif  // HB_BASE_JSON_H_
